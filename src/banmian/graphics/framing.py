"""Framing: which part of a picture fills its frame.

Takes: the editor's ``Framing`` of a photo (``crop``, ``focus``, ``fit`` from the content's image entry),
the upright picture and the frame's proportions (width / height).
Gives: ``Window`` — the part of the picture printed, in fractions (x, y, w, h) of the picture, how it was
chosen, and whether the frame is filled (``cover``) or the window is set whole inside it on paper
(``contain``). Without ``crop`` or ``focus`` the window is the largest one of the frame's proportions
that keeps the most detailed part of the picture: scored by smartcrop (edges, saturation and skin
tones, weighted towards the window's inner part) on a copy at most ``ANALYSIS_SIZE`` pixels across,
ties going to the centre — deterministic, a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PIL import Image
from smartcrop import SmartCrop

ANALYSIS_SIZE = 480  # px, the longer side of the copy the default crop is chosen on
STEP = 8  # px of that copy between two windows tried (smartcrop scores on an 8-px grid)
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
    """The window of size ``w`` × ``h`` (fractions) that smartcrop scores highest; among equal scores the
    one nearest the centre."""
    small = picture.convert("RGB") if picture.mode != "RGB" else picture.copy()
    small.thumbnail((ANALYSIS_SIZE, ANALYSIS_SIZE), Image.Resampling.BOX)
    cw, ch = max(1, round(small.width * w)), max(1, round(small.height * h))
    cw, ch = min(cw, small.width), min(ch, small.height)
    crops = SmartCrop().analyse(small, cw, ch, min_scale=1.0, max_scale=1.0, num_scale_steps=1,
                                step=STEP)["crops"]
    travel_x, travel_y = small.width - cw, small.height - ch

    def rank(c: dict[str, float]) -> tuple[float, float]:
        off_centre = abs(c["x"] - travel_x / 2) + abs(c["y"] - travel_y / 2)
        return (round(c["score"], 9), -off_centre)

    best = max(crops, key=rank)
    return (_clamp(best["x"] / small.width, 1 - w), _clamp(best["y"] / small.height, 1 - h), w, h)
