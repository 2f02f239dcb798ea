"""Graphics: photos (and later charts and codes) prepared for the page.

Takes: the figures of a ``PageModel`` (source image path + the frame it fills, in pt).
Gives: ``PreparedImage`` values — JPEG bytes cropped to the frame's proportions (centred), resampled to
at most ``MAX_PPI`` at the placed size, with their effective resolution — keyed by figure id, ready to be
served to the renderer. With a ``Press`` (the layout's print condition) photos are separated to CMYK
through its ICC profile (grayscale stays gray, K only) and the highest total ink of the embedded JPEG is
measured. Broken files, unknown formats and oversized images are errors naming the file.
"""

from __future__ import annotations

import functools
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from banmian.core.diagnostics import BuildError, Location, error
from banmian.graphics.press import Press, max_ink, separate

MAX_PPI = 300
VERSION = 1  # bump when prepared images change (invalidates banmian.graphics.imagecache)
MAX_PIXELS = 60_000_000
MAX_BYTES = 40 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG", "PNG"}
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's decompression-bomb guard, on and explicit


@dataclass(frozen=True)
class PreparedImage:
    key: str
    data: bytes
    mime: str
    pixels: tuple[int, int]
    ppi: float  # effective resolution at the placed size
    ink: float | None = None  # highest total ink of any pixel, percent (press images only)
    mode: str = "RGB"  # Pillow mode of the embedded image: CMYK or L for the press


def prepare_image(key: str, path: Path, width_pt: float, height_pt: float,
                  location: Location | None = None, press: Press | None = None) -> PreparedImage:
    """``press``: separate for that print condition (CMYK or gray JPEG, total ink measured)."""
    stat = _stat(path, location)
    return _prepare(key, path, stat, round(width_pt, 3), round(height_pt, 3), location, press)


def _stat(path: Path, location: Location | None) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise BuildError([error(f"image {path.name}: {exc.strerror}", location, code="image")]) from None
    if st.st_size > MAX_BYTES:
        raise BuildError([error(f"image {path.name} is {st.st_size // 1024 // 1024} MB; the limit is "
                                f"{MAX_BYTES // 1024 // 1024} MB", location, code="image")])
    return st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=64)
def _prepare(key: str, path: Path, stat: tuple[int, int], width_pt: float, height_pt: float,
             location: Location | None, press: Press | None = None) -> PreparedImage:
    picture, icc = _open_picture(path, location, press)
    picture, ppi = _fit_to_frame(picture, width_pt, height_pt)
    if press is not None:
        picture = separate(picture, press, icc)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88, optimize=True, dpi=(round(ppi), round(ppi)))
    data = out.getvalue()
    ink = None
    if press is not None:  # measured on what the press gets: the decoded JPEG
        with Image.open(io.BytesIO(data)) as embedded:
            ink = max_ink(embedded)
    return PreparedImage(key, data, "image/jpeg", picture.size, ppi, ink, picture.mode)


def _open_picture(path: Path, location: Location | None, press: Press | None) -> tuple[Image.Image, Any]:
    """The decoded picture (RGB or gray; CMYK too for a press) and its ICC profile; a file that is no
    JPEG or PNG, has too many pixels or is damaged is an error naming it."""
    try:
        with warnings.catch_warnings():
            # between MAX_PIXELS and twice that Pillow only warns: refuse those too
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.format not in ALLOWED_FORMATS:
                    raise BuildError([error(f"image {path.name}: format {im.format} is not accepted "
                                            "(JPEG or PNG only)", location, code="image")])
                im.load()
                keep = ("RGB", "L", "CMYK") if press is not None else ("RGB", "L")
                return (im.convert("RGB") if im.mode not in keep else im.copy()), im.info.get("icc_profile")
    except BuildError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BuildError([error(f"image {path.name} has too many pixels (the limit is {MAX_PIXELS:,})",
                                location, code="image",
                                hint="scale the photo down, e.g. to 4000 × 3000 pixels")]) from None
    except UnidentifiedImageError:
        raise BuildError([error(f"image {path.name} is not a JPEG or PNG image (its contents are "
                                "not a picture)", location, code="image")]) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        reason = str(exc).replace(str(path), path.name) or type(exc).__name__
        raise BuildError([error(f"image {path.name} is damaged or truncated ({reason})", location,
                                code="image")]) from None


def _fit_to_frame(picture: Image.Image, width_pt: float, height_pt: float) -> tuple[Image.Image, float]:
    """Cropped (centred) to the frame's proportions, resampled to at most ``MAX_PPI`` at the placed
    size; with its effective resolution."""
    target_ratio = width_pt / height_pt
    w, h = picture.size
    if w / h > target_ratio:  # too wide: crop the sides
        new_w = round(h * target_ratio)
        box = ((w - new_w) // 2, 0, (w - new_w) // 2 + new_w, h)
    else:
        new_h = round(w / target_ratio)
        box = (0, (h - new_h) // 2, w, (h - new_h) // 2 + new_h)
    picture = picture.crop(box)
    ppi = picture.size[0] / (width_pt / 72)
    if ppi > MAX_PPI:
        size = (round(width_pt / 72 * MAX_PPI), round(height_pt / 72 * MAX_PPI))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
        ppi = picture.size[0] / (width_pt / 72)
    return picture, ppi
