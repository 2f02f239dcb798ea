"""The composition record: what each article of a page printed, kept in the PDF banmian writes.

Takes: the composed pages a PDF shows (``PageModel``; a spread's plate: the plate's pages).
Gives: ``record_step`` — a post-pass step (``banmian.export.postpass``) that stores, as JSON in the
document's ``/PieceInfo`` (the PDF's own place for an application's private data, ISO 32000 14.5), for
every page: each article piece's id, title, composed text, photos and box (pt from the trim's top-left),
and the text of the header strip, banner and folio — and ``read_record``, which gives them back from a
PDF (``None`` for a PDF banmian did not write), and ``article_boxes``, the articles' boxes of a one-page
record (what a reprint's automatic placement keeps). ``banmian diff`` and ``build --compare`` compare records
to name exactly the articles a reprint changed. Deterministic: the JSON is sorted, its date the
document's own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf

from banmian.compose.boxes import ArticleBox, PageModel, PlacedLine
from banmian.export.postpass import Step

KEY = "/banmian"  # the application's name in /PieceInfo
VERSION = 1


def lines_text(lines: Sequence[PlacedLine]) -> str:
    return "\n".join(p.line.text for p in lines)


def article_record(box: ArticleBox, title: str) -> dict[str, Any]:
    """One article piece (a continuation is a piece of its own): its id and part, its article's title,
    the text it prints (headline, body, captions, sidebar), its photos and its box."""
    parts = [lines_text(box.headline), lines_text(box.body), *(lines_text(f.caption) for f in box.figures)]
    if box.sidebar is not None:
        parts += [lines_text(box.sidebar.title), lines_text(box.sidebar.lines)]
    r = box.rect
    return {"id": box.id, "part": box.part, "title": title, "text": "\n\n".join(parts),
            "photos": [f.src for f in box.figures], "box": [round(v, 2) for v in (r.x, r.y, r.w, r.h)]}


def page_record(page: PageModel) -> dict[str, Any]:
    titles = {box.id: "".join(p.line.text for p in box.headline if p.style.startswith("title"))
              for box in page.articles if box.part == 0}
    return {"articles": [article_record(box, titles.get(box.id, "")) for box in page.articles],
            "header": lines_text(page.header), "banner": lines_text(page.banner),
            "folio": lines_text(page.folio)}


def record_step(pages: Sequence[PageModel]) -> Step:
    """The step that stores the record of ``pages`` in the catalog's ``/PieceInfo``."""
    data = json.dumps({"version": VERSION, "pages": [page_record(p) for p in pages]}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":")).encode("utf-8")

    def step(pdf: pikepdf.Pdf, registration: pikepdf.Object) -> None:
        date = pdf.docinfo.get("/ModDate") or pdf.docinfo.get("/CreationDate") or "D:19700101000000Z"
        private = pdf.make_stream(data)
        pdf.Root.PieceInfo = pikepdf.Dictionary({KEY: pikepdf.Dictionary(
            LastModified=pikepdf.String(str(date)), Private=private)})

    return step


def read_record(path: Path) -> list[dict[str, Any]] | None:
    """The pages of the record in ``path``; ``None`` when it has none (not written by banmian, or by an
    older banmian) or it cannot be read."""
    try:
        with pikepdf.open(path) as pdf:
            piece = pdf.Root.get("/PieceInfo")
            entry = piece.get(KEY) if isinstance(piece, pikepdf.Dictionary) else None
            private = entry.get("/Private") if isinstance(entry, pikepdf.Dictionary) else None
            if not isinstance(private, pikepdf.Stream):
                return None
            data = json.loads(private.read_bytes().decode("utf-8"))
    except (pikepdf.PdfError, OSError, ValueError):
        return None
    pages = data.get("pages") if isinstance(data, dict) and data.get("version") == VERSION else None
    if not isinstance(pages, list) or not all(isinstance(p, dict) for p in pages):
        return None
    return pages


def article_boxes(path: Path) -> tuple[tuple[str, tuple[float, float, float, float]], ...]:
    """Each article's box (id, (x, y, w, h) pt) on the one page recorded in ``path`` — what a reprint's
    automatic placement keeps (``BuildOptions.previous``); nothing for a PDF of several pages or none."""
    pages = read_record(path)
    if pages is None or len(pages) != 1:
        return ()
    boxes = []
    for art in pages[0].get("articles", []):
        box = art.get("box") if isinstance(art, dict) else None
        if art.get("part", 0) == 0 and isinstance(art.get("id"), str) and isinstance(box, list) \
                and len(box) == 4 and all(isinstance(v, (int, float)) for v in box):
            boxes.append((art["id"], (float(box[0]), float(box[1]), float(box[2]), float(box[3]))))
    return tuple(boxes)
