"""Compose a page: content + layout → placed lines, figures, sidebars and fit figures.

Takes: a loaded ``Document``, a ``Layout`` and the ``FontSet``; optional ``Adjustments`` (auto-fit) and
the ``World``'s chart cache.
Gives: ``PageModel`` (``banmian.compose.boxes``) — every line of text composed by the ``Composer`` and
placed at an exact position in the frames of its slot: the page furniture (``banmian.compose.bands``),
each article module (headline group — across the top, or vertical at the right edge (竖题) with the
body beside it —, figure with caption, sidebar, body columns on the baseline grid, a continuation in
another slot) and the column rules; plus, per article, an ``ArticleFit`` that counts
exactly the lines and characters (字) each frame holds and needs, and the lines that did not fit.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

from banmian.compose.bands import banner_lines, header_strip, page_codes, page_rules
from banmian.compose.boxes import (
    Adjustments,
    ArticleBox,
    ArticleFit,
    Figure,
    PageModel,
    PlacedLine,
    Rule,
    SidebarBox,
    main_boxes,
)
from banmian.compose.charts import ChartPlan, plan_chart
from banmian.compose.codes import CodeBox, CodeTooSmallError, qr_box
from banmian.compose.jump import Frame, fill, jump_texts
from banmian.compose.linebreak import Line
from banmian.compose.setter import Composer, place_block
from banmian.compose.vertical import VERTICAL_PAD_EM, compose_vertical
from banmian.core.diagnostics import Diagnostic, Location, error, warning
from banmian.core.units import MM
from banmian.source.fonts import FontSet
from banmian.source.layout import ImageSpec, Layout, Rect, SidebarSpec, SlotQrSpec, SlotSpec
from banmian.source.load import ArticleDoc, Document, split_paragraphs
from banmian.source.model import Article, InlineSpan, Sidebar, title_lines
from banmian.source.world import ChartGeometryCache

__all__ = ["Adjustments", "ArticleBox", "ArticleFit", "Composer", "Figure", "PageModel", "PlacedLine",
           "Rule", "SidebarBox", "compose_article", "compose_page", "main_boxes", "place_block"]


def compose_page(doc: Document, layout: Layout, fonts: FontSet,
                 adjustments: dict[str, Adjustments] | None = None, *,
                 charts: ChartGeometryCache | None = None) -> PageModel:
    composer = Composer(layout, fonts, charts)
    adjustments = adjustments or {}
    diags: list[Diagnostic] = []
    header = header_strip(doc, composer)
    banner = banner_lines(doc, composer)
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
    rules = page_rules(doc, layout, banner)
    codes = page_codes(doc, composer, header, diags, banner)
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
    taken: dict[int, str] = {i: "(a continuation)" for i in reserved or ()}
    result = _named_slots(doc, layout, diags, taken)
    free = [i for i in range(len(layout.spec.slots)) if i not in taken]
    homeless = []
    for art in doc.articles:
        if art.article.slot is None:
            if free:
                index = free.pop(0)
                taken[index] = repr(art.id)
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
                           layout.locate("slots", i), code="hole",
                           hint="add an article, or remove the slot from the layout (a copy: "
                                "banmian new-layout NAME --from " + layout.name + ")"))
    return result


def _named_slots(doc: Document, layout: Layout, diags: list[Diagnostic], taken: dict[int, str]
                 ) -> dict[str, int]:
    """The articles that name their ``slot``, in it (``taken`` records who holds which slot); a slot the
    layout lacks or another article holds is an error."""
    names = {slot.name: i for i, slot in enumerate(layout.spec.slots)}
    result: dict[str, int] = {}
    for art in doc.articles:
        if art.article.slot is None:
            continue
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
            taken[index] = repr(art.id)
            result[art.id] = index
    return result


def _column_segments(slot: SlotSpec, head_lines: int, image_lines: int) -> list[tuple[int, int, int]]:
    """Free runs of grid lines per slot column, in reading order: (column offset, first line, count)."""
    blocked = _blocked_rows(slot, head_lines, image_lines)
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


def _blocked_rows(slot: SlotSpec, head_lines: int, image_lines: int) -> list[set[int]]:
    """Per slot column, the grid lines the headline, the photo, the sidebar and the QR code take."""
    blocked: list[set[int]] = [set() for _ in range(slot.span)]
    for col in range(slot.headline.span or slot.span):
        blocked[col].update(range(head_lines))
    areas: list[tuple[ImageSpec | SidebarSpec | SlotQrSpec, int]] = []
    if slot.image is not None and image_lines > 0:
        areas.append((slot.image, image_lines))
    areas += [(area, area.lines) for area in (slot.sidebar, slot.qr) if area is not None]
    for area, lines in areas:
        rows = (range(head_lines, head_lines + lines) if area.at == "top"
                else range(slot.lines - lines, slot.lines))
        for col in range(area.col, area.col + area.span):
            blocked[col].update(rows)
    return blocked


@dataclass(frozen=True)
class _Module:
    """An article being composed in its slot: the composer, where the slot's top-left corner sits (pt)
    and the diagnostics gathered for the page."""

    art: ArticleDoc
    slot: SlotSpec
    c: Composer
    doc: Document
    diags: list[Diagnostic]

    @property
    def x0(self) -> float:
        return self.c.layout.col_x(self.slot.col)

    @property
    def y0(self) -> float:
        return self.c.layout.line_y(self.slot.line)

    @property
    def pitch(self) -> float:
        return self.c.layout.spec.grid.pitch

    def locate(self, *keys: str) -> Location:
        """The content's position of the article's ``keys`` (e.g. ``("qr", "url")``)."""
        return self.doc.source.locate(("articles", self.art.index, *keys))


def compose_article(art: ArticleDoc, slot: SlotSpec, c: Composer, doc: Document, adj: Adjustments,
                    diags: list[Diagnostic], continuation: SlotSpec | None = None) -> ArticleBox:
    """An article in its slot: headline group (across the top, or vertical at the right edge), photo,
    sidebar, QR code, then the body on the grid in the columns left free (run on into ``continuation``
    when given), its fit and its column rules."""
    whole = slot  # the module as placed; ``slot`` becomes the part beside a vertical headline
    m = _Module(art, slot, c, doc, diags)
    if is_vertical(art.article, slot):
        headline, taken = _vertical_headline(m)
        slot = _vertical_slot(slot, taken)
        m = _Module(art, slot, c, doc, diags)
        head_lines = 0
    else:
        headline, head_lines = _headline_group(m)
    figures, image_lines = _figure(m, adj, head_lines)
    sidebar = _article_sidebar(m, head_lines)
    codes, code_label = _article_code(m, head_lines)
    if not codes:
        slot, whole = (s.model_copy(update={"qr": None}) for s in (slot, whole))
    segments = _column_segments(slot if sidebar is not None else _without_sidebar(slot), head_lines,
                                image_lines)
    own = Frame(tuple(segments), m.x0, m.y0)
    cont, jumps = _continuation_frame(m, continuation)
    adj = dataclasses.replace(adj, tracking=adj.tracking + slot.tracking)  # placement's tracking, if any
    lines = _body_lines(art, c, adj)
    body, cont_body, overset, capacity = _set_body(lines, own, cont, jumps, c)
    fit = _article_fit(art, slot, adj, lines, [*body, *cont_body], capacity, overset, c.layout)
    continued = None
    if continuation is not None and cont is not None:
        continued = _continuation_box(m, continuation, cont, cont_body, fit)
    last_frame = cont if cont is not None and cont_body else own
    rect = Rect(m.x0, m.y0, c.layout.span_width(whole.span), slot.lines * m.pitch)
    return ArticleBox(art.id, whole, rect, (*headline, *code_label), tuple(body), tuple(figures), sidebar,
                      _article_rules(slot, segments, c, m.x0, m.y0), fit, overset,
                      _frame_end(last_frame, c.layout) if overset else None, tuple(codes), continued)


def headline_texts(article: Article, title_style: str = "title") -> list[tuple[str, tuple[str, ...]]]:
    """引题 / 主题 / 副题 / byline: (style name, forced lines) of each the article has."""
    groups = [("kicker", title_lines(article.kicker)), (title_style, article.title_lines),
              ("subtitle", title_lines(article.subtitle)), ("byline", title_lines(article.byline))]
    return [(name, texts) for name, texts in groups if texts]


def headline_blocks(article: Article, width: float, c: Composer, title_style: str = "title"
                    ) -> list[tuple[str, tuple[Line, ...]]]:
    """引题 / 主题 / 副题 / byline composed at ``width``: (style name, lines) of each the article has."""
    return [(name, c.headline(texts, width, name)) for name, texts in headline_texts(article, title_style)]


def is_vertical(article: Article, slot: SlotSpec) -> bool:
    """Whether the article's title group is set vertically (竖题): the article's ``headline.direction``,
    else its slot's."""
    own = article.headline.direction if article.headline is not None else None
    return (own or slot.headline.direction) == "vertical"


