"""Graphics: photos prepared for the page.

Takes: a photo file, the frame it fills (pt), where the content names it, the editor's ``Framing``
(crop, focus, fit) and the layout's ``Press``.
Gives: ``PreparedImage`` — JPEG bytes of the part of the picture the frame shows (see
``banmian.graphics.framing``), upright (``decode``), resampled to at most ``MAX_PPI`` at the placed
size, with their effective resolution, the window printed and warnings for the editor. With a press the
photo is separated into its CMYK (``press.separate``; grayscale stays K only), transparency is flattened
onto the paper colour, and the total ink is held under the press's limit by the separation itself:
ink limited to ``INK_MARGIN`` under the limit (``inklimit``), encoded, read back, and where the JPEG's
ringing still went over, limited further block by block and encoded again (at most ``INK_PASSES``
times). ``ink`` is the highest total ink of the JPEG as the press will decode it.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from banmian.core.diagnostics import Location
from banmian.graphics.decode import MAX_BYTES, MAX_PIXELS, Decoded, decode
from banmian.graphics.framing import AS_IS, Framing, Window, trimmed_share, window, window_size
from banmian.graphics.press import Press, max_ink, on_paper, separate

__all__ = ["MAX_BYTES", "MAX_PIXELS", "MAX_PPI", "VERSION", "Framing", "PreparedImage", "prepare_image"]

MAX_PPI = 300
VERSION = 2  # bump when prepared images change (invalidates banmian.graphics.imagecache)
QUALITY = 88
INK_MARGIN = 4.0  # percent under the press's limit the separation aims at before the JPEG is measured
INK_PASSES = 8  # encodings at most; black type on white needs 2–4
DRAFT_PIXELS = 8_000_000  # larger JPEGs are decoded at a reduced scale when the frame needs fewer pixels
MOSTLY_TRANSPARENT = 0.5
WHITE = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class PreparedImage:
    key: str
    data: bytes
    mime: str
    pixels: tuple[int, int]
    ppi: float  # effective resolution at the placed size
    ink: float | None = None  # highest total ink of any pixel, percent (press images only)
    mode: str = "RGB"  # Pillow mode of the embedded image: CMYK or L for the press
    crop: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # window printed: x, y, w, h fractions
    how: str = "whole"  # how the window was chosen: crop, focus, detail, whole
    notes: tuple[str, ...] = ()  # warnings for the editor (GIF, transparency, a crop cut further)


def prepare_image(key: str, path: Path, width_pt: float, height_pt: float,
                  location: Location | None = None, press: Press | None = None,
                  framing: Framing = AS_IS) -> PreparedImage:
    """``press``: separate for that print condition (CMYK or gray JPEG, total ink measured)."""
    try:
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (0, 0)  # decode reports the unreadable file with its location
    return _prepare(key, path, version, round(width_pt, 3), round(height_pt, 3), location, press, framing)


@functools.lru_cache(maxsize=64)
def _prepare(key: str, path: Path, version: tuple[int, int], width_pt: float, height_pt: float,
             location: Location | None, press: Press | None, framing: Framing) -> PreparedImage:
    ratio = width_pt / height_pt

    def scale_for(w: int, h: int) -> float:
        if w * h <= DRAFT_PIXELS:
            return 1.0
        win_w, _ = window_size(framing, w / h, ratio)
        return min(1.0, width_pt / 72 * MAX_PPI / (win_w * w))

    decoded = decode(path, location, scale_for)
    win = window(framing, decoded.picture, ratio)
    picture, alpha, ppi = _fit(decoded, win, width_pt, height_pt)
    notes = (*decoded.notes, *_notes(path, decoded, win, framing, ratio))
    paper = press.paper if press is not None else WHITE
    if press is not None:
        picture = on_paper(separate(picture, press, decoded.icc), alpha, paper)
        data, ink = _encode_for_press(picture, press.ink_limit, ppi)
    else:
        picture = on_paper(picture, alpha, paper)
        data, ink = _jpeg(picture, ppi), None
    return PreparedImage(key, data, "image/jpeg", picture.size, ppi, ink, picture.mode,
                         tuple(round(v, 4) for v in win.box), win.how, notes)  # type: ignore[arg-type]


def _notes(path: Path, decoded: Decoded, win: Window, framing: Framing, ratio: float) -> list[str]:
    notes = []
    if decoded.alpha is not None:
        histogram = decoded.alpha.histogram()
        share = sum(histogram[:128]) / max(1, sum(histogram))
        if share > MOSTLY_TRANSPARENT:
            notes.append(f"{path.name} is {share:.0%} transparent: the transparent part prints as the "
                         "paper")
    if framing.crop is not None and not win.contain:
        cut = trimmed_share(framing.crop, decoded.picture.width / decoded.picture.height, ratio)
        if cut > 0.02:
            notes.append(f"{path.name}: the crop is cut by {cut:.0%} more to the frame's proportions "
                         f"({ratio:.2f} : 1)")
    return notes


def _fit(decoded: Decoded, win: Window, width_pt: float,
         height_pt: float) -> tuple[Image.Image, Image.Image | None, float]:
    """The window cut out, resampled to at most ``MAX_PPI`` at its placed size (``contain``: centred on
    the frame, the rest transparent); with the alpha and the effective resolution."""
    picture, alpha = decoded.picture, decoded.alpha
    w, h = picture.size
    x, y, ww, wh = win.box
    cw, ch = max(1, min(w, round(ww * w))), max(1, min(h, round(wh * h)))
    x0, y0 = _pixel_start(x * w, ww * w, cw, w), _pixel_start(y * h, wh * h, ch, h)
    box = (x0, y0, x0 + cw, y0 + ch)
    if box != (0, 0, w, h):
        picture = picture.crop(box)
        alpha = alpha.crop(box) if alpha is not None else None
    placed_w, placed_h = width_pt, height_pt
    if win.contain:
        scale = min(width_pt / cw, height_pt / ch)
        placed_w, placed_h = cw * scale, ch * scale
    ppi = picture.size[0] / (placed_w / 72)
    if ppi > MAX_PPI:
        size = (round(placed_w / 72 * MAX_PPI), round(placed_h / 72 * MAX_PPI))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
        alpha = alpha.resize(size, Image.Resampling.LANCZOS) if alpha is not None else None
        ppi = picture.size[0] / (placed_w / 72)
    if win.contain:
        picture, alpha = _padded(picture, alpha, round(width_pt / 72 * ppi), round(height_pt / 72 * ppi))
    return picture, alpha, ppi


def _pixel_start(start: float, length: float, pixels: int, total: int) -> int:
    """The first pixel of a window ``pixels`` long whose centre is nearest the centre of the fractional
    window (``start``, ``length``); half a pixel off rounds down, as a centred crop always did."""
    first = math.ceil(start + (length - pixels) / 2 - 0.5 - 1e-6)
    return min(max(0, first), total - pixels)


def _padded(picture: Image.Image, alpha: Image.Image | None, width: int,
            height: int) -> tuple[Image.Image, Image.Image | None]:
    """``picture`` centred on a ``width`` × ``height`` canvas whose margins are transparent."""
    width, height = max(width, picture.width), max(height, picture.height)
    if (width, height) == picture.size:
        return picture, alpha
    at = ((width - picture.width) // 2, (height - picture.height) // 2)
    canvas = Image.new(picture.mode, (width, height))
    canvas.paste(picture, at)
    mask = Image.new("L", (width, height), 0)
    mask.paste(alpha if alpha is not None else Image.new("L", picture.size, 255), at)
    return canvas, mask


def _jpeg(picture: Image.Image, ppi: float) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=QUALITY, optimize=True, dpi=(round(ppi), round(ppi)))
    return out.getvalue()


def _encode_for_press(picture: Image.Image, limit: float, ppi: float) -> tuple[bytes, float]:
    """The JPEG the press gets and its highest total ink, kept ≤ ``limit`` by the separation: gray is K
    only; CMYK is limited to ``INK_MARGIN`` under it, then, where the encoded JPEG read back is still
    over, further in the blocks concerned (``inklimit.tighten``)."""
    if picture.mode != "CMYK":
        data = _jpeg(picture, ppi)
        return data, _read_back(data)[1]
    import numpy as np  # numpy is loaded for photos prepared anew, not for those from the image cache

    from banmian.graphics.inklimit import limit_ink, tighten

    ceiling = np.full((picture.height, picture.width), limit - INK_MARGIN)
    limited = limit_ink(picture, ceiling)
    for _ in range(INK_PASSES):
        data = _jpeg(limited, ppi)
        back, ink = _read_back(data)
        lower = tighten(ceiling, back, limit) if ink > limit else None
        if lower is None:
            return data, ink
        ceiling = lower
        limited = limit_ink(picture, ceiling)
    return data, ink  # still over after every pass: the ink check reports it


def _read_back(data: bytes) -> tuple[Image.Image, float]:
    with Image.open(io.BytesIO(data)) as embedded:
        embedded.load()
        return embedded.copy(), max_ink(embedded)
