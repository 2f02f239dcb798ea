"""Charts: a content ``Chart`` (labels, values, display texts) → vector marks and composed labels.

Takes: a ``banmian.source.model.Chart``, the rectangle the layout gives it (pt, trim space), the layout's
``chart`` look (CMYK palette colour names, axis colour, bar share, style names) and a ``Compose``
callback that sets a text in a layout style (banmian's own headline composer, so every label is
drawn glyph-exact in the layout's fonts and lands in the PDF's text layer); optionally the ``World``'s
``ChartGeometryCache``, which keeps reportlab's bar geometry between builds.
Gives: ``ChartPlan`` — filled rectangles (bars, the baseline) in named palette colours, wedges for a
pie, and placed label lines (category names, the values as the content writes them, e.g.
``1800余人次``, and the chart's title).

Route chosen, and why. reportlab.graphics lays the chart out — ``VerticalBarChart`` and
``HorizontalBarChart`` place and scale the bars (category positions, bar thickness, value scale), and
``Pie`` cuts the wedges — and the resulting ``Drawing`` is walked for its ``Rect`` shapes. Nothing is
drawn by reportlab or exported as SVG: WeasyPrint paints SVG in RGB (``device-cmyk`` fills in inline SVG
come out black) and reportlab cannot embed the CFF CJK fonts. Instead the renderer draws each bar as
an absolutely placed div with a ``device-cmyk`` background (a DeviceCMYK ``re f`` in the PDF: vector
and CMYK, no image), and each label as a composed line like any other text on the page. Pie wedges
cannot be divs: a pie is drawn by reportlab itself in DeviceCMYK (``CMYKColor`` → ``k`` operators) as
a one-page vector PDF and laid over the page by ``banmian.export.overlay``; its labels are a legend of
composed lines beside it.

Numbers: a value is written as the content gives it (``text``); without ``text``, the Chinese way —
an integer as digits with no grouping (``1800``), ``万``/``亿`` for large round numbers, then the unit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from banmian.compose.linebreak import Line
from banmian.source.layout import ChartStyleSpec, Rect, Style
from banmian.source.model import Chart
from banmian.source.world import BarRect, ChartGeometryCache

Compose = Callable[[str, str, float], tuple[Line, ...]]  # (text, style name, measure) → lines

BASELINE = 0.75  # pt, the category axis
#: pt: the shortest bar drawn for a value above zero (a bar of 15 beside 168 in a low plot would be a
#: hairline, read as no bar); the value is printed at its end all the same
MIN_BAR = 2.5
LABEL_GAP = 4.0  # pt from the category axis to the labels' line boxes: their type a third of a line clear
ASCENT = 0.88  # em above the baseline in the CJK faces (for lining labels up with bar ends)


@dataclass(frozen=True)
class Fill:
    rect: Rect
    color: str  # a palette colour name


@dataclass(frozen=True)
class Wedge:
    cx: float
    cy: float
    radius: float
    start: float  # degrees, counter-clockwise from 3 o'clock (reportlab's convention)
    end: float
    color: str


@dataclass(frozen=True)
class ChartText:
    x: float  # left edge of the line
    y: float  # top of the line box
    line: Line
    style: str


@dataclass(frozen=True)
class ChartPlan:
    rect: Rect
    kind: str
    fills: tuple[Fill, ...]
    wedges: tuple[Wedge, ...]
    texts: tuple[ChartText, ...]


def format_value(value: float, unit: str = "") -> str:
    """A number the Chinese way: ``1800项``, ``2.5万人``, ``3亿元``; no thousands separators."""
    for step, name in ((1e8, "亿"), (1e4, "万")):
        if value >= step and (value / step * 10).is_integer():
            return f"{value / step:g}{name}{unit}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def shares(chart: Chart) -> list[float]:
    """Each value as a share of the largest, what reportlab lays out: bars and wedges are relative, and
    reportlab's axis arithmetic fails on extreme magnitudes (a largest value of 5e-324 divides by zero)."""
    top = max(p.value for p in chart.series)  # > 0: the model refuses a chart of zeros
    return [p.value / top for p in chart.series]


