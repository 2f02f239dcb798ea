"""Photos as editors bring them, checked on the printed page: each case draws its pictures (contentgen),
builds a real page and reads the image back out of the PDF — orientation, transparency, the ink limit on
every pixel, formats, crops, resolution, credits."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pikepdf
import pytest
from PIL import Image, ImageDraw

from banmian.cli.main import main as cli_main
from banmian.core.diagnostics import BuildError, Severity
from banmian.graphics.press import DATA, max_ink
from banmian.pipeline import BuildOptions, BuildResult, build

from .contentgen import ArticleSpec, draw_photo, write_content

LIMIT = 240  # the built-in layouts' ink limit (newsprint, TR 002)
WIDE_FRAME = "broadsheet-page"  # its lead slot's photo frame is wide whatever the photo's shape
OBJECT_NAME = re.compile(r"/i[0-9a-f]{6,}")  # a PDF image name: never in an image message


@pytest.fixture()
def fresh(world: Any, tmp_path: Path) -> Any:
    """The project's world with the image cache in ``tmp_path``: every photo is prepared afresh."""
    return dataclasses.replace(world, root=tmp_path)


def build_photo(folder: Path, world: Any, image: dict[str, Any], *, options: BuildOptions | None = None,
                layout: str = "a4-newsletter") -> BuildResult:
    """A one-article page (generated text) with ``image`` (``src`` under ``folder``) as its photo."""
    content = write_content(folder, [ArticleSpec(160, extra={"images": [image]})], layout=layout,
                            banner=False)
    return build(content, dataclasses.replace(options or BuildOptions(), output=folder / "out.pdf"), world)


MM_PT = 72 / 25.4  # points in a millimetre


def printed(pdf: Path) -> Image.Image:
    """The one photo on the page, decoded from the PDF as a RIP would (CMYK or gray)."""
    with pikepdf.open(pdf) as doc:
        [image] = {bytes(x.read_raw_bytes()): x for page in doc.pages
                   for x in page.Resources.XObject.values() if x.Subtype == "/Image"}.values()
        picture = pikepdf.PdfImage(image).as_pil_image()
    picture.load()
    return picture


def ink(picture: Image.Image) -> np.ndarray:
    """Total ink per pixel, percent."""
    if picture.mode == "L":
        return 100 - np.asarray(picture, dtype=np.float64) * 100 / 255
    return np.asarray(picture, dtype=np.float64).sum(axis=2) * 100 / 255


def rgb(picture: Image.Image) -> np.ndarray:
    return np.asarray(picture.convert("RGB"), dtype=np.int32)


def is_red(px: np.ndarray) -> bool:
    r, g, b = px.reshape(-1, 3).mean(axis=0)
    return bool(r > 150 and g < 110 and b < 110)


def messages(result_or_error: BuildResult | BuildError) -> list[str]:
    return [d.render() for d in result_or_error.diagnostics]


