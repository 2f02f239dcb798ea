"""Font subsets: the exact font faces of the manifest, cut down to the characters a page uses.

Takes: a ``FontRole`` (file + face index) and the set of characters set in that role.
Gives: OpenType bytes of a HarfBuzz subset (same outlines, metrics and layout tables for the kept
glyphs), which the renderer hands to WeasyPrint through ``@font-face`` for the only text WeasyPrint
still sets: a proof's overset labels (composed text is banmian's own, ``banmian.export.fontembed``).
Subsetting before WeasyPrint picks the right face out of a ``.ttc`` collection (WeasyPrint would take
the first, Japanese, face) and keeps WeasyPrint from loading 20 MB collections.
"""

from __future__ import annotations

import functools

import uharfbuzz as hb

from banmian.source.fonts import FontRef


@functools.lru_cache(maxsize=16)
def _face(ref: FontRef) -> hb.Face:
    return hb.Face(hb.Blob.from_file_path(str(ref.path)), ref.index)


@functools.lru_cache(maxsize=64)
def subset_font(ref: FontRef, chars: frozenset[str]) -> bytes:
    """A subset of ``ref`` holding ``chars`` (plus what shaping them needs)."""
    inp = hb.SubsetInput()
    for ch in sorted(chars):
        inp.unicode_set.add(ord(ch))
    inp.unicode_set.add(0x20)
    result = hb.subset(_face(ref), inp)
    if result is None:
        raise RuntimeError(f"HarfBuzz could not subset {ref.path}")
    return bytes(result.blob.data)
