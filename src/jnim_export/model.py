"""The immutable document model every renderer reads.

`jnim_export.content` builds it from YAML; renderers and figures only read it.
Notes and figures are already numbered in reading order, citations already
formatted, so a writer never re-derives anything (an edition numbering its notes in
another order words each for its place with `Note.worded`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Union

from . import kinds
from .records import Name as Name, Source as Source  # the model's bibliographic records, in their own module
from .tables import Table

# --------------------------------------------------------------------------- inline text


@dataclass(frozen=True)
class Text:
    """Literal text: never markup, whatever characters it holds."""

    text: str


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A hyperlink; `href` is always http, https or mailto (checked on load)."""

    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class NoteRef:
    """A citation of note `number` (1-based, reading order)."""

    number: int


Inline = Union[Text, Emph, Strong, Link, NoteRef]
Inlines = tuple[Inline, ...]


def plain_text(inlines: Inlines, *, with_refs: bool = False) -> str:
    """The text a reader sees, without markup; note numbers only if `with_refs`."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, NoteRef):
            if with_refs:
                out.append(str(node.number))
        else:
            out.append(plain_text(node.children, with_refs=with_refs))
    return "".join(out)


def joined(items: list[Inline]) -> Inlines:
    """`items` with neighbouring texts joined into one and empty texts dropped."""
    out: list[Inline] = []
    for item in items:
        if isinstance(item, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + item.text)
        elif not (isinstance(item, Text) and not item.text):
            out.append(item)
    return tuple(out)


def note_numbers(inlines: Inlines) -> tuple[int, ...]:
    """Note numbers cited in `inlines`, in order, without repeats."""
    seen: list[int] = []
    for node in inlines:
        if isinstance(node, NoteRef):
            found: tuple[int, ...] = (node.number,)
        elif isinstance(node, Text):
            found = ()
        else:
            found = note_numbers(node.children)
        seen.extend(n for n in found if n not in seen)
    return tuple(seen)


# --------------------------------------------------------------------------- notes and sources


@dataclass(frozen=True)
class Note:
    """A numbered source note, formatted (Chicago notes style) as inline text.

    Notes the text cites (body, captions, credits) come first, numbered 1..N in reading order:
    the PDF and the web page list exactly these. Notes cited only on slides follow, N+1...
    """

    number: int
    id: str
    text: Inlines
    sources: tuple[str, ...]  # ids of the sources it cites, empty for free text
    in_text: bool = True  # False: cited only on slides
    prefix: str | None = None
    # each source's forms, so that an edition numbering the notes in another order words them for
    # that order (`worded`); empty for free text and data notes, whose words never change
    citations: tuple[Citation, ...] = ()

    def worded(self, number: int, seen: set[str], previous: tuple[str, ...] | None) -> Note:
        """This note as number `number`, after the notes citing `seen` (updated) and, just before
        it, a note citing `previous`: "Ibid.", or each source in full at its first mention, short later."""
        if not self.citations:
            return replace(self, number=number)
        if not self.prefix and self.sources == previous:
            return replace(self, number=number, text=(Text("Ibid."),))
        out: list[Inline] = [Text(self.prefix + " ")] if self.prefix else []
        for i, c in enumerate(self.citations):
            last = i == len(self.citations) - 1
            if i:
                out.append(Text("; "))
            first = c.source not in seen
            seen.add(c.source)
            out.extend((c.full_end if last else c.full) if first else (c.short_end if last else c.short))
        return replace(self, number=number, text=joined(out))


@dataclass(frozen=True)
class Citation:
    """A source as a note cites it: its full form (first mention) and short form (later), each
    as it stands before a semicolon and as it ends the note (its closing period)."""

    source: str
    full: Inlines
    short: Inlines
    full_end: Inlines
    short_end: Inlines


# --------------------------------------------------------------------------- figures and data


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM
    counts: tuple[tuple[str, int], ...]  # (category, events), in `EventData.categories` order
    fatalities: int

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True)
class Location:
    name: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    events: int
    fatalities: int


@dataclass(frozen=True)
class Dataset:
    """Where an aggregate's events come from, as recorded on import: what credits and data notes say."""

    name: str  # as credited: "ACLED", "UCDP GED", "Synthetic test events"
    publisher: str = ""
    url: str = ""
    accessed: str = ""  # ISO date the data was taken (its export's name and hash: `EventData.provenance`)
    query: str = ""  # what was imported, in words: "events naming JNIM, 2017-03 to 2018-07"


