"""Page make-up (拼版) of a flow layout: where each article breaks, and how it is set, so pages fill.

Takes: the flow's ``Geometry`` (grid lines per page, columns, page 1's first free line below masthead
and banner, gap and keep lines) and one ``Story`` per article: every ``Setting`` the layout allows —
headline across the columns or heading the first, tracking within ``fit.tracking``, each photo's frame
(columns, grid lines), a chart's height — with its headline, body and block heights in grid lines and
what the change costs; and the bulletin's closing block (the page QR code), if any.
Gives: ``Plan`` — the setting chosen for every article and its ``Piece`` s: on which page, from which
grid line, the headline, each photo in its column, the body's run in each column, each block; blank
grid lines already given out where a page would end short; per page the lines it ends short, and how
far the last page reaches.

How: a search over the articles in the editor's order. A state is where the flow stands: the grid line
under the last piece on the page, whether the page is still empty, how uneven its last piece's columns
end, and how many blank lines the page's stretch points could still take. Setting an article from a
state moves it on and costs what its setting changes plus what each page it closes lacks at its foot;
each state keeps its cheapest way there (the page's number does not matter: a page costs the same
wherever it falls), and after each article the ``BEAM`` cheapest states go on, the cheapest at each
place first. The moves are a make-up editor's:

- an article whose headline, photos and ``keep`` body lines do not fit moves to the next page (a photo
  is never on a page after its headline's; a headline never ends a page alone) — or moves although it
  would fit, where the page's stretch points can fill what it leaves;
- the page it leaves is filled by setting the articles above it differently (a photo taller or shorter,
  the first photo across the columns, tracking, a chart's height, the headline beside the photos) or
  by whole blank grid lines at stretch points (the gap between two articles, under the banner, under a
  headline across the columns, above a sidebar, inside a chart) — never off the grid;
- where nothing else fills it, a later article (``PULL`` on at most, never before the first) is set
  first;
- the last page is balanced or pulled back until it reaches past a third of the page.

The cost constants below say what each move is worth, in grid lines of a photo's height; a hole or a
nearly empty last page outweighs any set of adjustments.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

# --- what each move costs, in one currency: one grid line of a photo's height = 1 --------------------
PHOTO_LINE = 1.0  # a photo a grid line taller or shorter than its own: cropped a little differently
HEAD_TURNED = 15.0  # a headline in the first column beside the photos where the layout runs it across the
#                    columns (or across where it heads a column): a smaller voice for the article
WIDE_PHOTO = 8.0  # a photo across all the columns instead of the layout's span: a bigger statement than
#                   the editor asked for, worth a few lines of other adjustments
CHART_LINE = 1.0  # a chart a grid line shorter: its bars shorten, its labels stay
TRACKING_STEP = 3.0  # 0.01 em more or less between the characters of a whole article: its texture then
#                      differs from its neighbours', a change a reader sees before a photo's height
STRETCH_LINE = 3.0  # a blank grid line opened at a stretch point: reads as a pause, still on the grid;
#                     dearer than a photo's line, which fills the same space with picture
SHORT_LINE = 5.0  # a page (not the last) ending a line or two above its foot: allowed, but visible
HOLE_LINE = 100.0  # a page ending more than TOLERANCE lines short, per line: a hole, worse than any
#                    set of adjustments that avoids it
LAST_PAGE_LINE = 100.0  # each grid line the last page holds under LAST_PAGE_SHARE: a sheet nearly empty
RUNOVER = 10.0  # an article's continuation of fewer than two lines per column: a widow atop a page
LONE_LINE = 10.0  # one body line alone in a column (under a photo at the foot, or atop a column)
SPILL = 1000.0  # a photo on a page after its headline's: only when no page holds them all (8 photos)
REORDER = 100.0  # an article set before one that preceded it: the editor's order changes, worth a
#                  line of hole (so only a hole makes it); never before the first article (the lead)
REORDER_STEP = 50.0  # each further article it passes
PULL = 3  # the most articles one may pass
PULL_ROOM = 8  # grid lines to spare: where the next article could start with more, none is pulled forward
PAGE = 20.0  # every page: paper to print and staple; a few adjustments are worth a page less

BEAM = 40  # states kept after each article, the cheapest of each place first: measured on 160 generated
#            bulletins, more keeps no fewer holes and costs time
PER_PLACE = 1  # states kept at each place the flow can stand
TOLERANCE = 2  # grid lines a page (not the last) may end above its foot
LAST_PAGE_SHARE = 1 / 3  # the least the last page holds, as a share of its grid lines
GAP_STRETCH = 2  # blank grid lines the gap between two articles may grow by (a rule keeps it a gap)
BANNER_STRETCH = 1  # blank grid lines that may open between the banner and the first article
HEAD_STRETCH = 1  # blank grid lines that may open under a headline across the columns (when its own
#                   last grid line is not half white already)
BLOCK_STRETCH = 1  # blank grid lines that may open between an article's body and its sidebar or code


@dataclass(frozen=True)
class Geometry:
    lines: int  # grid lines per page
    columns: int
    first_line: int  # page 1's first free grid line (0-based), below the masthead and banner
    gap: int  # grid lines between one article and the next (a rule in the middle)
    keep: int  # body lines that follow a headline on its page

    def places(self, span: int, across: bool) -> tuple[int, ...]:
        """First columns of the places a photo of ``span`` columns may take at the top of an article,
        in order of preference: from the left under a headline across the columns; from the right
        beside a headline in the first column."""
        if across:
            return tuple(range(0, self.columns - span + 1, span))
        return tuple(range(self.columns - span, 0, -span)) or (self.columns - span,)


@dataclass(frozen=True)
class Block:
    """Something set after an article's body across the columns (its sidebar, its QR code)."""

    lines: int
    grow: int = 0  # blank grid lines it may take when its page would end short (a chart)


