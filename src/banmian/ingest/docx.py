"""Import from Word: a ``.docx`` → ``Block`` values for ``importer.assemble``, images extracted.

Takes: the path of a ``.docx`` (untrusted) and the folder to extract pictures into.
Gives: a ``Draft`` — paragraphs in document order (bold runs kept as ``**bold**``, manual line breaks
rejoined, page-break splits healed), Title / Heading 1–2 as titles, Subtitle as the article's
subtitle, Heading 3+ as bold lead-ins, ``Caption`` paragraphs as captions (a closing credit split
off), and each inline picture written to ``images/<stem>-<n>.<ext>`` (JPEG and PNG kept as they are;
other formats converted to PNG with Pillow, or skipped with a note).

The file is looked at before python-docx reads it: a zip (``.doc`` and renamed files are not), at most
``MAX_PARTS`` parts, each unpacking to at most ``MAX_PART_BYTES`` and all to ``MAX_TOTAL_BYTES``, none
packed more than ``MAX_RATIO`` to 1 (zip bombs; the sizes a zip declares bound what Python's zipfile
unpacks). XML entity expansion ("billion laughs") is refused by lxml's own amplification limit, and a
picture of more than ``MAX_PIXELS`` is skipped before Pillow decodes it. Each refusal is one error
naming the file, or a note naming the picture.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

from banmian.core.diagnostics import BuildError, Location, error
from banmian.ingest.importer import Block, Draft, assemble, heal, is_prose

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_PARTS = 2_000
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed size of a part over 1 MB; Word's XML packs about 10 to 1
MAX_PIXELS = 60_000_000  # as a build accepts (graphics.photos.MAX_PIXELS)
HINT = "save the story from Word as .docx (Word 2007 or later), or as .txt"


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
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(blob)) as im:  # reads the header only
                if im.width * im.height > MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{im.width} × {im.height}")
                folder.mkdir(parents=True, exist_ok=True)
                if content_type in ("image/jpeg", "image/png"):
                    ext = ".jpg" if content_type == "image/jpeg" else ".png"
                    (folder / f"{name}{ext}").write_bytes(blob)
                    return f"{folder.name}/{name}{ext}"
                im.convert("RGB").save(folder / f"{name}.png", "PNG")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        notes.append(f"picture {name} skipped: more than {MAX_PIXELS:,} pixels (a decompression bomb?)")
        return None
    except (UnidentifiedImageError, OSError, ValueError, zlib.error):
        notes.append(f"picture {name} ({content_type}) could not be converted; export it as JPEG by hand")
        return None
    return f"{folder.name}/{name}.png"


def check_package(path: Path) -> None:
    """A ``BuildError`` at ``path`` unless it is a zip that unpacks within the bounds."""
    def refuse(problem: str) -> BuildError:
        return BuildError([error(problem, Location(path), code="import", hint=HINT)])

    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise refuse(f"not a Word document (.docx is a zip archive: {exc})") from None
    if len(parts) > MAX_PARTS:
        raise refuse(f"{len(parts)} parts in the archive, more than {MAX_PARTS}")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > MAX_PART_BYTES or (part.file_size > 1 << 20 and ratio > MAX_RATIO):
            raise refuse(f"part {part.filename[:80]} unpacks to {part.file_size:,} bytes from "
                         f"{part.compress_size:,} (a zip bomb?)")
    if sum(part.file_size for part in parts) > MAX_TOTAL_BYTES:
        raise refuse(f"the archive unpacks to more than {MAX_TOTAL_BYTES:,} bytes")


def _open_document(path: Path) -> Any:
    """python-docx's document, or a ``BuildError`` saying why the file is not one."""
    import docx
    from docx.opc.exceptions import OpcError

    check_package(path)
    try:
        return docx.Document(str(path))
    except (OpcError, KeyError, ValueError, SyntaxError, zipfile.BadZipFile, OSError, EOFError,
            zlib.error) as exc:  # lxml's XMLSyntaxError is a SyntaxError (entity expansion included)
        reason = str(exc).split("\n", 1)[0][:200]
        raise BuildError([error(f"cannot be read as a Word document ({reason})",
                                Location(path), code="import", hint=HINT)]) from None


def read_docx(path: Path, image_folder: Path) -> Draft:
    document = _open_document(path)
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
        elif style == "Subtitle":
            blocks.append(Block("subtitle", (" ".join(lines).replace("**", ""),)))
        else:
            blocks.append(Block("para" if is_prose(lines) else "label", lines))
    return replace_notes(assemble(path, heal(blocks)), notes)


def replace_notes(draft: Draft, notes: list[str]) -> Draft:
    return Draft(draft.source, draft.articles, (*draft.notes, *notes))
