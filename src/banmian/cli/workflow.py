"""The editor's commands: preview, watch, serve, import, new, diff (and ``build --compare``).

Takes: parsed ``argparse`` arguments (``add_commands`` registers the subcommands on ``banmian``'s parser).
Gives: exit statuses as ``banmian.cli.main`` defines them (0 ok, 1 the input or page has errors, 2 usage);
every command prints its diagnostics as ``file:line: severity: message`` lines on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from banmian.cli import arguments
from banmian.cli.console import Console, verbosity
from banmian.core.diagnostics import Diagnostic, Severity, display_path

EXAMPLES = {
    "preview": "banmian preview content/beibei-dangjian.yaml            # → output/beibei-dangjian-p1.png\n"
               "  banmian preview content/x.yaml --layout tabloid-spread   # the spread + one PNG per plate",
    "watch": "banmian watch content/beibei-dangjian.yaml              # rebuild on every save\n"
             "  banmian watch content/x.yaml --png                     # also refresh the PNGs",
    "serve": "banmian serve content/beibei-dangjian.yaml              # then open http://127.0.0.1:8765/\n"
             "  banmian serve content/x.yaml --port 9000 --dpi 80",
    "import": "banmian import story.docx                              # → content/story.yaml, images/\n"
              "  banmian import notes.txt -o content/issue-387.yaml\n"
              "  banmian import story.md --layout a4-newsletter --force",
    "new": "banmian new issue-387                                  # → content/issue-387.yaml\n"
           "  banmian new weekly --layout a4-newsletter",
    "diff": "banmian diff old/beibei-dangjian.pdf output/beibei-dangjian.pdf\n"
            "  banmian diff a.pdf b.pdf -o review/ --dpi 150\n"
            "  banmian build content/x.yaml --compare output/x.pdf   # build, then diff with the old PDF",
}


def _print_diags(diags: Sequence[Diagnostic], quiet: bool) -> None:
    for d in diags:
        if quiet and d.severity < Severity.ERROR:
            continue
        print(d.render(), file=sys.stderr)


_rel = display_path


def _session(args: argparse.Namespace, image_dir: Path | None) -> Any:
    from banmian.cli.project import world_of
    from banmian.live.session import Session
    from banmian.pipeline import BuildOptions

    options = BuildOptions(layout=args.layout, output=Path(args.output) if getattr(args, "output", None)
                           else None, strict=getattr(args, "strict", False), fit=getattr(args, "fit", False),
                           place=getattr(args, "place", None),
                           accept_low_res=getattr(args, "accept_low_res", False))
    session = Session(Path(args.content), options, world_of(args, args.content), dpi=args.dpi)
    session.image_dir = image_dir or session.output.parent
    return session


def cmd_preview(args: argparse.Namespace) -> int:
    level = verbosity(args)
    with Console(level) as console:
        console.step("building")
        session = _session(args, None)
        outcome = session.rebuild()
    _print_diags(outcome.diagnostics, level < 0)
    for image in outcome.images:
        console.say(f"wrote {_rel(image.png)} ({image.size[0]}×{image.size[1]} px, {image.dpi} dpi)")
    if not outcome.ok:
        shown = f"; the PNGs show the proof {_rel(outcome.pdfs[0])}" if outcome.pdfs else ""
        print(f"the page has errors{shown}", file=sys.stderr)
        return 1
    console.detail(f"took {outcome.took:.2f} s")
    return 0


def _stop_on_sigterm(stop: threading.Event) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())


def cmd_watch(args: argparse.Namespace) -> int:
    from banmian.live.watch import describe, watch

    level = verbosity(args)
    session = _session(args, None)
    if not args.png:
        session.image_dir = None
    stop = threading.Event()
    _stop_on_sigterm(stop)

    def report(outcome: Any) -> None:
        lines = describe(outcome, session)
        for line in lines[:-1]:
            print(line, file=sys.stderr)
        print(lines[-1], flush=True)
        if level > 0:
            print("  watching " + ", ".join(sorted(_rel(p) for p in session.watched())), file=sys.stderr)

    print(f"watching {_rel(session.content)} (Ctrl-C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        watch(session, interval=args.interval, report=report, stop=stop)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from banmian.live.serve import LiveServer
    from banmian.live.watch import describe

    level = verbosity(args)
    session = _session(args, None)

    def report(outcome: Any) -> None:
        for line in describe(outcome, session):
            print(line, flush=True)

    try:
        server = LiveServer(session, args.port, report=report,
                            log=(lambda m: print(m, file=sys.stderr)) if level > 0 else None)
    except OSError as exc:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    _stop_on_sigterm(server.stop_event)
    with server:
        print(f"serving {_rel(session.content)} at {server.url} (Ctrl-C to stop)", flush=True)
        try:
            while not server.stop_event.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from banmian.cli.project import project_of
    from banmian.core.diagnostics import BuildError, error
    from banmian.ingest.draft import draft_yaml
    from banmian.source.load import load

    source = Path(args.file)
    suffix = source.suffix.lower()
    if suffix not in (".docx", ".txt", ".md", ".markdown"):
        raise BuildError([error(f"cannot import {source.name}: .docx, .txt or .md only", code="usage")])
    if not source.is_file():
        raise BuildError([error(f"{source} not found", code="usage")])
    target = Path(args.output) if args.output else project_of(args).content / f"{source.stem}.yaml"
    if target.resolve() == source.resolve() or target.is_dir():
        raise BuildError([error(f"the draft would replace {'the folder' if target.is_dir() else 'the story'} "
                                f"{target}", code="exists", hint="-o content/<name>.yaml")])
    if target.exists() and not args.force:
        raise BuildError([error(f"{target} exists already; not overwritten", hint="use --force or -o",
                                code="exists")])
    if suffix == ".docx":
        from banmian.ingest.docx import read_docx

        draft = read_docx(source, target.parent / "images")
    else:
        from banmian.ingest.importer import read_text

        draft = read_text(source)
    if not draft.articles:
        raise BuildError([error(f"{source.name}: no text found", code="import")])
    from banmian.core.atomic import write_atomic

    write_atomic(target, draft_yaml(draft, layout=args.layout).encode("utf-8"))
    doc = load(target)  # the draft must load as it is
    _print_diags(doc.diagnostics, verbosity(args) < 0)
    images = sum(1 for a in draft.articles for im in a.images if im.src)
    todos = target.read_text(encoding="utf-8").count("TODO")
    print(f"wrote {_rel(target)}: {len(draft.articles)} article{'s' if len(draft.articles) != 1 else ''}, "
          f"{images} image{'s' if images != 1 else ''} extracted, {todos} TODO{'s' if todos != 1 else ''} "
          "to check")
    for note in draft.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from banmian.cli.project import project_of
    from banmian.ingest.starter import new_content

    path = new_content(args.name, Path(args.dir) if args.dir else project_of(args).content, args.layout)
    print(f"wrote {_rel(path)} — build it with: banmian build {_rel(path)}")
    return 0


def run_diff(old: Path, new: Path, folder: Path, dpi: int, pages: Any, level: int) -> int:
    from banmian.live.diffing import diff_pdfs, format_report

    with Console(level) as console:
        report = diff_pdfs(old, new, folder, dpi=dpi, pages=pages, progress=console.step)
    for line in format_report(report, _rel):
        console.say(line)
    if not report.changed:
        console.say("no changes")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from banmian.check.pdffile import require_pdf
    from banmian.core.diagnostics import BuildError

    old, new = Path(args.old), Path(args.new)
    problems: list[Diagnostic] = []
    for path, what in ((old, "the old PDF"), (new, "the new PDF")):
        try:
            require_pdf(path, what)
        except BuildError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise BuildError(problems)
    return run_diff(old, new, Path(args.output_dir), args.dpi, None, verbosity(args))


Kept = tempfile.TemporaryDirectory[str]


def keep_for_compare(compare: str | None, output: Path) -> tuple[Path | None, Kept | None]:
    """``build --compare``: the old PDF, copied aside first when the build is about to replace it."""
    if not compare:
        return None, None
    from banmian.check.pdffile import require_pdf

    old = Path(compare)
    require_pdf(old, "--compare")
    if old.resolve() != output.resolve():
        return old, None
    keep = tempfile.TemporaryDirectory(prefix="banmian-compare-")
    copy = Path(keep.name) / f"previous-{old.name}"
    shutil.copy2(old, copy)
    return copy, keep


def compare_after_build(args: argparse.Namespace, result: Any, old: Path | None) -> int:
    if old is None or result.output is None:
        return 0
    return run_diff(old, result.output, result.output.parent, args.dpi, result.pages, verbosity(args))


def _common(p: argparse.ArgumentParser, *, layout: bool = True) -> None:
    if layout:
        p.add_argument("--layout", help="a layout folder under layouts/ (default: the content's 'layout')")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="print more: steps, timings, files watched")


def add_commands(sub: Any) -> None:
    """preview, watch and serve (they build), import and new (they write content), diff."""
    _add_live(sub)
    _add_ingest(sub)
    d = _parser(sub, "diff", "what changed between two PDFs of a page: highlighted PNGs and changed articles")
    d.add_argument("old", help="the earlier PDF")
    d.add_argument("new", help="the new PDF")
    d.add_argument("-o", "--output-dir", default="output", help="where to write <new>-diff-p<N>.png")
    d.add_argument("--dpi", type=arguments.dpi, default=100,
                   help="resolution of the comparison (default 100)")
    _common(d, layout=False)
    d.set_defaults(func=cmd_diff)


def _parser(sub: Any, name: str, text: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=text, description=text,
                                                epilog="examples:\n  " + EXAMPLES[name],
                                                formatter_class=argparse.RawDescriptionHelpFormatter)
    return p


def _building(p: argparse.ArgumentParser, dpi: int, dpi_help: str) -> None:
    """The arguments of every command that builds: content, --dpi, -o, --fit, --place, --accept-low-res,
    -q/-v."""
    p.add_argument("content", help="the content YAML file")
    p.add_argument("--dpi", type=arguments.dpi, default=dpi, help=f"{dpi_help} (default {dpi})")
    p.add_argument("-o", "--output", help="the PDF to write (default: output/<content name>.pdf)")
    p.add_argument("--fit", action="store_true", help="apply bounded auto-fit")
    from banmian.cli.main import add_low_res_option, add_place_option

    add_place_option(p)
    add_low_res_option(p)
    _common(p)


def _add_live(sub: Any) -> None:
    p = _parser(sub, "preview", "build, then one PNG per page in output/ (a spread: the spread, each plate)")
    _building(p, 100, "resolution of the PNGs")
    p.set_defaults(func=cmd_preview)

    w = _parser(sub, "watch", "rebuild whenever the content, its images, the layout or the fonts change")
    _building(w, 100, "resolution of the PNGs with --png")
    w.add_argument("--png", action="store_true", help="also refresh the page PNGs after each rebuild")
    w.add_argument("--interval", type=arguments.interval, default=0.3,
                   help="seconds between checks (default 0.3)")
    w.set_defaults(func=cmd_watch)

    s = _parser(sub, "serve", "a live preview page on 127.0.0.1: pages, zoom, fit table and diagnostics")
    _building(s, 72, "resolution of the page images")
    s.add_argument("--port", type=arguments.port, default=8765,
                   help="port on 127.0.0.1 (default 8765; 0 = any free)")
    s.set_defaults(func=cmd_serve, interval=0.3)


def _add_ingest(sub: Any) -> None:
    i = _parser(sub, "import", "a draft content YAML from a story in .docx, .txt or .md")
    i.add_argument("file", help="the story: FILE.docx, FILE.txt or FILE.md")
    i.add_argument("-o", "--output", help="the YAML to write (default: the project's "
                   "content/<file name>.yaml); "
                   "pictures go to images/ beside it")
    i.add_argument("--layout", default="broadsheet-page", help="the layout to name in the draft")
    i.add_argument("--force", action="store_true", help="overwrite an existing YAML")
    _common(i, layout=False)
    i.set_defaults(func=cmd_import)

    n = _parser(sub, "new", "a commented starter content file, content/NAME.yaml (never overwritten)")
    n.add_argument("name", help="the name: letters, digits, '-' and '_'")
    n.add_argument("--layout", default="broadsheet-page", help="the layout to use (default broadsheet-page)")
    n.add_argument("--dir", help="the folder to write into (default: the project's content/)")
    _common(n, layout=False)
    n.set_defaults(func=cmd_new)
