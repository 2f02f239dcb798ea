"""Overlay: vector shapes that HTML/CSS cannot draw in CMYK, laid over the finished PDF pages.

Takes: the PDF bytes WeasyPrint wrote, the composed pages (their pie wedges, in trim space), the trim
offset and the layout's CMYK palette.
Gives: PDF bytes where each page that has wedges carries them as vector paths filled with DeviceCMYK
(``k``) colours and separated by paper-white (``0 0 0 0 K``) strokes — drawn by reportlab on a sheet of
the same size (``invariant`` output, so builds stay reproducible) and drawn over the page as a form
XObject under a fixed name (``banmian.export.postpass.overlay``). Pages without wedges are left
byte-for-byte alone (the whole step is skipped).

Why a separate pass: WeasyPrint paints inline SVG in RGB and has no CSS primitive for a circular
sector; bars and QR modules are rectangles and stay in the HTML (see ``banmian.compose.charts``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from banmian.compose.charts import Wedge
from banmian.compose.page import PageModel
from banmian.export.postpass import overlay

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


def overlay_wedges(data: bytes, pages: Sequence[PageModel], offset: float) -> bytes:
    """Draw every page's pie wedges over the PDF ``data``; returns new bytes."""
    if not needs_overlay(pages):
        return data
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    sources = []
    for page, target in zip(pages, pdf.pages, strict=False):
        wedges = page_wedges(page)
        if not wedges:
            continue
        x0, y0, x1, y1 = (float(v) for v in target.mediabox)
        sheet = pikepdf.open(io.BytesIO(_sheet(wedges, x1 - x0, y1 - y0, offset,
                                               page.layout.spec.colors)))
        _drop_text(sheet)
        sources.append(sheet)
        overlay(target, pdf.copy_foreign(sheet.pages[0].as_form_xobject()), WEDGES_FORM)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    for sheet in sources:
        sheet.close()
    return out.getvalue()


def _drop_text(sheet: Any) -> None:
    """reportlab opens every page with an empty text object (``BT /F1 12 Tf … ET``) that names a
    non-embedded Helvetica: the wedges draw no text, so drop both and nothing unembedded remains."""
    import pikepdf

    page = sheet.pages[0]
    kept, in_text = [], False
    for instruction in pikepdf.parse_content_stream(page):
        name = str(instruction.operator)
        if name == "BT":
            in_text = True
        if not in_text:
            kept.append(instruction)
        if name == "ET":
            in_text = False
    page.Contents = sheet.make_stream(pikepdf.unparse_content_stream(kept))
    if "/Font" in page.Resources:
        del page.Resources["/Font"]
