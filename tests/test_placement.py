"""Automatic placement (issue 15): generated content of 3, 5, 7 and 10 articles — short and long (plain
news text, and once with Latin words, decimals and ellipses), with
photos of every shape, a sidebar, a chart, a QR code, and without photos — placed on the broadsheet and
the tabloid spread, checked on the PDFs: every character printed, no hole of three grid lines, the lead's
headline the largest, the lint clean; content that cannot fill or overflows a page is one error per
page with its 字 and no PDF; steering (rank, columns, photo span, fixed modules) and freezing (place
--write) work; builds are deterministic."""

from __future__ import annotations

import collections
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import yaml

from banmian.check.lint import check_pdf
from banmian.cli.main import main
from banmian.compose.setter import Composer
from banmian.compose.variants import LOOSE_EM
from banmian.core.diagnostics import BuildError
from banmian.source.layout import with_headline_scale
from banmian.source.load import load
from banmian.source.world import World

from .conftest import SAMPLE
from .contentgen import SHAPES, page_specs, write_content
from .pagegrid import body_chars, holes, loose_lines, title_sizes
from .pdftext import trim_offset

CHART = {"title": "数说校园", "kind": "chart", "chart": {"type": "hbar", "unit": "项", "series": [
    {"label": "课程", "value": 12, "text": "12项"}, {"label": "社团", "value": 25, "text": "25个"},
    {"label": "获奖", "value": 40, "text": "40余项"}]}}
QR = {"url": "https://example.org/story/401", "label": "扫码阅读全文"}

# name: layout, articles, 字 in all, photos (, the hard cases in the text)
CASES: dict[str, tuple[str, int, int, bool] | tuple[str, int, int, bool, bool]] = {
    "broadsheet-3": ("broadsheet-page", 3, 5500, True),
    "broadsheet-5": ("broadsheet-page", 5, 5500, True),
    "broadsheet-7": ("broadsheet-page", 7, 5000, True),
    "broadsheet-10": ("broadsheet-page", 10, 4800, True),
    "broadsheet-7-text": ("broadsheet-page", 7, 6500, False),
    "tabloid-3": ("tabloid-spread", 3, 5000, True),
    "tabloid-5": ("tabloid-spread", 5, 5500, True),
    "tabloid-7": ("tabloid-spread", 7, 5500, True),
    "tabloid-10": ("tabloid-spread", 10, 5000, True),
    "broadsheet-7-hard": ("broadsheet-page", 7, 5000, True, True),
}


def page_content(folder: Path, layout: str, count: int, chars: int, photos: bool = True, seed: int = 2,
                 hard: bool = False, **top: Any) -> Path:
    """Articles of varying length sharing ``chars`` 字; with ``photos`` the lead and about half the others
    have one, the shapes in turn (wide, landscape, portrait, square); a text sidebar on the third
    article, a QR code on the fourth, a chart sidebar on the sixth. ``hard``: Latin words, decimals and
    ellipses in the text too (see ``contentgen.sentence``)."""
    specs = page_specs(random.Random(seed), count, chars, photo_share=0.6 if photos else 0.0,
                       sidebar_share=0.0, hard=hard)
    shapes = iter(list(SHAPES) * count)
    for spec in specs:
        spec.photos = [next(shapes)] if photos and spec.photos else []
    if count >= 3:
        specs[2].sidebar = True
    if count >= 5:
        specs[3].extra["qr"] = QR
    if count >= 7:
        specs[5].extra["sidebar"] = CHART
    return write_content(folder, specs, seed=seed, layout=layout, **top)


def outputs(pdf: Path, layout: str) -> list[Path]:
    """The PDFs a build writes: the page, or a spread's two plates."""
    if layout == "tabloid-spread":
        return [pdf.with_name(f"{pdf.stem}-p1.pdf"), pdf.with_name(f"{pdf.stem}-p2.pdf")]
    return [pdf]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Path]]]:
    """Every case built through the CLI with --place auto: its content file and the PDFs written."""
    out = {}
    for name, (layout, count, chars, photos, *hard) in CASES.items():
        folder = tmp_path_factory.mktemp(name)
        content = page_content(folder, layout, count, chars, photos, hard=bool(hard and hard[0]))
        pdf = folder / "page.pdf"
        assert main(["build", str(content), "--place", "auto", "-o", str(pdf), "-q"]) == 0, name
        out[name] = (content, outputs(pdf, layout))
    return out


