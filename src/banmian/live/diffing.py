"""Diff: what changed between two printings of a page — for checking a reprint.

Takes: the old and the new PDF, a resolution, an output folder, and (from ``build --compare``) the new
``PageModel`` pages when available.
Gives: ``DiffReport`` — per page the changed regions and ``<folder>/<name>-diff-p<N>.png``, the new page
with them drawn in red. When both PDFs are banmian's, their composition records
(``banmian.export.record``) are compared: exactly the articles whose text, photos or box changed are
named (id and title), one region each (its box before and after), with an excerpt of the text before
and after that starts at the first difference; the header strip, banner and folio likewise; pixels
that changed outside every article (rules, a layout's own HTML) are regions of their own. For other
PDFs, the pixel difference of the two renderings (grown and merged so that one edit gives one box),
with the articles it touches (from the ``PageModel``'s rects) or the text of the changed region before
and after (pdfplumber's text lines), from its first difference. Pages only in one PDF are reported as
added or removed.
"""

from __future__ import annotations

import re
import tempfile
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from banmian.compose.page import PageModel
from banmian.export.record import read_record
from banmian.live.preview import DEFAULT_DPI, PageImage, render_pdf

CELL = 6  # px: changed pixels are gathered in cells of this size
GROW = 3  # cells: regions closer than this merge
THRESHOLD = 48  # grey-level difference that counts as a change (anti-aliasing noise stays below)

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in px


@dataclass(frozen=True)
class Region:
    box: Box
    articles: tuple[str, ...]  # ids of the articles the region is (a record) or touches (a PageModel)
    old_text: str  # the text before and after, from its first difference (without a PageModel)
    new_text: str
    names: tuple[str, ...] = ()  # what changed as the editor calls it: "id (title)", "the banner"…
    what: str = ""  # how: "text", "photo", "moved", "added", "removed" (from a record)


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

    @property
    def names(self) -> tuple[str, ...]:
        seen: list[str] = []
        for region in self.regions:
            seen.extend(n for n in region.names if n not in seen)
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


CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])\n(?=[^\x00-\x7f])")  # a line break inside Chinese text
CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
TextLine = tuple[float, float, float, float, str]  # x0, top, x1, bottom (pt from the top left), text


def text_lines(pdf: Path, page: int) -> list[TextLine]:
    """The text lines pdfplumber finds on ``page`` (1-based) of ``pdf``."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        if not 1 <= page <= len(document.pages):
            return []
        found = document.pages[page - 1].extract_text_lines(strip=True)
    return [(float(line["x0"]), float(line["top"]), float(line["x1"]), float(line["bottom"]),
             CJK_GAP.sub("", str(line["text"]))) for line in found]


def first_difference(old: str, new: str, before: int = 8) -> tuple[str, str]:
    """``old`` and ``new`` from a few characters before where they first differ (``…`` where cut)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    start = max(0, start - before)
    mark = "…" if start else ""
    return mark + old[start:], mark + new[start:]


def region_text(lines: Sequence[TextLine], box: Box, dpi: int) -> str:
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
    records = (read_record(old), read_record(new))
    results = []
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
            old_page, new_page = (r[n] if r is not None and n < len(r) else None for r in records)
            if old_page is not None and new_page is not None:
                regions = recorded_regions(old_page, new_page, new_images[n], boxes)
            elif pages is not None and n < len(pages):
                regions = [Region(box, articles_in(box, pages[n], new_images[n]), "", "") for box in boxes]
            else:
                regions = text_regions(old, new, n + 1, boxes, dpi)
            if not regions:
                target.unlink(missing_ok=True)
                results.append(PageDiff(n + 1, (), None, "same"))
                continue
            highlight(new_images[n].png, [r.box for r in regions], target)
            results.append(PageDiff(n + 1, tuple(regions), target))
    return DiffReport(old, new, tuple(results))


def text_regions(old: Path, new: Path, page: int, boxes: Sequence[Box], dpi: int) -> list[Region]:
    """Each changed box with the text in it before and after, from the first difference."""
    if not boxes:
        return []
    before, after = text_lines(old, page), text_lines(new, page)
    return [Region(box, (), *first_difference(region_text(before, box, dpi), region_text(after, box, dpi)))
            for box in boxes]


