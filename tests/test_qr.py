"""QR codes: the sample's code is vector (K 100 rectangles, no image), decodes with zbarimg from a
300-dpi render, keeps its quiet zone and minimum module size; a slot can host an article's code."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from banmian.compose.codes import (
    MIN_MODULE_MM,
    QUIET,
    CodeTooSmallError,
    ean13_bars,
    issn_to_ean13,
    merge_runs,
    qr_box,
    qr_matrix,
)
from banmian.core.units import MM
from banmian.pipeline import BuildOptions, compose

from .conftest import SAMPLE

URL = "https://example.com/beibei-jiaoyu/386/4"


@pytest.fixture(scope="module")
def composed(world):  # type: ignore[no-untyped-def]
    return compose(SAMPLE, BuildOptions(), world)


def test_the_sample_code_decodes_at_300_dpi(sample_pdf: Path, composed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None:
        pytest.fail("zbarimg (zbar-tools) and pdftoppm (poppler-utils) are needed: make setup")
    page = composed.pages[0]
    assert len(page.codes) == 1
    code = page.codes[0]
    spec = page.layout.spec.page
    offset = (spec.bleed + spec.slug) * MM
    scale = 300 / 72
    margin = 4 * MM
    x, y = (code.rect.x + offset - margin) * scale, (code.rect.y + offset - margin) * scale
    side = (code.rect.w + 2 * margin) * scale
    out = tmp_path / "code"
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", "-x", str(int(x)), "-y", str(int(y)),
                    "-W", str(int(side)), "-H", str(int(side)), str(sample_pdf), str(out)], check=True)
    result = subprocess.run(["zbarimg", "-q", "--raw", str(out) + ".png"], capture_output=True, text=True)
    assert result.stdout.strip() == URL, result


def test_the_code_is_vector_k_rectangles_with_its_label(sample_pdf: Path, composed) -> None:  # type: ignore[no-untyped-def]
    code = composed.pages[0].codes[0]
    spec = composed.pages[0].layout.spec.page
    offset = (spec.bleed + spec.slug) * MM
    x0, y0 = code.rect.x + offset, code.rect.y + offset
    with pdfplumber.open(sample_pdf) as pdf:
        page = pdf.pages[0]
        inside = [r for r in page.rects if x0 - 0.1 <= r["x0"] and r["x1"] <= x0 + code.rect.w + 0.1
                  and y0 - 0.1 <= r["top"] and r["bottom"] <= y0 + code.rect.h + 0.1]
        images = [i for i in page.images if i["x0"] < x0 + code.rect.w and i["x1"] > x0
                  and i["top"] < y0 + code.rect.h and i["bottom"] > y0]
        words = [w["text"] for w in page.extract_words()]
    dark = [r for r in inside if r["non_stroking_color"] == (0, 0, 0, 1)]
    assert len(dark) == len(code.modules) and not images
    assert "扫码阅读全文" in words
    assert code.module >= MIN_MODULE_MM * MM


def test_quiet_zone_and_merged_runs_cover_exactly_the_dark_modules() -> None:
    matrix = qr_matrix(URL)
    n = len(matrix)
    painted = [[False] * n for _ in range(n)]
    for cx, cy, w, h in merge_runs(matrix):
        for yy in range(cy, cy + h):
            for xx in range(cx, cx + w):
                assert not painted[yy][xx]
                painted[yy][xx] = True
    assert painted == [list(row) for row in matrix]
    box = qr_box(URL, 10, 20, 20)
    assert box.rect.w == pytest.approx(20 * MM)
    assert min(m.x for m in box.modules) == pytest.approx(10 + QUIET * box.module)
    assert min(m.y for m in box.modules) == pytest.approx(20 + QUIET * box.module)
    assert len(box.modules) < n * n / 3  # merged, not one rectangle per module


def test_a_code_below_the_minimum_module_is_refused() -> None:
    with pytest.raises(CodeTooSmallError, match=r"0\.33 mm minimum"):
        qr_box(URL, 0, 0, 10)


def test_an_article_code_in_a_slot(world, content_copy: Path) -> None:  # type: ignore[no-untyped-def]
    from banmian.compose.page import compose_page
    from banmian.source.layout import Layout, SlotQrSpec
    from banmian.source.load import load

    text = content_copy.read_text(encoding="utf-8").replace(
        "  - id: chaoyang-kindergarten\n",
        "  - id: chaoyang-kindergarten\n    qr: {url: 'https://example.com/a/1', label: 扫码阅读全文}\n")
    content_copy.write_text(text, encoding="utf-8")
    doc = load(content_copy)
    layout = world.layout("broadsheet-page")
    slots = list(layout.spec.slots)
    slots[0] = slots[0].model_copy(update={"qr": SlotQrSpec(col=0, lines=6, at="bottom", size_mm=16)})
    lay = Layout(layout.spec.model_copy(update={"slots": slots}), layout.folder, layout.source)
    page = compose_page(doc, lay, world.fonts)
    lead = page.articles[0]
    assert len(lead.codes) == 1 and "扫码阅读全文" in [p.text for p in lead.headline]
    code = lead.codes[0].rect
    # no body line of the article's first column runs into the code
    assert not [p for p in lead.body if abs(p.x - lead.rect.x) < 1 and p.y + 13.5 > code.y]


def test_ean13_for_an_issn() -> None:
    assert issn_to_ean13("0317-8471") == "9770317847001"
    bars = ean13_bars("9770317847001")
    assert len(bars) == 95 and bars.startswith("101") and bars.endswith("101") and bars[45:50] == "01010"


def test_an_issn_prints_an_ean13_that_decodes(content_copy: Path, world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``meta.issn`` → an EAN-13 (977 + ISSN + 00 + check) in the header strip, vector K bars."""
    from banmian.cli.main import main
    from banmian.pipeline import BuildOptions, compose

    text = content_copy.read_text(encoding="utf-8")
    text = text.replace("  editor: 王晓\n", "  editor: 王晓\n  issn: 1234-5679\n")
    content_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "issn.pdf"
    assert main(["build", str(content_copy), "-o", str(out), "-q"]) == 0
    page = compose(content_copy, BuildOptions(), world).pages[0]
    (bar,) = [c for c in page.codes if c.kind == "ean13"]
    assert bar.text == "9771234567003"
    spec = page.layout.spec.page
    offset = (spec.bleed + spec.slug) * MM
    scale = 300 / 72
    x, y = (bar.rect.x + offset - 3 * MM) * scale, (bar.rect.y + offset - 3 * MM) * scale
    w, h = (bar.rect.w + 6 * MM) * scale, (bar.rect.h + 6 * MM) * scale
    png = tmp_path / "bar"
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", "-x", str(int(x)), "-y", str(int(y)),
                    "-W", str(int(w)), "-H", str(int(h)), str(out), str(png)], check=True)
    result = subprocess.run(["zbarimg", "-q", str(png) + ".png"], capture_output=True, text=True)
    assert result.stdout.strip() == "EAN-13:9771234567003", result
    with pdfplumber.open(out) as pdf:
        assert "ISSN 1234-5679" in pdf.pages[0].extract_text()


