"""The map's furniture: the legend, in the corner where it hides least, the data credit and the scale bar."""

from __future__ import annotations

import math

from .mapcanvas import ATTACK_COLOUR, ATTACK_MARKER, FS_CREDIT, FS_LEGEND, Box, MapCanvas
from .style import credit, mix, two_lines

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


class MapFurniture(MapCanvas):
    """The drawing steps that add the legend, the credit and the scale bar."""

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
