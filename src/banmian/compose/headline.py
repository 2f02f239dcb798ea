"""Headline composition: forced lines, balanced breaking of lines that do not fit.

Takes: headline lines (each string a forced line), a measure in pt, a ``TypeSpec``.
Gives: ``Line``s at natural spacing (``last=True``, ``width`` = natural width; the caller centres or
left-aligns them). A line wider than the measure is broken into as few lines as fit, as equal in width
as possible, at permitted break points, preferring a word space, then punctuation, then a boundary
between two words (``banmian.compose.words``), a break inside a word only when nothing else fits; no line
holds a single character. Quotes and brackets are half-width (``compress``; see ``linebreak.prepare``).
An ASCII space is a 1 em word space and a preferred break point; a break there drops the space. A
full-width ink-left mark ending a line is set half-width. Also ``natural_width``.
"""

from __future__ import annotations

from collections.abc import Sequence

from banmian.compose.kinsoku import PUNCT
from banmian.compose.linebreak import (
    PROHIBITED_BREAK_COST,
    Line,
    Prepared,
    TypeSpec,
    build_line,
    line_metrics,
    prepare,
)
from banmian.compose.words import inside_words

__all__ = ["HeadlineTooLongError", "compose_headline", "natural_width"]

SPACE_EM = 1.0
# cost of a split: sum over lines of ((width - mean) / mean)², plus a penalty per break by its kind
PEN_SPACE = 0.0
PEN_PUNCT = 0.05
PEN_PLAIN = 0.3  # between two words
#: inside a word (北碚实 / 验幼儿园): worse than any imbalance of lines (at most 1 per line), so taken
#: only when no break between words lets the lines fit
PEN_INSIDE_WORD = 10.0
MAX_EXTRA_LINES = 3


class HeadlineTooLongError(ValueError):
    """The headline needs more lines than ``max_lines``."""


def _prep(text: str, spec: TypeSpec, compress: bool = True, han_latin: bool = True) -> Prepared:
    return prepare(text, [False] * len(text), spec, space_em=SPACE_EM, headline=compress, han_latin=han_latin)


def _width(pp: Prepared, a: int, b: int) -> float:
    m = line_metrics(pp, a, b)
    return m.natural - m.end_shrink


def natural_width(text: str, spec: TypeSpec) -> float:
    """Width in pt of ``text`` set as one headline line (1 em word spaces, compressed pairs, ¼ em
    Han–Latin, tracking; a line-end ink-left mark half-width)."""
    if not text:
        return 0.0
    return _width(_prep(text, spec), 0, len(text))


def _break_penalty(text: str, b: int, inside: frozenset[int]) -> float:
    """Penalty of ending a line before ``text[b]``: a word space is free, punctuation cheap, a break
    between two words dearer, inside a word (``inside``) dearest."""
    if b == len(text):
        return 0.0
    if text[b - 1] == " ":
        return PEN_SPACE
    if text[b - 1] in PUNCT:
        return PEN_PUNCT
    return PEN_INSIDE_WORD if b in inside else PEN_PLAIN


def _split(pp: Prepared, measure: float, k: int) -> tuple[float, list[tuple[int, int]]] | None:
    """Best split into exactly ``k`` lines fitting ``measure`` (None if impossible)."""
    text = pp.text
    n = len(text)
    cands = [c for c, p in zip(pp.break_at, pp.break_cost, strict=True) if p < PROHIBITED_BREAK_COST]
    target = _width(pp, 0, n) / k
    nc = len(cands)
    inf = float("inf")
    inside = inside_words(text)
    best = [[inf] * nc for _ in range(k + 1)]
    back = [[-1] * nc for _ in range(k + 1)]
    best[0][0] = 0.0
    for li in range(1, k + 1):
        for jb in range(1, nc):
            b = cands[jb]
            if b == n and li != k:
                continue
            end = b - 1 if b < n and text[b - 1] == " " else b  # a word space at the break is dropped
            pen = _break_penalty(text, b, inside)
            for ja in range(jb):
                a = cands[ja]
                if best[li - 1][ja] == inf or end <= a or pp.prefix_chars[end] - pp.prefix_chars[a] < 2:
                    continue  # unreachable, or a line of fewer than two characters
                wd = _width(pp, a, end)
                c = best[li - 1][ja] + ((wd - target) / target) ** 2 + pen
                if wd <= measure + 1e-6 and c < best[li][jb]:
                    best[li][jb] = c
                    back[li][jb] = ja
    if best[k][nc - 1] == inf:
        return None
    out: list[tuple[int, int]] = []
    j = nc - 1
    for li in range(k, 0, -1):
        i = back[li][j]
        out.append((cands[i], cands[j]))
        j = i
    out.reverse()
    return best[k][nc - 1], out


def _compose_one(text: str, measure: float, spec: TypeSpec, compress: bool, han_latin: bool) -> list[Line]:
    if not text:
        return [Line((), measure, 0.0, True, 0.0)]
    pp = _prep(text, spec, compress, han_latin)
    n = len(text)
    whole = _width(pp, 0, n)
    ranges: list[tuple[int, int]] = [(0, n)]
    if whole > measure + 1e-6:
        k0 = max(2, int(whole // measure))
        for k in range(k0, k0 + MAX_EXTRA_LINES + 1):
            got = _split(pp, measure, k)
            if got is not None:
                ranges = got[1]
                break
    lines = []
    for a, b in ranges:
        end = b - 1 if b < n and text[b - 1] == " " else b
        lines.append(build_line(pp, a, end, measure, 0.0, last=True, justify=False, trim_end=True))
    return lines


def compose_headline(lines: Sequence[str], measure: float, spec: TypeSpec, *,
                     max_lines: int | None = None, compress: bool = True,
                     han_latin: bool = True) -> tuple[Line, ...]:
    """Compose headline lines (each a forced line); raise ``HeadlineTooLongError`` past ``max_lines``.

    A forced line that cannot be broken to fit (e.g. too few characters) is returned wider than
    ``measure`` rather than broken illegally.
    """
    out: list[Line] = []
    for text in lines:
        out.extend(_compose_one(text, measure, spec, compress, han_latin))
    if max_lines is not None and len(out) > max_lines:
        raise HeadlineTooLongError(f"headline needs {len(out)} lines at {spec.size:g} pt, max {max_lines}")
    return tuple(out)