@dataclass(frozen=True)
class Setting:
    """One way to set an article, as the make-up sees it."""

    head: int  # grid lines of the headline group
    across: bool  # the headline runs across the columns (else it heads the first column)
    head_white: float  # share of a grid line left white under the headline group's last line
    tracking: float  # em added to every gap of its body lines
    photos: tuple[tuple[int, int], ...]  # each photo's frame: (columns it spans, grid lines with caption)
    body: int  # body lines at that tracking
    blocks: tuple[Block, ...]
    cost: float  # what the change from the layout's own setting costs


@dataclass(frozen=True)
class Story:
    settings: tuple[Setting, ...]  # the layout's own setting first


@dataclass(frozen=True)
class Piece:
    """The part of an article on one page: its body (with the headline and photos on its first page),
    or one of its blocks; all positions are 0-based grid lines of the page."""

    story: int
    page: int
    top: int
    bottom: int  # the grid line below the piece
    head: int = 0  # grid lines of the headline (the article's first piece)
    across: bool = True  # the headline runs across the columns (else it heads the first column)
    photos: tuple[tuple[int, int, int, int, int], ...] = ()  # (index, first column, first line, span, lines)
    columns: tuple[tuple[int, int, int], ...] = ()  # body runs in reading order: (column, first, lines)
    block: int = -1  # which of the story's blocks this piece is; -1: its body
    gap: int = 0  # grid lines of white above it
    rule: bool = False  # a rule in the middle of its gap (it starts an article below another)
    grow: int = 0  # blank grid lines a block takes beyond its own
    stretch: tuple[int, int, int] = (0, 0, 0)  # blank lines it may take: above it, under its headline,
    #                                            inside it (a chart)


@dataclass(frozen=True)
class Plan:
    settings: tuple[int, ...]  # the chosen setting of each story
    pieces: tuple[Piece, ...]
    pages: int
    short: tuple[int, ...]  # grid lines each page ends above its foot in its shortest column
    last: int  # the grid line under the last page's content
    cost: float


