"""What a newspaper proofreader marks beyond line composition, judged on any PDF.

Takes: the lines and blocks ``banmian.check.pdflines`` reconstructs, and the PDF (its rules, which
pdfplumber reads as thin lines and rectangles).
Gives: ``Finding``s of four kinds:

- ``proportional``: a CJK mark of Chinese text (a Han character on one side of it, a run of marks
  counted together) set narrower than ``PROPORTIONAL_EM`` a mark: the room from the ink of the
  character before to the character after, less that character's own advance. A full-width mark
  takes 1 em, one compressed in a pair or at a line end ½ em; LXGW WenKai's proportional “ ” take
  0.35 em and read as Latin quotes.
- ``rule-touch``: a rule (a stroked line, or a filled rectangle at most ``RULE_MAX`` thick) that
  crosses or comes within ``TOUCH_PT`` of a glyph's em box — the ideographic em box, ``EM_ASCENT`` of
  the size above the baseline and the rest below, across the glyph's advance.
- ``runin-end``: a column's last line (the last of its block) that starts a paragraph with a bold
  run-in head (the first character in a bold face, its name saying Bold, Heavy or Black, and the
  line's last character not): the head is parted from its text by the column break.
- ``uneven``: the columns of one body text ending more than ``UNEVEN_LINES`` grid lines apart — blocks
  of body text side by side (the next one's first line continuing the text: not a paragraph start),
  starting on one line, whose last lines lie further apart than that, the shorter one not stopped by
  something drawn within two grid lines under it (a photo, a sidebar's ground, a rule).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from banmian.check.clreq import CLOSING, HAN, OPENING, STOPS, kind
from banmian.check.findings import Finding
from banmian.check.pdflines import Char, Line

__all__ = ["EM_ASCENT", "PROPORTIONAL_EM", "proportional_marks", "rules_touching_type",
           "runin_heads_at_column_end", "uneven_columns"]

MARKS = STOPS | CLOSING | OPENING
PROPORTIONAL_EM = 0.45  # em a mark of Chinese text takes at least (½ em compressed, less a hair)
EM_ASCENT = 0.88  # the ideographic em box above the baseline (the CJK faces' 880/120 split)
RULE_MAX = 3.0  # pt: a filled rectangle at most this thick is a rule
TOUCH_PT = 0.1  # pt: a rule this close to an em box touches it
UNEVEN_LINES = 1  # grid lines: the columns of a text may end this far apart
BOLD = re.compile(r"bold|heavy|black", re.IGNORECASE)


def _finding(kind_: str, line: Line, detail: str, x: float | None = None) -> Finding:
    top = min(c.top for c in line.chars)
    return Finding(kind_, line.page, line.x0 if x is None else x, top, line.text.strip(), detail)


# --- proportional marks ----------------------------------------------------------------------------------

def proportional_marks(lines: Iterable[Line]) -> list[Finding]:
    """Runs of marks inside a line of Chinese text set narrower than ``PROPORTIONAL_EM`` each."""
    out = []
    for line in lines:
        if line.vertical:
            continue
        chars = line.visible
        i = 0
        while i < len(chars):
            if chars[i].text not in MARKS:
                i += 1
                continue
            j = i
            while j < len(chars) and chars[j].text in MARKS:
                j += 1
            if i > 0 and j < len(chars):
                found = _narrow_run(chars[i - 1], chars[i:j], chars[j])
                if found is not None:
                    out.append(_finding("proportional", line, found, x=chars[i].x0))
            i = j
    return out


def _narrow_run(before: Char, run: Sequence[Char], after: Char) -> str | None:
    """Why the run of marks between ``before`` and ``after`` reads proportional (None: it does not)."""
    if kind(before.text) != HAN and kind(after.text) != HAN:
        return None  # marks between Latin words are Latin text's
    size = run[0].size
    room = (after.x0 - before.x1) / size
    per_mark = room / len(run)
    if per_mark >= PROPORTIONAL_EM:
        return None
    text = "".join(c.text for c in run)
    return (f"{text} set {per_mark:.2f} em a mark (at least {PROPORTIONAL_EM} em: full-width, or ½ em "
            "compressed)")


# --- rules on the type -----------------------------------------------------------------------------------

Box = tuple[float, float, float, float]  # x0, x1, top, bottom (pt from the page's top-left)


def page_rules(page: Any) -> list[Box]:
    """The thin lines and rectangles of a pdfplumber page, each as the box its ink covers."""
    out = []
    for o in page.lines:
        half = float(o.get("linewidth") or 0.0) / 2
        x0, x1, top, bottom = float(o["x0"]), float(o["x1"]), float(o["top"]), float(o["bottom"])
        if x1 - x0 >= bottom - top:
            out.append((x0, x1, top - half, bottom + half))
        else:
            out.append((x0 - half, x1 + half, top, bottom))
    for o in page.rects:
        x0, x1, top, bottom = float(o["x0"]), float(o["x1"]), float(o["top"]), float(o["bottom"])
        if min(x1 - x0, bottom - top) <= RULE_MAX and max(x1 - x0, bottom - top) > 3 * RULE_MAX:
            out.append((x0, x1, top, bottom))
    return out


def em_box(c: Char) -> Box:
    """The glyph's em box across the part of its advance it may be set in: a mark's inked half when
    it may be compressed (a line-end comma, the trimmed one of a pair), the whole advance else."""
    return c.ink0, c.ink1, c.base - EM_ASCENT * c.size, c.base + (1 - EM_ASCENT) * c.size


def rules_touching_type(path: Path, lines: Sequence[Line]) -> list[Finding]:
    """Every line of text one of its page's rules crosses or touches (one finding per line and rule)."""
    import pdfplumber

    out = []
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    with pdfplumber.open(path) as pdf:
        for page_no, page in enumerate(pdf.pages, start=1):
            rules = page_rules(page)
            for line in by_page.get(page_no, []):
                for rule in rules:
                    hit = next((c for c in line.chars if not c.text.isspace() and _touches(rule, em_box(c))),
                               None)
                    if hit is not None:
                        out.append(_finding("rule-touch", line, f"a rule at y {rule[2]:.1f}–{rule[3]:.1f} "
                                            f"pt touches the em box of {hit.text}", x=hit.x0))
    return out


