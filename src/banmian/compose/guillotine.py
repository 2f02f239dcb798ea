"""Guillotine arrangements: groups of articles cut into rectangles of whole columns and grid lines.

Takes: per article (in rank order) its module variants — span → height → ``Variant`` with a cost —, a
weight per article (how much its height on the page matters) and the region's greatest height.
Gives: ``Arranger`` — ``reach(width, group)``: every height (a bit set) at which a group of articles
fills a region ``width`` columns wide exactly; ``best(width, group, height)``: the cheapest arrangement
at one height; ``unfold``: its modules, each article's variant at its column and line offset.

A group is ``{f} ∪ [a, b)`` of article indices (rank order): its first article ``f`` sits at the
region's top left. A cut — across (a stack) or down (side by side) — gives the part holding ``f`` either
the head of the rest (``{f} ∪ [a, k)``, the tail ``[k, b)`` after it) or the tail (``{f} ∪ [k, b)``,
the head ``[a, k)`` after it: the stories ranked next beside or under ``f``, as a lead with a column of
the next stories at its right and later ones under it). Groups of this form cut into groups of this
form, so the search is exhaustive over them. Reach is computed bottom-up on bit sets (cheap), costs
top-down only where the page's height can be reached, so most heights are never costed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from banmian.compose.variants import Variant

POSITION = 0.04  # per grid line an article sits below its region's top, times its weight (rank)
TAILS_UP_TO = 12  # articles: up to this many, a group's first article may also take the tail of the rest
# (the search grows with the cube of the articles; beyond, runs in rank order only: a page of that many
# short items is a list of briefs, where rank order is reading order)

Group = tuple[int, int, int]  # {f} ∪ [a, b) by rank index


@dataclass(frozen=True)
class One:
    """An arrangement: one article in its variant."""

    index: int
    variant: Variant


@dataclass(frozen=True)
class Stack:
    """An arrangement: ``first`` in the top ``top`` lines, ``second`` below."""

    first: Group
    second: Group
    top: int


@dataclass(frozen=True)
class Beside:
    """An arrangement: ``first`` in the left ``left`` columns, ``second`` right of it."""

    first: Group
    second: Group
    left: int


How = One | Stack | Beside
Best = tuple[float, How] | None
Part = tuple[Group, Group, int]  # a cut that reaches: (first, second, left columns or -top heights)


def single(index: int) -> Group:
    return (index, index + 1, index + 1)


def run(i: int, j: int) -> Group:
    """Articles ``i..j`` (``j`` > ``i``) as a group."""
    return (i, i + 1, j)


def splits(group: Group, tails: bool = True) -> list[tuple[Group, Group]]:
    """The ways to cut a group into the part holding its first article and the rest (``tails``: also
    the first article with the tail of the rest)."""
    f, a, b = group
    out = []
    for k in range(a, b):  # f with the head [a, k), the tail [k, b) after it
        out.append(((f, a, k) if k > a else single(f), run(k, b)))
    for k in range(a + 1, b) if tails else ():  # f with the tail [k, b), the head [a, k) after it
        out.append(((f, k, b), run(a, k)))
    return out


def bits(mask: int) -> list[int]:
    """The heights set in a bit set, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


