"""Every figure kind of the registry in every output, with the same numbers; drawing code that
fails stops the build; artwork follows the code that drew it.

The project is the default content with a figure of every drawn kind added (real ACLED
aggregates from assets/, nothing invented).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner
from pptx import Presentation
from pypdf import PdfReader

from jnim_export import figures, kinds
from jnim_export.cli import main
from jnim_export.content import read

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
PACKAGE = ROOT / "src" / "jnim_export"

EXTRA = """
  - id: deaths-chart
    kind: fatalities
    caption: Fatalities per Month
    alt: Bar chart of fatalities per month in Mali.
    data: assets/data/jnim-mali-2017-2019-initiated.json
    from: 2017-03
    to: 2018-07

  - id: regions-chart
    kind: regions
    caption: Events by Region
    alt: Bar chart of events by region in Mali.
    data: assets/data/jnim-mali-2017-03-to-2018-07.json

  - id: running-total
    kind: cumulative
    caption: Events to Date
    alt: Line of the events to date in Mali, month by month.
    data: assets/data/jnim-mali-2017-2019-initiated.json
    from: 2017-03
    to: 2018-07
"""


def every_kind(folder: Path) -> Path:
    """A copy of the default project with a figure of every drawn kind, each placed in the text."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "assets", folder / "assets")
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    assert text.count("    stacked: true\n") == 1 and text.count("      - figure: attacks-chart\n") == 1
    text = text.replace("    stacked: true\n", "    stacked: true\n" + EXTRA)
    text = text.replace("      - figure: attacks-chart\n", "      - figure: attacks-chart\n"
                        + "".join(f"      - figure: {i}\n" for i in ("deaths-chart", "regions-chart", "running-total")))
    (folder / "content.yaml").write_text(text, encoding="utf-8")
    return folder / "content.yaml"


def test_the_project_has_every_drawn_kind(tmp_path):
    doc = read(every_kind(tmp_path)).document
    assert sorted(f.kind for f in doc.figures if f.data is not None) == sorted(kinds.DRAWN)


def test_the_registry_is_the_one_list_of_kinds():
    from jnim_export import model
    from jnim_export.content.schema import FigureSpec

    assert FigureSpec.model_fields["kind"].annotation.__args__ == kinds.NAMES
    assert model.FigureKind.__args__ == kinds.NAMES
    assert set(figures.KINDS) == set(kinds.DRAWN) == set(figures.ASPECT) == set(figures.COMPACT)
    for name in kinds.DRAWN:
        module = figures.KINDS[name]
        assert callable(module.draw) and callable(module.key_inputs), name
        assert kinds.KINDS[name].table is not None, name
    assert set(kinds.MONTHLY) | set(kinds.UNDATED) == set(kinds.DRAWN)


def test_an_unknown_kind_is_a_content_error(tmp_path):
    content = every_kind(tmp_path)
    content.write_text(content.read_text(encoding="utf-8").replace("kind: cumulative", "kind: cumulativ"),
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(content)])
    assert result.exit_code == 1
    assert "cumulative" in result.output and "content.yaml:" in result.output


# --------------------------------------------------------------------------- the same numbers everywhere


def _build_every_kind(folder: Path) -> None:
    content = every_kind(folder)
    result = CliRunner().invoke(main, ["build", str(content)])
    assert result.exit_code == 0, result.output
    (folder / BUILD_SAID).write_text(result.output, encoding="utf-8")


BUILD_SAID = "first-build-output.txt"  # beside the content: what its first build printed


@pytest.fixture(scope="module")
def warm(made_once) -> Path:
    """A project of every kind built once for the run (every worker's tests share it): its outputs
    and figure cache are there.  Read or copy it, never change it."""
    return made_once("every-kind-build", _build_every_kind) / "content.yaml"


