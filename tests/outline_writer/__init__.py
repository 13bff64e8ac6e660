"""A throwaway writer for the tests: the document as a plain-text outline.

Written as a real writer is (its own package, a `WRITER`), so that the tests can register it the
way a format is registered (one more entry in the registry) and drive it through the real
command line. Its view is not a `Document`: a writer is given only what its view returns.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jnim_export.model import Document, Paragraph, plain_text
from jnim_export.render import Context, Rendered, Writer


@dataclass(frozen=True)
class OutlineOptions:
    headings: bool = field(default=True, metadata={"help": "Print the section headings."})
    wrap: int = field(default=0, metadata={"help": "Wrap paragraphs at this many characters (0: one line each)."})
    marker: Literal["none", "dash", "star"] = field(default="none", metadata={"help": "Mark each paragraph."})


@dataclass(frozen=True)
class OutlineView:
    """All the outline shows: the title, and each section's title and paragraphs as plain text."""

    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]


def view(doc: Document) -> OutlineView:
    return OutlineView(doc.meta.title, tuple(
        (s.title, tuple(plain_text(b.text) for b in s.blocks if isinstance(b, Paragraph))) for s in doc.sections))


MARKS = {"none": "", "dash": "- ", "star": "* "}


def render(shown: OutlineView, dest: Path, options: OutlineOptions, context: Context) -> Rendered:
    if not isinstance(shown, OutlineView):
        raise TypeError(f"the outline was given {type(shown).__name__}, not its view")
    lines = [shown.title]
    for title, paragraphs in shown.sections:
        if options.headings:
            lines.append(f"## {title}")
        for text in paragraphs:
            text = MARKS[options.marker] + text
            lines += textwrap.wrap(text, options.wrap) if options.wrap else [text]
    long = sorted({w for _, paragraphs in shown.sections for text in paragraphs for w in text.split()
                   if options.wrap and len(w) > options.wrap})
    warnings = tuple(f"outline: {word!r} is longer than a line of {options.wrap}; it is cut" for word in long)
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Rendered(units=len(lines), warnings=warnings)


WRITER = Writer(name="outline", title="a plain-text outline", suffix=".txt", unit="lines",
                options=OutlineOptions, view=view, render=render)
