"""Chart and map artwork: content, cache, determinism and the svglib route into a PDF."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from jnim_export import figures
from jnim_export.events import CATEGORIES
from jnim_export.fonts import font_path
from jnim_export.model import Attack, Dataset, EventData, Figure, Location, MonthCount, Place, Style, Text

STYLE = Style(
    serif="Noto Serif",
    sans="Noto Sans",
    body_size=10.0,
    accent="#8c1d18",
    ink="#1f2328",
    muted="#5d6670",
    tint="#f3efe8",
    palette=("#8c1d18", "#d9822b", "#4f6d7a", "#9aa5a8", "#c9b27c", "#2f3b45"),
    logo=None,
)


def _month(month: str, battles: int, remote: int, civilians: int, strategic: int = 0) -> MonthCount:
    counts = dict.fromkeys(CATEGORIES, 0)
    counts.update({CATEGORIES[0]: battles, CATEGORIES[1]: remote, CATEGORIES[2]: civilians, CATEGORIES[5]: strategic})
    return MonthCount(month, tuple(counts.items()), fatalities=battles)


def event_data(sha: str = "a" * 64) -> EventData:
    months = (
        _month("2017-01", 2, 1, 0),  # before the window
        _month("2017-03", 5, 1, 0, 1),
        _month("2017-04", 0, 0, 0),  # zero month
        _month("2017-05", 4, 6, 0),
        _month("2017-06", 0, 0, 0),  # zero month
        _month("2017-07", 6, 5, 1),
        _month("2017-08", 2, 0, 3),
    )
    locations = (
        Location("Kidal", "Mali", "Kidal", 18.44, 1.41, 16, 4),
        Location("Timbuktu", "Mali", "Tombouctou", 16.7705, -3.0056, 11, 18),
        Location("Boni", "Mali", "Mopti", 15.0766, -2.2198, 7, 14),
        Location("Djenne", "Mali", "Mopti", 13.9045, -4.5599, 3, 5),
        Location("Dioura", "Mali", "Mopti", 14.85, -5.25, 1, 0),
    )
    return EventData(
        path=Path("events.json"),
        categories=CATEGORIES,
        months=months,
        locations=locations,
        attribution="Armed Conflict Location & Event Data Project (ACLED), acleddata.com",
        scope="Mali only",
        provenance=(("source", "test"),),
        sha256=sha,
        dataset=Dataset("ACLED"),
    )


def make_figure(kind: str, *, data: EventData | None = None, stacked: bool = True, **more) -> Figure:
    whole = kind == "regions"  # its bars count places, which carry no dates: the data's whole window
    return Figure(
        id=kind,
        number=1,
        kind=kind,  # type: ignore[arg-type]
        caption=(Text(kind),),
        credit=(),
        alt=kind,
        image=None,
        data=data or event_data(),
        start=None if whole else "2017-03",
        end=None if whole else "2017-08",
        stacked=stacked and kind == "chart",
        **more,
    )


ATTACKS = (
    Attack("timbuktu", "2017-05-14", "Timbuktu", "Mali", 16.7666, -3.0026, (Text("attack"),), ()),
    Attack("ouaga", "2018-03-02", "Ouagadougou", "Burkina Faso", 12.3714, -1.5197, (Text("attack"),), ()),
)
PLACES = (
    Place("Bamako", 12.6392, -8.0029, True),
    Place("Niamey", 13.5116, 2.1254, True),
    Place("Nouakchott", 18.0735, -15.9582, True),  # west of the frame
    Place("Timbuktu", 16.7666, -3.0026, False),
    Place("Gao", 16.2666, -0.04, False),
)
CHART_SIZE = (6.5, 3.2)
MAP_SIZE = (6.5, 5.0)
SIZES = {"chart": CHART_SIZE, "fatalities": CHART_SIZE, "cumulative": CHART_SIZE, "regions": (6.5, 3.25), "map": MAP_SIZE}


def draw(kind: str, fmt: str, cache_dir: Path, **changes) -> Path:
    figure = changes.pop("figure", None) or make_figure(kind)
    size = SIZES[kind]
    args = dict(attacks=ATTACKS, places=PLACES, style=STYLE, fmt=fmt, size=size, cache_dir=cache_dir)
    args.update(changes)
    return figures.figure_file(figure, **args)


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("figures")


@pytest.fixture(scope="module")
def chart_svg(cache) -> Path:
    return draw("chart", "svg", cache)


@pytest.fixture(scope="module")
def map_svg(cache) -> Path:
    return draw("map", "svg", cache)


# --------------------------------------------------------------------------- content


def test_chart_labels_every_month_of_the_window_including_zero_months(chart_svg):
    texts = svg_texts(chart_svg)
    # the window Mar..Aug 2017, zero months Apr and Jun included, year on the first tick
    for label in ("Mar 2017", "Apr", "May", "Jun", "Jul", "Aug"):
        assert label in texts
    assert not any(t.startswith("Jan") for t in texts)  # outside the window
    assert "Events per month" in texts
    assert "0" in texts  # the zero baseline is labelled


def test_chart_annotates_attacks_in_its_window_and_has_a_source_line(chart_svg):
    texts = svg_texts(chart_svg)
    assert "Timbuktu" in texts
    assert "Ouagadougou" not in texts  # Mar 2018: outside the window
    assert "Data: ACLED (Mali only), Mar 2017\u2013Aug 2017" in texts
    # the legend lists the categories that occur, and only those
    assert {"Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments"} <= set(
        texts
    )
    assert "Protests" not in texts and "Riots" not in texts
    assert "Key attack" in texts


def test_unstacked_chart_draws_one_bar_series_without_a_category_legend(cache):
    svg = draw("chart", "svg", cache, figure=make_figure("chart", stacked=False))
    texts = svg_texts(svg)
    assert "Battles" not in texts
    assert "Mar 2017" in texts and "Timbuktu" in texts


def test_fatalities_chart_draws_fatalities_per_month(cache):
    svg = draw("fatalities", "svg", cache)
    texts = svg_texts(svg)
    assert "Fatalities per month" in texts and "Events per month" not in texts
    assert "Mar 2017" in texts and "Timbuktu" in texts and "Ouagadougou" not in texts
    assert "Battles" not in texts  # one series: no category legend
    heights = bar_heights(svg)
    months = make_figure("fatalities").months()
    # bar heights are proportional to the fatalities (the zero months have zero-height bars)
    ratios = {round(h / m.fatalities, 4) for h, m in zip(heights, months, strict=True) if m.fatalities}
    assert len(ratios) == 1 and all(h == 0 for h, m in zip(heights, months, strict=True) if not m.fatalities)


def test_regions_chart_names_the_largest_regions_and_the_rest_as_other(cache):
    svg = draw("regions", "svg", cache, figure=make_figure("regions", top=2))
    texts = svg_texts(svg)
    # by events: Mopti 7+3+1 = 11, Kidal 16, Tombouctou 11: Kidal, Mopti (ties by name), then Other
    assert [t for t in texts if t in ("Kidal", "Mopti", "Tombouctou", "Other (1 regions)")] == ["Kidal", "Mopti",
                                                                                              "Tombouctou"]
    svg = draw("regions", "svg", cache, figure=make_figure("regions", top=1, measure="fatalities"))
    texts = svg_texts(svg)
    assert "Fatalities" in texts and "Mopti" in texts and "Other (2 regions)" in texts
    assert "19" in texts and "22" in texts  # Mopti's 14+5+0, the others' 4+18


def bar_heights(svg: Path) -> list[float]:
    from svgboxes import Drawing

    drawing = Drawing(svg)
    boxes = drawing.boxes("bar-0-")
    return [boxes[f"bar-0-{j}"].y1 - boxes[f"bar-0-{j}"].y0 for j in range(len(boxes))]


def test_map_names_countries_places_and_attacks(map_svg):
    texts = svg_texts(map_svg)
    # the frame follows the data (Mali): Mali and the neighbours in view are named, Mali in bold
    for name in ("MALI", "BURKINA FASO", "NIGER", "MAURITANIA", "ALGERIA"):
        assert name in texts
    assert "SENEGAL" not in texts and "LIBYA" not in texts  # beyond the frame
    assert _bold(map_svg, "MALI") and not _bold(map_svg, "NIGER")  # events in Mali only
    assert "Timbuktu (May 2017)" in texts
    assert not any(t.startswith("Ouagadougou") for t in texts)  # Mar 2018: outside the map's window
    assert {"Niamey", "Gao"} <= set(texts)
    assert "Bamako" not in texts and "Nouakchott" not in texts  # west of the data's frame
    assert "Timbuktu" not in texts  # the place is labelled once, as its attack
    assert "Data: ACLED (Mali only), Mar 2017\u2013Aug 2017" in texts
    assert any(t.endswith(" km") for t in texts)  # scale bar
    assert {"1 event", "Key attack", "Capital"} <= set(texts)


def _bold(svg: Path, text: str) -> bool:
    """Is the SVG text element reading `text` set in bold?"""
    root = ET.parse(svg).getroot()
    for el in root.iter("{http://www.w3.org/2000/svg}text"):
        if "".join(el.itertext()) == text:
            return "font-weight: 700" in (el.get("style") or "")
    raise AssertionError(f"no text {text!r}")


def test_map_svg_is_a_few_paths_and_one_clip_path(map_svg):
    # svglib, which reads the SVG into the PDF, pays per element and per clip path: the
    # base map is one path per fill and per line style (borders, coast, rivers), cut to
    # the frame beforehand, not an element per segment each clipped by the viewer
    root = ET.parse(map_svg).getroot()
    svg = "{http://www.w3.org/2000/svg}"
    assert len(list(root.iter(f"{svg}path"))) <= 40
    assert len(list(root.iter(f"{svg}clipPath"))) <= 1
    clipped = [el for el in root.iter() if el.get("clip-path")]
    assert len(clipped) <= 4  # the frame line and the three line styles, whose ends meet the frame
    assert map_svg.stat().st_size < 200_000


def test_photo_figures_and_bad_arguments_are_refused(cache):
    with pytest.raises(ValueError, match="photo"):
        draw("chart", "svg", cache, figure=dataclasses.replace(make_figure("chart"), kind="photo"))
    with pytest.raises(ValueError, match="format"):
        draw("chart", "pdf", cache)
    with pytest.raises(ValueError, match="no event data"):
        draw("chart", "svg", cache, figure=dataclasses.replace(make_figure("chart"), data=None))


# --------------------------------------------------------------------------- cache


def test_second_call_returns_the_cached_file_without_drawing(cache, chart_svg, monkeypatch):
    before = chart_svg.stat().st_mtime_ns

    def boom(*args, **kwargs):
        raise AssertionError("redrawn")

    monkeypatch.setattr(figures.style, "render", boom)
    again = draw("chart", "svg", cache)
    assert again == chart_svg
    assert again.stat().st_mtime_ns == before


def test_force_redraws(tmp_path, monkeypatch):
    calls = []
    real = figures.style.render

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(figures.style, "render", counting)
    first = draw("chart", "svg", tmp_path)
    draw("chart", "svg", tmp_path)
    assert len(calls) == 1
    assert draw("chart", "svg", tmp_path, force=True) == first
    assert len(calls) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def _key(kind="chart", **changes):
    figure = changes.pop("figure", None) or make_figure(kind)
    args = dict(attacks=ATTACKS, places=PLACES, style=STYLE, fmt="svg", size=CHART_SIZE)
    args.update(changes)
    return figures.cache_key(figure, **args)


def test_cache_key_follows_what_is_drawn():
    base = _key()
    assert base == _key()
    assert _key(figure=make_figure("chart", data=event_data(sha="b" * 64))) != base
    assert _key(figure=dataclasses.replace(make_figure("chart"), end="2017-07")) != base
    assert _key(figure=make_figure("chart", stacked=False)) != base
    assert _key(style=dataclasses.replace(STYLE, palette=("#000000",))) != base
    assert _key(style=dataclasses.replace(STYLE, ink="#000000")) != base
    assert _key(fmt="png") != base
    assert _key(size=(6.5, 3.0)) != base
    assert _key("map") != base
    # what a figure does not draw does not matter
    assert _key(style=dataclasses.replace(STYLE, serif="Noto Sans", body_size=12)) == base
    assert _key(places=()) == base  # the chart shows no places
    assert _key(attacks=ATTACKS[:1]) == base  # the other attack is outside the chart's window
    assert _key(attacks=()) != base
    unstacked = make_figure("chart", stacked=False)
    assert _key(figure=unstacked, style=dataclasses.replace(STYLE, accent="#123456")) != _key(figure=unstacked)
    assert _key("map", places=PLACES[:2]) != _key("map")
    assert _key("map", attacks=ATTACKS[1:]) != _key("map")  # without Timbuktu, in the map's window
    assert _key("map", attacks=ATTACKS[:1]) == _key("map")  # without Ouagadougou (Mar 2018): outside it
    assert _key("map", style=dataclasses.replace(STYLE, tint="#ffffff")) != _key("map")
    assert _key(figure=make_figure("fatalities")) != _key(figure=make_figure("cumulative"))  # same data, drawn apart


def _fingerprint(package: Path) -> str:
    """The drawing code's fingerprint as a process importing the package copied at `package` takes it."""
    script = "from jnim_export.figures.cache import code_fingerprint; print(code_fingerprint('Noto Sans'))"
    return subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(package.parent)},
                          capture_output=True, text=True, check=True).stdout.strip()


