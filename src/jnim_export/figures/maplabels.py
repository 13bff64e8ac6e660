"""The map's labels: candidates for every key attack, place and country in view, one placement
pass (``labels.py``), then the chosen labels and their leader lines drawn."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from .mapcanvas import FS_ATTACK, FS_COUNTRY, FS_FOCUS, FS_PLACE, Box, MapCanvas
from .style import mix, two_lines

CROWDED_PT = 30.0  # a place whose name finds no room this near another named point is "too close" to it

# Tuning of the labels (pt at scale 1; a point label's scale with the map's `scale`).
LABEL_PAD = 1.2  # the white box behind a point label, each side: the map under it stays quiet
POINT_GAP = 1.5  # between a symbol and its label: touching, they would read as one shape
LABEL_GAP = 1.0  # between any two labels or a label and the furniture: no two boxes touch
ATTACK_LEADER_RADII = (10, 20, 32, 48, 70, 100)  # an attack is always named: its leaders may reach far
PLACE_LEADER_RADII = (9, 18, 30, 45)  # a place may go unnamed: shorter leaders, less clutter
PLACE_LEADER_COST = 20  # a place takes a leader only if nothing next to it is free
ATTACK_PRIORITY, CAPITAL_PRIORITY, TOWN_PRIORITY = 100, 60, 50  # placed first: the attacks the map is about
FOCUS_PRIORITY, COUNTRY_PRIORITY = 40, 10  # countries after the points, the focus first, larger first within
ZOOM_SLACK = 0.7  # Natural Earth's least zoom for a name is for web maps: name a country a little sooner
TOO_SMALL = 0.35  # a country with less area than this share of its smallest name's box is not named
LOOSE_AREA = 2.5  # an island country under this many name boxes may be named beside it, over the sea
NAME_SHRINKS = ((1.0, 0.0), (0.88, 1.5), (0.76, 3.0))  # a country's name smaller, at a cost, before it is dropped
RASTER_CELL = 2.0  # the grid (pt) a country's shape is sampled on: finer costs time and moves nothing
COUNTRY_MAX_OUTSIDE = 0.08  # the most of a country's name that may fall outside it (over a coast)
FOCUS_MAX_OUTSIDE = 0.6  # a focus country's name at its smallest may cross a border this far, at a cost
FOCUS_CROSSING_COST = 10  # so it does only when there is no room within


class MapLabels(MapCanvas):
    """The drawing step that names what the map shows."""

    def labels(self) -> None:
        """Candidates for every label, one placement pass, then the chosen labels drawn."""
        from .labels import place_labels

        measure = self._measurer()
        labels = self._point_labels(measure) + self._country_labels(measure)
        placement = place_labels(labels, frame=self.frame_pt, boxes=list(self.obstacles.values()),
                                 circles=self.circles, gap=LABEL_GAP * self.scale)
        self.forced = placement.forced
        for lab in labels:
            cand = placement.chosen[lab.key]
            if cand is None:
                self.dropped.append(lab.key)
                continue
            self._draw_label(lab.key, cand)

    def omissions(self, places: tuple[Any, ...]) -> list[str]:
        """Why each of `places` the map does not name is left unnamed: outside the frame, or no
        room for its name (even on a leader line), naming the nearest place or attack crowding it."""
        import numpy as np

        out = []
        shown = {f"place:{p.name}" for p in self.shown_places}
        for p in places:
            key = f"place:{p.name}"
            if key not in shown:
                out.append(f"place {p.name!r} is not named on the map: it is outside the map's frame")
            elif key in self.dropped:
                point = next(q for q in self.points if q.key == key)
                others = [q for q in self.points if q.key != key]
                near = min(others, key=lambda q: np.hypot(q.anchor[0] - point.anchor[0], q.anchor[1] - point.anchor[1]),
                           default=None)
                close = near is not None and np.hypot(near.anchor[0] - point.anchor[0],
                                                      near.anchor[1] - point.anchor[1]) < CROWDED_PT * self.scale
                why = f"too close to {near.text}" if close and near is not None else \
                    "no room for its name among the event discs and labels"
                out.append(f"place {p.name!r} is not named on the map: {why}")
        return out

    def _measurer(self) -> Any:
        @lru_cache(maxsize=None)
        def measure(text: str, size: float, bold: bool) -> tuple[float, float]:
            t = self.ax.text(0, 0, text, fontsize=size, fontweight="bold" if bold else "normal", linespacing=1.0)
            x0, y0, x1, y1 = self.box_pt(t)
            t.remove()
            return x1 - x0, y1 - y0

        return measure

    @property
    def _label_pad(self) -> float:
        return LABEL_PAD * self.scale

    def _point_labels(self, measure: Any) -> list[Any]:
        """Attacks (required: a leader line if need be), then capitals, then towns."""
        import numpy as np

        from .labels import Candidate, Label, point_candidates

        scale = self.scale
        circles = np.asarray(self.circles).reshape(-1, 3)
        out = []
        for p in self.points:
            is_attack = p.key.startswith("attack:")
            w, h = measure(p.text, (FS_ATTACK if is_attack else FS_PLACE) * scale, is_attack)
            size = (w + 2 * self._label_pad, h + 2 * self._label_pad)
            r = p.radius
            if len(circles):  # the event disc at the same spot is part of the symbol: labels go round it
                own = np.hypot(circles[:, 0] - p.anchor[0], circles[:, 1] - p.anchor[1]) <= r
                if own.any():
                    r = max(r, float(circles[own, 2].max()))
            radii = ATTACK_LEADER_RADII if is_attack else PLACE_LEADER_RADII
            cands = point_candidates(p.anchor, size, r, gap=POINT_GAP * scale,
                                     leader_radii=[r + v * scale for v in radii], tag=("point", p.key, p.text))
            if not is_attack:  # a place takes a leader only if nothing near is free
                cands = [c if c.leader is None else Candidate(c.box, c.cost + PLACE_LEADER_COST, c.leader, c.tag)
                         for c in cands]
            priority = ATTACK_PRIORITY if is_attack else (CAPITAL_PRIORITY if p.capital else TOWN_PRIORITY)
            out.append(Label(p.key, tuple(cands), priority=priority,
                             required=is_attack))
        return out

    def _country_labels(self, measure: Any) -> list[Any]:
        """A name for each country in view: where Natural Earth writes it if free, else the roomiest part."""
        import numpy as np

        from .geometry import ring_path
        from .labels import Label, area_candidates

        frame, frame_pt, scale = self.frame, self.frame_pt, self.scale
        furniture = [self.obstacles[k] for k in ("legend", "credit", "scalebar") if k in self.obstacles]
        map_w_px = (frame_pt[2] - frame_pt[0]) / 0.75  # the map's width in CSS pixels, as web zoom levels count
        zoom = math.log2(2 * math.pi * 6371008.8 / (frame.x1 - frame.x0) * map_w_px / 256)
        shapes: dict[int, tuple[Any, Any, Any]] = {}  # country index → (path, low corner, high corner), in pt
        rings_pt: dict[int, list[Any]] = {}
        for ci, rings in self.visible.items():
            rp = [self.to_pt(r[:, 0], r[:, 1]) for r in rings]
            path = ring_path(rp)
            if path is not None:
                rings_pt[ci] = rp
                shapes[ci] = (path, np.min([r.min(axis=0) for r in rp], axis=0),
                              np.max([r.max(axis=0) for r in rp], axis=0))
        out = []
        for ci, (path, lo, hi) in shapes.items():
            c = self.world.countries[ci]
            rp = rings_pt[ci]
            is_focus = c.a3 in self.focus
            if not is_focus and c.min_label > zoom + ZOOM_SLACK:
                continue  # Natural Earth names it only at larger scales
            area = sum(0.5 * abs(float(np.dot(r[:, 0], np.roll(r[:, 1], -1)) - np.dot(r[:, 1], np.roll(r[:, 0], -1))))
                       for r in rp)
            fs = (FS_FOCUS if is_focus else FS_COUNTRY) * scale
            search = (max(lo[0], frame_pt[0]), max(lo[1], frame_pt[1]), min(hi[0], frame_pt[2]), min(hi[1], frame_pt[3]))
            if search[2] <= search[0] or search[3] <= search[1]:
                continue
            (plx, ply), = self.to_pt(*frame.project(*c.label))
            point_in = frame_pt[0] + 10 <= plx <= frame_pt[2] - 10 and frame_pt[1] + 5 <= ply <= frame_pt[3] - 5
            whole = all(((r.min(axis=0) >= np.array(frame_pt[:2])) & (r.max(axis=0) <= np.array(frame_pt[2:]))).all()
                        for r in rp)
            if not (point_in and path.contains_point((plx, ply))
                    and not any(b[0] <= plx <= b[2] and b[1] <= ply <= b[3] for b in furniture)):
                if not (point_in and whole):
                    plx, ply = _pole(path, search, furniture)
            sizes = [(form, cost, *measure(form, fs, is_focus)) for form, cost in _name_forms(c)]
            min_box = min(w * h for _, _, w, h in sizes) * NAME_SHRINKS[-1][0] ** 2
            named_anyway = (point_in and whole and area >= 4.0 and c.min_label <= zoom
                            and c.kind in ("Sovereign country", "Country", "Sovereignty", "Disputed", "Indeterminate"))
            if area < TOO_SMALL * min_box and not is_focus and not named_anyway:
                continue  # too small to name at this scale
            # a small island country, or a focus country crowded by the data, may be named
            # beside its outline, over the sea, never over a neighbour
            loose = ((area < LOOSE_AREA * min_box / NAME_SHRINKS[-1][0] ** 2 and not self.world.has_land_border[ci])
                     or is_focus)
            others = None
            if loose:
                reach = 2.0 if is_focus else 1.0  # how far off its outline, in label widths (or 1.5 heights)
                gw = 0.75 * reach * max(w for _, _, w, _ in sizes)
                gh = 1.5 * reach * max(h for _, _, _, h in sizes)
                search = (max(search[0] - gw, frame_pt[0]), max(search[1] - gh, frame_pt[1]),
                          min(search[2] + gw, frame_pt[2]), min(search[3] + gh, frame_pt[3]))
                others = [p for cj, (p, lo_, hi_) in shapes.items() if cj != ci
                          and lo_[0] <= search[2] and hi_[0] >= search[0] and lo_[1] <= search[3] and hi_[1] >= search[1]]
            inside = _raster_inside(path, search, RASTER_CELL * scale, others)
            own = _raster_inside(path, search, RASTER_CELL * scale) if loose else None
            cands = []
            for form, fcost, w0, h0 in sizes:
                for shrink, scost in NAME_SHRINKS:
                    tag = ("country", c.a3, form, fs * shrink, is_focus)
                    w, h = w0 * shrink, h0 * shrink
                    cands += area_candidates(inside, (plx, ply), (w, h), search, max_outside=COUNTRY_MAX_OUTSIDE,
                                             tag=tag, base_cost=fcost + scost, limit=300, own=own)
                    if is_focus and shrink == NAME_SHRINKS[-1][0]:  # a focus country is named, across a border at worst
                        cands += area_candidates(inside, (plx, ply), (w, h), search, max_outside=FOCUS_MAX_OUTSIDE,
                                                 tag=tag, base_cost=fcost + scost + FOCUS_CROSSING_COST, limit=100,
                                                 own=own)
            priority = (FOCUS_PRIORITY if is_focus else COUNTRY_PRIORITY) + min(area / 1e4, 9.0)
            out.append(Label(f"country:{c.a3}", tuple(cands), priority=priority))
        return out

    def _draw_label(self, key: str, cand: Any) -> None:
        ax, style, scale = self.ax, self.style, self.scale
        x0, y0, x1, y1 = cand.box
        cx, cy = self.to_data((x0 + x1) / 2, (y0 + y1) / 2)
        if cand.tag[0] == "country":
            _, _, form, size, is_focus = cand.tag
            t = ax.text(cx, cy, form, ha="center", va="center", ma="center", fontsize=size,
                        fontweight="bold" if is_focus else "normal", linespacing=1.0, zorder=2,
                        color=mix(style.ink, "#ffffff", 0.2) if is_focus else mix(style.muted, "#ffffff", 0.15))
        else:
            _, _, text = cand.tag
            is_attack = key.startswith("attack:")
            size = (FS_ATTACK if is_attack else FS_PLACE) * scale
            t = ax.text(cx, cy, text, ha="center", va="center", fontsize=size, fontweight="bold" if is_attack else
                        "normal", color=style.ink, zorder=8,
                        bbox=dict(boxstyle=f"square,pad={self._label_pad / size:.3f}", facecolor="white",
                                  edgecolor="none", alpha=0.8))
            if cand.leader is not None:
                (sx, sy), (ex, ey) = cand.leader
                a, b = self.to_data(sx, sy), self.to_data(ex, ey)
                (line,) = ax.plot([a[0], b[0]], [a[1], b[1]], color=style.ink, linewidth=0.5 * scale, zorder=7.5,
                                  solid_capstyle="butt", clip_on=False)
                line.set_gid(f"leader-{_slug(key)}")
                self.leaders.append(line)
        t.set_gid(f"label-{_slug(key)}")
        self.placed[key] = t


def _name_forms(c: Any) -> list[tuple[str, float]]:
    """A country's label forms and their costs: NAME (or ADMIN where NAME is abbreviated), one line or two."""
    variants = [(c.name, 0.0)]
    if ("." in c.name or c.name.startswith(("Republic of", "Dem. Rep."))) and c.admin != c.name:
        variants = [(c.admin, 0.0), (c.name, 0.6)]  # "South Sudan", not "S. Sudan"
    forms = []
    for text, cost in variants:
        up = text.upper()
        forms.append((up, cost))
        if " " in up:
            forms.append((two_lines(up), cost + 0.8))
    return forms


