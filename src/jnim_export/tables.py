"""The numbers each drawn figure shows, as one table: what matplotlib draws, what the deck's
native chart holds and what the web page's data table lists (`Figure.table()`).

The first `drawn` columns are the series the figure draws (stacked, for several); the others
are what the page's table adds beside them (the events beside the fatalities, say).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import month_span, short_date

if TYPE_CHECKING:
    from .model import Figure


@dataclass(frozen=True)
class Row:
    label: str  # the month ("Mar 2017"), region or place
    values: tuple[int, ...]  # one per column
    month: str = ""  # YYYY-MM of a monthly row
    detail: str = ""  # the region of a place, the country of a region (data of several countries)
    rest: int = 0  # the "Other" row of a ranked table: how many rows it stands for

    @property
    def name(self) -> str:
        """The label with its detail, where one name must say both (a chart's category)."""
        return f"{self.label} ({self.detail})" if self.detail else self.label


@dataclass(frozen=True)
class Table:
    caption: str  # what the numbers are, their window and scope
    head: str  # the heading of the rows' labels: "Month", "Region", "Place"
    columns: tuple[str, ...]
    units: tuple[str, ...]  # per column: "events" or "fatalities"
    rows: tuple[Row, ...]
    drawn: int = 1  # the first `drawn` columns are drawn
    slots: tuple[int, ...] = (0,)  # the palette slot of each drawn column
    totals: bool = False  # a row of sums makes sense
    detail: str = ""  # the heading of the rows' details, if they have any

    def series(self) -> list[tuple[str, tuple[int, ...], int]]:
        """(name, values per row, palette slot) of each drawn column."""
        return [(self.columns[j], tuple(r.values[j] for r in self.rows), self.slots[j]) for j in range(self.drawn)]

    def column(self, j: int) -> tuple[int, ...]:
        return tuple(r.values[j] for r in self.rows)


def _scope(fig: Figure) -> str:
    scope = fig.data.scope.strip() if fig.data else ""
    return f" ({scope})" if scope else ""


def _window(fig: Figure) -> str:
    months = fig.months()
    if months:
        return ", " + month_span(months[0].month, months[-1].month)
    return ", " + month_span(fig.start, fig.end) if fig.start and fig.end else ""


def source_line(fig: Figure) -> str:
    """The data credit a drawn figure shows: the content's `data_credit`, else from its data's provenance.

    From the data: "Data: " and the name of the dataset the aggregate was imported from, its scope
    and the window: "Data: ACLED (Mali only), Mar 2017–Jul 2018". An empty `data_credit` means
    none. A map whose data holds events placed too vaguely to draw says how many it leaves off.
    """
    data = fig.data
    if data is None:
        return ""
    if fig.data_credit is not None:
        text = fig.data_credit.strip()
    else:
        text = f"Data: {data.dataset.name.strip() or 'source not stated'}{_scope(fig)}{_window(fig)}"
    if fig.kind == "map" and data.unmapped:
        left = f"{data.unmapped:,} event{'s' if data.unmapped != 1 else ''} not located to a province or better " \
               "left off the map"
        text = f"{text}; {left}" if text else left[0].upper() + left[1:]
    return text


def events_per_month(fig: Figure) -> Table | None:
    """Events per month: by category when stacked (those with events in the window), else the
    totals, with the categories beside them."""
    months = fig.months()
    if fig.data is None or not months:
        return None
    cats = fig.data.categories
    shown = [(i, c) for i, c in enumerate(cats) if any(dict(m.counts).get(c, 0) for m in months)]
    if fig.stacked:
        drawn = shown or [(0, cats[0] if cats else "Events")]
        columns, slots = [c for _, c in drawn], [i for i, _ in drawn]
        rows = [Row(short_date(m.month), tuple(dict(m.counts).get(c, 0) for c in columns), m.month) for m in months]
    else:
        columns, slots = ["Events"] + [c for _, c in shown], [0]
        rows = [Row(short_date(m.month), (m.total,) + tuple(dict(m.counts).get(c, 0) for _, c in shown), m.month)
                for m in months]
    return Table(f"Events per month by event type{_window(fig)}{_scope(fig)}", "Month", tuple(columns),
                 ("events",) * len(columns), tuple(rows), len(slots), tuple(slots), totals=True)


def fatalities_per_month(fig: Figure) -> Table | None:
    months = fig.months()
    if not months:
        return None
    rows = tuple(Row(short_date(m.month), (m.fatalities, m.total), m.month) for m in months)
    return Table(f"Fatalities per month{_window(fig)}{_scope(fig)}", "Month", ("Fatalities", "Events"),
                 ("fatalities", "events"), rows, totals=True)


def events_to_date(fig: Figure) -> Table | None:
    """The running total of events, month by month, beside each month's own."""
    months = fig.months()
    if not months:
        return None
    running = itertools.accumulate(m.total for m in months)
    rows = tuple(Row(short_date(m.month), (n, m.total), m.month) for m, n in zip(months, running, strict=True))
    return Table(f"Events to date, month by month{_window(fig)}{_scope(fig)}", "Month", ("Events to date", "Events"),
                 ("events", "events"), rows)


def by_region(fig: Figure) -> Table | None:
    """Events or fatalities (`measure`) per region, largest first, the rest as "Other"."""
    bars = fig.regions()
    if not bars:
        return None
    several = len(fig.data_countries()) > 1
    names = ("Fatalities", "Events") if fig.measure == "fatalities" else ("Events", "Fatalities")
    rows = tuple(Row(b.region or (b.name if b.others else "Region not recorded"), (b.value(fig.measure), b.fatalities if fig.measure == "events" else b.events),
                     detail=b.country if several else "", rest=b.others) for b in bars)
    return Table(f"{names[0]} by region (largest first){_window(fig)}{_scope(fig)}", "Region", names,
                 tuple(n.lower() for n in names), rows, detail="Country" if several else "")


def events_by_place(fig: Figure) -> Table | None:
    """Events (the map's discs) and fatalities per place, most events first."""
    if fig.data is None or not fig.data.locations:
        return None
    places = sorted(fig.data.locations, key=lambda p: (-p.events, p.name, p.admin1))
    rows = tuple(Row(p.name, (p.events, p.fatalities), detail=p.admin1) for p in places)
    return Table(f"Events by place{_window(fig)}{_scope(fig)}", "Place", ("Events", "Fatalities"),
                 ("events", "fatalities"), rows, detail="Region")
