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
from banmian.export.glyphs import plan_fonts
from banmian.export.layers import Layers, layers_of
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
    layers: tuple[Layers, Layers, Layers]  # plate 1, plate 2, the spread proof (``banmian.export.layers``)


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
    plate_size, spread_size = (ri.page_width, ri.page_height), (whole.page_width, whole.page_height)
    texts = [(ri.text[0],), (ri.text[1],), whole.text]
    plans = [plan_fonts(text) for text in texts]  # one subset per face in each file
    ident = [ri.digest() + bytes([0]), ri.digest() + bytes([1]), whole.digest()]
    one, two = (pdf_bytes(frame, plate, press, ident[n], (both[n],), texts[n], plans[n])
                for n, frame in enumerate(pair))
    layers = [layers_of(frame, plate, press, ident[n], (both[n],), texts[n], plate_size, plans[n])
              for n, frame in enumerate(pair)]
    (frame,) = frames(whole, scope or (), pdf_x=press.pdf_x, cache=cache)
    sheet = sheet_for(canvas.layout)
    spread = pdf_bytes(frame, sheet, press, ident[2], (canvas,), whole.text, plans[2])
    layers.append(layers_of(frame, sheet, press, ident[2], (canvas,), whole.text, spread_size, plans[2]))
    return SpreadPDFs((one, two), spread, (layers[0], layers[1], layers[2]))
