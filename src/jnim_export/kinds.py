"""The figure kinds: one entry each, read by the content schema, the model and every writer.

A kind is described here (its name, what shape its numbers take, its print aspect and phone
size, how long it takes to draw, the table of its numbers); `jnim_export.figures` draws each
drawn kind with its module of the same name (`figures/<name>.py`, with `draw` and
`key_inputs`). Nothing here imports matplotlib, so the content and the writers may read it.

Shapes: ``monthly`` (a value per month: bars, or a line when `line`; key attacks marked by
month), ``ranked`` (bars largest first), ``points`` (a value per place, on a map), ``photo``
(an image, not drawn).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal

from . import tables

if TYPE_CHECKING:
    from .model import Figure

Shape = Literal["monthly", "ranked", "points", "photo"]


@dataclass(frozen=True)
class Kind:
    """One figure kind (see the module docstring)."""

    name: str
    shape: Shape
    aspect: float = 0.0  # print height / width
    compact: tuple[float, float] = (0.0, 0.0)  # inches: the drawing a phone screen gets
    cost: int = 1  # roughly how long it takes to draw, against a chart's 1
    table: Callable[[Figure], tables.Table | None] | None = None  # the numbers it shows
    line: bool = False  # monthly: a line (a running total), not bars

    @property
    def drawn(self) -> bool:
        return self.shape != "photo"


REGISTRY: tuple[Kind, ...] = (
    Kind("photo", "photo"),
    Kind("map", "points", 0.5, (3.8, 5.2), 3, tables.events_by_place),
    Kind("chart", "monthly", 0.46, (3.8, 3.8), 1, tables.events_per_month),
    Kind("fatalities", "monthly", 0.46, (3.8, 3.0), 1, tables.fatalities_per_month),
    Kind("regions", "ranked", 0.5, (3.8, 3.4), 1, tables.by_region),
    Kind("cumulative", "monthly", 0.46, (3.8, 3.0), 1, tables.events_to_date, line=True),
)

KINDS: dict[str, Kind] = {k.name: k for k in REGISTRY}
NAMES: tuple[str, ...] = tuple(KINDS)
DRAWN: tuple[str, ...] = tuple(k.name for k in REGISTRY if k.drawn)  # drawn from an events aggregate
MONTHLY: tuple[str, ...] = tuple(k.name for k in REGISTRY if k.shape == "monthly")  # key attacks marked by month
UNDATED: tuple[str, ...] = tuple(k.name for k in REGISTRY if k.shape in ("ranked", "points"))  # place counts: no dates

PRINT_WIDTH = 6.3  # inches: a letter page's text column and the web page's figure column
# The least type a drawing sets, in points of the drawing: on paper (the PDF shrinks a figure only
# while its type stays at 6.5 pt or more), and in a phone's drawing, which a 375 px screen shows
# 335 CSS px wide (3.8 inches: 1.22 px a point), so that its smallest text is 11 CSS px
PRINT_TEXT_PT = 7.0
PHONE_TEXT_PT = 9.0


def print_size(kind: str) -> tuple[float, float]:
    """The size (inches) a figure of `kind` is drawn at for every output but a phone screen: one
    drawing serves the PDF (scaled to its column), the web page and the slides."""
    return PRINT_WIDTH, round(PRINT_WIDTH * KINDS[kind].aspect, 3)
