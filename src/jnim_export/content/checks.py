"""The checks of the content's values that need no schema library: text limits and characters,
dates, links, colours, map boxes, file names. The schema (`schema.py`) and the reader's fast
path (`spec.py`) both apply them, so a value passes or fails the same way in either."""

from __future__ import annotations

import calendar
import math
import re
from typing import Any, Callable
from urllib.parse import urlsplit

from .. import limits

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


def text_check(what: str, limit: int, *, single_line: bool, min_length: int = 0) -> Callable[[str], str]:
    """The check of a text field: its length and characters."""
    def check(value: str) -> str:
        if len(value) < min_length:
            raise ValueError("must not be empty")
        if len(value) > limit:
            raise ValueError(f"{what} of {len(value):,} characters is too long; the limit is {limit:,}")
        bad = bad_character(value, single_line=single_line)
        if bad:
            raise CharacterError(*bad)
        return value

    return check


def core_property(what: str, joiner: str | None = None) -> Callable[[Any], Any]:
    """The deck's file properties (title, authors, subject, keywords, series, copyright) hold 255 characters."""
    def check(value: Any) -> Any:
        text = joiner.join(value) if joiner is not None else value
        if len(text) > limits.CORE_PROPERTY:
            together = " together" if joiner is not None else ""
            raise ValueError(f"{len(text):,} characters{together}; the deck's {what} property is limited to "
                             f"{limits.CORE_PROPERTY} (PowerPoint's limit)")
        return value

    return check


def check_path(value: str) -> str:
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


def check_date(value: str) -> str:
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


def year_as_text(value: Any) -> Any:
    """A source's bare year may be written unquoted (`date: 2018`), which YAML reads as a number."""
    if isinstance(value, str) or value is None:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    raise ValueError(f"invalid date {shown(str(value))!r}: {_DATE_FORMS}")


def number_as_text(value: Any) -> Any:
    """A volume or issue written as a number (`volume: 42`) is the same text as `volume: "42"`."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def check_month(value: str) -> str:
    check_date(value)
    if len(value) != 7:
        raise ValueError(f"invalid month {value!r}: write YYYY-MM")
    return value


def check_url(value: str) -> str:
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


def check_colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f"invalid colour {shown(value)!r}: write #rrggbb")
    return value.lower()


MIN_EXTENT_DEG = 0.5  # the country outlines are simplified to about 2 km: no street maps


def check_extent(value: list[float]) -> tuple[float, float, float, float]:
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
