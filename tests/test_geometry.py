"""Lines and polygons cut to the map frame (figures/geometry.py), on random shapes and boxes,
against plain re-derivations of what the cut must give and against shapely's."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.path import Path as MplPath

from jnim_export.figures.geometry import clip_lines, clip_rings, drop_edge_runs, ring_path, rings


def clip_polygons(polygons, box):
    """The map's way to fill land cut to its frame: the rings cut to the box, joined in one path."""
    return ring_path(clip_rings(polygons, box))

PROPS = settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

import shapely.geometry as shapely_geometry  # a second, independent oracle (tests only)

def floats(lo: float, hi: float):
    """Coordinates on a 1e-9 grid: no subnormal differences (which only make numpy warn)."""
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda v: min(max(round(v, 9), lo), hi))


coord = floats(-300, 300)
points = st.tuples(coord, coord)


@st.composite
def boxes(draw):
    x0, y0 = draw(floats(-150, 150)), draw(floats(-150, 150))
    return (x0, y0, x0 + draw(floats(1, 250)), y0 + draw(floats(1, 250)))


@st.composite
def star_polygons(draw, centre=None, max_radius=200.0):
    """A simple polygon: vertices at increasing angles around a centre (concave ones included)."""
    cx, cy = centre or (draw(floats(-200, 200)), draw(floats(-200, 200)))
    n = draw(st.integers(3, 14))
    # gaps between the angles all under half a turn: each edge stays in its own sector, so no
    # two edges cross
    weights = draw(st.lists(floats(1, 1.9), min_size=n, max_size=n))
    start = draw(floats(0, 2 * math.pi))
    angles = start + np.cumsum([0.0, *weights[:-1]]) * 2 * math.pi / sum(weights)
    radii = draw(st.lists(floats(max_radius / 20, max_radius), min_size=n, max_size=n))
    return np.array([(cx + r * math.cos(a), cy + r * math.sin(a)) for a, r in zip(angles, radii)])


def tol(box) -> float:
    return 1e-9 * (1 + max(abs(v) for v in box))


def inside(xy, box, eps) -> bool:
    x0, y0, x1, y1 = box
    xy = np.asarray(xy)
    return bool(((xy[:, 0] >= x0 - eps) & (xy[:, 0] <= x1 + eps) & (xy[:, 1] >= y0 - eps) & (xy[:, 1] <= y1 + eps)).all())


def shoelace(ring) -> float:
    x, y = np.asarray(ring, dtype=float).T
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def path_area(path) -> float:
    return sum(abs(shoelace(r)) for r in rings(path)) if path is not None else 0.0


# --------------------------------------------------------------------------- re-derivations


def clipped_length(line, box) -> float:
    """Length of the part of a polyline inside the box, segment by segment, by bisection-free algebra:
    the parameters where each coordinate is inside form an interval; their intersection is kept."""
    x0, y0, x1, y1 = box
    total = 0.0
    for (ax, ay), (bx, by) in zip(line, line[1:]):
        lo, hi = 0.0, 1.0
        for a, b, low, high in ((ax, bx, x0, x1), (ay, by, y0, y1)):
            if a == b:
                if not low <= a <= high:
                    lo, hi = 1.0, 0.0
                continue
            ta, tb = (low - a) / (b - a), (high - a) / (b - a)
            lo, hi = max(lo, min(ta, tb)), min(hi, max(ta, tb))
        if hi > lo:
            total += (hi - lo) * math.hypot(bx - ax, by - ay)
    return total


