"""Chicago notes-style citations: full form at first mention, short form later, "Ibid." in a row.

Short forms follow The Chicago Manual of Style (17th ed., 14.29–14.36): the author's surname
(or the organisation's name) and a short title of up to four words, so that each note stands
alone. `short_author` and `short_title` in the content override the derived forms; an empty
`short_author` leaves the author out of the short form.
"""

from __future__ import annotations

import re

from ..dates import long_date
from ..model import Inline, Inlines, Link, Source, Text, joined

# Words that make an author an organisation (its name is then its short form).
_ORGANISATION = frozenset("""
    academy administration africa african agence agency alliance analytics archive armed army assembly associated
    association authority bank board broadcasting bureau center centre coalition command commission committee
    company conflict consulting corporation council court crisis daily data department desk economist embassy
    europe european federation forces forum foundation front gazette government group guardian herald human
    information institute institution intelligence international journal jazeera kingdom league library
    magazine ministry mission monitor monitoring movement nations network news observatory observer office
    organisation organization parliament party police post press program programme project radio research
    republic review rights sentinel service society state states studies survey television times tribunal
    tribune union united university watch
""".split())
# Particles that belong to a surname: "Ag Ghaly", "de Gaulle", "bin Laden".
_PARTICLES = frozenset("ag al el de del della der den di da das dos du la le van von bin ibn abu ould ben".split())
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
# Words a short title does not end on.
_FUNCTION_WORDS = frozenset("a an the of in on for to and or with by at from as into over after before against".split())
_BREAK = re.compile(r"(?<=[?!])\s|\s*(?::|;|\s[\u2013\u2014-]\s|\u2014|\()")


def full_citation(source: Source, after_author: str, after_title: str) -> Inlines:
    """The first-mention form, without the closing period."""
    rest: list[Inlines] = [
        (Text(x),) for x in (source.container, source.date and long_date(source.date)) if x
    ]
    if source.url:
        rest.append((Text("<"), Link(source.url, (Text(source.url),)), Text(">")))
    out: list[Inline] = []
    if source.author:
        out.append(Text(source.author))
        if source.title or rest:
            out.append(Text(after_author + " "))
    if source.title:
        out.append(Text(_quoted(source.title, after_title if rest else ".")))
        if rest:
            out.append(Text(" "))
    for i, part in enumerate(rest):
        if i:
            out.append(Text(", "))
        out.extend(part)
    return tuple(out)


def short_citation(source: Source) -> Inlines:
    """The later-mention form: the author's surname (or organisation) and a short title."""
    author = short_author(source)
    title = source.short_title or (short_title(source.title) if source.title else None)
    if not title:
        return (Text(author or source.author or source.id),)
    lead = f"{author}, " if author else ""
    return (Text(f"{lead}{_quoted(title, '.')}"),)


def short_author(source: Source) -> str | None:
    """The author as a short note names it: surnames of people, an organisation whole."""
    if source.short_author is not None:
        return source.short_author or None
    if not source.author:
        return None
    people = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", source.author) if p.strip()]
    if any(_is_organisation(p) for p in people):
        return source.author
    surnames = [_surname(p) for p in people]
    if len(surnames) >= 4:
        return f"{surnames[0]} et al."
    if len(surnames) == 3:
        return f"{surnames[0]}, {surnames[1]}, and {surnames[2]}"
    return " and ".join(surnames)


def short_title(title: str) -> str:
    """A title's first words up to a natural break (a colon, a question, a dash), at most four."""
    main = _BREAK.split(title.strip(), maxsplit=1)[0].strip() or title.strip()
    words = main.split()
    if words and words[0].lower() in ("a", "an", "the") and len(words) > 1:
        words = words[1:]
    if len(words) > 4:
        words = words[:4]
        while len(words) > 1 and words[-1].lower().strip(",;") in _FUNCTION_WORDS:
            words.pop()
    return " ".join(words).rstrip(",;")


def _is_organisation(name: str) -> bool:
    words = name.split()
    if len(words) == 1 or len(words) > 4 or any(ch.isdigit() for ch in name) or "(" in name:
        return True
    if any(w.isupper() and len(w) > 1 and w.isalpha() for w in words):
        return True  # an acronym
    return any(w.strip(".,'’").lower() in _ORGANISATION for w in words)


def _surname(person: str) -> str:
    words = person.split()
    while len(words) > 1 and words[-1].lower().rstrip(",") in _SUFFIXES:
        words.pop()
    surname = [words.pop()] if words else [person]
    while words and words[-1].lower() in _PARTICLES:
        surname.insert(0, words.pop())
    return " ".join(surname)


def _quoted(title: str, after: str) -> str:
    """A title in double quotes, its own quotations in single ones, then `after` unless the title
    ends with a question or exclamation mark (which takes the place of a comma or period)."""
    inner = re.sub(r'"([^"]*)"', "\u2018\\1\u2019", title).replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    if inner.rstrip().endswith(("?", "!")):
        after = ""
    return f"\u201c{inner}{after}\u201d"


def cite(
    sources: list[Source], prefix: str | None, seen: set[str], previous: tuple[str, ...] | None, punct: dict
) -> Inlines:
    """One note citing `sources`; `seen` holds ids already cited (updated), `previous` the last note's ids."""
    ids = tuple(s.id for s in sources)
    if not prefix and ids == previous:
        return (Text("Ibid."),)
    out: list[Inline] = [Text(prefix + " ")] if prefix else []
    for i, source in enumerate(sources):
        if i:
            out.append(Text("; "))
        if source.id in seen:
            part = short_citation(source)
        else:
            part = full_citation(source, *punct[source.id])
            seen.add(source.id)
        out.extend(part)
    if not _ends_with_stop(out):
        out.append(Text("."))
    return joined(out)


def _ends_with_stop(out: list[Inline]) -> bool:
    last = out[-1] if out else None
    return isinstance(last, Text) and last.text.rstrip("\u201d\"").endswith((".", "?", "!"))
