"""Import from Word: a ``.docx`` → ``Block`` values for ``importer.assemble``, images extracted.

Takes: the path of a ``.docx`` (untrusted) and the folder to extract pictures into.
Gives: a ``Draft`` — paragraphs in document order (bold runs kept as ``**bold**``, manual line breaks
rejoined, page-break splits healed), Title / Heading 1–2 as titles, Heading 3+ as bold lead-ins,
``Caption`` paragraphs as captions, and each inline picture written to ``images/<stem>-<n>.<ext>``
(JPEG and PNG kept as they are; other formats converted to PNG with Pillow, or skipped with a note).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from banmian.ingest.importer import Block, Draft, assemble, heal, is_prose

MAX_IMAGE_BYTES = 50 * 1024 * 1024


def _style(paragraph: Any) -> str:
    try:
        return str(paragraph.style.name) if paragraph.style is not None else ""
    except (KeyError, AttributeError):
        return ""


def _heading_level(style: str) -> int | None:
    if style == "Title":
        return 0
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else None


def _marked_text(paragraph: Any) -> str:
    """The paragraph's text with bold runs wrapped in ``**``."""
    parts: list[tuple[str, bool]] = []
    for run in paragraph.runs:
        text = run.text
        if not text:
            continue
        bold = bool(run.bold)
        if parts and parts[-1][1] == bold:
            parts[-1] = (parts[-1][0] + text, bold)
        else:
            parts.append((text, bold))
    if not parts:
        return str(paragraph.text)
    return "".join(f"**{t}**" if bold and t.strip() and len(parts) > 1 else t for t, bold in parts)


def _pictures(paragraph: Any, document: Any) -> list[tuple[bytes, str]]:
    out = []
    for blip in paragraph._p.xpath(".//a:blip"):
        rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        part = document.part.related_parts.get(rid) if rid else None
        if part is None:
            continue
        out.append((part.blob, str(part.content_type)))
    return out


def _save_picture(blob: bytes, content_type: str, folder: Path, name: str, notes: list[str]) -> str | None:
    if len(blob) > MAX_IMAGE_BYTES:
        notes.append(f"picture {name} skipped: larger than 50 MB")
        return None
    folder.mkdir(parents=True, exist_ok=True)
    if content_type in ("image/jpeg", "image/png"):
        ext = ".jpg" if content_type == "image/jpeg" else ".png"
        (folder / f"{name}{ext}").write_bytes(blob)
        return f"{folder.name}/{name}{ext}"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(blob)) as im:
            im.convert("RGB").save(folder / f"{name}.png", "PNG")
    except (UnidentifiedImageError, OSError, ValueError):
        notes.append(f"picture {name} ({content_type}) could not be converted; export it as JPEG by hand")
        return None
    return f"{folder.name}/{name}.png"


def read_docx(path: Path, image_folder: Path) -> Draft:
    import docx

    document = docx.Document(str(path))
    blocks: list[Block] = []
    notes: list[str] = []
    count = 0
    for paragraph in document.paragraphs:
        style = _style(paragraph)
        for blob, kind in _pictures(paragraph, document):
            count += 1
            src = _save_picture(blob, kind, image_folder, f"{path.stem}-{count}", notes)
            if src is not None:
                blocks.append(Block("image", ("",), image=src))
        text = _marked_text(paragraph).strip()
        if not text:
            continue
        lines = tuple(line for line in text.split("\n") if line.strip())
        level = _heading_level(style)
        if level is not None:
            blocks.append(Block("heading", (" ".join(lines).replace("**", ""),), level=max(level, 1)))
        elif style == "Caption":
            blocks.append(Block("caption", lines))
        else:
            blocks.append(Block("para" if is_prose(lines) else "label", lines))
    return replace_notes(assemble(path, heal(blocks)), notes)


def replace_notes(draft: Draft, notes: list[str]) -> Draft:
    return Draft(draft.source, draft.articles, (*draft.notes, *notes))
