"""Load: content YAML → validated, typed ``Document``.

Takes: the path of a content YAML file (untrusted).
Gives: ``Document`` — the ``Content`` model, each article's body split into paragraphs of inline spans
(``**bold**`` parsed here; any other markup stays literal text), resolved image paths, the source
position of every key, and warnings (e.g. unbalanced quotes; a draft's placeholders — a value still
``TODO`` or 待拟标题, a line still marked ``# TODO`` — each by its key or line, so that the build does not
call the page print-ready). Every schema error in the file is
collected with its ``file:line`` and key path before a ``BuildError`` stops the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from banmian.core.diagnostics import BuildError, Diagnostic, Location, error, excerpt, warning
from banmian.core.placeholders import TODO_COMMENT, placeholder_in
from banmian.source.model import IMAGE_FORMATS, IMAGE_SUFFIXES, Article, Content, InlineSpan, Paragraph
from banmian.source.yamlsrc import KeyPath, Source, format_key, read_yaml

PAIRS = (("“", "”"), ("‘", "’"), ("（", "）"), ("《", "》"), ("【", "】"), ("「", "」"))


@dataclass(frozen=True)
class ArticleDoc:
    article: Article
    index: int
    paragraphs: tuple[Paragraph, ...]
    body_location: Location
    images: tuple[Path, ...]
    image_locations: tuple[Location, ...]

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def body_text(self) -> str:
        return "".join(p.text for p in self.paragraphs)

    @property
    def label(self) -> str:
        """The article as an editor names it in a message: its id and its title."""
        return f"{self.id!r} ({''.join(self.article.title_lines)})"


@dataclass(frozen=True)
class Document:
    path: Path
    content: Content
    articles: tuple[ArticleDoc, ...]
    source: Source
    diagnostics: tuple[Diagnostic, ...]

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def name(self) -> str:
        return self.path.stem


def load(path: Path) -> Document:
    """Read and validate a content file; raise ``BuildError`` with every error found."""
    path = Path(path)
    source = read_yaml(path)
    if not isinstance(source.data, dict):
        raise BuildError([error("a content file is a mapping with 'meta', 'layout' and 'articles'",
                                source.locate(()), code="schema")])
    try:
        content = Content.model_validate(source.data)
    except ValidationError as exc:
        raise BuildError(schema_errors(exc, source)) from None
    diags: list[Diagnostic] = []
    seen: dict[str, int] = {}
    docs = []
    for i, article in enumerate(content.articles):
        if article.id in seen:
            diags.append(error(f"duplicate article id {article.id!r} (also articles[{seen[article.id]}])",
                               source.locate(("articles", i, "id")), code="schema"))
        seen[article.id] = i
        docs.append(_article_doc(article, i, source, diags))
    _check_quotes(source, (), source.data, diags)
    diags += placeholder_warnings(source)
    if any(d.severity.name == "ERROR" for d in diags):
        raise BuildError(diags)
    return Document(path, content, tuple(docs), source, tuple(diags))


def schema_errors(exc: ValidationError, source: Source, doc: str = "docs/content.md") -> list[Diagnostic]:
    """Pydantic errors as located diagnostics, in file order; ``doc``: where the file's keys are
    described (the hint for a misspelt key)."""
    out = []
    for err in exc.errors(include_url=False):
        loc: KeyPath = tuple(p for p in err["loc"] if isinstance(p, str | int))
        # pydantic adds union-member names (e.g. 'str', 'list[str]') to the path: drop them
        clean: list[str | int] = []
        node: Any = source.data
        for part in loc:
            in_dict = isinstance(node, dict) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
            if in_dict or in_list:
                clean.append(part)
                node = node[part]
            elif err["type"] == "missing" and part == loc[-1]:
                clean.append(part)
        kind = err["type"]
        message = err["msg"].removeprefix("Value error, ")
        if kind == "extra_forbidden":
            message = f"unknown key {excerpt(clean[-1])}" if clean else "unknown key"
        elif kind == "string_pattern_mismatch":
            message = "must be a plain name: letters, digits, '-' and '_' (no '/', no '..')"
        elif kind == "missing":
            message = f"missing required key {excerpt(clean[-1])}" if clean else "missing required key"
        out.append(error(message, source.locate(tuple(clean)), code="schema",
                         hint=_hint(kind, tuple(clean), doc)))
    out.sort(key=lambda d: (d.location.line or 0, d.location.column or 0))
    # one message per key path (unions report each member)
    unique: dict[tuple[int | None, str | None], Diagnostic] = {}
    for d in out:
        unique.setdefault((d.location.line, d.location.key), d)
    return list(unique.values())


def _hint(kind: str, path: KeyPath, doc: str) -> str | None:
    if kind == "extra_forbidden":
        return f"check the spelling; see {doc} for the keys"
    if kind.startswith("date") or (path[-1:] == ("date",) and kind != "missing"):
        return "write dates as YYYY-MM-DD"
    if path and path[-1] == "title":
        return "a title is text, or a list of lines"
    return _HINTS.get(kind) or _HINTS.get(str(path[-1]) if path else "")


_HINTS = {
    "too_long": "docs/content.md gives the limits: cut it or split it",
    "string_too_long": "docs/content.md gives the limits: cut the text",
    "int_parsing": "a whole number, e.g. 4",
    "url": "e.g. https://example.com/news/386",
    "value": "'value' is the number the bar or wedge is drawn from; the wording goes in 'text'",
    "profile": "copy the .icc file into the layout's folder and give its name",
}


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs are separated by blank lines; hard-wrapped lines inside one are rejoined."""
    paragraphs = []
    for block in re.split(r"\n[ \t\u3000]*\n", body.replace("\r\n", "\n")):
        lines = [line.strip(" \t\u3000") for line in block.split("\n")]
        text = ""
        for line in lines:
            if not line:
                continue
            if text and _latin_end(text[-1]) and _latin_end(line[0]):
                text += " "
            text += line
        if text:
            paragraphs.append(text)
    return paragraphs


