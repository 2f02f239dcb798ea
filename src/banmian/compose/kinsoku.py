"""Kinsoku: the character classes of Chinese line composition and the split of text into atoms.

Takes: a paragraph's text (no newlines).
Gives: the line-start / line-end prohibited sets exactly as in clreq (plus full-width ``％``; the lint
keeps its own copy in ``banmian.check.clreq`` and tests/test_clreq.py compares both with clreq), the
ink-side classes of full-width punctuation used for compression, a per-character spacing kind, and
``atoms(text)`` — the unbreakable units of a paragraph (one Han character or mark; a run of ``—`` or
``…``; a Latin word or number such as ``1,268`` ``41.5%`` ``1+X+N``), with ``can_break`` telling
whether a line may break between two neighbouring atoms.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Final

__all__ = [
    "HAN",
    "INK_LEFT",
    "INK_RIGHT",
    "LATIN",
    "LINE_END_PROHIBITED",
    "LINE_START_PROHIBITED",
    "OTHER",
    "PAIR_PUNCT",
    "PUNCT",
    "SPACE",
    "atoms",
    "can_break",
    "is_char",
    "kind",
]

# --- clreq "Line-start prohibited" (never the first character of a line) ---------------------------
CLOSING: Final = frozenset("”’）》〉】〗〕］｝」』")
LINE_START_PROHIBITED: Final = frozenset(
    "，。、；：？！‼⁇．"  # stops and pauses
    "”’）》〉】〗〕］｝」』"  # closing marks
    "…—"  # ellipsis and dash (single, or the first of `……` / `——`)
    "·・‧"  # middle dots
    "～"
    "%‰℃°％"  # units; full-width ％ added on purpose: the same unit as %, which clreq lists
    ",.;:?!)]}"  # Latin closing punctuation
)

# --- clreq "Line-end prohibited" (never the last character of a line) -------------------------------
OPENING: Final = frozenset("“‘（《〈【〖〔［｛「『")
LINE_END_PROHIBITED: Final = frozenset("“‘（《〈【〖〔［｛「『([{/／")

# --- compression: which half of a full-width mark is blank -----------------------------------------
#: Ink on the left half: the right half may be trimmed (pairs, line end, push-in).
INK_LEFT: Final = frozenset("，。、；：") | CLOSING
#: Ink on the right half: the left half may be trimmed (second of a pair).
INK_RIGHT: Final = OPENING
#: Marks that form a compressible "adjacent pair" (？！ take part but are never trimmed themselves: a
#: sentence's end keeps its full em, as in mainland newspaper practice).
PAIR_PUNCT: Final = INK_LEFT | INK_RIGHT | frozenset("？！")
#: Everything counted as punctuation (not a "character") for the 孤字 rule.
PUNCT: Final = PAIR_PUNCT | LINE_START_PROHIBITED | LINE_END_PROHIBITED | frozenset("—…·～")

# --- spacing kinds ----------------------------------------------------------------------------------
HAN: Final = 0  # ideographs, kana, full-width letters/digits: 1 em, ¼ em from Latin
LATIN: Final = 1  # Latin/Greek/Cyrillic letters and digits: proportional, never letter-spaced
OTHER: Final = 2  # punctuation, symbols, dashes, ellipses
SPACE: Final = 3  # U+0020

#: ASCII characters allowed *inside* a Latin word or number (``1,268`` ``41.5`` ``1+X+N`` ``10:30``).
_JOINERS: Final = frozenset("+.,-/:'@_&#")
#: Characters that may end a Latin word or number (``25%``).
_TRAILERS: Final = frozenset("%‰")


@functools.lru_cache(maxsize=8192)
def kind(ch: str) -> int:
    """The spacing kind of one code point (HAN, LATIN, OTHER or SPACE)."""
    if ch == " ":
        return SPACE
    if ch in PUNCT:
        return OTHER
    cat = unicodedata.category(ch)
    if cat[0] in "LN":
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            return HAN
        return LATIN
    return OTHER


@functools.lru_cache(maxsize=8192)
def _combining(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("Mn", "Me", "Mc") or ch in "\u200d\ufe0e\ufe0f" or 0xFE00 <= ord(ch) <= 0xFE0F \
        or 0xE0100 <= ord(ch) <= 0xE01EF


def is_char(ch: str) -> bool:
    """True for a "character" in the 孤字 sense: a Han character, letter or digit (not a mark/space)."""
    return kind(ch) in (HAN, LATIN)


def _latin_end(text: str, i: int) -> int:
    """End of the Latin word or number starting at ``i``: letters and digits, inner joiners when a
    letter or digit follows them, and one trailing ``%``/``‰``."""
    n = len(text)
    j = i + 1
    while j < n:
        cj = text[j]
        if kind(cj) == LATIN or _combining(cj):
            j += 1
        elif cj in _JOINERS:
            m = j
            while m < n and text[m] in _JOINERS:
                m += 1
            if m < n and kind(text[m]) == LATIN:
                j = m
            else:
                break
        else:
            if cj in _TRAILERS:
                j += 1
            break
    return j


def _atom_end(text: str, i: int) -> int:
    """End of the atom starting at ``i`` (before the combining marks that follow it)."""
    c = text[i]
    if kind(c) == LATIN:
        return _latin_end(text, i)
    j = i + 1
    if c in "—…":
        while j < len(text) and text[j] == c:
            j += 1
    return j


def atoms(text: str) -> list[tuple[int, int, int]]:
    """Split ``text`` into unbreakable atoms: ``(start, end, kind)`` with ``text[start:end]``.

    Latin words and numbers keep inner joiners (``+.,-/:'@_&#``) when a letter or digit follows, and a
    trailing ``%``; runs of ``—`` or ``…`` are one atom; combining marks, ZWJ and variation selectors
    stay with the atom before them.
    """
    out: list[tuple[int, int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        k = kind(c)
        j = _atom_end(text, i)
        while j < n and _combining(text[j]):
            j += 1
        if k != LATIN and out and _combining(c):
            s, _, pk = out[-1]
            out[-1] = (s, j, pk)
        elif k == LATIN and j - i >= URL_MIN and _url_like(text[i:j]):
            out.extend(url_pieces(text, i, j))
        else:
            out.append((i, j, k))
        i = j
    return out


URL_MIN: Final = 20  # a Latin atom this long that looks like an address may break inside
URL_BREAK_AFTER: Final = frozenset("/.-_?&=#")


def _url_like(word: str) -> bool:
    return "://" in word or word.startswith("www.") or "@" in word or word.count("/") >= 2


def url_pieces(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """An address (URL, e-mail) as pieces that may end a line after ``/ . - _ ? & = #`` — never after
    the first character or before the last, never inside ``://`` — so that a long address does not
    run out of its column. The pieces are Latin atoms: not letter-spaced, no ¼ em between them."""
    out: list[tuple[int, int, int]] = []
    piece = start
    for i in range(start + 1, end - 1):
        if text[i] in URL_BREAK_AFTER and text[i + 1] not in URL_BREAK_AFTER and text[i + 1] != ":" \
                and text[max(start, i - 1):i + 1] != ":/" and text[i - 1:i + 1] != "//":
            out.append((piece, i + 1, LATIN))
            piece = i + 1
    out.append((piece, end, LATIN))
    return out


def can_break(before: str, after: str) -> bool:
    """May a line end with the character ``before`` and the next start with ``after``?

    ``before`` is the last code point of the atom before the break, ``after`` the first of the atom
    after it. A space may end a line (it then hangs) but never start one.
    """
    if before in LINE_END_PROHIBITED:
        return False
    return not (after in LINE_START_PROHIBITED or after == " ")
