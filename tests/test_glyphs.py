"""banmian draws its composed text itself (``banmian.export.glyphs``): every glyph of the text layer sits
exactly where the composer put it (origin within 0.002 pt, on the style's baseline, at its size, in the
face of its role), the fonts are one compact subset per face (CFF as CIDFontType0C, TrueType as
CIDFontType2 with an identity CIDToGIDMap) whose widths are the faces' own advances, the text layer
gives the content text back (ligatures, a glyph shared by two code points), black type is pure K, and
WeasyPrint's frame holds no text at all."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from banmian.cli.main import main
from banmian.compose.shaping import get_shaper
from banmian.pipeline import BuildOptions, compose
from banmian.render.html import placed_lines
from banmian.render.textlayer import baseline

from .bad_corpus import HEAD
from .contentgen import body
from .pdftext import trim_offset

MIXED = ("说明——本届“STEM节”（第3届）共有1800余人次参加……Python课程、3D打印与Wi-Fi实验室，"
         "成绩提高41.5%。一⼀二")  # ⼀ (U+2F00) is drawn with the glyph of 一
SHARED = {"⼀": "一"}


def build(tmp_path: Path, text: str, name: str = "g") -> tuple[Path, Path]:
    content = tmp_path / f"{name}.yaml"
    indented = text.replace("\n", "\n      ")
    head = HEAD + "    kicker: 楷体引题“Kai”\n    title: 字形测试\n"
    content.write_text(head + f"    body: |\n      {indented}\n", encoding="utf-8")
    out = tmp_path / f"{name}.pdf"
    assert main(["build", "-q", str(content), "-o", str(out)]) == 0
    return content, out


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    rng = random.Random(18)
    text = MIXED + "\n\n" + body(rng, 900) + "\n\n**加粗的开头，**正文接着。"
    return build(tmp_path_factory.mktemp("glyphs"), text)


def test_every_glyph_is_where_the_composer_put_it(mixed: tuple[Path, Path], world: object) -> None:
    content, out = mixed
    composed = compose(content, BuildOptions(), world)  # type: ignore[arg-type]
    styles = composed.layout.spec.styles
    fonts = world.fonts  # type: ignore[attr-defined]
    offset = trim_offset(out)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        height = float(page.height)
        chars = [c for c in page.chars if c["text"].strip()]
    checked = 0
    for pl in placed_lines(composed.pages[0]):
        style = styles[pl.style]
        base = baseline(fonts[style.font].ref, pl.y, style.leading, style.size)
        for g in pl.line.glyphs:
            if not g.text.strip() or g.advance == 0:
                continue
            x = offset + pl.x + g.x
            drawn = SHARED.get(g.text, g.text)  # pdfplumber reads the ToUnicode map, not ActualText
            near = [c for c in chars if abs(c["x0"] - x) < 0.05 and c["text"][0] == drawn
                    and pl.y + offset < height - c["matrix"][5] < pl.y + offset + style.leading]
            assert len(near) == 1, (pl.text, g.text)
            c = near[0]
            assert abs(c["x0"] - x) < 0.002, (g.text, c["x0"] - x)
            assert height - c["matrix"][5] - offset == pytest.approx(base, abs=0.002)
            assert c["size"] == pytest.approx(style.size, abs=1e-6)
            role = style.bold if g.bold and style.bold else style.font
            assert c["fontname"].endswith(f"+bm-{role}"), (g.text, c["fontname"])
            checked += 1
    assert checked > 900


def test_baseline_is_the_css_line_box_baseline(mixed: tuple[Path, Path], world: object) -> None:
    content, out = mixed
    composed = compose(content, BuildOptions(), world)  # type: ignore[arg-type]
    styles = composed.layout.spec.styles
    body_lines = composed.pages[0].articles[0].body
    offset = trim_offset(out)
    style = styles[body_lines[0].style]
    ascender, descender = get_shaper(world.fonts[style.font].ref).extents()  # type: ignore[attr-defined]
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        ys = [float(page.height) - c["matrix"][5] - offset for c in page.chars
              if abs(c["size"] - style.size) < 1e-6 and "body" in c["fontname"]]
    for pl in body_lines:
        expected = pl.y + style.leading / 2 + (ascender + descender) / 2 * style.size
        assert min(abs(y - expected) for y in ys) < 0.002


def test_text_layer_gives_the_content_back(mixed: tuple[Path, Path]) -> None:
    _content, out = mixed
    with pdfplumber.open(out) as pdf:
        chars = pdf.pages[0].chars
    stream = "".join(c["text"] for c in chars)
    assert "说明——本届“STEM节”（第3届）共有1800余人次参加……Python课程" in stream
    dash = next(c for c in chars if "—" in c["text"])
    assert dash["text"] == "——"  # one glyph (the ligature) for two U+2014
    raw = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                         check=True).stdout
    flat = re.sub(r"\s+", "", raw)
    assert "成绩提高41.5%。一⼀二" in flat  # ⼀ through ActualText: its glyph already stands for 一
    assert "加粗的开头，正文接着。" in flat


def test_fonts_are_one_compact_subset_per_face(mixed: tuple[Path, Path]) -> None:
    _content, out = mixed
    with pikepdf.open(out) as pdf:
        fonts = list(pdf.pages[0].Resources.Font.values())
        roles = [str(f.BaseFont).split("+")[1] for f in fonts]
        assert len(roles) == len(set(roles))  # one font per face
        for font in fonts:
            assert font.Subtype == "/Type0" and font.Encoding == "/Identity-H"
            cid = font.DescendantFonts[0]
            descriptor = cid.FontDescriptor
            assert re.fullmatch(r"[A-Z]{6}\+bm-[a-z-]+", str(font.BaseFont)[1:])
            if cid.Subtype == "/CIDFontType0":
                assert descriptor.FontFile3.Subtype == "/CIDFontType0C"
            else:
                assert cid.Subtype == "/CIDFontType2" and cid.CIDToGIDMap == "/Identity"
                assert "/FontFile2" in descriptor
            cmap = font.ToUnicode.read_bytes().decode()
            mapped = len(re.findall(r"^<[0-9A-F]{4}> <[0-9A-F]+>$", cmap.split("endcodespacerange")[1], re.M))
            widths = _widths(cid.W)
            assert mapped == len(widths) - 1  # every glyph but .notdef maps back to its characters
        assert {str(f.DescendantFonts[0].Subtype) for f in fonts} == {"/CIDFontType0", "/CIDFontType2"}


def test_widths_are_the_faces_own_advances(mixed: tuple[Path, Path], world: object) -> None:
    _content, out = mixed
    with pikepdf.open(out) as pdf:
        font = next(f for f in pdf.pages[0].Resources.Font.values() if str(f.BaseFont).endswith("+bm-body"))
        widths = _widths(font.DescendantFonts[0].W)
    shaper = get_shaper(world.fonts["body"].ref)  # type: ignore[attr-defined]
    for text, advance in (("中", 1000), ("——", 1690), ("S", None)):
        (glyph,) = shaper.glyphs(text)
        expected = advance if advance is not None else shaper.h_advance(glyph.gid)
        assert expected in widths.values()


def test_black_type_is_pure_k_and_the_frame_has_no_text(mixed: tuple[Path, Path]) -> None:
    _content, out = mixed
    with pikepdf.open(out) as pdf:
        ops = pikepdf.parse_content_stream(pdf.pages[0])
        colour = None
        shown = set()
        for instruction in ops:
            name = str(instruction.operator)
            if name == "k":
                colour = tuple(float(v) for v in instruction.operands)
            if name in ("TJ", "Tj"):
                shown.add(colour)
        assert (0.0, 0.0, 0.0, 1.0) in shown
        assert all(c is not None and len(c) == 4 for c in shown)
        text_objects = sum(1 for i in ops if str(i.operator) == "BT")
        assert text_objects == 1  # banmian's one text object: WeasyPrint drew none


def test_same_glyphs_same_bytes(tmp_path: Path) -> None:
    text = MIXED
    _, one = build(tmp_path, text, "one")
    _, two = build(tmp_path, text, "two")
    assert one.read_bytes() == two.read_bytes()


def _widths(w: pikepdf.Array) -> dict[int, float]:
    out: dict[int, float] = {}
    items = list(w)
    for start, run in zip(items[::2], items[1::2], strict=True):
        for i, width in enumerate(run):
            out[int(start) + i] = float(width)
    return out
