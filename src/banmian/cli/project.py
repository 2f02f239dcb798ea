"""Which project a command works in: ``--project DIR``, ``BANMIAN_PROJECT``, or the one found.

Takes: parsed ``argparse`` arguments (``--project``, an option of ``banmian`` and of every command) and
the content file the command reads, if any.
Gives: ``project_of`` — the ``Project`` (see ``banmian.source.project.find_project``: the nearest folder
holding ``layouts/`` or ``content/``, from the content file's folder, then from the working folder,
else the working folder); ``world_of`` — the ``World`` a build in it sees.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from banmian.source.project import Project
    from banmian.source.world import World

HELP = ("the project folder: its layouts/ and fonts/ come before the built-in ones; output/ and new files "
        "go there (default: the nearest folder holding layouts/ or content/, looking up from the content "
        "file's folder, then from the working folder; also BANMIAN_PROJECT)")


def add_project_option(parser: argparse.ArgumentParser, *, command: bool) -> None:
    """``--project DIR`` on ``banmian`` itself and (``command``) on each command, so that it may stand
    before or after the command's name; a command's own default does not hide the global one."""
    parser.add_argument("--project", metavar="DIR", help=HELP, default=argparse.SUPPRESS if command else None)


def project_of(args: argparse.Namespace, content: str | None = None) -> Project:
    from banmian.source.project import find_project

    explicit = getattr(args, "project", None)
    return find_project(Path(content).parent if content else None, Path(explicit) if explicit else None)


def world_of(args: argparse.Namespace, content: str | None = None) -> World:
    from banmian.source.world import make_world

    return make_world(project_of(args, content).root)
