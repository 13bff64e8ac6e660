"""The monthly chart: events per month, stacked by category or as one bar, key attacks marked.

`draw_monthly` draws any monthly bar chart (this one and `fatalities`): bars, the value axis,
month labels, a legend above the plot and the key attacks of `Figure.marked_attacks`, each
a marker over its month's bar and its place's name above that. Labels are laid out in
points, never over a bar, a marker, a connecting line or another label, and inside the plot
(below the legend, right of the value labels): the value axis grows until they fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..fonts import FAMILIES, line_extent, text_width
from ..model import Attack, Figure, MonthCount, Place, Style
from .style import credit, mix, two_lines

LIBRARIES = ("matplotlib",)
REFERENCE_SIZE = (6.5, 3.2)  # inches: the size at which the type sizes below are right
SMALLEST_PT = 6.8  # the least type below (the credit line), at the reference size
PT = 1 / 72  # inch
BAR_WIDTH = 0.72  # of a month's slot


def shown_attacks(figure: Figure, attacks: tuple[Attack, ...]) -> list[Attack]:
    """The key attacks the chart marks (`Figure.marked_attacks`: the same in every output)."""
    return list(figure.marked_attacks(attacks))


def key_inputs(payload: dict, figure: Figure, attacks: tuple[Attack, ...], places: tuple[Place, ...],
               style: Style) -> None:
    """Add what a chart draws beside its data to a cache-key payload."""
    payload["data"]["stacked"] = figure.stacked
    payload["attacks"] = [[a.date, a.place] for a in shown_attacks(figure, attacks)]
    if figure.stacked:
        payload["style"]["palette"] = list(style.palette)
    else:
        payload["style"]["accent"] = style.accent


@dataclass(frozen=True)
class Series:
    """One bar series of a monthly chart: its legend label (None: not in the legend), colour, values."""

    label: str | None
    colour: str
    values: tuple[float, ...]


def series(figure: Figure, style: Style) -> list[Series]:
    """A monthly figure's drawn columns (`Figure.table`), stacked: by category, coloured by its
    palette slot and in the legend when the chart is stacked, else one series in the accent."""
    table = figure.table()
    out = []
    for name, values, slot in table.series() if table else ():
        if figure.stacked and any(values):
            out.append(Series(name, style.palette[slot % len(style.palette)], tuple(map(float, values))))
        else:
            out.append(Series(None, style.accent, tuple(map(float, values))))
    return out


def draw(fig: Any, figure: Figure, *, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style,
         scale: float) -> None:
    draw_monthly(fig, figure, series(figure, style), "Events per month", attacks=attacks, style=style, scale=scale)


@dataclass
class _Chart:
    """What the drawing steps share."""

    fig: Any
    ax: Any
    renderer: Any
    figure: Figure
    months: tuple[MonthCount, ...]
    totals: Any  # numpy array of the bars' heights per month
    style: Style
    scale: float
    placed: list[Any] = field(default_factory=list)  # the attack artists drawn

    def size(self, pt: float) -> float:
        return pt * self.scale


def draw_monthly(fig: Any, figure: Figure, bars: list[Series], ylabel: str, *, attacks: tuple[Attack, ...],
                 style: Style, scale: float, line: bool = False) -> None:
    """A monthly bar chart of `bars` (stacked in order), or a `line` of the first, with the
    figure's key attacks marked."""
    import numpy as np

    months: tuple[MonthCount, ...] = figure.months()
    if not months:
        raise ValueError(f"figure {figure.id!r}: no months of data in its window {figure.start}..{figure.end}")
    renderer = fig.canvas.get_renderer()
    ax = fig.add_axes((0.1, 0.2, 0.85, 0.65))
    ax.set_facecolor("white")
    totals = np.sum([np.array(s.values, dtype=float) for s in bars], axis=0)
    c = _Chart(fig, ax, renderer, figure, months, totals, style, scale)
    handles = _line(c, bars[0]) if line else _bars(c, bars)
    _axes(c, ylabel)
    _month_ticks(c)
    marked = shown_attacks(figure, attacks)
    legend = _legend(c, handles, bool(marked))
    source = fig.text(0.01, 0.012, credit(figure), ha="left", va="bottom", fontsize=c.size(6.8),
                      color=style.muted)
    if source.get_window_extent(renderer).width > fig.bbox.width * 0.96:  # a long attribution: two lines
        source.set_text(two_lines(source.get_text()))
    _fit_axes(c, legend, source)
    if not marked:
        return
    index = {m.month: i for i, m in enumerate(months)}
    by_month: dict[int, list[str]] = {}
    for a in marked:
        names = by_month.setdefault(index[a.month], [])
        if a.place not in names:
            names.append(a.place)
    # the value axis a layout needs changes the value labels' width, and so the plot's: lay out
    # again until the plot stays where it is
    for _ in range(4):
        before = ax.get_position().bounds
        _annotate_attacks(c, by_month, c.size(7.5))
        _fit_axes(c, legend, source)
        if ax.get_position().bounds == before:
            break
    _annotate_attacks(c, by_month, c.size(7.5))


