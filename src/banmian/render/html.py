"""Render: ``PageModel`` → HTML (Jinja2, the layout's templates and CSS) → WeasyPrint document.

Takes: a composed ``PageModel``, the document metadata, the font set, the prepared images and the press.
Gives: ``RenderInput`` (the HTML text and the in-memory resources it references: font subsets, images,
the press profile and the registration colour's profile under the ``banmian:`` scheme) and, from
``render``, a laid-out WeasyPrint document. Each line
is drawn glyph by glyph where the composer put it: runs of glyphs with one gap become one span with
CSS ``letter-spacing``, so the text layer holds exactly the content's characters. WeasyPrint is given
nothing it could fetch from the machine or the network: ``banmian.render.fetch`` serves the ``banmian:``
resources and the files under the build's roots, and refuses every other URL.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from banmian.compose.page import PageModel, PlacedLine
from banmian.core.diagnostics import BuildError, Location, error
from banmian.core.packagedata import package_path
from banmian.core.units import MM
from banmian.graphics.photos import PreparedImage
from banmian.graphics.press import Press
from banmian.render import registration
from banmian.render.fontsubset import subset_font
from banmian.render.templating import render_page
from banmian.render.weasy import weasyprint as load_weasyprint
from banmian.source.fonts import FontSet
from banmian.source.layout import OUTSIDE, OUTSIDE_HINT, Layout, layout_file, too_large

if TYPE_CHECKING:
    from weasyprint.document import Document as WeasyDocument

    from banmian.render.fetch import Origin, Roots

TEMPLATES = package_path("banmian.render", "templates")
LABEL_ROLE = "hei"
PAPER = (0.0, 0.0, 0.0, 0.0)
OVERSET = (0.0, 1.0, 1.0, 0.0)


@dataclass(frozen=True)
class DocInfo:
    title: str
    author: str
    subject: str
    keywords: str
    created: str  # ISO 8601


@dataclass(frozen=True)
class SlugLine:
    """The line in the slug under the page that names the issue (trim space); the marks around it are
    drawn by the export post-pass (``banmian.export.marks``)."""

    slug_y: float
    slug_text: str
    slug_x: float = 8 * MM  # clear of the bottom-left crop mark, which runs down from the trim corner


@dataclass(frozen=True)
class RenderInput:
    html: str
    resources: Mapping[str, tuple[bytes, str]]
    page_width: float  # pt, the whole sheet (MediaBox)
    page_height: float
    offset: float  # pt from the sheet's edge to the trim box

    def digest(self) -> bytes:
        """A digest of everything a render is made of (HTML and resources): the PDF's stable identity."""
        h = hashlib.sha256(self.html.encode())
        for url in sorted(self.resources):
            h.update(url.encode())
            h.update(self.resources[url][0])
        return h.digest()


def pt(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text if text != '-0' else '0'}pt"


def cmyk_css(cmyk: tuple[float, float, float, float], scale: float = 100) -> str:
    return "device-cmyk(" + " ".join(f"{v / scale:.4g}" for v in cmyk) + ")"


@dataclass
class Run:
    text: str
    gap: float  # letter-spacing: added after every glyph of the run
    bold: bool
    word: float | None = None  # word-spacing: added to each space on top of ``gap``
    after: float = 0.0  # margin-right: the gap after a ligature, which must not be letter-spaced
    whole: bool = False  # a ligature cluster alone in its run (nothing joins it)


@dataclass(frozen=True)
class _Cluster:
    text: str
    x: float
    advance: float
    bold: bool


def _clusters(pl: PlacedLine) -> list[_Cluster]:
    """Glyphs joined into shaping clusters: a glyph with zero advance (e.g. the second dash of the
    ``——`` ligature, which HarfBuzz shapes as one glyph) belongs with the glyph before it."""
    out: list[_Cluster] = []
    for g in pl.line.glyphs:
        if out and g.advance == 0 and out[-1].bold == g.bold:
            prev = out[-1]
            out[-1] = _Cluster(prev.text + g.text, prev.x, prev.advance, prev.bold)
        else:
            out.append(_Cluster(g.text, g.x, g.advance, g.bold))
    return out


