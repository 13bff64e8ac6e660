"""The data table under each drawn figure of the web page: its numbers (`Figure.table`), listed."""

from __future__ import annotations

from ...model import Figure
from ...tables import Table
from .dom import El


def data_table(fig: Figure, palette: tuple[str, ...]) -> El | None:
    """The numbers a drawn figure shows, as a table; None for a photo or a figure without numbers.

    Stacked series get their colour's swatch and a Total column; a table whose numbers add up
    (`Table.totals`) a Total row.
    """
    table = fig.table()
    if table is None or not table.rows:
        return None
    stacked = table.drawn > 1
    head = [El("th", {"scope": "col"}, table.head)] + ([El("th", {"scope": "col"}, table.detail)] if table.detail else [])
    for j, name in enumerate(table.columns):
        swatch = None
        if stacked and j < table.drawn:
            swatch = El("span", {"class": "sw", "aria-hidden": "true",
                                 "style": f"background:{palette[table.slots[j] % len(palette)]}"})
        head.append(El("th", {"scope": "col"}, swatch, name))
    if stacked:
        head.append(El("th", {"scope": "col"}, "Total"))
    rows = [El("tr", None, _cells(table, row.label, row.month, row.detail, row.values, stacked)) for row in table.rows]
    out = El("table", {"class": "data"}, El("caption", None, table.caption), El("thead", None, El("tr", None, head)),
             El("tbody", None, rows))
    if table.totals:
        sums = tuple(sum(table.column(j)) for j in range(len(table.columns)))
        out.append(El("tfoot", None, El("tr", None, _cells(table, "Total", "", "", sums, stacked))))
    return out


def _cells(table: Table, label: str, month: str, detail: str, values: tuple[int, ...], stacked: bool) -> list[El]:
    cells = [El("th", {"scope": "row"}, El("time", {"datetime": month}, label) if month else label)]
    if table.detail:
        cells.append(El("td", None, detail))
    cells += [El("td", None, f"{v:,}") for v in values]
    if stacked:
        cells.append(El("td", None, f"{sum(values[:table.drawn]):,}"))
    return cells
