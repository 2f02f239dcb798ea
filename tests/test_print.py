"""Print-ready output, checked on the real PDF: colour operators, photos, marks, boxes, PDF/X, determinism."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from banmian.cli.main import main
from banmian.core.diagnostics import BuildError
from banmian.core.units import MM
from banmian.graphics.photos import prepare_image
from banmian.graphics.press import DATA, max_ink, press_for
from banmian.pipeline import BuildOptions, build
from banmian.source.project import builtin_layouts

from .conftest import ROOT, SAMPLE
from .pdfcheck import instructions

COLOUR_OPS = {"rg", "RG", "g", "G", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN"}


def test_every_colour_operator_is_cmyk_gray_or_registration(sample_pdf: Path) -> None:
    with pikepdf.open(sample_pdf) as pdf:
        page = pdf.pages[0]
        ops = instructions(page)
        used = {op for op, _ in ops if op in COLOUR_OPS}
        assert not used & {"rg", "RG"}, "RGB operator in the content"
        spaces = {str(args[0]) for op, args in ops if op in ("cs", "CS")}
        assert spaces == {"/DeviceCMYK", "/Separation//All//DeviceCMYK"}
        # text: every glyph run is drawn in a layout colour; black type is pure K, never rich black
        fill: tuple[float, ...] = ()
        text_colours = set()
        for op, args in ops:
            if op == "scn":
                fill = tuple(float(a) for a in args)  # type: ignore[arg-type]
            elif op in ("Tj", "TJ"):
                text_colours.add(fill)
        layout_colours = {(0, 0, 0, 1), (0, 1, 1, 0.1), (0, 0, 0, 0.6), (0, 0.06, 0.1, 0)}
        assert text_colours - layout_colours == {(1.0,)}  # the slug line, in registration
        assert (0, 0, 0, 1) in text_colours


def test_photos_are_cmyk_under_the_ink_limit(sample_pdf: Path) -> None:
    with pikepdf.open(sample_pdf) as pdf:
        images = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
        assert len(images) == 5
        for image in images:
            assert image.ColorSpace == "/DeviceCMYK"
            assert "/SMask" not in image
            picture = pikepdf.PdfImage(image).as_pil_image()
            assert picture.mode == "CMYK"
            assert 150 < max_ink(picture) <= 240  # separated (not a naive conversion), limited


def test_boxes_exact_and_marks_outside_the_bleed(sample_pdf: Path) -> None:
    with pikepdf.open(sample_pdf) as pdf:
        page = pdf.pages[0]
        offset = 15 * MM  # bleed 3 mm + slug 12 mm
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
        assert media == pytest.approx([0, 0, 390 * MM + 2 * offset, 540 * MM + 2 * offset], abs=0.01)
        assert trim == pytest.approx([offset, offset, offset + 390 * MM, offset + 540 * MM], abs=0.01)
        assert bleed == pytest.approx([trim[0] - 3 * MM, trim[1] - 3 * MM, trim[2] + 3 * MM,
                                       trim[3] + 3 * MM], abs=0.01)
    from banmian.check.preflight import preflight

    marks = preflight(sample_pdf).pages[0].marks
    assert len(marks) == 20  # 8 crop marks, 4 targets of a circle and a cross
    for x0, y0, x1, y1 in marks:
        assert x1 <= bleed[0] or x0 >= bleed[2] or y1 <= bleed[1] or y0 >= bleed[3]
        assert x0 >= media[0] and y0 >= media[1] and x1 <= media[2] and y1 <= media[3]


def test_slug_line_names_the_issue(sample_pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(sample_pdf) as pdf:
        page = pdf.pages[0]
        slug = page.crop((0, page.height - 15 * MM, page.width, page.height)).extract_text()
    assert re.search(r"北碚教育\s+第386期\s+第4版 党建专刊\s+2025-06-28\s+banmian 2025-06-28 00:00", slug)


def test_slug_line_keeps_clear_of_the_crop_marks(sample_pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(sample_pdf) as pdf:
        page = pdf.pages[0]
        band = page.crop((0, page.height - 15 * MM, page.width, page.height))
        chars = band.chars
        marks = [r for r in band.rects if min(r["width"], r["height"]) < 1]  # hairline crop marks
    assert chars and marks
    for c in chars:
        for m in marks:
            apart = (c["x1"] < m["x0"] - 1 or c["x0"] > m["x1"] + 1
                     or c["bottom"] < m["top"] - 1 or c["top"] > m["bottom"] + 1)
            assert apart, (c["text"], m["x0"], m["top"])


def test_pdfx4_claim_is_honest(sample_pdf: Path) -> None:
    with pikepdf.open(sample_pdf) as pdf:
        assert str(pdf.pdf_version) == "1.6"
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        assert pdf.docinfo.Trapped == "/False"
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "CGATS TR 002"
        assert intent.DestOutputProfile.N == 4
        assert intent.DestOutputProfile.read_bytes() == (DATA / "newsprint-tr002.icc").read_bytes()
        assert str(pdf.docinfo.Title).startswith("北碚教育 第386期 第4版 党建专刊")
        assert str(pdf.docinfo.Author) == "王晓"
        assert "北碚区朝阳幼儿园" in str(pdf.docinfo.Keywords)
        assert re.search(r"xmp\.did:[0-9a-f-]{36}", xmp)
        assert "proof:pdf" not in xmp


def test_two_builds_are_byte_identical_and_the_date_changes_only_dates(
        sample_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    again = tmp_path / "again.pdf"
    assert main(["build", "-q", str(SAMPLE), "-o", str(again)]) == 0
    assert again.read_bytes() == sample_pdf.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1751000000")
    dated = tmp_path / "dated.pdf"
    assert main(["build", "-q", str(SAMPLE), "-o", str(dated)]) == 0
    assert dated.read_bytes() != sample_pdf.read_bytes()
    with pikepdf.open(sample_pdf) as a, pikepdf.open(dated) as b:
        assert str(a.docinfo.CreationDate) == "D:20250628000000+08'00"
        assert str(b.docinfo.CreationDate) == "D:20250627045320+00'00"
        # a subset's tag names its glyphs: the same glyphs keep their name, the slug line's face (its
        # date digits changed) gets a new one, so no two different subsets share a name
        fonts = [{str(f.BaseFont).split("+")[1]: f for f in pdf.pages[0].Resources.Font.values()}
                 for pdf in (a, b)]
        assert fonts[0].keys() == fonts[1].keys()
        changed = {role for role, f in fonts[0].items()
                   if repr(f.DescendantFonts[0].W) != repr(fonts[1][role].DescendantFonts[0].W)}
        renamed = {role for role, f in fonts[0].items() if f.BaseFont != fonts[1][role].BaseFont}
        assert renamed == changed == {"bm-hei"}


def test_grayscale_photo_stays_gray(tmp_path: Path, world: object) -> None:
    gray = tmp_path / "gray.jpg"
    Image.open(ROOT / "content" / "images" / "jinxing.jpg").convert("L").save(gray, quality=90)
    press = press_for(world.layout("broadsheet-page"))  # type: ignore[attr-defined]
    prepared = prepare_image("g", gray, 200, 120, press=press)
    assert prepared.mode == "L"
    with Image.open(io.BytesIO(prepared.data)) as embedded:
        assert embedded.mode == "L"
    assert prepared.ink is not None and prepared.ink <= 100
    colour = prepare_image("c", ROOT / "content" / "images" / "jinxing.jpg", 200, 120, press=press)
    assert colour.mode == "CMYK" and colour.ink is not None and colour.ink <= 240


def _layouts_with(tmp_path: Path, print_section: str) -> Path:
    folder = tmp_path / "layouts"
    shutil.copytree(builtin_layouts() / "broadsheet-page", folder / "broadsheet-page")
    spec = folder / "broadsheet-page" / "layout.yaml"
    text = re.sub(r"^print:.*?(?=^\S|\Z)", "", spec.read_text(encoding="utf-8"), flags=re.M | re.S)
    spec.write_text(text + print_section, encoding="utf-8")
    return folder


def test_photos_follow_a_lower_layout_limit_its_own_colours_do_not(tmp_path: Path, world: object,
                                                                     content_copy: Path) -> None:
    """At ink_limit 180 the separation holds every photo under 180 (no photo is refused: issue 14); the
    layout's own red (0 100 100 10, 210 %) is still an error, named with its value."""
    layouts = _layouts_with(tmp_path, "print: {ink_limit: 180}\n")
    strict = dataclasses.replace(world, root=tmp_path, layouts=layouts)  # type: ignore[type-var]
    out = tmp_path / "x.pdf"
    with pytest.raises(BuildError) as caught:
        build(content_copy, BuildOptions(output=out, proof=True), strict)
    messages = [d.render() for d in caught.value.diagnostics]
    assert not [m for m in messages if "photo" in m and "ink" in m], messages
    assert any("fill colour 0 1 1 0.1 has 210 % total ink (limit 180 %)" in m for m in messages), messages
    assert not out.exists()
    with pikepdf.open(out.with_suffix(".proof.pdf")) as pdf:
        images = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
        assert len(images) == 5
        for image in images:
            assert 150 < max_ink(pikepdf.PdfImage(image).as_pil_image()) <= 180


def test_missing_profile_is_an_error_at_the_layout_line(tmp_path: Path, world: object,
                                                         content_copy: Path) -> None:
    layouts = _layouts_with(tmp_path, "print:\n  profile: fogra-nowhere\n")
    other = dataclasses.replace(world, layouts=layouts)  # type: ignore[type-var]
    with pytest.raises(BuildError) as caught:
        build(content_copy, BuildOptions(output=tmp_path / "x.pdf"), other)
    [d] = caught.value.diagnostics
    assert d.location.line is not None and d.location.file is not None
    assert d.location.file.name == "layout.yaml"
    assert "ICC profile 'fogra-nowhere' not found" in d.message and "newsprint-tr002" in (d.hint or "")