def _bars(c: _Chart, bars: list[Series]) -> list[Any]:
    """The bars, stacked; legend handles of the labelled series."""
    import numpy as np
    from matplotlib.patches import Patch

    n = len(c.months)
    x = np.arange(n)
    handles: list[Any] = []
    bottom = np.zeros(n)
    for k, s in enumerate(bars):
        values = np.array(s.values, dtype=float)
        # unclipped: cheaper to read back (svglib); the y axis reaches the tallest bar
        drawn = c.ax.bar(x, values, width=BAR_WIDTH, bottom=bottom, color=s.colour, linewidth=0, zorder=2,
                         clip_on=False)
        for j, patch in enumerate(drawn.patches):
            patch.set_gid(f"bar-{k}-{j}")
        bottom += values
        if s.label is not None:
            handles.append(Patch(facecolor=s.colour, edgecolor="none", label=s.label))
    return handles


def _line(c: _Chart, s: Series) -> list[Any]:
    """One series as a line with a dot per month (a running total); no legend entry."""
    import numpy as np

    drawn = c.ax.plot(np.arange(len(c.months)), np.array(s.values, dtype=float), color=s.colour,
                      linewidth=1.6 * c.scale, marker="o", markersize=2.6 * c.scale, zorder=2, clip_on=False)
    drawn[0].set_gid("line-0")
    return []


def _axes(c: _Chart, ylabel: str) -> None:
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
    ax.set_ylabel(ylabel, fontsize=c.size(8), labelpad=5 * c.scale)
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
    """The legend above the plot, flush left with the source line; in as few rows as fit its width."""
    from matplotlib.lines import Line2D

    if attacks:
        handles = handles + [Line2D([], [], linestyle="none", marker="v", markersize=5 * c.scale,
                                    color=c.style.ink, label="Key attack")]
    if not handles:
        return None

    def legend(ncol: int) -> Any:
        made = c.fig.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(0, 1), ncol=ncol, frameon=False,
            fontsize=c.size(7.5), handlelength=1.0, handleheight=0.8, handletextpad=0.4, columnspacing=1.1,
            borderaxespad=0.3,
        )
        made.set_gid("legend")
        return made

    for rows in range(1, len(handles) + 1):
        made = legend(math.ceil(len(handles) / rows))
        if made.get_window_extent(c.renderer).width <= c.fig.bbox.width * 0.98 or rows == len(handles):
            return made
        made.remove()
    return None


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


@dataclass(frozen=True)
class Label:
    """A key-attack label laid out over the plot, in points from the plot's lower left corner."""

    month: int
    text: str
    x0: float
    y0: float
    w: float
    h: float
    marker_top: float  # where the marker ends and a connecting line (if the label is lifted) starts

    @property
    def lifted(self) -> bool:
        return self.y0 > self.marker_top + 0.01


