"""Configuration and data a user gets wrong: a bad SOURCE_DATE_EPOCH or `init` target is a usage
error (exit 2, one sentence); an aggregate's numbers have the YAML reader's limits; an import
skips the rows whose date cannot be an event's, naming their line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jnim_export.cli import main
from jnim_export.events import ImportOptions, import_acled
from jnim_export.events.imports import EventImportError

DATA = Path(__file__).parent / "data"
BASE = DATA / "broken" / "_base.yaml"
AGGREGATE = Path(__file__).parents[1] / "assets" / "data" / "jnim-mali-2017-2019-initiated.json"


def one_sentence(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize("value", ["garbage", "1e9", "1.5", "0x10", "12345678901234567890", "253402300800",
                                   "4354819199", "-5", "1_000", "\u0663"])
@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_bad_source_date_epoch_is_a_usage_error(monkeypatch, tmp_path, value, command):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = CliRunner().invoke(main, [command, str(BASE)] + (["--out", str(tmp_path)] if command == "build" else []))
    assert one_sentence(result, 2) == ("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (a Unix time) "
                                       f"before the year 2108, not {value!r}")


@pytest.mark.parametrize("value", ["0", " 1536105600 ", "4354819198"])
def test_good_source_date_epochs_pass(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert CliRunner().invoke(main, ["validate", str(BASE)]).exit_code == 0


@pytest.mark.parametrize("target, reason", [("/proc/self/x", "No such file or directory"),
                                            ("/dev/null/x", "Not a directory")])
def test_an_unusable_init_target_is_a_usage_error(target, reason):
    result = CliRunner().invoke(main, ["init", target])
    assert one_sentence(result, 2) == f"cannot create a project in {target}: {reason}"


def _with_aggregate(tmp_path: Path, text: str) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "agg.json").write_text(text)
    base = BASE.read_text(encoding="utf-8")
    base = base.replace("      - figure: photo\n", "      - figure: photo\n      - figure: chart\n")
    base = base.replace("sources:", "  - {id: chart, kind: chart, caption: c, alt: a, data: assets/agg.json}\nsources:")
    file = tmp_path / "content.yaml"
    file.write_text(base, encoding="utf-8")
    return file


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_5000_digit_number_in_an_aggregate_is_located(tmp_path, command):
    text = AGGREGATE.read_text(encoding="utf-8").replace('"fatalities": 0', '"fatalities": ' + "9" * 5_000, 1)
    file = _with_aggregate(tmp_path, text)
    line = text[: text.index("9" * 5_000)].count("\n") + 1
    column = text.index("9" * 5_000) - text.rfind("\n", 0, text.index("9" * 5_000))
    result = CliRunner().invoke(main, [command, str(file)] + (["--out", str(tmp_path / "o")] if command == "build" else []))
    assert result.exit_code == 1
    assert (f"{file}:24:56: figures.1.data: cannot read events aggregate agg.json: line {line}, column {column}: "
            "a number of 5,000 characters; numbers are limited to 100") in result.output


def _export(tmp_path: Path, *dates: str) -> Path:
    lines = (DATA / "acled_current.csv").read_text(encoding="utf-8").splitlines()
    header, row = lines[0], lines[1]
    out = [header] + [row.replace("TST1,2018-03-02", f"X{i},{d}", 1) for i, d in enumerate(dates)]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("when", ["0001-01-01", "1996-12-31", "9999-12-31"])
def test_an_event_outside_acleds_coverage_is_a_skipped_row(tmp_path, monkeypatch, when):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")  # 2020-01-01: events up to the end of 2021
    agg = import_acled(_export(tmp_path, "2018-03-02", when), ImportOptions(actors=("JNIM",)))
    assert [(s.row, s.reason) for s in agg.skipped] == [
        (3, f"date {when!r} is outside ACLED's coverage (1997 to 2021)")]
    assert [m.month for m in agg.monthly] == ["2018-03"]  # one month, not 24,207
    with pytest.raises(EventImportError, match=rf"^line 3: date '{when}' is outside ACLED's coverage"):
        import_acled(_export(tmp_path, "2018-03-02", when), ImportOptions(actors=("JNIM",), strict=True))
