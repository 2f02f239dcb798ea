"""Test helper: an article's text as the PDF really carries it, column by column, line by line.

Takes: a pdfplumber page, the PDF's trim offset and the article's composed body lines (their columns
and grid positions from the ``PageModel``).
Gives: the characters of the text layer inside each column's frame, in reading order, nothing added —
what the article tests compare with the content text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def trim_offset(pdf: Path) -> float:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return float(doc.pages[0].TrimBox[0])


def column_chars(page: Any, body: Sequence[Any], offset: float, column_width: float,
                 pitch: float) -> list[dict[str, Any]]:
    """The text-layer characters of ``body``'s columns, column after column, top to bottom."""
    columns: dict[float, list[float]] = {}
    for pl in body:
        columns.setdefault(round(pl.x, 1), []).append(pl.y)
    out: list[dict[str, Any]] = []
    for x in sorted(columns):
        ys = columns[x]
        box = (x + offset - 6, min(ys) + offset, x + offset + column_width + 6, max(ys) + offset + pitch)
        out += sorted(page.within_bbox(box).chars, key=lambda c: (round(c["top"]), c["x0"]))
    return out


def column_text(page: Any, body: Sequence[Any], offset: float, column_width: float, pitch: float) -> str:
    return "".join(c["text"] for c in column_chars(page, body, offset, column_width, pitch))
