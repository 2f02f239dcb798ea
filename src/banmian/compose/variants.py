"""Module variants: what one article needs, measured once, and every module it fits exactly.

Takes: an ``ArticleDoc`` with its rank, the ``Composer`` (layout, fonts) and the layout's placement
limits (``placement:`` in layout.yaml, narrowed by the article's ``min_columns``/``max_columns`` and its
photo's ``size``/``span`` hints).
Gives: ``measure`` → ``Needs`` — the body's lines at the column width (they do not depend on the module:
every column of every module has the same width) at no, least and most tracking; the headline group's
grid lines per span; the photo's own aspect (EXIF orientation applied) and its caption's lines per photo
span; the sidebar's and the QR code's grid lines — and ``variants`` → per span, for every module height
(grid lines) the article fits exactly, the cheapest ``Variant``: photo columns and lines, sidebar
columns and lines, tracking, and its cost. "Fits exactly": nothing overset and at most ``slack`` empty
lines, all at the foot of the last column (under three grid lines: never a hole). ``slot_for`` turns a
variant placed at a column and line into the ``SlotSpec`` the page composer takes.

Costs are in "lines of underset" (one empty line at a module's foot costs 1); each constant says why.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from banmian.compose.linebreak import Line
from banmian.compose.page import count_chars, headline_blocks, headline_grid_lines, vertical_group
from banmian.compose.setter import Composer
from banmian.core.units import MM
from banmian.source.layout import (
    HeadlineSpec,
    ImageSpec,
    PlacementSpec,
    SidebarSpec,
    SlotQrSpec,
    SlotSpec,
    headline_scale,
    scale_style_name,
)
from banmian.source.load import ArticleDoc, split_paragraphs
from banmian.source.model import InlineSpan, Sidebar

# --- costs (in lines of underset) ---------------------------------------------------------------------
UNDERSET = 1.0  # per empty line at the foot of a module's last column: the eye reads it as a gap
TRACKING = 0.7  # per body line won or lost by tracking: the text's grey changes against its neighbours
LOOSE = 3.0  # per body line tracking sets looser than ``LOOSE_EM`` (the lint's strict limit) that was not
PHOTO_CROP = 4.0  # at the crop limit (quadratic below it): a fifth of the picture cut away shows
PHOTO_SPAN = 0.5  # per column the photo is narrower or wider than its share of the module suggests
PHOTO_AREA = 3.0  # per halving or doubling of the photo's share of the module against its target
HEAD_AIR = 2.0  # per blank grid line added under a headline group to make a module taller
SHORT_LEG = 0.4  # per line a body column of a wide module holds under ``min_leg``: stubby columns
ONE_COLUMN = 6.0  # a one-column module: a strip that reads as a filler, not a story
TITLE_LINES = 2.0  # per title line beyond two: a headline broken into many short lines
LEAD_SHARE = 0.5  # per column the lead's photo is narrower than half its module
LOW_RES = 4.0  # a photo printed under ``GOOD_PPI``: the preflight warns, the print is soft

# --- limits ---------------------------------------------------------------------------------------------
SLACK = 2  # empty lines a module may keep at the foot of its last column (three would be a hole)
MIN_SEGMENT = 3  # a body column between photo and sidebar holds at least this many lines, or none
PHOTO_SHARE = {"large": 1.0, None: 0.6, "small": 0.34}  # preferred photo span / module span
PHOTO_TARGET = {"large": 0.45, None: 0.3, "small": 0.15}  # preferred photo area / module body area
LEAD_PHOTO = 1.25  # the lead's photo: its target share this much larger (the page's visual anchor),
LEAD_PHOTO_WEIGHT = 2.0  # and its size weighs this much more than other photos

MIN_PPI = 200  # a photo printed coarser is a preflight error, unless its ``min_ppi`` accepts it
GOOD_PPI = 300  # coarser than this the preflight warns
UNKNOWN_PIXELS = 100_000  # an unreadable picture (the photo stage reports it): no resolution limit
CROPPED = 0.02  # an editor's crop is printed within 2 % of its shape (more is cut away with a warning)
CHART_LINES = 11  # grid lines of a chart box (its title band, charts, source line)
SIDEBAR_PAD = 6.0  # pt of padding inside a sidebar box (as ``sidebar_box`` sets it)
LOOSE_EM = 0.15  # em added to a gap of a justified line beyond which ``banmian check --strict`` objects


@dataclass(frozen=True)
class Photo:
    """The article's first photo: its own aspect (width / height, EXIF orientation applied) and its
    caption's lines per photo span (index: span - 1)."""

    aspect: float
    caption_lines: tuple[int, ...]
    caption_loose: tuple[int, ...]  # caption lines set looser than ``LOOSE_EM``, per photo span
    size: str | None
    span: int | None
    cropped: bool = False  # the editor's crop: printed as it is, within ``CROPPED`` of its shape
    pixels: tuple[float, float] = (0.0, 0.0)  # as printed (upright, cropped)
    min_ppi: float = 0.0  # the least resolution it may print at


