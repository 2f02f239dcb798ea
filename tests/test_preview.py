"""banmian preview: PNG per page, per plate when a build lists several PDFs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from banmian.cli.main import main
from banmian.live.preview import render_pdfs, result_pdfs
from tests.workflow_helpers import starter


@dataclass(frozen=True)
class SpreadResult:
    output: Path
    plates: tuple[Path, ...]


def test_preview_writes_one_png_per_page(tmp_path: Path) -> None:
    content = starter(tmp_path)
    out = tmp_path / "out" / "story.pdf"
    assert main(["preview", str(content), "-o", str(out), "--dpi", "30"]) == 0
    png = tmp_path / "out" / "story-p1.png"
    with Image.open(png) as im:
        # the whole sheet: trim 390 × 540 mm plus 3 mm bleed and 12 mm slug each side, at 30 dpi
        assert im.format == "PNG"
        assert abs(im.size[0] - 420 / 25.4 * 30) <= 2 and abs(im.size[1] - 570 / 25.4 * 30) <= 2


def test_preview_takes_every_pdf_the_build_lists(tmp_path: Path) -> None:
    content = starter(tmp_path)
    out = tmp_path / "story.pdf"
    assert main(["build", str(content), "-o", str(out)]) == 0
    plate = tmp_path / "plate-b.pdf"
    plate.write_bytes(out.read_bytes())
    pdfs = result_pdfs(SpreadResult(out, (out, plate)))
    assert pdfs == (out, plate)
    images = render_pdfs(pdfs, tmp_path / "png", dpi=20)
    assert [im.png.name for im in images] == ["story-p1.png", "plate-b-p1.png"]
    x, y = images[0].to_px(0, 0)  # the trim box's corner sits inside the sheet (bleed + slug)
    assert 10 < x < 20 and 10 < y < 20


def test_preview_of_an_overset_page_shows_the_proof(tmp_path: Path) -> None:
    content = starter(tmp_path, body="超长正文，" * 1200)
    out = tmp_path / "story.pdf"
    assert main(["preview", str(content), "-o", str(out), "--dpi", "20"]) == 1
    assert not out.exists()
    assert (tmp_path / "story.proof-p1.png").is_file()
