"""Chicago notes-style citations (CMOS 17, chapter 14): full form at first mention, short form
later, "Ibid." in a row.

Full forms by `type`, after the Manual's examples: a journal article, a report (cited like a
book), a web page (14.207), a book (14.100–163) or a chapter in one; without a type, the seed's
generic form ("Author, “Title,” Container, Date, <URL>"), whose `after_author` / `after_title`
punctuation the seed's press releases use. An undated printed work gets "n.d."; an online one
its access date when the source gives one (14.12). Short forms (14.29–14.36) give the author's surname (or the organisation's
name) and a short title of up to four words; `short_author` and `short_title` override them,
and an empty `short_author` leaves the author out. Each citation is built without its closing
punctuation: `cite` ends the note with one period, and separates citations with semicolons;
each form sets a thin space where quotation marks meet (`jnim_export.quotes`; CMOS 6.11).
"""

from __future__ import annotations

from ..dates import long_date
from ..model import Citation, Emph, Inline, Inlines, Link, Note, Source, Text, joined, plain_text
from ..quotes import spaced_inlines
from .names import full_names, short_names
from .titles import closing_marks, nested, short_title, trimmed

_ITALIC_TITLES = ("book", "report")  # freestanding works; articles, chapters and pages are quoted
# The optional parts each form prints (besides authors, title, dates and URL); a part given to a
# form that does not print it is warned about, never dropped silently.
PRINTED_PARTS: dict[str | None, frozenset[str]] = {
    None: frozenset({"container"}),
    "article": frozenset({"container", "volume", "issue", "pages"}),
    "report": frozenset({"container", "number", "place", "publisher"}),
    "webpage": frozenset({"container", "publisher"}),
    "book": frozenset({"place", "publisher", "pages"}),
    "chapter": frozenset({"container", "place", "publisher", "pages"}),
}
OPTIONAL_PARTS = ("container", "volume", "issue", "pages", "number", "publisher", "place")


class _Note:
    """Inline elements of one citation, each after the punctuation that separates it."""

    def __init__(self) -> None:
        self.out: list[Inline] = []

    def add(self, punct: str, *items: Inline) -> None:
        """Append `items` after `punct` ("," ":" "." or "" for a space) and a space."""
        if self.out:
            punctuate(self.out, punct)
            self.out.append(Text(" "))
        self.out.extend(items)


def punctuate(out: list[Inline], punct: str) -> None:
    """End `out` with `punct`: a comma or period goes inside closing quotation marks (US style,
    CMOS 6.9), and gives way to a question or exclamation mark (6.119) or an abbreviation's
    period."""
    if not punct or not out:
        return
    last = out[-1]
    text = plain_text((last,)) if not isinstance(last, Link) else ""
    core = text[: len(text) - closing_marks(text)] if isinstance(last, Text) else text
    if punct in ",." and core.endswith(("?", "!")) or punct == "." and core.endswith("."):
        return
    if punct in ",." and core != text:
        out[-1] = Text(core + punct + text[len(core):])
    else:
        out.append(Text(punct))


def quoted(title: str) -> Text:
    """A title in double quotation marks, its own quotations in single ones."""
    return Text(f"\u201c{nested(trimmed(title), quoted=True)}\u201d")


def italic(title: str) -> Emph:
    return Emph((Text(nested(trimmed(title), quoted=False)),))


def full_citation(source: Source, after_author: str = ",", after_title: str = ",") -> Inlines:
    """The first-mention form, without its closing period."""
    note = _Note()
    names = full_names(source)
    if names:
        note.add("", Text(names))
    form = {"article": _article, "report": _report, "webpage": _webpage, "book": _book, "chapter": _chapter}
    if source.type:
        form[source.type](note, source, after_author)
    else:
        _generic(note, source, after_author, after_title)
    return tuple(note.out)


def _generic(note: _Note, s: Source, after_author: str, after_title: str) -> None:
    if s.title:
        note.add(after_author, quoted(s.title))
        after_author = after_title
    for item in (s.container, _dates(s, undated="" if s.url else "n.d.")):
        if item:
            note.add(after_author, Text(item))
            after_author = ","
    if s.url:
        note.add(after_author, Text("<"), Link(s.url, (Text(s.url),)), Text(">"))


def _article(note: _Note, s: Source, after_author: str) -> None:
    """Jane Smith, “Title,” *Journal* 42, no. 3 (2019): 1–25, https://…"""
    if s.title:
        note.add(after_author, quoted(s.title))
        after_author = ","
    if s.container:
        journal: list[Inline] = [italic(s.container)]
        journal += [Text(f" {s.volume}")] if s.volume else []
        journal += [Text(f", no. {s.issue}")] if s.issue else []
        note.add(after_author, *journal)
    note.add("", Text(f"({long_date(s.date) if s.date else 'n.d.'})"))
    if s.pages:
        note.add(":", Text(s.pages))
    _online(note, s)


