"""Rows read from ACLED's API as a CSV file in the export tool's layout, and merged into a previous one.

Columns keep the order of ACLED's exports: the current layout (``event_id_cnty, event_date, …,
tags, timestamp``) or, for rows in the older one (with ``data_id``), that layout's order; columns
neither knows follow in the order the first row has them.  Rows are written as the pages come, so a
fetch holds one page at a time, and a failed one leaves the previous file as it was.  An update (``--since`` a previous file) reads the
events added or changed since the newest ``timestamp`` in it and the events deleted since then,
and merges them on ``event_id_cnty``: deleted events leave, changed ones are replaced where they
stand, new ones come first (the API's order, newest first).  The previous file is read twice (its
ids and newest timestamp, then its rows while the merged file is written), never held whole.

Raw rows may not be redistributed (ACLED's terms), so they are written outside the project by
default, in the user's data folder; a path inside a project folder (one holding a
``content.yaml`` or ``.git``) is refused unless asked for explicitly.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

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


class Previous:
    """An earlier fetch (or any export in ACLED's layout), read twice rather than held: once here for its
    header, event ids and newest timestamp, once by `rows` to merge."""

    def __init__(self, path: Path):
        self.path = path
        self.header: list[str] = []
        self.ids: set[str] = set()
        stamps = [0]
        for row in self.rows():
            self.ids.add(row.get("event_id_cnty") or "")
            stamp = (row.get("timestamp") or "").strip()
            if stamp.isdigit():
                stamps.append(int(stamp))
        missing = [c for c in ("event_id_cnty", "timestamp") if c not in self.header]
        if missing:
            raise FetchError(f"{path} has no {' or '.join(missing)} column, so it cannot be updated; fetch it anew")
        if max(stamps) == 0:
            raise FetchError(f"{path} has no row with a timestamp to update from; fetch it anew")
        self.newest = max(stamps)

    def rows(self) -> Iterator[dict[str, str]]:
        try:
            with open_export(self.path, encoding_of(self.path)) as f:
                reader = csv.DictReader(f)
                self.header = list(reader.fieldnames or ())
                yield from reader
        except (OSError, csv.Error) as exc:
            raise FetchError(f"cannot read the previous fetch {self.path}: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None


def merge(previous: Iterable[Mapping[str, str]], previous_ids: set[str], fetched: Mapping[str, Mapping[str, object]],
          deleted: set[str], counts: dict[str, int]) -> Iterator[Mapping[str, object]]:
    """`previous` without `deleted`, with `fetched` (by event id) replacing rows of the same id, the new ones first.

    Counts in `counts` the events added, changed (a replacement that differs) and deleted.
    """
    added = [row for key, row in fetched.items() if key not in previous_ids]
    counts.update(added=len(added), changed=0, deleted=0)
    yield from added
    placed: set[str] = set()
    for row in previous:
        key = row.get("event_id_cnty") or ""
        if key in fetched:
            if key in placed:
                continue
            placed.add(key)
            new = fetched[key]
            counts["changed"] += any(cell_text(new.get(c)) != (row.get(c) or "") for c in {*new, *row})
            yield new
        elif key in deleted:
            counts["deleted"] += 1
        else:
            yield row


def write_csv(path: Path, rows: Iterable[Mapping[str, object]], header: Sequence[str] = ()) -> int:
    """`rows` under `header` (or the first row's layout), replacing `path` whole or not at all; how many."""
    rows = iter(rows)
    first = next(rows, None)
    header = list(header) or (columns([first]) if first is not None else list(CURRENT_COLUMNS))
    written = 0
    try:
        with atomic.replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            for row in itertools.chain([first] if first is not None else [], rows):
                writer.writerow([cell_text(row.get(c)) for c in header])
                written += 1
    except OSError as exc:
        raise FetchError(f"cannot write {path}: {exc.strerror or exc}") from None
    return written


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
    """Read the events `query` asks for and write them to `out`, page by page; with `previous`, update that."""
    if previous is None:
        written = write_csv(out, session.events(query))
        return Fetched(out, written, written, written, 0, 0, None, session.requests)
    old = Previous(previous)
    query = replace(query, since=old.newest)
    fetched = {cell_text(row["event_id_cnty"]): row for row in session.events(query)}
    first = next(iter(fetched.values()), None)
    if first is not None and ("data_id" in old.header) != ("data_id" in first):
        mine, theirs = ("older", "current") if "data_id" in old.header else ("current", "older")
        raise FetchError(f"{previous} is in ACLED's {mine} layout and the API answered in the {theirs} one; one file "
                         "cannot mix them, so fetch it anew")
    deleted = session.deletions(old.newest)
    counts: dict[str, int] = {}
    written = write_csv(out, merge(old.rows(), old.ids, fetched, deleted, counts),
                        columns(list(fetched.values()), old.header))
    return Fetched(out, written, len(fetched), counts["added"], counts["changed"], counts["deleted"], old.newest,
                   session.requests)
