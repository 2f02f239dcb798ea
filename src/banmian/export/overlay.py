"""Overlay: vector shapes that HTML/CSS cannot draw in CMYK, laid over the finished PDF pages.

Takes: the composed pages (their pie wedges, in trim space), the trim offset and the layout's CMYK
palette.
Gives: ``wedge_step`` — a step of the post-pass (``banmian.export.postpass.finish_pdf``): each page that
has wedges carries them as vector paths filled with DeviceCMYK
(``k``) colours and separated by paper-white (``0 0 0 0 K``) strokes — drawn by reportlab on a sheet of
the same size (``invariant`` output, so builds stay reproducible) and drawn over the page as a form
XObject under a fixed name (``banmian.export.postpass.overlay``). Without wedges there is no step.

Why a separate pass: WeasyPrint paints inline SVG in RGB and has no CSS primitive for a circular
sector; bars and QR modules are rectangles and stay in the HTML (see ``banmian.compose.charts``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pikepdf

from banmian.compose.charts import Wedge
from banmian.compose.page import PageModel
from banmian.export.postpass import Step, overlay

SEPARATOR = 0.75  # pt, paper-white line between wedges
WEDGES_FORM = "BMWedges"  # the wedges' form in the page resources


def page_wedges(page: PageModel) -> list[Wedge]:
    return [w for art in page.articles if art.sidebar is not None
            for plan in art.sidebar.charts for w in plan.wedges]


def needs_overlay(pages: Sequence[PageModel]) -> bool:
    return any(page_wedges(p) for p in pages)


def _sheet(wedges: Sequence[Wedge], width: float, height: float, offset: float,
           palette: Mapping[str, tuple[float, float, float, float]]) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(width, height), invariant=1, pageCompression=1)
    canvas.setStrokeColorCMYK(0, 0, 0, 0)
    canvas.setLineWidth(SEPARATOR)
    canvas.setLineJoin(1)
    for w in wedges:
        c, m, y, k = (v / 100 for v in palette[w.color])
        canvas.setFillColorCMYK(c, m, y, k)
        cx, cy = offset + w.cx, height - offset - w.cy
        canvas.wedge(cx - w.radius, cy - w.radius, cx + w.radius, cy + w.radius, w.start,
                     w.end - w.start, stroke=1, fill=1)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def wedge_step(pages: Sequence[PageModel], offset: float) -> Step | None:
    """The post-pass step that draws each page's pie wedges over it (``None``: no page has any)."""
    if not needs_overlay(pages):
        return None

    def draw_wedges(pdf: pikepdf.Pdf, registration: pikepdf.Object) -> None:
        for page, target in zip(pages, pdf.pages, strict=False):
            wedges = page_wedges(page)
            if not wedges:
                continue
            box = [float(v) for v in target.mediabox]
            drawing = _sheet(wedges, box[2] - box[0], box[3] - box[1], offset, page.layout.spec.colors)
            form = pdf.make_stream(_wedge_content(drawing), Type=pikepdf.Name.XObject,
                                   Subtype=pikepdf.Name.Form, BBox=box)
            overlay(target, form, WEDGES_FORM)

    return draw_wedges


def _wedge_content(drawing: bytes) -> bytes:
    """The drawing operators of reportlab's page, without its empty text object (``BT /F1 12 Tf … ET``
    names a non-embedded Helvetica; the wedges draw no text): paths in DeviceCMYK, no resources."""
    with pikepdf.open(io.BytesIO(drawing)) as sheet:
        kept, in_text = [], False
        for instruction in pikepdf.parse_content_stream(sheet.pages[0]):
            name = str(instruction.operator)
            in_text = in_text or name == "BT"
            if not in_text:
                kept.append(instruction)
            in_text = in_text and name != "ET"
        return pikepdf.unparse_content_stream(kept)