def _touches(rule: Box, box: Box) -> bool:
    rx0, rx1, rt, rb = rule
    bx0, bx1, bt, bb = box
    return rx0 < bx1 - TOUCH_PT and rx1 > bx0 + TOUCH_PT and rt < bb + TOUCH_PT and rb > bt - TOUCH_PT


# --- run-in heads and column ends ----------------------------------------------------------------------

def runin_heads_at_column_end(blocks: Iterable[Sequence[Line]], body_size: float) -> list[Finding]:
    """Body blocks whose last line starts a paragraph with a bold run-in head."""
    out = []
    for block in blocks:
        if len(block) < 2 or block[-1].size != body_size or block[-1].vertical:
            continue
        last = block[-1]
        chars = [c for c in last.visible if not c.text.isspace()]
        if chars and BOLD.search(chars[0].font) and not BOLD.search(chars[-1].font):
            out.append(_finding("runin-end", last, "a bold run-in head on a column's last line"))
    return out


def uneven_columns(path: Path, blocks: Sequence[Sequence[Line]], body_size: float) -> list[Finding]:
    """Neighbouring columns of one text (the right one continuing the left one's paragraph, both
    starting on one line) whose last lines lie more than ``UNEVEN_LINES`` grid lines apart, the shorter
    not stopped by something drawn under it (a photo, a ground, a rule: ``stops``)."""
    body = [b for b in blocks if b and b[0].size == body_size and not b[0].vertical and len(b) >= 2]
    below = stops(path)
    out = []
    for left in body:
        right = _next_column(left, body)
        if right is None or abs(right[0].base - left[0].base) >= 0.5:
            continue
        pitch = left[1].base - left[0].base
        apart = abs(right[-1].base - left[-1].base) / pitch
        short = left if left[-1].base < right[-1].base else right
        if apart > UNEVEN_LINES + 0.25 and not _stopped(short, below.get(short[0].page, []), pitch):
            out.append(_finding("uneven", short[-1], f"columns of one text end {apart:.0f} grid lines apart"))
    return out


def stops(path: Path) -> dict[int, list[Box]]:
    """Per page, what is drawn that may end a column above it: images, filled areas, rules."""
    import pdfplumber

    out: dict[int, list[Box]] = {}
    with pdfplumber.open(path) as pdf:
        for page_no, page in enumerate(pdf.pages, start=1):
            out[page_no] = [(float(o["x0"]), float(o["x1"]), float(o["top"]), float(o["bottom"]))
                            for o in (*page.images, *page.rects, *page.lines)]
    return out


def _stopped(column: Sequence[Line], drawn: Sequence[Box], pitch: float) -> bool:
    """Does something drawn start within two grid lines under the column's last line, across it?"""
    last = column[-1]
    x0, x1 = min(ln.x0 for ln in column), max(ln.x1 for ln in column)
    return any(bx0 < x1 and bx1 > x0 and last.base < top < last.base + 2 * pitch
               for bx0, bx1, top, _bottom in drawn)


def _next_column(left: Sequence[Line], blocks: Sequence[Sequence[Line]]) -> Sequence[Line] | None:
    """The block just right of ``left`` that continues its text: its first line no paragraph start."""
    width = max(ln.x1 for ln in left) - min(ln.x0 for ln in left)
    edge = max(ln.x1 for ln in left)
    best = None
    for b in blocks:
        gap = min(ln.x0 for ln in b) - edge
        if b is left or b[0].page != left[0].page or not 0 < gap < 0.3 * width or b[0].para_start:
            continue
        if best is None or min(ln.x0 for ln in b) < min(ln.x0 for ln in best):
            best = b
    return best
