"""The activity map's drawing surface: axes fitted to the frame, the map's colours, type and
symbol sizes, and conversions between map units and points (1/72 inch from the figure's lower left)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..model import Attack, Figure, Place, Style
from .style import mix

# type sizes (pt at the map's REFERENCE_SIZE)
FS_PLACE, FS_ATTACK, FS_COUNTRY, FS_FOCUS, FS_LEGEND, FS_CREDIT = 7.0, 7.5, 6.6, 8.6, 6.8, 6.5
ATTACK_MARKER: tuple[int, Literal[0, 1, 2], int] = (8, 1, 0)  # an eight-pointed burst
INSET = 1.0 / 72  # inch between the figure's edge and the frame line
LARGEST_DISC = 13.0  # pt across, at the reference size: the place with the most events
ATTACK_COLOUR = "#f2c230"

Box = tuple[float, float, float, float]


@dataclass
class LabelPoint:
    """A symbol to be labelled: its key, its label's text, where it is and how big."""

    key: str  # "attack:…" or "place:…"
    text: str
    anchor: tuple[float, float]  # pt
    radius: float  # pt: the symbol's
    capital: bool = False


class MapCanvas:
    """What the drawing steps share: axes, frame, colours, unit conversions, and what labels must avoid."""

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
        self.frame_pt: Box = tuple(v * self.pt_per_px for v in (fb.x0, fb.y0, fb.x1, fb.y1))
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
        self.points: list[LabelPoint] = []
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
