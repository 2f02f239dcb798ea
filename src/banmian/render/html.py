"""Render: ``PageModel`` → HTML (Jinja2, the layout's templates and CSS) → WeasyPrint document.

Takes: a composed ``PageModel``, the document metadata, the font set, the prepared images and the press.
Gives: ``RenderInput`` (the HTML text and the in-memory resources it references: font subsets, images,
the press profile and the registration colour's profile under the ``banmian:`` scheme) and, from
``render``, a laid-out WeasyPrint document of the page frame: boxes, rules, tints, photos, codes and
whatever free HTML a layout adds. The composed lines the template draws (``line``, ``lines``, ``slug``)
are not written into the HTML: they are recorded (``banmian.render.textlayer``) in ``RenderInput.text``
and drawn glyph by glyph where the composer put them by the export's post-pass. WeasyPrint is given
nothing it could fetch from the machine or the network: ``banmian.render.fetch`` serves the ``banmian:``
resources and the files under the build's roots, and refuses every other URL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from banmian.compose.page import PageModel
from banmian.core.diagnostics import BuildError, Location, error
from banmian.core.packagedata import package_path
from banmian.core.units import MM
from banmian.graphics.photos import PreparedImage
from banmian.graphics.press import Press
from banmian.render import registration
from banmian.render.cssdiag import css_diagnostics, weasyprint_diagnostics
from banmian.render.templating import render_page
from banmian.render.textlayer import Label, SetLine, TextRecorder, placed_lines
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
BOLD_LABEL_ROLE = "hei-bold"  # the overset marker's "+" (the label role when a manifest has no such role)
__all__ = ["DocInfo", "RenderInput", "build_html", "placed_lines", "render"]


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
    text: tuple[tuple[SetLine, ...], ...] = ()  # per page: the composed lines banmian draws itself
    stylesheet: tuple[Path, str] | None = None  # the layout's own CSS (in ``html`` too), ``render`` checks it

    def frame_digest(self) -> bytes:
        """A digest of what WeasyPrint renders (HTML and resources): the frame's identity."""
        h = hashlib.sha256(self.html.encode())
        for url in sorted(self.resources):
            h.update(url.encode())
            h.update(self.resources[url][0])
        return h.digest()

    def digest(self) -> bytes:
        """A digest of everything a render is made of (the frame and the text): the PDF's identity."""
        return hashlib.sha256(self.frame_digest() + repr(self.text).encode()).digest()


def pt(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text if text != '-0' else '0'}pt"


def cmyk_css(cmyk: tuple[float, float, float, float], scale: float = 100) -> str:
    return "device-cmyk(" + " ".join(f"{v / scale:.4g}" for v in cmyk) + ")"


def stylesheet(layout: Layout, fonts: FontSet) -> str:
    """The layout's colours, sizes and leadings as custom properties, and a class per type style for
    free HTML a layout adds (banmian's own text is drawn by banmian, in the manifest's faces, which
    WeasyPrint is not given)."""
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
    css = [":root { " + " ".join(props) + " }"]
    for name, style in spec.styles.items():
        css.append(f".s-{name} {{ font-size: var(--bm-{name}-size); line-height: var(--bm-{name}-leading); "
                   f"color: var(--bm-{style.color}); font-weight: normal; }}")
    return "\n".join(css)


def sheet_offset(layout: Layout) -> float:
    """pt from the sheet's edge (MediaBox) to the trim box: the bleed and the slug."""
    return (layout.spec.page.bleed + layout.spec.page.slug) * MM


def slug_line(layout: Layout, slug_text: str) -> SlugLine:
    return SlugLine(layout.trim_h + layout.spec.page.bleed * MM + 1.2 * MM, slug_text)


