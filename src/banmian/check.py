"""A typographic lint of any PDF (ours, WeasyPrint's, Chromium's): how well its Chinese text is set.

Takes: a PDF path.
Gives: a ``CheckReport`` — kinsoku violations, the share of non-final body lines flush to their
column's right edge (and each line that is not), the widest added gap between two Han characters,
孤字, overfull lines, and every font with whether it is embedded; a human table
(``format_table``), a JSON form with the same numbers (``to_dict``) and ``Diagnostic``s for the
failures (``diagnostics``). Nothing here knows how the PDF was made: everything is reconstructed from
the positioned characters pdfplumber reads, and from the font dictionaries pikepdf reads.

Reconstruction (coordinates in pt, origin at the page's top-left, as pdfplumber gives them):

- Rows: upright characters of one size (to 0.1 pt) on one baseline (the text matrix, to 0.3 pt),
  sorted by x0.
- Lines: a row is cut into lines at column gutters. A gap is measured twice: between glyph boxes
  (``G``) and between ink boxes (``I``: the blank half of a full-width mark removed — ，。、；：and closing
  marks have their ink on the left, opening marks on the right). ``G`` > 0.75 em cuts; so does
  ``I`` > 0.75 em when the next character starts (by glyph or ink) within 0.5 pt of a column start
  already seen on the page (≥ 2 times) — that second case is a gutter narrowed by a half-width mark
  hanging over the column edge or an opening mark trimmed at line start. Gutters narrower than
  0.75 em of the text size are not told apart.
- Blocks: a line joins the block whose last line lies one pitch above it (the first pitch between 0.5
  and 2.5 em, later ones within 0.5 pt of the first) and overlaps it horizontally by at least half the
  shorter line. The block's left edge is the most common ink start of its lines.
- Paragraph-final lines: the last line of a block, or a line followed by one whose ink starts
  ≥ 1.5 em right of the block's left edge (an indent). Indented lines start paragraphs.
- Column right edge: blocks of one size with the same left edge (±0.5 pt) and a similar extent
  (±1.5 em) form a column group. A line's right edge is the x1 of its last non-space character,
  or — when that is a mark with ink on the left, which may be set half-width — x0 + ½ size, whichever
  is smaller. The group's edge is the furthest right edge of its non-final lines that lies within
  1.5 em of the most common one (a ragged column's lines all end short of its true edge, so the mode
  alone would call plain WeasyPrint output flush; lines beyond that are reported as overfull). A
  thin vertical rule in the gutter moves the edge out to its mirror image of the next column's left
  edge (and a ruled column's width carries over to its unruled sibling at the same height).
  A line is flush when either edge (x1, or x0 + ½ size for such a mark) is within 0.5 pt of it.

Metrics (body text = the most common character size on the document):

- flush share: flush non-final body lines / non-final body lines (None when there are none).
- widest added gap: the largest x0(next) − x1(this) between two consecutive Han characters of a body
  line, in em of the size (x1 = x0 + the font's advance, so letter-spacing shows as a gap). Gaps next
  to punctuation (compressed, possibly negative) are not counted; Han–Latin gaps (¼ em is intended)
  are reported apart as ``han_latin_gap_em``; spaces are never counted.
- kinsoku (every size): a line (not para_start, in a block of ≥ 2 lines) starting with a line-start
  prohibited mark, or ending with a line-end prohibited one (the classes of
  ``banmian.compose.kinsoku``); ``——``/``……`` split across two lines; a number split across two lines
  (a digit, or a digit followed by ``.``/``,``, at a line end and a digit at the next line's start).
  Latin words split across lines are not reported (the space a PDF drops at a line end cannot be
  told from a word split).
- 孤字: a paragraph-final body line, not para_start, in a block of ≥ 2 lines, holding exactly one Han
  character / letter / digit (``kinsoku.is_char``), with any punctuation.
- fonts: every font dictionary; embedded when its descriptor (or its descendant's) has
  FontFile/FontFile2/FontFile3. Type3 fonts are listed as such. A font no character is drawn with
  (reportlab lists Helvetica on every page) is listed as unused and does not fail the check.

Failure thresholds (``failures``): any kinsoku violation; any 孤字; flush share below 99.5 %
(``FLUSH_MIN``, tolerance ``FLUSH_TOL`` = 0.5 pt); any font not embedded. ``strict`` adds: widest
added gap above 0.15 em (``GAP_MAX``), any overfull line, any Type3 font.
"""

from __future__ import annotations

