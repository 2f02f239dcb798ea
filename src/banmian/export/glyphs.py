"""The glyph writer: banmian's composed lines drawn into the PDF as glyph runs, where the composer put them.

Takes: the text layer of a render (``banmian.render.textlayer.SetLine``s, page by page), the sheet's trim
offset, and the pages of the PDF WeasyPrint wrote for the frame.
Gives: ``FontPlan`` — the glyphs a document draws, per face, and one subset for each face
(``banmian.export.fontembed``); ``plan_fonts`` makes it from every page the document shows (a spread's
plates and proof share one plan); ``text_step`` — a step of the post-pass
(``banmian.export.postpass.finish_pdf``) that adds the fonts to each page and draws its lines over the
frame: one text object a page, each line placed by ``Tm`` at its first glyph's origin on the baseline,
its glyphs shown by ``TJ`` with the adjustment that puts each one at the composer's x (letter-spacing,
compression, ¼ em Han–Latin spacing and justification all come out exact to 0.001 pt; nothing is laid
out again). Glyph ids come from shaping each cluster with HarfBuzz on the same face the composer measured
(``Shaper.glyphs``), mapped to the subset's ids. Colours are the layout's CMYK (``k``: black type is
``0 0 0 1 k``); the slug line prints in registration. Where a glyph already stands for other characters
in the ``ToUnicode`` map (one glyph shared by two code points), its characters go in ``ActualText``.
Numbers are written with three decimals at most, so the bytes are the same on every build.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pikepdf

from banmian.compose.shaping import get_shaper
from banmian.export.fontembed import Subset, font_object, make_subset
from banmian.export.postpass import Step
from banmian.render.textlayer import Face, SetLine

TEXT_SPACE = "BMTextRegistration"  # the registration colour space of the slug line, in page resources
FONT_PREFIX = "BMF"  # page font resources: BMF0, BMF1, … in the plan's order of faces

PageText = Sequence[SetLine]


@dataclass(frozen=True)
class Cluster:
    """Characters drawn as one unit (a ligature such as ``——`` is one cluster) at ``x`` (trim space)."""

    text: str
    x: float
    face: Face


def clusters(line: SetLine) -> Iterator[Cluster]:
    """The clusters of a line: a glyph with zero advance (the second dash of ``——``, which HarfBuzz shapes
    as one glyph with the first) belongs with the glyph before it."""
    pl = line.placed
    text, x, face = "", 0.0, line.regular
    for g in pl.line.glyphs:
        g_face = line.face(g)
        if text and g.advance == 0 and g_face == face:
            text += g.text
            continue
        if text:
            yield Cluster(text, x, face)
        text, x, face = g.text, pl.x + g.x, g_face
    if text:
        yield Cluster(text, x, face)


@dataclass(frozen=True)
class FontPlan:
    """The faces a document draws with, in a fixed order, and each one's subset."""

    faces: tuple[Face, ...]
    subsets: dict[Face, Subset]


