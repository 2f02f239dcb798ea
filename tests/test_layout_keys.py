"""Every key of layout.yaml takes effect on the PDF, or is refused at its line (issue 17, item 1).

Each test edits a copy of a built-in layout as an editor would and looks at what the editor sees: the
PDF the build writes, or the message with its layout.yaml:LINE.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from banmian.core.diagnostics import BuildError
from banmian.source.world import World

from .pdftext import trim_offset
from .test_layouts import tweak_build


def refused(tmp_path: Path, world: World, layout: str, edit: dict[str, str]) -> list[str]:
    """The errors a build of the sample reports after ``edit`` (old → new, each once) of the layout."""
    def apply(text: str) -> str:
        for old, new in edit.items():
            assert old in text, old
            text = text.replace(old, new, 1)
        return text

    with pytest.raises(BuildError) as info:
        tweak_build(tmp_path, world, layout, apply)
    return [d.render() for d in info.value.diagnostics]


def line_of(world: World, layout: str, needle: str) -> int:
    """The line of layout.yaml (1-based) holding ``needle`` in the built-in layout."""
    text = (world.layout(layout).folder / "layout.yaml").read_text(encoding="utf-8")
    return text[:text.index(needle)].count("\n") + 1


def rows(path: Path, size: float, page: int = 0) -> dict[float, list[dict[str, object]]]:
    """The characters of one size on a page of ``path``, by their top (pt, rounded to 0.1)."""
    out: dict[float, list[dict[str, object]]] = {}
    with pdfplumber.open(path) as pdf:
        for c in pdf.pages[page].chars:
            if abs(float(c["size"]) - size) < 0.01:  # type: ignore[arg-type]
                out.setdefault(round(float(c["top"]), 1), []).append(c)  # type: ignore[arg-type]
    return out


# --- the body's leading is the grid's pitch -------------------------------------------------------------

def test_body_leading_and_pitch_differing_is_an_error_naming_both(tmp_path: Path, world: World) -> None:
    old = "  body:            {font: body, bold: body-bold, size: 9, leading: 13.5,"
    errors = refused(tmp_path, world, "broadsheet-page", {old: old.replace("13.5", "15")})
    pitch_line = line_of(world, "broadsheet-page", "  pitch: 13.5")
    body_line = line_of(world, "broadsheet-page", old)
    assert any(re.search(rf"layout\.yaml:{body_line}:\d+: error: styles\.body\.leading \(15 pt\) and "
                         rf"grid\.pitch \(13\.5 pt, line {pitch_line}\) differ", e) for e in errors), errors


def _without_pitch(text: str) -> str:
    return (text.replace("  pitch: 15              # pt: the baseline grid (body leading)\n", "")
            .replace("size: 10, leading: 15, align: justify", "size: 10, leading: 16, align: justify"))


def _without_body_leading(text: str) -> str:
    return (text.replace("  pitch: 15 ", "  pitch: 16 ")
            .replace("size: 10, leading: 15, align: justify", "size: 10, align: justify"))


@pytest.mark.parametrize("edit", [_without_pitch, _without_body_leading], ids=["leading", "pitch"])
def test_either_key_alone_sets_both(tmp_path: Path, world: World, edit: Callable[[str], str]) -> None:
    """The editor gives only the body's leading (16 pt, no grid.pitch) or only grid.pitch (16 pt, no body
    leading): body lines are 16 pt apart either way."""
    path = tweak_build(tmp_path, world, "a4-newsletter", edit)[0]
    tops = sorted(rows(path, 10, page=1))
    steps = Counter(round(b - a, 1) for a, b in itertools.pairwise(tops))
    assert steps.most_common(1)[0][0] == 16.0, steps


# --- style keys: an effect, or an error ---------------------------------------------------------------

TITLE = "  title:           {font: headline, size: 26, leading: 32, color: red}"


def headline_offsets(path: Path, world: World) -> list[float]:
    """For every line of headline on the broadsheet (its slots' title styles: the lead's 36 pt, 28 and
    24 pt below): how far its middle lies from the middle of the slot it is in (pt)."""
    from banmian.source.layout import with_headline_scale

    lay = world.layout("broadsheet-page")
    styles = with_headline_scale(lay).spec.styles
    sizes = {styles[s.headline.style or "title"].size for s in lay.spec.slots}
    offset = trim_offset(path)
    lines: dict[tuple[float, str], list[float]] = {}
    for top, row in [item for size in sorted(sizes) for item in rows(path, size).items()]:
        for c in row:
            x = float(c["x0"]) - offset  # type: ignore[arg-type]
            middle = (float(c["top"]) + float(c["bottom"])) / 2 - offset  # type: ignore[arg-type]
            centre = (x + float(c["x1"]) - offset) / 2  # type: ignore[arg-type]  # a hung “ starts left of it
            slot = next(s for s in lay.spec.slots
                        if lay.col_x(s.col) - 1 <= centre < lay.col_x(s.col + s.span - 1) + lay.column_width
                        and lay.line_y(s.line) <= middle < lay.line_y(s.line + s.lines))
            lines.setdefault((top, slot.name), []).extend((x, float(c["x1"]) - offset))  # type: ignore[arg-type]
    slots = {s.name: s for s in lay.spec.slots}
    return [(min(xs) + max(xs)) / 2 - (lay.col_x(slots[name].col) + lay.span_width(slots[name].span) / 2)
            for (_, name), xs in lines.items()]


def test_title_align_center_centres_the_headlines(tmp_path: Path, world: World) -> None:
    """``styles.title.align`` used to be overridden by every slot's headline (always left)."""
    plain = tweak_build(tmp_path / "a", world, "broadsheet-page", lambda t: t + "\n")[0]
    before = headline_offsets(plain, world)
    after = headline_offsets(tweak_build(tmp_path / "b", world, "broadsheet-page", lambda t: t.replace(
        TITLE, TITLE.replace("color: red}", "color: red, align: center}")))[0], world)
    assert len(after) == len(before) >= 5
    # centred: a line-end mark's box, or a line-start opening mark's (hung), may overhang half an em —
    # the middle moves a quarter em, 9 pt at the lead's 36 pt
    assert max(abs(d) for d in after) < 9.5
    assert min(abs(d) for d in before) > 20  # left: the short lines' middles lie well left of centre


