"""Export: a rendered WeasyPrint document → print-ready PDF bytes.

Takes: the frame WeasyPrint wrote (``banmian.export.frames``; PDF/X-4 when ``press.pdf_x``: its output
intent is the press profile), the ``Sheet`` (trim offset, bleed, print marks), the ``Press``, ``ident``
(the render's digest), and the render's text layers.
Gives: PDF bytes: ``banmian.export.postpass.finish_pdf`` draws the composed text (``banmian.export.glyphs``)
and the pie wedges over the frame and adds the boxes, the marks, the registration colour, the output
condition and a deterministic identity. ``sheet_for`` gives the sheet of a layout.
"""

from __future__ import annotations

from collections.abc import Sequence

from banmian.compose.boxes import PageModel
from banmian.core.units import MM
from banmian.export.glyphs import FontPlan, PageText, plan_fonts, text_step
from banmian.export.marks import print_marks
from banmian.export.overlay import wedge_step
from banmian.export.postpass import Sheet, finish_pdf
from banmian.export.record import record_step
from banmian.graphics.press import Press
from banmian.render.html import sheet_offset
from banmian.source.layout import Layout


def sheet_for(layout: Layout) -> Sheet:
    """The sheet of one page (or one spread canvas) of ``layout``."""
    return Sheet(sheet_offset(layout), layout.spec.page.bleed * MM, print_marks(layout))


def pdf_bytes(frame: bytes, sheet: Sheet, press: Press, ident: bytes, pages: Sequence[PageModel] = (),
              text: Sequence[PageText] = (), plan: FontPlan | None = None) -> bytes:
    """The print master of ``frame`` (the PDF WeasyPrint wrote, ``banmian.export.frames``): ``pages``,
    the composed pages it shows, for what the post-pass draws over them (pie wedges) and the record of
what each article printed (``banmian.export.record``, for comparing reprints); ``text``, their
    text layers, drawn with one subset per face of the glyphs they hold (``plan``: made of ``text``
    already, e.g. to share with ``banmian.export.layers``)."""
    steps = []
    if any(text):
        steps.append(text_step(text, plan or plan_fonts(text), sheet.offset))
    wedges = wedge_step(pages, sheet.offset)
    if wedges:
        steps.append(wedges)
    if pages:
        steps.append(record_step(pages))
    return finish_pdf(frame, sheet, press, ident, steps)