import collections
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from banmian.compose.kinsoku import (
    HAN,
    INK_LEFT,
    INK_RIGHT,
    LATIN,
    LINE_END_PROHIBITED,
    LINE_START_PROHIBITED,
    is_char,
    kind,
)
from banmian.diagnostics import Diagnostic, Location, error, warning

__all__ = [
    "FLUSH_MIN",
    "FLUSH_TOL",
    "GAP_MAX",
    "CheckReport",
    "Finding",
    "FontInfo",
    "check_pdf",
]

FLUSH_MIN = 0.995  # share of non-final body lines that must be flush
FLUSH_TOL = 0.5  # pt: a line is flush when its right edge is this close to the column's
GAP_MAX = 0.15  # em: widest added gap between two Han characters (--strict)
CUT_EM = 0.75  # em: a gap this wide between glyphs is a column gutter
INDENT_EM = 1.5  # em: a line starting this far right of the block's left edge starts a paragraph
EDGE_REACH_EM = 1.5  # em: how far past the most common right edge the column edge may lie
DIGITS = frozenset("0123456789０１２３４５６７８９")


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


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or the place of one measurement) on a page."""

    kind: str  # kinsoku-start, kinsoku-end, split-dash, split-number, guzi, ragged, overfull, gap
    page: int  # 1-based
    x: float  # pt from the page's left
    y: float  # pt from the page's top (the line's top)
    text: str  # the line's text
    detail: str = ""

    def where(self) -> str:
        return f"page {self.page}, x {self.x:.1f} pt, y {self.y:.1f} pt"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "page": self.page, "x": round(self.x, 2), "y": round(self.y, 2),
                "text": self.text, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class FontInfo:
    name: str
    subtype: str
    embedded: bool
    type3: bool = False
    used: bool = True  # some text is drawn with it (a font only listed in resources is harmless)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "subtype": self.subtype, "embedded": self.embedded, "type3": self.type3,
                "used": self.used}


@dataclass
class CheckReport:
    path: Path
    pages: int = 0
    body_size: float | None = None
    body_lines: int = 0
    nonfinal_lines: int = 0
    flush_lines: int = 0
    widest_gap_em: float = 0.0
    widest_gap: Finding | None = None
    han_latin_gap_em: float | None = None
    kinsoku: list[Finding] = field(default_factory=list)
    guzi: list[Finding] = field(default_factory=list)
    ragged: list[Finding] = field(default_factory=list)
    overfull: list[Finding] = field(default_factory=list)
    fonts: list[FontInfo] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list, repr=False)  # every reconstructed line

    @property
    def flush_share(self) -> float | None:
        return self.flush_lines / self.nonfinal_lines if self.nonfinal_lines else None

    @property
    def unembedded(self) -> list[FontInfo]:
        return [f for f in self.fonts if f.used and not f.embedded and not f.type3]

    def failures(self, strict: bool = False) -> list[str]:
        """Why the check fails (empty: it passes), one short sentence each."""
        out = []
        if self.kinsoku:
            out.append(f"{len(self.kinsoku)} kinsoku violation(s)")
        if self.guzi:
            out.append(f"{len(self.guzi)} 孤字")
        share = self.flush_share
        if share is not None and share < FLUSH_MIN:
            out.append(f"only {share:.1%} of non-final body lines flush (need ≥ {FLUSH_MIN:.1%})")
        if self.unembedded:
            out.append(f"{len(self.unembedded)} font(s) not embedded: "
                       + ", ".join(f.name for f in self.unembedded))
        if strict:
            if self.widest_gap_em > GAP_MAX + 1e-9:
                out.append(f"widest added gap {self.widest_gap_em:.3f} em (max {GAP_MAX} em)")
            if self.overfull:
                out.append(f"{len(self.overfull)} overfull line(s)")
            type3 = [f.name for f in self.fonts if f.type3 and f.used]
            if type3:
                out.append(f"{len(type3)} Type3 font(s): {', '.join(type3)}")
        return out

    def ok(self, strict: bool = False) -> bool:
        return not self.failures(strict)

    def diagnostics(self, strict: bool = False) -> list[Diagnostic]:
        """One diagnostic per finding that fails the check (errors) or would with --strict."""
        loc = Location(file=self.path)
        diags: list[Diagnostic] = []
        for f in self.kinsoku:
            diags.append(error(f"{f.kind}: {f.detail} in “{f.text}” ({f.where()})", loc, code=f.kind))
        for f in self.guzi:
            diags.append(error(f"孤字: paragraph ends with the line “{f.text}” ({f.where()})", loc,
                               code="guzi"))
        share = self.flush_share
        ragged_severity = error if share is not None and share < FLUSH_MIN else warning
        for f in self.ragged:
            diags.append(ragged_severity(f"ragged: {f.detail}: “{f.text}” ({f.where()})", loc,
                                         code="ragged"))
        for font in self.unembedded:
            diags.append(error(f"font not embedded: {font.name} ({font.subtype})", loc, code="font",
                               hint="embed every font (a printing plant rejects the file otherwise)"))
        strict_sev = error if strict else warning
        for f in self.overfull:
            diags.append(strict_sev(f"overfull: {f.detail}: “{f.text}” ({f.where()})", loc,
                                    code="overfull"))
        if self.widest_gap is not None and self.widest_gap_em > GAP_MAX + 1e-9:
            g = self.widest_gap
            diags.append(strict_sev(f"gap: {g.detail} in “{g.text}” ({g.where()})", loc, code="gap"))
        return diags

    def to_dict(self, strict: bool = False) -> dict[str, Any]:
        share = self.flush_share
        return {
            "path": str(self.path),
            "pages": self.pages,
            "body_size": self.body_size,
            "body_lines": self.body_lines,
            "nonfinal_lines": self.nonfinal_lines,
            "flush_lines": self.flush_lines,
            "flush_share": None if share is None else round(share, 5),
            "widest_gap_em": round(self.widest_gap_em, 4),
            "widest_gap": self.widest_gap.to_dict() if self.widest_gap else None,
            "han_latin_gap_em": None if self.han_latin_gap_em is None else round(self.han_latin_gap_em, 4),
            "kinsoku": [f.to_dict() for f in self.kinsoku],
            "guzi": [f.to_dict() for f in self.guzi],
            "ragged": [f.to_dict() for f in self.ragged],
            "overfull": [f.to_dict() for f in self.overfull],
            "fonts": [f.to_dict() for f in self.fonts],
            "thresholds": {"flush_min": FLUSH_MIN, "flush_tolerance_pt": FLUSH_TOL, "gap_max_em": GAP_MAX},
            "failures": self.failures(strict),
            "ok": self.ok(strict),
        }

    def to_json(self, strict: bool = False) -> str:
        return json.dumps(self.to_dict(strict), ensure_ascii=False, indent=2)

    def format_table(self, strict: bool = False) -> str:
        share = self.flush_share
        emb = sum(1 for f in self.fonts if f.embedded)
        rows = [
            ("pages", str(self.pages), ""),
            ("body size", "-" if self.body_size is None else f"{self.body_size:g} pt", ""),
            ("body lines / non-final", f"{self.body_lines} / {self.nonfinal_lines}", ""),
            ("non-final lines flush", "-" if share is None else
             f"{share:.2%} ({self.flush_lines}/{self.nonfinal_lines})", f"≥ {FLUSH_MIN:.1%}"),
            ("widest added gap (Han–Han)", f"{self.widest_gap_em:.3f} em", f"≤ {GAP_MAX} em (--strict)"),
            ("widest Han–Latin gap", "-" if self.han_latin_gap_em is None else
             f"{self.han_latin_gap_em:.3f} em", "info (¼ em intended)"),
            ("kinsoku violations", str(len(self.kinsoku)), "0"),
            ("孤字", str(len(self.guzi)), "0"),
            ("overfull lines", str(len(self.overfull)), "0 (--strict)"),
            ("fonts embedded", f"{emb}/{len(self.fonts)}", "all"),
        ]
        w0 = max(len(r[0]) for r in rows)
        w1 = max(len(r[1]) for r in rows)
        out = [f"check {self.path}", f"  {'metric':<{w0}}  {'value':<{w1}}  threshold"]
        out += [f"  {a:<{w0}}  {b:<{w1}}  {c}".rstrip() for a, b, c in rows]
        for font in self.fonts:
            state = "Type3" if font.type3 else ("embedded" if font.embedded else "NOT EMBEDDED")
            state += "" if font.used else ", unused"
            out.append(f"    font {font.name} ({font.subtype}): {state}")
        fails = self.failures(strict)
        out.append("result: " + ("ok" if not fails else "FAIL — " + "; ".join(fails)))
        return "\n".join(out)


# --- reconstruction -----------------------------------------------------------------------------------

def _chars(page: Any) -> list[Char]:
    height = float(page.height)
    out = []
    for c in page.chars:
        if not c.get("upright", True) or not c["text"]:
            continue
        matrix = c.get("matrix")
        base = height - float(matrix[5]) if matrix else float(c["bottom"])
        out.append(Char(c["text"], float(c["x0"]), float(c["x1"]), base, float(c["top"]),
                        round(float(c["size"]), 1), str(c.get("fontname", ""))))
    return out


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


def _column_edges(blocks: list[list[Line]], lefts: list[float],
                  rules: Sequence[tuple[float, float, float]]) -> None:
    """Set ``edge`` and ``flush`` on each line of each group of blocks forming one column."""
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
    for g in groups:
        lines = [ln for i in g.members for ln in blocks[i]]
        g.top = min(c.top for ln in lines for c in ln.chars)
        g.bottom = max(ln.base for ln in lines)
        body = [ln for ln in lines if not ln.final]
        if not body:
            continue
        reach = [min(ln.right_edges()) for ln in body]
        mode = _mode(reach)
        g.reach = max(reach)
        # the furthest edge reached by two lines (one line alone past all others is overfull)
        need = 2 if len(reach) >= 4 else 1
        g.edge = max(r for r in reach if r <= mode + EDGE_REACH_EM * g.size + 1e-6
                     and sum(1 for q in reach if abs(q - r) <= FLUSH_TOL) >= need)
        # A column rule halves the gutter: the edge lies as far left of it as the next column starts
        # right of it. Lines all ending on the same whole em (ragged monospaced text) can only be told
        # from a justified column this way.
        for x, r0, r1 in rules:
            if not (g.edge - FLUSH_TOL <= x <= g.edge + 3 * g.size) or \
                    _vertical_overlap(g.top, g.bottom, r0, r1) < 0.5:
                continue
            for h in groups:
                if h.size == g.size and x < h.left <= x + 3 * g.size and \
                        _vertical_overlap(h.top, h.bottom, r0, r1) >= 0.5:
                    by_rule = 2 * x - h.left
                    if by_rule >= g.edge - FLUSH_TOL:
                        g.edge, g.ruled = max(g.edge, by_rule), True
    # columns of one article share a width: a column without a rule on its right (the last) takes the
    # width of a ruled sibling at the same height
    for g in groups:
        if g.edge is None or g.ruled:
            continue
        for h in groups:
            if h.ruled and h.size == g.size and h.edge is not None and \
                    _vertical_overlap(g.top, g.bottom, h.top, h.bottom) >= 0.5 and \
                    abs((h.extent - h.left) - (g.extent - g.left)) <= EDGE_REACH_EM * g.size:
                width = h.edge - h.left
                if g.left + width >= g.edge - FLUSH_TOL:
                    g.edge = max(g.edge, g.left + width)
                    break
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
            page_lines = _split_rows(_rows(_chars(page)), page_no)
            marks = [(float(o["x0"]), float(o["x1"]), float(o["top"]), float(o["bottom"]))
                     for o in (*page.rects, *page.curves)
                     if float(o["x1"]) - float(o["x0"]) >= 0.5
                     and float(o["bottom"]) - float(o["top"]) >= 0.5]
            rules = [((float(o["x0"]) + float(o["x1"])) / 2, float(o["top"]), float(o["bottom"]))
                     for o in (*page.rects, *page.lines)
                     if float(o["x1"]) - float(o["x0"]) <= 1.5 and float(o["bottom"]) - float(o["top"]) >= 20]
            by_size: dict[float, list[Line]] = collections.defaultdict(list)
            for ln in page_lines:
                by_size[ln.size].append(ln)
            for group in by_size.values():
                page_blocks = _blocks(group)
                lefts = [_mark_paragraphs(b, len(blocks) + k, marks) for k, b in enumerate(page_blocks)]
                _column_edges(page_blocks, lefts, rules)
                blocks.extend(page_blocks)
            lines.extend(page_lines)
    return lines, blocks, pages


# --- metrics --------------------------------------------------------------------------------------------

def _finding(kind_: str, line: Line, detail: str = "", x: float | None = None) -> Finding:
    top = min(c.top for c in line.chars)
    return Finding(kind_, line.page, line.x0 if x is None else x, top, line.text.strip(), detail)


def _kinsoku(blocks: list[list[Line]]) -> list[Finding]:
    out = []
    for block in blocks:
        if len(block) < 2:
            continue
        skip_start: set[int] = set()
        for i, line in enumerate(block):
            vis = line.visible
            first, last = line.chars[0].text, vis[-1].text
            nxt = block[i + 1] if i + 1 < len(block) else None
            if nxt is not None and not line.final:
                n0 = nxt.chars[0].text
                if last in "—…" and n0 == last:
                    out.append(_finding("split-dash", line, f"{last * 2} split across lines",
                                        x=vis[-1].x0))
                    skip_start.add(i + 1)
                elif n0 in DIGITS and (last in DIGITS or (last in ".," and len(vis) > 1
                                                          and vis[-2].text in DIGITS)):
                    out.append(_finding("split-number", line, "number split across lines", x=vis[-1].x0))
            if i not in skip_start and not line.para_start and first in LINE_START_PROHIBITED:
                out.append(_finding("kinsoku-start", line, f"line starts with {first}"))
            if last in LINE_END_PROHIBITED:
                out.append(_finding("kinsoku-end", line, f"line ends with {last}", x=vis[-1].x0))
    return out


def _gaps(line: Line) -> tuple[float, Char | None, float | None]:
    """Widest Han–Han added gap (em) and where; widest Han–Latin gap (em) or None."""
    widest, at, latin = 0.0, None, None
    chars = [c for c in line.chars if c.x1 - c.x0 > 0.01 or c.text.isspace()]
    for a, b in itertools.pairwise(chars):
        ka, kb = kind(a.text[0]), kind(b.text[0])
        gap = (b.x0 - a.x1) / a.size
        if ka == HAN and kb == HAN:
            if gap > widest:
                widest, at = gap, a
        elif {ka, kb} == {HAN, LATIN}:
            latin = gap if latin is None else max(latin, gap)
    return widest, at, latin


def fonts_of(pdf_path: Path) -> list[FontInfo]:
    """Every font dictionary in the file, with whether its program is embedded."""
    import pikepdf

    def embedded(font: Any) -> bool:
        desc = font.get("/FontDescriptor")
        return desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))

    out = []
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            subtype = str(obj.get("/Subtype", "?")).lstrip("/")
            if subtype in ("CIDFontType0", "CIDFontType2"):
                continue  # checked through its Type0 parent
            name = str(obj.get("/BaseFont", obj.get("/Name", "?"))).lstrip("/")
            if subtype == "Type3":
                out.append(FontInfo(name, subtype, embedded=True, type3=True))
                continue
            if subtype == "Type0":
                kids: Any = obj.get("/DescendantFonts")
                emb = kids is not None and len(kids) > 0 and all(embedded(k) for k in kids)
            else:
                emb = embedded(obj)
            out.append(FontInfo(name, subtype, emb))
    out.sort(key=lambda f: f.name)
    return out


def check_pdf(pdf_path: str | Path) -> CheckReport:
    """Reconstruct the lines of ``pdf_path`` and measure them (see the module docstring)."""
    path = Path(pdf_path)
    lines, blocks, pages = reconstruct(path)
    used = {c.font for ln in lines for c in ln.chars}
    fonts = [FontInfo(f.name, f.subtype, f.embedded, f.type3, f.name in used) for f in fonts_of(path)]
    report = CheckReport(path=path, pages=pages, lines=lines, fonts=fonts)
    sizes = collections.Counter[float]()
    for ln in lines:
        sizes[ln.size] += sum(1 for c in ln.chars if not c.text.isspace())
    report.kinsoku = _kinsoku(blocks)
    if not sizes:
        return report
    body_size = report.body_size = sizes.most_common(1)[0][0]
    body = [ln for ln in lines if ln.size == body_size]
    report.body_lines = len(body)
    block_len = collections.Counter(ln.block for ln in body)
    for ln in body:
        widest, at, latin = _gaps(ln)
        if at is not None and widest > max(report.widest_gap_em, 0.001):
            report.widest_gap_em = widest
            report.widest_gap = _finding("gap", ln, f"{widest:.3f} em after {at.text}", x=at.x1)
        if latin is not None:
            report.han_latin_gap_em = latin if report.han_latin_gap_em is None else max(
                report.han_latin_gap_em, latin)
        if ln.final:
            if (block_len[ln.block] >= 2 and not ln.para_start
                    and sum(1 for c in ln.chars for ch in c.text if is_char(ch)) == 1):
                report.guzi.append(_finding("guzi", ln, "a paragraph's last line holds one character"))
            continue
        report.nonfinal_lines += 1
        assert ln.edge is not None
        reach = min(ln.right_edges())
        if ln.flush:
            report.flush_lines += 1
        elif reach > ln.edge + FLUSH_TOL:
            report.overfull.append(_finding("overfull", ln, f"{reach - ln.edge:.2f} pt past the column edge "
                                            f"at x {ln.edge:.2f} pt"))
        else:
            report.ragged.append(_finding("ragged", ln, f"{ln.edge - max(ln.right_edges()):.2f} pt short "
                                          f"of the column edge at x {ln.edge:.2f} pt"))
    report.kinsoku.sort(key=lambda f: (f.page, f.y, f.x))
    return report
