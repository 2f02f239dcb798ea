"""Picture sizes: how wide and high a photo of the content is, read from its file's header only.

Takes: the path of an image the content names.
Gives: its size in pixels as it is seen — width and height swapped when its EXIF orientation turns it by
a quarter — so that composition can give it a frame of its shape (portrait, landscape, wide); ``None``
when the file cannot be read as a picture (the graphics stage reports that, at the content's line).
Only the header is read (Pillow opens lazily); the answer is kept per file state (modification time and
size), so a rebuild after a text edit reads nothing again.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

from PIL import Image

EXIF_ORIENTATION = 0x0112
QUARTER_TURNS = {5, 6, 7, 8}  # EXIF orientations that show the stored pixels turned by 90°


def picture_size(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return _size(path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=256)
def _size(path: Path, mtime_ns: int, size: int) -> tuple[int, int] | None:
    del mtime_ns, size  # the cache key: a changed file is read again
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # graphics refuses it, not here
            with Image.open(path) as im:
                width, height = im.size
                turned = im.getexif().get(EXIF_ORIENTATION) in QUARTER_TURNS
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return None
    if width <= 0 or height <= 0:
        return None
    return (height, width) if turned else (width, height)
