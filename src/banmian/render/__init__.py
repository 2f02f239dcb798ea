"""Render: the page model → HTML/CSS (the layout's Jinja2 templates) → a laid-out WeasyPrint document.

Takes: ``PageModel`` pages, the fonts, the prepared images, the press and the document metadata.
Gives: ``RenderInput`` (the frame's HTML and its in-memory resources: images, the press profile; and the
text layer: the composed lines the template draws, recorded by ``textlayer`` for the export's glyph
writer) and the WeasyPrint document of the frame (``html``; the layout's templates run sandboxed and read
only its folder: ``templating``), reading nothing outside the build's roots (``fetch``); ``weasy``
imports WeasyPrint; ``registration`` names the colour that prints on every plate.
"""
