"""Export: a rendered document → print-ready PDF bytes.

Takes: the WeasyPrint document, the sheet geometry and the press.
Gives: PDF bytes with exact page boxes, registration marks, PDF/X-4 output intent and deterministic
identity (``pdf``: WeasyPrint writes, one pikepdf post-pass finishes); vector shapes HTML cannot draw in
CMYK (``overlay``); the two plates and the proof of a spread (``plates``).
"""
