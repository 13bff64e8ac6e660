"""The look every figure shares: matplotlib set up with the shipped fonts, type scale, colours, credit line."""

from __future__ import annotations

import io
from typing import Any, Callable

from .. import dates, fonts
from ..model import Figure, Style
from ..tables import source_line

PNG_DPI = 200
RGB = tuple[float, float, float]  # a colour as three fractions

_faces_added: set[tuple[str, bool, bool]] = set()


def matplotlib(family: str | None = None) -> Any:
    """Import matplotlib (no pyplot) and make shipped faces known to it: `family`'s regular and bold, or all.

    A figure sets its text in one family, regular and bold: registering only those two
    faces keeps a cold draw fast.
    """
    import matplotlib as mpl
    import matplotlib.backends.backend_agg  # noqa: F401  (imported here, so that a build imports it before forking)
    import matplotlib.figure  # noqa: F401
    from matplotlib import font_manager

    if family is None:
        wanted = [(name, bold, italic) for name in fonts.FAMILIES for bold in (False, True) for italic in (False, True)]
    else:
        wanted = [(family, False, False), (family, True, False)]
    for face in wanted:
        if face not in _faces_added:
            name, bold, italic = face
            font_manager.fontManager.addfont(str(fonts.font_path(name, bold=bold, italic=italic)))
            _faces_added.add(face)
    return mpl


def rc(style: Style, scale: float) -> dict[str, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": "jnim-export-figures",
        "svg.image_inline": True,
        "font.family": [style.sans],
        "font.size": 8 * scale,
        "text.color": style.ink,
        "axes.edgecolor": style.ink,
        "axes.labelcolor": style.ink,
        "xtick.color": style.ink,
        "ytick.color": style.ink,
        "axes.unicode_minus": False,
        "path.simplify": True,
        "figure.dpi": PNG_DPI,
        "savefig.dpi": PNG_DPI,
    }


def scale_for(reference: tuple[float, float], size: tuple[float, float], least: float = 0.0) -> float:
    """Type scale at `size` (inches) against the size the type sizes were chosen for, at least
    `least` (what keeps the smallest type legible)."""
    rw, rh = reference
    return max(0.75, least, min(1.6, min(size[0] / rw, size[1] / rh)))


def render(draw: Callable[[Any, float], None], style: Style, *, reference: tuple[float, float],
           formats: tuple[str, ...], size: tuple[float, float], least: float = 0.0) -> dict[str, bytes]:
    """The bytes of each of `formats` ("svg", "png") of one drawing by `draw(mpl_figure, scale)`,
    its type scale at least `least`; no date or tool name inside."""
    mpl = matplotlib(style.sans)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    scale = scale_for(reference, size, least)
    out = {}
    with mpl.rc_context(rc(style, scale)):
        fig = MplFigure(figsize=size, dpi=PNG_DPI, facecolor="white")
        FigureCanvasAgg(fig)
        draw(fig, scale)
        for fmt in formats:
            buf = io.BytesIO()
            if fmt == "svg":
                fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
            else:
                fig.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Software": None})
            out[fmt] = buf.getvalue()
    return out


def credit(figure: Figure) -> str:
    """The data credit drawn inside a map or chart (`tables.source_line`, the same in every output)."""
    return source_line(figure)


def two_lines(text: str) -> str:
    """`text` broken at the space nearest its middle (for a credit too wide for its figure)."""
    words = text.split(" ")
    if len(words) < 2:
        return text
    cut = min(range(1, len(words)), key=lambda k: abs(len(" ".join(words[:k])) - len(" ".join(words[k:]))))
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])


def mix(colour: str | RGB, other: str | RGB, t: float) -> RGB:
    """`colour` moved a fraction `t` towards `other` (both #rrggbb)."""
    from matplotlib.colors import to_rgb

    a, b = to_rgb(colour), to_rgb(other)
    return tuple(x + (y - x) * t for x, y in zip(a, b, strict=True))  # type: ignore[return-value]
