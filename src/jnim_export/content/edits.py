"""Text edits written back into the content file in place: only the changed characters.

A reader sees a text field's *plain text* (its inline Markdown rendered, note references left
out); an edit names a span of that text and what replaces it. `Source.field(path)` gives a field's
plain text, `Source.mark(path, offset)` where a character of it stands in the file, and
`Source.apply(edits)` rewrites the file: each span is traced back through the Markdown (an edit
that would cut into emphasis, a link or a note reference is refused) and through the YAML scalar's
style (plain, quoted, folded or literal: line folds, escapes and quotes kept), the new text
written in that style, and the result read back and checked — the edited fields say exactly the
new text, every other value is unchanged — before the file is replaced. Comments, key order and
formatting are untouched; any refusal refuses all (nothing is applied half-way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import files
from ..atomic import write_bytes
from ..model import Emph, Link, Strong, Text
from .diagnostics import ContentError, Diagnostic
from .inline import RefMarker, parse_inline
from .yamlsource import MAX_BYTES, Mark, Path_, Positions, _Reader, read_yaml

__all__ = ["Edit", "Field", "Source", "append_sources", "sources_text"]

_REF = re.compile(r"\[\^[^\s\[\]^]+\]")
_LINK_TAIL = re.compile(r"\]\([^)\s]*\)")
_ESCAPE_LEN = {"x": 4, "u": 6, "U": 10}


@dataclass(frozen=True)
class Edit:
    path: Path_  # the field's path in the content data
    start: int  # span of its plain text replaced
    end: int
    new: str
    where: str = ""  # for messages


@dataclass(frozen=True)
class Field:
    """A text field as a reader sees it, and where each of its characters is in the raw value."""

    path: Path_
    value: str  # the YAML value (inline Markdown)
    plain: str
    at: tuple[int, ...]  # value index of each plain character, then one past the last


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _flat(nodes) -> list:
    out: list = []
    for node in nodes:
        if isinstance(node, (Emph, Strong, Link)):
            out.extend(_flat(node.children))
        else:
            out.append(node)
    return out


def plain_field(path: Path_, value: str) -> Field:
    """The plain text of inline Markdown `value` and where each character came from."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", value)]
    norm_at: list[int] = []  # index in `value` of each character of the whitespace-collapsed text
    for k, (a, b) in enumerate(words):
        if k:
            norm_at.append(words[k - 1][1])
        norm_at.extend(range(a, b))
    norm = " ".join(value[a:b] for a, b in words)
    plain: list[str] = []
    at: list[int] = []
    cur = 0
    for node in _flat(parse_inline(value).inlines):
        if isinstance(node, RefMarker):
            found = norm.find(f"[^{node.id}]", cur)
            cur = found + len(node.id) + 3 if found >= 0 else cur
            continue
        if not isinstance(node, Text):
            continue
        text = node.text
        while not norm.startswith(text, cur):
            skip = _REF.match(norm, cur) or _LINK_TAIL.match(norm, cur)
            if skip:
                cur = skip.end()
            elif cur < len(norm) and norm[cur] in "*_[]":
                cur += 1
            else:
                cur = norm.find(text, cur)
                if cur < 0:
                    raise ValueError(f"{_dotted(path)}: cannot trace {text!r} in the text")
                break
        plain.append(text)
        at.extend(norm_at[cur : cur + len(text)])
        cur += len(text)
    end = (at[-1] + 1) if at else 0
    return Field(path, value, "".join(plain), tuple(at) + (end,))


def _file_map(text: str, mark: Mark, style: str | None, value: str) -> list[int] | None:
    """The file index of each character of a scalar's `value`, then one past its last; None if
    the source cannot be traced (then nothing of it is edited)."""
    j = mark.index
    end = mark.end if mark.end >= 0 else len(text)
    if style in (">", "|"):
        j = text.index("\n", j) + 1 if "\n" in text[j:end] else end
    elif style in ("'", '"'):
        j += 1
    out: list[int] = []
    i = 0
    while i < len(value):
        if j >= end:
            return None
        c, f = value[i], text[j]
        if style == '"' and f == "\\":
            nxt = text[j + 1] if j + 1 < end else ""
            if nxt == "\n":  # an escaped line break: nothing in the value
                j += 2
                while j < end and text[j] in " \t":
                    j += 1
                continue
            out.append(j)
            j += _ESCAPE_LEN.get(nxt, 2)
            i += 1
        elif style == "'" and f == "'" and text.startswith("''", j):
            out.append(j)
            j += 2
            i += 1
        elif c == f and not (c.isspace() and f == "\n" and style not in ("|",)):
            out.append(j)
            j += 1
            i += 1
        elif c.isspace() and f.isspace():  # a line fold: the value's space is the file's line break and indent
            out.append(j)
            while j < end and text[j] in " \t\n":
                j += 1
            i += 1
            while i < len(value) and value[i] == "\n":  # blank lines kept as line breaks
                out.append(j)
                i += 1
        elif f in " \t\n":  # indentation
            j += 1
        else:
            return None
    return out + [j]


