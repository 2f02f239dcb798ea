"""Spreads (通版): two facing pages composed as one canvas, then cut into two plates.

Takes: a ``PageModel`` composed on a layout with ``page.pages: 2`` (one canvas, the fold between the
pages at ``Layout.page_w``), the document and the composer.
Gives: ``finish_spread`` — the canvas with its banner set across the fold (each banner line that would
cross it is split at the glyph boundary nearest the fold, the halves set flush to the inside margins so
no glyph falls into the fold's gutter; a kicker that fits one page sits on the left page against the
fold, a subtitle on the right) and a page number on each page; ``plates`` — two ``PageModel``s on a
one-page layout, each holding only what lies on its page (whole modules, its own halves of the banner
and header, rules clipped to its bleed), shifted into its own trim box, ready to render as a plate.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, TypeVar

from banmian.compose.folio import with_page_numbers
from banmian.compose.page import ArticleBox, Composer, Figure, PageModel, PlacedLine, Rule, SidebarBox
from banmian.core.diagnostics import Diagnostic, error
from banmian.core.units import MM
from banmian.source.layout import Layout, Rect
from banmian.source.load import Document

T = TypeVar("T")


def _extent(pl: PlacedLine) -> tuple[float, float]:
    glyphs = pl.line.glyphs
    if not glyphs or pl.vertical:  # a vertical headline's column: its centre line (glyphs run down)
        return pl.x, pl.x
    return pl.x + glyphs[0].x, pl.x + glyphs[-1].x + glyphs[-1].advance


def _sub_line(pl: PlacedLine, start: int, end: int, x: float) -> PlacedLine:
    """Glyphs ``start:end`` of a placed line, set so that the first glyph begins at ``x``."""
    glyphs = pl.line.glyphs[start:end]
    while glyphs and glyphs[0].text.isspace():
        glyphs = glyphs[1:]
    while glyphs and glyphs[-1].text.isspace():
        glyphs = glyphs[:-1]
    base = glyphs[0].x
    moved = tuple(dataclasses.replace(g, x=g.x - base) for g in glyphs)
    width = moved[-1].x + moved[-1].advance
    line = dataclasses.replace(pl.line, glyphs=moved, width=width, measure=width)
    return PlacedLine(x, pl.y, line, pl.style)


def _split_at(pl: PlacedLine, fold: float) -> int:
    """The glyph boundary to split a line at: a space near the middle if there is one, else the
    boundary nearest the fold."""
    glyphs = pl.line.glyphs
    spaces = [i for i, g in enumerate(glyphs) if g.text.isspace() and 0 < i < len(glyphs) - 1]
    if spaces:
        return min(spaces, key=lambda i: abs(i - len(glyphs) / 2))
    edges = [(abs(pl.x + g.x - fold), i) for i, g in enumerate(glyphs) if i > 0]
    return min(edges)[1]


def fold_banner(page: PageModel, diags: list[Diagnostic]) -> tuple[PlacedLine, ...]:
    lay = page.layout
    fold = lay.page_w
    inside = lay.spec.page.margins.inside * MM
    left_end, right_start = fold - inside, fold + inside
    out: list[PlacedLine] = []
    for pl in page.banner:
        x0, x1 = _extent(pl)
        width = x1 - x0
        if x1 <= left_end or x0 >= right_start:
            out.append(pl)
        elif pl.style != "banner-title" and width <= lay.page_type_width:
            on_left = pl.style == "banner-kicker"
            out.append(_sub_line(pl, 0, len(pl.line.glyphs), left_end - width if on_left else right_start))
        else:
            k = _split_at(pl, fold)
            left = _sub_line(pl, 0, k, 0)
            left = PlacedLine(left_end - left.line.width, pl.y, left.line, pl.style)
            right = _sub_line(pl, k, len(pl.line.glyphs), right_start)
            for half in (left, right):
                a, b = _extent(half)
                if a < lay.type_left - 0.5 or b > lay.type_left + lay.type_width + 0.5:
                    diags.append(error(f"the banner line {pl.text!r} is too wide for the spread once "
                                       "the fold is kept clear", lay.locate("banner"), code="banner",
                                       hint="a shorter banner, or a smaller banner-title size"))
            out += [left, right]
    return tuple(out)


def finish_spread(doc: Document, page: PageModel, c: Composer) -> PageModel:
    """The canvas with its banner kept out of the fold and a page number on each page."""
    diags = list(page.diagnostics)
    banner = fold_banner(page, diags)
    return dataclasses.replace(with_page_numbers(doc, page, c), banner=banner, diagnostics=tuple(diags))


def plate_layout(layout: Layout) -> Layout:
    page = layout.spec.page.model_copy(update={"pages": 1})
    return dataclasses.replace(layout, spec=layout.spec.model_copy(update={"page": page}))


def _side(x: float, fold: float) -> int:
    return 0 if x < fold else 1


def _lines_on(lines: Sequence[PlacedLine], side: int, fold: float, dx: float) -> tuple[PlacedLine, ...]:
    out = []
    for pl in lines:
        a, b = _extent(pl)
        if _side((a + b) / 2, fold) == side:
            out.append(dataclasses.replace(pl, x=pl.x + dx))
    return tuple(out)


def _rect(r: Rect, dx: float) -> Rect:
    return Rect(r.x + dx, r.y, r.w, r.h)


def _rules_on(rules: Sequence[Rule], side: int, lay: Layout, dx: float) -> tuple[Rule, ...]:
    lo = side * lay.page_w - lay.spec.page.bleed * MM
    hi = (side + 1) * lay.page_w + lay.spec.page.bleed * MM
    out = []
    for r in rules:
        x1, x2 = max(min(r.x1, r.x2), lo), min(max(r.x1, r.x2), hi)
        if x2 < x1 or (r.x1 == r.x2 and _side(r.x1, lay.page_w) != side):
            continue
        out.append(Rule(x1 + dx, r.y1, x2 + dx, r.y2, r.weight, r.color))
    return tuple(out)


def shifted(obj: T, dx: float) -> T:
    """A copy of a frozen page element moved ``dx`` pt sideways: every ``x``/``x1``/``x2``/``cx``
    field of it and of the dataclasses and tuples it holds."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if f.name in ("x", "x1", "x2", "cx") and isinstance(value, float | int):
                changes[f.name] = value + dx
            elif dataclasses.is_dataclass(value) or isinstance(value, tuple):
                changes[f.name] = shifted(value, dx)
        return dataclasses.replace(obj, **changes)
    if isinstance(obj, tuple):
        return type(obj)(shifted(v, dx) for v in obj)
    return obj


