"""Rows read from ACLED's API as a CSV file in the export tool's layout, and merged into a previous one.

Columns keep the order of ACLED's exports: the current layout (``event_id_cnty, event_date, …,
tags, timestamp``) or, for rows in the older one (with ``data_id``), that layout's order; columns
neither knows follow in the order first met.  An update (``--since`` a previous file) reads the
events added or changed since the newest ``timestamp`` in it and the events deleted since then,
and merges them on ``event_id_cnty``: deleted events leave, changed ones are replaced where they
stand, new ones come first (the API's order, newest first).

Raw rows may not be redistributed (ACLED's terms), so they are written outside the project by
default, in the user's data folder; a path inside a project folder (one holding a
``content.yaml`` or ``.git``) is refused unless asked for explicitly.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Mapping, Sequence

from .. import atomic
from .fetch import FetchError, Query, Session, cell_text
from .scan import encoding_of, open_export

# ACLED's export tool, current layout (September 2025)
CURRENT_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
# ... and the older layout (the Mali export of 2019)
LEGACY_COLUMNS = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision", "event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "region", "country",
    "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "timestamp", "iso3",
)
PROJECT_MARKERS = ("content.yaml", ".git")


@dataclass(frozen=True)
class Fetched:
    """What a fetch wrote and how it changed the previous file."""

    out: Path
    rows: int  # in the file written
    read: int  # rows the API returned
    added: int
    changed: int
    deleted: int
    since: int | None  # the Unix time an update read from
    requests: int


def columns(rows: Sequence[Mapping[str, object]], previous: Sequence[str] = ()) -> list[str]:
    """The header for `rows`: the previous file's, else the export layout's order; unknown columns after."""
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    if previous:
        known: Sequence[str] = previous
    else:
        known = LEGACY_COLUMNS if "data_id" in keys else CURRENT_COLUMNS
    ordered = [c for c in known if c in keys or c in previous]
    return ordered + [k for k in keys if k not in ordered]


def read_previous(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of an earlier fetch (or any export in ACLED's layout)."""
    try:
        with open_export(path, encoding_of(path)) as f:
            reader = csv.DictReader(f)
            rows = [row for row in reader]
            header = list(reader.fieldnames or ())
    except (OSError, csv.Error) as exc:
        raise FetchError(f"cannot read the previous fetch {path}: {getattr(exc, 'strerror', None) or exc}") from None
    missing = [c for c in ("event_id_cnty", "timestamp") if c not in header]
    if missing:
        raise FetchError(f"{path} has no {' or '.join(missing)} column, so it cannot be updated; fetch it anew")
    return header, rows


def newest_timestamp(rows: Sequence[Mapping[str, str]], path: Path) -> int:
    stamps = [int(t) for t in (str(r.get("timestamp") or "").strip() for r in rows) if t.isdigit()]
    if not stamps:
        raise FetchError(f"{path} has no row with a timestamp to update from; fetch it anew")
    return max(stamps)


def merge(previous: Sequence[Mapping[str, str]], fetched: Sequence[Mapping[str, object]],
          deleted: set[str]) -> tuple[list[Mapping[str, object]], int, int, int]:
    """`previous` without `deleted`, with `fetched` replacing rows of the same id and added before them.

    Returns the rows and the numbers added, changed (a replacement that differs) and deleted.
    """
    by_id = {cell_text(r["event_id_cnty"]): r for r in fetched}
    kept: list[Mapping[str, object]] = []
    changed = removed = 0
    placed: set[str] = set()
    for row in previous:
        key = row.get("event_id_cnty") or ""
        if key in deleted and key not in by_id:
            removed += 1
            continue
        if key in by_id:
            new = by_id[key]
            if key not in placed and any(cell_text(new.get(c)) != (row.get(c) or "") for c in {*new, *row}):
                changed += 1
            placed.add(key)
            kept.append(new)
        else:
            kept.append(row)
    added = [r for k, r in by_id.items() if k not in placed]
    return added + kept, len(added), changed, removed


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Mapping[str, object]]) -> None:
    """`rows` under `header`, replacing `path` whole (or not at all)."""
    try:
        with atomic.replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([cell_text(row.get(c)) for c in header])
    except OSError as exc:
        raise FetchError(f"cannot write {path}: {exc.strerror or exc}") from None


def data_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_DATA_HOME/jnim-export/acled`` or ``~/.local/share/jnim-export/acled``."""
    root = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".local" / "share")
    return Path(root) / "jnim-export" / "acled"


def default_name(query: Query, today: date) -> str:
    """``acled-mali-niger-2017-01-01-2019-02-27.csv``: the countries (or ``all``) and the window."""
    where = "-".join(re.sub(r"[^a-z0-9]+", "-", c.lower()).strip("-") for c in query.countries) or "all"
    return f"acled-{where[:80]}-{query.first_day or 'start'}-{query.last_day or today.isoformat()}.csv"


def project_of(path: Path, environ: Mapping[str, str] = os.environ) -> Path | None:
    """The project folder `path` is in (up to, not including, the home folder), if any."""
    home = Path(environ.get("HOME") or Path.home()).resolve()
    folder = path.resolve().parent
    for candidate in (folder, *folder.parents):
        if candidate == home or candidate == candidate.parent:
            return None
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return None


def check_place(out: Path, in_project: bool, environ: Mapping[str, str] = os.environ) -> None:
    project = None if in_project else project_of(out, environ)
    if project is not None:
        raise FetchError(f"{out} is inside the project folder {project}, and ACLED's terms forbid redistributing raw "
                         f"rows; write them elsewhere (the default is {data_folder(environ)}) or pass --in-project")


def fetch(session: Session, query: Query, out: Path, previous: Path | None = None) -> Fetched:
    """Read the events `query` asks for and write them to `out`; with `previous`, update that file's rows."""
    header: Sequence[str] = ()
    old: list[dict[str, str]] = []
    deleted: set[str] = set()
    if previous is not None:
        header, old = read_previous(previous)
        query = replace(query, since=newest_timestamp(old, previous))
    rows = session.events(query)
    if previous is not None and rows and ("data_id" in header) != ("data_id" in rows[0]):
        mine, theirs = ("older", "current") if "data_id" in header else ("current", "older")
        raise FetchError(f"{previous} is in ACLED's {mine} layout and the API answered in the {theirs} one; one file "
                         "cannot mix them, so fetch it anew")
    if query.since is not None:
        deleted = session.deletions(query.since)
    merged, added, changed, removed = merge(old, rows, deleted)
    write_csv(out, columns(merged, header), merged)
    return Fetched(out, len(merged), len(rows), added, changed, removed, query.since, session.requests)