def test_the_cache_key_follows_the_drawing_code_and_fonts_not_file_times(tmp_path):
    import shutil

    package = tmp_path / "jnim_export"
    shutil.copytree(Path(figures.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    before = _fingerprint(package)
    assert len(before) == 64
    chart = package / "figures" / "chart.py"
    os.utime(chart, (1, 1))  # a checkout's new time alone draws nothing again
    assert _fingerprint(package) == before
    edited = chart.read_text(encoding="utf-8").replace('"Events per month"', '"Events each month"')
    assert edited != chart.read_text(encoding="utf-8")
    chart.write_text(edited, encoding="utf-8")
    after = _fingerprint(package)
    assert after != before
    with font_path("Noto Sans", bold=True).open("rb") as src:
        (package / "fonts" / "NotoSans-Bold.ttf").write_bytes(src.read() + b"\0")
    assert _fingerprint(package) != after
    assert "CACHE_VERSION" not in (package / "figures" / "cache.py").read_text(encoding="utf-8")


def test_an_edit_to_any_drawing_module_changes_the_fingerprint(tmp_path):
    import shutil

    package = tmp_path / "jnim_export"
    shutil.copytree(Path(figures.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    # one process, the fingerprint taken afresh after each edit (uncached)
    script = """
import sys
from pathlib import Path
from jnim_export.figures.cache import code_fingerprint
take = code_fingerprint.__wrapped__
modules = sorted(Path(sys.argv[1]).glob("*.py")) + [Path(sys.argv[1]).parent / m for m in ("model.py", "kinds.py", "tables.py")]
seen = {take("Noto Sans")}
for m in modules:
    m.write_text(m.read_text(encoding="utf-8").replace('"', "'", 1) + "\\n", encoding="utf-8")
    seen.add(take("Noto Sans"))
print(len(modules), len(seen))
"""
    done = subprocess.run([sys.executable, "-c", script, str(package / "figures")], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)}, check=True)
    modules, fingerprints = map(int, done.stdout.split())
    assert modules >= 17 and fingerprints == modules + 1  # each edit a new fingerprint


def test_a_cache_hit_imports_neither_matplotlib_nor_the_map_library(cache, chart_svg, map_svg):
    script = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from pathlib import Path
import test_figures as t
paths = [str(t.draw("chart", "svg", Path({str(cache)!r}))), str(t.draw("map", "svg", Path({str(cache)!r})))]
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("matplotlib", "mpl_toolkits", "pyproj", "numpy"))
print(__import__("json").dumps({{"paths": paths, "heavy": heavy}}))
"""
    env = dict(os.environ)
    src = str(Path(figures.__file__).parents[2])
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["paths"] == [str(chart_svg), str(map_svg)]
    assert result["heavy"] == []


# --------------------------------------------------------------------------- determinism


@pytest.mark.slow
def test_same_inputs_give_identical_bytes(tmp_path, chart_svg, map_svg):
    # the module's SVGs were drawn earlier into another cache: one more draw each is a second one
    for kind, fmt, first in (("chart", "svg", chart_svg), ("chart", "png", None), ("map", "svg", map_svg)):
        again = draw(kind, fmt, tmp_path / "a")
        first = first or draw(kind, fmt, tmp_path / "b")
        assert again != first and again.name == first.name
        assert again.read_bytes() == first.read_bytes(), (kind, fmt)
    svg = (tmp_path / "a" / map_svg.name).read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_png_is_200_dpi_without_software_or_date(tmp_path):
    from PIL import Image

    png = draw("chart", "png", tmp_path)
    with Image.open(png) as im:
        assert im.size == (1300, 640)
        assert round(im.info["dpi"][0]) == 200
        assert not {"Software", "Creation Time", "date:create"} & set(im.info)


# --------------------------------------------------------------------------- svglib -> ReportLab -> PDF


def _register_fonts_for_svglib() -> None:
    """What figure_file's docstring tells the PDF renderer to do."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from svglib.fonts import register_font

    regular, bold = font_path("Noto Sans"), font_path("Noto Sans", bold=True)
    pdfmetrics.registerFont(TTFont("Noto Sans", str(regular)))
    pdfmetrics.registerFont(TTFont("Noto Sans-700", str(bold)))
    register_font("Noto Sans", str(regular), rlgFontName="Noto Sans")
    register_font("Noto Sans", str(bold), weight="700", rlgFontName="Noto Sans-700")


def _strings(node, out):
    from reportlab.graphics.shapes import String

    if isinstance(node, String):
        out.append(node)
    for child in getattr(node, "contents", None) or ():
        _strings(child, out)
    return out


def _xobject_subtypes(resources, seen=None) -> list[str]:
    seen = set() if seen is None else seen
    found = []
    xobjects = (resources or {}).get("/XObject") or {}
    for ref in xobjects.values():
        obj = ref.get_object()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        found.append(obj.get("/Subtype"))
        found += _xobject_subtypes(obj.get("/Resources"), seen)
    return found


@pytest.mark.parametrize("kind", ["chart", "map", "fatalities", "regions"])
def test_svg_becomes_vector_pdf_with_selectable_text(kind, chart_svg, map_svg, cache):
    from pypdf import PdfReader
    from reportlab.graphics import renderPDF
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas
    from svglib.svglib import svg2rlg

    _register_fonts_for_svglib()
    svg = {"chart": chart_svg, "map": map_svg}.get(kind) or draw(kind, "svg", cache)
    drawing = svg2rlg(str(svg))
    assert drawing is not None
    width, height = SIZES[kind]
    assert drawing.width == pytest.approx(width * 72, abs=1)
    assert drawing.height == pytest.approx(height * 72, abs=1)
    fonts_used = {s.fontName for s in _strings(drawing, [])}
    assert fonts_used <= {"Noto Sans", "Noto Sans-700"}, fonts_used
    if kind != "regions":
        assert "Noto Sans-700" in fonts_used  # the attack labels are bold

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=letter)
    renderPDF.draw(drawing, canvas, 72, 72)
    canvas.showPage()
    canvas.save()

    reader = PdfReader(io.BytesIO(buf.getvalue()))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    text = " ".join(page.extract_text().split())
    words = {
        "chart": ["Events per month", "Mar 2017", "Timbuktu", "Battles", "Data: ACLED (Mali only)"],
        "fatalities": ["Fatalities per month", "Mar 2017", "Timbuktu", "Data: ACLED (Mali only)"],
        "regions": ["Mopti", "Kidal", "Tombouctou", "Events", "Data: ACLED (Mali only)"],
        "map": ["MALI", "BURKINA FASO", "NIGER", "Timbuktu (May 2017)", "Niamey", "Events per location"],
    }[kind]
    for word in words:
        assert word in text, (word, text)
    assert "/Image" not in _xobject_subtypes(page.get("/Resources"))
    base_fonts = {str(f.get_object().get("/BaseFont")) for f in page["/Resources"]["/Font"].values()}
    assert any("NotoSans-Regular" in f for f in base_fonts), base_fonts
    if kind != "regions":
        assert any("NotoSans-Bold" in f for f in base_fonts), base_fonts