@dataclass(frozen=True)
class _At:
    """Where the flow stands."""

    page: int
    end: int  # the grid line under the last piece of the page
    fresh: bool  # nothing set on the page yet (the next article needs no gap)
    stretch: int  # blank lines the page's stretch points can still take
    low: int  # the grid line under the last piece in its shortest column


def page_end_cost(short: int, uneven: int, stretch: int) -> float:
    """What a page (not the last) costs whose last piece ends ``short`` grid lines above its foot in
    its longest column and ``uneven`` lines higher in its shortest, when the page's stretch points can
    take ``stretch`` blank lines."""
    used = min(short, stretch)
    return used * STRETCH_LINE + short_cost(short - used + uneven)


def short_cost(lines: int) -> float:
    """A column ending ``lines`` grid lines above where it should: allowed up to the tolerance."""
    return lines * (SHORT_LINE if lines <= TOLERANCE else HOLE_LINE)


def column_ends(g: Geometry, piece: Piece) -> list[int]:
    """The grid line under the piece in each column (a block ends in all of them at its bottom)."""
    if piece.block >= 0:
        return [piece.bottom] * g.columns
    ends = _head_blocked(g, piece.top, piece.head, piece.across)
    for col, first, count in piece.columns:
        ends[col] = max(ends[col], first + count)
    for _, col, line, span, lines in piece.photos:
        ends[col:col + span] = [max(e, line + lines) for e in ends[col:col + span]]
    return ends


def last_page_least(g: Geometry) -> int:
    """The grid line the last page's content must reach: past a third of the page."""
    return math.floor(g.lines * LAST_PAGE_SHARE) + 1


def last_page_cost(g: Geometry, end: int) -> float:
    return max(0, last_page_least(g) - end) * LAST_PAGE_LINE


class _Run:
    """An article (or the closing block) being set from a state: the state it reaches, what it cost,
    and — when ``record`` — its pieces (the search sets each article hundreds of times; only the
    chosen plan is set again to keep its pieces)."""

    def __init__(self, g: Geometry, at: _At, record: bool = False):
        self.g = g
        self.page, self.end, self.fresh, self.stretch = at.page, at.end, at.fresh, at.stretch
        self.low = at.low
        self.cost = 0.0
        self.record = record
        self.pieces: list[Piece] = []

    @property
    def at(self) -> _At:
        # what no future can tell apart is one state: stretch beyond the page's room, unevenness
        # beyond the tolerance
        room = self.g.lines - self.end
        return _At(self.page, self.end, self.fresh, min(self.stretch, room),
                   max(self.low, self.end - TOLERANCE - 1))

    def turn(self) -> None:
        """Close the page (what its foot lacks costs) and open the next."""
        self.cost += page_end_cost(self.g.lines - self.end, self.end - self.low, self.stretch) + PAGE
        self.page, self.end, self.fresh, self.stretch, self.low = self.page + 1, 0, True, 0, 0

    def add(self, bottom: int, low: int, stretch: tuple[int, int, int]) -> None:
        """A piece set, ending at ``bottom`` in its longest column and ``low`` in its shortest: the page
        ends under it; columns left uneven cost as a hole would."""
        self.end, self.low, self.fresh = bottom, low, False
        if bottom - low > 1:
            self.cost += short_cost(bottom - low)
        self.stretch += sum(stretch)

    def next_top(self) -> int:
        return self.end if self.fresh else self.end + self.g.gap


def set_story(g: Geometry, at: _At, index: int, setting: Setting, *, move: bool = False,
              record: bool = False) -> _Run:
    """An article set from ``at``; ``move``: on the next page even when this one could take its start
    (the page it leaves is then filled, or costs what it lacks)."""
    run = _Run(g, at, record)
    if move:
        run.turn()
    _set_body(run, index, setting)
    for k, block in enumerate(setting.blocks):
        top = run.end
        if top + block.lines > g.lines and not run.fresh:
            run.turn()
            top = 0
        bottom, stretch = min(g.lines, top + block.lines), (0 if run.fresh else BLOCK_STRETCH, 0, block.grow)
        if record:
            run.pieces.append(Piece(index, run.page, top, bottom, block=k, stretch=stretch))
        run.add(bottom, bottom, stretch)
    return run