def sutherland_hodgman(polygon, box):
    """The polygon cut to the box, one side at a time (exact in area for any simple polygon)."""
    x0, y0, x1, y1 = box
    sides = (
        (lambda p: p[0] >= x0, lambda p, q: (x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[0] <= x1, lambda p, q: (x1, p[1] + (q[1] - p[1]) * (x1 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[1] >= y0, lambda p, q: (p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0)),
        (lambda p: p[1] <= y1, lambda p, q: (p[0] + (q[0] - p[0]) * (y1 - p[1]) / (q[1] - p[1]), y1)),
    )
    out = [tuple(p) for p in polygon]
    for keep, cross in sides:
        ring, out = out, []
        for i, q in enumerate(ring):
            p = ring[i - 1]
            if keep(q):
                if not keep(p):
                    out.append(cross(p, q))
                out.append(q)
            elif keep(p):
                out.append(cross(p, q))
        if not out:
            return []
    return out


def segments(path):
    """(start, end) of every drawn segment of a path of MOVETOs and LINETOs."""
    out = []
    for (v, code), (w, code2) in zip(path.iter_segments(simplify=False), list(path.iter_segments(simplify=False))[1:]):
        if code2 == MplPath.LINETO:
            out.append((np.array(v[-2:]), np.array(w[-2:])))
    return out


# --------------------------------------------------------------------------- clip_lines


@PROPS
@given(lines=st.lists(st.lists(points, min_size=2, max_size=12), min_size=1, max_size=4), box=boxes())
def test_clipped_lines_stay_in_the_box_and_keep_the_length_inside(lines, box):
    path = clip_lines([np.array(line) for line in lines], box)
    expected = sum(clipped_length(line, box) for line in lines)
    if path is None:
        assert expected == pytest.approx(0.0, abs=1e-6)
        return
    assert inside(path.vertices, box, tol(box) * 1e3)
    assert path.codes[0] == MplPath.MOVETO
    assert set(path.codes) <= {MplPath.MOVETO, MplPath.LINETO}
    # no MOVETO without a LINETO after it
    assert all(a != MplPath.MOVETO or b == MplPath.LINETO for a, b in zip(path.codes, [*path.codes[1:], 0]))
    got = sum(float(np.hypot(*(b - a))) for a, b in segments(path))
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-6)
    clip = shapely_geometry.box(*box)
    # per segment: shapely merges a line's overlapping pieces (there and back counts once), the map draws both
    ref = sum(shapely_geometry.LineString([a, b]).intersection(clip).length
              for line in lines for a, b in zip(line, line[1:]) if a != b)
    assert got == pytest.approx(ref, rel=1e-6, abs=1e-6)


@PROPS
@given(box=boxes(), data=st.data())
def test_a_line_inside_the_box_is_unchanged(box, data):
    x0, y0, x1, y1 = box
    inner = st.tuples(floats(x0, x1), floats(y0, y1))
    line = np.array(data.draw(st.lists(inner, min_size=2, max_size=12)))
    path = clip_lines([line], box)
    assert path is not None
    np.testing.assert_allclose(path.vertices, line, rtol=0, atol=tol(box))
    assert list(path.codes) == [MplPath.MOVETO] + [MplPath.LINETO] * (len(line) - 1)


@PROPS
@given(box=boxes(), data=st.data(), side=st.sampled_from(["left", "right", "below", "above"]))
def test_a_line_outside_the_box_is_none(box, data, side):
    x0, y0, x1, y1 = box
    xs = {"left": floats(x0 - 300, x0 - 1e-3), "right": floats(x1 + 1e-3, x1 + 300)}.get(side, coord)
    ys = {"below": floats(y0 - 300, y0 - 1e-3), "above": floats(y1 + 1e-3, y1 + 300)}.get(side, coord)
    line = np.array(data.draw(st.lists(st.tuples(xs, ys), min_size=2, max_size=10)))
    assert clip_lines([line], box) is None


def test_a_line_across_the_box_is_cut_at_its_sides():
    path = clip_lines([np.array([(-10.0, 5.0), (5.0, 5.0), (20.0, 5.0)])], (0, 0, 10, 10))
    np.testing.assert_allclose(path.vertices, [(0, 5), (5, 5), (10, 5)])
    assert list(path.codes) == [MplPath.MOVETO, MplPath.LINETO, MplPath.LINETO]


def test_a_line_leaving_and_coming_back_is_two_runs():
    line = np.array([(2.0, 2.0), (2.0, 20.0), (8.0, 20.0), (8.0, 2.0)])
    path = clip_lines([line], (0, 0, 10, 10))
    np.testing.assert_allclose(path.vertices, [(2, 2), (2, 10), (8, 10), (8, 2)])
    assert list(path.codes) == [MplPath.MOVETO, MplPath.LINETO, MplPath.MOVETO, MplPath.LINETO]


def test_a_missing_point_breaks_the_line():
    line = np.array([(1.0, 1.0), (2.0, 2.0), (np.nan, np.nan), (3.0, 3.0), (4.0, 4.0)])
    path = clip_lines([line], (0, 0, 10, 10))
    assert np.isfinite(path.vertices).all()
    np.testing.assert_allclose(path.vertices, [(1, 1), (2, 2), (3, 3), (4, 4)])
    assert list(path.codes) == [MplPath.MOVETO, MplPath.LINETO, MplPath.MOVETO, MplPath.LINETO]
    assert clip_lines([np.array([(1.0, 1.0)])], (0, 0, 10, 10)) is None  # a single point draws nothing


# --------------------------------------------------------------------------- clip_polygons


@PROPS
@given(polygon=star_polygons(), box=boxes())
def test_clipped_polygons_stay_in_the_box_with_the_area_inside(polygon, box):
    path = clip_polygons([polygon], box)
    eps = 1e-4 * (1 + max(abs(v) for v in box) + float(np.abs(polygon).max()))
    expected = abs(shoelace(sutherland_hodgman(polygon, box))) if sutherland_hodgman(polygon, box) else 0.0
    box_area = (box[2] - box[0]) * (box[3] - box[1])
    if path is None:
        assert expected <= eps * (1 + box_area) ** 0.5
        return
    assert inside(path.vertices, box, eps)
    area = path_area(path)
    assert area <= box_area * (1 + 1e-6) + eps
    assert area <= abs(shoelace(polygon)) * (1 + 1e-6) + eps
    assert area == pytest.approx(expected, rel=1e-4, abs=eps * 10)
    ref = shapely_geometry.Polygon(polygon).intersection(shapely_geometry.box(*box)).area
    assert area == pytest.approx(ref, rel=1e-4, abs=eps * 10)


@PROPS
@given(box=boxes(), data=st.data())
def test_a_polygon_inside_the_box_keeps_its_area(box, data):
    x0, y0, x1, y1 = box
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    polygon = data.draw(star_polygons(centre=centre, max_radius=min(x1 - x0, y1 - y0) / 2 * 0.99))
    path = clip_polygons([polygon], box)
    assert path is not None
    (ring,) = rings(path)
    assert abs(shoelace(ring)) == pytest.approx(abs(shoelace(polygon)), rel=1e-5)
    assert len(ring) <= len(polygon) and inside(ring, box, tol(box))


@PROPS
@given(box=boxes(), polygon=star_polygons(), dx=floats(1e-3, 100))
def test_a_polygon_beside_the_box_is_none(box, polygon, dx):
    shifted = polygon + np.array([box[2] - polygon[:, 0].min() + dx, 0.0])
    assert clip_polygons([shifted], box) is None


def test_several_polygons_make_one_compound_path():
    a = np.array([(1.0, 1.0), (4.0, 1.0), (4.0, 4.0), (1.0, 4.0)])
    b = a + 5.0
    c = a + 50.0  # outside
    path = clip_polygons([a, b, c, np.array([(0.0, 0.0), (1.0, 1.0)])], (0, 0, 10, 10))
    assert len(rings(path)) == 2
    assert path_area(path) == pytest.approx(18.0)
    assert clip_polygons([], (0, 0, 1, 1)) is None


def test_a_polygon_around_the_box_is_the_box():
    big = np.array([(-100.0, -100.0), (100.0, -100.0), (100.0, 100.0), (-100.0, 100.0)])
    path = clip_polygons([big], (0, 0, 10, 5))
    (ring,) = rings(path)
    assert len(ring) == 4  # the corners, nothing walking along the sides
    assert abs(shoelace(ring)) == pytest.approx(50.0)


# --------------------------------------------------------------------------- drop_edge_runs and rings


@st.composite
def edge_rings(draw):
    """A ring whose vertices often lie on a side of the box (as a clipped continent's do)."""
    box = draw(boxes())
    x0, y0, x1, y1 = box
    n = draw(st.integers(3, 16))
    pts = []
    for _ in range(n):
        where = draw(st.sampled_from(["x0", "x1", "y0", "y1", "in", "repeat"]))
        if where == "repeat" and pts:
            pts.append(pts[-1])
            continue
        x, y = draw(floats(x0, x1)), draw(floats(y0, y1))
        x = {"x0": x0, "x1": x1}.get(where, x)
        y = {"y0": y0, "y1": y1}.get(where, y)
        pts.append((x, y))
    return np.array(pts, dtype=float), box


@settings(max_examples=60, deadline=None, database=None)
@given(case=edge_rings())
def test_drop_edge_runs_keeps_the_area_and_drops_only_walks_along_a_side(case):
    ring, box = case
    x0, y0, x1, y1 = box
    out = drop_edge_runs(ring, box)
    # what the clipper left within a hair of a side is put on it
    snapped = ring.copy()
    hair = 1e-6 * max(x1 - x0, y1 - y0)
    for axis, value in ((0, x0), (0, x1), (1, y0), (1, y1)):
        snapped[np.abs(snapped[:, axis] - value) <= hair, axis] = value
    # a subsequence of those vertices
    it = iter(map(tuple, snapped))
    assert all(any(p == q for q in it) for p in map(tuple, out))
    if len(out) >= 3:
        scale = (1 + max(abs(v) for v in box)) ** 2
        assert shoelace(out) == pytest.approx(shoelace(snapped), rel=1e-9, abs=1e-9 * scale)
        assert not (out == np.roll(out, 1, axis=0)).all(axis=1).any(), "no repeated vertex"
        for side in (out[:, 0] == x0, out[:, 0] == x1, out[:, 1] == y0, out[:, 1] == y1):
            assert not (side & np.roll(side, 1) & np.roll(side, -1)).any(), "no vertex in the middle of a side run"
        assert (drop_edge_runs(out, box) == out).all()  # nothing more to drop
    assert len(out) <= len(ring)


def test_drop_edge_runs_snaps_single_precision_to_the_side():
    box = (0.0, 0.0, 10.0, 10.0)
    ring = np.array([(0.0, 0.0), (5.0, 1e-7), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)])
    out = drop_edge_runs(ring, box)
    np.testing.assert_array_equal(out, [(0, 0), (10, 0), (10, 10), (0, 10)])
    assert ring[1, 1] == 1e-7  # the input is not changed


def test_rings_splits_subpaths_and_drops_the_closing_vertex():
    a = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    b = [(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 6.0)]
    path = MplPath.make_compound_path(MplPath(np.array(a + a[:1]), closed=True), MplPath(np.array(b + b[:1]), closed=True))
    got = rings(path)
    assert [r.tolist() for r in got] == [[list(p) for p in a], [list(p) for p in b]]
    assert rings(MplPath(np.array(a))) [0].tolist() == [list(p) for p in a]  # a path without codes
    assert rings(MplPath(np.zeros((0, 2)))) == []
