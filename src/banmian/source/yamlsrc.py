"""Safe YAML reading with source positions.

Takes: a path to a YAML file (untrusted: content comes from many schools).
Gives: ``Source`` — the plain Python data (dicts, lists, scalars) plus a map from each key path to its
``file:line:column``, so that later validation can point at the exact line.

Reading follows the YAML 1.2 core schema, not PyYAML's YAML 1.1 one: ``010`` is 10 (no octal),
``1:30`` and ``yes`` are text (no sexagesimal numbers, no yes/no booleans), ``2025-06-28`` is text that
the schema reads as a date where it wants one (``!!timestamp`` still makes a date). Mapping keys are
always text (``yes:`` is the key ``'yes'``). Loading is safe (no Python objects: only the plain tags —
mappings, lists, text, numbers, booleans, null, dates — are accepted; ``!!python/…``, ``!!binary``,
``!!set`` and custom tags are errors) and bounded before anything is built: file size, nesting depth,
values in all, items in one list or mapping, values repeated through aliases ("billion laughs"),
digits of a number. Duplicate keys and merge keys are errors, and so is text holding control characters
or lone surrogates (``"\\ud800"``). Encoding and syntax errors are reported with their position (line
and column in characters); a value a message repeats is shortened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from banmian.core.diagnostics import MAX_ECHO, BuildError, Location, error, excerpt

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 200_000  # values in the file (and after aliases are expanded)
MAX_ITEMS = 1_000  # items in one list or keys in one mapping (the schemas allow far fewer where it matters)
MAX_ALIASES = 100
MAX_DIGITS = 100  # an integer of more digits is no number a page prints (quote it to make it text)

KeyPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
TAG_HINT = "content is plain text, lists and mappings"
DEPTH_HINT = "content nests a few levels only: check the brackets and the indentation"
# C0/C1 controls and DEL, except tab, line feed and carriage return; lone surrogates
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# The YAML 1.2 core schema (YAML 1.2.2, 10.3.2): which plain scalars are not text.
NULLS = ("", "~", "null", "Null", "NULL")
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z|0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z|[-+]?\.(inf|Inf|INF)\Z"
                    r"|\.(nan|NaN|NAN)\Z")
_CORE = (
    (_TAG + "null", re.compile(r"(?:~|null|Null|NULL|)\Z"), "~nN"),
    (_TAG + "bool", re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"), "tTfF"),
    (_TAG + "int", _INT, "-+0123456789"),
    (_TAG + "float", _FLOAT, "-+0123456789."),
    (_TAG + "merge", re.compile(r"<<\Z"), "<"),  # not YAML 1.2: kept to refuse merge keys by name
)


def _core_loader(base: type[Any]) -> Any:
    """``base`` (PyYAML's safe loader, C or Python) resolving plain scalars by the YAML 1.2 core schema."""
    loader: Any = type(f"Core{base.__name__}", (base,), {"yaml_implicit_resolvers": {}})
    loader.add_implicit_resolver(_TAG + "null", _CORE[0][1], [""])  # the empty scalar
    for tag, pattern, first in _CORE:
        loader.add_implicit_resolver(tag, pattern, list(first))
    return loader


_LOADERS = tuple(_core_loader(base) for base in (getattr(yaml, "CSafeLoader", None), yaml.SafeLoader)
                 if base is not None)


MAX_KEY_PARTS = 8  # a deeper key path is shown by its start and its depth


def format_key(path: KeyPath) -> str:
    """``articles[0].images[1].src``; a key too long to repeat is cut (``abc…``), and so is a path
    deeper than ``MAX_KEY_PARTS`` (``title[0][0][0][0][0]… (33 deep)``)."""
    if len(path) > MAX_KEY_PARTS:
        return f"{format_key(path[:MAX_KEY_PARTS - 2])}… ({len(path)} deep)"
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if len(part) <= MAX_ECHO else part[:MAX_ECHO - 1] + "…"
            out += f".{name}" if out else name
    return out


@dataclass(frozen=True)
class Source:
    path: Path
    data: Any
    positions: dict[KeyPath, tuple[int, int]]

    def locate(self, key: KeyPath) -> Location:
        """The location of ``key``, or of its nearest ancestor that has one."""
        probe = tuple(key)
        while probe:
            if probe in self.positions:
                line, col = self.positions[probe]
                return Location(self.path, line, col, format_key(key))
            probe = probe[:-1]
        line, col = self.positions.get((), (1, 1))
        return Location(self.path, line, col, format_key(key) or None)


def _located(path: Path, message: str, mark: Any, key: KeyPath = (), hint: str | None = None) -> BuildError:
    where = Location(path, mark.line + 1, mark.column + 1, format_key(key) or None)
    return BuildError([error(message, where, hint=hint, code="yaml")])


@dataclass
class _Open:
    """A collection the parser is inside of: its key path, its items so far and the key it is at."""

    path: KeyPath
    mapping: bool
    children: int = 0  # nodes so far (a mapping's keys and values)
    key: str | int = "<key>"


class _Shape:
    """The bounds checked on the parser's events, before any node is built: nesting depth, values in
    all, items in one list or mapping. Events come from a parser without recursion, so a file nested a
    million levels deep costs one error line (PyYAML's composer would recurse and crash)."""

    def __init__(self, path: Path):
        self.path = path
        self.nodes = 0
        self.open: list[_Open] = []

    def check(self, events: Iterable[yaml.Event]) -> None:
        for event in events:
            if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent | yaml.CollectionStartEvent):
                self.node(event)
            elif isinstance(event, yaml.CollectionEndEvent):
                self.open.pop()

    def node(self, event: yaml.Event) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _located(self.path, f"document too large (more than {MAX_NODES} values)", event.start_mark)
        key = self.child_key(event)
        if isinstance(event, yaml.CollectionStartEvent):
            if len(self.open) >= MAX_DEPTH:
                raise _located(self.path, f"nesting deeper than {MAX_DEPTH} levels", event.start_mark, key,
                               hint=DEPTH_HINT)
            self.open.append(_Open(key, isinstance(event, yaml.MappingStartEvent)))

    def child_key(self, event: yaml.Event) -> KeyPath:
        """The key path of the node ``event`` starts, counted among its collection's items."""
        if not self.open:
            return ()
        parent = self.open[-1]
        parent.children += 1
        index = (parent.children - 1) // 2 if parent.mapping else parent.children - 1
        if index >= MAX_ITEMS:
            what = "keys in one mapping" if parent.mapping else "items in one list"
            raise _located(self.path, f"more than {MAX_ITEMS} {what}", event.start_mark, parent.path,
                           hint="the schema allows far fewer: see docs/content.md")
        if not parent.mapping:
            return (*parent.path, index)
        if parent.children % 2:  # a key: its value comes next
            parent.key = event.value if isinstance(event, yaml.ScalarEvent) else "<key>"
            return parent.path
        return (*parent.path, parent.key)