def _set_body(run: _Run, index: int, setting: Setting) -> None:
    """The headline, the photos and the body from the next free line (or the next page's top, when
    this page cannot hold headline, photos and ``keep`` lines), over as many pages as it needs."""
    g = run.g
    frames = _frames(setting)
    top, due = _start(run, setting)
    if due == len(frames):
        opening, under, _ = _opening(g, setting)
        photos = tuple((k, col, line + top, span, n) for k, col, line, span, n in opening)
        blocked = [b + top for b in under]
    else:
        photos, blocked = _stack(g, _head_blocked(g, top, setting.head, setting.across), frames[:due],
                                 setting.across)
    pending = frames[due:]
    run.cost += SPILL * len(pending)
    gap = 0 if run.fresh else g.gap
    above = GAP_STRETCH if gap else BANNER_STRETCH if run.fresh and run.page == 0 else 0
    stretch = (above, HEAD_STRETCH if setting.across and setting.head_white < 0.5 else 0, 0)
    remaining, first = setting.body, True
    while True:
        capacity = sum(max(0, g.lines - b) for b in blocked)
        done = remaining <= capacity and not pending
        height = _balanced_height(remaining, blocked, g.lines) if done else g.lines
        runs = _fill(blocked, min(remaining, capacity), height)
        ends = list(blocked)
        for col, begin, count in runs:
            ends[col] = begin + count
        given = stretch if first else (0, 0, 0)
        if run.record:
            run.pieces.append(Piece(index, run.page, top, max(height, *blocked), setting.head if first else 0,
                                    setting.across, photos, runs, gap=gap, rule=gap > 0, stretch=given))
        run.add(max(height, *blocked), min(ends), given)
        run.cost += LONE_LINE * sum(1 for _, _, n in runs if n == 1 and setting.body > 1)
        if done:
            run.cost += RUNOVER if not first and remaining < 2 * g.columns else 0.0
            return
        remaining -= min(remaining, capacity)
        run.turn()
        top, gap, first = 0, 0, False
        photos, blocked = (), [0] * g.columns
        if pending:  # photos left over head the next page
            here = max(1, _photos_that_fit(g, blocked, pending, 0, setting.across))
            photos, blocked = _stack(g, blocked, pending[:here], setting.across)
            pending = pending[here:]


def _start(run: _Run, setting: Setting) -> tuple[int, int]:
    """The grid line where the article begins and how many of its photos that page holds: this page
    when it holds the headline, every photo and ``keep`` body lines; else the next (on an empty page,
    as many photos as fit)."""
    g = run.g
    need = _opening(g, setting)[2]
    while True:
        top = run.next_top()
        if top + need <= g.lines:
            return top, len(setting.photos)
        if run.fresh:
            due = _photos_that_fit(g, _head_blocked(g, top, setting.head, setting.across), _frames(setting),
                                   min(g.keep, setting.body), setting.across)
            return top, max(0, due)
        run.turn()


def _frames(setting: Setting) -> list[tuple[int, int, int]]:
    return [(k, span, lines) for k, (span, lines) in enumerate(setting.photos)]


@functools.lru_cache(maxsize=4096)
def _opening(g: Geometry, setting: Setting
             ) -> tuple[tuple[tuple[int, int, int, int, int], ...], tuple[int, ...], int]:
    """An article's start set from grid line 0: where its photos go, the columns' first free lines
    under them, and the grid lines it needs on its page (headline, every photo, ``keep`` lines)."""
    photos, under = _stack(g, _head_blocked(g, 0, setting.head, setting.across), _frames(setting),
                           setting.across)
    return photos, tuple(under), max(max(under), _balanced_height(min(g.keep, setting.body), under,
                                                                  2 * g.lines))


