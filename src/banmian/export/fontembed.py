"""Embedded fonts for banmian's glyph runs: one compact subset per face for a whole document.

Takes: a font face (``FontRef``), the name of its role, and the glyphs a document draws with it (the
face's own glyph ids, each with the content characters it stands for).
Gives: ``Subset`` — the face cut down to exactly those glyphs by the HarfBuzz subsetter (no retained glyph
ids: ``old_to_new`` maps a face's glyph id to the subset's, which is the CID a content stream shows), no
hinting, no subroutines, no layout tables (the positions come from banmian's own shaping); and
``font_object`` — the PDF font of a subset: a ``Type0`` font with ``Identity-H`` encoding over a
``CIDFontType0`` with the bare CFF program (``FontFile3 /CIDFontType0C``, the CFF's charset made the
identity so that CID = glyph id) or a ``CIDFontType2`` with the TrueType program (``FontFile2``,
``CIDToGIDMap /Identity``); the widths array ``W`` exact from the face's advances; a ``ToUnicode`` CMap
that maps every glyph back to its content characters (a ligature ``——`` to two U+2014, a vertical form
to the horizontal code point it was shaped from); the descriptor's metrics from ``hhea``, ``head`` and
``OS/2``. The subset tag (``ABCDEF+``) is derived from the glyphs, so the same glyphs give the same
bytes on every build.
"""

from __future__ import annotations

import functools
import hashlib
import struct
from collections.abc import Mapping
from dataclasses import dataclass

import pikepdf
import uharfbuzz as hb

from banmian.compose.shaping import get_shaper
from banmian.source.fonts import FontRef

# Tables a PDF font program needs none of (the PDF holds the widths; banmian positions every glyph).
DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx", "DSIG", "cmap",
                  "name", "post", "kern", "hdmx", "LTSH", "VDMX", "gasp", "meta", "STAT", "PCLT", "SVG ")
SERIF_FLAG = 2  # FontDescriptor /Flags bit 2: serif; bit 3 (4): symbolic, the glyphs are not Latin-1
SYMBOLIC_FLAG = 4
FIXED_PITCH_FLAG = 1


@dataclass(frozen=True)
class Subset:
    """A face cut down to the glyphs a document draws (see the module's docstring)."""

    name: str  # BaseFont, e.g. "QWERTY+bm-body"
    cff: bool  # a CFF program (CIDFontType0), else TrueType (CIDFontType2)
    program: bytes
    old_to_new: Mapping[int, int]
    widths: Mapping[int, float]  # new glyph id → advance in 1/1000 em
    unicode: Mapping[int, str]  # new glyph id → the characters it stands for
    ascent: int  # 1/1000 em, as the descriptor holds them
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    serif: bool


def _tag(text: str) -> int:
    return int.from_bytes(text.encode("ascii"), "big")


def _table(face: hb.Face, tag: str) -> bytes:
    return bytes(face.reference_table(tag).data)


def subset_tag(role: str, glyphs: Mapping[int, str]) -> str:
    """Six capital letters from the role and the glyphs (deterministic; PDF's subset naming)."""
    digest = hashlib.sha256(repr((role, sorted(glyphs.items()))).encode()).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def make_subset(ref: FontRef, role: str, glyphs: Mapping[int, str]) -> Subset:
    """``ref`` cut down to ``glyphs`` (face glyph id → the characters it stands for); cached per process,
    so the plates and the proof of a spread, and a rebuild that draws the same glyphs, share one."""
    return _make_subset(ref, role, tuple(sorted(glyphs.items())))


