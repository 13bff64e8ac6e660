"""The shape of `content.yaml`, as pydantic models that reject unknown keys and wrong types."""

from __future__ import annotations

import calendar
import functools
import math
import re
from typing import Annotated, Any, Literal, Union
from urllib.parse import urlsplit

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StringConstraints, Tag,
                      model_validator)

from .. import kinds, limits

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DATE_FORMS = "write a year (2018), a year and month (2018-05) or a full date (2018-05-03)"

# Text limits, in characters. A backgrounder's longest paragraph is about 1,500; the caps keep
# every build bounded (the PDF writer's line breaking is quadratic in a paragraph's length).
MAX_LINE = 500  # a title, name, label, role, author, copyright line, ...
MAX_TEXT = 2_000  # a caption, alt text, bullet, fact, attack summary, credit, ...
MAX_PARAGRAPH = 20_000  # a paragraph, pull quote or free-text note
MAX_URL = 2_000
MAX_PATH = 1_000  # an asset path; each of its parts is limited to 255 bytes (the file systems' limit)

# Characters no text field may hold: C0 controls but tab and line feed (which are only allowed
# where text may run over lines), DEL, C1 controls, lone surrogates, U+FFFE and U+FFFF. Single-line
# fields also refuse line and paragraph separators and the bidirectional embedding, override and
# isolate controls, which can make a title or a link display other than it reads.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NOT_LINE = re.compile("[\t\n\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class CharacterError(ValueError):
    """A character a field may not hold; `char` lets the error point at it in the source."""

    def __init__(self, message: str, char: str):
        super().__init__(message)
        self.char = char


def _char_name(c: str) -> str:
    code = ord(c)
    if c == "\t":
        return "a tab"
    if c == "\n":
        return "a line break"
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate (U+{code:04X})"
    if code in (0xFFFE, 0xFFFF):
        return f"the non-character U+{code:04X}"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"a bidirectional control character (U+{code:04X})"
    if code in (0x2028, 0x2029):
        return f"a {'line' if code == 0x2028 else 'paragraph'} separator (U+{code:04X})"
    return f"a control character (U+{code:04X})"


def bad_character(value: str, *, single_line: bool) -> tuple[str, str] | None:
    """The message for the first character `value` may not hold, and the character; or None."""
    bad = _NOT_TEXT.search(value) or (_NOT_LINE.search(value) if single_line else None)
    if not bad:
        return None
    where = " in a single-line field" if single_line and _NOT_LINE.match(bad.group()) else ""
    return f"{_char_name(bad.group())} is not allowed{where}", bad.group()


def _text_check(what: str, limit: int, *, single_line: bool, min_length: int = 0):
    def check(value: str) -> str:
        if len(value) < min_length:
            raise ValueError("must not be empty")
        if len(value) > limit:
            raise ValueError(f"{what} of {len(value):,} characters is too long; the limit is {limit:,}")
        bad = bad_character(value, single_line=single_line)
        if bad:
            raise CharacterError(*bad)
        return value

    return AfterValidator(check)


def _core_property(what: str, joiner: str | None = None):
    """The deck's file properties (title, authors, subject, keywords, series, copyright) hold 255 characters."""
    def check(value: Any) -> Any:
        text = joiner.join(value) if joiner is not None else value
        if len(text) > limits.CORE_PROPERTY:
            together = " together" if joiner is not None else ""
            raise ValueError(f"{len(text):,} characters{together}; the deck's {what} property is limited to "
                             f"{limits.CORE_PROPERTY} (PowerPoint's limit)")
        return value

    return AfterValidator(check)


