"""Tests for the ACLED event importer (jnim_export.events).

The fixtures in tests/data/acled_*.csv are invented rows (notes "test row"),
not ACLED data.  The test against the real Mali export runs only where that
export is present, next to the repository in shared/data/acled/.
"""

from __future__ import annotations

import hashlib
import re
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jnim_export import events
from jnim_export.events import categories
from jnim_export.events import (
    CATEGORIES,
    EventImportError,
    ImportOptions,
    command_line,
    import_acled,
    summary,
    write_aggregate,
)

DATA = Path(__file__).parent / "data"
LEGACY = DATA / "acled_legacy.csv"
CURRENT = DATA / "acled_current.csv"
BAD = DATA / "acled_bad.csv"
UNKNOWN = DATA / "acled_unknown.csv"
REAL = Path(__file__).resolve().parents[2] / "shared/data/acled/2017-01-01-2019-02-27-Mali.csv"
ASSETS = Path(__file__).resolve().parents[1] / "assets/data"
JNIM = ("JNIM",)


def months(agg):
    return {m.month: m for m in agg.monthly}


def category_totals(agg):
    return {c: sum(m.counts[c] for m in agg.monthly) for c in CATEGORIES}


# --------------------------------------------------------------------------- layouts


def test_legacy_layout():
    agg = import_acled(LEGACY, ImportOptions(actors=JNIM))
    assert agg.layout == "acled-legacy"
    assert (agg.rows_read, agg.rows_matched, agg.skipped) == (10, 7, ())
    by_month = months(agg)
    assert list(by_month) == ["2017-03", "2017-04", "2017-05", "2017-06", "2017-07", "2017-08"]
    assert by_month["2017-03"].counts["Battles"] == 1
    assert by_month["2017-03"].counts["Explosions/Remote violence"] == 1
    assert by_month["2017-03"].fatalities == 3
    assert by_month["2017-07"].counts["Strategic developments"] == 1
    assert by_month["2017-07"].counts["Violence against civilians"] == 1
    assert agg.scope == "Mali only"


def test_current_layout():
    agg = import_acled(CURRENT, ImportOptions(actors=JNIM))
    assert agg.layout == "acled-current"
    assert (agg.rows_read, agg.rows_matched) == (6, 4)
    assert [m.month for m in agg.monthly] == ["2018-03", "2018-04", "2018-05"]
    assert category_totals(agg) == {
        "Battles": 1,
        "Explosions/Remote violence": 1,
        "Violence against civilians": 1,
        "Protests": 0,
        "Riots": 0,
        "Strategic developments": 1,
    }
    assert agg.scope == "Mali, Niger"
    segou = next(p for p in agg.locations if p.name == "Ségou")
    assert (segou.admin1, segou.country, segou.events, segou.fatalities) == ("Ségou", "Mali", 1, 2)


def test_older_event_types_map_to_current_categories():
    actors = ("JNIM", "Test Rioters", "Test Protesters", "JNIM-affiliated Test Militia")
    agg = import_acled(LEGACY, ImportOptions(actors=actors))
    assert agg.rows_matched == 10
    assert category_totals(agg) == {
        "Battles": 3,  # Battle-No change / Non-state actor overtakes / Government regains
        "Explosions/Remote violence": 1,  # Remote violence
        "Violence against civilians": 1,
        "Protests": 1,  # Riots/Protests, inter1 6
        "Riots": 1,  # Riots/Protests, inter1 5
        "Strategic developments": 3,  # Strategic development, transfer, headquarters
    }


@pytest.mark.parametrize(
    "event_type, inter1, inter2, category",
    [
        ("Riots/Protests", "5", "0", "Riots"),
        ("Riots/Protests", "1", "5", "Riots"),
        ("Riots/Protests", "6", "1", "Protests"),
        ("Battle-Government regains territory", "1", "2", "Battles"),
        ("Non-violent transfer of territory", "2", "0", "Strategic developments"),
        ("Remote violence", "2", "1", "Explosions/Remote violence"),
        ("Explosions/Remote violence", "2", "1", "Explosions/Remote violence"),
    ],
)
def test_category_rule(event_type, inter1, inter2, category):
    assert CATEGORIES[categories.category(event_type, inter1, inter2)] == category


