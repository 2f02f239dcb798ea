"""Keys of a layout.yaml that would change nothing on the page: each one an error at its line.

Takes: a ``Layout`` its schema has validated (``banmian.source.layout``).
Gives: diagnostics, each with the key to use instead and a pointer to docs/layouts.md —
- ``styles.body.leading`` and ``grid.pitch`` given as two different numbers (they are one: the body is
  set on the baseline grid; either key alone sets both);
- a style key its role ignores: ``indent`` other than on body and sidebar text, ``bold`` other than on
  the body (only body text has bold runs), ``align`` where the page places the text itself (the header
  strip, running heads and page numbers, chart labels), ``justify`` on a role set line by line
  (headlines, the banner), ``center``/``right`` on the body;
- a style nothing uses (a misspelt role, running-head styles without running heads), unless the
  layout's stylesheet or templates use its CSS variables (``var(--bm-NAME-size)``);
- a chart style name (``chart.label``…) that is no style;
- a section the layout's kind ignores: ``flow`` on a module layout; ``placement`` and ``fit.auto`` on
  a flow layout (its titles take ``headline_scale`` by rank too); running heads on a module page; a
  page QR code (``qr``) without a header strip to hold it;
- a ``name`` that is not its folder's (the layout is found, listed and reported by its folder's name).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from banmian.core.diagnostics import Diagnostic, error

if TYPE_CHECKING:
    from banmian.source.layout import Layout, Style

DOC = "docs/layouts.md"
HEADLINE_ROLES = ("kicker", "title", "subtitle", "byline")
JUSTIFIED_ROLES = ("body", "caption", "sidebar")  # composed as paragraphs: the only ones that justify
INDENTED_ROLES = ("body", "sidebar")  # the only paragraphs set with a first-line indent
BOLD_ROLES = ("body",)  # the only text with **bold** runs
# roles whose place on the line the page decides, and what decides it
PLACED_ROLES = {
    "header-title": "the header strip sets the publication's name at the left",
    "header-info": "the header strip sets its information at the right",
    "eyebrow-title": "the 报眉 sets the publication's name at its plate's first column",
    "running-head": "running heads sit at the page's outer and inner edges",
    "folio": "folio.align places the page number",
}
PLACED_PREFIX = ("chart-", "the chart places its title, labels and values")


def key_errors(layout: Layout, used_styles: set[str]) -> list[Diagnostic]:
    """Every key of ``layout`` that would change nothing; ``used_styles``: the styles the composer reads."""
    return [*_pitch_errors(layout), *_style_key_errors(layout, used_styles),
            *_unused_style_errors(layout, used_styles), *_chart_style_errors(layout), *_kind_errors(layout),
            *_name_errors(layout)]


def _pitch_errors(layout: Layout) -> list[Diagnostic]:
    pitch = layout.spec.grid.pitch
    body = layout.spec.styles.get("body")
    if body is None or body.leading == pitch:
        return []
    grid_at = layout.locate("grid", "pitch")
    return [error(f"styles.body.leading ({body.leading:g} pt) and grid.pitch ({pitch:g} pt, line "
                  f"{grid_at.line}) differ: the body's leading is the baseline grid's pitch",
                  layout.locate("styles", "body", "leading"), code="layout",
                  hint=f"give one of them (the other follows), or the same number in both; see {DOC}")]


def _style_key_errors(layout: Layout, used: set[str]) -> list[Diagnostic]:
    diags = []
    for name, style in layout.spec.styles.items():
        for key, why in _ignored_keys(name, style) if name in used else ():
            diags.append(error(f"style {name!r}: {key} {getattr(style, key)!r} changes nothing — {why}",
                               layout.locate("styles", name, key), code="layout",
                               hint=f"remove it; {DOC} lists what each style sets"))
    return diags


def _ignored_keys(name: str, style: Style) -> list[tuple[str, str]]:
    """The keys ``style`` sets that role ``name`` ignores, each with the reason."""
    given = style.model_fields_set
    out = []
    if "indent" in given and style.indent and name not in INDENTED_ROLES:
        out.append(("indent", "only body and sidebar paragraphs are indented"))
    if "bold" in given and name not in BOLD_ROLES:
        out.append(("bold", "only body text has **bold** runs"))
    if "align" in given:
        placed = PLACED_ROLES.get(name) or (PLACED_PREFIX[1] if name.startswith(PLACED_PREFIX[0]) else None)
        if placed is not None:
            out.append(("align", placed))
        elif style.align == "justify" and name not in JUSTIFIED_ROLES:
            out.append(("align", "only body, caption and sidebar paragraphs are justified; "
                                 "a headline is set left, center or right"))
        elif name == "body" and style.align in ("center", "right"):
            out.append(("align", "the body fills its columns: left or justify"))
    return out


def _unused_style_errors(layout: Layout, used: set[str]) -> list[Diagnostic]:
    styled = _css_variables(layout)
    diags = []
    for name in layout.spec.styles:
        if name in used or f"--bm-{name}-" in styled:
            continue
        hint = ("running heads print on a flow layout's following pages (folio: {running_head: true})"
                if name == "running-head" else
                f"a misspelt role? The roles are {', '.join(sorted(used))}; a slot's headline.style may "
                f"name a style of its own ({DOC})")
        diags.append(error(f"style {name!r} is used by nothing", layout.locate("styles", name),
                           code="layout", hint=hint))
    return diags


def _css_variables(layout: Layout) -> str:
    """The layout's stylesheet and templates as text, where a style may be used through its CSS
    variables (unreadable or oversized files count as empty: their own checks report them)."""
    from banmian.source.layout import layout_file, too_large

    texts = []
    names = {layout.spec.stylesheet, layout.spec.template, *(p.name for p in layout.folder.glob("*.j2"))}
    for name in sorted(names):
        real = layout_file(layout.folder, name)
        if real is None or too_large(real) is not None:
            continue
        try:
            texts.append(real.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return "\n".join(texts)


def _chart_style_errors(layout: Layout) -> list[Diagnostic]:
    chart = layout.spec.chart
    diags = []
    for key in ("label", "value", "title"):
        name = getattr(chart, key)
        if key in chart.model_fields_set and name not in layout.spec.styles:
            diags.append(error(f"chart.{key}: no style {name!r}", layout.locate("chart", key), code="layout",
                               hint=f"styles: {', '.join(layout.spec.styles)}"))
    return diags


def _kind_errors(layout: Layout) -> list[Diagnostic]:
    spec = layout.spec
    given = spec.model_fields_set
    ignored: list[tuple[tuple[str, ...], str, str]] = []
    if spec.kind == "modules" and "flow" in given:
        ignored.append((("flow",), "flow settings apply to a flow layout (kind: flow)",
                        "a module layout places its articles in slots"))
    if spec.kind == "flow":
        if "placement" in given:
            ignored.append((("placement",), "placement applies to module layouts",
                            "a flow layout sets its articles one after another, in their order"))
        if "auto" in spec.fit.model_fields_set:
            ignored.append((("fit", "auto"), "a flow layout always fits its pages",
                            "fit.tracking and fit.image_lines bound what it adjusts"))
    folio = spec.folio
    if spec.kind == "modules" and folio is not None and folio.running_head and \
            "running_head" in folio.model_fields_set:
        ignored.append((("folio", "running_head"), "a module page carries a header strip, not running heads",
                        "running heads print on a flow layout's following pages"))
    if spec.qr is not None and spec.header is None:
        ignored.append((("qr",), "the page's QR code goes in the header strip, and there is none",
                        "add header: {line, lines}"))
    return [error(f"{message}: this key changes nothing", layout.locate(*key), code="layout",
                  hint=f"{hint}; see {DOC}") for key, message, hint in ignored]


def _name_errors(layout: Layout) -> list[Diagnostic]:
    folder = layout.folder.name
    if layout.spec.name == folder or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", folder):
        return []
    return [error(f"name {layout.spec.name!r} is not the folder's name {folder!r}", layout.locate("name"),
                  code="layout", hint=f"a layout is called by its folder's name: name: {folder}")]
