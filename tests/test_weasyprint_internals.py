"""The WeasyPrint internals banmian still leans on, checked so that an upgrade that changes them fails
here, by name and with WeasyPrint's version, instead of silently costing speed or changing pages.

- the optional HarfBuzz subsetter (``libharfbuzz-subset``) loads, through banmian's quick import too;
- the quick import (``banmian.render.weasy``, without ``find_library``) loads every library the ordinary
  import loads;
"""

from __future__ import annotations

import json
import subprocess
import sys

from banmian.render.weasy import FFI, SUBSETTER, internal, weasyprint

LIBRARIES = ["gobject", "pango", "harfbuzz", "harfbuzz_subset", "harfbuzz_vector", "fontconfig", "pangoft2"]
LOADED = ("import json, weasyprint.text.ffi as f; "
          f"print(json.dumps({{n: getattr(f, n, None) is not None for n in {LIBRARIES!r}}}))")


def _version() -> str:
    return f"WeasyPrint {weasyprint().__version__}"


def test_the_optional_harfbuzz_subsetter_loads() -> None:
    subsetter = internal(SUBSETTER)
    assert subsetter is not None, (
        f"{_version()}: weasyprint.text.ffi.harfbuzz_subset is gone or None — libharfbuzz-subset (Debian "
        "libharfbuzz-subset0) did not load, and WeasyPrint falls back to a slower subsetter")
    ffi = internal(FFI)
    handle = subsetter.hb_subset_input_create_or_fail()
    assert handle != ffi.NULL
    subsetter.hb_subset_input_destroy(handle)


def test_the_quick_import_loads_what_the_ordinary_import_loads() -> None:
    quick, ordinary = (json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                                 check=True).stdout)
                       for code in ("from banmian.render.weasy import weasyprint; weasyprint(); " + LOADED,
                                    "import weasyprint; " + LOADED))
    assert quick == ordinary, f"{_version()}: without find_library {quick}, the ordinary import {ordinary}"
    assert quick["harfbuzz_subset"]
