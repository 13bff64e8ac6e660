"""Dates as the outputs print them, and the one fixed time a build is stamped with."""

from __future__ import annotations

import calendar
import datetime as dt
import os

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_LAST_SECOND = 4_354_819_198  # 2107-12-31 23:59:58 UTC, the last time a zip file (the deck) can hold


def zip_stamp(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """`when` as a zip member's timestamp, held to the span a zip file can record (1980–2107)."""
    held = min(max(when.replace(tzinfo=None), dt.datetime(1980, 1, 1)), dt.datetime(2107, 12, 31, 23, 59, 58))
    return (held.year, held.month, held.day, held.hour, held.minute, held.second)


class BadSourceDateEpoch(ValueError):
    """SOURCE_DATE_EPOCH is set but is not a Unix time."""


def _parts(iso: str) -> list[int]:
    return [int(p) for p in iso.split("-")]


def long_date(iso: str) -> str:
    """'2018-09-05' → 'September 5, 2018'; '2018-09' → 'September 2018'; '2018' → '2018'."""
    parts = _parts(iso)
    if len(parts) == 1:
        return str(parts[0])
    month = calendar.month_name[parts[1]]
    return f"{month} {parts[2]}, {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def short_date(iso: str) -> str:
    """'2018-03' → 'Mar 2018'; '2018-03-03' → '3 Mar 2018'; '2018' → '2018'."""
    parts = iso.split("-")
    if len(parts) == 1:
        return parts[0]
    label = f"{MONTH_ABBR[int(parts[1]) - 1]} {parts[0]}"
    return f"{int(parts[2])} {label}" if len(parts) == 3 else label


def month_label(month: str, *, year: bool) -> str:
    """'2018-03' → 'Mar 2018' with the year, 'Mar' without (chart axes)."""
    y, m = month.split("-")[:2]
    return f"{MONTH_ABBR[int(m) - 1]} {y}" if year else MONTH_ABBR[int(m) - 1]


def month_span(first: str, last: str) -> str:
    """'Mar 2017–Jul 2018', or one month alone."""
    a, b = month_label(first, year=True), month_label(last, year=True)
    return a if a == b else f"{a}\u2013{b}"


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as seconds, None when unset; a value that is no Unix time is an error."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    seconds = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 11 else -1  # not "1e9", "0x10", "1_0"
    if not 0 <= seconds <= _LAST_SECOND:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise BadSourceDateEpoch(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (a Unix time) "
                                 f"before the year 2108, not {shown!r}")
    return seconds


def build_time(fallback: str) -> dt.datetime:
    """The time an output is stamped with (UTC): SOURCE_DATE_EPOCH, else `fallback`'s day at midnight.

    `fallback` is an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); outputs never read the clock,
    so the same content always gives the same bytes.
    """
    seconds = source_date_epoch()
    if seconds is not None:
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
    year, month, day = (_parts(fallback) + [1, 1])[:3]
    return dt.datetime(year, month, day, tzinfo=dt.timezone.utc)


def import_day() -> str:
    """The day an event import records: SOURCE_DATE_EPOCH's, else today's (ISO)."""
    seconds = source_date_epoch()
    if seconds is None:
        return dt.date.today().isoformat()
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date().isoformat()
