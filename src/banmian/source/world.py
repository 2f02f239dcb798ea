"""The world a build sees: fonts, layouts and the clock — and nothing else from the machine.

Takes: the project root (where ``fonts/`` and ``layouts/`` live) and the environment's
``SOURCE_DATE_EPOCH``.
Gives: ``World`` — the resolved ``FontSet``, the layouts folder, and ``timestamp(doc_date)``: the build
time written into the PDF, from ``SOURCE_DATE_EPOCH`` when set, else the content's own date, so that the
same input always gives the same PDF bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from banmian.source.fonts import FontSet, load_fonts
from banmian.source.layout import Layout, load_layout

CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class World:
    root: Path
    fonts: FontSet
    layouts: Path
    source_date_epoch: int | None

    @property
    def cache(self) -> Path:
        """Where derived files (prepared photos) are kept between builds: ``.cache/`` in the project."""
        return self.root / ".cache"

    def layout(self, name: str) -> Layout:
        return _layout(self.layouts, name, frozenset(self.fonts.roles))

    def timestamp(self, content_date: dt.date) -> dt.datetime:
        if self.source_date_epoch is not None:
            return dt.datetime.fromtimestamp(self.source_date_epoch, tz=dt.UTC)
        return dt.datetime(content_date.year, content_date.month, content_date.day, tzinfo=CHINA)


@functools.lru_cache(maxsize=16)
def _layout(folder: Path, name: str, roles: frozenset[str]) -> Layout:
    return load_layout(name, set(roles), folder)


def project_root() -> Path:
    return Path(__file__).resolve().parents[3]


def make_world(root: Path | None = None, fonts_manifest: Path | None = None) -> World:
    root = root or project_root()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return World(root, load_fonts(fonts_manifest or root / "fonts" / "fonts.yaml"), root / "layouts",
                 int(epoch) if epoch and epoch.isdigit() else None)
