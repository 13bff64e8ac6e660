"""Every kind of figure in every output: a content with two maps, three kinds of chart and two photos.

The deck gives each map, chart and photo (but a leader's photo) a slide, in content order,
titled from the figure; its native charts hold the aggregate's numbers (read back with
python-pptx and compared with the aggregate file itself, not with the model's helpers); the
PDF draws every chart as vector art; the web page shows each with its data table. The key
attacks marked are the same in the PDF's chart and the deck's, and the deck's labels keep
clear of each other, of the slide's title and of the plot.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import html5lib
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from jnim_export.content import load
from jnim_export.dates import short_date
from jnim_export.model import Attack, Text, plain_text
from jnim_export.render import Context
from jnim_export.render import html as web
from jnim_export.render import pdf
from jnim_export.render import pptx as deck_writer

ROOT = Path(__file__).resolve().parents[1]
MAP_DATA = "assets/data/jnim-mali-2017-03-to-2018-07.json"  # 2017-03 .. 2018-07
LONG_DATA = "assets/data/jnim-mali-2017-2019-initiated.json"  # 2017-03 .. 2019-02

CONTENT = f"""
meta:
  title: Every Figure Backgrounder
  short_title: EFB
  slug: every-figure
  series: Test Briefs
  publisher: Test Institute
  publisher_short: TI
  authors: [A. Author]
  date: "2020"
  credit: Compiled by A. Author.
  copyright: ©2020 Test Institute
style:
  accent: "#1d4e89"
sections:
  - id: one
    title: Where and When
    bullets:
      - The group fights in central and northern Mali.[^acled]
    blocks:
      - figure: leader
      - The group fights in central and northern Mali.[^acled]
      - figure: map-short
      - figure: events
      - figure: scene
  - id: two
    title: How Deadly
    bullets:
      - Its deadliest region is Mopti.
    blocks:
      - figure: regions
      - figure: map-long
      - Fatalities rose in 2018.
      - figure: deaths
figures:
  - id: leader
    kind: photo
    caption: The group's leader.
    alt: A portrait.
    image: assets/photos/leader.png
  - id: map-short
    kind: map
    caption: Activity, March 2017–July 2018[^acled]
    alt: A map.
    data: {MAP_DATA}
  - id: events
    kind: chart
    caption: Events per month[^acled]
    credit: Source ACLED.
    alt: A chart of events.
    data: {LONG_DATA}
    from: 2017-03
    to: 2018-07
    stacked: true
  - id: scene
    kind: photo
    caption: A market town. Illustration.
    alt: A scene.
    image: assets/photos/scene.jpg
  - id: regions
    kind: regions
    caption: Fatalities by region, March 2017–July 2018
    slide_title: Where the dead fell
    alt: Bars of fatalities by region.
    data: {MAP_DATA}
    measure: fatalities
    top: 4
  - id: map-long
    kind: map
    caption: Activity, March 2017–February 2019
    alt: Another map.
    data: {LONG_DATA}
  - id: deaths
    kind: fatalities
    caption: Fatalities per month, June 2017–December 2018
    alt: A chart of fatalities.
    data: {LONG_DATA}
    from: 2017-06
    to: 2018-12
sources:
  - id: acled
    author: ACLED
    title: Data export
    url: https://acleddata.com
leaders:
  - id: boss
    name: ʿAbd al-Hakim al-Sahrawi
    role: Emir
    photo: assets/photos/leader.png
origins:
  kind: split
  date: 2015-05
  groups: [{{name: al-Mourabitoun}}]
allegiance:
  - {{group: Islamic State, leader: A Caliph, title: Caliph, kind: affiliate, date: 2016-10}}
