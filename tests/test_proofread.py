"""`banmian check --strict` on what a proofreader marks: for each rule a small page that breaks it (drawn
with reportlab, or the sample set by plain WeasyPrint) is caught, and the same page set right is not."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from banmian.check.lint import check_pdf
from banmian.cli.main import main

from .conftest import ROOT, SAMPLE

WENKAI = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
WENKAI_BOLD = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Bold.ttf"
SIZE, PITCH, LEFT, TOP, HEIGHT = 10.0, 15.0, 72.0, 100.0, 700.0


def page(path: Path, draw: Callable[[Any], None]) -> Path:
    """A one-page PDF drawn by ``draw`` on a reportlab canvas with WenKai (regular and bold) registered."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WenKai", WENKAI))
    pdfmetrics.registerFont(TTFont("WenKaiBold", WENKAI_BOLD))
    c = canvas.Canvas(str(path), pagesize=(500, HEIGHT))
    c.setFont("WenKai", SIZE)
    draw(c)
    c.save()
    return path


def cells(c: Any, text: str, x: float, n: int, widths: Sequence[float] | None = None,
          bold: int = 0) -> None:
    """``text`` on line ``n`` from ``x``, each character in a cell of its own width (1 em by default);
    the first ``bold`` characters in the bold face."""
    y = HEIGHT - TOP - n * PITCH
    for i, ch in enumerate(text):
        c.setFont("WenKaiBold" if i < bold else "WenKai", SIZE)
        c.drawString(x, y, ch)
        x += (widths[i] if widths is not None else 1.0) * SIZE


def strict_kinds(pdf: Path) -> set[str]:
    return {d.code for d in check_pdf(pdf).diagnostics(strict=True) if d.code}


QUOTED = "创新打造“向阳花”党建品牌，培根铸魂育蓓蕾"


@pytest.mark.parametrize(("quote_em", "caught"), [(None, True), (1.0, False), (0.5, False)])
def test_proportional_quotes_in_chinese_text(tmp_path: Path, quote_em: float | None, caught: bool) -> None:
    """WenKai's own advances (“ ” 0.35 em) are caught; quotes in full-width or half-width cells are not."""

    def draw(c: Any) -> None:
        if quote_em is None:
            c.drawString(LEFT, HEIGHT - TOP, QUOTED)  # the face's proportional advances
        else:
            widths = [quote_em if ch in "“”" else 1.0 for ch in QUOTED]
            cells(c, QUOTED, LEFT, 0, widths)

    kinds = strict_kinds(page(tmp_path / "q.pdf", draw))
    assert ("proportional" in kinds) is caught
    if caught:
        assert main(["check", "--strict", "-q", str(tmp_path / "q.pdf")]) == 1


def test_plain_weasyprint_sets_proportional_quotes(tmp_path: Path) -> None:
    """The sample set by WeasyPrint alone: its kickers and captions in the Kai face keep 0.35 em quotes."""
    out = tmp_path / "plain.pdf"
    subprocess.run([sys.executable, str(ROOT / "bench" / "plain_weasyprint.py"), str(SAMPLE), str(out)],
                   check=True, capture_output=True)
    report = check_pdf(out)
    assert report.proportional
    assert any("“" in f.detail or "”" in f.detail for f in report.proportional)


@pytest.mark.parametrize(("rule_y", "caught"), [(0.1, True), (-0.8, True), (0.5 * PITCH / SIZE, False)])
def test_a_rule_touching_type(tmp_path: Path, rule_y: float, caught: bool) -> None:
    """A rule through a line's em box (0.1 em below its baseline: through the descending part of the
    box; 0.8 em above it: through the glyphs) is caught; one in the middle of the gap below is not."""

    def draw(c: Any) -> None:
        for n in range(3):
            cells(c, "报眉责任编辑王晓北碚教育", LEFT, n)
        y = HEIGHT - TOP - 2 * PITCH - rule_y * SIZE  # from the last line's baseline, downwards
        c.setLineWidth(1.0)
        c.line(LEFT - 5, y, LEFT + 14 * SIZE, y)

    assert ("rule-touch" in strict_kinds(page(tmp_path / "r.pdf", draw))) is caught


