"""banmian preview: PNG per page, per plate when a build lists several PDFs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from banmian.cli.main import main
from banmian.source.world import World
from tests.workflow_helpers import starter


def test_preview_writes_one_png_per_page(tmp_path: Path) -> None:
    content = starter(tmp_path)
    out = tmp_path / "out" / "story.pdf"
    assert main(["preview", str(content), "-o", str(out), "--dpi", "30"]) == 0
    png = tmp_path / "out" / "story-p1.png"
    with Image.open(png) as im:
        # the whole sheet: trim 390 × 540 mm plus 3 mm bleed and 12 mm slug each side, at 30 dpi
        assert im.format == "PNG"
        assert abs(im.size[0] - 420 / 25.4 * 30) <= 2 and abs(im.size[1] - 570 / 25.4 * 30) <= 2


def test_preview_of_a_spread_writes_one_png_per_plate_and_the_spread(
        tmp_path: Path, root: Path, world: World, capsys: pytest.CaptureFixture[str]) -> None:
    """A real build of the sample as a tabloid spread: the spread proof (the canvas the pages were
    composed on, first: serve's boxes are drawn on it) and one PNG per plate."""
    dpi = 127  # 5 px a mm: the plates' edges and the fold fall on whole pixels
    out = tmp_path / "sample.pdf"
    sample = root / "content" / "beibei-dangjian.yaml"
    assert main(["preview", str(sample), "--layout", "tabloid-spread", "-o", str(out),
                 "--dpi", str(dpi)]) == 0
    written = [line.split()[1] for line in capsys.readouterr().out.splitlines()]
    assert [Path(p).name for p in written] == ["sample-spread-p1.png", "sample-p1-p1.png", "sample-p2-p1.png"]
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(Path(p).name for p in written)
    page = world.layout("tabloid-spread").spec.page
    edge = round((page.bleed + page.slug) * 5)  # px from the sheet's edge to the trim
    trim_w, trim_h = round(page.trim[0] * 5), round(page.trim[1] * 5)
    pixels = {}
    for stem, pages in (("sample-p1", 1), ("sample-p2", 1), ("sample-spread", 2)):
        with Image.open(tmp_path / f"{stem}-p1.png") as im:
            width, height = im.size  # PDFium rounds a fraction of a pixel up
            assert (width - (pages * trim_w + 2 * edge), height - (trim_h + 2 * edge)) in {
                (0, 0), (0, 1), (1, 0), (1, 1)}, stem
            pixels[stem] = im.convert("L")
    trim = (edge, edge, edge + trim_w, edge + trim_h)
    plates = [pixels[stem].crop(trim) for stem in ("sample-p1", "sample-p2")]
    assert share_differing(*plates) > 0.2  # two different pages
    for side, plate in enumerate(plates):  # each plate is its half of the spread
        x = edge + side * trim_w
        half = pixels["sample-spread"].crop((x, edge, x + trim_w, edge + trim_h))
        assert share_differing(half, plate) < 0.01, side


def share_differing(a: Image.Image, b: Image.Image) -> float:
    """The share of square millimetres whose grey differs by more than 40 of 255 (compared at 1 px a
    mm: glyph edges anti-aliased a fraction of a pixel apart do not count)."""
    changed = ImageChops.difference(a.reduce(5), b.reduce(5)).point(lambda v: 255 if v > 40 else 0)
    return changed.histogram()[255] / (changed.size[0] * changed.size[1])


def test_preview_of_an_overset_page_shows_the_proof(tmp_path: Path) -> None:
    content = starter(tmp_path, body="超长正文，" * 1200)
    out = tmp_path / "story.pdf"
    assert main(["preview", str(content), "-o", str(out), "--dpi", "20"]) == 1
    assert not out.exists()
    assert (tmp_path / "story.proof-p1.png").is_file()


@pytest.mark.parametrize("layout", ["broadsheet-page", "tabloid-spread"])
def test_live_images_painted_from_layers_match_a_render_of_the_pdf(
        tmp_path: Path, content_copy: Path, layout: str) -> None:
    """A live session paints its page images from the build's layers (the picture of all but the text,
    kept while no box moves, and the text over it): after an edit that moves no box, every image is the
    render of the PDF just written — all but a few hundred pixels within two grey levels (PDFium smooths
    some pixels of 9-pixel body text differently on a clear ground, at some resolutions) — and shows
    the edit."""
    from banmian.live.preview import render_pdf
    from banmian.live.session import Session
    from banmian.pipeline import BuildOptions
    from banmian.source.world import make_world

    session = Session(content_copy, BuildOptions(layout=layout, output=tmp_path / "out" / "page.pdf"),
                      make_world(tmp_path), image_dir=tmp_path / "live", dpi=72)
    before = session.rebuild()
    first = {im.png: im.png.read_bytes() for im in before.images}  # the next rebuild writes over them
    original = content_copy.read_text(encoding="utf-8")
    content_copy.write_text(original.replace("八十余年", "八十多年", 1), encoding="utf-8")
    after = session.rebuild()
    assert before.ok and after.ok and len(after.images) == len(after.pdfs) == (3 if "spread" in layout else 1)
    for image in after.images:
        direct = render_pdf(image.pdf, tmp_path / "direct", 72, stem=image.pdf.stem)[0]
        with Image.open(image.png) as painted, Image.open(direct.png) as rendered:
            assert painted.size == rendered.size
            diff = ImageChops.difference(painted.convert("L"), rendered.convert("L"))
            off = sum(diff.histogram()[3:])
            assert off <= 0.001 * diff.width * diff.height, off
    shown = after.images[0]  # the page itself (a spread: its proof), where the edited article stands
    with Image.open(io.BytesIO(first[shown.png])) as old, Image.open(shown.png) as new:
        assert ImageChops.difference(old.convert("L"), new.convert("L")).getbbox() is not None
