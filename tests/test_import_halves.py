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


PLAIN = st.text(st.sampled_from(['a', 'B', ' ', 'é', ';', '\x00']), max_size=5)
SPECIAL = st.text(st.sampled_from(['a', ' ', ',', '"', '\n', '\r']), max_size=6)


@pytest.mark.slow  # 300 examples, about 0.8 s: with the slow tests (in CI every run)
@settings(max_examples=300, deadline=None)
@given(fields=st.lists(PLAIN, min_size=1, max_size=9), quoted=st.dictionaries(st.integers(0, 8), SPECIAL, max_size=2),
       around=st.tuples(st.integers(0, 2), st.integers(0, 2)), more=st.sets(st.integers(0, 8), max_size=1),
       free=st.integers(0, 8), ending=st.sampled_from(["", "\n", "\r\n", "\r"]),
       garbage=st.lists(st.tuples(st.integers(0, 80), st.sampled_from(['"', ',', '""', '\r'])), max_size=1))
def test_fields_split_as_the_csv_parser_does_or_leave_it_to_it(fields, quoted, around, more, free, ending, garbage):
    """`fields` gives `csv.reader`'s fields where the import reads them, and as many, or None:
    quoted fields in the run not read or elsewhere, quotes inside them, stray quotes, commas and
    line breaks, any line end."""
    import csv

    from jnim_export.events.records import fields as splitter

    text = ",".join('"' + quoted[i].replace('"', '""') + '"' if i in quoted else f for i, f in enumerate(fields))
    for at, piece in garbage:
        text = text[:at] + piece + text[at:]
    record = text + ending
    try:
        count = len(next(csv.reader([record]), []))
    except csv.Error:
        count = len(fields)
    middle = min(quoted, default=free)  # the columns around the (first) quoted field are not read
    read = {i for i in range(count) if not middle - around[0] <= i <= middle + around[1]} | (more & set(range(count)))
    split = splitter(count, read, free)(record)
    if split is not None:
        try:
            row = next(csv.reader([record]))
        except csv.Error as e:
            raise AssertionError(f"split {split!r} where the parser fails: {e}") from None
        assert len(split) == len(row) and [split[i] for i in read] == [row[i] for i in read]


def test_fields_take_the_fast_path_for_acled_rows():
    """The current layout's rows (notes quoted, with commas) split without the parser."""
    import csv

    from jnim_export.events.records import fields as splitter

    header, *rows = CURRENT.read_text(encoding="utf-8").splitlines()
    names = header.split(",")
    read = [names.index(n) for n in ("event_date", "actor1", "latitude", "fatalities")]
    split = splitter(len(names), read, names.index("notes"))
    row = rows[0].split(",")
    row[names.index("notes")] = '"A note, with a comma and ""quotes"""'
    record = ",".join(row) + "\r\n"
    assert split(record) is not None
    assert [split(record)[i] for i in read] == [next(csv.reader([record]))[i] for i in read]


@pytest.mark.parametrize("split", [False, True], ids=["in order", "halves"])
def test_a_byte_beyond_utf8_in_a_line_never_decoded_still_makes_the_file_latin1(tmp_path, monkeypatch, split):
    """Lines that cannot name the actor are not decoded; the hashing pass checks them all."""
    head, *rows = CURRENT.read_text(encoding="utf-8").splitlines()
    filler = rows[3]
    assert "JNIM" not in filler and "Ségou" in rows[2]
    body = [rows[2]] + [filler] * 40 + [filler.replace("test row", "caf\xe9")] + [filler] * 40
    path = tmp_path / "mixed.csv"
    path.write_bytes("\n".join([head] + body).encode("utf-8").replace("caf\xe9".encode(), b"caf\xe9") + b"\n")
    agg = aggregate(path, ImportOptions(actors=("JNIM",)), split, monkeypatch)
    assert {p["name"] for p in agg["locations"]} == {"SÃ©gou"}, "UTF-8 bytes read as Latin-1, as for the whole file"


@pytest.mark.parametrize("split", [False, True], ids=["in order", "halves"])
def test_carriage_returns_alone_break_lines_as_the_text_reader_does(tmp_path, monkeypatch, split):
    lines = CURRENT.read_text(encoding="utf-8").splitlines() * 3
    path = tmp_path / "cr.csv"
    path.write_bytes("\r".join(lines[:1] + [l for l in lines if not l.startswith("event_id")]).encode() + b"\r")
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(path.read_bytes().replace(b"\r", b"\r\n"))
    options = ImportOptions(actors=("JNIM",))
    got, expected = aggregate(path, options, split, monkeypatch), aggregate(crlf, options, split, monkeypatch)
    assert {k: v for k, v in got.items() if k != "provenance"} == {k: v for k, v in expected.items() if k != "provenance"}
    assert got["provenance"]["rows_read"] == 3 * 6


def test_a_name_beyond_ascii_or_an_ascii_name_written_beyond_it_is_found(tmp_path, monkeypatch):
    """KELVIN SIGN lower-cases to k, so "\u212aatiba" names "Katiba"; a name with é is searched as text."""
    head, *rows = CURRENT.read_text(encoding="utf-8").splitlines()
    kelvin = rows[0].replace("JNIM: Group for Support of Islam and Muslims", "\u212aatiba Macina", 1)
    accented = rows[1].replace("Test Armed Group", "Groupe Armé", 1)
    path = tmp_path / "names.csv"
    path.write_text("\n".join([head, kelvin, accented] + rows[2:]) + "\n", encoding="utf-8")
    assert aggregate(path, ImportOptions(actors=("Katiba Macina",)), False, monkeypatch)["provenance"]["rows_matched"] == 1
    assert aggregate(path, ImportOptions(actors=("groupe armé",)), False, monkeypatch)["provenance"]["rows_matched"] == 1
