"""Console: how the command line shows progress — quiet, normal or verbose.

Takes: the verbosity chosen on the command line (``-q`` → -1, default 0, ``-v`` → 1).
Gives: ``Console`` with ``step(message)`` for long work — a rich spinner on an interactive stderr,
plain lines with ``-v``, nothing with ``-q`` or when stderr is not a terminal — ``say`` for results
(stdout, silenced by ``-q``) and ``detail`` for ``-v`` only.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any


class Console(AbstractContextManager["Console"]):
    def __init__(self, verbosity: int = 0):
        self.verbosity = verbosity
        self._status: Any = None

    def __enter__(self) -> Console:
        if self.verbosity == 0 and sys.stderr.isatty():
            from rich.console import Console as RichConsole

            self._status = RichConsole(stderr=True).status("working…")
            self._status.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def step(self, message: str) -> None:
        if self._status is not None:
            self._status.update(message + "…")
        elif self.verbosity > 0:
            print(message + "…", file=sys.stderr)

    def say(self, message: str) -> None:
        if self.verbosity >= 0:
            print(message)

    def detail(self, message: str) -> None:
        if self.verbosity > 0:
            print(message, file=sys.stderr)


def verbosity(args: Any) -> int:
    if getattr(args, "quiet", False):
        return -1
    return 1 if getattr(args, "verbose", False) else 0
