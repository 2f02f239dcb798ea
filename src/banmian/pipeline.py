"""The build pipeline: content file → print-ready PDF, gathering everything before writing anything.

Takes: a content path, ``BuildOptions`` and a ``World``.
Gives: ``compose`` → ``Composed`` (the document, the composed pages, every composition diagnostic);
``finish(composed)`` → ``BuildResult`` — the composed pages, every diagnostic, timings, and the PDFs
written atomically; ``build`` is the two in a row (a warm session composes once and finishes that).
Stages, each in its own package: source (load) → compose → graphics (photos separated for the layout's
press) → render → export → check (preflight, on the PDF bytes). Nothing is written while any error stands
(overset and preflight errors included); ``proof`` writes a marked proof beside the output.
Module layouts compose one page (``compose.page``; a spread is one canvas, ``compose.spread``, written as
two plates and a spread proof by ``export.plates``); flow layouts as many pages as needed
(``compose.flow``). One finish step serves both: only the printing differs (``print_pages``,
``print_spread``).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from banmian.check.preflight import MIN_PPI, ImageSource, PreflightReport, preflight_bytes
from banmian.compose.bands import fit_banner
from banmian.compose.boxes import Figure
from banmian.compose.fit import autofit, fit_diagnostics, underset_diagnostics
from banmian.compose.flow import compose_flow
from banmian.compose.folio import with_page_numbers
from banmian.compose.page import Composer, PageModel, compose_page
from banmian.compose.placement import hints_without_effect, place, realize
from banmian.compose.printcheck import print_diagnostics
from banmian.compose.reprint import keep_modules
from banmian.compose.spread import finish_spread
from banmian.core.diagnostics import (
    ACCEPTED_LOW_RES,
    BuildError,
    Diagnostic,
    Location,
    Severity,
    error,
    has_errors,
    info,
    warning,
)
from banmian.export.frames import frames
from banmian.export.glyphs import plan_fonts
from banmian.export.layers import Layers, layers_of
from banmian.export.pdf import pdf_bytes, sheet_for
from banmian.export.plates import render_spread, spread_paths
from banmian.export.targets import target_errors, targets, write_target
from banmian.graphics.framing import Framing
from banmian.graphics.imagecache import cached_image
from banmian.graphics.photos import PreparedImage
from banmian.graphics.press import Press, press_for
from banmian.render.html import DocInfo, build_html
from banmian.source.layout import Layout
from banmian.source.load import Document, load
from banmian.source.model import LOWEST_MIN_PPI, ImageRef
from banmian.source.world import World

if TYPE_CHECKING:
    from banmian.render.fetch import Origin, Roots


@dataclass(frozen=True)
class BuildOptions:
    layout: str | None = None
    output: Path | None = None
    proof: bool = False
    strict: bool = False
    fit: bool = False  # bounded auto-fit (also on when the layout says ``fit: {auto: true}``)
    pdf_x: bool | None = None  # PDF/X-4 output; None: as the layout's ``print.pdf_x`` says
    accept_low_res: bool = False  # photos under MIN_PPI print with a warning (else an error)
    place: str | None = None  # "auto" or "fixed"; None: as the layout's ``placement`` says
    # each article's box on the page printed before (id, (x, y, w, h) pt: ``build --compare``'s PDF, the
    # live session's last page): automatic placement keeps those modules while the content fits them
    previous: tuple[tuple[str, tuple[float, float, float, float]], ...] = ()


@dataclass(frozen=True)
class BuildResult:
    output: Path | None
    proof: Path | None
    pages: tuple[PageModel, ...]
    diagnostics: tuple[Diagnostic, ...]
    timings: dict[str, float] = field(default_factory=dict)
    outputs: tuple[Path, ...] = ()  # every file written (a spread: two plates and the spread proof)
    preflight: PreflightReport | None = None
    layers: tuple[Layers, ...] = ()  # each output as preview layers (``banmian.export.layers``)

    @property
    def ok(self) -> bool:
        return self.output is not None


def default_output(content: Path, root: Path) -> Path:
    return root / "output" / f"{content.stem}.pdf"


def doc_info(doc: Document, world: World) -> DocInfo:
    meta = doc.content.meta
    title = f"{meta.publication} {meta.issue} 第{meta.page}版 {meta.section}".strip()
    if doc.content.banner is not None:
        banner = doc.content.banner.title
        title += " — " + (" ".join(banner) if isinstance(banner, list) else banner)
    keywords = ", ".join(a.article.school or a.id for a in doc.articles)
    created = world.timestamp(meta.date).isoformat()
    return DocInfo(title, meta.editor or meta.publication, f"{meta.section} {meta.date}", keywords, created)


def slug_text(doc: Document, world: World) -> str:
    meta = doc.content.meta
    stamp = world.timestamp(meta.date).strftime("%Y-%m-%d %H:%M")
    return (f"{meta.publication}  {meta.issue}  第{meta.page}版 {meta.section}  {meta.date}  "
            f"banmian {stamp}")


@dataclass(frozen=True)
class PlacedPhoto:
    """A figure on a composed page with the content's image entry and its ``file:line``."""

    figure: Figure
    ref: ImageRef
    location: Location

    @property
    def framing(self) -> Framing:
        return Framing(self.ref.crop, self.ref.focus, self.ref.fit)


