"""Diff: what changed between two printings of a page — for checking a reprint.

Takes: the old and the new PDF, a resolution, an output folder, and (from ``build --compare``) the new
``PageModel`` pages when available.
Gives: ``DiffReport`` — per page the changed regions (pixel boxes from a Pillow difference of the two
renderings, grown and merged so that one edit gives one box), the articles they touch (from the
``PageModel``'s article rects) or else the text of the changed regions before and after (poppler's
``pdftotext``), and ``<folder>/<name>-diff-p<N>.png``: the new page with the changed regions drawn in
red. Pages only in one PDF are reported as added or removed.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from banmian.compose.page import PageModel
from banmian.live.preview import DEFAULT_DPI, PageImage, render_pdf

CELL = 6  # px: changed pixels are gathered in cells of this size
GROW = 3  # cells: regions closer than this merge
THRESHOLD = 48  # grey-level difference that counts as a change (anti-aliasing noise stays below)

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in px


@dataclass(frozen=True)
class Region:
    box: Box
    articles: tuple[str, ...]  # ids of the articles the region touches (with a PageModel)
    old_text: str  # the text inside the region, before and after (without a PageModel)
    new_text: str


@dataclass(frozen=True)
class PageDiff:
    page: int  # 1-based
    regions: tuple[Region, ...]
    image: Path | None  # the highlighted new page, written when anything changed
    status: str = "changed"  # "changed" | "same" | "added" | "removed"

    @property
    def articles(self) -> tuple[str, ...]:
        seen: list[str] = []
        for region in self.regions:
            seen.extend(a for a in region.articles if a not in seen)
        return tuple(seen)


@dataclass(frozen=True)
class DiffReport:
    old: Path
    new: Path
    pages: tuple[PageDiff, ...]

    @property
    def changed(self) -> bool:
        return any(p.status != "same" for p in self.pages)


def changed_boxes(old: Image.Image, new: Image.Image) -> list[Box]:
    """Bounding boxes of the changed areas, nearby changes merged."""
    if old.size != new.size:
        return [(0, 0, new.size[0], new.size[1])]
    diff = ImageChops.difference(old.convert("L"), new.convert("L")).point(
        lambda v: 255 if v > THRESHOLD else 0)
    if diff.getbbox() is None:
        return []
    width, height = diff.size
    cols, rows = -(-width // CELL), -(-height // CELL)
    cells = diff.resize((cols, rows), Image.Resampling.BOX, reducing_gap=None)
    cells = cells.point(lambda v: 255 if v else 0).filter(ImageFilter.MaxFilter(2 * GROW + 1))
    data = cells.tobytes()
    seen = bytearray(len(data))
    boxes = []
    for start, value in enumerate(data):
        if not value or seen[start]:
            continue
        seen[start] = 1
        queue = deque([start])
        x0, y0, x1, y1 = cols, rows, 0, 0
        while queue:
            i = queue.popleft()
            y, x = divmod(i, cols)
            x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
            for j in (i - 1 if x else -1, i + 1 if x + 1 < cols else -1, i - cols, i + cols):
                if 0 <= j < len(data) and data[j] and not seen[j]:
                    seen[j] = 1
                    queue.append(j)
        # the grown component in pixels; the changed pixels inside it give the tight box
        box = (x0 * CELL, y0 * CELL, min(width, (x1 + 1) * CELL), min(height, (y1 + 1) * CELL))
        tight = diff.crop(box).getbbox()
        if tight is not None:
            boxes.append((box[0] + tight[0], box[1] + tight[1], box[0] + tight[2], box[1] + tight[3]))
    return merge_boxes(boxes)


def merge_boxes(boxes: list[Box], gap: int = CELL * GROW) -> list[Box]:
    merged = list(boxes)
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                a, b = merged[i], merged[j]
                if a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]:
                    merged[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return sorted(merged, key=lambda b: (b[1], b[0]))


def articles_in(box: Box, page: PageModel, image: PageImage) -> tuple[str, ...]:
    hits = []
    for art in page.articles:
        r = art.rect
        (ax0, ay0), (ax1, ay1) = image.to_px(r.x, r.y), image.to_px(r.x + r.w, r.y + r.h)
        if box[0] < ax1 and ax0 < box[2] and box[1] < ay1 and ay0 < box[3]:
            hits.append(art.id)
    return tuple(hits)


LINE = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
WORD = re.compile(r"<word[^>]*>(.*?)</word>", re.S)
CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def text_lines(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """The text lines poppler finds on ``page`` of ``pdf``: x0, y0, x1, y1 (pt from the top left), text."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return []
    proc = subprocess.run([tool, "-q", "-f", str(page), "-l", str(page), "-bbox-layout", "-enc", "UTF-8",
                           str(pdf), "-"], capture_output=True, timeout=120, check=False)
    out = []
    for m in LINE.finditer(proc.stdout.decode("utf-8", errors="replace")):
        words = " ".join(html.unescape(w) for w in WORD.findall(m.group(5)))
        out.append((float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)),
                    CJK_GAP.sub("", words)))
    return out


