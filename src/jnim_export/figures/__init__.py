"""Chart and map artwork drawn from the document model, cached by a hash of its inputs.

The only package that knows matplotlib; it and numpy are imported inside the drawing
functions only, so computing a cache key or returning a cached file never imports them and a
build after a text-only edit stays fast.  The map (``map``) frames any place on Earth from
its data, offline: country shapes from Natural Earth (``world``, data in
``jnim_export.geodata``), the projection and frame (``frame``), label placement
(``labels``), lines and rings cut to the frame (``geometry``).

Public API
    ``figure_file(figure, attacks=, places=, style=, fmt=, size=, cache_dir=, force=)``
        the path of the cached SVG or PNG of a drawn figure (see ``KINDS``), drawn first
        when it is missing (or when ``force``).
    ``cache_key(...)``, same arguments without the cache folder: the hex sha256 naming that file.
    ``KINDS``: the figure kinds drawn here, each a module with ``LIBRARIES``, ``REFERENCE_SIZE``,
    ``key_inputs()`` and ``draw()``; any other kind is refused.

SVG is meant for vector outputs (text stays text); PNG (200 dpi) for slides. The same inputs
give byte-identical files.
"""

from . import chart, fatalities, map, regions
from .cache import CACHE_VERSION, cache_key, figure_file

KINDS = {"chart": chart, "fatalities": fatalities, "map": map, "regions": regions}

__all__ = ["CACHE_VERSION", "KINDS", "cache_key", "figure_file"]
