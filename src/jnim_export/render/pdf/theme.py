"""The PDF's layout numbers: page geometry, type scale, figure and note spacing, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER

INCH = 72.0
FUZZ = 1e-6  # points: below this, a measure fits
PAPER = {"letter": LETTER, "a4": A4}


@dataclass(frozen=True)
class TextStyle:
    """A paragraph style as multiples of the body size (`leading` None: the body's leading)."""

    face: str  # "serif" or "sans"
    size: float
    leading: float
    bold: bool = False
    italic: bool = False
    colour: str = "ink"  # ink, muted or accent
    align: str = "left"  # left, center or right
    before: float = 0.0
    after: float = 0.0
    indent_left: float = 0.0
    indent_right: float = 0.0


# The type scale. Sizes are multiples of `style.body_size`; the body's leading is rounded
# to 1/100 pt and its space after is half a line.
TYPE = {
    "title": TextStyle("serif", 2.5, 2.95, bold=True),
    "native-title": TextStyle("serif", 1.6, 2.4, colour="muted", before=0.2),  # the name in Arabic script
    "byline": TextStyle("sans", 0.85, 1.2, colour="muted"),
    "heading": TextStyle("sans", 1.02, 1.4, bold=True, colour="accent", before=1.5, after=0.5),
    "quote": TextStyle("serif", 1.35, 1.85, italic=True, colour="accent", before=0.13, after=0.56,
                       indent_left=1.8, indent_right=1.2),  # on a tint: see Theme.quote_pad_*
    "caption": TextStyle("sans", 0.85, 1.12),
    "credit": TextStyle("sans", 0.72, 0.95, colour="muted"),
    "placeholder-head": TextStyle("sans", 0.8, 1.05, bold=True, colour="muted", align="center"),
    "placeholder-body": TextStyle("sans", 0.72, 0.95, italic=True, colour="muted", align="center"),
    "closing": TextStyle("serif", 0.88, 1.25, italic=True, colour="muted", before=0.6, after=0.3),
    "copyright": TextStyle("sans", 0.72, 1.0, colour="muted", before=0.4),
}
BODY_LEADING = 1.45
NOTE_SIZE = {"endnotes": 0.82, "footnotes": 0.78}  # of the body size
NOTE_LEADING = 1.3  # of the note size
NOTE_AFTER = 0.45
NOTE_INDENT = 2.4  # the hanging number's column, of the note size


@dataclass(frozen=True)
class Theme:
    """Page geometry and the spacing of figures, floats and footnotes (points unless said)."""

    page: tuple[float, float]
    margin_x: float = 1.1 * INCH
    margin_top: float = 0.8 * INCH
    margin_bottom: float = 0.95 * INCH
    band: float = 0.62 * INCH  # the masthead band of page 1
    below_band: float = 0.42 * INCH  # from the band to the title
    furniture_floor: float = 0.62  # of the body size: the least a header or footer shrinks to before it wraps...
    furniture_lines: int = 2  # ...to this many lines, before it is cut with an ellipsis (and a warning)
    # the pull quote's tint reaches this far above and below its text (in its type size)
    quote_pad_top: float = 0.35
    quote_pad_bottom: float = 0.55
    # figures
    figure_rule: float = 1.2  # the accent rule over a figure
    figure_head: float = 2.5  # the rule and the space below it
    figure_gap: float = 5.0  # between rule, caption, graphic and credit
    figure_space: float = 8.0  # above and below a figure in the column
    figure_max_height: float = 0.55  # of the text frame: the most a figure's graphic is high
    figure_fill: float = 0.85  # of the text frame: the most a whole figure (graphic, caption, credit) is high
    figure_min_graphic: float = 1.0 * INCH  # however long its caption (validating limits captions)
    figure_least_graphic: float = 0.4 * INCH  # on a page whose foot long notes carried over fill
    figure_scales: tuple = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3)  # smaller sizes a figure may take to stay on its page...
    figure_least_type: float = 6.5  # ...while its smallest type stays this large (pt)
    figure_shorter: tuple = (0.85, 0.7, 0.6)  # failing that, a chart is drawn this much less high (type as large)
    photo_placeholder_aspect: float = 1.1  # a photo that is not included
    empty_aspect: float = 0.55  # a figure without data
    photo_width: float = 0.5  # a photo set in the column, share of its width
    float_width: float = 0.32  # a photo floated beside the text
    panorama: float = 2.5  # a photo this many times wider than high (or more) spans the column
    panorama_slack: float = 0.01  # of the ratio: what pixel rounding may take from a panorama's
    float_gutter: float = 2.0  # between a float and the text, in body sizes
    min_fill_lines: int = 4  # a figure moves overleaf only if this many lines can fill its place
    page_gap: float = 0.12  # of the page height: the most a page but the last may leave empty (aimed under 0.15)
    # footnotes
    footnote_rule_space: float = 14.0  # above the rule, the rule, below it
    footnote_rule_length: float = 1.4 * INCH
    footnote_gap: float = 2.5  # between two notes
    footnote_cap: float = 0.45  # the most of a page its footnotes take before they continue overleaf
    footnote_flush_cap: float = 0.95  # the same after the last of the text: pages of notes only

    @property
    def width(self) -> float:
        """The text column."""
        return self.page[0] - 2 * self.margin_x


def theme_for(paper: str) -> Theme:
    return Theme(page=PAPER[paper])
