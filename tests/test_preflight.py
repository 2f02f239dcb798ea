"""Preflight: the sample passes; RGB, low-resolution photos, missing fonts, rich black and marks in the
bleed each fail with a precise message and a non-zero exit. Fixtures are made here, not committed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from banmian.check.preflight import format_table, preflight
from banmian.cli.main import main
from banmian.core.diagnostics import BuildError

from .conftest import ROOT

MM = 72 / 25.4


def test_sample_passes_with_figures(sample_pdf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = preflight(sample_pdf)
    assert report.errors == 0, [d.render() for d in report.diagnostics]
    assert report.warnings == 0
    assert report.pdf_x == "PDF/X-4"
    assert report.tools == {"qpdf": "ok", "ghostscript": "ok"}
    assert len(report.pages) == 1
    assert set(report.pages[0].colours) == {"cmyk", "registration"}
    coverage = report.pages[0].coverage
    assert coverage is not None and len(coverage) == 4 and 0 < sum(coverage) < 240
    assert len(report.fonts) == 6 and all(f.embedded and f.subset for f in report.fonts)
    assert [i.colorspace for i in report.images] == ["cmyk"] * 5
    assert all(299 <= i.ppi <= 301 and i.ink is not None and i.ink <= 240 for i in report.images)
    assert format_table(report).endswith("0 errors, 0 warnings: print-ready")
    assert main(["preflight", str(sample_pdf), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["errors"] == 0 and data["pdf_x"] == "PDF/X-4"
    assert data["images"][0]["colorspace"] == "cmyk"


def test_rgb_image_and_rgb_text_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import weasyprint

    Image.new("RGB", (600, 400), (200, 30, 30)).save(tmp_path / "red.png")
    html = ('<style>@page { size: 100mm 80mm; bleed: 3mm; margin: 5mm }</style>'
            '<p style="color: rgb(0, 0, 0)">Hello</p><img src="red.png" style="width: 40mm">')
    pdf = tmp_path / "rgb.pdf"
    weasyprint.HTML(string=html, base_url=str(tmp_path) + "/").write_pdf(pdf)
    assert main(["preflight", str(pdf)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"rgb\.pdf: error: image /\S+ \(600×400 px placed at 40\.0×26\.7 mm\) is RGB, not CMYK "
                     r"or gray \[page 1\]", err), err
    assert "error: RGB colour operator '0 0 0 rg' in the page content [page 1]" in err
    assert "error: text drawn in RGB [page 1]" in err


def _handmade(tmp_path: Path, content: bytes) -> Path:
    """A one-page PDF with exact boxes, a Separation /All colour and a non-embedded Helvetica."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(200, 200))
    page.obj.TrimBox = [30, 30, 170, 170]
    page.obj.BleedBox = [21.5, 21.5, 178.5, 178.5]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    page.obj.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F1=font),
        ColorSpace=pikepdf.Dictionary(R=pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All,
                                                      pikepdf.Name.DeviceCMYK, tint])))
    page.obj.Contents = pdf.make_stream(content)
    path = tmp_path / "handmade.pdf"
    pdf.save(path)
    return path


def test_missing_font_rich_black_and_marks_in_the_bleed_fail(tmp_path: Path) -> None:
    path = _handmade(tmp_path, b"/R cs 1 scn 25 100 4 0.25 re f\n"  # a crop mark inside the bleed
                               b"/R cs 1 scn 2 100 15 0.25 re f\n"  # one outside: fine
                               b"0.6 0.5 0.5 1 k BT /F1 9 Tf 40 100 Td (rich) Tj ET\n"
                               b"0 0 0 1 k BT /F1 9 Tf 40 80 Td (pure) Tj ET\n")
    report = preflight(path)
    messages = [d.render() for d in report.diagnostics if d.severity >= 2]
    assert "handmade.pdf: error: font Helvetica is not embedded (hint: the press does not have your " \
           "fonts: embed every font)" in [m.replace(str(tmp_path) + "/", "") for m in messages]
    assert any("rich-black text (0.6 0.5 0.5 1): type must be pure K [page 1]" in m for m in messages)
    assert any("registration-colour mark at (25.0, 100.0) pt lies inside the BleedBox" in m for m in messages)
    assert len(report.pages[0].marks) == 2
    assert not any("PDF/X" in m for m in messages)  # no claim, nothing to honour
    assert main(["preflight", "-q", str(path)]) == 1


