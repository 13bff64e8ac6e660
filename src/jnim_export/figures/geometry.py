"""Pure geometry for the map: lines and rings cut to a box, rings joined into one fillable path.

The base map is a handful of paths already cut to the frame (one per fill colour and one per
line style), not one element per segment: svglib, which turns the SVG into PDF drawing
objects, pays per element and per clipped element.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def clip_lines(lines: Iterable[Any], box: Box) -> Any:
    """One `matplotlib.path.Path` of the polylines `lines` (N×2 arrays) cut to `box`.

    Every segment of every line is clipped to the box at once (Liang–Barsky); a run of
    segments inside becomes one MOVETO and its LINETOs, so the whole set of lines is a
    single path.  A non-finite point breaks its line.  None when nothing is inside.
    """
    from matplotlib.path import Path as MplPath

    x0, y0, x1, y1 = box
    kept = []
    for line in lines:
        xy = np.asarray(line, dtype=float).reshape(-1, 2)
        if len(xy) < 2:
            continue
        finite = np.isfinite(xy).all(axis=1)
        if not finite.any():
            continue
        lo, hi = xy[finite].min(axis=0), xy[finite].max(axis=0)
        if hi[0] < x0 or lo[0] > x1 or hi[1] < y0 or lo[1] > y1:
            continue
        kept.append(xy)
    if not kept:
        return None
    pts = np.concatenate(kept)
    ends = np.cumsum([len(xy) for xy in kept])
    a, d = pts[:-1], np.diff(pts, axis=0)
    keep = np.ones(len(a), dtype=bool)
    keep[ends[:-1] - 1] = False  # the step from one line to the next is no segment
    keep &= np.isfinite(a).all(axis=1) & np.isfinite(d).all(axis=1)
    a, d = np.where(keep[:, None], a, 0.0), np.where(keep[:, None], d, 0.0)
    t0, t1 = np.zeros(len(a)), np.ones(len(a))
    for p, q in ((-d[:, 0], a[:, 0] - x0), (d[:, 0], x1 - a[:, 0]), (-d[:, 1], a[:, 1] - y0), (d[:, 1], y1 - a[:, 1])):
        with np.errstate(divide="ignore", invalid="ignore"):
            r = q / p
        keep &= (p != 0) | (q >= 0)
        t0 = np.where(p < 0, np.maximum(t0, r), t0)
        t1 = np.where(p > 0, np.minimum(t1, r), t1)
    keep &= t0 <= t1
    if not keep.any():
        return None
    # a run starts where the previous segment is gone or left the box, or this one entered it
    prev_keep = np.concatenate(([False], keep[:-1]))
    prev_t1 = np.concatenate(([0.0], t1[:-1]))
    start = ~prev_keep | (prev_t1 < 1) | (t0 > 0)
    k = np.flatnonzero(keep)
    pairs = np.stack((a[k] + t0[k, None] * d[k], a[k] + t1[k, None] * d[k]), axis=1)  # (n, 2, 2)
    codes = np.empty((len(k), 2), dtype=MplPath.code_type)
    codes[:, 0], codes[:, 1] = MplPath.MOVETO, MplPath.LINETO
    mask = np.ones((len(k), 2), dtype=bool)
    mask[:, 0] = start[k]
    return MplPath(pairs[mask], codes[mask])


def clip_rings(polygons: Iterable[Any], box: Box) -> list[np.ndarray]:
    """The rings (N×2 arrays) cut to `box`: each piece a ring of its own; a ring wholly inside as is."""
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Bbox

    x0, y0, x1, y1 = box
    bbox = Bbox.from_extents(*box)
    out = []
    for polygon in polygons:
        xy = np.asarray(polygon, dtype=float).reshape(-1, 2)
        if len(xy) < 3 or not np.isfinite(xy).all():
            continue
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        if hi[0] < x0 or lo[0] > x1 or hi[1] < y0 or lo[1] > y1:
            continue
        if lo[0] >= x0 and hi[0] <= x1 and lo[1] >= y0 and hi[1] <= y1:
            out.append(xy)
            continue
        clipped = MplPath(np.vstack((xy, xy[:1])), closed=True).clip_to_bbox(bbox, inside=True)
        for ring in rings(clipped):
            ring = drop_edge_runs(ring, box)
            if len(ring) >= 3:
                out.append(ring)
    return out


def ring_path(polygons: Sequence[np.ndarray]) -> Any:
    """One compound `matplotlib.path.Path` of rings, each turned counter-clockwise.

    With every ring the same way round, the nonzero fill rule unites rings that overlap
    (two countries' pieces never do) and fills each one.  None for no rings.
    """
    from matplotlib.path import Path as MplPath

    parts = []
    for r in polygons:
        x, y = r[:, 0], r[:, 1]
        if np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)) < 0:
            r = r[::-1]
        parts.append(MplPath(np.vstack((r, r[:1])), closed=True))
    return MplPath.make_compound_path(*parts) if parts else None


def rings(path: Any) -> list[np.ndarray]:
    """The vertex arrays of a path's subpaths, without a repeated closing vertex."""
    from matplotlib.path import Path as MplPath

    v, codes = path.vertices, path.codes
    if len(v) == 0:
        return []
    if codes is None:
        codes = np.full(len(v), MplPath.LINETO)
        codes[0] = MplPath.MOVETO
    out = []
    starts = np.flatnonzero(codes == MplPath.MOVETO)[1:]
    for chunk_v, chunk_c in zip(np.split(v, starts), np.split(codes, starts), strict=True):
        ring = chunk_v[chunk_c != MplPath.CLOSEPOLY]
        if len(ring) > 1 and (ring[0] == ring[-1]).all():
            ring = ring[:-1]
        out.append(ring)
    return out


def drop_edge_runs(ring: np.ndarray, box: Box) -> np.ndarray:
    """`ring` without the vertices that add no area: repeats, and middles of runs along one side of `box`.

    Clipping a large polygon to a box leaves every vertex outside it as a point on the
    box's edge (tens of thousands for a continent); where a vertex and both its
    neighbours lie on the same side, it only walks along that side and back.
    """
    x0, y0, x1, y1 = box
    # the clipper works in single precision: put what it left on a side exactly on it
    tol = 1e-6 * max(x1 - x0, y1 - y0)
    ring = np.array(ring, dtype=float)
    for axis, value in ((0, x0), (0, x1), (1, y0), (1, y1)):
        ring[np.abs(ring[:, axis] - value) <= tol, axis] = value
    while len(ring) >= 3:
        ring = ring[(ring != np.roll(ring, 1, axis=0)).any(axis=1)]  # repeats
        if len(ring) < 3:
            break
        sides = np.stack((ring[:, 0] == x0, ring[:, 0] == x1, ring[:, 1] == y0, ring[:, 1] == y1), axis=1)
        redundant = (sides & np.roll(sides, 1, axis=0) & np.roll(sides, -1, axis=0)).any(axis=1)
        if not redundant.any():
            break
        ring = ring[~redundant]
    return ring