def start_need(g: Geometry, setting: Setting) -> int:
    """The grid lines an article set so needs to start on a page: its headline, every photo and
    ``keep`` body lines."""
    return _opening(g, setting)[2]


def _photos_that_fit(g: Geometry, blocked: list[int], frames: Sequence[tuple[int, int, int]],
                     keep: int, across: bool) -> int:
    """How many of the photos (the first ones) fit above ``keep`` body lines on the page; -1 when not
    even the ``keep`` lines fit."""
    for due in range(len(frames), -1, -1):
        _, under = _stack(g, blocked, frames[:due], across)
        if max(under) <= g.lines and sum(g.lines - b for b in under) >= keep:
            return due
    return -1


def _head_blocked(g: Geometry, top: int, head: int, across: bool) -> list[int]:
    """The first free grid line of each column under a headline at ``top``."""
    if across:
        return [top + head] * g.columns
    return [top + head] + [top] * (g.columns - 1)


def _stack(g: Geometry, blocked: list[int], frames: Sequence[tuple[int, int, int]], across: bool
           ) -> tuple[tuple[tuple[int, int, int, int, int], ...], list[int]]:
    """Photos ``(index, span, lines)`` stacked in order at the top of the columns, each in the place of
    its span whose columns are free highest (the first such place on a tie): where each goes, as
    (index, first column, first line, span, lines), and the columns' first free lines under them."""
    blocked = list(blocked)
    placed = []
    for k, span, lines in frames:
        col = min(g.places(span, across), key=lambda c: max(blocked[c:c + span]))
        line = max(blocked[col:col + span])
        placed.append((k, col, line, span, lines))
        blocked[col:col + span] = [line + lines] * span
    return tuple(placed), blocked


