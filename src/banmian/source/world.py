"""The world a build sees: fonts, layouts and the clock — and nothing else from the machine.

Takes: the project folder (see ``banmian.source.project``: where ``layouts/``, ``fonts/``, ``output/``
and ``.cache/`` are; found from the working folder when not given) and the environment's
``SOURCE_DATE_EPOCH``.
Gives: ``World`` — the resolved ``FontSet`` (the project's fonts manifest, else the built-in one; with a
layout's own ``fonts.yaml`` merged in by ``for_layout``), the
layout folders (the project's ``layouts/``, then the built-in layouts), ``timestamp(doc_date)``: the
build time written into the PDF, from ``SOURCE_DATE_EPOCH`` when set, else the content's own date, so
that the same input always gives the same PDF bytes — and ``charts``, the ``ChartGeometryCache`` the
composer keeps bar geometry in between builds (``.cache/charts.json`` in the project), and
``layouts_loaded``, the layouts read so far (a watch session forgets them when their files change).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from banmian.core.atomic import write_atomic
from banmian.core.diagnostics import BuildError, Location, error
from banmian.source.fonts import FontSet, load_fonts, with_layout_fonts
from banmian.source.layout import OUTSIDE, OUTSIDE_HINT, Layout, layout_file, load_layout
from banmian.source.project import Project, builtin_layouts, find_project

CHINA = dt.timezone(dt.timedelta(hours=8))

BarRect = tuple[float, float, float, float]  # x, y, width, height in pt, origin bottom-left


class ChartGeometryCache:
    """The bars reportlab laid out for a chart, by a key the composer makes of the chart's values and
    plot size, kept between processes in ``path`` (JSON; none: this process only): importing reportlab's
    charts costs 0.1 s, which a rebuild of an unchanged chart need not pay. The numbers are reportlab's
    own (a float survives JSON exactly). The file is read on first use and rewritten after a new entry."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._entries: dict[str, list[BarRect]] | None = None

    def get(self, key: str) -> list[BarRect] | None:
        """The stored bars, or None (not stored, or an entry this version cannot read)."""
        try:
            return [(float(a), float(b), float(c), float(d)) for a, b, c, d in self._read()[key]]
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, rects: list[BarRect]) -> None:
        entries = self._read()
        entries[key] = rects
        if self.path is not None:
            with contextlib.suppress(OSError):
                write_atomic(self.path, json.dumps(entries).encode())

    def _read(self) -> dict[str, list[BarRect]]:
        if self._entries is None:
            self._entries = {}
            if self.path is not None:
                with contextlib.suppress(OSError, ValueError):
                    stored = json.loads(self.path.read_text(encoding="utf-8"))
                    if isinstance(stored, dict):
                        self._entries.update(stored)
        return self._entries


class LayoutCache:
    """The layouts this world has loaded, by name (a watch session forgets them when a layout file
    changes, so the next build reads it again)."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[tuple[Path, ...], str, frozenset[str]], Layout] = {}

    def get(self, roots: tuple[Path, ...], name: str, roles: frozenset[str]) -> Layout:
        key = (roots, name, roles)
        if key not in self._loaded:
            self._loaded[key] = load_layout(name, set(roles), roots)
        return self._loaded[key]

    def forget(self) -> None:
        self._loaded.clear()


@dataclass(frozen=True)
class World:
    root: Path  # the project folder
    fonts: FontSet
    layouts: Path  # searched first: the project's layouts/, or the built-in layouts when it has none
    source_date_epoch: int | None
    charts: ChartGeometryCache = field(default_factory=ChartGeometryCache, compare=False)
    layouts_loaded: LayoutCache = field(default_factory=LayoutCache, compare=False)

    @property
    def cache(self) -> Path:
        """Where derived files (prepared photos, rendered frames) are kept between builds: ``.cache/`` in
        the project."""
        return self.root / ".cache"

    @property
    def layout_roots(self) -> tuple[Path, ...]:
        """Where layouts are looked up, in order: ``layouts``, then the built-in layouts."""
        builtin = builtin_layouts()
        return (self.layouts,) if self.layouts.resolve() == builtin.resolve() else (self.layouts, builtin)

    def layout(self, name: str) -> Layout:
        """Layout ``name``, its font roles checked against the manifest's and its own (``fonts.yaml``)."""
        folder = next((root / name for root in self.layout_roots if (root / name / "layout.yaml").is_file()),
                      None)
        fonts = self.fonts if folder is None else self.fonts_for(folder)
        return self.layouts_loaded.get(self.layout_roots, name, frozenset(fonts.roles))

    def fonts_for(self, folder: Path) -> FontSet:
        """The fonts of the layout in ``folder``: the manifest's, with the roles of its own ``fonts.yaml``
        when it has one (kept inside its folder)."""
        manifest = folder / "fonts.yaml"
        if not manifest.is_file() and not manifest.is_symlink():
            return self.fonts
        if layout_file(folder, "fonts.yaml") is None:
            raise BuildError([error(OUTSIDE, Location(manifest), code="font", hint=OUTSIDE_HINT)])
        return with_layout_fonts(self.fonts, manifest)

    def for_layout(self, layout: Layout) -> World:
        """This world as a build with ``layout`` sees it: with the layout's own fonts."""
        fonts = self.fonts_for(layout.folder)
        return self if fonts is self.fonts else dataclasses.replace(self, fonts=fonts)

    def timestamp(self, content_date: dt.date) -> dt.datetime:
        if self.source_date_epoch is not None:
            return dt.datetime.fromtimestamp(self.source_date_epoch, tz=dt.UTC)
        return dt.datetime(content_date.year, content_date.month, content_date.day, tzinfo=CHINA)


def make_world(root: Path | None = None, fonts_manifest: Path | None = None) -> World:
    """The world of the project at ``root`` (default: ``find_project()``); ``fonts_manifest`` overrides
    the project's."""
    project = Project(root) if root is not None else find_project()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return World(project.root, load_fonts(fonts_manifest or project.fonts_manifest), project.layout_roots[0],
                 int(epoch) if epoch and epoch.isdigit() else None,
                 ChartGeometryCache(project.root / ".cache" / "charts.json"))
