"""Import: a story as plain text, Markdown or Word → a draft ``Draft`` of articles.

Takes: a ``.txt`` / ``.md`` file (or the blocks ``banmian.ingest.docx`` reads from a ``.docx``).
Gives: ``Draft`` — articles with title lines, byline, body paragraphs, images and captions — ready for
``banmian.ingest.draft`` to write as content YAML. Rules:

- Paragraphs are blank-line separated; their hard-wrapped lines are rejoined — Chinese without spaces,
  Latin words with one space; a line that starts indented after a finished sentence starts a new block.
- Page-break splits are healed: a blank line after a line that does not end a sentence (``。！？…`` or
  a closing quote after one) joins the two pieces, when both are prose.
- ``#`` headings (and Word's Title / Heading 1–2) start articles and become their titles; Word's
  Subtitle paragraph under a title becomes the article's ``subtitle``.
- Without headings (text taken from a printed page, where headline blocks follow the bodies), short
  lines that are not prose are labels: an organisation-like line (``…小学``, ``记者 …``) is a byline,
  the block after it the title, the rest captions. Bodies are split into articles where a paragraph
  names a byline other than the current article's; titles and captions go to the article they name.
- A caption's closing credit — （学校供图）, （张华 摄）, （记者 李明 摄）, （摄影 王强）, （图/王强） —
  becomes the image's ``credit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path

SENTENCE_END = "。！？…!?；"
CLOSERS = "”’」』）)》\"'"
PROSE_MARKS = "，。、；：！？,;:!?"
BYLINE = re.compile(r"^(?:(?:本报)?(?:记者|通讯员)\s*\S.{0,20}|\S.{1,22}(?:学校|小学|中学|幼儿园|大学|学院|"
                    r"中心|委员会|政府|局|公司|医院|协会|集团|研究院|研究所|报社|电视台))$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# A credit closing a caption, in full- or half-width brackets: the credit word last — （学校供图） （张华 摄）
# （记者 李明 摄） — or first, followed by a space or a mark — （摄影 王强） （摄影：王强） （图/王强）.
CREDIT = re.compile(r"[（(]\s*([^（）()]{0,40}?(?:供图|摄影|摄)|(?:摄影|供图|图片?)(?:\s+|\s*[：:/／]\s*)"
                    r"[^（）()\s][^（）()]{0,30}?)\s*[）)]\s*$")
MD_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)$")
NAME_WINDOW = 40  # a paragraph "opens" an article when it names a byline within its first 40 characters


@dataclass(frozen=True)
class Block:
    kind: str  # "para" | "label" | "heading" | "subtitle" | "image" | "caption"
    lines: tuple[str, ...]
    level: int = 0  # heading level (Title = 0, Heading 1 = 1, …)
    image: str | None = None  # image blocks: src relative to the output YAML

    @property
    def text(self) -> str:
        return join_lines(self.lines)


@dataclass(frozen=True)
class DraftImage:
    src: str | None  # None: a caption without a picture (the editor must add the file)
    caption: str | None = None
    credit: str | None = None


def captioned(src: str | None, text: str | None) -> DraftImage:
    """An image with its caption, a closing credit split off into ``credit`` (活动现场（学校供图） →
    caption 活动现场, credit 学校供图)."""
    found = CREDIT.search(text or "")
    if text is None or found is None:
        return DraftImage(src, text or None)
    credit = " ".join(found.group(1).split())
    return DraftImage(src, text[:found.start()].rstrip() or None, credit)


@dataclass(frozen=True)
class DraftArticle:
    title: tuple[str, ...] = ()
    byline: str | None = None
    paragraphs: tuple[str, ...] = ()
    images: tuple[DraftImage, ...] = ()
    subtitle: str | None = None


@dataclass(frozen=True)
class Draft:
    source: Path
    articles: tuple[DraftArticle, ...]
    notes: tuple[str, ...] = field(default=())  # what the importer could not do


def ends_sentence(line: str) -> bool:
    text = line.rstrip()
    while text and text[-1] in CLOSERS:
        text = text[:-1]
    return bool(text) and text[-1] in SENTENCE_END


def join_lines(lines: tuple[str, ...] | list[str]) -> str:
    """Rejoin hard-wrapped lines: no space between Chinese lines, one between Latin words."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and _needs_space(out[-1], line[0]):
            out += " "
        out += line
    return out


