"""Authors as Chicago notes name them: in full at first mention, by surname in short notes.

An author is a person unless the source says otherwise (`organisation: true`, or a `literal`
in `authors`): a name is never guessed to be an organisation's from its words. In notes, two
authors are joined by "and", three listed in full, and four or more given as the first
followed by "et al." (CMOS 17, 14.76).
"""

from __future__ import annotations

import re

from ..model import Name, Source

# Particles that belong to a surname: "Ag Ghaly", "de Gaulle", "bin Laden".
_PARTICLES = frozenset("ag al el de del della der den di da das dos du la le van von bin ibn abu ould ben".split())
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
# People written in one `author`: "A and B", "A, B, and C", "A & B".
_PEOPLE = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


def full_names(source: Source) -> str | None:
    """The author(s) as a full note gives them."""
    if source.authors:
        return listed([_full(n) for n in source.authors])
    return source.author or None


def short_names(source: Source) -> str | None:
    """The author(s) as a short note names them: people by surname, an organisation whole."""
    if source.short_author is not None:
        return source.short_author or None
    if source.authors:
        return listed([n.literal or n.family or "" for n in source.authors])
    if not source.author:
        return None
    if source.organisation:
        return source.author
    people: list[str] = []
    for part in (p.strip() for p in _PEOPLE.split(source.author)):
        if part and people and part.lower() in _SUFFIXES:
            people[-1] += f", {part}"  # "John Smith, Jr." is one person
        elif part:
            people.append(part)
    return listed([surname(p) for p in people])


def listed(names: list[str]) -> str:
    """"A", "A and B", "A, B, and C"; four or more: "A et al." (CMOS 14.76, notes)."""
    if len(names) >= 4:
        return f"{names[0]} et al."
    if len(names) == 3:
        return f"{names[0]}, {names[1]}, and {names[2]}"
    return " and ".join(names)


def surname(person: str) -> str:
    """The last word of a person's name, with the particles before it and without "Jr."."""
    if person.rstrip().endswith(" et al."):  # "Jane Smith et al." as written
        return surname(person.rstrip()[: -len(" et al.")]) + " et al."
    words = person.split()
    while len(words) > 1 and words[-1].lower().rstrip(",") in _SUFFIXES:
        words.pop()
    last = [words.pop()] if words else [person.strip()]
    while words and words[-1].lower() in _PARTICLES:
        last.insert(0, words.pop())
    return " ".join(last)


def _full(name: Name) -> str:
    if name.literal:
        return name.literal
    return " ".join(p for p in (name.given, name.family) if p)