@dataclass(frozen=True)
class Needs:
    """What an article needs, measured once."""

    art: ArticleDoc
    rank: int  # 1 = the lead
    title_style: str
    lines: int  # body lines at no tracking
    lines_tight: int  # at the least tracking the layout allows
    lines_loose: int  # at the most
    loose: tuple[int, int, int]  # lines set looser than ``LOOSE_EM`` at no, least and most tracking
    chars: int  # 字 of the body
    head: tuple[int, ...]  # headline group's grid lines per span (index: span - 1)
    title: tuple[int, ...]  # title lines per span
    photo: Photo | None
    sidebar: tuple[int, ...]  # sidebar grid lines per sidebar span (index: span - 1); () without one
    sidebar_loose: tuple[int, ...]  # its lines set looser than ``LOOSE_EM``, per span
    sidebar_min_span: int
    qr_lines: int  # 0 without a QR code
    spans: tuple[int, ...]  # module spans allowed
    vertical: tuple[tuple[int, int], ...] = ()  # 竖题: (slot columns, least grid lines) per span; ()


@dataclass(frozen=True)
class Variant:
    """One way to set an article in a module ``span`` columns wide and ``lines`` high."""

    span: int
    lines: int
    cost: float
    head: int  # grid lines of the headline group (with added air)
    photo: tuple[int, int] | None  # (columns, grid lines) at the module's top right
    sidebar: tuple[int, int] | None  # (columns, grid lines) at the module's foot, right
    qr: int  # grid lines of the QR area at the foot of the first column (0: none)
    body_lines: int  # the body's lines at the tracking below
    tracking: float  # estimated; the composer checks it (``placement.realize``)
    vertical: int = 0  # columns a vertical headline takes at the module's right edge (0: across the top)


def effective_ranks(arts: tuple[ArticleDoc, ...]) -> list[tuple[ArticleDoc, int]]:
    """Articles in rank order with their rank: an explicit ``rank`` first (1 = the lead), else the
    order in the file; ties keep the file's order."""
    order = sorted(arts, key=lambda a: (a.article.rank or a.index + 1, a.article.rank is None, a.index))
    return [(a, a.article.rank or i + 1) for i, a in enumerate(order)]


def measure(art: ArticleDoc, rank: int, c: Composer, limits: PlacementSpec, tracking: float) -> Needs:
    """Every measurement the placement needs, composing the body three times and headlines per span."""
    lay = c.layout
    page_columns = lay.spec.grid.columns
    scale = len(headline_scale(lay.spec))
    title_style = scale_style_name(min(rank, scale)) if scale else "title"
    counts = [_body_lines(art, c, t) for t in (0.0, -tracking, tracking)]
    loose = (loose_lines(art, c, 0.0), loose_lines(art, c, -tracking), loose_lines(art, c, tracking))
    heads, titles = [], []
    for span in range(1, page_columns + 1):
        blocks = headline_blocks(art.article, lay.span_width(span), c, title_style)
        heads.append(headline_grid_lines(blocks, c))
        titles.append(sum(len(lines) for name, lines in blocks if name == title_style))
    side, side_loose, side_min = _sidebar_lines(art, c)
    return Needs(art, rank, title_style, counts[0], counts[1], counts[2], loose, _body_chars(art, c),
                 tuple(heads), tuple(titles), _photo(art, c), side, side_loose, side_min, _qr_lines(art, c),
                 _spans(art, limits, page_columns, side_min), _vertical(art, c, title_style))


