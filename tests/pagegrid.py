"""Test helper: what a printed page shows on its grid, read from the PDF — holes, body text, headline
sizes, loose lines — independent of the page model that made it.

Takes: a PDF (a page, or one plate of a spread) and the layout whose grid it was set on (column edges and
grid lines: the page's geometry, not the placement).
Gives: ``holes`` — every run of three or more empty grid cells down a column of the type area below the
banner (a cell is a column's width by a grid line; it is filled when a glyph, a picture or a filled box
covers part of it; the cells beside and under a headline, up to the next content to its right, are the
headline's, not a hole); ``body_chars`` — the characters set in the body font; ``title_sizes`` — the
size of each headline line; ``loose_lines`` — lines with a gap between two Han characters wider than
the lint's strict limit.
"""

from __future__ import annotations

import collections
import itertools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber

from banmian.source.layout import Layout

from .pdftext import trim_offset

TITLE_SIZE = 12.0  # pt: glyphs this large or larger belong to a headline group (kicker, title, subtitle)
OVERLAP = 1.0  # pt an element must reach into a cell to fill it
HOLE = 3  # grid lines: an empty run this long is a hole
GAP_EM = 0.15  # the lint's strict limit for an added gap between two Han characters


@dataclass(frozen=True)
class Hole:
    column: int  # 1-based, on the canvas
    first: int  # first empty grid line (1-based)
    lines: int


Element = tuple[float, float, float, float, bool]  # x0, top, x1, bottom, a headline glyph


def _elements(page: Any) -> list[Element]:
    """(x0, top, x1, bottom, is a headline glyph) of every glyph, picture and filled box on the page."""
    out = [(c["x0"], c["top"], c["x1"], c["bottom"], c["size"] >= TITLE_SIZE) for c in page.chars
           if c["text"].strip()]
    out += [(i["x0"], i["top"], i["x1"], i["bottom"], False) for i in page.images]
    for r in (*page.rects, *page.curves):
        if r.get("fill") and r["x1"] - r["x0"] > 2 and r["bottom"] - r["top"] > 2:  # not a rule
            out.append((r["x0"], r["top"], r["x1"], r["bottom"], False))
    return out


def holes(pdf: Path, layout: Layout, side: int = 0) -> list[Hole]:
    """Runs of ``HOLE`` or more empty grid cells down each column of the page (a spread's plate:
    ``side`` 0 left, 1 right) between the banner and the foot of the type area."""
    spec = layout.spec
    columns = range(1 + side * spec.grid.columns, 1 + (side + 1) * spec.grid.columns)
    first = 1 + max(b.line + b.lines - 1 for b in (spec.header, spec.banner) if b is not None)
    rows = range(first, layout.lines + 1)
    pitch = spec.grid.pitch
    off = trim_offset(pdf)
    with pdfplumber.open(pdf) as doc:
        elements = _elements(doc.pages[0])
    left = {c: layout.col_x(c) - side * layout.page_w + off for c in columns}
    top = {r: layout.line_y(r) + off for r in rows}
    width = layout.column_width

    def covers(e: Element, c: int, r: int) -> bool:
        return (min(e[2], left[c] + width) - max(e[0], left[c]) > OVERLAP
                and min(e[3], top[r] + pitch) - max(e[1], top[r]) > OVERLAP)

    filled = {(c, r) for e in elements for c in columns for r in rows if covers(e, c, r)}
    filled |= _headline_space(elements, list(columns), list(rows), left, top, width, pitch)
    out = []
    for c in columns:
        run: list[int] = []
        for r in [*rows, None]:
            if r is not None and (c, r) not in filled:
                run.append(r)
                continue
            if len(run) >= HOLE:
                out.append(Hole(c, run[0], len(run)))
            run = []
    return out


