"""Running heads (书眉) and page numbers (页码) in the margins, outside the grid.

Takes: a ``Composer`` (layout + fonts), the document's metadata, which page of the canvas (0, or 1 for
the right page of a spread), the page number to print and whether this page carries a running head.
Gives: ``PageFurniture`` — the placed lines (styles ``running-head`` and ``folio``) and the hairline
under the running head, all in trim coordinates of the canvas. Pages with an odd number carry their
number at the right (outer) corner, even pages at the left, unless the layout centres it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from banmian.compose.page import Composer, PageModel, PlacedLine, Rule, place_block
from banmian.core.units import MM
from banmian.source.load import Document


@dataclass(frozen=True)
class PageFurniture:
    lines: tuple[PlacedLine, ...]
    rules: tuple[Rule, ...]


def page_area(c: Composer, canvas_page: int) -> tuple[float, float]:
    """Left edge and width of the type area of page ``canvas_page`` (0 left, 1 right of a spread)."""
    lay = c.layout
    if canvas_page == 0:
        return lay.type_left, lay.page_type_width
    return lay.col_x(lay.spec.grid.columns + 1), lay.page_type_width


def furniture(c: Composer, doc: Document, canvas_page: int, number: int, *,
              running_head: bool) -> PageFurniture:
    lay = c.layout
    spec = lay.spec.folio
    if spec is None:
        return PageFurniture((), ())
    meta = doc.content.meta
    left, width = page_area(c, canvas_page)
    distance = spec.distance * MM
    placed: list[PlacedLine] = []
    rules: list[Rule] = []
    outside_right = number % 2 == 1
    if running_head and spec.running_head:
        style = c.style("running-head")
        y = lay.type_top - distance - style.leading
        date = lay.spec.date_format.format(year=meta.date.year, month=meta.date.month, day=meta.date.day)
        pub = f"{meta.publication}  {meta.issue}".strip()
        info = f"{meta.section}  {date}".strip()
        outer, inner = (info, pub) if outside_right else (pub, info)
        for text, align in ((outer, "right" if outside_right else "left"),
                            (inner, "left" if outside_right else "right")):
            lines = c.headline([text], width / 2, "running-head", han_latin=False)
            x = left + (width / 2 if align == "right" else 0)
            more, _ = place_block(lines, x, y, width / 2, style, "running-head", align)
            placed += more
        rule_y = lay.type_top - distance / 2
        rules.append(Rule(left, rule_y, left + width, rule_y, lay.spec.rules.column_rule or 0.3,
                          lay.spec.rules.color))
    style = c.style("folio")
    grid_bottom = lay.line_y(lay.lines + 1)
    y = grid_bottom + distance
    text = str(number) if spec.align == "outside" else f"— {number} —"
    lines = c.headline([text], width, "folio")
    align = "center" if spec.align == "center" else ("right" if outside_right else "left")
    more, _ = place_block(lines, left, y, width, style, "folio", align)
    placed += more
    return PageFurniture(tuple(placed), tuple(rules))


def with_page_numbers(doc: Document, page: PageModel, c: Composer) -> PageModel:
    """A module page (each page of a spread) with its page number from the content's ``meta.page``
    (the right page of a spread: the next), when the layout has a ``folio``; no running heads (the
    header strip says what they would)."""
    folio: list[PlacedLine] = []
    rules: list[Rule] = list(page.rules)
    for side in range(c.layout.pages):
        furn = furniture(c, doc, side, doc.content.meta.page + side, running_head=False)
        folio += furn.lines
        rules += furn.rules
    return dataclasses.replace(page, folio=(*page.folio, *folio), rules=tuple(rules))
