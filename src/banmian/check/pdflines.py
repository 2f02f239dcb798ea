"""PDF → lines of text: reconstructs lines, blocks, paragraphs and column edges from any PDF's
characters, the ground ``banmian.check.lint`` measures on (see that module's docstring for the rules).

Takes: a PDF path (pdfplumber reads the characters, rectangles and rules).
Gives: ``reconstruct`` → every ``Line`` of every page (its ``Char``s, size, baseline, ink start, whether
it starts or ends a paragraph, its column's right edge), the blocks they form, and the page count.
Vertical text (竖题) is found first, in the order the characters are drawn: a run of at least
``VERTICAL_MIN`` upright characters of one size, each centred under the one before (a turned Latin
word between them is passed over), is one ``vertical`` line, and a title group's columns read right to
left form one block; kinsoku is judged on them as on any line, the horizontal metrics are not.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from banmian.check.clreq import INK_LEFT, INK_RIGHT

CUT_EM = 0.75  # em: a gap this wide between glyphs is a column gutter
VERTICAL_MIN = 3  # characters one below the other (stream order) that make a column of vertical text
INDENT_EM = 1.5  # em: a line starting this far right of the block's left edge starts a paragraph
EDGE_REACH_EM = 1.5  # em: how far past the most common right edge the column edge may lie
FLUSH_TOL = 0.5  # pt: a line is flush when its right edge is this close to the column's


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    x1: float
    base: float  # baseline, pt from the page's top
    top: float
    size: float
    font: str

    @property
    def ink0(self) -> float:
        return self.x0 + self.size / 2 if self.text in INK_RIGHT else self.x0

    @property
    def ink1(self) -> float:
        return self.x0 + self.size / 2 if self.text in INK_LEFT else self.x1


@dataclass(slots=True)
class Line:
    page: int
    chars: list[Char]
    size: float
    base: float
    block: int = -1
    final: bool = False
    para_start: bool = False
    flush: bool | None = None
    edge: float | None = None  # the column's right edge, once known
    vertical: bool = False  # a column of vertical text (its characters top to bottom)

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def visible(self) -> list[Char]:
        """The characters without trailing spaces (a space may hang at a line end)."""
        chars = self.chars
        end = len(chars)
        while end > 1 and chars[end - 1].text.isspace():
            end -= 1
        return chars[:end]

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def ink_start(self) -> float:
        return self.chars[0].ink0

    def right_edges(self) -> tuple[float, ...]:
        """x1 of the last visible character, and x0 + ½ size when it may be set half-width."""
        last = self.visible[-1]
        if last.text in INK_LEFT:
            return (last.x1, last.x0 + last.size / 2)
        return (last.x1,)


# --- reconstruction -----------------------------------------------------------------------------------

def _chars(page: Any) -> list[Char | None]:
    """The page's upright characters in the order they are drawn (``None`` where one is turned)."""
    height = float(page.height)
    out: list[Char | None] = []
    for c in page.chars:
        if not c["text"]:
            continue
        if not c.get("upright", True):
            out.append(None)
            continue
        matrix = c.get("matrix")
        base = height - float(matrix[5]) if matrix else float(c["bottom"])
        out.append(Char(c["text"], float(c["x0"]), float(c["x1"]), base, float(c["top"]),
                        round(float(c["size"]), 1), str(c.get("fontname", ""))))
    return out


def _below(a: Char, b: Char, turned: bool) -> bool:
    """Is ``b`` the next character down a vertical column from ``a`` (same size, centred on the same
    line, its baseline 0.3–1.6 em lower; up to 12 em after a turned Latin word)?"""
    em = a.size
    step = b.base - a.base
    return (b.size == em and abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2) <= 0.3 * em
            and 0.3 * em <= step <= (12 if turned else 1.6) * em)


def _vertical_columns(chars: Sequence[Char | None], page_no: int) -> tuple[list[Line], list[Char]]:
    """Columns of vertical text — runs of at least ``VERTICAL_MIN`` characters drawn one below the
    other, centred on one line — and the characters left for horizontal lines."""
    columns: list[Line] = []
    rest: list[Char] = []
    run: list[Char] = []
    turned = False

    def close() -> None:
        if len(run) >= VERTICAL_MIN:
            columns.append(Line(page_no, list(run), run[0].size, run[0].base, vertical=True))
        else:
            rest.extend(run)
        run.clear()

    for c in chars:
        if c is None:
            turned = True
            continue
        if not (run and _below(run[-1], c, turned)):
            close()
        run.append(c)
        turned = False
    close()
    return columns, rest


