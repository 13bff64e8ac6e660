"""The kinds of slide, one module each; every module's `add(deck)` adds its slides (or none) and
returns what they showed and warned, which the deck collects (render/pptx/deck.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """What a slide kind put on its slides: the ids of the figures shown, and its warnings."""

    figures: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()


NOTHING = Shown()
