"""A watch on what a build touches: every file opened and every network attempt, via audit hooks.

``watch()`` is a context manager yielding a ``Watch``; while it is open, the process-wide audit hook
(installed once: audit hooks cannot be removed) records ``open`` events and socket/urllib events.
``Watch.opened_real()`` gives the real paths of every file opened (symlinks resolved afterwards, outside
the hook), so a file reached through a link is still caught.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request",
                  "http.client.connect", "ftplib.connect")


@dataclass
class Watch:
    opened: list[str] = field(default_factory=list)
    network: list[tuple[str, str]] = field(default_factory=list)

    def opened_real(self) -> set[Path]:
        out = set()
        for name in self.opened:
            try:
                out.add(Path(name).resolve())
            except (OSError, RuntimeError, ValueError):
                out.add(Path(name))
        return out


_current: list[Watch] = []
_installed = False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _current:
        return
    watch = _current[-1]
    if event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
        watch.opened.append(os.fsdecode(args[0]))
    elif event in NETWORK_EVENTS:
        watch.network.append((event, repr(args)[:200]))


@contextmanager
def watch() -> Iterator[Watch]:
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    w = Watch()
    _current.append(w)
    try:
        yield w
    finally:
        _current.remove(w)
