"""Fit: how much text each frame holds and needs, and bounded auto-fit.

Takes: a composed ``PageModel`` (and, for auto-fit, the document, layout and fonts to recompose with).
Gives: ``FitReport`` rows per article and slot — lines and characters (字) available and needed, over
or under in lines and 字, adjustments applied — as a human table or JSON; and ``autofit``, which finds,
within the limits the layout declares (tracking ± em, photo height ± share), the smallest change that
makes each article fit, and reports it. What cannot be fitted within the limits stays overset.
``fit_diagnostics`` says what auto-fit changed (an info per article) and, for each article still
overset, what is left to do: the 字 to cut or the grid lines its slot lacks — and ``--fit`` only when
the layout's limits would be enough.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from banmian.compose.page import (
    Adjustments,
    ArticleBox,
    Composer,
    PageModel,
    compose_article,
    compose_page,
    main_boxes,
)
from banmian.core.diagnostics import Diagnostic, error, info, warning
from banmian.source.fonts import FontSet
from banmian.source.layout import Layout
from banmian.source.load import Document
from banmian.source.world import ChartGeometryCache


@dataclass(frozen=True)
class FitRow:
    id: str
    slot: str
    location: str
    lines_available: int
    lines_needed: int
    chars_available: int
    chars_needed: int
    over_lines: int
    over_chars: int
    under_lines: int
    under_chars: int
    columns: int
    adjustments: tuple[str, ...]
    module: tuple[int, int, int, int] = (0, 0, 0, 0)  # the slot's col, span, line, lines

    @property
    def module_text(self) -> str:
        """``col 1–5, line 16–49`` (columns and grid lines, 1-based, last included)."""
        col, span, line, lines = self.module
        return f"col {col}–{col + span - 1}, line {line}–{line + lines - 1}"

    @property
    def status(self) -> str:
        if self.over_lines:
            return "overset"
        if self.under_lines > self.columns:
            return "underset"
        return "fits"


def columns_of(box: ArticleBox) -> int:
    return len({round(p.x, 1) for p in box.body}) or 1


def fit_rows(page: PageModel) -> list[FitRow]:
    rows = []
    for box in main_boxes(page):
        f = box.fit
        slot = box.slot
        rows.append(FitRow(f.id, f.slot, str(f.location), f.lines_available, f.lines_needed,
                           f.chars_available, f.chars_needed, f.over_lines, f.over_chars, f.under_lines,
                           f.under_chars, columns_of(box), f.adjustments,
                           (slot.col, slot.span, slot.line, slot.lines)))
    return rows


def underset_diagnostics(page: PageModel) -> list[Diagnostic]:
    out = []
    for row, box in zip(fit_rows(page), main_boxes(page), strict=True):
        if row.status == "underset":
            out.append(warning(f"article {row.id!r} leaves slot {row.slot!r} short: {row.under_lines} "
                               f"empty lines, about {row.under_chars} 字 missing", box.fit.location,
                               code="underset", hint="add text, enlarge the photo, or shrink the slot"))
    return out


def format_table(rows: list[FitRow]) -> str:
    head = ("article", "slot", "lines avail", "lines need", "字 avail", "字 need", "over/under", "status",
            "adjustments", "module")
    table = [head]
    for r in rows:
        if r.over_lines:
            delta = f"+{r.over_lines} 行 / +{r.over_chars} 字"
        elif r.under_lines:
            delta = f"-{r.under_lines} 行 / -{r.under_chars} 字"
        else:
            delta = "0"
        table.append((r.id, r.slot, str(r.lines_available), str(r.lines_needed), str(r.chars_available),
                      str(r.chars_needed), delta, r.status, ", ".join(r.adjustments) or "-", r.module_text))
    widths = [max(_width(row[i]) for row in table) for i in range(len(head))]
    lines = []
    for row in table:
        lines.append("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True))
                     .rstrip())
    return "\n".join(lines)


def format_json(rows: list[FitRow], photos: Sequence[Mapping[str, object]] = ()) -> str:
    """The rows (and each photo's frame and crop, as ``banmian fit`` lists them) as JSON."""
    data = [{**r.__dict__, "adjustments": list(r.adjustments), "status": r.status,
             "module": dict(zip(("col", "span", "line", "lines"), r.module, strict=True))} for r in rows]
    fits = all(r.over_lines == 0 for r in rows)
    return json.dumps({"articles": data, "photos": list(photos), "fits": fits}, ensure_ascii=False, indent=2)


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two cells."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def candidates(layout: Layout, box: ArticleBox) -> list[Adjustments]:
    """Every adjustment within the layout's limits, smallest change first."""
    limits = layout.spec.fit
    steps = [0.0]
    k = 1
    while limits.tracking and k * 0.005 <= limits.tracking + 1e-9:
        steps += [-k * 0.005, k * 0.005]
        k += 1
    image = box.slot.image
    max_lines = int(image.lines * limits.image_lines) if image is not None and box.figures else 0
    out = []
    for dl in range(-max_lines, max_lines + 1):
        for tr in steps:
            cost = (abs(dl) / max_lines if max_lines else 0) + (abs(tr) / limits.tracking if tr else 0)
            out.append((cost, abs(dl), abs(tr), Adjustments(tracking=tr, image_lines=dl)))
    out.sort(key=lambda c: (c[0], c[1], c[2]))
    return [c[3] for c in out]


def autofit(doc: Document, layout: Layout, fonts: FontSet, page: PageModel, *,
            charts: ChartGeometryCache | None = None) -> PageModel:
    """Recompose the articles that are overset or underset with the smallest change that fits."""
    composer = Composer(layout, fonts, charts)
    chosen: dict[str, Adjustments] = {}
    by_id = {a.id: a for a in doc.articles}
    for box, row in zip(main_boxes(page), fit_rows(page), strict=True):
        if row.status == "fits":
            continue
        fallback: tuple[int, Adjustments] | None = None
        for adj in candidates(layout, box):
            if adj == Adjustments():
                continue
            trial = compose_article(by_id[box.id], box.slot, composer, doc, adj, [],
                                    box.continuation.slot if box.continuation else None)
            if not trial.fit.fits:
                continue
            spare = trial.fit.under_lines
            if spare <= row.columns:
                chosen[box.id] = adj
                break
            if fallback is None or spare < fallback[0]:
                fallback = (spare, adj)
        else:
            if fallback is not None and (row.over_lines or fallback[0] < row.under_lines):
                chosen[box.id] = fallback[1]
    if not chosen:
        return page
    return compose_page(doc, layout, fonts, chosen, charts=charts)


def fit_diagnostics(doc: Document, layout: Layout, fonts: FontSet, pages: Sequence[PageModel], *,
                    fitted: bool, charts: ChartGeometryCache | None = None) -> list[Diagnostic]:
    """An info per article auto-fit adjusted, an error per article still overset; ``fitted``: whether
    auto-fit ran (``--fit`` or the layout's ``fit.auto``; a flow layout's make-up, which always adjusts,
    says nothing)."""
    by_id = {a.id: a for a in doc.articles}
    out: list[Diagnostic] = []
    for page in pages:
        for box in main_boxes(page):
            fit, art = box.fit, by_id[box.id]
            if fitted and fit.adjustments and fit.fits:
                out.append(info(f"auto-fit: article {art.label} fitted slot {fit.slot!r} with "
                                f"{', '.join(fit.adjustments)}", fit.location, code="fit"))
            if not fit.fits:
                # the page's own layout: automatic placement's has the styles of its headline ranks
                reach = None if fitted or layout.spec.kind == "flow" else fit_reach(page.layout, box)
                helps = reach is not None and compose_article(
                    art, box.slot, Composer(page.layout, fonts, charts), doc, reach, [],
                    box.continuation.slot if box.continuation else None).fit.fits
                out.append(error(f"article {art.label} does not fit slot {fit.slot!r}: over by "
                                 f"{fit.over_lines} lines, {fit.over_chars} 字", fit.location,
                                 code="overset", hint=_overset_hint(layout, box, fitted=fitted, helps=helps)))
    return out


def fit_reach(layout: Layout, box: ArticleBox) -> Adjustments:
    """The most room auto-fit may make in ``box``: the tightest tracking and the shortest photo the
    layout's ``fit`` limits allow (if that does not fit, no adjustment does)."""
    limits = layout.spec.fit
    image = box.slot.image
    lines = int(image.lines * limits.image_lines) if image is not None and box.figures else 0
    return Adjustments(tracking=-limits.tracking, image_lines=-lines)


def _overset_hint(layout: Layout, box: ArticleBox, *, fitted: bool, helps: bool) -> str:
    fit = box.fit
    cut = f"cut about {fit.over_chars} 字"
    if helps:
        return f"{cut}, or build with --fit (within the layout's fit limits), or --proof to see it"
    columns = columns_of(box)
    more = -(-fit.over_lines // columns)
    limits = layout.spec.fit
    bounds = f"tracking ±{limits.tracking * 100:g} %, photo ±{limits.image_lines * 100:g} %"
    reach = f"auto-fit's limits ({bounds}) {'were not' if fitted else 'would not be'} enough"
    return (f"{reach}: {cut}, or give slot {fit.slot!r} about {more} more grid line"
            f"{'s' if more != 1 else ''} across its {columns} column{'s' if columns != 1 else ''}")
