"""Press: the layout's print condition → colour separation of photos and the total-ink check.

Takes: a ``Layout`` (its ``print:`` section: ICC output profile, rendering intent, total ink limit,
PDF/X on or off) and, per photo, a Pillow image.
Gives: ``Press`` — the resolved CMYK output profile (bytes and description, also the PDF/X output
intent), the ink limit and the paper colour (the layout's ``paper`` colour, else white);
``separate(image, press)`` converts RGB photos to CMYK through the profile with LittleCMS (Pillow
ImageCms; the photo's own embedded profile is the source when it has one, else sRGB), converts CMYK
photos that carry another CMYK profile from it into the press profile (relative colorimetric with black
point compensation, the print-to-print convention; perceptual tables gamut-mapped from sRGB would lighten
a print's black); a CMYK photo without a profile, or with the press's own, is taken to be in the press's
CMYK already (no CMYK profile with a licence that allows shipping it is at hand, and guessing SWOP or
FOGRA would shift its colours as much as it corrects them; the ink limit still applies),
and keeps grayscale photos grayscale (they print on K only); ``on_paper`` flattens transparency onto the
paper colour in the press's space (transparent areas take no ink on white paper);
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
    paper: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # CMYK percent: transparency's colour

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
    paper = layout.spec.colors.get("paper", (0.0, 0.0, 0.0, 0.0))
    return Press(name, path, description, spec.intent, spec.ink_limit,
                 spec.pdf_x if pdf_x is None else pdf_x, tuple(float(v) for v in paper))  # type: ignore[arg-type]


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
def _transform(source: bytes | None, press_path: Path, intent: str, mode: str) -> ImageCms.ImageCmsTransform:
    src = ImageCms.getOpenProfile(io.BytesIO(source)) if source else ImageCms.createProfile("sRGB")
    dst = ImageCms.getOpenProfile(io.BytesIO(_read(press_path)))
    if mode == "CMYK":  # print to print
        return ImageCms.buildTransform(src, dst, mode, "CMYK",
                                       renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                       flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    return ImageCms.buildTransform(src, dst, mode, "CMYK", renderingIntent=INTENTS[intent])


def separate(picture: Image.Image, press: Press, icc: bytes | None = None) -> Image.Image:
    """``picture`` in the press's CMYK: RGB through the profile; CMYK from its own profile (``icc``)
    into the press's, or unchanged without one (or with the press's); L unchanged (K only)."""
    if picture.mode == "L" or (picture.mode == "CMYK" and (not icc or icc == press.data)):
        return picture
    mode = "CMYK" if picture.mode == "CMYK" else "RGB"
    picture = picture if picture.mode == mode else picture.convert(mode)
    try:
        transform = _transform(icc, press.path, press.intent, mode)
    except ImageCms.PyCMSError:  # a broken or mismatched embedded profile: sRGB, or CMYK as it is
        if mode == "CMYK":
            return picture
        transform = _transform(None, press.path, press.intent, mode)
    result = ImageCms.applyTransform(picture, transform)
    assert result is not None
    return result


def on_paper(picture: Image.Image, alpha: Image.Image | None, paper: tuple[float, ...]) -> Image.Image:
    """``picture`` (L, CMYK, or RGB without a press) with its transparency flattened onto the paper
    colour (CMYK percent; RGB pictures onto white). A gray picture on white or gray paper stays gray."""
    if alpha is None:
        return picture
    c, m, y, k = (round(v * 255 / 100) for v in paper)
    if picture.mode == "RGB":
        ground = Image.new("RGB", picture.size, (255, 255, 255))
    elif picture.mode == "L" and c == m == y == 0:
        ground = Image.new("L", picture.size, 255 - k)
    else:
        if picture.mode == "L":  # gray on tinted paper: K only, beside the paper's C, M, Y
            zero = Image.new("L", picture.size, 0)
            picture = Image.merge("CMYK", (zero, zero, zero, picture.point(lambda v: 255 - v)))
        ground = Image.new("CMYK", picture.size, (c, m, y, k))
    return Image.composite(picture, ground, alpha)


def max_ink(picture: Image.Image) -> float:
    """Highest total area coverage (C+M+Y+K) of any pixel, in percent; K only for gray."""
    if picture.mode == "L":
        darkest = picture.getextrema()[0]
        assert isinstance(darkest, (int, float))
        return 100 - darkest * 100 / 255
    if picture.mode != "CMYK":
        raise ValueError(f"not a press image: {picture.mode}")
    c, m, y, k = (band.convert("I") for band in picture.split())  # 32-bit: the sum does not clip
    total = ImageMath.lambda_eval(lambda v: v["c"] + v["m"] + v["y"] + v["k"], c=c, m=m, y=y, k=k)
    assert isinstance(total, Image.Image)
    highest = total.getextrema()[1]
    assert isinstance(highest, (int, float))
    return float(highest) * 100 / 255
