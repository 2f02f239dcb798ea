"""Ink limit: CMYK pixels brought under a total area coverage by moving ink from C, M and Y into K.

Takes: a CMYK picture (8 bits a channel, 255 = 100 %) and a ceiling in percent — one number, or one per
pixel (``tighten`` makes those).
Gives: ``limit_ink`` — the picture with C+M+Y+K ≤ the ceiling on every pixel: first grey component
replacement (an equal amount of C, M and Y replaced by K, as far as K can take it: the neutral part of the
colour printed with less ink), then what is still over taken from C, M and Y in proportion (under-colour
removal). Pixels under the ceiling are untouched, and a picture with none over comes back as the same
object. ``tighten`` — after JPEG encoding: the ceiling lowered, in each 16 × 16 block (a JPEG block,
and the largest MCU) whose decoded pixels went over the limit, by twice that block's overshoot and
1 % more (the ringing of a block re-encoded with less ink is not exactly the old one), so that the
next encoding stays under the limit where the compression's ringing pushed it over (black type on
white: ringing adds 20 % and more to a 236 % separation).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

BLOCK = 16
FULL = 255


def limit_ink(picture: Image.Image, ceiling: float | np.ndarray) -> Image.Image:
    """``picture`` (CMYK) with every pixel's total ink ≤ ``ceiling`` (percent)."""
    px = np.asarray(picture, dtype=np.int32)
    cap = np.broadcast_to(np.floor(np.asarray(ceiling, dtype=np.float64) * FULL / 100), px.shape[:2])
    over = px.sum(axis=2) > cap
    if not over.any():
        return picture
    out = px.copy()
    out[over] = _limited(px[over], cap[over].astype(np.int32))
    return Image.frombytes("CMYK", picture.size, out.astype(np.uint8).tobytes())


def _limited(px: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Rows of C, M, Y, K (0–255) over ``cap``: grey component to K, then C, M, Y scaled down."""
    cmy, k = px[:, :3], px[:, 3]
    excess = px.sum(axis=1) - cap
    grey = np.minimum(np.minimum((excess + 1) // 2, cmy.min(axis=1)), FULL - k)
    cmy, k = cmy - grey[:, None], k + grey
    k = np.minimum(k, cap)  # only when the ceiling is under 100 %
    room = np.maximum(cap - k, 0)
    colour = cmy.sum(axis=1)
    keep = np.where(colour > room, room / np.maximum(colour, 1), 1.0)
    cmy = np.floor(cmy * keep[:, None]).astype(np.int32)
    return np.column_stack([cmy, k])


def tighten(ceiling: np.ndarray, decoded: Image.Image, limit: float) -> np.ndarray | None:
    """``ceiling`` lowered in each block where ``decoded`` (the CMYK JPEG read back) is over ``limit``;
    None when no pixel is over."""
    total = np.asarray(decoded, dtype=np.float64).sum(axis=2) * 100 / FULL
    over = total - limit
    if over.max(initial=0.0) <= 0:
        return None
    h, w = over.shape
    rows, cols = -(-h // BLOCK), -(-w // BLOCK)
    padded = np.full((rows * BLOCK, cols * BLOCK), -1.0)
    padded[:h, :w] = over
    worst = padded.reshape(rows, BLOCK, cols, BLOCK).max(axis=(1, 3))
    lower = np.where(worst > 0, 2 * worst + 1.0, 0.0)
    per_pixel = np.repeat(np.repeat(lower, BLOCK, axis=0), BLOCK, axis=1)[:h, :w]
    lowered: np.ndarray = ceiling - per_pixel
    return lowered