def _encode(new: str, style: str | None) -> str:
    if style == '"':
        return new.replace("\\", "\\\\").replace('"', '\\"')
    if style == "'":
        return new.replace("'", "''")
    return new


class Source:
    """The content file as text, with the positions of its values."""

    def __init__(self, file: Path):
        self.file = Path(file)
        self.data, self.positions = read_yaml(self.file)
        try:
            raw = files.read_bytes(self.file, MAX_BYTES, "content files")
        except OSError:
            raw = b""
        # written back as it was: with its byte-order mark and Windows line ends, if it had them
        self.bom = raw.startswith(b"\xef\xbb\xbf")
        self.crlf = b"\r\n" in raw

    def value(self, path: Path_) -> Any:
        node = self.data
        for key in path:
            node = node[key]
        return node

    def field(self, path: Path_) -> Field | None:
        """The text field at `path`, or None when there is no text there."""
        try:
            value = self.value(path)
        except (KeyError, IndexError, TypeError):
            return None
        if not isinstance(value, str):
            return None
        try:
            return plain_field(path, value)
        except ValueError:
            return None

    def mark(self, path: Path_, offset: int) -> Mark:
        """Where plain character `offset` of the field at `path` stands in the file."""
        field = self.field(path)
        pos: Positions = self.positions
        mark = pos.of(path)
        if field is None:
            return mark
        fmap = _file_map(pos.text, mark, pos.styles.get(path), field.value)
        if fmap is None:
            return mark
        return pos.mark_at(fmap[field.at[min(offset, len(field.plain))]])

    def _problem(self, path: Path_, offset: int, message: str) -> Diagnostic:
        mark = self.mark(path, offset)
        return Diagnostic(self.file, mark.line, mark.column, _dotted(path), message)

    def plan(self, edits: list[Edit]) -> tuple[str, list[Diagnostic]]:
        """The file's new text with every edit made, and the refusals (the text is only good without)."""
        text, pos = self.positions.text, self.positions
        spans: list[tuple[int, int, str]] = []
        problems: list[Diagnostic] = []
        for e in edits:
            field = self.field(e.path)
            fmap = _file_map(text, pos.of(e.path), pos.styles.get(e.path), field.value) if field else None
            if field is None or fmap is None or e.end > len(field.plain) or e.start > e.end:
                problems.append(self._problem(e.path, 0, f"{e.where}: this text cannot be edited in place"))
                continue
            vs = field.at[e.start] if e.start < len(field.plain) else field.at[-1]
            ve = field.at[e.end - 1] + 1 if e.end > e.start else vs
            traced = set(field.at[e.start : e.end])
            if any(k not in traced and not field.value[k].isspace() for k in range(vs, ve)):
                problems.append(self._problem(e.path, e.start, f"{e.where}: the change spans emphasis, a link or a "
                                                               "note reference; make it in content.yaml by hand"))
                continue
            spans.append((fmap[vs], fmap[ve], _encode(e.new, pos.styles.get(e.path))))
        spans.sort()
        for (a0, b0, _), (a1, _b1, _) in zip(spans, spans[1:]):
            if a1 < b0:
                at = pos.mark_at(a1)
                problems.append(Diagnostic(self.file, at.line, at.column, "", "two changes overlap"))
        for a, b, new in reversed(spans):
            text = text[:a] + new + text[b:]
        return text, problems

    def apply(self, edits: list[Edit]) -> None:
        """Make every edit in the file, or none (ContentError naming each refusal)."""
        text, problems = self.plan(edits)
        if not problems:
            problems = self._check(text, edits)
        if problems:
            raise ContentError(problems)
        if self.crlf:
            text = text.replace("\n", "\r\n")
        write_bytes(self.file, ("\ufeff" if self.bom else "").encode("utf-8") + text.encode("utf-8"))
        self.data, self.positions = read_yaml(self.file)

    def _check(self, text: str, edits: list[Edit]) -> list[Diagnostic]:
        """The new text read back: the edited fields say what the edits make, nothing else changed."""
        try:
            data, _ = _Reader(self.file, text).read()
        except ContentError as exc:
            return [self._problem(edits[0].path, edits[0].start,
                                  f"the edited file would not read as YAML ({exc.diagnostics[0].message}); "
                                  "nothing was applied")]
        problems: list[Diagnostic] = []
        expected = self.data
        for path in dict.fromkeys(e.path for e in edits):
            field = self.field(path)
            want = field.plain if field else ""
            for e in sorted((e for e in edits if e.path == path), key=lambda e: -e.start):
                want = want[: e.start] + e.new + want[e.end :]
            node = data
            try:
                for key in path:
                    node = node[key]
                got = plain_field(path, node).plain if isinstance(node, str) else None
            except (KeyError, IndexError, TypeError, ValueError):
                got = None
            if got != want:
                where = next(x.where for x in edits if x.path == path)
                problems.append(self._problem(path, 0, f"{where}: written in place the text would read {got!r}, "
                                                       f"not {want!r} (Markdown or YAML syntax in the new text?); "
                                                       "nothing was applied"))
            expected = _replaced(expected, path, node)
        if not problems and expected != data:
            problems.append(Diagnostic(self.file, 1, 1, "", "the edit would change other values; nothing was applied"))
        return problems