def _slug(s: str) -> str:
    text = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _raster_inside(path: Any, search: Box, cell: float, others: list[Any] | None = None) -> Any:
    """A fast ``inside(points) -> bool array`` for a Path: its interior sampled once on a grid of `cell`.

    With `others` (Paths), a point also counts as inside where it lies in none of them
    (the sea beside a small island country).
    """
    import numpy as np

    x0, y0, x1, y1 = search
    nx, ny = max(1, int(math.ceil((x1 - x0) / cell))), max(1, int(math.ceil((y1 - y0) / cell)))
    gx, gy = np.meshgrid(x0 + (np.arange(nx) + 0.5) * cell, y0 + (np.arange(ny) + 0.5) * cell)
    grid = np.column_stack((gx.ravel(), gy.ravel()))

    def within(p: Any) -> Any:  # only the grid points in the path's box are tested against it
        e = p.get_extents()
        near = np.flatnonzero((grid[:, 0] >= e.x0) & (grid[:, 0] <= e.x1) & (grid[:, 1] >= e.y0)
                              & (grid[:, 1] <= e.y1))
        out = np.zeros(len(grid), dtype=bool)
        if len(near):
            out[near] = p.contains_points(grid[near])
        return out

    mask = within(path)
    if others is not None:
        free = np.ones(len(grid), dtype=bool)
        for o in others:
            free &= ~within(o)
        mask |= free
    mask = mask.reshape(ny, nx)

    def inside(pts: Any) -> Any:
        i = np.floor((pts[:, 0] - x0) / cell).astype(np.int64)
        j = np.floor((pts[:, 1] - y0) / cell).astype(np.int64)
        ok = (i >= 0) & (i < nx) & (j >= 0) & (j < ny)
        out = np.zeros(len(pts), dtype=bool)
        out[ok] = mask[j[ok], i[ok]]
        return out

    return inside


