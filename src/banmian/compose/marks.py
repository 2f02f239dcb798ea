"""Punctuation by role, not by font: full-width cells for the marks of Chinese text.

Takes: a paragraph's text, each code point's natural advance (pt) in its face, the size (1 em, pt) and
the faces' ink extents (a ``Shaper`` per code point).
Gives: ``full_width_cells`` — for every mark of Chinese text whose face draws it proportional (LXGW
WenKai's “ ” ‘ ’ are 0.35 em wide), a full-width cell: set width 1 em, the glyph drawn flush to the
cell's ink side (an opening mark at the cell's right edge, a closing mark or a pause at its left), as
a face's ``fwid`` form would set it. The composer then compresses these marks by the same clreq rules
as any full-width mark: a pair takes 1.5 em, a line-end mark may go half-width.

Why the face's own glyph in a full-width cell, not a glyph of another face: WenKai offers no ``fwid``,
``halt`` or ``locl`` forms (its GSUB has afrc, calt, dlig, frac, liga, salt, subs, sups and vert, whose
vertical quotes are the only other forms), so a full-width glyph would have to come from Noto CJK,
whose heavier teardrop quotes do not match the brush face. Setting the face's own glyph in a full-width
cell gives what an ``fwid`` form would: the same blank half (towards the neighbouring mark or the line's
edge), the same ink side, the same compression — and the text layer, the embedded subsets and the
drawing of glyphs at the composer's x stay as they are.

A mark is in Chinese text when the first character beside it that is not itself a quote — on either
side — is a wide one (a Han character, kana, a full-width mark or letter): ``他说“AI”很好`` sets
“ ” full-width, ``"OK"`` alone stays proportional.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Final

from banmian.compose.kinsoku import CLOSING, INK_LEFT, INK_RIGHT, OPENING

__all__ = ["AMBIGUOUS_MARKS", "BRACKETS", "full_width_cells", "in_chinese_text"]

#: Marks a face may draw proportional or full-width (East Asian Width "ambiguous": the quotes).
AMBIGUOUS_MARKS: Final = frozenset("“”‘’")
#: The marks whose blank half a headline gives up (quotes, brackets, book-title marks).
BRACKETS: Final = OPENING | CLOSING
#: A face's mark narrower than this (em) is proportional (a full-width mark is 1 em).
PROPORTIONAL_EM: Final = 0.75

Ink = Callable[[int], tuple[float, float] | None]  # code point index → ink (left, right) in em


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def in_chinese_text(text: str, i: int) -> bool:
    """Is the mark ``text[i]`` set in Chinese text (see the module docstring)?"""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(text) and text[j] in AMBIGUOUS_MARKS:
            j += step
        if 0 <= j < len(text) and _wide(text[j]):
            return True
    return False


def full_width_cells(text: str, advance: Sequence[float], em: float, ink: Ink
                     ) -> tuple[list[float], list[float]]:
    """Set width and drawing offset (pt from the cell's start) of each code point: a proportional mark
    of Chinese text in a 1 em cell, flush to its ink side; every other code point as its face sets it
    (width = advance, offset 0)."""
    width = list(advance)
    offset = [0.0] * len(text)
    for i, ch in enumerate(text):
        if ch not in INK_LEFT | INK_RIGHT or advance[i] >= PROPORTIONAL_EM * em or advance[i] <= 0:
            continue
        if ink(i) is None or not in_chinese_text(text, i):
            continue
        width[i] = em
        if ch in INK_RIGHT:
            offset[i] = em - advance[i]  # an opening mark's ink faces the text after it
    return width, offset
