"""The WeasyPrint internals banmian still leans on, checked so that an upgrade that changes them fails
here, by name and with WeasyPrint's version, instead of silently costing speed or changing pages.

- the optional HarfBuzz subsetter (``libharfbuzz-subset``) loads, through banmian's quick import too;
- the quick import (``banmian.render.weasy``, without ``find_library``) loads every library the ordinary
  import loads;
- the lean user-agent stylesheet hook (``HTML._ua_stylesheets``) is still called;
- WeasyPrint still builds sized HarfBuzz arrays, which ``banmian.render.weasy``'s ``ffi.new`` wrapper
  turns into one array type, and the PDF is the same with the wrapper as without it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from banmian.render.html import UA_HOOK, lean_html_class
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


def _pdf(html: str, tmp_path: Path, name: str, **options: Any) -> Path:
    out = tmp_path / name
    out.write_bytes(lean_html_class()(string=html).write_pdf(**options))
    return out


def test_the_lean_user_agent_stylesheet_is_used(tmp_path: Path) -> None:
    assert callable(getattr(weasyprint().HTML, UA_HOOK, None)), \
        f"{_version()}: HTML.{UA_HOOK} is gone; banmian.render.html.lean_html_class needs a new route"
    out = _pdf("<h1>Banmian</h1>", tmp_path, "ua.pdf")
    with pdfplumber.open(out) as pdf:
        sizes = {round(c["size"]) for c in pdf.pages[0].chars}
    # WeasyPrint's own sheet sets h1 in 2em bold (24 pt); banmian's lean sheet leaves it at 1em (12 pt)
    assert sizes == {12}, f"{_version()} no longer calls HTML.{UA_HOOK}: h1 set in {sizes} pt"


def test_sized_harfbuzz_arrays_still_come_through_the_wrapper(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ffi = internal(FFI)
    wrapper = ffi.new
    assert getattr(wrapper, "banmian", False), f"{_version()}: ffi.new is not banmian's wrapper"
    sized: list[str] = []

    def spy(cdecl: Any, init: Any = None) -> Any:
        if isinstance(cdecl, str) and cdecl.startswith("hb_codepoint_t[") and cdecl != "hb_codepoint_t[]":
            sized.append(cdecl)
        return wrapper(cdecl, init)

    html = "<p>Banmian 版面 0123456789</p>"
    monkeypatch.setattr(ffi, "new", spy)
    wrapped = _pdf(html, tmp_path, "wrapped.pdf")
    assert sized, f"{_version()} builds no sized HarfBuzz array any more: the ffi.new wrapper in " \
                  "banmian.render.weasy does nothing and can go"
    monkeypatch.setattr(ffi, "new", wrapper.__wrapped__)  # cffi's own
    plain = _pdf(html, tmp_path, "plain.pdf")
    assert wrapped.read_bytes() == plain.read_bytes()
