"""What the process a fresh build forks ahead imports for the PDF (`Writer.libraries`): the
writer's modules with ReportLab's, and, on import, every shipped face registered, which a
process's first render would otherwise do after the content is read."""

from .fonts import register_shipped
from .story import render_pdf  # noqa: F401

register_shipped()
