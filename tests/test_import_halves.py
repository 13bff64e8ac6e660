"""A large export read in two halves at once gives exactly what reading it in order gives.

The halves only start above `halves.SPLIT_BYTES`; here that is 0, so the small files these tests
write (synthetic rows built from tests/data/acled_*.csv) are split too.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jnim_export.events import ImportOptions, import_acled
from jnim_export.events import halves

DATA = Path(__file__).parent / "data"
CURRENT, LEGACY, BAD = DATA / "acled_current.csv", DATA / "acled_legacy.csv", DATA / "acled_bad.csv"


def aggregate(path: Path, options: ImportOptions, split: bool, monkeypatch) -> dict:
    monkeypatch.setattr(halves, "SPLIT_BYTES", 0 if split else 1 << 62)
    agg = import_acled(path, options)
    return {**agg.as_json(), "skipped": [dataclasses.astuple(s) for s in agg.skipped], "dups": agg.duplicates}


def write_export(path: Path, source: Path, rows: list[int], *, crlf: bool, blank: set[int], multiline: set[int],
                 unique: bool = False) -> None:
    """Rows of `source` (by index, repeats allowed: a repeat is a duplicate event unless `unique`
    renumbers the event ids), optionally a blank line before some, a quoted note with a line
    break in some, CRLF or LF line ends."""
    lines = source.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    out = [header]
    for n, i in enumerate(rows):
        if n in blank:
            out.append("")
        row = body[i % len(body)]
        if unique:
            row = row.replace("TST", f"U{n}-", 1)
        if n in multiline:
            row = row.replace("test row", '"a note\nover two lines, with ""quotes"""') if "test row" in row else row
        out.append(row)
    path.write_bytes(("\r\n" if crlf else "\n").join(out).encode() + b"\n")


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=st.sampled_from([CURRENT, LEGACY, BAD]), rows=st.lists(st.integers(0, 30), min_size=1, max_size=60),
       crlf=st.booleans(), blank=st.sets(st.integers(0, 60), max_size=4),
       multiline=st.sets(st.integers(0, 60), max_size=3), unique=st.booleans(),
       actors=st.sampled_from([("JNIM",), ("Test Armed Group", "JNIM"), ("Test Protesters",)]))
def test_two_halves_give_what_reading_in_order_gives(tmp_path, monkeypatch, source, rows, crlf, blank, multiline,
                                                      unique, actors):
    export = tmp_path / "export.csv"
    write_export(export, source, rows, crlf=crlf, blank=blank, multiline=multiline, unique=unique)
    options = ImportOptions(actors=actors)
    try:
        in_order = aggregate(export, options, False, monkeypatch)
    except Exception as exc:  # noqa: BLE001 — then the halves must fail the same way
        with pytest.raises(type(exc), match=None):
            aggregate(export, options, True, monkeypatch)
        return
    assert aggregate(export, options, True, monkeypatch) == in_order


def test_the_halves_really_split_and_number_the_second_halfs_lines(tmp_path, monkeypatch):
    export = tmp_path / "export.csv"
    rows = list(range(10)) * 3
    write_export(export, CURRENT, rows, crlf=False, blank={2, 25}, multiline=set(), unique=True)
    text = export.read_text(encoding="utf-8").splitlines()
    text[-3] = text[-3].replace(",2018-", ",2018-13-01,2018-", 1)  # one bad row late in the file (a column more)
    export.write_text("\n".join(text) + "\n", encoding="utf-8")
    added = []
    real_add = halves._add
    monkeypatch.setattr(halves, "_add", lambda *a: added.append(a[2]) or real_add(*a))
    split = aggregate(export, ImportOptions(actors=("JNIM",)), True, monkeypatch)
    assert added, "the halves were added together, not read again in order"
    assert split == aggregate(export, ImportOptions(actors=("JNIM",)), False, monkeypatch)
    assert max(row for row, _ in split["skipped"]) > len(rows) // 2 + 1, "a skipped row of the second half"
    json.dumps(split)
