"""The activity map for any place on Earth: data, frame, labels, window, credit, content fields, cache key.

Fast: each drawn map is drawn once per module (about half a second each).
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import random
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import yaml
from matplotlib.path import Path as Path2D

from jnim_export import figures, geodata
from jnim_export.content import ContentError, load
from jnim_export.events import ATTRIBUTION, CATEGORIES
from jnim_export.figures import map as fmap
from jnim_export.figures import style as house
from jnim_export.figures import water
from jnim_export.figures.frame import R_EARTH, frame_for, laea, laea_inverse
from jnim_export.figures.labels import (Candidate, Label, boxes_hit_circles, boxes_intersect, place_labels,
                                        point_candidates, segments_hit_boxes)
from jnim_export.figures.world import load_world
from jnim_export.fonts import font_path
from jnim_export.model import Attack, Dataset, EventData, Figure, Location, MonthCount, Place, Style, Text

ROOT = Path(__file__).resolve().parents[1]
BACKGROUNDERS = ROOT / "tests" / "data" / "backgrounders"
JNIM_MAP_DATA = ROOT / "assets" / "data" / "jnim-mali-2017-03-to-2018-07.json"
SHABAAB = BACKGROUNDERS / "al-shabaab" / "content.yaml"
SIZE = (6.3, 3.906)  # the PDF's map: the text width at the map's 0.62 aspect
ASPECT = (SIZE[0] - 2 / 72) / (SIZE[1] - 2 / 72)

STYLE = Style(serif="Noto Serif", sans="Noto Sans", body_size=10.0, accent="#8c1d18", ink="#1f2328",
              muted="#5d6670", tint="#f3efe8", palette=("#8c1d18",), logo=None)
SYNTHETIC = ("SYNTHETIC test data for the jnim-export test suite; not ACLED data, not real events")


# --------------------------------------------------------------------------- helpers


def event_data(locations, *, first="2019-01", last="2020-12", attribution=ATTRIBUTION, scope="",
               provenance=(("source_file", "test.csv"),), sha="a" * 64, dataset="ACLED") -> EventData:
    y0, m0 = map(int, first.split("-"))
    y1, m1 = map(int, last.split("-"))
    months = []
    for k in range(y0 * 12 + m0 - 1, y1 * 12 + m1):
        counts = tuple((c, 1 if c == CATEGORIES[0] else 0) for c in CATEGORIES)
        months.append(MonthCount(f"{k // 12:04d}-{k % 12 + 1:02d}", counts, 0))
    locs = tuple(Location(name, country, "", lat, lon, n, 0) for name, country, lon, lat, n in locations)
    return EventData(Path("events.json"), CATEGORIES, tuple(months), locs, attribution, scope, provenance, sha,
                     Dataset(dataset))


def map_figure(data: EventData, **fields) -> Figure:
    base = dict(id="map", number=1, kind="map", caption=(Text("Map"),), credit=(), alt="A map", image=None,
                data=data, start=data.months[0].month, end=data.months[-1].month, stacked=False)
    base.update(fields)
    return Figure(**base)


def attack(ident, date, place, country, lon, lat) -> Attack:
    return Attack(ident, date, place, country, lat, lon, (Text("summary"),), ())


MENAKA = event_data([("Ménaka", "Mali", 2.40, 15.92, 12), ("Infoukaretane", "Mali", 2.55, 15.80, 4),
                     ("Tin Abaw", "Mali", 2.25, 16.05, 3), ("Inhinita", "Mali", 2.62, 16.10, 2),
                     ("Erari", "Mali", 2.31, 15.70, 1)])
SOMALIA_TOWNS = [("Mogadishu", "Somalia", 45.32, 2.05, 40), ("Kismayo", "Somalia", 42.55, -0.36, 12),
                 ("Baidoa", "Somalia", 43.65, 3.11, 9), ("Beledweyne", "Somalia", 45.20, 4.74, 6),
                 ("Galkayo", "Somalia", 47.43, 6.77, 5), ("Bosaso", "Somalia", 49.18, 11.28, 3)]
SOMALIA = event_data(SOMALIA_TOWNS)
IRAQ = event_data([("Mosul", "Iraq", 43.13, 36.34, 25), ("Raqqa", "Syria", 39.01, 35.95, 18),
                   ("Fallujah", "Iraq", 43.78, 33.35, 11), ("Tikrit", "Iraq", 43.68, 34.60, 6),
                   ("Deir ez-Zor", "Syria", 40.14, 35.33, 4)], first="2014-01", last="2015-12")
IRAQ_ATTACKS = (attack("mosul-2014", "2014-06-10", "Mosul", "Iraq", 43.13, 36.34),
                attack("baghdad-2016", "2016-07-03", "Baghdad", "Iraq", 44.37, 33.31))  # outside the window
IRAQ_PLACES = (Place("Baghdad", 33.31, 44.37, True), Place("Damascus", 33.51, 36.29, True),
               Place("Mosul", 36.34, 43.13, False), Place("Raqqa", 35.95, 39.01, False))


@dataclasses.dataclass
class Drawn:
    result: fmap.MapResult
    svg: bytes
    fig: object


def draw(figure: Figure, attacks=(), places=(), size=SIZE) -> Drawn:
    """Draw a map as `figures.figure_file` does, keeping what was drawn for the checks."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    mpl = house.matplotlib(STYLE.sans)
    scale = house.scale_for(fmap.REFERENCE_SIZE, size)
    with mpl.rc_context(house.rc(STYLE, scale)):
        fig = MplFigure(figsize=size, dpi=house.PNG_DPI, facecolor="white")
        FigureCanvasAgg(fig)
        result = fmap.draw(fig, figure, attacks=tuple(attacks), places=tuple(places), style=STYLE, scale=scale)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return Drawn(result, buf.getvalue(), fig)


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