def _vertical_blocks(columns: list[Line]) -> list[list[Line]]:
    """A title group's columns, right to left: each next column starts at the same top, left of it."""
    blocks: list[list[Line]] = []
    for col in columns:
        last = blocks[-1][-1] if blocks else None
        near = last is not None and abs(col.chars[0].top - last.chars[0].top) <= (last.size + col.size) / 2
        if last is not None and near and col.x1 <= last.x0 + 0.5:
            blocks[-1].append(col)
        else:
            blocks.append([col])
    for block in blocks:
        block[-1].final = True
    return blocks


def _rows(chars: Iterable[Char]) -> list[list[Char]]:
    by_size: dict[float, list[Char]] = collections.defaultdict(list)
    for c in chars:
        by_size[c.size].append(c)
    rows: list[list[Char]] = []
    for group in by_size.values():
        group.sort(key=lambda c: c.base)
        row: list[Char] = []
        for c in group:
            if row and c.base - row[0].base > 0.3:
                rows.append(row)
                row = []
            row.append(c)
        if row:
            rows.append(row)
    for row in rows:
        row.sort(key=lambda c: (c.x0, c.x1))
    return rows


def _starts_within(starts: collections.Counter[float], lo: float, hi: float) -> bool:
    """Is a column start seen at least twice between ``lo`` and ``hi`` (±0.5 pt)?"""
    return any(n >= 2 and lo - 0.5 <= x <= hi + 0.5 for x, n in starts.items())


def _split_rows(rows: list[list[Char]], page_no: int) -> list[Line]:
    """Cut each row into lines at column gutters (see the module docstring)."""
    starts: collections.Counter[float] = collections.Counter()
    for row in rows:
        for a, b in itertools.pairwise(row):
            if b.x0 - a.x1 > CUT_EM * a.size:
                starts[round(b.ink0 * 2) / 2] += 1
        starts[round(row[0].ink0 * 2) / 2] += 1
    lines = []
    for row in rows:
        current = [row[0]]
        for a, b in itertools.pairwise(row):
            em = max(a.size, 0.1)
            cut = b.x0 - a.x1 > CUT_EM * em or (
                b.ink0 - a.ink1 > CUT_EM * em and _starts_within(starts, b.x0, b.ink0))
            if cut:
                lines.append(current)
                current = []
            current.append(b)
        lines.append(current)
    out = []
    for chars in lines:
        while chars and chars[0].text.isspace():
            chars = chars[1:]
        if chars and not all(c.text.isspace() for c in chars):
            out.append(Line(page_no, chars, chars[0].size, chars[0].base))
    return out


