"""Fuzz: any content document gives either a PDF holding all its text or clear ``file:line`` errors.

Hypothesis generates content documents — mostly valid in shape, with random text (CJK, Latin, markup-
and template-like snippets, control-ish and rare characters), now and then an unknown key, a wrong type
or a missing key — writes them as YAML and builds them through the CLI. Exit 0 must mean a PDF whose
text layer holds every Han character of the bodies; exit 1 must come with at least one
``file:line: error:`` line; anything else (exit 70: an internal error) is a bug. No build may attempt a
connection.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from banmian.cli.main import main

from . import guard

HAN = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
       "种面而党建教育学校")
SNIPPETS = ["**", "<script>alert(1)</script>", "<img src=file:///etc/passwd>", "{{ 7*7 }}", "{% raw %}",
            "&amp;", "\\", "'", '"', "《", "》", "“", "”", "（", "）", "——", "……", "\u3000", "\u200b",
            "\u202e", "Ａ１", "e\u0301", "https://a.cn/", "\t", "#", ": ", "- ", "\n\n", "\n"]
RARE = ["😀", "𠀀", "\U0001F1E8\U0001F1F3"]  # no glyph in the fonts: an error, not an empty box
ALPHABET = st.one_of(st.sampled_from(HAN), st.sampled_from("，。、；：？！"),
                     st.characters(min_codepoint=0x20, max_codepoint=0x7e))


def mostly(common: Any, rare: st.SearchStrategy[Any], share: float = 0.85) -> st.SearchStrategy[Any]:
    """``common`` in about ``share`` of the examples, else a value of ``rare``."""
    return st.floats(0, 1).flatmap(lambda f: st.just(common) if f < share else rare)


RUN = st.one_of(st.text(ALPHABET, min_size=1, max_size=12), st.sampled_from(SNIPPETS))
TEXT = st.lists(RUN, min_size=1, max_size=30).map("".join)
ODD = st.one_of(st.integers(-5, 10**6), st.none(), st.booleans(), st.lists(st.text(max_size=3), max_size=2),
                st.dates(), st.floats(allow_nan=True))


@st.composite
def articles(draw: st.DrawFn, index: int) -> dict[str, Any]:
    article: dict[str, Any] = {"id": draw(mostly(f"a{index}", st.sampled_from(["../x", "a/b", "", "a0"]))),
                               "title": draw(st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=2))),
                               "body": draw(TEXT)}
    for key in ("kicker", "subtitle", "byline", "school"):
        if draw(st.booleans()):
            article[key] = draw(TEXT)
    if draw(st.integers(0, 5)) == 0:
        article["slot"] = draw(st.sampled_from(["lead", "right", "bottom-left", "nope", "../lead"]))
    if draw(st.integers(0, 5)) == 0:
        article["images"] = [{"src": draw(mostly("images/photo.jpg", st.sampled_from([
            "../x.jpg", "file:///etc/passwd", "http://example.com/a.jpg", "a.svg"])))}]
    if draw(st.integers(0, 5)) == 0:
        article["sidebar"] = {"title": draw(TEXT), "items": draw(st.lists(TEXT, min_size=1, max_size=3))}
    return article


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 3))
    document: dict[str, Any] = {
        "meta": {"publication": draw(TEXT), "date": draw(st.dates()), "page": draw(st.integers(1, 12))},
        "layout": "broadsheet-page",
        "articles": [draw(articles(i)) for i in range(count)],
    }
    if draw(st.booleans()):
        document["banner"] = {"title": draw(TEXT)}
    mutation = draw(mostly(None, st.sampled_from([0, 1, 2, 3, 4]), 0.7))
    target = document["articles"][0]
    if mutation == 0:
        target[draw(st.sampled_from(["bdoy", "colour", "extra"]))] = draw(TEXT)  # unknown key
    elif mutation == 1:
        target[draw(st.sampled_from(["title", "body", "id", "images"]))] = draw(ODD)  # wrong type
    elif mutation == 2:
        del target[draw(st.sampled_from(["title", "body", "id"]))]  # missing key
    elif mutation == 3:
        document["meta"]["date"] = draw(ODD)
    elif mutation == 4:
        target["body"] += draw(st.sampled_from(RARE))
    return document


LOCATED = re.compile(r"^\S+?:\d+(:\d+)?: error: ", re.MULTILINE)


def han(text: str) -> Counter[str]:
    return Counter(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


# each build takes up to ~1 s: few examples (BANMIAN_FUZZ_EXAMPLES=500 for a deeper run), and no
# shrinking (it can take minutes; the failing example is printed as found)
@settings(max_examples=int(os.environ.get("BANMIAN_FUZZ_EXAMPLES", "40")), deadline=None,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
def test_any_document_gives_a_full_pdf_or_located_errors(document: dict[str, Any]) -> None:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "images").mkdir()
        Image.new("RGB", (400, 300), (20, 90, 160)).save(folder / "images" / "photo.jpg")
        path = folder / "fuzz.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out = folder / "out" / "fuzz.pdf"
        err, stdout = io.StringIO(), io.StringIO()
        with guard.watch() as seen, contextlib.redirect_stderr(err), contextlib.redirect_stdout(stdout):
            status = main(["build", str(path), "-o", str(out)])
        stderr = err.getvalue()
        event(f"exit {status}")
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        assert seen.network == []
        if status == 0:
            with pdfplumber.open(out) as pdf:
                printed = han("".join(page.extract_text() for page in pdf.pages))
            bodies = han("".join(a["body"] for a in document["articles"]))
            assert not bodies - printed, (bodies - printed, stderr)
        else:
            assert status == 1, stderr
            assert LOCATED.search(stderr), stderr
            assert not out.exists()
