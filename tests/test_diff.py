"""banmian diff and build --compare: changed regions highlighted, changed articles named."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from banmian.cli.main import main
from banmian.live.diffing import changed_boxes, merge_boxes
from tests.workflow_helpers import SHORT_BODY, rewrite, starter


def test_changed_boxes_merge_nearby_changes() -> None:
    old = Image.new("L", (300, 200), 255)
    new = old.copy()
    new.paste(0, (10, 10, 20, 20))
    new.paste(0, (24, 12, 30, 18))  # close to the first: one region
    new.paste(0, (200, 150, 220, 160))  # far away: another
    assert changed_boxes(old, new) == [(10, 10, 30, 20), (200, 150, 220, 160)]
    assert changed_boxes(old, old.copy()) == []
    assert merge_boxes([(0, 0, 5, 5), (100, 100, 105, 105)]) == [(0, 0, 5, 5), (100, 100, 105, 105)]


def test_diff_marks_the_changed_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = starter(tmp_path, body=SHORT_BODY)
    old = tmp_path / "old.pdf"
    new = tmp_path / "new.pdf"
    assert main(["build", str(content), "-o", str(old)]) == 0
    rewrite(content, body=SHORT_BODY.replace("自动缩进两字", "自动缩进三字"))
    assert main(["build", str(content), "-o", str(new)]) == 0
    capsys.readouterr()
    assert main(["diff", str(old), str(new), "-o", str(tmp_path / "review"), "--dpi", "60"]) == 0
    out = capsys.readouterr().out
    assert "page 1: 1 changed region" in out
    assert "两字" in out and "三字" in out  # without a PageModel: the text before and after
    marked = tmp_path / "review" / "new-diff-p1.png"
    with Image.open(marked) as im:
        assert (220, 0, 0) in {im.getpixel((x, y)) for x in range(0, im.size[0], 2)
                               for y in range(0, im.size[1], 2)}
    assert main(["diff", str(new), str(new), "-o", str(tmp_path / "review")]) == 0
    assert "no changes" in capsys.readouterr().out


def test_build_compare_names_the_changed_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = starter(tmp_path, body=SHORT_BODY)
    out = tmp_path / "story.pdf"
    assert main(["build", str(content), "-o", str(out)]) == 0
    rewrite(content, body=SHORT_BODY, title="一篇改过的短稿")
    capsys.readouterr()
    # compare against the very file the build replaces: the old one is kept aside first
    assert main(["build", str(content), "-o", str(out), "--compare", str(out), "--dpi", "40"]) == 0
    text = capsys.readouterr().out
    assert "changed articles: first-story" in text
    assert (tmp_path / "story-diff-p1.png").is_file()