@dataclass(frozen=True)
class EventData:
    """An aggregate of event data (never raw rows) with its provenance."""

    path: Path
    categories: tuple[str, ...]
    months: tuple[MonthCount, ...]
    locations: tuple[Location, ...]
    attribution: str
    scope: str  # e.g. "Mali only"
    provenance: tuple[tuple[str, str], ...]  # (key, value) pairs as recorded on import
    sha256: str  # of the aggregate file: part of figure cache keys
    dataset: Dataset = Dataset("")
    unmapped: int = 0  # events counted per month but placed too vaguely for a map (left off it)

    def window(self, start: str | None, end: str | None) -> tuple[MonthCount, ...]:
        """Months between `start` and `end` (YYYY-MM, inclusive; None = open)."""
        return tuple(
            m for m in self.months if (start is None or m.month >= start) and (end is None or m.month <= end)
        )


FigureKind = Literal[kinds.NAMES]  # type: ignore[valid-type]  # the registry's (kinds.py)
DRAWN_KINDS = kinds.DRAWN  # drawn from an events aggregate
MONTHLY_KINDS = kinds.MONTHLY  # a value per month, key attacks marked
UNDATED_KINDS = kinds.UNDATED  # drawn from place counts, which carry no dates
OTHER_REGIONS = 8  # a regions figure names this many regions by default; the rest are "Other"


@dataclass(frozen=True)
class RegionTotal:
    """One bar of a regions figure: an admin-1 region, or "Other" for the regions not named."""

    name: str  # what the bar is labelled: the region (and its country, when the data has several)
    region: str  # admin1 ("" for "Other")
    country: str  # "" for "Other"
    events: int
    fatalities: int
    others: int = 0  # the "Other" bar: how many regions it stands for

    def value(self, measure: str) -> int:
        return self.fatalities if measure == "fatalities" else self.events


