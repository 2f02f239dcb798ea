"""Compose a page: content + layout → placed lines, figures, sidebars and fit figures.

Takes: a loaded ``Document``, a ``Layout`` and the ``FontSet``; optional ``Adjustments`` (auto-fit).
Gives: ``PageModel`` — every line of text composed by ``banmian.compose.linebreak`` and placed at an
exact position (pt from the trim box's top-left corner) in the frames of its slot: the header strip,
the banner, each article module (headline group, figures with captions, sidebar, body columns on the
baseline grid) and the column rules; plus, per article, an ``ArticleFit`` that counts exactly the lines
and characters (字) each frame holds and needs, and the lines that did not fit (overset).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from banmian.charts import ChartPlan, plan_chart
from banmian.codes import CodeBox, CodeTooSmallError, ean13_box, issn_to_ean13, qr_box
from banmian.compose.headline import compose_headline
from banmian.compose.jump import Frame, fill, jump_texts
from banmian.compose.linebreak import Line, Span, TypeSpec, compose_paragraph
from banmian.diagnostics import Diagnostic, Location, error, warning
from banmian.fonts import FontSet
from banmian.layout import MM, Layout, Rect, SlotSpec, Style
from banmian.load import ArticleDoc, Document
from banmian.model import InlineSpan, title_lines


@dataclass(frozen=True)
class PlacedLine:
    x: float  # left edge of the line's measure
    y: float  # top of the line box (line box height = the style's leading)
    line: Line
    style: str

    @property
    def text(self) -> str:
        return self.line.text


@dataclass(frozen=True)
class Figure:
    rect: Rect  # the picture itself
    src: str  # key of the prepared image (see banmian.graphics)
    path: str
    caption: tuple[PlacedLine, ...]


@dataclass(frozen=True)
class SidebarBox:
    rect: Rect
    title: tuple[PlacedLine, ...]
    title_band: Rect
    lines: tuple[PlacedLine, ...]
    bullets: tuple[tuple[float, float], ...]  # (x, y) of each item's first line
    charts: tuple[ChartPlan, ...] = ()  # a ``kind: chart`` sidebar: bars and wedges (labels in lines)


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    weight: float
    color: str


@dataclass(frozen=True)
class Adjustments:
    """Changes auto-fit may make to one article, within the layout's declared limits."""

    tracking: float = 0.0  # em added to every gap of body lines
    image_lines: int = 0  # grid lines added to (or taken from) the figure

    def describe(self) -> list[str]:
        out = []
        if self.tracking:
            out.append(f"tracking {self.tracking * 100:+.1f} %")
        if self.image_lines:
            out.append(f"photo height {self.image_lines:+d} lines")
        return out


@dataclass(frozen=True)
class ArticleFit:
    id: str
    slot: str
    location: Location
    lines_available: int
    lines_needed: int
    chars_available: int
    chars_needed: int
    chars_per_line: float
    adjustments: tuple[str, ...] = ()

    @property
    def over_lines(self) -> int:
        return max(0, self.lines_needed - self.lines_available)

    @property
    def under_lines(self) -> int:
        return max(0, self.lines_available - self.lines_needed)

    @property
    def over_chars(self) -> int:
        return max(0, self.chars_needed - self.chars_available)

    @property
    def under_chars(self) -> int:
        return max(0, self.chars_available - self.chars_needed)

    @property
    def fits(self) -> bool:
        return self.lines_needed <= self.lines_available


@dataclass(frozen=True)
class ArticleBox:
    id: str
    slot: SlotSpec
    rect: Rect
    headline: tuple[PlacedLine, ...]
    body: tuple[PlacedLine, ...]
    figures: tuple[Figure, ...]
    sidebar: SidebarBox | None
    rules: tuple[Rule, ...]
    fit: ArticleFit
    overset: tuple[Line, ...]
    overset_at: tuple[float, float] | None  # where the overset marker goes (end of the last frame)
    codes: tuple[CodeBox, ...] = ()  # the article's QR code (its label is in ``headline``)
    continuation: ArticleBox | None = None  # the part continued in another slot (续排/转版)
    part: int = 0  # 0: the article in its own slot; 1: its continuation (no headline, same fit)


def main_boxes(page: PageModel) -> list[ArticleBox]:
    """The articles of a page in their own slots (continuations are counted with their article)."""
    return [a for a in page.articles if a.part == 0]


