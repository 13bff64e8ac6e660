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
    (as above) is skipped if its date is impossible (or before ACLED began in
    1997, or after next year), its event type unknown,
    its latitude outside [-90, 90], its longitude outside [-180, 180] or its
    fatalities not a whole number.  A selected row repeating the
    ``event_id_cnty`` of one already counted is a duplicate: the event is
    counted once and the repeat skipped.  Each skipped row gives a warning
    naming its line (the header is line 1); with ``strict`` the first one is
    a fatal error instead.

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

import shlex
from dataclasses import dataclass
from pathlib import Path

from .. import dates
from ..model import Dataset, Location
from . import aggregate as aggregate_file
from .actors import did_you_mean
from .categories import CATEGORIES, event_type_filter
from .imports import EventImportError, ImportOptions, MonthTotals, SkippedRow, dataset, describe_filters, window
from .scan import GENERIC
from .scan import aggregate_export as scan_export

__all__ = [
    "ATTRIBUTION", "CATEGORIES", "Aggregate", "EventImportError", "ImportOptions", "MonthTotals", "SkippedRow",
    "command_line", "import_acled", "summary", "write_aggregate",
]

ATTRIBUTION = "Armed Conflict Location & Event Data Project (ACLED), acleddata.com"


@dataclass(frozen=True)
class Aggregate:
    """Monthly and per-location totals of the matched events, with their provenance."""

    monthly: tuple[MonthTotals, ...]
    locations: tuple[Location, ...]
    scope: str
    options: ImportOptions
    dataset: Dataset
    source_file: str
    sha256: str
    layout: str
    rows_read: int
    rows_matched: int
    skipped: tuple[SkippedRow, ...] = ()  # duplicates among them
    duplicates: int = 0  # rows repeating an event already counted
    imported: str = ""
    command: str = ""
    categories: tuple[str, ...] = CATEGORIES
    event_types: tuple[str, ...] = ()  # the categories `--event-type` kept; empty: all
    unmapped: int = 0  # events counted per month but placed too vaguely for the map

    @property
    def dataset_default(self) -> bool:
        """Is the dataset the export layout's own, not named by the import?"""
        return self.options.dataset is None

    def as_json(self) -> dict:
        """The aggregate in the JSON shape `aggregate.py` writes and reads."""
        opts = self.options
        return aggregate_file.to_json(
            dataset=self.dataset,
            scope=self.scope,
            categories=self.categories,
            monthly=((m.month, m.counts, m.fatalities) for m in self.monthly),
            locations=self.locations,
            unmapped=self.unmapped,
            provenance={
                "source_file": self.source_file,
                "sha256": self.sha256,
                "layout": self.layout,
                "rows_read": self.rows_read,
                "rows_matched": self.rows_matched,
                "rows_skipped": len(self.skipped),
                "query": {
                    "actors": list(opts.actors),
                    "role": opts.role,
                    "from": opts.start,
                    "to": opts.end,
                    "event_types": list(self.event_types),
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
    span = window(options)
    wanted_types = _event_type_filter(options)
    try:
        totals, sha256 = scan_export(path, options, span, wanted_types)
    except OSError as e:
        raise EventImportError(f"cannot read {path}: {e.strerror or e}") from None
    if not totals.rows_matched:
        message = (f"no events in {path.name} match {describe_filters(options)} "
                   f"({totals.rows_read} rows read, {len(totals.skipped)} skipped)")
        if not totals.actor_rows:  # the actor is the filter that failed: name the nearest
            message += "\n" + did_you_mean(path, options.actors)
        raise EventImportError(message)
    imported = _import_date()
    return Aggregate(
        monthly=totals.monthly(span),
        locations=totals.locations(),
        scope=_scope(totals.countries),
        options=options,
        dataset=dataset(options, None if totals.layout == GENERIC else "acled", path.name, imported),
        source_file=path.name,
        sha256=sha256,
        layout=totals.layout,
        rows_read=totals.rows_read,
        rows_matched=totals.rows_matched,
        skipped=tuple(totals.skipped),
        duplicates=totals.duplicates,
        imported=imported,
        event_types=tuple(CATEGORIES[i] for i in wanted_types),
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
        "duplicates": aggregate.duplicates,
        "monthly": {m.month: m.events for m in aggregate.monthly},
        "locations": len(aggregate.locations),
        "unmapped": aggregate.unmapped,
        "dataset": aggregate.dataset.name,
        "dataset_default": aggregate.dataset_default,
        "accessed": aggregate.dataset.accessed,
    }


def command_line(export: str | Path, options: ImportOptions, out: str | Path | None = None, *,
                 layout: str = "auto") -> str:
    """The ``jnim-export events import`` command line equivalent to `options` (and `layout`, if not "auto")."""
    args = ["jnim-export", "events", "import", str(export)]
    if layout != "auto":
        args += ["--format", layout]
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
    for flag, value in (("--dataset", options.dataset), ("--publisher", options.publisher),
                        ("--dataset-url", options.url), ("--accessed", options.accessed)):
        if value is not None:
            args += [flag, value]
    if out is not None:
        args += ["--out", str(out)]
    return shlex.join(args)


def _event_type_filter(options: ImportOptions) -> tuple[int, ...]:
    try:
        return event_type_filter(options.event_types)
    except ValueError as exc:
        raise EventImportError(str(exc)) from None


def _import_date() -> str:
    try:
        return dates.import_day()
    except dates.BadSourceDateEpoch as exc:
        raise EventImportError(str(exc)) from None


def _scope(countries: set[str]) -> str:
    names = sorted(countries)
    return f"{names[0]} only" if len(names) == 1 else ", ".join(names)