def vertical_group(article: Article, c: Composer, right: float, top: float, length: float,
                   title_style: str = "title") -> tuple[list[PlacedLine], int]:
    """The title group set vertically (``banmian.compose.vertical``) in columns from ``right`` leftwards,
    each ``length`` long from ``top``; and the slot columns it takes (its blank beside the body counted)."""
    lay = c.layout
    x = right
    placed: list[PlacedLine] = []
    for name, texts in headline_texts(article, title_style):
        style = c.style(name)
        for line in compose_vertical(texts, length, c.spec(name)):
            x -= style.leading
            placed.append(PlacedLine(x + style.leading / 2, top, line, name, vertical=True))
    width = right - x + VERTICAL_PAD_EM * c.style(title_style).size
    pitch = lay.column_width + lay.spec.grid.gutter
    return placed, max(1, math.ceil((width + lay.spec.grid.gutter) / pitch - 1e-6))


def _vertical_slot(slot: SlotSpec, columns: int) -> SlotSpec:
    """The slot left for the body, photo, sidebar and code beside a vertical headline ``columns`` wide
    at its right edge (each area cut to the columns left; one with none left is dropped)."""
    span = slot.span - columns
    update: dict[str, object] = {"span": span}
    for key in ("image", "sidebar", "qr"):
        area = getattr(slot, key)
        if area is not None:
            room = span - area.col
            update[key] = area.model_copy(update={"span": min(area.span, room)}) if room > 0 else None
    return slot.model_copy(update=update)


