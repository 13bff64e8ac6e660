"""A reference manager's entry mapped into the content's source fields: types, names, dates.

CSL-JSON (the CSL 1.0.2 data schema, as Zotero and Better BibTeX export it) and BibTeX (fields as
bibtexparser gives them: macros resolved, outer braces removed; LaTeX decoded by `latex.py`) become the
fields a `sources:` item has, named as there. Nothing is guessed: an organisation is a CSL
`literal` or a BibTeX name in braces, a type the content has no form for keeps the generic one.
Each function returns the fields, which of the file's fields each came from, and the problems
as (the file's field name, message).
"""

from __future__ import annotations

import calendar
import re
from typing import Any

from .latex import LatexError, decode

# Source field order, as `sources import` writes them.
ORDER = ("type", "authors", "title", "short_title", "container", "volume", "issue", "pages", "number",
         "publisher", "place", "date", "accessed", "url")

CSL_TYPES = {"article-journal": "article", "report": "report", "webpage": "webpage", "post-weblog": "webpage",
             "post": "webpage", "book": "book", "chapter": "chapter"}
BIBTEX_TYPES = {"article": "article", "techreport": "report", "report": "report", "online": "webpage",
                "www": "webpage", "electronic": "webpage", "book": "book", "incollection": "chapter",
                "inbook": "chapter"}
# CSL variables taken as they are: source field <- CSL variable.
_CSL_PLAIN = (("title", "title"), ("short_title", "title-short"), ("container", "container-title"),
              ("volume", "volume"), ("issue", "issue"), ("pages", "page"), ("publisher", "publisher"),
              ("place", "publisher-place"), ("url", "URL"))
# Zotero's rich text in titles (CSL's HTML-like markup): the tags go, their text stays.
_MARKUP = re.compile(r"</?(?:i|b|sup|sub|sc|span)(?:\s[^<>]*)?>", re.IGNORECASE)
_RANGE = re.compile(r"(?<=\w)\s*(?:-{1,2}|\u2013)\s*(?=\w)")
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_MONTHS = {name.lower(): i for i in range(1, 13) for name in (calendar.month_name[i], calendar.month_abbr[i])}

Found = list[tuple[str, str]]


class Bad(ValueError):
    """A value that cannot be mapped; its message says why, `field` which field (if not the one read)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Bad(f"should be text, not {type(value).__name__}")
    return " ".join(str(value).split())


def _pages(value: str) -> str:
    """A page range with an en dash ("1-25" → "1–25"), as Chicago prints it."""
    return _RANGE.sub("\u2013", value)


def _ordered(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: fields[k] for k in ORDER if fields.get(k) not in (None, "", [])}


# ------------------------------------------------------------------ CSL-JSON


def csl_fields(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str], Found]:
    """The source fields of one CSL-JSON item, the CSL variable of each, and the problems."""
    fields: dict[str, Any] = {}
    names: dict[str, str] = {}
    found: Found = []

    def take(field: str, variable: str, convert) -> None:
        if item.get(variable) in (None, "", []):
            return
        try:
            fields[field] = convert(item[variable])
            names[field] = variable
        except Bad as exc:
            found.append((variable, str(exc)))

    kind = item.get("type")
    fields["type"] = CSL_TYPES.get(kind) if isinstance(kind, str) else None
    names["type"] = "type"
    take("authors", "author", csl_names)
    for field, variable in _CSL_PLAIN:
        take(field, variable, _text)
    for field in ("title", "short_title", "container"):
        if field in fields:
            fields[field] = " ".join(_MARKUP.sub("", fields[field]).split())
    if "pages" in fields:
        fields["pages"] = _pages(fields["pages"])
    if fields.get("type") == "report" or not fields.get("container"):
        # a report's series (Zotero: Series Title, else Report Type) and number: "Africa Report No. 276"
        take("number", "number", _text)
        series = item.get("collection-title") or item.get("genre")
        if isinstance(series, str) and series.strip():
            if fields.get("number"):
                fields["number"] = report_number(_text(series), fields["number"])
            elif fields.get("type") == "report" and not fields.get("container"):
                fields["container"] = _text(series)
                names["container"] = "collection-title" if item.get("collection-title") else "genre"
    take("date", "issued", csl_date)
    take("accessed", "accessed", csl_date)
    return _ordered(fields), names, found


def csl_names(value: Any) -> list[dict[str, str]]:
    """CSL names ([{family, given} | {literal}, ...]) as the content's `authors`."""
    if not isinstance(value, list):
        raise Bad("should be a list of names ([{\"family\": ..., \"given\": ...}, ...])")
    return [csl_name(n, i) for i, n in enumerate(value, 1)]


