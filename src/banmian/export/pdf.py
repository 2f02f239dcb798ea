"""Export: a rendered WeasyPrint document → print-ready PDF bytes.

Takes: the WeasyPrint document, the ``Sheet`` (trim offset, bleed, print marks), the ``Press`` and
``ident`` (the render's digest).
Gives: PDF bytes: WeasyPrint writes the pages (PDF/X-4 when ``press.pdf_x``: its output intent is the
press profile), then ``banmian.export.postpass.finish_pdf`` adds the boxes, the marks, the registration
colour, the output condition and a deterministic identity. ``sheet_for`` gives the sheet of a layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from banmian.compose.boxes import PageModel
from banmian.core.units import MM
from banmian.export.glyphs import FontPlan, PageText, plan_fonts, text_step
from banmian.export.marks import print_marks
from banmian.export.overlay import wedge_step
from banmian.export.postpass import Sheet, finish_pdf
from banmian.graphics.press import Press
from banmian.render.html import sheet_offset
from banmian.source.layout import Layout

PDF_X = "pdf/x-4"  # PDF/X-1a is impossible here: the CJK fonts are embedded as OpenType (PDF 1.6)


def sheet_for(layout: Layout) -> Sheet:
    """The sheet of one page (or one spread canvas) of ``layout``."""
    return Sheet(sheet_offset(layout), layout.spec.page.bleed * MM, print_marks(layout))


def pdf_bytes(document: Any, sheet: Sheet, press: Press, ident: bytes, pages: Sequence[PageModel] = (),
              text: Sequence[PageText] = (), plan: FontPlan | None = None) -> bytes:
    """Write ``document`` (the frame) and finish it (PDF/X-4 when ``press.pdf_x``); ``pages``: the
    composed pages it shows, for what the post-pass draws over them (pie wedges); ``text``: their text
    layers, drawn with ``plan``'s fonts (by default, a plan of ``text`` alone)."""
    options: dict[str, Any] = {"custom_metadata": True}
    if press.pdf_x:
        options["pdf_variant"] = PDF_X
    data: bytes = document.write_pdf(**options)
    steps = []
    if any(text):
        steps.append(text_step(text, plan or plan_fonts(text), sheet.offset))
    wedges = wedge_step(pages, sheet.offset)
    if wedges:
        steps.append(wedges)
    return finish_pdf(data, sheet, press, ident, steps)