def placed_photos(pages: Sequence[PageModel], doc: Document) -> Iterator[PlacedPhoto]:
    by_id = {a.id: a for a in doc.articles}
    for art in (a for page in pages for a in page.articles):
        for fig in art.figures:
            source = by_id[art.id]
            yield PlacedPhoto(fig, source.article.images[fig.image], source.image_locations[fig.image])


def prepare_images(pages: Sequence[PageModel], doc: Document, press: Press | None = None,
                   cache: Path | None = None) -> dict[str, PreparedImage]:
    return {p.figure.src: cached_image(cache, p.figure.src, Path(p.figure.path), p.figure.rect.w,
                                       p.figure.rect.h, p.location, press, p.framing)
            for p in placed_photos(pages, doc)}


def framed_photos(composed: Composed, world: World) -> list[tuple[PlacedPhoto, PreparedImage]]:
    """Each placed photo with what graphics makes of it (from the image cache when it can): the crop
    chosen, the resolution, the warnings — what ``banmian fit`` lists."""
    press = press_for(composed.layout)
    images = prepare_images(composed.pages, composed.doc, press, world.cache / "images")
    return [(p, images[p.figure.src]) for p in placed_photos(composed.pages, composed.doc)]


def fetch_scope(pages: Sequence[PageModel], doc: Document, world: World) -> tuple[Roots, dict[str, Origin]]:
    """What the renderer may read (content folder, layout folder, fonts/) and, for each image
    resource, the article and ``file:line`` it came from (see ``banmian.render.fetch``)."""
    from banmian.render.fetch import Origin, Roots

    by_id = {a.id: a for a in doc.articles}
    origins = {f"banmian:image/{fig.src}": Origin(art.id, by_id[art.id].image_locations[fig.image])
               for art in (a for page in pages for a in page.articles)
               for fig in art.figures}
    return Roots(doc.folder, pages[0].layout.folder, world.fonts.manifest.parent), origins


def content_layout(doc: Document, options: BuildOptions, world: World) -> Layout:
    """The layout ``--layout`` or the content names; a bad name in the content points at its line."""
    if options.layout:
        return world.layout(options.layout)
    try:
        return world.layout(doc.content.layout)
    except BuildError as exc:
        where = doc.source.locate(("layout",))
        raise BuildError([replace(d, location=where) if d.location.file is None else d
                          for d in exc.diagnostics]) from None


@dataclass(frozen=True)
class Composed:
    """Everything up to, not including, rendering: what ``finish`` turns into PDFs."""

    doc: Document
    pages: tuple[PageModel, ...]
    diagnostics: tuple[Diagnostic, ...]
    timings: Mapping[str, float] = field(default_factory=dict)  # load, compose, placement (in compose), s

    @property
    def layout(self) -> Layout:
        return self.pages[0].layout


