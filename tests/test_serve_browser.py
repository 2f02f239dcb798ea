"""The live preview page end to end in headless Chromium (Debian's chromium, driven by Playwright).

Starts ``banmian serve`` as a user would, loads the page, checks the page images and the fit table,
clicks a diagnostic and checks the highlight, then edits the content file and waits for the page to
refresh itself with the new fit, checks that it sends no request while nothing changes (the server
pushes rebuilds), and saves a YAML error: the error is shown over the last good page. Skips only when
no chromium is installed (``make test`` installs it).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.workflow_helpers import LONG_BODY, SHORT_BODY, rewrite, running, starter

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium")
                                        else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make setup)")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EVIL = '<img src=x onerror="document.title=1">'


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    content = starter(tmp_path, body=LONG_BODY, title=EVIL)
    argv = ["serve", str(content), "--port", "0", "--dpi", "30", "-o", str(tmp_path / "out" / "story.pdf")]
    with running(argv, tmp_path) as (proc, out, _):
        url = None
        while url is None:
            if match := re.search(r"(http://127\.0\.0\.1:\d+/)", out.get(timeout=60)):
                url = match.group(1)
        yield url, content
    assert proc.returncode == 0


def test_live_page_in_chromium(served: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, content = served
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                        headless=True, args=ARGS,
                                                        bypass_csp=True)  # lets the test evaluate JS
        try:
            page = context.new_page()
            page.goto(url)
            image = page.locator("#pages img.page-image").first
            expect(image).to_be_visible(timeout=60_000)
            page.wait_for_function("document.querySelector('#pages img').naturalWidth > 100")
            row = page.locator("#fit-table tbody tr[data-article='first-story']")
            expect(row).to_have_class("overset")
            expect(row.locator("td.status")).to_contain_text("over +")

            # untrusted content is shown as text, never as markup
            assert page.locator("img[src='x']").count() == 0
            assert page.title() == "banmian live preview"

            zoom = page.locator("#zoom")
            width = page.locator("#pages .page").first.bounding_box()
            zoom.fill("100")
            wider = page.locator("#pages .page").first.bounding_box()
            assert width is not None and wider is not None and wider["width"] > width["width"] * 1.3

            diagnostic = page.locator("#diagnostics li.placed[data-code='overset']")
            diagnostic.click()
            highlight = page.locator("#pages .page .highlight").first
            expect(highlight).to_be_visible()
            box, frame = highlight.bounding_box(), page.locator("#pages .page").first.bounding_box()
            assert box is not None and frame is not None
            assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
            assert box["width"] > 20 and box["height"] > 20

            build = int(page.locator("#build-number").inner_text())
            rewrite(content, body=SHORT_BODY)  # the editor cuts the story
            page.wait_for_function(f"Number(document.querySelector('#build-number').textContent) > {build}",
                                   timeout=60_000)
            expect(row).not_to_have_class("overset")
            status = page.locator("#fit-table tbody tr[data-article='first-story'] td.status")
            expect(status).not_to_contain_text("over")
            assert page.locator("#diagnostics li[data-code='overset']").count() == 0
            expect(page.locator("#status")).to_contain_text("built")

            no_polling_and_errors_over_the_page(page, content)
        finally:
            context.close()


def no_polling_and_errors_over_the_page(page: Any, content: Path) -> None:
    """While nothing changes, the page holds one request open and sends no other; a save with a YAML
    error shows the error over the last good page, which stays."""
    from playwright.sync_api import expect

    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.wait_for_timeout(3000)
    assert len([u for u in asked if "/status" in u]) <= 1, asked

    build = int(page.locator("#build-number").inner_text())
    content.write_text(content.read_text(encoding="utf-8").replace("body: |", "body: [|"), encoding="utf-8")
    page.wait_for_function(f"Number(document.querySelector('#build-number').textContent) > {build}",
                           timeout=60_000)
    over = page.locator("#error-over")
    expect(over).to_be_visible()
    expect(over).to_contain_text("failed — showing the last good page")
    expect(over.locator(".error-message").first).to_contain_text(content.name)
    expect(page.locator("#pages img.page-image").first).to_be_visible()
    assert page.evaluate("document.querySelector('#pages img').naturalWidth") > 100
