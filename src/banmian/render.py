"""Render: ``PageModel`` → HTML (Jinja2, the layout's templates and CSS) → WeasyPrint document.

Takes: a composed ``PageModel``, the document metadata, the font set and the prepared images.
Gives: ``RenderInput`` (the HTML text and the in-memory resources it references: font subsets and
images under the ``banmian:`` scheme) and, from ``render``, a laid-out WeasyPrint document. Each line
is drawn glyph by glyph where the composer put it: runs of glyphs with one gap become one span with
CSS ``letter-spacing``, so the text layer holds exactly the content's characters. WeasyPrint is given
nothing it could fetch from the machine or the network: ``banmian.fetch`` serves the ``banmian:``
resources and the files under the build's roots, and refuses every other URL.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from banmian.compose.page import PageModel, PlacedLine
from banmian.diagnostics import BuildError, error
from banmian.fonts import FontSet
from banmian.fontsubset import subset_font
from banmian.graphics import PreparedImage
from banmian.layout import MM, Layout

if TYPE_CHECKING:
    from weasyprint.document import Document as WeasyDocument

    from banmian.fetch import Origin, Roots

TEMPLATES = Path(__file__).resolve().parent / "templates"
LABEL_ROLE = "hei"
PAPER = (0.0, 0.0, 0.0, 0.0)
REGISTRATION = (1.0, 1.0, 1.0, 1.0)
OVERSET = (0.0, 1.0, 1.0, 0.0)


@dataclass(frozen=True)
class DocInfo:
    title: str
    author: str
    subject: str
    keywords: str
    created: str  # ISO 8601


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class PrintMarks:
    marks: tuple[Mark, ...]
    targets: tuple[tuple[float, float], ...]
    slug_y: float
    slug_text: str


@dataclass(frozen=True)
class RenderInput:
    html: str
    resources: Mapping[str, tuple[bytes, str]]
    page_width: float  # pt, the whole sheet (MediaBox)
    page_height: float
    offset: float  # pt from the sheet's edge to the trim box


def pt(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text if text != '-0' else '0'}pt"


def cmyk_css(cmyk: tuple[float, float, float, float], scale: float = 100) -> str:
    return "device-cmyk(" + " ".join(f"{v / scale:.4g}" for v in cmyk) + ")"


def runs(pl: PlacedLine) -> Iterator[tuple[str, float, bool]]:
    """Runs of glyphs with the same style and the same gap after each glyph: (text, gap, bold)."""
    glyphs = pl.line.glyphs
    if not glyphs:
        return
    text = ""
    gap = None
    bold = glyphs[0].bold
    for i, g in enumerate(glyphs):
        nxt = glyphs[i + 1] if i + 1 < len(glyphs) else None
        this_gap = round(nxt.x - g.x - g.advance, 3) if nxt is not None else (gap or 0.0)
        if text and (g.bold != bold or abs(this_gap - (gap or 0.0)) > 0.0005):
            yield text, gap or 0.0, bold
            text = ""
        if not text:
            gap, bold = this_gap, g.bold
        text += g.text
    if text:
        yield text, gap or 0.0, bold


def line_markup(pl: PlacedLine) -> Markup:
    glyphs = pl.line.glyphs
    if not glyphs:
        return Markup("")
    parts = [f'<div class="ln s-{pl.style}" style="left:{pt(pl.x + glyphs[0].x)};top:{pt(pl.y)}">']
    for text, gap, bold in runs(pl):
        cls = ' class="b"' if bold else ""
        spacing = f' style="letter-spacing:{pt(gap)}"' if abs(gap) > 0.0005 else ""
        parts.append(f"<span{cls}{spacing}>{escape(text, quote=False)}</span>")
    parts.append("</div>")
    return Markup("".join(parts))


def stylesheet(layout: Layout, fonts: FontSet, used_roles: set[str]) -> str:
    spec = layout.spec
    props = [f"--bm-{name}: {cmyk_css(c)};" for name, c in spec.colors.items()]
    accent = "red" if "red" in spec.colors else spec.rules.color
    tint = "tint" if "tint" in spec.colors else None
    props += [
        f"--bm-rule-color: var(--bm-{spec.rules.color});",
        f"--bm-accent: var(--bm-{accent});",
        f"--bm-sidebar-fill: {f'var(--bm-{tint})' if tint else cmyk_css(PAPER)};",
        f"--bm-frame: {pt(spec.rules.frame)};",
        f"--bm-paper: {cmyk_css(PAPER)};",
        f"--bm-registration: {cmyk_css(REGISTRATION, 1)};",
        f"--bm-overset: {cmyk_css(OVERSET, 1)};",
        f"--bm-label-font: {fonts[LABEL_ROLE].css_family};",
    ]
    for name, style in spec.styles.items():
        props += [f"--bm-{name}-size: {pt(style.size)};", f"--bm-{name}-leading: {pt(style.leading)};"]
    css = []
    for role in sorted(used_roles):
        css.append(f'@font-face {{ font-family: "{fonts[role].css_family}"; '
                   f'src: url("banmian:font/{role}"); }}')
    css.append(":root { " + " ".join(props) + " }")
    for name, style in spec.styles.items():
        css.append(f".s-{name} {{ font-family: \"{fonts[style.font].css_family}\"; "
                   f"font-size: var(--bm-{name}-size); line-height: var(--bm-{name}-leading); "
                   f"color: var(--bm-{style.color}); font-weight: normal; }}")
        if style.bold:
            css.append(f".s-{name} .b {{ font-family: \"{fonts[style.bold].css_family}\"; }}")
    return "\n".join(css)


def print_marks(layout: Layout, slug_text: str) -> PrintMarks:
    """Crop marks and registration targets in the slug, outside the bleed; coordinates in trim space."""
    bleed = layout.spec.page.bleed * MM
    slug = layout.spec.page.slug * MM
    w, h = layout.trim_w, layout.trim_h
    start = bleed + 1 * MM  # marks begin 1 mm outside the bleed
    length = max(0.0, min(slug - 1.5 * MM, 8 * MM))
    weight = 0.25
    marks: list[Mark] = []
    if length > 0:
        for x in (0.0, w):
            for y in (0.0, h):
                sx = -1 if x == 0 else 1
                sy = -1 if y == 0 else 1
                # horizontal mark on the trim line y, outside the bleed horizontally
                hx = x + sx * start if sx > 0 else x - start - length
                marks.append(Mark(hx, y - weight / 2, length, weight))
                vy = y + sy * start if sy > 0 else y - start - length
                marks.append(Mark(x - weight / 2, vy, weight, length))
    centre = bleed + (slug - 0 * MM) / 2 + 0.5 * MM
    targets = ((w / 2, -centre), (w / 2, h + centre), (-centre, h / 2), (w + centre, h / 2)) \
        if slug >= 6 * MM else ()
    return PrintMarks(tuple(marks), targets, h + bleed + 1.2 * MM, slug_text)


@functools.lru_cache(maxsize=8)
def _environment(layout_folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(layout_folder)),
                                    jinja2.FileSystemLoader(str(TEMPLATES))]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pt"] = pt
    env.globals["line"] = line_markup
    return env


def placed_lines(page: PageModel) -> list[PlacedLine]:
    """Every composed line of a page, in reading order."""
    placed: list[PlacedLine] = [*page.header, *page.banner]
    for art in page.articles:
        placed += [*art.headline]
        for fig in art.figures:
            placed += fig.caption
        placed += art.body
        if art.sidebar:
            placed += [*art.sidebar.title, *art.sidebar.lines]
    return placed


def used_characters(pages: Sequence[PageModel], extra_label_text: str) -> dict[str, set[str]]:
    styles = pages[0].layout.spec.styles
    chars: dict[str, set[str]] = {LABEL_ROLE: set(extra_label_text)}
    placed = [pl for page in pages for pl in placed_lines(page)]
    for pl in placed:
        style = styles[pl.style]
        for g in pl.line.glyphs:
            role = style.bold if g.bold and style.bold else style.font
            chars.setdefault(role, set()).update(g.text)
    return chars


def build_html(pages: Sequence[PageModel], fonts: FontSet, images: Mapping[str, PreparedImage],
               info: DocInfo, slug_text: str, *, proof: bool = False) -> RenderInput:
    layout = pages[0].layout
    label_text = slug_text + "超行/字+0123456789"
    chars = used_characters(pages, label_text)
    resources: dict[str, tuple[bytes, str]] = {}
    for role, used in chars.items():
        resources[f"banmian:font/{role}"] = (subset_font(fonts[role].ref, frozenset(used)), "font/otf")
    for key, image in images.items():
        resources[f"banmian:image/{key}"] = (image.data, image.mime)
    offset = (layout.spec.page.bleed + layout.spec.page.slug) * MM
    sheet_w = layout.trim_w + 2 * offset
    sheet_h = layout.trim_h + 2 * offset
    css = [f"@page {{ size: {pt(sheet_w)} {pt(sheet_h)}; margin: 0; }}",
           (TEMPLATES / "base.css").read_text(encoding="utf-8"),
           stylesheet(layout, fonts, set(chars)),
           f".sheet {{ width: {pt(sheet_w)}; height: {pt(sheet_h)}; }}",
           f".trim {{ left: {pt(offset)}; top: {pt(offset)}; width: {pt(layout.trim_w)}; "
           f"height: {pt(layout.trim_h)}; }}"]
    layout_css = layout.folder / layout.spec.stylesheet
    if layout_css.is_file():
        css.append(layout_css.read_text(encoding="utf-8"))
    env = _environment(layout.folder)
    try:
        template = env.get_template(layout.spec.template)
        html = template.render(pages=pages, doc=info, css=Markup("\n".join(css)), proof=proof,
                               print=print_marks(layout, slug_text), color=_color_fn(layout))
    except jinja2.TemplateError as exc:
        where = getattr(exc, "filename", None) or layout.spec.template
        line = getattr(exc, "lineno", None)
        raise BuildError([error(f"template error in {where}{f':{line}' if line else ''}: {exc}",
                                code="template")]) from None
    return RenderInput(html, resources, sheet_w, sheet_h, offset)


def _color_fn(layout: Layout) -> Any:
    def color(name: str) -> str:
        return f"var(--bm-{name})" if name in layout.spec.colors else cmyk_css((0, 0, 0, 100))
    return color


def render(ri: RenderInput, roots: Roots | None = None,
           origins: Mapping[str, Origin] | None = None) -> WeasyDocument:
    """Lay out the HTML with WeasyPrint through ``banmian.fetch.ConfinedFetcher``: the in-memory
    resources, and files under ``roots`` (relative URLs resolve against the layout's folder)."""
    import weasyprint
    from weasyprint.urls import path2url

    from banmian.fetch import ConfinedFetcher, Roots

    roots = roots or Roots()
    fetcher = ConfinedFetcher(roots, ri.resources, origins)
    base_url = path2url(roots.layout.resolve()) if roots.layout is not None else "banmian:page"
    document = weasyprint.HTML(string=ri.html, base_url=base_url,
                               url_fetcher=fetcher).render(font_config=_font_config())
    if fetcher.refusals:
        raise BuildError(fetcher.diagnostics())
    return document


def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()
