"""UCDP GED exports: the same aggregate as ACLED's, their precision honoured on the map.

The exports here are SYNTHETIC (`tests/synthetic_events.py`): invented rows, not real events.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jnim_export import figures
from jnim_export.cli import main
from jnim_export.tables import source_line
from jnim_export.dates import month_span
from jnim_export.events import EventImportError, ImportOptions, import_events, read_aggregate, write_aggregate
from jnim_export.events import ucdp
from jnim_export.model import Figure, Style, Text

from synthetic_events import ged_layout

PRECISIONS = [1, 2, 3, 4, 5, 6, 7, 1, 2, 4, 6, 3]  # four events placed no better than a region (5 to 7)
STYLE = Style(serif="Noto Serif", sans="Noto Sans", body_size=10.0, accent="#8c1d18", ink="#1f2328",
              muted="#5d6670", tint="#f3efe8", palette=("#8c1d18", "#d4822f", "#4d6b7a"), logo=None)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_ged_export_is_read_from_its_header(tmp_path):
    export = ged_layout(tmp_path / "synthetic-ged.csv", PRECISIONS)
    result = run("events", "import", export, "--actor", "JNIM", "--accessed", "2026-02-01", "--out", tmp_path / "g.json")
    assert result.exit_code == 0, result.output
    assert "dataset: UCDP GED (the default for an export in UCDP GED's layout" in result.output
    assert "4 events too vaguely located for the map" in result.output
    raw = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert raw["categories"] == ["State-based conflict", "Non-state conflict", "One-sided violence"]
    assert raw["dataset"]["name"] == "UCDP GED" and raw["dataset"]["url"] == "https://ucdp.uu.se/downloads/"
    assert raw["provenance"]["layout"] == "ucdp-ged" and raw["unmapped"] == 4
    data = read_aggregate(tmp_path / "g.json")
    assert sum(m.total for m in data.months) == len(PRECISIONS)  # every event counted per month
    assert sum(p.events for p in data.locations) == len(PRECISIONS) - 4  # the vague ones not placed
    assert sum(m.fatalities for m in data.months) == sum(p.fatalities for p in data.locations) + _deaths_unmapped(export)


def _deaths_unmapped(export: Path) -> int:
    with export.open(encoding="utf-8") as f:
        return sum(int(r["best"]) for r in csv.DictReader(f) if int(r["where_prec"]) > ucdp.MAPPED_PRECISION)


def test_the_format_can_be_named_and_the_role_is_side_a(tmp_path):
    export = ged_layout(tmp_path / "synthetic-ged.csv", PRECISIONS)
    every = import_events(export, ImportOptions(actors=("JNIM",)), layout="ucdp-ged")
    side_a = import_events(export, ImportOptions(actors=("JNIM",), role="actor1"), layout="ucdp-ged")
    assert every.rows_matched == len(PRECISIONS)
    assert side_a.rows_matched == sum(1 for i in range(1, len(PRECISIONS) + 1) if i % 3)
    assert "--format ucdp-ged" in every.command
    with pytest.raises(EventImportError, match="not an ACLED export"):
        import_events(export, ImportOptions(actors=("JNIM",)), layout="acled")


def test_a_named_release_keeps_ucdps_publisher_and_address(tmp_path):
    export = ged_layout(tmp_path / "synthetic-ged.csv", PRECISIONS)
    release = import_events(export, ImportOptions(actors=("JNIM",), dataset="UCDP GED 24.1")).dataset
    assert (release.name, release.url) == ("UCDP GED 24.1", "https://ucdp.uu.se/downloads/")
    other = import_events(export, ImportOptions(actors=("JNIM",), dataset="UCDP GEDX")).dataset
    assert (other.name, other.url, other.publisher) == ("UCDP GEDX", "", "")


def test_event_types_are_geds_own(tmp_path):
    export = ged_layout(tmp_path / "synthetic-ged.csv", PRECISIONS)
    agg = import_events(export, ImportOptions(actors=("JNIM",), event_types=("one-sided violence",)))
    assert all(m.counts["State-based conflict"] == m.counts["Non-state conflict"] == 0 for m in agg.monthly)
    assert agg.as_json()["provenance"]["query"]["event_types"] == ["One-sided violence"]
    with pytest.raises(EventImportError, match="unknown event type 'Battles' for UCDP GED"):
        import_events(export, ImportOptions(actors=("JNIM",), event_types=("Battles",)))


def test_bad_rows_are_skipped_by_line(tmp_path):
    export = ged_layout(tmp_path / "synthetic-ged.csv", [1, 2, 3])
    with export.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[2][rows[0].index("where_prec")] = "9"
    with export.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    agg = import_events(export, ImportOptions(actors=("JNIM",)))
    assert [(s.row, s.reason) for s in agg.skipped] == [(3, "where_prec '9' is not a whole number from 1 to 7")]
    with pytest.raises(EventImportError, match="line 3: where_prec"):
        import_events(export, ImportOptions(actors=("JNIM",), strict=True))


def test_a_ged_exports_actors_are_listed_and_suggested(tmp_path):
    export = ged_layout(tmp_path / "synthetic-ged.csv", PRECISIONS)
    result = run("events", "actors", export, "--json")
    assert result.exit_code == 0, result.output
    listed = {a["name"]: (a["events"], a["initiated"]) for a in json.loads(result.output)["actors"]}
    assert listed["JNIM"][0] == len(PRECISIONS) and listed["Government of Mali"][0] == len(PRECISIONS)
    result = run("events", "import", export, "--actor", "Jama'at Nusrat al-Islam wal Muslimin")
    assert result.exit_code == 1 and "did you mean" in result.output and "JNIM" in result.output


def _figure(data, kind: str) -> Figure:
    return Figure(id=kind, number=1, kind=kind, caption=(Text("A figure"),), credit=(), alt="A figure", image=None,
                  data=data, start=None, end=None, stacked=kind == "chart")


def _svg_text(path: Path) -> str:
    root = ET.fromstring(path.read_bytes())
    return " ".join("".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text"))


def test_the_map_says_how_many_events_it_leaves_off_and_the_chart_counts_them(tmp_path):
    export = ged_layout(tmp_path / "synthetic-ged.csv", PRECISIONS)
    write_aggregate(import_events(export, ImportOptions(actors=("JNIM",))), tmp_path / "g.json")
    data = read_aggregate(tmp_path / "g.json")
    the_map, chart = _figure(data, "map"), _figure(data, "chart")
    note = "4 events not located to a province or better left off the map"
    window = month_span(data.months[0].month, data.months[-1].month)
    assert source_line(the_map) == f"Data: UCDP GED (Mali only), {window}; {note}"
    assert source_line(chart) == f"Data: UCDP GED (Mali only), {window}"
    table = chart.table()
    assert sum(sum(r.values[:table.drawn]) for r in table.rows) == len(PRECISIONS)


@pytest.mark.slow
def test_the_drawn_map_and_chart_say_so(tmp_path):
    export = ged_layout(tmp_path / "synthetic-ged.csv", PRECISIONS)
    write_aggregate(import_events(export, ImportOptions(actors=("JNIM",))), tmp_path / "g.json")
    data = read_aggregate(tmp_path / "g.json")
    the_map, chart = _figure(data, "map"), _figure(data, "chart")
    drawn = figures.figure_file(the_map, attacks=(), places=(), style=STYLE, fmt="svg", size=(6.3, 3.906),
                                cache_dir=tmp_path / "cache")
    assert "UCDP GED" in _svg_text(drawn) and "left off the map" in _svg_text(drawn)
    drawn = figures.figure_file(chart, attacks=(), places=(), style=STYLE, fmt="svg", size=(6.3, 2.9),
                                cache_dir=tmp_path / "cache")
    assert "One-sided violence" in _svg_text(drawn) and "left off" not in _svg_text(drawn)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(1, 7), min_size=1, max_size=30))
def test_only_events_placed_to_a_province_or_better_are_mapped(tmp_path_factory, precisions):
    folder = tmp_path_factory.mktemp("ged")
    export = ged_layout(folder / "synthetic-ged.csv", precisions)
    agg = import_events(export, ImportOptions(actors=("JNIM",)))
    vague = sum(1 for p in precisions if p > 4)
    assert agg.unmapped == vague
    assert sum(p.events for p in agg.locations) == len(precisions) - vague
    assert sum(m.events for m in agg.monthly) == len(precisions)
