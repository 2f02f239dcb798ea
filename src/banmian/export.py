"""Export: a rendered WeasyPrint document → a print-ready PDF file, written atomically.

Takes: the WeasyPrint document, the ``RenderInput`` geometry (sheet size, trim offset, bleed) and the
document metadata.
Gives: PDF bytes with MediaBox = the whole sheet (trim + bleed + slug), BleedBox and TrimBox exact,
deterministic identifiers and dates; ``write_atomic`` puts bytes at a path through a temporary file in
the same folder and a rename, so a failed or interrupted build never leaves a partial file behind and
the previous PDF stays until the new one is complete (the temporary files of killed builds are swept
by the next write).
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from pathlib import Path
from typing import Any

from banmian.layout import MM


def pdf_bytes(document: Any, *, offset: float, bleed_mm: float, variant: str | None = None,
              output_intent: Any = None) -> bytes:
    """Write ``document`` to bytes with exact page boxes."""
    bleed = bleed_mm * MM

    def finisher(_doc: Any, pdf: Any) -> None:
        import pydyf

        kids = pdf.pages["Kids"]
        for number in kids[0::3]:
            page = pdf.objects[number]
            x0, y0, x1, y1 = (float(v) for v in page["MediaBox"])
            trim = [x0 + offset, y0 + offset, x1 - offset, y1 - offset]
            page["TrimBox"] = pydyf.Array([round(v, 3) for v in trim])
            page["BleedBox"] = pydyf.Array([round(v, 3) for v in (trim[0] - bleed, trim[1] - bleed,
                                                                  trim[2] + bleed, trim[3] + bleed)])
    options: dict[str, Any] = {"pdf_identifier": True, "custom_metadata": True}
    if variant:
        options["pdf_variant"] = variant
    if output_intent is not None:
        options["output_intent"] = output_intent
    data: bytes = document.write_pdf(finisher=finisher, **options)
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename.

    The temporary file is ``.<name>.<pid>.<random>.tmp``: builds running at once never share one, and
    the next build removes those a killed build (SIGKILL: no chance to clean up) left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def sweep_stale(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` whose writing process is gone; return them."""
    removed = []
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
