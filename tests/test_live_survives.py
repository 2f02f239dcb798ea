"""serve and watch survive any failed build (issue 19, items 5 and 10): a deeply nested save ended the
watcher thread with a traceback (the page kept that error, no later save rebuilt) and ended ``watch``;
idle connections never timed out (a thread each); a client that disconnected printed a BrokenPipe
traceback. Now a failed build — a bug in banmian included — is reported, the last good page stays, the
next save rebuilds; connections are bounded and time out; a disconnect is silent."""

from __future__ import annotations

import http.client
import json
import queue
import re
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from banmian.live import session as session_module
from banmian.live.serve import LiveServer
from banmian.live.session import Session
from banmian.pipeline import BuildOptions
from tests.workflow_helpers import SHORT_BODY, rewrite, running, starter

NESTED = "[" * 100_000 + "]" * 100_000


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def status_after(port: int, build: int, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code, body = get(port, "/status")
        status = json.loads(body)
        if code == 200 and status["build"] >= build:
            return status  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(f"no build {build} within {timeout} s: the watcher is gone")


def nested_save(content: Path) -> None:
    text = content.read_text(encoding="utf-8")
    content.write_text(re.sub(r"(?m)^    title: .*$", f"    title: {NESTED}", text, count=1),
                       encoding="utf-8")


def check_page_survives(port: int, content: Path, failed: dict[str, Any], good: int) -> None:
    """A failed build shows its error and the last good page; the next save rebuilds."""
    assert failed["ok"] is False and failed["diagnostics"], failed
    assert failed["stale"] is True and failed["pages"], failed  # the last good page stays on the page
    code, png = get(port, failed["pages"][0]["url"])
    assert code == 200 and png.startswith(b"\x89PNG")
    rewrite(content, body=SHORT_BODY + "又改了一句。")
    again = status_after(port, failed["build"] + 1)
    assert again["ok"] is True and again["stale"] is False and again["build"] > good


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[int, Path, subprocess.Popen[str], queue.Queue[str]]]:
    """``banmian serve`` in its own process: (port, content, process, stderr lines)."""
    content = starter(tmp_path, body=SHORT_BODY)
    argv = ["serve", str(content), "--port", "0", "--dpi", "20", "-o", str(tmp_path / "out" / "story.pdf")]
    with running(argv, tmp_path) as (proc, out, err):
        port = None
        while port is None:
            if match := re.search(r"http://127\.0\.0\.1:(\d+)/", out.get(timeout=60)):
                port = int(match.group(1))
        yield port, content, proc, err


def stderr_of(err: queue.Queue[str]) -> str:
    time.sleep(0.3)
    lines = []
    while not err.empty():
        lines.append(err.get())
    return "".join(lines)


def test_serve_survives_a_deeply_nested_save(served: tuple[int, Path, subprocess.Popen[str],
                                                            queue.Queue[str]]) -> None:
    port, content, proc, err = served
    first = status_after(port, 1)
    assert first["ok"] is True
    nested_save(content)
    failed = status_after(port, 2)
    assert any("nesting deeper than" in d["message"] and d["where"].startswith("story.yaml:")
               for d in failed["diagnostics"]), failed["diagnostics"]
    check_page_survives(port, content, failed, first["build"])
    assert proc.poll() is None
    assert "Traceback" not in stderr_of(err)


def reset_mid_answer(port: int, path: str) -> None:
    """Ask for ``path`` and go away at once: the connection is reset (RST) while it is answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        sock.recv(1)  # the answer has started
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_a_client_that_disconnects_is_no_traceback(served: tuple[int, Path, subprocess.Popen[str],
                                                                 queue.Queue[str]]) -> None:
    port, _, proc, err = served
    status = status_after(port, 1)
    page = status["pages"][0]["url"]
    for _ in range(30):
        reset_mid_answer(port, page)
        reset_mid_answer(port, "/")
    assert get(port, "/status")[0] == 200  # still answering
    assert proc.poll() is None
    stderr = stderr_of(err)
    assert not [word for word in ("Traceback", "BrokenPipe", "ConnectionReset") if word in stderr], stderr


def test_idle_connections_are_bounded_and_time_out(tmp_path: Path) -> None:
    """1 000 idle connections held 1 003 threads, forever."""
    content = starter(tmp_path, body=SHORT_BODY)
    session = Session(content, BuildOptions(output=tmp_path / "story.pdf"), image_dir=tmp_path, dpi=20)
    with LiveServer(session, 0, interval=0.1, idle_timeout=1.0, max_connections=8) as server:
        port = server.httpd.server_address[1]
        status_after(port, 1)
        threads = threading.active_count()
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(200)]
        try:
            time.sleep(0.3)
            assert threading.active_count() <= threads + 8  # one thread per connection, at most 8
            started = time.monotonic()
            for sock in idle:  # each is closed by the server: at once beyond the 8, after 1 s otherwise
                assert sock.recv(1) == b""
            assert time.monotonic() - started < 8
        finally:
            for sock in idle:
                sock.close()
        time.sleep(0.3)
        assert threading.active_count() <= threads
        assert get(port, "/status")[0] == 200


def test_a_bug_in_a_rebuild_is_reported_and_the_next_save_rebuilds(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Any exception of a build — not only a located error — leaves the server and its watcher running."""
    real = session_module.compose

    def buggy(content: Path, *args: Any, **kwargs: Any) -> Any:
        if "出错" in content.read_text(encoding="utf-8"):
            raise ZeroDivisionError("a bug in banmian")
        return real(content, *args, **kwargs)

    monkeypatch.setattr(session_module, "compose", buggy)
    content = starter(tmp_path, body=SHORT_BODY)
    session = Session(content, BuildOptions(output=tmp_path / "story.pdf"), image_dir=tmp_path, dpi=20)
    with LiveServer(session, 0, interval=0.1) as server:
        port = server.httpd.server_address[1]
        first = status_after(port, 1)
        rewrite(content, body="出错了。")
        failed = status_after(port, 2)
        [diagnostic] = failed["diagnostics"]
        assert diagnostic["code"] == "internal" and diagnostic["severity"] == "error"
        assert diagnostic["message"] == "internal error: ZeroDivisionError: a bug in banmian"
        assert "last good PDF stays" in diagnostic["hint"]
        check_page_survives(port, content, failed, first["build"])
        assert all(t.is_alive() for t in server._threads)


def test_watch_survives_a_deeply_nested_save(tmp_path: Path) -> None:
    """``banmian watch`` exited (70) on a deeply nested save; now it reports it and rebuilds the next."""
    content = starter(tmp_path, body=SHORT_BODY)
    argv = ["watch", str(content), "--interval", "0.1", "-o", str(tmp_path / "out" / "story.pdf")]
    with running(argv, tmp_path) as (proc, out, err):
        def wait_for(start: str) -> list[str]:
            seen = []
            while not seen or not seen[-1].startswith(start):
                seen.append(out.get(timeout=90))
            return seen

        wait_for("rebuilt in")
        nested_save(content)
        wait_for("build failed")
        errors = stderr_of(err)
        assert re.search(r"(?m)^story\.yaml:\d+:\d+: error: nesting deeper than 32 levels", errors), errors
        rewrite(content, body=SHORT_BODY + "又改了一句。")
        wait_for("rebuilt in")
        assert proc.poll() is None
        assert "Traceback" not in errors and "internal error" not in errors
