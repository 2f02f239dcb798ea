"""Hostile and careless command lines (issue 19, items 4 and 6): each was an internal error (exit 70) or
wrote where it must not. Now: a port out of range is a usage error; check, diff and build --compare on a
file that is not a PDF, and import of a .docx that is not one (not a zip, a zip bomb, billion laughs), are
one located error with a hint; a GIF bomb in a .docx is skipped with a note; a PDF is never written over
a file the build reads, into a folder, or under a name too long; an unwritable place is a clear error and
a 240-byte name builds."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from banmian.cli.main import main
from banmian.core.diagnostics import display_path

from .bad_corpus import doc, image_doc, jpeg

WORD_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>")
LAUGHS = ('<!DOCTYPE w:document [\n <!ENTITY a "哈哈哈哈哈哈哈哈哈哈">\n'
          + "".join(f' <!ENTITY {b} "{("&" + a + ";") * 10}">\n' for a, b in zip("abcdefgh", "bcdefghi",
                                                                                   strict=True)) + "]>\n")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    """Exit status, the error lines and all of stderr of ``banmian argv`` (run in-process)."""
    status = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return status, [ln for ln in err.splitlines() if ": error: " in ln or ln.startswith("error: ")], err


def one_located_error(lines: list[str], path: Path) -> str:
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{display_path(path)}: error: "), lines
    assert re.search(r" \(hint: .+\)$", lines[0]), lines
    return lines[0]


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- item 4: numbers on the command line ---------------------------------------------------------------

@pytest.mark.parametrize(("argv", "message"), [
    (["serve", "c.yaml", "--port", "70000"], "argument --port: 70000 is out of range: a port is 0 to 65535"),
    (["serve", "c.yaml", "--port", "-1"], "argument --port: -1 is out of range"),
    (["preview", "c.yaml", "--dpi", "0"], "argument --dpi: 0 is out of range: 10 to 1200 dpi"),
    (["watch", "c.yaml", "--interval", "nan"], "argument --interval: nan is out of range"),
    (["preflight", "x.pdf", "--ink-limit", "inf"], "argument --ink-limit: inf is out of range"),
    (["diff", "a.pdf", "b.pdf", "--dpi", "many"], "argument --dpi: 'many' is not a number"),
])
def test_numbers_out_of_range_are_usage_errors(folder: Path, argv: list[str], message: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


# --- item 4: a file that is not a PDF -----------------------------------------------------------------

NOT_PDF = {
    "text": lambda real: b"hello, not a PDF\n",
    "empty": lambda real: b"",
    "truncated": lambda real: real[:30_000],
    "a-jpeg": lambda real: jpeg(),
}


@pytest.fixture(scope="module")
def real_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("real")
    content = folder / "c.yaml"
    content.write_text(doc(body="正文。"), encoding="utf-8")
    assert main(["build", "-q", str(content), "-o", str(folder / "real.pdf")]) == 0
    return folder / "real.pdf"


@pytest.mark.parametrize("kind", sorted(NOT_PDF))
@pytest.mark.parametrize("command", ["check", "diff-old", "diff-new", "compare"])
def test_a_file_that_is_not_a_pdf_is_one_located_error(folder: Path, real_pdf: Path, kind: str, command: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    bad = folder / "bad.pdf"
    bad.write_bytes(NOT_PDF[kind](real_pdf.read_bytes()))
    content = folder / "c.yaml"
    content.write_text(doc(body="正文。"), encoding="utf-8")
    out = folder / "out" / "c.pdf"
    argv = {"check": ["check", str(bad)],
            "diff-old": ["diff", str(bad), str(real_pdf), "-o", str(folder / "review")],
            "diff-new": ["diff", str(real_pdf), str(bad), "-o", str(folder / "review")],
            "compare": ["build", str(content), "-o", str(out), "--compare", str(bad)]}[command]
    status, errors, _ = run(argv, capsys)
    assert status == 1
    line = one_located_error(errors, bad)
    assert "PDF" in line
    assert not out.exists()  # --compare is looked at before anything is built


def test_a_folder_given_as_a_pdf_is_one_located_error(folder: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "pdfs").mkdir()
    status, errors, _ = run(["check", "pdfs"], capsys)
    assert status == 1 and "a folder, not a PDF" in one_located_error(errors, folder / "pdfs")


# --- item 4: import of a .docx that is not one ---------------------------------------------------------

def word_file(parts: dict[str, bytes]) -> bytes:
    """A .docx made of the parts of a real one (python-docx's), some replaced or added."""
    import docx

    real = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("正文第一段。")
    document.save(real)
    out = io.BytesIO()
    with zipfile.ZipFile(real) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, parts.pop(name, source.read(name)))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


