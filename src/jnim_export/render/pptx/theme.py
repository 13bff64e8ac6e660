"""The deck's layout numbers: the footer band, text size ladders, the house rule colour."""

from __future__ import annotations


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