def _inside(frame, lon, lat) -> bool:
    x, y = frame.project(lon, lat)
    return frame.x0 <= x <= frame.x1 and frame.y0 <= y <= frame.y1


def _no_overlap(boxes, gap: float = 0.0) -> bool:
    a = np.asarray(boxes, dtype=float).reshape(-1, 4)
    hit = boxes_intersect(a, a, gap - 1e-9)
    np.fill_diagonal(hit, False)
    return not hit.any()


# --------------------------------------------------------------------------- data and projection


def test_country_data_is_a_topology_with_names_and_provenance():
    world = load_world()
    assert len(world.countries) == 250
    counts = np.zeros(len(world.starts) - 1, dtype=int)
    for c in world.countries:
        for poly in c.polygons:
            for ring in poly:
                for ref in ring:
                    counts[ref if ref >= 0 else ~ref] += 1
    assert counts.min() >= 1 and counts.max() <= 2  # an arc is a coast (one country) or a border (two)
    mali, niger = world.find("Mali"), world.find("Niger")
    assert any(set(world.arc_users[i]) == {mali.index, niger.index} for i in range(len(counts)))
    for poly in mali.polygons:  # rings close: each arc starts where the previous ended
        for ring in poly:
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                assert np.allclose(world.arc(a)[-1], world.arc(b)[0])
    assert geodata.find("Ivory Coast").a3 == "CIV"
    assert geodata.find("Democratic Republic of Congo").a3 == "COD"
    assert geodata.find("somaliland").a3 == "SOM"  # German point of view: one Somalia
    assert geodata.find("IRQ").a3 == "IRQ" and geodata.find("Atlantis") is None
    assert geodata.suggest("Maly") == "Mali" and geodata.suggest("Somalie") == "Somalia"
    hits = world.countries_at([45.34, 178.44, 2.4, -30.0], [2.04, -18.14, 15.9, 0.0])
    assert [c.a3 if c else None for c in hits] == ["SOM", "FJI", "MLI", None]
    meta = geodata.metadata()
    assert "Natural Earth" in meta["source"] and "5.1.1" in meta["source"] and "public domain" in meta["licence"]
    notice = (Path(geodata.__file__).parent / "NOTICE").read_text(encoding="utf-8")
    assert geodata.sha256() in notice and "tools/derive_countries.py" in notice


def _distance_km(frame, lines, lon, lat) -> float:
    """The shortest distance (km) from (lon, lat) to any vertex of the projected lines."""
    x, y = frame.project(np.array([lon]), np.array([lat]))
    return min(float(np.hypot(line[:, 0] - x[0], line[:, 1] - y[0]).min()) for line in lines) / 1000


def test_lakes_and_rivers_are_natural_earth_and_reach_the_frame():
    somalia = fmap.frame_of(map_figure(SOMALIA), (), ASPECT)
    rivers = water.water_in_frame("river", somalia)
    assert _distance_km(somalia, rivers, 42.30, 2.35) < 15  # the Juba at Bardera
    assert _distance_km(somalia, rivers, 42.54, 0.07) < 25  # and near its mouth
    turkana = frame_for([(36.1, 3.6), (41.0, 1.0)], aspect=ASPECT)
    lakes = water.water_in_frame("lake", turkana, min_area=100)
    x, y = turkana.project(np.array([36.1]), np.array([3.6]))
    assert any(Path2D(ring).contains_point((x[0], y[0])) for ring in lakes)  # Lake Turkana
    assert not water.water_in_frame("lake", turkana, min_area=1e7)  # no lake is that large
    mali = fmap.frame_of(_default_content_map()[0], (), ASPECT)
    assert _distance_km(mali, water.water_in_frame("river", mali), -3.0, 16.7) < 15  # the Niger at Timbuktu
    notice = (Path(geodata.__file__).parent / "NOTICE").read_text(encoding="utf-8")
    assert water.sha256() in notice and "tools/derive_water.py" in notice


