"""The three layouts build from the same content; the spread's plates; the docs/layouts.md tweaks.

Every tweak is applied to a copy of the layouts in tmp_path and checked on the PDF it gives.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from banmian.cli.main import main
from banmian.core.diagnostics import BuildError
from banmian.core.units import MM
from banmian.pipeline import BuildOptions, build
from banmian.source.load import load
from banmian.source.project import builtin_layouts, builtin_manifest
from banmian.source.world import World

from .conftest import SAMPLE

LAYOUTS = ("broadsheet-page", "tabloid-spread", "a4-newsletter")


def bodies() -> dict[str, str]:
    doc = load(SAMPLE)
    return {a.id: "".join(p.text for p in a.paragraphs) for a in doc.articles}


def pdf_chars(paths: list[Path]) -> list[list[dict[str, object]]]:
    out = []
    for path in paths:
        with pdfplumber.open(path) as pdf:
            out += [list(page.chars) for page in pdf.pages]
    return out


def text_counter(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


def boxes_mm(path: Path) -> list[dict[str, list[float]]]:
    with pikepdf.open(path) as pdf:
        return [{k: [float(v) / MM for v in page.obj[k]] for k in ("/MediaBox", "/TrimBox", "/BleedBox")}
                for page in pdf.pages]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The sample built in each layout through the CLI; the PDFs each build wrote."""
    out = {}
    for name in LAYOUTS:
        target = tmp_path_factory.mktemp(name) / "sample.pdf"
        assert main(["build", str(SAMPLE), "--layout", name, "-o", str(target), "-q"]) == 0
        out[name] = sorted(target.parent.glob("*.pdf"))
    return out


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_passes_the_typographic_check(built: dict[str, list[Path]], name: str) -> None:
    """The same typographic quality in every layout, measured on the PDFs by ``banmian check``."""
    from banmian.check.lint import check_pdf

    for path in built[name]:
        report = check_pdf(path)
        assert report.ok(strict=True), (path.name, report.failures(strict=True))
        assert report.flush_share == 1.0 and report.widest_gap_em <= 0.15, path.name


@pytest.mark.parametrize("name", LAYOUTS)
def test_sample_builds_with_all_its_text(built: dict[str, list[Path]], name: str) -> None:
    paths = [p for p in built[name] if not p.name.endswith("-spread.pdf")]
    chars = Counter(str(c["text"]) for page in pdf_chars(paths) for c in page)
    for art_id, body in bodies().items():
        missing = text_counter(body) - chars
        assert not missing, f"{name}: {art_id} misses {missing}"


def test_spread_plates_and_proof(built: dict[str, list[Path]]) -> None:
    names = [p.name for p in built["tabloid-spread"]]
    assert names == ["sample-p1.pdf", "sample-p2.pdf", "sample-spread.pdf"]
    one, two, spread = built["tabloid-spread"]
    for plate in (one, two):
        (box,) = boxes_mm(plate)
        trim, bleed = box["/TrimBox"], box["/BleedBox"]
        assert trim[2] - trim[0] == pytest.approx(270, abs=0.01)
        assert trim[3] - trim[1] == pytest.approx(390, abs=0.01)
        assert trim[0] - bleed[0] == pytest.approx(3, abs=0.01)
        assert bleed[3] - trim[3] == pytest.approx(3, abs=0.01)
    (box,) = boxes_mm(spread)
    assert box["/TrimBox"][2] - box["/TrimBox"][0] == pytest.approx(540, abs=0.01)
    # each plate holds its own modules' text and nothing of the facing page's
    texts = ["".join(str(c["text"]) for c in page) for page in pdf_chars([one, two])]
    by_plate = {"chaoyang-kindergarten": 0, "jinxing-primary": 0, "liangjiang-primary": 1,
                "beibei-experimental-kindergarten": 1, "chaoyang-primary": 1}
    for art_id, body in bodies().items():
        first = re.sub(r"\s", "", body)[:6]
        mine, other = texts[by_plate[art_id]], texts[1 - by_plate[art_id]]
        assert first[:4] in mine and first not in other, art_id
    # the banner title is split across the fold, each half on its own plate
    assert "红色引擎驱动" in texts[0] and "教育提质增效" not in texts[0]
    assert "教育提质增效" in texts[1] and "红色引擎驱动" not in texts[1]


