"""The bad-input corpus: content files (``tests/fixtures/bad/*.yaml``) and generated ones (encodings,
huge files, symlinks, broken and oversized images — made at run time, never committed). The exact first
error line the CLI must print for each, and its exit status, are in ``tests/fixtures/bad/expected.yaml``.

``stage(case, folder)`` lays a case out in ``folder`` (the content folder; its parent holds the canary,
outside every root) and returns the content file's name.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad"
CANARY = "canary.txt"  # in the content folder's parent: outside every root

HEAD = """\
meta:
  publication: 北碚教育
  date: 2025-06-28
layout: broadsheet-page
articles:
  - id: a
"""


def doc(title: str = "标题", body: str = "正文。", extra: str = "") -> str:
    return HEAD + f"    title: {title}\n    body: {body}\n{extra}"


def image_doc(src: str) -> str:
    return doc(extra=f'    images:\n      - src: "{src}"\n')


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of ``width`` × ``height``: tiny on disk, huge in memory."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\0" * (1 + (width + 7) // 8)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


Setup = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup | None = None  # writes ``<name>.yaml`` (and what it needs); None: the fixture file
    args: tuple[str, ...] = ()  # more command-line arguments
    one: bool = False  # exactly one error line, located (file:line:column) and with a hint


def _write(name: str, data: bytes | str, extra: dict[str, Callable[[], bytes]] | None = None) -> Setup:
    """Writes ``<name>.yaml`` and the files of ``extra`` (made when the case is staged, not before)."""
    def setup(folder: Path) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (folder / f"{name}.yaml").write_bytes(raw)
        for rel, make in (extra or {}).items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(make())
    return setup


def _symlink_file(folder: Path) -> None:
    (folder / "images").mkdir(exist_ok=True)
    os.symlink(folder.parent / CANARY, folder / "images" / "evil.jpg")
    (folder / "image-symlink.yaml").write_text(image_doc("images/evil.jpg"), encoding="utf-8")


def _symlink_dir(folder: Path) -> None:
    outside = folder.parent / "elsewhere"
    outside.mkdir(exist_ok=True)
    (outside / "photo.jpg").write_bytes(jpeg())
    os.symlink(outside, folder / "linked")
    (folder / "image-symlink-dir.yaml").write_text(image_doc("linked/photo.jpg"), encoding="utf-8")


def _image_dir(folder: Path) -> None:
    (folder / "images" / "photo.jpg").mkdir(parents=True)
    (folder / "image-directory.yaml").write_text(image_doc("images/photo.jpg"), encoding="utf-8")


def _one(name: str, data: str) -> Case:
    """A generated case that must give exactly one located error with a hint."""
    return Case(name, _write(name, data), one=True)


def _symlink_loop(folder: Path) -> None:
    (folder / "images").mkdir(exist_ok=True)
    os.symlink("loop.jpg", folder / "images" / "loop.jpg")  # a link to itself
    (folder / "image-symlink-loop.yaml").write_text(image_doc("images/loop.jpg"), encoding="utf-8")


def chart_doc(values: str) -> str:
    """An article in the slot with a sidebar area, its sidebar a bar chart of ``values``."""
    return doc(extra="    slot: bottom-left\n    sidebar:\n      title: 数说\n      kind: chart\n"
                     f"      chart:\n        series: {values}\n")


def sidebar_items(count: int) -> str:
    return doc(extra="    sidebar:\n      title: 要点\n      items:\n" + "        - 项\n" * count)


def banner_lines(count: int) -> str:
    head, rest = doc().split("layout:", 1)
    return head + "banner:\n  title:\n" + "    - 行\n" * count + "layout:" + rest


def meta(extra: str) -> str:
    """The document with ``extra`` lines added to ``meta`` (after the date line)."""
    return doc().replace("  date: 2025-06-28\n", f"  date: 2025-06-28\n{extra}")


def _gif_as_jpg() -> bytes:
    out = io.BytesIO()
    Image.new("P", (40, 30)).save(out, "GIF")
    return out.getvalue()


CASES: tuple[Case, ...] = (
    # --- YAML: syntax, encodings, limits, tags -----------------------------------------------------
    Case("syntax-error"),
    Case("tab-indent"),
    Case("gbk", _write("gbk", doc("标题").encode("gbk"))),
    Case("utf16", _write("utf16", doc().encode("utf-16"))),
    Case("lone-surrogate-bytes", _write("lone-surrogate-bytes", doc().encode().replace(
        "标题".encode(), "标题".encode() + b"\xed\xa0\x80"))),
    Case("nul-byte", _write("nul-byte", doc(body="正文\0。"))),
    Case("bom-error", _write("bom-error", b"\xef\xbb\xbf" + doc(extra="    bdoy: 正文。\n").encode())),
    Case("billion-laughs"),
    Case("deep-nesting"),
    Case("huge-file", _write("huge-file", doc(body="长" * 700_000).encode()[: 2 * 1024 * 1024 + 16])),
    Case("duplicate-keys"),
    Case("merge-key"),
    Case("python-object"),
    Case("custom-tag"),
    Case("binary-tag"),
    Case("nonstring-key"),
    Case("surrogate-escape"),
    Case("control-char"),
    Case("empty"),
    Case("list"),
    Case("scalar"),
    Case("missing-file", lambda folder: None),
    Case("directory", lambda folder: (folder / "directory.yaml").mkdir()),
    # --- schema and names --------------------------------------------------------------------------
    Case("wrong-type"),
    Case("unknown-key"),
    Case("missing-key"),
    Case("bad-date"),
    Case("page-number"),
    Case("empty-title"),
    Case("no-articles"),
    Case("duplicate-ids"),
    Case("too-long", _write("too-long", doc(body="长" * 20_001))),
    Case("long-unbroken", _write("long-unbroken", doc(body="a" * 3000))),
    Case("glyph-missing"),
    Case("id-traversal"),
    Case("layout-traversal"),
    Case("layout-option-traversal", _write("layout-option-traversal", doc()),
         args=("--layout", "../../etc")),
    Case("layout-unknown"),
    Case("slot-traversal"),
    Case("slot-unknown"),
    # --- images ------------------------------------------------------------------------------------
    Case("image-file-url"),
    Case("image-http"),
    Case("image-dotdot"),
    Case("image-absolute"),
    Case("image-canary", _write("image-canary", image_doc("../canary.txt"))),
    Case("image-symlink", _symlink_file),
    Case("image-symlink-dir", _symlink_dir),
    Case("image-svg"),
    Case("image-avif"),  # GIF is read (its first frame, with a warning) since issue 14
    Case("image-bmp"),
    Case("image-missing"),
    Case("image-directory", _image_dir),
    Case("image-text-as-jpg", _write("image-text-as-jpg", image_doc("images/photo.jpg"),
                                     {"images/photo.jpg": lambda: b"<html>not a photo</html>\n"})),
    Case("image-gif-as-jpg", _write("image-gif-as-jpg", image_doc("images/photo.jpg"),
                                    {"images/photo.jpg": _gif_as_jpg})),
    Case("image-truncated", _write("image-truncated", image_doc("images/photo.jpg"),
                                   {"images/photo.jpg": lambda: jpeg((400, 300))[:600]})),
    Case("image-bomb", _write("image-bomb", image_doc("images/bomb.png"),
                              {"images/bomb.png": lambda: png_bomb(30000, 30000)})),
    Case("image-big", _write("image-big", image_doc("images/big.png"),
                             {"images/big.png": lambda: png_bomb(9000, 9000)})),
    # --- second round (issue 19): each was an internal error, a silent surprise or an unbounded cost --
    _one("nesting-1000", doc(title="[" * 1000 + "]" * 1000)),
    _one("nesting-100000", doc(title="[" * 100_000 + "]" * 100_000)),
    _one("timestamp-tag", doc(title="!!timestamp hello")),
    _one("float-tag-body", doc(body="!!float |\n      正文第一行\n      第二行")),
    _one("huge-integer", doc(title="7" * 1_900_000)),
    _one("chart-400-digits", chart_doc("[{label: 甲, value: " + "9" * 400 + "}]")),
    _one("chart-nan", chart_doc("[{label: 甲, value: .nan}, {label: 乙, value: 1}]")),
    _one("qr-url-ftp", doc(extra="    qr:\n      url: ftp://example.com/a\n")),
    _one("qr-url-space", doc(extra="    qr:\n      url: https://example.com/a b\n")),
    _one("yes-key", doc(extra="    yes: 1\n")),
    _one("date-zero", doc().replace("date: 2025-06-28", "date: 0")),
    _one("sexagesimal-page", meta("  page: 1:30\n")),
    _one("sidebar-100000-items", sidebar_items(100_000)),
    _one("sidebar-101-items", sidebar_items(101)),
    _one("banner-100000-lines", banner_lines(100_000)),
    Case("image-symlink-loop", _symlink_loop, one=True),
    _one("image-long-name", image_doc("images/" + "照片" * 43 + ".jpg")),
)


def stage(case: Case, folder: Path) -> str:
    """Lay out ``case`` in ``folder``; the canary lies in its parent. Returns the content file name."""
    (folder.parent / CANARY).write_text("canary: must never be read\n", encoding="utf-8")
    if case.setup is None:
        source = FIXTURES / f"{case.name}.yaml"
        (folder / source.name).write_bytes(source.read_bytes())
    else:
        case.setup(folder)
    return f"{case.name}.yaml"