def _headline_space(elements: list[Element], columns: list[int], rows: list[int], left: dict[int, float],
                    top: dict[int, float], width: float, pitch: float) -> set[tuple[int, int]]:
    """The cells of each headline group's rows (from half a line above its first glyph to three below
    its last: the byline and the air under it), from its first column rightwards up to the first
    column past its glyphs with anything else beside them: a headline shorter than its module is not a
    hole."""
    out: set[tuple[int, int]] = set()
    for group in _headline_groups([e for e in elements if e[4]], pitch):
        x0, x1 = min(e[0] for e in group), max(e[2] for e in group)
        y0, y1 = min(e[1] for e in group), max(e[3] for e in group)
        band = [r for r in rows if top[r] + pitch > y0 - pitch / 2 and top[r] < y1 + 3 * pitch]
        if not band or y0 < top[rows[0]] - pitch:  # the banner's, or the header's
            continue
        for c in columns:
            if left[c] + width <= x0 + OVERLAP:
                continue
            if left[c] >= x1 and any(not e[4] and e[2] > left[c] + OVERLAP and e[0] < left[c] + width
                                     and e[3] > y0 and e[1] < y1 + pitch for e in elements):
                break  # the next module's text beside the headline (or its byline)
            out |= {(c, r) for r in band}
    return out


def _headline_groups(glyphs: list[Element], pitch: float) -> list[list[Element]]:
    """Headline glyphs grouped by line (one top), then lines into headline groups: lines starting at
    the same left edge (a module's), each less than two grid lines below the one before."""
    lines: dict[int, list[Element]] = collections.defaultdict(list)
    for g in glyphs:
        lines[round(g[1])].append(g)
    groups: list[list[Element]] = []
    for _, line in sorted(lines.items()):
        for part in _runs(sorted(line), pitch):
            x0 = part[0][0]
            home = next((g for g in groups if abs(min(e[0] for e in g) - x0) < 2
                         and part[0][1] - max(e[3] for e in g) < 2 * pitch), None)
            if home is None:
                groups.append(list(part))
            else:
                home.extend(part)
    return groups


def _runs(line: list[Element], pitch: float) -> list[list[Element]]:
    """One line's glyphs cut where a gap wider than a grid line separates them (two modules' titles)."""
    out = [[line[0]]]
    for a, b in itertools.pairwise(line):
        if b[0] - a[2] > pitch:
            out.append([])
        out[-1].append(b)
    return out


def body_chars(pdf: Path, size: float, body_font: str = "bm-body") -> collections.Counter[str]:
    """The characters set in the body fonts (regular and bold) at the body's size, counted (a glyph of
    several characters, ``——``, counts each)."""
    with pdfplumber.open(pdf) as doc:
        return collections.Counter(ch for page in doc.pages for c in page.chars
                                   if body_font in c["fontname"] and abs(c["size"] - size) < 0.01
                                   for ch in c["text"] if not ch.isspace())


def title_sizes(pdf: Path, below: float) -> list[tuple[float, str]]:
    """(size, text) of each line of headline glyphs more than ``below`` pt under the page's top (the
    type area under the banner), largest first."""
    with pdfplumber.open(pdf) as doc:
        chars = [c for c in doc.pages[0].chars if c["size"] >= TITLE_SIZE and c["top"] > below]
    lines: dict[tuple[float, float], list[Any]] = collections.defaultdict(list)
    for c in chars:
        lines[(round(c["size"], 1), round(c["top"]))].append(c)
    out = [(size, "".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"])))
           for (size, _), cs in lines.items()]
    return sorted(out, key=lambda t: -t[0])


def _han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED")


def loose_lines(report_lines: list[Any], size: float) -> list[str]:
    """Lines of ``size`` (from ``banmian.check.lint.check_pdf``'s reconstruction) with a gap between two
    Han characters wider than ``GAP_EM``."""
    out = []
    for line in report_lines:
        if line.size != size:
            continue
        chars = [c for c in line.chars if c.x1 - c.x0 > 0.01]
        if any(_han(a.text[0]) and _han(b.text[0]) and (b.x0 - a.x1) / a.size > GAP_EM + 1e-9
               for a, b in itertools.pairwise(chars)):
            out.append(line.text)
    return out
