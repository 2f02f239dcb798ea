"""What an article can become in a flow layout: the settings the page make-up chooses from.

Takes: the ``Document``, the ``Composer`` of a ``kind: flow`` layout, and each photo's shape as its file
says (``banmian.source.pictures``).
Gives: ``Measure`` — the article's parts composed and measured on the grid: its headline group (across
the columns or heading the first), its body at each tracking the layout's ``fit.tracking`` allows, each
photo's caption and the frame heights that show the photo (or the ``crop`` the content gives) cropped by
at most ``MAX_CROP``, its sidebar
(a chart's height between ``CHART_RATIO`` limits) and its QR code block — and ``Measure.story``, the
``makeup.Story`` with every setting that sets different lines and what its change costs.

A photo whose file cannot be read (graphics reports it) keeps the layout's frame, ``fit.image_lines``
taller or shorter.
"""

from __future__ import annotations

import math

from banmian.compose.linebreak import Line
from banmian.compose.makeup import (
    CHART_LINE,
    HEAD_TURNED,
    PHOTO_LINE,
    TRACKING_STEP,
    WIDE_PHOTO,
    Block,
    Setting,
    Story,
)
from banmian.compose.page import Composer, PlacedLine, SidebarBox, place_block, sidebar_box
from banmian.compose.variants import effective_ranks
from banmian.core.diagnostics import Diagnostic, error, warning
from banmian.core.units import MM
from banmian.source.layout import (
    PageQrSpec,
    SidebarSpec,
    SlotQrSpec,
    SlotSpec,
    headline_scale,
    scale_style_name,
)
from banmian.source.load import ArticleDoc, Document
from banmian.source.model import InlineSpan, title_lines
from banmian.source.pictures import picture_size

CHART_RATIO = (0.35, 0.5, 0.6)  # a chart box's height to its width: least, its own, most
CHART_SHRINK = (2, 4)  # grid lines a chart may be set shorter than its own height
CHART_MIN_LINES = 8  # a chart box is never lower (its title band, bars and labels)
QR_PAD = 0.3  # grid lines of white above and below a QR code
MIN_PHOTO = 2  # grid lines: a photo lower than this (its caption takes the rest) is an error
MAX_CROP = 1 / 3  # the most of a photo's width or height its frame may cut off (a centred crop)
PHOTO_PAGE_SHARE = 0.5  # a photo's frame, caption included, is at most half a page high
PHOTO_STEPS = (0, -1, 1, -2, 2, -3, 3, 5, -5, 8)  # grid lines the make-up may set photos shorter or taller
ARTICLE_QR_MM = SlotQrSpec.model_fields["size_mm"].default  # an article's code: as in a module's qr area
PAGE_QR_MM = PageQrSpec.model_fields["size_mm"].default  # the page's code, unless the layout sizes it

Frames = tuple[tuple[int, int], ...]  # each photo's frame: (columns, grid lines with its caption)


