"""Runs of Arabic script inside Latin text, and how to set them where a renderer does not.

Backgrounders on this region name groups, people and statements in Arabic inside English
sentences. Every writer splits its text into runs with `runs`; a writer whose target shapes
and orders text itself (PowerPoint, a browser) only marks the runs' language and direction;
the PDF, which does neither, draws `visual(run)`: joined letter forms in right-to-left
visual order (arabic-reshaper and python-bidi, the standard pure-Python pair), kept on one
line.
"""

from __future__ import annotations

import functools
import re

LANG = "ar"
# Arabic, Arabic Supplement, Arabic Extended-A, and the presentation forms
_LETTER = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# A run starts and ends with an Arabic letter and takes in what stands between two of them.
_RUN = re.compile(f"[{_LETTER}](?:[{_LETTER}\\s\\d\u0660-\u0669().,:;!?\u060c\u061b\u061f\u00ab\u00bb-]*[{_LETTER}])?")


def has_arabic(text: str) -> bool:
    return _RUN.search(text) is not None


def runs(text: str) -> list[tuple[str, bool]]:
    """`text` as (piece, is_arabic) pairs in logical order; no empty pieces."""
    out: list[tuple[str, bool]] = []
    at = 0
    for m in _RUN.finditer(text):
        if m.start() > at:
            out.append((text[at:m.start()], False))
        out.append((m.group(0), True))
        at = m.end()
    if at < len(text):
        out.append((text[at:], False))
    return out


@functools.lru_cache(maxsize=4096)
def visual(run: str) -> str:
    """An Arabic run as drawn left to right: joined forms, right-to-left order, no line breaks."""
    import arabic_reshaper
    from bidi import get_display

    shaped = arabic_reshaper.reshape(run)
    return get_display(shaped, base_dir="R").replace(" ", "\u00a0")
