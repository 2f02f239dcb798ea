"""Preflight: a PDF → what a printing plant checks before it accepts the file.

Takes: a PDF (path or bytes), the total ink limit and the resolution limits.
Gives: ``PreflightReport`` — figures (pages and their boxes, colour operators by colour space, fonts,
images with their effective resolution and highest total ink, Ghostscript's ink coverage per page,
the PDF/X claim and output intent, ``qpdf --check``) and ``Diagnostic`` values: errors for RGB or Lab
colour anywhere in the content (operators, colour spaces, images, shadings), fonts not embedded,
photos under ``MIN_PPI``, ink over the limit, rich-black text, registration marks inside the bleed,
missing or inconsistent page boxes, a PDF/X claim the file does not honour, structural damage;
warnings for photos under ``GOOD_PPI``, unsubset fonts, missing metadata.
Every content stream is parsed (pages, form XObjects, recursively) with a graphics-state stack, so
placed image sizes come from the real transformation matrix. A build passes ``ImageSource`` values keyed
by the SHA-256 of each prepared photo's JPEG (embedded as is): an image whose stream data matches is
named by its file and the content's ``file:line``, never by its PDF object name; its resolution is not
judged again (the build did, against the ``min_ppi`` the content accepted, with the hint to give).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import math
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image

from banmian.check.preflight_report import (
    FontFigure,
    ImageFigure,
    PageFigure,
    PreflightReport,
    format_json,
    format_table,
)
from banmian.core.diagnostics import Diagnostic, Location, error, info, warning
from banmian.core.units import MM
from banmian.graphics.press import max_ink

__all__ = ["FontFigure", "ImageFigure", "ImageSource", "PageFigure", "PreflightReport", "format_json",
           "format_table", "preflight", "preflight_bytes"]

MIN_PPI = 200
GOOD_PPI = 300

PDFX_VERSION = "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"  # the XMP property of a PDF/X claim
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
PROCESS = {"/DeviceCMYK": "cmyk", "/DeviceGray": "gray"}
PAINT_FILL = {"f", "F", "f*", "B", "B*", "b", "b*"}
PAINT_STROKE = {"S", "s", "B", "B*", "b", "b*"}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class ImageSource:
    """Where a photo embedded by a build comes from (its resolution was judged by the build, at this line,
    against what the content accepts: the preflight does not repeat it)."""

    name: str  # the photo's file name
    location: Location  # its ``src`` in the content file


@dataclass
class _State:
    ctm: tuple[float, float, float, float, float, float] = (1, 0, 0, 1, 0, 0)
    fill: str = "gray"
    stroke: str = "gray"
    fill_values: tuple[float, ...] = (0.0,)


@dataclass
class _Page:
    number: int
    location: Location
    ink_limit: float
    decode: bool = True  # decode images to measure their ink (a build measured them already)
    sources: dict[str, ImageSource] = field(default_factory=dict)  # SHA-256 of the stream data → photo
    placed: dict[int, ImageSource] = field(default_factory=dict)  # index in ``images`` → its photo
    colours: dict[str, int] = field(default_factory=dict)
    images: list[ImageFigure] = field(default_factory=list)
    marks: list[tuple[float, float, float, float]] = field(default_factory=list)
    diags: list[Diagnostic] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def once(self, key: str, diag: Diagnostic) -> None:
        if key not in self.seen:
            self.seen.add(key)
            self.diags.append(diag)


def preflight(path: Path, *, ink_limit: float = 240, min_ppi: float = MIN_PPI,
              good_ppi: float = GOOD_PPI) -> PreflightReport:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _broken(str(path), f"cannot read {path}: {exc.strerror}")
    return preflight_bytes(data, name=str(path), ink_limit=ink_limit, min_ppi=min_ppi, good_ppi=good_ppi)


def preflight_bytes(data: bytes, *, name: str = "document.pdf", ink_limit: float = 240,
                    min_ppi: float = MIN_PPI, good_ppi: float = GOOD_PPI, external: bool = True,
                    decode_images: bool = True, press: bool = True,
                    sources: dict[str, ImageSource] | None = None) -> PreflightReport:
    """Preflight PDF bytes. ``external``: also run qpdf and Ghostscript (seconds on a broadsheet; a
    build leaves them to ``banmian preflight``); ``decode_images``: measure each image's ink (a build
    measured its photos before embedding them); ``press``: expect bleed and a slug (a press layout);
    ``sources``: the build's photos by the SHA-256 of their JPEG bytes (see ``ImageSource``)."""
    where = Location(Path(name))
    tools: dict[str, str] = {}
    pdf, diags, coverage = _open(data, where, tools, external)
    if pdf is None:  # the last diagnostic says why
        return dataclasses.replace(_broken(name, diags[-1].message), tools=tools, diagnostics=tuple(diags))
    pages, images = _check_pages(pdf, name, coverage, diags, ink_limit=ink_limit, min_ppi=min_ppi,
                                 good_ppi=good_ppi, decode_images=decode_images, sources=sources or {})
    diags += _box_diagnostics(pages, where, press)
    fonts = _fonts(pdf, where, diags)
    claim = _pdfx_claim(pdf)
    intent = _output_intent(pdf)
    diags += _pdfx_diagnostics(pdf, claim, intent, fonts, where)
    metadata = {k: str(pdf.docinfo.get(f"/{k}", "")) for k in ("Title", "Author", "Subject", "Keywords")}
    for key in ("Title", "Author"):
        if not metadata[key]:
            diags.append(warning(f"document {key.lower()} is empty", where, code="metadata"))
    if not pages:
        diags.append(error("the PDF has no pages", where, code="pages"))
    return PreflightReport(name, str(pdf.pdf_version), claim, intent, metadata, tuple(pages), tuple(fonts),
                           tuple(images), tools, tuple(diags))


