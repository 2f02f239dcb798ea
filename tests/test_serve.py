"""banmian serve over HTTP: status JSON, page images, placed diagnostics, refused hosts."""

from __future__ import annotations

import http.client
import json
import time
from pathlib import Path
from typing import Any

from banmian.live.serve import LiveServer
from banmian.live.session import Session
from banmian.pipeline import BuildOptions
from tests.workflow_helpers import LONG_BODY, starter

EVIL = '<img src=x onerror="document.title=1">'


def get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": f"{host}:{port}"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_status(port: int, build: int, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = json.loads(get(port, "/status")[2])
        if status["build"] >= build:
            return status  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(f"no build {build} within {timeout} s")


def test_serve_status_images_and_places(tmp_path: Path) -> None:
    content = starter(tmp_path, body=LONG_BODY, title=EVIL)
    session = Session(content, BuildOptions(output=tmp_path / "story.pdf"), image_dir=tmp_path, dpi=20)
    with LiveServer(session, 0, interval=0.1) as server:
        port = server.httpd.server_address[1]
        status = wait_status(port, 1)
        assert status["ok"] is False and status["rows"][0]["status"] == "overset"
        placed = [d for d in status["diagnostics"] if d["code"] == "overset"]
        assert placed and placed[0]["page"] == 0
        x, y, w, h = placed[0]["box"]
        assert 0 < x < 1 and 0 < y < 1 and 0 < w <= 1 and 0 < h <= 1 and placed[0]["marker"]

        code, headers, page = get(port, "/")
        assert code == 200 and "Content-Security-Policy" in headers
        assert b"textContent" in page and EVIL.encode() not in page  # the page holds no content

        code, headers, png = get(port, status["pages"][0]["url"])
        assert code == 200 and headers["Content-Type"] == "image/png" and png.startswith(b"\x89PNG")
        assert get(port, "/page/7.png")[0] == 404
        assert get(port, "/../story.yaml")[0] == 404
        assert get(port, "/", host="evil.example")[0] == 403


def test_status_is_pushed_when_a_rebuild_is_done(tmp_path: Path) -> None:
    """The page asks ``/status?after=N`` and hears nothing until the editor saves: then the answer is
    the new build (a long poll, no polling); a save with a YAML error answers with the error and the
    last good page images kept."""
    import threading

    content = starter(tmp_path, body=LONG_BODY)
    session = Session(content, BuildOptions(output=tmp_path / "story.pdf"), image_dir=tmp_path, dpi=20)
    with LiveServer(session, 0, interval=0.1) as server:
        port = server.httpd.server_address[1]
        first = wait_status(port, 1)["build"]
        answers: list[dict[str, Any]] = []

        def ask() -> None:
            answers.append(json.loads(get(port, f"/status?after={first}")[2]))

        waiting = threading.Thread(target=ask)
        waiting.start()
        waiting.join(timeout=1.5)
        assert waiting.is_alive() and not answers  # nothing new: the request is held open
        text = content.read_text(encoding="utf-8")
        content.write_text(text.replace("body: |", "body: [|"), encoding="utf-8")
        waiting.join(timeout=60)
        (pushed,) = answers
        assert pushed["build"] == first + 1 and pushed["ok"] is False
        assert any(d["severity"] == "error" and d["where"].startswith(str(content))
                   for d in pushed["diagnostics"])
        assert pushed["stale"] is True and pushed["pages"], pushed  # the last good page stays
        assert get(port, pushed["pages"][0]["url"])[2].startswith(b"\x89PNG")
        # an answer for a build the page has not seen comes at once
        assert json.loads(get(port, "/status?after=0")[2])["build"] == first + 1


def test_status_after_a_build_answers_with_the_next_build(tmp_path: Path) -> None:
    """``/status?after=N`` (what the page asks) answers with the first build newer than N: a save shows
    on the page as soon as its rebuild is done, not at the next poll."""
    content = starter(tmp_path)
    session = Session(content, BuildOptions(output=tmp_path / "story.pdf"), image_dir=tmp_path, dpi=20)
    with LiveServer(session, 0, interval=0.1) as server:
        port = server.httpd.server_address[1]
        first = json.loads(get(port, "/status?after=0")[2])
        assert first["build"] == 1 and first["pages"]
        assert json.loads(server.state.status(after=1, wait=0.05))["build"] == 1  # nothing newer yet
        content.write_text(content.read_text(encoding="utf-8").replace("正文", "改过的正文", 1),
                           encoding="utf-8")
        second = json.loads(get(port, "/status?after=1")[2])  # waits for the rebuild
        assert second["build"] == 2
        assert second["pages"][0]["url"].endswith("?v=2")
        code, _, png = get(port, second["pages"][0]["url"])
        assert code == 200 and png.startswith(b"\x89PNG")