def layout_labels(tops: list[float], centres: list[float], texts: dict[int, tuple[str, float, float]], *,
                  plot_w: float, bar_w: float, marker: float, gap: float) -> list[Label]:
    """Place a label over each marked month, never crossing a bar, a marker, a line or a label.

    All in points, the plot's lower left corner at (0, 0): `tops` and `centres` of every
    month's bar, `texts` {month: (text, width, height)}, the plot's width, a bar's width, a
    marker's height and the gap kept around everything. The plot's height is not a limit
    here: the caller grows the value axis until the labels fit.

    A label sits centred over its bar, or starts or ends there (within the plot's width),
    whichever covers the fewest other marked months; a label lifted off its marker hangs on
    a line down to it. A label covering another marked month must sit above that month's
    label, or that label's line would cross it: labels are placed lowest first in that order,
    each as low as the bars, markers, lines and labels already placed let it.
    """
    obstacles: list[tuple[float, float, float, float]] = [  # x0, x1, y0, y1
        (cx - bar_w / 2, cx + bar_w / 2, -1e9, top) for cx, top in zip(centres, tops, strict=True)
    ]
    for i in texts:  # every marker, before any label is placed
        cx, top = centres[i], tops[i]
        obstacles.append((cx - marker / 2, cx + marker / 2, top, top + gap + marker))
    slot = bar_w / BAR_WIDTH

    def covered(i: int, x0: float, w: float) -> list[int]:
        return [j for j in texts if j != i and x0 - gap < centres[j] < x0 + w + gap]

    # where each label stands across: the position likely to let it sit lowest, counting the
    # tallest bar under it and a label's height for each other marked month it covers (whose
    # label must then sit below it)
    spans: dict[int, float] = {}
    for i, (_, w, h) in texts.items():
        cx = centres[i]
        options = []
        for rank, x0 in enumerate((cx - w / 2, cx - 0.3 * slot, cx + 0.3 * slot - w)):
            x0 = max(0.0, min(x0, plot_w - w)) if w <= plot_w else 0.0
            under = max(top for c, top in zip(centres, tops, strict=True) if x0 - bar_w / 2 < c < x0 + w + bar_w / 2)
            options.append((max(under, tops[i]) + len(covered(i, x0, w)) * (h + 2 * gap), rank, x0))
        spans[i] = min(options)[2]
    # the order: a label covering another month's comes after (above) that month's label
    below = {i: set(covered(i, spans[i], texts[i][1])) for i in texts}
    order: list[int] = []
    while len(order) < len(texts):
        ready = [i for i in sorted(texts) if i not in order and below[i] <= set(order)]
        # labels covering each other's months (too wide to avoid it): the earlier month first
        order.append(ready[0] if ready else min(i for i in texts if i not in order))
    labels: dict[int, Label] = {}
    for i in order:
        text, w, h = texts[i]
        cx, x0 = centres[i], spans[i]
        x1 = x0 + w
        marker_top = tops[i] + gap + marker
        y = marker_top + gap
        moved = True
        while moved:
            moved = False
            for ox0, ox1, oy0, oy1 in obstacles:
                # (a thousandth of a point of tolerance: y moves by sums that do not round back)
                if ox0 < x1 + gap - 1e-3 and x0 - gap < ox1 - 1e-3 and oy0 < y + h + gap - 1e-3 \
                        and y - gap < oy1 - 1e-3:
                    y = oy1 + gap
                    moved = True
        label = Label(i, text, x0, y, w, h, marker_top)
        labels[i] = label
        obstacles.append((x0, x1, y, y + h))
        if label.lifted:  # the line joining it to its marker
            obstacles.append((cx - 0.5, cx + 0.5, marker_top, y))
    return [labels[i] for i in sorted(labels)]