@pytest.fixture(scope="module")
def built(warm):
    content = warm
    out = content.parent / "output"
    page = html5lib.parse((out / "jnim-backgrounder.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(out / "jnim-backgrounder.pdf").pages)
    return read(content).document, out, page, pdf_text, Presentation(out / "jnim-backgrounder.pptx")


def _text(el) -> str:
    return "".join(el.itertext())


def _number(cell: str) -> int:
    return int(cell.replace(",", ""))


# what each kind draws in type, besides its numbers: it is in the PDF only when the artwork is
DRAWN_TEXT = {"chart": "Events per month", "fatalities": "Fatalities per month", "cumulative": "Events to date",
              "regions": "Tombouctou", "map": "Events per location"}


@pytest.mark.slow
@pytest.mark.parametrize("kind", kinds.DRAWN)
def test_every_writer_shows_every_kind_with_the_models_numbers(built, kind):
    doc, out, page, pdf_text, deck = built
    [fig] = [f for f in doc.figures if f.kind == kind]
    table = fig.table()
    assert table is not None and table.rows

    # the PDF: the artwork, not a placeholder
    assert DRAWN_TEXT[kind] in pdf_text
    assert "not available" not in pdf_text

    # the page: both drawings, and a data table with the model's numbers
    [figure] = [el for el in page.iter("figure") if el.get("id") == f"fig-{fig.number}"]
    svgs = [el for el in figure.iter() if el.tag == f"{SVG}svg" and "fig-svg" in (el.get("class") or "")]
    assert len(svgs) == 2 and all(list(svg.iter(f"{SVG}text")) for svg in svgs)
    html_table = figure.find(".//table")
    assert _text(html_table.find("caption")) == table.caption
    head = [_text(th).strip() for th in html_table.find("thead").iter("th")]
    first = 1 + bool(table.detail)
    assert head[first:first + len(table.columns)] == list(table.columns)
    body = html_table.find("tbody").findall("tr")
    assert [_text(tr.find("th")) for tr in body] == [r.label for r in table.rows]
    values = [tuple(_number(_text(td)) for td in tr.findall("td")[first - 1:first - 1 + len(table.columns)])
              for tr in body]
    assert values == [r.values for r in table.rows]

    # the deck: a native chart holding the drawn columns, or the artwork as a picture
    [slide] = [s for s in deck.slides if s.shapes.title is not None and s.shapes.title.text == fig.title]
    charts = [sh for sh in slide.shapes if sh.has_chart]
    if kinds.KINDS[kind].shape == "points":
        assert not charts and [sh for sh in slide.shapes if sh.shape_type == 13 and sh.name == f"Figure {fig.number}"]
        return
    [frame] = charts
    plot = frame.chart.plots[0]
    rows = table.rows if kinds.KINDS[kind].shape == "monthly" else tuple(reversed(table.rows))  # bars: largest on top
    assert list(plot.categories) == [r.name for r in rows]
    native = [(s.name, tuple(int(v) for v in s.values)) for s in plot.series]
    drawn = [(name, tuple(values if rows is table.rows else reversed(values))) for name, values, _ in table.series()]
    assert native == drawn


@pytest.mark.slow
def test_a_stacked_chart_table_totals_its_columns(built):
    doc, _, page, _, _ = built
    chart = doc.figure("chart")
    table = chart.table()
    assert chart.stacked and table.drawn == len(table.columns) > 1
    [figure] = [el for el in page.iter("figure") if el.get("id") == f"fig-{chart.number}"]
    html_table = figure.find(".//table")
    assert [_text(th).strip() for th in html_table.find("thead").iter("th")][-1] == "Total"
    for tr, row in zip(html_table.find("tbody").findall("tr"), table.rows, strict=True):
        assert tr.find("th/time").get("datetime") == row.month
        assert _number(_text(tr.findall("td")[-1])) == sum(row.values) == dict(
            (m.month, m.total) for m in chart.months())[row.month]
    foot = [_number(_text(td)) for td in html_table.find("tfoot").iter("td")]
    assert foot[-1] == sum(m.total for m in chart.months())


@pytest.mark.slow
def test_the_running_total_runs(built):
    doc = built[0]
    fig = doc.figure("cumulative")
    totals = [m.total for m in fig.months()]
    assert [r.values[0] for r in fig.table().rows] == [sum(totals[:k + 1]) for k in range(len(totals))]


# --------------------------------------------------------------------------- drawing errors stop the build


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.glob("jnim-backgrounder.*")}


@pytest.mark.slow
@pytest.mark.parametrize("cache", ["fresh", "warm"])
@pytest.mark.parametrize("kind", kinds.DRAWN)
def test_an_exception_in_drawing_code_fails_the_build(kind, cache, warm, tmp_path, monkeypatch):
    if cache == "fresh":
        content = every_kind(tmp_path)
        args = ["build", str(content)]
    else:
        content = tmp_path / "warm" / "content.yaml"
        shutil.copytree(warm.parent, content.parent)
        args = ["build", str(content), "--no-cache"]
    before = _outputs(content.parent / "output")

    def broken(*args, **kwargs):
        raise RuntimeError(f"injected into the {kind} drawing")

    monkeypatch.setattr(figures.KINDS[kind], "draw", broken)  # forked processes inherit it
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert f"unexpected error: RuntimeError: injected into the {kind} drawing" in result.output
    assert "placeholder" not in result.output
    assert _outputs(content.parent / "output") == before  # nothing replaced
    debug = CliRunner().invoke(main, ["--debug", *args])
    assert isinstance(debug.exception, RuntimeError) and kind in str(debug.exception)


@pytest.mark.slow
def test_the_default_build_reports_the_missing_photo_once(warm):
    said = (warm.parent / BUILD_SAID).read_text(encoding="utf-8")  # a first build, every figure drawn
    assert said.count("iyad-ag-ghaly.jpg") == 1
    assert "placeholder is printed" not in said and "placeholder is shown" not in said


# --------------------------------------------------------------------------- artwork follows its code


def _build(package: Path, content: Path, *more: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(package.parent)}
    done = subprocess.run([sys.executable, "-m", "jnim_export.cli", "build", str(content), "--quiet", *more],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path.name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _deck_pictures(deck: Path) -> str:
    with zipfile.ZipFile(deck) as z:
        return hashlib.sha256(b"".join(z.read(n) for n in sorted(z.namelist()) if n.startswith("ppt/media/"))).hexdigest()


def _shown(out: Path) -> tuple[str, str, str]:
    pdf = "\n".join(p.extract_text() for p in PdfReader(out / "jnim-backgrounder.pdf").pages)
    return pdf, (out / "jnim-backgrounder.html").read_text(encoding="utf-8"), _deck_pictures(out / "jnim-backgrounder.pptx")


@pytest.mark.slow
def test_an_edit_to_drawing_code_reaches_every_output_with_or_without_the_cache(tmp_path, warm):
    package = tmp_path / "code" / "jnim_export"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    # built by this code as it is (the copy keeps its files' sizes and times: the same fingerprint)
    shutil.copytree(warm.parent, tmp_path / "project")
    content = tmp_path / "project" / "content.yaml"
    out = content.parent / "output"
    pdf, page, pictures = _shown(out)
    assert "Events per month" in pdf and "Events per month" in page

    # the chart's axis title and the map's legend, edited: a plain build shows both everywhere
    _edit(package / "figures" / "chart.py", '"Events per month"', '"Events counted per month"')
    _edit(package / "figures" / "mapfurniture.py", '"Events per location"', '"Events per map location"')
    _build(package, content)
    pdf, page, edited = _shown(out)
    assert "Events counted per month" in pdf and "Events counted per month" in page
    assert "Events per map location" in pdf and "Events per map location" in page
    assert edited != pictures  # the deck's map (its charts are native)

    # and again, with --no-cache
    _edit(package / "figures" / "chart.py", '"Events counted per month"', '"Events tallied per month"')
    _edit(package / "figures" / "mapfurniture.py", '"Events per map location"', '"Events per place shown"')
    _build(package, content, "--no-cache")
    pdf, page, again = _shown(out)
    assert "Events tallied per month" in pdf and "Events tallied per month" in page
    assert "Events per place shown" in pdf and "Events per place shown" in page and "per map location" not in page
    assert again not in (pictures, edited)


# --------------------------------------------------------------------------- legible everywhere

PHONE_SHOWN_PX = 375 - 2 * 20  # a 375 px screen shows a figure this wide (the page's side padding: 1.25rem)


def _font_px(el) -> float:
    style = el.get("style") or ""
    return float(style.split("font-size:")[1].split("px")[0])


@pytest.mark.slow
def test_figure_type_is_at_least_11_css_px_on_a_phone_and_7_pt_in_print(built):
    doc, _, page, _, _ = built
    css = (PACKAGE / "render" / "html" / "style.css").read_text(encoding="utf-8")
    assert ".bg{box-sizing:content-box;max-width:35em;margin:0 auto;padding:0 1.25rem" in css  # PHONE_SHOWN_PX's
    checked = 0
    for svg in page.iter(f"{SVG}svg"):
        classes = svg.get("class") or ""
        if "fig-svg" not in classes:
            continue
        width = float(svg.get("viewBox").split()[2])  # in points: matplotlib's SVG unit
        least = min(_font_px(t) for t in svg.iter(f"{SVG}text"))
        if "fig-compact" in classes:
            assert least * PHONE_SHOWN_PX / width >= 11 - 1e-6, (svg.get("aria-labelledby"), least)
        else:
            assert least >= 7.0 - 1e-6, (svg.get("aria-labelledby"), least)
        checked += 1
    assert checked == 2 * len([f for f in doc.figures if f.data is not None])


def _pdf_figure_type(path: Path) -> dict[str, float]:
    """The smallest type (pt) set inside each tagged Figure's box of the PDF, by its alt text."""
    import math

    import pikepdf
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    boxes: dict[int, list[tuple[str, list[float]]]] = {}
    with pikepdf.open(path) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}

        def visit(node) -> None:
            if not isinstance(node, pikepdf.Dictionary):
                if isinstance(node, pikepdf.Array):
                    for kid in node:
                        visit(kid)
                return
            if node.get("/S") == "/Figure" and "/A" in node and "/BBox" in node.A and "/Pg" in node:
                boxes.setdefault(pages[node.Pg.objgen], []).append((str(node.get("/Alt", "")),
                                                                   [float(v) for v in node.A.BBox]))
            if "/K" in node:
                visit(node.K)

        visit(pdf.Root.StructTreeRoot.K)
    least: dict[str, float] = {}

    class Sizes(PDFLayoutAnalyzer):
        index = 0

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
            size = fontsize * math.hypot(matrix[2], matrix[3])
            x, y = matrix[4], matrix[5]
            for alt, (x0, y0, x1, y1) in boxes.get(self.index, ()):
                if x0 <= x <= x1 and y0 <= y <= y1:
                    least[alt] = min(least.get(alt, 99.0), size)
            return super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)

        def receive_layout(self, ltpage):
            pass

    rm = PDFResourceManager()
    device = Sizes(rm)
    interpreter = PDFPageInterpreter(rm, device)
    with open(path, "rb") as fh:
        for i, p in enumerate(PDFPage.get_pages(fh)):
            device.index = i
            interpreter.process_page(p)
    return least


