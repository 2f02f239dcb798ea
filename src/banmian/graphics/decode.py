"""Decode: a picture file as editors bring it → upright pixels in one of the modes the press stage reads.

Takes: a photo path, where the content names it, and how small the picture may be decoded for the
frame it fills (JPEG's DCT scaling makes a 12-megapixel phone photo placed small cheap to decode).
Gives: ``Decoded`` — the picture turned upright by its EXIF orientation (all eight values, before
anything else), in mode RGB, L or CMYK (16-bit and 1-bit pictures scaled to 8 bits, palettes
expanded), its alpha apart (``None`` when every pixel is opaque), its ICC profile, and warnings in the
editor's terms (a GIF printed from its first frame). Accepted formats: JPEG (baseline, progressive,
CMYK; phones' MPO too), PNG, HEIC/HEIF (pillow-heif), WebP, TIFF, GIF. Anything else, damaged files and
pictures with too many pixels are errors naming the file and its ``file:line`` in the content.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from banmian.core.diagnostics import BuildError, Location, error
from banmian.source.model import IMAGE_FORMATS

MAX_PIXELS = 60_000_000
MAX_BYTES = 40 * 1024 * 1024
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's decompression-bomb guard, on and explicit
READ_AS = {"MPO": "JPEG"}  # a phone's JPEG with a depth map or preview opens as MPO: its first frame
ACCEPTED = ", ".join(IMAGE_FORMATS)
WITH_ALPHA = {"PA": "RGBA", "RGBa": "RGBA", "La": "LA"}


@dataclass(frozen=True)
class Decoded:
    picture: Image.Image  # RGB, L or CMYK, upright
    alpha: Image.Image | None  # L, same size; None: opaque
    icc: bytes | None
    orientation: int  # the EXIF orientation the file carried (1 = none)
    notes: tuple[str, ...] = ()  # warnings for the editor


def decode(path: Path, location: Location | None,
           scale_for: Callable[[int, int], float] | None = None) -> Decoded:
    """``path`` decoded upright; ``scale_for(width, height)`` of the upright picture (≤ 1): how much
    smaller it may come out (JPEG only, never smaller than that)."""
    _check_size(path, location)
    _open_heif()
    try:
        with warnings.catch_warnings():
            # between MAX_PIXELS and twice that Pillow only warns: refuse those too
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                return _decoded(im, path, location, scale_for)
    except BuildError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BuildError([error(f"image {path.name} has too many pixels (the limit is {MAX_PIXELS:,})",
                                location, code="image",
                                hint="scale the photo down, e.g. to 4000 × 3000 pixels")]) from None
    except UnidentifiedImageError:
        raise BuildError([error(f"image {path.name} is not a picture banmian reads (accepted: {ACCEPTED})",
                                location, code="image",
                                hint="open it in an image editor and save it as JPEG or PNG")]) from None
    except (OSError, SyntaxError, ValueError, EOFError, RuntimeError) as exc:
        reason = str(exc).replace(str(path), path.name) or type(exc).__name__
        raise BuildError([error(f"image {path.name} is damaged or truncated ({reason})", location,
                                code="image")]) from None


@functools.cache
def _open_heif() -> None:
    """HEIC/HEIF (iPhone photos) through Pillow, which applies their rotation; registered when a picture
    is first decoded (a build whose photos all come from the image cache does not load pillow-heif)."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def _check_size(path: Path, location: Location | None) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BuildError([error(f"image {path.name}: {exc.strerror}", location, code="image")]) from None
    if size > MAX_BYTES:
        raise BuildError([error(f"image {path.name} is {size // 1024 // 1024} MB; the limit is "
                                f"{MAX_BYTES // 1024 // 1024} MB", location, code="image")])


def _decoded(im: Image.Image, path: Path, location: Location | None,
             scale_for: Callable[[int, int], float] | None) -> Decoded:
    kind = READ_AS.get(im.format or "", im.format)
    if kind not in IMAGE_FORMATS:
        raise BuildError([error(f"image {path.name}: format {im.format} is not accepted (accepted: "
                                f"{ACCEPTED})", location, code="image",
                                hint="open it in an image editor and save it as JPEG or PNG")])
    notes = []
    frames = getattr(im, "n_frames", 1)
    if kind == "GIF":
        notes.append(f"{path.name} is a GIF (256 colours at most): printed from its first frame"
                     + (f" of {frames}" if frames > 1 else "") + "; a JPEG or PNG prints better")
    elif frames > 1 and kind != "JPEG":
        notes.append(f"{path.name} holds {frames} pictures: the first is printed")
    orientation = int(im.getexif().get(0x0112, 1) or 1)
    if kind == "JPEG" and scale_for is not None:
        stored = (im.height, im.width) if orientation in (5, 6, 7, 8) else im.size
        scale = scale_for(*stored)
        if scale < 1:
            im.draft(im.mode, (math.ceil(im.width * scale), math.ceil(im.height * scale)))
    im.load()
    icc = im.info.get("icc_profile") or None
    upright = ImageOps.exif_transpose(im) if orientation != 1 else im.copy()
    picture, alpha = _press_mode(upright)
    return Decoded(picture, alpha, icc if picture.mode != "L" else None,
                   orientation if 1 <= orientation <= 8 else 1, tuple(notes))


def _press_mode(im: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """RGB, L or CMYK pixels and the alpha apart (None when opaque): 16-bit scaled to 8 (not clipped),
    1-bit as gray, palettes expanded (their transparent entry becomes alpha)."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        return _eight_bit_gray(im), None
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    elif im.mode in WITH_ALPHA:
        im = im.convert(WITH_ALPHA[im.mode])
    if im.mode in ("RGBA", "LA"):
        alpha = im.getchannel("A")
        base = im.convert("RGB" if im.mode == "RGBA" else "L")
        opaque = alpha.getextrema()[0] == 255
        return base, None if opaque else alpha
    if im.mode not in ("RGB", "L", "CMYK"):  # 1-bit → L; YCbCr, LAB, HSV, RGBX → RGB
        return im.convert("L" if im.mode == "1" else "RGB"), None
    return im, None


def _eight_bit_gray(im: Image.Image) -> Image.Image:
    """A 16-bit (or 32-bit) gray picture at 8 bits: 0…65535 → 0…255 (Pillow's ``convert`` clips)."""
    import numpy as np  # loaded by the pictures decoded anew only (see ``_open_heif``)

    values = np.asarray(im, dtype=np.float64)
    top = 1.0 if im.mode == "F" and values.max(initial=0) <= 1.0 else 65535.0
    return Image.fromarray(np.clip(np.rint(values * 255.0 / top), 0, 255).astype(np.uint8))
