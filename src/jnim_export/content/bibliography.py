"""Sources from a reference manager: a CSL-JSON (Zotero, Better BibTeX) or BibTeX file read into
the content's source fields, so that its entries are cited with `[^id]` like `sources:`.

`read` maps every entry and checks it as a `sources:` item is checked (`SourceSpec`); each problem
names the file and the entry (the JSON line of the entry or its field, the BibTeX entry's line),
all of them at once. `attach` adds a content file's `bibliography:` to what its notes may cite;
an id both there and in `sources:` or `notes:` (or twice in the file) is an error naming both
places. The mapping itself (names, dates, types) is in `bibmap.py`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import files, fonts
from . import assets, bibmap, spec
from .checks import shown
from .diagnostics import Diagnostic
from .inline import link_is_allowed
from .schema import SourceSpec
from .state import State
from .yamlsource import Mark, Path_, Positions

# A backgrounder cites tens of sources; a collection of 1,000 references with abstracts is about
# 1 MB. The limits keep a hostile file to about 2 s (BibTeX's parser is pure Python, and a broken
# entry costs it more than a good one: every '@' may start one).
MAX_BYTES = 2**20
MAX_ENTRIES = 2_000
MAX_AT_SIGNS = 10_000
SUFFIXES = {".json": "CSL-JSON", ".bib": "BibTeX"}


@dataclass(frozen=True)
class Entry:
    """One entry: its id, its source fields (the names `sources:` uses) and where it stands."""

    id: str
    fields: dict[str, Any]
    line: int
    column: int = 1

    def item(self) -> dict[str, Any]:
        """The entry as a `sources:` item."""
        return {"id": self.id, **self.fields}


@dataclass(frozen=True)
class Bibliography:
    file: Path  # as messages name it
    entries: tuple[Entry, ...]  # the entries without problems, in file order
    specs: tuple[SourceSpec, ...]  # the same, as `sources:` items
    broken: frozenset[str]  # ids of entries with problems
    problems: tuple[Diagnostic, ...]


class _Located:
    """Where the entries and their fields stand in the file's text."""

    def __init__(self, file: Path, text: str):
        self.file = file
        self.positions = Positions(text, {}, {}, {})

    def at(self, index: int) -> Mark:
        return self.positions.mark_at(index)

    def problem(self, mark: Mark, where: str, message: str) -> Diagnostic:
        return Diagnostic(self.file, mark.line, mark.column, where, message)


def attach(st: State) -> None:
    """The content's `bibliography:` read and its entries made sources the notes may cite."""
    name = st.spec.bibliography
    if name is None:
        return
    file = assets.asset(st, name, ("bibliography",))
    if file is None:
        return
    bib = read(file, st.file.parent / name)
    st.problems.extend(bib.problems)
    st.broken_ids.update(bib.broken)
    defined: dict[str, Path_] = {}
    for i, s in enumerate(st.spec.sources):
        defined.setdefault(s.id, ("sources", i, "id"))
    for i, n in enumerate(st.spec.notes):
        defined.setdefault(n.id, ("notes", i, "id"))
    for entry, model in zip(bib.entries, bib.specs):
        if entry.id in defined:
            st.error(defined[entry.id], f"id {entry.id!r} is defined here and in the bibliography, at "
                                        f"{bib.file}:{entry.line}:{entry.column} (entry {entry.id!r}); keep one")
            continue
        source = spec.from_model(model)  # as the resolver reads every source
        st.bibliography.append(source)
        st.sources[entry.id] = source


