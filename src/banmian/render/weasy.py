"""WeasyPrint, imported once and quickly.

Takes: nothing.
Gives: ``weasyprint()`` — the imported ``weasyprint`` module. WeasyPrint 70 finds its C libraries by
trying several names each (``libgobject-2.0-0``, ``gobject-2.0-0``, …, ``libgobject-2.0.so.0``); for
every name that is not a file cffi asks ``ctypes.util.find_library``, which on Linux starts ``ldconfig``
and ``gcc`` subprocesses — 0.15 s of a 0.4 s import. The names that work on Debian are sonames the
dynamic loader opens directly, so the import runs with ``find_library`` answering "not found"; should
that leave a library unloaded, the import is simply tried again the ordinary way.
"""

from __future__ import annotations

import functools
import importlib
import sys
from types import ModuleType


@functools.lru_cache(maxsize=1)
def weasyprint() -> ModuleType:
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        return importlib.import_module("weasyprint")
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = original
    return importlib.import_module("weasyprint")
