"""Charts: the sample's 数说党建 box is vector and CMYK, its labels are text; bad chart data is a
located error; values are written the Chinese way."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from banmian.compose.charts import format_value
from banmian.core.diagnostics import BuildError
from banmian.source.load import load

from .pdfcheck import colour_report


def test_chart_labels_are_in_the_text_layer(sample_pdf: Path) -> None:
    with pdfplumber.open(sample_pdf) as pdf:
        words = [w["text"] for w in pdf.pages[0].extract_words()]
    for label in ("数说党建", "学校获得的荣誉", "金兴小学", "两江小学", "北碚实验幼儿园", "168项", "70多项",
                  "15项", "两江小学师生获奖", "教师", "575人次", "1800余人次"):
        assert label in words, label


def test_chart_labels_are_readable(sample_pdf: Path) -> None:
    with pdfplumber.open(sample_pdf) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if c["text"] in "项余次荣誉"]
    assert chars and min(c["size"] for c in chars) >= 7


def test_page_is_vector_and_cmyk_only(sample_pdf: Path) -> None:
    ops, images = colour_report(sample_pdf)
    assert not ops.keys() & {"rg", "RG", "g", "G"}, ops
    # process CMYK, and the registration colour (Separation /All) of the crop marks
    assert {k for k in ops if k.startswith(("cs", "CS"))} <= {"cs /DeviceCMYK", "CS /DeviceCMYK",
                                                            "cs /Separation", "CS /Separation"}, ops
    # the only images are the five photos: no raster chart or code
    assert len(images) == 5, images


def test_pie_is_drawn_over_the_page_in_cmyk(content_copy: Path, tmp_path: Path) -> None:
    from banmian.cli.main import main

    text = content_copy.read_text(encoding="utf-8").replace("        - type: hbar\n", "        - type: pie\n")
    content_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "pie.pdf"
    assert main(["build", str(content_copy), "-o", str(out)]) == 0
    ops, images = colour_report(out)
    assert ops["k"] >= 2 and ops["K"] >= 1, ops  # the wedges and their paper-white separators
    assert not ops.keys() & {"rg", "RG", "g", "G"}, ops
    assert len(images) == 5, images
    with pdfplumber.open(out) as pdf:
        words = [w["text"] for w in pdf.pages[0].extract_words()]
    assert "1800余人次" in words
    again = tmp_path / "again.pdf"
    assert main(["build", "-q", str(content_copy), "-o", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()  # the overlay's resource names are not random


def test_pie_on_a_spread_is_on_its_plate_and_on_the_spread_proof(content_copy: Path, tmp_path: Path) -> None:
    """The wedges are drawn over every PDF of a spread that shows the chart: its plate and the proof."""
    from banmian.cli.main import main

    text = content_copy.read_text(encoding="utf-8").replace("        - type: hbar\n", "        - type: pie\n")
    content_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "pie.pdf"
    assert main(["build", "-q", str(content_copy), "--layout", "tabloid-spread", "-o", str(out)]) == 0
    wedges = {}
    for name in ("pie-p1", "pie-p2", "pie-spread"):
        ops, _ = colour_report(tmp_path / f"{name}.pdf")
        wedges[name] = ops.get("K", 0)  # the wedges' paper-white separators: the only K strokes
    on_plate = [name for name in ("pie-p1", "pie-p2") if wedges[name]]
    assert len(on_plate) == 1 and wedges["pie-spread"] == wedges[on_plate[0]], wedges


def test_bar_geometry_is_kept_on_the_world(content_copy: Path, tmp_path: Path, root: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The World's chart cache holds reportlab's bars between builds: a warm build without reportlab's
    bar charts writes the same bytes; a World with its own cache shares nothing with another."""
    import json
    from dataclasses import replace

    import reportlab.graphics.charts.barcharts as barcharts

    from banmian.pipeline import BuildOptions, build, compose
    from banmian.source.world import ChartGeometryCache, make_world

    base = make_world(root)
    stored = tmp_path / "cache" / "charts.json"
    cold = tmp_path / "cold.pdf"
    build(content_copy, BuildOptions(output=cold), replace(base, charts=ChartGeometryCache(stored)))
    entries = json.loads(stored.read_text(encoding="utf-8"))
    assert len(entries) == 2  # the sample's two bar charts (one vertical, one horizontal)
    assert all(len(bar) == 4 for rects in entries.values() for bar in rects)

    def no_reportlab(*args: object, **kwargs: object) -> None:
        raise AssertionError("reportlab asked for bars the World's cache holds")

    monkeypatch.setattr(barcharts, "VerticalBarChart", no_reportlab)
    monkeypatch.setattr(barcharts, "HorizontalBarChart", no_reportlab)
    warm = tmp_path / "warm.pdf"
    build(content_copy, BuildOptions(output=warm), replace(base, charts=ChartGeometryCache(stored)))
    assert warm.read_bytes() == cold.read_bytes()
    with pytest.raises(AssertionError, match="reportlab asked"):  # no cache shared between Worlds
        compose(content_copy, BuildOptions(), replace(base, charts=ChartGeometryCache(tmp_path / "x.json")))