def display_texts(chart: Chart) -> list[str]:
    return [p.text or format_value(p.value, chart.unit) for p in chart.series]


def style_names(look: ChartStyleSpec, styles: dict[str, Style]) -> tuple[str, str, str]:
    """The (label, value, title) styles, falling back to ``sidebar`` when the layout lacks one."""
    return tuple(name if name in styles else "sidebar"  # type: ignore[return-value]
                 for name in (look.label, look.value, look.title))


class _Setter:
    """Places composed lines; remembers them in order."""

    def __init__(self, compose: Compose, styles: dict[str, Style]):
        self.compose = compose
        self.styles = styles
        self.texts: list[ChartText] = []

    def leading(self, style: str) -> float:
        return self.styles[style].leading

    def lines(self, text: str, style: str, measure: float) -> tuple[Line, ...]:
        return self.compose(text, style, measure)

    def width(self, text: str, style: str) -> float:
        return max((ln.width for ln in self.compose(text, style, 10_000.0)), default=0.0)

    def put(self, text: str, style: str, x: float, y: float, measure: float, align: str) -> float:
        """Set ``text`` in a box of ``measure`` at (x, y top); returns the y below it."""
        for line in self.lines(text, style, measure):
            dx = {"left": 0.0, "center": (measure - line.width) / 2, "right": measure - line.width}[align]
            self.texts.append(ChartText(x + dx, y, line, style))
            y += self.leading(style)
        return y


def plan_chart(chart: Chart, rect: Rect, look: ChartStyleSpec, styles: dict[str, Style],
               compose: Compose, index: int = 0, cache: ChartGeometryCache | None = None) -> ChartPlan:
    """Lay out ``chart`` in ``rect``; the ``index``-th chart of a box takes the ``index``-th colour;
    bar geometry comes from ``cache`` when it holds it (see ``bar_geometry``)."""
    label_style, value_style, title_style = style_names(look, styles)
    setter = _Setter(compose, styles)
    top = rect.y
    if chart.title:
        top = setter.put(chart.title, title_style, rect.x, top, rect.w, "center") + 2
    body = Rect(rect.x, top, rect.w, rect.bottom - top)
    if chart.source:
        lead = setter.leading(label_style)
        body = Rect(body.x, body.y, body.w, body.h - lead)
        setter.put(f"数据来源：{chart.source}", label_style, rect.x, rect.bottom - lead, rect.w, "right")
    color = look.colors[index % len(look.colors)]
    if chart.type == "bar":
        fills = _bars(chart, body, look, setter, label_style, value_style, color, cache)
        return ChartPlan(rect, "bar", tuple(fills), (), tuple(setter.texts))
    if chart.type == "hbar":
        fills = _hbars(chart, body, look, setter, label_style, value_style, color, cache)
        return ChartPlan(rect, "hbar", tuple(fills), (), tuple(setter.texts))
    wedges, swatches = _pie(chart, body, look, setter, label_style)
    return ChartPlan(rect, "pie", tuple(swatches), tuple(wedges), tuple(setter.texts))


def _shapes(widget: object) -> list[object]:
    """Every leaf shape a reportlab widget draws (groups flattened; charts here use no transforms)."""
    from reportlab.graphics.shapes import Group
    from reportlab.graphics.widgetbase import Widget

    out: list[object] = []
    stack: list[object] = [widget]
    while stack:
        node = stack.pop(0)
        if isinstance(node, Widget):
            node = node.draw()
        if isinstance(node, Group):
            stack[:0] = list(node.contents)
        else:
            out.append(node)
    return out


