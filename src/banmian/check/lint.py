"""A typographic lint of any PDF (ours, WeasyPrint's, Chromium's): how well its Chinese text is set.

Takes: a PDF path.
Gives: a ``CheckReport`` — kinsoku violations, the share of non-final body lines flush to their
column's right edge (and each line that is not), the widest added gap between two Han characters,
孤字, overfull lines, and every font with whether it is embedded; a human table
(``format_table``), a JSON form with the same numbers (``to_dict``) and ``Diagnostic``s for the
failures (``diagnostics``). Nothing here knows how the PDF was made: everything is reconstructed from
the positioned characters pdfplumber reads, and from the font dictionaries pikepdf reads.

Reconstruction (coordinates in pt, origin at the page's top-left, as pdfplumber gives them):

- Rows: upright characters of one size (to 0.1 pt) on one baseline (the text matrix, to 0.3 pt),
  sorted by x0.
- Lines: a row is cut into lines at column gutters. A gap is measured twice: between glyph boxes
  (``G``) and between ink boxes (``I``: the blank half of a full-width mark removed — ，。、；：and closing
  marks have their ink on the left, opening marks on the right). ``G`` > 0.75 em cuts; so does
  ``I`` > 0.75 em when the next character starts (by glyph or ink) within 0.5 pt of a column start
  already seen on the page (≥ 2 times) — that second case is a gutter narrowed by a half-width mark
  hanging over the column edge or an opening mark trimmed at line start. Gutters narrower than
  0.75 em of the text size are not told apart.
- Blocks: a line joins the block whose last line lies one pitch above it (the first pitch between 0.5
  and 2.5 em, later ones within 0.5 pt of the first) and overlaps it horizontally by at least half the
  shorter line. The block's left edge is the most common ink start of its lines.
- Paragraph-final lines: the last line of a block, or a line followed by one whose ink starts
  ≥ 1.5 em right of the block's left edge (an indent). Indented lines start paragraphs.
- Column right edge: blocks of one size with the same left edge (±0.5 pt) and a similar extent
  (±1.5 em) form a column group. A line's right edge is the x1 of its last non-space character,
  or — when that is a mark with ink on the left, which may be set half-width — x0 + ½ size, whichever
  is smaller. The group's edge is the furthest right edge of its non-final lines that lies within
  1.5 em of the most common one (a ragged column's lines all end short of its true edge, so the mode
  alone would call plain WeasyPrint output flush; lines beyond that are reported as overfull). A
  thin vertical rule in the gutter moves the edge out to its mirror image of the next column's left
  edge (and a ruled column's width carries over to its unruled sibling at the same height).
  A line is flush when either edge (x1, or x0 + ½ size for such a mark) is within 0.5 pt of it.

Metrics (body text = the most common character size on the document):

- flush share: flush non-final body lines / non-final body lines (None when there are none).
- widest added gap: the largest x0(next) − x1(this) between two consecutive Han characters of a body
  line, in em of the size (x1 = x0 + the font's advance, so letter-spacing shows as a gap). Gaps next
  to punctuation (compressed, possibly negative) are not counted; Han–Latin gaps (¼ em is intended)
  are reported apart as ``han_latin_gap_em``; spaces are never counted.
- kinsoku (every size): a line (not para_start, in a block of ≥ 2 lines) starting with a line-start
  prohibited mark, or ending with a line-end prohibited one (clreq's lists as ``banmian.check.clreq``
  writes them — not the composer's tables, so a wrong composer table is caught); ``——``/``……`` split
  across two lines; a number split across two lines (a digit, or a digit followed by ``.``/``,``, at a
  line end and a digit at the next line's start).
  Latin words split across lines are not reported (the space a PDF drops at a line end cannot be
  told from a word split).
- 孤字: a paragraph-final body line, not para_start, in a block of ≥ 2 lines, holding exactly one Han
  character / letter / digit (``clreq.is_char``), with any punctuation.
- fonts: every font dictionary; embedded when its descriptor (or its descendant's) has
  FontFile/FontFile2/FontFile3. Type3 fonts are listed as such. A font no character is drawn with
  (reportlab lists Helvetica on every page) is listed as unused and does not fail the check.

Failure thresholds (``failures``): any kinsoku violation; any 孤字; flush share below 99.5 %
(``FLUSH_MIN``, tolerance ``FLUSH_TOL`` = 0.5 pt); any font not embedded. ``strict`` adds: widest
added gap above 0.15 em (``GAP_MAX``), any overfull line, any Type3 font, and the proofreader's marks
of ``banmian.check.proofread``: proportional marks in Chinese text, rules touching type, a run-in head
on a column's last line, the columns of one text ending more than a line apart.
"""