def read(file: Path, shown_as: Path | None = None) -> Bibliography:
    """Every entry of a CSL-JSON (.json) or BibTeX (.bib) file, mapped and checked.

    `shown_as` is how messages name the file (the content's path to it); problems are returned,
    never raised.
    """
    name = shown_as or file
    kind = SUFFIXES.get(file.suffix.lower())
    if kind is None:
        suffix = repr(file.suffix) if file.suffix else "a file without a suffix"
        return _failed(name, f"a bibliography is CSL-JSON ('.json') or BibTeX ('.bib'), not {suffix}")
    try:
        raw = files.read_bytes(file, MAX_BYTES, "bibliographies")
    except OSError as exc:
        return _failed(name, f"cannot read the bibliography: {exc.strerror or exc}")
    except ValueError as exc:  # a NUL byte in the name
        return _failed(name, f"cannot read the bibliography: {exc}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[3 * raw.startswith(b"\xef\xbb\xbf"): exc.start].decode("utf-8", "replace")
        line = before.count("\n") + 1
        return _failed(name, f"the bibliography is not UTF-8 text (byte 0x{raw[exc.start]:02x}); export it as UTF-8",
                       line, len(before) - before.rfind("\n"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    located = _Located(name, text)
    if kind == "CSL-JSON":
        mapped, problems = _csl(located, text)
    else:
        mapped, problems = _bibtex(located, text)
    return _checked(located, mapped, problems)


def _failed(file: Path, message: str, line: int = 1, column: int = 1) -> Bibliography:
    return Bibliography(file, (), (), frozenset(), (Diagnostic(file, line, column, "", message),))


# ------------------------------------------------------------------ CSL-JSON


@dataclass
class _Mapped:
    entry: Entry
    where: dict[str, Mark]  # the file's field name -> where it stands
    names: dict[str, str]  # source field -> the file's field name it came from
    problems: list[tuple[str, str]]  # (the file's field name or "", message)


def _csl(located: _Located, text: str) -> tuple[list[_Mapped], list[Diagnostic]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Diagnostic(located.file, exc.lineno, exc.colno, "", f"not valid JSON: {exc.msg}")]
    except (ValueError, RecursionError) as exc:  # a number of 5,000 digits; arrays nested 10,000 deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else shown(str(exc), 120)
        return [], [Diagnostic(located.file, 1, 1, "", f"not usable JSON: {reason}")]
    if not isinstance(data, list):
        return [], [Diagnostic(located.file, 1, 1, "", "CSL-JSON is a list of items ([{...}, ...]), as Zotero and "
                                                       "Better BibTeX export it")]
    if len(data) > MAX_ENTRIES:
        return [], [Diagnostic(located.file, 1, 1, "", f"{len(data):,} entries; a bibliography is limited to "
                                                       f"{MAX_ENTRIES:,}")]
    out: list[_Mapped] = []
    problems: list[Diagnostic] = []
    for item, (start, end) in zip(data, _spans(text)):
        mark = located.at(start)
        if not isinstance(item, dict):
            problems.append(located.problem(mark, "", f"an item is an object ({{...}}), not {type(item).__name__}"))
            continue
        ident = item.get("citation-key") or item.get("id")
        if not isinstance(ident, (str, int)) or isinstance(ident, bool) or ident == "":
            problems.append(located.problem(mark, "", "an item without an id ('id' or 'citation-key')"))
            continue
        fields, names, found = bibmap.csl_fields(item)
        where = {key: located.at(i) for key in item if (i := text.find(json.dumps(key), start, end)) >= 0}
        out.append(_Mapped(Entry(str(ident), fields, mark.line, mark.column), where, names, found))
    return out, problems


def _spans(text: str) -> list[tuple[int, int]]:
    """Where each item of a JSON array starts and ends (the text already parsed as such)."""
    decoder = json.JSONDecoder()
    spans: list[tuple[int, int]] = []
    i = _skip(text, 0) + 1  # past the '['
    while True:
        i = _skip(text, i)
        if text[i] == "]":
            return spans
        _, end = decoder.raw_decode(text, i)
        spans.append((i, end))
        i = _skip(text, end)
        if text[i] == ",":
            i += 1


def _skip(text: str, i: int) -> int:
    while text[i] in " \t\n":
        i += 1
    return i


# ------------------------------------------------------------------ BibTeX


def _bibtex(located: _Located, text: str) -> tuple[list[_Mapped], list[Diagnostic]]:
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock

    if text.count("@") > MAX_AT_SIGNS:
        return [], [Diagnostic(located.file, 1, 1, "", f"{text.count('@'):,} '@' signs, each of which may start an "
                                                       f"entry; a bibliography is limited to {MAX_AT_SIGNS:,}")]
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its problems are reported here, as ours
    library = bibtexparser.parse_string(text)
    lines = text.split("\n")
    problems: list[Diagnostic] = []
    out: list[_Mapped] = []
    for block in library.failed_blocks:
        mark = Mark(_line(block.start_line), 1, 0)
        if isinstance(block, DuplicateBlockKeyBlock):
            first = _line(block.previous_block.start_line)
            problems.append(located.problem(mark, block.key, f"entry {block.key!r} is defined twice: here and on "
                                                             f"line {first}"))
        else:
            error = getattr(block, "error", None)
            reason = getattr(error, "abort_reason", None) or str(error or "") or "its syntax is broken"
            reason = shown(" ".join(reason.split()), 160)
            problems.append(located.problem(mark, "", f"this entry cannot be read: {reason}"))
    if len(library.entries) > MAX_ENTRIES:
        problems.append(located.problem(Mark(1, 1, 0), "", f"{len(library.entries):,} entries; a bibliography is "
                                                           f"limited to {MAX_ENTRIES:,}"))
        return [], problems
    for e in library.entries:
        raw = {f.key.lower(): f.value for f in e.fields}
        where = {}
        for f in e.fields:
            line = _line(f.start_line)
            column = lines[line - 1].find(f.key) + 1 if line <= len(lines) else 0
            where[f.key.lower()] = Mark(line, max(column, 1), 0)
        fields, names, found = bibmap.bibtex_fields(e.entry_type.lower(), raw)
        out.append(_Mapped(Entry(e.key, fields, _line(e.start_line)), where, names, found))
    return out, problems


def _line(start_line: int | None) -> int:
    """bibtexparser's line (counted from 0; None if unknown) as an editor's."""
    return (start_line or 0) + 1


# ------------------------------------------------------------------ checks


def _checked(located: _Located, mapped: list[_Mapped], problems: list[Diagnostic]) -> Bibliography:
    """Each entry checked as a `sources:` item; an id defined twice named at both places."""
    entries, specs, broken = [], [], set()
    first: dict[str, Entry] = {}
    for m in mapped:
        e = m.entry
        found = list(m.problems)
        if e.id in first:
            found.append(("", f"entry {e.id!r} is defined twice: here and on line {first[e.id].line}"))
        first.setdefault(e.id, e)
        spec = None
        try:
            spec = SourceSpec.model_validate(e.item())
        except ValidationError as exc:
            for err in exc.errors():
                key = next((str(p) for p in err["loc"] if isinstance(p, str)), "")
                message = err["msg"].removeprefix("Value error, ")
                if key == "id":
                    key, message = "", (f"id {shown(e.id, 40)!r} cannot be cited as [^id]: an id is letters, digits, "
                                        "'_', '.' and '-', at most 80 characters (give the entry such a citation key)")
                found.append((m.names.get(key, key), message))
        if spec is not None:
            found += _meaning(m, spec)
        if found:
            broken.add(e.id)
            for name, message in found:
                mark = m.where.get(name, Mark(e.line, e.column, 0))
                where = f"{shown(e.id, 40)}.{name}" if name else shown(e.id, 40)
                problems.append(located.problem(mark, where, message))
        elif spec is not None:
            entries.append(e)
            specs.append(spec)
    return Bibliography(located.file, tuple(entries), tuple(specs), frozenset(broken), tuple(problems))


def _meaning(m: _Mapped, spec: SourceSpec) -> list[tuple[str, str]]:
    """What the schema cannot see: an id `[^id]` can cite, a usable link, something to print."""
    out = []
    if not (spec.authors or spec.title):
        out.append(("", f"entry {spec.id!r} has neither an author nor a title"))
    if spec.url is not None and not link_is_allowed(spec.url):
        out.append((m.names.get("url", "url"), f"link {shown(spec.url)!r} is not allowed: use http, https or mailto"))
    for key, value in m.entry.fields.items():
        for text in _texts(value):
            ch = fonts.missing_character(text)
            if ch is not None:
                out.append((m.names.get(key, key), f"U+{ord(ch):04X} is not in the bundled fonts; replace it "
                                                   "or remove it"))
                break
    return out


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    return []