# --------------------------------------------------------------------------- key-attack labels never collide

PLACE_NAMES = ("Timbuktu", "Aguelhok", "Mogadishu (Zoobe junction)", "Nairobi (DusitD2)", "Boni", "Gao", "Ménaka",
               "Ouagadougou", "Indelimane", "Tongo Tongo", "In-Delimane and Tabankort", "Kidal")


def crowded_case(seed: int, kind: str) -> tuple[Figure, tuple[Attack, ...]]:
    """Random months (some spiking) and up to ten key attacks, often in neighbouring months."""
    import random

    rnd = random.Random(seed)
    months = []
    for k in range(rnd.randint(4, 30)):
        counts = dict.fromkeys(CATEGORIES, 0)
        spike = rnd.random() < 0.2
        for cat in CATEGORIES[:3]:
            counts[cat] = rnd.randint(0, 40 if spike else 8)
        months.append(MonthCount(f"{2017 + k // 12}-{k % 12 + 1:02d}", tuple(counts.items()), rnd.randint(0, 90)))
    data = dataclasses.replace(event_data(sha=f"{seed:064d}"), months=tuple(months))
    attacks = tuple(Attack(f"a{j}", rnd.choice(months).month + "-01", rnd.choice(PLACE_NAMES), "Mali", 15.0, -2.0,
                           (Text("x"),), ()) for j in range(rnd.randint(1, min(10, len(months)))))
    figure = dataclasses.replace(make_figure(kind, data=data, stacked=rnd.random() < 0.5), start=None, end=None)
    return figure, attacks