from __future__ import annotations

import collections
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from banmian.check.clreq import (
    HAN,
    LATIN,
    LINE_END_PROHIBITED,
    LINE_START_PROHIBITED,
    NEVER_SPLIT_RUNS,
    is_char,
    kind,
)
from banmian.check.findings import Finding
from banmian.check.pdflines import FLUSH_TOL, Char, Line, reconstruct
from banmian.check.proofread import (
    proportional_marks,
    rules_touching_type,
    runin_heads_at_column_end,
    uneven_columns,
)
from banmian.core.diagnostics import Diagnostic, Location, error, warning

__all__ = [
    "FLUSH_MIN",
    "FLUSH_TOL",
    "GAP_MAX",
    "CheckReport",
    "Finding",
    "FontInfo",
    "check_pdf",
]

FLUSH_MIN = 0.995  # share of non-final body lines that must be flush
GAP_MAX = 0.15  # em: widest added gap between two Han characters (--strict)
DIGITS = frozenset("0123456789０１２３４５６７８９")


@dataclass(frozen=True, slots=True)
class FontInfo:
    name: str
    subtype: str
    embedded: bool
    type3: bool = False
    used: bool = True  # some text is drawn with it (a font only listed in resources is harmless)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "subtype": self.subtype, "embedded": self.embedded, "type3": self.type3,
                "used": self.used}


