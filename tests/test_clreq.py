"""The composer's kinsoku tables and the lint's own tables, each compared with clreq's lists.

The lists come from tests/fixtures/clreq-lists.md (committed, so a clean clone can run this); when the
shared reference it was copied from sits beside the checkout, the fixture must still equal it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import ModuleType

import pytest

from banmian.check import clreq as lint_tables
from banmian.compose import kinsoku as composer

from .conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "clreq-lists.md"
REFERENCE = ROOT.parent / "shared" / "reference" / "clreq.md"
LISTS = ("Line-start prohibited", "Line-end prohibited", "Never split across two lines")

#: Where the composer is deliberately stricter than clreq, and why (also said in compose/kinsoku.py).
COMPOSER_EXTRA_LINE_START = {
    "％": "full-width percent sign: a unit like the % clreq lists, set the same way in Chinese text",
}


def clreq_lists(path: Path) -> dict[str, list[tuple[str, str]]]:
    """The list sections of a clreq excerpt: for each, its items as (label before the span, span)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for block in re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]:
        title, _, body = block.partition("\n")
        name = title.split(" (")[0].strip()
        if name in LISTS:
            sections[name] = [(label.replace("·", " ").strip(), span)
                              for label, span in re.findall(r"([^`]*)`([^`]+)`", body)]
    return sections


def members(items: list[tuple[str, str]], label: str | None = None) -> frozenset[str]:
    """Every character of the spans (of those whose label ends with ``label``, when given)."""
    return frozenset(ch for lab, span in items if label is None or lab.endswith(label)
                     for ch in span if not ch.isspace())


@pytest.fixture(scope="module")
def lists() -> dict[str, list[tuple[str, str]]]:
    got = clreq_lists(FIXTURE)
    assert set(got) == set(LISTS), got.keys()
    return got


def test_fixture_equals_the_shared_reference() -> None:
    if not REFERENCE.is_file():
        pytest.skip(f"{REFERENCE} not beside the checkout (a clean clone): the fixture stands alone")
    assert clreq_lists(FIXTURE) == clreq_lists(REFERENCE)


def test_the_parser_reads_the_lists(lists: dict[str, list[tuple[str, str]]]) -> None:
    start, end = lists["Line-start prohibited"], lists["Line-end prohibited"]
    assert members(start, "closing marks") == frozenset("”’）》〉】〗〕］｝」』")
    assert members(end, "opening marks") == frozenset("“‘（《〈【〖〔［｛「『")
    assert "，" in members(start) and "—" in members(start) and "}" in members(start)
    assert "/" in members(end) and "(" in members(end) and " " not in members(end)


@pytest.mark.parametrize("tables", [composer, lint_tables], ids=["composer", "lint"])
def test_prohibited_sets_are_clreqs(tables: ModuleType, lists: dict[str, list[tuple[str, str]]]) -> None:
    extra = set(COMPOSER_EXTRA_LINE_START) if tables is composer else set()
    start = members(lists["Line-start prohibited"])
    assert start <= tables.LINE_START_PROHIBITED, start - tables.LINE_START_PROHIBITED
    assert tables.LINE_START_PROHIBITED - start == extra
    assert members(lists["Line-end prohibited"]) == tables.LINE_END_PROHIBITED


@pytest.mark.parametrize("tables", [composer, lint_tables], ids=["composer", "lint"])
def test_ink_sides_follow_clreqs_opening_and_closing_marks(
        tables: ModuleType, lists: dict[str, list[tuple[str, str]]]) -> None:
    start = lists["Line-start prohibited"]
    opening = members(lists["Line-end prohibited"], "opening marks")
    closing = members(start, "closing marks")
    stops = frozenset(next(span for _label, span in start if "，" in span))
    assert opening == tables.OPENING and closing == tables.CLOSING
    assert opening == tables.INK_RIGHT
    assert closing <= tables.INK_LEFT and tables.INK_LEFT - closing <= stops, tables.INK_LEFT - closing


def test_composer_never_splits_what_clreq_keeps_together(lists: dict[str, list[tuple[str, str]]]) -> None:
    for _label, span in lists["Never split across two lines"]:
        text = "中" + span + "中"
        assert [text[s:e] for s, e, _k in composer.atoms(text)] == ["中", span, "中"], span


def test_lint_never_split_runs_are_clreqs(lists: dict[str, list[tuple[str, str]]]) -> None:
    runs = {span for _label, span in lists["Never split across two lines"] if len(set(span)) == 1}
    assert {span[0] for span in runs} == set(lint_tables.NEVER_SPLIT_RUNS)


def test_lint_reads_none_of_the_composers_tables() -> None:
    """The lint judges the composer: it must not borrow the composer's tables (or anything else)."""
    src = ROOT / "src" / "banmian" / "check"
    for name in ("lint.py", "pdflines.py", "clreq.py"):
        tree = ast.parse((src / name).read_text(encoding="utf-8"))
        imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module] + \
            [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith("banmian.compose")], name


def test_lint_and_composer_agree_on_what_a_character_is() -> None:
    """孤字 and the gap metrics count characters as the composer does (letters and digits, Han or not)."""
    sample = "中文ａ１aZ9é，。“”—…·％%  \u3000《》ー々〇"
    for ch in sample:
        assert lint_tables.is_char(ch) == composer.is_char(ch), ch
        if composer.kind(ch) in (composer.HAN, composer.LATIN):
            assert lint_tables.kind(ch) == (lint_tables.HAN if composer.kind(ch) == composer.HAN
                                            else lint_tables.LATIN), ch
