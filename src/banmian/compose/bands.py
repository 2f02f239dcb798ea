"""Page furniture: what a page carries besides its articles.

Takes: the ``Document`` (meta, banner, page QR code, ISSN) and a ``Composer`` for the layout.
Gives: the header strip (publication, 版次, 版名, date, 责任编辑), the banner (通栏标题: kicker, title,
subtitle), the page's rules (under the bands, between modules) and its codes (the page QR code with
its label, the ISSN as an EAN-13 with its digits) — as placed lines, rules and code boxes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from banmian.compose.boxes import PlacedLine, Rule
from banmian.compose.codes import CodeBox, CodeTooSmallError, ean13_box, issn_to_ean13, qr_box
from banmian.compose.linebreak import Line
from banmian.compose.setter import Composer, place_block
from banmian.core.diagnostics import Diagnostic, error, info, warning
from banmian.core.units import MM
from banmian.source.fonts import FontSet
from banmian.source.layout import EYEBROW_TITLE, Layout, with_style
from banmian.source.load import Document
from banmian.source.model import title_lines


def front_page(doc: Document, layout: Layout) -> bool:
    """Does the page carry the masthead (报头)? Page 1 of a one-page layout does; any other page (and
    each plate of a spread) carries a 报眉 in the first ``header.inside`` lines instead."""
    return layout.pages == 1 and doc.content.meta.page == 1


def banner_band(doc: Document, layout: Layout) -> tuple[int, int] | None:
    """First grid line and lines of the banner band: under a 报眉 it takes the header lines left over."""
    band, header = layout.spec.banner, layout.spec.header
    if band is None:
        return None
    if header is None or front_page(doc, layout) or header.line + header.lines != band.line:
        return band.line, band.lines
    first = header.line + header.inside_lines
    return first, band.line + band.lines - first


def furniture_date(layout: Layout, date: dt.date) -> str:
    """A date in the layout's house style (``date_format``: 2025年6月28日, no spaces added)."""
    return layout.spec.date_format.format(year=date.year, month=date.month, day=date.day)


def header_strip(doc: Document, c: Composer) -> list[PlacedLine]:
    """The masthead on page 1, else a 报眉 on each plate (see ``front_page``)."""
    lay = c.layout
    if lay.spec.header is None:
        return []
    if front_page(doc, lay):
        return _masthead(doc, c)
    return [pl for plate in range(lay.pages) for pl in _eyebrow(doc, c, plate)]


def _masthead(doc: Document, c: Composer) -> list[PlacedLine]:
    lay = c.layout
    band = lay.spec.header
    assert band is not None
    meta = doc.content.meta
    top = lay.line_y(band.line)
    width = lay.type_width
    title_style = c.style("header-title")
    info_style = c.style("header-info")
    title = c.headline([meta.publication], width / 2, "header-title")
    placed, _ = place_block(title, lay.type_left, top, width, title_style, "header-title", "left")
    weekday = "一二三四五六日"[meta.date.weekday()]
    right = [f"第{meta.page}版  {meta.section}".strip(),
             f"{furniture_date(lay, meta.date)}  星期{weekday}  {meta.issue}".strip()]
    if meta.editor:
        right.append(f"责任编辑：{meta.editor}")
    y = top + (band.lines * lay.spec.grid.pitch - len(right) * info_style.leading) / 2 - 2
    for text in right:
        lines = c.headline([text], width / 2, "header-info", han_latin=False)
        more, y = place_block(lines, lay.type_left + width / 2, y, width / 2, info_style, "header-info",
                              "right")
        placed += more
    return placed


