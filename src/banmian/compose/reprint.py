"""Reprint: the modules automatic placement gave the articles of a page, kept for the next build.

Takes: a loaded document, its layout, and each article's box on the page printed before (article id →
x, y, width, height in pt from the trim's top-left: the record banmian keeps in every PDF it writes,
``banmian.export.record``, or the live session's last good page).
Gives: ``keep_modules`` — the document with those articles' modules fixed, as an editor would write
``module: {col, span, line, lines}``, for the articles still in the content whose box lies on this
layout's grid (articles the editor fixed with ``slot:`` or ``module:`` keep theirs); automatic placement
then places only the others — a new article — in the space left. ``None`` when nothing can be kept.

Why: the search chooses the best page for the content as it is, so a correction of a few 字 may tip it
to another arrangement — a reprint that moves every article. Kept modules give the same page with the
new text, or (the caller's choice) a page placed anew when the text no longer fits them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from banmian.source.layout import Layout
from banmian.source.load import Document
from banmian.source.model import Module

Box = tuple[float, float, float, float]
ON_GRID = 0.5  # pt: a box edge this close to a column edge or a grid line is on it


def module_of(box: Box, layout: Layout) -> Module | None:
    """The module whose rectangle is ``box`` on the layout's grid, or ``None`` when it is not one."""
    x, y, w, h = box
    pitch = layout.spec.grid.pitch
    cols = [c for c in range(1, layout.columns + 1) if abs(layout.col_x(c) - x) <= ON_GRID]
    spans = [s for s in range(1, layout.columns + 1) if abs(layout.span_width(s) - w) <= ON_GRID]
    line, lines = round((y - layout.type_top) / pitch) + 1, round(h / pitch)
    if not cols or not spans or abs(layout.line_y(line) - y) > ON_GRID or abs(lines * pitch - h) > ON_GRID:
        return None
    col, span = cols[0], spans[0]
    if lines < 3 or col + span - 1 > layout.columns or line < 1 or line + lines - 1 > layout.lines:
        return None
    return Module(col=col, span=span, line=line, lines=lines)


def keep_modules(doc: Document, layout: Layout, previous: Mapping[str, Box]) -> Document | None:
    """``doc`` with the modules its articles had on the page printed before (see the module docstring)."""
    articles, kept = [], 0
    for art in doc.articles:
        box = previous.get(art.id)
        module = module_of(box, layout) if box is not None else None
        if module is None or art.article.slot is not None or art.article.module is not None:
            articles.append(art)
            continue
        articles.append(dataclasses.replace(art, article=art.article.model_copy(update={"module": module})))
        kept += 1
    return dataclasses.replace(doc, articles=tuple(articles)) if kept else None
