"""Every command has --help with examples; -q and -v are accepted."""

from __future__ import annotations

import pytest

from banmian.cli.main import main

COMMANDS = ["build", "fit", "fonts", "preview", "watch", "serve", "import", "new", "diff"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"banmian {command}" in out.split("examples:")[1]


def test_unknown_import_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "story.pdf"]) == 1
    assert ".docx, .txt or .md" in capsys.readouterr().err
