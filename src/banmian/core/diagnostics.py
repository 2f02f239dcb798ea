"""Diagnostics: the one type every stage uses to report a problem.

Takes: a severity, an optional source location (file, line, column, key path), a message and a hint.
Gives: ``Diagnostic`` values that stages return beside their results, ``BuildError`` that carries a
list of them when a stage cannot go on, a one-line rendering ``file:line: severity: message``, and
``excerpt``: a value quoted for a message, shortened (an input may hold megabytes in one value).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ACCEPTED_LOW_RES = "resolution-accepted"  # the code of a photo under 200 ppi the editor asked to print

class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Location:
    """Where in a source file a diagnostic points (1-based line and column)."""

    file: Path | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None  # key path, e.g. ``articles[2].images[0].src``

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(display_path(self.file))
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None
    code: str = ""  # short stable identifier, e.g. ``overset``, ``schema``

    def render(self) -> str:
        where = str(self.location)
        key = f" [{self.location.key}]" if self.location.key else ""
        head = f"{where}: " if where else ""
        text = f"{head}{self.severity}: {self.message}{key}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


def error(message: str, location: Location | None = None, *, hint: str | None = None,
          code: str = "") -> Diagnostic:
    return Diagnostic(Severity.ERROR, message, location or Location(), hint, code)


def warning(message: str, location: Location | None = None, *, hint: str | None = None,
            code: str = "") -> Diagnostic:
    return Diagnostic(Severity.WARNING, message, location or Location(), hint, code)


def info(message: str, location: Location | None = None, *, hint: str | None = None,
         code: str = "") -> Diagnostic:
    return Diagnostic(Severity.INFO, message, location or Location(), hint, code)


class BuildError(Exception):
    """A stage could not go on; carries every diagnostic collected so far."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.render() for d in self.diagnostics))


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    limit = Severity.WARNING if strict else Severity.ERROR
    return any(d.severity >= limit for d in diagnostics)


MAX_ECHO = 40  # characters of a value a message repeats


def excerpt(value: object, limit: int = MAX_ECHO) -> str:
    """``value`` as a message quotes it: text in quotes, cut to ``limit`` characters (then its length)."""
    try:
        text = value if isinstance(value, str) else str(value)
    except ValueError:  # an int beyond Python's digit limit for str()
        return "a number of thousands of digits"
    if len(text) <= limit:
        return repr(text) if isinstance(value, str) else text
    cut = text[:limit - 1] + "…"
    return f"{cut!r} ({len(text)} characters)" if isinstance(value, str) else f"{cut} ({len(text)} digits)"


def display_path(path: Path | None) -> str:
    """A path as the user should read it: relative to the working folder when under it."""
    if path is None:
        return "-"
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
