"""Chart and map artwork drawn from the document model, cached by a hash of its inputs.

The only package that knows matplotlib; it and numpy are imported inside the drawing
functions only, so computing a cache key or returning a cached file never imports them and a
build after a text-only edit stays fast.  The map (``map``) frames any place on Earth from
its data, offline: country shapes from Natural Earth (``world``, data in
``jnim_export.geodata``), lakes and rivers (``water``, data there too), the projection and frame (``frame``),
label placement (``labels``), lines and rings cut to the frame (``geometry``); its drawing
steps share ``mapcanvas`` and draw symbols (``mapsymbols``), furniture (``mapfurniture``) and
labels (``maplabels``).

Public API
    ``figure_file(figure, attacks=, places=, style=, fmt=, size=, cache_dir=, force=)``
        the path of the cached SVG or PNG of a drawn figure (see ``KINDS``), drawn first
        when it is missing (or when ``force``).
    ``cache_key(...)``, same arguments without the cache folder: the hex sha256 naming that file.
    ``drawings(requests, ...)`` what must be drawn for a list of (figure, format, size), one
    drawing per figure and size; ``draw(drawing, ...)`` draws one and writes each format.
    ``print_size(kind)``: the one size every output but a phone screen asks for.
    ``KINDS``: the figure kinds drawn here, each a module with ``LIBRARIES``, ``REFERENCE_SIZE``,
    ``key_inputs()`` and ``draw()``; any other kind is refused.

SVG is meant for vector outputs (text stays text); PNG (200 dpi) for slides. The same inputs
give byte-identical files.
"""

from . import chart, fatalities, map, regions
from .cache import CACHE_VERSION, Drawing, cache_key, draw, drawings, figure_file

KINDS = {"chart": chart, "fatalities": fatalities, "map": map, "regions": regions}

PRINT_WIDTH = 6.3  # inches: a letter page's text column and the web page's figure column
ASPECT = {"map": 0.62, "chart": 0.46, "fatalities": 0.46, "regions": 0.5}  # height / width of each kind
COMPACT = {"map": (3.8, 3.6), "chart": (3.8, 3.0), "fatalities": (3.8, 3.0), "regions": (3.8, 3.4)}  # a phone's


def print_size(kind: str) -> tuple[float, float]:
    """The size (inches) a figure of `kind` is drawn at for every output but a phone screen: one
    drawing serves the PDF (scaled to its column), the web page and the slides."""
    return PRINT_WIDTH, round(PRINT_WIDTH * ASPECT[kind], 3)


__all__ = ["ASPECT", "CACHE_VERSION", "COMPACT", "Drawing", "KINDS", "PRINT_WIDTH", "cache_key", "draw", "drawings",
           "figure_file", "print_size"]
