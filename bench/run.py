"""banmian's benchmark: medians over several runs, with plain WeasyPrint on the same content as the
reference in the same run (so the ratio holds on a noisy machine), and Typst as the anchor where the
``bench`` extra installed it.

Takes: the sample content (or --content), the number of runs (--runs, default 5).
Gives: a table — cold `banmian build` (whole process; with no frame cached, and with the frame of the
unchanged page in the project's .cache/frames), cold plain WeasyPrint (whole process) and the ratios;
warm rebuild in one process after a one-paragraph edit, by the pipeline and as `banmian watch` reports
it (``Session.rebuild``'s ``took``; the tests assert no wall time); save → new page image in the live
preview, end to end (``banmian serve`` in its own process); Typst on the same text, cold and after the
edit; composition alone (every paragraph, and after the edit with unchanged paragraphs kept); the frame
alone (WeasyPrint), the frame from the cache, finishing alone (banmian's glyph runs); peak memory of a
cold build; PDF size and embedded font bytes; a
12-megapixel phone photo (EXIF-rotated JPEG) prepared for the broadsheet lead frame — decoded, cropped,
separated and ink-limited — the first time, and again from the image cache; automatic placement
(``--place auto``) of generated content of ten articles on the broadsheet: the search alone (measuring
every article and choosing the modules, in process, paragraphs composed afresh) and a cold build
against a cold build of the same page with its modules frozen as fixed slots (``place --write``).
Uses only public tools: time.perf_counter, subprocess, resource (max RSS of children), pikepdf.
Run: .venv/bin/python bench/run.py [--runs N] [--json]   (Typst: .venv/bin/pip install -e '.[bench]')
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BANMIAN = str(Path(PY).with_name("banmian"))


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall time of a whole process and its peak RSS in KiB (via wait4's rusage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return took, usage.ru_maxrss


def font_bytes(pdf_path: Path) -> int:
    import pikepdf

    total = 0
    with pikepdf.open(pdf_path) as pdf:
        seen = set()
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    stream = obj.get(key)
                    if stream is not None and stream.objgen not in seen:
                        seen.add(stream.objgen)
                        total += int(stream.get("/Length", 0))
    return total


def _edit(target: Path, original: str, i: int) -> None:
    """A one-paragraph edit: two characters of the first paragraph swapped, as an editor might."""
    edited = original.replace("八十余年", "八十多年" if i % 2 == 0 else "八十余年", 1)
    target.write_text(edited, encoding="utf-8")


def _render_and_write(composed: Any, world: Any) -> tuple[float, float, float]:
    """Seconds to render the frame (HTML + WeasyPrint layout and writing, no cache), to build the HTML
    and take the frame from the cache, and to finish the PDF (banmian's glyph runs and fonts, marks)."""
    from banmian.export.frames import frames, render_frames
    from banmian.export.pdf import pdf_bytes, sheet_for
    from banmian.graphics.press import press_for
    from banmian.pipeline import doc_info, prepare_images, slug_text
    from banmian.render.html import build_html

    press = press_for(composed.layout)
    images = prepare_images(composed.pages, composed.doc, press)
    ri = build_html(composed.pages, world.fonts, images, doc_info(composed.doc, world),
                    slug_text(composed.doc, world), press=press)
    t = time.perf_counter()
    (frame,), _files = render_frames(ri, (), pdf_x=press.pdf_x, split=False)
    rendering = time.perf_counter() - t
    frames(ri, (), pdf_x=press.pdf_x, cache=None)  # now in memory
    t = time.perf_counter()
    ri = build_html(composed.pages, world.fonts, images, doc_info(composed.doc, world),
                    slug_text(composed.doc, world), press=press)
    frames(ri, (), pdf_x=press.pdf_x, cache=None)
    cached = time.perf_counter() - t
    t = time.perf_counter()
    pdf_bytes(frame, sheet_for(composed.layout), press, ri.digest(), composed.pages, ri.text)
    return rendering, cached, time.perf_counter() - t


def warm(content: Path, runs: int) -> dict[str, float]:
    """In one process: rebuild after a one-paragraph edit, and each stage alone (medians)."""
    sys.path.insert(0, str(ROOT / "src"))
    from banmian.pipeline import BuildOptions, build, compose
    from banmian.source.world import make_world

    world = make_world(ROOT)
    work = Path(tempfile.mkdtemp(prefix="banmian-bench-"))
    try:
        shutil.copytree(content.parent / "images", work / "images")
        target = work / content.name
        original = content.read_text(encoding="utf-8")
        target.write_text(original, encoding="utf-8")
        options = BuildOptions(output=work / "out.pdf")
        build(target, options, world)  # warm up: fonts, shaping caches, images
        from banmian.compose.setter import _paragraph

        rebuild, comp, scratch, rend, kept, write = [], [], [], [], [], []
        for i in range(runs):
            _edit(target, original, i)
            t = time.perf_counter()
            build(target, options, world)
            rebuild.append(time.perf_counter() - t)
            t = time.perf_counter()
            composed = compose(target, options, world)
            comp.append(time.perf_counter() - t)
            _paragraph.cache_clear()  # every paragraph composed again (shaping stays cached)
            t = time.perf_counter()
            composed = compose(target, options, world)
            scratch.append(time.perf_counter() - t)
            rendering, cached, writing = _render_and_write(composed, world)
            rend.append(rendering)
            kept.append(cached)
            write.append(writing)
        session_took = _session_rebuilds(target, original, options, world, runs)
        return {"warm_rebuild": statistics.median(rebuild), "watch_rebuild": statistics.median(session_took),
                "compose": statistics.median(comp),
                "compose_all": statistics.median(scratch),
                "render": statistics.median(rend), "frame_cached": statistics.median(kept),
                "pdf_write": statistics.median(write)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _session_rebuilds(target: Path, original: str, options: Any, world: Any, runs: int) -> list[float]:
    """``Outcome.took`` of ``Session.rebuild`` (what watch and serve print) after one-paragraph edits."""
    from banmian.live.session import Session

    session = Session(target, options, world)
    session.rebuild()  # the first build of a session reads everything
    took = []
    for i in range(runs):
        _edit(target, original, i)
        outcome = session.rebuild()
        if not outcome.ok:
            raise SystemExit(f"watch rebuild failed: {outcome.diagnostics}")
        took.append(outcome.took)
    return took


def _phone_photo(path: Path) -> Path:
    """A 4000 × 3000 JPEG as a phone stores it (EXIF orientation 6), with grain and black type so that
    it compresses and separates like a real one (seeded: the same bytes every run)."""
    import numpy as np
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(14)
    y, x = np.mgrid[0:3000, 0:4000]
    base = np.stack([x * 255 // 4000, y * 255 // 3000, (x + y) * 255 // 7000], axis=-1)
    grain = rng.integers(-24, 24, size=base.shape)
    im = Image.fromarray(np.clip(base + grain, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    for i in range(12):
        box = (300 * i, 200 + 150 * i, 300 * i + 500, 600 + 150 * i)
        draw.rectangle(box, fill=(20 * i, 200 - 15 * i, 90))
    draw.text((200, 2500), "BANMIAN 2025 " * 10, fill=(0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    im.save(path, quality=92, exif=exif.tobytes())
    return path


def live(content: Path, runs: int) -> dict[str, float]:
    """Save → new page image in the live preview, end to end: ``banmian serve`` in its own process on
    a copy of the content; after each one-paragraph edit, the time until ``/status?after=N`` reports the
    new build and its page image has been fetched (what the page does; the browser's paint not counted)."""
    import urllib.request

    work = Path(tempfile.mkdtemp(prefix="banmian-bench-live-"))
    shutil.copytree(content.parent, work / "content")
    target = work / "content" / content.name
    original = target.read_text(encoding="utf-8")
    proc = subprocess.Popen([BANMIAN, "--project", str(work), "serve", str(target), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        url = next(line for line in proc.stdout if line.startswith("serving")).split(" at ")[1].split()[0]

        def get(path: str) -> bytes:
            with urllib.request.urlopen(url + path.lstrip("/"), timeout=30) as response:
                return bytes(response.read())

        build = json.loads(get("/status?after=0"))["build"]
        took = []
        for i in range(runs + 1):
            time.sleep(0.4)  # an editor's pause between saves
            start = time.perf_counter()
            _edit(target, original, i)
            status = json.loads(get(f"/status?after={build}"))
            get(status["pages"][0]["url"])
            if i:  # the first edit after start-up warms the session
                took.append(time.perf_counter() - start)
            build = status["build"]
        return {"live_preview": statistics.median(took)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def typst_anchor(content: Path, runs: int) -> dict[str, float]:
    """The same page set by Typst (bench/typst_page.py): cold whole process, and a recompile in one
    process after a one-paragraph edit; nothing when ``typst`` is not installed (the ``bench`` extra)."""
    try:
        import typst  # noqa: F401
    except ImportError:
        return {}
    work = Path(tempfile.mkdtemp(prefix="banmian-bench-typst-"))
    script = str(ROOT / "bench" / "typst_page.py")
    try:
        cold = [timed([PY, script, str(content), str(work / "typst.pdf")])[0] for _ in range(runs)]
        warm_out = subprocess.run([PY, script, str(content), str(work / "warm.pdf"), "--warm", str(runs)],
                                  capture_output=True, text=True, check=True).stdout
        return {"typst_cold": statistics.median(cold), "typst_warm": float(warm_out.strip()),
                "typst_font_kb": font_bytes(work / "typst.pdf") / 1000}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def photo(runs: int) -> dict[str, float]:
    """Seconds to prepare a 12-megapixel phone photo for the broadsheet lead frame (367 × 257 pt): the
    first time (empty cache) and again from the disk cache (medians)."""
    sys.path.insert(0, str(ROOT / "src"))
    from banmian.graphics import photos
    from banmian.graphics.imagecache import cached_image
    from banmian.graphics.press import press_for
    from banmian.source.world import make_world

    press = press_for(make_world(ROOT).layout("broadsheet-page"))
    work = Path(tempfile.mkdtemp(prefix="banmian-bench-photo-"))
    try:
        path = _phone_photo(work / "phone.jpg")
        first, again = [], []
        for i in range(runs):
            cache = work / f"cache-{i}"
            photos._prepare.cache_clear()  # nothing kept in memory either: as in a new process
            t = time.perf_counter()
            cached_image(cache, "lead", path, 367.0, 256.7, press=press)
            first.append(time.perf_counter() - t)
            photos._prepare.cache_clear()
            t = time.perf_counter()
            cached_image(cache, "lead", path, 367.0, 256.7, press=press)
            again.append(time.perf_counter() - t)
        return {"photo_first": statistics.median(first), "photo_cached": statistics.median(again)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def placement(runs: int) -> dict[str, float]:
    """Ten generated articles on the broadsheet: the placement search alone (median, in process, every
    paragraph composed afresh), and cold builds with --place auto against the same page frozen as slots."""
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import random

    from tests.contentgen import page_specs, write_content

    from banmian.compose.placement import place
    from banmian.compose.setter import _paragraph
    from banmian.source.load import load
    from banmian.source.world import make_world

    work = Path(tempfile.mkdtemp(prefix="banmian-bench-place-"))
    try:
        content = write_content(work / "content", page_specs(random.Random(2), 10, 4800), seed=2)
        world = make_world(work)
        doc, layout = load(content), world.layout("broadsheet-page")
        place(doc, layout, world.fonts)  # fonts and shaping warm
        search = []
        for _ in range(runs):
            _paragraph.cache_clear()
            t = time.perf_counter()
            place(doc, layout, world.fonts)
            search.append(time.perf_counter() - t)
        subprocess.run([BANMIAN, "--project", str(work), "place", str(content), "--layout", "broadsheet-page",
                        "--write", "frozen", "-q"], check=True, stdout=subprocess.DEVNULL)
        auto, fixed = [], []
        for _ in range(runs):  # interleaved, so both see the same machine
            auto.append(timed([BANMIAN, "--project", str(work), "build", str(content), "--place", "auto",
                               "-o", str(work / "auto.pdf"), "-q"])[0])
            fixed.append(timed([BANMIAN, "--project", str(work), "build", str(content), "--layout", "frozen",
                                "-o", str(work / "fixed.pdf"), "-q"])[0])
        same = (work / "auto.pdf").read_bytes() == (work / "fixed.pdf").read_bytes()
        return {"placement_search": statistics.median(search), "build_auto": statistics.median(auto),
                "build_fixed": statistics.median(fixed), "auto_equals_fixed": float(same)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content" / "beibei-dangjian.yaml"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    content = Path(args.content).resolve()
    out = Path(tempfile.mkdtemp(prefix="banmian-bench-"))
    ours_pdf, plain_pdf = out / "banmian.pdf", out / "plain.pdf"
    shutil.copytree(content.parent, out / "content")  # a project of its own: its own .cache
    build = [BANMIAN, "--project", str(out), "build", str(out / "content" / content.name), "-o",
             str(ours_pdf), "-q"]
    ours, fresh, plain, rss, rss_fresh = [], [], [], [], []
    try:
        for _ in range(args.runs):  # interleaved, so all see the same machine
            shutil.rmtree(out / ".cache" / "frames", ignore_errors=True)
            took, peak = timed(build)  # no frame cached: WeasyPrint renders the frame
            fresh.append(took)
            rss_fresh.append(peak)
            took, peak = timed(build)  # the frame from .cache/frames (an unchanged page's frame)
            ours.append(took)
            rss.append(peak)
            took, _ = timed([PY, str(ROOT / "bench" / "plain_weasyprint.py"), str(content), str(plain_pdf)])
            plain.append(took)
        result = {
            "runs": args.runs,
            "cold_build": statistics.median(fresh),
            "cold_build_frame_cached": statistics.median(ours),
            "cold_plain_weasyprint": statistics.median(plain),
            "ratio": statistics.median(fresh) / statistics.median(plain),
            "ratio_frame_cached": statistics.median(ours) / statistics.median(plain),
            "peak_rss_mib": statistics.median(rss_fresh) / 1024,
            "peak_rss_frame_cached_mib": statistics.median(rss) / 1024,
            "pdf_kb": ours_pdf.stat().st_size / 1000,
            "font_kb": font_bytes(ours_pdf) / 1000,
            "plain_pdf_kb": plain_pdf.stat().st_size / 1000,
            **warm(content, args.runs),
            **live(content, args.runs),
            **typst_anchor(content, args.runs),
            **photo(args.runs),
            **placement(args.runs),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0],
        }
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"banmian benchmark — medians of {args.runs} runs, {result['cpus']} CPUs, "
          f"load {result['load_average']:.2f}")
    rows = [
        ("cold build (whole process, no frame cached)", f"{result['cold_build']:.3f} s"),
        ("cold build (whole process, frame in .cache/frames)", f"{result['cold_build_frame_cached']:.3f} s"),
        ("plain WeasyPrint, same content (whole process)", f"{result['cold_plain_weasyprint']:.3f} s"),
        ("ratio banmian / plain WeasyPrint (no frame cached / frame cached)",
         f"{result['ratio']:.2f} / {result['ratio_frame_cached']:.2f}"),
        ("warm rebuild after a one-paragraph edit", f"{result['warm_rebuild']:.3f} s"),
        ("the same as watch reports it (Session.rebuild)", f"{result['watch_rebuild']:.3f} s"),
        ("save → new page image in the live preview (serve, end to end)",
         f"{result['live_preview']:.3f} s"),
        *([("Typst, same text: cold whole process / recompile after the edit / fonts",
            f"{result['typst_cold']:.3f} s / {result['typst_warm']:.3f} s / "
            f"{result['typst_font_kb']:.0f} KB")] if "typst_cold" in result else []),
        ("composition, every paragraph (load + compose + fit)", f"{result['compose_all'] * 1000:.1f} ms"),
        ("composition after the edit (unchanged paragraphs kept)", f"{result['compose'] * 1000:.1f} ms"),
        ("frame alone (WeasyPrint: HTML layout and PDF writing)", f"{result['render']:.3f} s"),
        ("frame from the cache (HTML built, digest looked up)", f"{result['frame_cached'] * 1000:.1f} ms"),
        ("finishing alone (glyph runs, font subsets, marks, save)", f"{result['pdf_write']:.3f} s"),
        ("12-megapixel phone photo, first time (decode, crop, separate, ink limit)",
         f"{result['photo_first']:.3f} s"),
        ("the same photo again (image cache)", f"{result['photo_cached'] * 1000:.1f} ms"),
        ("placement search, 10 articles on the broadsheet", f"{result['placement_search'] * 1000:.0f} ms"),
        ("cold build --place auto (10 articles)", f"{result['build_auto']:.3f} s"),
        ("cold build of the same page as fixed slots", f"{result['build_fixed']:.3f} s"),
        ("extra time of automatic placement", f"{result['build_auto'] - result['build_fixed']:.3f} s"
         + ("" if result["auto_equals_fixed"] else " (PDFs differ!)")),
        ("peak memory, cold build (no frame cached / frame cached)",
         f"{result['peak_rss_mib']:.0f} / {result['peak_rss_frame_cached_mib']:.0f} MiB"),
        ("PDF size / embedded fonts", f"{result['pdf_kb']:.0f} KB / {result['font_kb']:.0f} KB"),
        ("plain WeasyPrint PDF size", f"{result['plain_pdf_kb']:.0f} KB"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