CHART = """\
meta:
  publication: 北碚教育
  date: 2025-06-28
articles:
  - id: a
    title: 标题
    body: 正文。
    sidebar:
      title: 数说
      kind: chart
      chart:
        type: bar
        series:
          - {label: 甲, value: 168}
          - {label: 乙, value: VALUE}
"""


def located_errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load(path)
    return [d.render() for d in info.value.diagnostics]


@pytest.mark.parametrize("value", ["70多项", "'70'", "true", ".nan", "-3"])
def test_a_value_that_is_not_a_number_is_a_located_error(tmp_path: Path, value: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    found = located_errors(tmp_path, CHART.replace("VALUE", value))
    assert len(found) == 1, found
    assert found[0].startswith("c.yaml:15:"), found
    assert "articles[0].sidebar.chart.series[1].value" in found[0]
    assert "chart value is a" in found[0]


def test_an_empty_series_is_a_located_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = CHART.split("        series:")[0] + "        series: []\n"
    found = located_errors(tmp_path, text)
    assert len(found) == 1 and found[0].startswith("c.yaml:13:"), found
    assert "no data" in found[0]


def test_all_zero_and_missing_data_are_located_errors(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    zero = CHART.replace("168", "0").replace("VALUE", "0")
    assert any(e.startswith("c.yaml:13:") and "every value" in e for e in located_errors(tmp_path, zero))
    missing = CHART.split("        type: bar")[0] + "        type: bar\n"
    found = located_errors(tmp_path, missing)
    assert any(e.startswith("c.yaml:11:") and "missing required key 'series'" in e for e in found), found
    both = CHART.replace("VALUE", "1").replace("      kind: chart\n", "      kind: chart\n      items: [x]\n")
    assert any(e.startswith("c.yaml:8:") and "no 'body' or 'items'" in e
               for e in located_errors(tmp_path, both))


@pytest.mark.parametrize(("value", "unit", "text"), [
    (1800, "人次", "1800人次"), (168, "项", "168项"), (25000, "人", "2.5万人"), (3e8, "元", "3亿元"),
    (12345, "", "12345"), (2.5, "%", "2.5%")])
def test_values_are_written_the_chinese_way(value: float, unit: str, text: str) -> None:
    assert format_value(value, unit) == text


@pytest.mark.parametrize("kind", ["bar", "hbar", "pie"])
@pytest.mark.parametrize("tiny", ["5.0e-324", "1.0e-300"])
def test_extreme_values_draw_as_their_shares(tmp_path: Path, kind: str, tiny: str) -> None:
    """``[5.0e-324, 0]`` divided by zero inside reportlab (exit 70): a chart is drawn from the values'
    shares of the largest, so it prints exactly as ``[1, 0]`` does."""
    from banmian.cli.main import main

    from .bad_corpus import chart_doc

    pdfs = []
    for top in (tiny, "1"):
        series = f"[{{label: 甲, value: {top}, text: 甲数}}, {{label: 乙, value: 0, text: 乙数}}]"
        path = tmp_path / f"{kind}-{top}.yaml"
        path.write_text(chart_doc(series).replace("kind: chart\n", f"kind: chart\n      # {top}\n")
                        .replace("      chart:\n", f"      chart:\n        type: {kind}\n"), encoding="utf-8")
        pdfs.append(tmp_path / f"{kind}-{top}.pdf")
        assert main(["build", "-q", str(path), "-o", str(pdfs[-1])]) == 0
    assert pdfs[0].read_bytes() == pdfs[1].read_bytes()
    with pdfplumber.open(pdfs[0]) as pdf:
        words = [w["text"] for w in pdf.pages[0].extract_words()]
    assert {"数说", "甲数", "乙数"} <= set(words), words


def _chart_page(folder: Path, name: str, series: str, kind: str) -> Path:
    """The PDF of a page whose chart (``type: kind``) shows ``series`` (YAML flow list)."""
    from banmian.cli.main import main

    from .bad_corpus import chart_doc

    path = folder / f"{name}.yaml"
    path.write_text(chart_doc(series).replace("      chart:\n", f"      chart:\n        type: {kind}\n"),
                    encoding="utf-8")
    out = folder / f"{name}.pdf"
    assert main(["build", "-q", str(path), "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("kind", ["bar", "hbar"])
def test_a_zero_keeps_its_value_text_at_its_own_bar(tmp_path: Path, kind: str) -> None:
    """reportlab draws no bar for a 0: the texts were matched to the bars in turn, so the 0's text
    went to the next bar and the last text was lost. Each value text stands at its own category."""
    series = ("[{label: 甲组, value: 5, text: 五项}, {label: 乙组, value: 0, text: 零项}, "
              "{label: 丙组, value: 3, text: 三项}]")
    with pdfplumber.open(_chart_page(tmp_path, "zero", series, kind)) as pdf:
        words = {w["text"]: w for w in pdf.pages[0].extract_words()}
    labels, values = ("甲组", "乙组", "丙组"), ("五项", "零项", "三项")
    assert set(labels + values) <= set(words), sorted(words)
    for label, value in zip(labels, values, strict=True):
        if kind == "bar":
            middle = (words[label]["x0"] + words[label]["x1"]) / 2
            assert abs((words[value]["x0"] + words[value]["x1"]) / 2 - middle) < 2, (label, value)
        else:
            assert abs(words[value]["top"] - words[label]["top"]) < 3, (label, value)  # one row


@pytest.mark.parametrize("kind", ["bar", "hbar"])
def test_a_small_value_keeps_a_visible_bar_and_labels_break_between_words(tmp_path: Path, kind: str) -> None:
    """15 beside 1680 in a low plot was a hairline bar (1 pt on the tabloid); a school's name broke inside
    a word (北碚实 / 验幼儿园). A bar for a value above zero is at least MIN_BAR long; a label breaks
    between words."""
    from banmian.compose.charts import MIN_BAR

    series = ("[{label: 金兴小学, value: 1680, text: 1680项}, {label: 两江小学, value: 700, text: 700项}, "
              "{label: 北碚实验幼儿园, value: 1, text: 1项}]")
    with pdfplumber.open(_chart_page(tmp_path, "small", series, kind)) as pdf:
        page = pdf.pages[0]
        words = {w["text"]: w for w in page.extract_words()}
        value = words["1项"]
        bars = [r for r in page.rects if r["width"] > 1 and r["height"] > 0.8 and r["non_stroking_color"]
                and abs((r["top"] if kind == "hbar" else r["x0"] + r["width"] / 2)
                        - (value["top"] if kind == "hbar" else (value["x0"] + value["x1"]) / 2)) < 12]
        length = [r["height"] if kind == "bar" else r["width"] for r in bars]
        assert length and min(length) >= MIN_BAR - 0.01, bars
        text = "".join(w["text"] for w in page.extract_words())
    assert "北碚实" not in text.replace("北碚实验", "")  # never 北碚实 / 验幼儿园
