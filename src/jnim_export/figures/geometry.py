"""Pure geometry for the map: lines and polygons cut to a box, overlaps of boxes."""

from __future__ import annotations

from typing import Any


def overlap(a: Any, b: Any) -> float:
    """Area shared by two display-space Bboxes."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def clip_lines(lines: list[Any], box: tuple[float, float, float, float]) -> Any:
    """One `matplotlib.path.Path` of the polylines `lines` (N×2 arrays) cut to `box`.

    `box` is (x0, y0, x1, y1).  Each segment is clipped to the box (Liang–Barsky); a
    run of segments inside becomes one MOVETO and its LINETOs, so the whole set of
    lines is a single path: one SVG element instead of one per segment, and nothing
    outside the frame left to draw.  None when nothing is inside.
    """
    import numpy as np
    from matplotlib.path import Path as MplPath

    x0, y0, x1, y1 = box
    verts, codes = [], []
    for line in lines:
        xy = np.asarray(line, dtype=float).reshape(-1, 2)
        if len(xy) < 2:
            continue
        finite = np.isfinite(xy).all(axis=1)
        xy = np.where(finite[:, None], xy, 0.0)
        a, d = xy[:-1], np.diff(xy, axis=0)
        t0, t1 = np.zeros(len(a)), np.ones(len(a))
        keep = finite[:-1] & finite[1:]  # a missing point breaks the line
        for p, q in ((-d[:, 0], a[:, 0] - x0), (d[:, 0], x1 - a[:, 0]),
                     (-d[:, 1], a[:, 1] - y0), (d[:, 1], y1 - a[:, 1])):
            with np.errstate(divide="ignore", invalid="ignore"):
                r = q / p
            keep &= (p != 0) | (q >= 0)
            t0 = np.where(p < 0, np.maximum(t0, r), t0)
            t1 = np.where(p > 0, np.minimum(t1, r), t1)
        keep &= t0 <= t1
        if not keep.any():
            continue
        # a run starts where the previous segment is gone or left the box, or this one entered it
        prev_keep = np.concatenate(([False], keep[:-1]))
        prev_t1 = np.concatenate(([0.0], t1[:-1]))
        start = ~prev_keep | (prev_t1 < 1) | (t0 > 0)
        k = np.flatnonzero(keep)
        pairs = np.stack((a[k] + t0[k, None] * d[k], a[k] + t1[k, None] * d[k]), axis=1)  # (n, 2, 2)
        pair_codes = np.empty((len(k), 2), dtype=MplPath.code_type)
        pair_codes[:, 0], pair_codes[:, 1] = MplPath.MOVETO, MplPath.LINETO
        mask = np.ones((len(k), 2), dtype=bool)
        mask[:, 0] = start[k]
        verts.append(pairs[mask])
        codes.append(pair_codes[mask])
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def clip_polygons(polygons: list[Any], box: tuple[float, float, float, float]) -> Any:
    """One `matplotlib.path.Path` of the polygons (N×2 arrays) cut to `box` (x0, y0, x1, y1).

    The polygons must not overlap (a filled compound path is drawn as one shape).
    None when nothing is inside.
    """
    import numpy as np
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Bbox

    bbox = Bbox.from_extents(*box)
    parts = []
    for polygon in polygons:
        xy = np.asarray(polygon, dtype=float).reshape(-1, 2)
        if len(xy) < 3:
            continue
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        if hi[0] < box[0] or lo[0] > box[2] or hi[1] < box[1] or lo[1] > box[3]:
            continue
        clipped = MplPath(xy, closed=True).clip_to_bbox(bbox, inside=True)
        for ring in rings(clipped):
            ring = drop_edge_runs(ring, box)
            if len(ring) >= 3:
                parts.append(MplPath(np.vstack((ring, ring[:1])), closed=True))
    return MplPath.make_compound_path(*parts) if parts else None


def rings(path: Any) -> list[Any]:
    """The vertex arrays of a path's subpaths, without a repeated closing vertex."""
    import numpy as np
    from matplotlib.path import Path as MplPath

    v, codes = path.vertices, path.codes
    if len(v) == 0:
        return []
    if codes is None:
        codes = np.full(len(v), MplPath.LINETO)
        codes[0] = MplPath.MOVETO
    rings = []
    starts = np.flatnonzero(codes == MplPath.MOVETO)[1:]
    for chunk_v, chunk_c in zip(np.split(v, starts), np.split(codes, starts), strict=True):
        ring = chunk_v[chunk_c != MplPath.CLOSEPOLY]
        if len(ring) > 1 and (ring[0] == ring[-1]).all():
            ring = ring[:-1]
        rings.append(ring)
    return rings


def drop_edge_runs(ring: Any, box: tuple[float, float, float, float]) -> Any:
    """`ring` without the vertices that add no area: repeats, and middles of runs along one side of `box`.

    Clipping a large polygon to a box leaves every vertex outside it as a point on the
    box's edge (tens of thousands for a continent); where a vertex and both its
    neighbours lie on the same side, it only walks along that side and back.
    """
    import numpy as np

    x0, y0, x1, y1 = box
    # the clipper works in single precision: put what it left on a side exactly on it
    tol = 1e-6 * max(x1 - x0, y1 - y0)
    ring = ring.copy()
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


