"""Bibliographic records of the document model: the sources notes cite, as the content gives them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Name:
    """One author: a person by family and given name, or an organisation (`literal`)."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None


@dataclass(frozen=True)
class Source:
    """A structured bibliographic record."""

    id: str
    author: str | None  # one author as written (a person unless `organisation`)
    title: str | None
    container: str | None  # journal, website or series; for a chapter, the book
    date: str | None  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None
    short_title: str | None
    short_author: str | None
    type: Literal["article", "report", "webpage", "book", "chapter"] | None = None  # None: the generic form
    organisation: bool = False  # `author` is an organisation
    authors: tuple[Name, ...] = ()  # instead of `author`
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    number: str | None = None  # a report's number
    publisher: str | None = None
    place: str | None = None
    accessed: str | None = None  # ISO date a web page was read
