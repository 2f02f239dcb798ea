"""`banmian check` on PDFs: the sample page passes, plain WeasyPrint fails, small synthetic PDFs with one
known defect each are caught exactly, and generated content built by banmian passes with its text intact."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from banmian.check.lint import FLUSH_MIN, GAP_MAX, CheckReport, check_pdf
from banmian.cli.main import main

from .conftest import ROOT, SAMPLE
from .pdftext import column_text, trim_offset

WENKAI = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"


@pytest.fixture(scope="module")
def sample_report(sample_pdf: Path) -> CheckReport:
    return check_pdf(sample_pdf)


def test_sample_page_passes(sample_report: CheckReport) -> None:
    r = sample_report
    assert r.body_size == 9.0
    assert r.nonfinal_lines > 250
    assert r.kinsoku == []
    assert r.guzi == []
    assert r.flush_share is not None and r.flush_share >= FLUSH_MIN, r.ragged
    assert 0 < r.widest_gap_em <= GAP_MAX
    assert r.overfull == []
    assert r.fonts and all(f.embedded and not f.type3 for f in r.fonts)
    assert r.ok(strict=True), r.failures(strict=True)


def test_cli_table_and_json(sample_pdf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(sample_pdf)]) == 0
    table = capsys.readouterr().out
    assert "non-final lines flush" in table and "result: ok" in table
    assert main(["check", str(sample_pdf), "--json", "--strict"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["kinsoku"] == [] and data["guzi"] == []
    assert data["flush_share"] >= FLUSH_MIN
    assert main(["check", str(sample_pdf.with_name("missing.pdf"))]) == 1


def test_plain_weasyprint_fails(tmp_path: Path) -> None:
    """The same content set by WeasyPrint alone: ragged columns, so the lint must fail."""
    out = tmp_path / "plain.pdf"
    subprocess.run([sys.executable, str(ROOT / "bench" / "plain_weasyprint.py"), str(SAMPLE), str(out)],
                   check=True, capture_output=True)
    r = check_pdf(out)
    assert r.flush_share is not None and r.flush_share < 0.5
    assert len(r.guzi) > 0  # Pango leaves single characters on paragraph-final lines
    assert not r.ok()
    assert main(["check", str(out), "-q"]) == 1


# --- synthetic PDFs: every character placed by hand on a 10-em measure ---------------------------------

SIZE, PITCH, LEFT, TOP = 10.0, 15.0, 72.0, 100.0


def synthetic(path: Path, paragraphs: list[list[str]], *, latin: str | None = None,
              spread: dict[int, float] | None = None) -> Path:
    """Paragraphs of lines, each character at LEFT + i em (first lines indented 2 em), LXGW WenKai
    embedded. ``spread`` maps a line number to extra pt added after every character but the last."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WenKai", WENKAI))
    c = canvas.Canvas(str(path), pagesize=(400, 600))
    c.setFont("WenKai", SIZE)
    n = 0
    for para in paragraphs:
        for k, text in enumerate(para):
            x = LEFT + (2 * SIZE if k == 0 else 0)
            y = 600 - TOP - n * PITCH
            extra = (spread or {}).get(n, 0.0)
            for ch in text:
                c.drawString(x, y, ch)
                x += SIZE + extra
            n += 1
    if latin:
        c.setFont("Helvetica", SIZE)
        c.drawString(LEFT, 600 - TOP - (n + 2) * PITCH, latin)
    c.save()
    return path


GOOD = [  # 12 em lines (10 + a 2 em indent for first lines)
    ["我们的报纸每天都在用", "心排版，每一行都两端对齐", "文字整整齐齐。"],
    ["第二段开始的地方也有", "缩进，标点不在行首，也不", "在行尾出现开引号了。"],
]


def test_synthetic_clean_page_passes(tmp_path: Path) -> None:
    r = check_pdf(synthetic(tmp_path / "good.pdf", GOOD))
    assert r.nonfinal_lines == 4 and r.flush_lines == 4
    assert r.kinsoku == [] and r.guzi == [] and r.ragged == []
    assert r.widest_gap_em == 0.0
    assert r.ok(strict=True), r.failures(strict=True)
    assert [(f.name, f.used) for f in r.fonts if not f.embedded] == [("Helvetica", False)]


def test_synthetic_kinsoku_line_start(tmp_path: Path) -> None:
    paras = [["我们的报纸每天都在用", "心排版每一行都两端对齐文", "，字整整齐齐。"], GOOD[1]]
    r = check_pdf(synthetic(tmp_path / "k.pdf", paras))
    assert [(f.kind, f.text) for f in r.kinsoku] == [("kinsoku-start", "，字整整齐齐。")]
    assert not r.ok()


