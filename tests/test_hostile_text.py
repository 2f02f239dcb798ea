"""Hostile but valid content builds, and prints its markup-like text literally: ``<script>``, ``<link>``,
``<img src=file:…>``, ``<style>@import``, Jinja ``{{ }}``/``{% %}``, entities, Markdown other than
``**bold**`` — all appear as text in the PDF's text layer, none becomes markup, nothing is fetched but
the page's own in-memory resources, the canary beside the content folder is never opened and no
connection is attempted. A UTF-8 byte-order mark is accepted."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from banmian.cli.main import main
from banmian.render import html as render_module
from banmian.render.fetch import ConfinedFetcher

from . import guard
from .bad_corpus import jpeg

HOSTILE = [
    "<script>alert('版面')</script>",
    '<link rel="stylesheet" href="file:///etc/passwd">',
    '<img src="../canary.txt">',
    "<style>@import url(http://127.0.0.1:9/x.css);</style>",
    "{{ 7*7 }}",
    "{% include '/etc/passwd' %}",
    "&lt;b&gt; &amp;amp;",
    "url(../canary.txt)",
    "[链接](http://example.com/)",
    "*斜体* __下划线__ `代码`",
    "</div></body><p>",
]


def reading_order(page: pdfplumber.page.Page, content: Path) -> str:
    """The text layer line by line in the composer's reading order (columns one after the other), so
    that an item the composer broke across two lines or columns is still found whole."""
    import pikepdf

    from banmian.pipeline import BuildOptions, compose
    from banmian.render.html import placed_lines
    from banmian.source.world import make_world

    composed = compose(content, BuildOptions(), make_world())
    with pikepdf.open(page.pdf.stream.name) as pdf:
        offset = float(pdf.pages[0].TrimBox[0])
    out = []
    for pl in placed_lines(composed.pages[0]):
        if not pl.line.glyphs:
            continue
        lead = composed.layout.spec.styles[pl.style].leading
        box = (max(0.0, pl.x + offset - 6), pl.y + offset,
               min(float(page.width), pl.x + offset + pl.line.measure + 6), pl.y + offset + lead)
        chars = sorted(page.within_bbox(box).chars, key=lambda c: c["x0"])
        out.append("".join(c["text"] for c in chars))
    return squeeze("".join(out))


def yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def hostile_content(folder: Path) -> tuple[Path, list[str]]:
    texts = list(HOSTILE)
    paragraphs = "\n\n".join(f"第{i}段：{t}。" for i, t in enumerate(texts, 1))
    body = "      " + paragraphs.replace("\n", "\n      ")
    (folder / "images").mkdir()
    (folder / "images" / "photo.jpg").write_bytes(jpeg((1600, 1200)))
    text = f"""\
meta:
  publication: {yaml_quote("北碚<b>教育</b>")}
  date: 2025-06-28
layout: broadsheet-page
banner:
  title: {yaml_quote("<script>横幅</script>")}
articles:
  - id: a
    kicker: {yaml_quote("{{ config }}引题")}
    title: {yaml_quote("<script>标题</script>{% raw %}")}
    body: |
      **加粗的开头。**正文里有一处未配对的**星号。

{body}
    images:
      - src: images/photo.jpg
        caption: {yaml_quote('<img src=x onerror="alert(1)">图片说明')}
"""
    path = folder / "hostile.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # with a byte-order mark
    literal = [*texts, "北碚<b>教育</b>", "<script>横幅</script>", "{{ config }}引题",
               "<script>标题</script>{% raw %}", '<img src=x onerror="alert(1)">图片说明',
               "正文里有一处未配对的**星号。"]
    return path, literal


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def spy_on_rendering(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The HTML each build renders and every URL the renderer fetches, filled in as they happen."""
    html: list[str] = []
    build_html = render_module.build_html

    def spy_html(*args: object, **kwargs: object) -> render_module.RenderInput:
        ri = build_html(*args, **kwargs)  # type: ignore[arg-type]
        html.append(ri.html)
        return ri

    fetched: list[str] = []
    fetch = ConfinedFetcher.fetch

    def spy_fetch(self: ConfinedFetcher, url: str, headers: object = None) -> object:
        fetched.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr("banmian.pipeline.build_html", spy_html)
    monkeypatch.setattr(ConfinedFetcher, "fetch", spy_fetch)
    return html, fetched


def test_hostile_text_is_printed_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    canary = tmp_path / "canary.txt"
    canary.write_text("canary: must never be read\n", encoding="utf-8")
    path, literal = hostile_content(folder)
    monkeypatch.chdir(folder)
    html, fetched = spy_on_rendering(monkeypatch)
    out = tmp_path / "hostile.pdf"
    with guard.watch() as seen:
        status = main(["build", path.name, "-o", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert " error: " not in captured.err

    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        text = squeeze(page.extract_text()) + reading_order(page, path)
        chars = page.chars
    for item in literal:
        assert squeeze(item) in text, item
    assert "49" not in text  # {{ 7*7 }} was not evaluated
    stream = "".join(c["text"] for c in chars)
    start = stream.index("加粗的开头。正文里")
    fonts = [c["fontname"] for c in chars[start:start + 9]]
    assert all("bold" in f.lower() for f in fonts[:6]) and not any("bold" in f.lower() for f in fonts[6:])
    assert "**加粗" not in text and "开头。**" not in text

    (document,) = html
    assert re.findall(r"<(script|link|style|img)\b[^>]*>", document) == ["style", "img"]
    assert '<img src="banmian:image/a-0"' in document
    assert all(url.startswith("banmian:") for url in fetched), fetched
    assert canary.resolve() not in seen.opened_real()
    assert not any(p.name == "passwd" for p in seen.opened_real())
    assert seen.network == []


def test_a_long_address_breaks_across_lines_and_prints_whole(tmp_path: Path) -> None:
    """A URL longer than the column breaks after its separators (it used to run off the page)."""
    url = "https://www.example.gov.cn/jiaoyu/2025/06/28/beibei-dangjian-shuangchuang.html"
    folder = tmp_path / "content"
    folder.mkdir()
    path = folder / "url.yaml"
    path.write_text("meta: {publication: 北碚教育, date: 2025-06-28}\nlayout: broadsheet-page\narticles:\n"
                    f"  - id: a\n    title: 标题\n    body: 详见{url}。\n", encoding="utf-8")
    out = tmp_path / "url.pdf"
    assert main(["build", str(path), "-o", str(out), "-q"]) == 0
    with pdfplumber.open(out) as pdf:
        text = reading_order(pdf.pages[0], path)
    assert squeeze(url) in text