def headline_grid_lines(blocks: Sequence[tuple[str, Sequence[Line]]], c: Composer) -> int:
    """The grid lines a headline group takes as composed: its lines at their leadings, half a grid line
    above and below."""
    pitch = c.layout.spec.grid.pitch
    pad = pitch * 0.5
    y = pad
    for name, lines in blocks:
        y += len(lines) * c.style(name).leading
    return math.ceil((y + pad) / pitch - 1e-6)


def _vertical_headline(m: _Module) -> tuple[list[PlacedLine], int]:
    """The title group set vertically at the slot's right edge, its columns as long as the slot less
    half a grid line above and below; the slot columns it takes (an error when it leaves none, or a
    column runs past the slot's foot)."""
    lay, slot = m.c.layout, m.slot
    pad = m.pitch * 0.5
    length = slot.lines * m.pitch - 2 * pad
    placed, taken = vertical_group(m.art.article, m.c, m.x0 + lay.span_width(slot.span), m.y0 + pad, length,
                                   slot.headline.style or "title")
    if taken >= slot.span or any(pl.line.width > length + 0.01 for pl in placed):
        m.diags.append(error(f"article {m.art.id!r}: the vertical headline does not fit slot {slot.name!r} "
                             f"({taken} of its {slot.span} columns, {slot.lines} lines high)",
                             m.locate("title"), code="headline",
                             hint="a shorter title, a taller or wider slot, or a horizontal headline"))
        taken = min(taken, slot.span - 1)
    return placed, taken


