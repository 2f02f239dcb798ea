"""Tests for banmian.compose.headline: forced lines, balanced breaking, word spaces, no lone character."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from banmian.compose.headline import HeadlineTooLongError, compose_headline, natural_width
from banmian.compose.kinsoku import LINE_END_PROHIBITED, LINE_START_PROHIBITED, is_char
from banmian.compose.linebreak import TypeSpec
from banmian.source.fonts import FontRef

from .conftest import examples

NOTO = Path("/usr/share/fonts/opentype/noto")
BLACK = FontRef(NOTO / "NotoSerifCJK-Black.ttc", 2)
SANS_BOLD = FontRef(NOTO / "NotoSansCJK-Bold.ttc", 2)

pytestmark = pytest.mark.skipif(not BLACK.path.exists(), reason="Noto CJK not installed")

SIZE = 24.0
SPEC = TypeSpec(BLACK, None, SIZE)
EM = SIZE


def test_fits_one_line() -> None:
    (line,) = compose_headline(["党建统领“双创”提质"], 20 * EM, SPEC)
    assert line.text == "党建统领“双创”提质"
    assert line.last and line.indent == 0 and line.spread == 0
    assert line.width == pytest.approx(natural_width("党建统领“双创”提质", SPEC))
    assert line.width == pytest.approx(9 * EM)  # 8 characters + 2 quotes, half-width in a headline


def test_forced_lines_kept() -> None:
    lines = compose_headline(["党建统领“双创”提质", "“蒙爱”教育行稳致远"], 20 * EM, SPEC)
    assert [line.text for line in lines] == ["党建统领“双创”提质", "“蒙爱”教育行稳致远"]


def test_word_space_is_one_em_and_preferred_break() -> None:
    text = "和合而生党旗红 培根铸魂育蓓蕾"
    (line,) = compose_headline([text], 20 * EM, SPEC)
    assert line.glyphs[7].text == " " and line.glyphs[7].set_width == pytest.approx(EM)
    assert line.width == pytest.approx(15 * EM)
    lines = compose_headline([text], 10 * EM, SPEC)
    assert [line.text for line in lines] == ["和合而生党旗红", "培根铸魂育蓓蕾"]  # the space is dropped
    assert all(line.width == pytest.approx(7 * EM) for line in lines)


def test_space_preferred_over_exact_balance() -> None:
    lines = compose_headline(["红色引擎驱动 教育提质增效再上新台阶"], 12 * EM, SPEC)
    assert lines[0].text == "红色引擎驱动"


def test_balanced_break_between_words() -> None:
    text = "以高质量党建引领教育高质量发展新篇章"  # 18 characters
    lines = compose_headline([text], 12 * EM, SPEC)
    # 9 + 9 would split 教育; the nearest break between two words is taken instead
    assert [line.text for line in lines] == ["以高质量党建引领", "教育高质量发展新篇章"]


def test_a_name_is_not_broken_when_a_word_boundary_fits() -> None:
    text = "北碚实验幼儿园开展主题活动"
    lines = compose_headline([text], 8 * EM, SPEC)
    assert all(not line.text.endswith(("北碚实", "幼儿")) for line in lines)
    assert lines[0].text in ("北碚实验幼儿园", "北碚实验")


def test_punctuation_break_preferred() -> None:
    lines = compose_headline(["凝心聚力谋发展，砥砺奋进新征程"], 10 * EM, SPEC)
    assert [line.text for line in lines] == ["凝心聚力谋发展，", "砥砺奋进新征程"]
    # the line-end comma is set half-width
    assert lines[0].width == pytest.approx(7.5 * EM)


def test_no_lone_character() -> None:
    text = "一二三四五六七八九十甲"  # 11 characters in 10 em: never 10 + 1
    lines = compose_headline([text], 10 * EM, SPEC)
    assert len(lines) == 2 and all(len(line.text) >= 2 for line in lines)
    assert sorted(len(line.text) for line in lines) == [5, 6]


def test_three_lines() -> None:
    text = "推动区域学前教育优质均衡发展的生动实践与有益探索"  # 24 characters
    lines = compose_headline([text], 9 * EM, SPEC)
    # 8 + 8 + 8 would split 生动: three lines, each break between two words
    assert [line.text for line in lines] == ["推动区域学前教育", "优质均衡发展的", "生动实践与有益探索"]


def test_max_lines() -> None:
    with pytest.raises(HeadlineTooLongError):
        compose_headline(["一二三四五六七八九十甲乙丙丁"], 8 * EM, SPEC, max_lines=1)
    assert len(compose_headline(["一二三四五六七八九十甲乙丙丁"], 8 * EM, SPEC, max_lines=2)) == 2


def test_kinsoku_in_headline() -> None:
    sans = TypeSpec(SANS_BOLD, None, SIZE)
    lines = compose_headline(["学习贯彻“两会”精神（特别报道）全面推进"], 8 * EM, sans)
    for line in lines:
        assert line.text[0] not in LINE_START_PROHIBITED
        assert line.text[-1] not in LINE_END_PROHIBITED


def test_natural_width_latin() -> None:
    w = natural_width("5G校园", SPEC)
    assert w == pytest.approx(natural_width("5G", SPEC) + 0.25 * EM + 2 * EM)


HAN = "党建引领教育高质量发展红色引擎驱动提质增效培根铸魂育蓓蕾"


@st.composite
def headline(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.text(alphabet=HAN, min_size=2, max_size=7), min_size=1, max_size=4))
    seps = [draw(st.sampled_from([" ", "", "，", "："])) for _ in words[1:]]
    out = words[0]
    for sep, word in zip(seps, words[1:], strict=True):
        out += sep + word
    return out


@settings(max_examples=examples(150), deadline=None)
@given(text=headline(), measure_em=st.floats(6, 20))
def test_property_headline(text: str, measure_em: float) -> None:
    lines = compose_headline([text], measure_em * EM, SPEC)
    joined = "".join(line.text for line in lines)
    assert joined.replace(" ", "") == text.replace(" ", "")
    if len(lines) > 1:
        for line in lines:
            assert line.width <= measure_em * EM + 1e-6
            assert sum(is_char(c) for c in line.text) >= 2
            assert not line.text.startswith(" ") and not line.text.endswith(" ")
            assert line.text[0] not in LINE_START_PROHIBITED
            assert line.text[-1] not in LINE_END_PROHIBITED
        widths = [line.width for line in lines]
        assert max(widths) - min(widths) <= max(widths) * 0.75
