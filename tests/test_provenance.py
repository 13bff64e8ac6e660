"""Provenance: the dataset an import records is what every figure credits and every data note says.

The exports here are SYNTHETIC (`tests/synthetic_events.py`): invented rows, not real events.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from jnim_export.cli import main
from jnim_export.tables import source_line
from jnim_export.content import read
from jnim_export.events import AggregateError, ImportOptions, import_events, read_aggregate, write_aggregate
from jnim_export.model import plain_text

from synthetic_events import acled_layout

ROOT = Path(__file__).resolve().parents[1]
NAME = "Synthetic test events"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


# --------------------------------------------------------------------------- the import records it


def test_an_acled_layout_defaults_to_acled_and_says_so(tmp_path):
    export = acled_layout(tmp_path / "synthetic-acled.csv")
    result = run("events", "import", export, "--actor", "JNIM", "--out", tmp_path / "a.json", "--accessed",
                 "2026-01-15")
    assert result.exit_code == 0, result.output
    assert "dataset: ACLED (the default for an export in ACLED's layout; --dataset names another)" in result.output
    data = read_aggregate(tmp_path / "a.json")
    assert (data.dataset.name, data.dataset.url, data.dataset.accessed) == ("ACLED", "https://acleddata.com",
                                                                           "2026-01-15")


def test_the_named_dataset_is_recorded_with_the_export_and_the_query(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: the day of import
    export = acled_layout(tmp_path / "synthetic-acled.csv")
    result = run("events", "import", export, "--actor", "JNIM", "--role", "actor1", "--from", "2017-06", "--to",
                 "2018-01", "--dataset", NAME, "--publisher", "the jnim-export tests", "--out", tmp_path / "a.json")
    assert result.exit_code == 0, result.output
    assert f"dataset: {NAME} (named by --dataset), accessed 2026-01-01" in result.output
    raw = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert raw["format"] == "jnim-export/events@2"
    assert raw["dataset"] == {"name": NAME, "publisher": "the jnim-export tests", "url": "", "accessed": "2026-01-01"}
    assert raw["provenance"]["query"] == {"actors": ["JNIM"], "role": "actor1", "from": "2017-06", "to": "2018-01",
                                          "event_types": [], "countries": []}
    assert "ACLED" not in json.dumps(raw)  # nothing in it says ACLED
    data = read_aggregate(tmp_path / "a.json")
    provenance, ds = dict(data.provenance), data.dataset
    assert provenance["source_file"] == "synthetic-acled.csv" and len(provenance["sha256"]) == 64
    assert ds.query == "events naming JNIM as the initiator (actor 1), June 2017 to January 2018"


def test_a_file_in_no_datasets_own_layout_needs_a_dataset(tmp_path):
    export = acled_layout(tmp_path / "plain.csv")
    text = export.read_text(encoding="utf-8").replace("disorder_type", "kind").replace("sub_event_type", "sub_kind")
    export.write_text(text, encoding="utf-8")
    result = run("events", "import", export, "--actor", "JNIM")
    assert result.exit_code == 1
    message = result.output.strip()
    assert message.endswith("name its dataset with --dataset NAME") and message.count("\n") == 0
    assert "Traceback" not in message
    assert run("events", "import", export, "--actor", "JNIM", "--dataset", NAME).exit_code == 0


@pytest.mark.parametrize("args, said", [
    (("--accessed", "2026-02-30"), "accessed date '2026-02-30' is not a real YYYY-MM-DD date"),
    (("--accessed", "2026-02"), "accessed date '2026-02' is not a real YYYY-MM-DD date"),
    (("--accessed", "yesterday"), "accessed date 'yesterday' is not a real YYYY-MM-DD date"),
    (("--dataset", "   "), "--dataset needs a name"),
    (("--dataset", "x" * 201), "--dataset must be one line of at most 200 characters"),
    (("--dataset", "two\nlines"), "--dataset must be one line"),
    (("--dataset-url", "javascript:alert(1)"), "is not an http or https address"),
])
def test_bad_dataset_details_are_one_sentence(tmp_path, args, said):
    export = acled_layout(tmp_path / "synthetic-acled.csv")
    result = run("events", "import", export, "--actor", "JNIM", *args)
    assert result.exit_code == 1 and said in result.output and "Traceback" not in result.output
    assert result.output.count("\n") == 1


def test_the_first_format_still_reads_as_acled(tmp_path):
    doc = json.loads((ROOT / "assets" / "data" / "jnim-mali-2017-03-to-2018-07.json").read_text(encoding="utf-8"))
    doc["format"], doc["attribution"] = "jnim-export/events@1", "Armed Conflict Location & Event Data Project " \
                                                                "(ACLED), acleddata.com"
    del doc["dataset"], doc["unmapped"]
    provenance = doc["provenance"]
    provenance["filters"], provenance["imported"] = provenance.pop("query"), "2026-11-25"
    (tmp_path / "first.json").write_text(json.dumps(doc), encoding="utf-8")  # as events@1 aggregates were
    data = read_aggregate(tmp_path / "first.json")
    assert data.dataset.name == "ACLED" and data.dataset.accessed == "2026-11-25"
    assert data.dataset.url == "https://acleddata.com" and data.unmapped == 0
    assert dict(data.provenance)["source_file"] == "2017-01-01-2019-02-27-Mali.csv"
    assert data.dataset.query == "events naming JNIM, March 2017 to July 2018"
    marked = dict(doc, provenance=dict(provenance, synthetic=True))
    (tmp_path / "marked.json").write_text(json.dumps(marked), encoding="utf-8")
    assert read_aggregate(tmp_path / "marked.json").dataset.name != "ACLED"  # marked synthetic: never ACLED
    synthetic = read_aggregate(ROOT / "tests" / "data" / "backgrounders" / "al-shabaab" / "assets" / "data"
                               / "al-shabaab-synthetic-2019-2020.json")
    assert synthetic.dataset.name.startswith("SYNTHETIC")


MAP_NOTE = """  - id: acled-map
    prefix: Data used in map is from
    cite: [acled]
