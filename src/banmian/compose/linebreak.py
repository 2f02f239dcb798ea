"""Line breaking and justification of Chinese body text.

Takes: a paragraph as styled ``Span``s, a measure in pt and a ``TypeSpec`` (faces, size, tracking).
Gives: ``Line``s of positioned ``Glyph``s (one per code point, x in pt from the line's left edge), every
line but the last flush at both ends. Rules (clreq): kinsoku, unbroken ``——`` ``……`` numbers and Latin
words, adjacent-pair punctuation compression to 1.5 em, ¼ em Han–Latin spacing, first-line indent,
no 孤字. To fit a line: its line-end mark may go half-width (cheap); marks inside the line may give up
their blank half (push-in: ink-left marks their right half, opening marks their left half, also at line
start); otherwise text moves to the next line and the deficit is spread evenly over the inter-atom gaps
(push-out). A mark trimmed as the first of a pair whose partner went to the next line widens back first.

Breaks are chosen by total fit (dynamic programming over break candidates), minimising the sum of
squared added gaps (steeper past 0.15 em) plus penalties. The working arrays (``Prepared``,
``prepare``, ``line_metrics``, ``build_line``) are shared with ``banmian.compose.headline``.

Conventions: an ASCII space is a glyph of its own, 0.5 em wide next to CJK (the font's space between
two Latin atoms), a legal break after it; at a line end it hangs with set width 0 (never dropped).
A multi-code-point cluster (e.g. the ``——`` ligature of Noto CJK, 1.69 em) puts its whole advance on
its first code point; the others get advance 0 and sit at the cluster's end. 孤字: the last line of a
multi-line paragraph must hold at least two Han characters / letters / digits (punctuation and spaces do
not count); it is penalised like an added gap of ~1.5 em, so it only survives where avoiding it would
be worse than that (never in ordinary text). A line holding one unbreakable atom cannot be flush.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from banmian.compose.kinsoku import (
    HAN,
    INK_LEFT,
    INK_RIGHT,
    LATIN,
    PAIR_PUNCT,
    SPACE,
    URL_BREAK_AFTER,
    atoms,
    can_break,
    is_char,
    kind,
)
from banmian.compose.shaping import FontRef, Shaper, get_shaper

__all__ = ["Glyph", "Line", "Span", "TypeSpec", "compose_paragraph"]

EPS = 1e-6
K_SPREAD = 1e4  # cost of an added gap of s em per gap: K * s²  (0.1 em → 100)
K_MID = 0.1  # push-in: compressing marks by t em each costs like spreading by 0.32 t em per gap
SPREAD_SOFT = 0.15  # beyond this added gap (em) the cost rises K_HINGE times faster
K_HINGE = 10.0
SPREAD_LOOSE = 0.5  # beyond this (em) a line is loose: the cost rises K_HINGE times faster again, so
K_LOOSE = 10.0  # the total fit never trades one very loose line for several slightly tighter ones
K_END = 2.0  # cost per em of line-end half-width compression (cheap: push-in is preferred)
LINE_PEN = 30.0  # per line, so the same text does not take an extra line without need
UNJUST = 1e7  # a non-final line with nothing to spread (one unbreakable atom)
EMERGENCY = 1e8  # a break at a prohibited point (only when no legal set of breaks exists)
OVERFULL = 1e9  # a line wider than the measure even after all compression
WIDOW = 4e5  # 孤字: a last line with fewer than two characters (costs like one line spread ~1 em)
URL_BREAK = 400.0  # a break inside a long address: like a line spread by 0.2 em
FALLBACK = 5e4  # if the best way to a break costs this much (a line spread ~0.6 em), try looser lines too


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
    """Per-code-point working arrays of one paragraph (all widths in pt)."""

    text: str
    bold: tuple[bool, ...]
    em: float
    adv: tuple[float, ...]  # natural advance
    w: tuple[float, ...]  # set width inside a line (after pair compression)
    off: tuple[float, ...]  # x offset of the drawing origin from the cell start
    gap: tuple[float, ...]  # fixed space before the glyph (tracking, ¼ em Han–Latin)
    st: tuple[int, ...]  # 1: the boundary before the glyph is a stretchable gap
    es: tuple[float, ...]  # line-end compressible amount (blank right half of an ink-left mark)
    er: tuple[float, ...]  # line-end re-expandable amount (an ink-left mark trimmed as first of a pair)
    ms: tuple[float, ...]  # push-in compressible amount (blank half of any untrimmed mark)
    side: tuple[int, ...]  # 1: ink on the left half, -1: on the right half, 0: not compressible
    lt: tuple[float, ...]  # left trim of an opening mark, undone when it starts a line
    cands: tuple[int, ...]  # break candidates: 0, atom starts, len(text)
    cpen: tuple[float, ...]  # penalty of a break at each candidate
    P: tuple[float, ...]  # prefix sums of gap + w
    S: tuple[int, ...]  # prefix sums of st
    MS: tuple[float, ...]  # prefix sums of ms
    MC: tuple[int, ...]  # prefix counts of ms > 0
    CC: tuple[int, ...]  # prefix counts of characters (孤字 rule)


def _shapers(spec: TypeSpec) -> tuple[Shaper, Shaper]:
    reg = get_shaper(spec.regular)
    return reg, (get_shaper(spec.bold) if spec.bold is not None else reg)


def _ink_side(sh: Shaper, ch: str, adv_em: float) -> int:
    """1: ink on the left half (right half trimmable); -1: on the right half; 0: not compressible."""
    if adv_em < 0.75:
        return 0
    ext = sh.ink_extent(ch)
    if ext is None:
        return 0
    half = adv_em / 2
    if ch in INK_LEFT and ext[1] <= half + 0.06:
        return 1
    if ch in INK_RIGHT and ext[0] >= half - 0.06:
        return -1
    return 0


def prepare(text: str, bold: Sequence[bool], spec: TypeSpec, *, space_em: float | None = None) -> Prepared:
    """Measure ``text`` and derive the arrays the breaker needs.

    ``space_em``: width of an ASCII space in em; None for the body rule (0.5 em, or the font's space
    between two Latin atoms).
    """
    n = len(text)
    em = spec.size
    reg, bld = _shapers(spec)
    ats = atoms(text)
    adv = [0.0] * n
    for s, e, _k in ats:
        if e - s == 1:
            adv[s] = (bld if bold[s] else reg).advance(text[s], em)
            continue
        i = s
        while i < e:
            j = i + 1
            while j < e and bold[j] == bold[i]:
                j += 1
            adv[i:j] = (bld if bold[i] else reg).advances(text[i:j], em)
            i = j
    w = adv[:]
    off = [0.0] * n
    gap = [0.0] * n
    st = [0] * n
    es = [0.0] * n
    er = [0.0] * n
    lt = [0.0] * n
    cands = [0]
    cpen = [0.0]
    track = spec.tracking * em
    quarter = 0.25 * em
    side = [0] * n
    prev_kind = -1
    for idx, (s, _e, k) in enumerate(ats):
        c = text[s]
        if k == SPACE:
            nk = ats[idx + 1][2] if idx + 1 < len(ats) else -1
            if space_em is not None:
                w[s] = space_em * em
            elif not (prev_kind == LATIN and nk == LATIN):
                w[s] = 0.5 * em
        elif c in PAIR_PUNCT and _e - s == 1:
            sd = _ink_side(bld if bold[s] else reg, c, adv[s] / em)
            side[s] = sd
            if sd == 1:
                es[s] = adv[s] / 2
        if s > 0:
            if prev_kind == LATIN and k == LATIN and text[s - 1] in URL_BREAK_AFTER:
                # inside an address split by kinsoku.url_pieces: a break costs a little; the joint may
                # take spread (a line of address alone is still justified), never tracking
                st[s] = 1
                cands.append(s)
                cpen.append(URL_BREAK)
                prev_kind = k
                continue
            g = track
            if (prev_kind == HAN and k == LATIN) or (prev_kind == LATIN and k == HAN):
                g += quarter
            elif track < 0 and not (prev_kind == HAN and k == HAN):
                g = 0.0  # negative tracking tightens ideographs only: marks and Latin would touch
            gap[s] = g
            st[s] = 1
            cands.append(s)
            cpen.append(0.0 if can_break(text[s - 1], c) else EMERGENCY)
        prev_kind = k
    # adjacent pairs: 1.5 em — trim the first's right half if it has ink left, else the second's left
    for p in range(n - 1):
        q = p + 1
        if text[p] in PAIR_PUNCT and text[q] in PAIR_PUNCT:
            if side[p] == 1 and es[p] > 0:
                w[p] = adv[p] / 2
                es[p] = 0.0
                er[p] = adv[p] / 2
            elif side[q] == -1 and lt[q] == 0:
                w[q] = adv[q] / 2
                off[q] = -adv[q] / 2
                lt[q] = adv[q] / 2
    cands.append(n)
    cpen.append(0.0)
    ms = [adv[i] / 2 if (sd == 1 and es[i] > 0) or (sd == -1 and lt[i] == 0) else 0.0
          for i, sd in enumerate(side)]
    for i, sd in enumerate(side):  # the blank half faces Latin (a j or f reaches into it): keep it
        if (sd == -1 and i + 1 < n and kind(text[i + 1]) == LATIN) or (
                sd == 1 and i > 0 and kind(text[i - 1]) == LATIN):
            ms[i] = 0.0
    P = [0.0] * (n + 1)
    S = [0] * (n + 1)
    MS = [0.0] * (n + 1)
    MC = [0] * (n + 1)
    CC = [0] * (n + 1)
    for i in range(n):
        P[i + 1] = P[i] + gap[i] + w[i]
        S[i + 1] = S[i] + st[i]
        MS[i + 1] = MS[i] + ms[i]
        MC[i + 1] = MC[i] + (ms[i] > 0)
        CC[i + 1] = CC[i] + is_char(text[i])
    return Prepared(text, tuple(bold), em, tuple(adv), tuple(w), tuple(off), tuple(gap), tuple(st),
                    tuple(es), tuple(er), tuple(ms), tuple(side), tuple(lt), tuple(cands), tuple(cpen),
                    tuple(P), tuple(S), tuple(MS), tuple(MC), tuple(CC))


def line_metrics(pp: Prepared, a: int, b: int) -> tuple[float, int, float, float, int]:
    """Natural width, stretchable gaps, line-end shrink, push-in shrink and its mark count of
    glyphs ``a:b`` set as one line."""
    last = b - 1
    W = pp.P[b] - pp.P[a] - pp.gap[a] + pp.lt[a]
    ng = pp.S[b] - pp.S[a + 1]
    if pp.text[last] == " " and last > a:
        W -= pp.w[last] + pp.gap[last]
        ng -= pp.st[last]
        esh = 0.0
    else:
        esh = pp.es[last]
    lt = pp.lt[a]
    return W, ng, esh, pp.MS[last] - pp.MS[a] + lt, pp.MC[last] - pp.MC[a] + (lt > 0)


def _cost(W: float, ng: int, esh: float, mid: float, mc: int, target: float, em: float,
          final: bool, grow: float = 0.0) -> float:
    """Badness of a line of natural width W (see the module constants); ``grow``: how far a trimmed
    line-end mark may widen back to full width before gaps are spread."""
    d = target - W
    if d >= -EPS:
        if final or d <= EPS:
            return 0.0
        if grow > 0:
            g = min(d, grow)
            d -= g
            if d <= EPS:
                return K_END * g / em
        if ng > 0:
            s = d / ng / em
            c = K_SPREAD * s * s
            if s > SPREAD_SOFT:
                c += K_SPREAD * K_HINGE * (s - SPREAD_SOFT) ** 2
            if s > SPREAD_LOOSE:
                c += K_SPREAD * K_HINGE * K_LOOSE * (s - SPREAD_LOOSE) ** 2
            return c
        return UNJUST + d
    need = -d
    if need <= esh + EPS:
        return K_END * need / em
    need -= esh
    c = K_END * esh / em
    if need <= mid + EPS:
        t = need / mc / em
        return c + K_SPREAD * K_MID * t * t
    return OVERFULL + (need - mid) / em * 1e6


def breaks(pp: Prepared, measure: float, indent: float) -> list[tuple[int, int]]:
    """Total-fit line breaks: the ``(start, end)`` glyph ranges of the lines."""
    text = pp.text
    n = len(text)
    cands = pp.cands
    cpen = pp.cpen
    P, S, MS, MC, CC = pp.P, pp.S, pp.MS, pp.MC, pp.CC
    gap, lt, w, st, es, er = pp.gap, pp.lt, pp.w, pp.st, pp.es, pp.er
    em = pp.em
    nc = len(cands)
    # start side (a): W = Wb - Pa, ng = Sb - Sa, mid = MSb - MSa, mc = MCb - MCa
    Pa = [P[a] + gap[a] - lt[a] if a < n else P[a] for a in cands]
    Sa = [S[a + 1] if a < n else S[a] for a in cands]
    MSa = [MS[a] - lt[a] if a < n else MS[a] for a in cands]
    MCa = [MC[a] - (lt[a] > 0) if a < n else MC[a] for a in cands]
    inf = float("inf")
    best = [inf] * nc
    prev = [-1] * nc
    best[0] = 0.0
    Pc = [P[c] for c in cands]
    loose = max(3.0 * em, 0.3 * measure)
    first_target = measure - indent
    for jb in range(1, nc):
        b = cands[jb]
        last = b - 1
        final = b == n
        Wb = P[b]
        Sb = S[b]
        grow = 0.0
        if text[last] == " ":
            Wb -= w[last] + gap[last]
            Sb -= st[last]
            esh = 0.0
        else:
            esh = es[last]
            if not final:
                grow = er[last]
        MSb = MS[last]
        MCb = MC[last]
        # the widest start whose line is at least measure - loose wide (the final line may be short)
        j0 = jb - 1 if final else min(max(bisect_right(Pc, P[b] - measure + loose, 0, jb) - 1, 0), jb - 1)
        pen = cpen[jb] + LINE_PEN
        bj = inf
        bp = -1
        j = j0
        while j >= 0:
            target = first_target if j == 0 else measure
            W = Wb - Pa[j]
            mid = MSb - MSa[j]
            too_wide = W - esh - mid > target + EPS
            if too_wide and j < j0:
                break
            bs = best[j]
            if bs < inf:
                c = bs + pen + _cost(W, Sb - Sa[j], esh, mid, MCb - MCa[j], target, em, final, grow)
                if final and j > 0 and CC[n] - CC[cands[j]] < 2:
                    c += WIDOW
                if c < bj:
                    bj, bp = c, j
            if too_wide:
                break
            j -= 1
        if bj >= FALLBACK and not final:
            for j in range(j0 + 1, jb):
                if best[j] < inf:
                    target = first_target if j == 0 else measure
                    c = best[j] + pen + _cost(Wb - Pa[j], Sb - Sa[j], esh, MSb - MSa[j], MCb - MCa[j],
                                              target, em, final, grow)
                    if c < bj:
                        bj, bp = c, j
        best[jb] = bj
        prev[jb] = bp
    out: list[tuple[int, int]] = []
    j = nc - 1
    while j > 0:
        i = prev[j]
        out.append((cands[i], cands[j]))
        j = i
    out.reverse()
    return out


def build_line(pp: Prepared, a: int, b: int, measure: float, indent: float, *, last: bool,
               justify: bool = True, trim_end: bool = False) -> Line:
    """Position glyphs ``a:b``: justified to ``measure`` unless ``last`` or not ``justify``; marks are
    compressed only as far as needed to fit (``trim_end``: always set a line-end mark half-width)."""
    W, ng, esh, mid, _mc = line_metrics(pp, a, b)
    target = measure - indent
    d = target - W
    spread = 0.0
    e = esh if trim_end else 0.0
    midfrac = 0.0
    # A line-end mark is set full or half width, never in between: its ink then ends exactly at the
    # measure (half) or its em box does (full), the two ways a column edge reads as flush.
    if d < -EPS:
        need = -d
        if need <= esh + EPS and ng > 0 and justify and not last:
            e = esh  # trim the end mark to half width, spread the little that is left over
            spread = max(0.0, esh - need) / ng
        else:
            e = max(e, min(esh, need))
            need -= e
            if need > EPS and mid > 0:
                midfrac = min(1.0, need / mid)
    elif d > EPS and justify and not last:
        grow = pp.er[b - 1] if pp.text[b - 1] != " " else 0.0
        if grow > EPS and (d >= grow - EPS or ng == 0):
            e = -min(d, grow)  # widen a pair-trimmed line-end mark back to full width first
            d += e
        if d > EPS and ng > 0:
            spread = d / ng
    text, adv, w, off, gap, st, ms, side = pp.text, pp.adv, pp.w, pp.off, pp.gap, pp.st, pp.ms, pp.side
    bold = pp.bold
    hang = b - 1 if text[b - 1] == " " and b - 1 > a else -1
    cur = indent
    glyphs: list[Glyph] = []
    for k in range(a, b):
        g = 0.0 if k == a else gap[k] + (spread if st[k] else 0.0)
        sw = w[k]
        o = off[k]
        t = ms[k]
        if k == a and pp.lt[k]:
            sw = adv[k]
            o = 0.0
            t = pp.lt[k]
        if k == hang:
            g = 0.0
            sw = 0.0
        elif k == b - 1:
            sw -= e
        elif midfrac and t:
            t *= midfrac
            sw -= t
            if side[k] == -1:
                o -= t
        cell = cur + g
        glyphs.append(Glyph(text[k], cell + o, adv[k], sw, bold[k]))
        cur = cell + sw
    return Line(tuple(glyphs), measure, cur, last, indent, spread)


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
