"""Messages in the editor's terms (issue 17, item 4).

The editor copies a layout (``banmian new-layout mine --from broadsheet-page``), makes a mistake in
it, runs ``banmian build`` and reads the message: at its file:line, with the valid choices, the form a
colour takes, what to write instead of a screen colour, and where the keys are described.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from banmian.cli.main import main
from banmian.source.colours import naive_cmyk

from .workflow_helpers import project_with_layout_copy

BROADSHEET_COLOURS = "black, red, tint, grey, red-60, red-30"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one content file on layout ``mine``, a copy of the broadsheet."""
    return project_with_layout_copy(tmp_path, monkeypatch)


def edit(project: Path, name: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` (once) in the layout's file ``name``; the line (1-based) edited."""
    path = project / "layouts" / "mine" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def errors(project: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The error lines ``banmian build`` prints (it must fail, and write no PDF)."""
    capsys.readouterr()
    out = project / "output" / "c.pdf"
    assert main(["build", "content/c.yaml", "-o", str(out)]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if ": error: " in line]


def the_error(found: list[str], file: str, line: int) -> str:
    """The one error at ``file:line``."""
    (match,) = [e for e in found if re.match(rf"layouts/mine/{re.escape(file)}:{line}(:\d+)?: error: ", e)]
    return match


def test_an_unknown_colour_lists_the_colours(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = edit(project, "layout.yaml", "leading: 32, color: red}", "leading: 32, color: nav}")
    message = the_error(errors(project, capsys), "layout.yaml", line)
    assert "style 'title': unknown colour 'nav'" in message
    assert f"the layout's colours: {BROADSHEET_COLOURS}" in message and "docs/layouts.md" in message


def test_five_cmyk_numbers_say_what_a_colour_is(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = edit(project, "layout.yaml", "red: [0, 100, 100, 10]", "red: [0, 100, 100, 10, 5]")
    message = the_error(errors(project, capsys), "layout.yaml", line)
    assert "a colour is four numbers 0–100: C M Y K" in message and "(got 5 numbers)" in message
    assert "Tuple" not in message and "validation" not in message


@pytest.mark.parametrize(("written", "rgb"), [
    ("'#c00000'", (192, 0, 0)), ("'#fc0'", (255, 204, 0)), ("'rgb(0, 128, 255)'", (0, 128, 255)),
    ("[192, 0, 0]", (192, 0, 0))])
def test_a_screen_colour_is_refused_with_a_cmyk_to_try(project: Path, capsys: pytest.CaptureFixture[str],
                                                       written: str, rgb: tuple[int, int, int]) -> None:
    line = edit(project, "layout.yaml", "red: [0, 100, 100, 10]", f"red: {written}")
    message = the_error(errors(project, capsys), "layout.yaml", line)
    assert "is a screen (RGB) colour: print needs CMYK, four numbers 0–100: C M Y K" in message
    c, m, y, k = naive_cmyk(rgb)
    assert f"try [{c}, {m}, {y}, {k}] (a naive conversion" in message
    assert "valid tuple" not in message


def test_the_naive_conversion() -> None:
    """The suggestion's arithmetic: pure red is M and Y full, a dark red adds black, white is no ink."""
    assert naive_cmyk((255, 0, 0)) == (0, 100, 100, 0)
    assert naive_cmyk((192, 0, 0)) == (0, 100, 100, 25)
    assert naive_cmyk((255, 255, 255)) == (0, 0, 0, 0)
    assert naive_cmyk((0, 0, 0)) == (0, 0, 0, 100)


def test_a_misspelt_layout_key_points_to_the_layout_docs(project: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    line = edit(project, "layout.yaml", "rules:\n", "ruels:\n")
    message = the_error(errors(project, capsys), "layout.yaml", line)
    assert "unknown key 'ruels'" in message and "see docs/layouts.md for the keys" in message
    assert "content.md" not in message


def test_an_unknown_font_role_lists_the_roles(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = edit(project, "layout.yaml", "{font: headline, size: 26", "{font: headlin, size: 26")
    message = the_error(errors(project, capsys), "layout.yaml", line)
    assert "style 'title': unknown font role 'headlin'" in message
    assert re.search(r"font roles: .*\bheadline\b.*\bkai\b", message), message


def test_a_missing_attribute_in_a_template_is_at_its_line(project: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A macro override reading a field the article does not have: the error is at the template line
    that reads it (not at the base template, nor without a line)."""
    (project / "layouts" / "mine" / "page.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% block page %}\n<p>\n{{ page.articles[0].no_such_field }}\n</p>\n'
        "{% endblock %}\n", encoding="utf-8")
    message = the_error(errors(project, capsys), "page.html.j2", 4)
    assert "no_such_field" in message


# --- layout.css (issue 17, item 3) ----------------------------------------------------------------------

def css(project: Path, text: str) -> None:
    """The editor's layout.css: the copied one with ``text`` after it."""
    path = project / "layouts" / "mine" / "layout.css"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def css_line(project: Path, needle: str) -> int:
    text = (project / "layouts" / "mine" / "layout.css").read_text(encoding="utf-8")
    return text[:text.index(needle)].count("\n") + 1


def test_a_missing_brace_is_an_error_at_the_rule_left_open(project: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A missing ``}`` used to drop every later rule without a word; now the build fails, naming the
    rule left open at its line and column."""
    css(project, "\n.module-box { border-color: var(--bm-grey);\n.bullet { width: 6pt; }\n")
    found = errors(project, capsys)
    line = css_line(project, ".module-box {")
    message = the_error(found, "layout.css", line)
    assert re.search(rf"layout\.css:{line}:13: error: the '{{' of '\.module-box' is never closed", message)
    assert "add the missing '}'" in message


@pytest.mark.parametrize(("rule", "column", "words"), [
    (".rule { colr: red; }", 9, "WeasyPrint ignores this: Ignored `colr: red`, unknown property"),
    (".rule { width: banana; }", 9, "WeasyPrint ignores this: Ignored `width: banana`, invalid value"),
    (".rule:nth-chil(2) { width: 1pt; }", 1, "WeasyPrint cannot use the selector '.rule:nth-chil(2)'"),
])
def test_what_weasyprint_ignores_is_an_error_at_its_line(project: Path, capsys: pytest.CaptureFixture[str],
                                                         rule: str, column: int, words: str) -> None:
    css(project, f"\n\n{rule}\n")
    line = css_line(project, rule)
    message = the_error(errors(project, capsys), "layout.css", line)
    assert f"layout.css:{line}:{column}: error: {words}" in message, message


@pytest.mark.parametrize(("rule", "key"), [
    (".s-caption { font-size: 14pt }", "styles.caption.size"),
    ("figcaption { line-height: 20pt }", "styles.caption.leading"),
    (".headline { letter-spacing: 0.1em }", "styles.title.tracking"),
    (".s-body { font-family: serif }", "styles.body.font (a font role of fonts.yaml)"),
])
def test_css_that_would_change_composed_text_names_the_layout_key(
        project: Path, capsys: pytest.CaptureFixture[str], rule: str, key: str) -> None:
    css(project, f"\n{rule}\n")
    line = css_line(project, rule)
    message = the_error(errors(project, capsys), "layout.css", line)
    assert "would change composed text: banmian sets and measures it from layout.yaml" in message
    assert f"set {key} in layout.yaml instead" in message and "docs/layouts.md" in message


def test_css_for_the_frame_and_free_html_still_applies(project: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Rules on the frame (a rule's colour) and on a layout's own classes pass, and take effect."""
    css(project, "\n.rule { background: var(--bm-red); }\n.pull-quote { font-size: 14pt; color: red; }\n")
    out = project / "output" / "c.pdf"
    capsys.readouterr()
    assert main(["build", "content/c.yaml", "-o", str(out)]) == 0
    assert ": error: " not in capsys.readouterr().err
    import pdfplumber

    with pdfplumber.open(out) as pdf:
        fills = {tuple(round(v, 2) for v in r["non_stroking_color"]) for r in pdf.pages[0].rects
                 if isinstance(r["non_stroking_color"], tuple | list)
                 and (r["width"] < 1.5 < r["height"] or r["height"] < 1.5 < r["width"])}
    assert (0.0, 1.0, 1.0, 0.1) in fills, fills  # the rules in the layout's red (C M Y K)


# --- fonts of a layout, new-layout (issue 17, item 5) ---------------------------------------------------

LAYOUT_FONTS = """\
roles:
  song-heavy:
    label: 特粗宋 (this layout's headlines)
    family: Noto Serif CJK SC
    weight: 900
    file: {file}
"""


def test_a_layouts_own_fonts_yaml_adds_a_role(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The editor gives the layout a fonts.yaml of its own with a role the global manifest lacks, and
    sets the headlines in it: the PDF's headlines are in that role's face; the project's manifest is
    unchanged."""
    import pdfplumber

    (project / "layouts" / "mine" / "fonts.yaml").write_text(
        LAYOUT_FONTS.format(file="NotoSerifCJK-Black.ttc"), encoding="utf-8")
    edit(project, "layout.yaml", "{font: headline, size: 26", "{font: song-heavy, size: 26")
    out = project / "output" / "c.pdf"
    assert main(["build", "content/c.yaml", "-o", str(out), "-q"]) == 0
    titles = (36, 28, 24)  # the broadsheet's slots set their titles by rank (title-1…3, from title)
    with pdfplumber.open(out) as pdf:
        faces = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars
                 if any(abs(c["size"] - size) < 0.01 for size in titles)}
    assert faces == {"bm-song-heavy"}, faces
    capsys.readouterr()
    assert main(["fonts"]) == 0
    assert "song-heavy" not in capsys.readouterr().out  # the project's manifest is unchanged


@pytest.mark.parametrize("file", ["/usr/share/fonts/opentype/noto/NotoSerifCJK-Black.ttc", "../../x.ttf",
                                  "NoSuchFont.ttf"])
def test_a_layouts_font_file_is_a_name_in_known_folders(project: Path, capsys: pytest.CaptureFixture[str],
                                                        file: str) -> None:
    """A layout (untrusted) names a font file by its name, found in its own folder or the folders of the
    global manifest's fonts; a path, or a name found nowhere, is an error at its line."""
    (project / "layouts" / "mine" / "fonts.yaml").write_text(LAYOUT_FONTS.format(file=file), encoding="utf-8")
    message = the_error(errors(project, capsys), "fonts.yaml", 6)
    assert "font role 'song-heavy'" in message


def test_new_layout_names_itself_and_asks_for_a_description(project: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    text = (project / "layouts" / "mine" / "layout.yaml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^name: mine$", text)
    assert re.search(r'(?m)^description: "a copy of broadsheet-page: say what mine is for"', text)
    capsys.readouterr()
    assert main(["layouts"]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("mine ")]
    assert "a copy of broadsheet-page: say what mine is for" in line
