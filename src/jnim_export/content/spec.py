"""The content as the resolver reads it, and the reader's fast path to it.

The schema (`schema.py`, pydantic's models) says what the content may hold and words every
problem; importing pydantic and building its models cost a fresh process about 0.09 s of CPU,
a third of reading the content. Content without a problem does not need them: `accept` checks
it here, by the same rules (the value checks are `checks.py`'s, the shapes and defaults those
of `schema.py`, which a test holds these to), and makes the same values. Whatever it is not
sure of (a problem, or only a form this path does not take, such as a latitude written as
text) makes it answer None: the schema then checks the content and reports every problem, and
its models are turned into these (`from_model`). So the resolver sees one kind of object, and a
problem is reported only one way.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Callable, ClassVar, TypeVar

from .. import kinds
from . import checks
from .checks import MAX_LINE, MAX_PARAGRAPH, MAX_PATH, MAX_TEXT, MAX_URL


class Doubt(Exception):
    """A value the fast path does not vouch for: the schema decides."""


Check = Callable[[Any], Any]
_REQUIRED = object()


class Field:
    """A field: its check, its default (a value, or a function making a fresh one) and the key
    it is written under."""

    def __init__(self, check: Check, default: Any = _REQUIRED, alias: str | None = None) -> None:
        self.check, self.default, self.alias = check, default, alias


_S = TypeVar("_S", bound="Spec")


class Spec:
    """A part of the content, checked: its fields as attributes, and `model_fields_set`, the
    names of those it gave (as the schema's models have them)."""

    FIELDS: ClassVar[dict[str, Field]]

    def __init__(self, values: dict[str, Any], given: frozenset[str]) -> None:
        self.__dict__.update(values)
        self.model_fields_set = given

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

    if TYPE_CHECKING:  # the fields are set from FIELDS (a test holds them to the schema's)
        def __getattr__(self, name: str) -> Any: ...

    @classmethod
    def accept(cls: type[_S], value: Any) -> _S:
        """`value` checked as this part; raises Doubt."""
        if type(value) is not dict:
            raise Doubt
        keys = {f.alias or name: name for name, f in cls.FIELDS.items()}
        if any(k not in keys for k in value):
            raise Doubt
        values = {}
        for name, f in cls.FIELDS.items():
            key = f.alias or name
            if key in value:
                values[name] = f.check(value[key])
            elif f.default is _REQUIRED:
                raise Doubt
            else:
                values[name] = f.default() if callable(f.default) else f.default
        return cls(values, frozenset(keys[k] for k in value))


# ------------------------------------------------------------------ value checks


def _all(*steps: Callable[[Any], Any]) -> Check:
    def check(value: Any) -> Any:
        try:
            for step in steps:
                value = step(value)
        except (ValueError, TypeError):
            raise Doubt from None
        return value

    return check


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Doubt
    return value


def _text(limit: int, single_line: bool, min_length: int = 0, then: Callable[[str], str] | None = None) -> Check:
    steps = (_str, checks.text_check("", limit, single_line=single_line, min_length=min_length))
    return _all(*steps, then) if then else _all(*steps)


def _matching(pattern: str, max_length: int = 10_000) -> Check:
    whole = re.compile(pattern)

    def check(value: Any) -> str:
        if type(value) is not str or len(value) > max_length or not whole.fullmatch(value):
            raise Doubt
        return value

    return check


def _one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        if type(value) is not str or value not in choices:
            raise Doubt
        return value

    return check


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise Doubt
    return value


def _number(low: float, high: float) -> Check:
    """A float between `low` and `high`: an int or a float (not a bool, nor text)."""
    def check(value: Any) -> float:
        if type(value) not in (int, float) or not math.isfinite(value) or not low <= value <= high:
            raise Doubt
        return float(value)

    return check


def _count(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if type(value) is not int or not low <= value <= high:
            raise Doubt
        return value

    return check


def _list(item: Check, min_length: int = 0, max_length: int | None = None) -> Check:
    def check(value: Any) -> list:
        if type(value) is not list or len(value) < min_length or (max_length is not None and len(value) > max_length):
            raise Doubt
        return [item(x) for x in value]

    return check


def _optional(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


def _part(cls: type[Spec]) -> Check:
    return lambda value: cls.accept(value)


LINE = _text(MAX_LINE, True, 1)
OPT_LINE = _text(MAX_LINE, True)
TEXT = _text(MAX_TEXT, False, 1)
OPT_TEXT = _text(MAX_TEXT, False)
PARAGRAPH = _text(MAX_PARAGRAPH, False, 1)
OPT_PARAGRAPH = _text(MAX_PARAGRAPH, False)
URL = _text(MAX_URL, True, 1, checks.check_url)
ASSET = _text(MAX_PATH, True, 1, checks.check_path)
ID = _matching(r"[A-Za-z0-9][A-Za-z0-9_.-]*", 80)
LANGUAGE = _matching(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
DATE = _all(_str, checks.check_date)
MONTH = _all(_str, checks.check_month)
SOURCE_DATE = _all(checks.year_as_text, _str, checks.check_date)  # a year may be written unquoted
COLOUR = _all(_str, checks.check_colour)
NUMBERING = _all(checks.number_as_text, OPT_LINE)  # a volume or issue may be written as a number
EXTENT = _all(_list(_number(-math.inf, math.inf), 4, 4), checks.check_extent)
IDS = _list(ID)


def _property(check: Check, what: str, joiner: str | None = None) -> Check:
    """`check`, then the limit of the deck's file property the value goes to."""
    return _all(check, checks.core_property(what, joiner))


def _factory(cls: type[Spec]) -> Callable[[], Spec]:
    return lambda: cls.accept({})


# ------------------------------------------------------------------ the parts (as schema.py's models)


class Meta(Spec):
    FIELDS = {
        "title": Field(_property(LINE, "title")),
        "short_title": Field(LINE),
        "slug": Field(_matching(r"[a-z0-9][a-z0-9-]*", 80)),
        "series": Field(_property(LINE, "category")),
        "publisher": Field(LINE),
        "publisher_short": Field(LINE),
        "authors": Field(_property(_list(LINE, 1), "author", "; ")),
        "contributors": Field(_list(LINE), list),
        "date": Field(DATE),
        "credit": Field(TEXT),
        "copyright": Field(_property(LINE, "comments")),
        "language": Field(LANGUAGE, "en-US"),
        "subject": Field(_property(OPT_TEXT, "subject"), ""),
        "keywords": Field(_property(_list(LINE), "keywords", ", "), list),
        "native_title": Field(_optional(LINE), None),
        "url": Field(_optional(URL), None),
        "native_title_lang": Field(LANGUAGE, "ar"),
    }


class StyleSpec(Spec):
    FIELDS = {
        "serif": Field(_one_of("Noto Serif", "Noto Sans"), "Noto Serif"),
        "sans": Field(_one_of("Noto Serif", "Noto Sans"), "Noto Sans"),
        "body_size": Field(_number(7, 16), 10.0),
        "accent": Field(COLOUR, "#8c1d18"),
        "ink": Field(COLOUR, "#1f2328"),
        "muted": Field(COLOUR, "#5d6670"),
        "tint": Field(COLOUR, "#f3efe8"),
        "palette": Field(_optional(_list(COLOUR, 1)), None),
        "logo": Field(_optional(ASSET), None),
    }


class Quote(Spec):
    FIELDS = {"quote": Field(PARAGRAPH)}


class FigureRef(Spec):
    FIELDS = {"figure": Field(ID)}


class ParagraphBlock(Spec):
    FIELDS = {"paragraph": Field(PARAGRAPH)}


_BLOCKS: dict[str, type[Spec]] = {"paragraph": ParagraphBlock, "quote": Quote, "figure": FigureRef}


def _block(value: Any) -> str | Spec:
    """A paragraph as text, or the part its first known key names (as the schema tells blocks apart)."""
    if type(value) is str:
        return PARAGRAPH(value)
    if type(value) is dict:
        kind = next((k for k in value if k in _BLOCKS), None)
        if kind is not None:
            return _BLOCKS[kind].accept(value)
    raise Doubt


class SectionSpec(Spec):
    FIELDS = {
        "id": Field(ID),
        "title": Field(LINE),
        "bullets": Field(_list(TEXT), list),
        "blocks": Field(_list(_block, 1)),
    }


class FigureSpec(Spec):
    FIELDS = {
        "id": Field(ID),
        "kind": Field(_one_of(*kinds.NAMES)),
        "caption": Field(TEXT),
        "credit": Field(OPT_TEXT, ""),
        "alt": Field(TEXT),
        "slide_title": Field(_optional(LINE), None),
        "image": Field(_optional(ASSET), None),
        "optional": Field(_bool, False),
        "data": Field(_optional(ASSET), None),
        "start": Field(_optional(MONTH), None, alias="from"),
        "end": Field(_optional(MONTH), None, alias="to"),
        "stacked": Field(_bool, False),
        "measure": Field(_optional(_one_of("events", "fatalities")), None),
        "top": Field(_optional(_count(1, 40)), None),
        "extent": Field(_optional(EXTENT), None),
        "countries": Field(_list(LINE), list),
        "data_credit": Field(_optional(OPT_LINE), None),
    }


class NameSpec(Spec):
    FIELDS = {"family": Field(_optional(LINE), None), "given": Field(_optional(LINE), None),
              "literal": Field(_optional(LINE), None)}


class SourceSpec(Spec):
    FIELDS = {
        "id": Field(ID),
        "type": Field(_optional(_one_of("article", "report", "webpage", "book", "chapter")), None),
        "author": Field(_optional(OPT_LINE), None),
        "organisation": Field(_bool, False),
        "authors": Field(_optional(_list(_part(NameSpec))), None),
        **{name: Field(_optional(OPT_LINE), None) for name in ("short_author", "title", "short_title", "container")},
        **{name: Field(_optional(NUMBERING), None) for name in ("volume", "issue", "pages")},
        **{name: Field(_optional(OPT_LINE), None) for name in ("number", "publisher", "place")},
        "date": Field(_optional(SOURCE_DATE), None),
        "accessed": Field(_optional(SOURCE_DATE), None),
        "url": Field(_optional(URL), None),
        "after_author": Field(_one_of(",", "."), ","),
        "after_title": Field(_one_of(",", "."), ","),
    }


class NoteSpec(Spec):
    FIELDS = {
        "id": Field(ID),
        "prefix": Field(_optional(OPT_LINE), None),
        "cite": Field(IDS, list),
        "text": Field(_optional(OPT_PARAGRAPH), None),
        "data": Field(_optional(ASSET), None),
    }


class LeaderSpec(Spec):
    FIELDS = {
        "id": Field(ID),
        "name": Field(LINE),
        "aliases": Field(_list(LINE), list),
        "role": Field(LINE),
        "former": Field(_list(LINE), list),
        "photo": Field(_optional(ASSET), None),
        "photo_credit": Field(_optional(OPT_LINE), None),
        "cite": Field(IDS, list),
    }


class FactSpec(Spec):
    FIELDS = {"label": Field(LINE), "text": Field(TEXT)}


class GroupSpec(Spec):
    FIELDS = {"name": Field(LINE), "note": Field(_optional(OPT_TEXT), None)}


class OriginsSpec(Spec):
    FIELDS = {
        "kind": Field(_one_of("merger", "split", "rebranding", "absorption")),
        "date": Field(DATE),
        "groups": Field(_list(_part(GroupSpec), 1)),
        "absorbed": Field(_list(_part(GroupSpec)), list),
        "label": Field(_optional(OPT_LINE), None),
        "cite": Field(IDS, list),
    }


class MergerSpec(Spec):
    FIELDS = {
        "date": Field(MONTH),
        "members": Field(_list(_part(GroupSpec), 1)),
        "absorbed": Field(_list(_part(GroupSpec)), list),
        "cite": Field(IDS, list),
    }


class AllegianceSpec(Spec):
    FIELDS = {
        "group": Field(LINE),
        "leader": Field(LINE),
        "title": Field(LINE),
        "kind": Field(_one_of("pledge", "joined", "affiliate"), "pledge"),
        "date": Field(_optional(DATE), None),
        "label": Field(_optional(OPT_LINE), None),
    }


class AttackSpec(Spec):
    FIELDS = {
        "id": Field(ID),
        "date": Field(DATE),
        "place": Field(LINE),
        "country": Field(LINE),
        "latitude": Field(_number(-90, 90)),
        "longitude": Field(_number(-180, 180)),
        "summary": Field(TEXT),
        "cite": Field(IDS, list),
    }


class PlaceSpec(Spec):
    FIELDS = {
        "name": Field(LINE),
        "latitude": Field(_number(-90, 90)),
        "longitude": Field(_number(-180, 180)),
        "capital": Field(_bool, False),
    }


class ContentSpec(Spec):
    FIELDS = {
        "meta": Field(_part(Meta)),
        "style": Field(_part(StyleSpec), _factory(StyleSpec)),
        "sections": Field(_list(_part(SectionSpec), 1)),
        "figures": Field(_list(_part(FigureSpec)), list),
        "sources": Field(_list(_part(SourceSpec)), list),
        "bibliography": Field(_optional(ASSET), None),
        "notes": Field(_list(_part(NoteSpec)), list),
        "leaders": Field(_list(_part(LeaderSpec)), list),
        "facts": Field(_list(_part(FactSpec)), list),
        "origins": Field(_optional(_part(OriginsSpec)), None),
        "merger": Field(_optional(_part(MergerSpec)), None),
        "allegiance": Field(_list(_part(AllegianceSpec)), list),
        "attacks": Field(_list(_part(AttackSpec)), list),
        "places": Field(_list(_part(PlaceSpec)), list),
    }


PARTS: dict[str, type[Spec]] = {cls.__name__: cls for cls in Spec.__subclasses__()}


def accept(data: Any) -> ContentSpec | None:
    """The content checked by the fast path, or None where the schema must decide."""
    try:
        return ContentSpec.accept(data)
    except Doubt:
        return None


def from_model(value: Any) -> Any:
    """A value of the schema's models as the parts here hold it."""
    if isinstance(value, list):
        return [from_model(v) for v in value]
    cls = PARTS.get(type(value).__name__) if hasattr(value, "model_fields_set") else None
    if cls is None:
        return value
    return cls({name: from_model(getattr(value, name)) for name in cls.FIELDS}, frozenset(value.model_fields_set))
