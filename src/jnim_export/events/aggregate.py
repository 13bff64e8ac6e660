"""The events aggregate file (``jnim-export/events@2``): its JSON shape, written and read here only.

An aggregate holds counts, never raw rows: per month, the events of each category and their
fatalities; per place, its coordinates, events and fatalities; the events counted per month
but placed too vaguely for a map (``unmapped``); the dataset they come from (name, publisher,
URL, access date); and the provenance of the import that made it (the export's name and
SHA-256, the query, the rows read).  Reading checks everything a figure will draw: months
well-formed, in order and unique, counts whole and not negative, coordinates on Earth, sizes
bounded.  The first format (``events@1``, no ``dataset``) is still read: its dataset is ACLED
when its attribution says so and it is not marked synthetic, else its attribution.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping

from .. import atomic, files, limits
from ..model import Dataset, EventData, Location, MonthCount
from .imports import KNOWN_DATASETS, ImportOptions, describe_query

FORMAT = "jnim-export/events@2"
FORMATS = ("jnim-export/events@1", FORMAT)  # read; the first has no dataset of its own
_ACLED_ATTRIBUTION = "Armed Conflict Location & Event Data Project"

MAX_BYTES = 5 * 1024 * 1024  # the default content's are about 30 KB
MAX_MONTHS = 1200  # a century of months
MAX_LOCATIONS = 20_000
MAX_CATEGORIES = 50
MAX_TEXT = 500  # a place, a category, a scope
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class AggregateError(ValueError):
    """An aggregate file that cannot be drawn from; the message names the part that is wrong."""


def to_json(
    *,
    dataset: Dataset,
    scope: str,
    categories: Iterable[str],
    monthly: Iterable[tuple[str, Mapping[str, int], int]],
    locations: Iterable[Location],
    unmapped: int,
    provenance: Mapping[str, Any],
) -> dict:
    """The aggregate as a JSON-ready dict; `monthly` holds (month, counts by category, fatalities).

    `dataset` gives the name, publisher, URL and access date; its export, hash and query are
    the provenance's (`source_file`, `sha256`, `query`).
    """
    return {
        "format": FORMAT,
        "dataset": {"name": dataset.name, "publisher": dataset.publisher, "url": dataset.url,
                    "accessed": dataset.accessed},
        "attribution": ", ".join(x for x in (dataset.publisher or dataset.name, dataset.url) if x),
        "scope": scope,
        "categories": list(categories),
        "monthly": [{"month": m, "counts": dict(c), "fatalities": f} for m, c, f in monthly],
        "locations": [
            {
                "name": loc.name,
                "country": loc.country,
                "admin1": loc.admin1,
                "latitude": loc.latitude,
                "longitude": loc.longitude,
                "events": loc.events,
                "fatalities": loc.fatalities,
            }
            for loc in locations
        ],
        "unmapped": unmapped,
        "provenance": dict(provenance),
    }


def write(aggregate: dict, dest: Path) -> None:
    """Write an aggregate atomically; equal aggregates give equal bytes."""
    text = json.dumps(aggregate, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    atomic.write_bytes(Path(dest), text.encode("utf-8"))


def read(path: Path) -> EventData:
    """Read and check an aggregate file. Raises AggregateError (or OSError if it cannot be read)."""
    path = Path(path)
    try:
        raw = files.read_bytes(path, MAX_BYTES, "aggregates")
    except files.FileProblem as exc:
        raise AggregateError(exc.strerror) from None
    try:
        doc = json.loads(raw, parse_constant=_no_constant, parse_int=_number(int), parse_float=_number(float))
    except _LongNumber as exc:
        raise AggregateError(_located(raw, exc.text, f"a number of {len(exc.text):,} characters; numbers are "
                                      f"limited to {limits.NUMBER_CHARS}")) from None
    except RecursionError:
        raise AggregateError("JSON nested too deeply") from None
    except UnicodeDecodeError:
        raise AggregateError("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise AggregateError(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    return _parse(doc, path, hashlib.sha256(raw).hexdigest())


class _LongNumber(Exception):
    def __init__(self, text: str):
        self.text = text


def _number(kind: type) -> Any:
    """A JSON number parser refusing numbers longer than the YAML reader takes."""
    def parse(text: str) -> Any:
        if len(text) > limits.NUMBER_CHARS:
            raise _LongNumber(text)
        return kind(text)
    return parse


def _located(raw: bytes, needle: str, message: str) -> str:
    at = raw.find(needle.encode("ascii"))
    line = raw.count(b"\n", 0, at) + 1
    column = at - (raw.rfind(b"\n", 0, at) + 1) + 1
    return f"line {line}, column {column}: {message}"


def _no_constant(name: str) -> float:
    raise AggregateError(f"{name} is not a number an aggregate may hold")


def _parse(doc: Any, path: Path, sha256: str) -> EventData:
    if not isinstance(doc, dict) or doc.get("format") not in FORMATS:
        raise AggregateError(f"not an events aggregate (format {FORMAT!r})")
    categories = tuple(_text(c, f"categories[{i}]") for i, c in enumerate(_list(doc, "categories", MAX_CATEGORIES)))
    if not categories or len(set(categories)) != len(categories):
        raise AggregateError("categories: expected one or more names, none twice")
    months = tuple(_month_count(x, f"monthly[{i}]", categories) for i, x in enumerate(_list(doc, "monthly", MAX_MONTHS)))
    for i in range(1, len(months)):
        if months[i].month <= months[i - 1].month:
            what = "repeats" if months[i].month == months[i - 1].month else "comes before"
            raise AggregateError(f"monthly[{i}].month: {months[i].month} {what} {months[i - 1].month}; "
                                 "months must be in order, each once")
    locations = tuple(_location(x, f"locations[{i}]") for i, x in enumerate(_list(doc, "locations", MAX_LOCATIONS)))
    provenance = doc.get("provenance", {})
    if not isinstance(provenance, dict):
        raise AggregateError("provenance: expected an object")
    attribution = _text(_field(doc, "attribution", ""), "attribution")
    return EventData(
        path=path,
        categories=categories,
        months=months,
        locations=locations,
        attribution=attribution,
        scope=_text(doc.get("scope", ""), "scope"),
        provenance=tuple(
            (str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for k, v in provenance.items()
        ),
        sha256=sha256,
        dataset=_dataset(doc, provenance, attribution),
        unmapped=_count(doc.get("unmapped", 0), "unmapped"),
    )


def _dataset(doc: dict, provenance: dict, attribution: str) -> Dataset:
    """The aggregate's dataset, and its query as the provenance records it."""
    query = _query(provenance.get("query", provenance.get("filters")))
    if doc["format"] == FORMAT:
        raw = _field(doc, "dataset", "")
        if not isinstance(raw, dict):
            raise AggregateError("dataset: expected an object")
        fields = {k: _text(raw.get(k, ""), f"dataset.{k}") for k in ("name", "publisher", "url", "accessed")}
        if not fields["name"].strip():
            raise AggregateError("dataset.name: missing")
        if fields["accessed"] and not _is_day(fields["accessed"]):
            raise AggregateError(f"dataset.accessed: {fields['accessed'][:40]!r} is not a date (YYYY-MM-DD)")
    elif str(provenance.get("synthetic", "")).lower() != "true" and (
            attribution.startswith(_ACLED_ATTRIBUTION) or attribution.split(",")[0].strip() == "ACLED"):
        acled = KNOWN_DATASETS["acled"]
        imported = provenance.get("imported", "")
        fields = {"name": acled.name, "publisher": acled.publisher, "url": acled.url,
                  "accessed": imported if _is_day(imported) else ""}
    else:
        fields = {"name": attribution or "source not stated", "publisher": "", "url": "", "accessed": ""}
    return Dataset(**{k: str(v) for k, v in fields.items()}, query=query)


