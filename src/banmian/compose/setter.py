"""The setter: text in a layout's styles → composed lines, and lines stacked into blocks.

Takes: a ``Layout`` (its type styles), the ``FontSet`` and optionally the ``World``'s chart cache.
Gives: ``Composer`` — paragraphs (justified per the style, cached per process so a rebuild composes
only what changed) and headlines composed by ``banmian.compose.linebreak`` / ``headline`` in the
style's fonts; where a style's baseline and em box lie in its line box; ``place_block`` stacks lines
at the style's leading and aligns them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from banmian.compose.boxes import PlacedLine
from banmian.compose.headline import compose_headline
from banmian.compose.linebreak import Line, Span, TypeSpec, compose_paragraph
from banmian.compose.shaping import get_shaper
from banmian.source.fonts import FontSet
from banmian.source.layout import Layout, Style
from banmian.source.model import InlineSpan
from banmian.source.world import ChartGeometryCache

EM_ASCENT = 0.88  # the ideographic em box of the CJK faces: 0.88 em above the baseline, 0.12 em below


class Composer:
    """Composes text in the layout's styles; one per (layout, fonts). ``charts``: where chart sidebars
    keep bar geometry between builds (the ``World``'s; none: laid out afresh)."""

    def __init__(self, layout: Layout, fonts: FontSet, charts: ChartGeometryCache | None = None):
        self.layout = layout
        self.fonts = fonts
        self.charts = charts

    def spec(self, style_name: str, *, size: float | None = None, tracking: float = 0.0) -> TypeSpec:
        style = self.style(style_name)
        bold = self.fonts[style.bold].ref if style.bold else None
        return TypeSpec(regular=self.fonts[style.font].ref, bold=bold, size=size or style.size,
                        tracking=style.tracking + tracking)

    def style(self, name: str) -> Style:
        return self.layout.spec.styles[name]

    def paragraph(self, spans: Sequence[InlineSpan], measure: float, style_name: str, *,
                  tracking: float = 0.0, indent: float | None = None) -> tuple[Line, ...]:
        style = self.style(style_name)
        return _paragraph(tuple(Span(s.text, s.bold) for s in spans), measure,
                          self.spec(style_name, tracking=tracking),
                          style.indent if indent is None else indent, style.align == "justify")

    def headline(self, lines: Sequence[str], measure: float, style_name: str, *,
                 size: float | None = None, compress: bool = True, han_latin: bool = True
                 ) -> tuple[Line, ...]:
        """Short text (headlines, furniture, labels) at natural spacing, broken only between words;
        ``compress``: quotes and brackets half-width (headline style; jump lines in body columns keep
        them full); ``han_latin``: ¼ em between Han and Latin (furniture sets 2025年6月28日 without)."""
        return compose_headline(list(lines), measure, self.spec(style_name, size=size), compress=compress,
                                han_latin=han_latin)

    def baseline_offset(self, style_name: str) -> float:
        """How far below the top of a line box of the style its baseline lies (as CSS sets it: half the
        leading, moved down by half the difference of the face's ascender and descender)."""
        style = self.style(style_name)
        ascender, descender = get_shaper(self.fonts[style.font].ref).extents()
        return style.leading / 2 + (ascender + descender) / 2 * style.size

    def em_box(self, pl: PlacedLine) -> tuple[float, float]:
        """Top and bottom (pt) of the em boxes of a placed line's glyphs: the ideographic em box,
        ``EM_ASCENT`` of the size above the baseline and the rest below."""
        size = self.style(pl.style).size
        base = pl.y + self.baseline_offset(pl.style)
        return base - EM_ASCENT * size, base + (1 - EM_ASCENT) * size


@functools.lru_cache(maxsize=4096)
def _paragraph(spans: tuple[Span, ...], measure: float, spec: TypeSpec, indent: float,
               justify: bool) -> tuple[Line, ...]:
    """Composed paragraphs are kept for the process: a rebuild after a one-paragraph edit (watch,
    serve) composes that paragraph only. Lines are immutable, so sharing them is safe."""
    return compose_paragraph(spans, measure, spec, indent_em=indent, justify=justify)


def place_block(lines: Sequence[Line], x: float, y: float, measure: float, style: Style,
                style_name: str, align: str | None = None) -> tuple[list[PlacedLine], float]:
    """Stack lines from ``y`` down at the style's leading; returns them and the y below the block."""
    placed = []
    how = align or style.align
    for line in lines:
        dx = 0.0
        if how == "center":
            dx = (measure - line.width) / 2
        elif how == "right":
            dx = measure - line.width
        placed.append(PlacedLine(x + dx, y, line, style_name))
        y += style.leading
    return placed, y