def runs(pl: PlacedLine) -> list[Run]:
    """Runs of clusters with the same style and the same gap after each cluster.

    A space never starts a run (WeasyPrint drops a span holding only a space, which would lose it from
    the text layer): it joins the run before it, its own gap carried by ``word-spacing``.
    """
    clusters = _clusters(pl)
    gaps: list[float | None] = [round(b.x - a.x - a.advance, 3) for a, b in itertools.pairwise(clusters)]
    gaps.append(None)
    for i, c in enumerate(clusters[:-1]):
        # WeasyPrint mispositions a glyph whose advance + letter-spacing is zero or less (e.g. ”“ set
        # in one em): keep 0.01 pt of advance and take it back from the next gap.
        gap = gaps[i]
        assert gap is not None
        if gap < 0 and c.advance + gap < 0.01:
            delta = round(0.01 - (c.advance + gap), 3)
            gaps[i] = gap + delta
            following = gaps[i + 1]
            if following is not None:
                gaps[i + 1] = round(following - delta, 3)
    out: list[Run] = []
    for i, c in enumerate(clusters):
        gap = gaps[i]
        if len(c.text) > 1:  # a ligature (——): Pango breaks ligatures in letter-spaced text
            out.append(Run(c.text, 0.0, c.bold, after=gap or 0.0, whole=True))
            continue
        run = out[-1] if out and not out[-1].whole else None
        if c.text == " " and run is not None and run.bold == c.bold:
            word = round((gap or 0.0) - run.gap, 3)
            if run.word is None or abs(run.word - word) < 0.0005:
                run.text += c.text
                run.word = word
                continue
        if run is not None and run.bold == c.bold and (gap is None or abs(gap - run.gap) < 0.0005):
            run.text += c.text
            continue
        out.append(Run(c.text, gap if gap is not None else (run.gap if run else 0.0), c.bold))
    return out


def _runs_markup(pl: PlacedLine, offset: float) -> str:
    parts = []
    for k, run in enumerate(runs(pl)):
        style = []
        if k == 0 and abs(offset) > 0.0005:
            style.append(f"margin-left:{pt(offset)}")
        if abs(run.gap) > 0.0005:
            style.append(f"letter-spacing:{pt(run.gap)}")
        if run.word is not None and abs(run.word) > 0.0005:
            style.append(f"word-spacing:{pt(run.word)}")
        if abs(run.after) > 0.0005:
            style.append(f"margin-right:{pt(run.after)}")
        text = escape(run.text, quote=False)
        if not style and not run.bold and not run.whole:
            parts.append(text)  # plain text needs no element: fewer boxes for WeasyPrint to style
            continue
        cls = ' class="b"' if run.bold else ""
        attr = f' style="{";".join(style)}"' if style else ""
        parts.append(f"<span{cls}{attr}>{text}</span>")
    return "".join(parts)


def line_markup(pl: PlacedLine) -> Markup:
    """One line as its own positioned block."""
    return lines_markup([pl], {pl.style: 0.0})


def lines_markup(placed: Sequence[PlacedLine], leading: Mapping[str, float]) -> Markup:
    """Lines as few positioned blocks as possible: consecutive lines of one style, one leading apart,
    share a block (one line per text line, separated by a newline under ``white-space: pre``), each
    line's start set by a margin. Far fewer boxes for WeasyPrint to style and lay out."""
    groups: list[list[PlacedLine]] = []
    for pl in placed:
        if not pl.line.glyphs:
            continue
        last = groups[-1][-1] if groups else None
        if (last is not None and last.style == pl.style
                and abs(pl.y - last.y - leading.get(pl.style, -1.0)) < 0.01):
            groups[-1].append(pl)
        else:
            groups.append([pl])
    out = []
    for group in groups:
        left = min(pl.x + pl.line.glyphs[0].x for pl in group)
        inner = "\n".join(_runs_markup(pl, pl.x + pl.line.glyphs[0].x - left) for pl in group)
        out.append(f'<div class="ln s-{group[0].style}" style="left:{pt(left)};top:{pt(group[0].y)}">'
                   f"{inner}</div>")
    return Markup("".join(out))


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
        f"--bm-registration: {registration.COLOUR};",
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


def sheet_offset(layout: Layout) -> float:
    """pt from the sheet's edge (MediaBox) to the trim box: the bleed and the slug."""
    return (layout.spec.page.bleed + layout.spec.page.slug) * MM


