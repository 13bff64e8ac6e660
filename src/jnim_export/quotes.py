"""Adjacent quotation marks set apart, as a typesetter sets them: ‘Title’ ” rather than ’”.

Where a single and a double quotation mark meet (a quotation ending a quoted title, one opening
it), The Chicago Manual of Style (17th ed., 6.11) has a thin space set between them. It is
U+202F NARROW NO-BREAK SPACE: as narrow as a thin space (1/6 em in the shipped faces) and never
a line break, so the two marks always stay on one line. Made once for the notes
(`content.citations.cite`) and used by any writer that adds marks around text itself.
"""

from __future__ import annotations

import re

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
    """`inlines` with their texts `spaced`, also where one text ends and the next begins with a mark
    (the space then ends the first)."""
    leaves: list[list[str]] = []  # each text's characters, in reading order: [text] cells to rewrite

    def collect(nodes: Inlines) -> None:
        for node in nodes:
            if isinstance(node, Text):
                leaves.append([spaced(node.text)])
            elif isinstance(node, (Emph, Strong, Link)):
                collect(node.children)

    collect(inlines)
    filled = [cell for cell in leaves if cell[0]]
    for cell, after in zip(filled, filled[1:]):
        if cell[0][-1] in MARKS and after[0][0] in MARKS:
            cell[0] += NARROW_SPACE
    texts = iter(cell[0] for cell in leaves)

    def rebuild(nodes: Inlines) -> Inlines:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(Text(next(texts)))
            elif isinstance(node, Emph):
                out.append(Emph(rebuild(node.children)))
            elif isinstance(node, Strong):
                out.append(Strong(rebuild(node.children)))
            elif isinstance(node, Link):
                out.append(Link(node.href, rebuild(node.children)))
            else:
                out.append(node)
        return tuple(out)

    return rebuild(inlines)
