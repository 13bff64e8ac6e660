"""The activity map: events per place as discs, key attacks and places named, anywhere on Earth, offline.

The frame follows the data (every place with events, every key attack of the map's window)
unless the figure gives an ``extent`` or ``countries`` to frame; the projection is a
Lambert azimuthal equal-area plane centred on the frame (``frame.py``).  Countries, lakes
and rivers come from Natural Earth data shipped in ``jnim_export.geodata`` (``world.py``,
``water.py``).  Every label (key attacks, places, the names of the
countries in view, the focus countries — those with events or key attacks — in bold) is
placed in one pass so that none overlaps another, an event disc, a marker, the legend,
the scale bar or the credit (``labels.py``).  Key attacks are always labelled, with a
leader line where the symbol is crowded.

The drawing's parts: ``mapcanvas.py`` (axes, colours, sizes, units), ``mapsymbols.py`` (event
discs, place and key-attack markers), ``mapfurniture.py`` (legend, credit, scale bar),
``maplabels.py`` (every label), ``water.py`` (lakes and rivers); the base map is drawn here.

Only the drawing imports numpy and matplotlib: the cache key (``key_inputs``) and
``shown_attacks`` need neither.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .. import geodata
from ..model import Attack, Figure, Place, Style
from .mapcanvas import FS_ATTACK, FS_COUNTRY, FS_CREDIT, FS_FOCUS, FS_LEGEND, FS_PLACE, INSET, Box
from .mapfurniture import MapFurniture, legend_steps
from .maplabels import MapLabels
from .mapsymbols import MapSymbols
from . import water
from .water import water_in_frame

__all__ = ["LIBRARIES", "REFERENCE_SIZE", "SMALLEST_PT", "MapResult", "data_points", "draw", "frame_of", "key_inputs", "legend_steps",
           "shown_attacks"]

LIBRARIES = ("matplotlib", "numpy")  # and the country and water data's hashes (key_inputs)
REFERENCE_SIZE = (6.5, 4.0)  # inches: the size at which the type sizes (mapcanvas.py) are right
SMALLEST_PT = min(FS_ATTACK, FS_COUNTRY, FS_CREDIT, FS_FOCUS, FS_LEGEND, FS_PLACE)  # at the reference size


# --------------------------------------------------------------------------- what the map shows


def shown_attacks(figure: Figure, attacks: tuple[Attack, ...]) -> list[Attack]:
    """The key attacks of the map's window: its place counts cover that window, so no others are drawn."""
    return [a for a in attacks if figure.in_window(a.month)]


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


def key_inputs(payload: dict, figure: Figure, attacks: tuple[Attack, ...], places: tuple[Place, ...],
               style: Style) -> None:
    """Add what a map draws beside its data to a cache-key payload."""
    payload["attacks"] = [[a.date, a.place, a.country, a.latitude, a.longitude]
                          for a in shown_attacks(figure, attacks)]
    payload["places"] = [[p.name, p.latitude, p.longitude, p.capital] for p in places]
    payload["frame"] = {"extent": list(figure.extent) if figure.extent else None, "countries": list(figure.countries)}
    payload["countries_data"] = geodata.sha256()
    payload["water_data"] = water.sha256()
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
    notes: list[str]  # what a reader should be told: each place of the content left unnamed, and why


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
    return m.result(places)


class _Map(MapSymbols, MapFurniture, MapLabels):
    """The drawing steps: the base map here; symbols, furniture and labels from their modules."""

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

        def arc_xy(ref: int | np.integer) -> Any:
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
        # lakes and rivers (no rivers at continental scale)
        width_km = frame.width_km
        lakes = water_in_frame("lake", frame, min_area=max(20.0, (width_km ** 2) * 2e-5))
        path = ring_path(clip_rings(lakes, box)) if lakes else None
        if path is not None:
            self.add(PathPatch(path, facecolor=self.ocean, edgecolor="none", linewidth=0, zorder=0.7))
        rivers = water_in_frame("river", frame) if width_km < 5000 else []
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

    def result(self, places: tuple[Place, ...]) -> MapResult:
        return MapResult(frame=self.frame, labels=self.placed, leaders=self.leaders, dropped=self.dropped,
                         forced=self.forced, focus=sorted(self.focus), circles=self.circles,
                         obstacles=dict(self.obstacles), notes=self.omissions(places))
