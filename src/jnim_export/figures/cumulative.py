"""Events to date: the running total of events, month by month, as a line; key attacks marked."""

from __future__ import annotations

from typing import Any

from ..model import Attack, Figure, Place, Style
from .chart import REFERENCE_SIZE, SMALLEST_PT, draw_monthly, key_inputs, series

LIBRARIES = ("matplotlib",)
__all__ = ["LIBRARIES", "REFERENCE_SIZE", "SMALLEST_PT", "draw", "key_inputs"]


def draw(fig: Any, figure: Figure, *, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style,
         scale: float) -> None:
    draw_monthly(fig, figure, series(figure, style), "Events to date", attacks=attacks, style=style, scale=scale,
                 line=True)
