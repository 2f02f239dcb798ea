"""Print checks: what is printed is what was written — every line inside its frame, every character
with a glyph in its font.

Takes: the composed pages, the ``Document`` they came from and the ``FontSet``.
Gives: errors, each naming the article and pointing at the key the text came from (``body``, ``title``,
``images[0].caption``…), for
- a placed line wider than its measure: an unbreakable run (a 3 000-letter word, a long URL) that the
  composer could not break would otherwise run off the frame, over the next column or off the sheet;
- a character the style's font has no glyph for (an emoji, a rare CJK Extension B character): it would
  print as an empty box (.notdef). White space and default-ignorable characters (format controls such
  as U+200B, the variation selectors) print nothing and are not checked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence

from banmian.compose.page import PageModel, PlacedLine
from banmian.compose.shaping import get_shaper
from banmian.core.diagnostics import Diagnostic, error
from banmian.source.fonts import FontSet
from banmian.source.load import Document
from banmian.source.yamlsrc import KeyPath

TOLERANCE = 0.5  # pt
EXCERPT = 24  # characters quoted in the message
ARTICLE_KEYS: dict[str, KeyPath] = {
    "body": ("body",), "title": ("title",), "kicker": ("kicker",), "subtitle": ("subtitle",),
    "byline": ("byline",), "caption": ("images", 0, "caption"), "sidebar-title": ("sidebar", "title"),
    "sidebar": ("sidebar",),
}


def print_diagnostics(pages: Sequence[PageModel], doc: Document, fonts: FontSet) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple[str | None, KeyPath, str]] = set()
    covered: dict[tuple[str, str], bool] = {}  # (font role, character) → has a glyph
    for page in pages:
        styles = page.layout.spec.styles
        for pl, article, key in _lines(page, doc):
            out += _overflow(pl, article, doc, key)
            style = styles[pl.style]
            for g in pl.line.glyphs:
                role = style.bold if g.bold and style.bold else style.font
                for ch in g.text:
                    has = covered.get((role, ch))
                    if has is None:
                        has = _ignorable(ch) or get_shaper(fonts[role].ref).has_glyphs(ch)
                        covered[(role, ch)] = has
                    if has or (article, key, ch) in seen:
                        continue
                    if not has:
                        seen.add((article, key, ch))
                        who = f"article {article!r}: " if article else ""
                        out.append(error(
                            f"{who}{ch!r} (U+{ord(ch):04X}) is not in the {role!r} font "
                            f"({fonts[role].family}): it would print as an empty box",
                            doc.source.locate(key), code="glyph",
                            hint="replace the character (or write it out in words)"))
    return out


def _lines(page: PageModel, doc: Document) -> Iterator[tuple[PlacedLine, str | None, KeyPath]]:
    """Every placed line with its article id (or None) and the content key it came from."""
    index = {a.id: a.index for a in doc.articles}
    for pl in (*page.header, *page.banner):
        yield pl, None, (("banner", pl.style.removeprefix("banner-")) if pl.style.startswith("banner-")
                         else ("meta",))
    for art in page.articles:
        lines = [*art.headline, *art.body]
        if art.sidebar is not None:
            lines += [*art.sidebar.title, *art.sidebar.lines]
        base: KeyPath = ("articles", index[art.id])
        for pl in lines:
            role = "title" if pl.style.startswith("title-") else pl.style  # a rank of headline_scale
            yield pl, art.id, (*base, *ARTICLE_KEYS.get(role, ()))
        for fig in art.figures:  # each caption at its own image's entry
            for pl in fig.caption:
                yield pl, art.id, (*base, "images", fig.image, "caption")


def _ignorable(ch: str) -> bool:
    return (ch.isspace() or unicodedata.category(ch) == "Cf" or "\ufe00" <= ch <= "\ufe0f"
            or "\U000e0100" <= ch <= "\U000e01ef")


def _overflow(pl: PlacedLine, article: str | None, doc: Document, key: KeyPath) -> list[Diagnostic]:
    line = pl.line
    if line.width <= line.measure + TOLERANCE:
        return []
    text = line.text
    excerpt = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")
    who = f"article {article!r}: " if article else ""
    return [error(f"{who}a line runs {line.width - line.measure:.0f} pt past its {line.measure:.0f} pt "
                  f"frame: {excerpt!r}", doc.source.locate(key), code="overflow",
                  hint="a long word or address cannot be broken: add spaces, or shorten it")]
