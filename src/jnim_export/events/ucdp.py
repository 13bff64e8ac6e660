"""Import a UCDP Georeferenced Event Dataset (GED) export into the same aggregate as ACLED's.

Columns (GED codebook; found by name, any order): ``id``, ``type_of_violence`` (1 state-based
conflict, 2 non-state conflict, 3 one-sided violence), ``side_a``, ``side_b``, ``where_prec``,
``where_coordinates`` (the place's name), ``adm_1``, ``latitude``, ``longitude``, ``country``,
``date_start`` and ``best`` (the best estimate of deaths, counted as fatalities).

Actors match ``side_a`` or ``side_b`` as ACLED's actor fields do (the whole name, the part before
the first colon or after ``": "``, any case); with ``role="actor1"`` only ``side_a``. An event
falls in the month of its ``date_start``.

Precision (``where_prec``): 1 exact place, 2 within about 25 km, 3 a second-order administrative
division, 4 a first-order one (a province), 5 a part of a country larger than a province (or a
point between places), 6 the whole country, 7 at sea or in international airspace. Events of 5
to 7 are counted per month, so charts show them, but are left off the map (``unmapped``): their
coordinates are a centroid, not a place.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import TextIO

from ..dates import import_day
from ..model import Location
from .acled import Aggregate, _import_date, _scope
from .imports import EventImportError, ImportOptions, MonthTotals, SkippedRow, dataset, describe_filters, window
from .scan import encoding_of, open_export, sha256_of

LAYOUT = "ucdp-ged"
CATEGORIES = ("State-based conflict", "Non-state conflict", "One-sided violence")
REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "where_prec", "where_coordinates", "adm_1",
            "latitude", "longitude", "country", "date_start", "best")
MAPPED_PRECISION = 4  # a province (first-order division) or better is drawn on a map
FIRST_YEAR = 1989  # GED's coverage begins


def is_ged(header: list[str]) -> bool:
    """Does a CSV header look like a GED export's (its own columns, whatever else it holds)?"""
    return {"where_prec", "type_of_violence", "side_a", "side_b", "date_start"} <= set(header)


def header_of(f: TextIO, name: str) -> list[str]:
    line = f.readline()
    if not line.strip():
        raise EventImportError(f"{name} is empty: no header row")
    return [c.strip().lower() for c in next(csv.reader([line]))]


def event_types(names: tuple[str, ...]) -> tuple[int, ...]:
    """The GED categories (indexes) `--event-type` names select; an unknown name is an error."""
    lower = [c.lower() for c in CATEGORIES]
    wanted = set()
    for name in names:
        key = " ".join(name.split()).lower()
        if key not in lower:
            raise EventImportError(f"unknown event type {name!r} for UCDP GED; expected one of: {', '.join(CATEGORIES)}")
        wanted.add(lower.index(key))
    return tuple(sorted(wanted))


def _names(value: str, wanted: frozenset[str]) -> bool:
    v = value.strip().lower()
    if v in wanted or v.split(":", 1)[0].strip() in wanted:
        return True
    return ": " in v and v.split(": ", 1)[1].strip() in wanted


class _Totals:
    def __init__(self) -> None:
        self.months: dict[str, list[int]] = {}  # month -> counts per category + fatalities
        self.places: dict[tuple[str, str, str], list] = {}  # -> [events, fatalities, {coords: n}]
        self.unmapped = 0
        self.countries: set[str] = set()
        self.actor_rows = 0
        self.matched = 0
        self.skipped: list[SkippedRow] = []

    def add(self, month: str, cat: int, deaths: int, place: tuple[str, str, str] | None, lat: float, lon: float) -> None:
        row = self.months.setdefault(month, [0] * (len(CATEGORIES) + 1))
        row[cat] += 1
        row[-1] += deaths
        self.matched += 1
        if place is None:
            self.unmapped += 1
            return
        entry = self.places.setdefault(place, [0, 0, {}])
        entry[0] += 1
        entry[1] += deaths
        entry[2][lat, lon] = entry[2].get((lat, lon), 0) + 1

    def monthly(self, first: str | None, last: str | None) -> tuple[MonthTotals, ...]:
        first, last = first or min(self.months), last or max(self.months)
        y, m = int(first[:4]), int(first[5:])
        out = []
        while (month := f"{y:04d}-{m:02d}") <= last:
            row = self.months.get(month, [0] * (len(CATEGORIES) + 1))
            out.append(MonthTotals(month, dict(zip(CATEGORIES, row[:-1])), row[-1]))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return tuple(out)

    def locations(self) -> tuple[Location, ...]:
        out = []
        for (name, admin1, country), (events, deaths, coords) in self.places.items():
            lat, lon = max(coords, key=coords.__getitem__)  # the most common; ties go to those seen first
            out.append(Location(name, country, admin1, lat, lon, events, deaths))
        out.sort(key=lambda p: (-p.events, p.name, p.admin1, p.country))
        return tuple(out)