def _open(data: bytes, where: Location, tools: dict[str, str], external: bool
          ) -> tuple[Any | None, list[Diagnostic], list[tuple[float, ...]] | None]:
    """The PDF opened by pikepdf (None when it cannot be read: the last diagnostic says why), what
    ``qpdf --check`` found and Ghostscript's ink coverage per page (when ``external``)."""
    diags: list[Diagnostic] = []
    coverage = None
    with tempfile.TemporaryDirectory(prefix="banmian-preflight-") as tmp:
        copy = Path(tmp) / "check.pdf"
        if external:
            copy.write_bytes(data)
            diags += _qpdf(copy, where, tools)
        try:
            pdf = pikepdf.open(io.BytesIO(data))
        except pikepdf.PdfError as exc:
            reason = re.sub(r"^stream <[^>]*>: ", "", str(exc))
            diags.append(error(f"not a readable PDF: {reason}", where, code="pdf"))
            return None, diags, None
        if external:
            coverage = _inkcov(copy, where, tools, diags)
    return pdf, diags, coverage


def _check_pages(pdf: Any, name: str, coverage: list[tuple[float, ...]] | None, diags: list[Diagnostic],
                 *, ink_limit: float, min_ppi: float, good_ppi: float, decode_images: bool,
                 sources: dict[str, ImageSource]) -> tuple[list[PageFigure], list[ImageFigure]]:
    """Each page's content walked (colours, marks, images placed), its boxes, its images against the
    limits; the figures per page and every image."""
    pages: list[PageFigure] = []
    images: list[ImageFigure] = []
    for number, page in enumerate(pdf.pages, start=1):
        state = _Page(number, Location(Path(name), key=f"page {number}"), ink_limit, decode_images, sources)
        _walk(page.obj, page.Resources, _State(), state, pdf, depth=0)
        media, bleed, trim = _boxes(page)
        _marks_outside_bleed(state, bleed)
        for i, image in enumerate(state.images):
            _image_limits(image, state.placed.get(i), state, ink_limit, min_ppi, good_ppi)
        diags += state.diags
        images += state.images
        cov = coverage[number - 1] if coverage and len(coverage) >= number else None
        pages.append(PageFigure(number, media, bleed, trim, dict(sorted(state.colours.items())), cov,
                                tuple(tuple(round(v, 2) for v in m) for m in state.marks)))
        if "/TrimBox" not in page.obj:
            diags.append(error("no TrimBox", state.location, code="boxes"))
    return pages, images


def _marks_outside_bleed(page: _Page, bleed: tuple[float, ...]) -> None:
    for x0, y0, x1, y1 in page.marks:
        if _overlaps((x0, y0, x1, y1), bleed):
            page.once("mark-in-bleed", error(
                f"registration-colour mark at ({x0:.1f}, {y0:.1f}) pt lies inside the BleedBox",
                page.location, code="marks", hint="crop marks belong in the slug, outside the bleed"))


