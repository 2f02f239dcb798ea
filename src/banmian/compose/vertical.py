"""Vertical headlines (竖题): a title group set top to bottom in columns read right to left.

Takes: the group's forced lines (each string one column at most), the length a column may take (pt) and
a ``TypeSpec``.
Gives: ``compose_vertical`` → ``Line``s whose glyphs run down the column: ``Glyph.x`` is the top of the
glyph's cell measured down from the column's top, ``advance``/``set_width`` its length along the column,
``Line.width`` the length the column takes. What the cells hold (clreq, vertical text):
- Han characters, kana and full-width punctuation upright, each in a cell as long as the face's vertical
  advance; the writer draws them with the face's vertical forms (``vert``/``vrt2`` through HarfBuzz, top
  to bottom: ，。、 in the top-right corner, brackets and quotes turned, dashes and ellipses upright);
- one or two Latin letters or digits upright side by side in one em (纵中横, tate-chu-yoko), as one
  cluster (the second character's advance is 0);
- a longer Latin word or number turned 90° clockwise, as one cluster as long as its horizontal advance.
A line longer than the column is broken (as few columns as fit, as even as possible) only where clreq
allows (``kinsoku.can_break``: no column starts with a closing mark or ends with an opening one), never
inside a Latin word or a ``——``/``……`` (each one cluster, shaped whole), and no column holds one
character alone. ``VERTICAL_PAD_EM``: blank between the group and the body beside it, in em of the
title.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from banmian.compose.kinsoku import can_break, is_char
from banmian.compose.linebreak import Glyph, Line, TypeSpec
from banmian.compose.shaping import get_shaper

__all__ = ["UPRIGHT_LATIN", "VERTICAL_PAD_EM", "compose_vertical", "is_turned"]

UPRIGHT_LATIN = 2  # Latin letters or digits up to this many stand upright in one cell (纵中横)
VERTICAL_PAD_EM = 0.5
_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-/:']*")
_UNBROKEN = re.compile(r"—+|…+")


def is_turned(cluster: str) -> bool:
    """A cluster set turned 90° clockwise: a Latin word or number longer than ``UPRIGHT_LATIN``."""
    return len(cluster) > UPRIGHT_LATIN and cluster.isascii()


@dataclass(frozen=True)
class _Cell:
    text: str
    length: float  # pt along the column


def _cells(text: str, spec: TypeSpec) -> list[_Cell]:
    shaper = get_shaper(spec.regular)
    em = spec.size
    out: list[_Cell] = []
    i = 0
    while i < len(text):
        latin = _LATIN_RUN.match(text, i) if text[i].isascii() and text[i] != " " else None
        run = _UNBROKEN.match(text, i)
        if latin is not None:
            word = latin.group()
            length = em if len(word) <= UPRIGHT_LATIN else shaper.advance(word, em)
            out.append(_Cell(word, length))
            i = latin.end()
        elif run is not None and len(run.group()) > 1:
            out.append(_Cell(run.group(), _v_advance(run.group(), spec)))  # one glyph run: ——, ……
            i = run.end()
        elif text[i] == " ":
            out.append(_Cell(" ", em / 2))
            i += 1
        else:
            out.append(_Cell(text[i], _v_advance(text[i], spec)))
            i += 1
    return out


def _v_advance(text: str, spec: TypeSpec) -> float:
    glyphs = get_shaper(spec.regular).glyphs(text, vertical=True)
    units = sum(g.advance for g in glyphs) or get_shaper(spec.regular).upem
    return units * spec.size / get_shaper(spec.regular).upem


def _breakable(cells: Sequence[_Cell], k: int) -> bool:
    """May a column end after cell ``k - 1``?"""
    before, after = cells[k - 1].text, cells[k].text
    if _UNBROKEN.fullmatch(before[-1] + after[0]):
        return False
    return can_break(before[-1], after[0])


def _split(cells: list[_Cell], measure: float) -> list[list[_Cell]]:
    """As few columns as fit, as even as possible, at permitted breaks, none with one character alone."""
    total = sum(c.length for c in cells)
    if total <= measure + 1e-6:
        return [cells]
    columns = math.ceil(total / measure)
    while True:
        target = total / columns
        out: list[list[_Cell]] = []
        start, pos = 0, 0.0
        for k in range(1, len(cells)):
            pos += cells[k - 1].length
            column = sum(c.length for c in cells[start:k])
            if len(out) < columns - 1 and _breakable(cells, k) and column >= target - 1e-6 \
                    and sum(is_char(ch) for c in cells[k:] for ch in c.text) >= 2:
                out.append(cells[start:k])
                start = k
        out.append(cells[start:])
        if all(sum(c.length for c in col) <= measure + 1e-6 for col in out) or columns > len(cells):
            return out
        columns += 1


def _line(cells: Sequence[_Cell], measure: float) -> Line:
    glyphs, y = [], 0.0
    for cell in cells:
        glyphs.append(Glyph(cell.text[0], y, cell.length, cell.length, False))
        glyphs += [Glyph(ch, y + cell.length, 0.0, 0.0, False) for ch in cell.text[1:]]
        y += cell.length
    return Line(tuple(glyphs), measure, y, True, 0.0)


def compose_vertical(lines: Sequence[str], measure: float, spec: TypeSpec) -> tuple[Line, ...]:
    """The columns of a vertical title group's forced ``lines`` (see the module's docstring)."""
    out: list[Line] = []
    for text in lines:
        cells = _cells(text.strip(), spec)
        if cells:
            out += [_line(column, measure) for column in _split(cells, measure)]
    return tuple(out)