def test_a_wrong_issn_is_an_error_at_its_line(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from banmian.cli.main import main

    text = content_copy.read_text(encoding="utf-8")
    text = text.replace("  editor: 王晓\n", "  editor: 王晓\n  issn: 1234-5678\n")
    content_copy.write_text(text, encoding="utf-8")
    assert main(["build", str(content_copy), "-o", str(content_copy.with_suffix(".pdf"))]) == 1
    line = 1 + content_copy.read_text(encoding="utf-8").splitlines().index("  issn: 1234-5678")
    assert f"beibei-dangjian.yaml:{line}:3: error: ISSN 1234-5678: the check digit should be 9" \
        in capsys.readouterr().err


def _header_qr_layout(project: Path, source: str, qr: str) -> str:
    """A copy of a built-in layout, in ``project``, with the page's QR code in its header strip."""
    folder = project / "layouts" / f"{source}-qr"
    shutil.copytree(Path(__file__).resolve().parents[1] / "src" / "banmian" / "builtin" / "layouts" / source,
                    folder)
    text = (folder / "layout.yaml").read_text(encoding="utf-8")
    text = text.replace(f"name: {source}", f"name: {folder.name}")  # a layout is called by its folder's name
    text = "\n".join(line for line in text.splitlines() if not line.startswith("qr:"))
    (folder / "layout.yaml").write_text(f"{text}\nqr: {qr}\n", encoding="utf-8")
    return folder.name


def _front_page(content: Path) -> None:
    """The sample as page 1 (第1版), whose header is the masthead (page 4 carries a 报眉)."""
    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace("  page: 4\n", "  page: 1\n"), encoding="utf-8")


