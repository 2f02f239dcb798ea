"""Every bad input of the corpus gives its one clear error line and a non-zero exit through the real CLI:
no traceback, no internal error, no PDF (nor temporary file) at the output path, the canary outside the
roots never opened, no network attempted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from banmian.cli.main import main

from . import guard
from .bad_corpus import CANARY, CASES, FIXTURES, Case, stage

EXPECTED: dict[str, dict[str, object]] = yaml.safe_load((FIXTURES / "expected.yaml").read_text("utf-8"))
ROOT = Path(__file__).resolve().parents[1]


def test_the_corpus_is_complete() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)) >= 30
    assert set(names) == set(EXPECTED)
    committed = {p.stem for p in FIXTURES.glob("*.yaml")} - {"expected"}
    assert committed <= set(names), committed - set(names)  # every fixture file is run
    assert {c.name for c in CASES if c.setup is None} <= committed


@pytest.fixture()
def content_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    monkeypatch.chdir(folder)  # messages name files relative to the working folder
    return folder


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line or line.startswith("error: ")]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input(case: Case, content_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = stage(case, content_folder)
    out = content_folder.parent / "out" / "page.pdf"
    with guard.watch() as seen:
        status = main(["build", name, "-o", str(out), *case.args])
    captured = capsys.readouterr()
    expected = EXPECTED[case.name]
    assert status == expected["exit"] != 0
    errors = error_lines(captured.err)
    assert errors, captured.err
    assert errors[0] == expected["error"]
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    assert not out.exists()
    assert not out.parent.exists() or not list(out.parent.iterdir())
    assert (content_folder.parent / CANARY).resolve() not in seen.opened_real()
    assert seen.network == []
    if case.one:
        assert len(errors) == 1, errors
        assert re.fullmatch(rf"{re.escape(name)}:\d+:\d+: error: .+ \(hint: .+\)", errors[0]), errors[0]
        assert len(errors[0]) < 400  # a value the message repeats is shortened


SUBPROCESS_CASES = ("python-object", "image-bomb", "billion-laughs", "gbk", "image-symlink", "bad-date",
                    "nesting-100000", "huge-integer", "image-symlink-loop")


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_bad_input_in_a_fresh_process(name: str, content_folder: Path) -> None:
    """The installed entry point, as a user runs it: one error line, no traceback on stderr."""
    case = next(c for c in CASES if c.name == name)
    filename = stage(case, content_folder)
    out = content_folder.parent / "out" / "page.pdf"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("BANMIAN_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "banmian", "build", filename, "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == EXPECTED[name]["exit"]
    assert error_lines(proc.stderr)[0] == EXPECTED[name]["error"]
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert not Path("/tmp/banmian-pwned").exists()