def csl_name(name: Any, number: int = 1) -> dict[str, str]:
    """One CSL name: an organisation (`literal`), or a person with the particles where Chicago
    prints them ("Jean de La Fontaine": a non-dropping particle belongs to the family name)."""
    if not isinstance(name, dict):
        raise Bad(f"name {number} should be an object ({{\"family\": ..., \"given\": ...}}), not {type(name).__name__}")
    part = {k: _text(v) for k, v in name.items() if k in _CSL_NAME_PARTS and v not in (None, "")}
    if part.get("literal"):
        return {"literal": part["literal"]}
    family = " ".join(p for p in (part.get("non-dropping-particle"), part.get("family"), part.get("suffix")) if p)
    given = " ".join(p for p in (part.get("given"), part.get("dropping-particle")) if p)
    if not part.get("family"):
        raise Bad(f"name {number} has no family name (a person) or literal (an organisation)")
    return {"family": family, "given": given} if given else {"family": family}


_CSL_NAME_PARTS = frozenset(("family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix"))


def csl_date(value: Any) -> str:
    """A CSL date ({"date-parts": [[2019, 5, 3]]}, or {"raw": "2019-05-03"}) as YYYY, YYYY-MM or YYYY-MM-DD;
    of a range, its start."""
    if not isinstance(value, dict):
        raise Bad("should be a date ({\"date-parts\": [[year, month, day]]})")
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        try:
            numbers = [int(_text(p)) for p in parts[0][:3]]
        except ValueError:
            raise Bad(f"date-parts {shown(parts[0])} are not numbers") from None
        return iso_date(*numbers)
    for key in ("raw", "literal"):
        if isinstance(value.get(key), str):
            return iso_text(value[key])
    raise Bad("has no date-parts")


# ------------------------------------------------------------------ BibTeX


def bibtex_fields(entry_type: str, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str], Found]:
    """The source fields of one BibTeX entry (field names in lower case), their fields, the problems."""
    fields: dict[str, Any] = {}
    names: dict[str, str] = {}
    found: Found = []
    kind = BIBTEX_TYPES.get(entry_type)
    if entry_type == "misc" and raw.get("url"):
        kind = "webpage"
    fields["type"] = kind
    names["type"] = "type"

    def take(field: str, keys: tuple[str, ...], convert=None) -> None:
        for key in keys:
            value = raw.get(key)
            if isinstance(value, str) and value.strip():
                try:
                    fields[field] = convert(value) if convert else latex(value)
                    names[field] = key
                except Bad as exc:
                    found.append((key, str(exc)))
                return

    take("authors", ("author",), bibtex_names)
    if "authors" not in fields and kind == "webpage":
        take("authors", ("organization",), lambda v: [{"literal": latex(v)}])
    take("title", ("title",))
    take("short_title", ("shorttitle",))
    container = {"article": ("journaltitle", "journal"), "chapter": ("booktitle",),
                 "webpage": ("journaltitle", "organization", "howpublished")}.get(kind or "", ())
    take("volume", ("volume",))
    take("issue", ("issue", "number") if kind == "article" else ("issue",))
    take("pages", ("pages",))
    if kind != "article":
        take("number", ("number",))
    series_keys = ("type", "series") if kind == "report" else ("type",)
    series = next((k for k in series_keys if isinstance(raw.get(k), str) and raw[k].strip()), None)
    if fields.get("number") and series:  # a report's series and number: "Sahel Report No. 17"
        try:
            fields["number"] = report_number(latex(raw[series]), fields["number"])
        except Bad as exc:
            found.append((series, str(exc)))
    elif kind != "webpage":
        container += ("series",)
    take("container", container)
    take("publisher", ("institution", "publisher", "organization") if kind != "webpage" else ("publisher",))
    take("place", ("location", "address"))
    take("url", ("url",), lambda v: "".join(v.split()))
    take("accessed", ("urldate",), iso_text)
    try:
        date = bibtex_date(raw)
        if date:
            fields["date"] = date
            names["date"] = "date" if raw.get("date") else "year"
    except Bad as exc:
        found.append((exc.field or ("date" if raw.get("date") else "year"), str(exc)))
    if "pages" in fields:
        fields["pages"] = _pages(fields["pages"])
    return _ordered(fields), names, found