def test_spread_keeps_the_fold_clear(world: World) -> None:
    from banmian.pipeline import compose

    page = compose(SAMPLE, BuildOptions(layout="tabloid-spread"), world).pages[0]
    lay = page.layout
    fold, inside = lay.page_w, lay.spec.page.margins.inside * MM
    lines = [*page.banner, *page.header, *(pl for a in page.articles for pl in a.body)]
    for pl in lines:
        a = pl.x + pl.line.glyphs[0].x
        b = pl.x + pl.line.glyphs[-1].x + pl.line.glyphs[-1].set_width  # a half-width end mark's ink
        # 3 pt: an opening mark at a line start is drawn half an em left of its trimmed set box
        assert b <= fold - inside + 3 or a >= fold + inside - 3, pl.text


def test_newsletter_flows_over_pages_with_folios(built: dict[str, list[Path]]) -> None:
    (path,) = built["a4-newsletter"]
    boxes = boxes_mm(path)
    assert len(boxes) >= 3
    for box in boxes:
        assert box["/TrimBox"][2] - box["/TrimBox"][0] == pytest.approx(210, abs=0.01)
        assert box["/TrimBox"][3] - box["/TrimBox"][1] == pytest.approx(297, abs=0.01)
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            assert f"— {number} —" in page.extract_text(), number
            if number > 1:
                assert "北碚教育" in page.extract_text()  # the running head


def test_body_lines_flush_and_on_the_grid(world: World) -> None:
    from banmian.pipeline import compose

    for name in LAYOUTS:
        composed = compose(SAMPLE, BuildOptions(layout=name), world)
        lay = composed.layout
        for page in composed.pages:
            for art in page.articles:
                for pl in art.body:
                    if not pl.line.last:
                        assert pl.line.width == pytest.approx(pl.line.measure, abs=0.05), (name, pl.text)
                    steps = (pl.y - lay.type_top) / lay.spec.grid.pitch
                    assert steps == pytest.approx(round(steps), abs=1e-6), (name, pl.text)
                    assert pl.text[:1] not in "，。、；：？！”）》", (name, pl.text)


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_page_looks_like_a_page(built: dict[str, list[Path]], name: str, tmp_path: Path) -> None:
    from PIL import Image, ImageStat

    for path in built[name]:
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / path.stem)], check=True)
    pngs = sorted(tmp_path.glob("*.png"))
    assert pngs
    for png in pngs:
        with Image.open(png) as im:
            stat = ImageStat.Stat(im.convert("L"))
            if name == "a4-newsletter" and png == pngs[-1]:  # a flow's last page may hold a few lines
                assert stat.mean[0] < 254 and stat.stddev[0] > 8, png.name
                continue
            assert 150 < stat.mean[0] < 250 and stat.stddev[0] > 20, png.name  # ink on paper, not blank


def test_layouts_and_new_layout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["layouts"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"tabloid-spread\s+270×390 mm × 2 pages\s+6 columns", out)
    assert re.search(r"a4-newsletter\s+210×297 mm.*flow", out)
    assert re.search(r"broadsheet-page\s+390×540 mm.*5 slots", out)
    assert main(["new-layout", "broadsheet-page", "--from", "a4-newsletter"]) == 1
    assert main(["new-layout", "bad name", "--from", "a4-newsletter"]) == 1
    assert main(["new-layout", "x-copy", "--from", "no-such-layout"]) == 1
    assert "exists already" in capsys.readouterr().err


def test_new_layout_copies_and_renames(tmp_path: Path) -> None:
    root = tmp_root(tmp_path)
    assert main(["--project", str(root), "new-layout", "my-bulletin", "--from", "a4-newsletter"]) == 0
    text = (root / "layouts" / "my-bulletin" / "layout.yaml").read_text(encoding="utf-8")
    assert "\nname: my-bulletin\n" in text


# --- the tweaks of docs/layouts.md -------------------------------------------------------------------

def tmp_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(builtin_layouts(), root / "layouts")
    (root / "fonts").symlink_to(builtin_manifest().parent)
    return root


def tweak_build(tmp_path: Path, world: World, layout: str, edit: Callable[[str], str]) -> list[Path]:
    """Apply ``edit`` to a copy of ``layout``'s layout.yaml, build the sample, return the PDFs."""
    root = tmp_root(tmp_path)
    path = root / "layouts" / layout / "layout.yaml"
    before = path.read_text(encoding="utf-8")
    after = edit(before)
    assert after != before, "the tweak changed nothing"
    path.write_text(after, encoding="utf-8")
    tweaked = World(root, world.fonts, root / "layouts", None)
    out = tmp_path / "out" / "sample.pdf"
    result = build(SAMPLE, BuildOptions(layout=layout, output=out), tweaked)
    return list(result.outputs)


