"""Layout: ``layouts/<name>/layout.yaml`` → a validated, typed ``Layout``.

Takes: a layout name (a folder under ``layouts/``) and the font set (to check font roles).
Gives: ``Layout`` — page geometry in millimetres, the grid in newspaper terms (columns, column width in
characters of body size, gutter, baseline pitch), type styles per role (font role, size, leading,
CMYK colour), the CMYK palette, rules, slots (modules) placed on the grid by column and line, and the
auto-fit limits; how charts look (``chart``) and where QR codes go (``qr`` per slot or for the page);
a spread (``page.pages: 2``: two facing pages on one canvas, columns counted across
it, the fold at ``Layout.page_w``), the flow settings of ``kind: flow`` and the folio (running heads,
page numbers). Errors (``file:line`` + key path) for unknown keys, unknown font roles or colours,
slots off the grid, overlapping each other, crossing the fold or leaving no room for text; all
collected before stopping.

A layout is untrusted (layouts travel between schools as files): every number is finite and the page
within ``MIN_PAPER_MM``–``MAX_PAPER_MM``; every file it names (``layout.yaml`` itself, the template,
the stylesheet, an ICC profile) lies in its folder once symlinks are resolved (``layout_file``), and a
profile is a shipped name or a ``.icc``/``.icm`` file name — never a path.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from banmian.core.diagnostics import BuildError, Diagnostic, Location, error, excerpt
from banmian.core.units import MM
from banmian.source.colours import cmyk
from banmian.source.keyeffects import key_errors
from banmian.source.load import schema_errors
from banmian.source.model import Name
from banmian.source.project import describe_layouts
from banmian.source.yamlsrc import Source, read_yaml

LAYOUT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# a file in the layout's folder: no folders, no ".." (names go into paths, CSS and HTML)
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$")
FileName = Annotated[str, StringConstraints(pattern=FILE_NAME.pattern)]


MIN_PAPER_MM = 50.0  # a page narrower or shorter is no page banmian sets
MAX_PAPER_MM = 2000.0  # no press prints a sheet over 2 m; a 100 m "page" is a typo or an attack
PaperSize = Annotated[float, Field(ge=MIN_PAPER_MM, le=MAX_PAPER_MM)]
Margin = Annotated[float, Field(ge=0, le=MAX_PAPER_MM)]
CMYK = Annotated[tuple[float, float, float, float], BeforeValidator(cmyk)]  # percentages 0–100


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # .nan, .inf: errors


class Margins(_M):
    top: Margin
    bottom: Margin
    inside: Margin
    outside: Margin


class PageSpec(_M):
    trim: tuple[PaperSize, PaperSize]  # width, height in mm
    bleed: float = Field(default=3, ge=0, le=20)
    slug: float = Field(default=10, ge=0, le=40)  # beyond the bleed: marks and the slug line
    margins: Margins
    pages: int = Field(default=1, ge=1, le=2)  # 2: a spread (通版), two facing pages on one canvas


class GridSpec(_M):
    columns: int = Field(ge=1, le=24)
    column_chars: float = Field(ge=4, le=60)  # column width in characters of body size
    gutter: float = Field(ge=0, le=60)  # pt
    pitch: float = Field(gt=4, le=40)  # baseline pitch in pt: the body's leading (one number, two names)


class Style(_M):
    font: str
    bold: str | None = None  # font role for **bold** runs
    size: float = Field(gt=3, le=200)
    leading: float = Field(gt=3, le=260)
    color: str = "black"
    tracking: float = Field(default=0, ge=-0.1, le=1)  # em
    align: Literal["left", "center", "right", "justify"] = "left"
    indent: float = Field(default=0, ge=0, le=4)  # first-line indent in em

    def aligned(self, default: str) -> str:
        """The style's ``align`` where the layout gives one, else ``default`` (how the element sits
        unless told: a banner centred, a sidebar's title centred)."""
        return self.align if "align" in self.model_fields_set else default


class Rules(_M):
    column_rule: float = Field(default=0.3, ge=0, le=3)  # pt, 0 = none
    color: str = "black"
    frame: float = Field(default=0.6, ge=0, le=3)  # sidebar box and module rules


class HeadlineSpec(_M):
    lines: int | None = Field(default=None, ge=1, le=60)  # fixed height; None: as composed
    span: int | None = Field(default=None, ge=1)  # columns, default the whole slot
    align: Literal["left", "center"] | None = None  # default: each headline style's own ``align``
    style: Name | None = None  # the title's style (default ``title``), e.g. ``title-2`` of headline_scale
    direction: Literal["horizontal", "vertical"] = "horizontal"  # vertical: 竖题 at the slot's right edge


