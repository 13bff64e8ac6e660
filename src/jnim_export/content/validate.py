"""The content file checked part by part against the schema, and for characters no font draws.

Each problem is reported at its FILE:LINE:COLUMN; one bad item hides neither the other items'
problems nor its own. Content the fast path (`spec.accept`) vouches for is not checked again:
pydantic and the schema's models are imported only for content it doubts.
"""

from __future__ import annotations

import difflib
import typing
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection, Iterable

from .. import fonts
from . import spec
from .checks import CharacterError, shown
from .diagnostics import Diagnostic
from .yamlsource import Path_, Positions

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

MAX_HINTS = 100  # "did you mean" hints per file; a file of ten thousand unknown keys gets no more

# Values no output draws as text.
_NOT_DRAWN = frozenset(("id", "cite", "image", "photo", "data", "logo", "slug", "language", "date", "from", "to",
                        "kind", "serif", "sans", "accent", "ink", "muted", "tint", "palette", "paper", "notes",
                        "citations", "after_author", "after_title", "stacked", "optional", "latitude", "longitude",
                        "capital", "native_title_lang", "type", "organisation", "accessed", "bibliography"))
# Text drawn where Arabic script is not shaped (the running footer and masthead, map and chart labels).
_LATIN_ONLY = {("meta", "series"), ("meta", "publisher"), ("meta", "publisher_short"), ("meta", "short_title"),
               ("attacks", "place"), ("attacks", "country"), ("places", "name")}


def undrawable(file: Path, positions: Positions, data: Any) -> list[Diagnostic]:
    """Every character some output would draw that no shipped face has, at its line and column."""
    problems: list[Diagnostic] = []

    def walk(value: Any, path: Path_) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in _NOT_DRAWN:
                    walk(item, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, path + (i,))
        elif isinstance(value, str):
            named = tuple(p for p in path if isinstance(p, str))
            latin_only = (named[0], named[-1]) in _LATIN_ONLY if len(named) >= 2 else False
            ch = fonts.missing_character(value, arabic=not latin_only)
            if ch is not None:
                mark = positions.find_in_value(path, ch)
                where = " here (drawn in a place that sets no Arabic script)" if latin_only and \
                    fonts.missing_character(value) is None else ""
                message = (f"U+{ord(ch):04X} {shown(ch)!r} ({unicodedata.name(ch, 'unnamed character')}) is not in "
                           f"the bundled fonts{where}; replace it or remove it")
                problems.append(Diagnostic(file, mark.line, mark.column, ".".join(map(str, path)), message))

    walk(data, ())
    return problems


def validate(
    file: Path, positions: Positions, data: dict, writers: Collection[str] = ()
) -> tuple[spec.ContentSpec, list[Diagnostic], set[str], dict[str, list[int]]]:
    """Validate part by part, so one bad item hides neither the other items' problems nor theirs.

    Also returns, for each list, the source index of each item kept (failed items are left out).
    `writers` names the writers, for the message on an unknown section (their sections are
    taken out of `data` before: see `sections.py`).
    """
    accepted = spec.accept(data)
    if accepted is not None:  # every item kept, each at its own index
        return accepted, [], set(), {}
    found, problems, broken_ids, kept = _validate_by_schema(file, positions, data, writers)
    return spec.from_model(found), problems, broken_ids, kept


def _validate_by_schema(file: Path, positions: Positions, data: dict, writers: Collection[str]) -> tuple:
    from pydantic import TypeAdapter, ValidationError

    from .schema import ContentSpec

    problems: list[Diagnostic] = []
    parts: dict[str, Any] = {}
    broken_ids: set[str] = set()  # ids of items that failed: references to them are not reported again
    kept: dict[str, list[int]] = {}
    for key in data:
        if key not in ContentSpec.model_fields:
            mark = positions.key_of((key,))
            hint = did_you_mean(str(key), [*ContentSpec.model_fields, *writers]) if len(problems) < MAX_HINTS else ""
            message = f"unknown field {shown(str(key))!r}" + hint
            if isinstance(data[key], (dict, type(None))):  # a section, maybe meant for a writer
                message += f" (the writers' sections: {', '.join(writers) or 'none'})"
            problems.append(Diagnostic(file, mark.line, mark.column, str(key), message))
    for name, info in ContentSpec.model_fields.items():
        if name not in data:
            if info.is_required():
                problems.append(Diagnostic(file, 1, 1, "", f"missing required field {name!r}"))
            continue
        value = data[name]
        item_type = _list_item_model(info.annotation)
        if item_type is not None and isinstance(value, list):
            good = []
            kept[name] = []
            for i, item in enumerate(value):
                try:
                    good.append(item_type.model_validate(item))
                    kept[name].append(i)
                except ValidationError as exc:
                    problems += _schema_diagnostics(file, positions, exc, (name, i))
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        broken_ids.add(item["id"])
            if not value and info.metadata:
                problems.append(_at(file, positions, (name,), f"{name} must not be empty"))
            parts[name] = good
        else:
            try:
                # pydantic types `annotation` as optional; every field of a built model has one
                parts[name] = TypeAdapter(info.annotation).validate_python(value, strict=True)  # type: ignore[arg-type]
            except ValidationError as exc:
                problems += _schema_diagnostics(file, positions, exc, (name,))
    given = set(parts)
    for name, info in ContentSpec.model_fields.items():
        if name not in parts and info.is_required():
            # Missing or invalid (and reported): the resolver goes on with an empty stand-in.
            parts[name] = [] if typing.get_origin(info.annotation) is list else None
    return ContentSpec.model_construct(_fields_set=given, **parts), problems, broken_ids, kept


def _list_item_model(annotation: Any) -> type[BaseModel] | None:
    from pydantic import BaseModel

    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _at(file: Path, positions: Positions, path: Path_, message: str) -> Diagnostic:
    mark = positions.of(path)
    return Diagnostic(file, mark.line, mark.column, ".".join(map(str, path)), message)


def _schema_diagnostics(file: Path, positions: Positions, exc: ValidationError, prefix: Path_) -> list[Diagnostic]:
    from .schema import field_names

    known = field_names()
    out = []
    errors = exc.errors()
    for err in errors:
        loc = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        kind = err["type"]
        if kind == "extra_forbidden":
            mark = positions.key_of(loc)
            hint = did_you_mean(str(loc[-1]), known) if len(errors) <= MAX_HINTS else ""
            message = f"unknown field {shown(str(loc[-1]))!r}" + hint
        elif kind == "missing":
            mark = positions.of(loc[:-1])
            message = f"missing required field {loc[-1]!r}"
        else:
            cause = err.get("ctx", {}).get("error")
            if isinstance(cause, CharacterError):
                mark = positions.find_in_value(loc, cause.char)  # the character itself, if typed as is
            else:
                mark = positions.of(loc)
            message = err["msg"].removeprefix("Value error, ")
            if kind.endswith("_type") and "input" in err:
                message += f" (got {type(err['input']).__name__})"
        out.append(Diagnostic(file, mark.line, mark.column, ".".join(map(str, loc)), message))
    # A union of block kinds reports one error per member; keep the first per place.
    unique: dict[tuple[int, int, str], Diagnostic] = {}
    for d in out:
        unique.setdefault((d.line, d.column, d.path), d)
    return list(unique.values())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "; did you mean ...?" hint naming the choice closest to `word`, or "" if none is close."""
    if len(word) > 100:
        return ""  # nothing that long is close to a name
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""

