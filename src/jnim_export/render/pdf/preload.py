"""What the process a fresh build forks ahead imports for the PDF (`Writer.libraries`): the
writer's modules with ReportLab's, and, on import, every shipped face registered, which a
process's first render would otherwise do after the content is read. With them what a render
imports on first use: the figure cache's code (for a drawing's key) and the Arabic shaping pair
(for a name in Arabic script), about 0.04 s."""

import arabic_reshaper  # noqa: F401
import bidi  # noqa: F401

from ... import figures  # noqa: F401
from . import drawcache  # noqa: F401
from .fonts import register_shipped
from .settings import render_pdf  # noqa: F401

register_shipped()
