"""The page make-up's plans hold together for any flow: drawn grids and articles (Hypothesis), checked on
the plan — every body line set once, in its page's grid, nothing on top of anything else, every photo on
its headline's page when an empty page (for the lead: page 1 under its bands) could hold them all, a
headline never without its ``keep`` lines, the same plan every time. (The PDFs of real builds are
checked by ``tests/test_flow_fill.py``.)"""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from banmian.compose.makeup import Block, Geometry, Piece, Plan, Setting, Story, make_up, start_need

from .conftest import examples


@st.composite
def flows(draw: st.DrawFn) -> tuple[Geometry, list[Story], Block | None]:
    lines = draw(st.integers(24, 60))
    columns = draw(st.integers(1, 3))
    g = Geometry(lines, columns, draw(st.integers(0, lines // 3)), draw(st.integers(0, 3)),
                 draw(st.integers(1, 6)))
    stories = [Story(tuple(draw(st.lists(setting(g), min_size=1, max_size=3))))
               for _ in range(draw(st.integers(1, 7)))]
    closing = draw(st.none() | st.builds(Block, st.integers(3, 6)))
    return g, stories, closing


def setting(g: Geometry) -> st.SearchStrategy[Setting]:
    spans = st.sampled_from(sorted({1, g.columns}))
    frame = st.tuples(spans, st.integers(3, g.lines // 2))
    block = st.builds(Block, st.integers(3, g.lines // 3), st.integers(0, 3))
    return st.builds(Setting, st.integers(1, 6), st.booleans() if g.columns > 1 else st.just(True),
                     st.floats(0, 0.9), st.just(0.0), st.lists(frame, max_size=3).map(tuple),
                     st.integers(0, 150), st.lists(block, max_size=2).map(tuple), st.floats(0, 20))


def cells(g: Geometry, piece: Piece, setting: Setting) -> list[tuple[int, int]]:
    """The (column, grid line) cells a piece takes: headline, photos, body runs; a block all its rows."""
    if piece.block >= 0:
        return [(c, line) for c in range(g.columns) for line in range(piece.top, piece.bottom)]
    taken = []
    if piece.head:
        head_cols = range(g.columns) if piece.across else range(1)
        taken += [(c, line) for c in head_cols for line in range(piece.top, piece.top + piece.head)]
    for _, col, line, span, lines in piece.photos:
        taken += [(c, r) for c in range(col, col + span) for r in range(line, line + lines)]
    for col, first, count in piece.columns:
        taken += [(col, r) for r in range(first, first + count)]
    return taken


def check(g: Geometry, stories: list[Story], plan: Plan) -> None:
    chosen = [story.settings[i] for story, i in zip(stories, plan.settings, strict=True)]
    body: Counter[int] = Counter()
    for page in range(plan.pages):
        taken: Counter[tuple[int, int]] = Counter()
        for piece in (p for p in plan.pieces if p.page == page):
            assert 0 <= piece.top <= piece.bottom <= g.lines, piece
            if piece.story >= 0:
                for cell in cells(g, piece, chosen[piece.story]):
                    assert 0 <= cell[1] < g.lines, (piece, cell)
                    taken[cell] += 1
                body[piece.story] += sum(n for _, _, n in piece.columns) if piece.block < 0 else 0
        assert not [c for c, n in taken.items() if n > 1], f"page {page}: pieces overlap"
    assert [body[i] for i in range(len(stories))] == [s.body for s in chosen]
    for index, setting in enumerate(chosen):
        head = next(p for p in plan.pieces if p.story == index and p.head)
        below = sum(n for p in plan.pieces if p.story == index and p.page == head.page and p.block < 0
                    for _, _, n in p.columns)
        room = g.lines - (g.first_line if index == 0 else 0)  # the lead opens page 1, under the bands
        if start_need(g, setting) <= room:
            assert all(p.page == head.page for p in plan.pieces if p.story == index and p.photos), index
            assert below >= min(g.keep, setting.body), (index, below)


@settings(max_examples=examples(150))
@given(flows())
def test_plans_set_every_line_once_in_the_grid_with_photos_on_their_headlines_page(
        flow: tuple[Geometry, list[Story], Block | None]) -> None:
    g, stories, closing = flow
    plan = make_up(g, stories, closing)
    check(g, stories, plan)
    assert make_up(g, stories, closing) == plan  # the same plan every time


def test_a_page_the_next_article_cannot_start_on_is_filled_by_an_article_pulled_forward() -> None:
    """Page 1 (12 grid lines) holds article 1 with room to spare; article 2's photo needs a page of its
    own; article 3, text only, fills the room — set before article 2, which follows on page 2."""
    g = Geometry(lines=24, columns=2, first_line=0, gap=1, keep=2)
    text = Story((Setting(2, True, 0.0, 0.0, (), 20, (), 0.0),))
    photo = Story((Setting(2, True, 0.0, 0.0, ((2, 20),), 10, (), 0.0),))
    filler = Story((Setting(2, True, 0.0, 0.0, (), 8, (), 0.0),))
    plan = make_up(g, [text, photo, filler])
    check(g, [text, photo, filler], plan)
    order = [p.story for p in plan.pieces if p.head]
    assert order == [0, 2, 1]
    assert plan.short[0] <= 2