class ImageSpec(_M):
    col: int = Field(default=0, ge=0)  # offset inside the slot
    span: int = Field(ge=1)
    lines: int = Field(ge=3)  # height of the figure including its caption, in grid lines
    at: Literal["top", "bottom"] = "top"


class SidebarSpec(_M):
    col: int = Field(default=0, ge=0)
    span: int = Field(ge=1)
    lines: int = Field(ge=3)
    at: Literal["top", "bottom"] = "bottom"


class SlotQrSpec(_M):
    """Room for an article's QR code in a slot: ``lines`` grid lines of column ``col``."""

    col: int = Field(default=0, ge=0)
    span: int = Field(default=1, ge=1)
    lines: int = Field(ge=3)
    at: Literal["top", "bottom"] = "bottom"
    size_mm: float = Field(default=16, ge=8, le=60)  # the whole symbol with its quiet zone


class PageQrSpec(_M):
    """Where a page-level QR code goes: in the header strip (the masthead of page 1; on another page,
    whose 报眉 is thin, in the banner band) left of centre, centred or at the right; or in a corner of
    the banner band (``align: left`` or ``right``; ``center`` is taken as right)."""

    band: Literal["header", "banner"] = "header"
    align: Literal["left", "center", "right"] = "center"
    size_mm: float = Field(default=18, ge=8, le=60)


class ChartStyleSpec(_M):
    """How 数说 charts look: palette colours in order, the axis colour and the type styles used."""

    colors: list[str] = Field(default_factory=lambda: ["black"], min_length=1)
    axis: str = "black"
    bar: float = Field(default=0.6, gt=0.1, le=0.95)  # bar thickness as a share of its category
    label: str = "chart-label"  # style names; a missing one falls back to "sidebar"
    value: str = "chart-value"
    title: str = "chart-title"


class SlotSpec(_M):
    name: Name
    col: int = Field(ge=1)  # first column, 1-based
    span: int = Field(ge=1)
    line: int = Field(ge=1)  # first grid line, 1-based
    lines: int = Field(ge=1)
    headline: HeadlineSpec = HeadlineSpec()
    image: ImageSpec | None = None
    sidebar: SidebarSpec | None = None
    box: bool = False  # a frame around the module
    qr: SlotQrSpec | None = None
    tracking: float = Field(default=0, ge=-0.1, le=0.1)  # em added to the body's gaps (placement sets it)


class BandSpec(_M):
    """A full-width band on the grid: the header strip or the banner."""

    line: int = Field(ge=1)
    lines: int = Field(ge=1)


EYEBROW_TITLE = "eyebrow-title"  # the publication's name in a 报眉 (optional: header-info else)


class HeaderSpec(BandSpec):
    """The header band: the masthead (报头) on page 1; on any other page a 报眉 in its first ``inside``
    lines (publication, 版次, 版名, date, 责任编辑), the banner taking the rest."""

    inside: int | None = Field(default=None, ge=1, le=10)  # default: 2 (at most ``lines``)

    @property
    def inside_lines(self) -> int:
        return min(self.lines, self.inside or 2)


class BannerSpec(BandSpec):
    """The banner band (通栏标题); ``min_scale``: how far its title may shrink to fit the band."""

    min_scale: float = Field(default=0.7, ge=0.3, le=1)


class FlowImageSpec(_M):
    span: int = Field(default=1, ge=1)  # columns
    lines: int = Field(default=14, ge=3)  # height of the figure including its caption, in grid lines


class FlowSpec(_M):
    """How articles follow one another in a ``kind: flow`` layout."""

    headline: Literal["columns", "column"] = "columns"  # across all columns, or one column
    image: FlowImageSpec = FlowImageSpec()
    gap: int = Field(default=2, ge=0, le=10)  # grid lines between one article and the next
    keep: int = Field(default=4, ge=1, le=20)  # body lines that must follow a headline on its page


class FolioSpec(_M):
    """Running heads (书眉) and page numbers (页码), set in the margins outside the grid."""

    running_head: bool = True  # publication · section · date above the grid (not on the masthead page)
    align: Literal["outside", "center"] = "outside"  # page number at the outer corner or centred
    distance: float = Field(default=6, ge=1, le=30)  # mm between the grid and the running head/folio


class FitLimits(_M):
    auto: bool = False  # auto-fit on by default for this layout (``--fit`` turns it on anyway)
    tracking: float = Field(default=0.02, ge=0, le=0.1)  # ± em
    image_lines: float = Field(default=0.2, ge=0, le=0.5)  # ± share of the figure height