def test_synthetic_kinsoku_line_end_and_splits(tmp_path: Path) -> None:
    paras = [["我们的报纸每天都在用", "心排版每一行都两端对齐“", "文字整整齐齐。"],
             ["破折号不能拆开每一行", "都两端对齐标点不在行首—", "—也不在行尾出现。"],
             ["数字不能拆开每一行都", "两端对齐标点不在行首12", "68个字。"]]
    r = check_pdf(synthetic(tmp_path / "k2.pdf", paras))
    assert sorted((f.kind, f.text) for f in r.kinsoku) == [
        ("kinsoku-end", "心排版每一行都两端对齐“"),
        ("split-dash", "都两端对齐标点不在行首—"),
        ("split-number", "两端对齐标点不在行首12"),
    ]


def test_synthetic_guzi(tmp_path: Path) -> None:
    paras = [["我们的报纸每天都在用", "心排版，每一行都两端对齐", "文字整整齐齐的行末还有一", "字。"],
             GOOD[1]]
    r = check_pdf(synthetic(tmp_path / "g.pdf", paras))
    assert [(f.kind, f.text) for f in r.guzi] == [("guzi", "字。")]
    assert r.ragged == [] and r.kinsoku == []
    assert r.failures() == ["1 孤字"]


def test_synthetic_ragged_line_and_gap(tmp_path: Path) -> None:
    paras = [["我们的报纸每天都在用", "心排版，每一行都两端对齐", "文字整整齐齐的行末", "还有。"],
             ["第二段开始的地方也有", "缩进标点不在行首也不在", "行尾出现开引号了。"]]
    # line 5 (11 characters) spread by 1 pt after each character reaches the edge: flush, 0.1 em gaps
    r = check_pdf(synthetic(tmp_path / "r.pdf", paras, spread={5: 1.0}))
    assert [f.text for f in r.ragged] == ["文字整整齐齐的行末"]
    assert r.nonfinal_lines == 5 and r.flush_lines == 4
    assert r.widest_gap_em == pytest.approx(0.1, abs=1e-3)
    assert r.widest_gap is not None and r.widest_gap.text == "缩进标点不在行首也不在"
    assert any("flush" in f for f in r.failures())


def test_synthetic_unembedded_font(tmp_path: Path) -> None:
    r = check_pdf(synthetic(tmp_path / "f.pdf", GOOD, latin="Helvetica is not embedded"))
    assert [(f.name, f.used) for f in r.fonts if not f.embedded] == [("Helvetica", True)]
    assert any(f.embedded for f in r.fonts)  # WenKai is
    assert r.failures() == ["1 font(s) not embedded: Helvetica"]


# --- generated content, built by banmian ------------------------------------------------------------

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你能而子那得于着下自之年过"
MARKS = ["，", "。", "、", "；", "：", "？", "！"]
PAIRS = [("“", "”"), ("（", "）"), ("《", "》")]
LATIN = ["1,268", "41.5%", "2025", "HTML", "banmian", "3", "CMYK"]


def paragraph(rng: random.Random) -> str:
    out: list[str] = []
    for _ in range(rng.randint(3, 9)):
        phrase = "".join(rng.choice(HAN) for _ in range(rng.randint(2, 12)))
        roll = rng.random()
        if roll < 0.15:
            a, b = rng.choice(PAIRS)
            phrase = f"{a}{phrase}{b}"
        elif roll < 0.3:
            phrase += rng.choice(LATIN)
        elif roll < 0.38:
            phrase += "……"
        elif roll < 0.46:
            phrase += "——" + "".join(rng.choice(HAN) for _ in range(rng.randint(1, 4)))
        out.append(phrase + rng.choice(MARKS))
    text = "".join(out)
    return text[:-1] + "。"


def build_generated(path: Path, paragraphs: list[str]) -> Path:
    body = "\n\n".join(paragraphs)
    indented = "\n".join("      " + line if line else "" for line in body.split("\n"))
    path.write_text(f"""meta:
  publication: 测试报
  date: 2025-06-28
layout: broadsheet-page
banner:
  title: 生成内容测试
articles:
  - id: gen
    title: 随机段落排版检查
    body: |
{indented}
""", encoding="utf-8")
    out = path.with_suffix(".pdf")
    assert main(["build", str(path), "-o", str(out), "-q"]) == 0
    return out


def body_text(pdf: Path, content: Path, world) -> str:  # type: ignore[no-untyped-def]
    """The article body's characters from the PDF, column by column, line by line, nothing added."""
    from banmian.pipeline import BuildOptions, compose

    page = compose(content, BuildOptions(), world).pages[0]
    with pdfplumber.open(pdf) as doc:
        return column_text(doc.pages[0], page.articles[0].body, trim_offset(pdf),
                           page.layout.column_width, page.layout.spec.grid.pitch)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_generated_content_passes(seed: int, tmp_path: Path, world) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    paras = [paragraph(rng) for _ in range(rng.randint(3, 6))]
    content = tmp_path / f"gen{seed}.yaml"
    pdf = build_generated(content, paras)
    r = check_pdf(pdf)
    assert r.kinsoku == [] and r.guzi == [] and r.overfull == [], (r.kinsoku, r.guzi, r.overfull)
    assert r.flush_share == 1.0, [f.text for f in r.ragged]
    # ≤ 0.15 em is not always possible: seed 4 has the 11 em first line "以大用地之你时子可" followed by
    # "2025，" (one unbreakable 2.9 em unit) and no mark to push in, so 2 em spread over 8 gaps is forced
    assert r.widest_gap_em <= 0.26
    assert r.ok(), r.failures()
    from banmian.source.load import load

    assert load(content).articles[0].body_text == "".join(paras)
    assert body_text(pdf, content, world) == "".join(paras)


