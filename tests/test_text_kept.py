"""Every text the content gives is printed or named: a banner too long for its band shrinks within the
layout's limit or is refused with its length and the band's capacity; a sidebar that does not fit its
area is an error counting what would be lost — never text over other text, never text dropped silently."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from banmian.cli.main import main

BANNER = "  title: 红色引擎驱动 教育提质增效"


def _variant(content_copy: Path, old: str, new: str) -> Path:
    text = content_copy.read_text(encoding="utf-8")
    assert old in text
    content_copy.write_text(text.replace(old, new), encoding="utf-8")
    return content_copy


def test_a_long_banner_title_is_set_smaller_to_fit_its_band(content_copy: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    title = "红色引擎驱动教育提质增效红色引擎驱动教育"  # 20 字: 2 lines at 54 pt, too many for the band
    _variant(content_copy, BANNER, f"  title: {title}")
    out = tmp_path / "b.pdf"
    assert main(["build", str(content_copy), "-o", str(out)]) == 0
    assert "the banner title is set at" in capsys.readouterr().err
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if c["size"] > 41]  # the banner title's (the masthead is 40 pt)
        assert "".join(c["text"] for c in chars) == title  # one line, every character
        top, bottom = min(c["top"] for c in chars), max(c["bottom"] for c in chars)
        # (the layout's banner leading lets the em boxes of adjacent lines touch by about 1 pt; ink never)
        others = [c for c in page.chars if c["size"] <= 41 and c["top"] < bottom - 2 and c["bottom"] > top + 2
                  and c["x0"] < max(x["x1"] for x in chars) and c["x1"] > min(x["x0"] for x in chars)]
    assert not others, "the banner title overlaps other text"
    assert chars[0]["size"] < 54


@pytest.mark.parametrize("repeat", [6, 33])  # 72 字 and 396 字 (the band of an inside page: 13 lines)
def test_a_banner_title_too_long_for_its_band_is_refused_with_figures(content_copy: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str],
                                                                     repeat: int) -> None:
    _variant(content_copy, BANNER, "  title: " + "红色引擎驱动教育提质增效" * repeat)
    out = tmp_path / "b.pdf"
    assert main(["build", str(content_copy), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"the banner title ({12 * repeat} 字) does not fit its band" in err
    assert "beibei-dangjian.yaml:17:" in err and "shorten it to about" in err
    assert not out.exists()


def _sidebar(content_copy: Path, sidebar: str) -> Path:
    text = content_copy.read_text(encoding="utf-8")
    start = text.index("    sidebar:\n      title: 数说党建")
    end = text.index("  - id: beibei-experimental-kindergarten")
    content_copy.write_text(text[:start] + sidebar + text[end:], encoding="utf-8")
    return content_copy


def test_a_sidebar_with_more_items_than_its_area_holds_is_an_error(content_copy: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    items = "".join(f"        - 第{i}项活动安排在本周进行\n" for i in range(1, 31))
    _sidebar(content_copy, "    sidebar:\n      title: 活动安排\n      items:\n" + items)
    out = tmp_path / "s.pdf"
    assert main(["build", str(content_copy), "-o", str(out), "--proof"]) == 1
    err = capsys.readouterr().err
    assert "its sidebar does not fit the sidebar area of slot 'bottom-left'" in err
    assert "of its 30 items" in err and "would not be printed" in err
    # the proof shows only what fits inside the box: nothing runs over the body below
    proof = out.with_suffix(".proof.pdf")
    text = subprocess.run(["pdftotext", "-raw", str(proof), "-"], capture_output=True, text=True,
                          check=True).stdout
    shown = text.count("项活动安排")
    found = re.search(r"(\d+) of its 30 items", err)
    assert found is not None, err
    lost = int(found[1])
    assert shown + lost == 30, (shown, lost)


def test_a_sidebar_body_longer_than_its_area_is_an_error(content_copy: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    body = "这是一段很长的侧栏正文，" * 170
    _sidebar(content_copy, f"    sidebar:\n      title: 相关链接\n      body: {body}\n")
    out = tmp_path / "s.pdf"
    assert main(["build", str(content_copy), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "its sidebar does not fit the sidebar area" in err and "字) would not be printed" in err
    assert not out.exists()