@pytest.mark.parametrize("case", CASES)
def test_every_character_of_every_body_is_printed(built: dict[str, tuple[Path, list[Path]]], world: World,
                                                  case: str) -> None:
    content, pdfs = built[case]
    doc = load(content)
    expected = collections.Counter(ch for a in doc.articles for ch in a.body_text if not ch.isspace())
    printed: collections.Counter[str] = collections.Counter()
    for pdf in pdfs:
        printed += body_chars(pdf, world.layout(CASES[case][0]).body_size)
    assert printed == expected, (expected - printed, printed - expected)


@pytest.mark.parametrize("case", CASES)
def test_no_hole_of_three_grid_lines(built: dict[str, tuple[Path, list[Path]]], world: World,
                                     case: str) -> None:
    layout = world.layout(CASES[case][0])
    for side, pdf in enumerate(built[case][1]):
        assert holes(pdf, layout, side) == [], pdf.name


@pytest.mark.parametrize("case", CASES)
def test_the_leads_headline_is_the_largest(built: dict[str, tuple[Path, list[Path]]], world: World,
                                           case: str) -> None:
    content, pdfs = built[case]
    layout = world.layout(CASES[case][0])
    spec = layout.spec
    assert spec.banner is not None
    below = layout.line_y(spec.banner.line + spec.banner.lines) + 20  # under the banner (trim offset)
    lines = [line for pdf in pdfs for line in title_sizes(pdf, below)]
    lead = load(content).articles[0].article
    top_size, top_text = max(lines)
    assert top_text in "".join(lead.title_lines), (top_text, lead.title_lines)
    assert all(size < top_size for size, text in lines if text not in "".join(lead.title_lines))


@pytest.mark.parametrize("case", CASES)
def test_the_lint_passes_strict_and_placement_adds_no_loose_line(
        built: dict[str, tuple[Path, list[Path]]], world: World, case: str) -> None:
    """``banmian check --strict``: no kinsoku, 孤字, ragged, overfull line, Type3 or missing font; gaps
    wider than 0.15 em only where the composer sets the body text so in any column (measured without
    tracking): the placement's tracking, photos and sidebars add none."""
    content, pdfs = built[case]
    doc = load(content)
    layout = with_headline_scale(world.layout(CASES[case][0]))
    c = Composer(layout, world.fonts)
    size = layout.body_size
    own = sum(1 for a in doc.articles for p in a.paragraphs
              for line in c.paragraph(p.spans, layout.column_width, "body")
              if not line.last and line.spread > LOOSE_EM * size)
    loose = 0
    for pdf in pdfs:
        report = check_pdf(pdf)
        assert [f for f in report.failures(strict=True) if not f.startswith("widest added gap")] == [], pdf
        loose += len(loose_lines(report.lines, size))
    assert loose <= own


def fit_modules(content: Path, layout: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["fit", str(content), "--layout", layout, "--place", "auto", "--json"]) == 0
    return [dict(row["module"], id=row["id"]) for row in json.loads(capsys.readouterr().out)["articles"]]


@pytest.mark.parametrize("case", ["broadsheet-7", "tabloid-10"])
def test_modules_tile_the_free_area_on_the_grid(built: dict[str, tuple[Path, list[Path]]], world: World,
                                                case: str, capsys: pytest.CaptureFixture[str]) -> None:
    """fit shows each article's module: whole columns and lines below the banner, none over another,
    none across the fold, together the whole free area (at most its last two lines left)."""
    name = CASES[case][0]
    layout = world.layout(name)
    modules = fit_modules(built[case][0], name, capsys)
    spec = layout.spec
    assert spec.banner is not None
    first = spec.banner.line + spec.banner.lines
    cells: set[tuple[int, int]] = set()
    for m in modules:
        assert m["line"] >= first and m["line"] + m["lines"] - 1 <= layout.lines, m
        assert layout.page_of_col(m["col"]) == layout.page_of_col(m["col"] + m["span"] - 1), m
        mine = {(c, ln) for c in range(m["col"], m["col"] + m["span"])
                for ln in range(m["line"], m["line"] + m["lines"])}
        assert not cells & mine, m
        cells |= mine
    free = layout.columns * (layout.lines - first + 1)
    assert free - 2 * layout.columns <= len(cells) <= free