def test_unknown_layout_lists_expected_and_found_columns():
    with pytest.raises(EventImportError) as err:
        import_acled(UNKNOWN, ImportOptions(actors=JNIM))
    message = str(err.value)
    assert "data_id" in message and "disorder_type" in message and "event_date" in message
    assert "found: id, date, type, actor, place, lat, lon, deaths" in message


def test_known_layout_missing_a_column(tmp_path):
    lines = LEGACY.read_text(encoding="utf-8").splitlines()
    assert lines[0].count(",fatalities,") == 1
    header = lines[0].replace(",fatalities,", ",deaths,")
    path = tmp_path / "acled_missing.csv"
    path.write_text("\n".join([header] + lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(EventImportError, match="lacks the columns fatalities"):
        import_acled(path, ImportOptions(actors=JNIM))


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(EventImportError, match="empty"):
        import_acled(path, ImportOptions(actors=JNIM))


def test_missing_file(tmp_path):
    with pytest.raises(EventImportError, match="cannot read"):
        import_acled(tmp_path / "nope.csv", ImportOptions(actors=JNIM))


# --------------------------------------------------------------------------- actors


@pytest.mark.parametrize(
    "actors, matched",
    [
        (("JNIM",), 7),
        (("jnim",), 7),  # case-insensitive
        (("  JNIM ",), 7),  # surrounding spaces ignored
        (("JNIM: Group for Support of Islam and Muslims",), 7),  # whole field
        (("Group for Support of Islam and Muslims",), 7),  # part after ": "
        (("JNIM-affiliated Test Militia",), 1),  # not matched by "JNIM" above
        (("Test Allies",), 2),  # item of assoc_actor_1 and of assoc_actor_2
        (("JNIM", "Test Rioters"), 8),  # any of several
    ],
)
def test_actor_matching(actors, matched):
    assert import_acled(LEGACY, ImportOptions(actors=actors)).rows_matched == matched


@pytest.mark.parametrize("actor", ["JNI", "Group for Support", "Muslims", "Test"])
def test_actor_substrings_do_not_match(actor):
    with pytest.raises(EventImportError, match="no events"):
        import_acled(LEGACY, ImportOptions(actors=(actor,)))


def test_role_actor1_only_looks_at_actor1():
    agg = import_acled(LEGACY, ImportOptions(actors=JNIM, role="actor1"))
    assert agg.rows_matched == 4  # not as actor2, assoc_actor_1 or assoc_actor_2
    assert category_totals(agg)["Explosions/Remote violence"] == 0


# --------------------------------------------------------------------------- filters


def test_month_filters_are_inclusive():
    agg = import_acled(CURRENT, ImportOptions(actors=JNIM, start="2018-04", end="2018-05"))
    assert agg.rows_matched == 2  # 2018-04-01 and 2018-05-31
    assert [m.month for m in agg.monthly] == ["2018-04", "2018-05"]


def test_day_filters_are_inclusive():
    agg = import_acled(CURRENT, ImportOptions(actors=JNIM, start="2018-03-31", end="2018-04-01"))
    assert agg.rows_matched == 2
    assert [m.events for m in agg.monthly] == [1, 1]
    agg = import_acled(CURRENT, ImportOptions(actors=JNIM, start="2018-03-03", end="2018-03-31"))
    assert agg.rows_matched == 1


def test_every_month_of_the_window_is_present():
    agg = import_acled(CURRENT, ImportOptions(actors=JNIM, start="2018-01", end="2018-07"))
    assert [m.month for m in agg.monthly] == [f"2018-{m:02d}" for m in range(1, 8)]
    january = agg.monthly[0]
    assert january.counts == dict.fromkeys(CATEGORIES, 0)
    assert january.fatalities == 0
    assert list(january.counts) == list(CATEGORIES)


def test_months_without_events_inside_the_data_are_zero():
    june = months(import_acled(LEGACY, ImportOptions(actors=JNIM)))["2017-06"]
    assert (june.events, june.fatalities) == (0, 0)


def test_event_type_filter_takes_current_and_older_names():
    agg = import_acled(LEGACY, ImportOptions(actors=JNIM, event_types=("Battles",)))
    assert agg.rows_matched == 3
    agg = import_acled(LEGACY, ImportOptions(actors=JNIM, event_types=("Remote violence",)))
    assert category_totals(agg)["Explosions/Remote violence"] == agg.rows_matched == 1
    actors = ("Test Rioters", "Test Protesters")
    agg = import_acled(LEGACY, ImportOptions(actors=actors, event_types=("Riots/Protests",)))
    assert agg.as_json()["provenance"]["query"]["event_types"] == ["Protests", "Riots"]
    with pytest.raises(EventImportError, match="unknown event type 'Skirmishes'.*Battles"):
        import_acled(LEGACY, ImportOptions(actors=JNIM, event_types=("Skirmishes",)))


def test_country_filter():
    agg = import_acled(CURRENT, ImportOptions(actors=JNIM, countries=("niger",)))
    assert agg.rows_matched == 1
    assert agg.scope == "Niger only"


def test_filter_leaving_nothing_names_the_filters():
    options = ImportOptions(
        actors=JNIM, start="2019-01", end="2019-06", event_types=("Riots",), countries=("Mali",)
    )
    with pytest.raises(EventImportError) as err:
        import_acled(CURRENT, options)
    message = str(err.value)
    for part in ("no events", "JNIM", "from 2019-01", "to 2019-06", "Riots", "Mali"):
        assert part in message


@pytest.mark.parametrize(
    "options, message",
    [
        (ImportOptions(actors=()), "at least one actor"),
        (ImportOptions(actors=(" ",)), "at least one actor"),
        (ImportOptions(actors=JNIM, start="2018-13"), "from date '2018-13'"),
        (ImportOptions(actors=JNIM, end="2018-02-30"), "to date '2018-02-30'"),
        (ImportOptions(actors=JNIM, start="March 2018"), "from date"),
        (ImportOptions(actors=JNIM, start="2018-05", end="2018-04"), "after"),
        (ImportOptions(actors=JNIM, role="actor2"), "role"),
    ],
)
def test_bad_options(options, message):
    with pytest.raises(EventImportError, match=message):
        import_acled(CURRENT, options)


# --------------------------------------------------------------------------- bad rows


def test_bad_rows_are_skipped_with_their_line_numbers():
    agg = import_acled(BAD, ImportOptions(actors=JNIM))
    # lines 6-7 are one record (a note with a line break); line 10 has a bad
    # date but names another actor, so it is not checked.
    assert agg.rows_read == 9
    assert agg.rows_matched == 3
    reasons = {s.row: s.reason for s in agg.skipped}
    assert sorted(reasons) == [3, 4, 5, 8, 9]
    assert "impossible date '31 February 2017'" in reasons[3]
    assert "latitude '95.0'" in reasons[4]
    assert "expected 30 columns, found 9" in reasons[5]
    assert "fatalities 'many'" in reasons[8]
    assert "longitude '-200'" in reasons[9]
    assert summary(agg)["skipped"][0] == {"row": 3, "reason": reasons[3]}


def test_strict_makes_the_first_bad_row_fatal():
    with pytest.raises(EventImportError, match=r"line 3: impossible date"):
        import_acled(BAD, ImportOptions(actors=JNIM, strict=True))


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fixture=st.sampled_from([LEGACY, CURRENT]),
       copies=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=6))
