"""Generated content for tests: what editors bring, not the sample.

Takes: a seed (``random.Random``) and what to make — how many articles, how long, which photos.
Gives: Chinese text with the hard cases mixed in (Latin words, digits and decimals, brackets, quotes,
book-title marks, ellipses, dashes, enumeration commas), photos drawn with Pillow whose printed result
can be checked (an orientation marker, a transparent area, ink extremes), and content folders
(``content.yaml`` + ``images/``) written as an editor would write them.

Everything is deterministic for a given seed, so a failing case can be rebuilt by hand.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from PIL import Image, ImageDraw, ImageFont

# Phrases of school news (common 字, so every face of the manifest covers them).
PHRASES = (
    "学校坚持立德树人根本任务", "党支部充分发挥战斗堡垒作用", "全体教师积极参与课程改革",
    "孩子们在活动中快乐成长",
    "家长和社区共同参与", "构建高质量教育体系", "推进课堂教学改革", "开展主题党日活动", "探索劳动教育新路径",
    "打造特色校园文化", "青年教师成长营", "区域教育优质均衡发展", "阅读节和科技节", "体育艺术二加一",
    "让每一个孩子都出彩", "教研组集体备课", "守护学生身心健康", "深化家校社协同育人", "弘扬中华优秀传统文化",
    "组织学生走进田间地头", "创新评价方式", "提升课后服务质量", "校园足球联赛", "开展志愿服务",
)
MARKS = "，，，，。、；：？！"
LATIN = ("STEM", "AI", "3D", "PPT", "Python", "Wi-Fi", "CMYK", "U17", "iPad", "PBL")
NUMBERS = ("2025年", "1800余人次", "41.5%", "3.14", "12项", "第1名", "25所", "6月28日", "100米", "1∶2")
PAIRS = (("“", "”"), ("（", "）"), ("《", "》"), ("「", "」"))


PLAIN_NUMBERS = ("2025年", "12项", "第1名", "25所", "6月28日", "100米", "1800余人次")


def sentence(rng: random.Random, hard: bool = True) -> str:
    """One clause-rich sentence, ending in 。 (or ？/！). ``hard=False`` leaves out what the composer
    cannot justify in a 12–13 字 column without gaps over 0.15 em (a Latin word or an ellipsis before a
    mark, a decimal at a line start): the plain news text a page-placement test needs."""
    parts = []
    for _ in range(rng.randint(2, 5)):
        phrase = rng.choice(PHRASES)
        roll = rng.random()
        if roll < 0.14:
            a, b = rng.choice(PAIRS)
            phrase = f"{a}{phrase}{b}"
        elif roll < 0.28 and hard:
            phrase += rng.choice(LATIN)
        elif roll < 0.44:
            phrase = rng.choice(NUMBERS if hard else PLAIN_NUMBERS) + phrase
        elif roll < 0.50 and hard:
            phrase += "……"
        elif roll < 0.56:
            phrase += "——" + rng.choice(PHRASES)[:4]
        parts.append(phrase)
        parts.append(rng.choice("，，，、；"))
    text = "".join(parts[:-1])
    return text + rng.choice("。。。。？！")


def body(rng: random.Random, chars: int, hard: bool = True) -> str:
    """Paragraphs (blank-line separated) of about ``chars`` characters in all (±1 sentence)."""
    paragraphs: list[str] = []
    total = 0
    while total < chars:
        para = ""
        for _ in range(rng.randint(2, 5)):
            para += sentence(rng, hard)
            if total + len(para) >= chars:
                break
        paragraphs.append(para)
        total += len(para)
    return "\n\n".join(paragraphs)


def item(rng: random.Random) -> str:
    """A sidebar item: two or three phrases, no pair of brackets or quotes cut in half."""
    return "，".join(rng.choice(PHRASES) for _ in range(rng.randint(2, 3))) + "。"


def title(rng: random.Random, chars: int = 10) -> str:
    text = "".join(rng.choice(PHRASES)[:4] for _ in range(3))
    return text[:chars]


# --- photos -----------------------------------------------------------------------------------------

SHAPES = {"wide": (2400, 1000), "landscape": (1800, 1200), "portrait": (1200, 1800), "square": (1500, 1500)}
RED, GREEN = (220, 20, 30), (40, 160, 60)
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".heic": "HEIF", ".webp": "WEBP", ".tif": "TIFF",
           ".tiff": "TIFF", ".gif": "GIF"}


def draw_photo(path: Path, size: tuple[int, int] = (1800, 1200), *, mode: str = "RGB",
               orientation: int = 1, marker: str = "up", fmt: str | None = None,
               transparent: float = 0.0, ink: str | None = None, icc: bytes | None = None) -> Path:
    """A test picture whose print can be checked: a red band along its TOP edge, a black arrow pointing
    up in the top-left quarter, green below; ``orientation`` (EXIF 1–8) stores the pixels as a camera
    would (rotated/flipped) with the tag that undoes it, so a correct build prints the band on top.
    ``transparent``: that share of the picture (its bottom part) has alpha 0 (modes RGBA, LA, P — a
    palette's transparent entry — and PA).
    ``mode``: RGB, L, CMYK, RGBA, LA, P, 1 (1-bit), I;16 (16-bit gray). ``fmt``: JPEG, PNG, HEIF, WEBP,
    TIFF, GIF (default: from the suffix). ``ink``: "400" paints the middle third C=M=Y=K=100 % (CMYK
    mode); "type" writes pure black type on a white strip across the middle (RGB: 0 0 0).
    ``icc``: a profile embedded in the file (e.g. a CMYK one for a CMYK JPEG)."""
    w, h = size
    im = Image.new("RGB", (w, h), GREEN)
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, w, h // 6), fill=RED)
    if marker == "up":
        cx, top = w // 4, h // 6 + h // 20
        d.polygon([(cx, top), (cx - w // 16, top + h // 8), (cx + w // 16, top + h // 8)], fill=(0, 0, 0))
        d.rectangle((cx - w // 40, top + h // 8, cx + w // 40, top + h // 3), fill=(0, 0, 0))
    if ink == "type":
        _black_type(im)
    picture = _in_mode(im, mode, transparent)
    if ink == "400":
        ImageDraw.Draw(picture).rectangle((0, h // 3, w, 2 * h // 3), fill=(255, 255, 255, 255))
    picture = _stored_for_orientation(picture, orientation)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = fmt or FORMATS[path.suffix.lower()]
    kwargs: dict[str, Any] = {}
    if orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    if fmt in ("JPEG", "WEBP", "HEIF"):
        kwargs["quality"] = 90
    if icc is not None:
        kwargs["icc_profile"] = icc
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    picture.save(path, fmt, **kwargs)
    return path


def _in_mode(im: Image.Image, mode: str, transparent: float) -> Image.Image:
    """``im`` (RGB) in ``mode``, with its bottom ``transparent`` share at alpha 0."""
    if mode == "I;16":  # 16-bit gray: the 8-bit gray scaled to 0…65535
        return Image.fromarray(np.asarray(im.convert("L"), dtype=np.uint16) * 257)
    if mode == "P":
        picture = im.quantize(colors=64)
        if transparent:  # one more palette entry, transparent, fills the bottom share
            clear = int(picture.getextrema()[1]) + 1  # type: ignore[arg-type, index]
            picture.putpalette([*(picture.getpalette() or [])[: 3 * clear], 255, 255, 255])
            cut = round(im.height * (1 - transparent))
            ImageDraw.Draw(picture).rectangle((0, cut, im.width, im.height), fill=clear)
            picture.info["transparency"] = clear
        return picture
    if transparent:
        rgba = _with_alpha(im, transparent)
        return rgba if mode == "RGBA" else rgba.convert(mode)
    return im.convert(mode) if mode != "RGB" else im


def _black_type(im: Image.Image) -> None:
    """Pure black (0, 0, 0) type on a white strip across the middle, as a poster in a photo."""
    w, h = im.size
    d = ImageDraw.Draw(im)
    d.rectangle((0, 2 * h // 5, w, 3 * h // 5), fill=(255, 255, 255))
    font = ImageFont.load_default(size=max(12, h // 12))
    for row in range(2):
        d.text((w // 20, 2 * h // 5 + row * h // 10 + h // 60), "BANMIAN 2025 ink TEST 100%" * 3,
               fill=(0, 0, 0), font=font)


def _with_alpha(im: Image.Image, share: float) -> Image.Image:
    rgba = im.convert("RGBA")
    w, h = rgba.size
    cut = round(h * (1 - share))
    ImageDraw.Draw(rgba).rectangle((0, cut, w, h), fill=(0, 0, 0, 0))
    return rgba


def _stored_for_orientation(im: Image.Image, orientation: int) -> Image.Image:
    """The pixels a camera stores so that applying EXIF ``orientation`` gives ``im`` back."""
    t = Image.Transpose
    undo = {1: (), 2: (t.FLIP_LEFT_RIGHT,), 3: (t.ROTATE_180,), 4: (t.FLIP_TOP_BOTTOM,),
            5: (t.TRANSPOSE,), 6: (t.ROTATE_90,), 7: (t.TRANSVERSE,), 8: (t.ROTATE_270,)}[orientation]
    for op in undo:
        im = im.transpose(op)
    return im


# --- content folders --------------------------------------------------------------------------------

@dataclass
class ArticleSpec:
    chars: int
    photos: Sequence[str] = ()  # shapes from SHAPES
    sidebar: bool = False
    rank: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    hard: bool = True  # the hard cases in the text (see ``sentence``)
    marked: bool = False  # findable on the page: the title ends in the article's number, each photo's
    #                       credit names its article and place (``a3图2``)


def article(rng: random.Random, n: int, spec: ArticleSpec, images: Path) -> dict[str, Any]:
    art: dict[str, Any] = {"id": f"a{n + 1}", "title": title(rng, rng.randint(7, 12)),
                           "byline": "本报记者", "body": body(rng, spec.chars, spec.hard)}
    if spec.marked:
        art["title"] += str(n + 1)
    if rng.random() < 0.5:
        art["kicker"] = title(rng, 9)
    if spec.photos:
        art["images"] = []
        for k, shape in enumerate(spec.photos):
            name = f"a{n + 1}-{k + 1}-{shape}.jpg"
            draw_photo(images / name, SHAPES[shape])
            credit = f"a{n + 1}图{k + 1}" if spec.marked else "学校供图"
            art["images"].append({"src": f"images/{name}", "caption": title(rng, 14), "credit": credit})
    if spec.sidebar:
        art["sidebar"] = {"title": "相关链接", "items": [item(rng) for _ in range(3)]}
    if spec.rank is not None:
        art["rank"] = spec.rank
    art.update(spec.extra)
    return art


def write_content(folder: Path, specs: Sequence[ArticleSpec], *, seed: int = 1,
                  layout: str = "broadsheet-page", banner: bool = True, **top: Any) -> Path:
    """``folder/content.yaml`` (+ ``folder/images/``) with one article per spec; returns the YAML path."""
    rng = random.Random(seed)
    images = folder / "images"
    doc: dict[str, Any] = {
        "meta": {"publication": "北碚教育", "section": "综合新闻", "issue": "第401期",
                 "date": dt.date(2026, 9, 10), "page": 2, "editor": "李明"},
        "layout": layout,
    }
    if banner:
        doc["banner"] = {"title": title(rng, 10)}
    doc["articles"] = [article(rng, n, spec, images) for n, spec in enumerate(specs)]
    doc.update(top)
    path = folder / "content.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")
    return path


class _Dumper(yaml.SafeDumper):
    """Bodies as literal blocks (``body: |``), as editors write them."""


_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def random_specs(rng: random.Random, count: int, *, lo: int = 200, hi: int = 2000,
                 photo_share: float = 0.5, sidebar_share: float = 0.15) -> list[ArticleSpec]:
    """``count`` articles of ``lo``–``hi`` 字, about half with a photo of a random shape."""
    specs = []
    for _ in range(count):
        photos = [rng.choice(list(SHAPES))] if rng.random() < photo_share else []
        specs.append(ArticleSpec(rng.randint(lo, hi), photos, rng.random() < sidebar_share))
    return specs


def page_specs(rng: random.Random, count: int, chars: int, *, photo_share: float = 0.6,
               sidebar_share: float = 0.15, spread: float = 0.6, hard: bool = False) -> list[ArticleSpec]:
    """``count`` articles sharing about ``chars`` 字, their lengths ±``spread`` around the mean (the lead
    among the longer ones, as editors choose it); photos of every shape in turn, about ``photo_share``
    of the articles, the lead always with one."""
    weights = [1 + spread * (2 * rng.random() - 1) for _ in range(count)]
    weights[0] = max(weights) * 1.1
    total = sum(weights)
    shapes = list(SHAPES)
    specs = []
    for i, weight in enumerate(weights):
        has_photo = i == 0 or rng.random() < photo_share
        photos = [shapes[(i + rng.randint(0, 3)) % len(shapes)]] if has_photo else []
        specs.append(ArticleSpec(max(120, round(chars * weight / total)), photos,
                                 i > 0 and rng.random() < sidebar_share, hard=hard))
    return specs