def test_forms_shadings_inline_images_and_the_graphics_state(tmp_path: Path) -> None:
    """Every content stream is walked with its graphics state: a mark drawn inside a form under a
    ``cm`` lands where the matrices put it, ``Q`` restores the colour, an RGB shading and an inline
    image are reported, a CMYK fill over the ink limit is an error."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(200, 200))
    page.obj.TrimBox = [30, 30, 170, 170]
    page.obj.BleedBox = [21.5, 21.5, 178.5, 178.5]
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    registration = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK, tint])
    form = pdf.make_stream(b"/R CS 1 SCN 0 0 m 0 10 l S\n", Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Form, BBox=[0, 0, 20, 20], Matrix=[1, 0, 0, 1, 5, 0],
                           Resources=pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(R=registration)))
    shading = pikepdf.Dictionary(ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB, Coords=[0, 0, 1, 0],
                                 Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0],
                                                             C1=[0, 0, 1], N=1))
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Mark=form),
                                            Shading=pikepdf.Dictionary(Sh=shading))
    page.obj.Contents = pdf.make_stream(
        b"q 1 0 0 1 2 150 cm /Mark Do Q\n"  # the form's mark at x 2 + 5, y 150..160: in the slug
        b"q 1 0 0 1 100 100 cm /Mark Do Q\n"  # at x 105: inside the bleed
        b"q /Sh sh Q\n"
        b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI\n"
        b"q 1 1 1 0 k 40 40 10 10 re f Q 0 0 0 1 k 60 40 10 10 re f\n")
    path = tmp_path / "forms.pdf"
    pdf.save(path)
    report = preflight(path)
    assert report.pages[0].marks == ((7.0, 150.0, 7.0, 160.0), (105.0, 100.0, 105.0, 110.0))
    messages = [d.render().replace(str(tmp_path) + "/", "") for d in report.diagnostics]
    assert "forms.pdf: error: registration-colour mark at (105.0, 100.0) pt lies inside the BleedBox " \
           "[page 1] (hint: crop marks belong in the slug, outside the bleed)" in messages
    assert "forms.pdf: error: RGB colour space set by 'sh' in the page content [page 1] (hint: " \
           "everything on a press page is CMYK or gray)" in messages
    assert "forms.pdf: warning: inline image in the content stream [page 1]" in messages
    assert "forms.pdf: error: fill colour 1 1 1 0 has 300 % total ink (limit 240 %) [page 1]" in messages
    assert report.pages[0].colours == {"cmyk": 2, "registration": 2}


def test_photo_at_100_ppi_fails_the_build_at_its_line(content_copy: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content_copy.parent)
    photo = content_copy.parent / "images" / "chaoyang-kindergarten.jpg"
    with Image.open(photo) as im:  # the lead photo is placed 129.5 mm wide: 510 px is 100 ppi
        im.convert("RGB").resize((510, 400)).save(photo, quality=90)  # cropped to 510×302
    out = content_copy.parent / "out.pdf"
    assert main(["build", str(content_copy), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    line = 1 + content_copy.read_text(encoding="utf-8").splitlines().index(
        "      - src: images/chaoyang-kindergarten.jpg")
    assert re.search(rf"^beibei-dangjian\.yaml:{line}:9: error: photo chaoyang-kindergarten\.jpg: effective "
                     r"resolution 100 ppi at its placed size, under 200 \[articles\[0\]\.images\[0\]\.src\] "
                     r"\(hint: supply at least 1020 px wide; to print it as it is, add 'min_ppi: 100' to the "
                     r"image \(a historic photo\)\)$", err, re.M), err
    # said once: the build's preflight neither repeats it nor names the photo by a PDF object name
    assert len(re.findall(r"effective resolution", err)) == 1, err
    assert not re.search(r"/i[0-9a-f]{6,}", err), err
    assert not out.exists()


def test_missing_font_file_in_the_manifest_is_named(tmp_path: Path) -> None:
    from banmian.source.project import builtin_manifest
    from banmian.source.world import make_world

    manifest = tmp_path / "fonts.yaml"
    text = builtin_manifest().read_text(encoding="utf-8")
    manifest.write_text(text.replace("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
                                     "/nonexistent/NotoSerifCJK-Regular.ttc", 1), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        make_world(ROOT, manifest)
    [d] = [d for d in caught.value.diagnostics if d.severity >= 2]
    assert d.message == "font role 'body': file /nonexistent/NotoSerifCJK-Regular.ttc is missing"
    assert d.location.file == manifest and d.location.line is not None


def test_not_a_pdf_and_a_damaged_pdf(tmp_path: Path, sample_pdf: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.pdf"
    text.write_text("not a pdf", encoding="utf-8")
    assert main(["preflight", str(text)]) == 1
    assert "error: not a readable PDF" in capsys.readouterr().err
    damaged = tmp_path / "damaged.pdf"
    data = bytearray(sample_pdf.read_bytes())
    cut = data.rfind(b"startxref")
    damaged.write_bytes(bytes(data[: cut - 2000]))  # the cross-reference stream is gone
    assert main(["preflight", str(damaged)]) == 1
    assert "qpdf --check" in capsys.readouterr().err


def test_missing_tools_are_reported_not_hidden(sample_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    report = preflight(sample_pdf)
    assert report.tools == {"qpdf": "not installed", "ghostscript": "not installed"}
    assert report.pages[0].coverage is None
    assert {d.code for d in report.diagnostics} == {"qpdf", "inkcov"}