def test_a_repeated_event_id_is_counted_once(tmp_path, fixture, copies):
    """Rows copied anywhere in an export change nothing but the skipped rows; --strict stops at the first."""
    header, *rows = fixture.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = list(rows)
    for source, at in copies:
        row = rows[source % len(rows)]
        lines.insert(len(lines) - (at % (len(lines) + 1)) if at % 2 else len(lines), row)
    export = tmp_path / "repeated.csv"
    export.write_text(header + "".join(lines), encoding="utf-8")
    expected = import_acled(fixture, ImportOptions(actors=JNIM))
    agg = import_acled(export, ImportOptions(actors=JNIM))
    assert (agg.monthly, agg.locations, agg.rows_matched) == (expected.monthly, expected.locations,
                                                             expected.rows_matched)
    repeated = [s for s in agg.skipped if "listed again" in s.reason]
    assert agg.duplicates == len(repeated) == summary(agg)["duplicates"]
    counted_ids = {r.split(",")[header.split(",").index("event_id_cnty")] for r in rows}
    if repeated:
        first = repeated[0]
        assert lines[first.row - 2].split(",")[header.split(",").index("event_id_cnty")] in counted_ids
        with pytest.raises(EventImportError, match=rf"line {first.row}: event \S+ is listed again"):
            import_acled(export, ImportOptions(actors=JNIM, strict=True))