def label_collisions(svg: Path, *, lines: bool = True) -> tuple[int, list[tuple[str, str]]]:
    """(how many labels, each pair of a key-attack label and what it overlaps) in a drawn chart."""
    from svgboxes import Drawing

    d = Drawing(svg)
    labels = d.boxes("attack-label-")
    others = {**d.boxes("bar-"), **d.boxes("attack-marker-"), **d.boxes("legend")}
    if lines:
        others.update(d.boxes("attack-line-"))
    found = []
    names = sorted(labels)
    for k, name in enumerate(names):
        box = labels[name]
        if not box.inside(d.page):
            found.append((name, "the edge of the figure"))
        found += [(name, other) for other in names[k + 1:] if box.overlaps(labels[other])]
        month = name.rsplit("-", 1)[1]
        found += [(name, other) for other, b in others.items()
                  if other != f"attack-line-{month}" and box.overlaps(b)]
        found += [(name, text) for text, b in d.texts_outside("attack-label-") if box.overlaps(b)]
    return len(labels), found


def test_key_attack_labels_overlap_nothing_in_the_default_chart(chart_svg, cache):
    assert label_collisions(chart_svg) == (1, [])
    many = tuple(Attack(f"x{i}", m, name, "Mali", 15.0, -2.0, (Text("x"),), ())
                 for i, (m, name) in enumerate((("2017-03-02", "Kidal"), ("2017-04-02", "Mogadishu (Zoobe junction)"),
                                                ("2017-05-14", "Timbuktu"), ("2017-05-20", "Boni"),
                                                ("2017-07-01", "In-Delimane and Tabankort"),
                                                ("2017-08-01", "Ouagadougou"))))
    for kind in ("chart", "fatalities"):
        for size in (CHART_SIZE, figures.COMPACT[kind]):  # print, and a phone's larger type
            svg = draw(kind, "svg", cache, attacks=many, size=size)
            # a phone's labels are wider against the months: two (Jul, Aug) each cover the other's
            # month, where a line must pass behind a label (see the test below)
            count, found = label_collisions(svg, lines=size == CHART_SIZE)
            assert count == 5 and found == [], (kind, size, found)
            from svgboxes import Drawing

            drawing = Drawing(svg)
            assert all(box.inside(drawing.page) for box in drawing.boxes("legend").values()), (kind, size)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.slow