@dataclass
class CheckReport:
    path: Path
    pages: int = 0
    body_size: float | None = None
    body_lines: int = 0
    nonfinal_lines: int = 0
    flush_lines: int = 0
    widest_gap_em: float = 0.0
    widest_gap: Finding | None = None
    han_latin_gap_em: float | None = None
    kinsoku: list[Finding] = field(default_factory=list)
    guzi: list[Finding] = field(default_factory=list)
    ragged: list[Finding] = field(default_factory=list)
    overfull: list[Finding] = field(default_factory=list)
    proportional: list[Finding] = field(default_factory=list)  # see banmian.check.proofread
    rule_touch: list[Finding] = field(default_factory=list)
    runin_end: list[Finding] = field(default_factory=list)
    uneven: list[Finding] = field(default_factory=list)
    fonts: list[FontInfo] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list, repr=False)  # every reconstructed line

    @property
    def flush_share(self) -> float | None:
        return self.flush_lines / self.nonfinal_lines if self.nonfinal_lines else None

    @property
    def unembedded(self) -> list[FontInfo]:
        return [f for f in self.fonts if f.used and not f.embedded and not f.type3]

    def failures(self, strict: bool = False) -> list[str]:
        """Why the check fails (empty: it passes), one short sentence each."""
        out = []
        if self.kinsoku:
            out.append(f"{len(self.kinsoku)} kinsoku violation(s)")
        if self.guzi:
            out.append(f"{len(self.guzi)} 孤字")
        share = self.flush_share
        if share is not None and share < FLUSH_MIN:
            out.append(f"only {share:.1%} of non-final body lines flush (need ≥ {FLUSH_MIN:.1%})")
        if self.unembedded:
            out.append(f"{len(self.unembedded)} font(s) not embedded: "
                       + ", ".join(f.name for f in self.unembedded))
        if strict:
            out += self._strict_failures()
        return out

    def _strict_failures(self) -> list[str]:
        out = []
        if self.widest_gap_em > GAP_MAX + 1e-9:
            out.append(f"widest added gap {self.widest_gap_em:.3f} em (max {GAP_MAX} em)")
        if self.overfull:
            out.append(f"{len(self.overfull)} overfull line(s)")
        type3 = [f.name for f in self.fonts if f.type3 and f.used]
        if type3:
            out.append(f"{len(type3)} Type3 font(s): {', '.join(type3)}")
        out += [f"{len(found)} {what}" for found, what in self.proofread() if found]
        return out

    def proofread(self) -> list[tuple[list[Finding], str]]:
        """The proofreader's findings (``banmian.check.proofread``), each list with what it counts."""
        return [(self.proportional, "proportional mark(s) in Chinese text"),
                (self.rule_touch, "rule(s) touching type"),
                (self.runin_end, "run-in head(s) on a column's last line"),
                (self.uneven, "text(s) with columns ending unevenly")]

    def ok(self, strict: bool = False) -> bool:
        return not self.failures(strict)

    def diagnostics(self, strict: bool = False) -> list[Diagnostic]:
        """One diagnostic per finding that fails the check (errors) or would with --strict."""
        loc = Location(file=self.path)
        diags: list[Diagnostic] = []
        for f in self.kinsoku:
            diags.append(error(f"{f.kind}: {f.detail} in “{f.text}” ({f.where()})", loc, code=f.kind))
        for f in self.guzi:
            diags.append(error(f"孤字: paragraph ends with the line “{f.text}” ({f.where()})", loc,
                               code="guzi"))
        share = self.flush_share
        ragged_severity = error if share is not None and share < FLUSH_MIN else warning
        for f in self.ragged:
            diags.append(ragged_severity(f"ragged: {f.detail}: “{f.text}” ({f.where()})", loc,
                                         code="ragged"))
        for font in self.unembedded:
            diags.append(error(f"font not embedded: {font.name} ({font.subtype})", loc, code="font",
                               hint="embed every font (a printing plant rejects the file otherwise)"))
        strict_sev = error if strict else warning
        for f in self.overfull:
            diags.append(strict_sev(f"overfull: {f.detail}: “{f.text}” ({f.where()})", loc,
                                    code="overfull"))
        if self.widest_gap is not None and self.widest_gap_em > GAP_MAX + 1e-9:
            g = self.widest_gap
            diags.append(strict_sev(f"gap: {g.detail} in “{g.text}” ({g.where()})", loc, code="gap"))
        for found, _what in self.proofread():
            for f in found:
                diags.append(strict_sev(f"{f.kind}: {f.detail} in “{f.text}” ({f.where()})", loc,
                                        code=f.kind))
        return diags

    def to_dict(self, strict: bool = False) -> dict[str, Any]:
        share = self.flush_share
        return {
            "path": str(self.path),
            "pages": self.pages,
            "body_size": self.body_size,
            "body_lines": self.body_lines,
            "nonfinal_lines": self.nonfinal_lines,
            "flush_lines": self.flush_lines,
            "flush_share": None if share is None else round(share, 5),
            "widest_gap_em": round(self.widest_gap_em, 4),
            "widest_gap": self.widest_gap.to_dict() if self.widest_gap else None,
            "han_latin_gap_em": None if self.han_latin_gap_em is None else round(self.han_latin_gap_em, 4),
            "kinsoku": [f.to_dict() for f in self.kinsoku],
            "guzi": [f.to_dict() for f in self.guzi],
            "ragged": [f.to_dict() for f in self.ragged],
            "overfull": [f.to_dict() for f in self.overfull],
            "proportional": [f.to_dict() for f in self.proportional],
            "rule_touch": [f.to_dict() for f in self.rule_touch],
            "runin_end": [f.to_dict() for f in self.runin_end],
            "uneven": [f.to_dict() for f in self.uneven],
            "fonts": [f.to_dict() for f in self.fonts],
            "thresholds": {"flush_min": FLUSH_MIN, "flush_tolerance_pt": FLUSH_TOL, "gap_max_em": GAP_MAX},
            "failures": self.failures(strict),
            "ok": self.ok(strict),
        }

    def to_json(self, strict: bool = False) -> str:
        return json.dumps(self.to_dict(strict), ensure_ascii=False, indent=2)

    def format_table(self, strict: bool = False) -> str:
        share = self.flush_share
        emb = sum(1 for f in self.fonts if f.embedded)
        rows = [
            ("pages", str(self.pages), ""),
            ("body size", "-" if self.body_size is None else f"{self.body_size:g} pt", ""),
            ("body lines / non-final", f"{self.body_lines} / {self.nonfinal_lines}", ""),
            ("non-final lines flush", "-" if share is None else
             f"{share:.2%} ({self.flush_lines}/{self.nonfinal_lines})", f"≥ {FLUSH_MIN:.1%}"),
            ("widest added gap (Han–Han)", f"{self.widest_gap_em:.3f} em", f"≤ {GAP_MAX} em (--strict)"),
            ("widest Han–Latin gap", "-" if self.han_latin_gap_em is None else
             f"{self.han_latin_gap_em:.3f} em", "info (¼ em intended)"),
            ("kinsoku violations", str(len(self.kinsoku)), "0"),
            ("孤字", str(len(self.guzi)), "0"),
            ("overfull lines", str(len(self.overfull)), "0 (--strict)"),
            ("proportional marks (Chinese text)", str(len(self.proportional)), "0 (--strict)"),
            ("rules touching type", str(len(self.rule_touch)), "0 (--strict)"),
            ("run-in heads at a column end", str(len(self.runin_end)), "0 (--strict)"),
            ("texts with uneven columns", str(len(self.uneven)), "0 (--strict)"),
            ("fonts embedded", f"{emb}/{len(self.fonts)}", "all"),
        ]
        w0 = max(len(r[0]) for r in rows)
        w1 = max(len(r[1]) for r in rows)
        out = [f"check {self.path}", f"  {'metric':<{w0}}  {'value':<{w1}}  threshold"]
        out += [f"  {a:<{w0}}  {b:<{w1}}  {c}".rstrip() for a, b, c in rows]
        for font in self.fonts:
            state = "Type3" if font.type3 else ("embedded" if font.embedded else "NOT EMBEDDED")
            state += "" if font.used else ", unused"
            out.append(f"    font {font.name} ({font.subtype}): {state}")
        fails = self.failures(strict)
        out.append("result: " + ("ok" if not fails else "FAIL — " + "; ".join(fails)))
        return "\n".join(out)