def _broken(name: str, message: str) -> PreflightReport:
    return PreflightReport(name, "", None, None, {}, (), (), (), {},
                           (error(message, Location(Path(name)), code="pdf"),))


# --- content streams -----------------------------------------------------------------------------

def _mul(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, float, float, float, float, float]:
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


SPACE_FAMILIES = {"/DeviceN": "devicen", "/CalRGB": "rgb", "/Lab": "lab", "/CalGray": "gray",
                  "/Pattern": "pattern"}


def _space_kind(space: Any, resources: Any) -> str:
    """A colour space (name or array) → cmyk, gray, registration, spot, pattern, icc-cmyk, rgb, lab…"""
    if isinstance(space, pikepdf.Name):
        return _named_space_kind(str(space), resources)
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        family = str(space[0])
        if family == "/ICCBased":
            n = int(space[1].get("/N", 0))
            return {1: "icc-gray", 3: "rgb", 4: "icc-cmyk"}.get(n, "icc")
        if family == "/Separation":
            return "registration" if str(space[1]) == "/All" else "spot"
        if family == "/Indexed":
            return _space_kind(space[1], resources)
        return SPACE_FAMILIES.get(family, "unknown")
    return "unknown"


def _named_space_kind(name: str, resources: Any) -> str:
    """A colour space by name: a device space, or one the resources' ``/ColorSpace`` names."""
    if name in PROCESS:
        return PROCESS[name]
    if name == "/Pattern":
        return "pattern"
    if name in ("/DeviceRGB", "/CalRGB"):
        return "rgb"
    named = resources.get("/ColorSpace", {}).get(name) if resources is not None else None
    return _space_kind(named, None) if named is not None else f"unknown {name}"


def _walk(stream: Any, resources: Any, start: _State, page: _Page, pdf: Any, depth: int) -> None:
    """Every operator of a content stream (a page's, or a form's ``depth`` forms down) in order, with
    the graphics state the operators before it set."""
    if depth > 12:
        return
    try:
        instructions = pikepdf.parse_content_stream(stream)
    except pikepdf.PdfError as exc:
        page.diags.append(error(f"content stream cannot be parsed: {exc}", page.location, code="pdf"))
        return
    walker = _Walker(resources, _State(start.ctm, start.fill, start.stroke, start.fill_values), page, pdf,
                     depth)
    for ins in instructions:
        op = str(ins.operator)
        handle = OPERATORS.get(op)
        if handle is not None:
            handle(walker, op, list(ins.operands) if op != "INLINE IMAGE" else [])