def _vertical(art: ArticleDoc, c: Composer, title_style: str) -> tuple[tuple[int, int], ...]:
    """A vertical headline's slot columns and the least module height (grid lines) it needs, per span
    (each forced line one column: its length sets the height; the columns the same at every span)."""
    headline = art.article.headline
    if headline is None or headline.direction != "vertical":
        return ()
    lay = c.layout
    placed, columns = vertical_group(art.article, c, 0.0, 0.0, math.inf, title_style)
    length = max(pl.line.width for pl in placed)
    lines = math.ceil(length / lay.spec.grid.pitch - 1e-6) + 1  # half a grid line above and below
    return tuple((columns, lines) for _ in range(lay.spec.grid.columns))


def _body_lines(art: ArticleDoc, c: Composer, tracking: float) -> int:
    width = c.layout.column_width
    return sum(len(c.paragraph(p.spans, width, "body", tracking=tracking)) for p in art.paragraphs)


def loose_lines(art: ArticleDoc, c: Composer, tracking: float) -> int:
    """Body lines (not a paragraph's last) justified with more than ``LOOSE_EM`` added to a gap."""
    width = c.layout.column_width
    return sum(_loose(c.paragraph(p.spans, width, "body", tracking=tracking), c.layout.body_size, tracking)
               for p in art.paragraphs)


def _body_chars(art: ArticleDoc, c: Composer) -> int:
    width = c.layout.column_width
    return sum(count_chars(line) for p in art.paragraphs for line in c.paragraph(p.spans, width, "body"))


def _spans(art: ArticleDoc, limits: PlacementSpec, page_columns: int, side_min: int) -> tuple[int, ...]:
    a = art.article
    low = max(a.min_columns or limits.min_columns, side_min, 1)
    high = min(a.max_columns or limits.max_columns or page_columns, page_columns)
    return tuple(range(low, high + 1))


def picture_pixels(path: Path, crop: tuple[float, float, float, float] | None = None
                   ) -> tuple[float, float] | None:
    """Width and height in pixels of the picture as printed: EXIF orientations 5–8 (a quarter turn)
    swap them; an editor's ``crop`` (fractions of the upright picture) is what is printed."""
    try:
        with Image.open(path) as im:
            size = im.size
            orientation = im.getexif().get(0x0112, 1)
    except (OSError, UnidentifiedImageError):
        return None
    w, h = (size[1], size[0]) if orientation in (5, 6, 7, 8) else size
    cw, ch = (crop[2], crop[3]) if crop is not None else (1.0, 1.0)
    return (w * cw, h * ch) if w and h and cw and ch else None


def _photo(art: ArticleDoc, c: Composer) -> Photo | None:
    if not art.images:
        return None
    ref = art.article.images[0]
    crop = (float(ref.crop[0]), float(ref.crop[1]), float(ref.crop[2]), float(ref.crop[3])) if ref.crop \
        else None
    pixels = picture_pixels(art.images[0], crop) or (1.5 * UNKNOWN_PIXELS, UNKNOWN_PIXELS)
    text = ref.printed_caption
    lay = c.layout
    captions = [c.paragraph([InlineSpan(text)], lay.span_width(p), "caption", indent=0) if text else ()
                for p in range(1, lay.spec.grid.columns + 1)]
    return Photo(pixels[0] / pixels[1], tuple(len(lines) for lines in captions),
                 tuple(_loose(lines, c.style("caption").size) for lines in captions), ref.size, ref.span,
                 crop is not None, pixels, ref.min_ppi or MIN_PPI)


def _loose(lines: Sequence[Line], size: float, tracking: float = 0.0) -> int:
    """Lines (not a paragraph's last) whose gaps are wider than ``LOOSE_EM`` (spread and tracking)."""
    return sum(1 for line in lines if not line.last and line.spread + tracking * size > LOOSE_EM * size)