class PlacementSpec(_M):
    """Automatic placement (自动组版, ``banmian.compose.placement``): ``mode: auto`` chooses every
    article's module; the limits below bound the modules and photos it may choose."""

    mode: Literal["fixed", "auto"] = "fixed"  # fixed: the slots; auto: modules chosen per content
    min_columns: int = Field(default=1, ge=1, le=24)  # an article's module at least this wide
    max_columns: int | None = Field(default=None, ge=1, le=24)  # at most (default: a page's columns)
    photo_aspect: float = Field(default=0.2, ge=0, le=0.5)  # printed aspect: ± this share of the picture's
    photo_lines: int = Field(default=6, ge=3, le=60)  # a photo's least height in grid lines, caption included
    min_leg: int = Field(default=8, ge=1, le=40)  # body lines a column of a wide module should hold at least

    @model_validator(mode="before")
    @classmethod
    def _mode_alone(cls, value: object) -> object:
        """``placement: auto`` is short for ``placement: {mode: auto}``."""
        return {"mode": value} if isinstance(value, str) else value


class HeadlineRank(_M):
    """One step of ``headline_scale``: the title style of an article of this rank (the lead first)."""

    size: float = Field(gt=3, le=200)
    leading: float | None = Field(default=None, gt=3, le=260)  # default: the title's leading, scaled
    font: str | None = None  # a font role; default the title's
    color: str | None = None  # default the title's


class PrintSpec(_M):
    """The print condition: output profile, rendering intent, total ink limit, PDF/X (see press.py)."""

    profile: str = "newsprint-tr002"  # a profile shipped in banmian/data, or a .icc file in the layout folder
    intent: Literal["perceptual", "relative"] = "perceptual"
    ink_limit: float = Field(default=240, ge=100, le=400)  # total area coverage, percent
    pdf_x: bool = True  # write PDF/X-4 with the profile as output intent

    @field_validator("profile")
    @classmethod
    def _name_not_path(cls, value: str) -> str:
        if LAYOUT_NAME.match(value) or (FILE_NAME.match(value) and value.lower().endswith((".icc", ".icm"))):
            return value
        raise ValueError("a profile is a shipped profile's name (e.g. newsprint-tr002) or the name of a "
                         f".icc file in the layout's folder, not a path: {excerpt(value)}")


class LayoutSpec(_M):
    name: str
    description: str = ""
    kind: Literal["modules", "flow"] = "modules"
    page: PageSpec
    grid: GridSpec
    header: HeaderSpec | None = None
    banner: BannerSpec | None = None
    colors: dict[Name, CMYK]
    styles: dict[Name, Style]
    rules: Rules = Rules()
    slots: list[SlotSpec] = Field(default_factory=list)
    fit: FitLimits = FitLimits()
    chart: ChartStyleSpec = ChartStyleSpec()
    qr: PageQrSpec | None = None
    placement: PlacementSpec = PlacementSpec()
    headline_scale: list[HeadlineRank] = Field(default_factory=list, max_length=12)
    flow: FlowSpec = FlowSpec()
    folio: FolioSpec | None = None
    print_: PrintSpec = Field(default=PrintSpec(), alias="print")
    template: FileName = "page.html.j2"
    stylesheet: FileName = "layout.css"
    #: dates in the furniture (报眉, masthead, running heads): {year} {month} {day}, no spaces added
    date_format: str = Field(default="{year}年{month}月{day}日", max_length=40)

    @field_validator("date_format")
    @classmethod
    def _date_fields(cls, value: str) -> str:
        try:
            value.format(year=2025, month=6, day=28)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"a date format may use {{year}}, {{month}} and {{day}} only: {exc}") from None
        return value

    @model_validator(mode="before")
    @classmethod
    def _pitch_is_body_leading(cls, value: object) -> object:
        """The body's leading is the grid's pitch: either key alone gives both (both given and different
        is an error of ``keyeffects``)."""
        return body_leading_and_pitch(value)


def body_leading_and_pitch(value: object) -> object:
    """Raw layout data with ``grid.pitch`` taken from ``styles.body.leading`` or the other way round,
    when only one is given."""
    if not isinstance(value, dict):
        return value
    grid, styles = value.get("grid"), value.get("styles")
    body = styles.get("body") if isinstance(styles, dict) else None
    if not isinstance(grid, dict) or not isinstance(body, dict):
        return value
    if "pitch" not in grid and "leading" in body:
        return {**value, "grid": {**grid, "pitch": body["leading"]}}
    if "leading" not in body and "pitch" in grid:
        assert isinstance(styles, dict)
        return {**value, "styles": {**styles, "body": {**body, "leading": grid["pitch"]}}}
    return value


