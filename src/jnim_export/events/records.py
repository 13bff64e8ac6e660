"""The data records of an ACLED export, one string each with the line it starts on, and only
those that may name a wanted actor.

A record spans several lines when a quoted field holds line breaks; blank lines are not
records. A reader may start part-way through a file (`lineno`: the line before its first).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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
        self.pending: list[str] = []
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