def body_right_edges(path: Path, size: float) -> set[int]:
    """Right edges (pt, rounded) of the body lines of all pages, those shared by at least five lines:
    chars of one baseline are split into lines where the gap between two exceeds an em."""
    edges: Counter[int] = Counter()
    for page in pdf_chars([path]):
        rows: dict[int, list[tuple[float, float]]] = {}
        for c in page:
            if abs(float(c["size"]) - size) < 0.01 and "body" in str(c["fontname"]):  # type: ignore[arg-type]
                rows.setdefault(round(float(c["top"])), []).append(  # type: ignore[arg-type]
                    (float(c["x0"]), float(c["x1"])))  # type: ignore[arg-type]
        for row in rows.values():
            row.sort()
            for (_, x1), (x0, _) in itertools.pairwise(row):
                if x0 - x1 > size:
                    edges[round(x1)] += 1
            edges[round(row[-1][1])] += 1
    frequent = sorted(x for x, n in edges.items() if n >= 5)
    # one per column: a line-end mark compressed to half an em still draws a full em box (+½ em)
    return {x for i, x in enumerate(frequent) if i == 0 or x - frequent[i - 1] > size}


def test_tweak_columns(tmp_path: Path, world: World) -> None:
    (path,) = tweak_build(tmp_path, world, "a4-newsletter", lambda t: t.replace(
        "  columns: 2\n  column_chars: 23\n", "  columns: 3\n  column_chars: 14.5\n"))
    edges = body_right_edges(path, 10)
    assert len(edges) == 3, edges


def test_tweak_module_size(tmp_path: Path, world: World) -> None:
    def edit(text: str) -> str:
        return (text.replace("    line: 11\n    lines: 34\n", "    line: 11\n    lines: 36\n")
                .replace("    line: 45\n    lines: 34\n    headline: {style: title-3}\n"
                         "    image: {col: 0, span: 4, lines: 21",
                         "    line: 47\n    lines: 32\n    headline: {style: title-3}\n"
                         "    image: {col: 0, span: 4, lines: 18"))

    def title_top(path: Path) -> float:
        (page,) = pdf_chars([path])
        return min(float(c["top"]) for c in page  # type: ignore[arg-type]
                   if c["text"] == "彩" and float(c["size"]) > 19)  # type: ignore[arg-type]

    base = title_top(base_plate(tmp_path / "base", world))
    tweaked = tweak_build(tmp_path / "tweak", world, "tabloid-spread", edit)[0]
    assert title_top(tweaked) - base == pytest.approx(2 * 13, abs=0.1)  # two grid lines lower


def base_plate(tmp_path: Path, world: World) -> Path:
    """Plate 1 of the untouched tabloid spread."""
    return tweak_build(tmp_path, world, "tabloid-spread", lambda t: t + "\n")[0]


def test_tweak_headline_size_colour_and_font(tmp_path: Path, world: World) -> None:
    def edit(text: str) -> str:
        return (text.replace("title:           {font: headline-hei, size: 18, leading: 24, color: red}",
                             "title:           {font: kai, size: 22, leading: 28, color: red}")
                .replace("red: [0, 100, 100, 10]", "red: [0, 90, 80, 0]"))

    (path,) = tweak_build(tmp_path, world, "a4-newsletter", edit)
    (page, *_) = pdf_chars([path])
    title = [c for c in page if str(c["text"]) in "行稳致远" and float(c["size"]) > 12]  # type: ignore[arg-type]
    assert title and all(float(c["size"]) == pytest.approx(22, abs=0.01) for c in title)  # type: ignore[arg-type]
    assert all("kai" in str(c["fontname"]) for c in title)
    assert all(tuple(c["non_stroking_color"]) == pytest.approx((0, 0.9, 0.8, 0))  # type: ignore[arg-type]
               for c in title)


def test_layout_errors_name_file_and_line(tmp_path: Path, world: World) -> None:
    def edit(text: str) -> str:
        return (text.replace("  - name: right-bottom-right\n    col: 10\n",
                             "  - name: right-bottom-right\n    col: 9\n")
                .replace("title:           {font: headline,", "title:           {font: fancy,"))

    with pytest.raises(BuildError) as info:
        tweak_build(tmp_path, world, "tabloid-spread", edit)
    text = "\n".join(d.render() for d in info.value.diagnostics)
    assert re.search(r"layout\.yaml:\d+:\d+: error: .*overlaps", text), text
    assert re.search(r"layout\.yaml:\d+:\d+: error: style 'title': unknown font role 'fancy'", text), text


