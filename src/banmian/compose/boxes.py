"""The composed page: frozen boxes that the compose stage gives and the render stage draws.

Takes: nothing — these are the types.
Gives: ``PlacedLine`` (a composed line at its position), ``Figure``, ``SidebarBox``, ``Rule``,
``Adjustments`` (what auto-fit changed), ``ArticleFit`` (lines and 字 a frame holds and needs),
``ArticleBox`` (an article module, or its continuation), ``PageModel`` (one page or spread canvas).
All coordinates are pt from the trim box's top-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from banmian.compose.charts import ChartPlan
from banmian.compose.codes import CodeBox
from banmian.compose.linebreak import Line
from banmian.core.diagnostics import Diagnostic, Location
from banmian.source.layout import Layout, Rect, SlotSpec


@dataclass(frozen=True)
class PlacedLine:
    x: float  # left edge of the line's measure (vertical: the column's centre line)
    y: float  # top of the line box (line box height = the style's leading; vertical: the column's top)
    line: Line
    style: str
    vertical: bool = False  # a column of a vertical headline (``banmian.compose.vertical``)

    @property
    def text(self) -> str:
        return self.line.text


@dataclass(frozen=True)
class Figure:
    rect: Rect  # the picture itself
    src: str  # key of the prepared image (see banmian.graphics.photos)
    path: str
    caption: tuple[PlacedLine, ...]
    image: int = 0  # which of the article's images (its index in ``images``)


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
            out.append(f"photo height {self.image_lines:+d} line{'s' if abs(self.image_lines) != 1 else ''}")
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