REQUIRED_STYLES = ("body", "title", "kicker", "subtitle", "byline", "caption", "sidebar-title",
                   "sidebar", "banner-kicker", "banner-title", "banner-subtitle", "header-title",
                   "header-info")


@dataclass(frozen=True)
class Rect:
    x: float  # pt, from the trim box's top-left corner
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


FOLIO_STYLES = ("running-head", "folio")


@dataclass(frozen=True)
class Layout:
    """A validated layout with its derived geometry in points."""

    spec: LayoutSpec
    folder: Path
    source: Source

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def trim_w(self) -> float:
        """Width of the canvas: one page, or both pages of a spread."""
        return self.spec.page.trim[0] * MM * self.pages

    @property
    def pages(self) -> int:
        return self.spec.page.pages

    @property
    def page_w(self) -> float:
        """Width of one page (one plate)."""
        return self.spec.page.trim[0] * MM

    @property
    def columns(self) -> int:
        """Grid columns on the canvas (``grid.columns`` per page)."""
        return self.spec.grid.columns * self.pages

    @property
    def page_type_width(self) -> float:
        g = self.spec.grid
        return g.columns * self.column_width + (g.columns - 1) * g.gutter

    def page_of_col(self, col: int) -> int:
        """0-based page of 1-based column ``col``."""
        return (col - 1) // self.spec.grid.columns

    @property
    def trim_h(self) -> float:
        return self.spec.page.trim[1] * MM

    @property
    def body_size(self) -> float:
        return self.spec.styles["body"].size

    @property
    def column_width(self) -> float:
        return self.spec.grid.column_chars * self.body_size

    @property
    def type_left(self) -> float:
        if self.pages == 2:  # the left page's type area ends at the inside margin before the fold
            return self.page_w - self.spec.page.margins.inside * MM - self.page_type_width
        return self.spec.page.margins.inside * MM

    @property
    def type_top(self) -> float:
        return self.spec.page.margins.top * MM

    @property
    def type_width(self) -> float:
        if self.pages == 2:  # both type areas and the fold margins between them
            return 2 * (self.page_type_width + self.spec.page.margins.inside * MM)
        return self.page_type_width

    @property
    def lines(self) -> int:
        """Grid lines in the type area."""
        m = self.spec.page.margins
        height = self.trim_h - (m.top + m.bottom) * MM
        return int(height / self.spec.grid.pitch + 1e-6)

    def col_x(self, col: int) -> float:
        """Left edge of 1-based column ``col``."""
        if self.pages == 2 and self.page_of_col(col) == 1:
            within = col - 1 - self.spec.grid.columns
            return (self.page_w + self.spec.page.margins.inside * MM
                    + within * (self.column_width + self.spec.grid.gutter))
        return self.type_left + (col - 1) * (self.column_width + self.spec.grid.gutter)

    def span_width(self, span: int) -> float:
        return span * self.column_width + (span - 1) * self.spec.grid.gutter

    def line_y(self, line: int) -> float:
        """Top of 1-based grid line ``line``."""
        return self.type_top + (line - 1) * self.spec.grid.pitch

    def cmyk(self, name: str) -> tuple[float, float, float, float]:
        return self.spec.colors[name]

    def locate(self, *key: str | int) -> Location:
        return self.source.locate(key)


def load_layout(name: str, font_roles: set[str], roots: Sequence[Path]) -> Layout:
    """Load and validate ``<root>/<name>/layout.yaml`` from the first of ``roots`` that has it (the
    project's ``layouts/``, then the built-in layouts); raise ``BuildError`` with all problems."""
    if not LAYOUT_NAME.match(name):
        raise BuildError([error(f"bad layout name {name!r}", hint="a folder name under layouts/",
                                code="layout")])
    path = next((spec for spec in (root / name / "layout.yaml" for root in roots) if spec.is_file()), None)
    if path is None:
        raise BuildError([error(f"no layout {name!r}", hint=f"known layouts: {describe_layouts(roots)}",
                                code="layout")])
    if layout_file(path.parent, path.name) is None:
        raise BuildError([error(OUTSIDE, Location(path), code="layout", hint=OUTSIDE_HINT)])
    source = read_yaml(path)
    try:
        spec = LayoutSpec.model_validate(source.data)
    except ValidationError as exc:
        raise BuildError(schema_errors(exc, source, doc="docs/layouts.md")) from None
    layout = Layout(spec, path.parent, source)
    diags = validate_layout(layout, font_roles)
    if diags:
        raise BuildError(diags)
    scaled = {scale_style_name(r) for r in range(1, len(headline_scale(spec)) + 1)}
    if any(slot.headline.style in scaled for slot in spec.slots):  # a page frozen by ``banmian place``
        return with_headline_scale(layout)
    return layout


