"""Continuations (续排 / 转版): an article's body running on from its slot into another slot.

Takes: the composed body lines of an article, the frames (column segments) of its own slot and of the
slot it continues in, and the page numbers of both (the edition's 版次: the content's ``meta.page``
plus the page of the canvas a slot sits on).
Gives: the lines placed in both slots with the jump lines — ``（下转第N版）`` closing the first part and
``（上接第M版）`` opening the second — composed like body text and counted in the fit: each takes one
line of its frame. Every body line is placed once, in order; what still does not fit is overset. A body
that fits its own slot is set in balanced columns (``banmian.compose.balance``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from banmian.compose.balance import balanced
from banmian.compose.linebreak import Line

Segment = tuple[int, int, int]  # (column offset in the slot, first line, line count)


@dataclass(frozen=True)
class Frame:
    """Where lines go: the segments of one slot and the slot's origin."""

    segments: tuple[Segment, ...]
    x0: float
    y0: float

    @property
    def capacity(self) -> int:
        return sum(n for _, _, n in self.segments)


@dataclass(frozen=True)
class Slotted:
    """A line (body or jump) at its grid position: frame 0 (own slot) or 1 (continuation)."""

    frame: int
    col: int
    line: int
    content: Line
    jump: bool = False


def jump_texts(from_page: int, to_page: int) -> tuple[str, str]:
    return f"（下转第{to_page}版）", f"（上接第{from_page}版）"


def fill(lines: Sequence[Line], own: Frame, cont: Frame | None, jumps: tuple[Line, Line] | None
         ) -> tuple[list[Slotted], list[Line], int]:
    """Place ``lines`` in ``own``, then (with jump lines) in ``cont``; returns the placed lines, the
    overset lines and the capacity in body lines (jump lines excluded)."""
    queue = list(lines)
    placed: list[Slotted] = []
    positions = [(0, col, first + k) for col, first, count in own.segments for k in range(count)]
    continuing = cont is not None and jumps is not None and len(queue) > len(positions)
    capacity = len(positions)
    if continuing:
        assert cont is not None and jumps is not None
        own_slots = positions[:-1]  # the last line of the first part is the jump line
        rest = [(1, col, first + k) for col, first, count in cont.segments for k in range(count)]
        capacity = len(own_slots) + max(0, len(rest) - 1)
        for (frame, col, line) in own_slots:
            placed.append(Slotted(frame, col, line, queue.pop(0)))
        frame, col, line = positions[-1]
        placed.append(Slotted(frame, col, line, jumps[0], jump=True))
        if rest:
            frame, col, line = rest[0]
            placed.append(Slotted(frame, col, line, jumps[1], jump=True))
            for (frame, col, line) in rest[1:]:
                if not queue:
                    break
                placed.append(Slotted(frame, col, line, queue.pop(0)))
    else:  # a body that fits: its columns balanced (``banmian.compose.balance``)
        positions = [(0, col, first + k) for col, first, count in balanced(own.segments, queue)
                     for k in range(count)]
        for (frame, col, line) in positions:
            if not queue:
                break
            placed.append(Slotted(frame, col, line, queue.pop(0)))
    return placed, queue, capacity
