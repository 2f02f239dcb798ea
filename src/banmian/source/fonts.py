"""Fonts: the manifest of typographic roles → the exact font faces banmian measures and embeds.

Takes: a fonts manifest, ``fonts/fonts.yaml`` (role → family, weight, file, package): the project's or the
built-in one.
Gives: ``FontSet`` — for each role a ``FontRole`` with the resolved file and the face index inside a
collection (``.ttc``), selected by family name and weight, never by whatever the machine would fall
back to. A missing file or face is an error naming the role and the package that provides it.
"""

from __future__ import annotations

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

    def __getitem__(self, role: str) -> FontRole:
        return self.roles[role]

    def __contains__(self, role: object) -> bool:
        return role in self.roles


def load_fonts(manifest: Path | None = None) -> FontSet:
    """Resolve every role of ``manifest`` (default: the built-in one); raise ``BuildError`` naming each
    role that fails."""
    path = manifest or builtin_manifest()
    source = read_yaml(path)
    try:
        spec = _Manifest.model_validate(source.data)
    except ValidationError as exc:
        raise BuildError(schema_errors(exc, source, doc="docs/layouts.md")) from None
    roles: dict[str, FontRole] = {}
    diags: list[Diagnostic] = []
    for name, role in spec.roles.items():
        file = Path(role.file)
        if not file.is_absolute():
            file = path.parent / file
        loc = source.locate(("roles", name, "file"))
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
