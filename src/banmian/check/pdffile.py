"""A file given as a PDF: looked at before a command (check, diff, build --compare) works on it.

Takes: a path from the command line and what the command calls it (``the old PDF``, ``--compare``).
Gives: ``require_pdf`` — nothing when pikepdf opens the file as a PDF with pages, else a ``BuildError``
naming the file and why (missing, a folder, not a PDF, encrypted, no pages): one error line, never an
exception from a PDF library deeper in the command.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from banmian.core.diagnostics import BuildError, Location, error

HINT = "give a PDF file, e.g. the one banmian build wrote to output/"


def require_pdf(path: Path, what: str = "") -> None:
    problem = _problem(path)
    if problem is not None:
        message = f"{what}: {problem}" if what else problem
        raise BuildError([error(message, Location(path), code="pdf", hint=HINT)])


def _problem(path: Path) -> str | None:
    if path.is_dir():
        return "a folder, not a PDF"
    if not path.is_file():
        return "no such file"
    try:
        with pikepdf.open(path) as pdf:
            return None if len(pdf.pages) else "a PDF without pages"
    except pikepdf.PasswordError:
        return "an encrypted PDF"
    except pikepdf.PdfError as exc:
        return f"not a readable PDF ({re.sub(r'^.*?: ', '', str(exc), count=1)})"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