def _sidebar_lines(art: ArticleDoc, c: Composer) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """Grid lines of the article's sidebar box per span (as ``page.sidebar_box`` sets it), its loose
    lines per span, and the least span it needs (a chart box: one and a half columns a chart)."""
    side = art.article.sidebar
    if side is None:
        return (), (), 0
    lay = c.layout
    pitch = lay.spec.grid.pitch
    columns = range(1, lay.spec.grid.columns + 1)
    if side.kind == "chart":
        least = math.ceil(1.5 * len(side.all_charts))
        return tuple(CHART_LINES for _ in columns), tuple(0 for _ in columns), least
    heights, loose = [], []
    for span in columns:
        inner = lay.span_width(span) - 2 * SIDEBAR_PAD
        title = c.headline([side.title], inner, "sidebar-title")
        text = _sidebar_text(side, c, inner)
        height = (len(title) * c.style("sidebar-title").leading + 4 + 4
                  + len(text) * c.style("sidebar").leading)
        heights.append(math.ceil((height + SIDEBAR_PAD + pitch * 0.6) / pitch - 1e-6))
        loose.append(_loose(text, c.style("sidebar").size))
    return tuple(heights), tuple(loose), 1


def _sidebar_text(side: Sidebar, c: Composer, inner: float) -> list[Line]:
    """The sidebar's lines as ``page.sidebar_box`` composes them: items after a bullet, or paragraphs."""
    style = c.style("sidebar")
    if side.items is not None:
        return [line for item in side.items
                for line in c.paragraph([InlineSpan(item)], inner - style.size, "sidebar", indent=0)]
    return [line for text in split_paragraphs(side.body or "")
            for line in c.paragraph([InlineSpan(text)], inner, "sidebar")]


def _qr_lines(art: ArticleDoc, c: Composer) -> int:
    qr = art.article.qr
    if qr is None:
        return 0
    label = c.style("caption").leading if qr.label else 0.0
    return math.ceil((SlotQrSpec(lines=3).size_mm * MM + label) / c.layout.spec.grid.pitch) + 1


# --- variants -------------------------------------------------------------------------------------------

def variants(needs: Needs, c: Composer, limits: PlacementSpec, tracking: float, height: int
             ) -> dict[int, dict[int, Variant]]:
    """Per span, the cheapest variant for every module height up to ``height`` grid lines."""
    out: dict[int, dict[int, Variant]] = {}
    for span in needs.spans:
        best = _span_variants(needs, span, c, limits, tracking, height)
        if best:
            out[span] = best
    return out


def _span_variants(needs: Needs, span: int, c: Composer, limits: PlacementSpec, tracking: float,
                   height: int) -> dict[int, Variant]:
    """The cheapest variant of ``span`` columns for every module height; a vertical headline takes its
    columns at the right edge, and the module is at least as tall as its longest column."""
    best: dict[int, Variant] = {}
    shape = _shape_cost(needs, span)
    taken, least = needs.vertical[span - 1] if needs.vertical else (0, 0)
    if taken >= span:
        return best
    for photo, photo_cost in _photo_options(needs, span - taken, c, limits):
        for side, side_cost in _sidebar_options(needs, span - taken):
            for lines, line_cost in _line_options(needs):
                v = _fit(needs, span, photo, side, lines, tracking, limits)
                if v is not None and taken:  # the body fills the module beside the headline exactly
                    v = dataclasses.replace(v, vertical=taken) if v.lines >= least else None
                if v is None or v.lines > height:
                    continue
                v = _with_cost(v, shape + photo_cost + side_cost + line_cost)
                if v.lines not in best or v.cost < best[v.lines].cost:
                    best[v.lines] = v
    if not taken:
        _add_head_air(best, height)
    return best


def _shape_cost(needs: Needs, span: int) -> float:
    cost = ONE_COLUMN if span == 1 else 0.0
    return cost + TITLE_LINES * max(0, needs.title[span - 1] - 2)


def _line_options(needs: Needs) -> list[tuple[int, float]]:
    """Body line counts within the tracking limits, each with its cost (no tracking first): the lines
    won or lost, and the loose lines the tracking adds (shared in proportion on the way to the limit)."""
    out = []
    for n in range(min(needs.lines_tight, needs.lines), max(needs.lines_loose, needs.lines) + 1):
        far, loose = (needs.lines_loose, needs.loose[2]) if n > needs.lines else (needs.lines_tight,
                                                                                  needs.loose[1])
        share = (n - needs.lines) / (far - needs.lines) if far != needs.lines else 0.0
        added = max(0, loose - needs.loose[0]) * share
        out.append((n, TRACKING * abs(n - needs.lines) + LOOSE * added))
    return sorted(out, key=lambda o: o[1])