def bibtex_names(value: str) -> list[dict[str, str]]:
    """"Last, First and First Last and {Org Name}" as the content's `authors`: a name wholly in
    braces is an organisation; "and others" is left out."""
    from bibtexparser.middlewares.names import (InvalidNameError, parse_single_name_into_parts,
                                                split_multiple_persons_names)

    out = []
    for name in split_multiple_persons_names(value):
        name = name.strip()
        if name.lower() == "others":
            continue
        if _one_group(name):
            out.append({"literal": latex(name[1:-1])})
            continue
        try:
            parts = parse_single_name_into_parts(name)
        except InvalidNameError as exc:
            raise Bad(f"name {shown(name)!r} cannot be read: {exc}") from None
        family = latex(" ".join(parts.von + parts.last + parts.jr))
        given = latex(" ".join(parts.first))
        if not family:
            raise Bad(f"name {shown(name)!r} has no last name")
        out.append({"family": family, "given": given} if given else {"family": family})
    if not out:
        raise Bad("names no one")
    return out


def _one_group(name: str) -> bool:
    """Whether `name` is one brace group: "{International Crisis Group}", not "{De} Gaulle, {C}harles"."""
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(name):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and i < len(name) - 1:
            return False
    return True


def bibtex_date(raw: dict[str, Any]) -> str | None:
    """`date` (biblatex, ISO; of a range its start), else `year` with `month` (number, name or
    abbreviation) and `day`."""
    if isinstance(raw.get("date"), str) and raw["date"].strip():
        return iso_text(raw["date"].split("/")[0])
    year = raw.get("year")
    if not isinstance(year, str) or not year.strip():
        return None
    if not re.fullmatch(r"\d{4}", year.strip()):
        raise Bad(f"year {shown(year)!r} is not a year of four digits")
    month = raw.get("month")
    if not isinstance(month, str) or not month.strip():
        return year.strip()
    m = month.strip().strip("{}").lower().rstrip(".")
    number = int(m) if m.isdigit() else _MONTHS.get(m)
    if number is None:
        raise Bad(f"month {shown(month)!r} is not a month (a number, a name or jan … dec)", "month")
    day = raw.get("day")
    try:
        if isinstance(day, str) and day.strip():
            if not day.strip().isdigit():
                raise Bad(f"day {shown(day)!r} is not a number", "day")
            return iso_date(int(year), number, int(day))
        return iso_date(int(year), number)
    except Bad as exc:
        raise Bad(str(exc), exc.field or "month") from None


# ------------------------------------------------------------------ shared


def iso_date(year: int, month: int | None = None, day: int | None = None) -> str:
    """A date as the content writes it; a month or day that does not exist is a problem."""
    if not 1000 <= year <= 9999:
        raise Bad(f"year {year} is not a year of four digits")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise Bad(f"month {month} does not exist")
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise Bad(f"{calendar.month_name[month]} {year} has no day {day}")
    return f"{year:04d}-{month:02d}-{day:02d}"


def iso_text(value: str) -> str:
    """An ISO date written as text ("2019-05-03", "2019-05", "2019", or with a time after it)."""
    m = _ISO.match(value.strip())
    if not m or (len(value.strip()) > m.end() and value.strip()[m.end()] not in "T "):
        raise Bad(f"date {shown(value)!r} is not written YYYY, YYYY-MM or YYYY-MM-DD")
    return iso_date(*(int(g) for g in m.groups() if g))


def report_number(series: str, number: str) -> str:
    """A report's series and number as one ("Africa Report No. 276"); "No." only before a bare number."""
    if series.lower() in number.lower():
        return number
    return f"{series} No. {number}" if number.isdigit() else f"{series} {number}"


def latex(value: str) -> str:
    """BibTeX text as it prints: accents, dashes and quotes decoded, braces dropped, spaces collapsed."""
    try:
        return decode(value)
    except LatexError as exc:
        raise Bad(str(exc)) from None


def shown(value: Any, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
