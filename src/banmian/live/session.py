"""A warm build session: one process that keeps fonts, layouts and shaping caches between rebuilds.

Takes: a content path, ``BuildOptions``, optionally a ``World`` and a folder for page images.
Gives: ``Session.rebuild()`` → ``Outcome`` — the composed pages (also when the page has errors), every
diagnostic, the fit rows, the fit changes since the previous rebuild (``fit_changes``: what went over
or back under), the PDFs written and their page images. A rebuild composes once and finishes the PDFs
(or the proof) from that composition (``pipeline.finish``). A good build replaces the PDF atomically; a
page with overset gets a proof PDF beside it (overset marked) for previewing, and the last good PDF
stays in place; any other failure writes nothing — a bug in banmian included: it becomes one error
diagnostic, so a live preview survives it and the next save rebuilds. ``snapshot()`` lists the files a
rebuild depends on (content, its images, the layout folder, the font manifest and font files) with their
mtimes, and ``invalidate(changed)`` drops what the session cached of the changed ones.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from banmian.compose.fit import FitRow, fit_rows
from banmian.compose.page import PageModel
from banmian.core.diagnostics import BuildError, Diagnostic, Severity, error, has_errors
from banmian.export.layers import Layers
from banmian.live.preview import DEFAULT_DPI, PageImage, render_layers, render_pdfs, result_pdfs
from banmian.pipeline import BuildOptions, Composed, compose, default_output, finish
from banmian.source.world import World, make_world

Snapshot = dict[Path, tuple[int, int] | None]


@dataclass(frozen=True)
class Outcome:
    number: int  # rebuild counter, from 1
    ok: bool  # a new PDF was written
    took: float  # seconds
    pages: tuple[PageModel, ...]
    diagnostics: tuple[Diagnostic, ...]
    rows: tuple[FitRow, ...]
    changes: tuple[str, ...]  # fit changes since the previous rebuild, one line each
    pdfs: tuple[Path, ...]  # the PDFs shown: the output, or the proof when the page has errors
    images: tuple[PageImage, ...] = field(default=())
    article_ids: tuple[str, ...] = ()  # in content order: ``articles[i]`` in a location key → its id

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity >= Severity.ERROR)


def fit_changes(old: Sequence[FitRow] | None, new: Sequence[FitRow]) -> list[str]:
    """What went over, changed how much it is over, or came back in, article by article."""
    before = {row.id: row for row in old or ()}
    out = []
    for row in new:
        prev = before.get(row.id)
        if row.over_lines:
            plural = "s" if row.over_lines != 1 else ""
            amount = f"over by {row.over_lines} line{plural} (+{row.over_chars} 字)"
            if prev is None or not prev.over_lines:
                out.append(f"{row.id}: now {amount}")
            elif (prev.over_lines, prev.over_chars) != (row.over_lines, row.over_chars):
                out.append(f"{row.id}: {amount}, was {prev.over_lines} (+{prev.over_chars} 字)")
        elif prev is not None and prev.over_lines:
            out.append(f"{row.id}: back in ({row.under_lines} line{'s' if row.under_lines != 1 else ''} "
                       "to spare)")
        elif row.status == "underset" and (prev is None or prev.status != "underset"):
            out.append(f"{row.id}: now short by {row.under_lines} lines (-{row.under_chars} 字)")
        elif prev is not None and prev.status == "underset" and row.status == "fits":
            out.append(f"{row.id}: fills its slot again")
    return out


class Session:
    def __init__(self, content: Path, options: BuildOptions | None = None, world: World | None = None,
                 *, image_dir: Path | None = None, dpi: int = DEFAULT_DPI,
                 fonts_manifest: Path | None = None):
        self.content = Path(content)
        self.options = options or BuildOptions()
        self.fonts_manifest = fonts_manifest
        self.world = world or make_world(fonts_manifest=fonts_manifest)
        self.image_dir = image_dir
        self.dpi = dpi
        self.count = 0
        self.last: Outcome | None = None
        self.last_good: Outcome | None = None
        self._inputs: set[Path] = {self.content.resolve()}
        self._layout_folder: Path | None = None  # known after the first composition

    @property
    def output(self) -> Path:
        return self.options.output or default_output(self.content, self.world.root)

    def rebuild(self) -> Outcome:
        """Compose once; finish (write the PDFs) when nothing fails, or write the proof when the only
        errors are overset; then render the page images."""
        start = time.perf_counter()
        self.count += 1
        composed: Composed | None = None
        pdfs: tuple[Path, ...] = ()
        layers: dict[Path, Layers] = {}
        ok = False
        try:
            composed = compose(self.content, self.options, self.world)
            self._remember(composed)
            diags = list(composed.diagnostics)
            if not has_errors(diags, strict=self.options.strict):
                result = finish(composed, self.options, self.world)
                diags, pdfs, ok = list(result.diagnostics), result_pdfs(result), True
                layers = dict(zip(result.outputs, result.layers, strict=False))
            elif all(d.code == "overset" for d in diags if d.severity >= Severity.ERROR):
                pdfs = self._proof(composed)
        except BuildError as exc:
            diags = list(exc.diagnostics)
        except OSError as exc:
            diags = [error(f"cannot build: {exc}", code="io")]
        except Exception as exc:  # a bug in banmian (RecursionError too): reported; the next save rebuilds
            diags = [internal_error(exc)]
        images = self._images(pdfs, diags, layers)
        return self._outcome(start, ok, composed, diags, pdfs, images)

    def _remember(self, composed: Composed) -> None:
        """What the next ``watched`` lists: the layout's folder, the content and its images."""
        self._layout_folder = composed.layout.folder.resolve()
        self._inputs = {self.content.resolve(), *(p for a in composed.doc.articles for p in a.images)}

    def _images(self, pdfs: tuple[Path, ...], diags: list[Diagnostic],
                layers: Mapping[Path, Layers]) -> list[PageImage]:
        """The page images of ``pdfs``: painted from a build's preview layers where it has them (the
        picture of all but the text kept between rebuilds), else rendered whole (a proof)."""
        if self.image_dir is None or not pdfs:
            return []
        folder = self.image_dir
        try:
            return [image for pdf in pdfs
                    for image in (render_layers(pdf, layers[pdf], folder, self.dpi) if pdf in layers
                                  else render_pdfs((pdf,), folder, self.dpi))]
        except BuildError as exc:
            diags.extend(exc.diagnostics)
        except OSError as exc:
            diags.append(error(f"cannot write the page images: {exc.strerror or exc}", code="io"))
        except Exception as exc:  # a bug in banmian: reported, not the end of the session
            diags.append(internal_error(exc))
        return []

    def _outcome(self, start: float, ok: bool, composed: Composed | None, diags: list[Diagnostic],
                 pdfs: tuple[Path, ...], images: list[PageImage]) -> Outcome:
        pages = composed.pages if composed is not None else ()
        ids = tuple(a.id for a in composed.doc.articles) if composed is not None else ()
        rows = tuple(row for page in pages for row in fit_rows(page))
        previous = self.last.rows if self.last is not None and self.last.pages else None
        changes = tuple(fit_changes(previous, rows)) if pages else ()
        outcome = Outcome(self.count, ok, time.perf_counter() - start, pages, tuple(diags), rows, changes,
                          pdfs, tuple(images), ids)
        self.last = outcome
        if ok:
            self.last_good = outcome
        return outcome

    def _proof(self, composed: Composed) -> tuple[Path, ...]:
        """Write the proof PDF (overset marked) for a page whose only errors are overset."""
        proof = self.output.with_suffix(".proof.pdf")
        with contextlib.suppress(BuildError):  # expected: the page has errors; the proof comes first
            finish(composed, replace(self.options, proof=True), self.world)
        return (proof,) if proof.is_file() else ()

    def watched(self) -> set[Path]:
        """Every file a rebuild reads: content, images, the layout folder, font manifest and fonts."""
        files = set(self._inputs)
        folder = self._layout_folder
        if folder is not None and folder.is_dir():  # the project's layout or a built-in one
            with contextlib.suppress(OSError, RuntimeError):  # a file removed or a link loop mid-walk
                files.update(p.resolve() for p in folder.rglob("*") if p.is_file())
        fonts = self.world.fonts
        if folder is not None:
            with contextlib.suppress(BuildError):  # a bad fonts.yaml: the build reports it
                fonts = self.world.fonts_for(folder)  # the layout's own roles too
        files.add(fonts.manifest.resolve())
        files.update(role.file.resolve() for role in fonts.roles.values())
        return files

    def snapshot(self) -> Snapshot:
        return {path: _stat(path) for path in self.watched()}

    def invalidate(self, changed: Iterable[Path]) -> None:
        """Forget what is cached of changed layouts or fonts (content and images are re-read anyway)."""
        changed = set(changed)
        fonts = {self.world.fonts.manifest.resolve(),
                 *(r.file.resolve() for r in self.world.fonts.roles.values())}
        if changed & fonts:
            self.world = make_world(self.world.root, self.fonts_manifest)
        folder = self._layout_folder
        if folder is not None and any(p.is_relative_to(folder) for p in changed):
            self.world.layouts_loaded.forget()


def internal_error(exc: BaseException) -> Diagnostic:
    """A bug in banmian as one diagnostic (what ``banmian build`` reports with exit status 70)."""
    return error(f"internal error: {type(exc).__name__}: {str(exc)[:200]}", code="internal",
                 hint="the last good PDF stays; BANMIAN_DEBUG=1 banmian build shows where (please report it)")


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def changed_paths(old: Snapshot, new: Snapshot) -> set[Path]:
    return {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}