def plan_fonts(pages: Sequence[PageText]) -> FontPlan:
    """One subset per face for every glyph ``pages`` draw; each glyph's characters are the first ones
    it is drawn for (the ``ToUnicode`` entry)."""
    used: dict[Face, dict[int, str]] = {}
    for line in (line for page in pages for line in page):
        for cluster in clusters(line):
            shaped = get_shaper(cluster.face.ref).glyphs(cluster.text)
            glyphs = used.setdefault(cluster.face, {})
            if shaped:
                glyphs.setdefault(shaped[0].gid, cluster.text)
    faces = tuple(sorted(used, key=lambda f: f.role))
    return FontPlan(faces, {f: make_subset(f.ref, f.role, used[f]) for f in faces})


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _Writer:
    """The content of one text object: lines of glyphs, fonts and colours switched only when they change."""

    def __init__(self, plan: FontPlan, height: float, offset: float) -> None:
        self.plan = plan
        self.names = {face: f"{FONT_PREFIX}{i}" for i, face in enumerate(plan.faces)}
        self.height = height
        self.offset = offset
        self.out: list[str] = ["BT"]
        self.font: tuple[Face, float] | None = None
        self.color: tuple[float, float, float, float] | str | None = ""
        self.tj: list[str] = []
        self.pen = 0.0
        self.size = 0.0

    def flush(self) -> None:
        if self.tj:
            self.out.append("[" + "".join(self.tj) + "]TJ")
            self.tj = []

    def set_color(self, color: tuple[float, float, float, float] | None) -> None:
        if color == self.color:
            return
        self.flush()
        self.color = color
        if color is None:
            self.out.append(f"/{TEXT_SPACE} cs 1 scn")
        else:
            self.out.append(" ".join(_num(v) for v in color) + " k")

    def set_font(self, face: Face, size: float) -> None:
        if self.font == (face, size):
            return
        self.flush()
        self.font = (face, size)
        self.size = size
        self.out.append(f"/{self.names[face]} {_num(size)} Tf")

    def line(self, line: SetLine) -> None:
        self.set_color(line.color)
        y = self.height - self.offset - line.baseline
        started = False
        for cluster in clusters(line):
            subset = self.plan.subsets[cluster.face]
            shaped = get_shaper(cluster.face.ref).glyphs(cluster.text)
            scale = line.size / get_shaper(cluster.face.ref).upem
            self.set_font(cluster.face, line.size)
            x = self.offset + cluster.x
            actual = bool(shaped) and subset.unicode.get(subset.old_to_new[shaped[0].gid]) != cluster.text
            if actual or len(shaped) > 1:
                self.flush()
                self.out.append(f"/Span<</ActualText{_utf16(cluster.text)}>>BDC")
            for glyph in shaped:
                target = x + glyph.x_offset * scale
                if not started or glyph.y_offset:
                    self.flush()
                    self.out.append(f"1 0 0 1 {_num(target)} {_num(y + glyph.y_offset * scale)} Tm")
                    self.pen = round(target, 3)
                    started = not glyph.y_offset
                self.show(subset, subset.old_to_new[glyph.gid], target)
                x += glyph.advance * scale
            if actual or len(shaped) > 1:
                self.flush()
                self.out.append("EMC")
        self.flush()

    def show(self, subset: Subset, cid: int, target: float) -> None:
        """Glyph ``cid`` with its origin at ``target``: an adjustment moves the pen there first."""
        adjust = round((self.pen - target) * 1000 / self.size, 3)
        if adjust:
            self.tj.append(_num(adjust))
            self.pen -= adjust * self.size / 1000
        self.tj.append(f"<{cid:04X}>")
        self.pen += subset.widths[cid] * self.size / 1000

    def content(self) -> bytes:
        self.flush()
        return ("\n".join([*self.out, "ET"]) + "\n").encode("ascii")


def page_content(lines: PageText, plan: FontPlan, height: float, offset: float) -> bytes:
    """The text object drawing ``lines`` on a sheet ``height`` pt high whose trim starts ``offset`` in."""
    writer = _Writer(plan, height, offset)
    for line in lines:
        writer.line(line)
    return writer.content()


def text_step(pages: Sequence[PageText], plan: FontPlan, offset: float) -> Step:
    """The post-pass step drawing ``pages`` (one text layer per PDF page, in order) with ``plan``'s fonts."""

    def draw_text(pdf: pikepdf.Pdf, registration: pikepdf.Object) -> None:
        fonts = {face: font_object(pdf, plan.subsets[face]) for face in plan.faces}
        names = {face: f"{FONT_PREFIX}{i}" for i, face in enumerate(plan.faces)}
        for lines, page in zip(pages, pdf.pages, strict=False):
            if not lines:
                continue
            box = [float(v) for v in page.mediabox]
            for face in {line.face(g) for line in lines for g in line.placed.line.glyphs}:
                page.add_resource(fonts[face], pikepdf.Name.Font, pikepdf.Name("/" + names[face]))
            if any(line.color is None for line in lines):
                page.add_resource(registration, pikepdf.Name.ColorSpace, pikepdf.Name("/" + TEXT_SPACE))
            content = page_content(lines, plan, box[3] - box[1], offset)
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"\nQ\nq\n" + content + b"Q\n")

    return draw_text
