"""The shape of `content.yaml`, as pydantic models that reject unknown keys and wrong types."""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StringConstraints, Tag,
                      model_validator)

from .. import kinds
from .checks import (MAX_LINE, MAX_PARAGRAPH, MAX_PATH, MAX_TEXT, MAX_URL, check_colour, check_date, check_extent,
                     check_month, check_path, check_url, core_property, number_as_text, shown, text_check, year_as_text)


def _text_check(what: str, limit: int, *, single_line: bool, min_length: int = 0):
    return AfterValidator(text_check(what, limit, single_line=single_line, min_length=min_length))


def _core_property(what: str, joiner: str | None = None):
    return AfterValidator(core_property(what, joiner))


Date = Annotated[str, AfterValidator(check_date)]
Month = Annotated[str, AfterValidator(check_month)]
# A source's date: a year may be left unquoted.
SourceDate = Annotated[str, BeforeValidator(year_as_text), AfterValidator(check_date)]
Colour = Annotated[str, AfterValidator(check_colour)]
# A map's box: [west, south, east, north] in degrees (west > east: across the antimeridian).
Extent = Annotated[list[float], Field(min_length=4, max_length=4), AfterValidator(check_extent)]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)]
# One line of plain text: titles, names, labels (`Line` may not be empty, `OptLine` may).
Line = Annotated[str, _text_check("text", MAX_LINE, single_line=True, min_length=1)]
OptLine = Annotated[str, _text_check("text", MAX_LINE, single_line=True)]
# Inline text that may run over lines: captions, bullets, facts, summaries.
Text = Annotated[str, _text_check("text", MAX_TEXT, single_line=False, min_length=1)]
OptText = Annotated[str, _text_check("text", MAX_TEXT, single_line=False)]
Paragraph = Annotated[str, _text_check("paragraph", MAX_PARAGRAPH, single_line=False, min_length=1)]
OptParagraph = Annotated[str, _text_check("text", MAX_PARAGRAPH, single_line=False)]
Url = Annotated[str, _text_check("URL", MAX_URL, single_line=True, min_length=1), AfterValidator(check_url)]
AssetPath = Annotated[str, _text_check("path", MAX_PATH, single_line=True, min_length=1), AfterValidator(check_path)]


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


Numbering = Annotated[OptLine, BeforeValidator(number_as_text)]


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
