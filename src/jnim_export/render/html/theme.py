"""The web edition's colours: the content's style, checked for contrast, light and dark.

Every text colour is set against the backgrounds it is read on and moved (darker in the
light scheme, lighter in the dark one) until it reaches `MIN_CONTRAST` (WCAG 2 AA for body
text) on all of them, so a pale accent in the content cannot make unreadable headings.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...colours import BLACK, WHITE, light_tint, mix, readable
from ...colours import rgb as _rgb
from ...model import Style

DARK_BG = "#16181b"  # the dark scheme's page
DARK_INK = "#e7e5e1"
PANORAMA = 2.5  # a photo this many times wider than high (or more) spans the column, never floats


@dataclass(frozen=True)
class Scheme:
    """One colour scheme: every colour the stylesheet uses (custom property name -> #rrggbb)."""

    bg: str
    ink: str
    muted: str
    accent: str  # headings, links, figure numbers, the pull quote
    tint: str  # pull quote, placeholder and :target background
    rule: str  # hairlines and borders (not text)
    band: str  # the masthead band: white text on it
    band_ink: str

    def custom_properties(self) -> str:
        names = ("bg", "ink", "muted", "accent", "tint", "rule", "band", "band_ink")
        return "".join(f"--{n.replace('_', '-')}:{getattr(self, n)};" for n in names)

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """(what, foreground, background) for every text colour on every background it is read on."""
        pairs = []
        for name in ("ink", "muted", "accent"):
            for bg_name in ("bg", "tint"):
                pairs.append((f"{name} on {bg_name}", getattr(self, name), getattr(self, bg_name)))
        pairs.append(("masthead", self.band_ink, self.band))
        return pairs


def schemes(style: Style) -> tuple[Scheme, Scheme]:
    """(light, dark) schemes from the content's style."""
    for colour in (style.accent, style.ink, style.muted, style.tint, *style.palette):
        _rgb(colour)  # validated on load; a stylesheet only ever gets #rrggbb
    bg = WHITE
    tint = light_tint(style.tint)
    backs = (bg, tint)
    light = Scheme(
        bg=bg,
        ink=readable(style.ink, backs, towards=BLACK),
        muted=readable(style.muted, backs, towards=BLACK),
        accent=readable(style.accent, backs, towards=BLACK),
        tint=tint,
        rule=mix(style.muted, bg, 0.55),
        band=readable(style.accent, (WHITE,), towards=BLACK),
        band_ink=WHITE,
    )
    dark_tint = mix(DARK_BG, style.accent, 0.16)
    dbacks = (DARK_BG, dark_tint)
    dark = Scheme(
        bg=DARK_BG,
        ink=readable(DARK_INK, dbacks, towards=WHITE),
        muted=readable(mix(style.muted, WHITE, 0.45), dbacks, towards=WHITE),
        accent=readable(mix(style.accent, WHITE, 0.35), dbacks, towards=WHITE),
        tint=dark_tint,
        rule=mix(DARK_BG, WHITE, 0.28),
        band=readable(mix(style.accent, BLACK, 0.15), (WHITE,), towards=BLACK),
        band_ink=WHITE,
    )
    return light, dark


# Arabic runs fall through to the shipped Noto Naskh Arabic, embedded when the page has any.
_STACKS = {
    "Noto Serif": '"Noto Serif", "Noto Naskh Arabic", Georgia, Cambria, "Times New Roman", serif',
    "Noto Sans": '"Noto Sans", "Noto Naskh Arabic", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
}
# The group's name in another script
_NATIVE = '"Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", "Segoe UI", Tahoma, system-ui, sans-serif'


def variables_css(style: Style) -> str:
    """Custom properties for both schemes and the type stacks; the static sheet uses only these."""
    light, dark = schemes(style)
    scale = max(0.8, min(1.3, float(style.body_size) / 10.0))
    # only the shipped families are named (never a string from the content itself)
    body_font = _STACKS.get(style.serif, "Georgia, serif")
    ui_font = _STACKS.get(style.sans, "system-ui, sans-serif")
    common = (f"--body-font:{body_font};--ui-font:{ui_font};"
              f"--native-font:{_NATIVE};--scale:{scale:.3f};")
    return (
        f":root{{{common}{light.custom_properties()}}}\n"
        f"@media (prefers-color-scheme: dark){{:root{{{dark.custom_properties()}}}}}\n"
        f"@media print{{:root{{{light.custom_properties()}}}}}\n"
    )