def test_missing_water_data_fails_loudly(monkeypatch, tmp_path):
    frame = fmap.frame_of(map_figure(SOMALIA), (), ASPECT)
    water._parts.cache_clear()
    monkeypatch.setattr(water, "DATA", tmp_path / "water.npz")
    try:
        with pytest.raises(FileNotFoundError):
            water.water_in_frame("river", frame)
    finally:
        water._parts.cache_clear()
    with pytest.raises(ValueError, match="unknown water kind"):
        water.water_in_frame("gshhs", frame)


def test_projection_round_trips_and_keeps_areas():
    rng = np.random.default_rng(1)
    lon_0, lat_0 = 178.5, -17.0
    lon = (lon_0 + rng.uniform(-40, 40, 200) + 180) % 360 - 180
    lat = np.clip(lat_0 + rng.uniform(-40, 40, 200), -89, 89)
    x, y = laea(lon, lat, lon_0, lat_0)
    blon, blat = laea_inverse(x, y, lon_0, lat_0)
    assert np.allclose((blon - lon + 180) % 360 - 180, 0, atol=1e-7) and np.allclose(blat, lat, atol=1e-7)
    # equal area: a 1°×1° cell far from the centre keeps its area on the sphere
    lo, la = np.array([60.0, 61.0, 61.0, 60.0]), np.array([40.0, 40.0, 41.0, 41.0])
    cx, cy = laea(lo, la, 10.0, 0.0)
    plane = 0.5 * abs(np.dot(cx, np.roll(cy, -1)) - np.dot(cy, np.roll(cx, -1)))
    sphere = R_EARTH ** 2 * math.radians(1.0) * (math.sin(math.radians(41)) - math.sin(math.radians(40)))
    assert plane == pytest.approx(sphere, rel=2e-3)


# --------------------------------------------------------------------------- frame


def test_a_cluster_near_menaka_gives_a_close_frame():
    frame = fmap.frame_of(map_figure(MENAKA), (), ASPECT)
    assert frame.width_km <= 1500 and frame.height_km <= 1000  # the Sahel's old frame was ~3,200 km across
    assert min(frame.width_km, frame.height_km) == pytest.approx(900)  # no smaller: the neighbours show
    assert frame.aspect == pytest.approx(ASPECT)
    assert _inside(frame, 2.40, 15.92) and not _inside(frame, -8.0, 12.64)  # Ménaka in, Bamako out


def test_somalia_points_frame_somalia():
    frame = fmap.frame_of(map_figure(SOMALIA), (), ASPECT)
    assert all(_inside(frame, lon, lat) for _, _, lon, lat, _ in SOMALIA_TOWNS)
    assert geodata.find("Somalia").a3 == load_world().countries_at([frame.lon_0], [frame.lat_0])[0].a3
    assert frame.width_km < 2600
    assert not _inside(frame, 2.40, 15.92) and not _inside(frame, 32.58, 0.35)  # not Mali, not Kampala


def test_attacks_outside_the_window_do_not_move_the_frame():
    figure = map_figure(IRAQ)
    assert fmap.shown_attacks(figure, IRAQ_ATTACKS) == [IRAQ_ATTACKS[0]]
    far = attack("paris-2015", "2016-01-10", "Paris", "France", 2.35, 48.86)  # outside the window
    assert fmap.frame_of(figure, IRAQ_ATTACKS + (far,), ASPECT) == fmap.frame_of(figure, IRAQ_ATTACKS[:1], ASPECT)
    near = dataclasses.replace(far, date="2015-11-13")  # inside: the frame stretches to Paris
    assert _inside(fmap.frame_of(figure, (near,), ASPECT), 2.35, 48.86)


def test_extent_is_honoured():
    figure = map_figure(MENAKA, extent=(-12.0, 10.0, 16.0, 24.0))
    frame = fmap.frame_of(figure, (), ASPECT)
    for lon, lat in [(-12, 10), (-12, 24), (16, 10), (16, 24), (2, 17)]:
        assert _inside(frame, lon, lat)
    assert 2950 < frame.width_km < 3150  # 28° of longitude at 10–24°N, unpadded; the height follows the aspect
    tall = fmap.frame_of(map_figure(MENAKA, extent=(-2.0, 10.0, 6.0, 24.0)), (), ASPECT)
    assert 1550 < tall.height_km < 1650  # 14° of latitude, unpadded; the width follows the aspect
    across = fmap.frame_of(map_figure(MENAKA, extent=(170.0, -25.0, -170.0, -10.0)), (), ASPECT)
    assert abs(abs(across.lon_0) - 180) < 0.5  # across the antimeridian
    assert all(_inside(across, lon, lat) for lon, lat in [(170, -25), (-170, -10), (180, -17)])