class WrittenInt(int):
    """An integer that remembers how the file wrote it, so a key that wants text (``issue: 0377``)
    prints exactly what the editor typed, leading zeros included."""

    written: str

    def __new__(cls, value: int, written: str) -> WrittenInt:
        number = super().__new__(cls, value)
        number.written = written
        return number


def _scalar_value(tag: str, text: str) -> Any:
    """The value of a scalar by its (implicit or explicit) tag, by the YAML 1.2 core schema; a
    ``ValueError`` says why the text is not a value of that tag."""
    kind = tag.removeprefix(_TAG)
    if kind == "str":
        return text
    if kind == "null" and text in NULLS:
        return None
    if kind == "bool" and text in BOOLS:
        return BOOLS[text]
    if kind == "int" and _INT.match(text):
        digits = text.lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise ValueError(f"a number of {len(digits)} digits (at most {MAX_DIGITS})")
        base = {"0o": 8, "0x": 16}.get(digits[:2], 10)
        return WrittenInt(int(text[2:] if base != 10 else text, base), text)
    if kind == "float" and _FLOAT.match(text):
        sign = -1.0 if text.startswith("-") else 1.0
        return sign * float(text.lstrip("+-").lower().replace(".inf", "inf").replace(".nan", "nan"))
    raise ValueError(f"not a valid {kind}")