FURNITURE = (("header", "the header strip"), ("banner", "the banner"), ("folio", "the folio"))


def recorded_regions(old: dict[str, Any], new: dict[str, Any], image: PageImage,
                     boxes: Sequence[Box]) -> list[Region]:
    """One region per article piece (and per header strip, banner, folio) whose record differs, over
    its box before and after; and each changed pixel box that lies outside every article."""
    before = {(a["id"], a["part"]): a for a in old.get("articles", [])}
    after = {(a["id"], a["part"]): a for a in new.get("articles", [])}
    regions = []
    for key in [*after, *(k for k in before if k not in after)]:
        was, now = before.get(key), after.get(key)
        what = _what_changed(was, now)
        if what is None:
            continue
        piece = now or was
        assert piece is not None
        rects = [a["box"] for a in (was, now) if a is not None]
        old_text, new_text = first_difference(was["text"] if was else "", now["text"] if now else "")
        label = f"{piece['id']} ({piece['title']})" if piece["title"] else piece["id"]
        regions.append(Region(_px(rects, image), (piece["id"],), _line(old_text), _line(new_text),
                              (label,), what))
    for part, label in FURNITURE:
        if old.get(part, "") != new.get(part, ""):
            old_text, new_text = first_difference(old.get(part, ""), new.get(part, ""))
            inside = [b for b in boxes if not _in_any(b, after.values(), image)]
            box = _union(inside) if inside else (0, 0, image.size[0], image.size[1] // 10)
            regions.append(Region(box, (), _line(old_text), _line(new_text), (label,), "text"))
    covered = [r.box for r in regions]
    pieces = [*before.values(), *after.values()]
    for box in boxes:
        if not _in_any(box, pieces, image) and not any(_overlaps(box, c) for c in covered):
            regions.append(Region(box, (), "", "", (), "outside"))
    return regions


def _what_changed(was: dict[str, Any] | None, now: dict[str, Any] | None) -> str | None:
    if was is None or now is None:
        return "added" if was is None else "removed"
    if was["text"] != now["text"]:
        return "text"
    if was["photos"] != now["photos"]:
        return "photo"
    if was["box"] != now["box"]:
        return "moved"
    return None


def _px(rects: Sequence[Sequence[float]], image: PageImage) -> Box:
    boxes = []
    for x, y, w, h in rects:
        (x0, y0), (x1, y1) = image.to_px(x, y), image.to_px(x + w, y + h)
        boxes.append((int(x0), int(y0), int(x1 + 0.999), int(y1 + 0.999)))
    return _union(boxes)


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _in_any(box: Box, pieces: Any, image: PageImage) -> bool:
    """Whether ``box`` overlaps the box of any of the recorded article ``pieces``."""
    return any(_overlaps(box, _px([p["box"]], image)) for p in pieces)


def _line(text: str) -> str:
    """Composed text as one line: its lines rejoined (Chinese without a space), its parts (headline,
    body, a caption…) separated by `` / ``."""
    parts = (CJK_BREAK.sub("", part).replace("\n", " ") for part in text.split("\n\n"))
    return " / ".join(part for part in parts if part)


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
        if page.names:
            lines.append(f"  changed: {', '.join(page.names)}")
        elif page.articles:
            lines.append(f"  changed articles: {', '.join(page.articles)}")
        for region in page.regions:
            lines.extend(_region_lines(region))
    return lines


def _region_lines(region: Region) -> list[str]:
    if region.names:
        how = {"text": "", "photo": ": a photo changed", "moved": ": moved or resized",
               "added": ": added", "removed": ": removed"}[region.what]
        head = f"  {region.names[0]}{how}"
        if region.what == "text":
            return [f"{head}: {_clip(region.old_text, 30)!r} → {_clip(region.new_text, 30)!r}"]
        return [head]
    if region.articles:
        return []
    x0, y0, x1, y1 = region.box
    where = f"  at {x0},{y0}–{x1},{y1} px"
    if region.old_text or region.new_text:
        return [f"{where}: {_clip(region.old_text)!r} → {_clip(region.new_text)!r}"]
    return [f"{where}: outside the articles (header, banner, rules or pictures)"]


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
