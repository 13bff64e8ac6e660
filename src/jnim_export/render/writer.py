"""What every writer is: a name, a file suffix, the part of the model it shows, and a render function."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from ..model import Document, Figure
from .options import make, settings

#: a drawing a render will ask the figure cache for: the figure, "svg" or "png", (width, height) in inches
Artwork = tuple[Figure, str, tuple[float, float]]


@dataclass(frozen=True)
class Context:
    """What a render needs besides its view of the document and its options."""

    figure_cache: Path  # folder of the cached figure artwork
    redraw_figures: bool = False  # draw the figures again instead of using the cache
    # --no-cache: nothing derived from a drawing is reused either (the page's inline form of it),
    # even once the build has drawn them all again and `redraw_figures` is off
    no_cache: bool = False


@dataclass(frozen=True)
class Rendered:
    units: int  # pages, slides, sections: what the writer's `unit` names
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Writer:
    """One output format.

    `options` is a frozen dataclass whose fields are the writer's settings, each with a type
    the command line can take, a default and `metadata["help"]` (see `options.py`); the content
    file may set them under the writer's name and the command line over that. `view(doc)` is the
    part of the model the output shows: an edit outside it leaves the output fresh, because
    `render`, `artwork` and `prepare` are given that view and never the whole document. `render`
    writes the output to the given path. `artwork(view, options)` lists the figure drawings
    `render` will use, so that a build draws each once, before the writers start, and shares it
    among them. `prepare(view, options)` does what a render can do before any figure is drawn
    (import its libraries, load its fonts): a build that has figures to draw runs it meanwhile.
    `libraries` are the modules `render` imports: a fresh process's build imports them on the
    other core while it reads the content (`ahead.py`). A writer that does not show the body's
    paragraphs (`shows_body` false: the deck) is left fresh by the commonest edit, so its libraries
    are imported there only once the content read shows its output stale.
    """

    name: str
    title: str  # what the output is, for help texts: "the PDF backgrounder"
    suffix: str
    unit: str
    options: type
    view: Callable[[Document], Any]
    render: Callable[[Any, Path, Any, Context], Rendered]
    artwork: Callable[[Any, Any], Iterable[Artwork]] = lambda view, options: ()
    prepare: Callable[[Any, Any], None] = lambda view, options: None
    libraries: tuple[str, ...] = ()  # modules a fresh process's build imports while it reads the content
    shows_body: bool = True

    def __post_init__(self) -> None:
        settings(self.options)  # a setting no command line could take is refused here, at import

    def make_options(self, given: Mapping[str, Any] | None = None) -> Any:
        """The writer's options from `given` (None meaning the default). Raises OptionsError."""
        return make(self.name, self.options, given or {})


def unreadable_photo(fig: Figure) -> str:
    """The one warning every writer gives for a photo it cannot read (gone or changed since the
    content was read and checked): the same words, so that a build reports it once."""
    name = fig.image.name if fig.image is not None else fig.id
    return f"figure {fig.number} ({fig.id}): cannot read {name}; a labelled placeholder is shown"


class RenderError(Exception):
    """A writer refused the content (a character no font has, say); the message is for the user."""
