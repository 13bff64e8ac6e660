"""Chicago notes-style citations: full form at first mention, short form later, "Ibid." in a row."""

from __future__ import annotations

from ..dates import long_date
from ..model import Inline, Inlines, Link, Source, Text, joined


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
        out.append(Text(f"\u201c{source.title}{after_title if rest else '.'}\u201d"))
        if rest:
            out.append(Text(" "))
    for i, part in enumerate(rest):
        if i:
            out.append(Text(", "))
        out.extend(part)
    return tuple(out)


def short_citation(source: Source) -> Inlines:
    """The later-mention form: short author (if any) and short title."""
    title = source.short_title or source.title
    if not title:
        return (Text(source.short_author or source.author or source.id),)
    lead = f"{source.short_author}, " if source.short_author else ""
    return (Text(f"{lead}\u201c{title}.\u201d"),)


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
    if not _ends_with_period(out):
        out.append(Text("."))
    return joined(out)


def _ends_with_period(out: list[Inline]) -> bool:
    last = out[-1] if out else None
    return isinstance(last, Text) and last.text.rstrip("\u201d\"").endswith(".")
