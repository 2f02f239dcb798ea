"""The setter: text in a layout's styles → composed lines, and lines stacked into blocks.

Takes: a ``Layout`` (its type styles), the ``FontSet`` and optionally the ``World``'s chart cache.
Gives: ``Composer`` — paragraphs (justified per the style, cached per process so a rebuild composes
only what changed) and headlines composed by ``banmian.compose.linebreak`` / ``headline`` in the
style's fonts; ``place_block`` stacks lines at the style's leading and aligns them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from banmian.compose.boxes import PlacedLine
from banmian.compose.headline import compose_headline
from banmian.compose.linebreak import Line, Span, TypeSpec, compose_paragraph
from banmian.source.fonts import FontSet
from banmian.source.layout import Layout, Style
from banmian.source.model import InlineSpan
from banmian.source.world import ChartGeometryCache


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
                 size: float | None = None) -> tuple[Line, ...]:
        return compose_headline(list(lines), measure, self.spec(style_name, size=size))


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
