"""CLI: the ``banmian`` command — arguments in, diagnostics and exit codes out.

Takes: the command line.
Gives: ``run`` (the console script; ``main``), the workflow commands (``workflow``: import, new, serve,
watch, preview, diff), the terminal output (``console``) and the checked number arguments
(``arguments``).
"""