def _path_check(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    for part in value.replace("\\", "/").split("/"):
        size = len(part.encode("utf-8", "surrogatepass"))
        if size > 255:
            raise ValueError(f"a file or folder name of {size:,} bytes is too long; the limit is 255")
    return value


def shown(value: str, limit: int = 60) -> str:
    """`value` cut short for a message: an error never repeats a megabyte of input."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _check_date(value: str) -> str:
    m = _DATE.fullmatch(value)
    if not m:
        raise ValueError(f"invalid date {shown(value)!r}: {_DATE_FORMS}")
    year = int(m[1])
    month, day = (int(g) if g else None for g in m.groups()[1:])
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"invalid date {value!r}: month {month} does not exist")
    if month is not None and day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"invalid date {value!r}: {calendar.month_name[month]} {year} has no day {day}")
    return value


def _year_as_text(value: Any) -> Any:
    """A source's bare year may be written unquoted (`date: 2018`), which YAML reads as a number."""
    if isinstance(value, str) or value is None:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    raise ValueError(f"invalid date {shown(str(value))!r}: {_DATE_FORMS}")


def _number_as_text(value: Any) -> Any:
    """A volume or issue written as a number (`volume: 42`) is the same text as `volume: "42"`."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _check_month(value: str) -> str:
    _check_date(value)
    if len(value) != 7:
        raise ValueError(f"invalid month {value!r}: write YYYY-MM")
    return value


def _check_url(value: str) -> str:
    """A link every writer keeps: no spaces or backslashes, and a host after http(s)://."""
    bad = next((c for c in value if c.isspace() or c in "\\<>\"{}|^`"), None)
    if bad is not None:
        what = "a space" if bad.isspace() else repr(bad)
        raise ValueError(f"{shown(value)!r} is not a valid link: it holds {what} (write it %-encoded, "
                         f"as %{ord(bad):02X})" if ord(bad) < 128 else f"{shown(value)!r} is not a valid link: it "
                         f"holds {what}")
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ValueError(f"{shown(value)!r} is not a valid link: {exc}") from None
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        raise ValueError(f"{shown(value)!r} is not a valid link: it names no host after '//'")
    return value


def _check_colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f"invalid colour {shown(value)!r}: write #rrggbb")
    return value.lower()


MIN_EXTENT_DEG = 0.5  # the country outlines are simplified to about 2 km: no street maps


def _check_extent(value: list[float]) -> tuple[float, float, float, float]:
    lon0, lat0, lon1, lat1 = value
    for v in value:
        if not math.isfinite(v):
            raise ValueError(f"{v} is not a coordinate; write [west, south, east, north] in degrees")
    for lon in (lon0, lon1):
        if not -180 <= lon <= 180:
            raise ValueError(f"longitude {lon:g} is outside -180 to 180; write [west, south, east, north] in degrees")
    for lat in (lat0, lat1):
        if not -90 <= lat <= 90:
            raise ValueError(f"latitude {lat:g} is outside -90 to 90; write [west, south, east, north] in degrees")
    if lat0 >= lat1:
        raise ValueError(f"the southern edge ({lat0:g}) must be below the northern ({lat1:g}); "
                         "write [west, south, east, north]")
    span = (lon1 - lon0) % 360
    if span > 180:
        raise ValueError(f"the box spans {span:g}° of longitude from west ({lon0:g}) to east ({lon1:g}); a map shows "
                         "at most 180° (for a box across the antimeridian write its western edge first, "
                         "e.g. [170, -25, -170, -10])")
    if min(span, lat1 - lat0) < MIN_EXTENT_DEG:
        raise ValueError(f"the box is under {MIN_EXTENT_DEG:g}° on a side; the map's country outlines are too "
                         "coarse for so small an area")
    return (lon0, lat0, lon1, lat1)


