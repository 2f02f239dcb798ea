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


def test_a_drafts_placeholders_withhold_print_ready_by_name(content_copy: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The editor left two of the draft's marks: the masthead still TODO, the date still marked
    ``# TODO`` (the importer writes today's). The page is written, each mark is a warning at its line
    naming the key or what the comment asks, and the last line is not print-ready (todo)."""
    text = content_copy.read_text(encoding="utf-8")
    lines = text.splitlines()
    publication = next(i for i, line in enumerate(lines) if line.startswith("  publication:"))
    date = next(i for i, line in enumerate(lines) if line.startswith("  date:"))
    lines[publication] = '  publication: "TODO"        # the paper'
    lines[date] += "        # TODO: the issue date"
    content_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "s.pdf"
    assert main(["build", str(content_copy), "-o", str(out)]) == 0
    assert out.is_file()
    captured = capsys.readouterr()
    name = content_copy.name
    assert f"{name}:{publication + 1}:3: warning: meta.publication is still the draft's placeholder 'TODO'" \
        in captured.err
    assert f"{name}:{date + 1}:" in captured.err and "warning: marked TODO: the issue date" in captured.err
    last = captured.out.strip().splitlines()[-1]
    assert "not print-ready: 2 warnings above (todo)" in last and "; print-ready" not in last
