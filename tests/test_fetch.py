"""The renderer's fetcher serves the in-memory resources and files under the roots, and nothing else:
no network, no ``file:`` outside the roots, no symlink out of them; each refusal is an error naming the
reference (and the article it came from). A layout's CSS may use files of its own folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from weasyprint.urls import path2url

from banmian.core.diagnostics import BuildError, Location
from banmian.pipeline import BuildOptions, build
from banmian.render.fetch import ConfinedFetcher, Origin, Roots, confine
from banmian.source.project import builtin_layouts, builtin_manifest
from banmian.source.world import make_world

from . import guard
from .bad_corpus import doc

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def tree(tmp_path: Path) -> dict[str, Path]:
    """content/ and layout/ roots, a canary beside them, and links from inside to outside."""
    content, layout = tmp_path / "content", tmp_path / "layout"
    content.mkdir()
    layout.mkdir()
    canary = tmp_path / "canary.png"
    Image.new("RGB", (4, 4)).save(canary)
    Image.new("RGB", (4, 4)).save(layout / "ornament.png")
    (layout / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    os.symlink(canary, content / "link.png")
    os.symlink(tmp_path, content / "up")
    return {"content": content, "layout": layout, "canary": canary}


def fetcher(tree: dict[str, Path]) -> ConfinedFetcher:
    origins = {"banmian:image/a-0": Origin("a", Location(tree["content"] / "c.yaml", 12, 9))}
    return ConfinedFetcher(Roots(tree["content"], tree["layout"]),
                           {"banmian:font/body": (b"OTTO", "font/otf")}, origins)


def refused(f: ConfinedFetcher, url: str) -> str:
    with pytest.raises(ValueError, match="refused"):
        f.fetch(url)
    return f.refusals[-1].reason


def test_serves_the_resources_and_files_under_the_roots(tree: dict[str, Path]) -> None:
    f = fetcher(tree)
    assert f.fetch("banmian:font/body").read() == b"OTTO"
    response = f.fetch(path2url(tree["layout"] / "ornament.png"))
    assert response.read().startswith(b"\x89PNG") and response.content_type == "image/png"
    assert f.refusals == []


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.png", "https://example.com/x.png", "ftp://example.com/x.png",
    "data:image/png;base64,iVBORw0KGgo=", "gopher://x/", "file://example.com/etc/passwd",
])
def test_no_network_and_no_data_urls(tree: dict[str, Path], url: str) -> None:
    f = fetcher(tree)
    with guard.watch() as seen:
        reason = refused(f, url)
    assert "not allowed" in reason
    assert seen.network == []


def test_no_file_outside_the_roots(tree: dict[str, Path]) -> None:
    f = fetcher(tree)
    canary = tree["canary"]
    urls = [path2url(canary), "file:///etc/passwd", path2url(tree["content"] / "link.png"),
            path2url(tree["content"]) + "up/canary.png", path2url(tree["content"]) + "../canary.png",
            path2url(tree["content"]) + "%2e%2e/canary.png", path2url(tree["layout"] / "logo.svg"),
            path2url(tree["content"] / "nothing.png")]
    with guard.watch() as seen:
        reasons = [refused(f, url) for url in urls]
    assert reasons[:6] == ["outside the content, layout and fonts folders"] * 6
    assert reasons[6].startswith("only .css, .jpeg, .jpg, .otf, .png")
    assert reasons[7] == "no such file in the allowed folders"
    assert canary.resolve() not in seen.opened_real()
    assert not any(p.name == "passwd" for p in seen.opened_real())


def test_a_refusal_names_the_article_and_the_reference(tree: dict[str, Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree["content"])
    f = fetcher(tree)
    refused(f, "banmian:image/a-0")
    refused(f, "http://example.com/a.png")
    refused(f, "http://example.com/a.png")
    assert [d.render() for d in f.diagnostics()] == [
        "c.yaml:12:9: error: article 'a': refused to fetch 'banmian:image/a-0': no such resource "
        "(hint: a page may use only files next to the content file, in the layout's folder and in fonts/)",
        "error: refused to fetch 'http://example.com/a.png': the 'http' scheme is not allowed (no network, "
        "no data URLs) (hint: a page may use only files next to the content file, in the layout's folder "
        "and in fonts/)"]


def test_confine(tree: dict[str, Path]) -> None:
    roots = Roots(tree["content"], tree["layout"])
    assert confine(tree["layout"] / "ornament.png", roots) == (tree["layout"] / "ornament.png").resolve()
    assert confine(tree["content"] / "link.png", roots) is None
    assert confine(tree["content"] / "up" / "layout" / "ornament.png", roots) is not None  # lands inside
    assert confine(tree["content"] / "up" / "canary.png", roots) is None
    assert confine(tree["content"] / "missing.png", roots) is None


# --- a layout's stylesheet, through a real build ---------------------------------------------------


def layout_world(tmp_path: Path, css: str) -> Path:
    """A project root whose only layout is the broadsheet with ``css`` added; returns the root."""
    root = tmp_path / "project"
    shutil.copytree(builtin_manifest().parent, root / "fonts")
    shutil.copytree(builtin_layouts() / "broadsheet-page", root / "layouts" / "broadsheet-page")
    sheet = root / "layouts" / "broadsheet-page" / "layout.css"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n" + css, encoding="utf-8")
    # a print layout's own artwork is CMYK (the preflight refuses RGB images)
    Image.new("CMYK", (40, 40), (90, 40, 0, 0)).save(root / "layouts" / "broadsheet-page" / "ornament.jpg")
    return root


def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    path = folder / "c.yaml"
    path.write_text(doc(), encoding="utf-8")
    return path


def test_layout_css_may_use_files_of_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = layout_world(tmp_path, ".banner { background: url(ornament.jpg); width: 20pt; height: 20pt; }")
    served: list[str] = []
    original = ConfinedFetcher.fetch

    def spy(self: ConfinedFetcher, url: str, headers: object = None) -> object:
        served.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(ConfinedFetcher, "fetch", spy)
    out = tmp_path / "out.pdf"
    build(content(tmp_path), BuildOptions(output=out), make_world(root))
    assert path2url(root / "layouts" / "broadsheet-page" / "ornament.jpg") in served
    assert all(url.startswith(("banmian:", "file:")) for url in served)
    with pikepdf.open(out) as pdf:
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert [(int(i.Width), int(i.Height)) for i in images] == [(40, 40)]  # the ornament (no photo)


@pytest.mark.parametrize(("css", "url"), [
    (".banner {{ background: url({canary}); }}", "{canary}"),
    (".banner {{ background: url(../../../canary.png); }}", "{canary}"),
    (".banner {{ background: url(http://127.0.0.1:9/x.png); }}", "http://127.0.0.1:9/x.png"),
    (".banner {{ background: url(data:image/png;base64,iVBORw0KGgo=); }}",
     "data:image/png;base64,iVBORw0KGgo="),
    (".banner::after {{ content: url(ftp://example.com/x.png); }}", "ftp://example.com/x.png"),
    ("@font-face {{ font-family: x; src: url(file:///etc/passwd); }} .sidebar-box {{ font-family: x; }}",
     "file:///etc/passwd"),
])
def test_layout_css_cannot_reach_out(tmp_path: Path, css: str, url: str) -> None:
    canary = tmp_path / "canary.png"
    Image.new("RGB", (4, 4)).save(canary)
    root = layout_world(tmp_path, css.format(canary=path2url(canary)))
    out = tmp_path / "out.pdf"
    with guard.watch() as seen, pytest.raises(BuildError) as info:
        build(content(tmp_path), BuildOptions(output=out), make_world(root))
    messages = [d.message for d in info.value.diagnostics]
    assert any(m.startswith(f"refused to fetch {url.format(canary=path2url(canary))!r}") for m in messages), \
        messages
    assert not out.exists()
    assert canary.resolve() not in seen.opened_real()
    assert seen.network == []


@pytest.mark.parametrize(("line", "message"), [
    ("stylesheet: ../../../canary.css", "layout.yaml:{n}:1: error: must be a plain name: letters, digits, "
     "'-' and '_' (no '/', no '..') [stylesheet]"),
    ("template: /etc/passwd", "layout.yaml:{n}:1: error: must be a plain name: letters, digits, '-' and '_' "
     "(no '/', no '..') [template]"),
])
def test_layout_files_are_plain_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str,
                                      message: str) -> None:
    canary = tmp_path / "canary.css"
    canary.write_text("body { background: url(http://127.0.0.1:9/); }", encoding="utf-8")
    root = layout_world(tmp_path, "")
    spec = root / "layouts" / "broadsheet-page" / "layout.yaml"
    text = spec.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n"
    spec.write_text(text, encoding="utf-8")
    monkeypatch.chdir(spec.parent)
    with guard.watch() as seen, pytest.raises(BuildError) as info:
        build(content(tmp_path), BuildOptions(output=tmp_path / "out.pdf"), make_world(root))
    assert [d.render() for d in info.value.diagnostics] == [message.format(n=text.count("\n"))]
    assert canary.resolve() not in seen.opened_real()