def _replaced(data: Any, path: Path_, value: Any) -> Any:
    """A copy of `data` with `value` at `path`."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy: Any
    if isinstance(data, list):
        copy = list(data)
    else:
        copy = dict(data)
    copy[head] = _replaced(data[head], rest, value)
    return copy


# ------------------------------------------------------------------ sources appended


class _ListsIndented(yaml.SafeDumper):
    """Lists inside a mapping indented under their key, as the content files write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def sources_text(items: list[dict[str, Any]]) -> str:
    """`items` as a content file's `sources:` key, to print or paste."""
    return "sources:\n" + sources_yaml(items)


def sources_yaml(items: list[dict[str, Any]], indent: int = 2) -> str:
    """`items` as `sources:` list items, indented by `indent`: one block per item, names in flow style."""
    blocks = []
    for item in items:
        dumped = yaml.dump([item], Dumper=_ListsIndented, allow_unicode=True, sort_keys=False, default_flow_style=None,
                           width=10**6)
        blocks.append("".join(" " * indent + line for line in dumped.splitlines(keepends=True)))
    return "\n".join(blocks)


def append_sources(file: Path, items: list[dict[str, Any]]) -> None:
    """Append `items` to the content file's `sources:` (made if absent), all or nothing.

    An id the file already defines (a source or a note) is refused at its line; so is a `sources:`
    written in flow style with items in it. The new text is read back and must hold exactly the old
    values plus the items before it replaces the file.
    """
    src = Source(file)
    data, pos, text = src.data, src.positions, src.positions.text
    if not isinstance(data, dict):
        raise ContentError([Diagnostic(src.file, 1, 1, "", "the content file is not a mapping; nothing was imported")])
    new = {str(item["id"]) for item in items}
    problems = [
        Diagnostic(src.file, (m := pos.of((key, i, "id"))).line, m.column, f"{key}.{i}.id",
                   f"id {x['id']!r} is already defined here; nothing was imported")
        for key in ("sources", "notes") if isinstance(data.get(key), list)
        for i, x in enumerate(data[key]) if isinstance(x, dict) and x.get("id") in new
    ]
    if problems:
        raise ContentError(problems)
    existing = data.get("sources")
    if existing:
        mark = pos.of(("sources",))
        if not isinstance(existing, list) or text[mark.index] == "[":
            raise ContentError([Diagnostic(src.file, mark.line, mark.column, "sources", "sources is not a block "
                                           "list ('- id: …' lines); nothing was imported")])
        first = pos.of(("sources", 0)).index
        indent = first - (text.rfind("\n", 0, first) + 1) - 2  # the column of its "- "
        # the item's last scalar or flow collection (a block mapping's end mark lies past the blank lines after it)
        last = max(m.end for p, m in pos.values.items() if p[:2] == ("sources", len(existing) - 1) and len(p) > 2
                   and (p in pos.styles or text[m.index] in "[{"))
        at = text.find("\n", max(last - 1, 0)) + 1 or len(text)
        before = text[:at] + ("" if text[:at].endswith("\n") else "\n")
        new_text = before + "\n" + sources_yaml(items, indent) + text[at:]
    elif "sources" in data:  # `sources:` or `sources: []`, a comment after it kept
        mark, key = pos.of(("sources",)), pos.key_of(("sources",))
        flow = text[mark.index:mark.index + 1] == "["
        eol = text.find("\n", mark.end if flow else key.index)
        eol = len(text) if eol < 0 else eol
        head = text[:mark.index].rstrip(" ") + text[mark.end:eol].rstrip(" ") if flow else text[:eol]
        new_text = head + "\n" + sources_yaml(items) + text[eol + 1:]
    else:
        new_text = text + ("" if text.endswith("\n") or not text else "\n") + "\nsources:\n" + sources_yaml(items)
    try:
        got, _ = _Reader(src.file, new_text).read()
    except ContentError as exc:
        got = exc
    if not isinstance(got, dict) or got != {**data, "sources": [*(existing or []), *items]}:
        raise ContentError([Diagnostic(src.file, 1, 1, "", "the sources could not be written into this file as "
                                                           "they read; nothing was imported")])
    if src.crlf:
        new_text = new_text.replace("\n", "\r\n")
    write_bytes(src.file, ("\ufeff" if src.bom else "").encode("utf-8") + new_text.encode("utf-8"))
