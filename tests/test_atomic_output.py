"""Output is all or nothing: a failed, interrupted or killed build leaves the previous PDF byte-identical
and no partial file at the output path; the temporary file of a killed build is swept by the next one;
two builds at once into the same folder (and the same file) both finish with valid PDFs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from banmian.cli.main import main
from banmian.core import atomic
from banmian.core.diagnostics import display_path

from .bad_corpus import doc

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SOURCE_DATE_EPOCH": "1751040000"}


@pytest.fixture()
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, bytes]:
    """A content file and its PDF, built once: (content, pdf, the PDF's bytes)."""
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "c.yaml"
    content.write_text(doc(body="第一版正文。"), encoding="utf-8")
    out = tmp_path / "out" / "page.pdf"
    assert main(["-q", "build", str(content), "-o", str(out)]) == 0
    return content, out, out.read_bytes()


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p != out)


def test_a_failing_build_keeps_the_previous_pdf(built: tuple[Path, Path, bytes],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    content, out, before = built
    content.write_text(doc(body="第二版正文。", extra="    bdoy: x\n"), encoding="utf-8")
    assert main(["build", str(content), "-o", str(out)]) == 1
    assert "unknown key 'bdoy'" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert leftovers(out) == []


@pytest.mark.parametrize("where", ["pdf_bytes", "fsync", "replace"])
def test_an_interrupted_build_keeps_the_previous_pdf(built: tuple[Path, Path, bytes], where: str,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Interrupted while making the PDF, after writing the temporary file, and at the rename."""
    content, out, before = built
    content.write_text(doc(body="第二版正文，更长一些。"), encoding="utf-8")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if where == "pdf_bytes":
        monkeypatch.setattr("banmian.pipeline.pdf_bytes", interrupt)
    else:
        monkeypatch.setattr(atomic.os, where, interrupt)
    assert main(["build", str(content), "-o", str(out)]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "interrupted"
    monkeypatch.undo()
    assert out.read_bytes() == before
    assert leftovers(out) == []


def test_a_crash_while_writing_is_one_line_and_keeps_the_previous_pdf(
        built: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    content, out, before = built
    content.write_text(doc(body="第二版正文。"), encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    assert main(["build", str(content), "-o", str(out)]) == 1  # the machine's trouble, not banmian's: not 70
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == (
        f"{display_path(out)}: error: cannot write the PDF: No space left on device "
        "(hint: choose a folder you can write to, e.g. output/)")
    assert "Traceback" not in err
    monkeypatch.undo()
    assert out.read_bytes() == before
    assert leftovers(out) == []


KILLED_BUILD = """
import os, sys, time
import banmian.core.atomic as atomic
real = os.fsync
def stall(fd):
    real(fd)
    path = os.readlink(f"/proc/self/fd/{fd}")
    if path.endswith(".tmp") and "/out/" in path:  # the PDF (not a cache file of .cache/)
        print("writing", flush=True)
        time.sleep(120)
atomic.os.fsync = stall
from banmian.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_killed_build_keeps_the_previous_pdf(built: tuple[Path, Path, bytes]) -> None:
    content, out, before = built
    content.write_text(doc(body="第二版正文。"), encoding="utf-8")
    with subprocess.Popen([sys.executable, "-c", KILLED_BUILD, "build", str(content), "-o", str(out)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=ENV) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "writing"  # the new PDF is in its temporary file
            stale = leftovers(out)
            assert len(stale) == 1 and stale[0].startswith(f".page.pdf.{proc.pid}.")
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == before
    assert leftovers(out) == stale  # a killed process cannot clean up…
    assert main(["-q", "build", str(content), "-o", str(out)]) == 0
    assert leftovers(out) == []  # …the next build does
    assert out.read_bytes() != before


def test_a_live_build_keeps_its_temporary_file(tmp_path: Path) -> None:
    mine = tmp_path / f".page.pdf.{os.getpid()}.abc.tmp"
    mine.write_bytes(b"%PDF-")
    assert atomic.sweep_stale(tmp_path / "page.pdf") == []
    assert mine.exists()


def test_two_builds_at_once(tmp_path: Path) -> None:
    """Two processes into one folder: the same file, and each its own file; all valid PDFs."""
    (tmp_path / "a.yaml").write_text(doc(body="甲稿正文。"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(doc(body="乙稿正文。"), encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "banmian", "-q", "build"]
    jobs = [[*command, name, "-o", str(out / target)]
            for name, target in (("a.yaml", "same.pdf"), ("b.yaml", "same.pdf"), ("a.yaml", "a.pdf"),
                                 ("b.yaml", "b.pdf"))]
    procs = [subprocess.Popen(job, cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for job in jobs]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], results
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "b.pdf", "same.pdf"]
    texts = {}
    for pdf in out.iterdir():
        check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stdout + check.stderr
        with pikepdf.open(pdf) as document:
            assert len(document.pages) == 1
        texts[pdf.name] = pdf.read_bytes()
    assert texts["same.pdf"] in (texts["a.pdf"], texts["b.pdf"])  # one whole build, not a mix
