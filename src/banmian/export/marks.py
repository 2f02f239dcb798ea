"""Print marks: crop marks, registration targets and fold marks in the slug, as PDF drawing operators.

Takes: a ``Layout`` (trim size, bleed, slug; a spread's fold).
Gives: ``PrintMarks`` — where the marks go, in trim space (pt, x right and y down from the trim box's
top-left corner, as the composer places everything): eight crop marks 1 mm outside the bleed, four
registration targets (a circle and a cross each) centred in the slug when it is at least 6 mm deep, and
on a spread sheet two short marks where the fold runs. ``marks_content`` turns them into content-stream
instructions for a sheet whose trim box starts ``offset`` pt in from its corner; every mark is painted
on its own in the colour space named by the caller (registration), so a preflight can count them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pikepdf

from banmian.core.units import MM
from banmian.source.layout import Layout

WEIGHT = 0.25  # pt, the line weight of every mark
TARGET_RADIUS = 6.125  # pt, the circle's centre line (12.25 pt across outside, as the HTML mark was)
TARGET_ARM = 8.0  # pt, half the length of the target's cross
KAPPA = 4 * (math.sqrt(2) - 1) / 3  # Bézier control distance of a quarter circle


@dataclass(frozen=True)
class Bar:
    """A straight mark: a filled rectangle (trim space)."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class PrintMarks:
    crops: tuple[Bar, ...]
    targets: tuple[tuple[float, float], ...]  # centres
    folds: tuple[Bar, ...]


def print_marks(layout: Layout) -> PrintMarks:
    """Crop marks and registration targets in the slug, outside the bleed; fold marks on a spread sheet."""
    bleed = layout.spec.page.bleed * MM
    slug = layout.spec.page.slug * MM
    w, h = layout.trim_w, layout.trim_h
    start = bleed + 1 * MM  # marks begin 1 mm outside the bleed
    length = max(0.0, min(slug - 1.5 * MM, 8 * MM))
    crops: list[Bar] = []
    if length > 0:
        for x in (0.0, w):
            for y in (0.0, h):
                # a horizontal mark on the trim line y and a vertical one on x, both outside the bleed
                crops.append(Bar(x + start if x else x - start - length, y - WEIGHT / 2, length, WEIGHT))
                crops.append(Bar(x - WEIGHT / 2, y + start if y else y - start - length, WEIGHT, length))
    centre = bleed + slug / 2 + 0.5 * MM
    targets = ((w / 2, -centre), (w / 2, h + centre), (-centre, h / 2), (w + centre, h / 2)) \
        if slug >= 6 * MM else ()
    folds: tuple[Bar, ...] = ()
    if layout.pages == 2:
        x = layout.page_w - WEIGHT / 2
        folds = (Bar(x, -bleed - 20, WEIGHT, 14), Bar(x, h + bleed + 6, WEIGHT, 14))
    return PrintMarks(tuple(crops), targets, folds)


def marks_content(marks: PrintMarks, offset: float, height: float, space: str) -> bytes:
    """Content-stream bytes drawing ``marks`` in the colour space resource ``space`` (tint 1) on a sheet
    ``height`` pt high whose trim box starts ``offset`` pt in from the sheet's corner."""
    def bar(b: Bar) -> list[pikepdf.ContentStreamInstruction]:
        x, y = offset + b.x, height - offset - b.y - b.h
        return [_op("re", x, y, b.w, b.h), _op("f")]

    name = pikepdf.Name("/" + space)
    ops = [_op("cs", name), _op("CS", name), _op("scn", 1), _op("SCN", 1), _op("w", WEIGHT)]
    for b in (*marks.crops, *marks.folds):
        ops += bar(b)
    for cx, cy in marks.targets:
        ops += _circle(offset + cx, height - offset - cy, TARGET_RADIUS)
        ops += bar(Bar(cx - TARGET_ARM, cy - WEIGHT / 2, 2 * TARGET_ARM, WEIGHT))
        ops += bar(Bar(cx - WEIGHT / 2, cy - TARGET_ARM, WEIGHT, 2 * TARGET_ARM))
    return pikepdf.unparse_content_stream(ops)


def _circle(cx: float, cy: float, r: float) -> list[pikepdf.ContentStreamInstruction]:
    k = KAPPA * r
    return [_op("m", cx + r, cy),
            _op("c", cx + r, cy + k, cx + k, cy + r, cx, cy + r),
            _op("c", cx - k, cy + r, cx - r, cy + k, cx - r, cy),
            _op("c", cx - r, cy - k, cx - k, cy - r, cx, cy - r),
            _op("c", cx + k, cy - r, cx + r, cy - k, cx + r, cy),
            _op("h"), _op("S")]


def _op(operator: str, *operands: float | pikepdf.Name) -> pikepdf.ContentStreamInstruction:
    values = [v if isinstance(v, pikepdf.Name) else _number(v) for v in operands]
    return pikepdf.ContentStreamInstruction(values, pikepdf.Operator(operator))


def _number(value: float) -> int | float:
    """Three decimals (a thousandth of a point), written the same on every machine."""
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded
