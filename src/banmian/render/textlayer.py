"""The text layer of a render: every composed line the layout's template draws, as banmian sets it.

Takes: the composed pages, the layout (its type styles and colours), the font set, and the template's
calls of ``line``/``lines`` (and ``slug`` for the slug line) while it renders.
Gives: ``SetLine`` — a composed line with what the PDF writer needs to draw it itself (the faces of its
style, the size, the baseline, the colour: a layout CMYK colour, or registration for the slug line) —
and ``TextRecorder``, which collects them page by page in the order the template draws them (the
reading order of the text layer), with the slug line and a proof's overset labels set at their natural
advances. The HTML gets no text at all: WeasyPrint draws the frame, banmian's post-pass the glyphs
(``banmian.export.glyphs``).

The baseline is where CSS puts it in a line box as high as the style's leading: half the leading below
the line's top, moved down by half the difference of the face's ``hhea`` ascender and descender — the
place WeasyPrint drew the same lines, so moving the text out of the HTML moves no line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from banmian.compose.boxes import PageModel, PlacedLine
from banmian.compose.linebreak import Glyph, Line
from banmian.compose.shaping import get_shaper
from banmian.source.fonts import FontRef, FontSet
from banmian.source.layout import Layout

SLUG_SIZE = 6.0  # pt, the slug line (its line box is 8 pt)
SLUG_LEADING = 8.0
Cmyk = tuple[float, float, float, float]  # 0–1 each


@dataclass(frozen=True)
class Face:
    """A font face and the role it plays (the embedded font's name)."""

    role: str
    ref: FontRef


@dataclass(frozen=True)
class SetLine:
    """A composed line as the PDF writer draws it (trim space, pt)."""

    placed: PlacedLine
    regular: Face
    bold: Face | None
    size: float
    baseline: float  # y of the baseline, from the trim box's top
    color: Cmyk | None  # None: registration (prints on every plate)

    def face(self, glyph: Glyph) -> Face:
        return self.bold if glyph.bold and self.bold is not None else self.regular


def baseline(ref: FontRef, top: float, leading: float, size: float) -> float:
    """The baseline of a CSS line box ``leading`` high whose top is ``top`` (see the module docstring)."""
    ascender, descender = get_shaper(ref).extents()
    return top + leading / 2 + (ascender + descender) / 2 * size


@dataclass(frozen=True)
class Label:
    """How a proof's label is set: its role, size, line box, colour and alignment in its box."""

    role: str
    size: float
    leading: float
    color: Cmyk
    align: str  # "center" or "right"


def natural_line(x: float, y: float, text: str, face: Face, size: float, leading: float,
                 color: Cmyk | None) -> SetLine:
    """``text`` at the face's natural advances from (x, y), the top of a line box ``leading`` high."""
    advances = get_shaper(face.ref).advances(text, size)
    glyphs, pen = [], 0.0
    for ch, adv in zip(text, advances, strict=True):
        glyphs.append(Glyph(ch, pen, adv, adv, False))
        pen += adv
    line = Line(tuple(glyphs), pen, pen, True, 0.0)
    return SetLine(PlacedLine(x, y, line, "label"), face, None, size, baseline(face.ref, y, leading, size),
                   color)


def placed_lines(page: PageModel) -> list[PlacedLine]:
    """Every composed line of a page, in reading order."""
    placed: list[PlacedLine] = [*page.header, *page.banner, *page.folio]
    for art in page.articles:
        placed += [*art.headline]
        for fig in art.figures:
            placed += fig.caption
        placed += art.body
        if art.sidebar:
            placed += [*art.sidebar.title, *art.sidebar.lines]
    return placed


def _page_index(pages: Sequence[PageModel]) -> dict[int, int]:
    return {id(pl): n for n, page in enumerate(pages) for pl in placed_lines(page)}


@dataclass
class TextRecorder:
    """Collects the lines a template draws, per page (``pages``: the pages it renders)."""

    layout: Layout
    fonts: FontSet
    pages: Sequence[PageModel]
    recorded: list[list[SetLine]] = field(default_factory=list)
    _where: dict[int, int] = field(default_factory=dict)
    _page: int = 0
    _slugs: int = 0

    def __post_init__(self) -> None:
        self.recorded = [[] for _ in self.pages]
        self._where = _page_index(self.pages)

    def lines(self, placed: Sequence[PlacedLine]) -> Markup:
        for pl in placed:
            self._page = self._where.get(id(pl), self._page)
            if pl.line.glyphs:
                self.recorded[self._page].append(self.set_line(pl))
        return Markup("")

    def line(self, pl: PlacedLine) -> Markup:
        return self.lines([pl])

    def set_line(self, pl: PlacedLine) -> SetLine:
        style = self.layout.spec.styles[pl.style]
        regular = Face(style.font, self.fonts[style.font].ref)
        bold = Face(style.bold, self.fonts[style.bold].ref) if style.bold else None
        colour = self.layout.spec.colors.get(style.color, (0.0, 0.0, 0.0, 100.0))
        cmyk = (colour[0] / 100, colour[1] / 100, colour[2] / 100, colour[3] / 100)
        return SetLine(pl, regular, bold, style.size, baseline(regular.ref, pl.y, style.leading, style.size),
                       cmyk)

    def slug(self, x: float, y: float, text: str, role: str) -> Markup:
        """The slug line at (x, y), set in ``role`` at its natural advances, in registration; drawn on
        the page whose marks the template is drawing (one slug line a page)."""
        page = min(self._slugs, len(self.recorded) - 1)
        self._slugs += 1
        self.recorded[page].append(natural_line(x, y, text, Face(role, self.fonts[role].ref), SLUG_SIZE,
                                                SLUG_LEADING, None))
        return Markup("")

    def label(self, x: float, y: float, width: float, text: str, spec: Label) -> Markup:
        """A label of a proof (the overset count, its marker's ``+``) in a box ``width`` wide at (x, y),
        centred or right-aligned in it, in the overset colour, on the page of the lines drawn last."""
        face = Face(spec.role, self.fonts[spec.role].ref)
        line = natural_line(x, y, text, face, spec.size, spec.leading, spec.color)
        room = width - line.placed.line.width
        shifted = dataclasses.replace(line.placed, x=x + (room / 2 if spec.align == "center" else room))
        self.recorded[self._page].append(dataclasses.replace(line, placed=shifted))
        return Markup("")

    def result(self) -> tuple[tuple[SetLine, ...], ...]:
        return tuple(tuple(page) for page in self.recorded)
