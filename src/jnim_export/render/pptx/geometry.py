"""Boxes on a slide and the units they are measured in (EMU, points, inches)."""

from __future__ import annotations

from dataclasses import dataclass





EMU_PER_PT = 12700
EMU_PER_IN = 914400


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h


def inch(v: float) -> int:
    return int(round(v * EMU_PER_IN))


def pt(v: float) -> int:
    return int(round(v * EMU_PER_PT))


def to_pt(emu: int) -> float:
    return emu / EMU_PER_PT
