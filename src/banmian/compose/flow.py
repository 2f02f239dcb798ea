"""Flow composition (``kind: flow``): articles follow one another across as many pages as they need.

Takes: a loaded ``Document``, a ``Layout`` of kind ``flow`` and the ``FontSet``.
Gives: one ``PageModel`` per page. The first page carries the masthead (header band, with the ISSN
barcode) and the banner; every page a running head (not the masthead page) and a page number. Each
article is a headline group across the columns (or heading the first, ``flow.headline: column``), its
photos with their captions at the top of its columns (the first in the first column, the next beside
it, then below), the body on the baseline grid in N justified columns — balanced when the article ends
on the page, filled to the foot and continued at the top of the next page when it does not — then its
sidebar and its QR code with its label, across the columns. The page QR code closes the bulletin, or
sits in the masthead when the layout gives it a ``qr`` place there. Every picture and text the content
gives is printed.

Where each article breaks and how it is set is the page make-up's choice (``banmian.compose.makeup``,
from the settings ``banmian.compose.flowstory`` measures): every photo on its headline's page, pages
that end at their foot, a last page more than a third full. This module places what it chose, with the
same composer as module pages (``Composer``, ``place_block``): every line on the grid, every non-final
line flush. Nothing is ever overset: pages are added; a page the make-up could not fill is a warning
with the figures in grid lines and 字.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from banmian.compose.bands import banner_lines, header_strip, issn_barcode, page_codes, page_rules
from banmian.compose.codes import CodeBox, CodeTooSmallError, qr_box
from banmian.compose.flowstory import ARTICLE_QR_MM, MIN_PHOTO, PAGE_QR_MM, Measure
from banmian.compose.folio import furniture
from banmian.compose.linebreak import Line
from banmian.compose.makeup import TOLERANCE, Block, Geometry, Piece, Plan, Setting, last_page_least, make_up
from banmian.compose.page import (
    Adjustments,
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
)
from banmian.core.diagnostics import Location, error, warning
from banmian.core.units import MM
from banmian.source.fonts import FontSet
from banmian.source.layout import Layout, Rect, SlotSpec, with_headline_scale
from banmian.source.load import ArticleDoc, Document
from banmian.source.model import QrCode
from banmian.source.world import ChartGeometryCache


@dataclass
class _Page:
    articles: list[ArticleBox] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    codes: list[CodeBox] = field(default_factory=list)
    labels: list[PlacedLine] = field(default_factory=list)


class _Flow:
    def __init__(self, doc: Document, layout: Layout, fonts: FontSet, charts: ChartGeometryCache | None):
        self.doc = doc
        self.lay = layout
        self.c = Composer(layout, fonts, charts)
        self.m = Measure(doc, self.c)
        self.pitch = layout.spec.grid.pitch
        self.n = layout.spec.grid.columns
        self.diags = self.m.diags
        flow = layout.spec.flow
        bands = [b for b in (layout.spec.header, layout.spec.banner) if b is not None]
        first = max((b.line - 1 + b.lines for b in bands), default=0)
        self.geometry = Geometry(layout.lines, self.n, first, flow.gap, flow.keep)

    def run(self) -> tuple[PageModel, ...]:
        stories = [self.m.story(art) for art in self.doc.articles]
        plan = make_up(self.geometry, stories, self.closing())
        chosen = [story.settings[i] for story, i in zip(stories, plan.settings, strict=True)]
        pages = [_Page() for _ in range(plan.pages)]
        queues = {art.index: list(self.m.body(art, s.tracking))
                  for art, s in zip(self.doc.articles, chosen, strict=True)}
        for piece in plan.pieces:
            page = pages[piece.page]
            if piece.rule:
                page.rules.append(self.article_rule(piece))
            if piece.story < 0:
                self.closing_code(page, piece)
            elif piece.block >= 0:
                page.articles.append(self.block_box(piece, self.doc.articles[piece.story]))
            else:
                art = self.doc.articles[piece.story]
                page.articles.append(self.body_box(piece, art, chosen[piece.story], queues[art.index]))
        self.report(plan)
        return tuple(self.page_model(i, page) for i, page in enumerate(pages))

    def closing(self) -> Block | None:
        """The page QR code closes the bulletin, unless the layout places it in the masthead."""
        if self.doc.content.qr is None or self.masthead_qr:
            return None
        return Block(self.m.qr_lines(self.page_qr_mm))

    @property
    def masthead_qr(self) -> bool:
        return self.lay.spec.qr is not None and self.lay.spec.header is not None

    @property
    def page_qr_mm(self) -> float:
        return self.lay.spec.qr.size_mm if self.lay.spec.qr is not None else PAGE_QR_MM

    # --- the pieces ---------------------------------------------------------------------------------

    def body_box(self, piece: Piece, art: ArticleDoc, setting: Setting, queue: list[Line]) -> ArticleBox:
        """The article's body on one page, with its headline and photos where the piece has them."""
        headline = self.m.headline(art, piece.top, piece.across)[0] if piece.head else []
        figures = [self.figure(art, k, col, line, span, lines) for k, col, line, span, lines in piece.photos]
        body = [PlacedLine(self.m.col_x(col), self.m.y(first + i), queue.pop(0), "body")
                for col, first, count in piece.columns for i in range(count)]
        adjust = Adjustments()
        if piece.head:  # what the make-up changed: tracking, the lead photo against the layout's height
            span, lines = setting.photos[0] if setting.photos else (0, 0)
            own = self.lay.spec.flow.image
            adjust = Adjustments(setting.tracking, lines - own.lines if span == own.span else 0)
        return self.article_box(piece, art, headline, body, figures, adjust=adjust,
                                rules=self.column_rules(piece))

    def figure(self, art: ArticleDoc, k: int, col: int, line: int, span: int, lines: int) -> Figure:
        """Photo ``k`` of the article with its caption in a frame of ``span`` columns and ``lines`` grid
        lines from ``line`` of ``col``."""
        caption = self.m.caption(art, k, span)
        x, fw = self.m.col_x(col), self.lay.span_width(span)
        fy = self.m.y(line) + self.pitch * 0.3
        pic_h = self.m.picture_height(lines, len(caption))
        if pic_h < MIN_PHOTO * self.pitch:
            self.diags.append(error(f"article {art.id!r}: the caption leaves photo {k + 1} {pic_h:.0f} pt",
                                    art.image_locations[k], code="image",
                                    hint="a shorter caption, or a larger flow.image.lines"))
            pic_h = max(pic_h, self.pitch)
        placed, _ = place_block(caption, x, fy + pic_h + 3, fw, self.c.style("caption"), "caption")
        return Figure(Rect(x, fy, fw, pic_h), f"{art.id}-{k}", str(art.images[k]), tuple(placed), k)

    def block_box(self, piece: Piece, art: ArticleDoc) -> ArticleBox:
        """The article's sidebar, or its QR code with its label, across the columns."""
        if art.article.sidebar is not None and piece.block == 0:
            box = self.m.sidebar(art, piece.bottom - piece.top, piece.top)
            return self.article_box(piece, art, [], [], [], sidebar=box, name="sidebar")
        assert art.article.qr is not None
        where = self.doc.source.locate(("articles", art.index, "qr", "url"))
        codes, label = self.code_with_label(art.article.qr, ARTICLE_QR_MM, piece, self.m.col_x(0), where)
        return self.article_box(piece, art, label, [], [], codes=codes, name="qr")

    def code_with_label(self, qr: QrCode, size_mm: float, piece: Piece, x: float, where: Location
                        ) -> tuple[list[CodeBox], list[PlacedLine]]:
        """A QR code at ``x``, centred in the piece's grid lines, and its label right of it."""
        size = size_mm * MM
        y = self.m.y(piece.top) + ((piece.bottom - piece.top) * self.pitch - size) / 2
        try:
            code = qr_box(qr.url, x, y, size_mm)
        except CodeTooSmallError as exc:
            self.diags.append(error(str(exc), where, code="qr",
                                    hint="a shorter URL, or a larger 'qr: {size_mm}' in the layout"))
            return [], []
        if not qr.label:
            return [code], []
        style = self.c.style("caption")
        measure = self.lay.column_width - size - style.size
        lines = self.c.headline([qr.label], measure, "caption")
        label_y = y + (size - len(lines) * style.leading) / 2
        placed, _ = place_block(lines, x + size + style.size / 2, label_y, measure, style, "caption", "left")
        return [code], placed

    def closing_code(self, page: _Page, piece: Piece) -> None:
        """The page QR code and its label, centred under the last article."""
        qr = self.doc.content.qr
        assert qr is not None
        label = self.c.headline([qr.label], self.lay.column_width, "caption") if qr.label else ()
        label_w = max((ln.width for ln in label), default=0.0) + self.c.style("caption").size
        x = self.lay.type_left + (self.lay.type_width - self.page_qr_mm * MM - label_w) / 2
        where = self.doc.source.locate(("qr", "url"))
        codes, placed = self.code_with_label(qr, self.page_qr_mm, piece, x, where)
        page.codes += codes
        page.labels += placed

    def article_rule(self, piece: Piece) -> Rule:
        """The rule in the middle of the gap above an article that starts below another."""
        y = self.m.y(piece.top) - piece.gap * self.pitch / 2
        left, spec = self.lay.type_left, self.lay.spec.rules
        return Rule(left, y, left + self.lay.type_width, y, spec.frame, spec.color)

    def article_box(self, piece: Piece, art: ArticleDoc, headline: list[PlacedLine], body: list[PlacedLine],
                    figures: list[Figure], *, sidebar: SidebarBox | None = None,
                    codes: list[CodeBox] | None = None, name: str = "", adjust: Adjustments | None = None,
                    rules: list[Rule] | None = None) -> ArticleBox:
        """A piece as an article box: its slot is its rows across the page, its fit counts its lines."""
        slot = SlotSpec(name=f"flow-p{piece.page + 1}" + (f"-{name}" if name else ""), col=1, span=self.n,
                        line=piece.top + 1, lines=max(1, piece.bottom - piece.top))
        rect = Rect(self.m.col_x(0), self.m.y(piece.top), self.lay.type_width, slot.lines * self.pitch)
        chars = sum(count_chars(p.line) for p in body)
        fit = ArticleFit(art.id, slot.name, art.body_location, len(body), len(body), chars, chars,
                         self.lay.spec.grid.column_chars, tuple((adjust or Adjustments()).describe()))
        return ArticleBox(art.id, slot, rect, tuple(headline), tuple(body), tuple(figures), sidebar,
                          tuple(rules or ()), fit, (), None, tuple(codes or ()))

    def column_rules(self, piece: Piece) -> list[Rule]:
        """栏线 in the gutter between two columns, over the lines where both hold the piece's body or a
        photo of one column (never across a photo that spans the gutter)."""
        spec = self.lay.spec
        if spec.rules.column_rule <= 0:
            return []
        extent: dict[int, tuple[int, int]] = {}
        runs = [(col, first, first + count) for col, first, count in piece.columns]
        runs += [(col, line, line + lines) for _, col, line, span, lines in piece.photos if span == 1]
        for col, a, b in runs:
            low, high = extent.get(col, (a, b))
            extent[col] = (min(low, a), max(high, b))
        rules = []
        for col in range(self.n - 1):
            if col in extent and col + 1 in extent:
                top = max(extent[col][0], extent[col + 1][0])
                bottom = min(extent[col][1], extent[col + 1][1])
                x = self.m.col_x(col) + self.lay.column_width + spec.grid.gutter / 2
                if bottom > top:
                    rules.append(Rule(x, self.m.y(top) + 2, x, self.m.y(bottom) - 2, spec.rules.column_rule,
                                      spec.rules.color))
        return rules

    # --- what could not be done ---------------------------------------------------------------------

    def report(self, plan: Plan) -> None:
        """Warnings, in grid lines and 字, at the article that ends a page the make-up could not fill or
        the last page when it is a third full or less, and at photos that had to follow their headline
        to a later page (a page with a hole is not print-ready)."""
        per_line = round(self.n * self.lay.spec.grid.column_chars)
        for i, short in enumerate(plan.short[:-1]):
            if short > TOLERANCE:
                art = self.last_on(plan, i)
                self.diags.append(warning(f"page {i + 1} ends {short} grid lines above its foot, under "
                                          f"article {art.id!r} (about {short * per_line} 字 missing)",
                                          art.body_location, code="underset",
                                          hint="add text or a photo to this article, or shorten the "
                                               "next (its headline and photos did not fit under it)"))
        least = last_page_least(self.geometry)
        if plan.last < least:
            art = self.last_on(plan, plan.pages - 1)
            self.diags.append(warning(f"the last page holds {plan.last} of {self.lay.lines} grid lines: "
                                      f"add about {(least - plan.last) * per_line} 字 to fill a third, or "
                                      f"cut about {plan.last * per_line} 字", art.body_location,
                                      code="underset", hint="or enlarge a photo, or add an article"))
        self.report_spilled(plan)

    def last_on(self, plan: Plan, page: int) -> ArticleDoc:
        """The article set last on page ``page`` or before it (a page may hold only the page's code)."""
        story = [p.story for p in plan.pieces if p.page <= page and p.story >= 0][-1]
        return self.doc.articles[story]

    def report_spilled(self, plan: Plan) -> None:
        heads = {p.story: p.page for p in plan.pieces if p.head}
        for p in plan.pieces:
            for k, *_ in p.photos:
                if p.story >= 0 and p.page != heads.get(p.story):
                    art = self.doc.articles[p.story]
                    self.diags.append(warning(f"article {art.id!r}: photo {k + 1} follows its headline to "
                                              f"page {p.page + 1}: no page holds the headline with all "
                                              f"{len(art.images)} photos", art.image_locations[k],
                                              code="image", hint="fewer photos for this article"))

    def page_model(self, index: int, page: _Page) -> PageModel:
        first = index == 0
        header = header_strip(self.doc, self.c) if first else []
        banner = banner_lines(self.doc, self.c) if first else []
        rules = list(page_rules(self.doc, self.lay, banner)) if first else []
        codes = list(page.codes)
        if first:
            codes += (page_codes(self.doc, self.c, header, self.diags, banner) if self.masthead_qr
                      else issn_barcode(self.doc, self.c, header, self.diags))
        furn = furniture(self.c, self.doc, 0, index + 1, running_head=not first)
        return PageModel(self.lay, (*header, *page.labels), tuple(banner), tuple(page.articles),
                         (*rules, *page.rules, *furn.rules), tuple(self.diags) if first else (),
                         tuple(codes), folio=furn.lines)


def compose_flow(doc: Document, layout: Layout, fonts: FontSet, *,
                 charts: ChartGeometryCache | None = None) -> tuple[PageModel, ...]:
    """Compose the document's articles one after another over as many pages as they need; titles in the
    style of their rank (``headline_scale``: the lead's the largest)."""
    return _Flow(doc, with_headline_scale(layout), fonts, charts).run()
