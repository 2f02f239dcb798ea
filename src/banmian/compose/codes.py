"""Codes: QR codes (and EAN-13 bars) as vector rectangles in one CMYK colour.

Takes: the text to encode (a URL), the size the layout gives the symbol (mm, quiet zone included) and
where it goes (pt, trim space).
Gives: ``CodeBox`` — the symbol's rectangle and its dark modules as rectangles: each row's dark runs
merged into one rectangle, and runs that repeat in the rows below merged into one taller rectangle, so
a version-3 code is a few hundred ``re`` operators and no image. The renderer paints them as divs with
a ``device-cmyk`` background (K 100), which WeasyPrint writes as DeviceCMYK fills: vector and CMYK.

Rules kept: the quiet zone is 4 modules on every side (ISO/IEC 18004); error correction level M
(segno may raise it when that costs no extra modules); a module is never smaller than
``MIN_MODULE_MM`` = 0.33 mm, the smallest that newsprint (dot gain, 100–150 lpi) and phone cameras
read reliably at arm's length — a layout size too small for the URL's module count is an error.
``segno`` gives the module matrix; it is pure Python.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from banmian.core.units import MM
from banmian.source.layout import Rect

QUIET = 4  # modules
MIN_MODULE_MM = 0.33


class CodeTooSmallError(ValueError):
    """The size the layout gives cannot hold the code at the minimum module size."""


@dataclass(frozen=True)
class CodeBox:
    rect: Rect  # the whole symbol including the quiet zone (paper)
    modules: tuple[Rect, ...]  # dark areas
    module: float  # module size in pt
    text: str  # what the code holds
    kind: str = "qr"


@functools.lru_cache(maxsize=64)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The dark/light module matrix of a QR code for ``data`` (no quiet zone); kept per process (8 ms
    a code: a rebuild in ``watch`` or ``serve`` encodes an unchanged URL once)."""
    import segno  # 30 ms of imports (its writers pull in urllib, http.client…): only for a page with a code

    code = segno.make_qr(data, error="m", boost_error=True)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)


def merge_runs(matrix: Sequence[Sequence[bool]]) -> list[tuple[int, int, int, int]]:
    """Dark modules as rectangles (column, row, width, height) in module units: horizontal runs per
    row, then identical runs in consecutive rows merged into one."""
    open_runs: dict[tuple[int, int], tuple[int, int]] = {}  # (x0, x1) → (first row, rows)
    out: list[tuple[int, int, int, int]] = []
    for y, row in enumerate(matrix):
        runs = _dark_runs(row)
        for key in list(open_runs):
            if key not in runs:
                first, count = open_runs.pop(key)
                out.append((key[0], first, key[1] - key[0], count))
        for key in sorted(runs):
            if key in open_runs:
                first, count = open_runs[key]
                open_runs[key] = (first, count + 1)
            else:
                open_runs[key] = (y, 1)
    for key, (first, count) in open_runs.items():
        out.append((key[0], first, key[1] - key[0], count))
    out.sort(key=lambda r: (r[1], r[0]))
    return out


def _dark_runs(row: Sequence[bool]) -> set[tuple[int, int]]:
    """The runs of dark modules in a row: (first column, column after the last)."""
    runs = set()
    x = 0
    for dark, modules in itertools.groupby(row):
        width = len(list(modules))
        if dark:
            runs.add((x, x + width))
        x += width
    return runs


def qr_box(data: str, x: float, y: float, size_mm: float) -> CodeBox:
    """A QR code for ``data`` whose symbol (quiet zone included) is ``size_mm`` square at (x, y)."""
    matrix = qr_matrix(data)
    n = len(matrix) + 2 * QUIET
    module = size_mm * MM / n
    if module < MIN_MODULE_MM * MM - 1e-9:
        need = MIN_MODULE_MM * n
        raise CodeTooSmallError(f"a QR code for this URL has {len(matrix)}×{len(matrix)} modules: at "
                                f"{size_mm:g} mm a module would be {size_mm / n:.2f} mm, under the "
                                f"{MIN_MODULE_MM} mm minimum; it needs at least {need:.1f} mm")
    rects = tuple(Rect(x + (QUIET + cx) * module, y + (QUIET + cy) * module, w * module, h * module)
                  for cx, cy, w, h in merge_runs(matrix))
    return CodeBox(Rect(x, y, n * module, n * module), rects, module, data)


# --- EAN-13 ------------------------------------------------------------------------------------------

_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011",
      "0110111", "0001011")
_G = tuple(code.translate(str.maketrans("01", "10"))[::-1] for code in _L)
_R = tuple(code.translate(str.maketrans("01", "10")) for code in _L)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL",
           "LGGLGL")


def ean13_check(digits12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return (10 - total % 10) % 10


def issn_to_ean13(issn: str, issue: int = 0) -> str:
    """ISSN ``1234-5679`` → the 13 digits of its EAN (977 + 7 digits + price/variant ``00`` + check)."""
    digits = issn.replace("-", "").strip().upper()
    if len(digits) != 8 or not digits[:7].isdigit():
        raise ValueError(f"not an ISSN: {issn!r}")
    body = f"977{digits[:7]}00"
    return body + str(ean13_check(body))


def ean13_bars(code: str) -> str:
    """The 95 modules of an EAN-13 symbol as '1' (bar) and '0' (space)."""
    if len(code) != 13 or not code.isdigit():
        raise ValueError(f"an EAN-13 has 13 digits, not {code!r}")
    if ean13_check(code[:12]) != int(code[12]):
        raise ValueError(f"EAN-13 {code}: the check digit should be {ean13_check(code[:12])}")
    parity = _PARITY[int(code[0])]
    left = "".join((_L if p == "L" else _G)[int(d)] for p, d in zip(parity, code[1:7], strict=True))
    right = "".join(_R[int(d)] for d in code[7:])
    return "101" + left + "01010" + right + "101"


def ean13_box(code: str, x: float, y: float, module_mm: float = 0.33, height_mm: float = 18) -> CodeBox:
    """An EAN-13 symbol with 11-module quiet zones left and 7 right; bars as rectangles."""
    module = module_mm * MM
    bars = ean13_bars(code)
    rects = []
    i = 0
    while i < len(bars):
        if bars[i] == "1":
            start = i
            while i < len(bars) and bars[i] == "1":
                i += 1
            rects.append(Rect(x + (11 + start) * module, y, (i - start) * module, height_mm * MM))
        else:
            i += 1
    return CodeBox(Rect(x, y, (11 + 95 + 7) * module, height_mm * MM), tuple(rects), module, code, "ean13")
