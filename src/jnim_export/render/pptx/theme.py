"""The deck's layout numbers: the footer band, text size ladders, the house rule colour."""

from __future__ import annotations

from dataclasses import dataclass

from .geometry import inch

# The band at the foot of every slide kept for the running footer (EMU: 0.7 in).
FOOTER_BAND = 640080

# A picture's least share of its slide: under it, the caption moves to show the picture larger.
FIGURE_SHARE = 0.30

# House sizes (pt): largest first; text shrinks step by step down to the last.
TITLE_SIZES = (30, 28, 26, 24, 22)
BULLET_SIZES = (24, 22, 20, 19, 18, 17, 16, 15, 14)
FACT_SIZES = (20, 19, 18, 17, 16, 15, 14)
CARD_SIZES = (20, 19, 18, 17, 16, 15, 14)
CARD_ALONE_SIZES = CARD_SIZES + (13, 12)  # a card alone on a slide that still does not fit
TIMELINE_SIZES = (20, 19, 18, 17, 16, 15, 14)
SOURCE_SIZES = (14, 13, 12)
FOOTNOTE_SIZES = (10, 9, 8)
QUOTE_SIZES = (36, 34, 32, 30, 28, 26, 24)

RULE_GREY = "#c9ccd1"  # hairlines between rows in the house style


@dataclass(frozen=True)
class Cards:
    """The leaders' cards (EMU): between cards, inside a card, the avatar's most, the rule's width."""

    gap: int = inch(0.3)
    pad: int = inch(0.25)
    avatar: int = inch(1.3)
    stacked_avatar: int = inch(1.0)  # cards in one column: smaller, so more fit a slide
    stacked_pad: int = inch(0.25) * 2 // 3
    rule: int = inch(0.07)
    avatar_inset: int = inch(0.05)


@dataclass(frozen=True)
class Timeline:
    """The key attacks' time line (EMU): the line under the region's top, the text under the line,
    the gaps between columns (for dates, for text), the markers' size, the dates above the line."""

    line_y: int = inch(0.95)
    text_below: int = inch(0.45)
    date_gap: int = inch(0.2)
    text_gap: int = inch(0.4)
    dot: int = inch(0.26)
    date_above: int = inch(0.25)


@dataclass(frozen=True)
class Quote:
    """A pull quote's slide (EMU): the house box's indent, top and the height left out; on a
    template the indent's most (an eighth of the width at least) and the room kept for the
    attribution; the rule left of the quote; the attribution's gap and least height."""

    indent: int = inch(1.0)
    top: int = inch(1.7)
    cut: int = inch(3.5)
    attribution_room: int = inch(0.8)
    rule_left: int = inch(0.45)
    rule_inset: int = inch(0.2)
    rule_w: int = inch(0.08)
    attribution_gap: int = inch(0.2)
    attribution_h: int = inch(0.45)


CARDS, TIMELINE, QUOTE = Cards(), Timeline(), Quote()
