"""Reading an ACLED export: its layout, its records, the actors they name, and the running totals."""

from __future__ import annotations

import calendar
import codecs
import csv
import enum
from datetime import date
from pathlib import Path
from typing import Final, TextIO

from .. import files
from ..dates import import_day
from ..model import Location
from .categories import CATEGORIES, category
from .imports import EventImportError, ImportOptions, MonthTotals, SkippedRow, Window
from .records import Lines, NotLines, fields

LEGACY, CURRENT = "acled-legacy", "acled-current"
GENERIC = "acled-columns"  # ACLED's columns without ACLED's own (another dataset's export in its layout)

_COMMON_COLUMNS = (
    "event_date", "event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2",
    "country", "admin1", "location", "latitude", "longitude", "fatalities",
)
_REQUIRED = {
    LEGACY: ("data_id",) + _COMMON_COLUMNS + ("inter1", "inter2"),
    CURRENT: _COMMON_COLUMNS,
    GENERIC: _COMMON_COLUMNS,
}
_Unseen = enum.Enum("_Unseen", "UNSEEN")  # a sentinel's own type, so a cache lookup's result narrows
_UNSEEN: Final = _Unseen.UNSEEN  # cache-miss marker

_MONTHS = {
    name.lower(): i
    for names in (calendar.month_name, calendar.month_abbr)
    for i, name in enumerate(names)
    if name
}


FIRST_DAY = "1997-01-01"  # ACLED's earliest events (Africa)
MAX_EXPORT_BYTES = 20 * 2**30  # ACLED's whole-world export is a few gigabytes


def open_export(path: Path, encoding: str) -> TextIO:
    """An export opened as text, if it is a regular file (a pipe or a device may never end)."""
    return files.open_text(path, MAX_EXPORT_BYTES, "exports", encoding=encoding, newline="")


def sha256_of(path: Path) -> str:
    return files.sha256(path, MAX_EXPORT_BYTES, "exports")


def encoding_of(path: Path) -> str:
    """utf-8-sig if the whole file is valid UTF-8, else latin-1."""
    return "utf-8-sig" if hash_and_check(path, None) else "latin-1"


