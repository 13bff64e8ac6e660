"""The monthly chart: events per month, stacked by category or as one bar, key attacks marked."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..model import Attack, Figure, MonthCount, Place, Style
from .style import credit, mix, two_lines

LIBRARIES = ("matplotlib",)
REFERENCE_SIZE = (6.5, 3.2)  # inches: the size at which the type sizes below are right
PT = 1 / 72  # inch


def shown_attacks(figure: Figure, attacks: tuple[Attack, ...]) -> list[Attack]:
    """The key attacks in the chart's window."""
    months = {m.month for m in figure.months()}
    return [a for a in attacks if a.month in months]


def key_inputs(payload: dict, figure: Figure, attacks: tuple[Attack, ...], places: tuple[Place, ...],
               style: Style) -> None:
    """Add what a chart draws beside its data to a cache-key payload."""
    payload["data"]["stacked"] = figure.stacked
    payload["attacks"] = [[a.date, a.place] for a in shown_attacks(figure, attacks)]
    if figure.stacked:
        payload["style"]["palette"] = list(style.palette)
    else:
        payload["style"]["accent"] = style.accent


@dataclass
class _Chart:
    """What the drawing steps share."""

    fig: Any
    ax: Any
    renderer: Any
    figure: Figure
    months: tuple[MonthCount, ...]
    totals: Any  # numpy array of events per month
    style: Style
    scale: float

    def size(self, pt: float) -> float:
        return pt * self.scale


def draw(fig: Any, figure: Figure, *, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style,
         scale: float) -> None:
    import numpy as np

    months: tuple[MonthCount, ...] = figure.months()
    if not months:
        raise ValueError(f"figure {figure.id!r}: no months of data in its window {figure.start}..{figure.end}")
    renderer = fig.canvas.get_renderer()
    ax = fig.add_axes((0.1, 0.2, 0.85, 0.65))
    ax.set_facecolor("white")
    c = _Chart(fig, ax, renderer, figure, months, np.array([m.total for m in months], dtype=float), style, scale)
    handles = _bars(c)
    _axes(c)
    _month_ticks(c)
    marked = shown_attacks(figure, attacks)
    legend = _legend(c, handles, bool(marked))
    source = fig.text(0.01, 0.012, credit(figure), ha="left", va="bottom", fontsize=c.size(6.8),
                      color=style.muted)
    if source.get_window_extent(renderer).width > fig.bbox.width * 0.96:  # a long attribution: two lines
        source.set_text(two_lines(source.get_text()))
    _fit_axes(c, legend, source)
    if marked:
        by_month: dict[int, list[str]] = {}
        index = {m.month: i for i, m in enumerate(months)}
        for a in marked:
            names = by_month.setdefault(index[a.month], [])
            if a.place not in names:
                names.append(a.place)
        _annotate_attacks(fig, ax, renderer, by_month, c.totals, style, scale, c.size(7.5))
        _fit_axes(c, legend, source)
        _annotate_attacks(fig, ax, renderer, by_month, c.totals, style, scale, c.size(7.5))


def _bars(c: _Chart) -> list[Any]:
    """The bars; legend handles of the categories drawn (stacked charts)."""
    import numpy as np
    from matplotlib.patches import Patch

    n = len(c.months)
    x = np.arange(n)
    handles: list[Any] = []
    if not c.figure.stacked:
        c.ax.bar(x, c.totals, width=0.72, color=c.style.accent, linewidth=0, zorder=2, clip_on=False)
        return handles
    bottom = np.zeros(n)
    assert c.figure.data is not None
    for i, cat in enumerate(c.figure.data.categories):
        values = np.array([dict(m.counts).get(cat, 0) for m in c.months], dtype=float)
        if not values.any():
            continue
        colour = c.style.palette[i % len(c.style.palette)]
        # unclipped: cheaper to read back (svglib); the y axis reaches the tallest bar
        c.ax.bar(x, values, width=0.72, bottom=bottom, color=colour, linewidth=0, zorder=2, clip_on=False)
        bottom += values
        handles.append(Patch(facecolor=colour, edgecolor="none", label=cat))
    return handles


