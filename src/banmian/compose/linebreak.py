"""Line breaking and justification of Chinese body text.

Takes: a paragraph as styled ``Span``s, a measure in pt and a ``TypeSpec`` (faces, size, tracking).
Gives: ``Line``s of positioned ``Glyph``s (one per code point, x in pt from the line's left edge), every
line but the last flush at both ends. Rules (clreq): kinsoku, unbroken ``——`` ``……`` numbers and Latin
words, adjacent-pair punctuation compression to 1.5 em, ¼ em Han–Latin spacing, first-line indent,
no 孤字. To fit a line: its line-end mark may go half-width (cheap); marks inside the line may give up
their blank half (push-in: ink-left marks their right half, opening marks their left half, also at line
start); otherwise text moves to the next line and the deficit is spread evenly over the inter-atom gaps
(push-out). A mark trimmed as the first of a pair whose partner went to the next line widens back first.
Latin beside a mark: where a letter's ink reaches out of its cell into the mark's (a bold f's hook over
》, a j's tail under “ — measured from the fonts, not listed), the gap between them opens to
``INK_CLEARANCE_EM``, and a mark's blank half facing a letter is pushed in only if the inks stay that far
apart.

Breaks are chosen by total fit (dynamic programming over break candidates), minimising the sum of
squared added gaps (steeper past 0.15 em) plus penalties (the cost constants below, each with its
reason). The per-code-point measurements (``Prepared``, ``prepare``, ``line_metrics``, ``build_line``)
are shared with ``banmian.compose.headline``.

Conventions: an ASCII space is a glyph of its own, 0.5 em wide next to CJK (the font's space between
two Latin atoms), a legal break after it; at a line end it hangs with set width 0 (never dropped).
A multi-code-point cluster (e.g. the ``——`` ligature of Noto CJK, 1.69 em) puts its whole advance on
its first code point; the others get advance 0 and sit at the cluster's end. 孤字: the last line of a
multi-line paragraph must hold at least two Han characters / letters / digits (punctuation and spaces do
not count); it is penalised like an added gap of ~1 em, so it only survives where avoiding it would
be worse than that (never in ordinary text). A line holding one unbreakable atom cannot be flush.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from banmian.compose.kinsoku import (
    HAN,
    INK_LEFT,
    INK_RIGHT,
    LATIN,
    OTHER,
    PAIR_PUNCT,
    SPACE,
    URL_BREAK_AFTER,
    atoms,
    can_break,
    is_char,
    kind,
)
from banmian.compose.marks import BRACKETS, full_width_cells
from banmian.compose.shaping import FontRef, Shaper, get_shaper

__all__ = ["Glyph", "Line", "Span", "TypeSpec", "compose_paragraph"]

Atoms = list[tuple[int, int, int]]  # kinsoku.atoms: (start, end, kind)

# --- cost model ---------------------------------------------------------------------------------------
# A paragraph's cost is the sum over its lines of LINE_COST + the line's badness + the penalty of the
# break that ends it; ``breaks`` finds the cheapest set of breaks. Badness is measured against spreading:
# a line whose stretchable gaps each widen by s em costs SPREAD_COST · s², so every other cost below is
# given as "costs like a line spread by …".

#: Widening each gap of a line by s em costs SPREAD_COST · s² (0.1 em → 100). Squared: two lines spread
#: by 0.05 em each are better than one by 0.1 em beside one flush by luck.
SPREAD_COST = 1e4
#: Past this added gap (em) spreading costs SPREAD_STEEPER times faster: below it the extra space is
#: hard to see in a newspaper column, above it ideographs start to look letter-spaced.
SPREAD_SOFT_EM = 0.15
SPREAD_STEEPER = 10.0
#: Past this added gap (em) a line is loose and its cost rises LOOSE_STEEPER times faster again, so the
#: total fit never trades one very loose line for several slightly tighter ones.
SPREAD_LOOSE_EM = 0.5
LOOSE_STEEPER = 10.0
#: Push-in (marks inside a line giving up their blank half) by t em each costs PUSH_IN_SHARE ·
#: SPREAD_COST · t², like spreading by 0.32 t em per gap: clreq prefers pushing in to pushing out.
PUSH_IN_SHARE = 0.1
#: Setting a line-end mark half-width costs this per em trimmed: clreq's first choice, so cheap, but
#: not free, so that a line does not end half-width when a full-width end fits as well.
LINE_END_TRIM_COST = 2.0
#: Every line costs this, so that the same text does not take one more line without need.
LINE_COST = 30.0
#: 孤字 (a paragraph's last line holding fewer than two characters) costs like a line spread by ~1 em:
#: it only survives where avoiding it would be worse than that (never in ordinary text).
ORPHAN_COST = 4e5
#: A break inside a long address (after ``/ . - _ ? & = #``) costs like a line spread by 0.2 em: the
#: address may run over lines, but a break between ordinary atoms is preferred.
ADDRESS_BREAK_COST = 400.0
#: A non-final line with nothing to spread (one unbreakable atom) cannot be flush: almost the worst.
UNJUSTIFIABLE_COST = 1e7
#: A break at a kinsoku-prohibited point: taken only when no legal set of breaks exists at all.
PROHIBITED_BREAK_COST = 1e8
#: A line wider than the measure even after every compression: worse than anything legal, and
#: OVERFULL_PER_EM more per em over, so the least overfull of them wins.
OVERFULL_COST = 1e9
OVERFULL_PER_EM = 1e6
#: Starts are searched back to lines SEARCH_WINDOW_EM (or SEARCH_WINDOW_SHARE of the measure, if more)
#: shorter than the measure; shorter lines would need a spread far past SPREAD_LOOSE_EM.
SEARCH_WINDOW_EM = 3.0
SEARCH_WINDOW_SHARE = 0.3
#: If the best way to a break inside the window costs this much (a line spread ~0.6 em), the shorter
#: lines outside it are tried too (a long unbreakable atom may leave nothing better).
WIDE_SEARCH_COST = 5e4
#: A mark narrower than this (em) is not a full-width mark (a Latin comma): never trimmed. A mark of
#: Chinese text set proportional by its face gets a full-width cell first (``banmian.compose.marks``).
FULL_WIDTH_MIN_EM = 0.75
#: Push-in shares a line's squeeze among its marks; up to this much (em) from each it is cheap. More (up
#: to the blank half) costs as much as spreading the line by SPREAD_SOFT_EM (DEEP_PUSH_IN_COST), so it
#: is taken only where the line would otherwise be looser than that: a comma squeezed to 0.67–0.75 em
#: reads as a Latin comma beside full ones on the lines around it.
MAX_PUSH_IN_EM = 0.125
DEEP_PUSH_IN_COST = SPREAD_COST * SPREAD_SOFT_EM ** 2
#: How far (em) a mark's ink may cross its middle and the other half still count as blank.
INK_MIDDLE_TOLERANCE_EM = 0.06
#: Latin ink beside a mark: where a font's own glyphs overlap (a bold f's hook over 》, a j's tail
#: under “) the gap between them is opened to this (em), about the least an ordinary letter leaves; and
#: a mark gives up its blank half towards a Latin glyph only if the two inks stay this far apart.
INK_CLEARANCE_EM = 0.03
EPS = 1e-6
_INF = float("inf")


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of inline text with one style."""

    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """Faces, size in pt, and tracking in em added to every inter-character gap."""

    regular: FontRef
    bold: FontRef | None
    size: float
    tracking: float = 0.0


