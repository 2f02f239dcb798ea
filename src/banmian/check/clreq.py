"""The clreq lists the lint judges by — written from clreq, not taken from the composer.

Takes: nothing (constant tables; Unicode categories from ``unicodedata``).
Gives: the line-start and line-end prohibited sets exactly as clreq lists them (no additions), the
opening and closing marks, which half of a full-width mark holds its ink (Simplified Chinese style:
，、。；： and the closing marks on the left, the opening marks on the right), the runs never split across
lines, and ``kind`` / ``is_char`` for telling Han characters, Latin letters and digits, and marks apart.

Kept apart from ``banmian.compose.kinsoku`` on purpose: the lint reads a PDF the composer made, and a
table shared by both would let a wrong composer table pass its own check. tests/test_clreq.py compares
both against the clreq lists (tests/fixtures/clreq-lists.md, an excerpt of the shared reference).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Final

__all__ = [
    "CLOSING",
    "HAN",
    "INK_LEFT",
    "INK_RIGHT",
    "LATIN",
    "LINE_END_PROHIBITED",
    "LINE_START_PROHIBITED",
    "MARK",
    "NEVER_SPLIT_RUNS",
    "OPENING",
    "STOPS",
    "is_char",
    "kind",
]

#: clreq: stops and pauses (never at a line start).
STOPS: Final = frozenset("，。、；：？！‼⁇．")
#: clreq: closing marks (never at a line start).
CLOSING: Final = frozenset("”’）》〉】〗〕］｝」』")
#: clreq: opening marks (never at a line end).
OPENING: Final = frozenset("“‘（《〈【〖〔［｛「『")

LINE_START_PROHIBITED: Final = (
    STOPS
    | CLOSING
    | frozenset("…—")  # ellipsis, the 2 em dash (and a single one)
    | frozenset("·・‧")  # middle dots
    | frozenset("～")
    | frozenset("%‰℃°")  # units
    | frozenset(",.;:?!)]}")  # Latin closing punctuation
)
LINE_END_PROHIBITED: Final = OPENING | frozenset("([{") | frozenset("/／")  # GB style: also the slashes

#: Ink on the left half (Simplified Chinese: the pauses and stops sit bottom-left; the closing marks'
#: blank half follows them). ？！‼⁇ and ． are left out: where their ink sits varies from face to face
#: (centred in Traditional-style faces), so the lint does not take their right half for blank.
INK_LEFT: Final = frozenset("，。、；：") | CLOSING
#: Ink on the right half: the opening marks' blank half precedes them.
INK_RIGHT: Final = OPENING

#: ``——`` and ``……`` are one unit: a line may not end inside one.
NEVER_SPLIT_RUNS: Final = frozenset("—…")

HAN: Final = 0  # ideographs, kana, full-width letters and digits
LATIN: Final = 1  # proportional letters and digits
MARK: Final = 2  # punctuation, symbols, spaces


@functools.lru_cache(maxsize=4096)
def kind(ch: str) -> int:
    """HAN for a wide letter or digit, LATIN for another letter or digit, MARK for anything else."""
    if unicodedata.category(ch)[0] not in "LN":
        return MARK
    return HAN if unicodedata.east_asian_width(ch) in ("W", "F") else LATIN


def is_char(ch: str) -> bool:
    """A "character" in the 孤字 sense: a Han character, letter or digit (not a mark or a space)."""
    return kind(ch) != MARK