Date = Annotated[str, AfterValidator(_check_date)]
Month = Annotated[str, AfterValidator(_check_month)]
# A source's date: a year may be left unquoted.
SourceDate = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(_check_date)]
Colour = Annotated[str, AfterValidator(_check_colour)]
# A map's box: [west, south, east, north] in degrees (west > east: across the antimeridian).
Extent = Annotated[list[float], Field(min_length=4, max_length=4), AfterValidator(_check_extent)]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)]
# One line of plain text: titles, names, labels (`Line` may not be empty, `OptLine` may).
Line = Annotated[str, _text_check("text", MAX_LINE, single_line=True, min_length=1)]
OptLine = Annotated[str, _text_check("text", MAX_LINE, single_line=True)]
# Inline text that may run over lines: captions, bullets, facts, summaries.
Text = Annotated[str, _text_check("text", MAX_TEXT, single_line=False, min_length=1)]
OptText = Annotated[str, _text_check("text", MAX_TEXT, single_line=False)]
Paragraph = Annotated[str, _text_check("paragraph", MAX_PARAGRAPH, single_line=False, min_length=1)]
OptParagraph = Annotated[str, _text_check("text", MAX_PARAGRAPH, single_line=False)]
Url = Annotated[str, _text_check("URL", MAX_URL, single_line=True, min_length=1), AfterValidator(_check_url)]
AssetPath = Annotated[str, _text_check("path", MAX_PATH, single_line=True, min_length=1), AfterValidator(_path_check)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Meta(Strict):
    title: Annotated[Line, _core_property("title")]
    short_title: Line
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
    series: Annotated[Line, _core_property("category")]
    publisher: Line
    publisher_short: Line
    authors: Annotated[list[Line], Field(min_length=1), _core_property("author", "; ")]
    contributors: list[Line] = []
    date: Date
    credit: Text
    copyright: Annotated[Line, _core_property("comments")]
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en-US"
    subject: Annotated[OptText, _core_property("subject")] = ""
    keywords: Annotated[list[Line], _core_property("keywords", ", ")] = []
    native_title: Line | None = None  # the group's name in its own script, e.g. Arabic
    url: Url | None = None  # where the backgrounder is published: the web page's canonical link
    native_title_lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "ar"


class StyleSpec(Strict):
    serif: Literal["Noto Serif", "Noto Sans"] = "Noto Serif"
    sans: Literal["Noto Serif", "Noto Sans"] = "Noto Sans"
    body_size: float = Field(10.0, ge=7, le=16)
    accent: Colour = "#8c1d18"
    ink: Colour = "#1f2328"
    muted: Colour = "#5d6670"
    tint: Colour = "#f3efe8"
    # chart categories, in order; unset: derived from the accent (jnim_export.colours)
    palette: Annotated[list[Colour], Field(min_length=1)] | None = None
    logo: AssetPath | None = None  # PNG or JPEG


class Quote(Strict):
    quote: Paragraph


class FigureRef(Strict):
    figure: Id


class ParagraphBlock(Strict):
    paragraph: Paragraph


def _block_kind(block: Any) -> str | None:
    """Which kind of block this is, by its key, so errors name the right one instead of a union's noise."""
    if isinstance(block, str):
        return "block[text]"
    if isinstance(block, dict):
        for key in block:
            if key in ("paragraph", "quote", "figure"):
                return f"block[{key}]"
    return None


# The tags are bracketed so that error locations leave them out (see validate._schema_diagnostics).
Block = Annotated[
    Union[
        Annotated[Paragraph, Tag("block[text]")],
        Annotated[ParagraphBlock, Tag("block[paragraph]")],
        Annotated[Quote, Tag("block[quote]")],
        Annotated[FigureRef, Tag("block[figure]")],
    ],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message="a block is a paragraph (text), or one of {paragraph: ...}, {quote: ...}, {figure: ID}",
    ),
]


class SectionSpec(Strict):
    id: Id
    title: Line
    bullets: list[Text] = []
    blocks: list[Block] = Field(min_length=1)


class FigureSpec(Strict):
    id: Id
    # photo; or drawn from an events aggregate: map (events per place), chart (events per month),
    # fatalities (fatalities per month), regions (events or fatalities per admin-1 region),
    # cumulative (events to date, month by month): the registry's kinds (jnim_export/kinds.py)
    kind: Literal[kinds.NAMES]  # type: ignore[valid-type]  # the registry's names, known only at run time
    caption: Text
    credit: OptText = ""
    alt: Text
    slide_title: Line | None = None  # the title of its slide; default: the caption without note references
    image: AssetPath | None = None  # PNG or JPEG
    optional: bool = False  # a missing image is then a warning and a placeholder, not an error
    data: AssetPath | None = None
    start: Month | None = Field(None, alias="from")
    end: Month | None = Field(None, alias="to")
    stacked: bool = False  # chart: bars stacked by event category
    measure: Literal["events", "fatalities"] | None = None  # regions: what the bars count (default events)
    top: int | None = Field(None, ge=1, le=40)  # regions: how many are named; the rest are "Other" (default 8)
    extent: Extent | None = None  # map: the box to show; else framed on `countries` and the data
    countries: list[Line] = []  # map: countries to frame with the data (names as Natural Earth or ISO)
    data_credit: OptLine | None = None  # map, chart: the credit line in the artwork ("" for none)


class NameSpec(Strict):
    """One of a source's `authors`: a person by parts, or an organisation as `literal`."""

    family: Line | None = None
    given: Line | None = None
    literal: Line | None = None

    @model_validator(mode="before")
    @classmethod
    def _parts(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"write an author as {{family: …, given: …}} (a person) or {{literal: …}} (an "
                             f"organisation), not {shown(str(value))!r}")
        return value


