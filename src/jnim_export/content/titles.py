"""Titles as Chicago notes print them: quotations inside a title nested US style, and short titles.

A quoted title ("Title," in an article's note) sets its own quotations in single quotes and
theirs in double ones again (CMOS 17, 14.94 and 6.9); an italic title (a book's or a report's)
keeps its quotations in double quotes. Whatever marks the title used — "straight", “English”,
„German“, ‚German‘, «French» or ‹French› — come out as the level asks.
"""

from __future__ import annotations

import re

# Opening marks and the marks that may close them; a double mark opens a double level.
_DOUBLE_OPENERS = {"\u201e": "\u201c\u201d", "\u201c": "\u201d", "\u00ab": "\u00bb", '"': '"'}
_SINGLE_OPENERS = {"\u201a": "\u2018\u2019", "\u2018": "\u2019", "\u2039": "\u203a", "'": "'"}
# what may stand before an opening mark (besides the start), the no-break spaces of French quotes too
_OPENS_AFTER = " \t\u00a0\u202f([{\u2014\u2013-/"
_OPENERS = "".join(_DOUBLE_OPENERS) + "".join(_SINGLE_OPENERS)  # a quotation may open another at once
_LETTER = re.compile(r"\w")
DOUBLE = ("\u201c", "\u201d")
SINGLE = ("\u2018", "\u2019")
CLOSERS = "\u2019\u201d"
# Words a short title does not end on.
_FUNCTION_WORDS = frozenset("a an the of in on for to and or with by at from as into over after before against".split())
_BREAK = re.compile(r"(?<=[?!])\s|\s*(?::|;|\s[\u2013\u2014-]\s|\u2014|\()")
# A title's final period is dropped (the note supplies its own punctuation) unless it ends an
# abbreviation ("U.S.", "Inc.") or an ellipsis.
_ABBREVIATION = re.compile(r"(?:\b\w\.\w\.|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St|No|etc|al|vs)\.|\.\.\.)$")


def nested(title: str, *, quoted: bool) -> str:
    """`title` with its quotations in US marks: single first if the title itself is `quoted`."""
    return _scan(title, quoted)[0]


def balanced(text: str) -> bool:
    """Does every quotation `text` opens close in it?"""
    return _scan(text, True)[1] == 0


def closing_marks(text: str) -> int:
    """How many of `text`'s last characters close quotations (an apostrophe does not)."""
    closed = _scan(text, True)[2]
    n = 0
    while n < len(text) and len(text) - 1 - n in closed:
        n += 1
    return n


def _scan(title: str, quoted: bool) -> tuple[str, int, set[int]]:
    """The title with its quotation marks replaced level by level, how many were left open, and
    where the closing marks are."""
    levels = (SINGLE, DOUBLE) if quoted else (DOUBLE, SINGLE)
    out: list[str] = []  # one character for each of `title`'s
    stack: list[tuple[str, int]] = []  # (marks that close it, index of the opening mark)
    closed: set[int] = set()
    for i, ch in enumerate(title):
        before = title[i - 1] if i else " "
        after = title[i + 1] if i + 1 < len(title) else " "
        if stack and ch in stack[-1][0] and _may_close(ch, before, after):
            out.append(levels[(len(stack) - 1) % 2][1])
            stack.pop()
            closed.add(i)
        elif (ch in _DOUBLE_OPENERS or ch in _SINGLE_OPENERS) and _may_open(ch, before, after):
            stack.append((_DOUBLE_OPENERS.get(ch) or _SINGLE_OPENERS[ch], len(out)))
            out.append(levels[(len(stack) - 1) % 2][0])
        else:
            out.append(ch)
    for _, at in stack:  # never closed: the mark was not a quotation (an apostrophe, a stray mark)
        out[at] = title[at]
    text = "".join(out)
    # « French » spacing has no place inside English marks.
    text = re.sub(r"([‘“])[   ]+|[   ]+([’”])", r"\1\2", text)
    return text, len(stack), closed


def _may_open(ch: str, before: str, after: str) -> bool:
    if ch in "'\u2018":  # also an apostrophe or a closing German mark: open only at a word's start
        return (before in _OPENS_AFTER or before in _OPENERS.replace(ch, "")) and not after.isspace()
    if ch == '"':
        return before in _OPENS_AFTER or before in _OPENERS.replace(ch, "")
    return True


def _may_close(ch: str, before: str, after: str) -> bool:
    if ch in "'\u2019":  # not an apostrophe inside a word ("Jama'at")
        return not (_LETTER.match(before) and _LETTER.match(after))
    return True


def trimmed(title: str) -> str:
    """`title` without a final period or comma of its own (kept after an abbreviation)."""
    title = title.strip()
    core = title.rstrip(CLOSERS + "\"'")
    tail = title[len(core):]
    while core.endswith((",", ".")) and not _ABBREVIATION.search(core):
        core = core[:-1].rstrip()
    return core + tail


def short_title(title: str) -> str:
    """A title's first words up to a natural break (a colon, a question, a dash), at most four,
    never cutting a quotation in two."""
    main = _BREAK.split(title.strip(), maxsplit=1)[0].strip() or title.strip()
    words = main.split()
    if words and words[0].lower() in ("a", "an", "the") and len(words) > 1:
        words = words[1:]
    if len(words) > 4:
        cut = words[:4]
        while len(cut) > 1 and cut[-1].lower().strip(",;") in _FUNCTION_WORDS:
            cut.pop()
        while len(cut) < len(words) and not balanced(" ".join(cut)):
            cut.append(words[len(cut)])
        words = cut
    return " ".join(words).rstrip(",;")


