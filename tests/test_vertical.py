"""Vertical headlines (竖题): a title group set top to bottom in columns read right to left, at the
module's right edge with the body beside it — as the PDF shows it: the text layer gives the title in
order (pdftotext -raw), the lint finds no kinsoku violation in its columns, the preflight passes, marks
take their vertical forms (a comma's ink in the top-right of its cell), a long Latin word is turned, two
digits stand side by side in one em, no body character enters the headline's columns; the composer never
breaks a column where clreq forbids it; automatic placement sets a module around it."""

from __future__ import annotations

import itertools
import random
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import yaml
from PIL import Image

from banmian.check.lint import check_pdf
from banmian.check.preflight import preflight_bytes
from banmian.cli.main import main
from banmian.compose.kinsoku import LINE_END_PROHIBITED, LINE_START_PROHIBITED, is_char
from banmian.compose.linebreak import TypeSpec
from banmian.compose.vertical import compose_vertical
from banmian.pipeline import BuildOptions, compose

from .contentgen import PHRASES, body, page_specs, write_content

KICKER = "记“双创”工作巡礼"
TITLE = ["红色引擎驱动，", "教育提质增效——2025年第3季度"]
SUBTITLE = "以《高质量党建》引领AI与STEM教育"


def vertical_content(folder: Path, rng: random.Random) -> Path:
    data = {"meta": {"publication": "北碚教育", "date": "2025-06-28"}, "layout": "broadsheet-page",
            "articles": [{"id": "v", "kicker": KICKER, "title": TITLE, "subtitle": SUBTITLE,
                          "headline": {"direction": "vertical"}, "body": body(rng, 1200)}]}
    path = folder / "vertical.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("vertical")
    content = vertical_content(folder, random.Random(18))
    out = folder / "vertical.pdf"
    assert main(["build", "-q", str(content), "-o", str(out)]) == 0
    return content, out


def test_title_group_reads_in_order_top_to_bottom_right_to_left(built: tuple[Path, Path]) -> None:
    _content, out = built
    raw = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert KICKER + "".join(TITLE) + SUBTITLE in re.sub(r"\s+", "", raw)


def test_columns_pass_kinsoku_and_the_preflight(built: tuple[Path, Path]) -> None:
    _content, out = built
    report = check_pdf(out)
    columns = [ln.text for ln in report.lines if ln.vertical]
    assert report.kinsoku == []
    assert "红色引擎驱动，" in columns and "记“双创”工作巡礼" in columns
    flight = preflight_bytes(out.read_bytes(), external=False, decode_images=False)
    assert flight.errors == 0, [d.render() for d in flight.diagnostics]


def test_body_stands_beside_the_headline(built: tuple[Path, Path], world: object) -> None:
    content, out = built
    composed = compose(content, BuildOptions(), world)  # type: ignore[arg-type]
    art = composed.pages[0].articles[0]
    columns = [pl for pl in art.headline if pl.vertical]
    assert len(columns) >= 4 and columns[0].style == "kicker" and columns[-1].style == "subtitle"  # the
    # title lines between: at the lead's size (title-1) one may take two columns
    xs = [pl.x for pl in columns]
    assert xs == sorted(xs, reverse=True)  # right to left
    width = composed.layout.column_width
    assert max(pl.x + pl.line.measure for pl in art.body) <= min(xs) - 12  # clear of the title's half em
    assert all(pl.x + width <= art.rect.x + art.rect.w for pl in art.body)
    with pdfplumber.open(out) as pdf:
        chars = pdf.pages[0].chars
    title_x = {round(c["x0"]) for c in chars if c["text"] in "红色引擎驱动" and c["size"] > 20}
    body_right = max(c["x1"] for c in chars if abs(c["size"] - 9) < 0.01 and c["x0"] < min(title_x))
    assert body_right < min(title_x)


def test_marks_take_their_vertical_forms(built: tuple[Path, Path]) -> None:
    """The comma ending the first title column: its ink in the top-right quarter of its cell."""
    _content, out = built
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        height = float(page.height)
        comma = next(c for c in page.chars if c["text"] == "，" and c["size"] > 20)
    em = comma["size"]
    # an upright glyph's origin is the left of its cell, 0.88 em (the face's vertical origin) below its top
    cell_left, cell_top = comma["x0"], height - comma["matrix"][5] - 0.88 * em
    dpi = 300
    png = out.with_suffix(".comma")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-x", str(round(cell_left * dpi / 72)),
                    "-y", str(round(cell_top * dpi / 72)), "-W", str(round(em * dpi / 72)),
                    "-H", str(round(em * dpi / 72)), "-singlefile", str(out), str(png)], check=True)
    image = Image.open(f"{png}.png").convert("L")
    w, h = image.size
    ink = [(x, y) for y in range(h) for x in range(w) if image.getpixel((x, y)) < 128]  # type: ignore[operator]
    assert ink
    cx = sum(x for x, _ in ink) / len(ink) / w
    cy = sum(y for _, y in ink) / len(ink) / h
    assert cx > 0.5 and cy < 0.5, (cx, cy)  # a horizontal comma would sit bottom left


