"""Export: a rendered document → print-ready PDF bytes.

Takes: the WeasyPrint document, the sheet geometry and the press.
Gives: PDF bytes with exact page boxes, print marks in registration, PDF/X-4 output intent and a
deterministic identity (``pdf``: WeasyPrint writes; ``postpass``: one pikepdf pass finishes, drawing the
marks of ``marks``); vector shapes HTML cannot draw in CMYK (``overlay``); the two plates and the proof of
a spread (``plates``); the files a build writes, refused where they would replace an input or cannot be
written (``targets``).
"""
