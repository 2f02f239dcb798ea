"""Flow composition (``kind: flow``): articles follow one another across as many pages as they need.

Takes: a loaded ``Document``, a ``Layout`` of kind ``flow`` and the ``FontSet``.
Gives: one ``PageModel`` per page. The first page carries the masthead (header band) and the banner;
every page a running head (not the masthead page) and a page number. Each article is a headline group
across the columns (or in one column, ``flow.headline: column``), a photo with its caption at the top of
the first column(s), the body on the baseline grid in N justified columns — balanced when the article
ends on the page, filled to the foot of the page and continued at the top of the next when it does not
— and its sidebar as a box below the body. The same composer as module pages (``Composer``,
``place_block``), so every line sits on the grid and every non-final line is flush. Nothing is ever
overset: pages are added; the fit rows per page piece say how many lines went where.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from banmian.compose.bands import banner_lines, header_strip, page_rules
from banmian.compose.folio import furniture
from banmian.compose.linebreak import Line
from banmian.compose.page import (
    ArticleBox,
    ArticleFit,
    Composer,
    Figure,
    PageModel,
    PlacedLine,
    Rule,
    SidebarBox,
    count_chars,
    place_block,
    sidebar_box,
)
from banmian.core.diagnostics import Diagnostic, error, warning
from banmian.source.fonts import FontSet
from banmian.source.layout import Layout, Rect, SidebarSpec, SlotSpec
from banmian.source.load import ArticleDoc, Document
from banmian.source.model import InlineSpan, title_lines
from banmian.source.world import ChartGeometryCache


@dataclass
class _Piece:
    """The part of one article on one page, while it is being placed."""

    art: ArticleDoc
    top: int  # 0-based grid line where the piece begins
    headline: list[PlacedLine] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    body: list[PlacedLine] = field(default_factory=list)
    sidebar: SidebarBox | None = None
    bottom: int = 0  # 0-based grid line below the piece
    columns: list[tuple[int, int, int]] = field(default_factory=list)  # (column, first, count)


@dataclass
class _Page:
    pieces: list[_Piece] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


class _Flow:
    def __init__(self, doc: Document, layout: Layout, fonts: FontSet, charts: ChartGeometryCache | None):
        self.doc = doc
        self.lay = layout
        self.c = Composer(layout, fonts, charts)
        self.pitch = layout.spec.grid.pitch
        self.n = layout.spec.grid.columns
        self.total = layout.lines
        self.pages: list[_Page] = [_Page()]
        bands = [b for b in (layout.spec.header, layout.spec.banner) if b is not None]
        self.cursor = max((b.line - 1 + b.lines for b in bands), default=0)
        self.diags: list[Diagnostic] = []

    def col_x(self, col: int) -> float:
        return self.lay.col_x(col + 1)

    def y(self, line: int) -> float:
        return self.lay.line_y(line + 1)

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.cursor = 0

    def headline(self, art: ArticleDoc, measure: float, y0: float) -> tuple[list[PlacedLine], int]:
        c, a = self.c, art.article
        pad = self.pitch * 0.5
        y = y0 + pad
        placed: list[PlacedLine] = []
        for name, texts in (("kicker", title_lines(a.kicker)), ("title", a.title_lines),
                            ("subtitle", title_lines(a.subtitle)), ("byline", title_lines(a.byline))):
            if texts:
                lines = c.headline(texts, measure, name)
                more, y = place_block(lines, self.col_x(0), y, measure, c.style(name), name)
                placed += more
        return placed, math.ceil((y - y0 + pad) / self.pitch - 1e-6)

    def figure(self, art: ArticleDoc, top: int) -> tuple[Figure, int]:
        spec = self.lay.spec.flow.image
        ref = art.article.images[0]
        fw = self.lay.span_width(spec.span)
        text = ref.printed_caption
        caption: tuple[Line, ...] = ()
        if text:
            caption = self.c.paragraph([InlineSpan(text)], fw, "caption", indent=0)
        cap_style = self.c.style("caption")
        fy = self.y(top) + self.pitch * 0.3
        pic_h = spec.lines * self.pitch - self.pitch * 0.8 - len(caption) * cap_style.leading - 3
        if pic_h < self.pitch * 2:
            self.diags.append(error(f"article {art.id!r}: the caption leaves the photo {pic_h:.0f} pt",
                                    art.image_locations[0], code="image",
                                    hint="make flow.image.lines larger"))
            pic_h = max(pic_h, self.pitch)
        placed, _ = place_block(caption, self.col_x(0), fy + pic_h + 3, fw, cap_style, "caption")
        return Figure(Rect(self.col_x(0), fy, fw, pic_h), f"{art.id}-0", str(art.images[0]),
                      tuple(placed)), spec.lines

    def place(self, art: ArticleDoc) -> None:
        """An article at the cursor (on a new page when this one has no room for its start): headline,
        photo and body over as many pages as it needs, its sidebar, then a rule before the next."""
        flow = self.lay.spec.flow
        if art.article.headline is not None and art.article.headline.direction == "vertical":
            self.diags.append(warning(
                f"article {art.id!r}: a flow layout sets every headline across its columns; the vertical "
                "headline is set horizontally", self.doc.source.locate(("articles", art.index, "headline")),
                code="headline", hint="vertical headlines (竖题) stand in the modules of a module layout"))
        across = flow.headline == "columns"
        head_w = self.lay.type_width if across else self.lay.column_width
        _, head_lines = self.headline(art, head_w, 0)
        lines: list[Line] = []
        for para in art.paragraphs:
            lines.extend(self.c.paragraph(para.spans, self.lay.column_width, "body"))
        self._page_for_start(art, lines, head_lines, across)
        piece = _Piece(art, self.cursor)
        self.pages[-1].pieces.append(piece)
        piece.headline, _ = self.headline(art, head_w, self.y(self.cursor))
        top = self.cursor + head_lines if across else self.cursor
        blocked = [0] * self.n
        if not across:
            blocked[0] = head_lines
        piece = self._body(art, piece, list(lines), top, blocked)
        self.cursor = piece.bottom
        if art.article.sidebar is not None:
            self.place_sidebar(art)
        self.cursor += flow.gap
        if 0 < self.cursor < self.total:
            rule_y = self.y(self.cursor) - flow.gap * self.pitch / 2
            self.pages[-1].rules.append(Rule(self.lay.type_left, rule_y,
                                             self.lay.type_left + self.lay.type_width, rule_y,
                                             self.lay.spec.rules.frame, self.lay.spec.rules.color))

    def _page_for_start(self, art: ArticleDoc, lines: list[Line], head_lines: int, across: bool) -> None:
        """A new page when this one cannot hold the article's headline and first lines — or, for a
        short article with a photo, the whole article."""
        flow = self.lay.spec.flow
        fig_lines = flow.image.lines if art.images else 0
        room = self.total - self.cursor - (head_lines if across else 0)
        if self.cursor > 0 and room < max(flow.keep, head_lines if not across else 0):
            self.new_page()
        elif self.cursor > 0 and fig_lines and room < fig_lines + flow.keep and \
                len(lines) <= self.n * room - fig_lines * flow.image.span:
            self.new_page()  # a short article: keep it on one page with its photo

    def _body(self, art: ArticleDoc, piece: _Piece, queue: list[Line], top: int, blocked: list[int]
              ) -> _Piece:
        """The body from grid line ``top`` (below ``blocked`` lines per column), balanced over the
        columns where it ends, run on to new pages while it does not; the photo heads the article's
        first column(s) or, when the page has no room left for it, its continuation on the next page.
        Returns the article's last piece."""
        flow = self.lay.spec.flow
        fig_col0 = 0 if flow.headline == "columns" else self.n - flow.image.span
        fig_lines = flow.image.lines if art.images else 0
        pending = bool(art.images)
        while True:
            if pending and top + blocked[fig_col0] + fig_lines + flow.keep <= self.total:
                fig, _ = self.figure(art, top + blocked[fig_col0])
                if fig_col0:
                    fig = _shift_figure(fig, self.col_x(fig_col0) - self.col_x(0))
                piece.figures.append(fig)
                for col in range(fig_col0, fig_col0 + flow.image.span):
                    blocked[col] += fig_lines
                pending = False
            space = [max(0, self.total - top - b) for b in blocked]
            if len(queue) <= sum(space) and not pending:
                height = _balanced_height(len(queue), blocked, self.total - top)
                self._fill(piece, queue, top, blocked, height)
                piece.bottom = top + max(height, *blocked)
                return piece
            self._fill(piece, queue, top, blocked, self.total - top)
            piece.bottom = self.total
            self.new_page()
            piece = _Piece(art, 0)
            self.pages[-1].pieces.append(piece)
            top, blocked = 0, [0] * self.n

    def _fill(self, piece: _Piece, queue: list[Line], top: int, blocked: list[int], height: int) -> None:
        for col in range(self.n):
            first = top + blocked[col]
            count = max(0, min(height - blocked[col], len(queue)))
            for k in range(count):
                piece.body.append(PlacedLine(self.col_x(col), self.y(first + k), queue.pop(0), "body"))
            if count:
                piece.columns.append((col, first, count))

    def place_sidebar(self, art: ArticleDoc) -> None:
        span = self.n if self.n < 3 else self.n - 1
        side = art.article.sidebar
        if side is not None and side.kind == "chart":
            # a chart fills whatever box it is given: give it a box of newspaper proportions
            width = self.c.layout.span_width(span)
            lines = min(self.total, max(8, math.ceil(width * 0.5 / self.pitch)))
        else:
            trial = self._sidebar_box(art, span, self.total)
            end = max((pl.y + self.c.style(pl.style).leading for pl in trial.lines), default=trial.rect.y)
            lines = math.ceil((end - self.y(0) + 6 + self.pitch * 0.2) / self.pitch)
        if self.cursor + lines > self.total:
            self.new_page()
        box = self._sidebar_box(art, span, lines, at=self.cursor)
        piece = _Piece(art, self.cursor, sidebar=box, bottom=self.cursor + lines)
        self.pages[-1].pieces.append(piece)
        self.cursor += lines

    def _sidebar_box(self, art: ArticleDoc, span: int, lines: int, at: int = 0) -> SidebarBox:
        slot = SlotSpec(name="flow", col=1, span=span, line=1, lines=lines + 1,
                        sidebar=SidebarSpec(col=0, span=span, lines=lines, at="top"))
        return sidebar_box(art, slot, self.c, self.col_x(0), self.y(at), 0)

    def run(self) -> tuple[PageModel, ...]:
        for art in self.doc.articles:
            self.place(art)
        return tuple(self.page_model(i, page) for i, page in enumerate(self.pages))

    def page_model(self, index: int, page: _Page) -> PageModel:
        first = index == 0
        header = header_strip(self.doc, self.c) if first else []
        banner = banner_lines(self.doc, self.c) if first else []
        rules = list(page_rules(self.lay)) if first else []
        furn = furniture(self.c, self.doc, 0, index + 1, running_head=not first)
        articles = []
        for piece in page.pieces:
            articles.append(self.article_box(index, piece))
            rules += self.column_rules(piece)
        return PageModel(self.lay, tuple(header), tuple(banner), tuple(articles),
                         (*rules, *page.rules, *furn.rules),
                         tuple(self.diags) if first else (), folio=furn.lines)

    def article_box(self, index: int, piece: _Piece) -> ArticleBox:
        name = f"flow-p{index + 1}" + ("-sidebar" if piece.sidebar is not None else "")
        slot = SlotSpec(name=name, col=1, span=self.n, line=piece.top + 1,
                        lines=max(1, piece.bottom - piece.top))
        rect = Rect(self.col_x(0), self.y(piece.top), self.lay.type_width, slot.lines * self.pitch)
        count = len(piece.body)
        chars = sum(count_chars(p.line) for p in piece.body)
        fit = ArticleFit(piece.art.id, slot.name, piece.art.body_location, count, count, chars, chars,
                         self.lay.spec.grid.column_chars)
        return ArticleBox(piece.art.id, slot, rect, tuple(piece.headline), tuple(piece.body),
                          tuple(piece.figures), piece.sidebar, (), fit, (), None)

    def column_rules(self, piece: _Piece) -> list[Rule]:
        spec = self.lay.spec
        if spec.rules.column_rule <= 0 or len(piece.columns) < 2:
            return []
        first = min(f for _, f, _ in piece.columns)
        last = max(f + n for _, f, n in piece.columns)
        used = {col for col, _, _ in piece.columns}
        rules = []
        for col in range(self.n - 1):
            if col in used and col + 1 in used:
                x = self.col_x(col) + self.lay.column_width + spec.grid.gutter / 2
                rules.append(Rule(x, self.y(first) + 2, x, self.y(last) - 2, spec.rules.column_rule,
                                  spec.rules.color))
        return rules


def _balanced_height(count: int, blocked: list[int], limit: int) -> int:
    """The fewest grid lines from the top that hold ``count`` lines in columns with blocked tops."""
    for height in range(1, limit + 1):
        if sum(max(0, height - b) for b in blocked) >= count:
            return height
    return limit


def _shift_figure(fig: Figure, dx: float) -> Figure:
    rect = Rect(fig.rect.x + dx, fig.rect.y, fig.rect.w, fig.rect.h)
    caption = tuple(PlacedLine(p.x + dx, p.y, p.line, p.style) for p in fig.caption)
    return Figure(rect, fig.src, fig.path, caption)


def compose_flow(doc: Document, layout: Layout, fonts: FontSet, *,
                 charts: ChartGeometryCache | None = None) -> tuple[PageModel, ...]:
    """Compose the document's articles one after another over as many pages as they need."""
    return _Flow(doc, layout, fonts, charts).run()
