"""Layout: ``layouts/<name>/layout.yaml`` → a validated, typed ``Layout``.

Takes: a layout name (a folder under ``layouts/``) and the font set (to check font roles).
Gives: ``Layout`` — page geometry in millimetres, the grid in newspaper terms (columns, column width in
characters of body size, gutter, baseline pitch), type styles per role (font role, size, leading,
CMYK colour), the CMYK palette, rules, slots (modules) placed on the grid by column and line, and the
auto-fit limits. Errors (``file:line`` + key path) for unknown keys, unknown font roles or colours,
slots off the grid or overlapping each other; all collected before stopping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from banmian.diagnostics import BuildError, Diagnostic, Location, error
from banmian.load import schema_errors
from banmian.model import Name
from banmian.yamlsrc import Source, read_yaml

MM = 72 / 25.4  # points per millimetre
LAYOUT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# a file in the layout's folder: no folders, no ".." (names go into paths, CSS and HTML)
FileName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$")]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(_M):
    top: float = Field(ge=0)
    bottom: float = Field(ge=0)
    inside: float = Field(ge=0)
    outside: float = Field(ge=0)


class PageSpec(_M):
    trim: tuple[float, float]  # width, height in mm
    bleed: float = Field(default=3, ge=0, le=20)
    slug: float = Field(default=10, ge=0, le=40)  # beyond the bleed: marks and the slug line
    margins: Margins


class GridSpec(_M):
    columns: int = Field(ge=1, le=24)
    column_chars: float = Field(ge=4, le=60)  # column width in characters of body size
    gutter: float = Field(ge=0, le=60)  # pt
    pitch: float = Field(gt=4, le=40)  # baseline pitch (body leading) in pt


class Style(_M):
    font: str
    bold: str | None = None  # font role for **bold** runs
    size: float = Field(gt=3, le=200)
    leading: float = Field(gt=3, le=260)
    color: str = "black"
    tracking: float = Field(default=0, ge=-0.1, le=1)  # em
    align: Literal["left", "center", "right", "justify"] = "left"
    indent: float = Field(default=0, ge=0, le=4)  # first-line indent in em


class Rules(_M):
    column_rule: float = Field(default=0.3, ge=0, le=3)  # pt, 0 = none
    color: str = "black"
    frame: float = Field(default=0.6, ge=0, le=3)  # sidebar box and module rules


class HeadlineSpec(_M):
    lines: int | None = Field(default=None, ge=1, le=60)  # fixed height; None: as composed
    span: int | None = Field(default=None, ge=1)  # columns, default the whole slot
    align: Literal["left", "center"] = "left"


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


class BandSpec(_M):
    """A full-width band on the grid: the header strip or the banner."""

    line: int = Field(ge=1)
    lines: int = Field(ge=1)


class FitLimits(_M):
    auto: bool = False  # auto-fit on by default for this layout (``--fit`` turns it on anyway)
    tracking: float = Field(default=0.02, ge=0, le=0.1)  # ± em
    image_lines: float = Field(default=0.2, ge=0, le=0.5)  # ± share of the figure height


class LayoutSpec(_M):
    name: str
    description: str = ""
    kind: Literal["modules", "flow"] = "modules"
    page: PageSpec
    grid: GridSpec
    header: BandSpec | None = None
    banner: BandSpec | None = None
    colors: dict[Name, tuple[float, float, float, float]]
    styles: dict[Name, Style]
    rules: Rules = Rules()
    slots: list[SlotSpec] = Field(default_factory=list)
    fit: FitLimits = FitLimits()
    template: FileName = "page.html.j2"
    stylesheet: FileName = "layout.css"

    @field_validator("colors")
    @classmethod
    def _cmyk_range(cls, value: dict[str, tuple[float, float, float, float]]) -> dict[
            str, tuple[float, float, float, float]]:
        for name, cmyk in value.items():
            if any(not 0 <= c <= 100 for c in cmyk):
                raise ValueError(f"colour {name!r}: CMYK values are percentages 0–100")
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
        return self.spec.page.trim[0] * MM

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
        return self.spec.page.margins.inside * MM

    @property
    def type_top(self) -> float:
        return self.spec.page.margins.top * MM

    @property
    def type_width(self) -> float:
        g = self.spec.grid
        return g.columns * self.column_width + (g.columns - 1) * g.gutter

    @property
    def lines(self) -> int:
        """Grid lines in the type area."""
        m = self.spec.page.margins
        height = self.trim_h - (m.top + m.bottom) * MM
        return int(height / self.spec.grid.pitch + 1e-6)

    def col_x(self, col: int) -> float:
        """Left edge of 1-based column ``col``."""
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


def layouts_root() -> Path:
    return Path(__file__).resolve().parents[2] / "layouts"


def load_layout(name: str, font_roles: set[str], root: Path | None = None) -> Layout:
    """Load and validate ``layouts/<name>/layout.yaml``; raise ``BuildError`` with all problems."""
    root = root or layouts_root()
    if not LAYOUT_NAME.match(name):
        raise BuildError([error(f"bad layout name {name!r}", hint="a folder name under layouts/",
                                code="layout")])
    path = root / name / "layout.yaml"
    if not path.is_file():
        known = sorted(p.name for p in root.iterdir() if (p / "layout.yaml").is_file())
        raise BuildError([error(f"no layout {name!r}", hint=f"known layouts: {', '.join(known)}",
                                code="layout")])
    source = read_yaml(path)
    try:
        spec = LayoutSpec.model_validate(source.data)
    except ValidationError as exc:
        raise BuildError(schema_errors(exc, source)) from None
    layout = Layout(spec, path.parent, source)
    diags = validate_layout(layout, font_roles)
    if diags:
        raise BuildError(diags)
    return layout


def validate_layout(layout: Layout, font_roles: set[str]) -> list[Diagnostic]:
    spec = layout.spec
    diags: list[Diagnostic] = []
    for name in REQUIRED_STYLES:
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
                               layout.locate("styles", name, "color"), code="layout"))
    if spec.rules.color not in spec.colors:
        diags.append(error(f"unknown colour {spec.rules.color!r}", layout.locate("rules", "color"),
                           code="layout"))
    grid, lines = spec.grid, layout.lines
    if layout.type_left + layout.type_width > layout.trim_w - spec.page.margins.outside * MM + 0.5:
        diags.append(error(f"the grid ({layout.type_width / MM:.1f} mm wide) does not fit between the "
                           "margins", layout.locate("grid"), code="layout",
                           hint="fewer columns, fewer characters per column, or a smaller gutter"))
    cells: dict[tuple[int, int], str] = {}
    bands = [("header", spec.header), ("banner", spec.banner)]
    areas: list[tuple[str, tuple[str | int, ...], int, int, int, int]] = [
        (n, (n,), 1, grid.columns, b.line, b.lines) for n, b in bands if b is not None]
    names: set[str] = set()
    for i, slot in enumerate(spec.slots):
        if slot.name in names:
            diags.append(error(f"duplicate slot name {slot.name!r}", layout.locate("slots", i, "name"),
                               code="layout"))
        names.add(slot.name)
        areas.append((f"slot {slot.name!r}", ("slots", i), slot.col, slot.span, slot.line, slot.lines))
        for part_name in ("image", "sidebar"):
            part = getattr(slot, part_name)
            if part is not None and (part.col + part.span > slot.span or part.lines >= slot.lines):
                diags.append(error(f"slot {slot.name!r}: the {part_name} does not fit inside the slot",
                                   layout.locate("slots", i, part_name), code="layout"))
    for label, area_key, col, span, line, count in areas:
        if col + span - 1 > grid.columns or line + count - 1 > lines:
            diags.append(error(f"{label} is off the page: columns {col}–{col + span - 1} of "
                               f"{grid.columns}, lines {line}–{line + count - 1} of {lines}",
                               layout.locate(*area_key), code="layout"))
            continue
        clash = None
        for c in range(col, col + span):
            for ln in range(line, line + count):
                other = cells.get((c, ln))
                if other is not None and clash is None:
                    clash = other
                cells[(c, ln)] = label
        if clash:
            diags.append(error(f"{label} overlaps {clash}", layout.locate(*area_key), code="layout"))
    return diags
