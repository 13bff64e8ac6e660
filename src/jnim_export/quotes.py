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

from .model import Emph, Inline, Inlines, Link, Strong, Text, plain_text

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
    mark (the space then ends the first); a link showing its own address is left as it is."""
    found = list(_texts(inlines))
    texts = [t if shown_url else spaced(t) for t, shown_url in found]
    before = None  # the text shown last, if it may take a space
    for i, (t, shown_url) in enumerate(found):
        if not t:
            continue
        if before is not None and not shown_url and texts[before][-1] in MARKS and t[0] in MARKS:
            texts[before] += NARROW_SPACE
        before = None if shown_url else i
    return _rebuilt(inlines, iter(texts))


def _texts(inlines: Inlines, shown_url: bool = False) -> Iterator[tuple[str, bool]]:
    """Each text in reading order, and whether it is (part of) a link's own address."""
    for node in inlines:
        if isinstance(node, Text):
            yield node.text, shown_url
        elif isinstance(node, Link):
            yield from _texts(node.children, shown_url or plain_text(node.children) == node.href)
        elif isinstance(node, (Emph, Strong)):
            yield from _texts(node.children, shown_url)


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