@functools.lru_cache(maxsize=64)
def _make_subset(ref: FontRef, role: str, glyphs: tuple[tuple[int, str], ...]) -> Subset:
    shaper = get_shaper(ref)  # its face: the font file is mapped once
    face = shaper.face
    inp = hb.SubsetInput()
    inp.glyph_set.add(0)
    for gid, _ in glyphs:
        inp.glyph_set.add(gid)
    flags = hb.SubsetFlags
    inp.flags = (flags.CFF_IDENTITY_CHARSET | flags.DESUBROUTINIZE | flags.NO_HINTING
                 | flags.NO_LAYOUT_CLOSURE)
    for tag in DROPPED_TABLES:
        inp.drop_table_tag_set.add(_tag(tag))
    plan = hb.SubsetPlan(face, inp)
    old_to_new = {int(k): int(v) for k, v in plan.old_to_new_glyph_mapping.items()}
    sub = plan.execute()
    if sub is None:
        raise RuntimeError(f"HarfBuzz could not subset {ref.path}")
    cff = "CFF " in face.table_tags
    program = _table(sub, "CFF ") if cff else bytes(sub.blob.data)
    scale = 1000 / face.upem
    widths = {new: round(shaper.h_advance(old) * scale, 3) for old, new in old_to_new.items()}
    unicode = {old_to_new[gid]: text for gid, text in glyphs}
    hhea, head, os2 = _table(face, "hhea"), _table(face, "head"), _table(face, "OS/2")
    ascent, descent = (round(v * scale) for v in struct.unpack(">hh", hhea[4:8]))
    bbox = tuple(round(v * scale) for v in struct.unpack(">hhhh", head[36:44]))
    cap = round(struct.unpack(">h", os2[88:90])[0] * scale) if len(os2) >= 90 else ascent
    family_class = struct.unpack(">h", os2[30:32])[0] >> 8 if len(os2) >= 32 else 0
    name = f"{subset_tag(role, dict(glyphs))}+bm-{role}"
    return Subset(name, cff, program, old_to_new, widths, unicode, ascent, descent, cap or ascent,
                  (bbox[0], bbox[1], bbox[2], bbox[3]), 1 <= family_class <= 7)


def to_unicode_cmap(unicode: Mapping[int, str]) -> bytes:
    """A ToUnicode CMap: each glyph (2-byte CID) → the UTF-16BE of its characters."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    items = sorted((cid, text) for cid, text in unicode.items() if text)
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for cid, text in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def widths_array(widths: Mapping[int, float]) -> pikepdf.Array:
    """``W``: runs of consecutive CIDs, each ``c [w1 w2 …]``."""
    out: list[object] = []
    run: list[float] = []
    previous = -2
    for cid in sorted(widths):
        if cid != previous + 1:
            if run:
                out.append(pikepdf.Array(run))
            out.append(cid)
            run = []
        run.append(_number(widths[cid]))
        previous = cid
    if run:
        out.append(pikepdf.Array(run))
    return pikepdf.Array(out)


def _number(value: float) -> float | int:
    return int(value) if value == int(value) else value


def font_object(pdf: pikepdf.Pdf, subset: Subset) -> pikepdf.Object:
    """The ``Type0`` font of ``subset`` in ``pdf`` (an indirect object; see the module's docstring)."""
    if subset.cff:
        program = pdf.make_stream(subset.program, Subtype=pikepdf.Name.CIDFontType0C)
    else:
        program = pdf.make_stream(subset.program, Length1=len(subset.program))
    flags = SYMBOLIC_FLAG | (SERIF_FLAG if subset.serif else 0)
    if len(set(subset.widths.values())) == 1:
        flags |= FIXED_PITCH_FLAG
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/" + subset.name), Flags=flags,
        FontBBox=list(subset.bbox), ItalicAngle=0, Ascent=subset.ascent, Descent=subset.descent,
        CapHeight=subset.cap_height, StemV=80)
    descriptor["/FontFile3" if subset.cff else "/FontFile2"] = program
    identity = pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                  Supplement=0)
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name("/CIDFontType0" if subset.cff else "/CIDFontType2"),
        BaseFont=pikepdf.Name("/" + subset.name), CIDSystemInfo=identity,
        FontDescriptor=pdf.make_indirect(descriptor), W=widths_array(subset.widths))
    if not subset.cff:
        cid_font.CIDToGIDMap = pikepdf.Name.Identity
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/" + subset.name),
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[pdf.make_indirect(cid_font)],
        ToUnicode=pdf.make_stream(to_unicode_cmap(subset.unicode)))
    return pdf.make_indirect(font)
