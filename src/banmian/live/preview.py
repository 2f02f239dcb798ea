"""Preview: print-ready PDFs → PNG images, one per page (and one per plate for spreads).

Takes: the PDFs a build wrote (``BuildResult.outputs``: one PDF; a spread's two plates and its spread
proof), a resolution in dpi and a folder.
Gives: ``PageImage`` values — for every page of every PDF the PNG written as
``<folder>/<pdf stem>-p<N>.png`` (rendered by PDFium through pypdfium2 — twice as fast as poppler's
``pdftoppm`` on a broadsheet, which matters in ``watch`` and ``serve`` — replaced atomically so a viewer
never sees half a file), its pixel size, and where the trim box lies in it, so that positions in pt
from the trim box's top-left corner (the ``PageModel``'s coordinates) convert to image pixels.
``render_layers`` paints the same images from a build's preview layers (``banmian.export.layers``):
the picture of all but the text is kept while the boxes stay where they are (photos cost most of a
render), so a live rebuild renders only its text.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from banmian.core.atomic import write_atomic
from banmian.core.diagnostics import BuildError, error

if TYPE_CHECKING:
    from PIL.Image import Image

    from banmian.export.layers import Layers
    from banmian.pipeline import BuildResult

DEFAULT_DPI = 100
MAX_DPI = 1200
REST_BYTES = 64 * 2**20  # pictures of the rest of a page (all but its text) kept by ``render_layers``

_rest: OrderedDict[tuple[bytes, int, int], Image] = OrderedDict()  # (layers key, page, dpi) → picture


@dataclass(frozen=True)
class PageImage:
    pdf: Path
    page: int  # 1-based
    png: Path
    dpi: int
    size: tuple[int, int]  # width, height in px
    trim_origin: tuple[float, float]  # the trim box's top-left corner in the sheet, pt

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        """A point in pt from the trim box's top-left corner → pixels in the image."""
        scale = self.dpi / 72
        return (x + self.trim_origin[0]) * scale, (y + self.trim_origin[1]) * scale


def result_pdfs(result: BuildResult) -> tuple[Path, ...]:
    """Every PDF a build wrote, its ``output`` first — the PDF whose pages are the composed pages (a
    spread: the spread proof, the canvas both pages were composed on), so page image ``i`` shows
    ``result.pages[i]`` — then the others (a spread's two plates, as the printing plant gets them)."""
    first = () if result.output is None else (result.output,)
    return (*first, *(path for path in result.outputs if path != result.output))


def trim_origins(pdf: Path) -> list[tuple[float, float]]:
    """For each page, the trim box's top-left corner measured from the media box's top-left, in pt."""
    import pikepdf

    out = []
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            media = [float(v) for v in page.obj.get("/MediaBox", [0, 0, 0, 0])]
            trim = [float(v) for v in page.obj.get("/TrimBox", media)]
            out.append((trim[0] - media[0], media[3] - trim[3]))
    return out


def render_pdf(pdf: Path, folder: Path, dpi: int = DEFAULT_DPI, *,
               stem: str | None = None) -> list[PageImage]:
    """Every page of ``pdf`` as ``<folder>/<stem>-p<N>.png``; stale higher-numbered pages are removed."""
    if not 10 <= dpi <= MAX_DPI:
        raise BuildError([error(f"--dpi {dpi} is out of range (10 to {MAX_DPI})", code="usage")])
    import pypdfium2

    stem = stem or pdf.stem
    folder.mkdir(parents=True, exist_ok=True)
    origins = trim_origins(pdf)
    images = []
    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        raise BuildError([error(f"cannot render {pdf.name}: {exc}", code="tool")]) from None
    try:
        for number in range(1, len(document) + 1):
            picture = document[number - 1].render(scale=dpi / 72).to_pil()
            images.append(_page_image(picture, pdf, number, folder / f"{stem}-p{number}.png", dpi, origins))
    finally:
        document.close()
    _remove_stale(folder, stem, len(images))
    return images


def render_layers(pdf: Path, layers: Layers, folder: Path, dpi: int = DEFAULT_DPI, *,
                  stem: str | None = None) -> list[PageImage]:
    """The pages of ``pdf`` as ``render_pdf`` writes them, painted from its preview layers: the picture
    of all but the text (kept for ``layers.key``: a rebuild that moved no box renders it no more) and
    the text layer over it — a fraction of the time a render of the whole page takes with its photos."""
    import pypdfium2

    stem = stem or pdf.stem
    folder.mkdir(parents=True, exist_ok=True)
    origins = trim_origins(pdf)
    text = pypdfium2.PdfDocument(layers.text())
    rest: pypdfium2.PdfDocument | None = None
    images = []
    try:
        for number in range(1, layers.pages + 1):
            key = (layers.key, number, dpi)
            picture = _rest.get(key)
            if picture is None:
                rest = rest or pypdfium2.PdfDocument(layers.rest())
                picture = rest[number - 1].render(scale=dpi / 72).to_pil().convert("RGB")
                _rest[key] = picture
            _rest.move_to_end(key)
            while len(_rest) > 1 and sum(p.width * p.height * 3 for p in _rest.values()) > REST_BYTES:
                _rest.popitem(last=False)  # the oldest first; the page just painted stays
            glyphs = text[number - 1].render(scale=dpi / 72, fill_color=(255, 255, 255, 0)).to_pil()
            page = picture.copy()
            page.paste(glyphs.convert("RGB"), mask=glyphs.getchannel("A"))
            images.append(_page_image(page, pdf, number, folder / f"{stem}-p{number}.png", dpi, origins))
    finally:
        text.close()
        if rest is not None:
            rest.close()
    _remove_stale(folder, stem, len(images))
    return images


def _page_image(picture: Image, pdf: Path, number: int, target: Path, dpi: int,
                origins: Sequence[tuple[float, float]]) -> PageImage:
    """``picture`` written to ``target`` as PNG (atomically), described as page ``number`` of ``pdf``."""
    png = io.BytesIO()
    picture.save(png, "PNG", compress_level=1)
    write_atomic(target, png.getvalue())
    origin = origins[number - 1] if number <= len(origins) else (0.0, 0.0)
    return PageImage(pdf, number, target, dpi, picture.size, origin)


def render_pdfs(pdfs: Sequence[Path], folder: Path, dpi: int = DEFAULT_DPI,
                progress: Callable[[Path], None] | None = None) -> list[PageImage]:
    """Render several PDFs (e.g. the plates of a spread); ``progress`` is called before each."""
    images: list[PageImage] = []
    for pdf in pdfs:
        if progress is not None:
            progress(pdf)
        images.extend(render_pdf(pdf, folder, dpi))
    return images


def _remove_stale(folder: Path, stem: str, count: int) -> None:
    for old in _numbered(folder.glob(f"{stem}-p*.png"), stem):
        if old[0] > count:
            old[1].unlink(missing_ok=True)


def _numbered(paths: Iterable[Path], stem: str) -> list[tuple[int, Path]]:
    out = []
    for path in paths:
        tail = path.stem[len(stem) + 2:]
        if tail.isdigit():
            out.append((int(tail), path))
    return out