def test_key_attack_labels_overlap_nothing_however_crowded(seed, cache):
    """Labels never overlap each other, a bar, a marker, the legend, another text or the figure's edge.

    (A label's line may pass behind another label only where two labels each cover the other's
    month, which no placement avoids; the labels have a white ground.)"""
    for kind, size in (("chart", (6.3, 2.9)), ("fatalities", figures.COMPACT["fatalities"])):
        figure, attacks = crowded_case(seed, kind)
        count, found = label_collisions(draw(kind, "svg", cache, figure=figure, attacks=attacks, size=size),
                                        lines=False)
        assert count >= 1 and found == [], (kind, found)


def test_marked_attacks_and_regions_follow_the_data():
    fig = make_figure("chart")
    # in the window (Mar..Aug 2017) and in the data's one country
    assert [a.id for a in fig.marked_attacks(ATTACKS)] == ["timbuktu"]
    abroad = dataclasses.replace(ATTACKS[0], id="abroad", country="Niger")
    assert [a.id for a in fig.marked_attacks(ATTACKS + (abroad,))] == ["timbuktu"]
    assert make_figure("regions").marked_attacks(ATTACKS) == ()  # regions mark no attacks
    # data covering two countries: an attack in either is marked; region names carry their country
    data = event_data()
    two = dataclasses.replace(data, locations=data.locations + (Location("Ayorou", "Niger", "Tillaberi", 14.7, 0.9, 2, 9),))
    niger = dataclasses.replace(abroad, id="niger")
    assert [a.id for a in make_figure("chart", data=two).marked_attacks(ATTACKS + (niger,))] == ["niger", "timbuktu"]
    bars = make_figure("regions", data=two, top=2).regions()
    assert [b.name for b in bars] == ["Kidal (Mali)", "Mopti (Mali)", "Other (2 regions)"]
    assert (bars[-1].events, bars[-1].others) == (11 + 2, 2)
    fatal = make_figure("regions", data=two, measure="fatalities", top=8).regions()
    assert [(b.region, b.fatalities) for b in fatal] == [("Mopti", 19), ("Tombouctou", 18), ("Tillaberi", 9),
                                                         ("Kidal", 4)]
