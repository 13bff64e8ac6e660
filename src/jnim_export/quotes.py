"""Adjacent quotation marks set apart, as a typesetter sets them: ‘Title’ ” rather than ’”.

Where a single and a double quotation mark meet (a quotation ending a quoted title, one opening
it), a typesetter sets a thin space between them (The Chicago Manual of Style, 17th ed., 6.11;
its notes print "‘Passage to India,’ ”"). It is U+202F NARROW NO-BREAK SPACE: as narrow as a
thin space (1/6 em in the shipped faces) and never a line break, so the two marks always stay
on one line. Made once for the notes (in `content`: a citation's in `citations.cite`, a note's
own text in `notes`) and used by any writer that adds marks around text itself.
"""

from __future__ import annotations

import re
from typing import Iterator

from .model import Emph, Inline, Inlines, Link, Strong, Text

NARROW_SPACE = "\u202f"
# The marks of US style (the notes' titles are nested into them) and the straight ones, which an
# apostrophe may be; any other quotation mark has its own spacing conventions.
MARKS = "\u2018\u2019\u201c\u201d'\""
# Two marks with nothing between them, or a space narrower than a word space that may break.
_MEETING = re.compile(f"([{MARKS}])[\u2009\u200a{NARROW_SPACE}]*(?=[{MARKS}])")


def spaced(text: str) -> str:
    """`text` with exactly one narrow no-break space between any two quotation marks that meet."""
    return _MEETING.sub(r"\1" + NARROW_SPACE, text)


def spaced_inlines(inlines: Inlines) -> Inlines:
    """`inlines` with their texts `spaced`, also where one text ends and the next begins with a
    mark (the space then ends the first)."""
    texts = [spaced(t) for t in _texts(inlines)]
    shown = [i for i, t in enumerate(texts) if t]
    for a, b in zip(shown, shown[1:]):
        if texts[a][-1] in MARKS and texts[b][0] in MARKS:
            texts[a] += NARROW_SPACE
    return _rebuilt(inlines, iter(texts))


def _texts(inlines: Inlines) -> Iterator[str]:
    for node in inlines:
        if isinstance(node, Text):
            yield node.text
        elif isinstance(node, (Emph, Strong, Link)):
            yield from _texts(node.children)


def _rebuilt(inlines: Inlines, texts: Iterator[str]) -> Inlines:
    """`inlines` with each text, in reading order, the next of `texts`."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Text(next(texts)))
        elif isinstance(node, Emph):
            out.append(Emph(_rebuilt(node.children, texts)))
        elif isinstance(node, Strong):
            out.append(Strong(_rebuilt(node.children, texts)))
        elif isinstance(node, Link):
            out.append(Link(node.href, _rebuilt(node.children, texts)))
        else:
            out.append(node)
    return tuple(out)