def _headline_group(m: _Module) -> tuple[list[PlacedLine], int]:
    """引题 / 主题 / 副题 / byline stacked from the slot's top; the grid lines they take (the slot's
    ``headline.lines``, or as many as they need — an error when the slot gives fewer)."""
    lay, slot = m.c.layout, m.slot
    head_width = lay.span_width(slot.headline.span or slot.span)
    pad = m.pitch * 0.5
    y = m.y0 + pad
    headline: list[PlacedLine] = []
    for name, lines in headline_blocks(m.art.article, head_width, m.c, slot.headline.style or "title"):
        placed, y = place_block(lines, m.x0, y, head_width, m.c.style(name), name, slot.headline.align)
        headline += placed
    head_lines = slot.headline.lines or math.ceil((y - m.y0 + pad) / m.pitch - 1e-6)
    if head_lines * m.pitch < y - m.y0:
        m.diags.append(error(f"article {m.art.id!r}: the headline needs {math.ceil((y - m.y0) / m.pitch)} "
                             f"lines, slot {slot.name!r} gives it {head_lines}", m.locate("title"),
                             code="headline"))
    return headline, head_lines


def _figure(m: _Module, adj: Adjustments, head_lines: int) -> tuple[list[Figure], int]:
    """The article's first photo with its caption in the slot's ``image`` area, and the grid lines the
    area takes (0 without a photo); further photos are a warning."""
    lay, slot, art = m.c.layout, m.slot, m.art
    img = slot.image
    if img is None or not art.images:
        return [], 0
    image_lines = img.lines + adj.image_lines
    ref = art.article.images[0]
    fx = m.x0 + img.col * (lay.column_width + lay.spec.grid.gutter)
    fw = lay.span_width(img.span)
    cap_style = m.c.style("caption")
    caption_lines: tuple[Line, ...] = ()
    caption_text = ref.printed_caption
    if caption_text:
        caption_lines = m.c.paragraph([InlineSpan(caption_text)], fw, "caption", indent=0)
    cap_h = len(caption_lines) * cap_style.leading
    pitch = m.pitch
    top_line = head_lines if img.at == "top" else slot.lines - image_lines
    fy = m.y0 + top_line * pitch + (pitch * 0.3 if img.at == "top" else 0)
    block_h = image_lines * pitch - pitch * 0.3 - pitch * 0.5
    pic_h = block_h - cap_h - 3
    if pic_h < pitch * 2:
        m.diags.append(error(f"article {art.id!r}: the photo in slot {slot.name!r} would be "
                             f"{pic_h:.0f} pt high", art.image_locations[0], code="image"))
        pic_h = max(pic_h, pitch)
    placed_caption, _ = place_block(caption_lines, fx, fy + pic_h + 3, fw, cap_style, "caption")
    figure = Figure(Rect(fx, fy, fw, pic_h), f"{art.id}-0", str(art.images[0]), tuple(placed_caption))
    if len(art.images) > 1:
        m.diags.append(warning(f"article {art.id!r}: slot {slot.name!r} shows one photo; "
                               f"{len(art.images) - 1} more not placed", art.image_locations[1],
                               code="image"))
    return [figure], image_lines


def _article_sidebar(m: _Module, head_lines: int) -> SidebarBox | None:
    """The article's sidebar in the slot's ``sidebar`` area; without one, an error (its text would be
    lost, like overset)."""
    if m.art.article.sidebar is None:
        return None
    if m.slot.sidebar is None:
        m.diags.append(error(f"article {m.art.id!r}: slot {m.slot.name!r} has no room for a sidebar, "
                             "whose text would not be printed", m.locate("sidebar"), code="sidebar",
                             hint="move the article to a slot with a 'sidebar' area (its 'slot' key), "
                                  "or give its slot one in layout.yaml"))
        return None
    return _kept_in_box(m, sidebar_box(m.art, m.slot, m.c, m.x0, m.y0, head_lines))


SIDEBAR_FOOT = 2.0  # pt: a sidebar line ends at least this far above its box's lower edge


