"""A reprint of a page placed automatically: ``build --place auto --compare OLD.pdf`` keeps every
article in the module OLD.pdf gave it while the corrected text still fills it, so the same page comes
back with the new text and the comparison names only the corrected article; text that no longer fits
its module gives a page placed anew, with an info saying which article did not fit."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from banmian.cli.main import main
from banmian.export.record import article_boxes

from .contentgen import page_specs, write_content

ADDED = "学校开展读书月活动，师生共读经典，营造书香校园氛围，家长也积极参与其中。"


def _page(folder: Path) -> Path:
    """Seven generated articles of about 4 300 字 with photos, for the broadsheet page."""
    rng = random.Random(5)
    rng.randint(3, 10), rng.randint(2800, 4600)  # a draw whose best page the correction below changes
    return write_content(folder, page_specs(rng, 7, 4319, hard=True), seed=5)


def _add_to(content: Path, article: int, text: str) -> None:
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    data["articles"][article]["body"] += "\n" + text
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _build(folder: Path, content: Path, out: Path, *extra: str) -> int:
    return main(["--project", str(folder), "build", str(content), "--place", "auto", "-o", str(out),
                 "--dpi", "30", *extra])


def test_a_corrected_article_comes_back_in_the_same_page(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    content = _page(tmp_path)
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    assert _build(tmp_path, content, first) == 0
    _add_to(content, 2, ADDED)
    capsys.readouterr()
    assert _build(tmp_path, content, second, "--compare", str(first)) == 0
    out, err = capsys.readouterr()
    assert "the modules of the page printed before are kept" in err
    assert "print-ready" in out and "not print-ready" not in out
    assert dict(article_boxes(second)) == dict(article_boxes(first))  # every module where it was
    changed = [line for line in out.splitlines() if line.startswith("  changed:")]
    assert len(changed) == 1 and changed[0].startswith("  changed: a3 ("), out
    # the test's premise: placed from scratch, the corrected content gets another page
    fresh = tmp_path / "fresh.pdf"
    assert _build(tmp_path, content, fresh) == 0
    assert dict(article_boxes(fresh)) != dict(article_boxes(first)), "pick a draw the correction changes"


def test_text_that_no_longer_fits_its_module_gives_a_page_placed_anew(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _page(tmp_path)
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    assert _build(tmp_path, content, first) == 0
    _add_to(content, 6, ADDED * 6)  # about 210 字 more for the smallest module (12 lines)
    capsys.readouterr()
    assert _build(tmp_path, content, second, "--compare", str(first)) == 0
    out, err = capsys.readouterr()
    assert "info: the page printed before no longer holds the content in its modules (article 'a7'" in err
    assert "every module chosen anew" in err and "banmian place CONTENT --write NAME" in err
    assert "print-ready" in out and "not print-ready" not in out
    assert dict(article_boxes(second)) != dict(article_boxes(first))


def test_without_an_earlier_page_the_build_is_the_same_as_ever(tmp_path: Path) -> None:
    """The kept modules come from the PDF compared with, nowhere else: the same content and the same
    options give the same bytes."""
    content = _page(tmp_path)
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert _build(tmp_path, content, a) == 0
    assert _build(tmp_path, content, b) == 0
    assert a.read_bytes() == b.read_bytes()
