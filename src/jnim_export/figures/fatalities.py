"""Fatalities per month: one bar per month in the accent colour, key attacks marked as on the event chart."""

from __future__ import annotations

from typing import Any

from ..model import Attack, Figure, Place, Style
from .chart import REFERENCE_SIZE, SMALLEST_PT, Series, draw_monthly, key_inputs
from .chart import series as _drawn

LIBRARIES = ("matplotlib",)
__all__ = ["LIBRARIES", "REFERENCE_SIZE", "SMALLEST_PT", "draw", "key_inputs", "series"]


def series(figure: Figure, style: Style) -> list[Series]:
    return _drawn(figure, style)  # the table's one drawn column: fatalities


def draw(fig: Any, figure: Figure, *, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style,
         scale: float) -> None:
    draw_monthly(fig, figure, series(figure, style), "Fatalities per month", attacks=attacks, style=style,
                 scale=scale)
