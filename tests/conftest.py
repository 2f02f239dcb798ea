"""Shared fixtures: the project root, the sample content, a built sample PDF (built once per session);
the Hypothesis profiles every run uses."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "beibei-dangjian.yaml"

# --- Hypothesis profiles -------------------------------------------------------------------------------
# `ci` is the default everywhere, not only where the CI variable is set: `make test` must give the same
# verdict on every run and every machine, so a red suite always means a changed program, never an unlucky
# draw (derandomized: each test's examples come from its own name; no example database, which would
# replay old failures on one machine only). New examples are found on purpose with
# `HYPOTHESIS_PROFILE=dev`: random each run, failures kept in .hypothesis/ and replayed first, and
# DEV_EXAMPLE_FACTOR times the examples. `pytest --hypothesis-seed=N` runs seed N (see pytest_configure).
# Registering `ci` here replaces the profile Hypothesis itself loads when CI is set, so the two agree.
DEV_EXAMPLE_FACTOR = 5
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", derandomize=False, print_blob=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(n: int) -> int:
    """A property test's example count: ``n`` in the deterministic profile, more when exploring."""
    return n * DEV_EXAMPLE_FACTOR if settings.get_current_profile_name().startswith("dev") else n


@pytest.hookimpl(trylast=True)  # after Hypothesis' own plugin has applied --hypothesis-profile
def pytest_configure(config: pytest.Config) -> None:
    """An explicit ``--hypothesis-seed`` means that seed: derandomize would silently override it."""
    if config.getoption("hypothesis_seed", default=None) is not None:
        name = settings.get_current_profile_name()
        settings.register_profile(f"{name}-seeded", settings.get_profile(name), derandomize=False)
        settings.load_profile(f"{name}-seeded")


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
