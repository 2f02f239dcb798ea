"""Live: the editor's loop — rebuild, look, compare.

Takes: a content file, build options and the world; a build's PDFs.
Gives: warm rebuilds that keep what did not change (``session``), a terminal watcher (``watch``), a live
page on 127.0.0.1 (``serve`` + ``serve.html``), PNG previews (``preview``) and reprint comparisons
(``diffing``).
"""
