"""The glyph writer: banmian's composed lines drawn into the PDF as glyph runs, where the composer put them.

Takes: the text layer of a render (``banmian.render.textlayer.SetLine``s, page by page), the sheet's trim
offset, and the pages of the PDF WeasyPrint wrote for the frame.
Gives: ``FontPlan`` — the glyphs a document draws, per face, and one subset for each face
(``banmian.export.fontembed``); ``plan_fonts`` makes it from every page of one PDF file (each plate of a
spread has its own); ``text_step`` — a step of the post-pass (``banmian.export.postpass.finish_pdf``)
that adds the fonts to each page and draws its lines over the frame: one text object a page, each line
placed by ``Tm`` at its first glyph's origin on the baseline, its glyphs shown by ``TJ`` with the
adjustment that puts each one at the composer's x (letter-spacing, compression, ¼ em Han–Latin spacing
and justification all come out exact to 0.001 pt; nothing is laid out again). A vertical headline's
clusters (``banmian.compose.vertical``) each get their own text matrix: upright in the face's vertical
forms, side by side in one em, or turned 90° clockwise (``Mode``). Glyph ids come from shaping each
cluster with HarfBuzz on the same face the composer measured (``Shaper.glyphs``; top to bottom for
vertical forms), mapped to the subset's ids. Colours are the layout's CMYK (``k``: black type is
``0 0 0 1 k``); the slug line prints in registration. Where the ``ToUnicode`` entries of a cluster's
glyphs do not spell its characters (one glyph shared by two code points, a cluster of several glyphs),
its characters go in ``ActualText``. Numbers are written with three decimals at most, so the bytes are
the same on every build; a line's operators are kept by its composed ``Line`` and written again as they
were when nothing about it changed (a rebuild after an edit writes the edited paragraph's lines).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pikepdf

from banmian.compose.shaping import ShapedGlyph, get_shaper
from banmian.compose.vertical import is_turned
from banmian.export.fontembed import Subset, font_object, make_subset
from banmian.export.postpass import Step
from banmian.render.textlayer import Face, SetLine

SIDE_BY_SIDE_EM = 0.9  # two Latin characters upright in one cell take at most this much of its em
TEXT_SPACE = "BMTextRegistration"  # the registration colour space of the slug line, in page resources
FONT_PREFIX = "BMF"  # page font resources: BMF0, BMF1, … in the plan's order of faces

PageText = Sequence[SetLine]


class Mode(enum.Enum):
    """How a cluster is drawn: along a horizontal line; in a vertical column upright with the face's
    vertical forms, side by side in one em (纵中横), or turned 90° clockwise."""

    LINE = "line"
    UPRIGHT = "upright"
    SIDE_BY_SIDE = "side-by-side"
    TURNED = "turned"


@dataclass(frozen=True)
class Cluster:
    """Characters drawn as one unit (a ligature such as ``——`` is one cluster) at ``at`` pt along the
    line from its start (trim space: x of a line, y down a vertical column)."""

    text: str
    at: float
    face: Face
    mode: Mode

    def glyphs(self) -> tuple[ShapedGlyph, ...]:
        return get_shaper(self.face.ref).glyphs(self.text, vertical=self.mode is Mode.UPRIGHT)


def _mode(text: str, vertical: bool) -> Mode:
    if not vertical:
        return Mode.LINE
    if is_turned(text):
        return Mode.TURNED
    return Mode.SIDE_BY_SIDE if text.isascii() and text.strip() else Mode.UPRIGHT


def clusters(line: SetLine) -> Iterator[Cluster]:
    """The clusters of a line: a glyph with zero advance (the second dash of ``——``, which HarfBuzz shapes
    as one glyph with the first; the rest of a Latin word in a vertical column) belongs with the glyph
    before it."""
    pl = line.placed
    text, at, face = "", 0.0, line.regular
    for g in pl.line.glyphs:
        g_face = line.face(g)
        if text and g.advance == 0 and g_face == face:
            text += g.text
            continue
        if text:
            yield Cluster(text, at, face, _mode(text, pl.vertical))
        text, at, face = g.text, g.x, g_face
    if text:
        yield Cluster(text, at, face, _mode(text, pl.vertical))


def glyph_texts(cluster: Cluster) -> list[tuple[int, str]]:
    """Each glyph of a cluster with the characters it stands for: one each when glyphs and characters
    pair up, else the first glyph all of them and the others none."""
    shaped = cluster.glyphs()
    if len(shaped) == len(cluster.text):
        return [(g.gid, ch) for g, ch in zip(shaped, cluster.text, strict=True)]
    return [(g.gid, cluster.text if i == 0 else "") for i, g in enumerate(shaped)]


@dataclass(frozen=True)
class FontPlan:
    """The faces a document draws with, in a fixed order, and each one's subset; what its writers work
    out once is kept with it (whether a cluster needs ``ActualText``, each page's text object)."""

    faces: tuple[Face, ...]
    subsets: dict[Face, Subset]
    actual: dict[tuple[Face, str, Mode], bool] = field(default_factory=dict, compare=False, repr=False)
    contents: dict[tuple[int, float, float], tuple[PageText, bytes]] = field(default_factory=dict,
                                                                             compare=False, repr=False)

    def needs_actual(self, cluster: Cluster) -> bool:
        """Do the ``ToUnicode`` entries of the cluster's glyphs not spell its characters?"""
        key = (cluster.face, cluster.text, cluster.mode)
        found = self.actual.get(key)
        if found is None:
            subset = self.subsets[cluster.face]
            new = subset.old_to_new
            mapped = "".join(subset.unicode.get(new[gid], "") for gid, _ in glyph_texts(cluster))
            found = self.actual[key] = mapped != cluster.text
        return found


def plan_fonts(pages: Sequence[PageText]) -> FontPlan:
    """One subset per face for every glyph ``pages`` draw; each glyph's characters are the first ones
    it is drawn for (the ``ToUnicode`` entry)."""
    used: dict[Face, dict[int, str]] = {}
    for line in (line for page in pages for line in page):
        for cluster in clusters(line):
            glyphs = used.setdefault(cluster.face, {})
            for gid, text in glyph_texts(cluster):
                if not glyphs.get(gid):
                    glyphs[gid] = text
    faces = tuple(sorted(used, key=lambda f: f.role))
    return FontPlan(faces, {f: make_subset(f.ref, f.role, used[f]) for f in faces})


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


_State = tuple[object, ...]
#: Each line's operators as a writer made them before, by the line's composed ``Line`` (the composer
#: keeps an unchanged paragraph's lines: a rebuild after an edit writes only the lines that changed), its
#: place, look, the state it was entered in, the fonts' subsets and the sheet. Kept with the ``Line`` so
#: that its id stays its own; cleared when it holds ``LINE_MEMORY`` lines.
_lines: dict[_State, tuple[object, list[str], _State]] = {}
LINE_MEMORY = 20_000


class _Writer:
    """The content of one text object: lines of glyphs, fonts and colours switched only when they change."""

    def __init__(self, plan: FontPlan, height: float, offset: float) -> None:
        self.plan = plan
        self.signature = tuple((face, plan.subsets[face].name) for face in plan.faces)
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
        """One line's operators (the ones written before for the same line in the same state, if any)."""
        pl = line.placed
        key = (id(pl.line), pl.x, pl.y, pl.style, pl.vertical, line.regular, line.bold, line.size,
               line.baseline, line.color, self.font, self.color, self.signature, self.height, self.offset)
        found = _lines.get(key)
        if found is not None and found[0] is pl.line:
            self.out.extend(found[1])
            self.font, self.color, self.size = found[2]  # type: ignore[assignment]
            return
        start = len(self.out)
        self.draw(line)
        if len(_lines) >= LINE_MEMORY:
            _lines.clear()
        _lines[key] = (pl.line, self.out[start:], (self.font, self.color, self.size))

    def draw(self, line: SetLine) -> None:
        self.set_color(line.color)
        if line.placed.vertical:
            for cluster in clusters(line):
                self.vertical(line, cluster)
            return
        y = self.height - self.offset - line.baseline
        started = False
        for cluster in clusters(line):
            subset = self.plan.subsets[cluster.face]
            scale = line.size / get_shaper(cluster.face.ref).upem
            self.set_font(cluster.face, line.size)
            x = self.offset + line.placed.x + cluster.at
            actual = self.open_actual(subset, cluster)
            for glyph in cluster.glyphs():
                target = x + glyph.x_offset * scale
                if not started or glyph.y_offset:
                    self.flush()
                    self.out.append(f"1 0 0 1 {_num(target)} {_num(y + glyph.y_offset * scale)} Tm")
                    self.pen = round(target, 3)
                    started = not glyph.y_offset
                self.show(subset, subset.old_to_new[glyph.gid], target)
                x += glyph.advance * scale
            self.close_actual(actual)
        self.flush()

    def open_actual(self, subset: Subset, cluster: Cluster) -> bool:
        """``ActualText`` around a cluster whose glyphs' ToUnicode entries do not spell its characters."""
        if not self.plan.needs_actual(cluster):
            return False
        self.flush()
        self.out.append(f"/Span<</ActualText{_utf16(cluster.text)}>>BDC")
        return True

    def close_actual(self, actual: bool) -> None:
        if actual:
            self.flush()
            self.out.append("EMC")

    def vertical(self, line: SetLine, cluster: Cluster) -> None:
        """One cluster of a vertical column: upright in the face's vertical forms, side by side in one em,
        or turned (see ``Mode``), each placed by its own text matrix."""
        subset = self.plan.subsets[cluster.face]
        shaper = get_shaper(cluster.face.ref)
        em = line.size
        scale = em / shaper.upem
        self.set_font(cluster.face, em)
        actual = self.open_actual(subset, cluster)
        cx = self.offset + line.placed.x
        top = self.offset + line.placed.y + cluster.at
        ascender, descender = shaper.extents()
        glyphs = cluster.glyphs()
        if cluster.mode is Mode.UPRIGHT:
            down = 0.0
            for glyph in glyphs:
                x, y = cx + glyph.x_offset * scale, top + down - glyph.y_offset * scale
                self.flush()
                self.out.append(f"1 0 0 1 {_num(x)} {_num(self.height - y)} Tm")
                self.pen = 0.0
                self.show(subset, subset.old_to_new[glyph.gid], 0.0)
                down += glyph.advance * scale
        else:
            width = sum(g.advance for g in glyphs) * scale
            self.flush()
            if cluster.mode is Mode.TURNED:
                x = cx - (ascender + descender) / 2 * em
                self.out.append(f"0 -1 1 0 {_num(x)} {_num(self.height - top)} Tm")
            else:
                squeeze = min(1.0, SIDE_BY_SIDE_EM * em / width) if width else 1.0
                base = top + em / 2 + (ascender + descender) / 2 * em
                x = cx - width * squeeze / 2
                self.out.append(f"{_num(squeeze)} 0 0 1 {_num(x)} {_num(self.height - base)} Tm")
            self.pen, along = 0.0, 0.0
            for glyph in glyphs:
                self.show(subset, subset.old_to_new[glyph.gid], along + glyph.x_offset * scale)
                along += glyph.advance * scale
        self.close_actual(actual)
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
    """The text object drawing ``lines`` on a sheet ``height`` pt high whose trim starts ``offset`` in
    (made once per plan: the print master and its preview layer share it)."""
    key = (id(lines), height, offset)
    found = plan.contents.get(key)
    if found is None or found[0] is not lines:  # (the lines are kept with it: the id stays theirs)
        writer = _Writer(plan, height, offset)
        for line in lines:
            writer.line(line)
        found = plan.contents[key] = (lines, writer.content())
    return found[1]


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