def _pole(path: Any, search: Box, avoid: list[Box], n: int = 28) -> tuple[float, float]:
    """Roughly the point of an area (a Path, in points) within `search` farthest from its edge.

    Boxes in `avoid` (the legend) count as outside the area, and so does the frame's edge.
    """
    import numpy as np

    x0, y0, x1, y1 = search
    gx, gy = np.meshgrid(np.linspace(x0, x1, n + 2)[1:-1], np.linspace(y0, y1, n + 2)[1:-1])
    pts = np.column_stack((gx.ravel(), gy.ravel()))
    inside = path.contains_points(pts)
    for b in avoid:
        inside &= ~((pts[:, 0] >= b[0]) & (pts[:, 0] <= b[2]) & (pts[:, 1] >= b[1]) & (pts[:, 1] <= b[3]))
    if not inside.any():
        return ((x0 + x1) / 2, (y0 + y1) / 2)
    pts = pts[inside]
    v = path.vertices
    seg_a, seg_b = v[:-1], v[1:]
    d = seg_b - seg_a
    ll = np.maximum((d ** 2).sum(axis=1), 1e-12)
    t = np.clip(((pts[:, None, :] - seg_a[None]) * d[None]).sum(axis=2) / ll[None], 0, 1)
    near = seg_a[None] + t[..., None] * d[None]
    dist = np.hypot(*(pts[:, None, :] - near).transpose(2, 0, 1)).min(axis=1)
    dist = np.minimum(dist, np.minimum.reduce([pts[:, 0] - x0, x1 - pts[:, 0], (pts[:, 1] - y0) * 2.5,
                                               (y1 - pts[:, 1]) * 2.5]))
    for b in avoid:
        dx = np.maximum(np.maximum(b[0] - pts[:, 0], pts[:, 0] - b[2]), 0)
        dy = np.maximum(np.maximum(b[1] - pts[:, 1], pts[:, 1] - b[3]), 0)
        dist = np.minimum(dist, np.hypot(dx, dy * 2.5))
    k = int(np.argmax(dist))
    return float(pts[k, 0]), float(pts[k, 1])
