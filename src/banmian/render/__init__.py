"""Render: the page model → HTML/CSS (the layout's Jinja2 templates) → a laid-out WeasyPrint document.

Takes: ``PageModel`` pages, the fonts, the prepared images, the press and the document metadata.
Gives: ``RenderInput`` (HTML and its in-memory resources: font subsets, images, the press profile) and the
WeasyPrint document (``html``; the layout's templates run sandboxed and read only its folder:
``templating``), reading nothing outside the build's roots (``fetch``); ``fontsubset``
cuts the manifest's faces to the characters set; ``weasy`` imports WeasyPrint; ``registration`` names
the colour that prints on every plate.
"""