def test_banner_align_left_sets_the_banner_at_the_left(tmp_path: Path, world: World) -> None:
    old = "  banner-title:    {font: headline, size: 54, leading: 64, color: red}"
    path = tweak_build(tmp_path, world, "broadsheet-page",
                       lambda t: t.replace(old, old.replace("red}", "red, align: left}")))[0]
    lay = world.layout("broadsheet-page")
    (row, *_) = rows(path, 54).values()
    assert min(float(c["x0"]) for c in row) - trim_offset(path) == pytest.approx(  # type: ignore[arg-type]
        lay.type_left, abs=1)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("  caption:         {font: kai, size: 8, leading: 12, align: justify}",
     "  caption:         {font: kai, size: 8, leading: 12, align: justify, indent: 2}",
     r"style 'caption': indent 2\.0 changes nothing — only body and sidebar paragraphs are indented"),
    (TITLE, TITLE.replace("red}", "red, bold: body-bold}"),
     r"style 'title': bold 'body-bold' changes nothing — only body text has \*\*bold\*\* runs"),
    (TITLE, TITLE.replace("red}", "red, align: justify}"),
     r"style 'title': align 'justify' changes nothing — only body, caption and sidebar paragraphs"),
    ("  header-info:     {font: hei, size: 10, leading: 15}",
     "  header-info:     {font: hei, size: 10, leading: 15, align: left}",
     r"style 'header-info': align 'left' changes nothing — the header strip sets its information at "
     r"the right"),
])
def test_a_style_key_its_role_ignores_is_refused_at_its_line(tmp_path: Path, world: World, old: str, new: str,
                                                             message: str) -> None:
    errors = refused(tmp_path, world, "broadsheet-page", {old: new})
    line = line_of(world, "broadsheet-page", old)
    assert any(re.search(rf"layout\.yaml:{line}:\d+: error: {message}", e) for e in errors), errors