def _axes(c: _Chart) -> None:
    """Spines, grid, the value axis and its label."""
    from matplotlib.ticker import MaxNLocator

    ax, style = c.ax, c.style
    n = len(c.months)
    top_total = float(c.totals.max()) if c.totals.max() > 0 else 1.0
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_color(style.ink)
    ax.spines["bottom"].set_linewidth(0.8)
    ax.spines["bottom"].set_zorder(3)
    ax.yaxis.grid(True, color=mix(style.muted, "#ffffff", 0.72), linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    locator = MaxNLocator(nbins=5, integer=True, min_n_ticks=3)
    ax.yaxis.set_major_locator(locator)
    ax.tick_params(axis="y", length=0, labelsize=c.size(7.5), pad=3 * c.scale)
    ax.tick_params(axis="x", length=2.5 * c.scale, width=0.6, labelsize=c.size(7.5), pad=2.5 * c.scale)
    ax.set_ylabel("Events per month", fontsize=c.size(8), labelpad=5 * c.scale)
    ax.set_xlim(-0.6, n - 0.4)
    # the axis ends at the first tick at or above the tallest bar
    ax.set_ylim(0, min((float(t) for t in locator.tick_values(0, top_total) if t >= top_total), default=top_total))


def _month_ticks(c: _Chart) -> None:
    """Month labels: every month if they fit, else every 2nd, 3rd, ... month; the year where it changes."""
    import numpy as np

    from .. import dates

    months, n = c.months, len(c.months)
    w_in, _ = c.fig.get_size_inches()
    char_w = 0.56 * c.size(7.5) * PT  # average width of a character, inches
    slot = (w_in * 0.86) / n  # axes width / months, inches (about; the layout is measured later)
    step = 1
    while step < n and not _year_labels_fit(months, step, char_w, slot):
        step += 1
    ticks = list(range(0, n, step))
    labels = []
    last_year = None
    for t in ticks:
        y = months[t].month[:4]
        labels.append(dates.month_label(months[t].month, year=y != last_year))
        last_year = y
    c.ax.set_xticks(ticks, labels)
    c.ax.set_xticks(np.arange(n), minor=True)
    c.ax.tick_params(axis="x", which="minor", length=1.5 * c.scale, width=0.5)


def _legend(c: _Chart, handles: list[Any], attacks: bool) -> Any:
    """The legend above the plot, flush left with the source line; two rows if one is too wide."""
    from matplotlib.lines import Line2D

    if attacks:
        handles = handles + [Line2D([], [], linestyle="none", marker="v", markersize=5 * c.scale,
                                    color=c.style.ink, label="Key attack")]
    if not handles:
        return None
    def legend(ncol: int) -> Any:
        return c.fig.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(0, 1), ncol=ncol, frameon=False,
            fontsize=c.size(7.5), handlelength=1.0, handleheight=0.8, handletextpad=0.4, columnspacing=1.1,
            borderaxespad=0.3,
        )

    one_row = legend(len(handles))
    if one_row.get_window_extent(c.renderer).width <= c.fig.bbox.width * 0.98:
        return one_row
    one_row.remove()
    return legend(math.ceil(len(handles) / 2))


def _fit_axes(c: _Chart, legend: Any, source: Any) -> None:
    """Fit the axes between what surrounds it (measured, in inches)."""
    fig, ax, renderer, scale = c.fig, c.ax, c.renderer, c.scale
    w_in, h_in = fig.get_size_inches()
    dpi = fig.dpi
    ytick_w = max((t.get_window_extent(renderer).width for t in ax.get_yticklabels() if t.get_text()), default=0)
    ylabel_w = ax.yaxis.label.get_window_extent(renderer).width
    left = (ytick_w + ylabel_w) / dpi + (3 + 5 + 6) * scale * PT
    xtick_h = max((t.get_window_extent(renderer).height for t in ax.get_xticklabels() if t.get_text()), default=0)
    credit_h = source.get_window_extent(renderer).height
    bottom = (xtick_h + credit_h) / dpi + (2.5 + 2.5 + 7) * scale * PT
    if legend:
        top = (fig.bbox.y1 - legend.get_window_extent(renderer).y0) / dpi + 6 * scale * PT
    else:
        top = 8 * scale * PT
    right = 6 * scale * PT
    source.set_x(4 * scale * PT / w_in)
    ax.set_position((left / w_in, bottom / h_in, 1 - (left + right) / w_in, 1 - (top + bottom) / h_in))


