"""Template components a layout overrides, as docs/layouts.md says (issue 17, item 2).

The editor copies the broadsheet (``banmian new-layout mine --from broadsheet-page``), overrides one block
in its page.html.j2 and builds the sample: the PDF loses exactly that component (its photos, its text,
its rules) or gains what the override adds; a misspelt block name is an error at its line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from banmian.cli.main import main

from .conftest import SAMPLE

PAGE = '{% extends "base.html.j2" %}\n'


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the sample content and a layout ``mine``, a copy of the broadsheet."""
    root = tmp_path / "paper"
    shutil.copytree(SAMPLE.parent / "images", root / "content" / "images")
    (root / "content" / "s.yaml").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["new-layout", "mine", "--from", "broadsheet-page"]) == 0
    return root


def build(project: Path, template: str, capsys: pytest.CaptureFixture[str]) -> Path:
    (project / "layouts" / "mine" / "page.html.j2").write_text(PAGE + template, encoding="utf-8")
    out = project / "output" / f"s-{abs(hash(template))}.pdf"
    capsys.readouterr()
    assert main(["build", "content/s.yaml", "--layout", "mine", "-o", str(out)]) == 0, capsys.readouterr().err
    return out


def text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as document:
        return "".join(c["text"] for c in document.pages[0].chars)


def images(pdf: Path) -> int:
    with pikepdf.open(pdf) as document:
        return sum(1 for page in document.pages for x in page.Resources.get("/XObject", {}).values()
                   if x.get("/Subtype") == "/Image")


def thin_rects(pdf: Path) -> int:
    with pdfplumber.open(pdf) as document:
        return sum(1 for r in document.pages[0].rects if min(r["width"], r["height"]) < 1.5)


@pytest.fixture()
def plain(project: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return build(project, "", capsys)


def test_an_empty_figure_block_removes_the_photos_and_captions(project: Path, plain: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = build(project, "{% block figure %}{% endblock %}\n", capsys)
    assert images(plain) == 5 and images(out) == 0
    assert "金兴小学党支部团队开展一体化特色活动" in text(plain)
    assert "金兴小学党支部团队开展一体化特色活动" not in text(out)
    assert "党建引领育新人" in text(out)  # the rest of the article stays


@pytest.mark.parametrize(("block", "gone"), [
    ("headline_group", "家国情怀植童心"),  # a title
    ("body", "师徒结对等形式锻造"),  # body text
    ("sidebar", "学校获得的荣誉"),  # the 数说 sidebar's chart title
    ("header", "责任编辑"),  # the header strip (the masthead, the issue, the editor)
    ("banner", "红色引擎驱动"),  # the banner's title
    ("marks", "banmian"),  # the slug line names banmian
])
def test_an_empty_block_removes_its_component(project: Path, plain: Path, capsys: pytest.CaptureFixture[str],
                                              block: str, gone: str) -> None:
    out = build(project, f"{{% block {block} %}}{{% endblock %}}\n", capsys)
    assert gone in text(plain) and gone not in text(out)
    kept = "家国情怀植童心" if block == "body" else "师徒结对等形式锻造"
    assert kept in text(out)  # only that component went


def test_an_empty_rules_block_removes_the_page_rules(project: Path, plain: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = build(project, "{% block rules %}{% endblock %}{% block article_rules %}{% endblock %}\n", capsys)
    assert thin_rects(plain) > 5 and thin_rects(out) < thin_rects(plain) - 5


def test_super_keeps_the_component_and_adds_to_it(project: Path, plain: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A figure override that keeps the default (``super()``) and adds a frame around each photo."""
    out = build(project, '{% block figure %}{{ super() }}<div class="rule" style="left:{{ fig.rect.x|pt }};'
                         'top:{{ (fig.rect.y - 2)|pt }};width:{{ fig.rect.w|pt }};height:1pt"></div>'
                         "{% endblock %}\n", capsys)
    assert images(out) == 5 and "金兴小学党支部团队开展一体化特色活动" in text(out)
    assert thin_rects(out) == thin_rects(plain) + 5


def test_a_misspelt_block_is_an_error_at_its_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "layouts" / "mine" / "page.html.j2").write_text(PAGE + "\n{% block figur %}{% endblock %}\n",
                                                             encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "content/s.yaml", "--layout", "mine", "-o", "output/x.pdf"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"layouts/mine/page\.html\.j2:3: error: block 'figur' is in none of the templates it "
                     r"extends \(base\.html\.j2\): it changes nothing .*hint: the blocks: .*\bfigure\b",
                     err), err