# --- orientation ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_prints_upright(tmp_path: Path, fresh: Any, orientation: int) -> None:
    draw_photo(tmp_path / "images" / "phone.jpg", (1500, 1000), orientation=orientation)
    result = build_photo(tmp_path, fresh, {"src": "images/phone.jpg"})
    picture = rgb(printed(result.output))  # type: ignore[arg-type]
    h, w, _ = picture.shape
    assert w > h, "landscape as taken, not as stored"
    assert is_red(picture[: h // 10]), "the red band prints along the top"
    assert not is_red(picture[-h // 10:])
    dark = picture.sum(axis=2) < 150
    assert dark[: h // 2, : w // 2].mean() > 0.01, "the arrow prints top-left"
    assert dark[: h // 2, w // 2:].mean() < 0.001 and dark[h // 2 + h // 10:].mean() < 0.001
    arrow = dark[: h // 2, : w // 2]
    rows = np.flatnonzero(arrow.any(axis=1))
    tip, foot = arrow[rows[0]].sum(), arrow[rows[0] + (rows[-1] - rows[0]) // 3].sum()
    assert tip < foot, "the arrow points up (narrow end on top)"


def test_heic_photo_prints_upright(tmp_path: Path, fresh: Any) -> None:
    draw_photo(tmp_path / "images" / "iphone.heic", (1500, 1000), orientation=6)
    result = build_photo(tmp_path, fresh, {"src": "images/iphone.heic"})
    picture = rgb(printed(result.output))  # type: ignore[arg-type]
    assert picture.shape[1] > picture.shape[0] and is_red(picture[:20])


# --- transparency --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("mode", "name"), [("RGBA", "alpha.png"), ("LA", "gray-alpha.png"),
                                            ("P", "palette.png"), ("RGBA", "alpha.webp")])
def test_transparent_areas_print_as_paper(tmp_path: Path, fresh: Any, mode: str, name: str) -> None:
    draw_photo(tmp_path / "images" / name, (1500, 1000), mode=mode, transparent=0.3)
    result = build_photo(tmp_path, fresh, {"src": f"images/{name}"})
    picture = printed(result.output)  # type: ignore[arg-type]
    h = picture.height
    assert ink(picture)[round(h * 0.78):].max() == 0, "the transparent bottom takes no ink"
    assert ink(picture)[: round(h * 0.6)].mean() > 30, "the picture itself prints"
    assert not [d for d in result.diagnostics if "transparent" in d.message]  # 30 %: no warning
    if mode == "LA":
        assert picture.mode == "L", "a gray picture with alpha stays on K"


def test_mostly_transparent_picture_warns_at_its_line(tmp_path: Path, fresh: Any) -> None:
    draw_photo(tmp_path / "images" / "logo.png", (1500, 1000), mode="RGBA", transparent=0.7)
    result = build_photo(tmp_path, fresh, {"src": "images/logo.png"})
    [note] = [m for m in messages(result) if "transparent" in m]
    assert re.search(r"content\.yaml:\d+:\d+: warning: photo logo\.png is 70% transparent: the "
                     r"transparent part prints as the paper", note), note


def test_transparency_takes_the_layouts_paper_colour(tmp_path: Path, fresh: Any, root: Path) -> None:
    import shutil

    layouts = tmp_path / "layouts"
    shutil.copytree(root / "src" / "banmian" / "builtin" / "layouts" / "a4-newsletter",
                    layouts / "a4-newsletter")
    spec = layouts / "a4-newsletter" / "layout.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("colors:\n", "colors:\n  paper: [0, 5, 10, 0]\n", 1), encoding="utf-8")
    draw_photo(tmp_path / "images" / "alpha.png", (1500, 1000), mode="RGBA", transparent=0.3)
    tinted = dataclasses.replace(fresh, layouts=layouts)
    picture = printed(build_photo(tmp_path, tinted, {"src": "images/alpha.png"}).output)  # type: ignore[arg-type]
    bottom = np.asarray(picture, dtype=np.int32)[round(picture.height * 0.8):]
    assert np.abs(bottom.reshape(-1, 4).mean(axis=0) - [0, 13, 26, 0]).max() <= 1.5


# --- separation within the ink limit ------------------------------------------------------------------

SWOP_LIKE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian's libgs-common (make setup)


@pytest.mark.parametrize("profile", [None, DATA / "newsprint-tr002.icc", SWOP_LIKE],
                         ids=["untagged", "press-profile", "other-cmyk-profile"])
def test_cmyk_jpeg_with_400_percent_prints_within_the_limit(tmp_path: Path, fresh: Any,
                                                            profile: Path | None) -> None:
    icc = profile.read_bytes() if profile else None
    draw_photo(tmp_path / "images" / "cmyk.jpg", (1500, 1000), mode="CMYK", ink="400", icc=icc)
    result = build_photo(tmp_path, fresh, {"src": "images/cmyk.jpg"})
    picture = printed(result.output)  # type: ignore[arg-type]
    assert picture.mode == "CMYK"
    total = ink(picture)
    assert total.max() <= LIMIT
    middle = np.asarray(picture, dtype=np.int32)[picture.height // 2 - 20: picture.height // 2 + 20]
    assert total[picture.height // 2 - 20: picture.height // 2 + 20].mean() > LIMIT - 25, "still a rich black"
    assert middle[..., 3].mean() > 0.9 * 255, "black carried by K"
    assert not [d for d in result.diagnostics if d.code == "ink"]


@pytest.mark.parametrize("name", ["type.jpg", "type.png"])
def test_rgb_photo_with_pure_black_type_prints_within_the_limit(tmp_path: Path, fresh: Any,
                                                                name: str) -> None:
    draw_photo(tmp_path / "images" / name, (2000, 1400), ink="type")
    result = build_photo(tmp_path, fresh, {"src": f"images/{name}"})
    total = ink(printed(result.output))  # type: ignore[arg-type]
    assert total.max() <= LIMIT
    assert total.max() > LIMIT - 30, "the type still prints as a deep black"


def test_the_separation_follows_the_layouts_limit(tmp_path: Path, fresh: Any, root: Path) -> None:
    import shutil

    layouts = tmp_path / "layouts"
    shutil.copytree(root / "src" / "banmian" / "builtin" / "layouts" / "a4-newsletter",
                    layouts / "a4-newsletter")
    spec = layouts / "a4-newsletter" / "layout.yaml"
    spec.write_text(re.sub(r"ink_limit: \d+", "ink_limit: 220", spec.read_text(encoding="utf-8")),
                    encoding="utf-8")  # (the layout's red, 0 100 100 10, is 210 %)
    draw_photo(tmp_path / "images" / "type.jpg", (1500, 1000), ink="type")
    lower = dataclasses.replace(fresh, layouts=layouts)
    result = build_photo(tmp_path, lower, {"src": "images/type.jpg"})
    assert 200 < ink(printed(result.output)).max() <= 220  # type: ignore[arg-type]


@pytest.mark.parametrize(("mode", "name"), [("I;16", "gray16.png"), ("1", "bits.png"),
                                            ("LA", "opaque-la.png"), ("L", "gray8.png")])
def test_gray_pictures_of_any_depth_print_on_k_as_their_8_bit_gray(tmp_path: Path, fresh: Any, mode: str,
                                                                   name: str) -> None:
    draw_photo(tmp_path / "images" / name, (1500, 1000), mode=mode)
    result = build_photo(tmp_path, fresh, {"src": f"images/{name}"})
    picture = printed(result.output)  # type: ignore[arg-type]
    assert picture.mode == "L", "gray stays on K"
    assert not [d for d in result.diagnostics if d.code == "ink"]
    green = np.asarray(picture, dtype=np.float64)[picture.height * 3 // 4:, picture.width // 2:].mean()
    expected = np.asarray(Image.new("RGB", (1, 1), (40, 160, 60)).convert("L"))[0, 0]
    # a 16-bit picture is not printed almost white (a 1-bit one is dithered: its mean is near)
    assert abs(green - expected) < (12 if mode == "1" else 4), (green, expected)


# --- formats ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "mode"), [("photo.webp", "RGB"), ("scan.tif", "CMYK"), ("scan.tiff", "RGB"),
                                            ("progressive.jpg", "RGB")])
def test_webp_tiff_and_progressive_jpeg_print(tmp_path: Path, fresh: Any, name: str, mode: str) -> None:
    path = draw_photo(tmp_path / "images" / name, (1500, 1000), mode=mode)
    if name.startswith("progressive"):
        Image.open(path).save(path, "JPEG", quality=90, progressive=True)
    result = build_photo(tmp_path, fresh, {"src": f"images/{name}"})
    picture = printed(result.output)  # type: ignore[arg-type]
    assert is_red(rgb(picture)[:20]) and ink(picture).max() <= LIMIT


def test_gif_prints_its_first_frame_with_a_warning(tmp_path: Path, fresh: Any) -> None:
    first = draw_photo(tmp_path / "images" / "f1.png", (1500, 1000))
    second = Image.new("RGB", (1500, 1000), (0, 0, 200))
    Image.open(first).convert("RGB").save(tmp_path / "images" / "anim.gif", save_all=True,
                                           append_images=[second])
    result = build_photo(tmp_path, fresh, {"src": "images/anim.gif"})
    assert is_red(rgb(printed(result.output))[:20])  # type: ignore[arg-type]
    [note] = [m for m in messages(result) if "GIF" in m]
    assert re.search(r"content\.yaml:\d+:\d+: warning: photo anim\.gif is a GIF .*first frame of 2", note)


def test_an_unknown_format_is_an_error_naming_the_file_and_the_accepted_formats(tmp_path: Path,
                                                                                fresh: Any) -> None:
    (tmp_path / "images").mkdir(parents=True)
    Image.new("RGB", (600, 400), (200, 0, 0)).save(tmp_path / "images" / "scan.png", "BMP")
    with pytest.raises(BuildError) as caught:
        build_photo(tmp_path, fresh, {"src": "images/scan.png"})
    [line] = [m for m in messages(caught.value) if "scan.png" in m]
    assert re.search(r"content\.yaml:\d+:\d+: error: image scan\.png: format BMP is not accepted "
                     r"\(accepted: JPEG, PNG, HEIF, WEBP, TIFF, GIF\)", line), line
    (tmp_path / "images" / "scan.bmp").write_bytes((tmp_path / "images" / "scan.png").read_bytes())
    with pytest.raises(BuildError) as caught:
        build_photo(tmp_path, fresh, {"src": "images/scan.bmp"})
    assert any("'images/scan.bmp': not a picture file banmian reads (accepted: JPEG, PNG, HEIF, WEBP, TIFF, "
               "GIF)" in m for m in messages(caught.value))


# --- crops ---------------------------------------------------------------------------------------------

def _tall_with_subject(path: Path) -> Path:
    """A portrait picture: a red disc (the subject) near the top on plain sky, busy stripes below."""
    im = Image.new("RGB", (1000, 1600), (150, 190, 230))
    d = ImageDraw.Draw(im)
    d.ellipse((420, 40, 580, 200), fill=(220, 20, 30))
    for y in range(700, 1600, 24):
        d.rectangle((0, y, 1000, y + 10), fill=(30, 30, 30))
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, quality=92)
    return path


def _has_red(picture: Image.Image) -> bool:
    px = rgb(picture)
    return bool(((px[..., 0] > 150) & (px[..., 1] < 90)).mean() > 0.005)


def test_focus_keeps_a_subject_near_the_top_of_a_tall_photo_in_a_wide_frame(tmp_path: Path,
                                                                             fresh: Any) -> None:
    _tall_with_subject(tmp_path / "images" / "tall.jpg")
    # a wide frame (a flow layout would give a tall photo one of its own shape), large: 1 000 px at 196 ppi
    wide: dict[str, Any] = {"layout": WIDE_FRAME, "options": BuildOptions(accept_low_res=True)}
    plain = printed(build_photo(tmp_path, fresh, {"src": "images/tall.jpg"}, **wide).output)  # type: ignore[arg-type]
    assert plain.width > plain.height and not _has_red(plain)  # the default keeps the busy part
    focused = printed(build_photo(tmp_path, fresh, {"src": "images/tall.jpg", "focus": [0.5, 0.07]},
                                  **wide).output)  # type: ignore[arg-type]
    assert _has_red(focused)
    top = rgb(focused)[: focused.height // 3]
    assert ((top[..., 0] > 150) & (top[..., 1] < 90)).any(), "the subject in the upper part of the frame"


def test_crop_cuts_exactly_that_part(tmp_path: Path, fresh: Any) -> None:
    draw_photo(tmp_path / "images" / "p.jpg", (1600, 1200))
    # the top-right part: the red band, no arrow (it is top-left)
    result = build_photo(tmp_path, fresh, {"src": "images/p.jpg", "crop": [0.5, 0.0, 0.5, 0.5]})
    picture = rgb(printed(result.output))  # type: ignore[arg-type]
    assert is_red(picture[:20]) and not (picture.sum(axis=2) < 150).any()
    assert (picture[..., 1] > 120).mean() > 0.5  # mostly the green below the band


def test_fit_lists_each_photos_frame_and_crop_as_printed(tmp_path: Path, fresh: Any,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """``banmian fit --json`` gives each photo's frame (mm, as placed in the PDF) and the part of the
    picture it shows, with why; the text table says the same."""
    import json

    draw_photo(tmp_path / "images" / "p.jpg", (1600, 1200))
    image = {"src": "images/p.jpg", "crop": [0.5, 0.0, 0.5, 0.5]}
    result = build_photo(tmp_path, fresh, image)
    with pdfplumber.open(result.output) as pdf:  # type: ignore[arg-type]
        [placed] = pdf.pages[0].images
    content = str(tmp_path / "content.yaml")
    assert cli_main(["--project", str(tmp_path), "fit", content, "--json"]) == 0
    [photo] = json.loads(capsys.readouterr().out)["photos"]
    assert (photo["file"], photo["why"]) == ("p.jpg", "crop")
    width, height = ((placed["x1"] - placed["x0"]) / MM_PT, (placed["bottom"] - placed["top"]) / MM_PT)
    assert photo["frame_mm"] == [pytest.approx(width, abs=0.1), pytest.approx(height, abs=0.1)]
    x, y, w, h = photo["crop"]  # inside the editor's crop, cut further to the frame's shape
    assert x >= 0.5 and x + w <= 1.0 and y >= 0.0 and y + h <= 0.5 + 1e-4
    assert (w * 1600) / (h * 1200) == pytest.approx(width / height, rel=0.01)
    assert re.fullmatch(r".*content\.yaml:\d+", photo["location"])
    assert cli_main(["--project", str(tmp_path), "fit", content]) == 0
    box = ", ".join(f"{v:.2f}" for v in photo["crop"])
    assert f"p.jpg  {photo['location']}  frame {width:.1f}×{height:.1f} mm  crop: [{box}] (crop)" \
        in capsys.readouterr().out


def test_fit_contain_shows_the_whole_picture_on_paper(tmp_path: Path, fresh: Any) -> None:
    draw_photo(tmp_path / "images" / "portrait.jpg", (1000, 1600))
    result = build_photo(tmp_path, fresh, {"src": "images/portrait.jpg", "fit": "contain"}, layout=WIDE_FRAME,
                         options=BuildOptions(accept_low_res=True))
    picture = printed(result.output)  # type: ignore[arg-type]
    total, px = ink(picture), rgb(picture)
    inked = np.flatnonzero(total.max(axis=0) > 5)
    left, right = inked[0], inked[-1]
    assert left > picture.width * 0.2 and right < picture.width * 0.8, "paper either side"
    assert total[:, : left - 8].max() == 0 and total[:, right + 8:].max() == 0
    middle = px[:, left + 4: right - 4]
    assert is_red(middle[:20]) and not is_red(middle[-20:]), "the whole picture: band on top, green below"
    assert (middle[-20:, :, 1] > 120).mean() > 0.9


def test_focus_with_fit_contain_is_refused_at_its_line(tmp_path: Path, fresh: Any) -> None:
    """Nothing the editor writes is ignored: a focus point means nothing when the whole picture prints."""
    draw_photo(tmp_path / "images" / "p.jpg", (1600, 1200))
    with pytest.raises(BuildError) as caught:
        build_photo(tmp_path, fresh, {"src": "images/p.jpg", "fit": "contain", "focus": [0.5, 0.2]})
    text = "\n".join(messages(caught.value))
    assert "'focus' has no effect with 'fit: contain'" in text and "content.yaml:" in text, text


# --- resolution ----------------------------------------------------------------------------------------

def test_low_resolution_is_an_error_naming_the_file_everywhere(tmp_path: Path, fresh: Any) -> None:
    draw_photo(tmp_path / "images" / "old.jpg", (300, 200))
    with pytest.raises(BuildError) as caught:
        build_photo(tmp_path, fresh, {"src": "images/old.jpg"})
    lines = messages(caught.value)
    assert any(re.search(r"content\.yaml:\d+:\d+: error: photo old\.jpg: effective resolution \d+ ppi at "
                         r"its placed size, under 200 .*add 'min_ppi: \d+' to the image", m)
               for m in lines), lines
    assert not any(OBJECT_NAME.search(m) for m in lines), lines
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("how", ["min_ppi", "--accept-low-res"])
def test_low_resolution_prints_knowingly_with_a_warning(tmp_path: Path, fresh: Any, how: str) -> None:
    draw_photo(tmp_path / "images" / "old.jpg", (300, 200))
    image: dict[str, Any] = {"src": "images/old.jpg"}
    options = BuildOptions(accept_low_res=how != "min_ppi")
    if how == "min_ppi":
        image["min_ppi"] = 50
    result = build_photo(tmp_path, fresh, image, options=options)
    assert result.output is not None and result.output.exists()
    warned = [d for d in result.diagnostics if d.code == "resolution-accepted"]
    assert [d.severity for d in warned] == [Severity.WARNING]
    assert re.search(r"content\.yaml:\d+:\d+: warning: photo old\.jpg: effective resolution \d+ ppi at its "
                     r"placed size, under 200: printed as asked", warned[0].render())
    assert not any(OBJECT_NAME.search(m) for m in messages(result))
    picture = rgb(printed(result.output))
    assert is_red(picture[:8])


def test_the_preview_prints_a_low_resolution_photo_on_the_editors_word(tmp_path: Path) -> None:
    """``preview`` (and ``watch``, ``serve``) take ``--accept-low-res`` as ``build`` does: the page image
    shows the photo, upright, and the warning names it."""
    draw_photo(tmp_path / "images" / "old.jpg", (300, 200))
    content = write_content(tmp_path, [ArticleSpec(160, extra={"images": [{"src": "images/old.jpg"}]})],
                            layout="a4-newsletter", banner=False)
    argv = ["--project", str(tmp_path), "preview", str(content), "-o", str(tmp_path / "p.pdf"), "--dpi", "50"]
    assert cli_main(argv) == 1  # refused without the editor's word
    assert not list(tmp_path.glob("p-p*.png"))
    assert cli_main([*argv, "--accept-low-res"]) == 0
    assert list(tmp_path.glob("p-p*.png"))
    assert is_red(rgb(printed(tmp_path / "p.pdf"))[:8])


def test_min_ppi_above_the_photos_resolution_is_still_an_error(tmp_path: Path, fresh: Any) -> None:
    draw_photo(tmp_path / "images" / "old.jpg", (300, 200))
    with pytest.raises(BuildError) as caught:
        build_photo(tmp_path, fresh, {"src": "images/old.jpg", "min_ppi": 150})
    assert any(re.search(r"photo old\.jpg: effective resolution \d+ ppi at its placed size, under its "
                         r"min_ppi 150", m) for m in messages(caught.value))


# --- cache ---------------------------------------------------------------------------------------------

def test_the_cache_keeps_orientation_and_framing_apart(tmp_path: Path, fresh: Any) -> None:
    """Same picture bytes but another orientation tag, or another focus: another prepared photo."""
    path = draw_photo(tmp_path / "images" / "p.jpg", (1500, 1000), orientation=1)
    upright = rgb(printed(build_photo(tmp_path, fresh, {"src": "images/p.jpg"}).output))  # type: ignore[arg-type]
    with Image.open(path) as im:
        exif = Image.Exif()
        exif[0x0112] = 3  # the same pixels, now said to be stored upside down
        im.save(path, quality=90, exif=exif.tobytes())
    turned = rgb(printed(build_photo(tmp_path, fresh, {"src": "images/p.jpg"}).output))  # type: ignore[arg-type]
    assert is_red(upright[:20]) and is_red(turned[-20:]) and not is_red(turned[:20])


# --- captions and credits ------------------------------------------------------------------------------

def test_the_credit_follows_the_caption_without_a_space(tmp_path: Path, fresh: Any) -> None:
    draw_photo(tmp_path / "images" / "p.jpg", (1500, 1000))
    result = build_photo(tmp_path, fresh, {"src": "images/p.jpg", "caption": "孩子们在操场上升旗",
                                           "credit": "学校供图"})
    with pdfplumber.open(result.output) as pdf:  # type: ignore[arg-type]
        chars = [c for c in pdf.pages[0].chars if c["text"] in "旗（学"]
    text = "".join(c["text"] for c in chars)
    assert "旗（学" in text
    i = text.index("旗（")
    flag, bracket = chars[i], chars[i + 1]
    size = flag["size"]
    assert flag["top"] == pytest.approx(bracket["top"], abs=0.5), "one line"
    assert bracket["x0"] - flag["x1"] < 0.05 * size, "no Latin space: the bracket's blank half is the gap"
    assert flag["fontname"] == bracket["fontname"] and bracket["size"] == size, "in the caption style"


@pytest.mark.parametrize(("caption", "expected"), [
    ("全体师生参加升旗仪式（记者 李明 摄）", ("全体师生参加升旗仪式", "记者 李明 摄")),
    ("全体师生参加升旗仪式（学校供图）", ("全体师生参加升旗仪式", "学校供图")),
    ("全体师生参加升旗仪式（摄影 王强）", ("全体师生参加升旗仪式", "摄影 王强")),
    ("全体师生参加升旗仪式（摄影：王强）", ("全体师生参加升旗仪式", "摄影：王强")),
    ("全体师生参加升旗仪式（图/王强）", ("全体师生参加升旗仪式", "图/王强")),
    # brackets that are part of the caption stay in it
    ("孩子们在图书馆读书（左一为校长）", ("孩子们在图书馆读书（左一为校长）", None)),
    ("学生参观（图书馆）", ("学生参观（图书馆）", None)),
    ("参观（摄影师的作品展）", ("参观（摄影师的作品展）", None)),
])
def test_import_splits_the_credit_from_the_caption(tmp_path: Path, caption: str,
                                                    expected: tuple[str, str | None]) -> None:
    import yaml

    from banmian.cli.main import main

    draw_photo(tmp_path / "images" / "p.jpg", (600, 400))
    story = tmp_path / "story.md"
    story.write_text("# 金兴小学开展升旗仪式\n\n金兴小学全体师生参加升旗仪式，孩子们精神饱满。\n\n"
                     f"![{caption}](images/p.jpg)\n", encoding="utf-8")
    out = tmp_path / "story.yaml"
    assert main(["import", str(story), "-o", str(out)]) == 0
    [image] = yaml.safe_load(out.read_text(encoding="utf-8"))["articles"][0]["images"]
    assert (image["caption"], image.get("credit")) == expected


def test_every_photo_in_the_pdf_is_the_prepared_one(tmp_path: Path, fresh: Any) -> None:
    """The build names photos by the digest of their JPEG: the PDF must embed those bytes unchanged."""
    from banmian.pipeline import compose, prepare_images

    draw_photo(tmp_path / "images" / "p.jpg", (1500, 1000))
    result = build_photo(tmp_path, fresh, {"src": "images/p.jpg"})
    composed = compose(tmp_path / "content.yaml", BuildOptions(), fresh)
    from banmian.graphics.press import press_for

    [prepared] = prepare_images(composed.pages, composed.doc, press_for(composed.layout)).values()
    with pikepdf.open(result.output) as doc:  # type: ignore[arg-type]
        raw = {bytes(x.read_raw_bytes()) for p in doc.pages for x in p.Resources.XObject.values()
               if x.Subtype == "/Image"}
    assert raw == {prepared.data}
    assert max_ink(Image.open(io.BytesIO(prepared.data))) <= LIMIT