def _latin_end(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def parse_inline(text: str) -> tuple[InlineSpan, ...]:
    """``**bold**`` → bold spans. An unmatched ``**`` stays literal."""
    parts = text.split("**")
    if len(parts) % 2 == 0:  # unmatched marker: keep the last one literal
        parts[-2:] = [parts[-2] + "**" + parts[-1]]
    spans = [InlineSpan(part, bold=bool(i % 2)) for i, part in enumerate(parts) if part]
    return tuple(spans)


def _article_doc(article: Article, i: int, source: Source, diags: list[Diagnostic]) -> ArticleDoc:
    paragraphs = tuple(Paragraph(parse_inline(p)) for p in split_paragraphs(article.body))
    if "**" in article.body and len(article.body.split("**")) % 2 == 0:
        diags.append(warning("unmatched '**' is printed as it is", source.locate(("articles", i, "body")),
                             code="markup"))
    images = []
    image_locs = []
    folder = source.path.parent.resolve()
    for j, image in enumerate(article.images):
        loc = source.locate(("articles", i, "images", j, "src"))
        target, problem = image_path(folder, image.src)
        image_locs.append(loc)
        images.append(target)
        if problem is not None:
            diags.append(error(f"image {excerpt(image.src, 80)}{problem}", loc, hint=IMAGE_HINTS.get(problem),
                               code="image"))
    return ArticleDoc(article, i, paragraphs, source.locate(("articles", i, "body")),
                      tuple(images), tuple(image_locs))


MAX_NAME_BYTES = 255  # a file or folder name on the file systems banmian runs on
OUTSIDE = " is outside the content folder"
TOO_LONG = f": a file or folder name is longer than {MAX_NAME_BYTES} bytes"
LOOP = " cannot be opened: a symbolic link on its path loops"
NOT_A_PICTURE = f": not a picture file banmian reads (accepted: {', '.join(IMAGE_FORMATS)})"
IMAGE_HINTS = {OUTSIDE: "put images next to the content file, e.g. images/photo.jpg",
               NOT_A_PICTURE: "save it as JPEG or PNG",
               TOO_LONG: "rename the file (a Chinese character takes 3 bytes)",
               LOOP: "replace the link with the picture itself"}


def image_path(folder: Path, src: str) -> tuple[Path, str | None]:
    """The real path of image ``src`` in the content folder ``folder`` (symlinks resolved), and what
    is wrong with it, as the rest of a sentence starting ``image 'src'``: outside the folder, a name
    too long, a link loop, not JPEG or PNG, not found."""
    target = folder / src
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in Path(src).parts):
        return target, TOO_LONG
    try:
        target = target.resolve()
    except (RuntimeError, OSError):  # a symlink loop (RuntimeError in Python 3.11)
        return target, LOOP
    if src.startswith(("/", "\\")) or "://" in src or not target.is_relative_to(folder):
        return target, OUTSIDE
    if target.suffix.lower() not in IMAGE_SUFFIXES:
        return target, NOT_A_PICTURE
    try:
        found = target.is_file()
    except OSError as exc:
        return target, f" cannot be read ({exc.strerror})"
    return target, None if found else " not found"


def placeholder_warnings(source: Source) -> list[Diagnostic]:
    """A warning per value still holding a draft's placeholder (by its key) and per line still marked
    ``# TODO`` (by its line and what the comment asks), one per line."""
    out: list[Diagnostic] = []
    for path, text in _leaves(source.data, ()):
        found = placeholder_in(text)
        if found is not None:
            out.append(warning(f"{format_key(path)} is still the draft's placeholder {found!r}",
                               source.locate(path), code="todo",
                               hint="write the real text (banmian import left it for you)"))
    marked = {d.location.line for d in out}
    try:
        lines = source.path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return out
    for number, line in enumerate(lines, start=1):
        comment = TODO_COMMENT.search(line)
        if comment is not None and number not in marked:
            what = comment.group(1).strip() or "this line"
            out.append(warning(f"marked TODO: {what}", Location(source.path, number, comment.start() + 1),
                               code="todo", hint="do what the comment asks, then delete the comment"))
    return out


def _leaves(node: Any, path: KeyPath) -> list[tuple[KeyPath, str]]:
    """Every text of a YAML tree with its key path."""
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for j, value in enumerate(node) for leaf in _leaves(value, (*path, j))]
    return [(path, node)] if isinstance(node, str) else []


def _check_quotes(source: Source, path: KeyPath, node: Any, diags: list[Diagnostic]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _check_quotes(source, (*path, key), value, diags)
    elif isinstance(node, list):
        for j, value in enumerate(node):
            _check_quotes(source, (*path, j), value, diags)
    elif isinstance(node, str):
        for left, right in PAIRS:
            opened, closed = node.count(left), node.count(right)
            if opened != closed:
                diags.append(warning(f"unbalanced quotes: {opened} × {left} but {closed} × {right}",
                                     source.locate(path), code="quotes",
                                     hint="printed as written; check the punctuation"))
