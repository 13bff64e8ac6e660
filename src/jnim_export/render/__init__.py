"""The writers, one package per output format, in the order a build renders them."""

from . import docx, html, pdf, pptx
from .writer import Context, Rendered, RenderError, Writer

WRITERS: tuple[Writer, ...] = (pdf.WRITER, pptx.WRITER, html.WRITER, docx.WRITER)

__all__ = ["WRITERS", "Context", "RenderError", "Rendered", "Writer", "writer"]


def writer(name: str) -> Writer:
    """The registered writer called `name`."""
    for w in WRITERS:
        if w.name == name:
            return w
    raise KeyError(f"no writer called {name!r}; there are {', '.join(w.name for w in WRITERS)}")