def hash_and_check(path: Path, digest) -> bool:
    """Is the file valid UTF-8 throughout? Read once, each part also added to `digest` (a hashlib
    object, or None). ASCII parts need no decoding, unless a character was cut before one."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid = True
    with files.open_binary(path, MAX_EXPORT_BYTES, "exports") as f:
        while chunk := f.read(1 << 20):
            if digest is not None:
                digest.update(chunk)  # lets go of the interpreter's lock
            elif not valid:
                break
            try:
                if valid and (not chunk.isascii() or decoder.getstate()[0]):
                    decoder.decode(chunk)
            except UnicodeDecodeError:
                valid = False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        valid = False
    return valid


def layout_of(header: list[str], path_name: str) -> str:
    columns = set(header)
    if "data_id" in columns:
        layout = LEGACY
    elif "disorder_type" in columns or "sub_event_type" in columns:
        layout = CURRENT
    elif columns >= set(_COMMON_COLUMNS):
        layout = GENERIC
    else:
        raise EventImportError(
            f"{path_name} is not an ACLED export this importer knows. Expected the older "
            f"layout (data_id, {', '.join(_REQUIRED[LEGACY][1:])}) or the current layout "
            f"(disorder_type or sub_event_type, {', '.join(_REQUIRED[CURRENT])}); "
            f"found: {', '.join(header) or 'no columns'}"
        )
    missing = [c for c in _REQUIRED[layout] if c not in columns]
    if missing:
        kind = {LEGACY: "older", CURRENT: "current"}[layout]
        raise EventImportError(
            f"{path_name} looks like ACLED's {kind} layout but lacks the columns "
            f"{', '.join(missing)}. Expected: {', '.join(_REQUIRED[layout])}; "
            f"found: {', '.join(header)}"
        )
    return layout


class _ActorMatcher:
    """Whether an actor field, or an item of an associated-actors list, names a wanted actor."""

    def __init__(self, actors: tuple[str, ...]):
        self.names = frozenset(a.strip().lower() for a in actors if a.strip())
        # Longest quote-free piece of each name: present in the raw line whenever
        # the name is in a field, whatever CSV quoting did to its quote marks.
        self.needles = tuple(
            sorted({max(n.split('"'), key=len) for n in self.names}, key=len, reverse=True)
        )
        self._single: dict[str, bool] = {}
        self._listed: dict[str, bool] = {}

    def names_actor(self, value: str) -> bool:
        names = self.names
        v = value.strip().lower()
        if v in names or v.split(":", 1)[0].strip() in names:
            return True
        return ": " in v and v.split(": ", 1)[1].strip() in names

    def single(self, value: str) -> bool:
        hit = self._single.get(value)
        if hit is None:
            hit = self._single[value] = self.names_actor(value)
        return hit

    def listed(self, value: str) -> bool:
        hit = self._listed.get(value)
        if hit is None:
            hit = self._listed[value] = any(self.names_actor(v) for v in value.split(";"))
        return hit


def _parse_date(text: str) -> tuple[str, str] | None:
    """(ISO day, "YYYY-MM") of an ACLED date, or None if it is not a real date."""
    s = text.strip()
    try:
        if len(s) == 10 and s[4] == "-" and s[7] == "-" and s[:4].isdigit():
            y, m, d = int(s[:4]), int(s[5:7]), int(s[8:])
        else:
            parts = s.replace("-", " ").split()
            if len(parts) != 3 or len(parts[2]) != 4:
                return None
            y, m, d = int(parts[2]), _MONTHS[parts[1].lower()], int(parts[0])
        iso = date(y, m, d).isoformat()
    except (ValueError, KeyError):
        return None
    return iso, iso[:7]


class _Totals:
    """Running totals while a file is read."""

    def __init__(self, layout: str):
        self.layout = layout
        self.rows_read = 0
        self.rows_matched = 0
        self.actor_rows = 0  # rows naming a wanted actor (in the fields the role looks at), before other filters
        self.duplicates = 0  # selected rows whose event id an earlier selected row has: counted once
        self.skipped: list[SkippedRow] = []
        self.months: dict[str, list[int]] = {}  # month -> six counts + fatalities
        self.places: dict[tuple[str, str, str], list] = {}  # -> [events, fatalities, {coords: n}]
        self.counted: set[str] = set()  # the event ids of the rows counted

    def add(self, month: str, cat: int, fatalities: int, place_key: tuple[str, str, str], lat: float,
            lon: float) -> None:
        counts = self.months.get(month)
        if counts is None:
            counts = self.months[month] = [0] * 7
        counts[cat] += 1
        counts[6] += fatalities
        place = self.places.get(place_key)
        if place is None:
            place = self.places[place_key] = [0, 0, {}]
        place[0] += 1
        place[1] += fatalities
        coords = place[2]
        coords[lat, lon] = coords.get((lat, lon), 0) + 1

    @property
    def countries(self) -> set[str]:
        return {country for _, _, country in self.places}

    def monthly(self, window: Window) -> tuple[MonthTotals, ...]:
        first = window.first_month or min(self.months)
        last = window.last_month or max(self.months)
        y, m = int(first[:4]), int(first[5:])
        out = []
        while (month := f"{y:04d}-{m:02d}") <= last:
            row = self.months.get(month, [0] * 7)
            out.append(MonthTotals(month, dict(zip(CATEGORIES, row[:6])), row[6]))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return tuple(out)

    def locations(self) -> tuple[Location, ...]:
        out = []
        for (name, admin1, country), (events, fatalities, coords) in self.places.items():
            # most common coordinates; ties go to those seen first
            lat, lon = max(coords, key=coords.__getitem__)
            out.append(Location(name, country, admin1, lat, lon, events, fatalities))
        out.sort(key=lambda p: (-p.events, p.name, p.admin1, p.country))
        return tuple(out)


class _Columns:
    """Where each field the import reads stands in a record."""

    def __init__(self, header: list[str], layout: str):
        col = {c: i for i, c in enumerate(header)}
        self.count = len(header)
        self.date, self.type = col["event_date"], col["event_type"]
        self.actor1, self.actor2 = col["actor1"], col["actor2"]
        self.assoc1, self.assoc2 = col["assoc_actor_1"], col["assoc_actor_2"]
        self.legacy = layout == LEGACY
        self.layout_name = layout
        # the interaction codes, required in the older layout and not read in the current one
        self.inters = (col["inter1"], col["inter2"]) if self.legacy else None
        self.country, self.admin1, self.location = col["country"], col["admin1"], col["location"]
        self.lat, self.lon, self.fatalities = col["latitude"], col["longitude"], col["fatalities"]
        self.event_id = col.get("event_id_cnty")  # ACLED's event id: a row repeating one is a duplicate
        read = [self.date, self.type, self.actor1, self.actor2, self.assoc1, self.assoc2, self.country,
                self.admin1, self.location, self.lat, self.lon, self.fatalities, *(self.inters or ())]
        self.split = fields(self.count, read + ([] if self.event_id is None else [self.event_id]), col.get("notes"))


class _RowParser:
    """A matched row's date, category, coordinates and fatalities, or the reason it is skipped.

    Dates and event types repeat across rows: each distinct one is parsed once.
    """

    def __init__(self, cols: _Columns):
        self.cols = cols
        self.dates: dict[str, tuple[str, str] | None] = {}
        self.last_year = int(import_day()[:4]) + 1  # an event after next year has not happened
        self.types: dict[tuple[str, str, str], int | None] = {}

    def parse(self, row: list[str]) -> tuple[tuple[str, str], int, float, float, int] | str:
        c = self.cols
        raw_date = row[c.date]
        day = self.dates.get(raw_date, _UNSEEN)
        if day is _UNSEEN:
            day = self.dates[raw_date] = _parse_date(raw_date)
        if day is None:
            return f"impossible date {raw_date!r}"
        if not FIRST_DAY <= day[0] <= f"{self.last_year}-12-31":
            return f"date {raw_date!r} is outside ACLED's coverage (1997 to {self.last_year})"
        key = (row[c.type], row[c.inters[0]], row[c.inters[1]]) if c.inters else (row[c.type], "", "")
        cat = self.types.get(key, _UNSEEN)
        if cat is _UNSEEN:
            cat = self.types[key] = category(*key)
        if cat is None:
            return f"unknown event type {row[c.type]!r}"
        try:
            lat = float(row[c.lat])
            if not -90.0 <= lat <= 90.0:
                raise ValueError
        except ValueError:
            return f"latitude {row[c.lat]!r} is not in [-90, 90]"
        try:
            lon = float(row[c.lon])
            if not -180.0 <= lon <= 180.0:
                raise ValueError
        except ValueError:
            return f"longitude {row[c.lon]!r} is not in [-180, 180]"
        try:
            fatalities = int(row[c.fatalities])
            if fatalities < 0:
                raise ValueError
        except ValueError:
            return f"fatalities {row[c.fatalities]!r} is not a whole number"
        return day, cat, lat, lon, fatalities


def aggregate_export(path: Path, options: ImportOptions, window: Window,
                     wanted_types: tuple[int, ...]) -> tuple[_Totals, str]:
    """Read the export at `path` and total the events `options` select; also its SHA-256, hashed
    meanwhile on another thread (hashlib and reading let go of the interpreter's lock), which also
    checks that it is UTF-8. A large file is read in two halves at once (`halves`). It is read as
    UTF-8 and, if it is not that throughout, again as Latin-1: what `encoding_of` would choose."""
    import hashlib
    from concurrent.futures import ThreadPoolExecutor

    from . import halves

    second = halves.start(path, "utf-8-sig", options, window, wanted_types)  # forked before any thread starts
    digest = hashlib.sha256()
    with ThreadPoolExecutor(1) as hashing:
        utf8 = hashing.submit(hash_and_check, path, digest)
        try:
            totals, encoding = _read(path, second, options, window, wanted_types)
            if encoding == "utf-8" and not utf8.result():  # its lines read were, not all of it
                totals = halves.read(path, "latin-1", 0, None, None, options, window, wanted_types)[0]
        except NotLines:  # lines broken by a carriage return alone: the text reader breaks them so
            with open_export(path, encoding_of(path)) as f:
                totals = aggregate_file(f, options, window, wanted_types)
        utf8.result()
        return totals, digest.hexdigest()


def _read(path: Path, second, options: ImportOptions, window: Window,
          wanted_types: tuple[int, ...]) -> tuple[_Totals, str]:
    """The totals read as UTF-8 as far as that goes (the second half in `second`, if started),
    else as Latin-1; and the encoding they were read in."""
    from . import halves

    try:
        totals = halves.finish(second, path, "utf-8-sig", options, window, wanted_types) if second else None
        return totals or halves.read(path, "utf-8-sig", 0, None, None, options, window, wanted_types)[0], "utf-8"
    except UnicodeDecodeError:
        pass
    except EventImportError:  # said of the text as UTF-8: is it that throughout?
        if encoding_of(path) != "latin-1":
            raise
    return halves.read(path, "latin-1", 0, None, None, options, window, wanted_types)[0], "latin-1"


def aggregate_file(f: TextIO, options: ImportOptions, window: Window, wanted_types: tuple[int, ...]) -> _Totals:
    """Read an open export and total the events `options` select."""
    name = Path(getattr(f, "name", "export")).name
    header_line = f.readline()
    return _aggregate(header_line, name, Lines(f, _ActorMatcher(options.actors).needles), options, window,
                      wanted_types)


def _aggregate(header_line: str, name: str, records: Lines, options: ImportOptions, window: Window,
               wanted_types: tuple[int, ...]) -> _Totals:
    """Total the events `options` select among `records`, the file's after `header_line`."""
    if not header_line.strip():
        raise EventImportError(f"{name} is empty: no header row")
    header = [c.strip().lower() for c in next(csv.reader([header_line]))]
    layout = layout_of(header, name)
    if layout == GENERIC and options.dataset is None:
        raise EventImportError(f"{name} has ACLED's columns but not ACLED's own (data_id, disorder_type or "
                               "sub_event_type), so it is not taken for ACLED's: name its dataset with --dataset NAME")
    c = _Columns(header, layout)
    parser = _RowParser(c)
    totals = _Totals(layout)
    skipped = totals.skipped
    strict = options.strict

    def skip(line: int, reason: str) -> None:
        if strict:
            raise EventImportError(f"line {line}: {reason}")
        skipped.append(SkippedRow(line, reason))

    matcher = _ActorMatcher(options.actors)
    single, listed = matcher.single, matcher.listed
    actor1_only = options.role == "actor1"
    first_day, last_day = window.first_day, window.last_day
    countries = {x.strip().lower() for x in options.countries}
    wanted = frozenset(wanted_types) if wanted_types else None
    matched = 0
    counted: set[str] = set()  # event ids of the rows counted
    feed: list[str] = []
    reader = csv.reader(iter(feed.pop, None))
    split = c.split
    for line, record in records:
        row = split(record)
        if row is None:
            feed.append(record)
            try:
                row = next(reader)
            except (csv.Error, IndexError) as e:
                feed.clear()
                skip(line, f"unreadable CSV record ({e})" if isinstance(e, csv.Error)
                     else "unreadable CSV record (unbalanced quotes)")
                continue
        if len(row) != c.count:
            skip(line, f"expected {c.count} columns, found {len(row)}")
            continue
        if not (single(row[c.actor1]) or (not actor1_only and (
                single(row[c.actor2]) or listed(row[c.assoc1]) or listed(row[c.assoc2])))):
            continue
        totals.actor_rows += 1
        parsed = parser.parse(row)
        if isinstance(parsed, str):
            skip(line, parsed)
            continue
        (iso, month), cat, lat, lon, fatalities = parsed
        if (first_day and iso < first_day) or (last_day and iso > last_day):
            continue
        if wanted is not None and cat not in wanted:
            continue
        country = row[c.country].strip()
        if countries and country.lower() not in countries:
            continue
        if c.event_id is not None and (event := row[c.event_id].strip()):
            if event in counted:
                totals.duplicates += 1
                skip(line, f"event {event} is listed again; counted once")
                continue
            counted.add(event)
        matched += 1
        totals.add(month, cat, fatalities, (row[c.location].strip(), row[c.admin1].strip(), country), lat, lon)
    if records.unterminated is not None:
        skip(records.unterminated, "a quoted field is never closed")
    totals.rows_read = records.rows_read
    totals.rows_matched = matched
    totals.counted = counted
    return totals


class ActorTotals:
    """Per actor name: the events naming it (in any actor field) and those it initiated (actor1)."""

    def __init__(self, layout: str):
        self.layout = layout
        self.rows_read = 0
        self.unreadable = 0  # records that are not CSV or lack columns: not counted
        self.events: dict[str, int] = {}
        self.initiated: dict[str, int] = {}


def count_actors(f: TextIO) -> ActorTotals:
    """Read an open export and count the actor names of every record.

    A name is ``actor1``, ``actor2`` or an item of the semicolon-separated ``assoc_actor_1`` /
    ``assoc_actor_2`` lists, stripped; an event naming a name twice counts once. The actor
    columns come before any free text in both layouts, so a record with no quotation mark up
    to them is split at commas without the CSV parser, and the records are counted by their
    actor columns' text, which repeats: names are drawn from each distinct text once.
    """
    name = Path(getattr(f, "name", "export")).name
    header_line = f.readline()
    if not header_line.strip():
        raise EventImportError(f"{name} is empty: no header row")
    header = [c.strip().lower() for c in next(csv.reader([header_line]))]
    c = _Columns(header, layout_of(header, name))
    totals = ActorTotals(c.layout_name)
    lo, hi = min(c.actor1, c.actor2, c.assoc1, c.assoc2), max(c.actor1, c.actor2, c.assoc1, c.assoc2) + 1
    at = (c.actor1 - lo, c.actor2 - lo, c.assoc1 - lo, c.assoc2 - lo)
    seen: dict[tuple[str, ...], int] = {}  # the actor columns' text -> records

    def tally() -> None:
        events, initiated = totals.events, totals.initiated
        for key, n in seen.items():
            actor1, actor2, assoc1, assoc2 = (key[i] for i in at)
            found = [actor1.strip(), actor2.strip()] + [x.strip() for x in assoc1.split(";")]
            found += [x.strip() for x in assoc2.split(";")]
            for name_ in dict.fromkeys(x for x in found if x):
                events[name_] = events.get(name_, 0) + n
            if actor1.strip():
                initiated[actor1.strip()] = initiated.get(actor1.strip(), 0) + n
        seen.clear()

    feed: list[str] = []
    reader = csv.reader(iter(feed.pop, None))
    records = Lines(f, ())
    get = seen.get
    for _line, record in records:
        parts = record.split(",", hi)
        if len(parts) > hi:  # the fast path: no quotation mark before the rest of the record
            q = record.find('"')
            if q == -1 or q >= len(record) - len(parts[hi]):
                key = tuple(parts[lo:hi])
                seen[key] = get(key, 0) + 1
                if len(seen) > 100_000:  # a bound on memory, however varied the file
                    tally()
                continue
        feed.append(record)
        try:
            row = next(reader)
        except (csv.Error, IndexError):
            feed.clear()
            totals.unreadable += 1
            continue
        if len(row) != c.count:
            totals.unreadable += 1
            continue
        key = tuple(row[lo:hi])
        seen[key] = get(key, 0) + 1
        if len(seen) > 100_000:  # a bound on memory, however varied the file
            tally()
    tally()
    totals.rows_read = records.rows_read
    return totals
