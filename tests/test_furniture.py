"""Page furniture as a reader sees it: page 1 carries the masthead (报头), any other page a 报眉 on the
grid — publication, 第N版 版名, the date in house style, 责任编辑：NAME — and each plate of a spread its own
版次; the page QR code of an inside page sits in the banner band and scans."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from banmian.core.diagnostics import Severity
from banmian.pipeline import BuildOptions, BuildResult, build

from .conftest import SAMPLE
from .contentgen import ArticleSpec, write_content


def build_to(content: Path, out: Path, world: Any, layout: str | None = None) -> BuildResult:
    return build(content, BuildOptions(layout=layout, output=out), world)


def header_words(pdf: Path, depth: float) -> list[dict[str, Any]]:
    """The words printed in the top ``depth`` pt of the trim box (the header band)."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        top = float(page.trimbox[1]) if page.trimbox else 0.0
        words = page.extract_words(extra_attrs=["size"], keep_blank_chars=True, x_tolerance=1.5)
        return [w for w in words if w["top"] - top < depth]


def text_of(words: list[dict[str, Any]]) -> str:
    return "".join(w["text"] for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])))


@pytest.fixture(scope="module")
def tabloid(world: Any, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("tabloid") / "t.pdf"
    return build_to(SAMPLE, out, world, "tabloid-spread")


def test_each_plate_of_a_spread_has_its_own_page_number(tabloid: BuildResult) -> None:
    plates = [p for p in tabloid.outputs if p.stem.endswith(("-p1", "-p2"))]
    assert len(plates) == 2
    texts = [text_of(header_words(p, 60 * 2.835)) for p in sorted(plates)]
    assert "第4版" in texts[0] and "第5版" not in texts[0]
    assert "第5版" in texts[1] and "第4版" not in texts[1]
    for text in texts:
        assert "责任编辑：王晓" in text.replace(" ", "")
        assert "2025年6月28日" in text  # house style: no quarter-em gaps around the digits


def test_the_sample_builds_print_ready_in_every_layout(tabloid: BuildResult, world: Any,
                                                      tmp_path: Path) -> None:
    results = [tabloid] + [build_to(SAMPLE, tmp_path / f"{name}.pdf", world, name)
                           for name in ("broadsheet-page", "a4-newsletter")]
    for result in results:
        assert result.ok
        warnings = [d.message for d in result.diagnostics if d.severity >= Severity.WARNING]
        assert warnings == []


def test_the_tabloid_page_qr_code_scans(tabloid: BuildResult, tmp_path: Path) -> None:
    right = next(p for p in tabloid.outputs if p.stem.endswith("-p2"))
    png = tmp_path / "p2"
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(right), str(png)], check=True)
    scan = subprocess.run(["zbarimg", "-q", "--raw", f"{png}.png"], capture_output=True, text=True)
    assert scan.stdout.strip() == "https://example.com/beibei-jiaoyu/386/4"


@pytest.mark.parametrize(("page", "masthead"), [(1, True), (2, False), (7, False)])
def test_page_one_has_the_masthead_every_other_page_a_running_head(page: int, masthead: bool,
                                                                    world: Any, tmp_path: Path) -> None:
    content = write_content(tmp_path, [ArticleSpec(900, ["landscape"]), ArticleSpec(700),
                                       ArticleSpec(600), ArticleSpec(500)],
                            seed=page, layout="a4-newsletter")
    text = content.read_text(encoding="utf-8").replace("page: 2", f"page: {page}")
    content.write_text(text, encoding="utf-8")
    result = build_to(content, tmp_path / "p.pdf", dataclasses.replace(world, root=tmp_path))
    assert result.ok
    lay = result.pages[0].layout
    assert lay.spec.header is not None
    header = header_words(tmp_path / "p.pdf", lay.line_y(lay.spec.header.line + lay.spec.header.lines))
    publication = [w for w in header if "北碚教育" in w["text"]]
    assert publication
    size = max(w["size"] for w in publication)
    body = 9.0
    if masthead:
        assert size >= 3 * body  # a masthead: the publication's name large
    else:
        assert size <= 2 * body  # a 报眉: one line, the name hardly larger than its items
        line = text_of(header).replace(" ", "")
        assert f"第{page}版" in line and "2026年9月10日" in line and "责任编辑：李明" in line
        tops = {round(w["top"] + w["size"] * 0.88) for w in header}  # baselines of the 报眉's items
        assert max(tops) - min(tops) <= 1


def test_under_a_running_head_the_masthead_code_goes_to_the_banner_band(world: Any, tmp_path: Path) -> None:
    """The broadsheet asks for its code in the header strip; on page 4 the header is a thin 报眉, so the
    code stands in the banner band's corner, clear of the banner, and scans."""
    result = build_to(SAMPLE, tmp_path / "b.pdf", world, "broadsheet-page")
    lay = result.pages[0].layout
    assert lay.spec.header is not None and lay.spec.banner is not None
    (code,) = result.pages[0].codes
    band_top = lay.line_y(lay.spec.header.line + lay.spec.header.inside_lines)
    assert band_top <= code.rect.y and code.rect.y + code.rect.h <= lay.line_y(
        lay.spec.banner.line + lay.spec.banner.lines)
    png = tmp_path / "b"
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(tmp_path / "b.pdf"), str(png)],
                   check=True)
    scan = subprocess.run(["zbarimg", "-q", "--raw", f"{png}.png"], capture_output=True, text=True)
    assert scan.stdout.strip() == "https://example.com/beibei-jiaoyu/386/4"