class _Builder:
    def __init__(self, path: Path):
        self.path = path
        self.positions: dict[KeyPath, tuple[int, int]] = {}
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()
        self.constructor = yaml.SafeLoader("")

    def fail(self, message: str, node: yaml.Node, hint: str | None = None,
             path: KeyPath = ()) -> BuildError:
        return _located(self.path, message, node.start_mark, tuple(p for p in path if p != "<key>"), hint)

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        """The plain value of ``node`` at key ``path``, its position and its children's recorded."""
        self.count(node, path, depth)
        self.check_tag(node, path)
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node, path)

    def count(self, node: yaml.Node, path: KeyPath, depth: int) -> None:
        """The bounds after aliases are expanded: values in all, nesting depth, values repeated."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(f"document too large (more than {MAX_NODES} values)", node)
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", node, path=path, hint=DEPTH_HINT)
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.fail(f"YAML aliases repeat too many values (more than {MAX_ALIASES})", node,
                                hint="write the values out", path=path)
        self.seen.add(id(node))

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        """A mapping with text keys (a plain ``1`` or ``yes`` is the key ``'1'``, ``'yes'``), no
        duplicates, no merge keys; each key's position recorded."""
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise self.fail("YAML merge keys (<<) are not supported", key_node)
            self.count(key_node, path, depth + 1)
            self.check_tag(key_node, path)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("mapping keys must be plain text", key_node, path=path)
            key = self.text(key_node, path)
            if key in result:
                raise self.fail(f"duplicate key {excerpt(key)}", key_node, path=(*path, key))
            self.positions[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        """Text, a number, a boolean, null or a date — a bad value or a date that does not exist is a
        located error, and so is text holding a control character or a lone surrogate."""
        if node.tag == _TAG + "timestamp":
            return self.date(node, path)
        try:
            value = _scalar_value(node.tag, node.value)
        except ValueError as exc:
            tag = node.tag.removeprefix(_TAG)
            raise self.fail(f"{excerpt(node.value)} is {exc}", node, path=path,
                            hint=f"remove the !!{tag} tag, or quote the text" if tag != "int"
                            else "quote it if it is text") from None
        return self.text(node, path) if isinstance(value, str) else value

    def date(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        """``!!timestamp``: a date or a date and time, or a located error."""
        problem = ""
        if self.constructor.timestamp_regexp.match(node.value):
            try:
                return self.constructor.construct_yaml_timestamp(node)
            except (ValueError, OverflowError) as exc:  # e.g. 2025-13-45 matches the date pattern
                problem = f" ({exc})"
        raise self.fail(f"not a valid date: {excerpt(node.value)}{problem}", node,
                        hint="write dates as YYYY-MM-DD", path=path)

    def text(self, node: yaml.ScalarNode, path: KeyPath) -> str:
        """The scalar's text, which must hold no control character and no lone surrogate."""
        value = str(node.value)
        if bad := _BAD_CHAR.search(value):
            char = bad.group()
            if "\ud800" <= char <= "\udfff":
                raise self.fail(f"text holds a lone surrogate ({char.encode('unicode_escape').decode()})",
                                node, hint="write the character itself, not a \\u escape", path=path)
            raise self.fail(f"text holds a control character ({char.encode('unicode_escape').decode()})",
                            node, hint="remove it", path=path)
        return value

    def check_tag(self, node: yaml.Node, path: KeyPath) -> None:
        allowed = (SCALAR_TAGS if isinstance(node, yaml.ScalarNode)
                   else {_TAG + "seq"} if isinstance(node, yaml.SequenceNode) else {_TAG + "map"})
        if node.tag not in allowed:
            raise self.fail(f"YAML tag {excerpt(node.tag, 80)} is not allowed", node, hint=TAG_HINT,
                            path=path)


def _decode(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace").removeprefix("\ufeff")) + 1
        raise BuildError([error(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                Location(path, line, col), hint="save the file as UTF-8",
                                code="encoding")]) from None
    return text.removeprefix("\ufeff")


def _compose(text: str, path: Path) -> yaml.Node | None:
    """The node graph, its shape checked on the parser's events first (``_Shape``). libyaml parses
    when PyYAML has it (ten times faster); anything libyaml refuses is parsed again by the pure-Python
    loader, whose error messages banmian reports."""
    for loader in _LOADERS:
        try:
            _Shape(path).check(yaml.parse(text, Loader=loader))
            node: yaml.Node | None = yaml.compose(text, Loader=loader)
            return node
        except BuildError:
            raise
        except Exception:
            if loader is _LOADERS[-1]:
                raise
    raise AssertionError("unreachable: the last loader raises")


def read_yaml(path: Path) -> Source:
    """Read ``path`` safely; raise ``BuildError`` with a located diagnostic on any problem."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BuildError([error(f"file is {size} bytes; the limit is {MAX_BYTES}",
                                    Location(path), code="yaml")])
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BuildError([error(f"cannot read file: {exc.strerror}", Location(path),
                                code="io")]) from None
    node = _syntax_checked(_decode(raw, path), path)
    if node is None:
        return Source(path, None, {(): (1, 1)})
    builder = _Builder(path)
    data = builder.build(node, (), 0)
    return Source(path, data, builder.positions)


def _syntax_checked(text: str, path: Path) -> yaml.Node | None:
    """``_compose``, with YAML's syntax errors as located diagnostics."""
    try:
        return _compose(text, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or exc.context or "syntax error"
        if exc.problem and exc.context and exc.context_mark and exc.context_mark is not mark:
            where = exc.context_mark
            problem += f" ({exc.context} that starts at line {where.line + 1}, column {where.column + 1})"
        hint = "indent with spaces, not tabs" if "'\\t'" in problem or "\t" in problem else None
        raise BuildError([error(f"YAML syntax error: {problem}", loc, hint=hint, code="yaml")]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, ESC, …)
        before = text[: exc.position]
        loc = Location(path, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        raise BuildError([error(f"YAML syntax error: character {chr(exc.character)!r} is not allowed",
                                loc, hint="remove the control character", code="yaml")]) from None
    except yaml.YAMLError as exc:
        raise BuildError([error(f"YAML error: {excerpt(str(exc), 200)}", Location(path),
                                code="yaml")]) from None