def test_a_misspelt_style_is_refused_with_the_roles(tmp_path: Path, world: World) -> None:
    old = "  caption:         {font: kai, size: 8, leading: 12, align: justify}   # smaller than the body\n"
    errors = refused(tmp_path, world, "broadsheet-page", {old: old + old.replace("caption: ", "captoin:")})
    line = line_of(world, "broadsheet-page", old) + 1
    (found,) = [e for e in errors if "captoin" in e]
    assert re.match(rf".*layout\.yaml:{line}:\d+: error: style 'captoin' is used by nothing", found), found
    assert "body" in found and "caption" in found and "sidebar-title" in found  # the roles there are


def test_a_style_the_stylesheet_uses_is_kept(tmp_path: Path, world: World) -> None:
    """A style of the layout's own, used by its CSS through the variables banmian writes, is no error."""
    def edit(text: str) -> str:
        return text.replace("styles:\n", "styles:\n  pull-quote:      {font: kai, size: 16, leading: 22}\n")

    root_css = tmp_path / "root" / "layouts" / "broadsheet-page" / "layout.css"

    def edit_both(text: str) -> str:
        root_css.write_text(root_css.read_text(encoding="utf-8")
                            + "\n.pq { font-size: var(--bm-pull-quote-size); }\n", encoding="utf-8")
        return edit(text)

    assert tweak_build(tmp_path, world, "broadsheet-page", edit_both)


# --- sections a layout's kind ignores -----------------------------------------------------------------

def test_sections_the_kind_ignores_are_refused(tmp_path: Path, world: World) -> None:
    errors = refused(tmp_path / "m", world, "broadsheet-page", {"rules:\n": "flow: {gap: 3}\nrules:\n"})
    assert any(re.search(r"layout\.yaml:\d+:\d+: error: flow settings apply to a flow layout \(kind: flow\): "
                         r"this key changes nothing \[flow\]", e) for e in errors), errors
    errors = refused(tmp_path / "f", world, "a4-newsletter",
                     {"rules:\n": "placement: auto\nfit: {auto: true}\nrules:\n"})
    assert any("placement applies to module layouts" in e for e in errors), errors
    assert any("a flow layout always fits its pages" in e and "[fit.auto]" in e for e in errors), errors


def test_running_heads_on_a_spread_are_refused(tmp_path: Path, world: World) -> None:
    errors = refused(tmp_path, world, "tabloid-spread", {"running_head: false": "running_head: true"})
    line = line_of(world, "tabloid-spread", "folio: {running_head: false")
    assert any(re.search(rf"layout\.yaml:{line}:\d+: error: a module page carries a header strip, not "
                         r"running heads", e) for e in errors), errors


def test_a_folio_on_a_module_page_prints_its_page_number(tmp_path: Path, world: World) -> None:
    """``folio:`` on the broadsheet used to change nothing; now the page carries its number (meta.page)
    centred below the grid."""
    def edit(text: str) -> str:
        return (text.replace("rules:\n", "folio: {align: center, distance: 6}\nrules:\n")
                .replace("styles:\n", "styles:\n  folio:           {font: hei, size: 9, leading: 12}\n"))

    path = tweak_build(tmp_path, world, "broadsheet-page", edit)[0]
    lay = world.layout("broadsheet-page")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        offset = trim_offset(path)
        foot = [w for w in page.extract_words()
                if lay.line_y(lay.lines + 1) < float(w["top"]) - offset < lay.trim_h]
    assert [w["text"] for w in foot] == ["—", "4", "—"]  # the sample's meta.page
    middle = (float(foot[0]["x0"]) + float(foot[-1]["x1"])) / 2 - offset
    assert middle == pytest.approx(lay.type_left + lay.type_width / 2, abs=2)


def test_a_layout_named_unlike_its_folder_is_refused(tmp_path: Path, world: World) -> None:
    errors = refused(tmp_path, world, "a4-newsletter", {"name: a4-newsletter": "name: my-bulletin"})
    assert any(re.search(r"layout\.yaml:4:\d+: error: name 'my-bulletin' is not the folder's name "
                         r"'a4-newsletter' .*hint: a layout is called by its folder's name", e)
               for e in errors), errors


def test_a_chart_style_that_is_no_style_is_refused(tmp_path: Path, world: World) -> None:
    errors = refused(tmp_path, world, "broadsheet-page", {"chart:": "chart:\n  label: chart-lable"})
    assert any("chart.label: no style 'chart-lable'" in e for e in errors), errors