def _article(art: ArticleBox, dx: float, fold: float) -> ArticleBox:
    figures = tuple(Figure(_rect(f.rect, dx), f.src, f.path, _lines_on(f.caption, _side(f.rect.x, fold),
                                                                      fold, dx)) for f in art.figures)
    sidebar = None
    if art.sidebar is not None:
        sb = art.sidebar
        side = _side(sb.rect.x, fold)
        sidebar = SidebarBox(_rect(sb.rect, dx), _lines_on(sb.title, side, fold, dx),
                             _rect(sb.title_band, dx), _lines_on(sb.lines, side, fold, dx),
                             tuple((x + dx, y) for x, y in sb.bullets), shifted(sb.charts, dx))
    side = _side(art.rect.x, fold)
    rules = tuple(Rule(r.x1 + dx, r.y1, r.x2 + dx, r.y2, r.weight, r.color) for r in art.rules)
    overset_at = (art.overset_at[0] + dx, art.overset_at[1]) if art.overset_at else None
    return dataclasses.replace(art, rect=_rect(art.rect, dx),
                               headline=_lines_on(art.headline, side, fold, dx),
                               body=_lines_on(art.body, side, fold, dx), figures=figures, sidebar=sidebar,
                               rules=rules, overset_at=overset_at, codes=shifted(art.codes, dx))


def plates(page: PageModel) -> tuple[PageModel, PageModel]:
    """The two plates of a spread, each on its own one-page layout and trim box."""
    lay = page.layout
    fold = lay.page_w
    single = plate_layout(lay)
    out = []
    for side in (0, 1):
        dx = -side * lay.page_w
        articles = tuple(_article(a, dx, fold) for a in page.articles if _side(a.rect.x, fold) == side)
        out.append(PageModel(single, _lines_on(page.header, side, fold, dx),
                             _lines_on(page.banner, side, fold, dx), articles,
                             _rules_on(page.rules, side, lay, dx), (),
                             codes=tuple(shifted(c, dx) for c in page.codes
                                         if _side(c.rect.x + c.rect.w / 2, fold) == side),
                             folio=_lines_on(page.folio, side, fold, dx)))
    return out[0], out[1]

