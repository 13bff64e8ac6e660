"""Events or fatalities per admin-1 region: horizontal bars, largest on top, the rest as "Other"."""

from __future__ import annotations

from typing import Any

from ..model import Attack, Figure, Place, Style
from .style import credit, mix

LIBRARIES = ("matplotlib",)
REFERENCE_SIZE = (6.5, 3.25)  # inches: the size at which the type sizes below are right
SMALLEST_PT = 6.8  # the least type below (the credit line), at the reference size
PT = 1 / 72  # inch
MIN_SLOTS = 5  # fewer bars than this keep the thickness of five


def key_inputs(payload: dict, figure: Figure, attacks: tuple[Attack, ...], places: tuple[Place, ...],
               style: Style) -> None:
    """Add what the chart draws beside its data to a cache-key payload."""
    payload["data"].update(measure=figure.measure, top=figure.top)
    payload["style"]["accent"] = style.accent


def axis_label(figure: Figure) -> str:
    return "Fatalities" if figure.measure == "fatalities" else "Events"


def draw(fig: Any, figure: Figure, *, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style,
         scale: float) -> None:
    from matplotlib.ticker import MaxNLocator

    table = figure.table()
    if table is None:
        raise ValueError(f"figure {figure.id!r}: no region has any {figure.measure} in its data")
    bars = table.rows
    renderer = fig.canvas.get_renderer()
    ax = fig.add_axes((0.3, 0.2, 0.65, 0.7))
    values = list(table.column(0))
    n = len(bars)
    ys = list(range(n))
    colours = [mix(style.accent, "#ffffff", 0.45) if b.rest else style.accent for b in bars]
    drawn = ax.barh(ys, values, height=0.68, color=colours, linewidth=0, zorder=2, clip_on=False)
    for j, patch in enumerate(drawn.patches):
        patch.set_gid(f"bar-{j}")
    ax.set_yticks(ys, [b.name for b in bars])  # with its country, for data of several
    ax.set_ylim(max(n, MIN_SLOTS) - 0.5, -0.5)  # largest on top; few bars keep a bar's thickness
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(style.ink)
    ax.spines["left"].set_linewidth(0.8)
    ax.xaxis.grid(True, color=mix(style.muted, "#ffffff", 0.72), linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True, min_n_ticks=3))
    ax.tick_params(axis="y", length=0, labelsize=7.5 * scale, pad=4 * scale)
    ax.tick_params(axis="x", length=0, labelsize=7.5 * scale, pad=3 * scale)
    ax.set_xlabel(axis_label(figure), fontsize=8 * scale, labelpad=4 * scale)
    ax.set_xlim(0, max(values) * 1.0)
    # each bar's value at its end
    texts = [ax.annotate(f"{v:,}", (v, y), xytext=(3 * scale, 0), textcoords="offset points", va="center",
                         ha="left", fontsize=7.5 * scale, color=style.ink, zorder=3, annotation_clip=False)
             for v, y in zip(values, ys, strict=True)]
    source = fig.text(0.01, 0.012, credit(figure), ha="left", va="bottom", fontsize=6.8 * scale, color=style.muted)
    # fit the axes between the region names, the value labels, the axis label and the source line
    w_in, h_in = fig.get_size_inches()
    dpi = fig.dpi
    names_w = max(t.get_window_extent(renderer).width for t in ax.get_yticklabels()) / dpi
    value_w = max(t.get_window_extent(renderer).width for t in texts) / dpi
    xtick_h = max((t.get_window_extent(renderer).height for t in ax.get_xticklabels() if t.get_text()), default=0)
    bottom = (xtick_h + ax.xaxis.label.get_window_extent(renderer).height
              + source.get_window_extent(renderer).height) / dpi + (3 + 4 + 8) * scale * PT
    left = names_w + (4 + 6) * scale * PT
    right = value_w + (3 + 6) * scale * PT
    top = 8 * scale * PT
    source.set_x(4 * scale * PT / w_in)
    ax.set_position((left / w_in, bottom / h_in, max(0.1, 1 - (left + right) / w_in), max(0.1, 1 - (top + bottom) / h_in)))