def _qr_box(page: pdfplumber.page.Page) -> tuple[float, float, float, float]:
    """The QR code in a page's header: the bounds of its module runs (short filled rectangles; an
    EAN-13's bars are tall)."""
    runs = [r for r in page.rects if r["height"] < 1.5 * MM and r["width"] < 20 * MM and r["fill"]
            and r["non_stroking_color"] == (0, 0, 0, 1)  # K 100: not the marks (All)
            and r["top"] < page.height * 0.2]  # nor the header's rule, which spans the page
    assert runs, "no QR code in the header"
    return (min(r["x0"] for r in runs), min(r["top"] for r in runs), max(r["x1"] for r in runs),
            max(r["bottom"] for r in runs))


@pytest.mark.parametrize("source", ["a4-newsletter", "broadsheet-page"])
@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_a_header_code_keeps_clear_of_the_masthead_and_the_header_items(
        content_copy: Path, tmp_path: Path, source: str, align: str) -> None:
    """Wherever the layout asks for the page's code in the header strip, it is set in free space: no
    character of the masthead, the date, 版次, the editor or the ISSN's digits inside or within 1 mm of it
    (the A4 bulletin's masthead is where 'left' would put it)."""
    from banmian.cli.main import main

    _front_page(content_copy)
    if source == "broadsheet-page":  # its header also holds the ISSN's barcode (the A4's has no room)
        text = content_copy.read_text(encoding="utf-8")
        content_copy.write_text(text.replace("  editor: 王晓\n", "  editor: 王晓\n  issn: 1234-5679\n"),
                                encoding="utf-8")
    layout = _header_qr_layout(tmp_path, source, f"{{band: header, align: {align}, size_mm: 16}}")
    out = tmp_path / "page.pdf"
    assert main(["--project", str(tmp_path), "build", str(content_copy), "--layout", layout, "-o", str(out),
                 "-q"]) == 0
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        x0, top, x1, bottom = _qr_box(page)
        near = [c["text"] for c in page.chars if c["x1"] > x0 - MM and c["x0"] < x1 + MM
                and c["bottom"] > top - MM and c["top"] < bottom + MM and c["text"] not in "扫码阅读全文"]
    assert not near, near


def test_no_room_for_a_header_code_is_an_error_at_the_layouts_line(
        content_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from banmian.cli.main import main

    _front_page(content_copy)
    layout = _header_qr_layout(tmp_path, "a4-newsletter", "{band: header, align: left, size_mm: 19}")
    text = content_copy.read_text(encoding="utf-8")
    long_label = "  label: 扫描二维码阅读本期全部文章和更多图片"
    content_copy.write_text(text.replace("  label: 扫码阅读全文", long_label), encoding="utf-8")
    out = tmp_path / "page.pdf"
    argv = ["--project", str(tmp_path), "build", str(content_copy), "--layout", layout, "-o", str(out)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert re.search(r"layout\.yaml:\d+:\d+: error: no room in the header strip for the 19 mm QR code and "
                     r"its label \(\d+ mm\): the masthead and the header's items leave \d+ mm", err), err
    assert not out.exists()
