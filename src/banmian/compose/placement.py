"""Automatic placement (自动组版): every article's module chosen so that the page is full.

Takes: a ``Document``, a module ``Layout`` (its grid, header and banner bands, placement limits and
headline scale; its slots only where articles name them) and the ``FontSet``.
Gives: ``place`` → ``Placement`` — one ``SlotSpec`` per article (a rectangle of whole columns and whole
grid lines below the header and banner, on one page of a spread, with its photo, sidebar and QR areas,
its headline's style and height and the body's tracking) and the layout with those modules as its slots,
which ``compose_page`` then sets like any fixed-slot layout; or, when the content cannot fill the page or
is too much for it, one error per page before anything is composed, with the figures in 字 and what
would fix it. ``realize`` composes the placed page and checks every module against the estimate,
repairing locally (tracking, photo height within the crop limit) where the composer disagrees.

How a page is searched. Each article is measured once (``banmian.compose.variants``): its body lines at
the column width do not depend on the module, so for every span the heights it fits exactly follow by
arithmetic — with its photo at every span and height within the crop limit, its sidebar, its QR code
and the tracking limits. The free area of each page is then cut by guillotine cuts (straight across a
region, along column and grid lines) into modules (``banmian.compose.guillotine``): a region's
highest-ranked article sits at its top left, and a cut gives the part holding it either the articles
ranked next or the last ones, the other part the rest — so the lead is always at the top left, and a
story ranked second may head the column beside it or the band below it. A dynamic programme over
(region width, group of articles) finds every height each group fills exactly (bit sets), then the
cheapest arrangement at the page's height: heights of stacked parts add, parts side by side share one.
It is exhaustive over these arrangements, deterministic (no randomness; ties go to the first found)
and takes a few hundred milliseconds for ten articles on a broadsheet. A spread's articles are shared
out over its two pages first (the lead's page takes the next-ranked or the last articles); fixed
modules are cut out of a page along their edges.

How a layout is scored (lower is better; the constants below and in ``variants`` say why each weighs
what it does). Forbidden: overset, an empty area of three grid lines or more, a module across the fold.
Fill: each empty line at a module's foot costs (at most two). Photo distortion: the printed aspect away
from the picture's own (the crop), quadratic up to the layout's ``photo_aspect`` limit. Module shapes:
one-column modules, body columns shorter than ``min_leg`` in wide modules, headlines broken into more
than two lines, blank lines added under a headline. Hierarchy: the lead is the widest module (a narrower
lead costs per column), other articles pay for every grid line they sit below the top of their region,
weighted by rank; headline size, weight and colour follow ``headline_scale`` by rank.

How an editor steers it: ``rank`` (1 = the lead) on an article, ``min_columns``/``max_columns`` on an
article (and in the layout's ``placement``), ``size: large|small`` or ``span: N`` on a photo, and fixed
modules — ``slot: NAME`` (a slot of the layout) or ``module: {col, span, line, lines}`` — for some
articles, the rest placed around them. ``banmian place --write NEW`` freezes the result as slots.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from banmian.compose.guillotine import Arranger, Group, bits, run
from banmian.compose.page import Adjustments, ArticleBox, PageModel, compose_article, compose_page
from banmian.compose.setter import Composer
from banmian.compose.variants import (
    SLACK,
    Needs,
    Variant,
    effective_ranks,
    loose_lines,
    measure,
    photo_allowed,
    slot_for,
    variants,
)
from banmian.core.diagnostics import BuildError, Diagnostic, Location, error, warning
from banmian.source.fonts import FontSet
from banmian.source.layout import Layout, PlacementSpec, SlotSpec, with_headline_scale
from banmian.source.load import ArticleDoc, Document
from banmian.source.world import ChartGeometryCache
from banmian.source.yamlsrc import KeyPath

# --- costs (in lines of underset, as in ``variants``) ------------------------------------------------
LEAD_NARROW = 2.0  # per column the lead is narrower than it may be (it is always the widest: a hard rule)
LEAD_HALF = 8.0  # per column the lead is narrower than half the page: a lead that narrow is not one
PAGE_SLACK = 6.0  # per empty line at the foot of the whole page (at most two; a last resort)

Region = tuple[int, int, int, int]  # first column, columns, first line, lines (1-based, grid units)


@dataclass(frozen=True)
class At:
    """A plan: ``group`` fills ``region`` (``lines`` of it: the page's foot may stay short)."""

    region: Region
    group: Group
    lines: int


@dataclass(frozen=True)
class Parts:
    """A plan: the pages of a spread, or the two sides of a cut along a fixed module's edge."""

    parts: tuple[Plan, ...]


@dataclass(frozen=True)
class Fixed:
    """A plan: a module the editor fixed."""


Plan = At | Parts | Fixed
Found = tuple[float, Plan] | None  # (cost, plan), or no arrangement


@dataclass(frozen=True)
class Placement:
    """The chosen modules: the layout with them as slots (in the order of the content's articles) and
    what the search found."""

    layout: Layout
    slots: dict[str, SlotSpec]  # article id → its module
    cost: float
    seconds: float
    fixed: frozenset[str]  # articles whose module the editor fixed
    needs: dict[str, Needs]  # what each placed article needs (the repair's limits)


@dataclass(frozen=True)
class _Article:
    needs: Needs
    options: dict[int, dict[int, Variant]]  # span → height → variant
    weight: float  # how much its height on the page matters (rank)


def place(doc: Document, layout: Layout, fonts: FontSet, *, charts: ChartGeometryCache | None = None
          ) -> Placement:
    """Choose every article's module; ``BuildError`` when the page cannot be filled exactly."""
    start = time.perf_counter()
    layout = with_headline_scale(layout)
    c = Composer(layout, fonts, charts)
    fixed, diags = _fixed_modules(doc, layout)
    if diags:
        raise BuildError(diags)
    limits = layout.spec.placement
    tracking = layout.spec.fit.tracking
    pages = _page_regions(layout)
    height = max(r[3] for r in pages)
    arts, dressed = [], {}
    for a, rank in effective_ranks(doc.articles):
        if a.id in fixed and a.article.module is None:
            continue  # a slot of the layout, as the layout gives it
        needs = measure(a, rank, c, limits, tracking)
        if a.article.module is not None:  # the editor's module: the article's best variant in it
            dressed[a.id] = needs
            fixed[a.id] = _dress(needs, fixed[a.id], c, limits, tracking)
        else:
            arts.append(_Article(needs, variants(needs, c, limits, tracking, height), 1.0 / rank))
    search = _Search(arts, height)
    result = search.page(pages, list(fixed.values()))
    if result is None:
        raise BuildError(shortage(doc, layout, arts, pages, fixed))
    cost, plan = result
    slots = {**dict(search.modules(plan)), **fixed}
    ordered = [slots[a.id] for a in doc.articles]
    placed = dataclasses.replace(layout, spec=layout.spec.model_copy(update={"slots": ordered}))
    return Placement(placed, slots, cost, time.perf_counter() - start,
                     frozenset(k for k in fixed if k not in dressed),
                     {**{a.needs.art.id: a.needs for a in arts}, **dressed})


def _dress(needs: Needs, module: SlotSpec, c: Composer, limits: PlacementSpec, tracking: float) -> SlotSpec:
    """A module the editor fixed, with the article's photo, sidebar, headline and tracking as its
    variant of that size gives them (the nearest lower one, or the lowest, when none fits exactly: the
    page then reports the article as short or overset)."""
    span_only = dataclasses.replace(needs, spans=(module.span,))
    table = variants(span_only, c, limits, tracking, c.layout.lines).get(module.span, {})
    if not table:
        return module
    lower = [h for h in table if h <= module.lines]
    variant = table[max(lower) if lower else min(table)]
    slot = slot_for(variant, module.name, module.col, module.line, needs.title_style)
    return slot.model_copy(update={"lines": module.lines})


def _page_regions(layout: Layout) -> list[Region]:
    """The free area of each page: below the header and banner, a page's columns."""
    spec = layout.spec
    top = 1 + max((b.line + b.lines - 1 for b in (spec.header, spec.banner) if b is not None), default=0)
    cols = spec.grid.columns
    return [(1 + p * cols, cols, top, layout.lines - top + 1) for p in range(layout.pages)]


def _fixed_modules(doc: Document, layout: Layout) -> tuple[dict[str, SlotSpec], list[Diagnostic]]:
    """The articles the editor placed: ``slot:`` (a slot of the layout, as it is) or ``module:``."""
    names = {slot.name: slot for slot in layout.spec.slots}
    fixed: dict[str, SlotSpec] = {}
    diags: list[Diagnostic] = []
    for art in doc.articles:
        a = art.article
        if a.continues is not None:
            diags.append(error(f"article {art.id!r} continues in another slot, which automatic placement "
                               "does not do", doc.source.locate(("articles", art.index, "continues")),
                               code="placement", hint="remove 'continues', or build with the layout's "
                                                     "slots (--place fixed)"))
        if a.slot is not None:
            if a.slot not in names:
                diags.append(error(f"article {art.id!r}: layout {layout.name!r} has no slot {a.slot!r}",
                                   doc.source.locate(("articles", art.index, "slot")), code="slot",
                                   hint=f"slots: {', '.join(names) or 'none'}; or a 'module: {{col, span, "
                                        "line, lines}'"))
            else:
                fixed[art.id] = names[a.slot]
        elif a.module is not None:
            m = a.module
            fixed[art.id] = SlotSpec(name=art.id, col=m.col, span=m.span, line=m.line, lines=m.lines)
    return fixed, diags + _module_errors(doc, layout, fixed)


def _module_errors(doc: Document, layout: Layout, fixed: dict[str, SlotSpec]) -> list[Diagnostic]:
    """Modules fixed by hand (``module:``) inside a page's free area, and none over another fixed one."""
    top = _page_regions(layout)[0][2]
    index = {a.id: a for a in doc.articles}
    diags: list[Diagnostic] = []
    taken: dict[tuple[int, int], str] = {}
    for art_id, m in fixed.items():
        if index[art_id].article.module is None:
            continue
        where = doc.source.locate(("articles", index[art_id].index, "module"))
        last_col, last_line = m.col + m.span - 1, m.line + m.lines - 1
        if last_col > layout.columns or m.line < top or last_line > layout.lines or \
                layout.page_of_col(m.col) != layout.page_of_col(last_col):
            diags.append(error(f"article {art_id!r}: its module (columns {m.col}–{last_col}, lines "
                               f"{m.line}–{last_line}) is not inside a page's free area: columns 1–"
                               f"{layout.columns}, lines {top}–{layout.lines}, one page of a spread",
                               where, code="placement"))
            continue
        cells = {(c, ln) for c in range(m.col, last_col + 1) for ln in range(m.line, last_line + 1)}
        other = next((taken[cell] for cell in cells if cell in taken), None)
        if other is not None:
            diags.append(error(f"article {art_id!r}: its module overlaps the one of {other!r}", where,
                               code="placement"))
        taken.update(dict.fromkeys(cells, art_id))
    return diags


class _Search:
    """The page: its free area (a region per page, fixed modules cut out along their edges) filled
    with the articles by the ``Arranger``, trying the lead at each width from the widest down while a
    narrower lead could still win."""

    def __init__(self, arts: Sequence[_Article], height: int):
        self.arts = arts
        self.arranger = Arranger([a.options for a in arts], [a.weight for a in arts], height)

    def page(self, pages: list[Region], fixed: list[SlotSpec]) -> Found:
        if not self.arts:
            return (0.0, Parts(())) if self._free_is_fixed(pages, fixed) else None
        spans = sorted(self.arts[0].options, reverse=True)
        best: Found = None
        lead = 0
        for span in spans:
            penalty = LEAD_NARROW * (spans[0] - span) + LEAD_HALF * max(0, -(-pages[0][1] // 2) - span)
            if best is not None and penalty >= best[0]:
                break
            self.arranger.lead_span = span
            found = self._pages(pages, fixed)
            if found is not None and (best is None or found[0] + penalty < best[0]):
                best, lead = (found[0] + penalty, found[1]), span
        self.arranger.lead_span = lead  # ``modules`` unfolds the arrangements of the chosen lead
        return best

    def page_heights(self, pages: list[Region]) -> list[list[tuple[Group | None, set[int]]]]:
        """For every way to share the articles out over the pages and every lead width: each page's
        group and the heights (up to the arranger's) at which it fills its page exactly."""
        out: list[list[tuple[Group | None, set[int]]]] = []
        n = len(self.arts)
        for span in self.arts[0].options:
            self.arranger.lead_span = span
            if len(pages) == 1:
                out.append([(run(0, n), set(bits(self.arranger.reach(pages[0][1], run(0, n)))))])
                continue
            for first, second in _page_splits(n):
                out.append([(group, set(bits(self.arranger.reach(region[1], group))) if group else set())
                            for region, group in zip(pages, (first, second), strict=True)])
        return out

    def _free_is_fixed(self, pages: list[Region], fixed: list[SlotSpec]) -> bool:
        return sum(r[1] * r[3] for r in pages) == sum(s.span * s.lines for s in fixed)

    def _pages(self, pages: list[Region], fixed: list[SlotSpec]) -> Found:
        """Articles over the pages (a spread: the lead's page with the head or the tail of the rest)."""
        n = len(self.arts)
        if len(pages) == 1:
            return self._region(pages[0], 0, n, _inside(fixed, pages[0]), bottom=True)
        left, right = pages
        best: Found = None
        for first, second in _page_splits(n):
            a = self._group_in(left, first, _inside(fixed, left))
            b = self._group_in(right, second, _inside(fixed, right)) if a is not None else None
            if a is not None and b is not None and (best is None or a[0] + b[0] < best[0]):
                best = (a[0] + b[0], Parts((a[1], b[1])))
        return best

    def _group_in(self, region: Region, group: Group | None, fixed: list[SlotSpec]) -> Found:
        """A page holding ``group`` (None: only its fixed modules)."""
        if fixed or group is None:
            if group is not None and group[1] != group[0] + 1:
                return None  # around fixed modules: runs only
            i, j = (group[0], group[2]) if group is not None else (0, 0)
            return self._region(region, i, j, fixed, bottom=True)
        return self._fill(region, group, bottom=True)

    def _region(self, region: Region, i: int, j: int, fixed: list[SlotSpec], *, bottom: bool = False
                ) -> Found:
        """Articles ``i..j`` in a region placed on the page (with the fixed modules inside it)."""
        if fixed:
            return self._around(region, i, j, fixed)
        if i == j:
            return None
        return self._fill(region, run(i, j), bottom=bottom)

    def _fill(self, region: Region, group: Group, *, bottom: bool) -> Found:
        """``group`` filling ``region``; at the page's foot a line or two may stay short (a last resort)."""
        _, cols, _, lines = region
        for short in range(SLACK + 1 if bottom else 1):
            found = self.arranger.best(cols, group, lines - short)
            if found is not None:
                return found[0] + PAGE_SLACK * short * cols, At(region, group, lines - short)
        return None

    def _around(self, region: Region, i: int, j: int, fixed: list[SlotSpec]) -> Found:
        """A region holding fixed modules: cut along a fixed module's edge (never through one), the
        articles in order on both sides; a region that is one fixed module holds no other article."""
        if len(fixed) == 1 and (fixed[0].col, fixed[0].span, fixed[0].line, fixed[0].lines) == region:
            return (0.0, Fixed()) if i == j else None
        best: Found = None
        for first, second in _cuts(region, fixed):
            for m in range(i, j + 1):
                a = self._part(first, i, m, fixed)
                if a is None:
                    continue
                b = self._part(second, m, j, fixed)
                if b is not None and (best is None or a[0] + b[0] < best[0]):
                    best = (a[0] + b[0], Parts((a[1], b[1])))
        return best

    def _part(self, region: Region, i: int, j: int, fixed: list[SlotSpec]) -> Found:
        inside = _inside(fixed, region)
        if not inside and i == j:
            return None
        return self._region(region, i, j, inside)

    def modules(self, plan: Plan) -> list[tuple[str, SlotSpec]]:
        """The slots of a plan, each article's module at its place on the page."""
        if isinstance(plan, At):
            col, cols, line, _ = plan.region
            out = []
            for index, variant, c, ln in self.arranger.unfold(col, line, cols, plan.group, plan.lines):
                needs = self.arts[index].needs
                out.append((needs.art.id, slot_for(variant, needs.art.id, c, ln, needs.title_style)))
            return out
        if isinstance(plan, Parts):
            return [s for part in plan.parts for s in self.modules(part)]
        return []


def _page_splits(n: int) -> list[tuple[Group | None, Group | None]]:
    """A spread's articles over its two pages: the lead's page with the head or the tail of the rest."""
    out: list[tuple[Group | None, Group | None]] = []
    for k in range(1, n + 1):
        out.append((run(0, k), run(k, n) if k < n else None))
    for k in range(2, n):
        out.append(((0, k, n), run(1, k)))
    return out


def _inside(fixed: list[SlotSpec], region: Region) -> list[SlotSpec]:
    col, cols, line, lines = region
    return [s for s in fixed if col <= s.col and s.col + s.span <= col + cols
            and line <= s.line and s.line + s.lines <= line + lines]


def _cuts(region: Region, fixed: list[SlotSpec]) -> list[tuple[Region, Region]]:
    """Guillotine cuts of a region along the edges of its fixed modules, through none of them."""
    col, cols, line, lines = region
    out: list[tuple[Region, Region]] = []
    xs = sorted({s.col for s in fixed} | {s.col + s.span for s in fixed})
    for x in xs:
        if col < x < col + cols and all(s.col >= x or s.col + s.span <= x for s in fixed):
            out.append(((col, x - col, line, lines), (x, col + cols - x, line, lines)))
    ys = sorted({s.line for s in fixed} | {s.line + s.lines for s in fixed})
    for y in ys:
        if line < y < line + lines and all(s.line >= y or s.line + s.lines <= y for s in fixed):
            out.append(((col, cols, line, y - line), (col, cols, y, line + lines - y)))
    return out


# --- too little or too much ------------------------------------------------------------------------------

MARGIN = 40  # grid lines above the page's height the diagnosis looks for the nearest arrangement


def shortage(doc: Document, layout: Layout, arts: Sequence[_Article], pages: list[Region],
             fixed: dict[str, SlotSpec]) -> list[Diagnostic]:
    """One error per page that cannot be filled, saying how much is missing or over — in grid lines, 字
    and photo area — taken from the nearest arrangements the search finds on a taller or shorter page
    (a spread: the split of the articles over its pages that comes nearest), and what would fix it."""
    where = doc.source.locate(("articles",))
    stuck = [a for a in arts if not a.options]
    if stuck:
        return [_stuck_error(a, layout, pages[0], doc.source.locate(("articles", a.needs.art.index)))
                for a in stuck]
    height = pages[0][3]
    if fixed or not arts:
        return [error(f"layout {layout.name!r}: no arrangement of the {len(arts)} other articles fills the "
                      "area around the fixed modules", where, code="placement",
                      hint="move or resize a fixed module (module: {col, span, line, lines}), or add or "
                           "cut text")]
    candidates = _Search(arts, height + MARGIN).page_heights(pages)
    best = min(candidates, key=lambda cand: sum(abs(_nearest(h, height) - height) for _, h in cand))
    diags = []
    for index, (group, heights) in enumerate(best):
        page = f"layout {layout.name!r}" + ((", left page", ", right page")[index] if len(pages) == 2 else "")
        members = [arts[i] for i in _members(group)]
        off = _nearest(heights, height) - height
        if off:
            diags.append(_page_error(page, members, off, layout, where))
    return diags


def _stuck_error(art: _Article, layout: Layout, page: Region, where: Location) -> Diagnostic:
    """An article no module of the page holds: the widths it may take, or how much it is over at the
    widest of them."""
    needs = art.needs
    name = f"layout {layout.name!r}: article {needs.art.id!r}"
    if not needs.spans:
        return error(f"{name} may take no width of the page's {page[1]} columns", where, code="placement",
                     hint="its min_columns and max_columns (or the layout's) leave none")
    span = max(needs.spans)
    lines = -(-needs.lines_tight // span) + needs.head[span - 1]
    if lines > page[3]:
        over = (lines - page[3]) * round(span * layout.spec.grid.column_chars)
        return error(f"{name} is too long for the page: {span} column{'s' if span > 1 else ''} wide, its "
                     "headline and text alone "
                     f"take {lines} grid lines of {page[3]}", where, code="placement",
                     hint=f"cut about {over} 字, allow it more columns (max_columns), or use a larger layout")
    widths = f"{min(needs.spans)}–{span}" if len(needs.spans) > 1 else str(span)
    return error(f"{name} fits no module {widths} columns wide: with its photo and sidebar no height of "
                 "the page holds its text exactly", where, code="placement",
                 hint="allow it other widths (min_columns/max_columns), or give it a smaller photo or "
                      "sidebar")


def _nearest(heights: set[int], height: int) -> int:
    """The height nearest ``height`` (the lower of two as near); far off when there is none."""
    return min(heights, key=lambda h: (abs(h - height), h)) if heights else height + 10 * MARGIN


def _members(group: Group | None) -> list[int]:
    if group is None:
        return []
    f, a, b = group
    return [f, *range(a, b)]


def _page_error(page: str, members: Sequence[_Article], off: int, layout: Layout, where: Location
                ) -> Diagnostic:
    """The error of one page whose nearest arrangement is ``off`` grid lines too tall (or short)."""
    columns = layout.spec.grid.columns
    per_line = round(columns * layout.spec.grid.column_chars)  # 字 in a grid line across the page
    if not members:
        return error(f"{page}: no article is left for this page", where, code="placement",
                     hint="add an article, or use a one-page layout")
    them = "its article" if len(members) == 1 else f"its {len(members)} articles"
    lines = f"{abs(off)} grid line{'s' if abs(off) != 1 else ''}"
    if abs(off) > MARGIN:
        return error(f"{page}: no arrangement of {them} fills the page, even {MARGIN} grid lines taller or "
                     "shorter", where, code="placement",
                     hint="other module widths (min_columns/max_columns), photos, or a module fixed by hand "
                          "(module: {col, span, line, lines})")
    if off > 0:
        return error(f"{page}: the content is too much for the page — the tightest arrangement of {them} is "
                     f"{lines} too tall, about {off * per_line} 字 over", where, code="placement",
                     hint=f"cut {_cuts_per_article(members, off * per_line)}; or move an article elsewhere, "
                          "use smaller photos (size: small), or a larger layout")
    cm = -off * layout.spec.grid.pitch * layout.span_width(columns) / (72 / 2.54) ** 2
    return error(f"{page}: the content is too little for the page — the fullest arrangement of {them} "
                 f"leaves {lines} empty, about {-off * per_line} 字 missing", where, code="placement",
                 hint=f"add about {-off * per_line} 字 (another article, or longer ones), photos of about "
                      f"{cm:.0f} cm² more (size: large), or use a smaller layout")


def _cuts_per_article(arts: Sequence[_Article], over: int) -> str:
    """``over`` 字 shared among the articles in proportion to their length, longest first."""
    total = sum(a.needs.chars for a in arts) or 1
    shares = sorted(((a.needs.chars * over / total, a.needs.art.id) for a in arts), reverse=True)
    return ", ".join(f"{art_id} by {math.ceil(share)} 字" for share, art_id in shares if share >= 1)


# --- composing the placed page ------------------------------------------------------------------------

def realize(doc: Document, placement: Placement, fonts: FontSet, *,
            charts: ChartGeometryCache | None = None) -> PageModel:
    """The page composed in the chosen modules; a module whose real composition disagrees with the
    estimate (overset, more than ``SLACK`` lines short, or more loose lines than the text has untracked)
    is repaired — tracking and photo height within their limits — before the page is composed for
    good. A module that cannot be repaired stays as it is: the page reports it — overset, or short by
    three lines or more, a hole — as an error, so that no PDF is written."""
    page = _repaired(doc, placement, fonts, charts)
    holes = [hole_error(box) for box in page.articles
             if not box.part and box.id in placement.needs and box.fit.fits
             and box.fit.under_lines > min(SLACK, box.slot.span)]
    return dataclasses.replace(page, diagnostics=(*page.diagnostics, *holes)) if holes else page


def hole_error(box: ArticleBox) -> Diagnostic:
    """A placed module left three lines short or more: a hole, which no placed page may have."""
    return error(f"article {box.id!r} leaves its module {box.fit.under_lines} lines short: a hole the "
                 "placement could not repair", box.fit.location, code="hole",
                 hint="add a sentence or two, or give it another module (module: {col, span, line, lines})")


def _repaired(doc: Document, placement: Placement, fonts: FontSet, charts: ChartGeometryCache | None
              ) -> PageModel:
    layout = placement.layout
    c = Composer(layout, fonts, charts)
    page = compose_page(doc, layout, fonts, charts=charts)
    by_id = {a.id: a for a in doc.articles}
    repaired: dict[str, SlotSpec] = {}
    for box in page.articles:
        needs = placement.needs.get(box.id)
        if box.part or needs is None:
            continue
        if _exact(box) and loose_lines(needs.art, c, box.slot.tracking) <= needs.loose[0]:
            continue
        better = _repair(by_id[box.id], needs, box, c, doc)
        if better is not None:
            repaired[box.id] = better
    if not repaired:
        return page
    slots = [repaired.get(a.id, placement.slots[a.id]) for a in doc.articles]
    fixed_layout = dataclasses.replace(layout, spec=layout.spec.model_copy(update={"slots": slots}))
    return compose_page(doc, fixed_layout, fonts, charts=charts)


def _exact(box: ArticleBox) -> bool:
    """Nothing overset and at most ``SLACK`` lines empty (all at the foot of the last column)."""
    return box.fit.fits and box.fit.under_lines <= min(SLACK, box.slot.span)


def _repair(art: ArticleDoc, needs: Needs, box: ArticleBox, c: Composer, doc: Document) -> SlotSpec | None:
    """The same module with the tracking step and photo height that fit exactly with the fewest loose
    lines, then the smallest change; None when none fits."""
    slot = box.slot
    limit = c.layout.spec.fit.tracking
    base = box.fit.lines_available  # body lines the module holds with its photo as it is
    heights = _photo_heights(needs, slot, c)
    trials = []
    for k in range(-round(limit / 0.005), round(limit / 0.005) + 1):
        t = round(k * 0.005, 3)
        lines = sum(len(c.paragraph(p.spans, c.layout.column_width, "body", tracking=t))
                    for p in art.paragraphs)
        for d in heights:
            spare = base - d * (slot.image.span if slot.image else 0) - lines
            if 0 <= spare <= min(SLACK, slot.span):
                added = max(0, loose_lines(art, c, t) - needs.loose[0])
                trials.append((added, abs(t), abs(d), t, d))
    for *_, t, d in sorted(trials):
        update: dict[str, object] = {"tracking": t}
        if d and slot.image is not None:
            update["image"] = slot.image.model_copy(update={"lines": slot.image.lines + d})
        trial = slot.model_copy(update=update)
        if _exact(compose_article(art, trial, c, doc, Adjustments(), [])):
            return trial
    return None


def _photo_heights(needs: Needs, slot: SlotSpec, c: Composer) -> list[int]:
    """Grid lines the photo area may gain or lose and stay within the crop limit (0 without a photo)."""
    if slot.image is None or needs.photo is None:
        return [0]
    limit = c.layout.spec.placement.photo_aspect
    return [d for d in (0, -1, 1, -2, 2) if slot.image.lines + d >= 3
            and photo_allowed(needs.photo, slot.image.span, slot.image.lines + d, c, limit)]


PLACEMENT_KEYS = ("rank", "min_columns", "max_columns", "module")  # an article's, for automatic placement
PHOTO_KEYS = ("size", "span")  # an image's, for automatic placement


def hints_without_effect(doc: Document, why: str) -> list[Diagnostic]:
    """A warning for each placement hint the content gives that this page cannot follow (``why``: the
    page uses the layout's slots, or is a flow layout): nothing the editor writes is silently ignored."""
    diags = []
    for art in doc.articles:
        keys: list[KeyPath] = [("articles", art.index, k) for k in PLACEMENT_KEYS
                               if getattr(art.article, k) is not None]
        keys += [("articles", art.index, "images", i, k) for i, ref in enumerate(art.article.images)
                 for k in PHOTO_KEYS if getattr(ref, k) is not None]
        diags += [warning(f"article {art.id!r}: {key[-1]!r} applies to automatic placement; {why}",
                          doc.source.locate(key), code="placement",
                          hint="build with --place auto, or remove the key") for key in keys]
    return diags
