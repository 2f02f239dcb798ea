"""The rendered frame is kept (``banmian.export.frames``): a new process building the same page takes
it from ``.cache/frames`` and its photos from ``.cache/images`` and never imports WeasyPrint (nor numpy
and pillow-heif, which only preparing a photo needs), gives the same bytes, and a picture the layout's
CSS reads that changed on disk renders the frame again — the page shows the new picture."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2
from PIL import Image

from banmian.cli.main import main
from tests.contentgen import draw_photo
from tests.workflow_helpers import starter

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = """
import sys
from banmian.cli.main import main
status = main(sys.argv[1:])
print(" ".join(name for name in ("weasyprint", "numpy", "pillow_heif") if name in sys.modules) or "none")
sys.exit(status)
"""


def build_in_new_process(project: Path, content: Path, out: Path) -> str:
    """``banmian build`` in a process of its own; which of WeasyPrint, numpy and pillow-heif it imported."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SOURCE_DATE_EPOCH": "1751040000"}
    argv = ["--project", str(project), "build", "-q", str(content), "-o", str(out)]
    done = subprocess.run([sys.executable, "-c", IMPORTS, *argv], capture_output=True, text=True, env=env,
                          check=True)
    return done.stdout.strip().splitlines()[-1]


def test_a_new_process_takes_the_frame_from_the_cache(tmp_path: Path) -> None:
    content = starter(tmp_path / "content")
    draw_photo(content.parent / "images" / "photo.jpg")
    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace("    # images:", "    images:\n      - src: images/photo.jpg\n"
                                    "        caption: 图片说明\n    # ", 1), encoding="utf-8")
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert build_in_new_process(tmp_path, content, first).startswith("weasyprint numpy")  # photos prepared
    assert list((tmp_path / ".cache" / "frames").glob("*.pdf"))
    # frame and photos from the cache: neither WeasyPrint nor the photo libraries are loaded
    assert build_in_new_process(tmp_path, content, second) == "none"
    assert first.read_bytes() == second.read_bytes()


def centre_colour(pdf: Path) -> tuple[int, ...]:
    page = pypdfium2.PdfDocument(str(pdf))[0]
    picture = page.render(scale=0.2).to_pil().convert("RGB")
    return picture.getpixel((picture.width // 2, picture.height * 3 // 4))  # type: ignore[return-value]


def test_a_changed_picture_of_the_layout_renders_the_frame_again(tmp_path: Path) -> None:
    layout = tmp_path / "layouts" / "paper"
    shutil.copytree(ROOT / "src" / "banmian" / "builtin" / "layouts" / "broadsheet-page", layout)
    spec = layout / "layout.yaml"  # a layout is called by its folder's name
    spec.write_text(spec.read_text(encoding="utf-8").replace("name: broadsheet-page", "name: paper"),
                    encoding="utf-8")
    with (layout / "layout.css").open("a", encoding="utf-8") as css:
        css.write("\n.trim { background: url(paper.png); background-size: cover; }\n")
    Image.new("RGB", (8, 8), (230, 40, 40)).save(layout / "paper.png")
    content = starter(tmp_path / "content")
    out = tmp_path / "page.pdf"
    argv = ["--project", str(tmp_path), "build", "-q", str(content), "--layout", "paper", "-o", str(out)]
    assert main(argv) == 0
    red = centre_colour(out)
    Image.new("RGB", (8, 8), (40, 40, 230)).save(layout / "paper.png")
    os.utime(layout / "paper.png", ns=(1, 1))  # a different modification time, whatever the clock says
    assert main(argv) == 0  # the same process: the frame is in memory too
    blue = centre_colour(out)
    assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0], (red, blue)