def with_style(layout: Layout, name: str, style: Style) -> Layout:
    """The layout with its style ``name`` replaced by ``style`` (e.g. a banner title set smaller to fit)."""
    styles = {**layout.spec.styles, name: style}
    return dataclasses.replace(layout, spec=layout.spec.model_copy(update={"styles": styles}))


def scale_style_name(rank: int) -> str:
    """The style of the title of an article of ``rank`` (1 = the lead) in ``headline_scale``."""
    return f"title-{rank}"


DEFAULT_SCALE = (1.3, 1.1, 1.0, 0.85)  # the title's size by rank where a layout gives no headline_scale


def headline_scale(spec: LayoutSpec) -> list[HeadlineRank]:
    """The layout's ``headline_scale``, or one made from its ``title`` style: 130 %, 110 %, 100 % and 85 %
    of its size, in its colour for the top two ranks and black (when the palette has it) below."""
    if spec.headline_scale:
        return spec.headline_scale
    title = spec.styles["title"]
    below = "black" if "black" in spec.colors else title.color
    return [HeadlineRank(size=round(title.size * k * 2) / 2, color=title.color if rank < 2 else below)
            for rank, k in enumerate(DEFAULT_SCALE)]


def with_headline_scale(layout: Layout) -> Layout:
    """The layout with one title style per step of its headline scale (``title-1``, ``title-2``, …): the
    ``title`` style with the step's size, leading, font and colour. Added only where a page uses them
    (automatic placement, slots that name them), so that other pages' styles — and bytes — stay as
    they were."""
    spec = layout.spec
    names = [scale_style_name(rank) for rank in range(1, len(headline_scale(spec)) + 1)]
    if "title" not in spec.styles or all(name in spec.styles for name in names):
        return layout
    title = spec.styles["title"]
    styles = dict(spec.styles)
    for rank, step in enumerate(headline_scale(spec), start=1):
        if scale_style_name(rank) in styles:
            continue  # the layout's own style of that name
        leading = step.leading or round(title.leading * step.size / title.size * 2) / 2
        styles[scale_style_name(rank)] = title.model_copy(update={
            "size": step.size, "leading": leading, "font": step.font or title.font,
            "color": step.color or title.color})
    return dataclasses.replace(layout, spec=spec.model_copy(update={"styles": styles}))


OUTSIDE = "a symbolic link to a file outside the layout's folder"
OUTSIDE_HINT = "a layout reads only its own files: copy the file into the layout's folder"
MAX_FILE_BYTES = 20 * 1024 * 1024  # a layout's template, stylesheet or profile (the sample's are < 100 KB)


def too_large(path: Path) -> str | None:
    """Why the layout file at ``path`` is not read: its size over ``MAX_FILE_BYTES`` (else None)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return f"{size:,} bytes; a layout's file is at most {MAX_FILE_BYTES:,}" if size > MAX_FILE_BYTES else None


def layout_file(folder: Path, name: str) -> Path | None:
    """The real path of file ``name`` of the layout in ``folder`` (symlinks resolved), ``None`` when it
    lies outside the folder; a file that does not exist is where it would be."""
    path = folder / name
    try:
        real = path.resolve()
        inside = real.is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return real if inside else None


def validate_layout(layout: Layout, font_roles: set[str]) -> list[Diagnostic]:
    """What the schema cannot see, each at its line in layout.yaml: styles, colours, the grid between
    the margins, flow and slot geometry, every band and slot on the page without overlaps, the
    headline scale and automatic placement's limits, and the files the layout names inside its folder."""
    return [*_style_errors(layout, font_roles), *_scale_errors(layout, font_roles), *_colour_errors(layout),
            *_grid_errors(layout), *_flow_errors(layout), *_fold_and_room_errors(layout),
            *_slot_errors(layout), *_placement_errors(layout), *_auto_errors(layout), *_file_errors(layout),
            *key_errors(layout, used_styles(layout.spec))]