def test_latin_turned_and_two_digits_side_by_side(built: tuple[Path, Path]) -> None:
    _content, out = built
    with pdfplumber.open(out) as pdf:
        chars = pdf.pages[0].chars
    stem = [c for c in chars if c["text"] in "STEM" and not c["upright"]]  # (size: pdfminer's width)
    assert "".join(c["text"] for c in stem) == "STEM"
    assert len({round(c["x0"], 2) for c in stem}) == 1  # one line down the column
    ai = [c for c in chars if c["text"] in "AI" and c["upright"] and c["size"] > 12]
    assert [c["text"] for c in ai] == ["A", "I"]
    assert ai[0]["matrix"][5] == pytest.approx(ai[1]["matrix"][5])  # one baseline: side by side
    assert ai[1]["x1"] - ai[0]["x0"] <= ai[0]["size"] * 0.95  # within one em


@pytest.mark.parametrize("seed", range(6))
def test_columns_break_only_where_clreq_allows(seed: int, world: object) -> None:
    rng = random.Random(seed)
    title = "".join(rng.choice(PHRASES) + rng.choice("，、“”《》（）——") for _ in range(6))
    spec = TypeSpec(world.fonts["headline"].ref, None, 26.0)  # type: ignore[attr-defined]
    columns = compose_vertical([title], 26.0 * 7.5, spec)
    assert len(columns) > 1
    assert "".join(g.text for line in columns for g in line.glyphs) == title
    for line in columns:
        assert line.width <= line.measure + 0.01
        assert sum(is_char(ch) for ch in line.text) >= 2
    for before, after in itertools.pairwise(columns):  # at each break the composer chose
        assert before.text[-1] not in LINE_END_PROHIBITED, before.text
        assert after.text[0] not in LINE_START_PROHIBITED, after.text


def test_automatic_placement_sets_a_module_around_it(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", page_specs(random.Random(5), 6, 4200), seed=5)
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    data["articles"][1]["headline"] = {"direction": "vertical"}
    data["articles"][1]["title"] = "红色引擎驱动教育提质增效"
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "auto.pdf"
    argv = ["--project", str(tmp_path), "build", "-q", str(content), "--place", "auto", "-o", str(out)]
    assert main(argv) == 0
    raw = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True,
                                            text=True, check=True).stdout)
    assert "红色引擎驱动教育提质增效" in raw
    assert check_pdf(out).kinsoku == []
    # frozen as slots (headline: {direction: vertical}), the same modules give the same page
    project = ["--project", str(tmp_path)]
    assert main([*project, "place", "-q", str(content), "--write", "frozen"]) == 0
    frozen = (tmp_path / "layouts" / "frozen" / "layout.yaml").read_text(encoding="utf-8")
    assert "direction: vertical" in frozen
    fixed = tmp_path / "fixed.pdf"
    assert main([*project, "build", "-q", str(content), "--layout", "frozen", "-o", str(fixed)]) == 0
    assert fixed.read_bytes() == out.read_bytes()


def test_a_spread_plate_keeps_its_vertical_headline(tmp_path: Path) -> None:
    """On the right page of a spread: the plate shows the title in a column, read in order."""
    rng = random.Random(3)
    articles = [{"id": f"a{i}", "title": f"第{i}篇稿件标题", "body": body(rng, 600)} for i in range(3)]
    articles[2].update({"title": "红色引擎驱动教育提质增效", "headline": {"direction": "vertical"}})
    data = {"meta": {"publication": "北碚教育", "date": "2025-06-28"}, "layout": "tabloid-spread",
            "articles": articles}
    content = tmp_path / "spread.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["build", "-q", str(content), "-o", str(tmp_path / "s.pdf")]) == 0
    right = tmp_path / "s-p2.pdf"
    raw = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(right), "-"], capture_output=True,
                                            text=True, check=True).stdout)
    assert "红色引擎驱动教育提质增效" in raw
    with pdfplumber.open(right) as pdf:
        title = [c for c in pdf.pages[0].chars if c["text"] in "红色引擎驱动" and c["size"] > 12]
    assert len(title) == 6 and max(c["x0"] for c in title) - min(c["x0"] for c in title) < 0.5  # one column
    assert [c["text"] for c in sorted(title, key=lambda c: c["top"])] == list("红色引擎驱动")