def compose(content: Path, options: BuildOptions, world: World) -> Composed:
    """Load and compose (with auto-fit when asked), gathering every composition diagnostic. With
    automatic placement and the boxes of the page printed before, the articles keep their modules when
    the content still fills them exactly; else the page is placed anew, and an info says why."""
    t = time.perf_counter()
    doc = load(content)
    layout = content_layout(doc, options, world)
    world = world.for_layout(layout)
    timings = {"load": time.perf_counter() - t}
    kept = keep_modules(doc, layout, dict(options.previous)) \
        if options.previous and layout.pages == 1 and placed_automatically(layout, options) else None
    if kept is None:
        return _composed(doc, layout, options, world, timings)
    try:
        attempt = _composed(kept, layout, options, world, dict(timings))
    except BuildError as exc:
        why = exc.diagnostics[0].message if exc.diagnostics else "no arrangement"
    else:
        upset = [d for d in attempt.diagnostics if d.severity >= Severity.ERROR or d.code in UPSET]
        if not upset:
            note = info("the modules of the page printed before are kept (a reprint: the same page with "
                        "the new text)", doc.source.locate(("articles",)), code="placement")
            return replace(attempt, diagnostics=(*attempt.diagnostics, note))
        why = upset[0].message
    note = info(f"the page printed before no longer holds the content in its modules ({_cut(why)}): "
                "every module chosen anew", doc.source.locate(("articles",)), code="placement",
                hint="to keep a page whatever the text, freeze it: banmian place CONTENT --write NAME")
    composed = _composed(doc, layout, options, world, timings)
    return replace(composed, diagnostics=(*composed.diagnostics, note))


UPSET = ("overset", "underset", "hole", "placement", "fit")  # a kept module that no longer fits


