"""The countries' shapes: Natural Earth admin-0 arcs (``jnim_export.geodata``) as numpy arrays.

The country data is a topology: each border is one *arc*, used by the two countries either
side of it (a coast is an arc used by one), and a country's rings are lists of arc
references.  So borders are drawn once, and neighbours never leave gaps or slivers.

Public API
    ``load_world()``: the `World`, read once per process (about 10 ms).
    ``World.find(name)``, ``World.countries``: the names (``geodata.Country``).
    ``World.ring(refs)``, ``World.arc(ref)``: lon/lat points; ``World.main_rings(country)``.
    ``World.countries_at(lons, lats)``: the country under each point (≤ 30 km off a coast counts).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

from .. import geodata
from ..geodata import Country

__all__ = ["Country", "World", "load_world"]


class World:
    """Country rings as references to shared arcs, and the arcs' points (lon, lat)."""

    def __init__(self, arc_deltas: np.ndarray, arc_lengths: np.ndarray) -> None:
        """`arc_deltas`/`arc_lengths`: the quantised, delta-encoded arcs (TopoJSON's encoding)."""
        (sx, sy), (tx, ty) = geodata.transform()
        lengths = np.asarray(arc_lengths, dtype=np.int64)
        cs = np.cumsum(np.asarray(arc_deltas, dtype=np.int64), axis=0)
        starts = np.concatenate(([0], np.cumsum(lengths)))
        base = np.vstack(([0, 0], cs[starts[1:-1] - 1]))  # the running sum before each arc
        q = cs - np.repeat(base, lengths, axis=0)
        #: every arc's points, one after another (lon, lat): arc i is points[starts[i]:starts[i + 1]]
        self.points = np.column_stack((q[:, 0] * sx + tx, q[:, 1] * sy + ty))
        self.starts = starts
        self.countries: tuple[Country, ...] = geodata.countries()
        # which countries use each arc: one → a coast, two → a border
        users = np.full((len(lengths), 2), -1, dtype=np.int64)
        for c in self.countries:
            for poly in c.polygons:
                for ring in poly:
                    for ref in ring:
                        a = ref if ref >= 0 else ~ref
                        if users[a, 0] == -1:
                            users[a, 0] = c.index
                        elif users[a, 0] != c.index:
                            users[a, 1] = c.index
        self.arc_users = users
        self.has_land_border = np.zeros(len(self.countries), dtype=bool)
        self.has_land_border[users[users[:, 1] >= 0].ravel()] = True
        # arcs that only cut a polygon along the antimeridian or round the South Pole: no coast
        lon, lat = self.points[:, 0], self.points[:, 1]
        on_cut = (np.abs(lon) >= 179.999) | (lat <= -89.99)
        self.arc_cut = np.logical_and.reduceat(on_cut, starts[:-1])

    def find(self, name: str) -> Country | None:
        return geodata.find(name)

    def arc(self, ref: int) -> np.ndarray:
        """An arc's lon/lat points (N×2), reversed for a negative reference ``~i``."""
        i = ref if ref >= 0 else ~ref
        a = self.points[self.starts[i]:self.starts[i + 1]]
        return a if ref >= 0 else a[::-1]

    def ring(self, refs: Sequence[int]) -> np.ndarray:
        """A ring's lon/lat points (N×2), the first point not repeated at the end."""
        return np.concatenate([self.arc(r)[:-1] for r in refs])

    def main_rings(self, country: Country) -> list[np.ndarray]:
        """The outer rings of a country's main territory: its largest part and the parts near it.

        France's is metropolitan France and Corsica, not French Guiana or Réunion.
        """
        outers = [self.ring(poly[0]) for poly in country.polygons]
        big = outers[int(np.argmax([_lonlat_area(r) for r in outers]))]
        lo, hi = big.min(axis=0), big.max(axis=0)
        near = 3.0  # degrees beyond the main part's box
        return [r for r in outers if (r.min(axis=0) <= hi + near).all() and (r.max(axis=0) >= lo - near).all()]

    def countries_at(self, lons: Sequence[float], lats: Sequence[float]) -> list[Country | None]:
        """The country whose polygon holds each point, else the nearest within ~30 km (a coastal town)."""
        from matplotlib.path import Path as MplPath

        pts = np.column_stack((np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)))
        out: list[Country | None] = [None] * len(pts)
        best = np.full(len(pts), 0.3)  # degrees: how far off the coast a point may be
        m = 0.3
        b = self._bboxes
        hit = ((b[None, :, 0] - m <= pts[:, None, 0]) & (pts[:, None, 0] <= b[None, :, 2] + m)
               & (b[None, :, 1] - m <= pts[:, None, 1]) & (pts[:, None, 1] <= b[None, :, 3] + m))
        inside = np.zeros(len(pts), dtype=bool)
        for ci in np.flatnonzero(hit.any(axis=0)):
            c = self.countries[ci]
            idx = np.flatnonzero(hit[:, ci])
            for poly in c.polygons:
                ring = self.ring(poly[0])
                lo, hi = ring.min(axis=0), ring.max(axis=0)
                sub = idx[(pts[idx, 0] >= lo[0] - m) & (pts[idx, 0] <= hi[0] + m)
                          & (pts[idx, 1] >= lo[1] - m) & (pts[idx, 1] <= hi[1] + m)]
                if len(sub) == 0:
                    continue
                within = MplPath(ring).contains_points(pts[sub])
                for k in sub[within]:
                    out[k] = c
                    inside[k] = True
                for k in sub[~within & ~inside[sub]]:
                    d = float(np.min(np.hypot(ring[:, 0] - pts[k, 0], ring[:, 1] - pts[k, 1])))
                    if d < best[k]:
                        best[k] = d
                        out[k] = c
        return out

    @functools.cached_property
    def _bboxes(self) -> np.ndarray:
        out = np.zeros((len(self.countries), 4))
        for c in self.countries:
            pts = np.concatenate([self.ring(poly[0]) for poly in c.polygons])
            out[c.index] = (*pts.min(axis=0), *pts.max(axis=0))
        return out


def _lonlat_area(xy: np.ndarray) -> float:
    """A ring's area in square degrees, longitudes shrunk at its mean latitude: for comparing parts."""
    lat = math.radians(float(xy[:, 1].mean()))
    x, y = xy[:, 0] * math.cos(lat), xy[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


@functools.lru_cache(maxsize=1)
def load_world() -> World:
    """The country data, read once per process."""
    with np.load(geodata.DATA, allow_pickle=False) as z:
        return World(z["arc_deltas"], z["arc_lengths"])
