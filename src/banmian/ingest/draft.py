"""Draft YAML: an imported ``Draft`` (or a new starter) → commented content YAML that ``load`` accepts.

Takes: a ``banmian.ingest.importer.Draft``, the layout name and the date to put in ``meta``.
Gives: YAML text — every required key present, ``# TODO`` comments wherever the editor must act (ids,
publication, date, titles the source did not have, photos for captions), bodies as literal blocks with
blank lines between paragraphs. Strings are written as JSON-style double-quoted scalars (valid YAML),
so nothing in an imported text can change the structure of the file.
"""

from __future__ import annotations

import datetime as dt
import json

from banmian.core.placeholders import PLACEHOLDER_TITLE
from banmian.ingest.importer import Draft, DraftArticle, DraftImage


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def literal(paragraphs: tuple[str, ...], indent: str) -> list[str]:
    lines: list[str] = []
    for i, para in enumerate(paragraphs):
        if i:
            lines.append("")
        lines.append(indent + " ".join(para.split()))
    return lines


def draft_yaml(draft: Draft, *, layout: str = "broadsheet-page", date: dt.date | None = None) -> str:
    date = date or dt.date.today()
    out = [
        f"# Draft content made by `banmian import` from {draft.source.name}.",
        "# Check every line marked TODO, then: banmian fit <this file>  ·  banmian serve <this file>",
        "# Every key is described in docs/content.md.",
        "meta:",
        '  publication: "TODO"        # TODO: the publication, e.g. 北碚教育',
        '  section: ""                # e.g. 党建专刊',
        '  issue: ""                  # e.g. 第386期',
        f"  date: {date.isoformat()}        # TODO: the issue date",
        "  page: 1",
        f"layout: {layout}        # a folder under layouts/",
        "articles:",
    ]
    for n, article in enumerate(draft.articles, start=1):
        out.extend(_article(article, n))
    for note in draft.notes:
        out.append(f"# NOTE: {note}")
    return "\n".join(out) + "\n"


def _images(images: tuple[DraftImage, ...]) -> list[str]:
    """The article's ``images`` (caption, credit); captions without a file as commented entries."""
    out = []
    with_file = [im for im in images if im.src]
    without = [im for im in images if not im.src]
    if with_file:
        out.append("    images:")
        for im in with_file:
            out.append(f"      - src: {q(im.src or '')}")
            if im.caption:
                out.append(f"        caption: {q(im.caption)}")
            else:
                out.append('        # caption: ""        # TODO: the caption')
            if im.credit:
                out.append(f"        credit: {q(im.credit)}")
    if without:
        out.append("    # TODO: a photo for each caption below: put the file in images/, then uncomment")
        out.append("    # images:" if not with_file else "    # more images:")
        for im in without:
            out.append('    #   - src: "images/TODO.jpg"')
            out.append(f"    #     caption: {q(im.caption or '')}")
            if im.credit:
                out.append(f"    #     credit: {q(im.credit)}")
    return out


def _article(article: DraftArticle, n: int) -> list[str]:
    out = [f"  - id: article-{n}        # TODO: a short id (letters, digits, '-'), e.g. jinxing-primary"]
    if article.byline:
        out.append(f"    school: {q(article.byline)}")
        out.append(f"    byline: {q(article.byline)}")
    else:
        out.append('    # byline: ""        # TODO: author or school, if the page prints one')
    title = article.title or (PLACEHOLDER_TITLE,)
    todo = "" if article.title else "        # TODO: write the headline"
    if len(title) == 1:
        out.append(f"    title: {q(title[0])}{todo}")
    else:
        out.append("    title:")
        out.extend(f"      - {q(line)}" for line in title)
    if article.subtitle:
        out.append(f"    subtitle: {q(article.subtitle)}")
    out.append("    body: |")
    out.extend(literal(article.paragraphs or ("TODO",), "      "))
    out += _images(article.images)
    return out
