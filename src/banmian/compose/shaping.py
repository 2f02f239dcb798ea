"""Shaping: HarfBuzz measurements of text in one font face.

Takes: a ``FontRef`` (font file + face index inside a collection), text and a size in pt.
Gives: ``Shaper`` — advances in pt of text shaped as one run (language zh-Hans, script guessed,
default features), per-code-point advances for a run, glyph coverage, the horizontal ink extent of
a single character (used to decide which half of a full-width punctuation mark is blank), and the glyphs
a cluster is drawn with (``glyphs``: ids and positions in font units, horizontal or top to bottom, where
HarfBuzz applies the ``vert``/``vrt2`` forms), which the PDF writer draws.
``get_shaper(ref)`` returns one cached ``Shaper`` per face per process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import uharfbuzz as hb

from banmian.source.fonts import FontRef

__all__ = ["FontRef", "ShapedGlyph", "Shaper", "get_shaper"]


@dataclass(frozen=True, slots=True)
class ShapedGlyph:
    """One glyph of a shaped cluster, in font units: its id in the face, its advance along the line
    (x; down the column for vertical text, positive) and its offset from the pen."""

    gid: int
    advance: int
    x_offset: int
    y_offset: int


class Shaper:
    """HarfBuzz measurements for one face; results are cached per (text, size)."""

    def __init__(self, ref: FontRef) -> None:
        self.ref = ref
        blob = hb.Blob.from_file_path(str(ref.path))
        self._face = hb.Face(blob, ref.index)
        if self._face.glyph_count == 0:
            raise ValueError(f"no font face {ref.index} in {ref.path}")
        self._font = hb.Font(self._face)
        self.upem: int = int(self._face.upem)
        self._font.scale = (self.upem, self.upem)
        self._units: dict[str, tuple[int, ...]] = {}
        self._adv: dict[tuple[str, float], float] = {}
        self._advs: dict[tuple[str, float], tuple[float, ...]] = {}
        self._ink: dict[str, tuple[float, float] | None] = {}
        self._glyphs: dict[tuple[str, bool], tuple[ShapedGlyph, ...]] = {}

    def _shape(self, text: str, *, vertical: bool = False) -> hb.Buffer:
        buf = hb.Buffer()
        buf.add_codepoints([ord(c) for c in text])
        buf.language = "zh-Hans"
        buf.guess_segment_properties()
        if vertical:
            buf.direction = "ttb"
        hb.shape(self._font, buf, {})
        return buf

    def glyphs(self, text: str, *, vertical: bool = False) -> tuple[ShapedGlyph, ...]:
        """The glyphs ``text`` (one cluster, or a run) is drawn with, shaped as the measurements were
        (``vertical``: top to bottom, with the font's vertical forms; advances down the column)."""
        key = (text, vertical)
        got = self._glyphs.get(key)
        if got is None:
            buf = self._shape(text, vertical=vertical)
            if vertical:
                got = tuple(ShapedGlyph(i.codepoint, -p.y_advance, p.x_offset, p.y_offset)
                            for i, p in zip(buf.glyph_infos, buf.glyph_positions, strict=True))
            else:
                got = tuple(ShapedGlyph(i.codepoint, p.x_advance, p.x_offset, p.y_offset)
                            for i, p in zip(buf.glyph_infos, buf.glyph_positions, strict=True))
            self._glyphs[key] = got
        return got

    @property
    def face(self) -> hb.Face:
        """The HarfBuzz face (one per process: the PDF writer subsets this same face)."""
        return self._face

    def extents(self) -> tuple[float, float]:
        """The face's ascender and descender (``hhea``; the descender negative), in em."""
        ext = self._font.get_font_extents("ltr")
        return ext.ascender / self.upem, ext.descender / self.upem

    def h_advance(self, gid: int) -> int:
        """The horizontal advance of glyph ``gid`` in font units (what a PDF's widths array holds)."""
        return int(self._font.get_glyph_h_advance(gid))

    def units(self, text: str) -> tuple[int, ...]:
        """Per-code-point advances in font units of ``text`` shaped as one run.

        A cluster's whole advance goes to its first code point; the others of the cluster get 0.
        """
        got = self._units.get(text)
        if got is not None:
            return got
        out = [0] * len(text)
        buf = self._shape(text)
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            cl = info.cluster
            if 0 <= cl < len(out):
                out[cl] += pos.x_advance
        got = tuple(out)
        self._units[text] = got
        return got

    def advances(self, text: str, size: float) -> tuple[float, ...]:
        """Per-code-point advances in pt (see ``units``)."""
        key = (text, size)
        got = self._advs.get(key)
        if got is None:
            scale = size / self.upem
            got = tuple(u * scale for u in self.units(text))
            self._advs[key] = got
        return got

    def advance(self, text: str, size: float) -> float:
        """Width in pt of ``text`` shaped as one run at ``size`` pt."""
        key = (text, size)
        got = self._adv.get(key)
        if got is None:
            got = sum(self.units(text)) * size / self.upem
            self._adv[key] = got
        return got

    def has_glyphs(self, text: str) -> bool:
        """True when every code point of ``text`` maps to a real (non-zero) glyph in the cmap."""
        font = self._font
        for c in text:
            gid = font.get_nominal_glyph(ord(c))
            if not gid:
                return False
        return True

    def ink_extent(self, char: str) -> tuple[float, float] | None:
        """Left and right edge of the ink of ``char`` (shaped alone), in em from its origin.

        None when the glyph has no ink (a space) or the font has no glyph for it.
        """
        if char in self._ink:
            return self._ink[char]
        result: tuple[float, float] | None = None
        buf = self._shape(char)
        infos = buf.glyph_infos
        if len(infos) == 1 and infos[0].codepoint:
            ext = self._font.get_glyph_extents(infos[0].codepoint)
            if ext is not None and ext.width > 0:
                result = (ext.x_bearing / self.upem, (ext.x_bearing + ext.width) / self.upem)
        self._ink[char] = result
        return result


@functools.lru_cache(maxsize=64)
def get_shaper(ref: FontRef) -> Shaper:
    """The process-wide ``Shaper`` for ``ref`` (the face is loaded once)."""
    return Shaper(ref)
