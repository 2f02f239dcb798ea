"""WeasyPrint, imported once and quickly.

Takes: nothing.
Gives: ``weasyprint()`` — the imported ``weasyprint`` module — and the names of the WeasyPrint internals
it relies on (``SUBSETTER``, ``FFI``), which ``tests/test_weasyprint_internals.py`` checks on every
upgrade, with WeasyPrint's version in the message.

1. The import without ``ctypes.util.find_library`` (Linux only). WeasyPrint 70 finds each C library by
   trying several names (``libgobject-2.0-0``, ``gobject-2.0-0``, …, ``libgobject-2.0.so.0``); cffi
   asks ``find_library`` about every name that is not a path, and on Linux that starts ``ldconfig``,
   ``gcc`` and ``ld`` subprocesses. Every list also holds the library's soname, which the dynamic
   loader opens directly, so during the import ``find_library`` answers "not found" and cffi raises the
   ``OSError`` WeasyPrint moves on from. A required library left unloaded raises ``OSError`` out of
   the import; the optional HarfBuzz subsetter (``libharfbuzz-subset``) is checked after it. Either
   way, the import is done again the ordinary way.
"""

from __future__ import annotations

import functools
import importlib
import sys
from types import ModuleType
from typing import Any

SUBSETTER = ("weasyprint.text.ffi", "harfbuzz_subset")  # module, attribute: the loaded subsetter or None
FFI = ("weasyprint.text.ffi", "ffi")  # WeasyPrint's cffi FFI object (the tests call the subsetter)


@functools.lru_cache(maxsize=1)
def weasyprint() -> ModuleType:
    return sys.modules.get("weasyprint") or _quick_import() or importlib.import_module("weasyprint")


def internal(name: tuple[str, str]) -> Any:
    """One of the WeasyPrint internals above (``None`` when the module or the attribute is gone)."""
    module, attribute = name
    return getattr(sys.modules.get(module) or importlib.import_module(module), attribute, None)


def _quick_import() -> ModuleType | None:
    """WeasyPrint imported without ``find_library``; ``None`` (and nothing imported) if that left a
    library unloaded that the ordinary import might find."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        module = importlib.import_module("weasyprint")
        if internal(SUBSETTER) is not None:
            return module
    except OSError:
        pass
    finally:
        ctypes.util.find_library = original
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        del sys.modules[name]
    return None