# --- metrics --------------------------------------------------------------------------------------------

def _finding(kind_: str, line: Line, detail: str = "", x: float | None = None) -> Finding:
    top = min(c.top for c in line.chars)
    return Finding(kind_, line.page, line.x0 if x is None else x, top, line.text.strip(), detail)


def _kinsoku(blocks: list[list[Line]]) -> list[Finding]:
    out = []
    for block in blocks:
        if len(block) < 2:
            continue
        skip_start: set[int] = set()
        for i, line in enumerate(block):
            vis = line.visible
            first, last = line.chars[0].text, vis[-1].text
            nxt = block[i + 1] if i + 1 < len(block) else None
            if nxt is not None and not line.final:
                n0 = nxt.chars[0].text
                if last in NEVER_SPLIT_RUNS and n0 == last:
                    out.append(_finding("split-dash", line, f"{last * 2} split across lines",
                                        x=vis[-1].x0))
                    skip_start.add(i + 1)
                elif n0 in DIGITS and (last in DIGITS or (last in ".," and len(vis) > 1
                                                          and vis[-2].text in DIGITS)):
                    out.append(_finding("split-number", line, "number split across lines", x=vis[-1].x0))
            if i not in skip_start and not line.para_start and first in LINE_START_PROHIBITED:
                out.append(_finding("kinsoku-start", line, f"line starts with {first}"))
            if last in LINE_END_PROHIBITED:
                out.append(_finding("kinsoku-end", line, f"line ends with {last}", x=vis[-1].x0))
    return out


def _gaps(line: Line) -> tuple[float, Char | None, float | None]:
    """Widest Han–Han added gap (em) and where; widest Han–Latin gap (em) or None."""
    widest, at, latin = 0.0, None, None
    chars = [c for c in line.chars if c.x1 - c.x0 > 0.01 or c.text.isspace()]
    for a, b in itertools.pairwise(chars):
        ka, kb = kind(a.text[0]), kind(b.text[0])
        gap = (b.x0 - a.x1) / a.size
        if ka == HAN and kb == HAN:
            if gap > widest:
                widest, at = gap, a
        elif {ka, kb} == {HAN, LATIN}:
            latin = gap if latin is None else max(latin, gap)
    return widest, at, latin