@dataclass(frozen=True, slots=True)
class Glyph:
    """One code point placed on a line.

    ``x``: pt from the line's left edge where the glyph's origin is drawn; ``advance``: its natural
    advance in the font; ``set_width``: the width it occupies on the line (0.5 em for a compressed mark;
    an opening mark trimmed on the left is drawn at x = cell start - 0.5 em).
    """

    text: str
    x: float
    advance: float
    set_width: float
    bold: bool


@dataclass(frozen=True, slots=True)
class Line:
    """A composed line. ``width`` is the right edge of the last glyph's set box (== measure when
    justified); ``spread`` is the space in pt added to each stretchable gap (0 for natural lines)."""

    glyphs: tuple[Glyph, ...]
    measure: float
    width: float
    last: bool
    indent: float
    spread: float = 0.0

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Per-code-point measurements of one paragraph (all widths in pt; ``prefix_*[i]``: the sum over the
    code points before ``i``)."""

    text: str
    bold: tuple[bool, ...]
    em: float
    advance: tuple[float, ...]  # natural advance
    cell: tuple[float, ...]  # full set width: the advance, or 1 em for a proportional mark of Chinese text
    cell_offset: tuple[float, ...]  # x of the drawing origin in the full cell (flush to the ink side)
    width: tuple[float, ...]  # set width inside a line (after pair compression)
    draw_offset: tuple[float, ...]  # x of the drawing origin from the cell's start
    gap_before: tuple[float, ...]  # fixed space before the glyph (tracking, ¼ em Han–Latin)
    stretchable: tuple[int, ...]  # 1: the boundary before the glyph may take spread
    end_trim: tuple[float, ...]  # trimmable at line end (blank right half of an ink-left mark)
    end_regrow: tuple[float, ...]  # widens back at line end (an ink-left mark trimmed as first of a pair)
    push_in: tuple[float, ...]  # push-in compressible amount (blank half of an untrimmed mark)
    ink_side: tuple[int, ...]  # 1: ink on the left half, -1: on the right half, 0: not compressible
    start_trim: tuple[float, ...]  # left trim of an opening mark (second of a pair; a headline's bracket)
    regain_start: bool  # a trimmed opening mark starting a line widens back (body text; not headlines)
    break_at: tuple[int, ...]  # break candidates: 0, atom starts, len(text)
    break_cost: tuple[float, ...]  # penalty of a break at each candidate
    prefix_width: tuple[float, ...]  # of gap_before + width
    prefix_gaps: tuple[int, ...]  # of stretchable
    prefix_push_in: tuple[float, ...]  # of push_in
    prefix_push_in_marks: tuple[int, ...]  # of marks with push_in > 0
    prefix_chars: tuple[int, ...]  # of characters (the 孤字 rule)


class LineMetrics(NamedTuple):
    """Glyphs ``a:b`` set as one line, before justification (pt)."""

    natural: float  # natural width
    gaps: int  # stretchable gaps
    end_shrink: float  # the line-end mark's trimmable half
    push_in: float  # what marks inside the line may give up
    push_in_marks: int  # how many marks share ``push_in``


# --- measuring a paragraph -----------------------------------------------------------------------------


def _shapers(spec: TypeSpec) -> tuple[Shaper, Shaper]:
    reg = get_shaper(spec.regular)
    return reg, (get_shaper(spec.bold) if spec.bold is not None else reg)


def _advances(text: str, bold: Sequence[bool], spec: TypeSpec, ats: Atoms) -> list[float]:
    """Natural advance of each code point: an atom is shaped as one run per style."""
    em = spec.size
    reg, bld = _shapers(spec)
    advance = [0.0] * len(text)
    for s, e, _k in ats:
        if e - s == 1:
            advance[s] = (bld if bold[s] else reg).advance(text[s], em)
            continue
        i = s
        while i < e:
            j = i + 1
            while j < e and bold[j] == bold[i]:
                j += 1
            advance[i:j] = (bld if bold[i] else reg).advances(text[i:j], em)
            i = j
    return advance


def _ink_side(sh: Shaper, ch: str, cell_em: float, offset_em: float = 0.0) -> int:
    """1: ink on the left half of the cell (right half trimmable); -1: on the right half; 0: not
    compressible. ``offset_em``: where the glyph is drawn in its cell."""
    if cell_em < FULL_WIDTH_MIN_EM:
        return 0
    ext = sh.ink_extent(ch)
    if ext is None:
        return 0
    half = cell_em / 2
    if ch in INK_LEFT and ext[1] + offset_em <= half + INK_MIDDLE_TOLERANCE_EM:
        return 1
    if ch in INK_RIGHT and ext[0] + offset_em >= half - INK_MIDDLE_TOLERANCE_EM:
        return -1
    return 0


def _set_widths(text: str, ats: Atoms, advance: list[float], em: float,
                space_em: float | None) -> list[float]:
    """Set widths before compression: the natural advance, but a space is ``space_em``, or 0.5 em
    next to CJK (the font's own space only between two Latin atoms)."""
    width = advance[:]
    for idx, (s, _e, k) in enumerate(ats):
        if k != SPACE:
            continue
        prev_kind = ats[idx - 1][2] if idx > 0 else -1
        next_kind = ats[idx + 1][2] if idx + 1 < len(ats) else -1
        if space_em is not None:
            width[s] = space_em * em
        elif not (prev_kind == LATIN and next_kind == LATIN):
            width[s] = 0.5 * em
    return width


def _mark_sides(text: str, ats: Atoms, bold: Sequence[bool], spec: TypeSpec, cell: list[float],
                offset: list[float]) -> tuple[list[int], list[float]]:
    """Each full-width mark's ink side (of its cell: ``offset`` is where its glyph is drawn in it), and
    the blank right half an ink-left mark may lose at line end."""
    reg, bld = _shapers(spec)
    ink_side = [0] * len(text)
    end_trim = [0.0] * len(text)
    for s, e, _k in ats:
        c = text[s]
        if c in PAIR_PUNCT and e - s == 1:
            side = _ink_side(bld if bold[s] else reg, c, cell[s] / spec.size, offset[s] / spec.size)
            ink_side[s] = side
            if side == 1:
                end_trim[s] = cell[s] / 2
    return ink_side, end_trim


class _Boundaries(NamedTuple):
    gap_before: list[float]
    stretchable: list[int]
    break_at: list[int]
    break_cost: list[float]


def _boundaries(text: str, ats: Atoms, spec: TypeSpec, han_latin: bool = True) -> _Boundaries:
    """The space before each atom (tracking; ¼ em Han–Latin unless ``han_latin`` is off), whether it may
    stretch, and the break candidates with their penalties (kinsoku; a cheap break inside a long
    address)."""
    n = len(text)
    track = spec.tracking * spec.size
    quarter = 0.25 * spec.size if han_latin else 0.0
    out = _Boundaries([0.0] * n, [0] * n, [0], [0.0])
    for idx in range(1, len(ats)):
        s, k = ats[idx][0], ats[idx][2]
        prev_kind = ats[idx - 1][2]
        out.stretchable[s] = 1
        out.break_at.append(s)
        if prev_kind == LATIN and k == LATIN and text[s - 1] in URL_BREAK_AFTER:
            # inside an address split by kinsoku.url_pieces: a break costs a little; the joint may
            # take spread (a line of address alone is still justified), never tracking
            out.break_cost.append(ADDRESS_BREAK_COST)
            continue
        g = track
        if (prev_kind == HAN and k == LATIN) or (prev_kind == LATIN and k == HAN):
            g += quarter
        elif track < 0 and not (prev_kind == HAN and k == HAN):
            g = 0.0  # negative tracking tightens ideographs only: marks and Latin would touch
        out.gap_before[s] = g
        out.break_cost.append(0.0 if can_break(text[s - 1], text[s]) else PROHIBITED_BREAK_COST)
    out.break_at.append(n)
    out.break_cost.append(0.0)
    return out


def _compress_pairs(text: str, cell: list[float], width: list[float], draw_offset: list[float],
                    ink_side: list[int], end_trim: list[float]) -> tuple[list[float], list[float]]:
    """Adjacent marks take 1.5 em: the first loses its right half if its ink is on the left, else the
    second its left half. Updates ``width``, ``draw_offset`` and ``end_trim`` in place; gives what may
    widen back at line end (a trimmed first) and what is undone at line start (a trimmed second)."""
    n = len(text)
    end_regrow = [0.0] * n
    start_trim = [0.0] * n
    for p in range(n - 1):
        q = p + 1
        if text[p] in PAIR_PUNCT and text[q] in PAIR_PUNCT:
            if ink_side[p] == 1 and end_trim[p] > 0:
                width[p] = cell[p] / 2
                end_trim[p] = 0.0
                end_regrow[p] = cell[p] / 2
            elif ink_side[q] == -1 and start_trim[q] == 0:
                width[q] = cell[q] / 2
                draw_offset[q] -= cell[q] / 2
                start_trim[q] = cell[q] / 2
    return end_regrow, start_trim


def _headline_brackets(text: str, cell: list[float], width: list[float], draw_offset: list[float],
                       ink_side: list[int], end_trim: list[float], start_trim: list[float]) -> None:
    """A headline's quotes and brackets give up their blank half everywhere (标题标点挤压: a full-width
    quote in large type leaves a hole of half an em): closing marks keep their left half, opening marks
    their right half — at a line start too, so that the ink lines up with the line above. In place."""
    for i, ch in enumerate(text):
        if ch not in BRACKETS or width[i] < cell[i] - EPS:
            continue  # not a bracket, or already the trimmed one of a pair
        if ink_side[i] == 1:
            width[i] = cell[i] / 2
            end_trim[i] = 0.0
        elif ink_side[i] == -1:
            width[i] = cell[i] / 2
            draw_offset[i] -= cell[i] / 2
            start_trim[i] = cell[i] / 2


class _Ink:
    """Where the ink of each glyph lies in its cell (as set by pair compression)."""

    def __init__(self, text: str, bold: Sequence[bool], spec: TypeSpec, width: list[float],
                 draw_offset: list[float]) -> None:
        self.text, self.bold, self.em = text, bold, spec.size
        self.shapers = _shapers(spec)
        self.width, self.draw_offset = width, draw_offset

    def _extent(self, i: int) -> tuple[float, float] | None:
        if self.width[i] <= 0:  # a cluster's later code points, a hanging space: no cell of their own
            return None
        return self.shapers[self.bold[i]].ink_extent(self.text[i])

    def left_blank(self, i: int) -> float | None:
        """pt between the cell's left edge and the ink (negative: the ink reaches out); None: no ink."""
        ext = self._extent(i)
        return None if ext is None else self.draw_offset[i] + ext[0] * self.em

    def right_blank(self, i: int) -> float | None:
        """pt between the ink and the cell's right edge (negative: the ink reaches out); None: no ink."""
        ext = self._extent(i)
        return None if ext is None else self.width[i] - self.draw_offset[i] - ext[1] * self.em


def _clear_latin_ink(ats: Atoms, ink: _Ink, gap_before: list[float]) -> None:
    """Where a Latin glyph's ink and a neighbouring mark's would overlap, open the gap between them to
    INK_CLEARANCE_EM (in place)."""
    for idx in range(1, len(ats)):
        s = ats[idx][0]
        if {ats[idx - 1][2], ats[idx][2]} != {LATIN, OTHER}:
            continue
        before, after = ink.right_blank(s - 1), ink.left_blank(s)
        if before is not None and after is not None and before + after < 0:
            gap_before[s] = max(gap_before[s], INK_CLEARANCE_EM * ink.em - (before + after))


def _push_in(text: str, cell: list[float], ink_side: list[int], end_trim: list[float],
             start_trim: list[float], ink: _Ink, gap_before: list[float]) -> list[float]:
    """What each untrimmed full-width mark may give up inside a line: its blank half (``_cost`` prices
    more than MAX_PUSH_IN_EM a mark) — towards a Latin glyph only as much as keeps the inks
    INK_CLEARANCE_EM apart (a j's tail, an f's hook): the half, else MAX_PUSH_IN_EM, else nothing."""
    n = len(text)
    cap = MAX_PUSH_IN_EM * ink.em
    push_in = [cell[i] / 2 if (sd == 1 and end_trim[i] > 0) or (sd == -1 and start_trim[i] == 0)
               else 0.0 for i, sd in enumerate(ink_side)]
    for i, sd in enumerate(ink_side):
        j = i + 1 if sd == 1 else i - 1  # the neighbour the blank half faces
        if not push_in[i] or not 0 <= j < n or kind(text[j]) != LATIN:
            continue
        if sd == 1:
            mark, latin = ink.right_blank(i), ink.left_blank(j)
        else:
            mark, latin = ink.left_blank(i), ink.right_blank(j)
        room = -1.0 if mark is None or latin is None else mark + gap_before[max(i, j)] + latin
        for amount in (push_in[i], min(push_in[i], cap), 0.0):
            if room - amount >= INK_CLEARANCE_EM * ink.em:
                push_in[i] = amount
                break
        else:
            push_in[i] = 0.0
    return push_in


class _PrefixSums(NamedTuple):
    widths: list[float]
    gaps: list[int]
    push_in: list[float]
    push_in_marks: list[int]
    chars: list[int]


def _prefix_sums(text: str, gap_before: list[float], width: list[float], stretchable: list[int],
                 push_in: list[float]) -> _PrefixSums:
    """Prefix sums of width, stretchable gaps, push-in, push-in marks and characters."""
    n = len(text)
    out = _PrefixSums([0.0] * (n + 1), [0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1))
    for i in range(n):
        out.widths[i + 1] = out.widths[i] + gap_before[i] + width[i]
        out.gaps[i + 1] = out.gaps[i] + stretchable[i]
        out.push_in[i + 1] = out.push_in[i] + push_in[i]
        out.push_in_marks[i + 1] = out.push_in_marks[i] + (push_in[i] > 0)
        out.chars[i + 1] = out.chars[i] + is_char(text[i])
    return out


def prepare(text: str, bold: Sequence[bool], spec: TypeSpec, *, space_em: float | None = None,
            headline: bool = False, han_latin: bool = True) -> Prepared:
    """Measure ``text`` and derive what the breaker needs.

    ``space_em``: width of an ASCII space in em; None for the body rule (0.5 em, or the font's space
    between two Latin atoms). ``headline``: quotes and brackets half-width everywhere, a line-start
    opening mark trimmed (its ink lines up with the line above); else (body text) they are full-width
    unless compressed, and a line-start opening mark keeps its full width. ``han_latin``: ¼ em between
    Han and Latin (off in furniture's house style: 2025年6月28日, 第4版).
    """
    ats = atoms(text)
    advance = _advances(text, bold, spec, ats)
    reg, bld = _shapers(spec)
    cell, cell_offset = full_width_cells(text, advance, spec.size,
                                         lambda i: (bld if bold[i] else reg).ink_extent(text[i]))
    width = _set_widths(text, ats, cell, spec.size, space_em)
    ink_side, end_trim = _mark_sides(text, ats, bold, spec, cell, cell_offset)
    bounds = _boundaries(text, ats, spec, han_latin)
    draw_offset = cell_offset[:]
    end_regrow, start_trim = _compress_pairs(text, cell, width, draw_offset, ink_side, end_trim)
    if headline:
        _headline_brackets(text, cell, width, draw_offset, ink_side, end_trim, start_trim)
    ink = _Ink(text, bold, spec, width, draw_offset)
    _clear_latin_ink(ats, ink, bounds.gap_before)
    push_in = _push_in(text, cell, ink_side, end_trim, start_trim, ink, bounds.gap_before)
    sums = _prefix_sums(text, bounds.gap_before, width, bounds.stretchable, push_in)
    return Prepared(text, tuple(bold), spec.size, tuple(advance), tuple(cell), tuple(cell_offset),
                    tuple(width), tuple(draw_offset), tuple(bounds.gap_before), tuple(bounds.stretchable),
                    tuple(end_trim), tuple(end_regrow), tuple(push_in), tuple(ink_side), tuple(start_trim),
                    not headline, tuple(bounds.break_at), tuple(bounds.break_cost), tuple(sums.widths),
                    tuple(sums.gaps), tuple(sums.push_in), tuple(sums.push_in_marks), tuple(sums.chars))


def line_metrics(pp: Prepared, a: int, b: int) -> LineMetrics:
    """Glyphs ``a:b`` set as one line: natural width, stretchable gaps, line-end shrink, push-in shrink
    and its mark count. A trailing space hangs (no width, no gap); an opening mark trimmed as the second
    of a pair gets its left half back when it starts the line."""
    last = b - 1
    regained = pp.start_trim[a] if pp.regain_start else 0.0
    natural = pp.prefix_width[b] - pp.prefix_width[a] - pp.gap_before[a] + regained
    gaps = pp.prefix_gaps[b] - pp.prefix_gaps[a + 1]
    if pp.text[last] == " " and last > a:
        natural -= pp.width[last] + pp.gap_before[last]
        gaps -= pp.stretchable[last]
        end_shrink = 0.0
    else:
        end_shrink = pp.end_trim[last]
    first = min(a + 1, last)  # the line's first glyph gives nothing: a line-start mark is all or none
    return LineMetrics(natural, gaps, end_shrink, pp.prefix_push_in[last] - pp.prefix_push_in[first],
                       pp.prefix_push_in_marks[last] - pp.prefix_push_in_marks[first])


# --- choosing breaks -----------------------------------------------------------------------------------


def _spread_cost(s: float) -> float:
    """Cost of adding ``s`` em to every gap of a line (steeper past the soft and the loose limit)."""
    c = SPREAD_COST * s * s
    if s > SPREAD_SOFT_EM:
        c += SPREAD_COST * SPREAD_STEEPER * (s - SPREAD_SOFT_EM) ** 2
    if s > SPREAD_LOOSE_EM:
        c += SPREAD_COST * SPREAD_STEEPER * LOOSE_STEEPER * (s - SPREAD_LOOSE_EM) ** 2
    return c


def _cost(natural: float, gaps: int, end_shrink: float, push_in: float, marks: int, target: float,
          em: float, final: bool, grow: float = 0.0) -> float:
    """Badness of a line of natural width ``natural`` set to ``target`` (see the cost constants);
    ``grow``: how far a trimmed line-end mark may widen back to full width before gaps are spread."""
    d = target - natural
    if d >= -EPS:
        if final or d <= EPS:
            return 0.0
        if grow > 0:
            g = min(d, grow)
            d -= g
            if d <= EPS:
                return LINE_END_TRIM_COST * g / em
        if gaps > 0:
            return _spread_cost(d / gaps / em)
        return UNJUSTIFIABLE_COST + d
    need = -d
    if need <= end_shrink + EPS:
        return LINE_END_TRIM_COST * need / em
    need -= end_shrink
    c = LINE_END_TRIM_COST * end_shrink / em
    if need <= push_in + EPS:
        t = need / marks / em
        c += SPREAD_COST * PUSH_IN_SHARE * t * t
        return c if t <= MAX_PUSH_IN_EM + EPS else c + DEEP_PUSH_IN_COST
    return OVERFULL_COST + (need - push_in) / em * OVERFULL_PER_EM


class _LineEnd(NamedTuple):
    """A break candidate as the end of a line: the prefix sums up to it (a trailing space removed)."""

    width: float
    gaps: int
    end_shrink: float
    grow: float
    push_in: float
    marks: int


class _TotalFit:
    """The dynamic programme behind ``breaks``: the cheapest set of lines up to each break candidate.

    A line from candidate ``j`` to ``jb`` is measured from prefix sums: what lies before a start is
    precomputed once per candidate (``start_*``), what lies before an end by ``end``.
    """

    def __init__(self, pp: Prepared, measure: float, indent: float) -> None:
        self.pp = pp
        self.measure = measure
        self.first_target = measure - indent
        self.window = max(SEARCH_WINDOW_EM * pp.em, SEARCH_WINDOW_SHARE * measure)
        n = len(pp.text)
        cands = pp.break_at
        regain = pp.start_trim if pp.regain_start else [0.0] * n
        self.start_width = [pp.prefix_width[a] + pp.gap_before[a] - regain[a] if a < n
                            else pp.prefix_width[a] for a in cands]
        self.start_gaps = [pp.prefix_gaps[a + 1] if a < n else pp.prefix_gaps[a] for a in cands]
        # a line's first glyph gives no push-in (see ``line_metrics``)
        self.start_push_in = [pp.prefix_push_in[min(a + 1, n)] for a in cands]
        self.start_marks = [pp.prefix_push_in_marks[min(a + 1, n)] for a in cands]
        self.cand_x = [pp.prefix_width[c] for c in cands]
        self.best = [_INF] * len(cands)
        self.prev = [-1] * len(cands)
        self.best[0] = 0.0

    def end(self, b: int) -> _LineEnd:
        pp = self.pp
        last = b - 1
        width = pp.prefix_width[b]
        gaps = pp.prefix_gaps[b]
        grow = 0.0
        if pp.text[last] == " ":
            width -= pp.width[last] + pp.gap_before[last]
            gaps -= pp.stretchable[last]
            end_shrink = 0.0
        else:
            end_shrink = pp.end_trim[last]
            if b != len(pp.text):
                grow = pp.end_regrow[last]
        return _LineEnd(width, gaps, end_shrink, grow, pp.prefix_push_in[last], pp.prefix_push_in_marks[last])

    def scan(self, starts: range, jb: int, end: _LineEnd, best: float, at: int, *,
             narrowing: bool) -> tuple[float, int]:
        """Try a line from each start in ``starts`` to candidate ``jb``; gives the cheapest way there
        (``best``, ``at``: the best so far). ``narrowing``: ``starts`` run from the shortest line the
        window allows towards longer ones, and the scan stops at the first line that cannot fit."""
        pp = self.pp
        final = pp.break_at[jb] == len(pp.text)
        best_to, em, measure, first_target = self.best, pp.em, self.measure, self.first_target
        start_width, start_gaps, start_push_in, start_marks = (self.start_width, self.start_gaps,
                                                               self.start_push_in, self.start_marks)
        end_width, end_gaps, end_shrink, grow, end_push_in, end_marks = end
        chars_at_end = pp.prefix_chars[len(pp.text)]
        penalty = pp.break_cost[jb] + LINE_COST
        first = starts[0] if starts else 0
        for j in starts:
            target = first_target if j == 0 else measure
            width = end_width - start_width[j]
            push_in = max(0.0, end_push_in - start_push_in[j])
            too_wide = width - end_shrink - push_in > target + EPS
            if narrowing and too_wide and j < first:
                break
            base = best_to[j] + penalty
            if base < best:  # a line costs ≥ 0: a start already as dear as the best cannot beat it
                c = base + _cost(width, end_gaps - start_gaps[j], end_shrink, push_in,
                                 max(0, end_marks - start_marks[j]), target, em, final, grow)
                if final and j > 0 and chars_at_end - pp.prefix_chars[pp.break_at[j]] < 2:
                    c += ORPHAN_COST
                if c < best:
                    best, at = c, j
            if narrowing and too_wide:
                break
        return best, at

    def solve(self, jb: int) -> None:
        """The best start for a line ending at candidate ``jb``: from the latest start whose line is at
        least measure - window wide back until a line cannot fit; if all that is too costly, the
        shorter lines outside the window too."""
        pp = self.pp
        b = pp.break_at[jb]
        final = b == len(pp.text)
        end = self.end(b)
        j0 = jb - 1 if final else min(max(bisect_right(self.cand_x, pp.prefix_width[b] - self.measure
                                                       + self.window, 0, jb) - 1, 0), jb - 1)
        best, at = self.scan(range(j0, -1, -1), jb, end, _INF, -1, narrowing=True)
        if best >= WIDE_SEARCH_COST and not final and j0 + 1 < jb:
            best, at = self.scan(range(j0 + 1, jb), jb, end, best, at, narrowing=False)
        self.best[jb] = best
        self.prev[jb] = at


def breaks(pp: Prepared, measure: float, indent: float) -> list[tuple[int, int]]:
    """Total-fit line breaks: the ``(start, end)`` glyph ranges of the lines."""
    fit = _TotalFit(pp, measure, indent)
    for jb in range(1, len(pp.break_at)):
        fit.solve(jb)
    out: list[tuple[int, int]] = []
    j = len(pp.break_at) - 1
    while j > 0:
        i = fit.prev[j]
        out.append((pp.break_at[i], pp.break_at[j]))
        j = i
    out.reverse()
    return out


# --- setting a line ------------------------------------------------------------------------------------


class _Fit(NamedTuple):
    """How a line meets its target: ``end_cut`` taken off the last glyph (negative: a pair-trimmed
    mark widened back), ``spread`` added to each stretchable gap, ``push_share`` of each mark's push-in."""

    end_cut: float
    spread: float
    push_share: float


def _fit(pp: Prepared, a: int, b: int, target: float, *, last: bool, justify: bool, trim_end: bool) -> _Fit:
    """Compress marks only as far as needed to fit; spread what is left over on a justified line.

    A line-end mark is set full or half width, never in between: its ink then ends exactly at the
    measure (half) or its em box does (full), the two ways a column edge reads as flush.
    """
    m = line_metrics(pp, a, b)
    d = target - m.natural
    spread = 0.0
    cut = m.end_shrink if trim_end else 0.0
    share = 0.0
    if d < -EPS:
        need = -d
        if need <= m.end_shrink + EPS and m.gaps > 0 and justify and not last:
            cut = m.end_shrink  # trim the end mark to half width, spread the little that is left over
            spread = max(0.0, m.end_shrink - need) / m.gaps
        else:
            cut = max(cut, min(m.end_shrink, need))
            need -= cut
            if need > EPS and m.push_in > 0:
                share = min(1.0, need / m.push_in)
    elif d > EPS and justify and not last:
        grow = pp.end_regrow[b - 1] if pp.text[b - 1] != " " else 0.0
        if grow > EPS and (d >= grow - EPS or m.gaps == 0):
            cut = -min(d, grow)  # widen a pair-trimmed line-end mark back to full width first
            d += cut
        if d > EPS and m.gaps > 0:
            spread = d / m.gaps
    return _Fit(cut, spread, share)


def _place(pp: Prepared, a: int, b: int, indent: float, fit: _Fit) -> tuple[list[Glyph], float]:
    """The glyphs ``a:b`` positioned from ``indent`` as ``fit`` says; gives them and the line's right edge."""
    hang = b - 1 if pp.text[b - 1] == " " and b - 1 > a else -1
    cur = indent
    glyphs: list[Glyph] = []
    for k in range(a, b):
        g = 0.0 if k == a else pp.gap_before[k] + (fit.spread if pp.stretchable[k] else 0.0)
        sw = pp.width[k]
        o = pp.draw_offset[k]
        t = pp.push_in[k]
        if k == a:
            t = 0.0  # a line's first glyph gives no push-in
            if pp.start_trim[k] and pp.regain_start:
                sw = pp.cell[k]
                o = pp.cell_offset[k]
        if k == hang:
            g = 0.0
            sw = 0.0
        elif k == b - 1:
            sw -= fit.end_cut
        elif fit.push_share and t:
            t *= fit.push_share
            sw -= t
            if pp.ink_side[k] == -1:
                o -= t
        cell = cur + g
        glyphs.append(Glyph(pp.text[k], cell + o, pp.advance[k], sw, pp.bold[k]))
        cur = cell + sw
    return glyphs, cur


def build_line(pp: Prepared, a: int, b: int, measure: float, indent: float, *, last: bool,
               justify: bool = True, trim_end: bool = False) -> Line:
    """Position glyphs ``a:b``: justified to ``measure`` unless ``last`` or not ``justify``; marks are
    compressed only as far as needed to fit (``trim_end``: always set a line-end mark half-width)."""
    fit = _fit(pp, a, b, measure - indent, last=last, justify=justify, trim_end=trim_end)
    glyphs, right = _place(pp, a, b, indent, fit)
    return Line(tuple(glyphs), measure, right, last, indent, fit.spread)


def compose_paragraph(spans: Sequence[Span], measure: float, spec: TypeSpec, *, indent_em: float = 2.0,
                      justify: bool = True) -> tuple[Line, ...]:
    """Compose one paragraph into lines of width ``measure`` pt (see the module docstring)."""
    text = "".join(s.text for s in spans)
    if not text:
        return ()
    bold: list[bool] = []
    for s in spans:
        bold.extend([s.bold] * len(s.text))
    pp = prepare(text, bold, spec)
    indent = indent_em * spec.size
    ranges = breaks(pp, measure, indent)
    last_i = len(ranges) - 1
    return tuple(build_line(pp, a, b, measure, indent if a == 0 else 0.0, last=i == last_i, justify=justify)
                 for i, (a, b) in enumerate(ranges))