def _barchart(bc: Any, chart: Chart, width: float, height: float, look: ChartStyleSpec) -> Any:
    """A reportlab bar chart (vertical or horizontal) laid out for ``chart``: one series from zero, no
    axes drawn (banmian draws the baseline and sets the labels), bars a share ``look.bar`` of their slot."""
    bc.x, bc.y, bc.width, bc.height = 0, 0, width, height
    bc.data = [shares(chart)]
    bc.categoryAxis.categoryNames = [p.label for p in chart.series]
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueMax = 1
    bc.valueAxis.visible = 0
    bc.categoryAxis.visible = 0
    bc.barWidth = look.bar
    bc.groupSpacing = 1 - look.bar
    bc.barSpacing = 0
    return bc


def bar_geometry(kind: str, chart: Chart, width: float, height: float, look: ChartStyleSpec,
                 cache: ChartGeometryCache | None = None) -> list[BarRect]:
    """One bar per datum, in the series' order: the bars reportlab's ``VerticalBarChart`` /
    ``HorizontalBarChart`` lay out for ``chart`` in a plot of ``width`` × ``height`` pt (origin
    bottom-left, as reportlab draws), from ``cache`` (the ``World``'s) when it holds them; a value of 0,
    which reportlab draws no bar for, gets a bar of no length at its place."""
    key = json.dumps([kind, [p.value for p in chart.series], round(width, 4), round(height, 4), look.bar])
    got = cache.get(key) if cache is not None else None
    if got is None:
        got = _reportlab_bars(kind, chart, width, height, look)
        if cache is not None:
            cache.put(key, got)
    return _per_datum(kind, got, len(chart.series), width, height, look.bar)