@pytest.mark.slow
def test_printed_figure_type_is_at_least_6_5_pt(built):
    doc, out, _, _, _ = built
    least = _pdf_figure_type(out / "jnim-backgrounder.pdf")
    drawn = [f for f in doc.figures if f.data is not None]
    assert {f.alt for f in drawn} <= set(least)
    for f in drawn:
        assert least[f.alt] >= 6.5 - 0.01, (f.kind, least[f.alt])


def test_the_pdf_shrinks_a_figure_only_while_its_type_stays_legible():
    from reportlab.graphics.shapes import Drawing, Group, String
    from reportlab.platypus import Paragraph
    from reportlab.lib.styles import getSampleStyleSheet

    from jnim_export.render.pdf.artwork import FigureBox, Graphic
    from jnim_export.render.pdf.theme import Theme

    d = Drawing(400, 200)
    g = Group(String(10, 10, "Data", fontSize=7.0))
    g.transform = (1, 0, 0, 1, 0, 0)
    d.add(g)
    graphic = Graphic(drawing=d)
    assert graphic.least_type(400) == pytest.approx(7.0) and graphic.least_type(200) == pytest.approx(3.5)
    theme = Theme(page=(612, 792))
    para = Paragraph("x", getSampleStyleSheet()["Normal"])
    fig = read(ROOT / "content.yaml").document.figure("map")
    box = FigureBox(fig, graphic, para, None, [], caption_above=True, accent=None, theme=theme)
    assert box.legible(400) and box.legible(400 * 6.5 / 7.0 + 0.01)
    assert not box.legible(400 * 0.9)


