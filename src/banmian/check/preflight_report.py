"""Preflight report: the figures and diagnostics of one preflight, as a table or as JSON.

Takes: what ``preflight.py`` measured on a PDF.
Gives: ``PreflightReport`` (pages with boxes, colour operators, ink coverage and registration marks;
fonts; images with effective resolution and highest total ink; the PDF/X claim and output intent; the
independent tools' verdicts; diagnostics), ``format_table`` for people and ``format_json`` for machines.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from banmian.core.diagnostics import Diagnostic, Severity
from banmian.core.units import MM


@dataclass(frozen=True)
class PageFigure:
    number: int
    media: tuple[float, ...]  # pt
    bleed: tuple[float, ...]
    trim: tuple[float, ...]
    colours: dict[str, int]  # colour-setting operators by colour space: cmyk, gray, registration, rgb…
    coverage: tuple[float, ...] | None = None  # Ghostscript inkcov: C, M, Y, K in percent of the page
    marks: tuple[tuple[float, ...], ...] = ()  # bounding boxes (pt) of paths painted in registration


@dataclass(frozen=True)
class FontFigure:
    name: str
    subtype: str
    embedded: bool
    subset: bool


@dataclass(frozen=True)
class ImageFigure:
    page: int
    name: str
    colorspace: str
    pixels: tuple[int, int]
    placed_mm: tuple[float, float]
    ppi: float
    ink: float | None  # highest total ink of any pixel, percent
    source: str | None = None  # a build's photo: its file name


@dataclass(frozen=True)
class PreflightReport:
    file: str
    version: str
    pdf_x: str | None
    output_intent: str | None
    metadata: dict[str, str]
    pages: tuple[PageFigure, ...]
    fonts: tuple[FontFigure, ...]
    images: tuple[ImageFigure, ...]
    tools: dict[str, str]
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> int:
        return sum(d.severity == Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == Severity.WARNING for d in self.diagnostics)

    @property
    def ok(self) -> bool:
        return self.errors == 0


# --- output --------------------------------------------------------------------------------------

def format_json(report: PreflightReport) -> str:
    data = dataclasses.asdict(report)
    data["diagnostics"] = [{"severity": str(d.severity), "message": d.message, "where": d.location.key or "",
                            "hint": d.hint, "code": d.code} for d in report.diagnostics]
    data["errors"], data["warnings"], data["ok"] = report.errors, report.warnings, report.ok
    return json.dumps(data, ensure_ascii=False, indent=2)


def format_table(report: PreflightReport) -> str:
    out = [f"{report.file}: PDF {report.version}, {report.pdf_x or 'no PDF/X claim'}, "
           f"{len(report.pages)} page{'s' if len(report.pages) != 1 else ''}, "
           f"output intent {report.output_intent or 'none'}"]
    out.append(f"{'page':>4}  {'trim mm':>13}  {'bleed':>5}  {'slug':>5}  {'C %':>6} {'M %':>6} {'Y %':>6} "
               f"{'K %':>6}  colour operators")
    for p in report.pages:
        trim = f"{(p.trim[2] - p.trim[0]) / MM:.1f}×{(p.trim[3] - p.trim[1]) / MM:.1f}"
        bleed = (p.trim[0] - p.bleed[0]) / MM
        slug = (p.bleed[0] - p.media[0]) / MM
        cov = " ".join(f"{v:6.2f}" for v in p.coverage) if p.coverage else f"{'-':>6} " * 3 + f"{'-':>6}"
        ops = ", ".join(f"{k} {v}" for k, v in p.colours.items())
        out.append(f"{p.number:>4}  {trim:>13}  {bleed:5.1f}  {slug:5.1f}  {cov}  {ops}")
    out.append(f"fonts ({len(report.fonts)}):")
    for f in report.fonts:
        out.append(f"  {f.name:<36} {f.subtype:<8} {'embedded' if f.embedded else 'NOT EMBEDDED':<12} "
                   f"{'subset' if f.subset else 'whole'}")
    out.append(f"images ({len(report.images)}):")
    for i in report.images:
        ink = f"{i.ink:.0f} %" if i.ink is not None else "-"
        out.append(f"  p{i.page} {i.source or i.name:<36} {i.colorspace:<5} {i.pixels[0]:>5}×"
                   f"{i.pixels[1]:<5} px {i.placed_mm[0]:>6}×{i.placed_mm[1]:<6} mm {i.ppi:>6.0f} ppi  "
                   f"max ink {ink}")
    out.append("tools: " + (", ".join(f"{k} {v}" for k, v in report.tools.items()) or "none"))
    out.append(f"{report.errors} error{'s' if report.errors != 1 else ''}, {report.warnings} "
               f"warning{'s' if report.warnings != 1 else ''}: "
               f"{'print-ready' if report.ok else 'NOT print-ready'}")
    return "\n".join(out)
