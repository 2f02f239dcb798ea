"""WeasyPrint, imported once and quickly, with two measured speed-ups on private ground.

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
2. HarfBuzz arrays of one C type: WeasyPrint builds subsetting arrays with
   ``ffi.new(f"hb_codepoint_t[{n}]", data)``; every new length is a new C type that cffi parses with
   pycparser (milliseconds each, dozens per spread). ``hb_codepoint_t[]`` with the same data is the same
   array, parsed once. A wrapper on WeasyPrint's ``ffi.new`` (process-wide: the ffi object is
   WeasyPrint's own) makes that substitution and passes every other call through unchanged.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
from types import ModuleType
from typing import Any

SUBSETTER = ("weasyprint.text.ffi", "harfbuzz_subset")  # module, attribute: the loaded subsetter or None
FFI = ("weasyprint.text.ffi", "ffi")  # WeasyPrint's cffi FFI object
_SIZED_ARRAY = re.compile(r"^(hb_codepoint_t|uint32_t|unsigned int)\[\d+\]$")


@functools.lru_cache(maxsize=1)
def weasyprint() -> ModuleType:
    module = sys.modules.get("weasyprint") or _quick_import() or importlib.import_module("weasyprint")
    _share_array_types()
    return module


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


def _share_array_types() -> None:
    ffi = internal(FFI)
    original = getattr(ffi, "new", None)
    if original is None or getattr(original, "banmian", False):
        return

    def new(cdecl: Any, init: Any = None) -> Any:
        if isinstance(cdecl, str) and init is not None and _SIZED_ARRAY.match(cdecl):
            return original(cdecl.split("[", 1)[0] + "[]", init)
        return original(cdecl, init)

    new.banmian = True  # type: ignore[attr-defined]
    new.__wrapped__ = original  # type: ignore[attr-defined]
    ffi.new = new
