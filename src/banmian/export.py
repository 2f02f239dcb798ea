"""Export: a rendered WeasyPrint document → a print-ready PDF file, written atomically.

Takes: the WeasyPrint document, the ``RenderInput`` geometry (sheet size, trim offset, bleed) and the
document metadata.
Gives: PDF bytes with MediaBox = the whole sheet (trim + bleed + slug), BleedBox and TrimBox exact,
deterministic identifiers and dates; ``write_atomic`` puts bytes at a path through a temporary file in
the same folder and a rename, so a failed or interrupted build never leaves a partial file behind and
the previous PDF stays until the new one is complete.
"""

from __future__ import annotations

import contextlib
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
    # full_fonts: the fonts banmian hands WeasyPrint are already subsets of the page's characters
    # (banmian.fontsubset), so WeasyPrint's own subsetting pass would only cost time.
    options: dict[str, Any] = {"pdf_identifier": True, "custom_metadata": True, "full_fonts": True}
    if variant:
        options["pdf_variant"] = variant
    if output_intent is not None:
        options["output_intent"] = output_intent
    data: bytes = document.write_pdf(finisher=finisher, **options)
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