@dataclass(frozen=True)
class PageModel:
    layout: Layout
    header: tuple[PlacedLine, ...]
    banner: tuple[PlacedLine, ...]
    articles: tuple[ArticleBox, ...]
    rules: tuple[Rule, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    codes: tuple[CodeBox, ...] = ()  # page-level codes (their labels are in ``header``)
    folio: tuple[PlacedLine, ...] = field(default=())  # running heads and page numbers (margins)

    @property
    def fits(self) -> bool:
        return all(a.fit.fits for a in self.articles)


class Composer:
    """Composes text in the layout's styles; one per (layout, fonts)."""

    def __init__(self, layout: Layout, fonts: FontSet):
        self.layout = layout
        self.fonts = fonts

    def spec(self, style_name: str, *, size: float | None = None, tracking: float = 0.0) -> TypeSpec:
        style = self.style(style_name)
        bold = self.fonts[style.bold].ref if style.bold else None
        return TypeSpec(regular=self.fonts[style.font].ref, bold=bold, size=size or style.size,
                        tracking=style.tracking + tracking)

    def style(self, name: str) -> Style:
        return self.layout.spec.styles[name]

    def paragraph(self, spans: Sequence[InlineSpan], measure: float, style_name: str, *,
                  tracking: float = 0.0, indent: float | None = None) -> tuple[Line, ...]:
        style = self.style(style_name)
        return _paragraph(tuple(Span(s.text, s.bold) for s in spans), measure,
                          self.spec(style_name, tracking=tracking),
                          style.indent if indent is None else indent, style.align == "justify")

    def headline(self, lines: Sequence[str], measure: float, style_name: str, *,
                 size: float | None = None) -> tuple[Line, ...]:
        return compose_headline(list(lines), measure, self.spec(style_name, size=size))


@functools.lru_cache(maxsize=4096)
def _paragraph(spans: tuple[Span, ...], measure: float, spec: TypeSpec, indent: float,
               justify: bool) -> tuple[Line, ...]:
    """Composed paragraphs are kept for the process: a rebuild after a one-paragraph edit (watch,
    serve) composes that paragraph only. Lines are immutable, so sharing them is safe."""
    return compose_paragraph(spans, measure, spec, indent_em=indent, justify=justify)


def place_block(lines: Sequence[Line], x: float, y: float, measure: float, style: Style,
                style_name: str, align: str | None = None) -> tuple[list[PlacedLine], float]:
    """Stack lines from ``y`` down at the style's leading; returns them and the y below the block."""
    placed = []
    how = align or style.align
    for line in lines:
        dx = 0.0
        if how == "center":
            dx = (measure - line.width) / 2
        elif how == "right":
            dx = measure - line.width
        placed.append(PlacedLine(x + dx, y, line, style_name))
        y += style.leading
    return placed, y


def compose_page(doc: Document, layout: Layout, fonts: FontSet,
                 adjustments: dict[str, Adjustments] | None = None) -> PageModel:
    composer = Composer(layout, fonts)
    adjustments = adjustments or {}
    diags: list[Diagnostic] = []
    header = _header(doc, composer)
    banner = _banner(doc, composer)
    slots = layout.spec.slots
    continued = continuation_slots(doc, layout, diags)
    assignment = assign_slots(doc, layout, diags, reserved=set(continued.values()))
    articles = []
    for art in doc.articles:
        slot_index = assignment.get(art.id)
        if slot_index is None:
            continue
        cont = slots[continued[art.id]] if art.id in continued else None
        box = compose_article(art, slots[slot_index], composer, doc,
                              adjustments.get(art.id, Adjustments()), diags, cont)
        articles.append(box)
        if box.continuation is not None:
            articles.append(box.continuation)
    rules = _page_rules(layout)
    codes = _page_codes(doc, composer, header, diags)
    return PageModel(layout, tuple(header), tuple(banner), tuple(articles), rules, tuple(diags),
                     tuple(codes))


def continuation_slots(doc: Document, layout: Layout, diags: list[Diagnostic]) -> dict[str, int]:
    """The slot each continued article (``continues: {slot: …}``) runs on in, reserved for it."""
    names = {slot.name: i for i, slot in enumerate(layout.spec.slots)}
    out: dict[str, int] = {}
    owner: dict[int, str] = {}
    for art in doc.articles:
        cont = art.article.continues
        if cont is None:
            continue
        loc = doc.source.locate(("articles", art.index, "continues", "slot"))
        index = names.get(cont.slot)
        if index is None:
            diags.append(error(f"article {art.id!r} continues in slot {cont.slot!r}, which layout "
                               f"{layout.name!r} does not have", loc, code="slot",
                               hint=f"slots: {', '.join(names)}"))
        elif cont.slot == art.article.slot:
            diags.append(error(f"article {art.id!r} cannot continue in its own slot", loc, code="slot"))
        elif index in owner:
            diags.append(error(f"article {art.id!r}: slot {cont.slot!r} already holds the continuation of "
                               f"{owner[index]!r}", loc, code="slot"))
        else:
            owner[index] = art.id
            out[art.id] = index
    return out


def assign_slots(doc: Document, layout: Layout, diags: list[Diagnostic],
                 reserved: set[int] | None = None) -> dict[str, int]:
    """Articles go to slots in order, unless an article names its ``slot``; ``reserved`` slots hold
    continuations and take no article of their own."""
    names = {slot.name: i for i, slot in enumerate(layout.spec.slots)}
    taken: dict[int, str] = {i: "(a continuation)" for i in reserved or ()}
    result: dict[str, int] = {}
    for art in doc.articles:
        if art.article.slot is not None:
            index = names.get(art.article.slot)
            loc = doc.source.locate(("articles", art.index, "slot"))
            if index is None:
                diags.append(error(f"article {art.id!r}: layout {layout.name!r} has no slot "
                                   f"{art.article.slot!r}", loc, code="slot",
                                   hint=f"slots: {', '.join(names)}"))
            elif index in taken:
                diags.append(error(f"article {art.id!r}: slot {art.article.slot!r} is already taken by "
                                   f"{taken[index]}", loc, code="slot"))
            else:
                taken[index] = art.id
                result[art.id] = index
    free = [i for i in range(len(layout.spec.slots)) if i not in taken]
    homeless = []
    for art in doc.articles:
        if art.article.slot is None:
            if free:
                index = free.pop(0)
                taken[index] = art.id
                result[art.id] = index
            else:
                homeless.append(art)
    for art in homeless:
        diags.append(error(f"article {art.id!r} has no place: layout {layout.name!r} has "
                           f"{len(layout.spec.slots)} slots for {len(doc.articles)} articles",
                           doc.source.locate(("articles", art.index)), code="slot",
                           hint="remove an article or choose a layout with more slots"))
    for i in free:  # a hole in the page: a warning (``--strict`` fails on it), so drafts still build
        diags.append(warning(f"slot {layout.spec.slots[i].name!r} stays empty: no article for it",
                           layout.locate("slots", i), code="slot",
                           hint="add an article, or remove the slot from the layout (a copy: "
                                "banmian new-layout NAME --from " + layout.name + ")"))
    return result


def _header(doc: Document, c: Composer) -> list[PlacedLine]:
    lay = c.layout
    band = lay.spec.header
    if band is None:
        return []
    meta = doc.content.meta
    top = lay.line_y(band.line)
    width = lay.type_width
    title_style = c.style("header-title")
    info_style = c.style("header-info")
    title = c.headline([meta.publication], width / 2, "header-title")
    placed, _ = place_block(title, lay.type_left, top, width, title_style, "header-title", "left")
    date = f"{meta.date.year}年{meta.date.month}月{meta.date.day}日"
    weekday = "一二三四五六日"[meta.date.weekday()]
    right = [f"第{meta.page}版  {meta.section}".strip(), f"{date}  星期{weekday}  {meta.issue}".strip()]
    if meta.editor:
        right.append(f"责任编辑  {meta.editor}")
    y = top + (band.lines * lay.spec.grid.pitch - len(right) * info_style.leading) / 2 - 2
    for text in right:
        lines = c.headline([text], width / 2, "header-info")
        more, y = place_block(lines, lay.type_left + width / 2, y, width / 2, info_style, "header-info",
                              "right")
        placed += more
    return placed


def _banner(doc: Document, c: Composer) -> list[PlacedLine]:
    lay = c.layout
    band = lay.spec.banner
    banner = doc.content.banner
    if band is None or banner is None:
        return []
    width = lay.type_width
    parts = [("banner-kicker", title_lines(banner.kicker)), ("banner-title", title_lines(banner.title)),
             ("banner-subtitle", title_lines(banner.subtitle))]
    blocks = [(name, c.headline(lines, width, name)) for name, lines in parts if lines]
    height = sum(len(lines) * c.style(name).leading for name, lines in blocks)
    y = lay.line_y(band.line) + (band.lines * lay.spec.grid.pitch - height) / 2
    placed: list[PlacedLine] = []
    for name, lines in blocks:
        more, y = place_block(lines, lay.type_left, y, width, c.style(name), name, "center")
        placed += more
    return placed


def _page_rules(layout: Layout) -> tuple[Rule, ...]:
    spec = layout.spec
    rules = []
    color = "red" if "red" in spec.colors else spec.rules.color
    for band in (spec.header, spec.banner):
        if band is None:
            continue
        y = layout.line_y(band.line + band.lines) - spec.grid.pitch * 0.3
        weight = 2.0 if band is spec.header else 0.8
        rules.append(Rule(layout.type_left, y, layout.type_left + layout.type_width, y, weight, color))
    rules += _module_rules(layout)
    return tuple(rules)


def _module_rules(layout: Layout) -> list[Rule]:
    """Rules between modules: in the gutter right of a slot, and under a slot, unless at the type
    area's edge (the page's modules read as separate stories)."""
    spec = layout.spec
    weight = spec.rules.frame
    if weight <= 0:
        return []
    gutter = spec.grid.gutter
    out = []
    for slot in spec.slots:
        top, bottom = layout.line_y(slot.line), layout.line_y(slot.line + slot.lines)
        left, right = layout.col_x(slot.col), layout.col_x(slot.col) + layout.span_width(slot.span)
        if slot.col + slot.span - 1 < spec.grid.columns:
            x = right + gutter / 2
            out.append(Rule(x, top + 2, x, bottom - 2, weight, spec.rules.color))
        if slot.line + slot.lines - 1 < layout.lines:
            out.append(Rule(left, bottom, right, bottom, weight, spec.rules.color))
    return out


def _column_segments(slot: SlotSpec, head_lines: int, image_lines: int) -> list[tuple[int, int, int]]:
    """Free runs of grid lines per slot column, in reading order: (column offset, first line, count)."""
    blocked: list[set[int]] = [set() for _ in range(slot.span)]
    head_span = slot.headline.span or slot.span
    for col in range(head_span):
        blocked[col].update(range(head_lines))
    if slot.image is not None and image_lines > 0:
        img = slot.image
        rows = (range(head_lines, head_lines + image_lines) if img.at == "top"
                else range(slot.lines - image_lines, slot.lines))
        for col in range(img.col, img.col + img.span):
            blocked[col].update(rows)
    for sb in (slot.sidebar, slot.qr):
        if sb is None:
            continue
        rows = (range(head_lines, head_lines + sb.lines) if sb.at == "top"
                else range(slot.lines - sb.lines, slot.lines))
        for col in range(sb.col, sb.col + sb.span):
            blocked[col].update(rows)
    segments = []
    for col in range(slot.span):
        start = None
        for line in range(slot.lines + 1):
            free = line < slot.lines and line not in blocked[col]
            if free and start is None:
                start = line
            elif not free and start is not None:
                segments.append((col, start, line - start))
                start = None
    return segments


def compose_article(art: ArticleDoc, slot: SlotSpec, c: Composer, doc: Document, adj: Adjustments,
                    diags: list[Diagnostic], continuation: SlotSpec | None = None) -> ArticleBox:
    lay = c.layout
    pitch = lay.spec.grid.pitch
    x0, y0 = lay.col_x(slot.col), lay.line_y(slot.line)
    rect = Rect(x0, y0, lay.span_width(slot.span), slot.lines * pitch)
    article = art.article

    # headline group: 引题 / 主题 / 副题 / byline
    head_width = lay.span_width(slot.headline.span or slot.span)
    title_size = None
    pad = pitch * 0.5
    y = y0 + pad
    headline: list[PlacedLine] = []
    groups = [("kicker", title_lines(article.kicker)), ("title", article.title_lines),
              ("subtitle", title_lines(article.subtitle)), ("byline", title_lines(article.byline))]
    for name, texts in groups:
        if not texts:
            continue
        lines = c.headline(texts, head_width, name, size=title_size)
        placed, y = place_block(lines, x0, y, head_width, c.style(name), name, slot.headline.align)
        headline += placed
    head_lines = slot.headline.lines or math.ceil((y - y0 + pad) / pitch - 1e-6)
    if head_lines * pitch < y - y0:
        diags.append(error(f"article {art.id!r}: the headline needs {math.ceil((y - y0) / pitch)} lines, "
                           f"slot {slot.name!r} gives it {head_lines}",
                           doc.source.locate(("articles", art.index, "title")), code="headline"))

    # figure with caption
    figures: list[Figure] = []
    image_lines = 0
    if slot.image is not None and art.images:
        img = slot.image
        image_lines = img.lines + adj.image_lines
        ref = article.images[0]
        fx = x0 + img.col * (lay.column_width + lay.spec.grid.gutter)
        fw = lay.span_width(img.span)
        cap_style = c.style("caption")
        caption_lines: tuple[Line, ...] = ()
        caption_text = " ".join(t for t in (ref.caption, f"（{ref.credit}）" if ref.credit else None) if t)
        if caption_text:
            caption_lines = c.paragraph([InlineSpan(caption_text)], fw, "caption", indent=0)
        cap_h = len(caption_lines) * cap_style.leading
        top_line = head_lines if img.at == "top" else slot.lines - image_lines
        fy = y0 + top_line * pitch + (pitch * 0.3 if img.at == "top" else 0)
        block_h = image_lines * pitch - pitch * 0.3 - pitch * 0.5
        pic_h = block_h - cap_h - 3
        if pic_h < pitch * 2:
            diags.append(error(f"article {art.id!r}: the photo in slot {slot.name!r} would be "
                               f"{pic_h:.0f} pt high", art.image_locations[0], code="image"))
            pic_h = max(pic_h, pitch)
        placed_caption, _ = place_block(caption_lines, fx, fy + pic_h + 3, fw, cap_style, "caption")
        figures.append(Figure(Rect(fx, fy, fw, pic_h), f"{art.id}-0", str(art.images[0]),
                              tuple(placed_caption)))
        if len(art.images) > 1:
            diags.append(warning(f"article {art.id!r}: slot {slot.name!r} shows one photo; "
                                 f"{len(art.images) - 1} more not placed", art.image_locations[1],
                                 code="image"))

    sidebar = None
    if article.sidebar is not None:
        if slot.sidebar is None:
            # the sidebar's text would not be printed: like overset, never lost silently
            diags.append(error(f"article {art.id!r}: slot {slot.name!r} has no room for a sidebar, "
                               "whose text would not be printed",
                               doc.source.locate(("articles", art.index, "sidebar")), code="sidebar",
                               hint="move the article to a slot with a 'sidebar' area (its 'slot' key), "
                                    "or give its slot one in layout.yaml"))
        else:
            sidebar = _sidebar(art, slot, c, x0, y0, head_lines)

    codes: list[CodeBox] = []
    if article.qr is not None:
        if slot.qr is None:
            diags.append(warning(f"article {art.id!r}: slot {slot.name!r} has no room for a QR code",
                                 doc.source.locate(("articles", art.index, "qr")), code="qr",
                                 hint="give the slot a 'qr' area in layout.yaml, or use a top-level 'qr'"))
        else:
            headline += _slot_code(art, slot, c, doc, x0, y0, head_lines, codes, diags)
    if not codes:
        slot = slot.model_copy(update={"qr": None})

    # body columns
    segments = _column_segments(slot if sidebar is not None else _without_sidebar(slot),
                                head_lines, image_lines if figures else 0)
    body_lines: list[Line] = []
    for para in art.paragraphs:
        body_lines.extend(c.paragraph(para.spans, lay.column_width, "body", tracking=adj.tracking))
    lines = tuple(body_lines)
    step = lay.column_width + lay.spec.grid.gutter
    own = Frame(tuple(segments), x0, y0)
    cont: Frame | None = None
    jumps: tuple[Line, Line] | None = None
    if continuation is not None:
        bare = continuation.model_copy(update={"sidebar": None, "qr": None, "image": None})
        cont = Frame(tuple(_column_segments(bare, 0, 0)), lay.col_x(continuation.col),
                     lay.line_y(continuation.line))
        meta_page = doc.content.meta.page
        down, up = jump_texts(meta_page + lay.page_of_col(slot.col),
                              meta_page + lay.page_of_col(continuation.col))
        jumps = (c.headline([down], lay.column_width, "body")[0],
                 c.headline([up], lay.column_width, "body")[0])
    slotted, rest, capacity = fill(lines, own, cont, jumps)
    body: list[PlacedLine] = []
    cont_body: list[PlacedLine] = []
    for item in slotted:
        frame = own if item.frame == 0 else cont
        assert frame is not None
        x = frame.x0 + item.col * step + (lay.column_width - item.content.width if item.jump else 0.0)
        (body if item.frame == 0 else cont_body).append(
            PlacedLine(x, frame.y0 + item.line * pitch, item.content, "body"))
    overset = tuple(rest)
    last_frame = cont if cont is not None and cont_body else own
    last_at: tuple[float, float] | None = None
    if last_frame.segments:
        col, first, count = last_frame.segments[-1]
        last_at = (last_frame.x0 + col * step + lay.column_width, last_frame.y0 + (first + count) * pitch)
    cpl = lay.spec.grid.column_chars
    chars_needed = sum(_count(line) for line in lines)
    body_ids = {id(line) for line in lines}  # jump lines are not the article's text
    chars_placed = sum(_count(p.line) for p in (*body, *cont_body) if id(p.line) in body_ids)
    spare = max(0, capacity - len(lines))
    chars_available = chars_placed + round(spare * cpl) if not overset else chars_placed
    fit = ArticleFit(art.id, slot.name, art.body_location, capacity, len(lines), chars_available,
                     chars_needed, cpl, tuple(adj.describe()))
    rules = _article_rules(slot, segments, c, x0, y0)
    continued = None
    if continuation is not None and cont is not None:
        crect = Rect(cont.x0, cont.y0, lay.span_width(continuation.span), continuation.lines * pitch)
        continued = ArticleBox(art.id, continuation, crect, (), tuple(cont_body), (), None,
                               _article_rules(continuation, list(cont.segments), c, cont.x0, cont.y0),
                               fit, (), None, part=1)
        if not cont_body:
            diags.append(warning(f"article {art.id!r} fits its own slot: slot {continuation.name!r} of its "
                                 "continuation stays empty", doc.source.locate(
                                     ("articles", art.index, "continues")), code="slot"))
    return ArticleBox(art.id, slot, rect, tuple(headline), tuple(body), tuple(figures), sidebar,
                      rules, fit, overset, last_at if overset else None, tuple(codes), continued)


def _without_sidebar(slot: SlotSpec) -> SlotSpec:
    return slot.model_copy(update={"sidebar": None})


def _count(line: Line) -> int:
    """字 in a line: every character but spaces."""
    return sum(1 for ch in line.text if not ch.isspace())


def _sidebar(art: ArticleDoc, slot: SlotSpec, c: Composer, x0: float, y0: float,
             head_lines: int) -> SidebarBox:
    lay = c.layout
    sb = slot.sidebar
    assert sb is not None and art.article.sidebar is not None
    pitch = lay.spec.grid.pitch
    top_line = head_lines if sb.at == "top" else slot.lines - sb.lines
    rect = Rect(x0 + sb.col * (lay.column_width + lay.spec.grid.gutter),
                y0 + top_line * pitch + pitch * 0.4, lay.span_width(sb.span), sb.lines * pitch - pitch * 0.6)
    pad = 6.0
    inner = rect.w - 2 * pad
    title_style = c.style("sidebar-title")
    title = c.headline([art.article.sidebar.title], inner, "sidebar-title")
    band = Rect(rect.x, rect.y, rect.w, len(title) * title_style.leading + 4)
    placed_title, y = place_block(title, rect.x + pad, rect.y + 2, inner, title_style, "sidebar-title",
                                  "center")
    y = band.bottom + 4
    style = c.style("sidebar")
    lines: list[PlacedLine] = []
    bullets = []
    side = art.article.sidebar
    if side.kind == "chart":
        plans = _charts(side.all_charts, Rect(rect.x + pad, y + 2, inner, rect.bottom - pad - y - 2), c)
        texts = tuple(PlacedLine(t.x, t.y, t.line, t.style) for plan in plans for t in plan.texts)
        return SidebarBox(rect, tuple(placed_title), band, texts, (), tuple(plans))
    bullet_w = style.size
    if side.items is not None:
        for item in side.items:
            composed = c.paragraph([InlineSpan(item)], inner - bullet_w, "sidebar", indent=0)
            bullets.append((rect.x + pad, y))
            more, y = place_block(composed, rect.x + pad + bullet_w, y, inner - bullet_w, style, "sidebar")
            lines += more
    else:
        from banmian.load import split_paragraphs

        for text in split_paragraphs(side.body or ""):
            composed = c.paragraph([InlineSpan(text)], inner, "sidebar")
            more, y = place_block(composed, rect.x + pad, y, inner, style, "sidebar")
            lines += more
    return SidebarBox(rect, tuple(placed_title), band, tuple(lines), tuple(bullets))


def _article_rules(slot: SlotSpec, segments: list[tuple[int, int, int]], c: Composer, x0: float,
                   y0: float) -> tuple[Rule, ...]:
    """栏线: a hairline in the gutter between two body columns, where both have text frames."""
    lay = c.layout
    spec = lay.spec
    if spec.rules.column_rule <= 0:
        return ()
    pitch = spec.grid.pitch
    by_col: dict[int, list[tuple[int, int]]] = {}
    for col, first, count in segments:
        by_col.setdefault(col, []).append((first, first + count))
    rules = []
    for col in range(slot.span - 1):
        left, right = by_col.get(col, []), by_col.get(col + 1, [])
        for a0, a1 in left:
            for b0, b1 in right:
                top, bottom = max(a0, b0), min(a1, b1)
                if bottom > top:
                    x = x0 + (col + 1) * lay.column_width + (col + 0.5) * spec.grid.gutter
                    rules.append(Rule(x, y0 + top * pitch + 2, x, y0 + bottom * pitch - 2,
                                      spec.rules.column_rule, spec.rules.color))
    return tuple(rules)


# --- charts and codes ------------------------------------------------------------------------------

CHART_GAP = 12.0  # pt between charts side by side


def _charts(charts: Sequence[object], area: Rect, c: Composer) -> list[ChartPlan]:
    """Charts side by side in ``area``, each composed by ``banmian.charts`` in the layout's fonts."""
    from banmian.model import Chart

    lay = c.layout
    items = [ch for ch in charts if isinstance(ch, Chart)]
    width = (area.w - CHART_GAP * (len(items) - 1)) / max(1, len(items))
    plans = []
    for i, chart in enumerate(items):
        rect = Rect(area.x + i * (width + CHART_GAP), area.y, width, area.h)
        plans.append(plan_chart(chart, rect, lay.spec.chart, lay.spec.styles,
                                lambda text, style, measure: c.headline([text], measure, style), i))
    return plans


def _code_label(text: str, c: Composer, style_name: str, x: float, y: float, measure: float,
                align: str) -> list[PlacedLine]:
    lines = c.headline([text], measure, style_name)
    placed, _ = place_block(lines, x, y, measure, c.style(style_name), style_name, align)
    return placed


def _slot_code(art: ArticleDoc, slot: SlotSpec, c: Composer, doc: Document, x0: float, y0: float,
               head_lines: int, codes: list[CodeBox], diags: list[Diagnostic]) -> list[PlacedLine]:
    """An article's QR code in the slot's ``qr`` area: the code, its label under it, centred."""
    lay = c.layout
    spec = slot.qr
    qr = art.article.qr
    assert spec is not None and qr is not None
    pitch = lay.spec.grid.pitch
    top_line = head_lines if spec.at == "top" else slot.lines - spec.lines
    ax = x0 + spec.col * (lay.column_width + lay.spec.grid.gutter)
    aw = lay.span_width(spec.span)
    ay = y0 + top_line * pitch
    size = spec.size_mm * MM
    style_name = "caption"
    label_h = c.style(style_name).leading if qr.label else 0.0
    room = spec.lines * pitch - label_h
    if size > min(aw, room) + 0.01:
        diags.append(error(f"article {art.id!r}: the {spec.size_mm:g} mm QR code does not fit the "
                           f"{spec.lines} lines of slot {slot.name!r}",
                           doc.source.locate(("articles", art.index, "qr")), code="qr"))
        return []
    y = ay + (room - size) / 2
    try:
        codes.append(qr_box(qr.url, ax + (aw - size) / 2, y, spec.size_mm))
    except CodeTooSmallError as exc:
        diags.append(error(f"article {art.id!r}: {exc}",
                           doc.source.locate(("articles", art.index, "qr", "url")), code="qr",
                           hint="a shorter URL, or a larger 'qr: {size_mm}' in the layout"))
        return []
    if not qr.label:
        return []
    return _code_label(qr.label, c, style_name, ax, y + size, aw, "center")


def _page_codes(doc: Document, c: Composer, header: list[PlacedLine],
                diags: list[Diagnostic]) -> list[CodeBox]:
    """The page-level QR code in the header strip, where the layout's ``qr`` puts it; its label is set
    beside it in the header-info style and added to ``header``."""
    lay = c.layout
    qr = doc.content.qr
    spec, band = lay.spec.qr, lay.spec.header
    barcode = _issn_barcode(doc, c, header, diags)
    if qr is None:
        return barcode
    if spec is None or band is None:
        diags.append(warning(f"layout {lay.name!r} has no place for a page QR code",
                             doc.source.locate(("qr",)), code="qr",
                             hint="add 'qr: {band: header}' to layout.yaml"))
        return []
    pitch = lay.spec.grid.pitch
    size = spec.size_mm * MM
    band_h = band.lines * pitch - pitch * 0.3 - 1.0  # above the header rule
    if size > band_h + 0.01:
        diags.append(error(f"the {spec.size_mm:g} mm QR code is taller than the header strip "
                           f"({band_h / MM:.1f} mm)", lay.locate("qr", "size_mm"), code="qr"))
        return []
    style_name = "header-info"
    label_w = lay.column_width * 0.9 if qr.label else 0.0
    total = size + label_w
    left = {"left": lay.type_left + lay.type_width * 0.3 - total / 2,
            "center": lay.type_left + (lay.type_width - total) / 2,
            "right": lay.type_left + lay.type_width * 0.7 - total / 2}[spec.align]
    top = lay.line_y(band.line) + (band_h - size) / 2
    try:
        code = qr_box(qr.url, left, top, spec.size_mm)
    except CodeTooSmallError as exc:
        diags.append(error(str(exc), doc.source.locate(("qr", "url")), code="qr",
                           hint="a shorter URL, or a larger 'qr: {size_mm}' in the layout"))
        return []
    if qr.label:
        lines = c.headline([qr.label], label_w, style_name)
        lead = c.style(style_name).leading
        y = top + (size - len(lines) * lead) / 2
        placed, _ = place_block(lines, left + size, y, label_w, c.style(style_name), style_name, "left")
        header += placed
    return [code, *barcode]


EAN_MODULE_MM = 0.33  # EAN-13 at 100 % (0.33 mm per module); 80 % is the smallest a scanner expects


def _issn_barcode(doc: Document, c: Composer, header: list[PlacedLine],
                  diags: list[Diagnostic]) -> list[CodeBox]:
    """The publication's ISSN as an EAN-13 (977 + ISSN + 00) in the header strip, right of the
    publication's name, with its digits below the bars (set in the header-info style)."""
    lay = c.layout
    issn, band = doc.content.meta.issn, lay.spec.header
    if issn is None:
        return []
    if band is None:
        diags.append(warning(f"layout {lay.name!r} has no header strip for the ISSN barcode",
                             doc.source.locate(("meta", "issn")), code="barcode"))
        return []
    digits = issn_to_ean13(issn)
    pitch = lay.spec.grid.pitch
    band_h = band.lines * pitch - pitch * 0.3 - 1.0
    style = c.style("header-info")
    text_h = style.leading
    module = EAN_MODULE_MM
    height = band_h - text_h - 2
    if height < 8 * MM:
        module = EAN_MODULE_MM * 0.8
        height = max(height, 5 * MM)
    titles = [pl for pl in header if pl.style == "header-title"]
    x = max((pl.x + pl.line.width for pl in titles), default=lay.type_left) + 2 * style.size
    y = lay.line_y(band.line) + 1
    box = ean13_box(digits, x, y, module_mm=module, height_mm=height / MM)
    line = c.headline([f"ISSN {issn}"], box.rect.w, "header-info")
    placed, _ = place_block(line, x, y + height + 1, box.rect.w, style, "header-info", "center")
    header += placed
    return [box]