def used_styles(spec: LayoutSpec) -> set[str]:
    """The styles the composer reads for this layout: the roles every page has, the folio's (running
    heads only on a flow layout), the chart's, those slots name, the headline scale's (titles by rank,
    in module and flow layouts alike) and, with a header band, the 报眉's ``eyebrow-title``."""
    used = set(REQUIRED_STYLES) | {spec.chart.label, spec.chart.value, spec.chart.title}
    if spec.folio is not None:
        used |= set(folio_styles(spec))
    used |= {slot.headline.style for slot in spec.slots if slot.headline.style is not None}
    ranks = len(spec.headline_scale) or len(DEFAULT_SCALE)
    used |= {scale_style_name(rank) for rank in range(1, ranks + 1)}
    if spec.header is not None:
        used.add(EYEBROW_TITLE)
    return used


def folio_styles(spec: LayoutSpec) -> tuple[str, ...]:
    """The styles a layout's ``folio`` needs: the page number's, and the running head's where one prints."""
    if spec.folio is None:
        return ()
    running = spec.kind == "flow" and spec.folio.running_head
    return FOLIO_STYLES if running else ("folio",)


def _scale_errors(layout: Layout, font_roles: set[str]) -> list[Diagnostic]:
    """``headline_scale``: known font roles and colours, sizes that never grow with rank, and style
    names it would take already in ``styles``."""
    spec = layout.spec
    diags: list[Diagnostic] = []
    previous = math.inf
    for i, step in enumerate(spec.headline_scale):
        where = ("headline_scale", i)
        if step.font is not None and step.font not in font_roles:
            diags.append(error(f"headline_scale: unknown font role {step.font!r}",
                               layout.locate(*where, "font"), code="layout",
                               hint=f"font roles: {', '.join(sorted(font_roles))}"))
        if step.color is not None and step.color not in spec.colors:
            diags.append(error(f"headline_scale: unknown colour {step.color!r}",
                               layout.locate(*where, "color"), code="layout", hint=colour_hint(spec)))
        if step.size > previous:
            diags.append(error(f"headline_scale: rank {i + 1} is larger ({step.size:g} pt) than rank {i} "
                               f"({previous:g} pt)", layout.locate(*where, "size"), code="layout",
                               hint="the lead's headline is the largest; sizes fall with rank"))
        previous = step.size
        if scale_style_name(i + 1) in spec.styles:
            diags.append(error(f"style {scale_style_name(i + 1)!r} is taken by headline_scale",
                               layout.locate("styles", scale_style_name(i + 1)), code="layout",
                               hint="rename the style"))
    return diags


def _auto_errors(layout: Layout) -> list[Diagnostic]:
    """Automatic placement's column limits against the grid of a page."""
    auto = layout.spec.placement
    columns = layout.spec.grid.columns
    top = auto.max_columns or columns
    if auto.min_columns > min(top, columns):
        return [error(f"placement: min_columns {auto.min_columns} is more than max_columns {top} or the "
                      f"page's {columns} columns", layout.locate("placement"), code="layout")]
    return []


def _file_errors(layout: Layout) -> list[Diagnostic]:
    """The template, stylesheet and ICC profile the layout names: none a link out of its folder."""
    spec = layout.spec
    named: list[tuple[tuple[str, ...], str]] = [(("template",), spec.template),
                                                (("stylesheet",), spec.stylesheet)]
    if spec.print_.profile.lower().endswith((".icc", ".icm")):
        named.append((("print", "profile"), spec.print_.profile))
    diags = []
    for key, name in named:
        real = layout_file(layout.folder, name)
        problem = OUTSIDE if real is None else too_large(real)
        if problem is not None:
            diags.append(error(f"{name}: {problem}", layout.locate(*key), code="layout", hint=OUTSIDE_HINT))
    return diags


def _style_errors(layout: Layout, font_roles: set[str]) -> list[Diagnostic]:
    """Styles the composer needs and lacks; styles naming an unknown font role or colour."""
    spec = layout.spec
    diags: list[Diagnostic] = []
    required = REQUIRED_STYLES + folio_styles(spec)
    for name in required:
        if name not in spec.styles:
            diags.append(error(f"style {name!r} is missing", layout.locate("styles"), code="layout"))
    for name, style in spec.styles.items():
        for key in ("font", "bold"):
            role = getattr(style, key)
            if role is not None and role not in font_roles:
                diags.append(error(f"style {name!r}: unknown font role {role!r}",
                                   layout.locate("styles", name, key), code="layout",
                                   hint=f"font roles: {', '.join(sorted(font_roles))}"))
        if style.color not in spec.colors:
            diags.append(error(f"style {name!r}: unknown colour {style.color!r}",
                               layout.locate("styles", name, "color"), code="layout", hint=colour_hint(spec)))
    return diags


