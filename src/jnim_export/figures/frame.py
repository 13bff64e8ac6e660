"""Where a map looks: a Lambert azimuthal equal-area plane centred on the data, and the box shown.

Pure numpy (no pyproj): the spherical LAEA formulas, which are what PROJ computes for
``+proj=laea +R=6371008.8``.  Centring the projection on the frame keeps areas true and
shapes close to true across the map, and makes the antimeridian no special case.

Public API
    ``frame_for(points, aspect=, extent=, countries=)`` → `Frame`.
    ``laea``, ``laea_inverse``, ``great_circle_km``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

R_EARTH = 6371008.8  # metres, the mean radius: the map is drawn on a sphere

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Point = tuple[float, float]

MIN_SPAN_KM = 900.0  # a single town still shows its country and the neighbours
MAX_SPAN_KM = 14000.0  # about a hemisphere: beyond it the projection tears


def laea(lon: Any, lat: Any, lon_0: float, lat_0: float) -> tuple[np.ndarray, np.ndarray]:
    """Lambert azimuthal equal-area on the sphere (radius R_EARTH), centred on (lon_0, lat_0); metres."""
    lam = np.radians(np.asarray(lon, dtype=float) - lon_0)
    phi = np.radians(np.asarray(lat, dtype=float))
    p0 = math.radians(lat_0)
    cos_phi = np.cos(phi)
    cos_c = math.sin(p0) * np.sin(phi) + math.cos(p0) * cos_phi * np.cos(lam)
    k = np.sqrt(2.0 / np.maximum(1.0 + cos_c, 1e-12))
    x = R_EARTH * k * cos_phi * np.sin(lam)
    y = R_EARTH * k * (math.cos(p0) * np.sin(phi) - math.sin(p0) * cos_phi * np.cos(lam))
    return x, y


def laea_inverse(x: Any, y: Any, lon_0: float, lat_0: float) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) of plane points (metres); longitudes in [-180, 180)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    p0 = math.radians(lat_0)
    rho = np.hypot(x, y)
    c = 2.0 * np.arcsin(np.clip(rho / (2.0 * R_EARTH), -1.0, 1.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        lat = np.where(rho > 0, np.arcsin(np.clip(np.cos(c) * math.sin(p0) + y * np.sin(c) * math.cos(p0) / rho,
                                                  -1, 1)), p0)
    lon = lon_0 + np.degrees(np.arctan2(x * np.sin(c), rho * math.cos(p0) * np.cos(c) - y * math.sin(p0) * np.sin(c)))
    return (lon + 180.0) % 360.0 - 180.0, np.degrees(lat)


def unit_vectors(lon: Any, lat: Any) -> np.ndarray:
    lam, phi = np.radians(lon), np.radians(lat)
    return np.stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)), axis=-1)


def great_circle_km(a: Point, b: Point) -> float:
    ua, ub = unit_vectors(*a), unit_vectors(*b)
    return float(2 * R_EARTH * np.arcsin(min(1.0, float(np.linalg.norm(ua - ub)) / 2)) / 1000)


@dataclass(frozen=True)
class Frame:
    """A map frame: a box (metres) in the LAEA plane centred on (lon_0, lat_0)."""

    lon_0: float
    lat_0: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def box(self) -> Box:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def aspect(self) -> float:
        return (self.x1 - self.x0) / (self.y1 - self.y0)

    @property
    def width_km(self) -> float:
        return (self.x1 - self.x0) / 1000

    @property
    def height_km(self) -> float:
        return (self.y1 - self.y0) / 1000

    def project(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        return laea(lon, lat, self.lon_0, self.lat_0)

    def unproject(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        return laea_inverse(x, y, self.lon_0, self.lat_0)

    def contains(self, lon: float, lat: float) -> bool:
        return bool(self.contains_all([lon], [lat])[0])

    def contains_all(self, lon: Any, lat: Any) -> np.ndarray:
        """For each point: is it in the frame (and on the frame's side of the globe)?"""
        x, y = self.project(lon, lat)
        return ((self.x0 <= x) & (x <= self.x1) & (self.y0 <= y) & (y <= self.y1)
                & (self.cos_distance(lon, lat) > -0.5))

    @property
    def radius_deg(self) -> float:
        """Angular distance from the centre to the farthest corner."""
        rho = max(math.hypot(x, y) for x in (self.x0, self.x1) for y in (self.y0, self.y1))
        return math.degrees(2 * math.asin(min(1.0, rho / (2 * R_EARTH))))

    def cos_distance(self, lon: Any, lat: Any) -> np.ndarray:
        """cos of each point's angular distance from the centre."""
        return unit_vectors(lon, lat) @ unit_vectors(self.lon_0, self.lat_0)


def extent_outline(extent: Sequence[float], n: int = 25) -> list[Point]:
    """Points along the edges of a lon/lat box (lon0 > lon1: it crosses the antimeridian)."""
    lo0, la0, lo1, la1 = map(float, extent)
    if lo1 < lo0:
        lo1 += 360.0
    t = np.linspace(0.0, 1.0, n)
    lons = np.concatenate((lo0 + (lo1 - lo0) * t, lo0 + (lo1 - lo0) * t, np.full(n, lo0), np.full(n, lo1)))
    lats = np.concatenate((np.full(n, la0), np.full(n, la1), la0 + (la1 - la0) * t, la0 + (la1 - la0) * t))
    return list(zip(((lons + 180) % 360 - 180).tolist(), lats.tolist(), strict=True))


def frame_for(
    points: Iterable[Point] = (),
    *,
    aspect: float,
    extent: Sequence[float] | None = None,
    countries: Sequence[str] = (),
    min_span_km: float = MIN_SPAN_KM,
    max_span_km: float = MAX_SPAN_KM,
    pad: float = 0.07,
    min_pad_km: float = 60.0,
) -> Frame:
    """A frame at `aspect` (width / height) showing:

    - ``extent`` (lon0, lat0, lon1, lat1), if given: that box, unpadded, and no minimum
      size (lon0 > lon1 means it crosses the antimeridian); `points` are ignored;
    - else the main territories of ``countries`` and the `points` (lon, lat), padded 3%;
    - else the `points`, padded by `pad` of the span (at least `min_pad_km`), the shorter
      side at least `min_span_km`.

    The longer side is at most `max_span_km`.  The projection is centred on the frame.
    Raises ValueError for nothing to frame or an unknown country name.
    """
    pts = [(float(lo), float(la)) for lo, la in points]
    explicit = extent is not None
    if explicit:
        pts = extent_outline(extent)  # type: ignore[arg-type]
    elif countries:
        from .world import load_world

        world = load_world()
        for name in countries:
            c = world.find(name)
            if c is None:
                raise ValueError(f"unknown country {name!r}")
            for ring in world.main_rings(c):
                pts += [(float(x), float(y)) for x, y in ring[:: max(1, len(ring) // 200)]]
        pad, min_span_km = 0.03, 0.0
    if not pts:
        raise ValueError("nothing to frame: no points, extent or countries")
    arr = np.asarray(pts, dtype=float)
    # the centre: the mean direction of the points, then the middle of their projected box
    v = unit_vectors(arr[:, 0], arr[:, 1]).mean(axis=0)
    if np.linalg.norm(v) < 1e-6:
        lon_0, lat_0 = 0.0, 0.0
    else:
        lon_0 = math.degrees(math.atan2(v[1], v[0]))
        lat_0 = math.degrees(math.asin(max(-1.0, min(1.0, v[2] / np.linalg.norm(v)))))
    for _ in range(3):
        x, y = laea(arr[:, 0], arr[:, 1], lon_0, lat_0)
        lon_c, lat_c = laea_inverse((x.min() + x.max()) / 2, (y.min() + y.max()) / 2, lon_0, lat_0)
        lon_0, lat_0 = float(lon_c), float(lat_c)
    x, y = laea(arr[:, 0], arr[:, 1], lon_0, lat_0)
    hx = max(abs(x.min()), abs(x.max()))
    hy = max(abs(y.min()), abs(y.max()))
    if not explicit:
        p = max(pad * max(2 * hx, 2 * hy), min_pad_km * 1000)
        hx, hy = hx + p, hy + p
    hx, hy = max(hx, 1.0), max(hy, 1.0)
    if hx / hy < aspect:
        hx = hy * aspect
    else:
        hy = hx / aspect
    short = 2 * min(hx, hy)
    if not explicit and short < min_span_km * 1000:
        f = min_span_km * 1000 / short
        hx, hy = hx * f, hy * f
    long = 2 * max(hx, hy)
    if long > max_span_km * 1000:
        f = max_span_km * 1000 / long
        hx, hy = hx * f, hy * f
    return Frame(lon_0, lat_0, -hx, -hy, hx, hy)
