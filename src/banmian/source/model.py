"""The content model: the public schema of a content YAML file.

Takes: plain data read from YAML (``banmian.source.yamlsrc``).
Gives: frozen pydantic models — ``Content`` with ``Meta``, ``Banner``, ``Article`` (``ImageRef``,
``Sidebar`` — text, or ``kind: chart`` with ``Chart`` data —, ``QrCode``) — that reject unknown
keys, wrong types and missing required keys. Keys are a contract with users' files: keys may be
added, never renamed. Every text has a length limit and every list a number of items, so the size of
what the composer is given is bounded (docs/security.md); a value a message repeats is shortened.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from banmian.core.diagnostics import excerpt
from banmian.source.yamlsrc import WrittenInt

Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
Text = Annotated[str, StringConstraints(max_length=20_000)]
ShortText = Annotated[str, StringConstraints(max_length=400)]
MAX_TITLE_LINES = 20  # lines of a title given as a list
MAX_ITEMS = 100  # items of a sidebar list
MAX_CHART_VALUE = 1e15  # a chart value: 千万亿 is beyond anything a school page charts
TitleText = ShortText | Annotated[list[ShortText], Field(max_length=MAX_TITLE_LINES)]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, str_strip_whitespace=True)


class Meta(Model):
    publication: ShortText
    section: ShortText = ""
    issue: ShortText = ""
    date: dt.date
    page: int = Field(default=1, ge=1, le=999)
    editor: ShortText = ""
    issn: str | None = None  # e.g. 1671-0355: printed as an EAN-13 (977…) in the header strip

    @field_validator("issn")
    @classmethod
    def _issn(cls, value: str | None) -> str | None:
        if value is None:
            return None
        digits = value.replace("-", "").strip().upper()
        if len(digits) != 8 or not digits[:7].isdigit() or not (digits[7].isdigit() or digits[7] == "X"):
            raise ValueError("an ISSN is 8 characters, e.g. 1671-0355")
        check = (11 - sum(int(d) * (8 - i) for i, d in enumerate(digits[:7])) % 11) % 11
        if digits[7] != ("X" if check == 10 else str(check)):
            raise ValueError(f"ISSN {value}: the check digit should be {'X' if check == 10 else check}")
        return f"{digits[:4]}-{digits[4:]}"

    @field_validator("date", mode="before")
    @classmethod
    def _a_date(cls, value: object) -> object:
        """A date as YYYY-MM-DD (text, or a YAML ``!!timestamp``); not a number of days or seconds."""
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _DATE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError as exc:
                raise ValueError(f"not a valid date: {value.strip()} ({exc})") from None
        raise ValueError(f"not a date: {excerpt(value)}")

    @field_validator("issue", "editor", "section", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: object) -> object:
        """A number where text is wanted is the text as written (``issue: 0377`` → ``0377``)."""
        if isinstance(value, bool) or not isinstance(value, int):
            return value
        return value.written if isinstance(value, WrittenInt) else str(value)


class Banner(Model):
    kicker: ShortText | None = None
    title: TitleText
    subtitle: ShortText | None = None


# Picture files a content may name: format (as Pillow names it) → file suffixes. The graphics stage reads
# these formats; GIF prints its first frame, with a warning.
IMAGE_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "HEIF": (".heic", ".heif"),
                 "WEBP": (".webp",), "TIFF": (".tif", ".tiff"), "GIF": (".gif",)}
IMAGE_SUFFIXES = frozenset(s for suffixes in IMAGE_FORMATS.values() for s in suffixes)
Fraction = Annotated[float, Field(ge=0, le=1)]
LOWEST_MIN_PPI = 20  # the lowest resolution an image's ``min_ppi`` may accept


class ImageRef(Model):
    """A photo: its file, caption and credit, and how it fills its frame — ``crop`` (fractions x, y, w, h
    of the picture: exactly that part), ``focus`` (a point, fractions x, y: kept in the frame, as near
    its centre as the picture allows) or neither (the most detailed part); ``fit: contain`` sets the
    whole picture (or the crop) inside the frame on paper; ``min_ppi`` prints it knowingly down to
    that resolution (with a warning)."""

    src: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    caption: ShortText | None = None
    credit: ShortText | None = None
    focus: tuple[Fraction, Fraction] | None = None
    crop: tuple[Fraction, Fraction, Fraction, Fraction] | None = None
    fit: Literal["cover", "contain"] = "cover"
    min_ppi: int | None = Field(default=None, ge=LOWEST_MIN_PPI, le=300)
    # automatic placement's photo size hints: a larger or smaller share of the module, or its columns
    size: Literal["small", "large"] | None = None
    span: int | None = Field(default=None, ge=1, le=24)

    @model_validator(mode="after")
    def _framing(self) -> ImageRef:
        if self.crop is not None:
            x, y, w, h = self.crop
            if w <= 0 or h <= 0 or x + w > 1.0001 or y + h > 1.0001:
                raise ValueError(f"crop {list(self.crop)}: x + w and y + h must stay within 1 and w, h "
                                 "above 0 (fractions of the picture)")
            if self.focus is not None:
                raise ValueError("give 'crop' or 'focus', not both: a crop already says what is kept")
        if self.focus is not None and self.fit == "contain":
            raise ValueError("'focus' has no effect with 'fit: contain' (the whole picture is printed); "
                             "remove one of them, or use 'crop' to print part of it whole")
        return self

    @property
    def printed_caption(self) -> str:
        """The caption as printed: the credit follows it in full-width brackets, with no space between
        (the bracket's own blank half is the gap), e.g. 活动现场（学校供图）."""
        credit = (self.credit or "").strip("（）() ")
        return (self.caption or "") + (f"（{credit}）" if credit else "")


class ChartPoint(Model):
    """One datum: ``value`` (a number: the bar length or wedge size) and ``text``, the value as the
    content says it (``1800余人次``, ``70多项``); without ``text`` the number is written with the unit."""

    label: ShortText
    value: float
    text: ShortText | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _a_number(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"a chart value is a number, not {excerpt(value)}; write the wording in "
                             "'text' (e.g. value: 1800, text: 1800余人次)")
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            number = math.inf
        if not 0 <= number <= MAX_CHART_VALUE:  # also refuses nan
            raise ValueError(f"a chart value is a number from 0 to {MAX_CHART_VALUE:.0e}, not "
                             f"{excerpt(value)}")
        return number


class Chart(Model):
    """A 数说 chart: ``bar`` (columns), ``hbar`` (horizontal bars) or ``pie``."""

    type: Literal["bar", "hbar", "pie"] = "bar"
    title: ShortText | None = None
    unit: ShortText = ""
    series: list[ChartPoint]
    source: ShortText | None = None  # 数据来源

    @field_validator("series")
    @classmethod
    def _has_data(cls, value: list[ChartPoint]) -> list[ChartPoint]:
        if not value:
            raise ValueError("the chart has no data: 'series' is empty")
        if len(value) > 12:
            raise ValueError(f"{len(value)} data points: a chart on a newspaper page holds at most 12")
        if not any(p.value > 0 for p in value):
            raise ValueError("every value in 'series' is 0: nothing to draw")
        return value


class QrCode(Model):
    """A QR code to the full text online: ``url`` and a ``label`` printed beside it (扫码阅读全文)."""

    url: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    label: ShortText | None = None

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not re.fullmatch(r"https?://\S+", value):
            raise ValueError(f"a QR code's url is a web address, http:// or https:// and no spaces, not "
                             f"{excerpt(value)}")
        return value


class Sidebar(Model):
    title: ShortText
    kind: Literal["text", "chart"] = "text"
    body: Text | None = None
    items: Annotated[list[ShortText], Field(max_length=MAX_ITEMS)] | None = None
    chart: Chart | None = None
    charts: list[Chart] | None = None  # several charts side by side in one 数说 box

    @property
    def all_charts(self) -> tuple[Chart, ...]:
        return (self.chart,) if self.chart is not None else tuple(self.charts or ())

    @model_validator(mode="after")
    def _body_or_items(self) -> Sidebar:
        if self.kind == "chart" or self.chart is not None or self.charts is not None:
            if self.kind != "chart":
                raise ValueError("a sidebar with 'chart' or 'charts' needs 'kind: chart'")
            if (self.chart is None) == (self.charts is None):
                raise ValueError("a chart sidebar needs either 'chart' or 'charts' (one of them)")
            if self.charts is not None and not 1 <= len(self.charts) <= 3:
                raise ValueError("'charts' holds 1 to 3 charts")
            if self.body is not None or self.items is not None:
                raise ValueError("a chart sidebar has no 'body' or 'items'")
            return self
        if (self.body is None) == (self.items is None):
            raise ValueError("a sidebar needs either 'body' or 'items' (one of them)")
        if self.items is not None and not self.items:
            raise ValueError("'items' is empty")
        return self


class Continuation(Model):
    """Where an article continues (续排 / 转版): another slot, possibly on another page."""

    slot: Name


class Module(Model):
    """A module fixed by the editor on a page placed automatically: first column and span, first grid
    line and height in lines, as a slot gives them."""

    col: int = Field(ge=1, le=48)
    span: int = Field(ge=1, le=24)
    line: int = Field(ge=1, le=400)
    lines: int = Field(ge=3, le=400)


class HeadlineOptions(Model):
    """How the article's title group is set: ``direction: vertical`` (竖题) sets it top to bottom at the
    module's right edge, the body beside it; unset, the slot's ``headline.direction`` decides."""

    direction: Literal["horizontal", "vertical"] | None = None


class Article(Model):
    id: Name
    slot: Name | None = None
    module: Module | None = None  # automatic placement: this article's module fixed
    rank: int | None = Field(default=None, ge=1, le=99)  # 1 = the lead; default: the order in the file
    min_columns: int | None = Field(default=None, ge=1, le=24)  # automatic placement: module width
    max_columns: int | None = Field(default=None, ge=1, le=24)
    school: ShortText | None = None
    kicker: ShortText | None = None
    title: TitleText
    subtitle: ShortText | None = None
    byline: ShortText | None = None
    headline: HeadlineOptions | None = None
    editorial: bool = False
    body: Text
    images: list[ImageRef] = Field(default_factory=list, max_length=8)
    sidebar: Sidebar | None = None
    continues: Continuation | None = None
    qr: QrCode | None = None

    @field_validator("title")
    @classmethod
    def _title_not_empty(cls, value: str | list[str]) -> str | list[str]:
        lines = value if isinstance(value, list) else [value]
        if not any(line.strip() for line in lines):
            raise ValueError("the title is empty")
        return value

    @field_validator("body")
    @classmethod
    def _body_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the body is empty")
        return value

    @property
    def title_lines(self) -> tuple[str, ...]:
        return tuple(_split_lines(self.title))

    @model_validator(mode="after")
    def _columns_in_order(self) -> Article:
        if self.min_columns and self.max_columns and self.min_columns > self.max_columns:
            raise ValueError(f"min_columns {self.min_columns} is more than max_columns {self.max_columns}")
        if self.slot is not None and self.module is not None:
            raise ValueError("an article has a 'slot' or a 'module', not both")
        return self


class Content(Model):
    meta: Meta
    layout: Name = "broadsheet-page"
    banner: Banner | None = None
    articles: list[Article] = Field(min_length=1, max_length=64)
    qr: QrCode | None = None  # a page-level code, placed where the layout's ``qr`` says


def _split_lines(value: str | list[str]) -> list[str]:
    raw = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in raw:
        out.extend(part.strip() for part in item.split("\n") if part.strip())
    return out


def title_lines(value: str | list[str] | None) -> tuple[str, ...]:
    """A title given as a string (``\\n`` for forced breaks) or a list, as its forced lines."""
    return tuple(_split_lines(value)) if value else ()


# --- inline text -------------------------------------------------------------------------------------

from dataclasses import dataclass  # noqa: E402  (kept next to the inline model it serves)


@dataclass(frozen=True)
class InlineSpan:
    """A run of inline text with one style (the only inline markup is ``**bold**``)."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[InlineSpan, ...]

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)
