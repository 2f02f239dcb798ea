"""Warm rebuilds: fit changes reported, the last good PDF kept, the watch loop following saves."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from banmian import pipeline
from banmian.compose.fit import FitRow
from banmian.live.session import Outcome, Session, fit_changes
from banmian.live.watch import describe, watch
from banmian.pipeline import BuildOptions
from tests.workflow_helpers import LONG_BODY, SHORT_BODY, rewrite, starter


def row(id: str, over: int = 0, under: int = 0) -> FitRow:
    return FitRow(id, "lead", "c.yaml:1", 10, 10 + over - under, 130, 130 + 13 * (over - under), over,
                  13 * over, under, 13 * under, 2, ())


def test_fit_changes() -> None:
    assert fit_changes(None, [row("a", over=2), row("b")]) == ["a: now over by 2 lines (+26 字)"]
    assert fit_changes([row("a", over=2)], [row("a", over=1)]) == [
        "a: over by 1 line (+13 字), was 2 (+26 字)"]
    assert fit_changes([row("a", over=2)], [row("a", under=1)]) == ["a: back in (1 line to spare)"]
    assert fit_changes([row("a")], [row("a", under=5)]) == ["a: now short by 5 lines (-65 字)"]
    assert fit_changes([row("a", under=5)], [row("a")]) == ["a: fills its slot again"]
    assert fit_changes([row("a", over=1)], [row("a", over=1)]) == []


def test_session_keeps_the_last_good_pdf(tmp_path: Path) -> None:
    content = starter(tmp_path, body=SHORT_BODY)
    out = tmp_path / "out" / "story.pdf"
    session = Session(content, BuildOptions(output=out), image_dir=tmp_path / "png", dpi=20)
    first = session.rebuild()
    assert first.ok and out.is_file() and first.images[0].png.is_file()
    good = out.read_bytes()

    rewrite(content, body=LONG_BODY)
    second = session.rebuild()
    assert not second.ok
    assert any(c.startswith("first-story: now over by") for c in second.changes), second.changes
    assert out.read_bytes() == good  # the last good PDF stays
    assert second.pdfs == (out.with_suffix(".proof.pdf"),) and second.images  # the proof is previewed
    lines = describe(second, session)
    assert "error" in lines[0] and "kept" in lines[-1]

    content.write_text("meta: [broken", encoding="utf-8")
    third = session.rebuild()
    assert not third.ok and third.errors and not third.pages and out.read_bytes() == good

    rewrite(content, body=SHORT_BODY)
    fourth = session.rebuild()
    assert fourth.ok and describe(fourth, session)[0].startswith("rebuilt in")
    assert session.content.resolve() in session.watched()
    assert any(p.name == "layout.yaml" for p in session.watched())


def test_a_rebuild_composes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once for a good build, once for a build whose proof is written (overset): the PDFs are finished
    from the session's own composition."""
    composed: list[str] = []
    real = pipeline.compose_page

    def counted(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        composed.append(doc.name)
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "compose_page", counted)
    content = starter(tmp_path, body=SHORT_BODY)
    out = tmp_path / "out" / "story.pdf"
    session = Session(content, BuildOptions(output=out))
    assert session.rebuild().ok and out.is_file()
    assert composed == ["story"]
    rewrite(content, body=LONG_BODY)
    overset = session.rebuild()
    assert not overset.ok and overset.pdfs == (out.with_suffix(".proof.pdf"),)
    assert out.with_suffix(".proof.pdf").is_file()
    assert composed == ["story", "story"]


def test_watch_rebuilds_after_a_save(tmp_path: Path) -> None:
    content = starter(tmp_path, body=SHORT_BODY)
    session = Session(content, BuildOptions(output=tmp_path / "story.pdf"))
    seen: list[Outcome] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(session,),
                              kwargs={"interval": 0.05, "settle": 0.05, "report": seen.append, "stop": stop})
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen and seen[0].ok
        rewrite(content, body=LONG_BODY)
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(seen) >= 2, "no rebuild after the save"
        assert any("now over by" in c for c in seen[-1].changes)
    finally:
        stop.set()
        thread.join(timeout=60)


def test_a_save_while_the_first_build_is_reported_is_not_missed(tmp_path: Path) -> None:
    """The editor saves while ``watch`` is still reporting its first build: the save is rebuilt."""
    content = starter(tmp_path, body=SHORT_BODY)
    session = Session(content, BuildOptions(output=tmp_path / "story.pdf"))
    seen: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        seen.append(outcome)
        if len(seen) == 1:  # the save lands after the build, before watch looks at the files again
            time.sleep(0.02)
            rewrite(content, body=LONG_BODY)

    stop = threading.Event()
    timer = threading.Timer(60, stop.set)  # a missed save would otherwise wait forever
    timer.start()
    try:
        watch(session, interval=0.05, settle=0.05, report=report, stop=stop, max_rebuilds=2)
    finally:
        timer.cancel()
    assert len(seen) == 2, "the save made while reporting was not rebuilt"
    assert any("now over by" in c for c in seen[-1].changes)


def test_a_built_in_layout_is_watched_in_a_project_with_its_own_layouts(tmp_path: Path) -> None:
    (tmp_path / "layouts").mkdir()  # the project's own layouts (none of them used here)
    content = starter(tmp_path / "content", body=SHORT_BODY)
    from banmian.source.world import make_world

    session = Session(content, BuildOptions(output=tmp_path / "story.pdf"), world=make_world(tmp_path))
    assert session.rebuild().ok
    layout_files = [p for p in session.watched() if p.name == "layout.yaml"]
    assert [p.parent.name for p in layout_files] == ["broadsheet-page"], layout_files
