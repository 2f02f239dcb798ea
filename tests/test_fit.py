"""Fit (issue 4): exact capacity, overset as an error with the true count, proofs, auto-fit, underset,
and continuations (续排/转版) that keep every character once, in order."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from banmian.cli.main import main
from banmian.compose.fit import fit_rows, format_json, format_table
from banmian.pipeline import BuildOptions, compose
from banmian.source.load import load

from .conftest import SAMPLE
from .pdftext import column_chars, trim_offset

EXTRA = ("学校坚持以党建引领教育教学改革，组织教师开展集体备课、课堂观摩和专题研讨，推动课程建设与课堂教学"
         "深度融合，让每一名学生在丰富多彩的活动中成长。")


def append_to(content: Path, article_id: str, text: str) -> None:
    """Append ``text`` as a new last paragraph of one article's body."""
    lines = content.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {article_id}")
    body = next(i for i in range(start, len(lines)) if lines[i].strip() == "body: |")
    end = body + 1
    while end < len(lines) and (lines[end].startswith("      ") or not lines[end].strip()):
        end += 1
    while not lines[end - 1].strip():
        end -= 1
    lines[end:end] = ["", "      " + text]
    content.write_text("\n".join(lines) + "\n", encoding="utf-8")


def extra_chars(n: int) -> str:
    return (EXTRA * (n // len(EXTRA) + 1))[:n - 1] + "。"


def test_the_sample_fits_exactly(world) -> None:  # type: ignore[no-untyped-def]
    page = compose(SAMPLE, BuildOptions(), world).pages[0]
    rows = fit_rows(page)
    assert [r.status for r in rows] == ["fits"] * 5
    for row in rows:  # no overset, and never more than a line per column left empty
        assert row.over_lines == 0 and row.under_lines <= row.columns, row


def test_fit_json_has_the_numbers_of_the_table(world) -> None:  # type: ignore[no-untyped-def]
    rows = fit_rows(compose(SAMPLE, BuildOptions(), world).pages[0])
    data = json.loads(format_json(rows))
    table = format_table(rows).splitlines()[1:]
    for row, line in zip(data["articles"], table, strict=True):
        assert line.startswith(row["id"])
        numbers = [int(n) for n in re.findall(r"(?<![\w-])(\d+)(?= )", line.split(row["slot"], 1)[1])]
        assert numbers[:4] == [row["lines_available"], row["lines_needed"], row["chars_available"],
                               row["chars_needed"]], line


def proof_article_chars(proof: Path, page, art_id: str) -> int:  # type: ignore[no-untyped-def]
    """Characters of an article's body that the proof PDF really shows (its columns, from the text
    layer): the independent measure of what fits."""
    box = next(a for a in page.articles if a.id == art_id and a.part == 0)
    with pdfplumber.open(proof) as pdf:
        chars = column_chars(pdf.pages[0], box.body, trim_offset(proof), page.layout.column_width,
                             page.layout.spec.grid.pitch)
    return sum(1 for c in chars if not c["text"].isspace())


def test_300_extra_characters_are_an_overset_error_with_the_true_count(
        content_copy: Path, world, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    out = content_copy.with_name("page.pdf")
    assert main(["build", str(content_copy), "-o", str(out), "-q"]) == 0
    before = out.read_bytes()
    append_to(content_copy, "jinxing-primary", extra_chars(300))
    capsys.readouterr()
    assert main(["build", str(content_copy), "-o", str(out), "--proof"]) == 1
    err = capsys.readouterr().err
    found = re.search(r"beibei-dangjian\.yaml:(\d+):5: error: article 'jinxing-primary' \(.+\) does not fit "
                      r"slot 'right': over by (\d+) lines, (\d+) 字", err)
    assert found, err
    assert out.read_bytes() == before  # the previous PDF is untouched
    doc = load(content_copy)
    art = next(a for a in doc.articles if a.id == "jinxing-primary")
    assert int(found[1]) == art.body_location.line  # file:line of the article's body
    # independent: the characters the proof shows for the article vs the characters it has
    page = compose(content_copy, BuildOptions(), world).pages[0]
    shown = proof_article_chars(out.with_suffix(".proof.pdf"), page, "jinxing-primary")
    total = sum(1 for ch in art.body_text if not ch.isspace())
    true_over = total - shown
    assert true_over > 200
    assert abs(int(found[3]) - true_over) <= 13, (found[3], true_over)  # within one line's worth (13 字)
    assert int(found[2]) == -(-int(found[3]) // 13) or abs(int(found[2]) * 13 - int(found[3])) <= 13


def test_proof_marks_the_overset(content_copy: Path) -> None:
    append_to(content_copy, "chaoyang-primary", extra_chars(120))
    out = content_copy.with_name("page.pdf")
    assert main(["build", str(content_copy), "-o", str(out), "--proof", "-q"]) == 1
    assert not out.exists()
    proof = out.with_suffix(".proof.pdf")
    with pdfplumber.open(proof) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        marks = [r for r in page.rects if r["non_stroking_color"] == (0, 1, 1, 0)
                 or r["stroking_color"] == (0, 1, 1, 0)]
    assert re.search(r"超 \d+ 行 / \d+ 字", text), text[-300:]
    assert marks, "the red overset marker"
    with pikepdf.open(proof) as pdf:  # the labels in banmian's fonts too: one subset per face
        roles = [str(f.BaseFont).split("+")[1] for f in pdf.pages[0].Resources.Font.values()]
    assert len(roles) == len(set(roles)) and all(r.startswith("bm-") for r in roles), roles


def test_auto_fit_resolves_a_small_overset_and_says_how(
        content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append_to(content_copy, "chaoyang-kindergarten", extra_chars(40))
    out = content_copy.with_name("page.pdf")
    assert main(["build", str(content_copy), "-o", str(out), "-q"]) == 1
    capsys.readouterr()
    assert main(["fit", str(content_copy), "--fit", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    row = next(r for r in data["articles"] if r["id"] == "chaoyang-kindergarten")
    assert row["status"] == "fits" and row["adjustments"], row
    assert all(re.match(r"(tracking [+-]\d|photo height [+-]\d+ lines?)", a) for a in row["adjustments"])
    assert main(["build", str(content_copy), "-o", str(out), "--fit", "-q"]) == 0
    assert out.exists()


def test_build_fit_prints_each_adjustment(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The editor adds 40 字 and builds with --fit: the page is written, and the build says which
    article auto-fit changed and how (the same adjustments ``fit --fit`` shows)."""
    append_to(content_copy, "chaoyang-kindergarten", extra_chars(40))
    out = content_copy.with_name("page.pdf")
    capsys.readouterr()
    assert main(["build", str(content_copy), "-o", str(out), "--fit"]) == 0
    err = capsys.readouterr().err
    (said,) = [line for line in err.splitlines() if "auto-fit:" in line]
    found = re.search(r"beibei-dangjian\.yaml:\d+:\d+: info: auto-fit: article 'chaoyang-kindergarten' "
                      r"\((.+)\) fitted slot '([\w-]+)' with (.+) \[articles\[\d+\]\.body\]$", said)
    assert found, said
    assert found[1] == "".join(next(a for a in load(content_copy).articles
                                    if a.id == "chaoyang-kindergarten").article.title_lines)
    assert main(["fit", str(content_copy), "--fit", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["articles"]
    row = next(r for r in rows if r["id"] == "chaoyang-kindergarten")
    assert found[3] == ", ".join(row["adjustments"]) and found[2] == row["slot"]


def overset_hint(err: str, article_id: str) -> tuple[int, str]:
    """The 字 over and the hint of the overset error about ``article_id``."""
    found = re.search(rf"error: article '{article_id}' \(.+\) does not fit slot '[\w-]+': over by \d+ lines, "
                      rf"(\d+) 字 \[articles\[\d+\]\.body\] \(hint: (.+)\)$", err, re.MULTILINE)
    assert found, err
    return int(found[1]), found[2]


def test_auto_fit_gives_up_beyond_its_limits(content_copy: Path, world,  # type: ignore[no-untyped-def]
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """After a failed auto-fit the hint says what is left — the 字 to cut, or the grid lines the slot
    lacks across its columns — and never to build with --fit again."""
    append_to(content_copy, "chaoyang-primary", extra_chars(600))
    out = content_copy.with_name("page.pdf")
    capsys.readouterr()
    assert main(["build", str(content_copy), "-o", str(out), "--fit"]) == 1
    err = capsys.readouterr().err
    over, hint = overset_hint(err, "chaoyang-primary")
    assert "does not fit slot 'bottom-right'" in err
    assert not out.exists()
    assert "--fit" not in hint
    found = re.fullmatch(r"auto-fit's limits \(tracking ±2 %, photo ±20 %\) were not enough: cut about "
                         r"(\d+) 字, or give slot 'bottom-right' about (\d+) more grid lines across its "
                         r"(\d+) columns", hint)
    assert found, hint
    assert int(found[1]) == over > 400
    page = compose(content_copy, BuildOptions(fit=True), world).pages[0]
    row = next(r for r in fit_rows(page) if r.id == "chaoyang-primary")
    assert int(found[2]) == -(-row.over_lines // row.columns) and int(found[3]) == row.columns


@pytest.mark.parametrize(("chars", "suggests_fit"), [(40, True), (600, False)])
def test_the_overset_hint_suggests_fit_only_when_it_would_help(
        content_copy: Path, capsys: pytest.CaptureFixture[str], chars: int, suggests_fit: bool) -> None:
    """Without --fit: 40 字 over are within auto-fit's reach (the hint says --fit, and --fit then builds);
    600 are not (the hint says so, and names the cut and the slot)."""
    append_to(content_copy, "chaoyang-kindergarten", extra_chars(chars))
    out = content_copy.with_name("page.pdf")
    capsys.readouterr()
    assert main(["build", str(content_copy), "-o", str(out)]) == 1
    _, hint = overset_hint(capsys.readouterr().err, "chaoyang-kindergarten")
    assert ("build with --fit" in hint) is suggests_fit, hint
    if not suggests_fit:
        assert hint.startswith("auto-fit's limits (tracking ±2 %, photo ±20 %) would not be enough: cut "
                               "about")
    assert (main(["build", str(content_copy), "-o", str(out), "--fit", "-q"]) == 0) is suggests_fit


def test_underset_is_a_warning_with_the_missing_characters(content_copy: Path, world) -> None:  # type: ignore[no-untyped-def]
    text = content_copy.read_text(encoding="utf-8")
    start = text.index("      作为首批新时代中小学校党建引领")
    end = text.index("\n\n", start)
    cut = text[start:end]
    content_copy.write_text(text.replace(cut, cut[:len(cut) // 3] + "。"), encoding="utf-8")
    composed = compose(content_copy, BuildOptions(), world)
    warnings = [d for d in composed.diagnostics if d.code == "underset"]
    assert len(warnings) == 1
    assert re.search(r"article 'chaoyang-primary' leaves slot 'bottom-right' short: \d+ empty lines, "
                     r"about \d+ 字 missing", warnings[0].message)


CONTINUED = """
  - id: lead-story
    slot: lead
    continues: {slot: right-bottom-right}
    title: 转版测试
    body: |
      {body}
"""


def test_a_continuation_keeps_every_character_once_in_order(content_copy: Path, world) -> None:  # type: ignore[no-untyped-def]
    """In the spread, an article starts on the left page and continues on the right (转版)."""
    text = content_copy.read_text(encoding="utf-8")
    doc = load(content_copy)
    long_body = "".join(a.body_text for a in doc.articles[:3])  # three articles' text: more than one slot
    head, _, _ = text.partition("articles:\n")
    arts = text.split("articles:\n", 1)[1]
    others = arts.split("  - id: ")[4:6]  # two more articles for the other slots
    content_copy.write_text(head + "articles:\n" + CONTINUED.replace("{body}", long_body).lstrip("\n")
                            + "".join("  - id: " + o for o in others), encoding="utf-8")
    composed = compose(content_copy, BuildOptions(layout="tabloid-spread"), world)
    errors = [d.render() for d in composed.diagnostics if d.severity.name == "ERROR"]
    assert not errors, errors
    boxes = [a for a in composed.pages[0].articles if a.id == "lead-story"]
    assert [b.part for b in boxes] == [0, 1]
    first, second = boxes
    assert first.body[-1].text == "（下转第5版）" and second.body[0].text == "（上接第4版）"
    body = [pl.text for pl in first.body[:-1]] + [pl.text for pl in second.body[1:]]
    assert "".join(body) == long_body  # every character once, in order
    rows = fit_rows(composed.pages[0])
    row = next(r for r in rows if r.id == "lead-story")
    assert row.lines_needed == len(body) and row.over_lines == 0
    # and on paper: the plates carry the jump lines and the text
    out = content_copy.with_name("spread.pdf")
    assert main(["build", str(content_copy), "--layout", "tabloid-spread", "-o", str(out), "-q"]) == 0
    with pdfplumber.open(out.with_name("spread-p1.pdf")) as p1:
        left = "".join(c["text"] for c in p1.pages[0].chars)
    with pdfplumber.open(out.with_name("spread-p2.pdf")) as p2:
        right = "".join(c["text"] for c in p2.pages[0].chars)
    assert "（下转第5版）" in left and "（上接第4版）" in right
