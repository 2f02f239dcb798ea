"""Headline hierarchy on the printed sample: the lead's headline is the largest, colour ranks at most two
steps of the scale, secondary titles black (issue 16: colour no longer ranking anything)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from banmian.pipeline import BuildOptions, build
from banmian.source.load import load

from .conftest import SAMPLE


def title_chars(pdf: Path, title: str) -> list[dict[str, Any]]:
    """The characters of ``title`` as printed: the run of the page's characters spelling it."""
    with pdfplumber.open(pdf) as doc:
        chars = [c for page in doc.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)
    at = text.find(title)
    assert at >= 0, title
    return chars[at:at + len(title)]


@pytest.mark.parametrize("layout", ["broadsheet-page", "tabloid-spread", "a4-newsletter"])
def test_the_lead_headline_is_the_largest_and_colour_ranks_two_steps(layout: str, world: Any,
                                                                     tmp_path: Path) -> None:
    result = build(SAMPLE, BuildOptions(layout=layout, output=tmp_path / "s.pdf"), world)
    spread = next((p for p in result.outputs if p.stem.endswith("-spread")), None)
    pdf = spread or tmp_path / "s.pdf"
    doc = load(SAMPLE)
    firsts = [a.article.title_lines[0] for a in doc.articles]
    sizes = [round(title_chars(pdf, t)[0]["size"], 1) for t in firsts]
    colours = [tuple(title_chars(pdf, t)[0]["non_stroking_color"] or ()) for t in firsts]
    lead = sizes[0]  # the sample's first article is its lead
    assert all(lead > s for s in sizes[1:]), sizes
    coloured = {s for s, c in zip(sizes, colours, strict=True) if c and max(c[:3], default=0) > 0.5}
    assert len(coloured) <= 2, (sizes, colours)
    assert any(not c or max(c[:3], default=0) < 0.01 for c in colours), colours  # black secondary titles


@pytest.mark.parametrize("layout", ["broadsheet-page", "tabloid-spread", "a4-newsletter"])
def test_captions_are_smaller_than_the_body(layout: str, world: Any, tmp_path: Path) -> None:
    result = build(SAMPLE, BuildOptions(layout=layout, output=tmp_path / "s.pdf"), world)
    pdf = next((p for p in result.outputs if p.stem.endswith("-spread")), tmp_path / "s.pdf")
    caption = title_chars(pdf, "百米画卷映童心")[0]["size"]
    body = title_chars(pdf, "党建领航下")[0]["size"]
    assert caption < body
    with pdfplumber.open(pdf) as doc:
        text = "".join(c["text"] for page in doc.pages for c in page.chars)
    assert "活动（学校供图）" in text  # the credit follows the caption with no Latin space
