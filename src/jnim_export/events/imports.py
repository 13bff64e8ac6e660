"""What an event import is asked for and what it reports: options, its window, the dataset it credits,
skipped rows, month totals."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .. import dates, urls
from ..model import Dataset

MAX_DATASET_TEXT = 200  # a dataset's name, publisher or address: the credit line must fit its figure


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
    dataset: str | None = None  # the dataset's name as credited; None: the layout's own (ACLED, UCDP GED)
    publisher: str | None = None  # None: the known dataset's, else none
    url: str | None = None  # the dataset's web address; None: the known dataset's, else none
    accessed: str | None = None  # YYYY-MM-DD the export was taken; None: the day of import


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
class Window:
    first_day: str | None  # ISO dates, inclusive
    last_day: str | None
    first_month: str | None  # "YYYY-MM"
    last_month: str | None


def window(options: ImportOptions) -> Window:
    if not any(a.strip() for a in options.actors):
        raise EventImportError("at least one actor is needed")
    if options.role not in ("any", "actor1"):
        raise EventImportError(f"role must be 'any' or 'actor1', not {options.role!r}")
    _check_dataset(options)
    first = _bound(options.start, "from", last=False)
    last = _bound(options.end, "to", last=True)
    if first and last and first > last:
        raise EventImportError(f"from {options.start} is after to {options.end}")
    return Window(first, last, first and first[:7], last and last[:7])


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


def describe_filters(options: ImportOptions) -> str:
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


# The datasets an export's layout names, with what their terms ask a credit to say.
KNOWN_DATASETS = {
    "acled": Dataset("ACLED", "Armed Conflict Location & Event Data Project (ACLED)", "https://acleddata.com"),
    "ucdp-ged": Dataset("UCDP GED", "Uppsala Conflict Data Program (UCDP), Uppsala University",
                        "https://ucdp.uu.se/downloads/"),
}


def dataset(options: ImportOptions, layout_default: str | None, export: str, imported: str) -> Dataset:
    """The dataset an import credits: `--dataset` and its details, else the layout's own.

    `layout_default` is the key of KNOWN_DATASETS the export's layout belongs to (None for a
    layout no dataset owns); a name given that is a known dataset's, or begins with it and a space
    ("UCDP GED 24.1"), takes its publisher and URL unless they are given.
    """
    if options.dataset is not None:
        name = " ".join(options.dataset.split())
        if not name:
            raise EventImportError("--dataset needs a name")
        known = next((d for d in KNOWN_DATASETS.values()  # "UCDP GED 24.1" is UCDP GED's too
                      if f"{name.lower()} ".startswith(f"{d.name.lower()} ")), None)
    elif layout_default is not None:
        known = KNOWN_DATASETS[layout_default]
        name = known.name
    else:
        raise EventImportError(f"{export} is in no dataset's own layout: name its dataset with --dataset NAME")
    accessed = _accessed(options.accessed) if options.accessed is not None else imported
    return Dataset(
        name=name,
        publisher=options.publisher if options.publisher is not None else (known.publisher if known else ""),
        url=options.url if options.url is not None else (known.url if known else ""),
        accessed=accessed or "",
        query=describe_query(options),
    )


def _check_dataset(options: ImportOptions) -> None:
    """The dataset's details as given, checked before any row is read."""
    if options.dataset is not None and not options.dataset.split():
        raise EventImportError("--dataset needs a name")
    for what, value in (("--dataset", options.dataset), ("--publisher", options.publisher),
                        ("--dataset-url", options.url)):
        if value is not None and (len(value) > MAX_DATASET_TEXT or not value.isprintable()):
            raise EventImportError(f"{what} must be one line of at most {MAX_DATASET_TEXT} characters")
    if options.url and not urls.link_allowed(options.url):
        raise EventImportError(f"--dataset-url {options.url!r} is not an http or https address")
    if options.accessed is not None:
        _accessed(options.accessed)


def _accessed(value: str) -> str:
    try:
        if len(value.strip()) != 10:
            raise ValueError
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise EventImportError(f"accessed date {value!r} is not a real YYYY-MM-DD date") from None


def describe_query(options: ImportOptions) -> str:
    """What an import selected, in words, for a data note: "events naming JNIM (as actor 1), 2017-03 to 2018-07"."""
    words = f"events naming {' or '.join(options.actors)}"
    if options.role == "actor1":
        words += " as the initiator (actor 1)"
    if options.start or options.end:
        words += f", {_day(options.start) if options.start else 'from the first'} to " \
                 f"{_day(options.end) if options.end else 'the last'}"
    if options.event_types:
        words += f", of type {', '.join(options.event_types)}"
    if options.countries:
        words += f", in {', '.join(options.countries)}"
    return words


def _day(value: str) -> str:
    """'2017-03' → 'March 2017', '2017-03-05' → 'March 5, 2017'; anything else as it is."""
    try:
        return dates.long_date(value.strip())
    except (ValueError, IndexError):
        return value