@pytest.mark.parametrize(("head_line", "caught"), [(5, True), (4, False)])
def test_a_run_in_head_on_a_columns_last_line(tmp_path: Path, head_line: int, caught: bool) -> None:
    """Two columns of one text; a paragraph with a bold run-in head starting on the first column's last
    line (line 5 of 6) is caught, one a line higher is not."""
    text = "我们的报纸每天都在用心排版每一行都对齐文字整整齐齐行末还有一些字在这里写"
    measure = 12

    def draw(c: Any) -> None:
        for col in range(2):
            for n in range(6):
                x = LEFT + col * (measure + 2) * SIZE
                start = n == head_line and col == 0
                line = text[(n * 12 + col * 5) % 30:][:measure]
                if start:
                    cells(c, "组织引领，依托“双创”建", x + 2 * SIZE, n, bold=5)
                else:
                    cells(c, line, x, n)

    assert ("runin-end" in strict_kinds(page(tmp_path / "h.pdf", draw))) is caught


@pytest.mark.parametrize(("right_lines", "caught"), [(4, True), (7, False), (8, False)])
def test_columns_of_one_text_ending_apart(tmp_path: Path, right_lines: int, caught: bool) -> None:
    """A text in two columns: the second (going on with the first's paragraph) ending 4 lines above the
    first is caught; one line apart or together is not."""
    text = "我们的报纸每天都在用心排版每一行都对齐文字整整齐齐的行末还有一些字在这里"

    def draw(c: Any) -> None:
        for n in range(8):
            cells(c, text[n:n + 12], LEFT, n)
        for n in range(right_lines):
            last = n == right_lines - 1
            cells(c, text[n + 3:n + 3 + (6 if last else 12)], LEFT + 14 * SIZE, n)

    assert ("uneven" in strict_kinds(page(tmp_path / "u.pdf", draw))) is caught


def clearances(pdf: Path) -> list[tuple[float, float]]:
    """For each horizontal rule across at least a column of the PDF's first page: the distance (pt) from
    the em boxes of the type above it and below it, within its extent."""
    import pdfplumber

    from banmian.check.pdflines import reconstruct
    from banmian.check.proofread import em_box, page_rules

    lines, _, _ = reconstruct(pdf)
    boxes = [em_box(c) for ln in lines if ln.page == 1 for c in ln.chars if not c.text.isspace()]
    out = []
    with pdfplumber.open(pdf) as doc:
        for x0, x1, top, bottom in page_rules(doc.pages[0]):
            if x1 - x0 < 100 or x1 - x0 < bottom - top:
                continue
            over = [bottom_ for bx0, bx1, _t, bottom_ in boxes if bx1 > x0 and bx0 < x1 and bottom_ <= top]
            under = [top_ for bx0, bx1, top_, _b in boxes if bx1 > x0 and bx0 < x1 and top_ >= bottom]
            if over and under:
                out.append((top - max(over), min(under) - bottom))
    return out


@pytest.mark.parametrize("layout", ["broadsheet-page", "tabloid-spread"])
def test_separators_sit_in_the_middle_of_their_gap(layout: str, world: Any, tmp_path: Path) -> None:
    """The rules under the 报眉, the banner and between modules: clear of the type on both sides by a third
    of a grid line at least (the rule under the lead touched its last line's em box); in a tight gap (less
    than two grid lines) about centred."""
    from banmian.pipeline import BuildOptions, build

    result = build(SAMPLE, BuildOptions(layout=layout, output=tmp_path / "s.pdf"), world)
    pitch = result.pages[0].layout.spec.grid.pitch
    for pdf in [p for p in result.outputs if not p.stem.endswith("-spread")]:
        gaps = clearances(pdf)
        assert gaps, pdf.name
        for above, below in gaps:
            assert min(above, below) >= pitch / 3, (pdf.name, above, below)
            if above + below < 2 * pitch:
                assert abs(above - below) <= pitch / 4, (pdf.name, above, below)