def colour_hint(spec: LayoutSpec) -> str:
    """The colours a layout defines, for a message about one it does not."""
    return (f"the layout's colours: {', '.join(spec.colors) or 'none'}; add one under 'colors:' as four "
            f"numbers 0–100: C M Y K (docs/layouts.md)")


def _colour_errors(layout: Layout) -> list[Diagnostic]:
    """Rule and chart colours that are not in ``colors``."""
    spec = layout.spec
    diags: list[Diagnostic] = []
    if spec.rules.color not in spec.colors:
        diags.append(error(f"rules: unknown colour {spec.rules.color!r}", layout.locate("rules", "color"),
                           code="layout", hint=colour_hint(spec)))
    for j, name in enumerate(spec.chart.colors):
        if name not in spec.colors:
            diags.append(error(f"chart colour {name!r} is not in 'colors'",
                               layout.locate("chart", "colors", j), code="layout", hint=colour_hint(spec)))
    if spec.chart.axis not in spec.colors:
        diags.append(error(f"chart axis colour {spec.chart.axis!r} is not in 'colors'",
                           layout.locate("chart", "axis"), code="layout", hint=colour_hint(spec)))
    return diags


def _grid_errors(layout: Layout) -> list[Diagnostic]:
    """The grid's width against the room between the page's margins (a spread: the left page's)."""
    margins = layout.spec.page.margins
    page_left = margins.outside if layout.pages == 2 else margins.inside
    page_right = margins.inside if layout.pages == 2 else margins.outside
    if page_left * MM + layout.page_type_width > layout.page_w - page_right * MM + 0.5:
        return [error(f"the grid ({layout.page_type_width / MM:.1f} mm wide) does not fit between the "
                      "margins", layout.locate("grid"), code="layout",
                      hint="fewer columns, fewer characters per column, or a smaller gutter")]
    return []


def _slot_errors(layout: Layout) -> list[Diagnostic]:
    """Duplicate slot names; a photo, sidebar or QR area that does not fit inside its slot."""
    diags: list[Diagnostic] = []
    names: set[str] = set()
    for i, slot in enumerate(layout.spec.slots):
        if slot.name in names:
            diags.append(error(f"duplicate slot name {slot.name!r}", layout.locate("slots", i, "name"),
                               code="layout"))
        names.add(slot.name)
        style = slot.headline.style
        scaled = {scale_style_name(r) for r in range(1, len(headline_scale(layout.spec)) + 1)}
        if style is not None and style not in layout.spec.styles and style not in scaled:
            diags.append(error(f"slot {slot.name!r}: unknown headline style {style!r}",
                               layout.locate("slots", i, "headline", "style"), code="layout"))
        for part_name in ("image", "sidebar", "qr"):
            part = getattr(slot, part_name)
            if part is not None and (part.col + part.span > slot.span or part.lines >= slot.lines):
                diags.append(error(f"slot {slot.name!r}: the {part_name} does not fit inside the slot",
                                   layout.locate("slots", i, part_name), code="layout"))
    return diags


def _placement_errors(layout: Layout) -> list[Diagnostic]:
    """The header and banner bands and every slot: on the page's grid, and none over another."""
    spec = layout.spec
    bands = [("header", spec.header), ("banner", spec.banner)]
    areas: list[tuple[str, tuple[str | int, ...], int, int, int, int]] = [
        (n, (n,), 1, layout.columns, b.line, b.lines) for n, b in bands if b is not None]
    areas += [(f"slot {slot.name!r}", ("slots", i), slot.col, slot.span, slot.line, slot.lines)
              for i, slot in enumerate(spec.slots)]
    diags: list[Diagnostic] = []
    cells: dict[tuple[int, int], str] = {}
    for label, where, col, span, line, count in areas:
        if col + span - 1 > layout.columns or line + count - 1 > layout.lines:
            diags.append(error(f"{label} is off the page: columns {col}–{col + span - 1} of "
                               f"{layout.columns}, lines {line}–{line + count - 1} of {layout.lines}",
                               layout.locate(*where), code="layout"))
            continue
        taken = [cells[cell] for cell in _cells(col, span, line, count) if cell in cells]
        cells.update(dict.fromkeys(_cells(col, span, line, count), label))
        if taken:
            diags.append(error(f"{label} overlaps {taken[0]}", layout.locate(*where), code="layout"))
    return diags


def _cells(col: int, span: int, line: int, count: int) -> list[tuple[int, int]]:
    """The grid cells (column, line) of an area, column by column."""
    return [(c, ln) for c in range(col, col + span) for ln in range(line, line + count)]


