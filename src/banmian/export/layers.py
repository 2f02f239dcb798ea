"""Preview layers: a print master as two PDFs a live preview renders apart, so that a rebuild that moves
no box renders only its text.

Takes: what ``banmian.export.pdf.pdf_bytes`` takes (the frame, the sheet, the press, the identity, the
composed pages and their text layers) and the sheet's size in pt.
Gives: ``Layers`` — ``key``, a digest of everything but the composed text (the frame's bytes, the pie
wedges, the sheet, the press: the same for every rebuild whose boxes did not move), ``rest()``, the print
master without its composed text (the frame, the wedges, the marks), and ``text()``, the composed text
alone on clear pages of the sheet's size, drawn by the same glyph writer. Both are made only when asked
(``banmian.live.preview.render_layers``); a build that writes PDFs never makes them. The preview paints
the text layer over the cached picture of the rest: what a render of the print master shows, except
that the text is always on top (nothing in a print master covers composed text but the marks in the
slug and pie wedges, which never overlap a line).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pikepdf

from banmian.compose.boxes import PageModel
from banmian.export.glyphs import FontPlan, PageText, plan_fonts, text_step
from banmian.export.overlay import page_wedges, wedge_step
from banmian.export.postpass import Sheet, finish_pdf, registration_space
from banmian.graphics.press import Press


@dataclass(frozen=True)
class Layers:
    key: bytes  # names ``rest``: the same key, the same picture
    pages: int
    rest: Callable[[], bytes]
    text: Callable[[], bytes]


def layers_of(frame: bytes, sheet: Sheet, press: Press, ident: bytes, pages: Sequence[PageModel],
              text: Sequence[PageText], size: tuple[float, float], plan: FontPlan | None = None) -> Layers:
    """The two layers of the print master ``pdf_bytes`` makes of the same arguments (``plan``: the
    font plan it drew with, whose text objects the text layer reuses)."""
    h = hashlib.sha256(frame)
    h.update(repr((sheet, press.description, press.condition, [page_wedges(p) for p in pages])).encode())

    def rest() -> bytes:
        wedges = wedge_step(pages, sheet.offset)
        return finish_pdf(frame, sheet, press, ident, (wedges,) if wedges else ())

    def text_only() -> bytes:
        with pikepdf.new() as pdf:
            for _ in text:
                pdf.add_blank_page(page_size=size)
            if any(text):
                text_step(text, plan or plan_fonts(text), sheet.offset)(pdf, registration_space(pdf))
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            return out.getvalue()

    return Layers(h.digest(), len(text), rest, text_only)
