"""Shared fixtures: the project root, the sample content, a built sample PDF (built once per session)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "beibei-dangjian.yaml"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def world():  # type: ignore[no-untyped-def]
    from banmian.source.world import make_world

    return make_world(ROOT)


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample page built once through the CLI, as a user would."""
    from banmian.cli.main import main

    out = tmp_path_factory.mktemp("sample") / "beibei-dangjian.pdf"
    assert main(["build", str(SAMPLE), "-o", str(out)]) == 0
    return out


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample content and its images."""
    shutil.copytree(SAMPLE.parent / "images", tmp_path / "images")
    target = tmp_path / SAMPLE.name
    target.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return target
