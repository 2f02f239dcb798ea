"""Check: a PDF → what a printer and a proofreader would say of it.

Takes: PDF bytes or a PDF file (banmian's own or anyone's).
Gives: ``PreflightReport`` (``preflight``, ``preflight_report``: boxes, colour, ink, fonts, images,
PDF/X, external tools) and the typographic lint (``lint`` on the lines, blocks and columns that
``pdflines`` reads back from the PDF: kinsoku, flush lines, gaps, 孤字 — judged by ``clreq``'s lists,
its own, not the composer's); ``pdffile``: whether a file given as a PDF is one.
"""
