"""The command line: a thin layer over the pipeline stages.

Takes: ``argv``.
Gives: an exit status — 0 on success, 1 when the input or the page has errors (each printed as one
``file:line: error: …`` line), 2 for a usage error, 70 for an internal error (never a traceback unless
``BANMIAN_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from banmian.diagnostics import BuildError, Diagnostic, Severity

EXAMPLES = {
    "build": "banmian build content/beibei-dangjian.yaml\n  banmian build content/x.yaml --layout "
             "a4-newsletter -o out.pdf\n  banmian build content/x.yaml --proof",
    "fonts": "banmian fonts",
    "fit": "banmian fit content/beibei-dangjian.yaml\n  banmian fit content/x.yaml --layout "
           "tabloid-spread --json",
    "check": "banmian check output/beibei-dangjian.pdf\n  banmian check any.pdf --json --strict",
}


def _print_diags(diags: Sequence[Diagnostic], *, quiet: bool = False) -> None:
    for d in diags:
        if quiet and d.severity < Severity.ERROR:
            continue
        print(d.render(), file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from banmian.pipeline import BuildOptions, build
    from banmian.world import make_world

    start = time.perf_counter()
    world = make_world()
    options = BuildOptions(layout=args.layout, output=Path(args.output) if args.output else None,
                           proof=args.proof, strict=args.strict, fit=args.fit)
    result = build(Path(args.content), options, world)
    _print_diags(result.diagnostics, quiet=args.quiet)
    took = time.perf_counter() - start
    if result.proof:
        print(f"proof: {_rel(result.proof)}")
    count = len(result.pages)
    print(f"wrote {_rel(result.output)} ({count} page{'s' if count != 1 else ''}, {took:.2f} s)")
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from banmian.diagnostics import has_errors
    from banmian.fit import fit_rows, format_json, format_table
    from banmian.pipeline import BuildOptions, compose
    from banmian.world import make_world

    options = BuildOptions(layout=args.layout, fit=args.fit)
    composed = compose(Path(args.content), options, make_world())
    rows = [row for page in composed.pages for row in fit_rows(page)]
    if args.json:
        print(format_json(rows))
    else:
        print(format_table(rows))
        _print_diags([d for d in composed.diagnostics if d.code not in ("overset", "underset")],
                     quiet=args.quiet)
    return 1 if has_errors(composed.diagnostics, strict=args.strict) else 0


def cmd_fonts(args: argparse.Namespace) -> int:
    from banmian.fonts import default_manifest, load_fonts

    fonts = load_fonts(Path(args.manifest) if args.manifest else default_manifest())
    width = max(len(name) for name in fonts.roles)
    for name, role in fonts.roles.items():
        print(f"{name:<{width}}  {role.family} {role.weight:<4} {role.file}#{role.index}"
              f"  ({role.package})  {role.label}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from banmian.check import check_pdf
    from banmian.diagnostics import error

    path = Path(args.pdf)
    if not path.is_file():
        raise BuildError([error(f"no such PDF: {path}", code="check")])
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


def _rel(path: Path | None) -> str:
    if path is None:
        return "-"
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="banmian", description="版面 — Chinese newspaper pages from YAML "
                                "content to print-ready PDF.")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build the PDF of a content file",
                       epilog="examples:\n  " + EXAMPLES["build"],
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("content", help="the content YAML file")
    b.add_argument("--layout", help="a layout folder under layouts/ (default: the content's 'layout')")
    b.add_argument("-o", "--output", help="where to write the PDF (default: output/<content name>.pdf)")
    b.add_argument("--proof", action="store_true",
                   help="also write <output>.proof.pdf, with overset marked, even when the page has errors")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--fit", action="store_true",
                   help="auto-fit within the layout's limits (tracking, photo height) and report how")
    b.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    b.set_defaults(func=cmd_build)

    t = sub.add_parser("fit", help="how much text each frame holds and needs (lines and 字)",
                       epilog="examples:\n  " + EXAMPLES["fit"],
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    t.add_argument("content", help="the content YAML file")
    t.add_argument("--layout", help="a layout folder under layouts/")
    t.add_argument("--json", action="store_true", help="machine-readable output")
    t.add_argument("--fit", action="store_true", help="apply bounded auto-fit first")
    t.add_argument("--strict", action="store_true", help="treat warnings as errors")
    t.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    t.set_defaults(func=cmd_fit)

    f = sub.add_parser("fonts", help="list the font roles and the files they resolve to",
                       epilog="examples:\n  " + EXAMPLES["fonts"],
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    f.add_argument("--manifest", help="a fonts.yaml (default: fonts/fonts.yaml)")
    f.set_defaults(func=cmd_fonts)

    c = sub.add_parser("check", help="typographic lint of any PDF: kinsoku, flush lines, gaps, 孤字, fonts",
                       description="Exit status 1 when the PDF has kinsoku violations or 孤字, fewer than "
                       "99.5 %% of its non-final body lines flush right (±0.5 pt), or a font not embedded; "
                       "--strict also fails on an added gap > 0.15 em, overfull lines and Type3 fonts.",
                       epilog="examples:\n  " + EXAMPLES["check"],
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("pdf", help="the PDF file")
    c.add_argument("--json", action="store_true", help="machine-readable output (the same numbers)")
    c.add_argument("--strict", action="store_true",
                   help="also fail on gaps > 0.15 em, overfull lines and Type3 fonts")
    c.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    c.set_defaults(func=cmd_check)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status: int = args.func(args)
        return status
    except BuildError as exc:
        _print_diags(exc.diagnostics)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in banmian, not in the input
        if os.environ.get("BANMIAN_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set BANMIAN_DEBUG=1 for details)",
              file=sys.stderr)
        return 70
