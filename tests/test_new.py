"""banmian new: a commented starter that builds as it is, never overwriting."""

from __future__ import annotations

from pathlib import Path

import pytest

from banmian.cli.main import main


def test_new_writes_a_starter_that_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "issue-387", "--dir", str(tmp_path)]) == 0
    path = tmp_path / "issue-387.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("#") > 20  # commented
    for key in ("meta:", "publication:", "date:", "layout:", "articles:", "id:", "title:", "body:",
                "banner:", "images:", "sidebar:", "slot:", "editorial:"):
        assert key in text, key
    out = tmp_path / "issue-387.pdf"
    assert main(["build", str(path), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["new", "issue-387", "--dir", str(tmp_path)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == text


def test_new_rejects_a_bad_name(tmp_path: Path) -> None:
    assert main(["new", "../evil", "--dir", str(tmp_path)]) == 1
    assert not list(tmp_path.iterdir())
