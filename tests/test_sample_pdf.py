"""The sample page as a user gets it: boxes in mm, every article's text in the text layer in reading
order, every CJK character of the content present, all fonts embedded and subset."""

from __future__ import annotations

import collections
import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from banmian.compose.page import PageModel
from banmian.core.units import MM
from banmian.pipeline import BuildOptions, compose
from banmian.source.load import load

from .conftest import SAMPLE
from .pdftext import column_text, trim_offset

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def page(world) -> PageModel:  # type: ignore[no-untyped-def]
    return compose(SAMPLE, BuildOptions(), world).pages[0]


def mm(value: float) -> float:
    return round(float(value) / MM, 1)


def test_boxes_in_mm(sample_pdf: Path) -> None:
    with pikepdf.open(sample_pdf) as pdf:
        assert len(pdf.pages) == 1
        p = pdf.pages[0]
        trim = [float(v) for v in p.TrimBox]
        bleed = [float(v) for v in p.BleedBox]
        media = [float(v) for v in p.MediaBox]
    assert (mm(trim[2] - trim[0]), mm(trim[3] - trim[1])) == (390.0, 540.0)
    assert (mm(bleed[2] - bleed[0]), mm(bleed[3] - bleed[1])) == (396.0, 546.0)
    assert mm(trim[0] - bleed[0]) == 3.0
    # a slug outside the bleed for marks
    assert media[0] < bleed[0] and media[2] > bleed[2] and media[3] > bleed[3]


def test_every_article_in_reading_order(sample_pdf: Path, page: PageModel) -> None:
    offset = trim_offset(sample_pdf)
    with pdfplumber.open(sample_pdf) as pdf:
        pdf_page = pdf.pages[0]
        doc = load(SAMPLE)
        by_id = {a.id: a for a in doc.articles}
        for art in page.articles:
            text = column_text(pdf_page, art.body, offset, page.layout.column_width,
                               page.layout.spec.grid.pitch)
            assert text == by_id[art.id].body_text, art.id


def test_every_cjk_character_present(sample_pdf: Path) -> None:
    with pdfplumber.open(sample_pdf) as pdf:
        text = "".join(c["text"] for c in pdf.pages[0].chars)
    have = collections.Counter(CJK.findall(text))
    need = collections.Counter()
    doc = load(SAMPLE)
    need.update(CJK.findall(doc.content.meta.publication))
    for art in doc.articles:
        a = art.article
        need.update(CJK.findall(art.body_text))
        for part in (a.kicker, a.subtitle, a.byline, *a.title_lines):
            need.update(CJK.findall(part or ""))
        for image in a.images:
            need.update(CJK.findall(image.caption or ""))
    missing = {ch: n - have[ch] for ch, n in need.items() if have[ch] < n}
    assert not missing


def test_fonts_embedded_and_subset(sample_pdf: Path) -> None:
    out = subprocess.run(["pdffonts", str(sample_pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert len(rows) >= 5
    for row in rows:
        name, *_ = row.split()
        assert re.match(r"^[A-Z]{6}\+", name), row
        assert " yes yes yes " in row, row  # embedded, subset, ToUnicode


def test_lang_and_metadata(sample_pdf: Path) -> None:
    with pikepdf.open(sample_pdf) as pdf:
        info = pdf.docinfo
        assert "北碚教育" in str(info.get("/Title"))
        assert str(pdf.Root.get("/Lang")) == "zh-Hans"
