"""Layouts are untrusted code (issue 19, item 11): they travel between schools as files. A template ran
shell commands through Jinja (``cycler.__init__.__globals__.os.popen``); a profile path, a symlinked
layout.css or an ``{% include %}`` of a symlink read files outside the layout; ``trim: [.nan, 297]`` and
a 100 m page were "print-ready"; ``{{ 1/0 }}`` and recursive extends or macros ended in exit 70. Now
each is one located error (``layout file:line``, hint), nothing outside is opened, nothing is run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from banmian.cli.main import main
from banmian.core.diagnostics import display_path

from . import guard
from .workflow_helpers import project_with_layout_copy

OUTSIDE = "outside.txt"  # beside the project: a layout must never read it


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a content file and a layout ``mine`` (a copy of broadsheet-page) to spoil."""
    (tmp_path / OUTSIDE).write_text("secret text from outside the layout\n", encoding="utf-8")
    return project_with_layout_copy(tmp_path, monkeypatch)


def build(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Build the content with layout ``mine``, checking nothing outside was opened and no network used."""
    capsys.readouterr()
    out = project / "output" / "c.pdf"
    with guard.watch() as seen:
        status = main(["build", "content/c.yaml", "-o", str(out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    assert (project.parent / OUTSIDE).resolve() not in seen.opened_real()
    assert seen.network == []
    if status != 0:
        assert not out.exists()
    return status, [line for line in err.splitlines() if ": error: " in line]


def located(errors: list[str], path: Path, words: str) -> int | None:
    """The one error's line number (None: the file as a whole); it is at ``path`` and says ``words``
    with a hint."""
    assert len(errors) == 1, errors
    match = re.match(rf"{re.escape(display_path(path))}(:(\d+))?(:\d+)?: error: (.+) \(hint: .+\)$",
                     errors[0])
    assert match, errors
    assert words in match.group(4), errors
    return int(match.group(2)) if match.group(2) else None


def template(project: Path, text: str) -> Path:
    path = project / "layouts" / "mine" / "page.html.j2"
    path.write_text(text, encoding="utf-8")
    return path


def layout_yaml(project: Path, old: str, new: str) -> Path:
    path = project / "layouts" / "mine" / "layout.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, words: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if words in line)


# --- the sandbox ---------------------------------------------------------------------------------------

ESCAPES = [
    "cycler.__init__.__globals__.os.popen('touch PWNED').read()",
    "joiner.__init__.__globals__.os.system('touch PWNED')",
    "lipsum.__globals__['os'].popen('touch PWNED').read()",
    "''.__class__.__mro__[1].__subclasses__()",
    "pages[0].__class__.__init__.__globals__",
    "self._TemplateReference__context",
    "namespace.__init__.__globals__",
    "color.__globals__['__builtins__']['open']('../../outside.txt').read()",
]


@pytest.mark.parametrize("expression", ESCAPES)
def test_template_code_has_no_way_into_python(project: Path, expression: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = template(project, "<html>\n<body>\n{{ " + expression + " }}\n</body></html>\n")
    status, errors = build(project, capsys)
    assert status == 1
    assert located(errors, path, "unsafe") == 3
    assert not (project / "PWNED").exists()


@pytest.mark.parametrize(("text", "line", "words"), [
    ("<p>\n{{ 1/0 }}\n</p>", 2, "ZeroDivisionError: division by zero"),
    ('{% extends "page.html.j2" %}', 1, "calls itself without end"),
    ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}\n\n{{ m(1) }}", 1, "calls itself without end"),
    ("<p>\n\n{{ no_such_value.x }}", 3, "'no_such_value' is undefined"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}", None,
     "passes 20,000,000 characters"),  # the output as a whole: no one line made it
    ("{% for i in range(10**12) %}{% endfor %}", 1, "Range too big"),
    ("<p>\n{% if %}", 2, "template error"),
])
def test_a_failing_template_is_a_located_error(project: Path, text: str, line: int | None, words: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = template(project, text)
    status, errors = build(project, capsys)
    assert status == 1  # not 70
    assert located(errors, path, words) == line


# --- files: every one inside the layout's folder --------------------------------------------------------

def link_outside(project: Path, name: str) -> Path:
    """``layouts/mine/<name>`` replaced by a symlink to the file outside the project."""
    path = project / "layouts" / "mine" / name
    path.unlink(missing_ok=True)
    os.symlink(project.parent / OUTSIDE, path)
    return path


def test_a_symlinked_stylesheet_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link_outside(project, "layout.css")
    status, errors = build(project, capsys)
    assert status == 1
    yaml_path = project / "layouts" / "mine" / "layout.yaml"
    # the layout names no stylesheet (the default, layout.css): the error is at the top of layout.yaml
    assert located(errors, yaml_path, "layout.css: a symbolic link to a file outside") is not None


def test_an_include_of_a_symlink_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link_outside(project, "extra.html")
    path = template(project, '<html>\n{% include "extra.html" %}\n</html>')
    status, errors = build(project, capsys)
    assert status == 1
    assert located(errors, path, "template 'extra.html': a symbolic link to a file outside") == 2


def test_a_symlinked_folder_of_templates_is_refused(project: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink(project.parent, project / "layouts" / "mine" / "parts")
    path = template(project, f'<html>\n\n{{% include "parts/{OUTSIDE}" %}}\n</html>')
    status, errors = build(project, capsys)
    assert status == 1
    assert located(errors, path, f"template 'parts/{OUTSIDE}': a symbolic link to a file outside") == 3


def test_a_symlinked_layout_yaml_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = project / "layouts" / "mine" / "layout.yaml"
    os.replace(real, project.parent / "elsewhere.yaml")
    os.symlink(project.parent / "elsewhere.yaml", real)
    status, errors = build(project, capsys)
    assert status == 1
    assert "layout.yaml: error: a symbolic link to a file outside the layout's folder" in errors[0]


@pytest.mark.parametrize("profile", ["../../../outside.icc", "/etc/passwd.icc", "../../outside.txt",
                                     "..", "x/../../y.icc"])
def test_a_profile_is_a_name_never_a_path(project: Path, profile: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = layout_yaml(project, "profile: newsprint-tr002", f'profile: "{profile}"')
    status, errors = build(project, capsys)
    assert status == 1
    assert located(errors, path, "not a path") == line_of(path, "profile:")


def test_a_symlinked_profile_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link_outside(project, "press.icc")
    path = layout_yaml(project, "profile: newsprint-tr002", "profile: press.icc")
    status, errors = build(project, capsys)
    assert status == 1
    assert located(errors, path, "press.icc: a symbolic link to a file outside") == line_of(path, "profile:")


# --- numbers ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "words"), [
    ("trim: [390, 540]", "trim: [.nan, 540]", "finite number"),
    ("trim: [390, 540]", "trim: [.inf, 540]", "finite number"),
    ("trim: [390, 540]", "trim: [390, -.inf]", "finite number"),
    ("trim: [390, 540]", "trim: [100000, 540]", "less than or equal to 2000"),
    ("trim: [390, 540]", "trim: [390, 1e-300]", "greater than or equal to 50"),
    ("top: 22,", "top: .nan,", "finite number"),
    ("top: 22,", "top: 1e300,", "less than or equal to 2000"),
])
def test_layout_numbers_are_finite_and_the_page_a_sane_size(project: Path, old: str, new: str, words: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """``trim: [.nan, 297]`` became A4 and "print-ready"; a 100 m page was "print-ready"."""
    path = layout_yaml(project, old, new)
    status, errors = build(project, capsys)
    assert status == 1
    assert any(words in line and line.startswith(f"{display_path(path)}:{line_of(path, new)}:")
               for line in errors), errors


def test_the_untouched_copy_builds(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The checks refuse only what is wrong: the copied layout itself builds (the sandbox runs the
    built-in templates)."""
    status, errors = build(project, capsys)
    assert status == 0, errors


def test_new_layout_never_copies_a_file_from_outside(project: Path) -> None:
    """A layout received from elsewhere with a link out of its folder: ``new-layout`` copied the file the
    link points at into the project, where it was the layout's own and could be printed."""
    link_outside(project, "extra.html")
    assert main(["new-layout", "copy", "--from", "mine"]) == 0
    copied = project / "layouts" / "copy" / "extra.html"
    assert copied.is_symlink()  # still a link: the build refuses it (test_an_include_of_a_symlink_…)
    assert "secret" not in "".join(p.read_text(encoding="utf-8", errors="replace")
                                   for p in (project / "layouts" / "copy").iterdir() if not p.is_symlink())


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no room on disk (a hole)."""
    path.unlink(missing_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_a_huge_stylesheet_is_refused_unread(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sparse(project / "layouts" / "mine" / "layout.css", 3 << 30)  # 3 GB
    status, errors = build(project, capsys)
    assert status == 1
    assert located(errors, project / "layouts" / "mine" / "layout.yaml", "a layout's file is at most") \
        is not None


def test_a_huge_included_template_is_refused_unread(project: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    sparse(project / "layouts" / "mine" / "big.html", 3 << 30)
    path = template(project, '<html>\n{% include "big.html" %}\n</html>')
    status, errors = build(project, capsys)
    assert status == 1
    assert located(errors, path, "a layout's file is at most") == 2


def test_a_stylesheet_that_is_not_utf8_is_a_located_error(project: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    css = project / "layouts" / "mine" / "layout.css"
    css.write_bytes("/* 版面 */ .s-body { color: black; }".encode("gbk"))
    status, errors = build(project, capsys)
    assert status == 1
    assert located(errors, css, "not valid UTF-8 (byte 0xb0 at offset 3)") is None
