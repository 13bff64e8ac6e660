"""Colours: contrast (WCAG 2), the one home of the rules every output and the content check
use, and the chart palette a content gets from its accent alone.

Text must reach `MIN_CONTRAST` against its background (4.5:1, WCAG 2 AA), large text
(18 pt and up, or 14 pt bold) `LARGE_CONTRAST` (3:1).  The web page and the deck move a
content colour that falls short (`readable`); the PDF prints the content's colours as
given, so `validate` warns about every pair in `TEXT_PAIRS` that fails (`style_problems`).
"""

from __future__ import annotations

import colorsys
import re
from typing import NamedTuple

MIN_CONTRAST = 4.5
LARGE_CONTRAST = 3.0
TARGET = 4.75  # aimed at when moving a colour, a little above the minimum: rounding to #rrggbb stays above it

WHITE = "#ffffff"
BLACK = "#000000"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def rgb(colour: str) -> tuple[float, float, float]:
    """A #rrggbb colour as three fractions."""
    if not _HEX.match(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def to_hex(value: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in value)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def required(size_pt: float, bold: bool = False) -> float:
    """The contrast text of this size needs: large text (18 pt, or 14 pt bold) 3:1, else 4.5:1."""
    return LARGE_CONTRAST if size_pt >= 18 or (bold and size_pt >= 14) else MIN_CONTRAST


def mix(a: str, b: str, t: float) -> str:
    """`a` moved a fraction `t` (0..1) towards `b`."""
    ra, rb = rgb(a), rgb(b)
    return to_hex(tuple(x + (y - x) * t for x, y in zip(ra, rb)))  # type: ignore[arg-type]


def readable(colour: str, backgrounds: tuple[str, ...], *, towards: str, target: float = TARGET) -> str:
    """`colour`, or the least change of it towards `towards` that reads on every background."""
    if all(contrast(colour, bg) >= target for bg in backgrounds):
        return colour
    lo, hi = 0.0, 1.0
    for _ in range(24):
        mid = (lo + hi) / 2
        if all(contrast(mix(colour, towards, mid), bg) >= target for bg in backgrounds):
            hi = mid
        else:
            lo = mid
    return mix(colour, towards, hi)


def light_tint(tint: str) -> str:
    """A background tint that dark text reads on: `tint`, or a light shade of it if it is dark."""
    return tint if contrast(tint, BLACK) > contrast(tint, WHITE) else mix(tint, WHITE, 0.85)


# (text colour, background, where): every pair the outputs set text in, from the content's
# style keys ("white" is the page).  All of it includes small text: each needs MIN_CONTRAST.
TEXT_PAIRS = (
    ("ink", "white", "body text"),
    ("ink", "tint", "text on tinted panels (slide cards and boxes)"),
    ("muted", "white", "bylines, credits, captions' sources, footers"),
    ("muted", "tint", "placeholder and card text, the quote slide's attribution"),
    ("accent", "white", "headings, links and figure numbers"),
    ("accent", "tint", "the pull quote"),
    ("white", "accent", "the masthead band and the group's box in the organisation diagram"),
)


class ContrastProblem(NamedTuple):
    fg_key: str
    bg_key: str
    fg: str
    bg: str
    ratio: float
    where: str

    def pair(self) -> str:
        fg = "white" if self.fg_key == "white" else self.fg_key
        bg = "white" if self.bg_key == "white" else f"the {self.bg_key} ({self.bg})"
        return f"{fg} on {bg} {self.ratio:.2f}:1 ({self.where})"


def style_problems(style) -> list[ContrastProblem]:
    """The pairs of `TEXT_PAIRS` that the content's colours (`style`: accent, ink, muted, tint) fail."""
    colour = {"white": WHITE, "ink": style.ink, "muted": style.muted, "accent": style.accent, "tint": style.tint}
    out = []
    for fg, bg, where in TEXT_PAIRS:
        ratio = contrast(colour[fg], colour[bg])
        if ratio < MIN_CONTRAST:
            out.append(ContrastProblem(fg, bg, colour[fg], colour[bg], ratio, where))
    return out


def style_warnings(style, given: set[str]) -> list[tuple[str | None, str]]:
    """(style key, message): one warning per colour that makes some text hard to read.

    Each problem is told at the colour the content sets (`given`: the keys it sets), the
    text colour first; None if it sets neither (a default pair, which never fails).
    """
    by_key: dict[str | None, list[ContrastProblem]] = {}
    for p in style_problems(style):
        key = next((k for k in (p.fg_key, p.bg_key) if k in given), None)
        by_key.setdefault(key, []).append(p)
    out = []
    for key, problems in by_key.items():
        value = getattr(style, key) if key else ""
        out.append((key, f"{key or 'the colours'} {value}: text contrast below the {MIN_CONTRAST}:1 it needs: "
                         + "; ".join(p.pair() for p in problems)
                         + ". The PDF prints these colours as given; the deck and the web page adjust them"))
    return out


def palette_from_accent(accent: str) -> tuple[str, ...]:
    """Six chart colours for a content that sets an accent and no palette, in the order categories take them.

    The accent first; then a neutral of the complementary hue (greyed, mid-dark), so the two
    most common categories never look alike; a light tint and a dark shade of the accent; a
    light complementary neutral; and a pale tint. Every colour stands apart from white.
    """
    r, g, b = rgb(accent)
    h, light, sat = colorsys.rgb_to_hls(r, g, b)
    comp = (h + 0.5) % 1.0
    neutral = to_hex(colorsys.hls_to_rgb(comp, 0.42, min(sat, 0.22)))
    light_neutral = to_hex(colorsys.hls_to_rgb(comp, 0.70, min(sat, 0.14)))
    if light >= 0.62:  # a light accent has no room for tints: shades instead
        tint, shade, pale = mix(accent, "#000000", 0.3), mix(accent, "#000000", 0.55), mix(accent, "#000000", 0.15)
    elif light < 0.15:  # nor a near-black one for shades: a mid tint instead
        tint, shade, pale = mix(accent, "#ffffff", 0.5), mix(accent, "#ffffff", 0.25), mix(accent, "#ffffff", 0.75)
    else:
        tint, shade, pale = mix(accent, "#ffffff", 0.5), mix(accent, "#000000", 0.45), mix(accent, "#ffffff", 0.75)
    out: list[str] = []
    greys = iter(("#3d3d3d", "#595959", "#8c8c8c", "#a6a6a6", "#262626", "#737373"))
    for colour in (accent.lower(), neutral, tint, shade, light_neutral, pale):
        while colour in out:  # a grey accent's neutrals are greys too: never the same colour twice
            colour = next(greys)
        out.append(colour)
    return tuple(out)