def _kept_in_box(m: _Module, box: SidebarBox) -> SidebarBox:
    """The sidebar with only the lines that end inside its box (an item is kept whole or not at all); the
    others would print over what lies below, so they are an error counting what would be lost (its text
    is not printed, like overset)."""
    limit = box.rect.bottom - SIDEBAR_FOOT
    fits = [pl.y + m.c.style(pl.style).leading <= limit + 0.01 for pl in box.lines]
    if all(fits):
        return box
    first_out = fits.index(False)
    starts = [y for _, y in box.bullets]
    if starts:  # back to the start of the item the first line that does not fit belongs to
        item_top = max(y for y in starts if y <= box.lines[first_out].y + 0.01)
        first_out = next(i for i, pl in enumerate(box.lines) if pl.y >= item_top - 0.01)
    kept, lost = box.lines[:first_out], box.lines[first_out:]
    bullets = tuple(b for b in box.bullets if any(abs(pl.y - b[1]) < 0.01 for pl in kept))
    chars = sum(len(g.text.strip()) for pl in lost for g in pl.line.glyphs)
    items = len(box.bullets) - len(bullets)
    what = f"{items} of its {len(box.bullets)} items, " if box.bullets else ""
    need = math.ceil((box.rect.h + len(lost) * m.c.style("sidebar").leading) / m.pitch) + 1
    m.diags.append(error(f"article {m.art.id!r}: its sidebar does not fit the sidebar area of slot "
                         f"{m.slot.name!r}: {what}{len(lost)} lines ({chars} 字) would not be printed",
                         m.locate("sidebar"), code="sidebar",
                         hint=f"cut about {chars} 字 from the sidebar, or give the slot's sidebar "
                              f"about {need} lines in layout.yaml (or build with --place auto)"))
    return dataclasses.replace(box, lines=kept, bullets=bullets)


def _article_code(m: _Module, head_lines: int) -> tuple[list[CodeBox], list[PlacedLine]]:
    """The article's QR code in the slot's ``qr`` area and its label (none: no code, or a warning when
    the slot has no ``qr`` area)."""
    if m.art.article.qr is None:
        return [], []
    if m.slot.qr is None:
        m.diags.append(warning(f"article {m.art.id!r}: slot {m.slot.name!r} has no room for a QR code",
                               m.locate("qr"), code="qr",
                               hint="give the slot a 'qr' area in layout.yaml, or use a top-level 'qr'"))
        return [], []
    return _slot_code(m, head_lines)


def _body_lines(art: ArticleDoc, c: Composer, adj: Adjustments) -> tuple[Line, ...]:
    """Every paragraph of the body composed to the column width (with auto-fit's tracking)."""
    lines: list[Line] = []
    for para in art.paragraphs:
        lines.extend(c.paragraph(para.spans, c.layout.column_width, "body", tracking=adj.tracking))
    return tuple(lines)


def _continuation_frame(m: _Module, continuation: SlotSpec | None
                        ) -> tuple[Frame | None, tuple[Line, Line] | None]:
    """The frame of the slot the body continues in (all its columns, nothing blocked) and the jump
    lines (``（下转第N版）`` / ``（上接第M版）``) with the edition's page numbers."""
    if continuation is None:
        return None, None
    lay, c = m.c.layout, m.c
    bare = continuation.model_copy(update={"sidebar": None, "qr": None, "image": None})
    cont = Frame(tuple(_column_segments(bare, 0, 0)), lay.col_x(continuation.col),
                 lay.line_y(continuation.line))
    meta_page = m.doc.content.meta.page
    texts = jump_texts(meta_page + lay.page_of_col(m.slot.col), meta_page + lay.page_of_col(continuation.col))
    down, up = (c.headline([text], lay.column_width, "body", compress=False)[0] for text in texts)
    return cont, (down, up)


def _set_body(lines: tuple[Line, ...], own: Frame, cont: Frame | None, jumps: tuple[Line, Line] | None,
              c: Composer) -> tuple[list[PlacedLine], list[PlacedLine], tuple[Line, ...], int]:
    """The body lines placed on the grid of the own frame, then the continuation's (jump lines set
    flush right); returns both parts, the overset lines and the capacity in body lines."""
    lay = c.layout
    step = lay.column_width + lay.spec.grid.gutter
    slotted, rest, capacity = fill(lines, own, cont, jumps)
    body: list[PlacedLine] = []
    cont_body: list[PlacedLine] = []
    for item in slotted:
        frame = own if item.frame == 0 else cont
        assert frame is not None
        x = frame.x0 + item.col * step + (lay.column_width - item.content.width if item.jump else 0.0)
        (body if item.frame == 0 else cont_body).append(
            PlacedLine(x, frame.y0 + item.line * lay.spec.grid.pitch, item.content, "body"))
    return body, cont_body, tuple(rest), capacity


