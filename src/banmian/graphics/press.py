"""Press: the layout's print condition → colour separation of photos and the total-ink check.

Takes: a ``Layout`` (its ``print:`` section: ICC output profile, rendering intent, total ink limit,
PDF/X on or off) and, per photo, a Pillow image.
Gives: ``Press`` — the resolved CMYK output profile (bytes and description, also the PDF/X output
intent); ``separate(image, press)`` converts RGB photos to CMYK through the profile with LittleCMS
(Pillow ImageCms; the photo's own embedded profile is the source when it has one, else sRGB), keeps
grayscale photos grayscale (they print on K only) and leaves CMYK photos as they are;
``max_ink(image)`` is the highest total area coverage of any pixel, in percent.
A profile that is missing, unreadable or not an output CMYK profile is an error at the layout's
``print.profile`` line.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageCms, ImageMath

from banmian.core.diagnostics import BuildError, Location, error
from banmian.core.packagedata import package_path

if TYPE_CHECKING:
    from banmian.source.layout import Layout

DATA = package_path("banmian.graphics", "data")
INTENTS = {"perceptual": ImageCms.Intent.PERCEPTUAL, "relative": ImageCms.Intent.RELATIVE_COLORIMETRIC}
# What the output intent of the shipped profiles names (ICC characterization data registry).
CONDITIONS = {"newsprint-tr002": ("CGATS TR 002", "Coldset offset printing on newsprint (CGATS/SNAP TR 002)")}


@dataclass(frozen=True)
class Press:
    name: str  # the layout's ``print.profile`` value
    path: Path
    description: str
    intent: str
    ink_limit: float  # percent
    pdf_x: bool

    @property
    def data(self) -> bytes:
        return _read(self.path)

    @property
    def condition(self) -> tuple[str, str]:
        """(OutputConditionIdentifier, OutputCondition) for the PDF/X output intent."""
        return CONDITIONS.get(self.name, ("Custom", self.description))


@functools.lru_cache(maxsize=8)
def _read(path: Path) -> bytes:
    return path.read_bytes()


def press_for(layout: Layout, *, pdf_x: bool | None = None) -> Press:
    """The print condition of ``layout``, with its profile checked; ``pdf_x`` overrides the layout."""
    spec = layout.spec.print_
    location = layout.locate("print", "profile")
    name = spec.profile
    path = (layout.folder / name) if name.endswith((".icc", ".icm")) else DATA / f"{name}.icc"
    if not path.is_file():
        shipped = sorted(p.stem for p in DATA.glob("*.icc"))
        raise BuildError([error(f"ICC profile {name!r} not found ({path})", location, code="profile",
                                hint=f"shipped profiles: {', '.join(shipped)}; or a .icc file in the "
                                     "layout folder")])
    description = _check_profile(path, location)
    return Press(name, path, description, spec.intent, spec.ink_limit,
                 spec.pdf_x if pdf_x is None else pdf_x)


@functools.lru_cache(maxsize=8)
def _check_profile(path: Path, location: Location) -> str:
    try:
        profile = ImageCms.getOpenProfile(io.BytesIO(_read(path)))
    except (OSError, ImageCms.PyCMSError) as exc:
        raise BuildError([error(f"ICC profile {path.name} cannot be read: {exc}", location,
                                code="profile")]) from None
    raw = profile.profile
    if raw.xcolor_space.strip() != "CMYK" or raw.device_class != "prtr":
        raise BuildError([error(f"ICC profile {path.name} is not a CMYK output profile "
                                f"({raw.xcolor_space.strip()}, {raw.device_class})", location,
                                code="profile")])
    return (raw.profile_description or path.stem).strip()


@functools.lru_cache(maxsize=8)
def _transform(source: bytes | None, press_path: Path, intent: str) -> ImageCms.ImageCmsTransform:
    src = ImageCms.getOpenProfile(io.BytesIO(source)) if source else ImageCms.createProfile("sRGB")
    dst = ImageCms.getOpenProfile(io.BytesIO(_read(press_path)))
    return ImageCms.buildTransform(src, dst, "RGB", "CMYK", renderingIntent=INTENTS[intent])


def separate(picture: Image.Image, press: Press, icc: bytes | None = None) -> Image.Image:
    """``picture`` for the press: RGB → CMYK through the profile; L and CMYK unchanged."""
    if picture.mode in ("L", "CMYK"):
        return picture
    if picture.mode != "RGB":
        picture = picture.convert("RGB")
    try:
        transform = _transform(icc, press.path, press.intent)
    except ImageCms.PyCMSError:  # a broken embedded profile: treat the photo as sRGB
        transform = _transform(None, press.path, press.intent)
    result = ImageCms.applyTransform(picture, transform)
    assert result is not None
    return result


def max_ink(picture: Image.Image) -> float:
    """Highest total area coverage (C+M+Y+K) of any pixel, in percent; K only for gray."""
    if picture.mode == "L":
        darkest = picture.getextrema()[0]
        assert isinstance(darkest, (int, float))
        return 100 - darkest * 100 / 255
    if picture.mode != "CMYK":
        raise ValueError(f"not a press image: {picture.mode}")
    c, m, y, k = (band.convert("I") for band in picture.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    assert isinstance(total, Image.Image)
    top = total.getextrema()[1]
    assert isinstance(top, (int, float))
    return float(top) * 100 / 255
