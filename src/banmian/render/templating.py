"""Templating: a layout's Jinja2 templates, run as untrusted code.

Takes: a layout (its folder and its template's name), the built-in templates' folder and the values a
page is rendered from.
Gives: ``render_page`` — the HTML text, from Jinja2's ``SandboxedEnvironment`` (no attribute starting with
``_``, no Python internals: ``cycler.__init__.__globals__`` is a ``SecurityError``; ``range`` bounded),
templates loaded by ``ConfinedLoader`` (a name that resolves, symlinks followed, outside the layout's
folder is refused before it is read; then the built-in templates), the output cut off at
``MAX_HTML_CHARS``; and every failure of template code (a syntax error, ``{{ 1/0 }}``, an undefined
name, an ``extends``, ``include`` or macro that calls itself) as one ``BuildError`` at the template's
``file:line``; a block of the layout's template that the template it extends does not have (a misspelt
override, which Jinja drops silently) is an error at its line.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from banmian.core.diagnostics import BuildError, Diagnostic, Location, error
from banmian.source.layout import OUTSIDE, OUTSIDE_HINT, Layout, layout_file, too_large

MAX_HTML_CHARS = 20_000_000  # a broadsheet page is about 50 000; the most content allows, a few million
HINT = "fix the layout's template (docs/layouts.md)"


class OutsideTheLayout(jinja2.TemplateError):
    """A template name that leads out of the layout's folder, or to a file too large to read (not
    ``TemplateNotFound``: no fallback to the built-in templates)."""


class ConfinedLoader(jinja2.FileSystemLoader):
    """The templates in a layout's folder; a name whose real path lies outside it is refused unread."""

    def __init__(self, folder: Path):
        super().__init__(str(folder))
        self.folder = folder

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses ".." itself
        path = self.folder.joinpath(*pieces)
        if path.exists() or path.is_symlink():
            real = layout_file(self.folder, "/".join(pieces))
            problem = OUTSIDE if real is None else too_large(real)
            if problem is not None:
                raise OutsideTheLayout(f"template {template!r}: {problem}")
        return super().get_source(environment, template)


@functools.cache
def compiled_templates() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between processes (compiling the base template costs ~25 ms a build):
    Jinja2's own cache, in its per-user folder, which Jinja2 creates private (mode 0700) and refuses when
    another user owns it — then none is kept. The file names say the code is the sandbox's: no other
    Jinja2 program's compilations are read."""
    try:
        return jinja2.FileSystemBytecodeCache(pattern="banmian-sandboxed-%s.cache")
    except (RuntimeError, OSError):
        return None


@functools.lru_cache(maxsize=8)
def environment(layout_folder: Path, builtin: Path, filters: tuple[tuple[str, Any], ...]
                ) -> jinja2.Environment:
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([ConfinedLoader(layout_folder), jinja2.FileSystemLoader(str(builtin))]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        bytecode_cache=compiled_templates())
    env.filters.update(dict(filters))
    return env


def render_page(layout: Layout, builtin: Path, filters: tuple[tuple[str, Any], ...],
                values: Mapping[str, Any]) -> str:
    """The layout's template rendered with ``values``; any failure of the template is located."""
    env = environment(layout.folder, builtin, filters)
    unknown = unknown_blocks(env, layout, builtin)
    if unknown:
        raise BuildError(unknown)
    try:
        total, parts = 0, []
        for part in env.get_template(layout.spec.template).generate(**values):
            total += len(part)
            if total > MAX_HTML_CHARS:
                raise jinja2.TemplateRuntimeError(f"the page's HTML passes {MAX_HTML_CHARS:,} characters")
            parts.append(part)
        return "".join(parts)
    except Exception as exc:  # template code is the layout's: whatever it raises is its error
        raise BuildError([template_error(exc, layout, builtin)]) from None


def unknown_blocks(env: jinja2.Environment, layout: Layout, builtin: Path) -> list[Diagnostic]:
    """A block in the layout's own template that no template it extends has: a misspelt override,
    which Jinja would drop without a word — an error at its line, with the blocks there are."""
    name = layout.spec.template
    path = layout.folder / name
    if not path.is_file():
        return []
    try:
        tree = env.parse(*env.loader.get_source(env, name)[:2])  # type: ignore[union-attr]
        parents = [n.template.value for n in tree.find_all(jinja2.nodes.Extends)
                   if isinstance(n.template, jinja2.nodes.Const)]
        known = {b for parent in parents for b in env.get_template(parent).blocks}
    except (jinja2.TemplateError, OSError):
        return []  # reported, at its line, when the template runs
    if not parents:
        return []
    return [error(f"block {block.name!r} is in none of the templates it extends ({', '.join(parents)}): "
                  "it changes nothing", Location(path, block.lineno), code="template",
                  hint=f"the blocks: {', '.join(sorted(known))} (docs/layouts.md)")
            for block in tree.body  # an override's own inner blocks are new ones, not overrides
            if isinstance(block, jinja2.nodes.Block) and block.name not in known]


def template_error(exc: BaseException, layout: Layout, builtin: Path) -> Diagnostic:
    """``exc`` at the template line it came from (the innermost template frame of its traceback)."""
    where = Location(layout.folder / layout.spec.template)
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where = Location(Path(exc.filename), exc.lineno)
    else:
        frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
                  if any(Path(frame.filename).is_relative_to(root) for root in (layout.folder, builtin))]
        if frames:
            where = Location(Path(frames[-1].filename), frames[-1].lineno)
    if isinstance(exc, RecursionError):
        message = "the template calls itself without end (an extends, include or macro that calls itself)"
    elif isinstance(exc, jinja2.TemplateError):
        message = f"template error: {exc.message or type(exc).__name__}"
    else:
        message = f"template error: {type(exc).__name__}: {exc}"
    hint = OUTSIDE_HINT if isinstance(exc, OutsideTheLayout) else HINT
    return error(message[:300], where, code="template", hint=hint)