def _photo_options(needs: Needs, span: int, c: Composer, limits: PlacementSpec
                   ) -> list[tuple[tuple[int, int] | None, float]]:
    """(columns, grid lines) of the photo area for each photo span and height within the crop limit,
    with its cost; ``[(None, 0)]`` without a photo."""
    photo = needs.photo
    if photo is None:
        return [(None, 0.0)]
    pitch = c.layout.spec.grid.pitch
    limit = min(limits.photo_aspect, CROPPED) if photo.cropped else limits.photo_aspect
    share = PHOTO_SHARE.get(photo.size, PHOTO_SHARE[None])
    preferred = min(span, max(1, round(span * share)))
    spans = [photo.span] if photo.span and photo.span <= span else range(1, span + 1)
    out: list[tuple[tuple[int, int] | None, float]] = []
    for p in spans:
        width, extra = c.layout.span_width(p), _photo_extra(photo, p, c)
        low = width / (photo.aspect * (1 + limit)) + extra
        high = width / (photo.aspect * max(1e-3, 1 - limit)) + extra
        for ph in range(max(limits.photo_lines, math.ceil(low / pitch)), math.floor(high / pitch) + 1):
            ppi = _ppi(photo, width, ph * pitch - extra)
            if ppi < photo.min_ppi:
                break  # taller only gets coarser
            crop = photo_crop(photo, p, ph, c) / max(limits.photo_aspect, 1e-3)
            cost = (PHOTO_CROP * crop * crop + PHOTO_SPAN * abs(p - preferred)
                    + LOOSE * photo.caption_loose[p - 1] + (LOW_RES if ppi < GOOD_PPI else 0.0))
            if needs.rank == 1:
                cost += LEAD_SHARE * max(0, math.ceil(span / 2) - p)
            out.append(((p, ph), cost))
    return out


def _ppi(photo: Photo, width: float, height: float) -> float:
    """The effective resolution of the picture covering a frame ``width`` × ``height`` pt: the side it
    fills whole sets it (the other is cut)."""
    w, h = photo.pixels
    if width / height >= photo.aspect:
        return w / (width / 72)
    return h / (height / 72)


def _photo_extra(photo: Photo, span: int, c: Composer) -> float:
    """pt of a photo area that are not picture: its caption and the gaps (as ``page._figure`` sets it)."""
    return photo.caption_lines[span - 1] * c.style("caption").leading + 3 + 0.8 * c.layout.spec.grid.pitch


def photo_allowed(photo: Photo, span: int, lines: int, c: Composer, limit: float) -> bool:
    """Whether a photo area ``span`` columns by ``lines`` grid lines keeps the picture within the crop
    ``limit`` and at its least resolution."""
    height = lines * c.layout.spec.grid.pitch - _photo_extra(photo, span, c)
    return (height > 0 and photo_crop(photo, span, lines, c) <= limit + 1e-9
            and _ppi(photo, c.layout.span_width(span), height) >= photo.min_ppi)


def photo_crop(photo: Photo, span: int, lines: int, c: Composer) -> float:
    """How far the printed aspect of a photo area ``span`` columns by ``lines`` grid lines is from the
    picture's own, as a share of it (0.2: a fifth of the picture's width or height cut away)."""
    height = lines * c.layout.spec.grid.pitch - _photo_extra(photo, span, c)
    if height <= 0:
        return math.inf
    return abs(c.layout.span_width(span) / height / photo.aspect - 1)


def _sidebar_options(needs: Needs, span: int) -> list[tuple[tuple[int, int] | None, float]]:
    """(columns, grid lines) of the sidebar box for each span it may take, with the cost of its loose
    lines; ``[(None, 0)]`` without a sidebar."""
    if not needs.sidebar:
        return [(None, 0.0)]
    top = span - 1 if needs.qr_lines and span > 1 else span
    return [((sp, needs.sidebar[sp - 1]), LOOSE * needs.sidebar_loose[sp - 1])
            for sp in range(needs.sidebar_min_span, min(top, 3) + 1)]


