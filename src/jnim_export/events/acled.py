"""Import an ACLED event export and aggregate one or more actors' events per month and per place.

Layouts
    The layout is read from the header: the older export (it has ``data_id``;
    dates like ``22 February 2019``) or the current one (it has
    ``disorder_type`` or ``sub_event_type``; ISO dates).  Columns are found by
    name, so their order does not matter.  Dates are accepted as
    ``22 February 2019``, ``22-February-2019``, ``22 Feb 2019`` or ``2019-02-22``
    in either layout.

Actor matching
    An event matches a requested actor name when, ignoring case and
    surrounding spaces, the name equals

    * the whole actor field (``JNIM: Group for Support of Islam and Muslims``),
    * the part before the first colon (``JNIM``), or
    * the part after the first ``": "`` (``Group for Support of Islam and Muslims``),

    in ``actor1``, ``actor2`` or any item of the semicolon-separated
    ``assoc_actor_1`` / ``assoc_actor_2`` lists.  With ``role="actor1"`` only
    ``actor1`` is looked at.  Several names match an event naming any of them.
    Substrings never match: ``JNIM`` does not match ``JNIM-affiliated militia``.

Event categories
    Events are counted in ACLED's current categories, in this fixed order:
    Battles, Explosions/Remote violence, Violence against civilians, Protests,
    Riots, Strategic developments.  Older event types are mapped onto them:

    * ``Battle-*`` (any battle outcome) -> Battles
    * ``Remote violence`` -> Explosions/Remote violence
    * ``Violence against civilians`` -> Violence against civilians
    * ``Riots/Protests`` -> Riots when ``inter1`` or ``inter2`` is 5 (rioters in
      ACLED's older actor coding), otherwise Protests (6 is protesters)
    * ``Strategic development``, ``Headquarters or base established`` and
      ``Non-violent transfer of territory`` -> Strategic developments

    The ``event_types`` filter takes current names; older names are accepted
    and mean the categories they map to (``Riots/Protests`` means both).

Validation
    Only rows whose text mentions a requested actor are parsed; the others
    are counted and otherwise ignored, unchecked.  A parsed row with the
    wrong number of columns is skipped; a row that names a requested actor
    (as above) is skipped if its date is impossible, its event type unknown,
    its latitude outside [-90, 90], its longitude outside [-180, 180] or its
    fatalities not a whole number.  Each skipped row gives a warning naming
    its line (the header is line 1); with ``strict`` the first one is a
    fatal error instead.

Aggregates
    Every month from ``start`` (or the first matched month) to ``end`` (or
    the last matched month) is present, zero where nothing matched, with
    counts per category and fatalities.  Places are grouped by (location,
    admin1, country), put at their most common coordinates and sorted by
    events, most first, then by name.

Encoding
    UTF-8 with or without a byte-order mark; a file that is not valid UTF-8
    throughout is read as Latin-1.  The choice is made for the whole file
    before any row is parsed.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import hashlib
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, TextIO

from .. import dates
from ..model import Location
from . import aggregate as aggregate_file

ATTRIBUTION = "Armed Conflict Location & Event Data Project (ACLED), acleddata.com"
CATEGORIES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)
LEGACY, CURRENT = "acled-legacy", "acled-current"

_COMMON_COLUMNS = (
    "event_date", "event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2",
    "country", "admin1", "location", "latitude", "longitude", "fatalities",
)
_REQUIRED = {
    LEGACY: ("data_id",) + _COMMON_COLUMNS + ("inter1", "inter2"),
    CURRENT: _COMMON_COLUMNS,
}

_BATTLES, _EXPLOSIONS, _CIVILIANS, _PROTESTS, _RIOTS, _STRATEGIC = range(len(CATEGORIES))
# Event type (lower case) -> category index, for every name that maps to one category alone.
_EVENT_TYPES = {name.lower(): i for i, name in enumerate(CATEGORIES)} | {
    "remote violence": _EXPLOSIONS,
    "strategic development": _STRATEGIC,
    "headquarters or base established": _STRATEGIC,
    "non-violent transfer of territory": _STRATEGIC,
}
_RIOTERS = "5"  # inter1/inter2 code of rioters in the older layout
_UNSEEN = object()  # cache-miss marker

_MONTHS = {
    name.lower(): i
    for names in (calendar.month_name, calendar.month_abbr)
    for i, name in enumerate(names)
    if name
}


class EventImportError(Exception):
    """An import that cannot go on; the message is meant for the user as it is."""


@dataclass(frozen=True)
class ImportOptions:
    """What to import: whose events, when, of which kind, where."""

    actors: tuple[str, ...]  # at least one; an event naming any of them matches
    start: str | None = None  # "YYYY-MM" or "YYYY-MM-DD", inclusive
    end: str | None = None  # "YYYY-MM" (its last day) or "YYYY-MM-DD", inclusive
    event_types: tuple[str, ...] = ()  # category names; empty means all
    role: Literal["any", "actor1"] = "any"
    countries: tuple[str, ...] = ()  # empty means all
    strict: bool = False  # a bad row is an error instead of a warning


@dataclass(frozen=True)
class SkippedRow:
    """A row left out of the aggregate: its line in the file and why."""

    row: int
    reason: str


@dataclass(frozen=True)
class MonthTotals:
    """One month's matched events per category, and their fatalities."""

    month: str  # "YYYY-MM"
    counts: dict[str, int]  # every category, in CATEGORIES order
    fatalities: int

    @property
    def events(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Aggregate:
    """Monthly and per-location totals of the matched events, with their provenance."""

    monthly: tuple[MonthTotals, ...]
    locations: tuple[Location, ...]
    scope: str
    options: ImportOptions
    source_file: str
    sha256: str
    layout: str
    rows_read: int
    rows_matched: int
    skipped: tuple[SkippedRow, ...] = ()
    imported: str = ""
    command: str = ""

    def as_json(self) -> dict:
        """The aggregate in the ``jnim-export/events@1`` JSON shape."""
        opts = self.options
        return aggregate_file.to_json(
            attribution=ATTRIBUTION,
            scope=self.scope,
            categories=CATEGORIES,
            monthly=((m.month, m.counts, m.fatalities) for m in self.monthly),
            locations=self.locations,
            provenance={
                "source_file": self.source_file,
                "sha256": self.sha256,
                "layout": self.layout,
                "rows_read": self.rows_read,
                "rows_matched": self.rows_matched,
                "rows_skipped": len(self.skipped),
                "filters": {
                    "actors": list(opts.actors),
                    "role": opts.role,
                    "from": opts.start,
                    "to": opts.end,
                    "event_types": [CATEGORIES[i] for i in _event_type_filter(opts)],
                    "countries": list(opts.countries),
                },
                "imported": self.imported,
                "command": self.command,
            },
        )


# --------------------------------------------------------------------------- public API


def import_acled(path: Path, options: ImportOptions, *, command: str | None = None) -> Aggregate:
    """Read an ACLED export, keep the events `options` select and aggregate them.

    `command` is recorded in the provenance; by default it is the equivalent
    ``jnim-export events import`` command line with the export's file name only.
    """
    path = Path(path)
    window = _window(options)
    wanted_types = _event_type_filter(options)
    try:
        sha256 = _sha256(path)
        encoding = _encoding(path)
        with path.open(encoding=encoding, newline="") as f:
            totals = _aggregate_file(f, options, window, wanted_types)
    except OSError as e:
        raise EventImportError(f"cannot read {path}: {e.strerror or e}") from None
    if not totals.rows_matched:
        raise EventImportError(
            f"no events in {path.name} match {_describe_filters(options)} "
            f"({totals.rows_read} rows read, {len(totals.skipped)} skipped)"
        )
    return Aggregate(
        monthly=totals.monthly(window),
        locations=totals.locations(),
        scope=_scope(totals.countries),
        options=options,
        source_file=path.name,
        sha256=sha256,
        layout=totals.layout,
        rows_read=totals.rows_read,
        rows_matched=totals.rows_matched,
        skipped=tuple(totals.skipped),
        imported=_import_date(),
        command=command if command is not None else command_line(path.name, options),
    )


def write_aggregate(aggregate: Aggregate, dest: Path) -> None:
    """Write the aggregate's JSON to `dest` atomically; equal aggregates give equal bytes."""
    try:
        aggregate_file.write(aggregate.as_json(), Path(dest))
    except OSError as e:
        raise EventImportError(f"cannot write {dest}: {e.strerror or e}") from None


def summary(aggregate: Aggregate) -> dict:
    """Counts for reporting an import: rows read, matched, skipped, events per month, places."""
    return {
        "rows_read": aggregate.rows_read,
        "rows_matched": aggregate.rows_matched,
        "skipped": [{"row": s.row, "reason": s.reason} for s in aggregate.skipped],
        "monthly": {m.month: m.events for m in aggregate.monthly},
        "locations": len(aggregate.locations),
    }


def command_line(export: str | Path, options: ImportOptions, out: str | Path | None = None) -> str:
    """The ``jnim-export events import`` command line equivalent to `options`."""
    args = ["jnim-export", "events", "import", str(export)]
    for actor in options.actors:
        args += ["--actor", actor]
    if options.start:
        args += ["--from", options.start]
    if options.end:
        args += ["--to", options.end]
    for event_type in options.event_types:
        args += ["--event-type", event_type]
    if options.role != "any":
        args += ["--role", options.role]
    for country in options.countries:
        args += ["--country", country]
    if options.strict:
        args.append("--strict")
    if out is not None:
        args += ["--out", str(out)]
    return shlex.join(args)


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class _Window:
    first_day: str | None  # ISO dates, inclusive
    last_day: str | None
    first_month: str | None  # "YYYY-MM"
    last_month: str | None


def _window(options: ImportOptions) -> _Window:
    if not any(a.strip() for a in options.actors):
        raise EventImportError("at least one actor is needed")
    if options.role not in ("any", "actor1"):
        raise EventImportError(f"role must be 'any' or 'actor1', not {options.role!r}")
    first = _bound(options.start, "from", last=False)
    last = _bound(options.end, "to", last=True)
    if first and last and first > last:
        raise EventImportError(f"from {options.start} is after to {options.end}")
    return _Window(first, last, first and first[:7], last and last[:7])


def _bound(value: str | None, name: str, *, last: bool) -> str | None:
    """An option date as an ISO day; a month means its first or (`last`) last day."""
    if value is None:
        return None
    parts = value.strip().split("-")
    try:
        if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
            y, m = int(parts[0]), int(parts[1])
            d = calendar.monthrange(y, m)[1] if last else 1
        elif len(parts) == 3 and [len(p) for p in parts] == [4, 2, 2]:
            y, m, d = map(int, parts)
        else:
            raise ValueError
        return date(y, m, d).isoformat()
    except ValueError:
        raise EventImportError(
            f"{name} date {value!r} is not a real YYYY-MM or YYYY-MM-DD date"
        ) from None


def _event_type_filter(options: ImportOptions) -> tuple[int, ...]:
    """The category indexes the event_types option selects, in category order."""
    wanted: set[int] = set()
    for name in options.event_types:
        key = " ".join(name.split()).lower()
        if key in _EVENT_TYPES:
            wanted.add(_EVENT_TYPES[key])
        elif key == "riots/protests":
            wanted |= {_PROTESTS, _RIOTS}
        elif key.startswith("battle-"):
            wanted.add(_BATTLES)
        else:
            raise EventImportError(
                f"unknown event type {name!r}; expected one of: {', '.join(CATEGORIES)}"
            )
    return tuple(sorted(wanted))


def _describe_filters(options: ImportOptions) -> str:
    parts = [f"actors {', '.join(options.actors)}"]
    if options.role != "any":
        parts.append(f"role {options.role}")
    if options.start:
        parts.append(f"from {options.start}")
    if options.end:
        parts.append(f"to {options.end}")
    if options.event_types:
        parts.append(f"event types {', '.join(options.event_types)}")
    if options.countries:
        parts.append(f"countries {', '.join(options.countries)}")
    return "; ".join(parts)


def _import_date() -> str:
    try:
        return dates.import_day()
    except dates.BadSourceDateEpoch as exc:
        raise EventImportError(str(exc)) from None


def _scope(countries: set[str]) -> str:
    names = sorted(countries)
    return f"{names[0]} only" if len(names) == 1 else ", ".join(names)


# --------------------------------------------------------------------------- reading


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _encoding(path: Path) -> str:
    """utf-8-sig if the whole file is valid UTF-8, else latin-1."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                if not chunk.isascii():
                    decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8-sig"


def _layout(header: list[str], path_name: str) -> str:
    columns = set(header)
    if "data_id" in columns:
        layout = LEGACY
    elif "disorder_type" in columns or "sub_event_type" in columns:
        layout = CURRENT
    else:
        raise EventImportError(
            f"{path_name} is not an ACLED export this importer knows. Expected the older "
            f"layout (data_id, {', '.join(_REQUIRED[LEGACY][1:])}) or the current layout "
            f"(disorder_type or sub_event_type, {', '.join(_REQUIRED[CURRENT])}); "
            f"found: {', '.join(header) or 'no columns'}"
        )
    missing = [c for c in _REQUIRED[layout] if c not in columns]
    if missing:
        kind = "older" if layout == LEGACY else "current"
        raise EventImportError(
            f"{path_name} looks like ACLED's {kind} layout but lacks the columns "
            f"{', '.join(missing)}. Expected: {', '.join(_REQUIRED[layout])}; "
            f"found: {', '.join(header)}"
        )
    return layout


class _Records:
    """The data records of an open CSV file, one string each, with the line each starts on.

    Iterating yields only the records whose lower-cased text contains one of
    `needles` (cheap rejection before any CSV parsing); `rows_read` counts
    them all.  A record spans several lines when a quoted field holds line
    breaks; blank lines are not records.
    """

    def __init__(self, f: TextIO, needles: tuple[str, ...]):
        self._f = f
        self._needles = needles
        self.rows_read = 0
        self.unterminated: int | None = None  # line of a quoted field left open at the end

    def __iter__(self) -> Iterator[tuple[int, str]]:
        needles = self._needles
        single = needles[0] if len(needles) == 1 else None
        lineno = 1  # the header, already read
        not_records = 0  # blank lines and the continuation lines of multi-line records
        start = 0
        pending: list[str] = []
        quotes = 0
        for line in self._f:
            lineno += 1
            if pending:
                pending.append(line)
                quotes += line.count('"')
                if quotes & 1:
                    continue
                record = "".join(pending)
                not_records += len(pending) - 1
                pending = []
                low = record.lower()
                if any(n in low for n in needles):
                    yield start, record
            elif line.count('"') & 1:  # a quoted field goes on past this line
                pending = [line]
                quotes = 1
                start = lineno
            elif single is not None and single in line.lower():
                yield lineno, line
            elif single is None and any(n in line.lower() for n in needles):
                yield lineno, line
            elif len(line) <= 2 and not line.strip():
                not_records += 1
        if pending:
            not_records += len(pending) - 1
            self.unterminated = start
        self.rows_read = lineno - 1 - not_records


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
        self.skipped: list[SkippedRow] = []
        self.months: dict[str, list[int]] = {}  # month -> six counts + fatalities
        self.places: dict[tuple[str, str, str], list] = {}  # -> [events, fatalities, {coords: n}]

    @property
    def countries(self) -> set[str]:
        return {country for _, _, country in self.places}

    def monthly(self, window: _Window) -> tuple[MonthTotals, ...]:
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


def _aggregate_file(
    f: TextIO, options: ImportOptions, window: _Window, wanted_types: tuple[int, ...]
) -> _Totals:
    name = Path(getattr(f, "name", "export")).name
    header_line = f.readline()
    if not header_line.strip():
        raise EventImportError(f"{name} is empty: no header row")
    header = [c.strip().lower() for c in next(csv.reader([header_line]))]
    layout = _layout(header, name)
    col = {c: i for i, c in enumerate(header)}
    n_columns = len(header)
    i_date, i_type = col["event_date"], col["event_type"]
    i_a1, i_a2 = col["actor1"], col["actor2"]
    i_s1, i_s2 = col["assoc_actor_1"], col["assoc_actor_2"]
    legacy = layout == LEGACY
    i_inter1, i_inter2 = col.get("inter1"), col.get("inter2")  # read in the older layout only
    i_country, i_admin1, i_location = col["country"], col["admin1"], col["location"]
    i_lat, i_lon, i_fat = col["latitude"], col["longitude"], col["fatalities"]

    totals = _Totals(layout)
    skipped = totals.skipped
    strict = options.strict

    def skip(line: int, reason: str) -> None:
        if strict:
            raise EventImportError(f"{name}, line {line}: {reason}")
        skipped.append(SkippedRow(line, reason))

    matcher = _ActorMatcher(options.actors)
    single, listed = matcher.single, matcher.listed
    actor1_only = options.role == "actor1"
    first_day, last_day = window.first_day, window.last_day
    countries = {c.strip().lower() for c in options.countries}
    wanted = frozenset(wanted_types) if wanted_types else None
    dates: dict[str, tuple[str, str] | None] = {}
    categories: dict[tuple[str, str, str], int | None] = {}
    months, places = totals.months, totals.places
    matched = 0

    feed: list[str] = []
    reader = csv.reader(iter(feed.pop, None))
    records = _Records(f, matcher.needles)
    for line, record in records:
        feed.append(record)
        try:
            row = next(reader)
        except (csv.Error, IndexError) as e:
            feed.clear()
            skip(line, f"unreadable CSV record ({e})" if isinstance(e, csv.Error)
                 else "unreadable CSV record (unbalanced quotes)")
            continue
        if len(row) != n_columns:
            skip(line, f"expected {n_columns} columns, found {len(row)}")
            continue
        if not (
            single(row[i_a1])
            or (not actor1_only and (single(row[i_a2]) or listed(row[i_s1]) or listed(row[i_s2])))
        ):
            continue

        raw_date = row[i_date]
        day = dates.get(raw_date, _UNSEEN)
        if day is _UNSEEN:
            day = dates[raw_date] = _parse_date(raw_date)
        if day is None:
            skip(line, f"impossible date {raw_date!r}")
            continue
        key = (row[i_type], row[i_inter1], row[i_inter2]) if legacy else (row[i_type], "", "")
        cat = categories.get(key, _UNSEEN)
        if cat is _UNSEEN:
            cat = categories[key] = _category(*key)
        if cat is None:
            skip(line, f"unknown event type {row[i_type]!r}")
            continue
        try:
            lat = float(row[i_lat])
            if not -90.0 <= lat <= 90.0:
                raise ValueError
        except ValueError:
            skip(line, f"latitude {row[i_lat]!r} is not in [-90, 90]")
            continue
        try:
            lon = float(row[i_lon])
            if not -180.0 <= lon <= 180.0:
                raise ValueError
        except ValueError:
            skip(line, f"longitude {row[i_lon]!r} is not in [-180, 180]")
            continue
        try:
            fatalities = int(row[i_fat])
            if fatalities < 0:
                raise ValueError
        except ValueError:
            skip(line, f"fatalities {row[i_fat]!r} is not a whole number")
            continue

        iso, month = day
        if (first_day and iso < first_day) or (last_day and iso > last_day):
            continue
        if wanted is not None and cat not in wanted:
            continue
        country = row[i_country].strip()
        if countries and country.lower() not in countries:
            continue

        matched += 1
        counts = months.get(month)
        if counts is None:
            counts = months[month] = [0] * 7
        counts[cat] += 1
        counts[6] += fatalities
        place_key = (row[i_location].strip(), row[i_admin1].strip(), country)
        place = places.get(place_key)
        if place is None:
            place = places[place_key] = [0, 0, {}]
        place[0] += 1
        place[1] += fatalities
        coords = place[2]
        coords[lat, lon] = coords.get((lat, lon), 0) + 1

    if records.unterminated is not None:
        skip(records.unterminated, "a quoted field is never closed")
    totals.rows_read = records.rows_read
    totals.rows_matched = matched
    return totals


def _category(event_type: str, inter1: str, inter2: str) -> int | None:
    """The category index of an event type (either layout), or None if unknown."""
    key = " ".join(event_type.split()).lower()
    if key in _EVENT_TYPES:
        return _EVENT_TYPES[key]
    if key == "riots/protests":
        return _RIOTS if _RIOTERS in (inter1.strip(), inter2.strip()) else _PROTESTS
    if key.startswith("battle-"):
        return _BATTLES
    return None
