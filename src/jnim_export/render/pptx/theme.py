"""The deck's layout numbers: the footer band, text size ladders, the house rule colour."""

from __future__ import annotations

from dataclasses import dataclass

from pptx.util import Length, Pt

from .geometry import inch, pt

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
    the gaps between columns (for dates, for text), the markers' size, the dates above the line, the line's weight."""

    line_y: int = inch(0.95)
    text_below: int = inch(0.45)
    date_gap: int = inch(0.2)
    text_gap: int = inch(0.4)
    dot: int = inch(0.26)
    date_above: int = inch(0.25)
    line: int = pt(2)


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


@dataclass(frozen=True)
class TitleSlide:
    """The title slide (EMU): the subtitle's gap under the title and its height (with a name in the
    group's own script, without it, on a template at least); the series kicker's least top, its gap
    above the title and its height; the copyright line's rise from the foot and height; the house
    accent band's width, the rule under the title (gap, width, height); the logo's height and its
    inset from the right and the foot."""

    subtitle_gap: int = inch(0.35)
    subtitle_h_native: int = inch(1.7)
    subtitle_h: int = inch(1.2)
    subtitle_least_h: int = inch(1.0)
    kicker_least_top: int = inch(0.2)
    kicker_gap: int = inch(0.6)
    kicker_h: int = inch(0.45)
    copyright_rise: int = inch(0.8)
    copyright_h: int = inch(0.35)
    band_w: int = inch(0.28)
    rule_gap: int = inch(0.18)
    rule_w: int = inch(1.2)
    rule_h: int = inch(0.06)
    logo_h: int = inch(0.6)
    logo_right: int = inch(0.6)
    logo_bottom: int = inch(0.5)


@dataclass(frozen=True)
class Glance:
    """At a glance (EMU): the labels' column at most, the gap between label and text, the rule between rows."""

    label_w: int = inch(2.9)
    gap: int = inch(0.3)
    rule: int = pt(0.75)


@dataclass(frozen=True)
class Organisation:
    """The organisation slide (EMU): the text's inset in a box; a slide this wide or wider is wide;
    the gap between columns and the group's column on a wide and a narrow slide, the step it widens
    by for a long name, the side columns' most; the gap under the headings; the gaps tried between
    boxes, the boxes' most height, the last-resort gap; the group's box height; the chain's gaps
    (for a link's words, without them), the room kept round a link's words; a link's words' gap
    right of the arrow, how far into the margin they may reach, the least margin kept; the arrows."""

    inset: int = inch(0.12)
    wide_from: int = inch(12)
    col_gap_wide: int = inch(0.9)
    col_gap: int = inch(0.45)
    center_w_wide: int = inch(2.4)
    center_w: int = inch(1.8)
    center_step: int = inch(0.2)
    side_w_most: int = inch(4.0)
    heading_gap: int = inch(0.15)
    box_gaps: tuple[int, ...] = (inch(0.22), inch(0.12))
    box_h_most: int = inch(0.95)
    box_gap_least: int = inch(0.1)
    group_h: int = inch(1.5)
    chain_gap_worded: int = inch(0.6)
    chain_gap: int = inch(0.35)
    link_clear: int = inch(0.12)
    link_gap: int = inch(0.12)
    link_reach: int = inch(0.4)
    link_margin: int = inch(0.25)
    arrow_w: Length = Pt(1.75)


@dataclass(frozen=True)
class Figures:
    """Figure slides (EMU): the picture's gap to its caption, the caption column's most (usual and
    narrower), a chart's gap above its source line; the charts' text, small tick labels (more than
    a year of months), gridlines and a line series; a key-attack label's padding; the month
    markers' width, height and their tip's height above the plot."""

    gap: int = inch(0.35)
    side_w: int = inch(3.6)
    side_w_narrow: int = inch(3.0)
    source_gap: int = inch(0.15)
    text: Length = Pt(14)
    small_ticks: Length = Pt(12)
    gridline: Length = Pt(0.75)
    line_w: Length = Pt(2.5)
    label_pad: int = inch(0.1)
    marker_w: int = inch(0.18)
    marker_h: int = inch(0.15)
    marker_top: int = inch(0.2)


CARDS, TIMELINE, QUOTE = Cards(), Timeline(), Quote()
TITLE, GLANCE, ORGANISATION, FIGURES = TitleSlide(), Glance(), Organisation(), Figures()