def _per_datum(kind: str, rects: list[BarRect], n: int, width: float, height: float, share: float
               ) -> list[BarRect]:
    """``rects`` put in category order (each by the category its centre lies in), with a bar of no
    length for each category that has none."""
    slot = (width if kind == "bar" else height) / n
    out: list[BarRect] = []
    for i in range(n):
        if kind == "bar":
            out.append((slot * (i + 0.5 - share / 2), 0.0, slot * share, 0.0))
        else:  # hbar: reversed, the first category on top
            out.append((0.0, slot * (n - i - 0.5 - share / 2), 0.0, slot * share))
    for rect in rects:
        x, y, w, h = rect
        centre = (x + w / 2) if kind == "bar" else (y + h / 2)
        index = min(max(int(centre // slot), 0), n - 1)
        out[index if kind == "bar" else n - 1 - index] = rect
    return out


def _reportlab_bars(kind: str, chart: Chart, width: float, height: float, look: ChartStyleSpec
                    ) -> list[BarRect]:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart

    if kind == "hbar":
        bc = _barchart(HorizontalBarChart(), chart, width, height, look)
        bc.categoryAxis.reverseDirection = 1  # first datum on top, as read
    else:
        bc = _barchart(VerticalBarChart(), chart, width, height, look)
    return _bar_rects(bc)


def _bar_rects(widget: object) -> list[BarRect]:
    from reportlab.graphics.shapes import Rect as RLRect

    return [(s.x, s.y, s.width, s.height) for s in _shapes(widget) if isinstance(s, RLRect)]


def _bars(chart: Chart, body: Rect, look: ChartStyleSpec, setter: _Setter, label_style: str,
          value_style: str, color: str, cache: ChartGeometryCache | None) -> list[Fill]:
    n = len(chart.series)
    slot_w = body.w / n
    labels = [p.label for p in chart.series]
    label_lines = max(len(setter.lines(text, label_style, slot_w)) for text in labels)
    label_h = label_lines * setter.leading(label_style) + LABEL_GAP
    value_h = setter.leading(value_style) + 1
    plot_h = body.h - label_h - value_h - BASELINE
    base_y = body.y + value_h + plot_h  # page y of the baseline's top edge
    fills = []
    texts = display_texts(chart)
    for i, (x, y, w, h) in enumerate(bar_geometry("bar", chart, body.w, plot_h, look, cache)):
        if chart.series[i].value > 0:
            h = max(h, MIN_BAR)
        top = base_y - (y + h)
        if w > 0 and h > 0:
            fills.append(Fill(Rect(body.x + x, top, w, h), color))
        cx = body.x + x + w / 2
        setter.put(texts[i], value_style, cx - slot_w / 2, top - value_h, slot_w, "center")
    for i, text in enumerate(labels):
        setter.put(text, label_style, body.x + i * slot_w, base_y + BASELINE + LABEL_GAP, slot_w, "center")
    fills.append(Fill(Rect(body.x, base_y, body.w, BASELINE), look.axis))
    return fills


def _hbars(chart: Chart, body: Rect, look: ChartStyleSpec, setter: _Setter, label_style: str,
           value_style: str, color: str, cache: ChartGeometryCache | None) -> list[Fill]:
    texts = display_texts(chart)
    labels = [p.label for p in chart.series]
    gap = 4.0
    label_w = min(max(setter.width(t, label_style) for t in labels), body.w * 0.4)
    value_w = min(max(setter.width(t, value_style) for t in texts), body.w * 0.35)
    plot_x = body.x + label_w + gap
    plot_w = body.w - label_w - value_w - 2 * gap - BASELINE
    n = len(chart.series)
    row_h = min(body.h / n, 2.6 * setter.leading(value_style))
    plot_h = row_h * n
    plot_top = body.y + (body.h - plot_h) / 2
    fills = []
    bar_x = plot_x + BASELINE
    for i, (x, y, w, h) in enumerate(bar_geometry("hbar", chart, plot_w, plot_h, look, cache)):
        if chart.series[i].value > 0:
            w = max(w, MIN_BAR)
        top = plot_top + (plot_h - (y + h))
        if w > 0 and h > 0:
            fills.append(Fill(Rect(bar_x + x, top, w, h), color))
        mid = top + h / 2
        lead_l, lead_v = setter.leading(label_style), setter.leading(value_style)
        n_label = len(setter.lines(labels[i], label_style, label_w))
        setter.put(labels[i], label_style, body.x, mid - n_label * lead_l / 2, label_w, "right")
        setter.put(texts[i], value_style, bar_x + x + w + gap, mid - lead_v / 2, value_w + gap, "left")
    fills.append(Fill(Rect(plot_x, plot_top, BASELINE, plot_h), look.axis))
    return fills


def _pie(chart: Chart, body: Rect, look: ChartStyleSpec, setter: _Setter, label_style: str
         ) -> tuple[list[Wedge], list[Fill]]:
    from reportlab.graphics.charts.piecharts import Pie
    from reportlab.graphics.shapes import Wedge as RLWedge

    texts = display_texts(chart)
    legend_w = body.w * 0.5
    diameter = min(body.h, body.w - legend_w - 6)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 0, 0, diameter, diameter
    pie.data = shares(chart)
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.simpleLabels = 1
    pie.labels = None
    pie.slices.strokeWidth = 0
    colors = look.colors
    out = []
    ox, oy = body.x, body.y + (body.h - diameter) / 2
    wedges = [s for s in _shapes(pie) if isinstance(s, RLWedge)]
    for i, w in enumerate(wedges):
        out.append(Wedge(ox + w.centerx, oy + diameter - w.centery, w.radius, w.startangledegrees,
                         w.endangledegrees, colors[i % len(colors)]))
    lead = setter.leading(label_style)
    lx = body.x + diameter + 6
    y = body.y + (body.h - len(texts) * lead) / 2
    swatch = min(lead * 0.6, 7.0)
    fills = []
    for i, point in enumerate(chart.series):
        color = colors[i % len(colors)]
        fills.append(Fill(Rect(lx, y + (lead - swatch) / 2, swatch, swatch), color))
        y = setter.put(f"{point.label} {texts[i]}", label_style, lx + swatch + 3, y, legend_w - swatch - 3,
                       "left")
    return out, fills
