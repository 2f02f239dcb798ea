"""Helpers shared by the workflow tests: small content files that build fast, and ``banmian`` run in its own
process as a user runs it."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from banmian.ingest.starter import starter_text

ROOT = Path(__file__).resolve().parents[1]

SHORT_BODY = "正文每段之间空一行。段首不必空格，排版时自动缩进两字。"
LONG_BODY = "这是一段很长的正文，用来撑满版面，直到超出为止。" * 120


def starter(folder: Path, name: str = "story", body: str | None = None, title: str | None = None) -> Path:
    """A starter content file (one article in the lead slot), optionally with another body or title."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(set_body(starter_text(name), body, title), encoding="utf-8")
    return path


def set_body(text: str, body: str | None = None, title: str | None = None) -> str:
    head, rest = text.split("    body: |\n", 1)
    tail = rest[rest.index("    # images:"):]
    if title is not None:
        head = head.replace("title: 一篇短稿", f"title: {title}")
    if body is None:
        return text if title is None else head + "    body: |\n" + rest
    return head + "    body: |\n      " + body + "\n" + tail


def rewrite(path: Path, body: str | None = None, title: str | None = None) -> None:
    """Replace the article's body (and title) in place, as an editor's save would."""
    name = path.stem
    path.write_text(set_body(starter_text(name), body, title), encoding="utf-8")


@contextlib.contextmanager
def running(argv: list[str], cwd: Path) -> Iterator[tuple[subprocess.Popen[str], queue.Queue[str],
                                                         queue.Queue[str]]]:
    """``banmian argv`` in its own process, as a user runs it: the process, its stdout and stderr lines;
    stopped with SIGTERM (as Ctrl-C or a service manager would) and its pipes closed afterwards."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("BANMIAN_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "banmian", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    out: queue.Queue[str] = queue.Queue()
    err: queue.Queue[str] = queue.Queue()
    readers = [threading.Thread(target=lambda s=stream, q=lines: [q.put(line) for line in s], daemon=True)
               for stream, lines in ((proc.stdout, out), (proc.stderr, err))]
    for reader in readers:
        reader.start()
    try:
        yield proc, out, err
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for reader in readers:
            reader.join(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def project_with_layout_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path/paper``: a project (the working folder) with one content file, ``content/c.yaml``, on
    layout ``mine`` — a copy of broadsheet-page made by ``banmian new-layout``, for a test to change."""
    from banmian.cli.main import main

    from .bad_corpus import doc

    root = tmp_path / "paper"
    (root / "content").mkdir(parents=True)
    (root / "content" / "c.yaml").write_text(doc().replace("layout: broadsheet-page", "layout: mine"),
                                             encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["new-layout", "mine", "--from", "broadsheet-page"]) == 0
    return root