def _needs_space(left: str, right: str) -> bool:
    if not (left.isascii() and right.isascii()) or left in "+-/(" or right in ",.;:!?)":
        return False
    return not (left.isdigit() and right.isdigit())


def is_prose(lines: tuple[str, ...]) -> bool:
    text = join_lines(lines)
    return any(ch in PROSE_MARKS for ch in text) or len(text) > 40


def text_blocks(text: str) -> list[Block]:
    """Raw blocks of a text or Markdown file: headings, images, and runs of non-blank lines."""
    blocks: list[Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            kept = tuple(lines)
            blocks.append(Block("para" if is_prose(kept) else "label", kept))
            lines.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").split("\n"):
        line = raw.replace("\u3000", " ").rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if heading := HEADING.match(stripped):
            flush()
            blocks.append(Block("heading", (heading.group(2),), level=len(heading.group(1))))
            continue
        if picture := MD_IMAGE.match(stripped):
            flush()
            blocks.append(Block("image", (picture.group(1),), image=picture.group(2)))
            continue
        if lines and line[:1].isspace() and ends_sentence(lines[-1]):
            flush()  # an indented line after a finished sentence starts a new paragraph
        lines.append(stripped)
    flush()
    return heal(blocks)


def heal(blocks: list[Block]) -> list[Block]:
    """Join prose blocks split where a sentence had not ended (a page or column break)."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "para" and block.kind == "para"
                and not ends_sentence(prev.lines[-1])):
            out[-1] = replace(prev, lines=prev.lines + block.lines)
        else:
            out.append(block)
    return out


def read_text(path: Path) -> Draft:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="replace")
    return assemble(path, text_blocks(text))


def assemble(source: Path, blocks: list[Block]) -> Draft:
    if any(b.kind == "heading" for b in blocks):
        return Draft(source, tuple(_by_headings(blocks)))
    return Draft(source, tuple(_by_labels(blocks)))


# --- documents with headings ----------------------------------------------------------------------


def _by_headings(blocks: list[Block]) -> list[DraftArticle]:
    articles: list[DraftArticle] = []
    for block in blocks:
        art = articles[-1] if articles else None
        if block.kind == "heading" and block.level <= 2:
            if art is None or art.paragraphs or art.images:
                articles.append(DraftArticle(title=(block.text,)))
            else:
                articles[-1] = replace(art, title=(*art.title, block.text))
        else:
            articles[-1:] = [_with_block(art or DraftArticle(), block)]
    return [a for a in articles if a.paragraphs or a.title]


def _with_block(art: DraftArticle, block: Block) -> DraftArticle:
    """``art`` with one more block under its title: a lead-in, subtitle, picture, caption, byline or
    paragraph."""
    if block.kind == "heading":
        return replace(art, paragraphs=(*art.paragraphs, f"**{block.text}**"))
    if block.kind == "subtitle" and art.subtitle is None and not art.paragraphs:
        return replace(art, subtitle=block.text)
    if block.kind == "image":
        return replace(art, images=(*art.images, captioned(block.image, block.text or None)))
    if block.kind == "caption" and art.images and art.images[-1].caption is None:
        return replace(art, images=(*art.images[:-1], captioned(art.images[-1].src, block.text)))
    if block.kind == "label" and not art.paragraphs and art.byline is None and BYLINE.match(block.text):
        return replace(art, byline=block.text)
    return replace(art, paragraphs=(*art.paragraphs, block.text))


# --- text from a printed page: labels, bylines, captions ------------------------------------------


@dataclass
class _Article:
    name: str | None
    paragraphs: list[str]
    title: tuple[str, ...] = ()
    byline: str | None = None
    images: list[DraftImage] = field(default_factory=list)


def _names(byline: str) -> list[str]:
    """A byline and its shorter form without a district prefix (北碚区朝阳幼儿园 → 朝阳幼儿园)."""
    short = re.sub(r"^.{1,4}?[区县市](?=.{4,})", "", byline)
    return [byline] if short == byline else [byline, short]


def _named(paragraph: str, bylines: list[str]) -> str | None:
    window = paragraph[:NAME_WINDOW]
    hits = [(window.find(name), -len(name), byline) for byline in bylines for name in _names(byline)
            if name in window]
    return min(hits)[2] if hits else None


def _title_lines(block: Block) -> tuple[str, ...]:
    if len(block.lines) == 1:
        parts = [p for p in re.split(r"\s+", block.lines[0]) if p]
        if len(parts) == 2 and all(len(p) >= 4 for p in parts):
            return tuple(parts)  # 和合而生党旗红 培根铸魂育蓓蕾 → two title lines
    return tuple(line.strip() for line in block.lines if line.strip())


_Headline = tuple[str | None, tuple[str, ...], int]  # byline, title, how many articles came before it


@dataclass
class _Labelled:
    """What a printed page's blocks say: the articles (bodies split where a paragraph names another
    byline), each byline with the title printed under it, the captions, and a title waiting for the
    body it heads."""

    bylines: list[str]
    articles: list[_Article] = field(default_factory=list)
    headlines: list[_Headline] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    pending_title: tuple[str, ...] = ()


def _by_labels(blocks: list[Block]) -> list[DraftArticle]:
    page = _Labelled([b.text for b in blocks
                      if b.kind == "label" and len(b.lines) == 1 and BYLINE.match(b.text)])
    run_open = False
    i = 0
    while i < len(blocks):
        if blocks[i].kind == "para":
            _add_paragraph(page, blocks[i].text, run_open)
            run_open = True
            i += 1
            continue
        run_open = False
        group = []
        while i < len(blocks) and blocks[i].kind != "para":
            group.append(blocks[i])
            i += 1
        _read_labels(page, group, at_end=i >= len(blocks))
    _give_headlines(page.articles, page.headlines)
    _give_captions(page.articles, page.captions)
    return [DraftArticle(a.title, a.byline or a.name, tuple(a.paragraphs), tuple(a.images))
            for a in page.articles]


def _add_paragraph(page: _Labelled, text: str, run_open: bool) -> None:
    """A body paragraph: it starts an article after labels or when it names another byline."""
    name = _named(text, page.bylines)
    if not run_open or (name is not None and name != page.articles[-1].name):
        page.articles.append(_Article(name, [], title=page.pending_title))
        page.pending_title = ()
    page.articles[-1].paragraphs.append(text)


def _read_labels(page: _Labelled, group: list[Block], *, at_end: bool) -> None:
    """A run of labels between bodies: a byline with the title after it; a title printed before its
    body (the first label of a run, unless the page ends); everything else is a caption."""
    j = 0
    while j < len(group):
        label = group[j]
        if label.text in page.bylines:
            nxt = group[j + 1] if j + 1 < len(group) and group[j + 1].text not in page.bylines else None
            page.headlines.append((label.text, _title_lines(nxt) if nxt else (), len(page.articles)))
            j += 2 if nxt else 1
            continue
        if label.kind != "image" and not at_end and j == 0 and not page.pending_title:
            page.pending_title = _title_lines(label)  # a title printed before its body
        else:
            page.captions.append(label.text)
        j += 1


def _give_headlines(articles: list[_Article], headlines: list[_Headline]) -> None:
    """Each byline (and its title) to the article whose body names it, else to the nearest earlier
    article still without a title."""
    for byline, title, seen in headlines:
        target = next((a for a in articles if a.name == byline), None)
        if target is None:
            target = next((a for a in reversed(articles[:seen]) if not a.title), None)
        if target is not None:
            target.byline = byline
            target.title = target.title or title


def _give_captions(articles: list[_Article], captions: list[str]) -> None:
    """Each caption to the article it shares the most with, else to the first article without a photo."""
    for caption in captions:
        best = max(articles, key=lambda a: _overlap(caption, a), default=None)
        if best is not None and _overlap(caption, best) >= 2:
            best.images.append(captioned(None, caption))
        elif articles:
            next((a for a in articles if not a.images), articles[-1]).images.append(captioned(None, caption))


def _overlap(caption: str, article: _Article) -> int:
    """The longest run of characters a caption shares with an article's name and opening."""
    probe = (article.byline or article.name or "") + "\n" + (article.paragraphs[0][:60] if article.paragraphs
                                                             else "")
    match = SequenceMatcher(None, caption, probe, autojunk=False).find_longest_match()
    return int(match.size)
