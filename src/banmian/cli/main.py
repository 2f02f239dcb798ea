"""The command line: a thin layer over the pipeline stages.

Takes: ``argv``.
Gives: an exit status — 0 on success, 1 when the input or the page has errors (each printed as one
``file:line: error: …`` line), 2 for a usage error, 70 for an internal error (never a traceback unless
``BANMIAN_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from banmian.cli import arguments
from banmian.cli.project import add_project_option, project_of, world_of
from banmian.core.diagnostics import ACCEPTED_LOW_RES, BuildError, Diagnostic, Severity, display_path

EXAMPLES = {
    "build": "banmian build content/beibei-dangjian.yaml\n  banmian build content/x.yaml --layout "
             "a4-newsletter -o out.pdf\n  banmian build content/x.yaml --proof\n"
             "  banmian build content/x.yaml --compare old/x.pdf   # reprint: what changed",
    "fonts": "banmian fonts",
    "preflight": "banmian preflight output/beibei-dangjian.pdf\n  banmian preflight x.pdf --json "
                 "--ink-limit 260",
    "fit": "banmian fit content/beibei-dangjian.yaml\n  banmian fit content/x.yaml --layout "
           "tabloid-spread --json",
    "check": "banmian check output/beibei-dangjian.pdf\n  banmian check any.pdf --json --strict",
}


if TYPE_CHECKING:
    from banmian.pipeline import BuildResult

HOLES = ("hole", "underset")  # diagnostic codes of empty areas in a page


def readiness(result: BuildResult) -> str:
    """What the last line says of the page: ``print-ready`` only when nothing stands against it — no
    hole, no warning of the build (a photo the editor asked to print at low resolution excepted: that
    is a decision, not a defect) and a preflight without errors. Preflight warnings (e.g. a photo under
    300 ppi) are counted in the line, not held against it."""
    report = result.preflight
    preflight = set(report.diagnostics) if report is not None else set()
    holes = [d for d in result.diagnostics if d.code in HOLES]
    if holes:  # an empty slot, a module left short: never print-ready, whatever the preflight says
        return f"; not print-ready: {len(holes)} hole{'s' if len(holes) != 1 else ''} in the page (above)"
    standing = [d for d in result.diagnostics if d.severity == Severity.WARNING and d not in preflight
                and d.code != ACCEPTED_LOW_RES]
    if standing:
        kinds = ", ".join(sorted({d.code or "warning" for d in standing}))
        return (f"; not print-ready: {len(standing)} warning{'s' if len(standing) != 1 else ''} above "
                f"({kinds})")
    if report is None or not report.ok:
        return ""
    return f"; print-ready: preflight 0 errors, {report.warnings} warnings, {report.pdf_x or 'not PDF/X'}"


def _print_diags(diags: Sequence[Diagnostic], *, quiet: bool = False) -> None:
    for d in diags:
        if quiet and d.severity < Severity.ERROR:
            continue
        print(d.render(), file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from banmian.cli.workflow import compare_after_build, keep_for_compare
    from banmian.pipeline import BuildOptions, build, default_output

    start = time.perf_counter()
    world = world_of(args, args.content)
    options = BuildOptions(layout=args.layout, output=Path(args.output) if args.output else None,
                           proof=args.proof, strict=args.strict, fit=args.fit, pdf_x=args.pdf_x,
                           place=args.place, accept_low_res=args.accept_low_res)
    old, keep = keep_for_compare(args.compare, options.output or default_output(Path(args.content),
                                                                                 world.root))
    if old is not None:  # a reprint: an automatically placed page keeps its modules while they hold
        from banmian.export.record import article_boxes

        options = replace(options, previous=article_boxes(old))
    result = build(Path(args.content), options, world)
    _print_diags(result.diagnostics, quiet=args.quiet)
    took = time.perf_counter() - start
    if result.proof:
        print(f"proof: {_rel(result.proof)}")
    ready = readiness(result)
    count = len(result.pages)
    if len(result.outputs) > 1:  # a spread: two plates and the spread proof
        print(f"wrote {', '.join(_rel(p) for p in result.outputs)} ({took:.2f} s){ready}")
    else:
        print(f"wrote {_rel(result.output)} ({count} page{'s' if count != 1 else ''}, {took:.2f} s)"
              f"{ready}")
    if getattr(args, "verbose", False):
        print("  " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items()), file=sys.stderr)
    status = compare_after_build(args, result, old)
    if keep is not None:
        keep.cleanup()
    return status


def cmd_fit(args: argparse.Namespace) -> int:
    from banmian.compose.fit import fit_rows, format_json, format_table
    from banmian.core.diagnostics import has_errors
    from banmian.pipeline import BuildOptions, compose

    options = BuildOptions(layout=args.layout, fit=args.fit, place=args.place)
    world = world_of(args, args.content)
    composed = compose(Path(args.content), options, world)
    rows = [row for page in composed.pages for row in fit_rows(page)]
    photos = _photo_rows(composed, world)
    if args.json:
        print(format_json(rows, photos))
    else:
        print(format_table(rows))
        _print_diags([d for d in composed.diagnostics if d.code not in ("overset", "underset")],
                     quiet=args.quiet)
        _print_photos(photos)
    return 1 if has_errors(composed.diagnostics, strict=args.strict) else 0


CROP_REASONS = {"crop": "crop", "focus": "focus", "detail": "most detail", "whole": "whole picture"}


def _photo_rows(composed: Any, world: Any) -> list[dict[str, Any]]:
    """Each photo's frame (mm) and the part of the picture it shows (fractions x, y, w, h: what ``crop:``
    takes), and why that part; a photo that cannot be read is reported and left out."""
    from banmian.core.units import MM
    from banmian.pipeline import framed_photos

    try:
        photos = framed_photos(composed, world)
    except BuildError as exc:
        _print_diags(exc.diagnostics)
        return []
    return [{"file": Path(placed.figure.path).name,
             "location": f"{display_path(placed.location.file or Path())}:{placed.location.line}",
             "frame_mm": [round(placed.figure.rect.w / MM, 1), round(placed.figure.rect.h / MM, 1)],
             "crop": [round(v, 4) for v in image.crop], "why": image.how,
             "fit": placed.ref.fit or "cover", "ppi": round(image.ppi)}
            for placed, image in photos]


def _print_photos(photos: list[dict[str, Any]]) -> None:
    if photos:
        print("photos (crop: x, y, w, h as fractions of the picture):")
    for photo in photos:
        box = ", ".join(f"{v:.2f}" for v in photo["crop"])
        contain = " contain" if photo["fit"] == "contain" else ""
        w, h = photo["frame_mm"]
        print(f"  {photo['file']}  {photo['location']}  frame {w:.1f}×{h:.1f} mm  "
              f"crop: [{box}] ({CROP_REASONS.get(photo['why'], photo['why'])}{contain})  {photo['ppi']} ppi")


def cmd_preflight(args: argparse.Namespace) -> int:
    from banmian.check.preflight import format_json, format_table, preflight

    report = preflight(Path(args.pdf), ink_limit=args.ink_limit)
    if args.json:
        print(format_json(report))
    else:
        print(format_table(report))
        _print_diags(report.diagnostics, quiet=args.quiet)
    failing = report.errors or (args.strict and report.warnings)
    return 1 if failing else 0


def cmd_fonts(args: argparse.Namespace) -> int:
    from banmian.source.fonts import load_fonts

    manifest = Path(args.manifest) if args.manifest else project_of(args).fonts_manifest
    fonts = load_fonts(manifest)
    print(f"fonts of {_rel(manifest)}")
    width = max(len(name) for name in fonts.roles)
    for name, role in fonts.roles.items():
        print(f"{name:<{width}}  {role.family} {role.weight:<4} {role.file}#{role.index}"
              f"  ({role.package})  {role.label}")
    return 0


def cmd_layouts(args: argparse.Namespace) -> int:
    """One line per layout: name, kind, trim (× pages), columns, slots, description, and where it is
    (the project's ``layouts/`` or built in)."""
    from banmian.core.units import MM
    from banmian.source.project import builtin_layouts, known_layouts

    world = world_of(args)
    failed = 0
    for name, folder in known_layouts(world.layout_roots).items():
        try:
            lay = world.layout(name)
        except BuildError as exc:
            _print_diags(exc.diagnostics)
            failed = 1
            continue
        w, h = lay.spec.page.trim
        pages = f" × {lay.pages} pages" if lay.pages > 1 else ""
        slots = f"{len(lay.spec.slots)} slots" if lay.spec.kind == "modules" else "flow"
        if lay.spec.kind == "modules" and lay.spec.placement.mode == "auto":
            slots = "auto"  # modules chosen for the content
        where = "" if folder.parent == builtin_layouts() else f"  ({_rel(folder)}/)"
        print(f"{name:<20} {w:g}×{h:g} mm{pages:<10} {lay.spec.grid.columns} columns × "
              f"{lay.spec.grid.column_chars:g} 字  {lay.type_width / MM:.0f} mm  {slots:<9} "
              f"{lay.spec.description}{where}")
    return failed


def cmd_new_layout(args: argparse.Namespace) -> int:
    """Copy layout X (the project's or a built-in one) to the project's ``layouts/NAME``, its layout.yaml
    given its own name and a description to edit (not the source's)."""
    import re
    import shutil

    from banmian.core.diagnostics import error
    from banmian.source.layout import LAYOUT_NAME
    from banmian.source.project import describe_layouts, known_layouts

    here = project_of(args)
    roots = here.layout_roots
    known = known_layouts(roots)
    target = here.layouts / args.name
    if not LAYOUT_NAME.match(args.name):
        raise BuildError([error(f"bad layout name {args.name!r}", code="layout",
                                hint="letters, digits, '-' and '_', starting with a letter or digit")])
    if args.source not in known:
        raise BuildError([error(f"no layout {args.source!r} to copy", code="layout",
                                hint=f"known layouts: {describe_layouts(roots)}")])
    if args.name in known or target.exists():
        raise BuildError([error(f"layout {args.name!r} exists already", code="layout",
                                hint="choose another name")])
    source = known[args.source]
    # a link stays a link (refused at build when it leads out), never a copy of the file it points at
    shutil.copytree(source, target, symlinks=True)
    yaml_path = target / "layout.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^name:.*$", f"name: {args.name}", text, count=1)
    if not count:
        text = f"name: {args.name}\n" + text
    about = f'description: "a copy of {args.source}: say what {args.name} is for"  # banmian layouts shows it'
    text, count = re.subn(r"(?m)^description:.*$", lambda _: about, text, count=1)
    if not count:
        text = re.sub(r"(?m)^name:.*$", lambda m: f"{m.group(0)}\n{about}", text, count=1)
    yaml_path.write_text(text, encoding="utf-8")
    print(f"created {_rel(target)} from {args.source}: edit {_rel(yaml_path)}")
    return 0
