"""banmian diff and build --compare: changed regions highlighted, changed articles named."""

from __future__ import annotations

import re
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
    assert "changed: first-story (一篇改过的短稿)" in text
    assert (tmp_path / "story-diff-p1.png").is_file()


def reprint(content_copy: Path, edits: dict[str, str]) -> None:
    text = content_copy.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    content_copy.write_text(text, encoding="utf-8")


TWO_EDITS = {"师徒结对等形式锻造": "师徒结对等方式锻造",  # jinxing-primary, its third paragraph
             "运转高效的治理体系": "运行高效的治理体系"}  # chaoyang-primary, its second paragraph


def test_a_reprint_names_exactly_the_changed_articles(content_copy: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The editor corrects a word in two of the sample's five articles and rebuilds with --compare: the
    build names those two (id and title), one region each inside its article, with excerpts that start
    at the first difference; ``banmian diff`` of the two PDFs says the same."""
    out = tmp_path / "page.pdf"
    assert main(["build", str(content_copy), "-o", str(out), "-q"]) == 0
    first = tmp_path / "first.pdf"
    first.write_bytes(out.read_bytes())
    reprint(content_copy, TWO_EDITS)
    capsys.readouterr()
    assert main(["build", str(content_copy), "-o", str(out), "--compare", str(out), "--dpi", "40"]) == 0
    text = capsys.readouterr().out
    assert "page 1: 2 changed regions" in text, text
    assert ("changed: jinxing-primary (党建引领育新人星光点点放光彩), "
            "chaoyang-primary (向阳花开沐党辉家国情怀植童心)") in text, text
    # each excerpt starts a few characters before the first difference
    assert re.search(r"jinxing-primary \(.+\): '…[^']{1,8}形式锻造[^']*' → '…[^']{1,8}方式锻造", text), text
    assert re.search(r"chaoyang-primary \(.+\): '…[^']{1,8}运转高效[^']*' → '…[^']{1,8}运行高效", text), text
    for other in ("chaoyang-kindergarten", "liangjiang-primary", "beibei-experimental-kindergarten"):
        assert other not in text
    capsys.readouterr()
    assert main(["diff", str(first), str(out), "-o", str(tmp_path / "review"), "--dpi", "40"]) == 0
    again = capsys.readouterr().out
    assert "page 1: 2 changed regions" in again
    assert "jinxing-primary (" in again and "chaoyang-primary (" in again and "liangjiang" not in again


def test_the_regions_lie_on_the_changed_articles(content_copy: Path, tmp_path: Path, world) -> None:  # type: ignore[no-untyped-def]
    """Each region is the box of its article on the page image (its changed pixels inside it)."""
    from banmian.live.diffing import diff_pdfs
    from banmian.pipeline import BuildOptions, compose

    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    assert main(["build", str(content_copy), "-o", str(old), "-q"]) == 0
    reprint(content_copy, TWO_EDITS)
    assert main(["build", str(content_copy), "-o", str(new), "-q"]) == 0
    report = diff_pdfs(old, new, tmp_path / "review", dpi=40)
    (page,) = report.pages
    assert page.articles == ("jinxing-primary", "chaoyang-primary")
    rects = {a.id: a.rect for a in compose(content_copy, BuildOptions(), world).pages[0].articles}
    for region in page.regions:
        r = rects[region.articles[0]]
        scale = 40 / 72
        x0, y0, x1, y1 = region.box
        assert x1 - x0 == pytest.approx(r.w * scale, abs=2) and y1 - y0 == pytest.approx(r.h * scale, abs=2)


def test_a_pdf_banmian_did_not_write_gets_the_pixel_diff(content_copy: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Without banmian's record (a PDF from elsewhere, here: the record removed), the changed pixels and
    the text in them, from the first difference."""
    import pikepdf

    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    assert main(["build", str(content_copy), "-o", str(old), "-q"]) == 0
    reprint(content_copy, {"师徒结对等形式锻造": "师徒结对等方式锻造"})
    assert main(["build", str(content_copy), "-o", str(new), "-q"]) == 0
    for path in (old, new):
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            del pdf.Root.PieceInfo
            pdf.save(path)
    capsys.readouterr()
    assert main(["diff", str(old), str(new), "-o", str(tmp_path / "review"), "--dpi", "60"]) == 0
    text = capsys.readouterr().out
    assert "page 1: 1 changed region" in text and "changed:" not in text, text
    assert re.search(r"at \d+,\d+–\d+,\d+ px: '…[^']{1,8}形[^']*' → '…[^']{1,8}方", text), text
