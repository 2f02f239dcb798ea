"""The build pipeline: content file → print-ready PDF, gathering everything before writing anything.

Takes: a content path, ``BuildOptions`` and a ``World``.
Gives: ``BuildResult`` — the composed page, every diagnostic, timings, and the PDF written atomically.
Stages, each in its own module: load → compose → graphics → render → (check) → export. Nothing is
written while any error stands (overset included); ``proof`` writes a marked proof beside the output.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from banmian.compose.page import PageModel, compose_page
from banmian.diagnostics import BuildError, Diagnostic, Severity, error, has_errors
from banmian.export import pdf_bytes, write_atomic
from banmian.fit import autofit, underset_diagnostics
from banmian.graphics import PreparedImage, prepare_image
from banmian.layout import Layout
from banmian.load import Document, load
from banmian.printcheck import print_diagnostics
from banmian.render import DocInfo, build_html, render
from banmian.world import World

if TYPE_CHECKING:
    from banmian.fetch import Origin, Roots


@dataclass(frozen=True)
class BuildOptions:
    layout: str | None = None
    output: Path | None = None
    proof: bool = False
    strict: bool = False
    fit: bool = False  # bounded auto-fit (also on when the layout says ``fit: {auto: true}``)


@dataclass(frozen=True)
class BuildResult:
    output: Path | None
    proof: Path | None
    pages: tuple[PageModel, ...]
    diagnostics: tuple[Diagnostic, ...]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.output is not None


def default_output(content: Path, root: Path) -> Path:
    return root / "output" / f"{content.stem}.pdf"


def overset_diagnostics(pages: Sequence[PageModel]) -> list[Diagnostic]:
    out = []
    for art in (a for page in pages for a in page.articles):
        fit = art.fit
        if not fit.fits:
            out.append(error(f"article {fit.id!r} does not fit slot {fit.slot!r}: over by "
                             f"{fit.over_lines} lines, {fit.over_chars} 字", fit.location,
                             code="overset",
                             hint=f"cut about {fit.over_chars} 字, or build with --fit or --proof"))
    return out


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


def prepare_images(pages: Sequence[PageModel], doc: Document) -> dict[str, PreparedImage]:
    images = {}
    by_id = {a.id: a for a in doc.articles}
    for art in (a for page in pages for a in page.articles):
        for i, fig in enumerate(art.figures):
            loc = by_id[art.id].image_locations[i]
            images[fig.src] = prepare_image(fig.src, Path(fig.path), fig.rect.w, fig.rect.h, loc)
    return images


def fetch_scope(pages: Sequence[PageModel], doc: Document, world: World) -> tuple[Roots, dict[str, Origin]]:
    """What the renderer may read (content folder, layout folder, fonts/) and, for each image
    resource, the article and ``file:line`` it came from (see ``banmian.fetch``)."""
    from banmian.fetch import Origin, Roots

    by_id = {a.id: a for a in doc.articles}
    origins = {f"banmian:image/{fig.src}": Origin(art.id, by_id[art.id].image_locations[i])
               for art in (a for page in pages for a in page.articles)
               for i, fig in enumerate(art.figures)}
    return Roots(doc.folder, pages[0].layout.folder, world.root / "fonts"), origins


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
    doc: Document
    pages: tuple[PageModel, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def layout(self) -> Layout:
        return self.pages[0].layout


def compose(content: Path, options: BuildOptions, world: World,
            timings: dict[str, float] | None = None) -> Composed:
    """Load and compose (with auto-fit when asked): everything up to, not including, rendering."""
    timings = timings if timings is not None else {}
    t = time.perf_counter()
    doc = load(content)
    layout = content_layout(doc, options, world)
    timings["load"] = time.perf_counter() - t
    t = time.perf_counter()
    page = compose_page(doc, layout, world.fonts)
    if options.fit or layout.spec.fit.auto:
        page = autofit(doc, layout, world.fonts, page)
    timings["compose"] = time.perf_counter() - t
    pages = (page,)
    diags = [*doc.diagnostics, *(d for p in pages for d in p.diagnostics), *overset_diagnostics(pages),
             *(d for p in pages for d in underset_diagnostics(p)),
             *print_diagnostics(pages, doc, world.fonts)]
    return Composed(doc, pages, tuple(diags))


def build(content: Path, options: BuildOptions, world: World) -> BuildResult:
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    composed = compose(content, options, world, timings)
    doc, pages, diags = composed.doc, composed.pages, list(composed.diagnostics)
    layout = composed.layout
    failing = has_errors(diags, strict=options.strict)
    output = options.output or default_output(content, world.root)
    proof_path = output.with_suffix(".proof.pdf") if options.proof else None
    if failing and not options.proof:
        raise BuildError(diags)
    t = time.perf_counter()
    images = prepare_images(pages, doc)
    timings["graphics"] = time.perf_counter() - t
    t = time.perf_counter()
    ri = build_html(pages, world.fonts, images, doc_info(doc, world), slug_text(doc, world),
                    proof=options.proof)
    wdoc = render(ri, *fetch_scope(pages, doc, world))
    timings["render"] = time.perf_counter() - t
    t = time.perf_counter()
    data = pdf_bytes(wdoc, offset=ri.offset, bleed_mm=layout.spec.page.bleed)
    timings["pdf"] = time.perf_counter() - t
    if proof_path is not None:
        write_atomic(proof_path, data)
    if failing:
        raise BuildError([*diags, Diagnostic(Severity.INFO, f"proof written to {proof_path}")])
    write_atomic(output, data)
    timings["total"] = time.perf_counter() - t0
    return BuildResult(output, proof_path, pages, tuple(diags), timings)