def cmd_check(args: argparse.Namespace) -> int:
    from banmian.check.lint import check_pdf
    from banmian.check.pdffile import require_pdf

    path = Path(args.pdf)
    require_pdf(path)
    report = check_pdf(path)
    if args.json:
        print(report.to_json(args.strict))
    else:
        print(report.format_table(args.strict))
        diags = report.diagnostics(args.strict)
        shown = [d for d in diags if d.code != "ragged"] + [d for d in diags if d.code == "ragged"][:20]
        _print_diags(shown, quiet=args.quiet)
        if len(shown) < len(diags):
            print(f"… and {len(diags) - len(shown)} more ragged lines (--json lists them all)",
                  file=sys.stderr)
    return 0 if report.ok(args.strict) else 1


_rel = display_path


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="banmian", description="版面 — Chinese newspaper pages from YAML "
                                "content to print-ready PDF.")
    p.add_argument("-q", "--quiet", action="store_true", dest="quiet_all", help="print errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="print more detail")
    add_project_option(p, command=False)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_build(sub)
    _add_fit(sub)
    _add_layout_commands(sub)
    _add_preflight_and_fonts(sub)
    from banmian.cli.workflow import add_commands

    add_commands(sub)  # preview, watch, serve, import, new, diff
    from banmian.cli.place import add_command as add_place

    add_place(sub)
    _add_check(sub)
    for command in sub.choices.values():  # ``banmian build x.yaml --project DIR`` as well as before it
        add_project_option(command, command=True)
    return p


def _command(sub: Any, name: str, text: str, example: str, **kwargs: Any) -> argparse.ArgumentParser:
    """A subcommand with its help and examples."""
    command: argparse.ArgumentParser = sub.add_parser(
        name, help=text, epilog="examples:\n  " + example,
        formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)
    return command


def _add_build(sub: Any) -> None:
    b = _command(sub, "build", "build the PDF of a content file", EXAMPLES["build"])
    b.add_argument("content", help="the content YAML file")
    b.add_argument("--layout", help="a layout folder under layouts/ (default: the content's 'layout')")
    b.add_argument("-o", "--output", help="where to write the PDF (default: output/<content name>.pdf)")
    b.add_argument("--proof", action="store_true",
                   help="also write <output>.proof.pdf, with overset marked, even when the page has errors")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    add_low_res_option(b)
    b.add_argument("--fit", action="store_true",
                   help="auto-fit within the layout's limits (tracking, photo height) and report how")
    add_place_option(b)
    b.add_argument("--pdf-x", action=argparse.BooleanOptionalAction, default=None,
                   help="write PDF/X-4 with the layout's press profile as output intent "
                        "(default: the layout's print.pdf_x, on for newspaper layouts)")
    b.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    b.add_argument("-v", "--verbose", action="store_true", help="print the time of each stage")
    b.add_argument("--compare", metavar="OLD.pdf",
                   help="after building, mark what changed against OLD.pdf (see 'banmian diff')")
    b.add_argument("--dpi", type=arguments.dpi, default=100, help="resolution of the --compare images")
    b.set_defaults(func=cmd_build)


def _add_fit(sub: Any) -> None:
    t = _command(sub, "fit", "how much text each frame holds and needs (lines and 字)", EXAMPLES["fit"])
    t.add_argument("content", help="the content YAML file")
    t.add_argument("--layout", help="a layout folder under layouts/")
    t.add_argument("--json", action="store_true", help="machine-readable output")
    t.add_argument("--fit", action="store_true", help="apply bounded auto-fit first")
    add_place_option(t)
    t.add_argument("--strict", action="store_true", help="treat warnings as errors")
    t.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    t.set_defaults(func=cmd_fit)


def add_low_res_option(p: argparse.ArgumentParser) -> None:
    """``--accept-low-res``: photos under 200 ppi printed, each with a warning."""
    p.add_argument("--accept-low-res", action="store_true",
                   help="print photos under 200 ppi, each with a warning naming it (a photo's own "
                        "'min_ppi: N' does this for one photo)")


def add_place_option(p: argparse.ArgumentParser) -> None:
    """``--place auto|fixed``: choose every article's module, or keep the layout's slots."""
    p.add_argument("--place", choices=("auto", "fixed"), default=None,
                   help="auto: choose each article's module so the page is full (自动组版); fixed: the "
                        "layout's slots (default: the layout's 'placement', fixed when it has slots)")


def _add_layout_commands(sub: Any) -> None:
    ls = _command(sub, "layouts", "list the layouts with their size, columns and slots", "banmian layouts")
    ls.set_defaults(func=cmd_layouts)
    nl = _command(sub, "new-layout", "start a layout as a copy of another",
                  "banmian new-layout my-tabloid --from tabloid-spread")
    nl.add_argument("name", help="the new layout's folder name under layouts/")
    nl.add_argument("--from", dest="source", required=True, help="the layout to copy")
    nl.set_defaults(func=cmd_new_layout)


def _add_preflight_and_fonts(sub: Any) -> None:
    pf = _command(sub, "preflight", "check a PDF the way a printing plant does", EXAMPLES["preflight"])
    pf.add_argument("pdf", help="the PDF file")
    pf.add_argument("--json", action="store_true", help="machine-readable output")
    pf.add_argument("--ink-limit", type=arguments.ink_limit, default=240,
                    help="total ink limit in percent (default 240)")
    pf.add_argument("--strict", action="store_true", help="treat warnings as errors")
    pf.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    pf.set_defaults(func=cmd_preflight)
    f = _command(sub, "fonts", "list the font roles and the files they resolve to", EXAMPLES["fonts"])
    f.add_argument("--manifest", help="a fonts.yaml (default: fonts/fonts.yaml)")
    f.set_defaults(func=cmd_fonts)


def _add_check(sub: Any) -> None:
    c = _command(sub, "check", "typographic lint of any PDF: kinsoku, flush lines, gaps, 孤字, fonts",
                 EXAMPLES["check"],
                 description="Exit status 1 when the PDF has kinsoku violations or 孤字, fewer than "
                 "99.5 %% of its non-final body lines flush right (±0.5 pt), or a font not embedded; "
                 "--strict also fails on an added gap > 0.15 em, overfull lines, Type3 fonts and what a "
                 "proofreader marks: proportional marks in Chinese text, rules touching type, a run-in "
                 "head on a column's last line, columns of one text ending more than a line apart.")
    c.add_argument("pdf", help="the PDF file")
    c.add_argument("--json", action="store_true", help="machine-readable output (the same numbers)")
    c.add_argument("--strict", action="store_true",
                   help="also fail on gaps > 0.15 em, overfull lines, Type3 fonts and the "
                        "proofreader's marks (proportional marks, rules on type, run-in heads at a "
                        "column end, uneven columns)")
    c.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    c.set_defaults(func=cmd_check)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "quiet_all", False):  # ``banmian -q build …`` as ``banmian build -q …``
        args.quiet = True
    try:
        status: int = args.func(args)
        return status
    except BrokenPipeError:  # ``banmian preflight x.pdf | head``: the reader has gone, not an error
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python's exit flush quiet
        return 0
    except BuildError as exc:
        _print_diags(exc.diagnostics)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the machine, not banmian: a disk full, a file taken away, a permission
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug in banmian, not in the input
        if os.environ.get("BANMIAN_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set BANMIAN_DEBUG=1 for details)",
              file=sys.stderr)
        return 70


def run() -> None:
    """The console script: ``main``, then an exit that skips the interpreter's teardown (freeing every
    object of a finished build costs about 0.1 s of a one-shot command). Output is flushed first; every
    file banmian writes is complete and closed before ``main`` returns (``core.atomic.write_atomic``)."""
    status = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)