def build_html(pages: Sequence[PageModel], fonts: FontSet, images: Mapping[str, PreparedImage],
               info: DocInfo, slug_text: str, *, press: Press, proof: bool = False) -> RenderInput:
    """The page frame as HTML (composed text recorded in ``RenderInput.text``, not written into it);
    the proof's overset labels, WeasyPrint's only text, in a subset of the label role."""
    layout = pages[0].layout
    resources: dict[str, tuple[bytes, str]] = {}
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
           stylesheet(layout, fonts),
           f".sheet {{ width: {pt(sheet_w)}; height: {pt(sheet_h)}; }}",
           f".trim {{ left: {pt(offset)}; top: {pt(offset)}; width: {pt(layout.trim_w)}; "
           f"height: {pt(layout.trim_h)}; }}"]
    own = layout_stylesheet(layout)
    css += [own] if own is not None else []
    text = TextRecorder(layout, fonts, pages)

    def slug(line: SlugLine) -> Markup:
        return text.slug(line.slug_x, line.slug_y, line.slug_text, LABEL_ROLE)

    plus = Label(BOLD_LABEL_ROLE if BOLD_LABEL_ROLE in fonts else LABEL_ROLE, 11.0, 12.0, OVERSET, "center")
    count = Label(LABEL_ROLE, 8.0, 10.0, OVERSET, "right")

    def overset_labels(x: float, y: float, lines: int, chars: int) -> Markup:
        """The overset marker's ``+`` in its 12 pt box at (x, y) and the count right-aligned to its left."""
        text.label(x + 1, y + 1, 12.0, "+", plus)
        return text.label(x - 111, y + 10, 110.0, f"超 {lines} 行 / {chars} 字", count)

    html = render_page(layout, TEMPLATES, (("pt", pt),), {
        "pages": pages, "doc": info, "css": Markup("\n".join(css)), "proof": proof,
        "print": slug_line(layout, slug_text), "color": _color_fn(layout), "line": text.line,
        "lines": text.lines, "slug": slug, "overset_labels": overset_labels})
    checked = (layout.folder / layout.spec.stylesheet, own) if own is not None else None
    return RenderInput(html, resources, sheet_w, sheet_h, offset, text.result(), checked)


def layout_stylesheet(layout: Layout) -> str | None:
    """The layout's own CSS (``None`` when it has no such file), read only from inside its folder; a
    rule that would not take effect, or would change composed text, is an error at its line
    (``banmian.render.cssdiag``; what WeasyPrint ignores is found by ``render``)."""
    real = layout_file(layout.folder, layout.spec.stylesheet)
    problem = OUTSIDE if real is None else too_large(real)
    if real is None or problem is not None:
        raise BuildError([error(f"{layout.spec.stylesheet}: {problem}", layout.locate("stylesheet"),
                                code="layout", hint=OUTSIDE_HINT)])
    try:
        text = real.read_text(encoding="utf-8") if real.is_file() else None
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        raise BuildError([error(f"not valid UTF-8 (byte 0x{byte:02x} at offset {exc.start})", Location(real),
                                code="layout", hint="save the stylesheet as UTF-8")]) from None
    if text is None:
        return None
    problems = css_diagnostics(layout.folder / layout.spec.stylesheet, text)
    if problems:
        raise BuildError(problems)
    return text


def press_css() -> str:
    return ('@color-profile device-cmyk { src: url("banmian:icc/press"); components: c, m, y, k; }\n'
            f"{registration.CSS}\nhtml {{ color: {cmyk_css((0, 0, 0, 100))}; }}")


def _color_fn(layout: Layout) -> Any:
    def color(name: str) -> str:
        return f"var(--bm-{name})" if name in layout.spec.colors else cmyk_css((0, 0, 0, 100))
    return color


def render(ri: RenderInput, roots: Roots | None = None,
           origins: Mapping[str, Origin] | None = None) -> tuple[WeasyDocument, tuple[Path, ...]]:
    """Lay out the HTML with WeasyPrint through ``banmian.render.fetch.ConfinedFetcher``: the in-memory
    resources, and files under ``roots`` (relative URLs resolve against the layout's folder). Gives the
    document and the files it read (what a kept frame depends on besides its HTML and resources)."""
    load_weasyprint()  # first: the quick import (banmian.render.weasy)
    from banmian.render.fetch import ConfinedFetcher, Roots

    if ri.stylesheet is not None:
        problems = weasyprint_diagnostics(*ri.stylesheet)
        if problems:
            raise BuildError(problems)

    roots = roots or Roots()
    fetcher = ConfinedFetcher(roots, ri.resources, origins)
    # the folder's URL ends in "/": relative URLs resolve inside it
    base_url = roots.layout.resolve().as_uri() + "/" if roots.layout is not None else "banmian:page"
    document = load_weasyprint().HTML(string=ri.html, base_url=base_url,
                                      url_fetcher=fetcher).render(font_config=_font_config())
    if fetcher.refusals:
        raise BuildError(fetcher.diagnostics())
    files = tuple(sorted({Path(unquote(urlsplit(url).path)) for url in fetcher.served
                          if url.lower().startswith("file:")}))
    return document, files


def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()
