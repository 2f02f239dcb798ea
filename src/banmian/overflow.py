"""Overflow: no line may be printed wider than its frame.

Takes: the composed pages and the ``Document`` they came from.
Gives: an error for every placed line wider than its measure — an unbreakable run (a 3 000-letter
word, a long URL) that the composer could not break would otherwise run off the frame and off the
sheet, its text in the PDF but invisible. Each error names the article and points at the key the
line came from (``body``, ``title``, ``images[0].caption``…).
"""

from __future__ import annotations

from collections.abc import Sequence

from banmian.compose.page import PageModel, PlacedLine
from banmian.diagnostics import Diagnostic, error
from banmian.load import Document
from banmian.yamlsrc import KeyPath

TOLERANCE = 0.5  # pt
EXCERPT = 24  # characters quoted in the message
ARTICLE_KEYS: dict[str, KeyPath] = {
    "body": ("body",), "title": ("title",), "kicker": ("kicker",), "subtitle": ("subtitle",),
    "byline": ("byline",), "caption": ("images", 0, "caption"), "sidebar-title": ("sidebar", "title"),
    "sidebar": ("sidebar",),
}


def overflow_diagnostics(pages: Sequence[PageModel], doc: Document) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    index = {a.id: a.index for a in doc.articles}
    for page in pages:
        for pl in (*page.header, *page.banner):
            key: KeyPath = ("banner", pl.style.removeprefix("banner-")) if pl.style.startswith("banner-") \
                else ("meta",)
            out += _check(pl, None, doc, key)
        for art in page.articles:
            lines = [*art.headline, *(pl for fig in art.figures for pl in fig.caption), *art.body]
            if art.sidebar is not None:
                lines += [*art.sidebar.title, *art.sidebar.lines]
            base: KeyPath = ("articles", index[art.id])
            for pl in lines:
                out += _check(pl, art.id, doc, (*base, *ARTICLE_KEYS.get(pl.style, ())))
    return out


def _check(pl: PlacedLine, article: str | None, doc: Document, key: KeyPath) -> list[Diagnostic]:
    line = pl.line
    if line.width <= line.measure + TOLERANCE:
        return []
    text = line.text
    excerpt = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")
    who = f"article {article!r}: " if article else ""
    return [error(f"{who}a line is {line.width:.0f} pt wide, its frame {line.measure:.0f} pt: "
                  f"{excerpt!r} cannot be broken", doc.source.locate(key), code="overflow",
                  hint="break the long word or address with spaces, or shorten it")]