def _report(note: _Note, s: Source, after_author: str) -> None:
    """International Crisis Group, *Title*, Africa Report No. 276 (Brussels: ICG, 2019), https://…"""
    if s.title:
        note.add(after_author, italic(s.title))
        after_author = ","
    for item in (s.container, s.number):
        if item:
            note.add(after_author, Text(item))
            after_author = ","
    note.add("", Text(_publication(s)))
    _online(note, s)


def _book(note: _Note, s: Source, after_author: str) -> None:
    """Zadie Smith, *Swing Time* (New York: Penguin Press, 2016)"""
    if s.title:
        note.add(after_author, italic(s.title))
    note.add("", Text(_publication(s)))
    if s.pages:
        note.add(",", Text(s.pages))
    _online(note, s)


def _chapter(note: _Note, s: Source, after_author: str) -> None:
    """Henry David Thoreau, “Walking,” in *The Making of the American Essay* (Minneapolis: Graywolf Press, 2016)"""
    if s.title:
        note.add(after_author, quoted(s.title))
        after_author = ","
    if s.container:
        note.add(after_author, Text("in "), italic(s.container))
    note.add("", Text(_publication(s)))
    if s.pages:
        note.add(",", Text(s.pages))
    _online(note, s)


def _webpage(note: _Note, s: Source, after_author: str) -> None:
    """“About Yale: Yale Facts,” Yale University, accessed May 1, 2017, https://…"""
    if s.title:
        note.add(after_author, quoted(s.title))
        after_author = ","
    for item in (s.container, s.publisher):
        if item:
            note.add(after_author, Text(item))
            after_author = ","
    if s.date:
        note.add(after_author, Text(long_date(s.date)))
    _online(note, s)


def _online(note: _Note, s: Source) -> None:
    """The access date (14.12) and the URL, each after a comma."""
    if s.accessed:
        note.add(",", Text(f"accessed {long_date(s.accessed)}"))
    if s.url:
        note.add(",", Link(s.url, (Text(s.url),)))


def _publication(s: Source) -> str:
    """The facts of publication in parentheses: "(Place: Publisher, Year)", "n.d." without a year."""
    where = ": ".join(x for x in (s.place, s.publisher) if x)
    when = long_date(s.date) if s.date else "n.d."
    return f"({where}, {when})" if where else f"({when})"


def _dates(s: Source, undated: str) -> str:
    """The generic form's date, access date or `undated` mark."""
    parts = [long_date(s.date)] if s.date else []
    if s.accessed:
        parts.append(f"accessed {long_date(s.accessed)}")
    return ", ".join(parts) or undated


def short_citation(source: Source) -> Inlines:
    """The later-mention form: the author's surname (or organisation) and a short title, without
    its closing period."""
    author = short_names(source)
    if author is None and source.type == "webpage" and source.short_author is None:
        author = source.publisher  # the site's owner stands for a page's author (14.207)
    title = source.short_title or (short_title(trimmed(source.title)) if source.title else None)
    if not title:
        return (Text(author or full_names(source) or source.id),)
    shown: Inline = italic(title) if source.type in _ITALIC_TITLES else quoted(title)
    return (Text(f"{author}, "), shown) if author else (shown,)


def cite(
    sources: list[Source], prefix: str | None, seen: set[str], previous: tuple[str, ...] | None, punct: dict
) -> Inlines:
    """One note citing `sources`; `seen` holds ids already cited (updated), `previous` the last note's ids.

    Citations are separated by semicolons with no punctuation of their own before them (14.57):
    "Smith, “Title”; Reuters, …", never "“Title.”; Reuters". (Assembled by `Note.worded`, which
    words a note for any place in any order of notes.)"""
    forms = tuple(citation_forms(s, punct[s.id]) for s in sources)
    note = Note(0, "", (), tuple(s.id for s in sources), prefix=prefix, citations=forms)
    return note.worded(0, seen, previous).text


def citation_forms(source: Source, punct: tuple[str, str]) -> Citation:
    """`source`'s full and short forms, before a semicolon and ending a note, as `cite` sets them."""
    full, short = full_citation(source, *punct), short_citation(source)
    return Citation(source.id, spaced_inlines(full), spaced_inlines(short), _ended(full), _ended(short))


def _ended(form: Inlines) -> Inlines:
    out = list(form)
    punctuate(out, ".")
    # spaced last, so that the period goes inside marks that meet as inside one: ‘Title.’ ”
    return spaced_inlines(joined(out))