"""
DATA_NOTE = """  - id: acled-map
    prefix: Data used in map is from
    data: assets/data/jnim-mali-2017-03-to-2018-07.json
"""
CHART_NOTE = """  - id: acled-chart
    text: >-
      Data used in chart is from the Armed Conflict Location & Event Data Project (ACLED),
      <https://www.acleddata.com/data/>.
"""


def with_data_note(folder: Path, note: str = DATA_NOTE) -> Path:
    """The default project with its map's note made from the map's aggregate (the default content keeps
    the published backgrounder's notes as they were printed)."""
    shutil.copytree(ROOT / "assets", folder / "assets")
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    assert text.count(MAP_NOTE) == 1
    (folder / "content.yaml").write_text(text.replace(MAP_NOTE, note), encoding="utf-8")
    return folder / "content.yaml"


@pytest.mark.parametrize("change, said", [
    ({"accessed": "yesterday"}, "dataset.accessed: 'yesterday' is not a date (YYYY-MM-DD)"),
    ({"accessed": "2026-02-30"}, "dataset.accessed: '2026-02-30' is not a date"),
    ({"name": " "}, "dataset.name: missing"),
    ({"url": 7}, "dataset.url: expected text"),
    ({"publisher": "x" * 501}, "dataset.publisher: longer than 500 characters"),
])
def test_a_bad_dataset_record_is_an_aggregate_error(tmp_path, change, said):
    doc = json.loads((ROOT / "assets" / "data" / "jnim-mali-2017-03-to-2018-07.json").read_text(encoding="utf-8"))
    doc["dataset"].update(change)
    (tmp_path / "bad.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(AggregateError, match=re.escape(said)):
        read_aggregate(tmp_path / "bad.json")


def test_a_data_note_comes_from_the_aggregate(tmp_path):
    doc = read(with_data_note(tmp_path)).document
    notes = {n.id: plain_text(n.text) for n in doc.notes}
    assert notes["acled-map"] == (
        "Data used in map is from Armed Conflict Location & Event Data Project (ACLED), export "
        "\u201c2017-01-01-2019-02-27-Mali.csv\u201d (SHA-256 abef349a4fdb\u2026), events naming JNIM, March 2017 "
        "to July 2018, accessed November 25, 2026, <https://acleddata.com>.")
    [link] = [x for x in doc.note(doc.notes[[n.id for n in doc.notes].index("acled-map")].number).text
              if type(x).__name__ == "Link"]
    assert link.href == "https://acleddata.com"


def test_a_note_takes_one_of_cite_text_or_data(tmp_path):
    content = with_data_note(tmp_path, DATA_NOTE + "    cite: [acled]\n")
    result = run("validate", content)
    assert result.exit_code == 1 and "note 'acled-map' needs one of 'cite'" in result.output


# --------------------------------------------------------------------------- a synthetic backgrounder, end to end

EXTRA = """
  - id: deaths-chart
    kind: fatalities
    caption: Fatalities per Month
    alt: Bar chart of fatalities per month.
    data: assets/data/synthetic-chart.json
  - id: regions-chart
    kind: regions
    caption: Events by Region
    alt: Bar chart of events by region.
    data: assets/data/synthetic-map.json
  - id: running-total
    kind: cumulative
    caption: Events to Date
    alt: Line of the events to date, month by month.
    data: assets/data/synthetic-chart.json
"""


def synthetic_backgrounder(folder: Path) -> Path:
    """The default project on two aggregates of a SYNTHETIC export imported as "Synthetic test events",
    with a figure of every drawn kind; every word of its own naming ACLED replaced, so any in the outputs
    would be the tool's."""
    shutil.copytree(ROOT / "assets", folder / "assets")
    export = acled_layout(folder / "synthetic-acled.csv")
    for name, extra in (("synthetic-map", ()), ("synthetic-chart", ("--role", "actor1"))):
        result = run("events", "import", export, "--actor", "JNIM", "--from", "2017-03", "--to", "2018-07", *extra,
                     "--dataset", NAME, "--accessed", "2026-01-15", "--out", folder / "assets" / "data" / f"{name}.json")
        assert result.exit_code == 0, result.output
    text = (ROOT / "content.yaml").read_text(encoding="utf-8").replace(MAP_NOTE, DATA_NOTE)
    assert text.count(CHART_NOTE) == 1
    text = text.replace(CHART_NOTE, "  - id: acled-chart\n    prefix: Data used in chart is from\n"
                                    "    data: assets/data/jnim-mali-2017-2019-initiated.json\n")
    text = text.replace("jnim-mali-2017-03-to-2018-07.json", "synthetic-map.json")
    text = text.replace("jnim-mali-2017-2019-initiated.json", "synthetic-chart.json")
    for words in ("Armed Conflict Location & Event Data Project", "Armed Conflict Location and Event Data Project",
                  "ACLED"):
        text = text.replace(words, "synthetic test data")
    text = text.replace("https://www.acleddata.com/data/", "https://example.org/synthetic")
    text = text.replace("    stacked: true\n", "    stacked: true\n" + EXTRA, 1)
    text = text.replace("      - figure: attacks-chart\n", "      - figure: attacks-chart\n"
                        + "".join(f"      - figure: {i}\n" for i in ("deaths-chart", "regions-chart", "running-total")))
    assert "acled" not in text.lower().replace("acled-map", "").replace("acled-chart", "").replace("[^acled]", "") \
        .replace("id: acled\n", "")
    (folder / "content.yaml").write_text(text, encoding="utf-8")
    return folder / "content.yaml"


@pytest.mark.slow
def test_a_synthetic_backgrounder_credits_its_dataset_in_every_figure_and_never_acled(tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    content = synthetic_backgrounder(tmp_path)
    result = run("build", content)
    assert result.exit_code == 0, result.output
    doc = read(content).document
    drawn = [f for f in doc.figures if f.data is not None]
    assert sorted(f.kind for f in drawn) == ["chart", "cumulative", "fatalities", "map", "regions"]
    credits = {f.id: source_line(f) for f in drawn}
    assert all(c.startswith(f"Data: {NAME} (Mali only), ") for c in credits.values()), credits
    out = tmp_path / "output"

    # the PDF: every figure's artwork carries its credit, and the data notes name the dataset
    pdf_text = subprocess.run(["pdftotext", "-layout", str(out / "jnim-backgrounder.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
    flat = " ".join(pdf_text.split())
    assert flat.count(f"Data: {NAME}") >= len(drawn)
    assert f"Data used in map is from {NAME}, export \u201csynthetic-acled.csv\u201d" in flat
    assert f"Data used in chart is from {NAME}, export \u201csynthetic-acled.csv\u201d" in flat
    assert "accessed January 15, 2026" in flat

    # the figure artwork every writer embeds: each SVG's text holds the credit
    cache = out / ".jnim-export" / "figures"
    svgs = {p: p.read_bytes() for p in cache.rglob("*.svg")}
    assert svgs
    for svg in svgs.values():
        assert f"Data: {NAME}".encode() in svg and b"ACLED" not in svg
    pngs = {p.read_bytes() for p in cache.rglob("*.png")}

    # the page: the inline drawings and the notes
    page = (out / "jnim-backgrounder.html").read_text(encoding="utf-8")
    assert page.count(f"Data: {NAME}") >= len(drawn)
    assert f"Data used in map is from {NAME}" in page

    # the deck: native charts carry the credit as slide text; the map is the cached artwork
    deck = Presentation(str(out / "jnim-backgrounder.pptx"))
    slide_texts = []
    for slide in deck.slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
        slide_texts.append(" ".join(texts))
    for fig in drawn:
        [shown] = [t for t in slide_texts if f"Figure {fig.number}: " in t]
        assert (credits[fig.id] in shown) == (fig.kind != "map"), fig.id  # the map's is in its picture
    deck_pictures = _media(out / "jnim-backgrounder.pptx")
    assert deck_pictures & pngs, "the deck's map is not the cached artwork"

    # the Word edition: the pictures are the cached artwork; the notes name the dataset
    word_pictures = _media(out / "jnim-backgrounder.docx")
    assert len(word_pictures & pngs) >= len(drawn)
    with zipfile.ZipFile(out / "jnim-backgrounder.docx") as z:
        word = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert NAME in word

    # and nothing anywhere says ACLED
    assert "ACLED" not in pdf_text and "ACLED" not in page and "ACLED" not in word
    assert not any("ACLED" in t for t in slide_texts)


def _media(package: Path) -> set[bytes]:
    with zipfile.ZipFile(package) as z:
        return {z.read(n) for n in z.namelist() if n.endswith(".png")}


# --------------------------------------------------------------------------- the library call


def test_import_events_writes_what_it_read(tmp_path):
    export = acled_layout(tmp_path / "synthetic-acled.csv")
    agg = import_events(export, ImportOptions(actors=("JNIM",), dataset=NAME, accessed="2026-03-01"))
    write_aggregate(agg, tmp_path / "a.json")
    data = read_aggregate(tmp_path / "a.json")
    assert data.dataset.name == NAME and data.dataset.accessed == "2026-03-01"
    assert sum(m.total for m in data.months) == agg.rows_matched