class _Walker:
    """One content stream's graphics state (a ``q``/``Q`` stack, the current path) and, per group of
    operators, what preflight records of it on the ``_Page``."""

    def __init__(self, resources: Any, state: _State, page: _Page, pdf: Any, depth: int):
        self.resources, self.st, self.page, self.pdf, self.depth = resources, state, page, pdf, depth
        self.stack: list[_State] = []
        self.path: list[tuple[float, float]] = []

    def graphics_state(self, op: str, args: list[Any]) -> None:
        st = self.st
        if op == "q":
            self.stack.append(_State(st.ctm, st.fill, st.stroke, st.fill_values))
        elif op == "Q":
            if self.stack:
                self.st = self.stack.pop()
        else:  # cm
            st.ctm = _mul(tuple(float(v) for v in args), st.ctm)

    def rgb(self, op: str, args: list[Any]) -> None:
        page = self.page
        page.colours["rgb"] = page.colours.get("rgb", 0) + 1
        page.once(f"op-{op}", error(f"RGB colour operator '{' '.join(str(a) for a in args)} {op}' "
                                    "in the page content", page.location, code="colour",
                                    hint="declare every colour as device-cmyk() in the layout"))
        if op == "rg":
            self.st.fill = "rgb"

    def device_colour(self, op: str, args: list[Any]) -> None:
        kind = "gray" if op in ("g", "G") else "cmyk"
        self.page.colours[kind] = self.page.colours.get(kind, 0) + 1
        if op.islower():
            self.st.fill, self.st.fill_values = kind, tuple(float(a) for a in args)
            _check_fill_ink(self.st, self.page)
        else:
            self.st.stroke = kind

    def colour_space(self, op: str, args: list[Any]) -> None:
        kind = _space_kind(args[0], self.resources)
        if op == "cs":
            self.st.fill = kind
        else:
            self.st.stroke = kind
        _check_space(kind, op, self.page)

    def colour_values(self, op: str, args: list[Any]) -> None:
        kind = self.st.fill if op.islower() else self.st.stroke
        self.page.colours[kind] = self.page.colours.get(kind, 0) + 1
        if op.islower():
            self.st.fill_values = tuple(float(a) for a in args if not isinstance(a, pikepdf.Name))
            _check_fill_ink(self.st, self.page)

    def path_segment(self, op: str, args: list[Any]) -> None:
        ctm, coords = self.st.ctm, [float(a) for a in args]
        if op == "re":
            x, y, w, h = coords
            self.path += [_apply(ctm, x, y), _apply(ctm, x + w, y + h)]
        else:  # m, l, c, v, y
            self.path += [_apply(ctm, coords[i], coords[i + 1]) for i in range(0, len(coords), 2)]

    def paint(self, op: str, args: list[Any]) -> None:
        """A path painted in the registration colour is a mark (its box is kept); the path ends."""
        st, path = self.st, self.path
        registration = (op in PAINT_FILL and st.fill == "registration") or (
            op in PAINT_STROKE and st.stroke == "registration")
        if registration and path:
            xs, ys = [p[0] for p in path], [p[1] for p in path]
            self.page.marks.append((min(xs), min(ys), max(xs), max(ys)))
        self.path = []

    def text(self, op: str, args: list[Any]) -> None:
        _check_text(self.st, self.page)

    def shading(self, op: str, args: list[Any]) -> None:
        shading = self.resources.get("/Shading", {}).get(str(args[0]))
        if shading is not None:
            _check_space(_space_kind(shading.get("/ColorSpace"), self.resources), "sh", self.page)

    def inline_image(self, op: str, args: list[Any]) -> None:
        self.page.once("inline", warning("inline image in the content stream", self.page.location,
                                         code="image"))

    def xobject(self, op: str, args: list[Any]) -> None:
        _do(args[0], self.resources, self.st, self.page, self.pdf, self.depth)


OPERATORS: dict[str, Callable[[_Walker, str, list[Any]], None]] = {
    **dict.fromkeys(("q", "Q", "cm"), _Walker.graphics_state),
    **dict.fromkeys(("rg", "RG"), _Walker.rgb),
    **dict.fromkeys(("g", "G", "k", "K"), _Walker.device_colour),
    **dict.fromkeys(("cs", "CS"), _Walker.colour_space),
    **dict.fromkeys(("sc", "scn", "SC", "SCN"), _Walker.colour_values),
    **dict.fromkeys(("re", "m", "l", "c", "v", "y"), _Walker.path_segment),
    **dict.fromkeys((*PAINT_FILL, *PAINT_STROKE, "n"), _Walker.paint),
    **dict.fromkeys(TEXT_SHOW, _Walker.text),
    "sh": _Walker.shading,
    "INLINE IMAGE": _Walker.inline_image,
    "Do": _Walker.xobject,
}


def _check_space(kind: str, op: str, page: _Page) -> None:
    if kind in ("rgb", "lab", "unknown") or kind.startswith("unknown"):
        page.once(f"space-{kind}", error(f"{kind.upper()} colour space set by '{op}' in the page content",
                                         page.location, code="colour",
                                         hint="everything on a press page is CMYK or gray"))
    elif kind in ("icc-cmyk", "icc-gray", "spot", "devicen"):
        page.once(f"space-{kind}", warning(f"{kind} colour in the page content (not device CMYK/gray)",
                                           page.location, code="colour"))


def _check_fill_ink(st: _State, page: _Page) -> None:
    if st.fill == "cmyk" and len(st.fill_values) == 4:
        total = sum(st.fill_values) * 100
        if total > page.ink_limit + 0.01:
            page.once(f"ink-{st.fill_values}", error(
                f"fill colour {' '.join(f'{v:g}' for v in st.fill_values)} has {total:.0f} % total ink "
                f"(limit {page.ink_limit:.0f} %)", page.location, code="ink"))