def _flow_errors(layout: Layout) -> list[Diagnostic]:
    """A flow layout's geometry (no slots, one page, its photo on the page); a module layout needs
    slots."""
    spec = layout.spec
    diags: list[Diagnostic] = []
    if spec.kind == "flow":
        if spec.slots:
            diags.append(error("a flow layout places articles one after another: it has no slots",
                               layout.locate("slots"), code="layout",
                               hint="remove 'slots', or use kind: modules"))
        if layout.pages != 1:
            diags.append(error("a flow layout has one page per sheet (page.pages: 1)",
                               layout.locate("page", "pages"), code="layout"))
        if spec.flow.image.span > spec.grid.columns:
            diags.append(error(f"the flow image spans {spec.flow.image.span} columns of "
                               f"{spec.grid.columns}", layout.locate("flow", "image", "span"),
                               code="layout"))
        if spec.flow.image.lines + spec.flow.keep >= layout.lines:
            diags.append(error("the flow image is taller than a page", layout.locate("flow", "image"),
                               code="layout"))
    elif not spec.slots and spec.placement.mode != "auto":
        diags.append(error("a module layout needs slots for its articles", layout.locate("name"),
                           code="layout", hint="add 'slots', 'placement: auto', or use kind: flow"))
    return diags


def _fold_and_room_errors(layout: Layout) -> list[Diagnostic]:
    """Slots across a spread's fold, and slots too full (photo, sidebar) for any article's body."""
    spec = layout.spec
    diags: list[Diagnostic] = []
    for i, slot in enumerate(spec.slots):
        last = slot.col + slot.span - 1
        if layout.pages == 2 and last <= layout.columns and layout.page_of_col(slot.col) != \
                layout.page_of_col(last):
            diags.append(error(f"slot {slot.name!r} crosses the fold (columns {slot.col}–{last}; the "
                               f"left page has columns 1–{spec.grid.columns})",
                               layout.locate("slots", i), code="layout",
                               hint="only the banner may cross the fold: keep each module on one page"))
        free = _free_body_lines(slot)
        if free < 3:
            diags.append(error(f"slot {slot.name!r} leaves {free} grid lines for body text: no article "
                               "can fill it", layout.locate("slots", i), code="layout",
                               hint="make the slot taller, or its photo or sidebar smaller"))
    return diags


def _free_body_lines(slot: SlotSpec) -> int:
    """Grid lines left for body text after the photo and sidebar (headline not counted)."""
    blocked: list[int] = [0] * slot.span
    for part in (slot.image, slot.sidebar):
        if part is not None:
            for col in range(part.col, min(part.col + part.span, slot.span)):
                blocked[col] += part.lines
    return sum(max(0, slot.lines - b) for b in blocked)


# --- writing slots back (``banmian place --write``) -----------------------------------------------------

def slots_yaml(slots: Sequence[SlotSpec], note: str) -> str:
    """``slots:`` as layout.yaml writes them (one key a line, parts in flow style), ``note`` as its
    comment; only what differs from the defaults."""
    out = [f"slots:                   # {note}"]
    for slot in slots:
        out.append(f"  - name: {slot.name}")
        out += [f"    {key}: {getattr(slot, key)}" for key in ("col", "span", "line", "lines")]
        for key in ("headline", "image", "sidebar", "qr"):
            part = getattr(slot, key)
            values = part.model_dump(exclude_defaults=True) if part is not None else {}
            if key in ("image", "sidebar", "qr") and part is not None:
                values = {"col": part.col, "span": part.span, "lines": part.lines, "at": part.at}
            if values:
                out.append(f"    {key}: {{{', '.join(f'{k}: {v}' for k, v in values.items())}}}")
        if slot.box:
            out.append("    box: true")
        if slot.tracking:
            out.append(f"    tracking: {slot.tracking:g}            # em, the body's tracking as placed")
    return "\n".join(out) + "\n"


def frozen_layout_text(text: str, name: str, slots: Sequence[SlotSpec], note: str) -> str:
    """A layout.yaml's text with its ``name``, its ``slots`` replaced (or added) and its ``placement``
    mode gone (fixed: the slots), every other line and comment kept."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines():
        top_key = re.match(r"^([A-Za-z_][\w-]*):", line)
        if top_key:
            skipping = top_key.group(1) in ("slots", "placement")
            if top_key.group(1) == "name":
                line = f"name: {name}"
        elif skipping and line.strip() and not line.startswith((" ", "\t", "-")):
            skipping = False
        if not skipping:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept) + "\n" + slots_yaml(slots, note)
