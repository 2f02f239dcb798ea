"""Serve: a live preview page on 127.0.0.1 that follows every rebuild.

Takes: a warm ``Session`` (``banmian.live.session``) and a port.
Gives: an HTTP server bound to 127.0.0.1 only, with a background ``watch`` loop. ``/`` is one static
page (``serve.html``: it holds no content, so nothing in it needs escaping; it puts every
text it receives into the DOM with ``textContent``); ``/status`` is JSON — the build counter, the page
images, the fit table and the diagnostics, each diagnostic that has a place on the page with its box
as fractions of the page image (an article's slot rect, the overset marker); ``/page/<n>.png`` are the
page images. The page asks ``/status?after=N`` (N: the build it shows), which answers as soon as a newer
build is done (or after ``LONG_POLL`` seconds with the same one), and refreshes itself at once: a save
shows on the page within the watch interval, the rebuild and one request; a build that fails
without a page to show (a YAML error, a bug) leaves the last good page images on it, greyed, its
errors shown over them.
Requests whose ``Host`` is not this machine are refused (DNS rebinding), and only GET is answered. The
server holds at most ``MAX_CONNECTIONS`` connections at once (more are closed at once), an idle one for
``IDLE_TIMEOUT`` seconds; a client that goes away mid-answer is no error, and any other failure of a
request is one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from banmian.compose.fit import FitRow
from banmian.compose.page import ArticleBox
from banmian.core.diagnostics import Diagnostic
from banmian.live.preview import PageImage
from banmian.live.session import Outcome, Session
from banmian.live.watch import watch

ARTICLE_KEY = re.compile(r"^articles\[(\d+)\]")
MARKER = 18.0  # pt: the size of the box drawn around an overset marker
MAX_CONNECTIONS = 32  # a browser opens about six
IDLE_TIMEOUT = 10.0  # seconds a connection may wait for its request (or stall while it is answered)
LONG_POLL = 8.0  # seconds ``/status?after=N`` waits for a build newer than N before answering anyway
WATCH_INTERVAL = 0.1  # seconds between the watch loop's checks of the files a build read
WATCH_SETTLE = 0.05  # seconds a changed file must stay unchanged before the rebuild (an editor's save)


@dataclass(frozen=True)
class Place:
    page: int  # index into the page images
    box: tuple[float, float, float, float]  # x, y, w, h as fractions of the image
    marker: tuple[float, float, float, float] | None  # the overset marker, same units


def _fractions(image: PageImage, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    x0, y0 = image.to_px(x, y)
    x1, y1 = image.to_px(x + w, y + h)
    width, height = image.size
    return (round(x0 / width, 5), round(y0 / height, 5), round((x1 - x0) / width, 5),
            round((y1 - y0) / height, 5))


def article_for(diag: Diagnostic, outcome: Outcome) -> str | None:
    """The id of the article a diagnostic is about, from its location."""
    for page in outcome.pages:
        for box in page.articles:
            if box.fit.location == diag.location:
                return box.id
    match = ARTICLE_KEY.match(diag.location.key or "")
    if match and int(match.group(1)) < len(outcome.article_ids):
        return outcome.article_ids[int(match.group(1))]
    return None


def place_of(diag: Diagnostic, outcome: Outcome) -> Place | None:
    article = article_for(diag, outcome)
    if article is None:
        return None
    for index, page in enumerate(outcome.pages):
        box: ArticleBox | None = next((a for a in page.articles if a.id == article), None)
        if box is None or index >= len(outcome.images):
            continue
        image = outcome.images[index]
        r = box.rect
        marker = None
        if box.overset_at is not None and diag.code == "overset":
            mx, my = box.overset_at
            marker = _fractions(image, mx - MARKER / 2, my - MARKER / 2, MARKER, MARKER)
        return Place(index, _fractions(image, r.x, r.y, r.w, r.h), marker)
    return None


def _row(row: FitRow) -> dict[str, Any]:
    return {"id": row.id, "slot": row.slot, "lines_available": row.lines_available,
            "lines_needed": row.lines_needed, "chars_available": row.chars_available,
            "chars_needed": row.chars_needed, "over_lines": row.over_lines, "over_chars": row.over_chars,
            "under_lines": row.under_lines, "under_chars": row.under_chars, "status": row.status,
            "adjustments": list(row.adjustments)}


def status_json(outcome: Outcome | None, content: Path, shown: Outcome | None = None) -> dict[str, Any]:
    """The page's view of ``outcome``; its page images are ``shown``'s (the last build that had any)."""
    if outcome is None:
        return {"build": 0, "content": content.name, "building": True}
    shown = shown or outcome
    diags = []
    for d in outcome.diagnostics:
        place = place_of(d, outcome)
        diags.append({"severity": str(d.severity), "message": d.message, "where": str(d.location),
                      "key": d.location.key, "hint": d.hint, "code": d.code,
                      "page": place.page if place else None, "box": place.box if place else None,
                      "marker": place.marker if place else None})
    return {"build": outcome.number, "content": content.name, "ok": outcome.ok,
            "took": round(outcome.took, 3),
            "pdf": [p.name for p in outcome.pdfs], "changes": list(outcome.changes),
            "stale": shown is not outcome,  # the page images are an earlier build's
            "pages": [{"url": f"/page/{i}.png?v={shown.number}", "width": im.size[0],
                       "height": im.size[1], "name": im.png.name} for i, im in enumerate(shown.images)],
            "rows": [_row(r) for r in outcome.rows], "diagnostics": diags}


class LiveState:
    """The latest outcome, shared between the watch thread and the request threads."""

    def __init__(self, session: Session):
        self.session = session
        self._lock = threading.Lock()
        self._built = threading.Condition(self._lock)
        self._outcome: Outcome | None = None
        self._shown: Outcome | None = None  # the last outcome with page images: what the page shows
        self._images: tuple[bytes, ...] = ()

    def update(self, outcome: Outcome) -> None:
        """The new outcome; its page images, or the last ones when it has none (the page keeps them)."""
        try:  # read the images now: the files are replaced by the next rebuild
            images = tuple(im.png.read_bytes() for im in outcome.images)
        except OSError:
            images = ()
        with self._built:
            self._outcome = outcome
            if images:
                self._shown, self._images = outcome, images
            self._built.notify_all()

    def status(self, after: int | None = None, wait: float = LONG_POLL) -> bytes:
        """The status JSON; with ``after``, once a build newer than ``after`` is done (at most ``wait``
        seconds from now)."""
        with self._built:
            if after is not None:
                self._built.wait_for(lambda: self._outcome is not None and self._outcome.number > after,
                                     timeout=wait)
            outcome, shown = self._outcome, self._shown
        data = status_json(outcome, self.session.content, shown)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    def image(self, index: int) -> bytes | None:
        with self._lock:
            return self._images[index] if 0 <= index < len(self._images) else None


def page_html() -> bytes:
    return resources.files("banmian.live").joinpath("serve.html").read_bytes()


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                               "script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


TEXT = "text/plain; charset=utf-8"


def answer(state: LiveState, html: bytes, path: str, query: str = "") -> tuple[HTTPStatus, bytes, str]:
    """What a GET of ``path`` (``query``: what followed ``?``) answers: status, body, content type."""
    if path in ("/", "/index.html"):
        return HTTPStatus.OK, html, "text/html; charset=utf-8"
    if path == "/status":
        after = re.fullmatch(r"after=(\d{1,9})", query)
        body = state.status(int(after.group(1)) if after else None)
        return HTTPStatus.OK, body, "application/json; charset=utf-8"
    number = re.fullmatch(r"/page/(\d{1,4})\.png", path)
    data = state.image(int(number.group(1))) if number else None
    if data is not None:
        return HTTPStatus.OK, data, "image/png"
    return HTTPStatus.NOT_FOUND, b"not found\n", TEXT


def handler_for(state: LiveState, log: Callable[[str], None] | None = None,
                idle_timeout: float = IDLE_TIMEOUT) -> type[BaseHTTPRequestHandler]:
    html = page_html()

    class Handler(BaseHTTPRequestHandler):
        server_version = "banmian"
        sys_version = ""
        timeout = idle_timeout  # the socket's: an idle or stalled connection is closed after this

        def do_GET(self) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            if host not in ("127.0.0.1", "localhost"):
                self._send(HTTPStatus.FORBIDDEN, b"forbidden host\n", TEXT)
            else:
                path, _, query = self.path.partition("?")
                self._send(*answer(state, html, path, query))

        def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in SECURITY_HEADERS.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (ConnectionError, TimeoutError):  # the client went away or stalled: nothing to say
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            if log is not None:
                log(format % args)

    return Handler


class BoundedServer(ThreadingHTTPServer):
    """A thread per connection, at most ``limit`` at once (one more is closed at once); a request that
    fails is one line on stderr, a client that went away none."""

    daemon_threads = True
    request_queue_size = 128  # the listen backlog: connections beyond it wait for the kernel's retries

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], limit: int):
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(limit)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError | socket.timeout):
            return
        print(f"serve: a request failed: {type(exc).__name__}: {exc}", file=sys.stderr)


class LiveServer:
    """The HTTP server and the watch thread, started and stopped together."""

    def __init__(self, session: Session, port: int = 8765, *, report: Callable[[Outcome], None] | None = None,
                 interval: float = WATCH_INTERVAL, log: Callable[[str], None] | None = None,
                 idle_timeout: float = IDLE_TIMEOUT, max_connections: int = MAX_CONNECTIONS):
        self.state = LiveState(session)
        self.httpd = BoundedServer(("127.0.0.1", port), handler_for(self.state, log, idle_timeout),
                                   max_connections)
        self.stop_event = threading.Event()
        self._report = report
        self._interval = interval
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def _on_outcome(self, outcome: Outcome) -> None:
        self.state.update(outcome)
        if self._report is not None:
            self._report(outcome)

    def start(self) -> None:
        builder = threading.Thread(target=watch, name="banmian-watch", daemon=True,
                                   args=(self.state.session,),
                                   kwargs={"interval": self._interval, "settle": WATCH_SETTLE,
                                           "report": self._on_outcome, "stop": self.stop_event})
        server = threading.Thread(target=self.httpd.serve_forever, name="banmian-http", daemon=True,
                                  kwargs={"poll_interval": 0.2})
        self._threads = [builder, server]
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        self.stop_event.set()
        if self._threads:
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=30)

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