class Measure:
    """Composes an article's parts for a flow layout and measures them in grid lines."""

    def __init__(self, doc: Document, composer: Composer):
        self.doc = doc
        self.c = composer
        self.lay = composer.layout
        self.pitch = self.lay.spec.grid.pitch
        self.n = self.lay.spec.grid.columns
        self.across = self.lay.spec.flow.headline == "columns"
        self.diags: list[Diagnostic] = []
        self._bodies: dict[tuple[int, float], tuple[Line, ...]] = {}
        self._blocks: dict[int, list[tuple[tuple[Block, ...], int]]] = {}
        scale = len(headline_scale(self.lay.spec))
        #: each article's title style by its rank (the lead largest; ``headline_scale``)
        self.title_style = {a.index: scale_style_name(min(rank, scale)) if scale else "title"
                            for a, rank in effective_ranks(doc.articles)}

    def col_x(self, col: int) -> float:
        return self.lay.col_x(col + 1)

    def y(self, line: int) -> float:
        return self.lay.line_y(line + 1)

    def story(self, art: ArticleDoc) -> Story:
        """Every setting of the article that sets different lines (the cheapest of those that set the
        same), the layout's own first: its headline across the columns or heading the first, its
        tracking, its photos' frames, its chart's height."""
        settings: dict[tuple[object, ...], Setting] = {}
        if art.article.headline is not None and art.article.headline.direction == "vertical":
            self.diags.append(warning(
                f"article {art.id!r}: a flow layout sets every headline across its columns or heading the "
                "first; the vertical headline is set horizontally",
                self.doc.source.locate(("articles", art.index, "headline")), code="headline",
                hint="vertical headlines (竖题) stand in the modules of a module layout"))
        for across in (self.across, not self.across) if self.n > 1 else (self.across,):
            placed, head = self.headline(art, 0, across)
            bottom = max(pl.y + self.c.style(pl.style).leading for pl in placed) + self.pitch * 0.5
            white = (self.y(head) - bottom) / self.pitch
            turned = HEAD_TURNED if across != self.across else 0.0
            for tracking in self.trackings():
                body = len(self.body(art, tracking))
                for frames, photo_cost in self.photo_choices(art, across):
                    for blocks, cut in self.block_choices(art):
                        cost = turned + TRACKING_STEP * abs(tracking) / 0.01 + photo_cost + CHART_LINE * cut
                        key = (head, across, body, frames, blocks)
                        if key not in settings or cost < settings[key].cost:
                            settings[key] = Setting(head, across, white, tracking, frames, body, blocks,
                                                    cost)
        return Story(tuple(settings.values()))

    def trackings(self) -> tuple[float, ...]:
        """None, and the layout's limit either way (half steps set the same lines nearly always)."""
        limit = self.lay.spec.fit.tracking
        return (0.0, -limit, limit) if limit else (0.0,)

    def headline(self, art: ArticleDoc, top: int, across: bool) -> tuple[list[PlacedLine], int]:
        """The headline group from grid line ``top``, across the columns or in the first, and the grid
        lines it takes."""
        c, a = self.c, art.article
        width = self.lay.type_width if across else self.lay.column_width
        pad = self.pitch * 0.5
        y0 = self.y(top)
        y = y0 + pad
        placed: list[PlacedLine] = []
        for name, texts in (("kicker", title_lines(a.kicker)), (self.title_style[art.index], a.title_lines),
                            ("subtitle", title_lines(a.subtitle)), ("byline", title_lines(a.byline))):
            if texts:
                more, y = place_block(c.headline(texts, width, name), self.col_x(0), y, width, c.style(name),
                                      name)
                placed += more
        return placed, math.ceil((y - y0 + pad) / self.pitch - 1e-6)

    def body(self, art: ArticleDoc, tracking: float) -> tuple[Line, ...]:
        key = (art.index, tracking)
        if key not in self._bodies:
            self._bodies[key] = tuple(line for para in art.paragraphs for line in self.c.paragraph(
                para.spans, self.lay.column_width, "body", tracking=tracking))
        return self._bodies[key]

    # --- photos -------------------------------------------------------------------------------------

    def photo_choices(self, art: ArticleDoc, across: bool) -> list[tuple[Frames, float]]:
        """The frames the article's photos may take, with their cost: each in the layout's span at its
        own height, or all a few lines lower or higher; or, under a headline across the columns, the
        first across all of them and the others at their own height."""
        if not art.images:
            return [((), 0.0)]
        span = self.lay.spec.flow.image.span
        narrow = [self.frame_heights(art, k, span) for k in range(len(art.images))]
        out: dict[Frames, float] = {}
        for delta in PHOTO_STEPS:
            frames = tuple((span, _nearest(heights, own + delta)) for heights, own in narrow)
            out.setdefault(frames, PHOTO_LINE * sum(abs(h - own) for (_, h), (_, own)
                                                    in zip(frames, narrow, strict=True)))
        wide, own = self.frame_heights(art, 0, self.n) if across and self.n > span else ([], 0)
        for delta in PHOTO_STEPS if wide else ():
            lead = _nearest(wide, own + delta)
            out.setdefault(((self.n, lead), *((span, h) for _, h in narrow[1:])),
                           WIDE_PHOTO + PHOTO_LINE * abs(lead - own))
        return list(out.items())

    def frame_heights(self, art: ArticleDoc, k: int, span: int) -> tuple[list[int], int]:
        """The grid lines photo ``k`` and its caption may take across ``span`` columns — frames that crop
        at most ``MAX_CROP`` of the photo's width or height, at most ``PHOTO_PAGE_SHARE`` of a page —
        and its own: the one nearest the layout's ``flow.image.lines`` in the layout's span, else the
        highest that crops nothing off its sides. Without the photo's shape: the layout's height, more
        or less by ``fit.image_lines`` (and never across the columns)."""
        spec = self.lay.spec
        base, own_span = spec.flow.image.lines, spec.flow.image.span
        caption = len(self.caption(art, k, span))
        width = self.lay.span_width(span)
        ratio = self.shape(art, k)
        heights = [h for h in range(MIN_PHOTO + 1, math.floor(self.lay.lines * PHOTO_PAGE_SHARE) + 1)
                   if ratio and self.picture_height(h, caption) >= MIN_PHOTO * self.pitch
                   and _crop(width / self.picture_height(h, caption), ratio) <= MAX_CROP]
        if heights:
            whole = [h for h in heights if self.picture_height(h, caption) <= width / ratio]
            return heights, _nearest(heights, base) if span == own_span else max(whole, default=heights[0])
        if span != own_span:
            return [], 0
        reach = math.floor(base * spec.fit.image_lines)
        return [h for h in range(base - reach, base + reach + 1)
                if h == base or self.picture_height(h, caption) >= MIN_PHOTO * self.pitch], base

    def shape(self, art: ArticleDoc, k: int) -> float:
        """Photo ``k``'s width to height as printed — of its ``crop`` when the content gives one — or 0
        when its file cannot be read."""
        size = picture_size(art.images[k])
        if size is None:
            return 0.0
        crop = art.article.images[k].crop
        _, _, w, h = crop if crop is not None else (0.0, 0.0, 1.0, 1.0)
        return size[0] * w / (size[1] * h)

    def picture_height(self, lines: int, caption_lines: int) -> float:
        """The photo's own height in a frame of ``lines`` grid lines over a caption of so many lines."""
        return lines * self.pitch - self.pitch * 0.8 - caption_lines * self.c.style("caption").leading - 3

    def caption(self, art: ArticleDoc, k: int, span: int) -> tuple[Line, ...]:
        text = art.article.images[k].printed_caption
        if not text:
            return ()
        return self.c.paragraph([InlineSpan(text)], self.lay.span_width(span), "caption", indent=0)

    # --- blocks after the body: sidebar, QR code -------------------------------------------------------

    def block_choices(self, art: ArticleDoc) -> list[tuple[tuple[Block, ...], int]]:
        """The blocks after the body, each way they may be set, with the grid lines cut from a chart."""
        if art.index not in self._blocks:
            side = art.article.sidebar
            qr: tuple[Block, ...] = (Block(self.qr_lines(ARTICLE_QR_MM)),) if art.article.qr else ()
            choices: list[tuple[tuple[Block, ...], int]]
            if side is None:
                choices = [(qr, 0)]
            elif side.kind != "chart":
                choices = [((Block(self.text_sidebar_lines(art)), *qr), 0)]
            else:
                least, own, most = (self.chart_lines(r) for r in CHART_RATIO)
                choices = [((Block(own - cut, most - own + cut), *qr), cut) for cut in (0, *CHART_SHRINK)
                           if own - cut >= least]
            self._blocks[art.index] = choices
        return self._blocks[art.index]

    def chart_lines(self, ratio: float) -> int:
        return min(self.lay.lines, max(CHART_MIN_LINES, math.ceil(self.lay.type_width * ratio / self.pitch)))

    def text_sidebar_lines(self, art: ArticleDoc) -> int:
        """The grid lines a text sidebar takes; one taller than a page is an error (its end would be lost)."""
        trial = self.sidebar(art, self.lay.lines, 0)
        end = max((pl.y + self.c.style(pl.style).leading for pl in trial.lines), default=trial.rect.y)
        lines = math.ceil((end - self.y(0) + 6 + self.pitch * 0.2) / self.pitch)
        if lines > self.lay.lines:
            self.diags.append(error(f"article {art.id!r}: its sidebar needs {lines} grid lines, a page "
                                    f"holds {self.lay.lines}: its end would not be printed",
                                    self.doc.source.locate(("articles", art.index, "sidebar")),
                                    code="sidebar", hint="shorten the sidebar, or make it an article"))
        return min(lines, self.lay.lines)

    def sidebar(self, art: ArticleDoc, lines: int, top: int) -> SidebarBox:
        """The article's sidebar across the columns, ``lines`` grid lines from grid line ``top``."""
        slot = SlotSpec(name="flow", col=1, span=self.n, line=1, lines=lines + 1,
                        sidebar=SidebarSpec(col=0, span=self.n, lines=lines, at="top"))
        return sidebar_box(art, slot, self.c, self.col_x(0), self.y(top), 0)

    def qr_lines(self, size_mm: float) -> int:
        return math.ceil(size_mm * MM / self.pitch + 2 * QR_PAD)


def _nearest(heights: list[int], target: int) -> int:
    """The height of ``heights`` nearest ``target`` (the lower on a tie)."""
    return min(heights, key=lambda h: (abs(h - target), h))


def _crop(frame: float, picture: float) -> float:
    """The share of a picture's width or height cut off when a frame of ratio ``frame`` (width to
    height) shows a picture of ratio ``picture``."""
    return 1 - min(frame / picture, picture / frame)
