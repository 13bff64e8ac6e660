"""Lakes and rivers for the map: Natural Earth's 1:10m lakes and 1:50m rivers, shipped in
``jnim_export.geodata`` (``water.npz``, see its NOTICE), projected to the frame."""

from __future__ import annotations

import hashlib
import math
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "geodata" / "water.npz"
KINDS = ("lake", "river")


@lru_cache(maxsize=1)
def sha256() -> str:
    """The water data's SHA-256 (hex): part of a map's cache key, so new data redraws every map."""
    return hashlib.sha256(DATA.read_bytes()).hexdigest()


@lru_cache(maxsize=2)
def _parts(kind: str) -> tuple[Any, Any, Any, Any]:
    """(all points as lon/lat degrees, each part's start offsets, south and north latitudes, areas in km²)."""
    import numpy as np

    with zipfile.ZipFile(DATA) as zf, zf.open(f"{kind}_points.npy") as f, zf.open(f"{kind}_lengths.npy") as g:
        pts = np.lib.format.read_array(f, allow_pickle=False) * 1e-3
        lengths = np.lib.format.read_array(g, allow_pickle=False).astype(np.int64)
        if kind == "lake":
            with zf.open("lake_area_km2.npy") as h:
                area = np.lib.format.read_array(h, allow_pickle=False).astype(float)
        else:
            area = np.full(len(lengths), math.inf)
    starts = np.concatenate(([0], np.cumsum(lengths)))
    south = np.minimum.reduceat(pts[:, 1], starts[:-1])
    north = np.maximum.reduceat(pts[:, 1], starts[:-1])
    return pts, starts, np.column_stack((south, north)), area


def water_in_frame(kind: str, frame: Any, min_area: float = 0.0) -> list[Any]:
    """The lakes' outer rings (``"lake"``) or the rivers' lines (``"river"``) that reach the frame, projected.

    A missing or unreadable data file raises (``OSError``, ``KeyError``): a map without its water
    is an installation fault, never drawn silently.
    """
    import numpy as np

    if kind not in KINDS:
        raise ValueError(f"unknown water kind {kind!r}; expected one of {KINDS}")
    pts_all, starts_all, lat_range, area = _parts(kind)
    gx, gy = np.meshgrid(np.linspace(frame.x0, frame.x1, 9), np.linspace(frame.y0, frame.y1, 9))
    _, lat = frame.unproject(gx.ravel(), gy.ravel())
    south, north = float(lat.min()) - 1, float(lat.max()) + 1
    for pole in (90.0, -90.0):
        if frame.contains(0.0, pole):
            south, north = min(south, pole), max(north, pole)
    sel = np.flatnonzero((lat_range[:, 1] >= south) & (lat_range[:, 0] <= north) & (area >= min_area))
    if len(sel) == 0:
        return []
    counts = starts_all[sel + 1] - starts_all[sel]
    starts = np.concatenate(([0], np.cumsum(counts)))
    idx = np.repeat(starts_all[sel] - starts[:-1], counts) + np.arange(starts[-1])
    pts = pts_all[idx]
    cos_lim = math.cos(math.radians(min(frame.radius_deg + 3, 179)))
    near = np.maximum.reduceat(frame.cos_distance(pts[:, 0], pts[:, 1]) >= cos_lim, starts[:-1])
    x, y = frame.project(pts[:, 0], pts[:, 1])
    span = max(frame.x1 - frame.x0, frame.y1 - frame.y0) * 0.02
    hit = np.logical_or.reduceat((x >= frame.x0 - span) & (x <= frame.x1 + span) & (y >= frame.y0 - span)
                                 & (y <= frame.y1 + span), starts[:-1]) & near
    xy = np.column_stack((x, y))
    return [xy[starts[k]:starts[k + 1]] for k in np.flatnonzero(hit)]