attacks:
  - {{id: timbuktu, date: 2018-04-14, place: Timbuktu, country: Mali, latitude: 16.77, longitude: -3.0,
     summary: An attack.}}
  - {{id: ouaga, date: 2018-03-02, place: Ouagadougou, country: Burkina Faso, latitude: 12.37, longitude: -1.52,
     summary: An attack outside the data's country.}}
  - {{id: aguelhok, date: 2018-07-01, place: Aguelhok, country: Mali, latitude: 19.47, longitude: 0.86,
     summary: An attack.}}
  - {{id: boni, date: 2017-05-20, place: Boni, country: Mali, latitude: 15.07, longitude: -2.22,
     summary: An attack before the fatalities chart's window.}}
"""

ORDER = ["map-short", "events", "scene", "regions", "map-long", "deaths"]  # content order, leader photo left out


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("every-figure")
    for name in (MAP_DATA, LONG_DATA):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, root / name)
    (root / "assets/photos").mkdir(parents=True)
    Image.new("RGB", (300, 400), (120, 90, 60)).save(root / "assets/photos/leader.png")
    shutil.copy(ROOT / "tests/data/html/portrait.jpg", root / "assets/photos/scene.jpg")
    (root / "content.yaml").write_text(CONTENT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def doc(project):
    return load(project / "content.yaml")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("figures")


@pytest.fixture(scope="module")
def deck(doc, cache, tmp_path_factory):
    dest = tmp_path_factory.mktemp("deck") / "deck.pptx"
    result = deck_writer.render(deck_writer.view(doc), dest, deck_writer.DeckOptions(), Context(cache))
    return Presentation(str(dest)), result


def title_of(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def aggregate(project: Path, name: str) -> dict:
    return json.loads((project / name).read_text(encoding="utf-8"))


def months_of(agg: dict, start: str | None = None, end: str | None = None) -> list[dict]:
    return [m for m in agg["monthly"] if (start is None or m["month"] >= start) and (end is None or m["month"] <= end)]


def figure_slide(prs, doc, ident):
    title = next(f for f in doc.figures if f.id == ident).title
    (slide,) = [s for s in prs.slides if title_of(s) == title]
    return slide


# --------------------------------------------------------------------------- the deck


def test_the_content_reads_as_written(doc):
    kinds = {f.id: f.kind for f in doc.figures}
    assert kinds == {"leader": "photo", "map-short": "map", "events": "chart", "scene": "photo",
                     "regions": "regions", "map-long": "map", "deaths": "fatalities"}
    assert next(f for f in doc.figures if f.id == "leader").leader == "boss"
    assert next(f for f in doc.figures if f.id == "scene").leader is None
    assert doc.style.palette[0] == "#1d4e89"  # from the accent


def test_every_figure_has_a_slide_in_content_order_titled_from_the_figure(deck, doc):
    prs, result = deck
    by_id = {f.id: f for f in doc.figures}
    titles = [title_of(s) for s in prs.slides]
    expected = [by_id[i].title for i in ORDER]
    assert expected == ["Activity, March 2017–July 2018", "Events per month", "A market town. Illustration",
                        "Where the dead fell", "Activity, March 2017–February 2019",
                        "Fatalities per month, June 2017–December 2018"]
    at = [titles.index(t) for t in expected]
    assert at == sorted(at), titles
    assert by_id["leader"].title not in titles  # the leader's photo is on the leader's card
    leaders = next(s for s in prs.slides if title_of(s) == "Leadership")
    assert [sh.name for sh in leaders.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE] == [f"Photo {doc.leaders[0].name}"]
    assert not [w for w in result.warnings if "on no slide" in w]
    # maps and the scene are pictures, each chart a native chart and no picture
    for ident in ORDER:
        slide = figure_slide(prs, doc, ident)
        pictures = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        charts = [sh for sh in slide.shapes if sh.has_chart]
        if by_id[ident].kind in ("map", "photo"):
            assert len(pictures) == 1 and not charts, ident
            text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
            assert f"Figure {by_id[ident].number}: {plain_text(by_id[ident].caption)}" in text
        else:
            assert len(charts) == 1 and not pictures, ident
            assert not charts[0].chart.has_title  # the slide's title is the figure's


def test_the_deck_shows_a_figure_of_every_kind_of_the_registry(doc, cache, tmp_path):
    """The deck's dispatch is the registry's shapes: no kind lacks a slide (and the content
    cannot name a kind the registry lacks)."""
    from jnim_export import kinds

    monthly, placed = doc.figure("chart"), doc.figure("map")
    every = tuple(dataclasses.replace(monthly if kinds.KINDS[name].shape == "monthly" else placed, id=f"k-{name}",
                                      number=k + 1, kind=name, stacked=name == "chart")
                  for k, name in enumerate(kinds.NAMES))
    result = deck_writer.render(dataclasses.replace(doc, figures=every), tmp_path / "d.pptx",
                                deck_writer.DeckOptions(), Context(cache))
    assert not [w for w in result.warnings if "on no slide" in w]
    names = {sh.name for s in Presentation(str(tmp_path / "d.pptx")).slides for sh in s.shapes}
    for fig in every:  # a native chart, a picture or (a photo not shipped) its placeholder
        assert {f"Figure {fig.number}", f"Figure {fig.number} placeholder"} & names, fig.kind


def test_native_charts_hold_the_aggregates_numbers(deck, doc, project):
    prs, _ = deck
    long = aggregate(project, LONG_DATA)
    # events per month, stacked by category: only categories with events in the window
    chart = next(sh for sh in figure_slide(prs, doc, "events").shapes if sh.has_chart).chart
    window = months_of(long, "2017-03", "2018-07")
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert list(chart.plots[0].categories) == [short_date(m["month"]) for m in window]
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    expected = {c: [m["counts"][c] for m in window] for c in long["categories"]}
    assert series == {c: v for c, v in expected.items() if any(v)}
    # fatalities per month
    chart = next(sh for sh in figure_slide(prs, doc, "deaths").shapes if sh.has_chart).chart
    window = months_of(long, "2017-06", "2018-12")
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert list(chart.plots[0].categories) == [short_date(m["month"]) for m in window]
    assert [list(s.values) for s in chart.plots[0].series] == [[m["fatalities"] for m in window]]
    assert [s.name for s in chart.plots[0].series] == ["Fatalities"]
    # fatalities by region: summed over places by (country, admin1), the top four, then Other
    chart = next(sh for sh in figure_slide(prs, doc, "regions").shapes if sh.has_chart).chart
    totals: dict[str, int] = {}
    for loc in aggregate(project, MAP_DATA)["locations"]:
        totals[loc["admin1"]] = totals.get(loc["admin1"], 0) + loc["fatalities"]
    ranked = sorted(((v, k) for k, v in totals.items() if v), key=lambda t: (-t[0], t[1]))
    rest = ranked[4:]
    expected_names = [k for _, k in ranked[:4]] + [f"Other ({len(rest)} regions)"]
    expected_values = [v for v, _ in ranked[:4]] + [sum(v for v, _ in rest)]
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    # listed smallest first: a bar chart draws its first category at the bottom, so the largest is on top
    assert list(chart.plots[0].categories) == expected_names[::-1]
    assert list(chart.plots[0].series[0].values) == expected_values[::-1]
    assert not chart.category_axis.reverse_order
    # every chart's data travels in its workbook (Edit Data)
    for ident in ("events", "deaths", "regions"):
        frame = next(sh for sh in figure_slide(prs, doc, ident).shapes if sh.has_chart)
        assert frame.chart.part.chart_workbook.xlsx_part is not None


def plot_box(frame) -> tuple[int, int, int, int]:
    """The plot area (inner) on the slide, from the manual layout pinned in the chart's XML."""
    ml = frame.chart._chartSpace.chart.plotArea.find(qn("c:layout")).find(qn("c:manualLayout"))
    assert ml.find(qn("c:layoutTarget")).get("val") == "inner"
    x, y, w, h = (float(ml.find(qn(f"c:{t}")).get("val")) for t in ("x", "y", "w", "h"))
    return (int(frame.left + frame.width * x), int(frame.top + frame.height * y),
            int(frame.left + frame.width * (x + w)), int(frame.top + frame.height * (y + h)))


def box_of(shape) -> tuple[int, int, int, int]:
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def meets(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_labels(slide) -> list[str]:
    """The deck's key-attack labels: clear of each other, the title and the plot; over their markers."""
    (frame,) = [sh for sh in slide.shapes if sh.has_chart]
    plot = plot_box(frame)
    title = box_of(slide.shapes.title)
    labels = [sh for sh in slide.shapes if sh.name.startswith("Chart label ")]
    markers = {sh.name.removeprefix("Chart marker "): sh for sh in slide.shapes if sh.name.startswith("Chart marker ")}
    for k, a in enumerate(labels):
        box = box_of(a)
        assert not meets(box, title), a.name
        assert not meets(box, plot), a.name
        assert box[0] >= frame.left and box[2] <= frame.left + frame.width, a.name
        assert box[1] >= frame.top, a.name
        for b in labels[k + 1:]:
            assert not meets(box, box_of(b)), (a.name, b.name)
        for marker in markers.values():
            assert not meets(box, box_of(marker)), (a.name, marker.name)
        marker = markers[a.name.removeprefix("Chart label ")]
        assert marker.top + marker.height <= plot[1] and not meets(box_of(marker), plot)
    return [sh.text_frame.text for sh in labels]


def test_deck_labels_clear_of_each_other_the_title_and_the_plot(deck, doc):
    prs, _ = deck
    # Ouagadougou is outside the data's country, Boni before the fatalities chart's window
    assert check_labels(figure_slide(prs, doc, "events")) == ["Boni", "Timbuktu", "Aguelhok"]
    assert check_labels(figure_slide(prs, doc, "deaths")) == ["Timbuktu", "Aguelhok"]


def test_deck_labels_clear_however_crowded(doc, cache, tmp_path):
    names = ("Mogadishu (Zoobe junction)", "Nairobi (DusitD2)", "In-Delimane and Tabankort", "Gao", "Tongo Tongo",
             "Ménaka", "Kidal")
    months = [f"2017-{m:02d}" for m in range(3, 13)] + [f"2018-{m:02d}" for m in range(1, 8)]
    crowd = tuple(Attack(f"c{i}", months[(i * 2) % len(months)] + "-01", names[i % len(names)], "Mali", 15.0, -2.0,
                         (Text("x"),), ()) for i in range(12))
    crowd += (Attack("same", "2017-05-09", "Boni", "Mali", 15.0, -2.0, (Text("x"),), ()),)
    dest = tmp_path / "crowd.pptx"
    events = next(f for f in doc.figures if f.id == "events")
    crowded = dataclasses.replace(doc, attacks=crowd, figures=(events,))  # the maps would only be redrawn
    deck_writer.render(crowded, dest, deck_writer.DeckOptions(citations="footer"), Context(cache))
    prs = Presentation(str(dest))
    texts = check_labels(figure_slide(prs, doc, "events"))
    assert len(texts) == len({a.month for a in crowd}) and any(t.endswith(" / Boni") for t in texts)


# --------------------------------------------------------------------------- the PDF and the web page


@pytest.mark.slow
def test_pdf_draws_every_chart_as_vector_art(doc, cache, tmp_path):
    from pypdf import PdfReader

    dest = tmp_path / "every.pdf"
    result = pdf.render(pdf.view(doc), dest, pdf.PdfOptions(), Context(cache))
    assert not [w for w in result.warnings if "not drawn" in w]
    reader = PdfReader(str(dest))
    images = 0
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        images += sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")
    assert images == 2  # the two photos; maps and charts are vector drawings
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for word in ("Events per month", "Fatalities per month", "Mopti", "Other (", "Timbuktu", "Aguelhok"):
        assert word in text, word


def test_pdf_and_deck_mark_the_same_attacks(doc, cache, deck):
    from jnim_export import figures
    from svgboxes import SVG, Drawing

    prs, _ = deck
    for ident in ("events", "deaths"):
        fig = next(f for f in doc.figures if f.id == ident)
        svg = figures.figure_file(fig, attacks=doc.attacks, places=doc.places, style=doc.style, fmt="svg",
                                  size=(6.3, 2.9), cache_dir=cache)
        drawing = Drawing(svg)
        in_pdf = ["".join(t.itertext()) for g in sorted(drawing.groups("attack-label-").items(),
                                                        key=lambda kv: int(kv[0].rsplit("-", 1)[1]))
                  for t in g[1].iter(f"{SVG}text")]
        in_deck = check_labels(figure_slide(prs, doc, ident))
        assert in_pdf == in_deck == list(dict.fromkeys(a.place for a in fig.marked_attacks(doc.attacks)))


@pytest.mark.slow
def test_web_page_shows_every_figure_with_its_table(doc, cache, tmp_path):
    dest = tmp_path / "every.html"
    result = web.render(web.view(doc), dest, web.HtmlOptions(), Context(cache))
    assert not [w for w in result.warnings if "not drawn" in w]
    tree = html5lib.parse(dest.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    figs = {el.get("id"): el for el in tree.iter("figure")}
    by_id = {f.id: f for f in doc.figures}
    for ident, fig in by_id.items():
        el = figs[f"fig-{fig.number}"]
        assert f"fig-{fig.kind}" in el.get("class")
        if fig.kind == "photo":
            assert list(el.iter("img"))
            continue
        assert [s for s in el.iter() if str(s.tag).endswith("svg") and "fig-wide" in s.get("class", "")], ident
        assert el.find(".//table") is not None, ident

    def rows(ident):
        table = figs[f"fig-{by_id[ident].number}"].find(".//table")
        return [["".join(c.itertext()) for c in tr] for tr in table.find("tbody").findall("tr")]

    deaths = by_id["deaths"]
    assert [(r[0], int(r[1].replace(",", ""))) for r in rows("deaths")] == [
        (re.sub(r"^(\w+) (\d+)$", r"\1 \2", short_date(m.month)), m.fatalities) for m in deaths.months()]
    regions = by_id["regions"]
    assert regions.measure == "fatalities"  # the measure drawn is the table's first column
    assert [(r[0], int(r[1].replace(",", ""))) for r in rows("regions")] == [
        (b.region or b.name, b.fatalities) for b in regions.regions()]
