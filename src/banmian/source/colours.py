"""A layout's colours as the editor writes them: four numbers 0–100, C M Y K.

Takes: the raw value of one entry of ``colors:`` in layout.yaml (after YAML).
Gives: ``cmyk(value)`` — the four percentages — or a ``ValueError`` in the editor's terms: how many
numbers a colour has, and for a screen colour (``#c00000``, ``rgb(192, 0, 0)``, three numbers 0–255)
why it is refused (print needs CMYK) with a suggested CMYK. The suggestion is the naive conversion
(K from the darkest channel, no ICC profile): a starting point to check on a proof, not a match.
"""

from __future__ import annotations

import re

HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
RGB = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)", re.IGNORECASE)
FORM = "a colour is four numbers 0–100: C M Y K, e.g. [0, 100, 100, 10]"


def cmyk(value: object) -> tuple[float, float, float, float]:
    """``value`` as (C, M, Y, K) percentages, or a ``ValueError`` saying what a colour is."""
    if isinstance(value, str):
        rgb = _screen_colour(value)
        if rgb is None:
            raise ValueError(f"{FORM} (got the text {value[:40]!r})")
        raise ValueError(_refusal(value, rgb))
    if not isinstance(value, list | tuple):
        raise ValueError(FORM)
    numbers = [v for v in value if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != len(value):
        raise ValueError(f"{FORM} (got {len(value)} values, not all numbers)")
    if len(numbers) == 3 and all(0 <= v <= 255 for v in numbers):
        raise ValueError(_refusal(f"[{', '.join(f'{v:g}' for v in numbers)}]", tuple(numbers)))
    if len(numbers) != 4:
        raise ValueError(f"{FORM} (got {len(numbers)} numbers)")
    if any(not 0 <= v <= 100 for v in numbers):
        raise ValueError(f"{FORM} (each a percentage from 0 to 100; got {_listed(numbers)})")
    c, m, y, k = (float(v) for v in numbers)
    return c, m, y, k


def naive_cmyk(rgb: tuple[float, ...]) -> tuple[int, int, int, int]:
    """RGB 0–255 → CMYK percentages by the textbook formula (no profile, no ink limit)."""
    r, g, b = (v / 255 for v in rgb)
    k = 1 - max(r, g, b)
    if k >= 1:
        return 0, 0, 0, 100
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return round(c * 100), round(m * 100), round(y * 100), round(k * 100)


def _screen_colour(text: str) -> tuple[float, float, float] | None:
    match = HEX.fullmatch(text.strip())
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        r, g, b = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
        return r, g, b
    match = RGB.fullmatch(text.strip())
    if match and all(int(v) <= 255 for v in match.groups()):
        r, g, b = (int(v) for v in match.groups())
        return r, g, b
    return None


def _refusal(written: str, rgb: tuple[float, ...]) -> str:
    c, m, y, k = naive_cmyk(rgb)
    return (f"{written} is a screen (RGB) colour: print needs CMYK, four numbers 0–100: C M Y K — try "
            f"[{c}, {m}, {y}, {k}] (a naive conversion without the press profile: check it on a proof)")


def _listed(numbers: list[float]) -> str:
    return "[" + ", ".join(f"{v:g}" for v in numbers) + "]"
