"""Fonts: the manifest of typographic roles → the exact font faces banmian measures and embeds.

Takes: a fonts manifest, ``fonts/fonts.yaml`` (role → family, weight, file, package): the project's or the
built-in one; and a layout's own ``fonts.yaml`` beside its layout.yaml (same form), whose roles are added to
the manifest's (or replace them) for that layout only.
Gives: ``FontSet`` — for each role a ``FontRole`` with the resolved file and the face index inside a
collection (``.ttc``), selected by family name and weight, never by whatever the machine would fall
back to. A missing file or face is an error naming the role and the package that provides it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from banmian.core.diagnostics import BuildError, Diagnostic, error
from banmian.source.load import schema_errors
from banmian.source.project import builtin_manifest
from banmian.source.yamlsrc import read_yaml


class _RoleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = ""
    family: str
    weight: int = Field(default=400, ge=100, le=1000)
    file: str
    package: str = ""


class _Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    roles: dict[str, _RoleSpec]



@dataclass(frozen=True)
class FontRef:
    """A font face: a file and the face index inside it (0 for a plain .ttf/.otf)."""

    path: Path
    index: int = 0

@dataclass(frozen=True)
class FontRole:
    name: str
    label: str
    family: str
    weight: int
    file: Path
    package: str
    index: int

    @property
    def ref(self) -> FontRef:
        return FontRef(self.file, self.index)

    @property
    def css_family(self) -> str:
        """The family name used in generated CSS: one per role, so no two roles can be confused."""
        return f"bm-{self.name}"


@dataclass(frozen=True)
class FontSet:
    manifest: Path
    roles: Mapping[str, FontRole]
    layout_manifest: Path | None = None  # a layout's own fonts.yaml, whose roles are merged in

    def __getitem__(self, role: str) -> FontRole:
        return self.roles[role]

    def __contains__(self, role: object) -> bool:
        return role in self.roles


def load_fonts(manifest: Path | None = None, *, search: tuple[Path, ...] = ()) -> FontSet:
    """Resolve every role of ``manifest`` (default: the built-in one); raise ``BuildError`` naming each
    role that fails. ``search``: a layout's manifest — its files are names looked up in these folders
    only (the layout's own, then those of the global manifest's fonts), never paths elsewhere."""
    path = manifest or builtin_manifest()
    source = read_yaml(path)
    try:
        spec = _Manifest.model_validate(source.data)
    except ValidationError as exc:
        raise BuildError(schema_errors(exc, source, doc="docs/layouts.md")) from None
    roles: dict[str, FontRole] = {}
    diags: list[Diagnostic] = []
    for name, role in spec.roles.items():
        loc = source.locate(("roles", name, "file"))
        file = _font_file(role.file, path.parent, search)
        if file is None:
            diags.append(error(f"font role {name!r}: {role.file!r} is not a font file's name in "
                               f"{', '.join(str(f) for f in search)}", loc, code="font",
                               hint="a layout's fonts.yaml names a file in the layout's folder or in the "
                                    "folders of fonts/fonts.yaml's fonts, by its name"))
            continue
        if not file.is_file():
            diags.append(error(f"font role {name!r}: file {file} is missing", loc, code="font",
                               hint=f"install the Debian package {role.package}" if role.package
                               else "install the font or change fonts/fonts.yaml"))
            continue
        index = find_face(file, role.family, role.weight)
        if index is None:
            diags.append(error(f"font role {name!r}: no face {role.family!r} weight {role.weight} in {file}",
                               loc, code="font"))
            continue
        roles[name] = FontRole(name, role.label, role.family, role.weight, file, role.package, index)
    if diags:
        raise BuildError(diags)
    return FontSet(path, roles)


def _font_file(name: str, folder: Path, search: tuple[Path, ...]) -> Path | None:
    """The file a manifest's ``file`` names: for the global manifest a path (relative to its folder);
    for a layout's, a plain name found in one of ``search`` (``None``: a path, or found in none)."""
    if not search:
        file = Path(name)
        return file if file.is_absolute() else folder / file
    if Path(name).name != name or name in ("", ".", ".."):
        return None
    for place in search:
        candidate = place / name
        with contextlib.suppress(OSError, RuntimeError):
            if candidate.resolve().is_relative_to(place.resolve()) and candidate.is_file():
                return candidate
    return search[0] / name  # reported missing


def with_layout_fonts(base: FontSet, manifest: Path) -> FontSet:
    """``base`` with the roles of a layout's own ``manifest`` added (a role of the same name replaced);
    its font files are looked up in the layout's folder, then in the folders of ``base``'s fonts."""
    folders = tuple(dict.fromkeys([manifest.parent, *(role.file.parent for role in base.roles.values())]))
    own = load_fonts(manifest, search=folders)
    return FontSet(base.manifest, {**base.roles, **own.roles}, manifest)


@functools.lru_cache(maxsize=64)
def find_face(file: Path, family: str, weight: int) -> int | None:
    """The index of the face of ``family`` (typographic or legacy family name) in ``file``, the one
    whose OS/2 weight is nearest ``weight``; read with HarfBuzz (a collection's faces are cheap to
    open, and no table but ``name`` and ``OS/2`` is parsed)."""
    import struct

    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(str(file))
    candidates = []
    for i in range(64):
        face = hb.Face(blob, i)
        if face.glyph_count == 0:
            break
        typographic = face.get_name(16) or face.get_name(1) or ""
        legacy = face.get_name(1) or ""
        if family not in (typographic, legacy):
            continue
        os2 = face.reference_table("OS/2").data
        face_weight = struct.unpack(">H", os2[4:6])[0] if len(os2) >= 6 else 400
        candidates.append((abs(face_weight - weight), i))
    return min(candidates)[1] if candidates else None
