"""What an event import is asked for and what it reports: options, its window, skipped rows, month totals."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal


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