def fonts_of(pdf_path: Path) -> list[FontInfo]:
    """Every font dictionary in the file, with whether its program is embedded."""
    import pikepdf

    def embedded(font: Any) -> bool:
        desc = font.get("/FontDescriptor")
        return desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))

    out = []
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            subtype = str(obj.get("/Subtype", "?")).lstrip("/")
            if subtype in ("CIDFontType0", "CIDFontType2"):
                continue  # checked through its Type0 parent
            name = str(obj.get("/BaseFont", obj.get("/Name", "?"))).lstrip("/")
            if subtype == "Type3":
                out.append(FontInfo(name, subtype, embedded=True, type3=True))
                continue
            if subtype == "Type0":
                kids: Any = obj.get("/DescendantFonts")
                emb = kids is not None and len(kids) > 0 and all(embedded(k) for k in kids)
            else:
                emb = embedded(obj)
            out.append(FontInfo(name, subtype, emb))
    out.sort(key=lambda f: f.name)
    return out


def _body_size(lines: list[Line]) -> float | None:
    """The most common size of the characters of horizontal lines (None: there are none)."""
    sizes = collections.Counter[float]()
    for ln in lines:
        if not ln.vertical:
            sizes[ln.size] += sum(1 for c in ln.chars if not c.text.isspace())
    return sizes.most_common(1)[0][0] if sizes else None


def check_pdf(pdf_path: str | Path) -> CheckReport:
    """Reconstruct the lines of ``pdf_path`` and measure them (see the module docstring)."""
    path = Path(pdf_path)
    lines, blocks, pages = reconstruct(path)
    used = {c.font for ln in lines for c in ln.chars}
    fonts = [FontInfo(f.name, f.subtype, f.embedded, f.type3, f.name in used) for f in fonts_of(path)]
    report = CheckReport(path=path, pages=pages, lines=lines, fonts=fonts)
    report.kinsoku = _kinsoku(blocks)
    report.proportional = proportional_marks(lines)
    report.rule_touch = rules_touching_type(path, lines)
    body_size = _body_size(lines)
    if body_size is None:
        return report
    report.body_size = body_size
    report.runin_end = runin_heads_at_column_end(blocks, body_size)
    report.uneven = uneven_columns(path, blocks, body_size)
    body = [ln for ln in lines if ln.size == body_size and not ln.vertical]
    report.body_lines = len(body)
    block_len = collections.Counter(ln.block for ln in body)
    for ln in body:
        widest, at, latin = _gaps(ln)
        if at is not None and widest > max(report.widest_gap_em, 0.001):
            report.widest_gap_em = widest
            report.widest_gap = _finding("gap", ln, f"{widest:.3f} em after {at.text}", x=at.x1)
        if latin is not None:
            report.han_latin_gap_em = latin if report.han_latin_gap_em is None else max(
                report.han_latin_gap_em, latin)
        if ln.final:
            if (block_len[ln.block] >= 2 and not ln.para_start
                    and sum(1 for c in ln.chars for ch in c.text if is_char(ch)) == 1):
                report.guzi.append(_finding("guzi", ln, "a paragraph's last line holds one character"))
            continue
        report.nonfinal_lines += 1
        assert ln.edge is not None
        reach = min(ln.right_edges())
        if ln.flush:
            report.flush_lines += 1
        elif reach > ln.edge + FLUSH_TOL:
            report.overfull.append(_finding("overfull", ln, f"{reach - ln.edge:.2f} pt past the column edge "
                                            f"at x {ln.edge:.2f} pt"))
        else:
            report.ragged.append(_finding("ragged", ln, f"{ln.edge - max(ln.right_edges()):.2f} pt short "
                                          f"of the column edge at x {ln.edge:.2f} pt"))
    report.kinsoku.sort(key=lambda f: (f.page, f.y, f.x))
    return report