def _check_text(st: _State, page: _Page) -> None:
    if st.fill == "cmyk" and len(st.fill_values) == 4:
        c, m, y, k = st.fill_values
        if k >= 0.8 and c + m + y > 0:
            page.once(f"rich-{st.fill_values}", error(
                f"rich-black text ({c:g} {m:g} {y:g} {k:g}): type must be pure K", page.location,
                code="colour", hint="black type is device-cmyk(0 0 0 1)"))
    elif st.fill in ("rgb", "lab"):
        page.once("text-rgb", error("text drawn in RGB", page.location, code="colour"))


def _do(name: Any, resources: Any, st: _State, page: _Page, pdf: Any, depth: int) -> None:
    xobject = resources.get("/XObject", {}).get(str(name)) if resources is not None else None
    if xobject is None:
        page.diags.append(error(f"missing XObject {name}", page.location, code="pdf"))
        return
    subtype = str(xobject.get("/Subtype"))
    if subtype == "/Form":
        matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
        inner = _State(_mul(matrix, st.ctm), st.fill, st.stroke, st.fill_values)
        group = xobject.get("/Group")
        if group is not None and "/CS" in group:
            _check_space(_space_kind(group.CS, resources), "transparency group", page)
        _walk(xobject, xobject.get("/Resources", resources), inner, page, pdf, depth + 1)
        return
    if subtype != "/Image":
        return
    kind = _space_kind(xobject.get("/ColorSpace"), resources) if "/ColorSpace" in xobject else "mask"
    w_px, h_px = int(xobject.Width), int(xobject.Height)
    a, b, c, d = st.ctm[:4]
    w_pt, h_pt = math.hypot(a, b), math.hypot(c, d)
    ppi = min(w_px / (w_pt / 72), h_px / (h_pt / 72)) if w_pt > 0 and h_pt > 0 else 0.0
    ink = _image_ink(xobject) if kind in ("cmyk", "gray") and page.decode else None
    source = page.sources.get(hashlib.sha256(xobject.read_raw_bytes()).hexdigest()) if page.sources else None
    page.images.append(ImageFigure(page.number, str(name), kind, (w_px, h_px),
                                   (round(w_pt / MM, 1), round(h_pt / MM, 1)), round(ppi, 1), ink,
                                   source.name if source else None))
    if source is not None:
        page.placed[len(page.images) - 1] = source
    if "/SMask" in xobject:
        page.once(f"smask-{name}", warning(f"image {source.name if source else name} has a soft mask "
                                           "(transparency)", source.location if source else page.location,
                                           code="image"))


def _image_ink(xobject: Any) -> float | None:
    try:
        picture = pikepdf.PdfImage(xobject).as_pil_image()
    except Exception:  # an image pikepdf cannot decode is reported by the colour-space check
        return None
    if picture.mode == "1":
        return 100.0
    if picture.mode == "CMYK" and list(xobject.get("/Decode", [])) == [1, 0] * 4 \
            and "/DCTDecode" not in str(xobject.get("/Filter")):
        picture = Image.eval(picture, lambda v: 255 - v)
    return round(max_ink(picture), 1) if picture.mode in ("CMYK", "L") else None


def _image_limits(image: ImageFigure, source: ImageSource | None, page: _Page, ink_limit: float,
                  min_ppi: float, good_ppi: float) -> None:
    size = f"{image.pixels[0]}×{image.pixels[1]} px placed at {image.placed_mm[0]}×{image.placed_mm[1]} mm"
    label, where = f"image {image.name} ({size})", page.location
    if source is not None:  # a build's photo: named by its file, at its line in the content
        label, where = f"photo {source.name} on page {image.page} ({size})", source.location
    if image.colorspace not in ("cmyk", "gray", "mask"):
        page.diags.append(error(f"{label} is {image.colorspace.upper()}, not CMYK or gray", where,
                                code="colour", hint="convert photos with the press profile"))
    if source is None:  # a build's own photo was judged by the build, at its line (``photo_diagnostics``)
        _resolution(image, label, where, page, min_ppi, good_ppi)
    if image.ink is not None and image.ink > ink_limit + 0.5:
        page.diags.append(error(f"{label}: total ink {image.ink:.0f} % over the limit of "
                                f"{ink_limit:.0f} %", where, code="ink"))