Numbering = Annotated[OptLine, BeforeValidator(_number_as_text)]


class SourceSpec(Strict):
    id: Id
    # The form of the full note; absent: the seed's generic "Author, “Title,” Container, Date, <URL>".
    type: Literal["article", "report", "webpage", "book", "chapter"] | None = None
    author: OptLine | None = None  # one author as written; a person unless `organisation`
    organisation: bool = False
    authors: list[NameSpec] | None = None  # instead of `author`
    short_author: OptLine | None = None
    title: OptLine | None = None
    short_title: OptLine | None = None
    container: OptLine | None = None  # journal, website or series; for a chapter, the book
    volume: Numbering | None = None
    issue: Numbering | None = None
    pages: Numbering | None = None
    number: OptLine | None = None  # a report's number
    publisher: OptLine | None = None
    place: OptLine | None = None
    date: SourceDate | None = None
    accessed: SourceDate | None = None
    url: Url | None = None
    # The seed's notes punctuate corporate authors and press-release titles with a period.
    after_author: Literal[",", "."] = ","
    after_title: Literal[",", "."] = ","


class NoteSpec(Strict):
    id: Id
    prefix: OptLine | None = None
    cite: list[Id] = []
    text: OptParagraph | None = None
    data: AssetPath | None = None  # an events aggregate: the note is made from its dataset and provenance


class LeaderSpec(Strict):
    id: Id
    name: Line
    aliases: list[Line] = []
    role: Line
    former: list[Line] = []
    photo: AssetPath | None = None  # PNG or JPEG
    photo_credit: OptLine | None = None
    cite: list[Id] = []


class FactSpec(Strict):
    label: Line
    text: Text


class GroupSpec(Strict):
    name: Line
    note: OptText | None = None


class OriginsSpec(Strict):
    """How the group came to be, from the groups before it."""

    # merger: groups merged to form it; split: it split from a group; rebranding: it is a group
    # renamed; absorption: it took other groups in
    kind: Literal["merger", "split", "rebranding", "absorption"]
    date: Date
    groups: list[GroupSpec] = Field(min_length=1)  # those it merged from, split from, was named, took in
    absorbed: list[GroupSpec] = []  # merger, split: groups it took in besides
    label: OptLine | None = None  # the heading over the groups on the slide, instead of one made from kind and date
    cite: list[Id] = []


class MergerSpec(Strict):
    """The older form of `origins: {kind: merger, ...}`, still read."""

    date: Month
    members: list[GroupSpec] = Field(min_length=1)
    absorbed: list[GroupSpec] = []
    cite: list[Id] = []


class AllegianceSpec(Strict):
    group: Line
    leader: Line
    title: Line
    # how the group below is bound to this one: a pledge of allegiance (bayʿa), joined as a branch,
    # or an affiliate
    kind: Literal["pledge", "joined", "affiliate"] = "pledge"
    date: Date | None = None
    label: OptLine | None = None  # the words for the link on the slide, instead of ones made from kind and date


class AttackSpec(Strict):
    id: Id
    date: Date
    place: Line
    country: Line
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    summary: Text
    cite: list[Id] = []

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class PlaceSpec(Strict):
    name: Line
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    capital: bool = False

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class ContentSpec(Strict):
    meta: Meta
    style: StyleSpec = StyleSpec()
    sections: list[SectionSpec] = Field(min_length=1)
    figures: list[FigureSpec] = []
    sources: list[SourceSpec] = []
    # a reference manager's export (CSL-JSON .json or BibTeX .bib) whose entries are cited as sources are
    bibliography: AssetPath | None = None
    notes: list[NoteSpec] = []
    leaders: list[LeaderSpec] = []
    facts: list[FactSpec] = []
    origins: OriginsSpec | None = None
    merger: MergerSpec | None = None  # the older form of origins (kind merger)
    allegiance: list[AllegianceSpec] = []
    attacks: list[AttackSpec] = []
    places: list[PlaceSpec] = []


@functools.cache
def field_names() -> frozenset[str]:
    """Every key the schema knows, for 'did you mean' hints on unknown keys."""
    names: set[str] = set()
    for model in Strict.__subclasses__():
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
    return frozenset(names)
