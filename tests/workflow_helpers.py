"""Helpers shared by the workflow tests: small content files that build fast."""

from __future__ import annotations

from pathlib import Path

from banmian.ingest.starter import starter_text

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