def test_generated_two_em_dash_line_is_flush(tmp_path: Path) -> None:
    content = tmp_path / "dash.yaml"
    pdf = build_generated(content, ["第二段：破折号——以及省略号……都不能拆开。我们继续写一些汉字，"
                                    "让这一段足够长，可以折成好几行，检验两端对齐的效果是否达标。"])
    r = check_pdf(pdf)
    assert r.overfull == [] and r.flush_share == 1.0


def test_pdftotext_of_sample_articles(sample_pdf: Path) -> None:
    """pdftotext -raw gives each article's text in order, with spaces changed in two ways only: it adds
    one at each Han–Latin boundary (the ¼ em gap is wider than its word-space threshold: "区内 25 所")
    and drops one that ends a line ("西南局 生态" broken after the space). So: equal once newlines and
    spaces are removed; the exact text is asserted with pdfplumber in test_sample_pdf."""
    from banmian.source.load import load

    raw = subprocess.run(["pdftotext", "-raw", str(sample_pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    flat = raw.replace("\n", "").replace(" ", "")
    assert "区内 25 所" in raw
    for art in load(SAMPLE).articles:
        assert art.body_text.replace(" ", "") in flat, art.id


def test_synthetic_ragged_columns_with_a_rule_are_not_flush(tmp_path: Path) -> None:
    """Two columns of ragged lines (9 or 10 ideographs on a 12 em measure) with a rule in the gutter:
    the rule, midway to the next column, puts the first column's edge at 12 em, so no line is flush —
    although most lines end together at 10 em. The column left of the rule is read first."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WenKai", WENKAI))
    path = tmp_path / "ruled.pdf"
    c = canvas.Canvas(str(path), pagesize=(500, 600))
    c.setFont("WenKai", SIZE)
    measure, gutter = 12 * SIZE, 2 * SIZE
    lines = ["我们的报纸每天都在用", "心排版每一行都对齐", "文字整整齐齐的行末", "还有一些字在这里",
             "第二段开始的地方也有", "缩进标点不在行首也", "行尾出现开引号了。"]
    for col in range(2):
        left = LEFT + col * (measure + gutter)
        for n, text in enumerate(lines):
            for i, ch in enumerate(text):
                c.drawString(left + i * SIZE, 600 - TOP - n * PITCH, ch)
    rule_x = LEFT + measure + gutter / 2
    c.setLineWidth(0.5)
    c.line(rule_x, 600 - TOP + SIZE, rule_x, 600 - TOP - len(lines) * PITCH)
    c.save()
    r = check_pdf(path)
    assert r.nonfinal_lines > 0
    assert r.flush_lines == 0, [f.text for f in r.ragged]


def test_synthetic_text_on_a_ground_is_flush_to_its_padding(tmp_path: Path) -> None:
    """A sidebar: justified lines on a tinted box, 6 pt inside its edges, with a module rule in the
    gutter right of the box and a column of text beyond it. The rule is not the boxed text's column rule
    (the box ends before it), so its lines, all ending 6 pt inside the box, are flush — while the same
    lines without the ground are ragged against the rule."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WenKai", WENKAI))
    measure, pad, gutter = 10 * SIZE, 6.0, 2 * SIZE
    lines = ["我们的报纸每天都在用", "心排版每一行都两端对", "文字整整齐齐的行末都", "在同一个地方结束了"]

    def page(path: Path, ground: bool) -> Path:
        c = canvas.Canvas(str(path), pagesize=(500, 600))
        box_right = LEFT + measure + pad
        if ground:
            c.setFillColorCMYK(0, 0.06, 0.1, 0)
            c.rect(LEFT - pad, 600 - TOP - len(lines) * PITCH, measure + 2 * pad, len(lines) * PITCH + SIZE,
                   stroke=0, fill=1)
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFont("WenKai", SIZE)
        for left in (LEFT, box_right + gutter):
            for n, text in enumerate(lines):
                for i, ch in enumerate(text):
                    c.drawString(left + i * SIZE, 600 - TOP - n * PITCH, ch)
        rule_x = box_right + gutter / 2
        c.setLineWidth(0.5)
        c.line(rule_x, 600 - TOP + SIZE, rule_x, 600 - TOP - len(lines) * PITCH)
        c.save()
        return path

    on_ground = check_pdf(page(tmp_path / "ground.pdf", True))
    assert on_ground.ragged == [] and on_ground.flush_lines == on_ground.nonfinal_lines > 0
    bare = check_pdf(page(tmp_path / "bare.pdf", False))
    assert bare.ragged, "without the ground the rule sets the edge"