def test_every_place_is_named_on_the_print_map_or_its_omission_says_why(tmp_path):
    """Synthetic places (not real ones): one 2.5 km from Gao, one on the same spot as another
    synthetic one, one far outside the frame."""
    import dataclasses

    from jnim_export.figures import style as house
    from jnim_export.figures.cache import least_scale
    from jnim_export.model import Place

    doc = read(ROOT / "content.yaml").document
    extra = (Place("Synthetic A", 16.25, -0.02, False), Place("Synthetic B", 16.2501, -0.0201, False),
             Place("Synthetic C", 16.2502, -0.0199, False), Place("Far Away", -30.0, 120.0, False))
    places = doc.places + extra
    fig = doc.figure("map")
    size = kinds.print_size("map")
    drawn = {}

    def paint(f, scale):
        drawn["map"] = figures.KINDS["map"].draw(f, fig, attacks=doc.attacks, places=places, style=doc.style,
                                                 scale=scale)

    house.render(paint, doc.style, reference=figures.KINDS["map"].REFERENCE_SIZE, formats=("svg",), size=size,
                 least=least_scale("map", size))
    result = drawn["map"]
    named = {k.split(":", 1)[1] for k in result.labels if k.startswith("place:")}
    attack_places = {a.place for a in doc.attacks}
    notes = "\n".join(result.notes)
    assert "place 'Far Away' is not named on the map: it is outside the map's frame" in notes
    for p in places:
        if p.name in named or any(p.name in a for a in attack_places):
            assert f"'{p.name}'" not in notes
        else:
            assert f"place '{p.name}' is not named on the map: " in notes, p.name
    assert any("too close to" in n for n in result.notes)  # three on one spot: not all find room
    assert {p.name for p in doc.places} <= named | attack_places  # the default content's are all named
    assert not result.forced


