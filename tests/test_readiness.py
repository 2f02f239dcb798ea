"""The last line of ``build`` says "print-ready" only when it is true: no hole, no warning of the build
standing (a photo printed at low resolution on the editor's word excepted), a preflight without errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from banmian.cli.main import main


def _last_line(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_the_sample_is_print_ready(content_copy: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(content_copy), "-o", str(tmp_path / "s.pdf")]) == 0
    assert "; print-ready: preflight 0 errors" in _last_line(capsys)


def test_a_warning_withholds_print_ready(content_copy: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A caption with two opening quotes is written (the editor may want the proof) but not print-ready."""
    text = content_copy.read_text(encoding="utf-8").replace("“百米画卷映童心”活动", "“百米画卷映童心“活动")
    content_copy.write_text(text, encoding="utf-8")
    assert main(["build", str(content_copy), "-o", str(tmp_path / "s.pdf")]) == 0
    line = _last_line(capsys)
    assert "not print-ready: 1 warning above (quotes)" in line and "; print-ready" not in line
    assert main(["build", "--strict", str(content_copy), "-o", str(tmp_path / "t.pdf")]) == 1


def test_a_low_resolution_photo_printed_on_the_editors_word_is_print_ready(
        content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    small = content_copy.parent / "images" / "chaoyang-primary.jpg"
    Image.open(small).resize((600, 400)).save(small, quality=90)
    assert main(["build", str(content_copy), "-o", str(tmp_path / "s.pdf")]) == 1  # under 200 ppi
    capsys.readouterr()
    assert main(["build", "--accept-low-res", str(content_copy), "-o", str(tmp_path / "s.pdf")]) == 0
    out = capsys.readouterr()
    assert "printed as asked (--accept-low-res)" in out.err
    assert "; print-ready" in out.out.strip().splitlines()[-1]


@pytest.mark.parametrize("layout", ["broadsheet-page", "a4-newsletter"])
def test_placement_hints_a_page_cannot_follow_are_named(content_copy: Path, tmp_path: Path, layout: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    text = content_copy.read_text(encoding="utf-8").replace(
        "  - id: jinxing-primary\n", "  - id: jinxing-primary\n    rank: 1\n    min_columns: 4\n")
    content_copy.write_text(text, encoding="utf-8")
    assert main(["build", str(content_copy), "--layout", layout, "-o", str(tmp_path / "s.pdf")]) == 0
    out = capsys.readouterr()
    for key in ("rank", "min_columns"):
        assert f"article 'jinxing-primary': '{key}' applies to automatic placement" in out.err, out.err
    assert "not print-ready" in out.out