BAD_DOCX = {
    "not-a-zip": (lambda: b"PK but not really a zip\n" * 10, "not a Word document"),
    "zip-bomb": (lambda: word_file({"word/media/bomb.bin": bytes(20 << 20)}), "a zip bomb?"),
    "xml-bomb": (lambda: word_file({"word/document.xml": WORD_XML.format(text="x" * (30 << 20)).encode()}),
                 "a zip bomb?"),
    "billion-laughs": (lambda: word_file({"word/document.xml":
                                          (LAUGHS + WORD_XML.format(text="&i;")).encode()}),
                       "cannot be read as a Word document"),
    "no-content-types": (lambda: zipfile_without("[Content_Types].xml"), "cannot be read as a Word document"),
    "a-doc-renamed": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "not a Word document"),
}


def zipfile_without(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(word_file({}))) as source, zipfile.ZipFile(out, "w") as target:
        for part in source.namelist():
            if part != name:
                target.writestr(part, source.read(part))
    return out.getvalue()


@pytest.mark.parametrize("kind", sorted(BAD_DOCX))
def test_import_of_a_bad_docx_is_one_located_error(folder: Path, kind: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    make, words = BAD_DOCX[kind]
    story = folder / "story.docx"
    story.write_bytes(make())
    target = folder / "content" / "story.yaml"
    status, errors, _ = run(["import", str(story), "-o", str(target)], capsys)
    assert status == 1
    assert words in one_located_error(errors, story)
    assert not target.exists() and not (folder / "content" / "images").exists()


def gif_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A GIF of 8 × 8 pixels whose header says ``width`` × ``height``."""
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    data = bytearray(out.getvalue())
    size = width.to_bytes(2, "little") + height.to_bytes(2, "little")
    data[6:10] = size  # the logical screen
    at = data.index(b"\x2c")  # the image descriptor
    data[at + 5:at + 9] = size
    return bytes(data)


def test_a_gif_bomb_inside_a_docx_is_skipped_with_a_note(folder: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("正文第一段。")
    small = io.BytesIO()
    Image.new("P", (8, 8)).save(small, "GIF")
    small.seek(0)
    document.add_picture(small)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        gif = next(n for n in package.namelist() if n.endswith(".gif"))
    story = folder / "story.docx"
    story.write_bytes(_replaced(buffer.getvalue(), gif, gif_bomb()))
    target = folder / "content" / "story.yaml"
    status, errors, err = run(["import", str(story), "-o", str(target)], capsys)
    assert status == 0 and errors == []
    assert "note: picture story-1 skipped: more than 60,000,000 pixels" in err
    assert target.is_file() and not list((folder / "content").glob("images/*"))


def _replaced(package: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.namelist():
            target.writestr(part, data if part == name else source.read(part))
    return out.getvalue()


def test_import_never_writes_over_its_story(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = folder / "story.md"
    story.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    status, errors, _ = run(["import", str(story), "-o", str(story), "--force"], capsys)
    assert status == 1 and "would replace the story" in errors[0]
    assert story.read_text(encoding="utf-8") == "# 标题\n\n正文。\n"


# --- item 6: output paths ------------------------------------------------------------------------------

@pytest.fixture()
def project(folder: Path) -> Path:
    """A project with a content file, its image and a layout of its own (a copy of broadsheet-page)."""
    (folder / "content" / "images").mkdir(parents=True)
    (folder / "content" / "images" / "photo.jpg").write_bytes(jpeg((1600, 1200)))
    (folder / "content" / "c.yaml").write_text(image_doc("images/photo.jpg").replace(
        "layout: broadsheet-page", "layout: mine"), encoding="utf-8")
    assert main(["new-layout", "mine", "--from", "broadsheet-page"]) == 0
    return folder


def _hard_link(project: Path) -> Path:
    os.link(project / "content" / "c.yaml", project / "linked.yaml")
    return project / "linked.yaml"


def _symlink(project: Path) -> Path:
    os.symlink(project / "content" / "images" / "photo.jpg", project / "photo-link.pdf")
    return project / "photo-link.pdf"


INPUTS = {
    "content": lambda project: project / "content" / "c.yaml",
    "image": lambda project: project / "content" / "images" / "photo.jpg",
    "layout-css": lambda project: project / "layouts" / "mine" / "layout.css",
    "layout-yaml": lambda project: project / "layouts" / "mine" / "layout.yaml",
    "hard-link-to-content": _hard_link,
    "symlink-to-image": _symlink,
}


@pytest.mark.parametrize("which", sorted(INPUTS))
def test_a_pdf_never_replaces_a_file_the_build_reads(project: Path, which: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """``-o content/x.yaml`` replaced the source YAML with the PDF (exit 0)."""
    target = INPUTS[which](project)
    capsys.readouterr()
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    status, errors, _ = run(["build", "content/c.yaml", "-o", str(target)], capsys)
    assert status == 1
    assert "the PDF would replace it" in one_located_error(errors, target)
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("proof", [False, True])
def test_the_proof_never_replaces_an_input_either(project: Path, proof: bool,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """``-o x.pdf --proof`` also writes ``x.proof.pdf``: here a file of the layout's folder."""
    kept = project / "layouts" / "mine" / "sample.proof.pdf"
    kept.write_bytes(b"the designer's reference proof")
    argv = ["build", "content/c.yaml", "-o", "layouts/mine/sample.pdf", *(["--proof"] if proof else [])]
    status, errors, _ = run(argv, capsys)
    if proof:
        assert status == 1
        assert "the PDF would replace it" in one_located_error(errors, kept)
        assert not (project / "layouts" / "mine" / "sample.pdf").exists()
    else:
        assert status == 0, errors
    assert kept.read_bytes() == b"the designer's reference proof"


@pytest.mark.parametrize("target", [".", "content", "/proc", "/tmp"])
def test_a_pdf_is_not_written_into_a_folder(project: Path, target: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    status, errors, _ = run(["build", "content/c.yaml", "-o", target], capsys)
    assert status == 1
    assert "is a folder: the PDF needs a file name" in one_located_error(errors, Path(target))


@pytest.mark.parametrize(("target", "reason"), [
    ("/proc/page.pdf", "No such file or directory"),
    ("/sys/page.pdf", "Permission denied"),
    ("content/c.yaml/page.pdf", "content/c.yaml is a file, not a folder"),
])
def test_an_unwritable_place_is_a_clear_error(project: Path, target: str, reason: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    status, errors, _ = run(["build", "content/c.yaml", "-o", target], capsys)
    assert status == 1
    assert one_located_error(errors, Path(target)).split(": error: ")[1].startswith(
        f"cannot write the PDF: {reason}")


def test_a_240_byte_name_builds_and_a_256_byte_name_is_refused(folder: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The temporary file's name passed 255 bytes for a legal 240-byte output name."""
    content = folder / "c.yaml"
    content.write_text(doc(body="正文。"), encoding="utf-8")
    legal = folder / "out" / ("版" * 78 + ".pdf")  # 238 bytes
    assert len(legal.name.encode()) == 238
    status, errors, _ = run(["build", str(content), "-o", str(legal)], capsys)
    assert status == 0 and errors == []
    assert [p.name for p in legal.parent.iterdir()] == [legal.name]  # no temporary file left
    assert legal.read_bytes().startswith(b"%PDF-")
    too_long = folder / "out" / ("版" * 84 + ".pdf")  # 256 bytes
    status, errors, _ = run(["build", str(content), "-o", str(too_long)], capsys)
    assert status == 1 and "a name holds at most 255" in one_located_error(errors, too_long)
