"""Plates of a spread: one canvas → two page PDFs (each with its own boxes and marks) + a spread proof.

Takes: the canvas ``PageModel`` of a two-page layout (``page.pages: 2``), the fonts, the prepared images,
the document metadata and the slug text.
Gives: ``SpreadPDFs`` — the bytes of plate 1 (left page), plate 2 (right page) and the spread proof
(both pages side by side on one sheet, marks around the whole spread and at the fold), and
``spread_paths`` — where they go: ``<output>-p1.pdf``, ``<output>-p2.pdf``, ``<output>-spread.pdf``.
Each plate is rendered from only the elements on its page (``banmian.compose.spread.plates``), so its
text layer holds that page's text and nothing of the facing page, and its fonts only that page's glyphs
(one subset per face in each file). Frames come from ``banmian.export.frames`` (cached).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from banmian.compose.page import PageModel
from banmian.compose.spread import plates
from banmian.export.frames import frames
from banmian.export.pdf import pdf_bytes, sheet_for
from banmian.graphics.photos import PreparedImage
from banmian.graphics.press import Press
from banmian.render.fetch import Origin, Roots
from banmian.render.html import DocInfo, build_html
from banmian.source.fonts import FontSet


@dataclass(frozen=True)
class SpreadPDFs:
    plates: tuple[bytes, bytes]
    spread: bytes


def spread_paths(output: Path) -> tuple[Path, Path, Path]:
    """Plate 1, plate 2 and the spread proof beside ``output`` (whose own name is not written)."""
    stem = output.with_suffix("")
    return (stem.with_name(f"{stem.name}-p1.pdf"), stem.with_name(f"{stem.name}-p2.pdf"),
            stem.with_name(f"{stem.name}-spread.pdf"))


def render_spread(canvas: PageModel, fonts: FontSet, images: Mapping[str, PreparedImage], info: DocInfo,
                  slug_text: str, *, press: Press, proof: bool = False,
                  scope: tuple[Roots, Mapping[str, Origin]] | None = None,
                  cache: Path | None = None) -> SpreadPDFs:
    both = plates(canvas)
    ri = build_html(both, fonts, images, info, slug_text, proof=proof, press=press)
    whole = build_html((canvas,), fonts, images, info, slug_text, proof=proof, press=press)
    plate = sheet_for(both[0].layout)
    pair = frames(ri, scope or (), pdf_x=press.pdf_x, cache=cache, split=True)
    one, two = (pdf_bytes(frame, plate, press, ri.digest() + bytes([n]), (both[n],), (ri.text[n],))
                for n, frame in enumerate(pair))
    (frame,) = frames(whole, scope or (), pdf_x=press.pdf_x, cache=cache)
    spread = pdf_bytes(frame, sheet_for(canvas.layout), press, whole.digest(), (canvas,), whole.text)
    return SpreadPDFs((one, two), spread)