def _overlap(a: Line | tuple[float, float], b: Line) -> float:
    """Horizontal overlap of ``b`` with ``a`` (a line, or the x extent of a block), as a share of the
    narrower of the two."""
    ax0, ax1 = (a.x0, a.x1) if isinstance(a, Line) else a
    lo, hi = max(ax0, b.x0), min(ax1, b.x1)
    return max(0.0, hi - lo) / max(1e-6, min(ax1 - ax0, b.x1 - b.x0))


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Stack lines of one size into blocks at a regular pitch (see the module docstring)."""
    blocks: list[list[Line]] = []
    pitch: list[float | None] = []
    for line in sorted(lines, key=lambda ln: (ln.base, ln.x0)):
        best, best_overlap = -1, 0.5
        for i, block in enumerate(blocks):
            last = block[-1]
            d = line.base - last.base
            p = pitch[i]
            ok = (0.5 * line.size < d <= 2.5 * line.size) if p is None else abs(d - p) <= 0.5
            if not ok:
                continue
            # against the block's extent, not its last line: a short paragraph-final line followed by
            # an indented one overlaps it by as little as one em
            ov = _overlap((min(ln.x0 for ln in block), max(ln.x1 for ln in block)), line)
            if ov >= best_overlap:
                best, best_overlap = i, ov
        if best < 0:
            blocks.append([line])
            pitch.append(None)
        else:
            if pitch[best] is None:
                pitch[best] = line.base - blocks[best][-1].base
            blocks[best].append(line)
    return blocks


def _mode(values: Sequence[float], *, largest: bool = True) -> float:
    """The most common value (to 0.1 pt); on a tie the largest (or the smallest)."""
    counts = collections.Counter(round(v, 1) for v in values)
    top = max(counts.values())
    tied = [v for v, n in counts.items() if n == top]
    return max(tied) if largest else min(tied)


BULLETS = frozenset("•●○■□▪▫◆◇►▶※·")


def _marked(line: Line, marks: Sequence[tuple[float, float, float, float]]) -> bool:
    """Does a list mark start the line: a bullet character, or a small graphic just left of it?"""
    if line.chars[0].text in BULLETS:
        return True
    em = line.size
    top = min(c.top for c in line.chars)
    for x0, x1, y0, y1 in marks:
        if (x1 - x0 <= 0.8 * em and y1 - y0 <= 0.8 * em and line.x0 - 1.5 * em <= x0 and x1 <= line.x0 + 0.1
                and top <= (y0 + y1) / 2 <= line.base):
            return True
    return False


def _mark_paragraphs(block: list[Line], index: int,
                     marks: Sequence[tuple[float, float, float, float]]) -> float:
    left = _mode([ln.ink_start for ln in block], largest=False)
    for ln in block:
        ln.block = index
        ln.para_start = ln.ink_start >= left + INDENT_EM * ln.size - 0.01 or _marked(ln, marks)
    for a, b in itertools.pairwise(block):
        a.final = b.para_start
    block[-1].final = True
    return left


@dataclass(slots=True)
class _Column:
    size: float
    left: float
    extent: float
    members: list[int]
    top: float = 0.0
    bottom: float = 0.0
    reach: float = 0.0  # the furthest right edge of a non-final line
    edge: float | None = None
    ruled: bool = False  # edge taken from a column rule


def _vertical_overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0)) / max(1e-6, min(a1 - a0, b1 - b0))


def _group_columns(blocks: list[list[Line]], lefts: list[float]) -> list[_Column]:
    """Blocks of one size with the same left edge (±0.5 pt) and a similar extent form a column."""
    groups: list[_Column] = []
    for i, block in enumerate(blocks):
        size, extent = block[0].size, max(ln.x1 for ln in block)
        for g in groups:
            if (g.size == size and abs(g.left - lefts[i]) <= 0.5
                    and abs(g.extent - extent) <= EDGE_REACH_EM * size):
                g.members.append(i)
                break
        else:
            groups.append(_Column(size, lefts[i], extent, [i]))
    return groups


def _reach_edge(g: _Column, blocks: list[list[Line]]) -> None:
    """The column's extent on the page, and its edge from its lines: the furthest right edge of a
    non-final line near the most common one (reached by two lines; one line alone past all others is
    overfull)."""
    lines = [ln for i in g.members for ln in blocks[i]]
    g.top = min(c.top for ln in lines for c in ln.chars)
    g.bottom = max(ln.base for ln in lines)
    body = [ln for ln in lines if not ln.final]
    if not body:
        return
    reach = [min(ln.right_edges()) for ln in body]
    mode = _mode(reach)
    g.reach = max(reach)
    need = 2 if len(reach) >= 4 else 1
    g.edge = max(r for r in reach if r <= mode + EDGE_REACH_EM * g.size + 1e-6
                 and sum(1 for q in reach if abs(q - r) <= FLUSH_TOL) >= need)


def _rule_edge(g: _Column, groups: list[_Column], rules: Sequence[tuple[float, float, float]],
               grounds: Sequence[tuple[float, float, float, float]] = ()) -> None:
    """A column rule halves the gutter: the edge lies as far left of it as the next column starts
    right of it. Lines all ending on the same whole em (ragged monospaced text) can only be told from a
    justified column this way. Not for text set on a ground (a filled box, a sidebar's tint) that ends
    before the rule: the box's padding, not the gutter, sets that text's edge."""
    if g.edge is None:
        return
    for x, r0, r1 in rules:
        if not (g.edge - FLUSH_TOL <= x <= g.edge + 3 * g.size) or \
                _vertical_overlap(g.top, g.bottom, r0, r1) < 0.5:
            continue
        if any(x0 <= g.left and g.edge <= x1 < x and top <= g.top and g.bottom <= bottom
               for x0, x1, top, bottom in grounds):
            continue
        for h in groups:
            if h.size == g.size and x < h.left <= x + 3 * g.size and \
                    _vertical_overlap(h.top, h.bottom, r0, r1) >= 0.5:
                by_rule = 2 * x - h.left
                if by_rule >= g.edge - FLUSH_TOL:
                    g.edge, g.ruled = max(g.edge, by_rule), True


def _sibling_edge(g: _Column, groups: list[_Column]) -> None:
    """Columns of one article share a width: a column without a rule on its right (the last) takes the
    width of a ruled sibling at the same height."""
    if g.edge is None or g.ruled:
        return
    for h in groups:
        if h.ruled and h.size == g.size and h.edge is not None and \
                _vertical_overlap(g.top, g.bottom, h.top, h.bottom) >= 0.5 and \
                abs((h.extent - h.left) - (g.extent - g.left)) <= EDGE_REACH_EM * g.size:
            width = h.edge - h.left
            if g.left + width >= g.edge - FLUSH_TOL:
                g.edge = max(g.edge, g.left + width)
                return


def _column_edges(blocks: list[list[Line]], lefts: list[float],
                  rules: Sequence[tuple[float, float, float]],
                  grounds: Sequence[tuple[float, float, float, float]] = ()) -> None:
    """Set ``edge`` and ``flush`` on each line of each group of blocks forming one column."""
    groups = _group_columns(blocks, lefts)
    for g in groups:
        _reach_edge(g, blocks)
    for g in groups:  # after every column's extent is known: a rule looks at the column right of it
        _rule_edge(g, groups, rules, grounds)
    for g in groups:
        _sibling_edge(g, groups)
    for g in groups:
        if g.edge is None:
            continue
        for i in g.members:
            for ln in blocks[i]:
                ln.edge = g.edge
                ln.flush = any(abs(e - g.edge) <= FLUSH_TOL for e in ln.right_edges())


def reconstruct(pdf_path: Path) -> tuple[list[Line], list[list[Line]], int]:
    """Every line of every page, the blocks they form, and the number of pages."""
    import pdfplumber

    lines: list[Line] = []
    blocks: list[list[Line]] = []
    with pdfplumber.open(pdf_path) as pdf:
        pages = len(pdf.pages)
        for page_no, page in enumerate(pdf.pages, start=1):
            columns, chars = _vertical_columns(_chars(page), page_no)
            page_lines = _split_rows(_rows(chars), page_no) if chars else []
            marks = [(float(o["x0"]), float(o["x1"]), float(o["top"]), float(o["bottom"]))
                     for o in (*page.rects, *page.curves)
                     if float(o["x1"]) - float(o["x0"]) >= 0.5
                     and float(o["bottom"]) - float(o["top"]) >= 0.5]
            rules = [((float(o["x0"]) + float(o["x1"])) / 2, float(o["top"]), float(o["bottom"]))
                     for o in (*page.rects, *page.lines)
                     if float(o["x1"]) - float(o["x0"]) <= 1.5 and float(o["bottom"]) - float(o["top"]) >= 20]
            grounds = [(float(o["x0"]), float(o["x1"]), float(o["top"]), float(o["bottom"]))
                       for o in page.rects if o.get("fill") and float(o["x1"]) - float(o["x0"]) >= 20
                       and float(o["bottom"]) - float(o["top"]) >= 20]
            by_size: dict[float, list[Line]] = collections.defaultdict(list)
            for ln in page_lines:
                by_size[ln.size].append(ln)
            for group in by_size.values():
                page_blocks = _blocks(group)
                lefts = [_mark_paragraphs(b, len(blocks) + k, marks) for k, b in enumerate(page_blocks)]
                _column_edges(page_blocks, lefts, rules, grounds)
                blocks.extend(page_blocks)
            blocks.extend(_vertical_blocks(columns))
            lines.extend(page_lines)
            lines.extend(columns)
    return lines, blocks, pages
