"""The content model: the public schema of a content YAML file.

Takes: plain data read from YAML (``banmian.yamlsrc``).
Gives: frozen pydantic models — ``Content`` with ``Meta``, ``Banner``, ``Article`` (``ImageRef``,
``Sidebar``) — that reject unknown keys, wrong types and missing required keys. Keys are a contract
with users' files: keys may be added, never renamed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
Text = Annotated[str, StringConstraints(max_length=20_000)]
ShortText = Annotated[str, StringConstraints(max_length=400)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, str_strip_whitespace=True)


class Meta(Model):
    publication: ShortText
    section: ShortText = ""
    issue: ShortText = ""
    date: dt.date
    page: int = Field(default=1, ge=1, le=999)
    editor: ShortText = ""

    @field_validator("issue", "editor", "section", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Banner(Model):
    kicker: ShortText | None = None
    title: ShortText | list[ShortText]
    subtitle: ShortText | None = None


class ImageRef(Model):
    src: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    caption: ShortText | None = None
    credit: ShortText | None = None


class Sidebar(Model):
    title: ShortText
    body: Text | None = None
    items: list[ShortText] | None = None

    @model_validator(mode="after")
    def _body_or_items(self) -> Sidebar:
        if (self.body is None) == (self.items is None):
            raise ValueError("a sidebar needs either 'body' or 'items' (one of them)")
        if self.items is not None and not self.items:
            raise ValueError("'items' is empty")
        return self


class Continuation(Model):
    """Where an article continues (续排 / 转版): another slot, possibly on another page."""

    slot: Name


class Article(Model):
    id: Name
    slot: Name | None = None
    school: ShortText | None = None
    kicker: ShortText | None = None
    title: ShortText | list[ShortText]
    subtitle: ShortText | None = None
    byline: ShortText | None = None
    editorial: bool = False
    body: Text
    images: list[ImageRef] = Field(default_factory=list, max_length=8)
    sidebar: Sidebar | None = None
    continues: Continuation | None = None

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


class Content(Model):
    meta: Meta
    layout: Name = "broadsheet-page"
    banner: Banner | None = None
    articles: list[Article] = Field(min_length=1, max_length=64)


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
