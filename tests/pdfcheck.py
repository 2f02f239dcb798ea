"""Test helpers: colour operators, image XObjects and the instructions of a PDF page, read with pikepdf."""

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


def instructions(page: pikepdf.Page) -> list[tuple[str, list[object]]]:
    """Every instruction of the page content and of the forms it draws, in order; a colour space's
    name (``cs``, ``CS``) is replaced by the space it names in the resources where it is used."""
    out: list[tuple[str, list[object]]] = []

    def walk(stream: object, resources: pikepdf.Dictionary) -> None:
        for ins in pikepdf.parse_content_stream(stream):
            op, args = str(ins.operator), list(ins.operands)
            if op in ("cs", "CS"):
                args = [colour_space(resources, args[0])]
            out.append((op, args))
            if op == "Do":
                xobject = resources.XObject[ins.operands[0]]
                if xobject.Subtype == "/Form":
                    walk(xobject, xobject.get("/Resources", resources))

    walk(page.obj, page.Resources)
    return out


def colour_space(resources: pikepdf.Dictionary, name: object) -> str:
    if str(name) in ("/DeviceCMYK", "/DeviceGray"):
        return str(name)
    space = resources.ColorSpace[str(name)]
    return "/".join(str(v) for v in space[:3])


FILL_PAINT = {"f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"'}


def fills(page: pikepdf.Page) -> list[tuple[str, tuple[float, ...], str]]:
    """Each fill (path or text) of the page and its forms: (colour space, colour values, operator)."""
    space, values, out = "/DeviceGray", (0.0,), []
    for op, args in instructions(page):
        if op == "cs":
            space = str(args[0])
        elif op in ("sc", "scn"):
            values = tuple(float(a) for a in args)  # type: ignore[arg-type]
        elif op == "k":
            space, values = "/DeviceCMYK", tuple(float(a) for a in args)  # type: ignore[arg-type]
        elif op in FILL_PAINT:
            out.append((space, values, op))
    return out
