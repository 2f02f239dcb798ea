"""The loader: the sample loads; every bad file gives located errors (file:line and key path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from banmian.core.diagnostics import BuildError
from banmian.source.load import load, parse_inline, split_paragraphs
from banmian.source.model import InlineSpan

from .conftest import SAMPLE

GOOD = """\
meta:
  publication: 北碚教育
  date: 2025-06-28
layout: broadsheet-page
articles:
  - id: a
    title: 标题
    body: |
      第一段。

      第二段。
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working folder


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(BuildError) as info:
        load(write(tmp_path, text))
    return [d.render() for d in info.value.diagnostics]


def test_sample_loads_without_warnings() -> None:
    doc = load(SAMPLE)
    assert [a.id for a in doc.articles] == ["chaoyang-kindergarten", "jinxing-primary", "liangjiang-primary",
                                            "beibei-experimental-kindergarten", "chaoyang-primary"]
    assert doc.diagnostics == ()


def test_unbalanced_quotes_are_a_warning_at_their_line(content_copy: Path) -> None:
    text = content_copy.read_text(encoding="utf-8").replace("“百米画卷映童心”活动", "“百米画卷映童心“活动")
    content_copy.write_text(text, encoding="utf-8")
    doc = load(content_copy)
    warnings = [d for d in doc.diagnostics if d.code == "quotes"]
    assert len(warnings) == 1
    assert "百米画卷映童心" in text.splitlines()[warnings[0].location.line - 1]
    assert warnings[0].location.key == "articles[3].images[0].caption"


def test_paragraphs_and_inline_bold() -> None:
    assert split_paragraphs("第一行\n接着\n\n  第二段 \n") == ["第一行接着", "第二段"]
    assert split_paragraphs("Latin\nword") == ["Latin word"]
    assert parse_inline("**引领。**正文") == (InlineSpan("引领。", True), InlineSpan("正文"))
    assert parse_inline("a**b") == (InlineSpan("a**b"),)
    assert parse_inline("<b>x</b>") == (InlineSpan("<b>x</b>"),)


def test_good_minimal(tmp_path: Path) -> None:
    doc = load(write(tmp_path, GOOD))
    assert [p.text for p in doc.articles[0].paragraphs] == ["第一段。", "第二段。"]


def test_every_schema_error_is_collected_with_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("  date: 2025-06-28\n", "  date: 28.6.2025\n  colour: red\n").replace(
        "    title: 标题\n", "    titel: 标题\n")
    found = errors(tmp_path, text)
    assert any("c.yaml:3:" in e and "meta.date" in e for e in found), found
    assert any("c.yaml:4:" in e and "unknown key 'colour'" in e for e in found), found
    assert any("c.yaml:8:" in e and "unknown key 'titel'" in e for e in found), found
    assert any("missing required key 'title'" in e and "articles[0].title" in e for e in found), found


@pytest.mark.parametrize(("text", "expected"), [
    ("meta: [1\n", "c.yaml:2:1: error: YAML syntax error"),
    ("meta:\n  a: 1\n  a: 2\n", "c.yaml:3:3: error: duplicate key 'a'"),
    ("- 1\n", "c.yaml:1:1: error: a content file is a mapping"),
    (GOOD.replace("id: a", "id: ../etc"), "c.yaml:6:5: error: must be a plain name"),
    (GOOD.replace("layout: broadsheet-page", "layout: ../../etc"), "c.yaml:4:1: error: must be a plain name"),
    (GOOD + "  - id: a\n    title: x\n    body: y\n", "c.yaml:12:5: error: duplicate article id 'a'"),
    (GOOD.replace("    body: |", "    images: [{src: ../x.jpg}]\n    body: |"),
     "c.yaml:8:15: error: image '../x.jpg' is outside the content folder"),
    (GOOD.replace("    body: |", "    images: [{src: nope.jpg}]\n    body: |"),
     "c.yaml:8:15: error: image 'nope.jpg' not found"),
    (GOOD.replace("    body: |\n      第一段。\n\n      第二段。\n", "    body: ''\n"),
     "c.yaml:8:5: error: the body is empty"),
])
def test_bad_files(tmp_path: Path, text: str, expected: str) -> None:
    found = errors(tmp_path, text)
    assert any(e.startswith(expected) for e in found), found


def test_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes("meta:\n  publication: 北碚".encode("gbk"))
    with pytest.raises(BuildError) as info:
        load(path)
    assert info.value.diagnostics[0].render().startswith("c.yaml:2:16: error: not valid UTF-8")