def test_cli_reports_repeated_events(tmp_path):
    from click.testing import CliRunner

    from jnim_export.cli import main

    header, *rows = CURRENT.read_text(encoding="utf-8").splitlines(keepends=True)
    export = tmp_path / "repeated.csv"
    export.write_text(header + "".join(rows + rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["events", "import", str(export), "--actor", "JNIM"])
    assert result.exit_code == 0, result.output
    assert "4 matched, 4 skipped (4 repeating an event already counted)" in result.output
    assert f"{export}:9: warning: skipped row: event " in result.output
    result = CliRunner().invoke(main, ["events", "import", str(export), "--actor", "JNIM", "--strict"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{export}: line 8: event TST1 is listed again" in result.output


def test_unclosed_quote_at_the_end(tmp_path):
    path = tmp_path / "acled_unclosed.csv"
    path.write_text(CURRENT.read_text(encoding="utf-8") + 'TST7,"2018-06-02,JNIM\n', "utf-8")
    agg = import_acled(path, ImportOptions(actors=JNIM))
    assert agg.rows_read == 7
    assert [(s.row, s.reason) for s in agg.skipped] == [(8, "a quoted field is never closed")]


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1"])
@pytest.mark.parametrize("fixture", [LEGACY, CURRENT], ids=["legacy", "current"])
def test_encodings(tmp_path, encoding, fixture):
    path = tmp_path / f"acled_{encoding}.csv"
    path.write_text(fixture.read_text(encoding="utf-8"), encoding=encoding)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    # with a BOM left in, the legacy layout's first column (data_id) would be missed
    expected = import_acled(fixture, ImportOptions(actors=JNIM))
    agg = import_acled(path, ImportOptions(actors=JNIM))
    assert agg.layout == expected.layout
    assert agg.locations == expected.locations
    segou = next(p for p in agg.locations if p.name == "Ségou")
    assert segou.admin1 == "Ségou"


def test_latin1_decided_for_the_whole_file(tmp_path):
    """A Latin-1 byte far past the first read chunk still switches the whole file."""
    head, *rows = CURRENT.read_text(encoding="utf-8").splitlines()
    filler = rows[3]  # a row naming no JNIM, ASCII only
    assert "JNIM" not in filler and filler.isascii()
    assert "Ségou" in rows[2] and "JNIM" in rows[2]
    body = [rows[2]] + [filler] * 8000 + rows[:2]  # rows[2] is the Ségou row
    path = tmp_path / "acled_latin1_late.csv"
    path.write_bytes(("\n".join([head] + body) + "\n").encode("latin-1"))
    assert path.stat().st_size > 1 << 20
    agg = import_acled(path, ImportOptions(actors=JNIM))
    assert "Ségou" in {p.name for p in agg.locations}
    assert agg.rows_read == 8003


# --------------------------------------------------------------------------- output


def test_locations_grouped_and_sorted():
    agg = import_acled(LEGACY, ImportOptions(actors=JNIM))
    assert [(p.name, p.events, p.fatalities) for p in agg.locations] == [
        ("Testville A", 4, 5),
        ("Ségou", 2, 6),
        ("Testville C", 1, 0),
    ]
    first = agg.locations[0]
    assert (first.latitude, first.longitude) == (14.5, -4.2)  # 3 of its 4 events


def test_summary_shape():
    s = summary(import_acled(LEGACY, ImportOptions(actors=JNIM)))
    assert set(s) == {"rows_read", "rows_matched", "skipped", "duplicates", "monthly", "locations", "unmapped",
                      "dataset", "dataset_default", "accessed"}
    assert (s["rows_read"], s["rows_matched"], s["skipped"], s["locations"]) == (10, 7, [], 3)
    assert s["monthly"] == {
        "2017-03": 2, "2017-04": 1, "2017-05": 1, "2017-06": 0, "2017-07": 2, "2017-08": 1,
    }
    json.dumps(s)


def test_write_aggregate_is_deterministic(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")
    options = ImportOptions(actors=JNIM, start="2018-03", end="2018-05")
    first, second = tmp_path / "a" / "one.json", tmp_path / "two.json"
    write_aggregate(import_acled(CURRENT, options), first)
    write_aggregate(import_acled(CURRENT, options), second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().endswith(b"}\n")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "one.json", "two.json"]

    doc = json.loads(first.read_text(encoding="utf-8"))
    assert doc["format"] == "jnim-export/events@2"
    assert doc["attribution"].startswith("Armed Conflict Location & Event Data Project (ACLED)")
    assert doc["dataset"] == {"name": "ACLED", "publisher": "Armed Conflict Location & Event Data Project (ACLED)",
                              "url": "https://acleddata.com", "accessed": "2020-01-01"}
    assert doc["categories"] == list(CATEGORIES)
    assert [m["month"] for m in doc["monthly"]] == ["2018-03", "2018-04", "2018-05"]
    assert all(set(m["counts"]) == set(CATEGORIES) for m in doc["monthly"])
    assert set(doc["locations"][0]) == {
        "name", "country", "admin1", "latitude", "longitude", "events", "fatalities",
    }
    prov = doc["provenance"]
    assert prov["sha256"] == hashlib.sha256(CURRENT.read_bytes()).hexdigest()
    assert prov["imported"] == "2020-01-01"
    assert (prov["rows_read"], prov["rows_matched"], prov["rows_skipped"]) == (6, 4, 0)
    assert prov["query"] == {
        "actors": ["JNIM"], "role": "any", "from": "2018-03", "to": "2018-05",
        "event_types": [], "countries": [],
    }
    assert prov["command"] == (
        "jnim-export events import acled_current.csv --actor JNIM --from 2018-03 --to 2018-05"
    )
    assert "Ségou" in first.read_text(encoding="utf-8")  # ensure_ascii=False


def test_command_line_quotes_and_lists_every_option():
    options = ImportOptions(
        actors=("JNIM", "Islamic State (Greater Sahara)"), event_types=("Battles",),
        role="actor1", countries=("Mali",), strict=True,
    )
    assert command_line("export.csv", options, out="out.json") == (
        "jnim-export events import export.csv --actor JNIM "
        "--actor 'Islamic State (Greater Sahara)' --event-type Battles --role actor1 "
        "--country Mali --strict --out out.json"
    )


# --------------------------------------------------------------------------- real export


@pytest.fixture(scope="module")
def real_export():
    if not REAL.is_file():
        pytest.skip(f"real ACLED export not present at {REAL}")
    return REAL


def test_real_mali_export(real_export):
    agg = import_acled(real_export, ImportOptions(actors=JNIM, start="2017-03", end="2019-02"))
    assert agg.layout == "acled-legacy"
    assert (agg.rows_read, agg.rows_matched, agg.skipped) == (1339, 377, ())
    by_month = months(agg)
    assert len(by_month) == 24
    # checked by hand against the CSV (grep on the date column and the actor fields)
    assert (by_month["2018-07"].events, by_month["2018-07"].fatalities) == (37, 79)
    assert (by_month["2018-03"].events, by_month["2018-03"].fatalities) == (29, 53)
    assert agg.scope == "Mali only"


REAL_AGGREGATES = sorted(
    str(p.relative_to(ASSETS.parents[1]))
    for p in [*ASSETS.glob("*.json"), *ASSETS.parents[1].glob("tests/data/backgrounders/*/assets/data/*.json")]
    if not json.loads(p.read_text(encoding="utf-8"))["provenance"].get("synthetic")
)


def test_the_real_aggregates_are_found():
    assert len(REAL_AGGREGATES) >= 6


@pytest.mark.parametrize("asset", REAL_AGGREGATES)
def test_committed_aggregates_match_the_real_export(real_export, asset):
    """Every committed aggregate that is not synthetic is what its recorded filters give on the real export."""
    committed = json.loads((ASSETS.parents[1] / asset).read_text(encoding="utf-8"))
    filters = committed["provenance"]["query"]
    options = ImportOptions(
        actors=tuple(filters["actors"]), start=filters["from"], end=filters["to"], role=filters["role"],
        event_types=tuple(filters["event_types"]), countries=tuple(filters["countries"]),
        accessed=committed["dataset"]["accessed"],
    )
    fresh = import_acled(real_export, options).as_json()
    assert committed["provenance"]["source_file"] == real_export.name
    for doc in (committed, fresh):
        del doc["provenance"]["imported"], doc["provenance"]["command"]
    assert committed == json.loads(json.dumps(fresh))


def test_cli_import_prints_json_summary_and_writes_the_aggregate(tmp_path):
    from click.testing import CliRunner

    from jnim_export.cli import main

    out = tmp_path / "agg.json"
    result = CliRunner().invoke(
        main, ["events", "import", str(LEGACY), "--actor", "JNIM", "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert set(info) == {"rows_read", "rows_matched", "skipped", "duplicates", "monthly", "locations", "unmapped",
                         "dataset", "dataset_default", "accessed"}
    assert (info["dataset"], info["dataset_default"]) == ("ACLED", True)
    written = json.loads(out.read_text())
    assert written["provenance"]["command"].startswith("jnim-export events import ")
    assert sum(info["monthly"].values()) == info["rows_matched"]


def test_cli_import_errors_exit_1_without_traceback(tmp_path):
    from click.testing import CliRunner

    from jnim_export.cli import main

    result = CliRunner().invoke(main, ["events", "import", str(UNKNOWN), "--actor", "JNIM"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and str(UNKNOWN) in result.output
    result = CliRunner().invoke(main, ["events", "import", str(LEGACY), "--actor", "Nobody At All"])
    assert result.exit_code == 1 and "Nobody At All" in result.output


# --------------------------------------------------------------------------- actor names


def names_by_csv(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Events per actor name and events it initiated, counted with the csv module alone."""
    import csv

    events_of: dict[str, int] = {}
    initiated: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            names = [row["actor1"], row["actor2"]] + row["assoc_actor_1"].split(";") + row["assoc_actor_2"].split(";")
            for name in dict.fromkeys(n.strip() for n in names if n.strip()):
                events_of[name] = events_of.get(name, 0) + 1
            if row["actor1"].strip():
                initiated[row["actor1"].strip()] = initiated.get(row["actor1"].strip(), 0) + 1
    return events_of, initiated


@pytest.mark.parametrize("fixture, layout", [(LEGACY, "acled-legacy"), (CURRENT, "acled-current")])
def test_actors_lists_every_name_of_every_actor_field_with_its_counts(fixture, layout):
    found = events.list_actors(fixture)
    expected, initiated = names_by_csv(fixture)
    assert found.layout == layout and found.unreadable == 0
    assert {a.name: (a.events, a.initiated) for a in found.actors} == {
        n: (e, initiated.get(n, 0)) for n, e in expected.items()}
    assert [a.events for a in found.actors] == sorted((a.events for a in found.actors), reverse=True)
    jnim = found.actors[0]
    assert jnim.name == "JNIM: Group for Support of Islam and Muslims"
    # each event once, though an event may name it in an actor field and an associated list
    assert jnim.events == import_acled(fixture, ImportOptions(actors=JNIM)).rows_matched
    assert [a.name for a in events.list_actors(fixture, "TEST a").actors] == sorted(
        (n for n in expected if "test a" in n.lower()), key=lambda n: (-expected[n], n))


def test_actors_split_unquoted_records_as_the_csv_parser_does(tmp_path):
    """The fast path (split at commas) and the CSV parser agree: quotes late or early, line breaks in notes."""
    header = "event_id_cnty,event_date,event_type,sub_event_type,actor1,assoc_actor_1,actor2,assoc_actor_2," \
             "country,admin1,location,latitude,longitude,fatalities,notes\n"
    rows = [
        'A1,2018-01-01,Battles,Armed clash,JNIM,,Military Forces of Mali,,Mali,Gao,Gao,16.2,-0.04,1,plain\n',
        'A2,2018-01-02,Battles,Armed clash,JNIM,Ansar Dine; MLF ,,,Mali,Gao,Gao,16.2,-0.04,1,"quoted, late"\n',
        'A3,2018-01-03,Battles,Armed clash,"Militia, Local",,JNIM,JNIM;MLF,Mali,Gao,Gao,16.2,-0.04,0,"a ""b"""\n',
        'A4,2018-01-04,Battles,Armed clash,MLF,,JNIM,,Mali,Gao,Gao,16.2,-0.04,0,"two\nlines, here"\n',
        '\n',
        'A5,2018-01-05,Battles,Armed clash, JNIM ,,JNIM,,Mali,Gao,Gao,16.2,-0.04,0,\n',
    ]
    export = tmp_path / "export.csv"
    export.write_text(header + "".join(rows), encoding="utf-8")
    found = events.list_actors(export)
    expected, initiated = names_by_csv(export)
    assert found.rows_read == 5
    assert {a.name: (a.events, a.initiated) for a in found.actors} == {
        n: (e, initiated.get(n, 0)) for n, e in expected.items()}
    assert {a.name: a.events for a in found.actors}["JNIM"] == 5


def test_closest_names_rank_likeness_and_containment():
    actors = events.list_actors(LEGACY).actors
    near = [a.name for a in events.closest(actors, ("JNIMM",))]
    assert near[0] == "JNIM: Group for Support of Islam and Muslims"
    near = [a.name for a in events.closest(actors, ("Group for Support of Islam",))]
    assert near[0] == "JNIM: Group for Support of Islam and Muslims"
    assert events.closest(actors, ("Zzzz Qqqq",)) == []


@pytest.mark.parametrize("fixture", [LEGACY, CURRENT])
def test_cli_import_matching_nothing_names_the_closest_actors(fixture):
    from click.testing import CliRunner

    from jnim_export.cli import main

    result = CliRunner().invoke(main, ["events", "import", str(fixture), "--actor", "JNMI"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    jnim = events.list_actors(fixture).actors[0]
    assert "did you mean" in result.output
    assert re.search(rf"^ +{jnim.events}  {re.escape(jnim.name)}$", result.output, re.M), result.output
    assert f"jnim-export events actors {fixture.name} --match TEXT" in result.output
    # the actor matched, the window did not: no hint about names
    result = CliRunner().invoke(main, ["events", "import", str(fixture), "--actor", "JNIM", "--from", "2030-01"])
    assert result.exit_code == 1 and "did you mean" not in result.output


@pytest.mark.parametrize("fixture", [LEGACY, CURRENT])
def test_cli_actors_lists_names_filters_and_prints_json(fixture):
    from click.testing import CliRunner

    from jnim_export.cli import main

    result = CliRunner().invoke(main, ["events", "actors", str(fixture)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["EVENTS", "INITIATED", "ACTOR"]
    expected, initiated = names_by_csv(fixture)
    assert lines[-1] == f"{len(expected)} actor names in {events.list_actors(fixture).rows_read} rows"
    first = events.list_actors(fixture).actors[0]
    assert lines[1].split(maxsplit=2) == [str(first.events), str(first.initiated), first.name]
    result = CliRunner().invoke(main, ["events", "actors", str(fixture), "--match", "testland", "--json"])
    data = json.loads(result.output)
    assert [a["name"] for a in data["actors"]] and all("testland" in a["name"].lower() for a in data["actors"])
    assert {a["name"]: a["events"] for a in data["actors"]} == {n: e for n, e in expected.items()
                                                                  if "testland" in n.lower()}
    result = CliRunner().invoke(main, ["events", "actors", str(fixture), "--limit", "1"])
    assert len(result.output.splitlines()) == 3 and "1 shown" in result.output