class Arranger:
    """Reach and cost of groups in regions up to ``height`` grid lines; ``lead_span``: the lead (index
    0) is exactly that wide, every other article at most that wide (the lead is the widest story)."""

    def __init__(self, options: Sequence[dict[int, dict[int, Variant]]], weights: Sequence[float],
                 height: int):
        self.options = options
        self.height = height
        self.tails = len(options) <= TAILS_UP_TO
        self.full = (1 << (height + 1)) - 1
        self.lead_span = max(options[0]) if options and options[0] else 0
        self.weight = list(weights)
        self.prefix = [0.0]
        for w in weights:
            self.prefix.append(self.prefix[-1] + w)
        self.least = [min((span * h for span, t in o.items() for h in t), default=0) for o in options]
        self.least_prefix = [0]
        for a in self.least:
            self.least_prefix.append(self.least_prefix[-1] + a)
        self._reach: dict[tuple[int, Group, int], tuple[int, list[Part]]] = {}
        self._best: dict[tuple[int, Group, int, int], Best] = {}

    def _key(self, width: int, group: Group) -> tuple[int, Group, int]:
        """A table's key: the lead's width matters only to groups holding it or wider than it."""
        lead = self.lead_span
        return width, group, lead if group[0] == 0 or width > lead else width

    def _area(self, group: Group) -> int:
        """The least area (column-lines) the group's articles take."""
        f, a, b = group
        return self.least[f] + self.least_prefix[b] - self.least_prefix[a]

    def _group_weight(self, group: Group) -> float:
        f, a, b = group
        return self.weight[f] + self.prefix[b] - self.prefix[a]

    def reach(self, width: int, group: Group) -> int:
        """The heights (bits) at which ``group`` fills a region ``width`` columns wide."""
        return self._table(width, group)[0]

    def _table(self, width: int, group: Group) -> tuple[int, list[Part]]:
        """Reach and the cuts that give it: (first, second, top heights) for a stack, (first, second,
        left columns) for side by side — what ``best`` tries, and nothing else."""
        key = self._key(width, group)
        found = self._reach.get(key)
        if found is None:
            found = self._reach_of(width, group)
            self._reach[key] = found
        return found

    def _reach_of(self, width: int, group: Group) -> tuple[int, list[Part]]:
        f, a, b = group
        if a == b:
            if (f == 0 and width != self.lead_span) or width > self.lead_span:
                return 0, []
            return sum(1 << h for h in self.options[f].get(width, {}) if h <= self.height), []
        if -(-self._area(group) // width) > self.height:
            return 0, []
        mask, parts = 0, []
        for first, second in splits(group, self.tails):
            top = self.reach(width, first)
            below = self.reach(width, second) if top else 0
            if below:
                sums = 0
                small, large = (top, below) if top.bit_count() <= below.bit_count() else (below, top)
                for h in bits(small):
                    sums |= large << h
                if sums & self.full:
                    mask |= sums
                    parts.append((first, second, -top))  # a stack: the top part's heights, negated
            low = max(1, -(-self._area(first) // self.height))
            high = width - max(1, -(-self._area(second) // self.height))
            for left in range(low, high + 1):
                both = self.reach(left, first) & self.reach(width - left, second)
                if both:
                    mask |= both
                    parts.append((first, second, left))
        return mask & self.full, parts

    def best(self, width: int, group: Group, height: int) -> Best:
        """The cheapest arrangement of ``group`` in ``width`` columns × ``height`` lines, if any."""
        mask, parts = self._table(width, group)
        if not mask >> height & 1:
            return None
        key = (*self._key(width, group), height)
        if key in self._best:
            return self._best[key]
        f, a, b = group
        found: Best
        if a == b:
            v = self.options[f][width][height]
            found = (v.cost, One(f, v))
        else:
            found = self._best_split(width, height, parts)
        self._best[key] = found
        return found

    def _best_split(self, width: int, height: int, parts: list[Part]) -> Best:
        found: Best = None
        for first, second, how in parts:
            if how > 0:  # side by side, ``how`` columns left
                if self.reach(how, first) >> height & 1 and self.reach(width - how, second) >> height & 1:
                    a, b = self.best(how, first, height), self.best(width - how, second, height)
                    assert a is not None and b is not None
                    if found is None or a[0] + b[0] < found[0]:
                        found = (a[0] + b[0], Beside(first, second, how))
                continue
            below = self.reach(width, second)
            shift = POSITION * self._group_weight(second)
            for top in bits(-how & ((1 << height) - 1)):
                if below >> (height - top) & 1:
                    a, b = self.best(width, first, top), self.best(width, second, height - top)
                    assert a is not None and b is not None
                    cost = a[0] + b[0] + top * shift
                    if found is None or cost < found[0]:
                        found = (cost, Stack(first, second, top))
        return found

    def unfold(self, col: int, line: int, width: int, group: Group, height: int
               ) -> list[tuple[int, Variant, int, int]]:
        """(article index, variant, column, line) of every module of the best arrangement."""
        found = self.best(width, group, height)
        assert found is not None
        how = found[1]
        if isinstance(how, One):
            return [(how.index, how.variant, col, line)]
        if isinstance(how, Stack):
            return (self.unfold(col, line, width, how.first, how.top)
                    + self.unfold(col, line + how.top, width, how.second, height - how.top))
        return (self.unfold(col, line, how.left, how.first, height)
                + self.unfold(col + how.left, line, width - how.left, how.second, height))