def _eyebrow(doc: Document, c: Composer, plate: int) -> list[PlacedLine]:
    """A 报眉 across one plate, on the header's first grid line, all items on one baseline: the
    publication and 第N版 版名 from the plate's first column, the date and weekday centred on the
    plate, 责任编辑：NAME ending at its last column. N is ``meta.page`` plus the plate (a spread's
    right plate is the next page)."""
    lay = c.layout
    band = lay.spec.header
    assert band is not None
    meta = doc.content.meta
    left = lay.col_x(plate * lay.spec.grid.columns + 1)
    width = lay.page_type_width
    pitch = lay.spec.grid.pitch
    title_name = EYEBROW_TITLE if EYEBROW_TITLE in lay.spec.styles else "header-info"
    baseline = lay.line_y(band.line) + pitch / 2 + c.style("header-info").size * 0.38
    weekday = "一二三四五六日"[meta.date.weekday()]
    items = [(title_name, meta.publication, left, "left"),
             ("header-info", f"第{meta.page + plate}版  {meta.section}".strip(), None, "left"),
             ("header-info", f"{furniture_date(lay, meta.date)}  星期{weekday}  {meta.issue}".strip(),
              left, "center")]
    if meta.editor:
        items.append(("header-info", f"责任编辑：{meta.editor}", left, "right"))
    placed: list[PlacedLine] = []
    after = float("-inf")  # the right end of the item before (none yet)
    gap = 2 * c.style("header-info").size
    for style_name, text, x, align in items:
        style = c.style(style_name)
        (line,) = c.headline([text], width, style_name, han_latin=False)[:1]
        top = baseline - c.baseline_offset(style_name)
        more, _ = place_block([line], after + gap if x is None else x, top, width, style, style_name, align)
        if more[0].x < after + gap:  # a narrow plate: the item follows the one before instead
            more, _ = place_block([line], after + gap, top, width, style, style_name, "left")
        placed += more
        after = more[0].x + line.width
    return placed


BANNER_STEP = 1.0  # pt: the banner title shrinks in whole points (a size a designer would choose)


def fit_banner(doc: Document, layout: Layout, fonts: FontSet) -> tuple[Layout, list[Diagnostic]]:
    """The layout with its ``banner-title`` style set as large as lets the banner fit its band, down to
    ``banner.min_scale`` of its size (an info says so); a banner that does not fit even then is an
    error with its length and the band's capacity in 字 (its text would otherwise run over the page)."""
    band, banner = layout.spec.banner, doc.content.banner
    if band is None or banner is None:
        return layout, []
    room = banner_room(doc, layout)
    if _banner_height(doc, Composer(layout, fonts)) <= room:
        return layout, []
    title = layout.spec.styles["banner-title"]
    size = float(int(title.size))
    while size >= title.size * band.min_scale - 1e-6:
        fitted = with_style(layout, "banner-title", title.model_copy(update={
            "size": size, "leading": round(title.leading * size / title.size * 2) / 2}))
        if _banner_height(doc, Composer(fitted, fonts)) <= room:
            return fitted, [info(f"the banner title is set at {size:g} pt (the layout's {title.size:g} pt) "
                                 "to fit its band", doc.source.locate(("banner", "title")), code="banner")]
        size -= BANNER_STEP
    return layout, [_banner_too_long(doc, layout, fonts, room)]


def banner_room(doc: Document, layout: Layout) -> float:
    """Height (pt) of the banner band on this page (see ``banner_band``)."""
    where = banner_band(doc, layout)
    return 0.0 if where is None else where[1] * layout.spec.grid.pitch


def _banner_height(doc: Document, c: Composer) -> float:
    return sum(len(lines) * c.style(name).leading for name, lines in _banner_blocks(doc, c))


def _banner_blocks(doc: Document, c: Composer) -> list[tuple[str, tuple[Line, ...]]]:
    banner = doc.content.banner
    assert banner is not None
    parts = [("banner-kicker", title_lines(banner.kicker)), ("banner-title", title_lines(banner.title)),
             ("banner-subtitle", title_lines(banner.subtitle))]
    return [(name, c.headline(lines, c.layout.type_width, name)) for name, lines in parts if lines]


