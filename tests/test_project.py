"""The editor's folder: found from the content or the working folder, or named; its layouts and fonts
manifest before the built-in ones; new files and output written into it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from banmian.cli.main import main
from banmian.core.diagnostics import BuildError
from banmian.source.project import Project, builtin_layouts, builtin_manifest, find_project
from banmian.source.world import make_world

BUILTIN = ("a4-newsletter", "broadsheet-page", "tabloid-spread")


@pytest.fixture(autouse=True)
def _no_project_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BANMIAN_PROJECT", raising=False)


def test_the_project_is_found_upwards_from_the_content_then_from_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paper = tmp_path / "paper"
    (paper / "content" / "2025").mkdir(parents=True)
    other = tmp_path / "other"
    (other / "layouts").mkdir(parents=True)
    loose = tmp_path / "loose"
    loose.mkdir()

    monkeypatch.chdir(loose)
    assert find_project(paper / "content" / "2025") == Project(paper.resolve())
    assert find_project(loose) == Project(loose.resolve())  # nothing above: the working folder
    monkeypatch.chdir(other / "layouts")
    assert find_project(loose) == Project(other.resolve())  # the content's folder has none: the cwd's
    assert find_project(paper / "content", explicit=loose) == Project(loose.resolve())
    monkeypatch.setenv("BANMIAN_PROJECT", str(paper))
    assert find_project(loose) == Project(paper.resolve())
    with pytest.raises(BuildError, match=r"project folder .*missing.* not found"):
        find_project(explicit=tmp_path / "missing")


def test_without_layouts_and_fonts_of_its_own_a_project_uses_the_built_in_ones(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    assert world.layout_roots == (builtin_layouts(),)
    assert world.fonts.manifest == builtin_manifest()
    assert [world.layout(name).folder for name in BUILTIN] == [builtin_layouts() / n for n in BUILTIN]


def test_the_project_layout_and_manifest_come_first(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    layout = tmp_path / "layouts" / "broadsheet-page"
    shutil.copytree(builtin_layouts() / "a4-newsletter", layout)  # the name of a built-in, other content
    spec = layout / "layout.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("name: a4-newsletter", "name: broadsheet-page"),
                    encoding="utf-8")
    (tmp_path / "fonts").mkdir()
    manifest = tmp_path / "fonts" / "fonts.yaml"
    manifest.write_text(builtin_manifest().read_text(encoding="utf-8").replace(
        "label: 楷体 (kickers", "label: 本报楷体 (kickers"), encoding="utf-8")

    world = make_world(tmp_path)
    assert world.layout("broadsheet-page").spec.kind == "flow"  # the project's, not the built-in
    assert world.layout("tabloid-spread").folder == builtin_layouts() / "tabloid-spread"
    assert world.fonts.manifest == manifest and world.fonts["kai"].label.startswith("本报楷体")

    assert main(["--project", str(tmp_path), "fonts"]) == 0
    assert "本报楷体" in capsys.readouterr().out
    assert main(["layouts", "--project", str(tmp_path)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("broadsheet-page ") for line in listed) == 1
    assert any(line.startswith("broadsheet-page ") and "flow" in line for line in listed)


def test_an_unknown_layout_names_both_places(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new-layout", "my-page", "--from", "tabloid-spread"]) == 0
    assert (tmp_path / "layouts" / "my-page" / "layout.yaml").is_file()
    assert main(["new", "issue-1"]) == 0
    assert (tmp_path / "content" / "issue-1.yaml").is_file()
    capsys.readouterr()
    assert main(["build", "content/issue-1.yaml", "--layout", "no-such"]) == 1
    err = capsys.readouterr().err
    assert "no layout 'no-such'" in err
    assert f"known layouts: my-page (layouts/); {', '.join(BUILTIN)} (built in)" in err
    assert main(["new-layout", "tabloid-spread", "--from", "my-page"]) == 1  # a built-in's name
    assert "exists already" in capsys.readouterr().err


def test_new_and_build_write_into_the_project_from_anywhere(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    paper, elsewhere = tmp_path / "paper", tmp_path / "elsewhere"
    (paper / "content").mkdir(parents=True)
    (paper / "content" / "drafts").mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(paper / "content" / "drafts")
    assert main(["new", "issue-2"]) == 0  # the project's content/, not the working folder
    content = paper / "content" / "issue-2.yaml"
    assert content.is_file() and not list((paper / "content" / "drafts").iterdir())

    monkeypatch.chdir(elsewhere)
    assert main(["build", str(content)]) == 0
    assert (paper / "output" / "issue-2.pdf").read_bytes().startswith(b"%PDF")
    assert not list(elsewhere.iterdir())
    assert main(["build", str(content), "--project", str(elsewhere)]) == 0
    assert (elsewhere / "output" / "issue-2.pdf").is_file()
