"""Column ends of a module: its columns end together, and no run-in head waits at a column's foot.

Takes: a frame's column segments in reading order (column, first line, count) and the body lines to
place in them.
Gives: ``balanced`` — the segments the lines fill. When the body is shorter than the frame, the lines
left over come off the bottoms of the longest columns, one at a time (the rightmost first), so the
columns end on the same grid line or one apart instead of the last column holding a stub over a hole
(unless that would leave a column fewer than ``MIN_LINES``).
Then a column whose last line would start a paragraph with a bold run-in head (服务引领，落实…) ends a
line early, the line it gives up going back to a later column that has room: the head starts the next
column with its text.
"""

from __future__ import annotations

from collections.abc import Sequence

from banmian.compose.linebreak import Line

__all__ = ["balanced", "is_runin_start"]

Segment = tuple[int, int, int]  # (column offset in the slot, first line, line count)
#: A balanced column holds at least this many lines (a text too short for that fills columns in turn
#: rather than set a line or two in each).
MIN_LINES = 3


def is_runin_start(line: Line) -> bool:
    """Does ``line`` open a paragraph (it is indented) with a bold run-in head?"""
    return line.indent > 0 and bool(line.glyphs) and line.glyphs[0].bold


def balanced(segments: Sequence[Segment], lines: Sequence[Line]) -> list[Segment]:
    """The segments shortened as the module docstring says (never lengthened past their own size)."""
    counts = _even_bottoms(segments, max(0, sum(n for _, _, n in segments) - len(lines)))
    if min(counts) < min(MIN_LINES, *(n for _, _, n in segments)):
        counts = [n for _, _, n in segments]  # too little text to share out: it fills the first columns
    for _ in range(len(segments)):
        moved = _move_runin(segments, counts, lines)
        if not moved:
            break
    return [(col, first, n) for (col, first, _), n in zip(segments, counts, strict=True) if n > 0]


def _even_bottoms(segments: Sequence[Segment], spare: int) -> list[int]:
    """Counts with ``spare`` lines taken off the lowest column ends (ties: the rightmost column)."""
    counts = [n for _, _, n in segments]
    last = {col: i for i, (col, _, _) in enumerate(segments)}  # each column's last segment
    for _ in range(spare):
        i = max(last.values(), key=lambda k: (segments[k][1] + counts[k], segments[k][0]))
        if counts[i] <= 1:
            break
        counts[i] -= 1
    return counts


def _move_runin(segments: Sequence[Segment], counts: list[int], lines: Sequence[Line]) -> bool:
    """End early the first column whose last line is a run-in head, when a later segment can take the
    line back; True when one moved."""
    at = 0
    for i, n in enumerate(counts[:-1]):
        at += n
        if n < 2 or at - 1 >= len(lines) or at >= len(lines) or not is_runin_start(lines[at - 1]):
            continue
        room = [k for k in range(len(counts) - 1, i, -1) if counts[k] < segments[k][2]]
        if not room:
            return False
        counts[i] -= 1
        counts[room[0]] += 1
        return True
    return False
