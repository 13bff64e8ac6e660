"""Safe YAML reading that remembers where every value came from and refuses hostile input."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import ContentError, Diagnostic

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 40  # a real backgrounder nests about 6 deep
MAX_NODES = 200_000  # after alias expansion; a billion-laughs file blows past this at once

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based
    index: int  # character offset of the value in the file


@dataclass
class Positions:
    """Where each value (and each mapping key) stands in the source text."""

    text: str
    values: dict[Path_, Mark]
    keys: dict[Path_, Mark]
    styles: dict[Path_, str | None]  # scalar style: None plain, "'", '"', "|", ">"

    def of(self, path: Path_) -> Mark:
        """The mark of `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), Mark(1, 1, 0))

    def key_of(self, path: Path_) -> Mark:
        return self.keys.get(tuple(path)) or self.of(path)

    def find_in_value(self, path: Path_, needle: str) -> Mark:
        """The mark of `needle` inside the source text of the scalar at `path` (for errors in inline text)."""
        mark = self.of(path)
        if tuple(path) in self.values:
            at = self.text.find(needle, mark.index)
            if at >= 0:
                line = self.text.count("\n", 0, at) + 1
                column = at - (self.text.rfind("\n", 0, at) + 1) + 1
                return Mark(line, column, at)
        return mark


def _mark(m: yaml.Mark) -> Mark:
    return Mark(m.line + 1, m.column + 1, m.index)


def _problem(file: Path, mark: Mark, message: str) -> ContentError:
    return ContentError([Diagnostic(file, mark.line, mark.column, "", message)])


def read_yaml(file: Path) -> tuple[Any, Positions]:
    """Read `file` with PyYAML's safe loader; return the data and where each value stands.

    Raises ContentError for unreadable, oversized, malformed or hostile files.
    """
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ContentError([Diagnostic(file, 1, 1, "", f"cannot read file: {exc.strerror}")]) from None
    if size > MAX_BYTES:
        raise _problem(file, Mark(1, 1, 0), f"file is {size / 1e6:.1f} MB; content files are limited to 10 MB")
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = file.read_bytes()[: exc.start].count(b"\n") + 1
        raise _problem(file, Mark(line, 1, 0), "file is not valid UTF-8") from None

    try:
        _check_depth(text, file)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _mark(mark) if mark else Mark(1, 1, 0)
        message = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark:
            c = _mark(exc.context_mark)
            message += f" ({exc.context} started at line {c.line}, column {c.column})"
        raise _problem(file, where, f"YAML syntax error: {message}") from None
    except yaml.YAMLError as exc:
        raise _problem(file, Mark(1, 1, 0), f"YAML error: {exc}") from None
    if node is None:
        return None, Positions(text, {(): Mark(1, 1, 0)}, {}, {})
    if _expanded_size(node, {}) > MAX_NODES:
        raise _problem(file, _mark(node.start_mark), f"document expands to over {MAX_NODES} values (alias bomb?)")
    return _Builder(file, text).build(node)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values the node tree holds once aliases are expanded, without expanding them."""
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(item, memo) for item in node.value)
    else:
        size = 1
    memo[id(node)] = size
    return size


def _check_depth(text: str, file: Path) -> None:
    """Refuse nesting deeper than any real document before PyYAML's recursive composer sees it."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _problem(file, _mark(event.start_mark), f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


class _Builder:
    """Turns a composed node tree into plain Python values, recording marks, duplicates and size."""

    def __init__(self, file: Path, text: str):
        self.file = file
        self.positions = Positions(text, {}, {}, {})
        self.constructor = yaml.SafeLoader("")
        self.problems: list[Diagnostic] = []

    def build(self, node: yaml.Node) -> tuple[Any, Positions]:
        data = self._value(node, ())
        if self.problems:
            raise ContentError(self.problems)
        return data, self.positions

    def _value(self, node: yaml.Node, path: Path_) -> Any:
        self.positions.values[path] = _mark(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._add(key_node, path, "mapping keys must be plain text")
                    continue
                key = self.constructor.construct_object(key_node)
                if key == "<<":
                    self._add(key_node, path, "merge keys ('<<') are not supported")
                    continue
                key = str(key)
                if key in out:
                    self._add(key_node, path + (key,), f"duplicate key {key!r}")
                    continue
                self.positions.keys[path + (key,)] = _mark(key_node.start_mark)
                out[key] = self._value(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._value(item, path + (i,)) for i, item in enumerate(node.value)]
        self.positions.styles[path] = node.style
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay ISO text; the schema checks them
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self._add(node, path, str(exc.problem))
            return None

    def _add(self, node: yaml.Node, path: Path_, message: str) -> None:
        mark = _mark(node.start_mark)
        self.problems.append(Diagnostic(self.file, mark.line, mark.column, _dotted(path), message))


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)