def region_text(lines: Sequence[tuple[float, float, float, float, str]], box: Box, dpi: int) -> str:
    """The text of the lines that cross ``box`` (px at ``dpi``), in reading order."""
    scale = 72 / dpi
    x0, y0, x1, y1 = (v * scale for v in box)
    hit = [line for line in lines if line[0] < x1 and x0 < line[2] and line[1] < y1 and y0 < line[3]]
    return " / ".join(line[4] for line in hit)


def highlight(image: Path, boxes: Sequence[Box], target: Path) -> None:
    with Image.open(image) as im:
        page = im.convert("RGB")
    shade = Image.new("RGB", page.size, (255, 0, 0))
    mask = Image.new("L", page.size, 0)
    draw_mask = ImageDraw.Draw(mask)
    for box in boxes:
        draw_mask.rectangle(box, fill=50)
    page = Image.composite(shade, page, mask)
    draw = ImageDraw.Draw(page)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle((x0 - 4, y0 - 4, x1 + 4, y1 + 4), outline=(220, 0, 0), width=3)
    tmp = target.with_name(f".{target.name}.tmp.png")
    page.save(tmp, "PNG")
    tmp.replace(target)


def diff_pdfs(old: Path, new: Path, folder: Path, *, dpi: int = DEFAULT_DPI,
              pages: Sequence[PageModel] | None = None, name: str | None = None,
              progress: Callable[[str], None] | None = None) -> DiffReport:
    name = name or new.stem
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    lines_cache: dict[int, tuple[list[tuple[float, float, float, float, str]], ...]] = {}
    with tempfile.TemporaryDirectory(prefix=".diff-", dir=folder) as tmp:
        if progress is not None:
            progress(f"rendering {old.name} and {new.name}")
        # one after the other: PDFium (banmian.live.preview) must not run in two threads at once
        old_images = render_pdf(old, Path(tmp), dpi, stem="old")
        new_images = render_pdf(new, Path(tmp), dpi, stem="new")
        for n in range(max(len(old_images), len(new_images))):
            target = folder / f"{name}-diff-p{n + 1}.png"
            if n >= len(old_images) or n >= len(new_images):
                status = "added" if n >= len(old_images) else "removed"
                results.append(PageDiff(n + 1, (), None, status))
                continue
            if progress is not None:
                progress(f"comparing page {n + 1}")
            with Image.open(old_images[n].png) as a, Image.open(new_images[n].png) as b:
                boxes = changed_boxes(a, b)
            if not boxes:
                target.unlink(missing_ok=True)
                results.append(PageDiff(n + 1, (), None, "same"))
                continue
            regions = []
            for box in boxes:
                if pages is not None and n < len(pages):
                    regions.append(Region(box, articles_in(box, pages[n], new_images[n]), "", ""))
                else:
                    if n + 1 not in lines_cache:
                        lines_cache[n + 1] = (text_lines(old, n + 1), text_lines(new, n + 1))
                    before, after = lines_cache[n + 1]
                    regions.append(Region(box, (), region_text(before, box, dpi),
                                          region_text(after, box, dpi)))
            highlight(new_images[n].png, boxes, target)
            results.append(PageDiff(n + 1, tuple(regions), target))
    return DiffReport(old, new, tuple(results))


def format_report(report: DiffReport, rel: Callable[[Path], str] = str) -> list[str]:
    lines = []
    for page in report.pages:
        if page.status == "same":
            lines.append(f"page {page.page}: no changes")
            continue
        if page.status in ("added", "removed"):
            lines.append(f"page {page.page}: {page.status}")
            continue
        count = len(page.regions)
        lines.append(f"page {page.page}: {count} changed region{'s' if count != 1 else ''} → "
                     f"{rel(page.image) if page.image else '-'}")
        if page.articles:
            lines.append(f"  changed articles: {', '.join(page.articles)}")
        for region in page.regions:
            if region.articles:
                continue
            x0, y0, x1, y1 = region.box
            where = f"  at {x0},{y0}–{x1},{y1} px"
            if region.old_text or region.new_text:
                lines.append(f"{where}: {_clip(region.old_text)!r} → {_clip(region.new_text)!r}")
            else:
                lines.append(f"{where}: outside the articles (header, banner, rules or pictures)")
    return lines


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
