"""Compose a page: content + layout → placed lines, figures, sidebars and fit figures.

Takes: a loaded ``Document``, a ``Layout`` and the ``FontSet``; optional ``Adjustments`` (auto-fit) and
the ``World``'s chart cache.
Gives: ``PageModel`` (``banmian.compose.boxes``) — every line of text composed by the ``Composer`` and
placed at an exact position in the frames of its slot: the page furniture (``banmian.compose.bands``),
each article module (headline group, figure with caption, sidebar, body columns on the baseline grid,
a continuation in another slot) and the column rules; plus, per article, an ``ArticleFit`` that counts
exactly the lines and characters (字) each frame holds and needs, and the lines that did not fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

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
from banmian.core.diagnostics import Diagnostic, error, warning
from banmian.core.units import MM
from banmian.source.fonts import FontSet
from banmian.source.layout import Layout, Rect, SlotSpec
from banmian.source.load import ArticleDoc, Document
from banmian.source.model import InlineSpan, title_lines
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
    rules = page_rules(layout)
    codes = page_codes(doc, composer, header, diags)
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
                taken[index] = repr(art.id)
                result[art.id] = index
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
                           layout.locate("slots", i), code="slot",
                           hint="add an article, or remove the slot from the layout (a copy: "
                                "banmian new-layout NAME --from " + layout.name + ")"))
    return result


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
        from banmian.source.load import split_paragraphs

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
