"""The look every figure shares: matplotlib set up with the shipped fonts, type scale, colours, credit line."""

from __future__ import annotations

import io
from typing import Any, Callable

from .. import dates, fonts
from ..model import Figure, Style

PNG_DPI = 200

_fonts_added = False


def matplotlib() -> Any:
    """Import matplotlib (no pyplot) and make the shipped fonts known to it."""
    global _fonts_added
    import matplotlib as mpl
    from matplotlib import font_manager

    if not _fonts_added:
        for family in fonts.FAMILIES:
            for bold in (False, True):
                for italic in (False, True):
                    font_manager.fontManager.addfont(str(fonts.font_path(family, bold=bold, italic=italic)))
        _fonts_added = True
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


def scale_for(reference: tuple[float, float], size: tuple[float, float]) -> float:
    """Type scale at `size` (inches) against the size the type sizes were chosen for."""
    rw, rh = reference
    return max(0.75, min(1.6, min(size[0] / rw, size[1] / rh)))


def render(draw: Callable[[Any, float], None], style: Style, *, reference: tuple[float, float], fmt: str,
           size: tuple[float, float]) -> bytes:
    """The bytes of an SVG or PNG drawn by `draw(mpl_figure, scale)`; no date or tool name inside."""
    mpl = matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    scale = scale_for(reference, size)
    with mpl.rc_context(rc(style, scale)):
        fig = MplFigure(figsize=size, dpi=PNG_DPI, facecolor="white")
        FigureCanvasAgg(fig)
        draw(fig, scale)
        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        else:
            fig.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buf.getvalue()


def window_label(figure: Figure) -> str:
    months = figure.months()
    start = months[0].month if months else figure.start
    end = months[-1].month if months else figure.end
    if not start or not end:
        return ""
    return dates.month_span(start, end)


def credit(figure: Figure) -> str:
    assert figure.data is not None
    window = window_label(figure)
    scope = figure.data.scope.strip()
    text = f"Data: ACLED ({scope})" if scope else "Data: ACLED"
    return f"{text}, {window}" if window else text


def mix(colour: str, other: str, t: float) -> tuple[float, float, float]:
    """`colour` moved a fraction `t` towards `other` (both #rrggbb)."""
    from matplotlib.colors import to_rgb

    a, b = to_rgb(colour), to_rgb(other)
    return tuple(x + (y - x) * t for x, y in zip(a, b, strict=True))  # type: ignore[return-value]