def test_countries_are_honoured():
    frame = fmap.frame_of(map_figure(MENAKA, countries=("Mali", "Burkina Faso", "Niger")), (), ASPECT)
    for lon, lat in [(-8.0, 12.64), (-11.4, 15.0), (-4.0, 24.9), (15.9, 20.0), (2.13, 13.51), (-5.4, 10.4)]:
        assert _inside(frame, lon, lat)  # Bamako, Kayes, Mali's north, Niger's east, Niamey, Burkina's south
    assert frame.width_km > 2800
    somalia = fmap.frame_of(map_figure(MENAKA, countries=("Somalia",)), (), ASPECT)
    assert all(_inside(somalia, lon, lat) for lon, lat in [(51.4, 10.4), (41.6, -1.6), (43.0, 11.0)])
    assert _inside(somalia, 2.40, 15.92)  # and the data: a frame given by countries still shows it
    with pytest.raises(ValueError, match="unknown country"):
        frame_for(aspect=1.6, countries=["Atlantis"])


# --------------------------------------------------------------------------- label placement (pure)


def test_place_labels_never_overlaps():
    rng = random.Random(7)
    frame = (0.0, 0.0, 400.0, 250.0)
    circles = [(rng.uniform(0, 400), rng.uniform(0, 250), rng.uniform(2, 7)) for _ in range(60)]
    legend = [(5.0, 180.0, 80.0, 245.0)]
    labels = []
    for i in range(40):
        anchor = (rng.uniform(0, 400), rng.uniform(0, 250))
        labels.append(Label(f"l{i}", tuple(point_candidates(anchor, (rng.uniform(20, 60), 9.0), 3.0,
                                                            leader_radii=(15, 30, 50))),
                            priority=rng.random(), required=i < 5))
    result = place_labels(labels, frame=frame, boxes=legend, circles=circles, gap=1.0)
    placed = np.asarray(result.boxes())
    assert result.forced == [] and all(result.chosen[f"l{i}"] is not None for i in range(5))
    assert _no_overlap(placed, gap=1.0)
    assert not boxes_intersect(placed, np.asarray(legend), 1.0).any()
    assert not boxes_hit_circles(placed, np.asarray(circles), 1.0).any()
    assert ((placed[:, 0] >= 1) & (placed[:, 1] >= 1) & (placed[:, 2] <= 399) & (placed[:, 3] <= 249)).all()
    for key, c in result.chosen.items():  # a leader never runs through another label
        if c is not None and c.leader:
            others = [o.box for k, o in result.chosen.items() if o is not None and k != key]
            assert not segments_hit_boxes(np.asarray([(*c.leader[0], *c.leader[1])]), np.asarray(others), 0.5).any()


def test_a_required_label_takes_a_leader_when_crowded_and_an_optional_one_is_dropped():
    ring = [(100 + 14 * math.cos(a), 100 + 14 * math.sin(a), 8.0) for a in np.linspace(0, 2 * math.pi, 12,
                                                                                       endpoint=False)]
    lab = Label("a", tuple(point_candidates((100.0, 100.0), (40, 9), 5.0, leader_radii=(20, 40, 60))), required=True)
    result = place_labels([lab], frame=(0, 0, 300, 200), circles=ring)
    assert result.chosen["a"].leader is not None and result.forced == []
    optional = Label("x", (Candidate((10, 10, 50, 20)),))
    assert place_labels([optional], frame=(0, 0, 100, 100), boxes=[(0, 0, 100, 100)]).chosen["x"] is None


@pytest.mark.parametrize("top, steps", [(1, [1]), (2, [1, 2]), (3, [1, 2, 3]), (12, [1, 3, 10]), (16, [1, 5, 15]),
                                        (40, [1, 15, 40]), (260, [1, 75, 250]), (446, [1, 150, 400])])
def test_legend_steps_follow_the_data(top, steps):
    assert fmap.legend_steps(top) == steps


# --------------------------------------------------------------------------- drawn maps


