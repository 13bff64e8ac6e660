"""The deck's layout numbers: layout names, text size ladders, colour keys."""

from __future__ import annotations

from pptx.enum.dml import MSO_THEME_COLOR

# Layout names tried in order for each kind of slide (the first present in the template wins).
LAYOUTS = {
    "title": ("Title Slide",),
    "content": ("Title and Content", "Title Only"),
    "title_only": ("Title Only",),
}

# House sizes (pt): largest first; text shrinks step by step down to the last.
TITLE_SIZES = (30, 28, 26, 24, 22)
BULLET_SIZES = (24, 22, 20, 19, 18, 17, 16, 15, 14)
FACT_SIZES = (20, 19, 18, 17, 16, 15, 14)
CARD_SIZES = (20, 19, 18, 17, 16, 15, 14)
TIMELINE_SIZES = (20, 19, 18, 17, 16, 15, 14)
SOURCE_SIZES = (14, 13, 12)
FOOTNOTE_SIZES = (10, 9, 8)
QUOTE_SIZES = (36, 34, 32, 30, 28, 26, 24)

# The colour keys of the house style, as theme colours (and a brightness) for a template deck.
THEME_COLOURS = {
    "accent": (MSO_THEME_COLOR.ACCENT_1, 0.0),
    "ink": (MSO_THEME_COLOR.TEXT_1, 0.0),
    "muted": (MSO_THEME_COLOR.TEXT_1, 0.35),
    "tint": (MSO_THEME_COLOR.BACKGROUND_2, 0.0),
    "rule": (MSO_THEME_COLOR.TEXT_1, 0.75),
    "white": (MSO_THEME_COLOR.BACKGROUND_1, 0.0),
}
RULE_GREY = "#c9ccd1"  # hairlines between rows in the house style