def _is_day(value: Any) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(date.fromisoformat(value))
    except ValueError:
        return False


def _query(raw: Any) -> str:
    """An import's query (`provenance.query`) in words; "" if it is missing or not one."""
    if not isinstance(raw, dict) or not isinstance(raw.get("actors"), list) or not raw["actors"]:
        return ""

    def texts(key: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        return tuple(str(x) for x in value) if isinstance(value, list) else ()

    options = ImportOptions(actors=texts("actors"), start=_optional(raw.get("from")), end=_optional(raw.get("to")),
                            event_types=texts("event_types"), role="actor1" if raw.get("role") == "actor1" else "any",
                            countries=texts("countries"))
    return _text(describe_query(options)[:MAX_TEXT], "provenance.query")


def _optional(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _field(obj: dict, key: str, where: str) -> Any:
    if key not in obj:
        raise AggregateError(f"{where + '.' if where else ''}{key}: missing")
    return obj[key]


def _list(obj: dict, key: str, most: int) -> list:
    value = _field(obj, key, "")
    if not isinstance(value, list):
        raise AggregateError(f"{key}: expected a list")
    if len(value) > most:
        raise AggregateError(f"{key}: {len(value):,} entries; at most {most:,}")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise AggregateError(f"{where}: expected text")
    if len(value) > MAX_TEXT:
        raise AggregateError(f"{where}: longer than {MAX_TEXT} characters")
    return value


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**9:
        raise AggregateError(f"{where}: {value!r} is not a whole number of at least 0")
    return value


def _coordinate(value: Any, where: str, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not -limit <= value <= limit:
        raise AggregateError(f"{where}: {value!r} is not in [-{limit:g}, {limit:g}]")
    return float(value)


def _month_count(x: Any, where: str, categories: tuple[str, ...]) -> MonthCount:
    if not isinstance(x, dict):
        raise AggregateError(f"{where}: expected an object")
    month = _field(x, "month", where)
    if not isinstance(month, str) or not _MONTH.match(month):
        raise AggregateError(f"{where}.month: {month!r} is not a month (YYYY-MM)")
    counts = _field(x, "counts", where)
    if not isinstance(counts, dict):
        raise AggregateError(f"{where}.counts: expected an object")
    unknown = [k for k in counts if k not in categories]
    if unknown:
        raise AggregateError(f"{where}.counts: {unknown[0]!r} is not one of the categories")
    return MonthCount(
        month,
        tuple((c, _count(counts.get(c, 0), f"{where}.counts.{c}")) for c in categories),
        _count(_field(x, "fatalities", where), f"{where}.fatalities"),
    )


def _location(x: Any, where: str) -> Location:
    if not isinstance(x, dict):
        raise AggregateError(f"{where}: expected an object")
    return Location(
        _text(_field(x, "name", where), f"{where}.name"),
        _text(_field(x, "country", where), f"{where}.country"),
        _text(x.get("admin1", ""), f"{where}.admin1"),
        _coordinate(_field(x, "latitude", where), f"{where}.latitude", 90),
        _coordinate(_field(x, "longitude", where), f"{where}.longitude", 180),
        _count(_field(x, "events", where), f"{where}.events"),
        _count(_field(x, "fatalities", where), f"{where}.fatalities"),
    )