@dataclass(frozen=True)
class Figure:
    """A numbered figure: a photo, or one drawn from an events aggregate (see `DRAWN_KINDS`).

    ``chart``: events per month (stacked by category when `stacked`); ``fatalities``: fatalities
    per month; ``cumulative``: events to date, month by month; ``regions``: events or fatalities
    (`measure`) per admin-1 region, the `top` largest by name and the rest as "Other"; ``map``:
    events per place. The kinds are the registry's (`jnim_export.kinds`); the numbers each shows
    are `table()`.
    """

    id: str
    number: int
    kind: FigureKind
    caption: Inlines
    credit: Inlines  # credit or source line shown under the caption
    alt: str
    image: Path | None  # photo asset; None means: draw a labelled placeholder
    data: EventData | None  # drawn kinds
    start: str | None  # YYYY-MM window of the data shown
    end: str | None
    stacked: bool  # chart: stack bars by event category
    extent: tuple[float, float, float, float] | None = None  # map: lon0, lat0, lon1, lat1 to show
    countries: tuple[str, ...] = ()  # map: countries to frame (with the data)
    data_credit: str | None = None  # the credit line inside the artwork; None: from the data's provenance
    measure: Literal["events", "fatalities"] = "events"  # regions: what the bars count
    top: int = OTHER_REGIONS  # regions: how many are named
    slide_title: str = ""  # the title of its slide; "" means its caption without note references
    leader: str | None = None  # photo: the id of the leader whose photo it is (shown on their card)

    def months(self) -> tuple[MonthCount, ...]:
        return self.data.window(self.start, self.end) if self.data else ()

    def table(self) -> Table | None:
        """The numbers the figure shows (None for a photo, or a figure with none): what every output
        draws, charts natively or lists (`jnim_export.tables`)."""
        make = kinds.KINDS[self.kind].table
        return make(self) if make is not None and self.data is not None else None

    @property
    def window(self) -> tuple[str, str] | None:
        """(first, last) month (YYYY-MM) the figure shows: its from/to, else its data's; None without either."""
        first = self.data.months[0].month if self.data and self.data.months else None
        last = self.data.months[-1].month if self.data and self.data.months else None
        start, end = self.start or first, self.end or last
        return (start, end) if start and end else None

    def in_window(self, month: str) -> bool:
        """Is `month` (YYYY-MM) within the figure's window? (True when the figure has none.)"""
        window = self.window
        return window is None or window[0] <= month[:7] <= window[1]

    @property
    def title(self) -> str:
        """The figure's title on a slide: `slide_title`, else its caption without note references
        and without a closing full stop."""
        if self.slide_title:
            return self.slide_title
        text = " ".join(plain_text(self.caption).split())
        return text[:-1] if text.endswith(".") and not text.endswith("..") else text

    def data_countries(self) -> frozenset[str]:
        """The countries the figure's data covers (those of its places)."""
        return frozenset(loc.country for loc in self.data.locations) if self.data else frozenset()

    def marked_attacks(self, attacks: tuple[Attack, ...]) -> tuple[Attack, ...]:
        """The key attacks a monthly figure marks, by date: those in a month it shows, in a country
        its data covers (for single-country data, that country). Every output marks these."""
        if self.kind not in MONTHLY_KINDS:
            return ()
        months = {m.month for m in self.months()}
        countries = self.data_countries()
        return tuple(sorted((a for a in attacks if a.month in months and (not countries or a.country in countries)),
                            key=lambda a: (a.date, a.id)))

    def regions(self) -> tuple[RegionTotal, ...]:
        """A regions figure's bars, largest first: the `top` regions with any of `measure`, then
        "Other" for the rest (a single region left over keeps its name)."""
        if self.data is None:
            return ()
        totals: dict[tuple[str, str], list[int]] = {}
        for loc in self.data.locations:
            t = totals.setdefault((loc.country, loc.admin1), [0, 0])
            t[0] += loc.events
            t[1] += loc.fatalities
        several = len({country for country, _ in totals}) > 1

        def name(country: str, region: str) -> str:
            label = region or "Region not recorded"
            return f"{label} ({country})" if several and country else label

        bars = [RegionTotal(name(c, r), r, c, e, f) for (c, r), (e, f) in totals.items()]
        bars = [b for b in bars if b.value(self.measure) > 0]
        bars.sort(key=lambda b: (-b.value(self.measure), b.name))
        if len(bars) <= self.top + 1:
            return tuple(bars)
        rest = bars[self.top:]
        other = RegionTotal(f"Other ({len(rest)} regions)", "", "", sum(b.events for b in rest),
                            sum(b.fatalities for b in rest), len(rest))
        return tuple(bars[: self.top]) + (other,)


# --------------------------------------------------------------------------- body


@dataclass(frozen=True)
class Paragraph:
    text: Inlines


@dataclass(frozen=True)
class PullQuote:
    text: Inlines


@dataclass(frozen=True)
class FigureBlock:
    figure: Figure


Block = Union[Paragraph, PullQuote, FigureBlock]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]
    bullets: tuple[Inlines, ...]  # what the section's slide says


# --------------------------------------------------------------------------- structured facts


@dataclass(frozen=True)
class Leader:
    id: str
    name: str
    aliases: tuple[str, ...]
    role: str  # current role
    former: tuple[str, ...]  # former roles
    photo: Path | None
    photo_credit: str | None
    cites: tuple[int, ...]  # note numbers


