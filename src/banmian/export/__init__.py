"""Export: a render (its frame HTML and its text layer) → print-ready PDF bytes.

Takes: the ``RenderInput`` (frame HTML and resources, the composed lines the template draws), the sheet
geometry and the press.
Gives: the frame PDF WeasyPrint writes, kept by its digest (``frames``); banmian's glyph runs over it in
fonts it subsets and embeds itself (``glyphs``, ``fontembed``); PDF bytes with exact page boxes, print
marks in registration, PDF/X-4 output intent and a deterministic identity (``pdf``; ``postpass``: one
pikepdf pass finishes, drawing the marks of ``marks``); vector shapes HTML cannot draw in CMYK
(``overlay``); the two plates and the proof of a spread (``plates``); a print master as layers for a
quick live preview (``layers``); the files a build writes, refused where they would replace an input or
cannot be written (``targets``).
"""