def _fit(needs: Needs, span: int, photo: tuple[int, int] | None, side: tuple[int, int] | None,
         lines: int, tracking: float, limits: PlacementSpec) -> Variant | None:
    """The lowest module of ``span`` columns that holds ``lines`` body lines with this photo and sidebar,
    if it leaves at most ``SLACK`` lines empty and every column segment a readable length (beside a
    vertical headline: in the columns it leaves)."""
    taken = needs.vertical[span - 1][0] if needs.vertical else 0
    span -= taken
    blocked = [0] * span
    if photo is not None:
        for col in range(span - photo[0], span):
            blocked[col] += photo[1]
    if side is not None:
        for col in range(span - side[0], span):
            blocked[col] += side[1]
    if needs.qr_lines:
        blocked[0] += needs.qr_lines
    head = 0 if needs.vertical else needs.head[span - 1]
    total = sum(blocked)
    body = max(math.ceil((lines + total) / span), max(blocked))
    free = [body - b for b in blocked]
    under = sum(free) - lines
    used = [f for f in free if f > 0]
    if under > min(SLACK, span) or not used or under >= used[-1] or min(used) < MIN_SEGMENT:
        return None
    cost = UNDERSET * under
    if span > 1:
        cost += SHORT_LEG * sum(max(0, limits.min_leg - f) for f in used)
    if photo is not None and needs.photo is not None:
        target = PHOTO_TARGET.get(needs.photo.size, PHOTO_TARGET[None])
        lead = needs.rank == 1
        target *= LEAD_PHOTO if lead else 1
        share = photo[0] * photo[1] / (span * body)
        cost += PHOTO_AREA * (LEAD_PHOTO_WEIGHT if lead else 1) * abs(math.log2(share / target))
    estimate = _tracking_for(needs, lines, tracking)
    return Variant(span + taken, head + body, cost, head, photo, side, needs.qr_lines, lines, estimate)


def _tracking_for(needs: Needs, lines: int, tracking: float) -> float:
    """The tracking expected to give ``lines`` body lines, interpolated and rounded to 0.005 em."""
    far = needs.lines_loose if lines > needs.lines else needs.lines_tight
    if lines == needs.lines or far == needs.lines:
        return 0.0
    share = (lines - needs.lines) / (far - needs.lines)
    return round(share * (tracking if lines > needs.lines else -tracking) / 0.005) * 0.005


def _with_cost(v: Variant, cost: float) -> Variant:
    return dataclasses.replace(v, cost=v.cost + cost)


def _add_head_air(best: dict[int, Variant], height: int) -> None:
    """A module one grid line taller with the same content: a blank line under the headline group."""
    for lines, v in sorted(best.items()):
        taller = lines + 1
        cost = v.cost + HEAD_AIR
        if taller <= height and (taller not in best or best[taller].cost > cost):
            best[taller] = Variant(v.span, taller, cost, v.head + 1, v.photo, v.sidebar, v.qr,
                                   v.body_lines, v.tracking)


def slot_for(v: Variant, name: str, col: int, line: int, title_style: str) -> SlotSpec:
    """The slot of variant ``v`` with its top-left corner at 1-based ``col`` and ``line``."""
    beside = v.span - v.vertical  # the photo and sidebar at the right of the body's columns
    image = (ImageSpec(col=beside - v.photo[0], span=v.photo[0], lines=v.photo[1], at="top")
             if v.photo else None)
    sidebar = (SidebarSpec(col=beside - v.sidebar[0], span=v.sidebar[0], lines=v.sidebar[1], at="bottom")
               if v.sidebar else None)
    qr = SlotQrSpec(col=0, span=1, lines=v.qr, at="bottom") if v.qr else None
    style = None if title_style == "title" else title_style
    headline = (HeadlineSpec(style=style, direction="vertical") if v.vertical
                else HeadlineSpec(lines=v.head, style=style))
    return SlotSpec(name=name, col=col, span=v.span, line=line, lines=v.lines, headline=headline, image=image,
                    sidebar=sidebar, qr=qr, tracking=v.tracking)
