"""Safe YAML reading with source positions.

Takes: a path to a YAML file (untrusted: content comes from many schools).
Gives: ``Source`` — the plain Python data (dicts, lists, scalars) plus a map from each key path to its
``file:line:column``, so that later validation can point at the exact line. Loading is safe (no Python
objects: only the plain tags — mappings, lists, text, numbers, booleans, null, dates — are accepted;
``!!python/…``, ``!!binary``, ``!!set`` and custom tags are errors), bounded (file size, nesting depth,
node count, alias count, so alias "billion laughs" cannot explode), rejects duplicate keys and merge
keys, rejects text holding control characters or lone surrogates (``"\ud800"``), and reports encoding
and syntax errors with their position (line and column in characters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from banmian.core.diagnostics import BuildError, Location, error

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 200_000
MAX_ALIASES = 100

KeyPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
TAG_HINT = "content is plain text, lists and mappings"
# C0/C1 controls and DEL, except tab, line feed and carriage return; lone surrogates
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def format_key(path: KeyPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
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
        mark = node.start_mark
        key = format_key(tuple(p for p in path if p != "<key>")) or None
        return BuildError([error(message, Location(self.path, mark.line + 1, mark.column + 1, key),
                                 hint=hint, code="yaml")])

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
        """The bounds: values in all, nesting depth, values repeated through aliases."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(f"document too large (more than {MAX_NODES} values)", node)
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", node)
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.fail(f"YAML aliases repeat too many values (more than {MAX_ALIASES})", node,
                                hint="write the values out", path=path)
        self.seen.add(id(node))

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[Any, Any]:
        """A mapping with plain keys, no duplicates, no merge keys; each key's position recorded."""
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail("YAML merge keys (<<) are not supported", key_node)
            key = self.build(key_node, (*path, "<key>"), depth + 1)
            if not isinstance(key, str | int):
                raise self.fail("mapping keys must be plain text", key_node)
            if key in result:
                raise self.fail(f"duplicate key {key!r}", key_node)
            self.positions[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        self.positions.pop((*path, "<key>"), None)
        return result

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        """Text, a number, a boolean, null or a date — a bad value or a date that does not exist is a
        located error, and so is text holding a control character or a lone surrogate."""
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.fail(f"bad value: {getattr(exc, 'problem', exc)}", node, path=path) from None
        except (ValueError, OverflowError) as exc:  # e.g. 2025-13-45 matches the date pattern
            if node.tag == _TAG + "timestamp":
                raise self.fail(f"not a valid date: {node.value} ({exc})", node,
                                hint="write dates as YYYY-MM-DD", path=path) from None
            raise self.fail(f"bad value {node.value!r}: {exc}", node, path=path) from None
        if isinstance(value, str) and (bad := _BAD_CHAR.search(value)):
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
            raise self.fail(f"YAML tag {node.tag!r} is not allowed", node, hint=TAG_HINT, path=path)


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


def _compose(text: str) -> yaml.Node | None:
    """The node graph, parsed by libyaml when PyYAML has it (ten times faster); anything libyaml
    refuses is parsed again by the pure-Python loader, whose error messages banmian reports."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except Exception:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


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
    text = _decode(raw, path)
    try:
        node = _compose(text)
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
        raise BuildError([error(f"YAML error: {exc}", Location(path), code="yaml")]) from None
    if node is None:
        return Source(path, None, {(): (1, 1)})
    builder = _Builder(path)
    data = builder.build(node, (), 0)
    return Source(path, data, builder.positions)
