"""Safe YAML reading that remembers where every value came from and refuses hostile input.

The file is read as a stream of parser events (libyaml's parser when PyYAML has it) and built
into plain Python values here, one event at a time, so every limit — nesting depth, number of
values after alias expansion — is enforced while reading: a hostile file is refused as soon as
it crosses a limit, never after it has been built in memory. Only plain YAML is accepted:
mappings with text keys, lists, strings, numbers, booleans, null, and ISO dates (kept as text).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import files, limits
from .diagnostics import ContentError, Diagnostic

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 40  # a real backgrounder nests about 6 deep
MAX_NODES = 20_000  # values and keys after alias expansion; the default content has about 600
MAX_TOTAL_TEXT = 1_000_000  # characters of text in all values, aliases expanded; the default content has 17,000, a 200-page report 600,000
MAX_KEY = 200  # characters in a mapping key; the schema's longest is 15
MAX_NUMBER = limits.NUMBER_CHARS  # no field needs a longer number
MAX_READ_PROBLEMS = 100  # then reading stops: the file is not a content file

# Characters YAML does not allow in a file (C0 and C1 controls other than tab and line breaks,
# DEL, surrogates, U+FFFE/U+FFFF), plus the line separators YAML 1.1 counts as line breaks but
# editors do not (their line numbers would disagree with ours). CR is normalised away first.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_CHAR_NAMES = {"\u2028": "line separator", "\u2029": "paragraph separator", "\x85": "next-line character"}

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based
    index: int  # character offset of the value in the file
    end: int = -1  # character offset just past the value, when known


@dataclass
class Positions:
    """Where each value (and each mapping key) stands in the source text."""

    text: str
    values: dict[Path_, Mark]
    keys: dict[Path_, Mark]
    styles: dict[Path_, str | None]  # scalar style: None plain, "'", '"', "|", ">"
    aliases: dict[Path_, Path_] = field(default_factory=dict)  # an alias's path -> its anchor's path
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def _real(self, path: Path_) -> Path_:
        """`path` with any alias on its way replaced by the anchored value's own path."""
        p = tuple(path)
        for _ in range(MAX_DEPTH + 2):  # an anchor's value may itself hold aliases
            for n in range(len(p), 0, -1):
                if p[:n] in self.values and p[:n] not in self.aliases:
                    return p
                if p[:n] in self.aliases and n < len(p):
                    p = self.aliases[p[:n]] + p[n:]
                    break
            else:
                return p
        return p

    def of(self, path: Path_) -> Mark:
        """The mark of `path`, or of its nearest ancestor that has one."""
        p = self._real(path)
        while p:
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), Mark(1, 1, 0))

    def key_of(self, path: Path_) -> Mark:
        return self.keys.get(self._real(path)) or self.of(path)

    def find_in_value(self, path: Path_, needle: str) -> Mark:
        """The mark of `needle` inside the source text of the scalar at `path` (for errors in inline text)."""
        mark = self.of(path)
        if self._real(path) in self.values:
            end = mark.end if mark.end >= 0 else len(self.text)
            at = self.text.find(needle, mark.index, end)
            if at >= 0:
                return self.mark_at(at)
        return mark

    def mark_at(self, index: int) -> Mark:
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, index)
        return Mark(line, index - self._line_starts[line - 1] + 1, index)


def _mark(m: Any, end: Any = None) -> Mark:
    return Mark(m.line + 1, m.column + 1, m.index, end.index if end is not None else -1)


def _problem(file: Path, mark: Mark, message: str) -> ContentError:
    return ContentError([Diagnostic(file, mark.line, mark.column, "", message)])


