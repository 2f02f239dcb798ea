"""Fetch: what the renderer may read — in-memory resources and files under a few roots, nothing else.

Takes: ``Roots`` (the content file's folder, the layout's folder, the project's ``fonts/``), the
in-memory resources built for the page (``banmian:`` URLs: font subsets, prepared images) and, for
each resource, where it came from (``Origin``: the article and the ``file:line`` of the reference).
Gives: ``ConfinedFetcher`` — a ``weasyprint.urls.URLFetcher`` that serves ``banmian:`` resources and
``file:`` URLs whose real path (symlinks resolved) lies under a root and has an allowed suffix and
size; every other URL (``http:``, ``https:``, ``ftp:``, ``data:``, ``file:`` outside the roots, a
symlink out of a root) is refused without opening anything: no connection is ever attempted. Each
refusal is kept and becomes, through ``diagnostics()``, an error naming the reference (and the article
when the reference came from one). ``serve`` is the decision alone; ``confine`` is its path check, for
other readers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from banmian.core.diagnostics import Diagnostic, Location, error

# what a layout may reference from its folder (or from fonts/): pictures, fonts, stylesheets
SUFFIXES: Mapping[str, str] = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff", ".woff2": "font/woff2",
    ".css": "text/css",
}
MAX_FILE_BYTES = 20 * 1024 * 1024
SCHEME = "banmian:"


@dataclass(frozen=True)
class Roots:
    """The folders a build may read from (each resolved; ``None``: not given)."""

    content: Path | None = None
    layout: Path | None = None
    fonts: Path | None = None

    def resolved(self) -> tuple[Path, ...]:
        return tuple(p.resolve() for p in (self.content, self.layout, self.fonts) if p is not None)


@dataclass(frozen=True)
class Origin:
    """Where a reference came from: an article (its id) and the ``file:line`` of the reference."""

    article: str | None = None
    location: Location = field(default_factory=Location)


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str
    origin: Origin = field(default_factory=Origin)

    def diagnostic(self) -> Diagnostic:
        who = f"article {self.origin.article!r}: " if self.origin.article else ""
        return error(f"{who}refused to fetch {self.url!r}: {self.reason}", self.origin.location,
                     code="fetch", hint="a page may use only files next to the content file, in the "
                     "layout's folder and in fonts/")


def confine(path: Path, roots: Roots) -> Path | None:
    """The real path of ``path`` if it exists and lies under one of ``roots``, else ``None``.

    Symlinks are resolved first, so a link inside a root that points outside it is refused."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if any(real.is_relative_to(root) for root in roots.resolved()):
        return real
    return None


def serve(url: str, roots: Roots, resources: Mapping[str, tuple[bytes, str]]) -> tuple[bytes, str] | str:
    """What ``url`` may be served as — (bytes, MIME type) — or why it is refused."""
    if url in resources:
        return resources[url]
    if url.startswith(SCHEME):
        return "no such resource"
    if not url.lower().startswith("file:"):
        scheme = url.split(":", 1)[0] if ":" in url else url
        return f"the {scheme!r} scheme is not allowed (no network, no data URLs)"
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return "remote files are not allowed"
    return _file(Path(unquote(parts.path)), roots)


def _file(path: Path, roots: Roots) -> tuple[bytes, str] | str:
    real = confine(path, roots)
    if real is None:
        return ("outside the content, layout and fonts folders" if path.exists() or path.is_symlink()
                else "no such file in the allowed folders")
    kind = SUFFIXES.get(real.suffix.lower())
    if kind is None or not real.is_file():
        return f"only {', '.join(sorted(SUFFIXES))} files may be used"
    size = real.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"{size} bytes; the limit is {MAX_FILE_BYTES}"
    return real.read_bytes(), kind


@functools.lru_cache(maxsize=1)
def _fetcher_class() -> Any:
    """The fetcher class, made on first use: importing WeasyPrint costs half a second, which commands
    that never render (fit, check, fonts…) should not pay."""
    from banmian.render.weasy import weasyprint

    weasyprint()  # the quick import, before any weasyprint module is touched
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        """Serves ``banmian:`` resources and files under the roots; refuses (and records) everything else.

        WeasyPrint 70's documented route: a ``URLFetcher`` subclass with a compatible ``fetch``
        (``URLFetcher.open`` and ``__call__`` go through ``fetch`` too); nothing else is overridden."""

        def __init__(self, roots: Roots, resources: Mapping[str, tuple[bytes, str]] | None = None,
                     origins: Mapping[str, Origin] | None = None) -> None:
            super().__init__(timeout=1, allowed_protocols=("banmian", "file"), allow_redirects=False)
            self.roots = roots
            self.resources = dict(resources or {})
            self.origins = dict(origins or {})
            self.refusals: list[Refusal] = []
            self.served: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            found = serve(url, self.roots, self.resources)
            if isinstance(found, str):
                self.refusals.append(Refusal(url, found, self.origins.get(url, Origin())))
                raise ValueError(f"refused: {url}")
            self.served.append(url)
            return URLFetcherResponse(url, found[0], {"Content-Type": found[1]})

        def diagnostics(self) -> list[Diagnostic]:
            """One error per refused URL (in the order refused, each URL once)."""
            seen: dict[str, Diagnostic] = {}
            for refusal in self.refusals:
                seen.setdefault(refusal.url, refusal.diagnostic())
            return list(seen.values())

    return ConfinedFetcher


def __getattr__(name: str) -> Any:
    if name == "ConfinedFetcher":
        return _fetcher_class()
    raise AttributeError(name)