def _cut(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def _composed(doc: Document, layout: Layout, options: BuildOptions, world: World,
              timings: dict[str, float]) -> Composed:
    """``doc`` composed on ``layout`` (the banner fitted, pages placed), with every diagnostic."""
    t = time.perf_counter()
    layout, banner = fit_banner(doc, layout, world.fonts)
    pages = compose_pages(doc, layout, options, world, timings)
    timings["compose"] = time.perf_counter() - t
    diags = [*doc.diagnostics, *banner, *ignored_hints(doc, layout, options),
             *(d for p in pages for d in p.diagnostics),
             *fit_diagnostics(doc, layout, world.fonts, pages, fitted=auto_fitted(layout, options),
                              charts=world.charts),
             *(d for p in pages for d in underset_diagnostics(p)),
             *print_diagnostics(pages, doc, world.fonts)]
    return Composed(doc, pages, tuple(diags), timings)


def compose_pages(doc: Document, layout: Layout, options: BuildOptions, world: World,
                  timings: dict[str, float] | None = None) -> tuple[PageModel, ...]:
    """A flow layout's pages; a module layout's page (its modules placed automatically when asked,
    auto-fitted, finished as a spread's canvas). ``timings`` gets the placement search's seconds."""
    if layout.spec.kind == "flow":
        return compose_flow(doc, layout, world.fonts, charts=world.charts)
    if placed_automatically(layout, options):
        placement = place(doc, layout, world.fonts, charts=world.charts)
        if timings is not None:
            timings["placement"] = placement.seconds
        page = realize(doc, placement, world.fonts, charts=world.charts)
    else:
        page = compose_page(doc, layout, world.fonts, charts=world.charts)
    if auto_fitted(layout, options):
        page = autofit(doc, layout, world.fonts, page, charts=world.charts)
    if layout.pages == 2:
        page = finish_spread(doc, page, Composer(layout, world.fonts, world.charts))
    elif layout.spec.folio is not None:
        page = with_page_numbers(doc, page, Composer(layout, world.fonts, world.charts))
    return (page,)


def auto_fitted(layout: Layout, options: BuildOptions) -> bool:
    """Whether auto-fit runs: ``--fit``, or a layout with ``fit.auto`` (a flow layout fits its own pages)."""
    return layout.spec.kind == "modules" and (options.fit or layout.spec.fit.auto)


def ignored_hints(doc: Document, layout: Layout, options: BuildOptions) -> list[Diagnostic]:
    """Placement hints (``rank``, ``min_columns``, a photo's ``size``…) a page without automatic placement
    cannot follow, each a warning at its line."""
    if placed_automatically(layout, options):
        return []
    why = ("a flow layout sets the articles in their order" if layout.spec.kind == "flow"
           else f"layout {layout.name!r} places articles in its slots")
    return hints_without_effect(doc, why)


def placed_automatically(layout: Layout, options: BuildOptions) -> bool:
    """``--place auto``, or a layout with ``placement: auto`` (``--place fixed`` keeps its slots)."""
    if layout.spec.kind != "modules":
        return False
    if options.place is not None:
        return options.place == "auto"
    return layout.spec.placement.mode == "auto"


def build(content: Path, options: BuildOptions, world: World) -> BuildResult:
    """Content file → the PDFs written: ``compose``, then ``finish``."""
    return finish(compose(content, options, world), options, world)


@dataclass(frozen=True)
class Printed:
    """What a build writes when it succeeds (path → bytes; a spread: plates first, the spread proof
    last), the PDF ``--proof`` writes, and each file as preview layers (made only when a preview asks)."""

    files: tuple[tuple[Path, bytes], ...]
    proof: bytes
    layers: tuple[Layers, ...] = ()


def finish(composed: Composed, options: BuildOptions, world: World) -> BuildResult:
    """Composed pages → photos for the press → PDFs → preflight → files written; nothing is written
    while any error stands, except the proof when ``options.proof`` asks for it."""
    t0 = time.perf_counter()
    world = world.for_layout(composed.layout)
    timings = dict(composed.timings)
    diags = list(composed.diagnostics)
    if has_errors(diags, strict=options.strict) and not options.proof:
        raise BuildError(diags)
    output = options.output or default_output(composed.doc.path, world.root)
    refused = target_errors(targets(output, spread=composed.layout.pages == 2, proof=options.proof),
                            build_inputs(composed, world))
    if refused:
        raise BuildError(refused)
    press = press_for(composed.layout, pdf_x=options.pdf_x)
    t = time.perf_counter()
    images = prepare_images(composed.pages, composed.doc, press, world.cache / "images")
    diags += photo_diagnostics(images, press, composed.doc, composed.pages,
                               accept_low_res=options.accept_low_res)
    timings["graphics"] = time.perf_counter() - t
    print_pdfs = print_spread if composed.layout.pages == 2 else print_pages
    printed = print_pdfs(composed, options, world, press, images, output, timings)
    t = time.perf_counter()
    sources = image_sources(images, composed)
    reports = [preflight_bytes(data, name=path.name, sources=sources,
                               **preflight_options(composed.layout, press)) for path, data in printed.files]
    diags += (d for report in reports for d in report.diagnostics)
    timings["preflight"] = time.perf_counter() - t
    proof = output.with_suffix(".proof.pdf") if options.proof else None
    write_printed(printed, proof, diags, strict=options.strict)
    timings["total"] = composed.timings.get("load", 0.0) + composed.timings.get("compose", 0.0) + (
        time.perf_counter() - t0)  # (the placement search is part of composing)
    paths = tuple(path for path, _ in printed.files)
    return BuildResult(paths[-1], proof, composed.pages, tuple(diags), timings, paths, reports[-1],
                       printed.layers)


def write_printed(printed: Printed, proof: Path | None, diags: Sequence[Diagnostic], *,
                  strict: bool) -> None:
    """The proof first (when asked: it shows what is wrong), then every file — or, while any error
    stands, a ``BuildError`` with every diagnostic and nothing but the proof written."""
    if proof is not None:
        write_target(proof, printed.proof)
    if has_errors(diags, strict=strict):
        done = [Diagnostic(Severity.INFO, f"proof written to {proof}")] if proof else []
        raise BuildError([*diags, *done])
    for path, data in printed.files:
        write_target(path, data)


def build_inputs(composed: Composed, world: World) -> set[Path]:
    """Every file a build reads: the content file and its images, the layout's folder, the font
    manifest and the fonts (an output must never replace one of them)."""
    doc, folder = composed.doc, composed.layout.folder
    files = {doc.path, *(image for article in doc.articles for image in article.images)}
    files.update(p for p in folder.rglob("*") if p.is_file())
    files.add(world.fonts.manifest)
    files.update(role.file for role in world.fonts.roles.values())
    return files


def print_pages(composed: Composed, options: BuildOptions, world: World, press: Press,
                images: dict[str, PreparedImage], output: Path, timings: dict[str, float]) -> Printed:
    """One PDF of every composed page (one page, or a flow layout's pages)."""
    doc, pages = composed.doc, composed.pages
    t = time.perf_counter()
    ri = build_html(pages, world.fonts, images, doc_info(doc, world), slug_text(doc, world),
                    proof=options.proof, press=press)
    (frame,) = frames(ri, fetch_scope(pages, doc, world), pdf_x=press.pdf_x, cache=world.cache / "frames")
    timings["render"] = time.perf_counter() - t
    t = time.perf_counter()
    sheet, plan, ident = sheet_for(composed.layout), plan_fonts(ri.text), ri.digest()
    data = pdf_bytes(frame, sheet, press, ident, pages, ri.text, plan)
    timings["pdf"] = time.perf_counter() - t
    layers = layers_of(frame, sheet, press, ident, pages, ri.text, (ri.page_width, ri.page_height), plan)
    return Printed(((output, data),), data, (layers,))


def print_spread(composed: Composed, options: BuildOptions, world: World, press: Press,
                 images: dict[str, PreparedImage], output: Path, timings: dict[str, float]) -> Printed:
    """A two-page layout: two plates and a spread proof (see ``banmian.export.plates``)."""
    doc, pages = composed.doc, composed.pages
    t = time.perf_counter()
    pdfs = render_spread(pages[0], world.fonts, images, doc_info(doc, world), slug_text(doc, world),
                         proof=options.proof, press=press, scope=fetch_scope(pages, doc, world),
                         cache=world.cache / "frames")
    timings["render"] = time.perf_counter() - t
    one, two, spread = spread_paths(output)
    return Printed(((one, pdfs.plates[0]), (two, pdfs.plates[1]), (spread, pdfs.spread)), pdfs.spread,
                   pdfs.layers)


def preflight_options(layout: Layout, press: Press) -> dict[str, Any]:
    """The preflight a build runs on its own bytes: the in-process checks (colour, fonts, boxes, marks,
    resolution, PDF/X); photos' ink was measured before embedding (``photo_diagnostics``), and the
    independent tools (qpdf, Ghostscript) are ``banmian preflight``'s job."""
    return {"ink_limit": press.ink_limit, "external": False, "decode_images": False,
            "press": layout.spec.page.bleed > 0}


def accepted_ppi(ref: ImageRef, *, accept_low_res: bool) -> float:
    """The lowest effective resolution a photo may print at: ``MIN_PPI``, or lower when the content's
    ``min_ppi`` or ``--accept-low-res`` says the editor knows."""
    if accept_low_res:
        return 0.0
    return min(MIN_PPI, ref.min_ppi) if ref.min_ppi is not None else MIN_PPI


def image_sources(images: dict[str, PreparedImage], composed: Composed) -> dict[str, ImageSource]:
    """For the build's preflight: each embedded photo (by the SHA-256 of its JPEG) → its file and line."""
    return {hashlib.sha256(images[p.figure.src].data).hexdigest(): ImageSource(Path(p.figure.path).name,
                                                                                p.location)
            for p in placed_photos(composed.pages, composed.doc)}


def photo_diagnostics(images: dict[str, PreparedImage], press: Press, doc: Document,
                      pages: Sequence[PageModel] = (), *, accept_low_res: bool = False) -> list[Diagnostic]:
    """What graphics noticed (GIF, transparency, a crop cut further), photos under the resolution the
    content accepts, and — a guard: banmian's own separation keeps them under it — photos over the
    layout's total ink limit (measured on the embedded JPEG). Each at the image's line in the content."""
    diags = []
    for p in placed_photos(pages, doc):
        image, loc, name = images[p.figure.src], p.location, Path(p.figure.path).name
        diags += [warning(f"photo {note}", loc, code="image") for note in image.notes]
        if image.ink is not None and image.ink > press.ink_limit:
            diags.append(error(f"photo {name}: total ink {image.ink:.0f} % exceeds the limit of "
                               f"{press.ink_limit:.0f} % ({press.description})", loc, code="ink",
                               hint="banmian's separation should keep every photo under it: please "
                                    "report this photo"))
        diags += _resolution(p, image, accept_low_res)
    return diags


def _resolution(p: PlacedPhoto, image: PreparedImage, accept_low_res: bool) -> list[Diagnostic]:
    if image.ppi >= MIN_PPI - 0.5:
        return []
    name, floor = Path(p.figure.path).name, accepted_ppi(p.ref, accept_low_res=accept_low_res)
    wide = math.ceil(p.figure.rect.w / 72 * MIN_PPI)
    if image.ppi >= floor - 0.5:
        why = "--accept-low-res" if accept_low_res else f"min_ppi: {p.ref.min_ppi}"
        return [warning(f"photo {name}: effective resolution {image.ppi:.0f} ppi at its placed size, "
                        f"under {MIN_PPI}: printed as asked ({why})", p.location, code=ACCEPTED_LOW_RES)]
    low = f", under {MIN_PPI}" if floor >= MIN_PPI else f", under its min_ppi {floor:.0f}"
    knowingly = (f"; to print it as it is, add 'min_ppi: {math.floor(image.ppi)}' to the image (a historic "
                 "photo)") if image.ppi >= LOWEST_MIN_PPI else ""
    return [error(f"photo {name}: effective resolution {image.ppi:.0f} ppi at its placed size{low}",
                  p.location, code="resolution", hint=f"supply at least {wide} px wide{knowingly}")]
