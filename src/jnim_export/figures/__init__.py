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
    ``figure_notes(...)``, same arguments: what the drawing asks a reader to be told (a place a
    map leaves unnamed, and why), for the writer using it to report.
    ``drawings(requests, ...)`` what must be drawn for a list of (figure, format, size), one
    drawing per figure and size; ``draw(drawing, ...)`` draws one and writes each format.
    ``print_size(kind)``: the one size every output but a phone screen asks for.
    ``KINDS``: the drawing of each drawn kind of the registry (``jnim_export.kinds``), the module
    of this package named after it, with ``LIBRARIES``, ``REFERENCE_SIZE``, ``key_inputs()`` and
    ``draw()``; any other kind is refused.

SVG is meant for vector outputs (text stays text); PNG (200 dpi) for slides. The same inputs
give byte-identical files.
"""

import importlib

from ..kinds import DRAWN, KINDS as _REGISTRY, PRINT_WIDTH, print_size
from .cache import Drawing, cache_key, code_fingerprint, draw, drawings, figure_file, figure_notes

KINDS = {name: importlib.import_module(f".{name}", __name__) for name in DRAWN}

ASPECT = {name: _REGISTRY[name].aspect for name in DRAWN}  # height / width of each kind in print
COMPACT = {name: _REGISTRY[name].compact for name in DRAWN}  # a phone's drawing (inches)

__all__ = ["ASPECT", "COMPACT", "Drawing", "KINDS", "PRINT_WIDTH", "cache_key", "code_fingerprint", "draw",
           "drawings", "figure_file", "figure_notes", "print_size"]