def _resolution(image: ImageFigure, label: str, where: Location, page: _Page, min_ppi: float,
                good_ppi: float) -> None:
    if image.ppi < min_ppi - 0.5:
        page.diags.append(error(f"{label}: effective resolution {image.ppi:.0f} ppi, under {min_ppi:.0f}",
                                where, code="resolution", hint="supply a larger photo"))
    elif image.ppi < good_ppi - 0.5:  # resampled to exactly 300 ppi: rounding is no defect
        page.diags.append(warning(f"{label}: effective resolution {image.ppi:.0f} ppi, under "
                                  f"{good_ppi:.0f}", where, code="resolution"))


# --- boxes, fonts, PDF/X -------------------------------------------------------------------------

def _box(page: Any, key: str, default: tuple[float, ...]) -> tuple[float, ...]:
    box = page.obj.get(key)
    if box is None:
        return default
    x0, y0, x1, y1 = (float(v) for v in box)
    return (round(min(x0, x1), 3), round(min(y0, y1), 3), round(max(x0, x1), 3), round(max(y0, y1), 3))


def _boxes(page: Any) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    media = _box(page, "/MediaBox", (0, 0, 0, 0))
    crop = _box(page, "/CropBox", media)
    bleed = _box(page, "/BleedBox", crop)
    return media, bleed, _box(page, "/TrimBox", crop)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (inner[0] >= outer[0] - 0.01 and inner[1] >= outer[1] - 0.01 and inner[2] <= outer[2] + 0.01
            and inner[3] <= outer[3] + 0.01)


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether box ``a`` reaches into box ``b`` by more than 0.01 pt."""
    return a[2] > b[0] + 0.01 and a[0] < b[2] - 0.01 and a[3] > b[1] + 0.01 and a[1] < b[3] - 0.01


def _box_diagnostics(pages: list[PageFigure], where: Location, press: bool = True) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for p in pages:
        loc = Location(where.file, key=f"page {p.number}")
        if not _inside(p.trim, p.bleed) or not _inside(p.bleed, p.media):
            diags.append(error("page boxes are not nested (TrimBox ⊆ BleedBox ⊆ MediaBox)", loc,
                               code="boxes"))
        elif press and p.media == p.bleed:
            diags.append(warning("MediaBox equals BleedBox: no slug for crop marks outside the bleed", loc,
                                 code="boxes"))
        bleed = min(p.trim[0] - p.bleed[0], p.trim[1] - p.bleed[1], p.bleed[2] - p.trim[2],
                    p.bleed[3] - p.trim[3])
        if press and bleed < 2 * MM - 0.01:
            diags.append(warning(f"bleed is {bleed / MM:.1f} mm (at least 2 mm expected)", loc, code="boxes"))
    sizes = {(round(p.trim[2] - p.trim[0], 1), round(p.trim[3] - p.trim[1], 1)) for p in pages}
    if len(sizes) > 1:
        diags.append(error(f"pages have {len(sizes)} different trim sizes", where, code="boxes"))
    return diags


def _fonts(pdf: Any, where: Location, diags: list[Diagnostic]) -> list[FontFigure]:
    found: dict[str, FontFigure] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != pikepdf.Name.Font:
            continue
        subtype = str(obj.get("/Subtype"))
        if subtype in ("/CIDFontType0", "/CIDFontType2"):
            continue  # described through their Type0 parent
        name = str(obj.get("/BaseFont", "(Type3)"))[1:] if subtype != "/Type3" else "(Type3)"
        descriptor_owner = obj.DescendantFonts[0] if subtype == "/Type0" else obj
        fd = descriptor_owner.get("/FontDescriptor")
        embedded = subtype == "/Type3" or (fd is not None and any(
            k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")))
        figure = FontFigure(name, subtype[1:], embedded, subtype == "/Type3" or bool(SUBSET_TAG.match(name)))
        found[name] = figure
    for f in found.values():
        if not f.embedded:
            diags.append(error(f"font {f.name} is not embedded", where, code="font",
                               hint="the press does not have your fonts: embed every font"))
        elif not f.subset:
            diags.append(warning(f"font {f.name} is embedded whole, not subset", where, code="font"))
    return sorted(found.values(), key=lambda f: f.name)


def _pdfx_claim(pdf: Any) -> str | None:
    claim = pdf.docinfo.get("/GTS_PDFXVersion")
    if claim is not None:
        return str(claim)
    if pdf.Root.get("/Metadata") is None:
        return None
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            found = xmp.get(PDFX_VERSION)
    except Exception:  # any unreadable XMP packet (untrusted file) is "no claim", reported as such
        return None
    return str(found) if found else None


def _output_intent(pdf: Any) -> str | None:
    for intent in pdf.Root.get("/OutputIntents", []):
        if intent.get("/S") == pikepdf.Name("/GTS_PDFX"):
            return f"{intent.get('/OutputConditionIdentifier', '')} ({intent.get('/Info', '')})"
    return None


def _pdfx_diagnostics(pdf: Any, claim: str | None, intent: str | None, fonts: list[FontFigure],
                      where: Location) -> list[Diagnostic]:
    if claim is None:
        return [info("the file makes no PDF/X claim", where, code="pdfx")]
    diags: list[Diagnostic] = []
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == pikepdf.Name("/GTS_PDFX")]
    if not intents:
        diags.append(error(f"claims {claim} but has no GTS_PDFX output intent", where, code="pdfx"))
    for i in intents:
        profile = i.get("/DestOutputProfile")
        if profile is None or int(profile.get("/N", 0)) != 4:
            diags.append(error(f"claims {claim} but the output intent has no CMYK profile", where,
                               code="pdfx"))
    if str(pdf.docinfo.get("/Trapped", "")) not in ("/True", "/False"):
        diags.append(error(f"claims {claim} but /Trapped is not True or False", where, code="pdfx"))
    if "/ID" not in pdf.trailer:
        diags.append(error(f"claims {claim} but the trailer has no /ID", where, code="pdfx"))
    if not pdf.docinfo.get("/Title"):
        diags.append(error(f"claims {claim} but has no Title", where, code="pdfx"))
    version = tuple(int(v) for v in str(pdf.pdf_version).split("."))
    limit = (1, 4) if "X-1" in claim else (1, 6)
    if version > limit:
        diags.append(error(f"claims {claim} but is PDF {pdf.pdf_version}", where, code="pdfx"))
    if "X-1" in claim and any(f.subtype == "Type0" for f in fonts) and version > (1, 4):
        diags.append(error(f"claims {claim} with fonts that need PDF 1.6", where, code="pdfx"))
    return diags


# --- independent tools ---------------------------------------------------------------------------

def _qpdf(path: Path, where: Location, tools: dict[str, str]) -> list[Diagnostic]:
    exe = shutil.which("qpdf")
    if exe is None:
        tools["qpdf"] = "not installed"
        return [warning("qpdf is not installed: structural check skipped", where, code="qpdf")]
    run = subprocess.run([exe, "--check", str(path)], capture_output=True, text=True, timeout=120,
                         check=False)
    tools["qpdf"] = {0: "ok", 3: "warnings"}.get(run.returncode, "errors")
    if run.returncode == 0:
        return []
    detail = " ".join((run.stderr or run.stdout).split())[:300]
    make = error if run.returncode == 2 else warning
    return [make(f"qpdf --check: {detail}", where, code="qpdf")]


def _inkcov(path: Path, where: Location, tools: dict[str, str],
            diags: list[Diagnostic]) -> list[tuple[float, ...]] | None:
    exe = shutil.which("gs")
    if exe is None:
        tools["ghostscript"] = "not installed"
        diags.append(warning("Ghostscript is not installed: ink coverage not measured", where, code="inkcov"))
        return None
    run = subprocess.run([exe, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-r72", "-sDEVICE=inkcov",
                          "-o", "-", str(path)], capture_output=True, text=True, timeout=300, check=False)
    rows = [[float(v) * 100 for v in line.split()[:4]] for line in run.stdout.splitlines()
            if line.strip().endswith("CMYK OK")]
    if run.returncode != 0 or not rows:
        tools["ghostscript"] = "failed"
        diags.append(warning(f"Ghostscript inkcov failed: {run.stderr.strip()[:200]}", where, code="inkcov"))
        return None
    tools["ghostscript"] = "ok"
    return [tuple(round(v, 2) for v in row) for row in rows]