def _frame_end(frame: Frame, lay: Layout) -> tuple[float, float] | None:
    """The bottom-right corner of a frame's last column segment: where the overset marker goes."""
    if not frame.segments:
        return None
    col, first, count = frame.segments[-1]
    step = lay.column_width + lay.spec.grid.gutter
    return frame.x0 + col * step + lay.column_width, frame.y0 + (first + count) * lay.spec.grid.pitch


def _article_fit(art: ArticleDoc, slot: SlotSpec, adj: Adjustments, lines: tuple[Line, ...],
                 placed: list[PlacedLine], capacity: int, overset: tuple[Line, ...], lay: Layout
                 ) -> ArticleFit:
    """Lines and 字 the frames hold and the body needs (jump lines are not the article's text)."""
    cpl = lay.spec.grid.column_chars
    chars_needed = sum(count_chars(line) for line in lines)
    body_ids = {id(line) for line in lines}
    chars_placed = sum(count_chars(p.line) for p in placed if id(p.line) in body_ids)
    spare = max(0, capacity - len(lines))
    chars_available = chars_placed + round(spare * cpl) if not overset else chars_placed
    return ArticleFit(art.id, slot.name, art.body_location, capacity, len(lines), chars_available,
                      chars_needed, cpl, tuple(adj.describe()))


def _continuation_box(m: _Module, continuation: SlotSpec, cont: Frame, cont_body: list[PlacedLine],
                      fit: ArticleFit) -> ArticleBox:
    """The part of the article in the slot it continues in (a warning when nothing runs on into it)."""
    lay = m.c.layout
    crect = Rect(cont.x0, cont.y0, lay.span_width(continuation.span), continuation.lines * m.pitch)
    if not cont_body:
        m.diags.append(warning(f"article {m.art.id!r} fits its own slot: slot {continuation.name!r} of its "
                               "continuation stays empty", m.locate("continues"), code="hole"))
    return ArticleBox(m.art.id, continuation, crect, (), tuple(cont_body), (), None,
                      _article_rules(continuation, list(cont.segments), m.c, cont.x0, cont.y0),
                      fit, (), None, part=1)


def _without_sidebar(slot: SlotSpec) -> SlotSpec:
    return slot.model_copy(update={"sidebar": None})


def count_chars(line: Line) -> int:
    """字 in a line: every character but spaces."""
    return sum(1 for ch in line.text if not ch.isspace())


def sidebar_box(art: ArticleDoc, slot: SlotSpec, c: Composer, x0: float, y0: float,
                head_lines: int) -> SidebarBox:
    """The article's sidebar in the slot's ``sidebar`` area (the slot's top-left corner at ``x0, y0``):
    its title centred in a band, then its charts, bullet items or paragraphs."""
    lay = c.layout
    sb = slot.sidebar
    side = art.article.sidebar
    assert sb is not None and side is not None
    pitch = lay.spec.grid.pitch
    top_line = head_lines if sb.at == "top" else slot.lines - sb.lines
    rect = Rect(x0 + sb.col * (lay.column_width + lay.spec.grid.gutter),
                y0 + top_line * pitch + pitch * 0.4, lay.span_width(sb.span), sb.lines * pitch - pitch * 0.6)
    pad = 6.0
    inner = rect.w - 2 * pad
    title_style = c.style("sidebar-title")
    title = c.headline([side.title], inner, "sidebar-title")
    band = Rect(rect.x, rect.y, rect.w, len(title) * title_style.leading + 4)
    placed_title, _ = place_block(title, rect.x + pad, rect.y + 2, inner, title_style, "sidebar-title",
                                  title_style.aligned("center"))
    y = band.bottom + 4
    if side.kind == "chart":
        plans = _charts(side.all_charts, Rect(rect.x + pad, y + 2, inner, rect.bottom - pad - y - 2), c)
        texts = tuple(PlacedLine(t.x, t.y, t.line, t.style) for plan in plans for t in plan.texts)
        return SidebarBox(rect, tuple(placed_title), band, texts, (), tuple(plans))
    lines, bullets = _sidebar_text(side, c, rect.x + pad, y, inner)
    return SidebarBox(rect, tuple(placed_title), band, tuple(lines), tuple(bullets))


