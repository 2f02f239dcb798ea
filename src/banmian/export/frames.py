"""Frames: the PDF WeasyPrint writes of a render's HTML (boxes, rules, tints, photos — no composed text),
kept by the digest of what it is made of, so that a rebuild whose frame did not change renders nothing.

Takes: a ``RenderInput`` (its frame digest: the HTML and every resource), what the renderer may read
(``Roots`` and origins), whether the PDF is PDF/X-4, and the cache folder (``<project>/.cache/frames``;
none: memory only).
Gives: ``frames`` — the frame PDF of each page of the render (a single-page render: one; the plates of a
spread: one a page), from memory (the last ``MEMORY_FRAMES`` of the process: a watch or serve session),
else from the disk cache (a new process on an unchanged page), else rendered by WeasyPrint and stored
in both. The key holds the frame digest, the PDF variant, WeasyPrint's version and ``FORMAT`` (raised
whenever what is written changes); with each frame the files WeasyPrint read for it (a picture a
layout's CSS names) are kept with their size and modification time, and a frame whose files changed
is rendered again — so a kept frame is always the one WeasyPrint would write now. The folder keeps the
newest ``DISK_FRAMES`` frames; a folder that cannot be written leaves the build uncached, never failed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from banmian.core.atomic import write_atomic

if TYPE_CHECKING:
    from banmian.render.fetch import Origin, Roots
    from banmian.render.html import RenderInput

FORMAT = "2"
MEMORY_FRAMES = 6
DISK_FRAMES = 24
PDF_X = "pdf/x-4"  # PDF/X-1a is impossible here: the CJK fonts are embedded as OpenType (PDF 1.6)

Stamp = tuple[tuple[str, int, int], ...]  # the files a frame read: path, size, modification time (ns)
_memory: OrderedDict[str, tuple[tuple[bytes, ...], Stamp]] = OrderedDict()


def _stamp(files: tuple[Path, ...]) -> Stamp | None:
    """Each file's path, size and modification time (None: one is gone)."""
    try:
        return tuple((str(p), st.st_size, st.st_mtime_ns) for p, st in ((p, p.stat()) for p in files))
    except OSError:
        return None


def _fresh(stamp: Stamp) -> bool:
    return _stamp(tuple(Path(p) for p, _, _ in stamp)) == stamp


def _key(ri: RenderInput, pdf_x: bool, pages: int | None) -> str:
    version = importlib.metadata.version("weasyprint")
    extra = f"{FORMAT}|{version}|{pdf_x}|{pages}".encode()
    return hashlib.sha256(ri.frame_digest() + extra).hexdigest()


def _write(document: Any, pdf_x: bool) -> bytes:
    options: dict[str, Any] = {"custom_metadata": True}
    if pdf_x:
        options["pdf_variant"] = PDF_X
    data: bytes = document.write_pdf(**options)
    return data


def render_frames(ri: RenderInput, scope: tuple[Roots, Mapping[str, Origin]] | tuple[()], *, pdf_x: bool,
                  split: bool) -> tuple[tuple[bytes, ...], Stamp]:
    """WeasyPrint lays out and writes the frame: one PDF of every page, or (``split``) one a page; and
    the stamp of the files it read."""
    from banmian.render.html import render

    document, files = render(ri, *scope)
    stamp = _stamp(files) or ()
    if split:
        return tuple(_write(document.copy([page]), pdf_x) for page in document.pages), stamp
    return (_write(document, pdf_x),), stamp


def frames(ri: RenderInput, scope: tuple[Roots, Mapping[str, Origin]] | tuple[()], *, pdf_x: bool,
           cache: Path | None, split: bool = False) -> tuple[bytes, ...]:
    """The frame PDFs of ``ri`` (see the module's docstring)."""
    key = _key(ri, pdf_x, len(ri.text) if split else None)
    found = _memory.get(key) or _read(cache, key, len(ri.text) if split else 1)
    if found is None or not _fresh(found[1]):
        found = render_frames(ri, scope, pdf_x=pdf_x, split=split)
        _store(cache, key, found)
    _memory[key] = found
    _memory.move_to_end(key)
    while len(_memory) > MEMORY_FRAMES:
        _memory.popitem(last=False)
    return found[0]


def _read(cache: Path | None, key: str, count: int) -> tuple[tuple[bytes, ...], Stamp] | None:
    if cache is None:
        return None
    try:
        stamp = tuple((str(p), int(size), int(mtime)) for p, size, mtime in
                      json.loads((cache / f"{key}.json").read_text(encoding="utf-8")))
        return tuple((cache / f"{key}-{n}.pdf").read_bytes() for n in range(count)), stamp
    except (OSError, ValueError, TypeError):
        return None


def _store(cache: Path | None, key: str, found: tuple[tuple[bytes, ...], Stamp]) -> None:
    if cache is None:
        return
    data, stamp = found
    with contextlib.suppress(OSError):
        for n, frame in enumerate(data):
            write_atomic(cache / f"{key}-{n}.pdf", frame)
        write_atomic(cache / f"{key}.json", json.dumps(stamp).encode())  # last: marks the entry whole
        kept = sorted(cache.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[DISK_FRAMES:]:
            for stale in (old, *cache.glob(f"{old.stem}-*.pdf")):
                stale.unlink(missing_ok=True)
