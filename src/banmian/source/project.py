"""Project: the editor's folder — content, layouts, fonts, output — and the layouts banmian ships.

Takes: an explicit project folder (``--project DIR`` or ``BANMIAN_PROJECT``), or a folder to start from
(the content file's folder) and the working folder.
Gives: ``Project`` — the folder and its parts: ``content/``, ``layouts/``, ``fonts/fonts.yaml``,
``output/``, ``.cache/``; the layout folders to search (the project's ``layouts/`` first, then the
built-in layouts) and the fonts manifest (the project's, else the built-in one). ``find_project`` —
the nearest folder holding ``layouts/`` or ``content/``, looking upwards from the start folder, then
from the working folder, else the working folder itself. ``known_layouts`` and ``describe_layouts``
name the layouts found, for listings and for the message about an unknown layout.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from banmian.core.diagnostics import BuildError, display_path, error
from banmian.core.packagedata import package_path

MARKERS = ("layouts", "content")  # a folder holding either is a project
ENV = "BANMIAN_PROJECT"


def builtin_layouts() -> Path:
    """The layouts shipped with banmian (``banmian/builtin/layouts`` in the package)."""
    return package_path("banmian", "builtin", "layouts")


def builtin_manifest() -> Path:
    """The fonts manifest shipped with banmian: the Debian fonts' roles."""
    return package_path("banmian", "builtin", "fonts", "fonts.yaml")


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def layouts(self) -> Path:
        """The project's own layouts (where ``new-layout`` writes); may not exist yet."""
        return self.root / "layouts"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    @property
    def fonts_manifest(self) -> Path:
        """``fonts/fonts.yaml`` of the project, or the built-in manifest when the project has none."""
        own = self.root / "fonts" / "fonts.yaml"
        return own if own.is_file() else builtin_manifest()

    @property
    def layout_roots(self) -> tuple[Path, ...]:
        """Where layouts are looked up, in order: the project's ``layouts/`` (if any), the built-ins.
        (In banmian's own checkout ``layouts/`` is a link to the built-ins: searched once.)"""
        builtin = builtin_layouts()
        own = self.layouts.is_dir() and self.layouts.resolve() != builtin.resolve()
        return (self.layouts, builtin) if own else (builtin,)


def find_project(start: Path | None = None, explicit: Path | None = None) -> Project:
    """The project: ``explicit``, else ``$BANMIAN_PROJECT``, else the nearest folder holding ``layouts/``
    or ``content/`` at or above ``start``, then at or above the working folder, else the working folder."""
    chosen = explicit or (Path(os.environ[ENV]) if os.environ.get(ENV) else None)
    if chosen is not None:
        if not chosen.is_dir():
            raise BuildError([error(f"project folder {chosen} not found", code="usage",
                                    hint="--project (or BANMIAN_PROJECT) names a folder")])
        return Project(chosen.resolve())
    cwd = Path.cwd().resolve()
    for first in ([start.resolve()] if start is not None else []) + [cwd]:
        for folder in (first, *first.parents):
            if any((folder / marker).is_dir() for marker in MARKERS):
                return Project(folder)
    return Project(cwd)


def known_layouts(roots: Sequence[Path]) -> dict[str, Path]:
    """Each layout name and its folder; a name in an earlier root hides the same name in a later one."""
    found: dict[str, Path] = {}
    for root in roots:
        for spec in sorted(root.glob("*/layout.yaml")):
            found.setdefault(spec.parent.name, spec.parent)
    return dict(sorted(found.items()))


def describe_layouts(roots: Sequence[Path]) -> str:
    """``my-page (layouts/); a4-newsletter, broadsheet-page, tabloid-spread (built in)``."""
    parts = []
    for root in roots:
        names = sorted(spec.parent.name for spec in root.glob("*/layout.yaml"))
        where = "built in" if root == builtin_layouts() else f"{display_path(root)}/"
        parts.append(f"{', '.join(names) or 'none'} ({where})")
    return "; ".join(parts)