def read_yaml(file: Path) -> tuple[Any, Positions]:
    """Read `file` safely; return the data and where each value stands.

    Raises ContentError for unreadable, oversized, malformed or hostile files.
    """
    try:
        raw = files.read_bytes(file, MAX_BYTES, "content files")
    except OSError as exc:
        raise ContentError([Diagnostic(file, 1, 1, "", f"cannot read file: {exc.strerror or exc}")]) from None
    except ValueError as exc:  # a NUL byte in the file name
        raise ContentError([Diagnostic(file, 1, 1, "", f"cannot read file: {exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = raw.startswith(b"\xef\xbb\xbf") * 3
        before = raw[start : exc.start].decode("utf-8", "replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise _problem(file, Mark(line, column, 0), f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_characters(file, text)
    return _Reader(file, text).read()


def _check_characters(file: Path, text: str) -> None:
    """Report every character YAML refuses, at its own line and column."""
    problems: list[Diagnostic] = []
    line, counted = 1, 0  # lines are counted as we go: at most 21 characters are placed
    for match in _BAD_CHAR.finditer(text):
        char, at = match.group(), match.start()
        line += text.count("\n", counted, at)
        counted = at
        mark = Mark(line, at - (text.rfind("\n", 0, at) + 1) + 1, at)
        if len(problems) == 20:
            problems.append(Diagnostic(file, mark.line, mark.column, "", "more characters that are not allowed follow"))
            break
        name = _CHAR_NAMES.get(char) or (
            "control character" if ord(char) < 0xA0 else "lone surrogate" if ord(char) < 0xE000 else "non-character"
        )
        problems.append(Diagnostic(file, mark.line, mark.column, "", f"{name} U+{ord(char):04X} is not allowed"))
    if problems:
        raise ContentError(problems)


class _Stop(Exception):
    """Reading ends here: the file crossed a limit or holds too many problems."""


@dataclass
class _Collection:
    value: dict | list
    path: Path_ | None  # None: the value is discarded (under a refused key), positions are not kept
    start: Any  # the start event
    anchor: str | None
    count_before: int
    chars_before: int
    key: Any = None  # a mapping's pending key: None, or (text or None to discard, mark)


_NO_KEY = None


class _Reader:
    """Builds plain values from parser events, recording marks, duplicates and limits as it goes."""

    def __init__(self, file: Path, text: str):
        self.file = file
        self.text = text
        self.positions = Positions(text, {}, {}, {})
        self.problems: list[Diagnostic] = []
        self.count = 0  # values and keys so far, aliases expanded
        self.chars = 0  # characters of text values so far, aliases expanded
        self.anchors: dict[str, tuple[Any, Path_ | None, int, int]] = {}  # name -> value, path, values, chars
        self.open_anchors: set[str] = set()
        self.stack: list[_Collection] = []
        self.documents = 0
        self.events = 0
        self.root: Any = None

    # ------------------------------------------------------------------ events

    def read(self) -> tuple[Any, Positions]:
        loader_class = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
        loader = loader_class(self.text)
        try:
            while loader.check_event():
                self.events += 1
                self._event(loader.get_event())
        except _Stop:
            pass
        except yaml.MarkedYAMLError as exc:
            self.problems.append(self._syntax_error(exc))
        except yaml.YAMLError as exc:  # the reader's own refusals; _check_characters catches them first
            self.problems.append(Diagnostic(self.file, 1, 1, "", f"YAML error: {' '.join(str(exc).split())}"))
        finally:
            loader.dispose()
        if self.problems:
            raise ContentError(self.problems)
        if not self.positions.values:
            self.positions.values[()] = Mark(1, 1, 0)
        return self.root, self.positions

    def _event(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self._count(event, 1, chars=0 if self._is_key() else len(event.value))
            self._scalar(event)
        elif isinstance(event, yaml.CollectionStartEvent):
            self._count(event, 1)
            self._start(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self._end(event)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._fail(event.start_mark, "a content file holds one YAML document; a second one starts here")

    def _count(self, event: yaml.Event, n: int, alias: bool = False, chars: int = 0) -> None:
        self.count += n
        self.chars += chars
        if self.count > MAX_NODES:
            if alias:
                self._fail(event.start_mark, f"aliases expand to over {MAX_NODES:,} values (alias bomb?)")
            self._fail(event.start_mark, f"over {MAX_NODES:,} values; content files are limited to {MAX_NODES:,}")
        if self.chars > MAX_TOTAL_TEXT:
            if alias:
                self._fail(event.start_mark, f"aliases expand to over {MAX_TOTAL_TEXT:,} characters of text (alias bomb?)")
            self._fail(
                event.start_mark, f"over {MAX_TOTAL_TEXT:,} characters of text; content files are limited to {MAX_TOTAL_TEXT:,}"
            )

    def _fail(self, mark: Any, message: str) -> None:
        m = _mark(mark)
        self.problems.append(Diagnostic(self.file, m.line, m.column, "", message))
        raise _Stop

    def _add(self, mark: Any, path: Path_ | None, message: str) -> None:
        m = _mark(mark)
        self.problems.append(Diagnostic(self.file, m.line, m.column, _dotted(path or ()), message))
        if len(self.problems) >= MAX_READ_PROBLEMS:
            self._fail(mark, "too many problems; reading stopped here")

    # ------------------------------------------------------------------ building

    def _child_path(self) -> Path_ | None:
        """The path of the value that starts now (None: discarded or a mapping key)."""
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if parent.path is None:
            return None
        if isinstance(parent.value, list):
            return parent.path + (len(parent.value),)
        if parent.key is _NO_KEY:
            return None  # a key: not a value of the document
        key = parent.key[0]
        return None if key is None else parent.path + (key,)

    def _is_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _NO_KEY

    def _start(self, event: yaml.CollectionStartEvent) -> None:
        is_mapping = isinstance(event, yaml.MappingStartEvent)
        if len(self.stack) >= MAX_DEPTH:
            self._fail(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
        path = self._child_path()
        if self._is_key():
            self._add(event.start_mark, self.stack[-1].path, "mapping keys must be plain text")
        elif event.tag not in (None, "!", _TAG + ("map" if is_mapping else "seq")):
            self._add(event.start_mark, path, f"tag {_short_tag(event.tag)!r} is not supported")
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        if path is not None:
            self.positions.values[path] = _mark(event.start_mark)
        self.stack.append(_Collection({} if is_mapping else [], path, event, event.anchor, self.count - 1, self.chars))

    def _end(self, event: yaml.CollectionEndEvent) -> None:
        done = self.stack.pop()
        if done.path is not None:
            start = self.positions.values[done.path]
            assert event.end_mark is not None  # the parser marks every event
            self.positions.values[done.path] = Mark(start.line, start.column, start.index, event.end_mark.index)
        if done.anchor is not None:
            self.open_anchors.discard(done.anchor)
            self.anchors[done.anchor] = (done.value, done.path, self.count - done.count_before, self.chars - done.chars_before)
        self._produce(done.value, done.start, done.path)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        path = self._child_path()
        is_key = self._is_key()
        value = self._construct(event, path if not is_key else self.stack[-1].path, is_key)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, path, 1, len(value) if isinstance(value, str) and not is_key else 0)
        if path is not None:
            self.positions.values[path] = _mark(event.start_mark, event.end_mark)
            self.positions.styles[path] = event.style or None  # libyaml says '' for plain
        self._produce(value, event, path)

    def _alias(self, event: yaml.AliasEvent) -> None:
        path = self._child_path()
        if event.anchor in self.open_anchors:
            self._count(event, 1)
            self._add(event.start_mark, path, f"alias '*{event.anchor}' refers to a value that contains it")
            value = None
        elif event.anchor not in self.anchors:
            self._count(event, 1)
            self._add(event.start_mark, path, f"undefined alias '*{event.anchor}'")
            value = None
        else:
            value, anchor_path, size, chars = self.anchors[event.anchor]
            self._count(event, size, alias=True, chars=chars if not self._is_key() else 0)
            if path is not None and anchor_path is not None and anchor_path != path:
                self.positions.aliases[path] = anchor_path
        if path is not None:
            self.positions.values[path] = _mark(event.start_mark, event.end_mark)
        if self._is_key() and not isinstance(value, str):
            self._add(event.start_mark, self.stack[-1].path, "mapping keys must be plain text")
            value = _Refused
        self._produce(value, event, path)

    def _produce(self, value: Any, event: yaml.Event, path: Path_ | None) -> None:
        """Hand a finished value to its parent: the root, a list item, a key, or a key's value."""
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(value)
            return
        if parent.key is _NO_KEY:
            parent.key = (self._key(value, event, parent), event.start_mark)
            return
        key = parent.key[0]
        parent.key = _NO_KEY
        if key is not None:
            parent.value[key] = value

    def _key(self, value: Any, event: yaml.Event, parent: _Collection) -> str | None:
        """The text of a mapping key, or None if it is refused (its value is then skipped)."""
        if value is _Refused or isinstance(event, yaml.CollectionStartEvent):
            return None  # already reported
        if isinstance(value, str):
            key = value
        else:  # a scalar read as a number, a boolean or null (an alias's non-text value is refused)
            assert isinstance(event, yaml.ScalarEvent)
            key = event.value
        if len(key) > MAX_KEY:
            self._add(event.start_mark, parent.path, f"a key of {len(key):,} characters; keys are limited to {MAX_KEY}")
            return None
        if key == "<<" and isinstance(event, yaml.ScalarEvent) and not event.style:
            self._add(event.start_mark, parent.path, "merge keys ('<<') are not supported")
            return None
        if key in parent.value:
            where = parent.path + (key,) if parent.path is not None else None
            self._add(event.start_mark, where, f"duplicate key {_short(key)!r}")
            return None
        if parent.path is not None:
            self.positions.keys[parent.path + (key,)] = _mark(event.start_mark)
        return key

    # ------------------------------------------------------------------ scalars

    def _construct(self, event: yaml.ScalarEvent, path: Path_ | None, is_key: bool) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        value = event.value
        if tag in (_TAG + "merge", _TAG + "value", _TAG + "str", _TAG + "timestamp"):
            return value  # dates stay ISO text; the schema checks them
        if tag not in _SCALAR_TAGS:
            self._add(event.start_mark, path, f"tag {_short_tag(tag)!r} is not supported")
            return _Refused if is_key else None
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            found = yaml.SafeLoader.bool_values.get(value.lower())
            if found is None:
                self._add(event.start_mark, path, f"invalid boolean {_short(value)!r}: write true or false")
                return _Refused if is_key else None
            return found
        kind = "integer" if tag == _TAG + "int" else "number"
        if len(value) > MAX_NUMBER:
            self._add(event.start_mark, path, f"{kind} of {len(value):,} characters is too long")
            return _Refused if is_key else None
        # The stubs want yaml.error.Mark; the C parser's marks (yaml._yaml.Mark) serve as well.
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)  # type: ignore[arg-type]
        try:
            if tag == _TAG + "int":
                return _CONSTRUCTOR.construct_yaml_int(node)
            return _CONSTRUCTOR.construct_yaml_float(node)
        except (ValueError, TypeError, IndexError, KeyError):
            self._add(event.start_mark, path, f"invalid {kind} {_short(value)!r}")
            return _Refused if is_key else None

    # ------------------------------------------------------------------ syntax errors

    def _syntax_error(self, exc: yaml.MarkedYAMLError) -> Diagnostic:
        mark = exc.problem_mark or exc.context_mark
        where = _mark(mark) if mark else Mark(1, 1, 0)
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit (1,000), scanning ahead
            return Diagnostic(self.file, where.line, where.column, "", f"nesting deeper than {MAX_DEPTH} levels")
        exc = self._python_wording(exc) or exc
        mark = exc.problem_mark or exc.context_mark
        where = _mark(mark) if mark else Mark(1, 1, 0)
        message = " ".join((exc.problem or "invalid YAML").split())
        if exc.context and exc.context_mark and exc.problem_mark:
            c = _mark(exc.context_mark)
            message += f" ({exc.context} started at line {c.line}, column {c.column})"
        return Diagnostic(self.file, where.line, where.column, "", f"YAML syntax error: {message}")

    def _python_wording(self, exc: yaml.MarkedYAMLError) -> yaml.MarkedYAMLError | None:
        """PyYAML's own parser words syntax errors better ("expected ',' or ']', but got ':'").

        It is slow, so it re-reads only a small file, or the start of one, up to the error libyaml found.
        """
        mark = exc.problem_mark or exc.context_mark
        if getattr(yaml, "CSafeLoader", None) is None or mark is None:
            return None
        if mark.index > 200_000 or self.events > 20_000:
            return None
        cut = mark.index + 2_000
        try:
            for _ in yaml.parse(self.text[:cut], Loader=yaml.SafeLoader):
                pass
        except yaml.MarkedYAMLError as theirs:
            at = theirs.problem_mark or theirs.context_mark
            if at is not None and (cut >= len(self.text) or at.index < cut - 1_100):
                return theirs
        except (yaml.YAMLError, ValueError, OverflowError):
            pass  # PyYAML's own scanner crashes on an escape past U+10FFFF ("\U00110000"): keep libyaml's words
        return None


class _RefusedType:
    def __repr__(self) -> str:
        return "<refused>"


_Refused: Any = _RefusedType()  # a key that was refused (reported); its value is skipped
_RESOLVER = yaml.SafeLoader("")
_CONSTRUCTOR = _RESOLVER


def _short_tag(tag: str | None) -> str:
    tag = tag or "!"
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)
