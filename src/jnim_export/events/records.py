"""The data records of an ACLED export, one string each with the line it starts on, and only
those that may name a wanted actor.

A record spans several lines when a quoted field holds line breaks; blank lines are not
records. A reader may start part-way through a file (`lineno`: the line before its first).
`Lines` reads text; `ByteLines` reads a binary file's lines and decodes only those that may name
an actor (the same records); `fields` splits a record as the CSV parser would where `str.split`
gives the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

class Lines:
    """Records from lines of text. Iterating yields only the records whose lower-cased text
    contains one of `needles` (cheap rejection before any CSV parsing), or every record when
    `needles` is empty; `rows_read` counts them all. `feed` may be called again with the
    lines that follow (a record left open goes on into them); `finish` ends the file."""

    def __init__(self, f: Iterable[str] | None, needles: tuple[str, ...], lineno: int = 1):
        self._f = f
        self._needles = needles
        self.rows_read = 0
        self.unterminated: int | None = None  # line of a quoted field left open at the end
        self.lineno = lineno  # the last line read: at first the header's
        self.not_records = 0  # blank lines and the continuation lines of multi-line records
        self.pending: list = []  # lines of a record not yet ended: text, or bytes when fed bytes
        self._first = lineno
        self._quotes = 0
        self._start = 0

    def __iter__(self) -> Iterator[tuple[int, str]]:
        assert self._f is not None
        yield from self.feed(self._f)
        self.finish()

    def finish(self) -> None:
        if self.pending:
            self.not_records += len(self.pending) - 1
            self.unterminated = self._start
        self.rows_read = self.lineno - self._first - self.not_records

    def feed(self, lines: Iterable[str]) -> Iterator[tuple[int, str]]:
        needles = self._needles
        every = not needles
        single = needles[0] if len(needles) == 1 else None
        lineno, not_records, pending = self.lineno, 0, self.pending
        try:
            for line in lines:
                lineno += 1
                if pending:
                    pending.append(line)
                    self._quotes += line.count('"')
                    if self._quotes & 1:
                        continue
                    record = "".join(pending)
                    not_records += len(pending) - 1
                    pending.clear()
                    if every:
                        yield self._start, record
                        continue
                    low = record.lower()
                    if any(n in low for n in needles):
                        yield self._start, record
                elif line.count('"') & 1:  # a quoted field goes on past this line
                    pending.append(line)
                    self._quotes = 1
                    self._start = lineno
                elif every:
                    if len(line) <= 2 and not line.strip():
                        not_records += 1
                    else:
                        yield lineno, line
                elif single is not None and single in line.lower():
                    yield lineno, line
                elif single is None and any(n in line.lower() for n in needles):
                    yield lineno, line
                elif len(line) <= 2 and not line.strip():
                    not_records += 1
        finally:
            self.lineno, self.not_records = lineno, self.not_records + not_records




class NotLines(Exception):
    """A carriage return inside a line: the text reader would break the line there, this one not."""


class ByteLines(Lines):
    """`Lines` from the lines of a binary file, decoded as `encoding`: the same records, line
    numbers and counts, but a line is searched as lower-cased bytes and decoded only if it may
    name an actor (or is short or quoted on). For ASCII names that is exact: ASCII bytes are ASCII
    characters in UTF-8 and Latin-1, and the only characters beyond ASCII that lower-case to ASCII
    are KELVIN SIGN (to k) and I WITH DOT ABOVE (to i and a combining dot), so a line beyond ASCII
    is decoded and searched as text when a name holds a k or ends with i. Lines never decoded are
    not checked: the caller checks the encoding (`scan.hash_and_check`). A carriage return inside a
    line (where the text reader breaks it) raises `NotLines`."""

    def __init__(self, f: Iterable[bytes], needles: tuple[str, ...], encoding: str, lineno: int = 1):
        super().__init__(None, needles, lineno)
        self._bytes_f = f
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # a byte-order mark only starts a file

    def __iter__(self) -> Iterator[tuple[int, str]]:
        yield from self.feed_bytes(self._bytes_f)
        self.finish()

    def feed_bytes(self, lines: Iterable[bytes]) -> Iterator[tuple[int, str]]:
        needles, encoding = self._needles, self.encoding
        if not needles or not all(n.isascii() for n in needles):  # every line decoded
            yield from self.feed(line.decode(encoding) for line in lines if one_line(line))
            return
        as_bytes = tuple(n.encode() for n in needles)
        single = as_bytes[0] if len(as_bytes) == 1 else None
        beyond = any("k" in n or n.endswith("i") for n in needles)  # a line beyond ASCII may match as text
        lineno, not_records, pending, line = self.lineno, 0, self.pending, b""
        try:
            for line in lines:
                lineno += 1
                if line.find(b"\r", 0, -2) >= 0:
                    raise NotLines(f"line {lineno}: a carriage return inside the line")
                if pending:
                    pending.append(line)
                    self._quotes += line.count(b'"')
                    if self._quotes & 1:
                        continue
                    record = b"".join(pending).decode(encoding)
                    not_records += len(pending) - 1
                    pending.clear()
                    low = record.lower()
                    if any(n in low for n in needles):
                        yield self._start, record
                elif line.count(b'"') & 1:  # a quoted field goes on past this line
                    pending.append(line)
                    self._quotes = 1
                    self._start = lineno
                elif single is not None and single in line.lower():
                    yield lineno, line.decode(encoding)
                elif single is None and any(n in line.lower() for n in as_bytes):
                    yield lineno, line.decode(encoding)
                elif beyond and not line.isascii() and any(n in line.decode(encoding).lower() for n in needles):
                    yield lineno, line.decode(encoding)
                elif len(line) <= 2 and not line.decode(encoding).strip():
                    not_records += 1
            one_line(line)  # the last, which may have no line end
        finally:
            self.lineno, self.not_records = lineno, self.not_records + not_records


def one_line(line: bytes) -> bool:
    """Is `line` one line as the text reader breaks lines (no carriage return but in its line end)?
    Else `NotLines`."""
    if 0 <= line.find(b"\r") < len(line) - 1 - line.endswith(b"\n"):
        raise NotLines()
    return True


def fields(count: int, read: Iterable[int], free: int | None) -> Callable[[str], list[str] | None]:
    """A function giving a record's fields as `csv.reader` gives them (Excel's dialect) where the
    import reads them, and as many, found with `str.split` where that is exact; else None (the
    caller parses the record with `csv`).

    A record without quotes splits at every comma. One whose only quoted field lies in the run of
    columns not read that holds `free` (ACLED's notes; else the longest run) splits at its first
    `head` and last `tail` commas; the run between is only counted (its values are ""). The values
    read come from unquoted text, so they are the parser's; the count is exact because the quoted
    field is checked whole (its quotes doubled inside, a comma or the run's edge on both sides).
    Anything else (a quote elsewhere, two quoted fields, a line break before the record's end, a
    record longer than the parser's field limit) is left to the parser.
    """
    import csv

    limit = csv.field_size_limit()
    head, width = _unread_run(count, set(read), free)
    tail = count - head - width
    pad = [""] * width

    def split(record: str) -> list[str] | None:
        if len(record) > limit:
            return None
        cut = len(record) - 1 if record[-1:] == "\n" else len(record)
        if record[cut - 1:cut] == "\r":
            cut -= 1
        if 0 <= record.find("\n") < cut or 0 <= record.find("\r") < cut:
            return None
        first = record.find('"')
        if first < 0:
            row = record.split(",")
            if len(row) != count:
                return None
        else:
            if not width:
                return None
            row = record.split(",", head)
            if len(row) <= head:
                return None
            rest = row.pop()
            start = len(record) - len(rest)  # where the run not read begins
            ends = rest.rsplit(",", tail)
            end = start + len(ends[0])
            last = record.rfind('"')
            if (len(ends) <= tail or first < start or last >= end or last == first
                    or (first > start and record[first - 1] != ",") or (last + 1 < end and record[last + 1] != ",")):
                return None
            if record.count('"', first + 1, last) and '"' in record[first + 1:last].replace('""', ""):
                return None  # not one quoted field: the parser says what it is
            if record.count(",", start, first) + record.count(",", last + 1, end) + 1 != width:
                return None
            row += pad
            del ends[0]
            row += ends
        row[-1] = row[-1][:cut - len(record)] if cut < len(record) else row[-1]
        return row

    return split


def _unread_run(count: int, read: set[int], free: int | None) -> tuple[int, int]:
    """(first column, width) of the run of columns not read that holds `free`, else of the longest;
    a run must end before the record does (the line's end is in its last field). (count, 0): none."""
    runs, start = [], None
    for i in range(count + 1):
        if i < count - 1 and i not in read:
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i - start))
            start = None
    run = next((r for r in runs if free is not None and r[0] <= free < r[0] + r[1]), None)
    return run or max(runs, key=lambda r: r[1], default=(count, 0))
