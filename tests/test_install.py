"""Installed as a user installs it: a wheel in a fresh venv builds the sample in a folder with only content/.

The wheel is built from a copy of the sources (so no stale ``build/`` of the checkout can fill a gap) and
installed with its real dependencies, resolved by pip as configured on this machine; nothing of the
checkout is importable in that venv. Any package data missing from the wheel — templates, press
profile, live page, built-in layouts, fonts manifest — fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.install
CACHES = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


def run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run outside the checkout's environment: no PYTHONPATH, no project named by the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BANMIAN_PROJECT", "VIRTUAL_ENV")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=CACHES)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp / "dist", source], tmp)
    [built] = (tmp / "dist").glob("banmian-*.whl")
    return built


@pytest.fixture(scope="module")
def banmian(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``banmian`` command of a fresh venv holding the wheel and its dependencies."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    run([sys.executable, "-m", "venv", venv], venv.parent)
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", wheel], venv.parent)
    where = run([venv / "bin" / "python", "-c", "import banmian; print(banmian.__file__)"], venv.parent)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout  # not the checkout's
    return venv / "bin" / "banmian"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """An editor's folder: the sample's content/ (YAML and images) and nothing else."""
    shutil.copytree(SAMPLE.parent, tmp_path / "paper" / "content", ignore=CACHES)
    return tmp_path / "paper"


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    package = ROOT / "src" / "banmian"
    files = {f"banmian/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts}
    assert {"banmian/builtin/fonts/fonts.yaml", "banmian/graphics/data/newsprint-tr002.icc",
            "banmian/render/templates/base.html.j2", "banmian/live/serve.html",
            "banmian/builtin/layouts/tabloid-spread/layout.yaml"} <= files
    with zipfile.ZipFile(wheel) as archive:
        missing = files - set(archive.namelist())
    assert not missing, f"not in the wheel: {sorted(missing)}"


def _flat(text: str) -> str:
    return "".join(text.split())


def test_installed_banmian_builds_the_sample_in_a_folder_with_only_content(
        banmian: Path, folder: Path, sample_pdf: Path) -> None:
    done = run([banmian, "build", "content/beibei-dangjian.yaml"], folder)
    pdf = folder / "output" / "beibei-dangjian.pdf"
    assert "print-ready" in done.stdout and pdf.is_file(), done.stdout
    spec = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    heads = [spec["banner"]["title"]]  # and every line of every article's headline
    heads += [line for a in spec["articles"] for line in (a["title"] if isinstance(a["title"], list)
                                                           else [a["title"]])]
    with pdfplumber.open(pdf) as doc:
        text = _flat(doc.pages[0].extract_text())
    for head in heads:
        assert _flat(head) in text, head
    assert pdf.read_bytes() == sample_pdf.read_bytes()  # the same bytes as a build from the checkout
    assert sorted(p.name for p in folder.iterdir()) == [".cache", "content", "output"]


def test_installed_new_layout_is_written_into_the_folder_and_used(banmian: Path, folder: Path) -> None:
    run([banmian, "new-layout", "my-page", "--from", "broadsheet-page"], folder)
    spec = folder / "layouts" / "my-page" / "layout.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "\nname: my-page\n" in text
    spec.write_text(text.replace("red: [0, 100, 100, 10]", "red: [100, 0, 0, 0]"), encoding="utf-8")
    listed = run([banmian, "layouts"], folder).stdout
    assert "my-page" in listed and "layouts/my-page/" in listed and "broadsheet-page" in listed

    run([banmian, "build", "content/beibei-dangjian.yaml", "--layout", "my-page", "-o", "mine.pdf"], folder)
    banner = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["banner"]["title"]
    with pdfplumber.open(folder / "mine.pdf") as doc:
        chars = [c for c in doc.pages[0].chars if c["text"] in banner and c["size"] > 40]
    assert len(chars) >= len(_flat(banner))
    assert {tuple(c["non_stroking_color"]) for c in chars} == {(1, 0, 0, 0)}  # the edited red: cyan
