"""Test helpers: colour operators and image XObjects of a PDF, read with pikepdf."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf

RGB_OPS = {"rg", "RG"}


def colour_report(path: Path) -> tuple[Counter[str], list[str]]:
    """Colour operators used on every page and in every Form XObject (recursively), and the subtypes
    and colour spaces of image XObjects, as ``'Image /DeviceRGB'`` strings."""
    ops: Counter[str] = Counter()
    images: list[str] = []
    with pikepdf.open(path) as pdf:
        seen: set[tuple[int, int]] = set()

        def scan(stream: Any, resources: Any) -> None:
            spaces = {str(k): v for k, v in (resources.get("/ColorSpace") or {}).items()}
            for operands, op in pikepdf.parse_content_stream(stream):
                name = str(op)
                if name in ("cs", "CS"):
                    space = str(operands[0])
                    ops[f"{name} {space if space.startswith('/Device') else _base(spaces, space)}"] += 1
                elif name in ("rg", "RG", "k", "K", "g", "G", "sc", "scn", "SC", "SCN"):
                    ops[name] += 1
            for _key, xobj in (resources.get("/XObject") or {}).items():
                ident = xobj.objgen
                if ident in seen:
                    continue
                seen.add(ident)
                if xobj.get("/Subtype") == "/Image":
                    images.append(f"Image {xobj.get('/ColorSpace')}")
                elif xobj.get("/Subtype") == "/Form":
                    scan(xobj, xobj.get("/Resources") or resources)

        for page in pdf.pages:
            scan(page, page.resources)
    return ops, images


def _base(spaces: dict[str, Any], name: str) -> str:
    space = spaces.get(name)
    if isinstance(space, pikepdf.Array) and len(space):
        return str(space[0])
    return str(space)