def _sidebar_text(side: Sidebar, c: Composer, x: float, y: float, measure: float
                  ) -> tuple[list[PlacedLine], list[tuple[float, float]]]:
    """A text sidebar's lines from (x, y top): its items, each after a bullet (whose positions are
    returned too), or else its paragraphs."""
    style = c.style("sidebar")
    lines: list[PlacedLine] = []
    bullets = []
    bullet_w = style.size
    if side.items is not None:
        for item in side.items:
            composed = c.paragraph([InlineSpan(item)], measure - bullet_w, "sidebar", indent=0)
            bullets.append((x, y))
            more, y = place_block(composed, x + bullet_w, y, measure - bullet_w, style, "sidebar")
            lines += more
        return lines, bullets
    for text in split_paragraphs(side.body or ""):
        composed = c.paragraph([InlineSpan(text)], measure, "sidebar")
        more, y = place_block(composed, x, y, measure, style, "sidebar")
        lines += more
    return lines, bullets


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
    """Charts side by side in ``area``, each composed by ``banmian.compose.charts`` in the layout's fonts."""
    from banmian.source.model import Chart

    lay = c.layout
    items = [ch for ch in charts if isinstance(ch, Chart)]
    width = (area.w - CHART_GAP * (len(items) - 1)) / max(1, len(items))
    plans = []
    for i, chart in enumerate(items):
        rect = Rect(area.x + i * (width + CHART_GAP), area.y, width, area.h)
        plans.append(plan_chart(chart, rect, lay.spec.chart, lay.spec.styles,
                                lambda text, style, measure: c.headline([text], measure, style), i,
                                c.charts))
    return plans


def _code_label(text: str, c: Composer, style_name: str, x: float, y: float, measure: float,
                align: str) -> list[PlacedLine]:
    lines = c.headline([text], measure, style_name)
    placed, _ = place_block(lines, x, y, measure, c.style(style_name), style_name, align)
    return placed


def _slot_code(m: _Module, head_lines: int) -> tuple[list[CodeBox], list[PlacedLine]]:
    """An article's QR code in the slot's ``qr`` area: the code, its label under it, centred."""
    lay, slot, c = m.c.layout, m.slot, m.c
    spec = slot.qr
    qr = m.art.article.qr
    assert spec is not None and qr is not None
    pitch = m.pitch
    top_line = head_lines if spec.at == "top" else slot.lines - spec.lines
    ax = m.x0 + spec.col * (lay.column_width + lay.spec.grid.gutter)
    aw = lay.span_width(spec.span)
    ay = m.y0 + top_line * pitch
    size = spec.size_mm * MM
    style_name = "caption"
    label_h = c.style(style_name).leading if qr.label else 0.0
    room = spec.lines * pitch - label_h
    if size > min(aw, room) + 0.01:
        m.diags.append(error(f"article {m.art.id!r}: the {spec.size_mm:g} mm QR code does not fit the "
                             f"{spec.lines} lines of slot {slot.name!r}", m.locate("qr"), code="qr"))
        return [], []
    y = ay + (room - size) / 2
    try:
        code = qr_box(qr.url, ax + (aw - size) / 2, y, spec.size_mm)
    except CodeTooSmallError as exc:
        m.diags.append(error(f"article {m.art.id!r}: {exc}", m.locate("qr", "url"), code="qr",
                             hint="a shorter URL, or a larger 'qr: {size_mm}' in the layout"))
        return [], []
    if not qr.label:
        return [code], []
    return [code], _code_label(qr.label, c, style_name, ax, y + size, aw, "center")