@pytest.mark.slow
def test_an_unnamed_place_is_reported_once_by_the_build(tmp_path, warm):
    shutil.copytree(warm.parent, tmp_path / "project")  # the charts drawn already; the map is drawn again
    content = tmp_path / "project" / "content.yaml"
    text = content.read_text(encoding="utf-8")
    anchor = "  - {name: Kidal, latitude: 18.44, longitude: 1.41}\n"
    assert text.count(anchor) == 1
    # synthetic: a place far outside the map's frame
    content.write_text(text.replace(anchor, anchor + "  - {name: Far Away, latitude: -30.0, longitude: 120.0}\n"),
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(content)])
    assert result.exit_code == 0, result.output
    assert result.output.count("'Far Away' is not named on the map: it is outside the map's frame") == 1
    again = CliRunner().invoke(main, ["build", str(content), "--force"])  # from the cache: still said, once
    assert again.output.count("'Far Away' is not named on the map") == 1


def test_a_figure_with_no_numbers_to_show_is_a_content_error(tmp_path):
    """Synthetic data (tests/data/events-synthetic.json) with every fatality set to 0."""
    import json

    content = every_kind(tmp_path)
    data = json.loads((Path(__file__).parent / "data" / "events-synthetic.json").read_text(encoding="utf-8"))
    for loc in data["locations"]:
        loc["fatalities"] = 0
    (tmp_path / "assets" / "data" / "no-deaths.json").write_text(json.dumps(data), encoding="utf-8")
    text = content.read_text(encoding="utf-8")
    old = "    caption: Events by Region\n    alt: Bar chart of events by region in Mali.\n" \
          "    data: assets/data/jnim-mali-2017-03-to-2018-07.json\n"
    assert text.count(old) == 1
    content.write_text(text.replace(old, "    caption: Events by Region\n    alt: Bar chart of events by region.\n"
                                         "    data: assets/data/no-deaths.json\n    measure: fatalities\n"),
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(content)])
    assert result.exit_code == 1
    assert "a regions figure must have numbers to show: it has no fatalities in its data" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_no_cache_converts_the_pages_inline_artwork_again(tmp_path):
    """The page's inline form of a drawing is kept under the SVG's content hash: reused by a plain
    build, never by --no-cache."""
    # a first build, drawing (its renders then run in processes of their own: this process keeps
    # no inline form in memory, and the next build reads the files)
    content = every_kind(tmp_path)
    assert CliRunner().invoke(main, ["build", str(content), "--quiet"]).exit_code == 0
    cache = content.parent / "output" / ".jnim-export" / "figures"
    kept = sorted(cache.glob("*-inline.json"))
    assert kept and all(len(p.name.split(".")[0]) == 24 for p in kept)
    for p in kept:  # a stale form a plain build would show
        p.write_text(p.read_text(encoding="utf-8").replace("Data: ACLED", "Data: STALE"), encoding="utf-8")
    page = content.parent / "output" / "jnim-backgrounder.html"
    assert CliRunner().invoke(main, ["build", str(content), "--quiet", "--force"]).exit_code == 0
    assert "Data: STALE" in page.read_text(encoding="utf-8")  # the kept form is what a plain build uses
    assert CliRunner().invoke(main, ["build", str(content), "--quiet", "--no-cache"]).exit_code == 0
    assert "Data: STALE" not in page.read_text(encoding="utf-8") and "Data: ACLED" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_drawing_error_in_the_forked_process_reaches_the_parent(tmp_path, monkeypatch):
    import multiprocessing

    real = figures.draw

    def in_the_child_only(*args, **kwargs):
        if multiprocessing.current_process().name != "MainProcess":
            raise ZeroDivisionError("injected in the forked drawing process")
        return real(*args, **kwargs)

    monkeypatch.setattr(figures, "draw", in_the_child_only)
    content = every_kind(tmp_path)
    result = CliRunner().invoke(main, ["build", str(content)])
    assert result.exit_code == 1
    assert "unexpected error: ZeroDivisionError: injected in the forked drawing process" in result.output
    debug = CliRunner().invoke(main, ["--debug", "build", str(content)])
    assert isinstance(debug.exception, ZeroDivisionError)
    [note] = debug.exception.__notes__
    assert note.startswith("raised in a forked process:") and "in_the_child_only" in note
    assert not list((tmp_path / "output").glob("jnim-backgrounder.*"))