def _wrapped(names: list[str], width: Any, room: float) -> list[str]:
    """The places of one month's label, " / " between them, in as many lines as keep each within
    `room` (points; `width` measures a line): a month with many key attacks never runs off the plot."""
    lines: list[str] = []
    for name in names:
        joined = f"{lines[-1]} / {name}" if lines else name
        if lines and width(joined) > room:
            lines.append(name)
        elif lines:
            lines[-1] = joined
        else:
            lines.append(name)
    return lines


def _annotate_attacks(c: _Chart, by_month: dict[int, list[str]], fontsize: float) -> None:
    """Mark each key-attack month with a marker above its bar and its places' names above that.

    The labels are laid out in points (`layout_labels`) for the plot as it is; while they reach
    above the plot, the value axis grows (so the bars shrink) and they are laid out again.
    """
    fig, ax, renderer, scale, style = c.fig, c.ax, c.renderer, c.scale, c.style
    if style.sans not in FAMILIES:
        raise ValueError(f"no metrics for the font {style.sans!r}")
    for artist in c.placed:
        artist.remove()
    c.placed = []
    to_pt = 72 / fig.dpi
    box = ax.get_window_extent(renderer)
    plot_w, plot_h = box.width * to_pt, box.height * to_pt
    xlo, xhi = ax.get_xlim()
    per_x = plot_w / (xhi - xlo)  # points per month slot
    centres = [(j - xlo) * per_x for j in range(len(c.totals))]
    # a label's box: its advance width by the font's line height, accents and all (what a reader
    # of the file measures too), whatever the glyphs of this text happen to reach
    ascent, descent = line_extent(style.sans, bold=True)
    texts = {}
    for i, names in by_month.items():
        lines = _wrapped(names, lambda s: text_width(s, style.sans, fontsize, bold=True), plot_w)
        width = max(text_width(line, style.sans, fontsize, bold=True) for line in lines)
        texts[i] = ("\n".join(lines), width, len(lines) * (ascent + descent) * fontsize)
    marker, gap = 5 * scale, 1.5 * scale
    ymax = ax.get_ylim()[1]
    tallest = float(c.totals.max())
    for _ in range(60):
        tops = [float(t) / ymax * plot_h for t in c.totals]
        labels = layout_labels(tops, centres, texts, plot_w=plot_w, bar_w=BAR_WIDTH * per_x, marker=marker, gap=gap)
        highest = max(lb.y0 + lb.h for lb in labels)
        if highest <= plot_h:
            break
        # the bars' share of the height shrinks by what the labels lack, at least by 4 per cent
        ymax *= max(1.04, highest / plot_h)
        if tallest <= 0:
            break
    ax.set_ylim(0, ymax)
    per_y = ymax / plot_h  # data units per point
    for lb in labels:
        i = lb.month
        x = xlo + centres[i] / per_x
        my = (tops[i] + gap + marker / 2) * per_y
        markers = ax.plot([x], [my], linestyle="none", marker="v", markersize=marker, color=style.ink, zorder=5,
                          clip_on=False)
        markers[0].set_gid(f"attack-marker-{i}")
        # the last line's baseline; lines (ascent + descent) apart at a line spacing of 1
        text = ax.text(xlo + lb.x0 / per_x, (lb.y0 + descent * fontsize) * per_y, lb.text, ha="left",
                       va="baseline", fontsize=fontsize, fontweight="bold", color=style.ink, zorder=6, clip_on=False,
                       linespacing=1.0)
        # on white: where labels crowd so that a line must pass one (each covering the other's
        # month), the line runs behind it, and the grid never runs through a label
        text.set_bbox({"boxstyle": "square,pad=0", "facecolor": "white", "edgecolor": "none"})
        text.set_gid(f"attack-label-{i}")
        c.placed += markers + [text]
        if lb.lifted:
            line = ax.plot([x, x], [lb.marker_top * per_y, lb.y0 * per_y], color=style.ink, linewidth=0.5 * scale,
                           zorder=4, clip_on=False)
            line[0].set_gid(f"attack-line-{i}")
            c.placed += line