def slug_line(layout: Layout, slug_text: str) -> SlugLine:
    return SlugLine(layout.trim_h + layout.spec.page.bleed * MM + 1.2 * MM, slug_text)


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
               info: DocInfo, slug_text: str, *, press: Press, proof: bool = False) -> RenderInput:
    layout = pages[0].layout
    label_text = slug_text + "超行/字+0123456789"
    chars = used_characters(pages, label_text)
    resources: dict[str, tuple[bytes, str]] = {}
    for role, used in chars.items():
        resources[f"banmian:font/{role}"] = (subset_font(fonts[role].ref, frozenset(used)), "font/otf")
    for key, image in images.items():
        resources[f"banmian:image/{key}"] = (image.data, image.mime)
    # the press profile: PDF output intent of everything drawn in device-cmyk; the registration colour
    resources["banmian:icc/press"] = (press.data, "application/vnd.iccprofile")
    resources[registration.URL] = (registration.PROFILE, "application/vnd.iccprofile")
    offset = sheet_offset(layout)
    sheet_w = layout.trim_w + 2 * offset
    sheet_h = layout.trim_h + 2 * offset
    css = [f"@page {{ size: {pt(sheet_w)} {pt(sheet_h)}; margin: 0; }}",
           (TEMPLATES / "base.css").read_text(encoding="utf-8"),
           press_css(),
           stylesheet(layout, fonts, set(chars)),
           f".sheet {{ width: {pt(sheet_w)}; height: {pt(sheet_h)}; }}",
           f".trim {{ left: {pt(offset)}; top: {pt(offset)}; width: {pt(layout.trim_w)}; "
           f"height: {pt(layout.trim_h)}; }}"]
    css += layout_stylesheet(layout)
    html = render_page(layout, TEMPLATES, (("pt", pt),), {
        "pages": pages, "doc": info, "css": Markup("\n".join(css)), "proof": proof,
        "print": slug_line(layout, slug_text), "color": _color_fn(layout), "line": line_markup,
        "lines": _lines_fn(layout)})
    return RenderInput(html, resources, sheet_w, sheet_h, offset)


def layout_stylesheet(layout: Layout) -> list[str]:
    """The layout's own CSS (none when it has no such file), read only from inside its folder."""
    real = layout_file(layout.folder, layout.spec.stylesheet)
    problem = OUTSIDE if real is None else too_large(real)
    if real is None or problem is not None:
        raise BuildError([error(f"{layout.spec.stylesheet}: {problem}", layout.locate("stylesheet"),
                                code="layout", hint=OUTSIDE_HINT)])
    try:
        return [real.read_text(encoding="utf-8")] if real.is_file() else []
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        raise BuildError([error(f"not valid UTF-8 (byte 0x{byte:02x} at offset {exc.start})", Location(real),
                                code="layout", hint="save the stylesheet as UTF-8")]) from None


def _lines_fn(layout: Layout) -> Any:
    leading = {name: style.leading for name, style in layout.spec.styles.items()}

    def lines(placed: Sequence[PlacedLine]) -> Markup:
        return lines_markup(placed, leading)
    return lines


def press_css() -> str:
    return ('@color-profile device-cmyk { src: url("banmian:icc/press"); components: c, m, y, k; }\n'
            f"{registration.CSS}\nhtml {{ color: {cmyk_css((0, 0, 0, 100))}; }}")


def _color_fn(layout: Layout) -> Any:
    def color(name: str) -> str:
        return f"var(--bm-{name})" if name in layout.spec.colors else cmyk_css((0, 0, 0, 100))
    return color


def render(ri: RenderInput, roots: Roots | None = None,
           origins: Mapping[str, Origin] | None = None) -> WeasyDocument:
    """Lay out the HTML with WeasyPrint through ``banmian.render.fetch.ConfinedFetcher``: the in-memory
    resources, and files under ``roots`` (relative URLs resolve against the layout's folder)."""
    load_weasyprint()  # first: the quick import (banmian.render.weasy)
    from banmian.render.fetch import ConfinedFetcher, Roots

    roots = roots or Roots()
    fetcher = ConfinedFetcher(roots, ri.resources, origins)
    # the folder's URL ends in "/": relative URLs resolve inside it
    base_url = roots.layout.resolve().as_uri() + "/" if roots.layout is not None else "banmian:page"
    document = load_weasyprint().HTML(string=ri.html, base_url=base_url,
                                      url_fetcher=fetcher).render(font_config=_font_config())
    if fetcher.refusals:
        raise BuildError(fetcher.diagnostics())
    return document


def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()
