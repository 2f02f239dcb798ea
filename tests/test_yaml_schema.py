"""Content YAML is read by the YAML 1.2 core schema: no octal ``010``, no sexagesimal ``1:30``, no yes/no
booleans, no date from ``0``; every tag and number either loads or is one located error (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from banmian.cli.main import main
from banmian.core.diagnostics import BuildError
from banmian.source.load import load
from banmian.source.yamlsrc import read_yaml

from .bad_corpus import chart_doc, doc, meta
from .conftest import examples


def read(tmp_path: Path, text: str) -> object:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path).data


@pytest.mark.parametrize(("text", "value"), [
    ("010", 10), ("0377", 377), ("-007", -7), ("0o17", 15), ("0x1F", 31), ("1:30", "1:30"),
    ("190:20:30", "190:20:30"), ("1_000", "1_000"), ("0b101", "0b101"), ("yes", "yes"), ("No", "No"),
    ("on", "on"), ("y", "y"), ("true", True), ("FALSE", False), ("~", None), ("null", None), ("", None),
    ("1e3", 1000.0), (".5", 0.5), ("-.inf", float("-inf")), ("2025-06-28", "2025-06-28"),
    ("!!timestamp 2025-06-28", dt.date(2025, 6, 28)), ("!!int 010", 10), ("!!str 010", "010"),
    ("!!float 1", 1.0), ("!!bool true", True), ("!!null ~", None),
])
def test_scalars_are_read_by_the_yaml_1_2_core_schema(tmp_path: Path, text: str, value: object) -> None:
    assert read(tmp_path, f"a: {text}\n") == {"a": value}


def test_keys_are_text(tmp_path: Path) -> None:
    data = read(tmp_path, "yes: 1\n1: 2\nnull: 3\ntrue: 4\n")
    assert data == {"yes": 1, "1": 2, "null": 3, "true": 4}


def test_the_page_prints_what_yaml_1_2_reads(tmp_path: Path) -> None:
    """``page: 010`` printed 第8版 and ``issue: 1:30`` printed 90 (YAML 1.1); now 第10版 and 1:30."""
    path = tmp_path / "numbers.yaml"
    path.write_text(meta("  page: 010\n  issue: 1:30\n  section: yes\n  editor: 007\n"), encoding="utf-8")
    out = tmp_path / "numbers.pdf"
    assert main(["build", "-q", str(path), "-o", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
    assert "第10版" in text and "第8版" not in text
    assert "1:30" in text and "yes" in text
    assert "007" in text  # a number where text is wanted prints as written, leading zeros included


# --- Hypothesis: the tag and number space ----------------------------------------------------------------

TAGS = ["", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "! ", "!!binary ",
        "!!set ", "!!python/name:os.system ", "!custom ", "!!map ", "!!seq "]
SPECIAL = [".inf", "-.Inf", ".NaN", "nan", "1e400", "-1e400", "5.0e-324", "1_000", "1:30", "190:20:30",
           "0377", "010", "+1", "-0", ".5", "5.", "1e5", "0x1F", "0o17", "0b101", "0xZZ", "yes", "No", "on",
           "OFF", "y",
           "~", "null", "NULL", "True", "2025-06-28", "2025-13-45", "2025-02-30", "0000-01-01", "9999-12-31",
           "2025-06-28T12:00:00Z", "2001-12-14 21:59:43.10 -5", "1" * 101, "9" * 400, "-" + "9" * 99, "=",
           "<<", "'010'", '"1:30"']
NUMBERISH = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.integers(0, 10**6).map(lambda n: f"0{n}"),
    st.integers(0, 10**6).map(oct), st.integers(0, 10**6).map(hex),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(SPECIAL),
    st.text(alphabet="0123456789.:-+_eExXoO~", min_size=1, max_size=12),
)
PLACES = ["title", "body", "page", "date", "issue", "value", "key", "items"]


def placed(place: str, scalar: str) -> str:
    """A content document with ``scalar`` (tag and text as written in YAML) at ``place``."""
    if place in ("page", "date", "issue"):
        text = meta(f"  {place}: {scalar}\n")
        return text.replace("  date: 2025-06-28\n", "", 1) if place == "date" else text
    if place == "value":
        return chart_doc(f"[{{label: 甲, value: {scalar}}}, {{label: 乙, value: 1}}]")
    if place == "key":
        return doc(extra=f"    {scalar}: 1\n")
    if place == "items":
        return doc(extra=f"    sidebar:\n      title: 要点\n      items: [{scalar}]\n")
    return doc(**{place: scalar})


@settings(max_examples=examples(300))
@given(tag=st.sampled_from(TAGS), text=NUMBERISH, place=st.sampled_from(PLACES))
def test_every_tag_and_number_loads_or_is_a_located_error(tag: str, text: str, place: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_text(placed(place, tag + text), encoding="utf-8")
        try:
            document = load(path)
        except BuildError as exc:
            assert exc.diagnostics
            for d in exc.diagnostics:
                assert d.location.file == path and d.location.line, d.render()
                assert len(d.render()) < 500, d.render()
            return
    content = document.content
    assert 1 <= content.meta.page <= 999 and isinstance(content.meta.date, dt.date)
    if place == "page" and tag == "" and re.fullmatch(r"0[0-9]+", text):
        assert content.meta.page == int(text, 10)  # never octal
    if place == "issue" and tag == "" and ":" in text:
        assert content.meta.issue == text.strip()  # never sexagesimal
    if place == "date":
        assert content.meta.date.year >= 1  # a real date, never a number of days since 1970
        assert not re.fullmatch(r"[-+]?[0-9]+", text)
