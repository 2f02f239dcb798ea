"""One finding of a check on a PDF: what is wrong, on which page, where, in which line.

Takes: nothing — this is the type.
Gives: ``Finding`` (``banmian.check.lint`` and ``banmian.check.proofread`` report them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or the place of one measurement) on a page."""

    kind: str  # kinsoku-start, kinsoku-end, split-dash, split-number, guzi, ragged, overfull, gap
    page: int  # 1-based
    x: float  # pt from the page's left
    y: float  # pt from the page's top (the line's top)
    text: str  # the line's text
    detail: str = ""

    def where(self) -> str:
        return f"page {self.page}, x {self.x:.1f} pt, y {self.y:.1f} pt"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "page": self.page, "x": round(self.x, 2), "y": round(self.y, 2),
                "text": self.text, "detail": self.detail}
