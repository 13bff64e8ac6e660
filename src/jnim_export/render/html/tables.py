"""The data table under each drawn figure of the web page: the numbers its bars or discs show."""

from __future__ import annotations

from ...model import Figure
from .dom import El

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month(month: str) -> str:
    y, m = month.split("-")
    return f"{_MONTHS[int(m) - 1]} {y}"


def data_table(fig: Figure, palette: tuple[str, ...]) -> El | None:
    """The numbers a drawn figure shows, as a table; None for a photo or a figure without data."""
    if fig.data is None:
        return None
    if fig.kind == "chart":
        return _chart_table(fig, palette)
    if fig.kind == "fatalities":
        return _fatalities_table(fig)
    if fig.kind == "regions":
        return _regions_table(fig)
    if fig.kind == "map" and fig.data.locations:
        return _map_table(fig)
    return None


def _scope(fig: Figure) -> str:
    scope = fig.data.scope.strip() if fig.data else ""
    return f" ({scope})" if scope else ""


def _chart_table(fig: Figure, palette: tuple[str, ...]) -> El | None:
    data = fig.data
    months = fig.months()
    if data is None or not months:
        return None
    cats = [(i, c) for i, c in enumerate(data.categories) if any(dict(m.counts).get(c, 0) for m in months)]
    if not cats:
        cats = list(enumerate(data.categories))
    head = [El("th", {"scope": "col"}, "Month")]
    for i, cat in cats:
        swatch = None
        if fig.stacked:
            swatch = El("span", {"class": "sw", "aria-hidden": "true",
                                 "style": f"background:{palette[i % len(palette)]}"})
        head.append(El("th", {"scope": "col"}, swatch, cat))
    head.append(El("th", {"scope": "col"}, "Total"))
    rows = []
    sums = [0] * len(cats)
    for m in months:
        counts = dict(m.counts)
        cells = [El("th", {"scope": "row"}, El("time", {"datetime": m.month}, _month(m.month)))]
        for j, (_, cat) in enumerate(cats):
            sums[j] += counts.get(cat, 0)
            cells.append(El("td", None, f"{counts.get(cat, 0):,}"))
        cells.append(El("td", None, f"{m.total:,}"))
        rows.append(El("tr", None, cells))
    foot = [El("th", {"scope": "row"}, "Total")] + [El("td", None, f"{s:,}") for s in sums]
    foot.append(El("td", None, f"{sum(m.total for m in months):,}"))
    window = f"{_month(months[0].month)}–{_month(months[-1].month)}"
    return El("table", {"class": "data"},
              El("caption", None, f"Events per month by event type, {window}{_scope(fig)}"),
              El("thead", None, El("tr", None, head)), El("tbody", None, rows),
              El("tfoot", None, El("tr", None, foot)))


def _fatalities_table(fig: Figure) -> El | None:
    months = fig.months()
    if not months:
        return None
    head = El("tr", None, [El("th", {"scope": "col"}, t) for t in ("Month", "Fatalities", "Events")])
    rows = [El("tr", None, El("th", {"scope": "row"}, El("time", {"datetime": m.month}, _month(m.month))),
               El("td", None, f"{m.fatalities:,}"), El("td", None, f"{m.total:,}")) for m in months]
    foot = El("tr", None, El("th", {"scope": "row"}, "Total"),
              El("td", None, f"{sum(m.fatalities for m in months):,}"),
              El("td", None, f"{sum(m.total for m in months):,}"))
    window = f"{_month(months[0].month)}–{_month(months[-1].month)}"
    return El("table", {"class": "data"},
              El("caption", None, f"Fatalities per month, {window}{_scope(fig)}"),
              El("thead", None, head), El("tbody", None, rows), El("tfoot", None, foot))


def _regions_table(fig: Figure) -> El | None:
    bars = fig.regions()
    if not bars:
        return None
    several = len(fig.data_countries()) > 1
    cols = ["Region"] + (["Country"] if several else []) + ["Events", "Fatalities"]
    head = El("tr", None, [El("th", {"scope": "col"}, t) for t in cols])
    rows = []
    for b in bars:
        cells = [El("th", {"scope": "row"}, b.region or b.name)]
        if several:
            cells.append(El("td", None, b.country))
        cells += [El("td", None, f"{b.events:,}"), El("td", None, f"{b.fatalities:,}")]
        rows.append(El("tr", None, cells))
    what = "Fatalities" if fig.measure == "fatalities" else "Events"
    window = f", {_month(fig.months()[0].month)}–{_month(fig.months()[-1].month)}" if fig.months() else ""
    return El("table", {"class": "data"},
              El("caption", None, f"{what} by region (largest first){window}{_scope(fig)}"),
              El("thead", None, head), El("tbody", None, rows))


def _map_table(fig: Figure) -> El:
    data = fig.data
    assert data is not None
    places = sorted(data.locations, key=lambda p: (-p.events, p.name, p.admin1))
    head = El("tr", None, [El("th", {"scope": "col"}, t) for t in ("Place", "Region", "Events", "Fatalities")])
    rows = [El("tr", None, El("th", {"scope": "row"}, p.name), El("td", None, p.admin1),
               El("td", None, f"{p.events:,}"), El("td", None, f"{p.fatalities:,}")) for p in places]
    window = ""
    if fig.start and fig.end:
        window = f", {_month(fig.start)}–{_month(fig.end)}"
    return El("table", {"class": "data"},
              El("caption", None, f"Events by place{window}{_scope(fig)}"),
              El("thead", None, head), El("tbody", None, rows))
