"""The map's symbols: event discs sized by count, place markers (capitals square, towns round) and
key-attack bursts, each an obstacle the labels avoid."""

from __future__ import annotations

from .. import dates, geodata
from ..model import Attack, Place
from .mapcanvas import ATTACK_COLOUR, ATTACK_MARKER, LARGEST_DISC, LabelPoint, MapCanvas


def attack_label(attack: Attack) -> str:
    """A key attack's label: its place and month."""
    return f"{attack.place} ({dates.month_label(attack.month, year=True)})"


def _named_by(attack: Attack, place: Place) -> bool:
    """Does the attack's label name this place (same spot, the place's name in it)? Then it stands for both."""
    same_spot = abs(place.latitude - attack.latitude) < 0.1 and abs(place.longitude - attack.longitude) < 0.1
    return same_spot and geodata.norm(place.name) in geodata.norm(attack.place)


class MapSymbols(MapCanvas):
    """The drawing steps that put symbols on the map."""

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
                self.points.append(LabelPoint(key, p.name, (cx, cy), r, p.capital))
        for a in self.shown_attacks:
            x, y = self.frame.project(a.longitude, a.latitude)
            (cx, cy), = self.to_pt(x, y)
            r = 5.6 * scale
            ax.plot(x, y, marker=ATTACK_MARKER, markersize=11 * scale, color=ATTACK_COLOUR, markeredgecolor=style.ink,
                    markeredgewidth=0.7 * scale, linestyle="none", zorder=5.5, clip_on=self.spills((cx, cy), r + 0.4))
            key = f"attack:{a.id}"
            self.obstacles[key] = (cx - r, cy - r, cx + r, cy + r)
            self.points.append(LabelPoint(key, attack_label(a), (cx, cy), r))