def test_every_layout_error_at_once_in_order(tmp_path: Path, world: World) -> None:
    """A layout with a problem of every kind the schema cannot see: all of them, each at its key."""
    from banmian.source.layout import load_layout

    root = tmp_root(tmp_path)
    path = root / "layouts" / "broadsheet-page" / "layout.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (("  kicker:          {font: kai, size: 14, leading: 20}\n", ""),
                     ("color: grey}", "color: gray}"), ("  color: black\nslots:", "  color: ink\nslots:"),
                     ("colors: [red, red-60, red-30, grey]", "colors: [red, pink]"),
                     ("axis: black", "axis: ink"),
                     ("  column_chars: 13 ", "  column_chars: 16 "),
                     ("  - name: bottom-middle\n", "  - name: right\n"),
                     ("    image: {col: 0, span: 3, lines: 12, at: top}",
                      "    image: {col: 1, span: 3, lines: 12}"),
                     ("    line: 62\n    lines: 43\n", "    line: 62\n    lines: 48\n"),
                     ("    line: 50\n    lines: 55\n    headline: {style: title-3}\n"
                      "    image: {col: 0, span: 2, lines: 12, at: top}",
                      "    line: 40\n    lines: 55\n    headline: {style: title-3}\n"
                      "    image: {col: 0, span: 2, lines: 54, at: top}")):
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load_layout("broadsheet-page", set(world.fonts.roles), [root / "layouts"])
    grid_mm = (8 * 16 * 9 + 7 * 8) / (72 / 25.4)  # 8 columns of 16 characters of 9 pt, 8 pt gutters
    lines = world.layout("broadsheet-page").lines
    assert [(d.message, d.location.key) for d in info.value.diagnostics] == [
        ("style 'kicker' is missing", "styles"),
        ("style 'byline': unknown colour 'gray'", "styles.byline.color"),
        ("rules: unknown colour 'ink'", "rules.color"),
        ("chart colour 'pink' is not in 'colors'", "chart.colors[1]"),
        ("chart axis colour 'ink' is not in 'colors'", "chart.axis"),
        (f"the grid ({grid_mm:.1f} mm wide) does not fit between the margins", "grid"),
        ("slot 'right' leaves 2 grid lines for body text: no article can fill it", "slots[3]"),
        ("duplicate slot name 'right'", "slots[3].name"),
        ("slot 'bottom-right': the image does not fit inside the slot", "slots[4].image"),
        ("slot 'right' overlaps slot 'lead'", "slots[3]"),
        (f"slot 'bottom-right' is off the page: columns 6–8 of 8, lines 62–109 of {lines}", "slots[4]")]


def test_slot_across_the_fold_is_an_error(tmp_path: Path, world: World) -> None:
    def edit(text: str) -> str:
        return text.replace("  - name: right-bottom-right\n    col: 10\n",
                            "  - name: right-bottom-right\n    col: 5\n")

    with pytest.raises(BuildError) as info:
        tweak_build(tmp_path, world, "tabloid-spread", edit)
    text = "\n".join(d.render() for d in info.value.diagnostics)
    assert re.search(r"layout\.yaml:\d+:\d+: error: slot 'right-bottom-right' crosses the fold", text), text


def test_an_empty_slot_fails_a_strict_build(content_copy: Path, world: World) -> None:
    text = content_copy.read_text(encoding="utf-8")
    content_copy.write_text(text[:text.index("  - id: chaoyang-primary")], encoding="utf-8")
    with pytest.raises(BuildError) as info:  # a hole in the page: a warning, fatal with --strict
        build(content_copy, BuildOptions(layout="tabloid-spread", output=content_copy.with_suffix(".pdf"),
                                         strict=True), world)
    text = "\n".join(d.render() for d in info.value.diagnostics)
    assert re.search(r"layout\.yaml:\d+:\d+: warning: slot 'right-bottom-right' stays empty", text), text


def test_more_articles_than_slots_names_them(tmp_path: Path, world: World) -> None:
    def edit(text: str) -> str:
        start = text.index("  - name: right-bottom-right")
        return text[:start] + text[text.index("fit:"):]

    with pytest.raises(BuildError) as info:
        tweak_build(tmp_path, world, "tabloid-spread", edit)
    text = "\n".join(d.render() for d in info.value.diagnostics)
    assert "article 'chaoyang-primary' has no place" in text, text


def test_tweak_date_format(tmp_path: Path, world: World) -> None:
    """``date_format`` sets the dates of the furniture (the 报眉 here), with no gaps added."""
    def edit(text: str) -> str:
        return text.replace("kind: modules\n", 'kind: modules\ndate_format: "{year}.{month:02d}.{day:02d}"\n')

    (path,) = tweak_build(tmp_path, world, "broadsheet-page", edit)
    (page, *_) = pdf_chars([path])
    text = "".join(str(c["text"]) for c in page)
    assert "2025.06.28" in text and "2025年6月28日" not in text
