"""Safe YAML reading with source positions.

Takes: a path to a YAML file (untrusted: content comes from many schools).
Gives: ``Source`` — the plain Python data (dicts, lists, scalars) plus a map from each key path to its
``file:line:column``, so that later validation can point at the exact line. Loading is safe (no Python
objects), bounded (file size, nesting depth, node count, so alias "billion laughs" cannot explode),
rejects duplicate keys, and reports encoding and syntax errors with their position.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from banmian.diagnostics import BuildError, Location, error

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 200_000
MAX_ALIASES = 100

KeyPath = tuple[str | int, ...]


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

    def fail(self, message: str, node: yaml.Node, hint: str | None = None) -> BuildError:
        mark = node.start_mark
        return BuildError([error(message, Location(self.path, mark.line + 1, mark.column + 1),
                                 hint=hint, code="yaml")])

    def build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(f"document too large (more than {MAX_NODES} values)", node)
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", node)
        if id(node) in self.seen:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.fail("too many YAML aliases", node, hint="write the values out")
        self.seen.add(id(node))
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail("YAML merge keys (<<) are not supported", key_node)
                key = self.build(key_node, (*path, "<key>"), depth + 1)
                if not isinstance(key, str | int):
                    raise self.fail("mapping keys must be plain text", key_node)
                if key in result:
                    raise self.fail(f"duplicate key {key!r}", key_node)
                self.positions[(*path, key)] = (key_node.start_mark.line + 1,
                                                key_node.start_mark.column + 1)
                result[key] = self.build(value_node, (*path, key), depth + 1)
            self.positions.pop((*path, "<key>"), None)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.fail(f"bad value: {getattr(exc, 'problem', exc)}", node) from None


def _decode(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise BuildError([error(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                Location(path, line, col), hint="save the file as UTF-8",
                                code="encoding")]) from None
    return text.removeprefix("\ufeff")


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
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or exc.context or "syntax error"
        raise BuildError([error(f"YAML syntax error: {problem}", loc, code="yaml")]) from None
    except yaml.YAMLError as exc:
        raise BuildError([error(f"YAML error: {exc}", Location(path), code="yaml")]) from None
    if node is None:
        return Source(path, None, {(): (1, 1)})
    builder = _Builder(path)
    data = builder.build(node, (), 0)
    return Source(path, data, builder.positions)