def _svg_label_boxes(svg: bytes) -> dict[str, tuple[float, float, float, float]]:
    """Each label's box (SVG units, y down), from its text's glyphs in the shipped font and its white box."""
    from fontTools.ttLib import TTFont

    faces = {}
    for weight, bold in (("normal", False), ("700", True)):
        f = TTFont(font_path("Noto Sans", bold=bold))
        faces[weight] = (f.getBestCmap(), f["hmtx"].metrics, f["glyf"], f["head"].unitsPerEm)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    out = {}
    for g in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g"):
        gid = g.get("id") or ""
        if not gid.startswith("label-"):
            continue
        texts = g.findall("svg:text", ns)
        assert texts, f"{gid}: a label stays text in the SVG"
        boxes = []
        for t in texts:
            style = dict(kv.split(":", 1) for kv in t.get("style").replace(" ", "").split(";") if kv)
            size = float(style["font-size"].rstrip("px"))
            cmap, hmtx, glyf, upm = faces["700" if style.get("font-weight") == "700" else "normal"]
            if t.get("x") is not None:
                x, y = float(t.get("x")), float(t.get("y"))
            else:  # a line of a two-line name: placed by translate(), anchored at its start
                x, y = (float(v) for v in re.search(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", t.get("transform")).groups())
            pen, ymin, ymax, xs = 0.0, 0.0, 0.0, []
            for ch in t.text:
                name = cmap.get(ord(ch), ".notdef")
                glyph = glyf[name]
                if getattr(glyph, "numberOfContours", 0):
                    xs += [pen + glyph.xMin, pen + glyph.xMax]
                    ymin, ymax = min(ymin, glyph.yMin), max(ymax, glyph.yMax)
                pen += hmtx[name][0]
            k = size / upm
            shift = {"middle": -pen / 2, "end": -pen}.get(style.get("text-anchor", "start"), 0.0)
            boxes.append((x + (min(xs) + shift) * k, y - ymax * k, x + (max(xs) + shift) * k, y - ymin * k))
        for path in g.findall("svg:g/svg:path", ns):  # the white box behind a point label
            nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
            boxes.append((min(nums[0::2]), min(nums[1::2]), max(nums[0::2]), max(nums[1::2])))
        b = np.asarray(boxes)
        out[gid] = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
    return out


def _artist_label_boxes(drawn: Drawn) -> dict[str, tuple[float, float, float, float]]:
    """Each label's box in points (y up), text and white box, from the drawn artists."""
    fig = drawn.fig
    fig.canvas.draw()  # lay out again at the figure's dpi (saving the SVG laid it out at 72 dpi)
    renderer = fig.canvas.get_renderer()
    k = 72 / fig.dpi
    out = {}
    for key, t in drawn.result.labels.items():
        bb = t.get_window_extent(renderer)
        patch = t.get_bbox_patch()
        if patch is not None:
            bb = type(bb).union([bb, patch.get_window_extent(renderer)])
        out[key] = (bb.x0 * k, bb.y0 * k, bb.x1 * k, bb.y1 * k)
    return out


def _default_content_map() -> tuple[Figure, tuple[Attack, ...], tuple[Place, ...]]:
    doc = load(ROOT / "content.yaml")
    return doc.figure("map"), doc.attacks, doc.places


@pytest.fixture(scope="module")
def maps() -> dict[str, tuple[Drawn, Figure, tuple[Attack, ...]]]:
    """name → (the drawn map, its figure, the key attacks given to it)."""
    jnim, jnim_attacks, jnim_places = _default_content_map()
    shabaab = load(SHABAAB)
    somalia_places = (Place("Mogadishu", 2.05, 45.32, True), Place("Nairobi", -1.29, 36.82, True),
                      Place("Kismayo", -0.36, 42.55, False))
    out = {}
    for name, figure, attacks, places in (
        ("jnim", jnim, jnim_attacks, jnim_places),
        ("al-shabaab", shabaab.figure("map"), shabaab.attacks, shabaab.places),
        ("somalia", map_figure(SOMALIA), (), somalia_places),
        ("iraq", map_figure(IRAQ), IRAQ_ATTACKS, IRAQ_PLACES),
    ):
        out[name] = (draw(figure, attacks, places), figure, attacks)
    return out


@pytest.mark.parametrize("name", ["jnim", "al-shabaab", "somalia", "iraq"])
def test_no_two_labels_intersect_in_the_svg(maps, name):
    drawn, _, _ = maps[name]
    boxes = _svg_label_boxes(drawn.svg)
    assert len(boxes) == len(drawn.result.labels) >= 4
    assert any(key.startswith("label-country-") for key in boxes)
    assert _no_overlap(list(boxes.values())), "two labels overlap in the SVG"


@pytest.mark.parametrize("name", ["jnim", "al-shabaab", "somalia", "iraq"])
def test_labels_keep_off_symbols_markers_and_furniture(maps, name):
    drawn, figure, attacks = maps[name]
    result = drawn.result
    assert result.forced == []
    boxes = _artist_label_boxes(drawn)
    b = np.asarray(list(boxes.values()))
    assert _no_overlap(b)
    assert not boxes_hit_circles(b, np.asarray(result.circles).reshape(-1, 3)).any(), "a label covers an event disc"
    assert {"legend", "credit", "scalebar"} <= set(result.obstacles)
    for key, box in boxes.items():
        for what, obstacle in result.obstacles.items():
            if what != key:  # an attack's own marker is where its leader starts
                assert not boxes_intersect(np.asarray([box]), np.asarray([obstacle])).any(), (key, what)
    # every key attack of the window in the frame is labelled, however crowded
    for a in fmap.shown_attacks(figure, attacks):
        if result.frame.contains(a.longitude, a.latitude):
            assert f"attack:{a.id}" in result.labels


def test_country_names_focus_in_bold_and_neighbours_named(maps):
    drawn, _, _ = maps["somalia"]
    texts = svg_texts(drawn.svg)
    assert {"SOMALIA", "KENYA", "ETHIOPIA"} <= set(texts)
    assert drawn.result.focus == ["SOM"]
    root = ET.fromstring(drawn.svg)
    weight = {"".join(t.itertext()): "font-weight: 700" in t.get("style") for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert weight["SOMALIA"] and not weight["KENYA"] and not weight["ETHIOPIA"]
    iraq, _, _ = maps["iraq"]
    assert iraq.result.focus == ["IRQ", "SYR"]
    assert {"IRAQ", "SYRIA", "TURKEY", "IRAN", "JORDAN", "SAUDI ARABIA", "LEBANON"} <= set(svg_texts(iraq.svg))


def test_attack_labels_are_never_absorbed_by_a_place(maps):
    jnim, _, _ = maps["jnim"]
    labels = jnim.result.labels
    assert "attack:ouagadougou-2018" in labels  # the capital is named by its attack's label
    assert "place:Ouagadougou" not in labels and "place:Timbuktu" not in labels
    assert {"place:Bamako", "place:Gao", "place:Kidal"} <= set(labels)
    # an attack at a capital under another name: both are named
    figure = map_figure(IRAQ)
    hotel = attack("hotel-2015", "2015-03-01", "Babylon Hotel", "Iraq", 44.37, 33.31)
    drawn = draw(figure, (hotel,), (Place("Baghdad", 33.31, 44.37, True),))
    assert {"attack:hotel-2015", "place:Baghdad"} <= set(drawn.result.labels)
    assert {"Babylon Hotel (Mar 2015)", "Baghdad"} <= set(svg_texts(drawn.svg))


def test_attacks_outside_the_window_are_left_off_the_map(maps):
    drawn, _, _ = maps["al-shabaab"]
    texts = svg_texts(drawn.svg)
    labels = set(drawn.result.labels)
    assert {"attack:dusit-2019", "attack:afgooye-road-2019", "attack:manda-bay-2020"} <= labels
    for gone in ("westgate-2013", "garissa-2015", "zoobe-2017"):
        assert f"attack:{gone}" not in labels
    assert not any("2013" in t or "2015" in t or "2017" in t for t in texts)
    iraq, _, _ = maps["iraq"]
    assert "Mosul (Jun 2014)" in svg_texts(iraq.svg) and "Baghdad (Jul 2016)" not in svg_texts(iraq.svg)


def test_the_resolver_warns_about_attacks_left_off():
    warnings = [w for w in load(SHABAAB).warnings if "left off the map" in w]
    assert len(warnings) == 3
    assert any("attack 'westgate-2013' (2013-09) is outside the map's window 2019-01 to 2020-12 and is left off "
               "the map" in w for w in warnings)
    assert not any(a in " ".join(warnings) for a in ("dusit-2019", "afgooye-road-2019", "manda-bay-2020"))


# --------------------------------------------------------------------------- the credit


def test_credit_follows_the_provenance_and_the_override(maps):
    jnim, _, _ = maps["jnim"]
    assert "Data: ACLED (Mali only), Mar 2017\u2013Jul 2018" in svg_texts(jnim.svg)
    synthetic = load(SHABAAB).figure("map")
    credit = house.credit(synthetic)
    assert credit.startswith("Data: SYNTHETIC") and not credit.startswith("Data: ACLED") and "Jan 2019" in credit
    shabaab, _, _ = maps["al-shabaab"]
    drawn = " ".join(t for t in svg_texts(shabaab.svg) if "SYNTHETIC" in t or "Data:" in t)
    assert "Data: SYNTHETIC" in drawn and "Data: ACLED" not in drawn
    # the dataset the aggregate names, whatever else it says
    other = map_figure(event_data([("A", "Mali", 2.4, 15.9, 1)], dataset="Example Monitor", scope="Mali only"))
    assert house.credit(other) == "Data: Example Monitor (Mali only), Jan 2019\u2013Dec 2020"
    assert house.credit(dataclasses.replace(other, data_credit="Data: our own count")) == "Data: our own count"
    assert house.credit(dataclasses.replace(other, data_credit="")) == ""
    drawn_override = draw(dataclasses.replace(map_figure(SOMALIA), data_credit="Data: the Example Monitor"))
    assert "Data: the Example Monitor" in svg_texts(drawn_override.svg)
    chart = dataclasses.replace(synthetic, kind="chart", id="chart")
    assert house.credit(chart) == credit  # the chart's credit is the same function's


def test_the_chart_draws_the_synthetic_credit(tmp_path):
    chart = dataclasses.replace(load(SHABAAB).figure("map"), kind="chart", id="chart", stacked=True)
    svg = figures.figure_file(chart, attacks=(), places=(), style=STYLE, fmt="svg", size=(6.3, 2.9),
                              cache_dir=tmp_path)
    texts = " ".join(svg_texts(svg.read_bytes()))
    assert "Data: SYNTHETIC test data" in texts and "Data: ACLED" not in texts


# --------------------------------------------------------------------------- cache key


def test_cache_key_follows_extent_countries_and_credit():
    figure = map_figure(MENAKA)

    def key(f: Figure, **kw) -> str:
        args = dict(attacks=(), places=(), style=STYLE, fmt="svg", size=SIZE) | kw
        return figures.cache_key(f, **args)

    base = key(figure)
    assert key(figure) == base
    assert key(dataclasses.replace(figure, extent=(-12.0, 10.0, 16.0, 24.0))) != base
    assert key(dataclasses.replace(figure, extent=(-12.0, 10.0, 16.0, 25.0))) != key(
        dataclasses.replace(figure, extent=(-12.0, 10.0, 16.0, 24.0)))
    assert key(dataclasses.replace(figure, countries=("Mali",))) != base
    assert key(dataclasses.replace(figure, countries=("Mali", "Niger"))) != key(dataclasses.replace(figure,
                                                                                                    countries=("Mali",)))
    assert key(dataclasses.replace(figure, data_credit="Data: elsewhere")) != base
    assert key(dataclasses.replace(figure, data=dataclasses.replace(MENAKA, dataset=Dataset("Other")))) != base
    out = attack("x", "2018-05", "Nowhere", "Mali", 2.0, 15.0)  # outside the window: not drawn, not keyed
    assert key(figure, attacks=(out,)) == base
    assert key(figure, attacks=(dataclasses.replace(out, date="2019-05"),)) != base


def test_cache_key_follows_the_country_data(monkeypatch):
    figure = map_figure(MENAKA)
    args = dict(attacks=(), places=(), style=STYLE, fmt="svg", size=SIZE)
    base = figures.cache_key(figure, **args)
    monkeypatch.setattr(geodata, "sha256", lambda: "0" * 64)
    assert figures.cache_key(figure, **args) != base


# --------------------------------------------------------------------------- content fields


def _content(tmp_path: Path, figure: dict, attacks: list | None = None, data: Path = JNIM_MAP_DATA) -> Path:
    shutil.copy(data, tmp_path / "events.json")
    content = {
        "meta": {"title": "Test Group", "short_title": "TG", "slug": "tg", "series": "Backgrounder",
                 "publisher": "Test", "publisher_short": "T", "authors": ["A. Author"], "date": "2020-01",
                 "credit": "Test.", "copyright": "Test"},
        "sections": [{"id": "s", "title": "S", "blocks": ["Text.", {"figure": "map"}]}],
        "figures": [{"id": "map", "kind": "map", "caption": "Map", "alt": "A map", "data": "events.json",
                     "from": "2017-03", "to": "2018-07", **figure}],
        "attacks": attacks or [],
    }
    path = tmp_path / "content.yaml"
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load(path)
    return [f"{d.path}: {d.message}" for d in info.value.errors]


def test_content_sets_extent_countries_and_data_credit(tmp_path):
    doc = load(_content(tmp_path, {"extent": [-12, 10, 16.5, 24], "data_credit": "Data: ACLED, as imported"}))
    fig = doc.figure("map")
    assert fig.extent == (-12.0, 10.0, 16.5, 24.0) and fig.data_credit == "Data: ACLED, as imported"
    assert not any("outside the map's extent" in w for w in doc.warnings)
    doc = load(_content(tmp_path, {"countries": ["Mali", "burkina faso", "Ivory Coast"]}))
    assert doc.figure("map").countries == ("Mali", "Burkina Faso", "Ivory Coast")
    assert doc.figure("map").extent is None and doc.figure("map").data_credit is None


@pytest.mark.parametrize("fields, message", [
    ({"extent": [-12, 10, 16]}, "at least 4 items"),
    ({"extent": [-12, 10, 16, 24, 1]}, "at most 4 items"),
    ({"extent": [-200, 10, 16, 24]}, "longitude -200 is outside -180 to 180"),
    ({"extent": [-12, 10, 16, 95]}, "latitude 95 is outside -90 to 90"),
    ({"extent": [-12, 24, 16, 10]}, "the southern edge (24) must be below the northern (10)"),
    ({"extent": [16, 10, -12, 24]}, "spans 332° of longitude"),
    ({"extent": [2.0, 15.0, 2.2, 16.0]}, "under 0.5° on a side"),
    ({"extent": ["west", 10, 16, 24]}, "valid number"),
    ({"countries": ["Maly"]}, "unknown country 'Maly'; did you mean 'Mali'?"),
    ({"countries": ["Atlantis"]}, "unknown country 'Atlantis'"),
    ({"extent": [-12, 10, 16, 24], "countries": ["Mali"]}, "either 'extent' or 'countries', not both"),
])
def test_bad_extent_and_countries_are_reported(tmp_path, fields, message):
    problems = _problems(_content(tmp_path, fields))
    assert any(message in p for p in problems), problems


def test_a_chart_takes_neither_extent_nor_countries(tmp_path):
    path = _content(tmp_path, {"kind": "chart", "extent": [-12, 10, 16, 24], "countries": ["Mali"]})
    problems = _problems(path)
    assert any("figures.0.extent: only a map takes 'extent'; this figure is a chart" in p for p in problems)
    assert any("figures.0.countries: only a map takes 'countries'" in p for p in problems)


def test_data_outside_the_extent_is_warned_about(tmp_path):
    attacks = [{"id": "timbuktu", "date": "2018-04", "place": "Timbuktu", "country": "Mali", "latitude": 16.77,
                "longitude": -3.0, "summary": "An attack."},
               {"id": "early", "date": "2015-01", "place": "Gao", "country": "Mali", "latitude": 16.27,
                "longitude": -0.04, "summary": "Outside the window."}]
    doc = load(_content(tmp_path, {"extent": [-1.0, 15.0, 3.0, 19.0]}, attacks))
    warnings = " | ".join(doc.warnings)
    assert "attack 'timbuktu' lies outside the map's extent and is left off the map" in warnings
    assert "attack 'early' (2015-01) is outside the map's window 2017-03 to 2018-07 and is left off the map" in warnings
    assert re.search(r"figures\.0\.extent: warning: \d+ of the data's \d+ places \(.*\) lie outside the map's extent",
                     warnings)


def test_a_map_with_nothing_to_frame_is_refused_or_framed_on_its_places(tmp_path):
    empty = json.loads(JNIM_MAP_DATA.read_text(encoding="utf-8"))
    empty["locations"] = []
    data = tmp_path / "empty.json"
    data.write_text(json.dumps(empty), encoding="utf-8")
    folder = tmp_path / "project"
    folder.mkdir()
    problems = _problems(_content(folder, {}, data=data))
    assert any("figures.0: the map has nothing to frame" in p and "give it 'extent' or 'countries'" in p
               for p in problems), problems
    assert load(_content(folder, {"countries": ["Mali"]}, data=data)).figure("map").countries == ("Mali",)
    figure = map_figure(event_data([]))
    frame = fmap.frame_of(figure, (), ASPECT, places=(Place("Gao", 16.27, -0.04, False),))
    assert _inside(frame, -0.04, 16.27) and frame.width_km < 1500


def test_the_country_check_needs_no_numpy():
    import subprocess
    import sys

    script = ("import sys\nfrom jnim_export.content import load\n"
              f"load({str(ROOT / 'content.yaml')!r})\n"
              "from jnim_export import geodata\nassert geodata.find('Maly') is None and geodata.suggest('Maly') == 'Mali'\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_map_aggregate_json_is_what_the_frame_reads():
    # the default content's map frames its own data: every place with events is in the frame
    figure, attacks, _ = _default_content_map()
    frame = fmap.frame_of(figure, attacks, ASPECT)
    data = json.loads(JNIM_MAP_DATA.read_text(encoding="utf-8"))
    assert all(_inside(frame, p["longitude"], p["latitude"]) for p in data["locations"] if p["events"] > 0)
    assert frame.width_km < 2600  # Mali's data, not the whole Sahel
