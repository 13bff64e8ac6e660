"""A large export read in two halves at once: the second in a forked process, on another core.

The halves meet at a line break near the middle. Their totals are added together, the second
half's line numbers moved on by the first's lines, so the result is the one reading the file
in order gives. Where it might not be, the file is read in order instead (`finish` returns
None): the middle falls inside a quoted field that holds line breaks, an event id is counted
in both halves (which of them is the repeat depends on the order), or the second half could
not be read. A strict import (the first bad row stops it) is read in order from the start.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from pathlib import Path
from typing import Any, BinaryIO

from .. import files
from ..machine import cores
from .imports import ImportOptions, SkippedRow, Window
from .records import NotLines

SPLIT_BYTES = 32 << 20  # a file smaller than this is read in one go: a fork costs more than it saves
# where the halves meet, as a share of the file: the first is the smaller, because the process
# reading it also hashes the file (on a thread), started the import and adds the halves up
FIRST_SHARE = 0.45


class _Range(io.RawIOBase):
    """At most `size` bytes of an open file, from where it stands."""

    def __init__(self, raw: BinaryIO, size: int):
        self._raw, self._left = raw, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        n = self._raw.readinto(memoryview(buffer)[:min(len(buffer), self._left)]) or 0  # type: ignore[attr-defined]
        self._left -= n
        return n


def read(path: Path, encoding: str, start: int, end: int | None, header: str | None, options: ImportOptions,
         window: Window, wanted_types: tuple[int, ...]):
    """The totals of the records in bytes [start, end) (None: to the file's end), with the header from
    the file's start, or `header` given, and the last line read, counted from the header's (line 1)."""
    from .records import ByteLines, one_line
    from .scan import MAX_EXPORT_BYTES, _ActorMatcher, _aggregate

    with files.open_binary(path, MAX_EXPORT_BYTES, "exports") as raw:
        raw.seek(start)
        f = raw if end is None else io.BufferedReader(_Range(raw, end - start), 1 << 20)
        if header is None:
            first = f.readline()
            one_line(first)
            header = first.decode(encoding)
        records = ByteLines(f, _ActorMatcher(options.actors).needles, encoding)
        totals = _aggregate(header, path.name, records, options, window, wanted_types)
    return totals, records


def _second_half(send, path: Path, encoding: str, middle: int, size: int, header: str, options: ImportOptions,
                 window: Window, wanted_types: tuple[int, ...]) -> None:
    from .. import bugs

    try:
        totals, _ = bugs.guarded(read, path, encoding, middle, size, header, options, window, wanted_types,
                                 expected=(UnicodeDecodeError, NotLines))
        send.send(("ok", (totals, _packed(totals))))
    except (UnicodeDecodeError, NotLines) as e:  # the parent reads the file otherwise
        send.send(("raise", e))
    except bugs.Unexpected:  # whatever it is, the parent reads the whole file in order and meets it itself
        send.send(("failed", None))
    finally:
        send.close()


def start(path: Path, encoding: str, options: ImportOptions, window: Window, wanted_types: tuple[int, ...]):
    """The second half's process, started (None: the file is read in one go)."""
    if options.strict or "fork" not in multiprocessing.get_all_start_methods() or cores() < 2:
        return None
    try:
        size = os.stat(path).st_size
        if size < SPLIT_BYTES:
            return None
        with files.open_binary(path, None, "exports") as raw:
            header = raw.readline().decode(encoding)
            raw.seek(int(size * FIRST_SHARE))
            raw.readline()
            middle = raw.tell()
    except (OSError, UnicodeDecodeError):
        return None  # the whole read says what is wrong
    if middle >= size:
        return None
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    child = fork.Process(target=_second_half, daemon=True,
                         args=(send, path, encoding, middle, size, header, options, window, wanted_types))
    child.start()
    send.close()
    return child, receive, middle


def finish(second, path: Path, encoding: str, options: ImportOptions, window: Window, wanted_types: tuple[int, ...]):
    """Read the first half, then add the second's totals to it (None: read the file in order)."""
    child, receive, middle = second
    try:
        first, records = read(path, encoding, 0, middle, None, options, window, wanted_types)
    finally:  # the second half is collected whatever happened to the first
        try:
            status, other = receive.recv()
        except EOFError:
            status, other = "failed", None
        child.join()
    if status == "raise":
        raise other
    if status != "ok" or records.unterminated is not None:
        return None
    other, counted = other
    if not first.counted.isdisjoint(counted.split("\n") if isinstance(counted, str) else counted):
        return None
    return _add(first, other, records.lineno - 1)


def _packed(totals) -> str | set[str]:
    """The event ids the second half counted, sent as one string (pickling 100,000 strings one by
    one holds up the end of the import for about 0.1 s), or as they are if one holds a line break;
    they are taken out of `totals`, which is sent too. The parent needs only to find a repeat."""
    counted, totals.counted = totals.counted, set()
    packed = "\n".join(counted)
    return packed if packed.count("\n") == len(counted) - 1 else counted


def _add(first, second, offset: int):
    """`second`'s totals added to `first`'s, in the order reading on from `first` would have seen them."""
    for month, counts in second.months.items():
        mine = first.months.setdefault(month, [0] * len(counts))
        for i, n in enumerate(counts):
            mine[i] += n
    for key, (events, fatalities, coords) in second.places.items():
        place = first.places.setdefault(key, [0, 0, {}])
        place[0] += events
        place[1] += fatalities
        for at, n in coords.items():
            place[2][at] = place[2].get(at, 0) + n
    first.skipped.extend(SkippedRow(s.row + offset, s.reason) for s in second.skipped)
    first.rows_read += second.rows_read
    first.rows_matched += second.rows_matched
    first.actor_rows += second.actor_rows
    first.duplicates += second.duplicates
    return first  # its counted ids are its own half's: only a repeat across the halves mattered