def test_two_builds_give_the_same_bytes(built: dict[str, tuple[Path, list[Path]]], tmp_path: Path) -> None:
    content, pdfs = built["tabloid-7"]
    again = tmp_path / "again.pdf"
    assert main(["build", str(content), "--place", "auto", "-o", str(again), "-q"]) == 0
    for first, second in zip(pdfs, outputs(again, "tabloid-spread"), strict=True):
        assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(("layout", "count", "chars", "kind"), [
    ("broadsheet-page", 5, 9000, "too much"), ("broadsheet-page", 3, 1500, "too little"),
    ("tabloid-spread", 7, 9000, "too much")])
def test_content_that_cannot_fill_the_page_is_one_error_per_page_and_no_pdf(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str, count: int, chars: int,
        kind: str) -> None:
    content = page_content(tmp_path, layout, count, chars)
    pdf = tmp_path / "page.pdf"
    capsys.readouterr()
    assert main(["build", str(content), "--place", "auto", "-o", str(pdf)]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert 1 <= len(errors) <= (2 if layout == "tabloid-spread" else 1), errors
    assert any(kind in e for e in errors), errors
    for e in errors:
        assert "字" in e and "grid line" in e, e
    if kind == "too much":
        assert any("cut a1 by" in e for e in errors), errors
    assert not list(tmp_path.glob("*.pdf"))


def test_rank_makes_the_lead(tmp_path: Path, world: World, capsys: pytest.CaptureFixture[str]) -> None:
    """``rank: 1`` on the third article: it goes to the top left, widest, with the largest headline."""
    content = page_content(tmp_path, "broadsheet-page", 5, 5500)
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    data["articles"][2]["rank"] = 1
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    modules = {m["id"]: m for m in fit_modules(content, "broadsheet-page", capsys)}
    lead = modules["a3"]
    assert (lead["col"], lead["line"]) == (1, 16)
    assert all(m["span"] <= lead["span"] for m in modules.values())
    pdf = tmp_path / "page.pdf"
    assert main(["build", str(content), "--place", "auto", "-o", str(pdf), "-q"]) == 0
    layout = world.layout("broadsheet-page")
    assert layout.spec.banner is not None
    below = layout.line_y(layout.spec.banner.line + layout.spec.banner.lines) + 20
    assert max(title_sizes(pdf, below))[1] in data["articles"][2]["title"]


def test_editor_steering_columns_photo_span_and_a_fixed_module(tmp_path: Path, world: World,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """max_columns on one article, span on a photo, and a module fixed by hand for another (moved to
    the page's bottom right, at the size the placement gave it): each holds, the rest is placed around
    them, and the page has no hole."""
    content = page_content(tmp_path, "broadsheet-page", 7, 5000)
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    arts = {a["id"]: a for a in data["articles"]}
    arts["a2"]["max_columns"] = 2
    photo = next(a for a in data["articles"][1:] if a.get("images") and a["id"] != "a5")
    photo["images"][0]["span"] = 2
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    first = {m["id"]: m for m in fit_modules(content, "broadsheet-page", capsys)}
    span, lines = first["a5"]["span"], first["a5"]["lines"]
    arts["a5"]["module"] = {"col": 9 - span, "span": span, "line": 105 - lines, "lines": lines}
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["place", str(content), "--layout", "broadsheet-page", "--json"]) == 0
    placed = {m["article"]: m for m in json.loads(capsys.readouterr().out)["modules"]}
    assert placed["a2"]["span"] <= 2
    assert placed[photo["id"]]["photo"]["span"] == 2
    assert (placed["a5"]["col"], placed["a5"]["span"], placed["a5"]["line"], placed["a5"]["lines"]) == (
        9 - span, span, 105 - lines, lines)
    pdf = tmp_path / "page.pdf"
    assert main(["build", str(content), "--place", "auto", "-o", str(pdf), "-q"]) == 0
    assert holes(pdf, world.layout("broadsheet-page")) == []


def test_an_article_keeps_its_slot_and_the_rest_is_placed_around_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--place auto on a layout with slots: an article naming a slot keeps it as the layout gives it
    (the sample's story of slot 'right', with its photo), the others are placed around it."""
    content = page_content(tmp_path, "broadsheet-page", 6, 4400)
    sample = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    story = next(a for a in sample["articles"] if a["id"] == "jinxing-primary")
    shutil.copy(SAMPLE.parent / story["images"][0]["src"], tmp_path / story["images"][0]["src"])
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    data["articles"].insert(1, {**story, "slot": "right"})  # col 6–8, lines 16–61
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    modules = {m["id"]: m for m in fit_modules(content, "broadsheet-page", capsys)}
    right = modules.pop("jinxing-primary")
    assert (right["col"], right["span"], right["line"], right["lines"]) == (6, 3, 16, 46)
    assert all(m["col"] + m["span"] <= 6 or m["line"] >= 62 for m in modules.values())


def test_place_write_freezes_the_page(built: dict[str, tuple[Path, list[Path]]], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """``place --write NAME`` writes the modules as slots of layouts/NAME in the project: building with
    that layout (fixed slots) gives the same PDF bytes as the automatic placement."""
    source, pdfs = built["broadsheet-10"]
    project = tmp_path / "paper"
    shutil.copytree(source.parent, project / "content")
    content = project / "content" / source.name
    capsys.readouterr()
    assert main(["--project", str(project), "place", str(content), "--layout", "broadsheet-page",
                 "--write", "frozen"]) == 0
    assert "wrote" in capsys.readouterr().out
    text = (project / "layouts" / "frozen" / "layout.yaml").read_text(encoding="utf-8")
    assert "name: frozen" in text and text.count("  - name: a") == 10 and "\nplacement:" not in text
    again = tmp_path / "frozen.pdf"
    assert main(["--project", str(project), "build", str(content), "--layout", "frozen", "-o", str(again),
                 "-q"]) == 0
    assert again.read_bytes() == pdfs[0].read_bytes()


def test_a_layout_without_slots_places_automatically(tmp_path: Path, world: World) -> None:
    """``placement: auto`` in a layout.yaml without slots (and without a headline_scale: one is made
    from its title style): build needs no --place; the page is full, the lead's headline the largest."""
    project = tmp_path / "paper"
    content = page_content(project / "content", "auto-page", 5, 5500)
    assert main(["--project", str(project), "new-layout", "auto-page", "--from", "broadsheet-page"]) == 0
    path = project / "layouts" / "auto-page" / "layout.yaml"
    text = path.read_text(encoding="utf-8")
    text = text[:text.index("headline_scale:")] + text[text.index("fit:"):]
    path.write_text(text[:text.index("slots:")] + "placement: {mode: auto, min_columns: 2}\n"
                    + text[text.index("chart:"):], encoding="utf-8")
    pdf = tmp_path / "page.pdf"
    assert main(["--project", str(project), "build", str(content), "-o", str(pdf), "-q"]) == 0
    layout = world.layout("broadsheet-page")
    assert holes(pdf, layout) == []
    assert layout.spec.banner is not None
    sizes = title_sizes(pdf, layout.line_y(layout.spec.banner.line + layout.spec.banner.lines) + 20)
    lead = load(content).articles[0].article
    assert sizes[0][1] in "".join(lead.title_lines) and sizes[0][0] == 34  # 130 % of the title's 26 pt
    assert all(size < sizes[0][0] for size, text in sizes if text not in "".join(lead.title_lines))
    with pytest.raises(BuildError):  # and --place fixed has no slots to use
        from banmian.pipeline import BuildOptions, build
        from banmian.source.world import make_world

        build(content, BuildOptions(output=pdf, place="fixed"), make_world(project))


def test_headline_scale_falls_with_rank(tmp_path: Path, world: World) -> None:
    """A headline_scale whose sizes grow with rank is an error at its line."""
    root = tmp_path / "paper"
    root.mkdir()
    assert main(["--project", str(root), "new-layout", "bad-scale", "--from", "broadsheet-page"]) == 0
    path = root / "layouts" / "bad-scale" / "layout.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- {size: 28, leading: 34", "- {size: 40, leading: 46"), encoding="utf-8")
    from banmian.source.world import make_world

    with pytest.raises(BuildError) as info:
        make_world(root).layout("bad-scale")
    text = "\n".join(d.render() for d in info.value.diagnostics)
    assert "layout.yaml:" in text and "rank 2 is larger (40 pt) than rank 1 (36 pt)" in text


@pytest.mark.parametrize("case", ["broadsheet-10", "tabloid-7"])
def test_photos_keep_their_pictures_shape(built: dict[str, tuple[Path, list[Path]]], world: World,
                                          case: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every printed photo (its box in the PDF) within the layout's crop limit of its picture's aspect
    (wide 2.4, landscape 1.5, square 1, portrait 0.67), whichever module it is in."""
    name = CASES[case][0]
    layout = world.layout(name)
    limit = layout.spec.placement.photo_aspect
    content, pdfs = built[case]
    shapes = {a.id: a.article.images[0].src.rsplit("-", 1)[1].removesuffix(".jpg")
              for a in load(content).articles if a.article.images}
    modules = {m["id"]: m for m in fit_modules(content, name, capsys)}
    seen = 0
    for side, pdf in enumerate(pdfs):
        off = trim_offset(pdf)
        with pdfplumber.open(pdf) as doc:
            images = doc.pages[0].images
        for art_id, shape in shapes.items():
            m = modules[art_id]
            x0 = layout.col_x(m["col"]) - side * layout.page_w + off
            x1 = x0 + layout.span_width(m["span"])
            y0, y1 = layout.line_y(m["line"]) + off, layout.line_y(m["line"] + m["lines"]) + off
            for im in images:
                inside = x0 - 1 <= im["x0"] and im["x1"] <= x1 + 1
                if inside and y0 - 1 <= im["top"] and im["bottom"] <= y1 + 1:
                    w, h = SHAPES[shape]
                    printed = (im["x1"] - im["x0"]) / (im["bottom"] - im["top"])
                    assert abs(printed / (w / h) - 1) <= limit + 0.01, (art_id, shape, printed)
                    seen += 1
    assert seen == len(shapes)


TOO_NARROW = (r"article 'a2' is too long for the page: 1 column wide, .* take \d+ grid lines of 89 "
              r".*cut about \d+ 字")
OFF_PAGE = (r"article 'a2': its module \(columns 7–10, lines 16–45\) is not inside a page's free area.*"
            r"\[articles\[1\]\.module\]")
OVERLAP = r"article 'a3': its module overlaps the one of 'a2' \[articles\[2\]\.module\]"


@pytest.mark.parametrize(("edit", "message"), [
    (lambda arts: arts[1].update({"max_columns": 1}), TOO_NARROW),
    (lambda arts: arts[1].update({"module": {"col": 7, "span": 4, "line": 16, "lines": 30}}), OFF_PAGE),
    (lambda arts: (arts[1].update({"module": {"col": 1, "span": 4, "line": 16, "lines": 30}}),
                   arts[2].update({"module": {"col": 3, "span": 4, "line": 20, "lines": 30}})), OVERLAP),
])
def test_what_the_editor_asks_that_cannot_be_is_an_error_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Any, message: str) -> None:
    import re

    content = page_content(tmp_path, "broadsheet-page", 5, 5500)
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    edit(data["articles"])
    content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(content), "--place", "auto", "-o", str(tmp_path / "page.pdf")]) == 1
    err = capsys.readouterr().err
    assert re.search(r"content\.yaml:\d+:\d+: error: ", err) and re.search(message, err), err
    assert not list(tmp_path.glob("*.pdf"))
