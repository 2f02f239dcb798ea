"""Package data: the files banmian ships, found through ``importlib.resources`` wherever it is installed.

Takes: a package (``"banmian.render"``) and a path inside it (``"templates"``).
Gives: ``package_path`` — a real filesystem path to that file or folder, for the readers that need one
(Jinja2's file loader, WeasyPrint's base URL, the confined fetcher's roots, the layout loader). From an
ordinary install or a source checkout the files are on disk already and their path is returned as it
is; from a zip import they are extracted once, for the life of the process.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
from importlib import resources
from pathlib import Path

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


@functools.cache
def package_path(package: str, *parts: str) -> Path:
    resource = resources.files(package).joinpath(*parts)
    return _extracted.enter_context(resources.as_file(resource))
