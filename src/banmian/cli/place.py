"""``banmian place``: the modules automatic placement chooses for a content file, and freezing them.

Takes: parsed ``argparse`` arguments — the content file, ``--layout``, ``--write NAME``, ``--json``.
Gives: an exit status (0: placed; 1: the content cannot fill the page, or the page has errors): a table
of every article's module (columns, grid lines, photo, sidebar, tracking) and the search's time; with
``--write NAME`` the layout copied to the project's ``layouts/NAME/`` with the chosen modules as its
``slots`` (``placement`` fixed), so the editor can adjust them by hand and reprint the same page with
``--layout NAME``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from banmian.core.diagnostics import BuildError, Diagnostic, Severity, display_path, error

EXAMPLE = ("banmian place content/issue-387.yaml --layout broadsheet-page\n"
           "  banmian place content/issue-387.yaml --layout tabloid-spread --write issue-387-spread\n"
           "  banmian build content/issue-387.yaml --layout issue-387-spread   # the same page, frozen")


def add_command(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "place", help="choose every article's module automatically (自动组版); --write freezes them",
        description="Choose every article's module so the page is full — nothing overset, no empty "
                    "area of three grid lines — and list them; --write NAME saves them as the slots of "
                    "a new layout in the project's layouts/.",
        epilog="examples:\n  " + EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("content", help="the content YAML file")
    p.add_argument("--layout", help="a module layout (default: the content's 'layout')")
    p.add_argument("--write", metavar="NAME",
                   help="write the modules as the slots of layouts/NAME/ (a copy of the layout)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.set_defaults(func=cmd_place)


def cmd_place(args: argparse.Namespace) -> int:
    from banmian.cli.project import project_of, world_of
    from banmian.compose.page import main_boxes
    from banmian.core.diagnostics import has_errors
    from banmian.pipeline import BuildOptions, compose

    world = world_of(args, args.content)
    options = BuildOptions(layout=args.layout, place="auto")
    composed = compose(Path(args.content), options, world)
    if composed.layout.spec.kind != "modules":
        raise BuildError([error(f"layout {composed.layout.name!r} is a flow layout: it has no modules to "
                                "place", code="usage", hint="choose a module layout (banmian layouts)")])
    boxes = [box for page in composed.pages for box in main_boxes(page)]
    rows = [_row(box) for box in boxes]
    seconds = composed.timings.get("placement", 0.0)
    if args.json:
        print(json.dumps({"layout": composed.layout.name, "seconds": round(seconds, 3), "modules": rows},
                         ensure_ascii=False, indent=2))
    else:
        print(_table(rows))
        print(f"placed {len(rows)} articles on {composed.layout.name} in {seconds:.2f} s")
    _print_diags(composed.diagnostics, quiet=args.quiet)
    if has_errors(composed.diagnostics):
        return 1
    if args.write:
        target = _write(project_of(args, args.content).layouts, composed, args.write, world,
                        Path(args.content))
        print(f"wrote {display_path(target / 'layout.yaml')}: build the same page with "
              f"banmian build {display_path(Path(args.content))} --layout {args.write}")
    return 0


def _row(box: Any) -> dict[str, Any]:
    slot = box.slot
    return {"article": box.id, "col": slot.col, "span": slot.span, "line": slot.line, "lines": slot.lines,
            "headline": slot.headline.lines if slot.headline.direction == "horizontal" else "vertical",
            "title_style": slot.headline.style or "title",
            "photo": None if slot.image is None else {"span": slot.image.span, "lines": slot.image.lines},
            "sidebar": None if slot.sidebar is None else {"span": slot.sidebar.span,
                                                          "lines": slot.sidebar.lines},
            "tracking": slot.tracking, "status": "fits" if box.fit.fits else "overset"}


def _table(rows: list[dict[str, Any]]) -> str:
    head = ("article", "columns", "lines", "headline", "photo", "sidebar", "tracking")
    table = [head]
    for r in rows:
        photo, side = r["photo"], r["sidebar"]
        table.append((r["article"], f"{r['col']}–{r['col'] + r['span'] - 1}",
                      f"{r['line']}–{r['line'] + r['lines'] - 1}", f"{r['headline']} ({r['title_style']})",
                      f"{photo['span']} col × {photo['lines']}" if photo else "-",
                      f"{side['span']} col × {side['lines']}" if side else "-",
                      f"{r['tracking'] * 100:+.1f} %" if r["tracking"] else "-"))
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in table)


def _write(layouts: Path, composed: Any, name: str, world: Any, content: Path) -> Path:
    """The layout copied to ``layouts/NAME`` with the placed modules as its slots."""
    from banmian.compose.page import main_boxes
    from banmian.source.layout import LAYOUT_NAME, frozen_layout_text
    from banmian.source.project import known_layouts

    target = layouts / name
    if not LAYOUT_NAME.match(name):
        raise BuildError([error(f"bad layout name {name!r}", code="layout",
                                hint="letters, digits, '-' and '_', starting with a letter or digit")])
    if name in known_layouts(world.layout_roots) or target.exists():
        raise BuildError([error(f"layout {name!r} exists already", code="layout",
                                hint="choose another name")])
    layout = composed.layout
    placed = {box.id: box.slot for page in composed.pages for box in main_boxes(page)}
    slots = [placed[a.id] for a in composed.doc.articles]  # in the content's order, as articles take them
    note = f"chosen by banmian place for {content.name}; edit freely"
    text = frozen_layout_text((layout.folder / "layout.yaml").read_text(encoding="utf-8"), name, slots, note)
    # a link stays a link (refused at build when it leads out), never a copy of the file it points at;
    # layout.yaml itself is written anew, never through a link
    shutil.copytree(layout.folder, target, symlinks=True)
    (target / "layout.yaml").unlink()
    (target / "layout.yaml").write_text(text, encoding="utf-8")
    return target


def _print_diags(diags: tuple[Diagnostic, ...], *, quiet: bool) -> None:
    for d in diags:
        if not (quiet and d.severity < Severity.ERROR):
            print(d.render(), file=sys.stderr)
