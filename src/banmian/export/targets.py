"""Targets: the files a build writes, checked before anything is rendered, and written.

Takes: the output path a build was given (``-o``, or ``output/<name>.pdf``), whether the layout is a spread,
and the files the build reads (the content file, its images, the layout's folder, the font manifest and
fonts).
Gives: ``targets`` — every path a build may write (the PDF, or a spread's two plates and spread proof;
the proof); ``target_errors`` — why one of them must not be written: it is a folder, one of the build's
own input files (also through a symlink or a hard link), or a name over ``MAX_NAME_BYTES``; and
``write_target`` — ``core.atomic.write_atomic`` with an unwritable place (``/proc``, a read-only folder,
a file where a folder should be) as one error naming the path, not an exception.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from banmian.core.atomic import MAX_NAME_BYTES, write_atomic
from banmian.core.diagnostics import BuildError, Diagnostic, Location, display_path, error
from banmian.export.plates import spread_paths

HINT = "write the PDF to its own file, e.g. output/<name>.pdf"


def targets(output: Path, *, spread: bool, proof: bool) -> tuple[Path, ...]:
    """The paths a build writes for ``output``: the PDF (a spread: plates and spread proof), the proof."""
    written = spread_paths(output) if spread else (output,)
    return (*written, output.with_suffix(".proof.pdf")) if proof else written


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def target_errors(paths: Sequence[Path], inputs: Iterable[Path]) -> list[Diagnostic]:
    """Each path that must not be written, with why: a folder, an input of the build, a name too long."""
    read = {identity for path in inputs if (identity := _identity(path)) is not None}
    diags = []
    for path in paths:
        where = Location(path)
        if len(path.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            diags.append(error(f"the file name is {len(path.name.encode('utf-8', 'surrogateescape'))} bytes; "
                               f"a name holds at most {MAX_NAME_BYTES}", where, code="output",
                               hint="a shorter -o name (a Chinese character takes 3 bytes)"))
        elif path.is_dir():
            diags.append(error(f"{display_path(path)} is a folder: the PDF needs a file name", where,
                               code="output", hint=f"e.g. -o {display_path(path / 'page.pdf')}"))
        elif _identity(path) in read:
            diags.append(error("this file is read by the build (content, image, layout or font): "
                               "the PDF would replace it", where, code="output", hint=HINT))
    return diags


def write_target(path: Path, data: bytes) -> None:
    """``data`` at ``path`` atomically; a place that cannot be written is a ``BuildError``."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        blocked = next((p for p in path.parents if p.exists()), None)
        if blocked is not None and not blocked.is_dir():
            reason = f"{display_path(blocked)} is a file, not a folder"
        raise BuildError([error(f"cannot write the PDF: {reason}", Location(path), code="output",
                                hint="choose a folder you can write to, e.g. output/")]) from None