def _balanced_height(count: int, blocked: Sequence[int], limit: int) -> int:
    """The first grid line under ``count`` lines balanced over columns whose text begins at ``blocked``
    (the lowest line that holds them, filling the columns that begin highest first)."""
    starts = sorted(blocked)
    total = 0
    for i, start in enumerate(starts):
        total += start
        height = -(-(count + total) // (i + 1))
        if i + 1 == len(starts) or height <= starts[i + 1]:
            return min(height, limit)
    return limit


def _fill(blocked: Sequence[int], count: int, height: int) -> tuple[tuple[int, int, int], ...]:
    """``count`` body lines down the columns, each from its first free line to ``height``."""
    runs = []
    for col, first in enumerate(blocked):
        n = max(0, min(height - first, count))
        if n:
            runs.append((col, first, n))
            count -= n
    return tuple(runs)


def set_closing(g: Geometry, at: _At, block: Block, *, record: bool = False) -> _Run:
    """The bulletin's closing block (the page QR code) after the last article, below a gap and rule."""
    run = _Run(g, at, record)
    top = run.next_top()
    if top + block.lines > g.lines and not run.fresh:
        run.turn()
        top = 0
    gap, bottom = 0 if run.fresh else g.gap, min(g.lines, top + block.lines)
    if record:
        run.pieces.append(Piece(-1, run.page, top, bottom, block=0, gap=gap, rule=gap > 0))
    run.add(bottom, bottom, (0, 0, 0))
    return run


@dataclass(frozen=True)
class _Path:
    """How a state was reached: its cost, the path before, and the step — the story set (-1: the
    closing block; none on the first path) with its setting, from which state, moved or not."""

    cost: float
    before: _Path | None
    story: int = -1
    choice: int = -1
    at: _At | None = None
    move: bool = False


_States = dict[tuple[Hashable, ...], tuple[_At, _Path]]


def _key(at: _At, held: int = -1) -> tuple[Hashable, ...]:
    """What the future of a state depends on: not the page's number (a page costs the same wherever
    it falls), only whether it is the first (whose top is under the banner)."""
    return at.end, at.fresh, at.stretch, at.low, at.page == 0, held


def make_up(g: Geometry, stories: Sequence[Story], closing: Block | None = None) -> Plan:
    """The cheapest make-up of the stories (see the module's docstring). Layer ``j`` holds the states
    with the stories before ``j`` set — and perhaps one later story, pulled forward, set already."""
    start = _At(0, g.first_line, True, 0, g.first_line)
    layers: list[_States] = [{} for _ in range(len(stories) + 1)]
    layers[0][_key(start)] = (start, _Path(0.0, None))
    for j, story in enumerate(stories):
        if j > 0:
            _pull_forward(g, layers[j], stories, j)
        for key, (at, path) in _cheapest(layers[j]):
            pulled = key[-1]
            assert isinstance(pulled, int)
            if pulled == j:  # set already, ahead of its turn
                _keep(layers[j + 1], _key(at), at, path)
                continue
            for state, through in _set_all(g, at, path, j, story):
                _keep(layers[j + 1], _key(state, pulled), state, through)
    states = layers[-1]
    if closing is not None:
        closed: _States = {}
        for at, path in states.values():
            run = set_closing(g, at, closing)
            _keep(closed, _key(run.at), run.at, _Path(path.cost + run.cost, path, at=at))
        states = closed
    at, path = min(states.values(), key=lambda item: item[1].cost + last_page_cost(g, item[0].end))
    return _plan(g, _replay(g, path, stories, closing), path.cost + last_page_cost(g, at.end))


def _pull_forward(g: Geometry, layer: _States, stories: Sequence[Story], j: int) -> None:
    """States of ``layer`` (next: story ``j``) that set one of the ``PULL`` stories after ``j`` first
    — an article that fills the page where story ``j`` cannot start — and skip it in its turn."""
    need = min(start_need(g, setting) for setting in stories[j].settings)
    for key, (at, path) in _cheapest(layer):
        if key[-1] != -1 or at.fresh or g.lines - at.end - g.gap >= need + PULL_ROOM:
            continue
        for f in range(j + 1, min(j + 1 + PULL, len(stories))):
            cost = REORDER + REORDER_STEP * (f - j - 1)
            for state, through in _set_all(g, at, _Path(path.cost + cost, path), f, stories[f]):
                _keep(layer, _key(state, f), state, through)


def _cheapest(states: _States) -> list[tuple[tuple[Hashable, ...], tuple[_At, _Path]]]:
    """The states worth going on from: the ``PER_PLACE`` cheapest at each place the flow can stand
    (grid line, empty page or not, a story pulled forward or not), at most ``BEAM`` in all. Places are
    kept apart because their costs so far do not compare: a state further down its page has not yet
    paid for what that page will lack."""
    ranked = sorted(states.items(), key=lambda item: item[1][1].cost)
    kept: list[tuple[tuple[Hashable, ...], tuple[_At, _Path]]] = []
    per_place: Counter[tuple[Hashable, ...]] = Counter()
    for key, value in ranked:
        place = (key[0], key[1], key[-1])
        if per_place[place] < PER_PLACE:
            per_place[place] += 1
            kept.append((key, value))
    return kept[:BEAM]


def _set_all(g: Geometry, at: _At, path: _Path, index: int, story: Story) -> list[tuple[_At, _Path]]:
    """Story ``index`` set from ``at`` in each of its settings (and on the next page, where a move may
    pay): the cheapest way to each state it reaches."""
    reached: _States = {}
    for choice, setting in enumerate(story.settings):
        for move in (False, True) if _may_move(g, at) else (False,):
            run = set_story(g, at, index, setting, move=move)
            _keep(reached, _key(run.at), run.at, _Path(path.cost + run.cost + setting.cost, path, index,
                                                       choice, at, move))
    return list(reached.values())


def _replay(g: Geometry, path: _Path, stories: Sequence[Story], closing: Block | None
            ) -> tuple[list[Piece], dict[int, int]]:
    """The pieces of the chosen path, set again with ``record``, and each story's setting."""
    steps: list[_Path] = []
    node: _Path | None = path
    while node is not None:
        if node.at is not None:  # (a path that only adds the cost of a reordering sets nothing)
            steps.append(node)
        node = node.before
    pieces: list[Piece] = []
    chosen: dict[int, int] = {}
    for step in reversed(steps):
        assert step.at is not None
        if step.story >= 0:
            setting = stories[step.story].settings[step.choice]
            pieces += set_story(g, step.at, step.story, setting, move=step.move, record=True).pieces
            chosen[step.story] = step.choice
        elif closing is not None:
            pieces += set_closing(g, step.at, closing, record=True).pieces
    return pieces, chosen


def _may_move(g: Geometry, at: _At) -> bool:
    """Whether an article may start on the next page although this one could take it: only when the
    page's stretch points can fill what it leaves (else the move costs a hole)."""
    return not at.fresh and g.lines - at.end <= at.stretch + TOLERANCE


def _keep(reached: _States, key: tuple[Hashable, ...], at: _At, path: _Path) -> None:
    best = reached.get(key)
    if best is None or path.cost < best[1].cost - 1e-9:
        reached[key] = (at, path)


def _plan(g: Geometry, replayed: tuple[list[Piece], dict[int, int]], cost: float) -> Plan:
    """The plan of the replayed pieces, each page's blank lines given out at its stretch points."""
    pieces, chosen = replayed
    settings = tuple(chosen[i] for i in range(len(chosen)))
    pages = max((p.page for p in pieces), default=0) + 1
    laid: list[Piece] = []
    short = []
    for page in range(pages):
        on_page = [p for p in pieces if p.page == page]
        end = max((p.bottom for p in on_page), default=g.first_line if page == 0 else 0)
        hole = g.lines - end
        given = _stretched(on_page, hole if page < pages - 1 else 0)
        laid += given
        ends = [max(column) for column in zip(*(column_ends(g, p) for p in given), strict=True)] or [end]
        short.append(g.lines - min(ends))
    last = max((p.bottom for p in laid if p.page == pages - 1), default=g.first_line)
    return Plan(settings, tuple(laid), pages, tuple(short), last, cost)


def _stretched(pieces: list[Piece], hole: int) -> list[Piece]:
    """The page's pieces with up to ``hole`` blank grid lines given out at their stretch points — a
    chart first (the least seen), then the gaps between articles, then under headlines, one line at a
    time from the top — and everything below each opened line moved down."""
    extra = [[0, 0, 0] for _ in pieces]
    for kind in (2, 0, 1):
        while hole > 0:
            open_ = [i for i, p in enumerate(pieces) if extra[i][kind] < p.stretch[kind]]
            if not open_:
                break
            least = min(extra[i][kind] for i in open_)
            i = next(i for i in open_ if extra[i][kind] == least)
            extra[i][kind] += 1
            hole -= 1
    out = []
    shift = 0
    for piece, (gap, head, grow) in zip(pieces, extra, strict=True):
        shift += gap
        out.append(_moved(piece, shift, gap, head, grow))
        shift += head + grow
    return out


def _moved(p: Piece, shift: int, gap: int, head: int, grow: int) -> Piece:
    """``p`` moved down ``shift`` lines (``gap`` of them opened in its own gap), its photos and body
    ``head`` lines more, ``grow`` lines taller."""
    below = shift + head
    return replace(p, top=p.top + shift, bottom=p.bottom + below + grow, gap=p.gap + gap,
                   grow=p.grow + grow, head=p.head + head,
                   photos=tuple((k, c, line + below, span, n) for k, c, line, span, n in p.photos),
                   columns=tuple((c, first + below, n) for c, first, n in p.columns))


__all__ = ["Block", "Geometry", "Piece", "Plan", "Setting", "Story", "make_up"]
