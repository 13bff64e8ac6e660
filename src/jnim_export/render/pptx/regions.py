"""Where things go on a slide: the title's box, the body's region above the footer and any
citation footer; in the house style from the slide's size, on a template from its layouts."""

from __future__ import annotations

from typing import Sequence

from .citations import footnote_height
from .geometry import Box, inch
from .theme import FOOTER_BAND


def margin(deck) -> int:
    """The house style's side margin: wider on a wide slide."""
    return inch(0.6) if deck.W >= inch(12) else inch(0.5)


def title_box(deck, kind: str) -> Box:
    """The title's box on a slide of `kind`."""
    if not deck.house:
        return deck.layouts.choose(kind).title
    if kind == "title":
        return Box(inch(0.9), int(deck.H * 0.25), deck.W - inch(1.8), int(deck.H * 0.32))
    return Box(margin(deck), inch(0.35), deck.W - 2 * margin(deck), inch(1.05))


def content_left_right(deck, kind: str = "title_only") -> tuple[int, int]:
    """The left and right edges of a slide's content."""
    if deck.house:
        return margin(deck), deck.W - margin(deck)
    reg = deck.layouts.region(kind, FOOTER_BAND)
    return reg.x, reg.right


def region(deck, kind: str, cites: Sequence[int] = ()) -> Box:
    """The body area of a slide of `kind`, above the footer and any citation footer."""
    left, right = content_left_right(deck, kind)
    if deck.house:
        top = title_box(deck, kind).bottom + inch(0.4)
        bottom = deck.H - FOOTER_BAND
    else:
        reg = deck.layouts.region(kind, FOOTER_BAND)
        top, bottom = reg.y, reg.bottom
    foot = footnote_height(deck, cites, right - left)
    if foot:
        bottom -= foot + inch(0.15)
    return Box(left, top, right - left, bottom - top)