def _year_labels_fit(months: tuple[MonthCount, ...], step: int, char_w: float, slot: float) -> bool:
    """Do labels at every `step`-th month fit when the year is only on the first and on Januaries?

    A year label ("Jan 2018") is about 8 characters, a month label 3; each pair of
    neighbours must fit in `step` slots.
    """
    ticks = list(range(0, len(months), step))
    widths = []
    last = None
    for t in ticks:
        y = months[t].month[:4]
        widths.append((8 if y != last else 3) * char_w)
        last = y
    gap = 0.07
    return all((a + b) / 2 + gap <= slot * step for a, b in zip(widths, widths[1:], strict=False))


def _annotate_attacks(
    fig: Any,
    ax: Any,
    renderer: Any,
    by_month: dict[int, list[str]],
    totals: Any,
    style: Style,
    scale: float,
    fontsize: float,
) -> None:
    """Mark each key-attack month with a marker above its bar and its place above that.

    A label sits centred over its bar, or starts or ends there, whichever lets it sit
    lowest without crossing a neighbouring bar or another label; a thin line joins a
    lifted label to its marker.  The y axis grows until every label fits.
    """
    n = len(totals)
    placed: list[Any] = [a for a in (*ax.lines, *ax.texts) if a.get_gid() == "attack"]
    for _ in range(4):
        for artist in placed:
            artist.remove()
        placed = []
        ax_bb = ax.get_window_extent(renderer)
        ymax = ax.get_ylim()[1]
        xlo, xhi = ax.get_xlim()
        per_pt_y = ymax / (ax_bb.height * 72 / fig.dpi)
        per_pt_x = (xhi - xlo) / (ax_bb.width * 72 / fig.dpi)
        marker_h = 5 * scale * per_pt_y
        boxes: list[tuple[float, float, float, float]] = []  # x0, x1, y0, y1 of placed labels
        highest = 0.0
        for i, names in sorted(by_month.items()):
            text = " / ".join(names)
            probe = ax.text(0, 0, text, fontsize=fontsize, fontweight="bold")
            tb = probe.get_window_extent(renderer)
            probe.remove()
            width = tb.width * 72 / fig.dpi * per_pt_x
            height = tb.height * 72 / fig.dpi * per_pt_y
            my = totals[i] + 1.5 * scale * per_pt_y + marker_h / 2  # marker centre
            base = my + marker_h / 2 + 1.5 * scale * per_pt_y
            best = None
            for rank, (ha, x) in enumerate((("center", i), ("left", i - 0.3), ("right", i + 0.3))):
                x0 = {"center": x - width / 2, "left": x, "right": x - width}[ha]
                x1 = x0 + width
                if (x0 < xlo - 0.1 or x1 > xhi + 0.1) and rank:
                    continue
                y = base
                crossed = [totals[j] for j in range(n) if j != i and j + 0.36 > x0 and j - 0.36 < x1]
                y = max([y] + [t + 2.5 * scale * per_pt_y for t in crossed])
                moved = True
                while moved:
                    moved = False
                    for bx0, bx1, by0, by1 in boxes:
                        if bx0 < x1 + 0.1 and x0 - 0.1 < bx1 and by0 < y + height and y < by1:
                            y = by1 + 1.5 * scale * per_pt_y
                            moved = True
                if best is None or y < best[0] - 1e-9:
                    best = (y, ha, x, x0, x1)
            assert best is not None
            y, ha, x, x0, x1 = best
            boxes.append((x0, x1, y, y + height))
            highest = max(highest, y + height)
            placed += ax.plot([i], [my], linestyle="none", marker="v", markersize=5 * scale, color=style.ink,
                              zorder=5, clip_on=False)
            placed.append(ax.text(x, y, text, ha=ha, va="bottom", fontsize=fontsize, fontweight="bold",
                                  color=style.ink, zorder=6, clip_on=False))
            if y > base + 0.5 * scale * per_pt_y:
                placed += ax.plot([i, i], [my + marker_h / 2, y], color=style.ink, linewidth=0.5 * scale, zorder=5,
                                  clip_on=False)
        for artist in placed:
            artist.set_gid("attack")
        if highest <= ymax:
            break
        ax.set_ylim(0, highest + 1.5 * scale * per_pt_y)

