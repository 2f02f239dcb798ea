"""Tests for banmian.compose.kinsoku: character classes, atoms and break permissions."""

from __future__ import annotations

import pytest

from banmian.compose.kinsoku import (
    HAN,
    INK_LEFT,
    INK_RIGHT,
    LATIN,
    LINE_END_PROHIBITED,
    LINE_START_PROHIBITED,
    OTHER,
    SPACE,
    atoms,
    can_break,
    is_char,
    kind,
)


def pieces(text: str) -> list[str]:
    return [text[s:e] for s, e, _k in atoms(text)]


def test_clreq_line_start_list() -> None:
    for ch in "，。、；：？！‼⁇．”’）》〉】〗〕］｝」』…—·・‧～%‰℃°,.;:?!)]}":
        assert ch in LINE_START_PROHIBITED, ch
    for ch in "中“（《a1":
        assert ch not in LINE_START_PROHIBITED, ch


def test_clreq_line_end_list() -> None:
    for ch in "“‘（《〈【〖〔［｛「『([{/／":
        assert ch in LINE_END_PROHIBITED, ch
    for ch in "中”）》，。a1":
        assert ch not in LINE_END_PROHIBITED, ch


def test_ink_sides() -> None:
    assert set("，。、；：”’）》") <= INK_LEFT
    assert set("“‘（《〈【「『") <= INK_RIGHT
    assert "？" not in INK_LEFT and "！" not in INK_LEFT
    assert not INK_LEFT & INK_RIGHT


def test_kinds() -> None:
    assert kind("中") == HAN
    assert kind("ａ") == HAN  # full-width letter behaves like Han
    assert kind("a") == LATIN and kind("7") == LATIN and kind("é") == LATIN
    assert kind("，") == OTHER and kind("—") == OTHER and kind("%") == OTHER
    assert kind(" ") == SPACE
    assert is_char("中") and is_char("A") and not is_char("。") and not is_char(" ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,268人", ["1,268", "人"]),
        ("增长41.5%。", ["增", "长", "41.5%", "。"]),
        ("“1+X+N”模式", ["“", "1+X+N", "”", "模", "式"]),
        ("“1+7”分层", ["“", "1+7", "”", "分", "层"]),
        ("区内25所", ["区", "内", "25", "所"]),
        ("他说——好……", ["他", "说", "——", "好", "……"]),
        ("in 2023, we", ["in", " ", "2023", ",", " ", "we"]),
        ("10:30开会", ["10:30", "开", "会"]),
        ("A-", ["A", "-"]),
        ("葛\U000e0100洪", ["葛\U000e0100", "洪"]),
        ("", []),
    ],
)
def test_atoms(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_atoms_cover_text() -> None:
    text = "在“13751”工作中，GDP增长3.5%——创新高……OK 好"
    assert "".join(pieces(text)) == text


@pytest.mark.parametrize(
    ("before", "after", "ok"),
    [
        ("中", "国", True),
        ("中", "，", False),
        ("中", "”", False),
        ("“", "中", False),
        ("（", "中", False),
        ("，", "“", True),
        ("中", "——"[0], False),
        ("中", "…", False),
        ("中", "·", False),
        ("中", "%", False),
        ("中", " ", False),
        (" ", "中", True),
        ("a", "中", True),
        ("中", "a", True),
        ("/", "中", False),
    ],
)
def test_can_break(before: str, after: str, ok: bool) -> None:
    assert can_break(before, after) is ok