@pytest.mark.slow
def test_a_photo_unreadable_at_render_is_one_warning_from_every_writer(tmp_path, figure_cache):
    """A photo that passed the content's check and is no image when the writers read it (changed
    since): every writer shows a placeholder and gives the same one warning."""
    import dataclasses

    from jnim_export import render
    from jnim_export.render import Context

    doc = read(ROOT / "content.yaml").document
    broken = tmp_path / "photo.jpg"
    broken.write_bytes(b"not an image at all")
    from jnim_export.model import FigureBlock

    photo = dataclasses.replace(doc.figure("photo"), image=broken, leader=None)

    def swap(b):
        return FigureBlock(photo) if isinstance(b, FigureBlock) and b.figure.id == photo.id else b

    sections = tuple(dataclasses.replace(s, blocks=tuple(swap(b) for b in s.blocks)) for s in doc.sections)
    doc = dataclasses.replace(doc, sections=sections,
                              figures=tuple(photo if f.kind == "photo" else f for f in doc.figures))
    said = set()
    for writer in render.WRITERS:
        result = writer.render(writer.view(doc), tmp_path / f"out{writer.suffix}", writer.make_options(),
                               Context(figure_cache))
        photo_warnings = [w for w in result.warnings if "photo.jpg" in w]
        assert len(photo_warnings) == 1, (writer.name, result.warnings)
        said |= set(photo_warnings)
    assert said == {f"figure {photo.number} ({photo.id}): cannot read photo.jpg; a labelled placeholder is shown"}