@dataclass(frozen=True)
class Group:
    name: str
    note: str | None  # e.g. "also called the Macina Battalion"


OriginKind = Literal["merger", "split", "rebranding", "absorption"]


@dataclass(frozen=True)
class Origins:
    """How the group came to be from the groups before it.

    ``merger``: `groups` merged to form it; ``split``: it split from `groups`; ``rebranding``: it
    is `groups[0]` under a new name; ``absorption``: it took `groups` in. `absorbed`: groups a
    merger or a split took in besides. `label`: the heading the content gives, if any.
    """

    kind: OriginKind
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    groups: tuple[Group, ...]
    absorbed: tuple[Group, ...]
    label: str | None
    cites: tuple[int, ...]


AllegianceKind = Literal["pledge", "joined", "affiliate"]


@dataclass(frozen=True)
class Allegiance:
    """One link of the allegiance chain, from the group upwards: the group above and how the one
    below is bound to it (a pledge of allegiance, joined as a branch, an affiliate), since when."""

    group: str
    leader: str
    title: str
    kind: AllegianceKind = "pledge"
    date: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Attack:
    id: str
    date: str  # YYYY-MM or YYYY-MM-DD
    place: str
    country: str
    latitude: float
    longitude: float
    summary: Inlines
    cites: tuple[int, ...]

    @property
    def month(self) -> str:
        return self.date[:7]


@dataclass(frozen=True)
class Fact:
    """One labelled fact of the at-a-glance summary."""

    label: str
    text: Inlines


@dataclass(frozen=True)
class Place:
    """A place the map names (capital or a place the text mentions)."""

    name: str
    latitude: float
    longitude: float
    capital: bool


# --------------------------------------------------------------------------- style and metadata


@dataclass(frozen=True)
class Style:
    """The house style, shared by the PDF and the slides."""

    serif: str  # font family names registered by jnim_export.fonts
    sans: str
    body_size: float
    accent: str  # "#rrggbb"
    ink: str
    muted: str
    tint: str  # background tint of the pull quote and placeholders
    palette: tuple[str, ...]  # chart categories, in order
    logo: Path | None
    # the keys the content sets: they win over a slide template's (sorted: a set's repr, which the
    # stamp keys hash, would change order from one process to the next)
    given: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meta:
    title: str
    short_title: str
    slug: str  # output file stem
    series: str
    publisher: str
    publisher_short: str
    authors: tuple[str, ...]
    contributors: tuple[str, ...]
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    credit: Inlines  # closing credit paragraph
    copyright: str
    language: str
    subject: str
    keywords: tuple[str, ...]
    native_title: str | None = None  # the group's name in its own script (Arabic, say)
    native_title_lang: str = "ar"
    url: str | None = None  # where it is published


@dataclass(frozen=True)
class Document:
    """A whole backgrounder: what every writer renders."""

    source: Path  # the content file
    root: Path  # its folder; every asset path lies inside it
    meta: Meta
    style: Style
    sections: tuple[Section, ...]
    figures: tuple[Figure, ...]  # in number order
    notes: tuple[Note, ...]  # in number order
    sources: tuple[Source, ...]
    leaders: tuple[Leader, ...]
    facts: tuple[Fact, ...]
    origins: Origins | None
    allegiance: tuple[Allegiance, ...]
    attacks: tuple[Attack, ...]
    places: tuple[Place, ...]
    warnings: tuple[str, ...] = field(default=(), compare=False)
    inputs: tuple[Path, ...] = field(default=(), compare=False)  # files read or looked for: content, assets

    def note(self, number: int) -> Note:
        return self.notes[number - 1]

    @property
    def text_notes(self) -> tuple[Note, ...]:
        """The notes the text cites, 1..N: what the PDF and the web page list."""
        return tuple(n for n in self.notes if n.in_text)

    def figure(self, kind: str) -> Figure | None:
        """The first figure of `kind`, if any."""
        return next((f for f in self.figures if f.kind == kind), None)
