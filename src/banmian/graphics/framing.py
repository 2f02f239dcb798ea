"""Framing: which part of a picture fills its frame.

Takes: the editor's ``Framing`` of a photo (``crop``, ``focus``, ``fit`` from the content's image entry),
the upright picture and the frame's proportions (width / height).
Gives: ``Window`` — the part of the picture printed, in fractions (x, y, w, h) of the picture, how it was
chosen, and whether the frame is filled (``cover``) or the window is set whole inside it on paper
(``contain``). Without ``crop`` or ``focus`` the window is the largest one of the frame's proportions
that holds the most detail: the sum of squared brightness gradients (edge energy, which favours
high-contrast things such as heads, type and faces over soft texture) of a gray copy at most
``ANALYSIS_SIZE`` pixels across, in integers, ties going to the centre — deterministic, a few
milliseconds. (smartcrop, which adds skin and saturation, was tried: on the sample it cut a teacher
off at the knees in a 3.2 : 1 frame, pulled away from the window's edges by its importance map.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PIL import Image

ANALYSIS_SIZE = 256  # px, the longer side of the gray copy the default crop is chosen on
EPSILON = 1e-9


@dataclass(frozen=True)
class Framing:
    """What the content says about the crop (all optional)."""

    crop: tuple[float, float, float, float] | None = None
    focus: tuple[float, float] | None = None
    fit: Literal["cover", "contain"] = "cover"


AS_IS = Framing()  # no crop, no focus, filling the frame


@dataclass(frozen=True)
class Window:
    box: tuple[float, float, float, float]  # x, y, w, h: fractions of the picture
    how: str  # "crop", "focus", "detail", "whole"
    contain: bool = False  # set whole inside the frame (padded with paper), not filling it


def window(framing: Framing, picture: Image.Image, ratio: float) -> Window:
    """The part of ``picture`` (upright) that fills a frame of proportions ``ratio`` (w / h)."""
    pic_ratio = picture.width / picture.height
    if framing.crop is not None:
        x, y, w, h = framing.crop
        if framing.fit == "contain":
            return Window((x, y, w, h), "crop", contain=True)
        return Window(_trim((x, y, w, h), pic_ratio, ratio), "crop")
    if framing.fit == "contain":
        return Window((0.0, 0.0, 1.0, 1.0), "whole", contain=True)
    w, h = _largest(pic_ratio, ratio)
    if framing.focus is not None:
        fx, fy = framing.focus
        return Window((_clamp(fx - w / 2, 1 - w), _clamp(fy - h / 2, 1 - h), w, h), "focus")
    if w >= 1 - EPSILON and h >= 1 - EPSILON:
        return Window((0.0, 0.0, 1.0, 1.0), "whole")
    return Window(_most_detailed(picture, w, h), "detail")


def window_size(framing: Framing, pic_ratio: float, ratio: float) -> tuple[float, float]:
    """The window's size (fractions) without looking at the pixels: what decoding needs to know."""
    if framing.crop is not None:
        box = framing.crop if framing.fit == "contain" else _trim(framing.crop, pic_ratio, ratio)
        return box[2], box[3]
    if framing.fit == "contain":
        return 1.0, 1.0
    return _largest(pic_ratio, ratio)


def _largest(pic_ratio: float, ratio: float) -> tuple[float, float]:
    """Width and height (fractions) of the largest window of proportions ``ratio`` in the picture."""
    if pic_ratio > ratio:  # the picture is wider: the window spans its height
        return ratio / pic_ratio, 1.0
    return 1.0, pic_ratio / ratio


def _trim(box: tuple[float, float, float, float], pic_ratio: float,
          ratio: float) -> tuple[float, float, float, float]:
    """A crop cut to the frame's proportions around its centre (a crop of the frame's shape is kept)."""
    x, y, w, h = box
    cut = w * pic_ratio / h  # the crop's own proportions
    if cut > ratio:
        nw = h * ratio / pic_ratio
        return (x + (w - nw) / 2, y, nw, h)
    nh = w * pic_ratio / ratio
    return (x, y + (h - nh) / 2, w, nh)


def trimmed_share(box: tuple[float, float, float, float], pic_ratio: float, ratio: float) -> float:
    """How much of a crop the frame's proportions cut away (0–1)."""
    kept = _trim(box, pic_ratio, ratio)
    return 1 - (kept[2] * kept[3]) / (box[2] * box[3])


def _clamp(v: float, top: float) -> float:
    return min(max(v, 0.0), max(top, 0.0))


def _most_detailed(picture: Image.Image, w: float, h: float) -> tuple[float, float, float, float]:
    """The window of size ``w`` × ``h`` (fractions; one of them 1) with the most edge energy; among
    equals the one nearest the centre."""
    import numpy as np  # loaded for photos prepared anew only (a build from the image cache needs none)

    gray = picture.convert("L")
    gray.thumbnail((ANALYSIS_SIZE, ANALYSIS_SIZE), Image.Resampling.BOX)
    a = np.asarray(gray, dtype=np.int64)
    energy = np.zeros_like(a)
    energy[:, 1:-1] += (a[:, 2:] - a[:, :-2]) ** 2
    energy[1:-1, :] += (a[2:, :] - a[:-2, :]) ** 2
    across = w < 1 - EPSILON  # the window slides left–right (else up–down)
    profile = energy.sum(axis=0 if across else 1)
    length = len(profile)
    size = min(length, max(1, round((w if across else h) * length)))
    sums = np.concatenate([[0], np.cumsum(profile)])
    window_sums = sums[size:] - sums[: length - size + 1]
    centre = (len(window_sums) - 1) / 2
    best = max(range(len(window_sums)), key=lambda i: (int(window_sums[i]), -abs(i - centre)))
    start = _clamp(best / length, 1 - (w if across else h))
    return (start, 0.0, w, h) if across else (0.0, start, w, h)