def _banner_too_long(doc: Document, layout: Layout, fonts: FontSet, room: float) -> Diagnostic:
    """How long the banner title is and how much of it the band holds, at the smallest size allowed."""
    band = layout.spec.banner
    assert band is not None and doc.content.banner is not None
    title = layout.spec.styles["banner-title"]
    smallest = title.size * band.min_scale
    c = Composer(layout, fonts)
    others = sum(len(lines) * c.style(name).leading for name, lines in _banner_blocks(doc, c)
                 if name != "banner-title")
    leading = title.leading * band.min_scale
    lines = max(0, int((room - others) // leading))
    per_line = int(layout.type_width // smallest)
    length = sum(len(line) for line in title_lines(doc.content.banner.title))
    return error(f"the banner title ({length} 字) does not fit its band: {band.lines} grid lines hold "
                 f"{lines} line{'s' if lines != 1 else ''} of about {per_line} 字 even at "
                 f"{smallest:g} pt ({band.min_scale:.0%} of {title.size:g} pt)",
                 doc.source.locate(("banner", "title")), code="banner",
                 hint=f"shorten it to about {lines * per_line} 字 (or move words into the kicker or "
                      "subtitle), or give the layout's banner more lines")


def banner_lines(doc: Document, c: Composer) -> list[PlacedLine]:
    lay = c.layout
    band = lay.spec.banner
    banner = doc.content.banner
    if band is None or banner is None:
        return []
    width = lay.type_width
    blocks = _banner_blocks(doc, c)
    height = sum(len(lines) * c.style(name).leading for name, lines in blocks)
    first, count = banner_band(doc, lay) or (band.line, band.lines)
    y = lay.line_y(first) + (count * lay.spec.grid.pitch - height) / 2
    placed: list[PlacedLine] = []
    for name, lines in blocks:
        style = c.style(name)
        more, y = place_block(lines, lay.type_left, y, width, style, name, style.aligned("center"))
        placed += more
    return placed


def page_rules(doc: Document, layout: Layout, banner_type: Sequence[PlacedLine] = ()) -> tuple[Rule, ...]:
    """The rules under the header (a masthead's heavy rule at its band's foot; a 报眉's lighter one in
    the middle of its last grid line, half a line clear of its type) and under the banner (in the middle
    of the gap between the banner's last line and the type below, which starts half a grid line under
    the band), then the rules between modules."""
    spec = layout.spec
    rules = []
    color = "red" if "red" in spec.colors else spec.rules.color
    pitch = spec.grid.pitch
    if spec.header is not None:
        if front_page(doc, layout):
            y, weight = layout.line_y(spec.header.line + spec.header.lines) - pitch * 0.3, 2.0
        else:
            y, weight = layout.line_y(spec.header.line + spec.header.inside_lines) - pitch / 2, 1.0
        rules += _across_plates(layout, y, weight, color)
    banner = banner_band(doc, layout)
    if banner is not None:
        foot = layout.line_y(banner[0] + banner[1])
        y = foot - pitch * 0.3
        if banner_type:
            type_foot = max(pl.y + (spec.styles[pl.style].leading + spec.styles[pl.style].size) / 2
                            for pl in banner_type)
            y = min((type_foot + foot + pitch / 2) / 2, foot + pitch / 4)
        rules.append(Rule(layout.type_left, y, layout.type_left + layout.type_width, y, 0.8, color))
    rules += module_rules(layout)
    return tuple(rules)


def _across_plates(layout: Layout, y: float, weight: float, color: str) -> list[Rule]:
    """A rule across the type area of each plate (a spread's rules stop at the fold margins)."""
    out = []
    for plate in range(layout.pages):
        left = layout.col_x(plate * layout.spec.grid.columns + 1)
        out.append(Rule(left, y, left + layout.page_type_width, y, weight, color))
    return out


#: grid lines below a module's foot its rule lies: the middle of the gap between the module's last line
#: and the headline group below it (which starts half a grid line down), clear of both
RULE_BELOW_FOOT = 0.25


def module_rules(layout: Layout) -> list[Rule]:
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
            y = bottom + spec.grid.pitch * RULE_BELOW_FOOT
            out.append(Rule(left, y, right, y, weight, spec.rules.color))
    return out


def page_codes(doc: Document, c: Composer, header: list[PlacedLine], diags: list[Diagnostic],
               banner: Sequence[PlacedLine] = ()) -> list[CodeBox]:
    """The page-level QR code where the layout's ``qr`` puts it: in the masthead, in free space nearest
    the layout's align; or — under a 报眉, or with ``band: banner`` — in a corner of the banner band,
    clear of the banner's lines. Its label is set beside it in the header-info style and added to
    ``header``."""
    lay = c.layout
    qr = doc.content.qr
    spec, band = lay.spec.qr, lay.spec.header
    barcode = issn_barcode(doc, c, header, diags)
    if qr is None:
        return barcode
    if spec is None or band is None:
        diags.append(warning(f"layout {lay.name!r} has no place for a page QR code",
                             doc.source.locate(("qr",)), code="qr",
                             hint="add 'qr: {band: header}' to layout.yaml"))
        return barcode
    area = _qr_area(doc, lay)
    size = spec.size_mm * MM
    if size > area.height + 0.01:
        where = "header strip" if area.masthead else "banner band"
        diags.append(error(f"the {spec.size_mm:g} mm QR code is taller than the {where} "
                           f"({area.height / MM:.1f} mm)", lay.locate("qr", "size_mm"), code="qr"))
        return []
    style_name = "header-info"
    label_w = _label_width(c, qr.label, lay.column_width * 0.9, style_name) if qr.label else 0.0
    spot = (_masthead_spot(c, area, size, label_w, header, barcode, diags) if area.masthead
            else _banner_spot(c, area, size, label_w, banner, diags))
    if spot is None:
        return barcode
    left, top = spot
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


@dataclass(frozen=True)
class _QrArea:
    """Where the page QR code may go: the masthead above its rule, or the banner band above its rule."""

    top: float
    height: float
    masthead: bool


def _qr_area(doc: Document, lay: Layout) -> _QrArea:
    spec, header = lay.spec.qr, lay.spec.header
    assert spec is not None and header is not None
    pitch = lay.spec.grid.pitch
    banner = banner_band(doc, lay)
    if (spec.band == "header" and front_page(doc, lay)) or banner is None:
        first, count, masthead = header.line, header.lines, True
    else:
        first, count, masthead = banner[0], banner[1], False
    return _QrArea(lay.line_y(first), count * pitch - pitch * 0.3 - 1.0, masthead)


def _masthead_spot(c: Composer, area: _QrArea, size: float, label_w: float, header: Sequence[PlacedLine],
                   barcode: Sequence[CodeBox], diags: list[Diagnostic]) -> tuple[float, float] | None:
    """In the masthead: the free space nearest the layout's align (left of centre, centred, right of
    centre), 1 em clear of the masthead's items and the ISSN barcode; an error when there is none."""
    lay = c.layout
    spec = lay.spec.qr
    assert spec is not None
    total = size + label_w
    em = c.style("header-info").size
    preferred = {"left": lay.type_left + lay.type_width * 0.3 - total / 2,
                 "center": lay.type_left + (lay.type_width - total) / 2,
                 "right": lay.type_left + lay.type_width * 0.7 - total / 2}[spec.align]
    top = area.top + (area.height - size) / 2
    taken = [(pl.x, pl.x + pl.line.width) for pl in header if not pl.vertical
             and pl.y < top + size and pl.y + c.style(pl.style).leading > top]
    taken += [(b.rect.x, b.rect.x + b.rect.w) for b in barcode]
    bounds = (lay.type_left, lay.type_left + lay.type_width)
    left = free_left(preferred, total, taken, bounds, em)
    if left is None:
        room = _widest_gap(taken, bounds, em)
        diags.append(error(f"no room in the header strip for the {spec.size_mm:g} mm QR code"
                           f"{' and its label' if label_w else ''} ({total / MM:.0f} mm): the masthead and "
                           f"the header's items leave {room / MM:.0f} mm", lay.locate("qr"), code="qr",
                           hint="a smaller 'qr: {size_mm}', or the code without a label"))
        return None
    return left, top


def _banner_spot(c: Composer, area: _QrArea, size: float, label_w: float, banner: Sequence[PlacedLine],
                 diags: list[Diagnostic]) -> tuple[float, float] | None:
    """In the banner band: its left corner (``align: left``) or its right one (``center``, ``right``), at
    the band's middle, foot or head — the first clear of the banner's lines; a warning when none is."""
    lay = c.layout
    spec = lay.spec.qr
    assert spec is not None
    total = size + label_w
    left = lay.type_left if spec.align == "left" else lay.type_left + lay.type_width - total
    tops = [area.top + (area.height - size) / 2, area.top + area.height - size, area.top]
    for top in tops:
        if not any(_overlaps((left, top, left + total, top + size), pl, c) for pl in banner):
            return left, top
    diags.append(warning("the page QR code would cover the banner's lines: it is left out",
                         lay.locate("qr"), code="qr",
                         hint="a shorter banner, 'qr: {align: left}' or a smaller 'qr: {size_mm}'"))
    return None


def _overlaps(box: tuple[float, float, float, float], pl: PlacedLine, c: Composer) -> bool:
    """Does ``box`` come within a point of the em boxes of a placed line (centred in its line box)?"""
    x0, y0, x1, y1 = box
    style = c.style(pl.style)
    top = pl.y + (style.leading - style.size) / 2
    return (pl.x - 1 < x1 and pl.x + pl.line.width + 1 > x0 and top - 1 < y1
            and top + style.size + 1 > y0)


def _label_width(c: Composer, label: str, most: float, style_name: str) -> float:
    """The width a code's label takes: its natural width after a 1-em gap, at most ``most``."""
    style = c.style(style_name)
    lines = c.headline([label], most, style_name)
    return min(most, max(line.width for line in lines) + style.size)


def free_left(preferred: float, width: float, taken: Sequence[tuple[float, float]],
              bounds: tuple[float, float], gap: float) -> float | None:
    """The left edge nearest ``preferred`` for something ``width`` wide inside ``bounds`` that keeps
    ``gap`` clear of every ``taken`` interval (the masthead, the header's items); ``None``: no room."""
    lo, hi = bounds
    candidates = [preferred, lo, hi - width]
    for start, end in taken:
        candidates += [end + gap, start - gap - width]

    def clear(x: float) -> bool:
        return lo - 0.01 <= x and x + width <= hi + 0.01 and all(
            x + width + gap <= start + 0.01 or x >= end + gap - 0.01 for start, end in taken)

    fitting = [x for x in candidates if clear(x)]
    return min(fitting, key=lambda x: (abs(x - preferred), x)) if fitting else None


def _widest_gap(taken: Sequence[tuple[float, float]], bounds: tuple[float, float], gap: float) -> float:
    """The widest free stretch between ``taken`` intervals (each kept ``gap`` clear) inside ``bounds``."""
    edges, widest, x = sorted(taken), 0.0, bounds[0]
    for start, end in edges:
        widest = max(widest, start - gap - x)
        x = max(x, end + gap)
    return max(widest, bounds[1] - x)


EAN_MODULE_MM = 0.33  # EAN-13 at 100 % (0.33 mm per module); 80 % is the smallest a scanner expects


def issn_barcode(doc: Document, c: Composer, header: list[PlacedLine],
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