def _parse(row: dict[str, str], last_year: int) -> tuple[str, str, int, int, int, float, float] | str:
    """(ISO day, month, category, precision, deaths, latitude, longitude) of a row, or why it is skipped."""
    raw = row["date_start"].strip()
    try:
        day = date(int(raw[:4]), int(raw[5:7]), int(raw[8:10])).isoformat()
        if len(raw) > 10 and raw[10] not in " T":
            raise ValueError
    except ValueError:
        return f"impossible date_start {raw!r}"
    if not FIRST_YEAR <= int(day[:4]) <= last_year:
        return f"date_start {raw!r} is outside UCDP GED's coverage ({FIRST_YEAR} to {last_year})"
    values: list[int] = []
    for column, low, high in (("type_of_violence", 1, 3), ("where_prec", 1, 7), ("best", 0, 10**9)):
        try:
            values.append(int(row[column].strip()))
            if not low <= values[-1] <= high:
                raise ValueError
        except ValueError:
            return f"{column} {row[column]!r} is not a whole number from {low} to {high}"
    coords = []
    for column, limit in (("latitude", 90.0), ("longitude", 180.0)):
        try:
            coords.append(float(row[column]))
            if not -limit <= coords[-1] <= limit:
                raise ValueError
        except ValueError:
            return f"{column} {row[column]!r} is not in [-{limit:g}, {limit:g}]"
    return day, day[:7], values[0] - 1, values[1], values[2], coords[0], coords[1]


def _read(f: TextIO, header: list[str], options: ImportOptions, wanted_types: tuple[int, ...]) -> tuple[_Totals, int]:
    span = window(options)
    wanted = frozenset(a.strip().lower() for a in options.actors if a.strip())
    countries = {c.strip().lower() for c in options.countries}
    last_year = int(import_day()[:4]) + 1
    totals, counted, rows = _Totals(), set(), 0

    def skip(line: int, reason: str) -> None:
        if options.strict:
            raise EventImportError(f"line {line}: {reason}")
        totals.skipped.append(SkippedRow(line, reason))

    reader = csv.reader(f)
    end = 0  # the reader's count of lines read, which starts after the header
    for record in reader:
        line, end = end + 2, reader.line_num  # the file's line the record starts on
        if not record or record == [""]:
            continue
        rows += 1
        if len(record) != len(header):
            skip(line, f"expected {len(header)} columns, found {len(record)}")
            continue
        row = dict(zip(header, record))
        if not (_names(row["side_a"], wanted) or (options.role != "actor1" and _names(row["side_b"], wanted))):
            continue
        totals.actor_rows += 1
        parsed = _parse(row, last_year)
        if isinstance(parsed, str):
            skip(line, parsed)
            continue
        day, month, cat, precision, deaths, lat, lon = parsed
        if (span.first_day and day < span.first_day) or (span.last_day and day > span.last_day):
            continue
        if (wanted_types and cat not in wanted_types) or (countries and row["country"].strip().lower() not in countries):
            continue
        if (event := row["id"].strip()) in counted:
            skip(line, f"event {event} is listed again; counted once")
            continue
        counted.add(event)
        place = ((row["where_coordinates"].strip(), row["adm_1"].strip(), row["country"].strip())
                 if precision <= MAPPED_PRECISION else None)
        totals.countries.add(row["country"].strip())
        totals.add(month, cat, deaths, place, lat, lon)
    return totals, rows


def import_ged(path: Path, options: ImportOptions, command: str) -> Aggregate:
    """Read a GED export, keep the events `options` select and aggregate them (see the module's docstring)."""
    path = Path(path)
    span = window(options)
    wanted_types = event_types(options.event_types)
    try:
        sha256 = sha256_of(path)
        with open_export(path, encoding_of(path)) as f:
            header = header_of(f, path.name)
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise EventImportError(f"{path.name} looks like a UCDP GED export but lacks the columns "
                                       f"{', '.join(missing)}")
            totals, rows = _read(f, header, options, wanted_types)
    except OSError as e:
        raise EventImportError(f"cannot read {path}: {e.strerror or e}") from None
    if not totals.matched:
        message = f"no events in {path.name} match {describe_filters(options)} ({rows} rows read, " \
                  f"{len(totals.skipped)} skipped)"
        if not totals.actor_rows:
            from .actors import did_you_mean  # the actor is the filter that failed: name the nearest

            message += "\n" + did_you_mean(path, options.actors)
        raise EventImportError(message)
    imported = _import_date()
    return Aggregate(
        monthly=totals.monthly(span.first_month, span.last_month), locations=totals.locations(),
        scope=_scope(totals.countries), options=options,
        dataset=dataset(options, "ucdp-ged", path.name, imported), source_file=path.name, sha256=sha256,
        layout=LAYOUT, rows_read=rows, rows_matched=totals.matched, skipped=tuple(totals.skipped),
        duplicates=sum(1 for s in totals.skipped if s.reason.endswith("counted once")), imported=imported,
        command=command, categories=CATEGORIES, event_types=tuple(CATEGORIES[i] for i in wanted_types),
        unmapped=totals.unmapped,
    )


def count_actors(f: TextIO, header: list[str]) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Per name in side_a or side_b: events naming it and those where it is side A; rows read, unreadable."""
    events: dict[str, int] = {}
    initiated: dict[str, int] = {}
    rows = unreadable = 0
    a, b = header.index("side_a"), header.index("side_b")
    for record in csv.reader(f):
        if not record or record == [""]:
            continue
        rows += 1
        if len(record) != len(header):
            unreadable += 1
            continue
        for name in dict.fromkeys(x.strip() for x in (record[a], record[b]) if x.strip()):
            events[name] = events.get(name, 0) + 1
        if record[a].strip():
            initiated[record[a].strip()] = initiated.get(record[a].strip(), 0) + 1
    return events, initiated, rows, unreadable

