"""Colours derived from the house style: the chart palette a content gets from its accent alone."""

from __future__ import annotations

import colorsys


def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.lstrip("#")
    return int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, v)) * 255):02x}" for v in rgb)


def mix(colour: str, other: str, t: float) -> str:
    """`colour` moved a fraction `t` towards `other` (both #rrggbb), as #rrggbb."""
    a, b = _rgb(colour), _rgb(other)
    return _hex(tuple(x + (y - x) * t for x, y in zip(a, b)))  # type: ignore[arg-type]


def palette_from_accent(accent: str) -> tuple[str, ...]:
    """Six chart colours for a content that sets an accent and no palette, in the order categories take them.

    The accent first; then a neutral of the complementary hue (greyed, mid-dark), so the two
    most common categories never look alike; a light tint and a dark shade of the accent; a
    light complementary neutral; and a pale tint. Every colour stands apart from white.
    """
    r, g, b = _rgb(accent)
    h, light, sat = colorsys.rgb_to_hls(r, g, b)
    comp = (h + 0.5) % 1.0
    neutral = _hex(colorsys.hls_to_rgb(comp, 0.42, min(sat, 0.22)))
    light_neutral = _hex(colorsys.hls_to_rgb(comp, 0.70, min(sat, 0.14)))
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
