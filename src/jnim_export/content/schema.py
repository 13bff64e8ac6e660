"""The shape of `content.yaml`, as pydantic models that reject unknown keys and wrong types."""

from __future__ import annotations

import calendar
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _check_date(value: str) -> str:
    m = _DATE.match(value)
    if not m:
        raise ValueError(f"invalid date {value!r}: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"invalid date {value!r}: month {month} does not exist")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"invalid date {value!r}: {calendar.month_name[month]} {year} has no day {day}")
    return value


def _check_month(value: str) -> str:
    _check_date(value)
    if len(value) != 7:
        raise ValueError(f"invalid month {value!r}: write YYYY-MM")
    return value


def _check_colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f"invalid colour {value!r}: write #rrggbb")
    return value.lower()


Date = Annotated[str, AfterValidator(_check_date)]
Month = Annotated[str, AfterValidator(_check_month)]
Colour = Annotated[str, AfterValidator(_check_colour)]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Meta(Strict):
    title: Text
    short_title: Text
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
    series: Text
    publisher: Text
    publisher_short: Text
    authors: list[Text] = Field(min_length=1)
    contributors: list[Text] = []
    date: Date
    credit: Text
    copyright: Text
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en-US"
    subject: str = ""
    keywords: list[Text] = []


class StyleSpec(Strict):
    serif: Literal["Noto Serif", "Noto Sans"] = "Noto Serif"
    sans: Literal["Noto Serif", "Noto Sans"] = "Noto Sans"
    body_size: float = Field(10.0, ge=7, le=16)
    accent: Colour = "#8c1d18"
    ink: Colour = "#1f2328"
    muted: Colour = "#5d6670"
    tint: Colour = "#f3efe8"
    palette: list[Colour] = Field(
        ["#8c1d18", "#d9822b", "#4f6d7a", "#9aa5a8", "#c9b27c", "#2f3b45"], min_length=1
    )
    logo: str | None = None


# Writer settings: only what the content sets; the writers hold the defaults.
class PdfSpec(Strict):
    paper: Literal["letter", "a4"] | None = None
    notes: Literal["endnotes", "footnotes"] | None = None


class SlidesSpec(Strict):
    citations: Literal["notes", "footer"] | None = None


class Quote(Strict):
    quote: Text


class FigureRef(Strict):
    figure: Id


class ParagraphBlock(Strict):
    paragraph: Text


class SectionSpec(Strict):
    id: Id
    title: Text
    bullets: list[Text] = []
    blocks: list[Text | ParagraphBlock | Quote | FigureRef] = Field(min_length=1)

    @field_validator("blocks", mode="before")
    @classmethod
    def _typed_blocks(cls, blocks: object) -> object:
        # Pick the block model by its key so errors name the right one instead of a union's noise.
        if not isinstance(blocks, list):
            return blocks
        kinds = {"quote": Quote, "figure": FigureRef, "paragraph": ParagraphBlock}
        out = []
        for block in blocks:
            if isinstance(block, dict) and len(block) == 1 and next(iter(block)) in kinds:
                key = next(iter(block))
                out.append(kinds[key].model_validate(block))
            elif isinstance(block, dict):
                raise ValueError(
                    "a block is a paragraph (text), or one of {paragraph: ...}, {quote: ...}, {figure: ID}; "
                    f"got keys {', '.join(map(str, block))}"
                )
            else:
                out.append(block)
        return out


class FigureSpec(Strict):
    id: Id
    kind: Literal["photo", "map", "chart"]
    caption: Text
    credit: str = ""
    alt: Text
    image: str | None = None
    optional: bool = False  # a missing image is then a warning and a placeholder, not an error
    data: str | None = None
    start: Month | None = Field(None, alias="from")
    end: Month | None = Field(None, alias="to")
    stacked: bool = False


class SourceSpec(Strict):
    id: Id
    author: str | None = None
    short_author: str | None = None
    title: str | None = None
    short_title: str | None = None
    container: str | None = None
    date: Date | None = None
    url: str | None = None
    # The seed's notes punctuate corporate authors and press-release titles with a period.
    after_author: Literal[",", "."] = ","
    after_title: Literal[",", "."] = ","


class NoteSpec(Strict):
    id: Id
    prefix: str | None = None
    cite: list[Id] = []
    text: str | None = None


class LeaderSpec(Strict):
    id: Id
    name: Text
    aliases: list[Text] = []
    role: Text
    former: list[Text] = []
    photo: str | None = None
    photo_credit: str | None = None
    cite: list[Id] = []


class FactSpec(Strict):
    label: Text
    text: Text


class GroupSpec(Strict):
    name: Text
    note: str | None = None


class MergerSpec(Strict):
    date: Month
    members: list[GroupSpec] = Field(min_length=1)
    absorbed: list[GroupSpec] = []
    cite: list[Id] = []


class AllegianceSpec(Strict):
    group: Text
    leader: Text
    title: Text


class AttackSpec(Strict):
    id: Id
    date: Date
    place: Text
    country: Text
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    summary: Text
    cite: list[Id] = []

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class PlaceSpec(Strict):
    name: Text
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    capital: bool = False

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class ContentSpec(Strict):
    meta: Meta
    style: StyleSpec = StyleSpec()
    pdf: PdfSpec = PdfSpec()
    slides: SlidesSpec = SlidesSpec()
    sections: list[SectionSpec] = Field(min_length=1)
    figures: list[FigureSpec] = []
    sources: list[SourceSpec] = []
    notes: list[NoteSpec] = []
    leaders: list[LeaderSpec] = []
    facts: list[FactSpec] = []
    merger: MergerSpec | None = None
    allegiance: list[AllegianceSpec] = []
    attacks: list[AttackSpec] = []
    places: list[PlaceSpec] = []


def field_names() -> set[str]:
    """Every key the schema knows, for 'did you mean' hints on unknown keys."""
    names: set[str] = set()
    for model in Strict.__subclasses__():
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
    return names
