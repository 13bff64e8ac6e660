"""A writer's options from the content file and the command line: one mechanism for every writer.

A writer's options are a frozen dataclass whose fields each have a type, a default and
`metadata["help"]`. The content file may set them in a section named after the writer (`pdf:`,
`slides:`), the command line over that. Both are checked against the field types by pydantic
(strictly: `"false"` is not a bool, `"3"` not an int). The types a setting may have are those the
command line can take: `bool`, `int`, `float`, `str`, `Path` and `Literal[...]`, each optionally
`| None`. A path in the content file is relative to its folder and may not leave it (as an
asset's); the file must exist.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Mapping

SCALARS = (bool, int, float, str, Path)  # the types a setting may have, besides Literal


@dataclass(frozen=True)
class Problem:
    """What is wrong with a setting: `key` None is the section as a whole; `on_key` marks an unknown name."""

    key: str | None
    message: str
    on_key: bool = False


class OptionsError(ValueError):
    """Settings a writer's options refuse; `problems` lists each."""

    def __init__(self, writer: str, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{writer}.{p.key}: {p.message}" if p.key else f"{writer}: {p.message}"
                                   for p in problems))


def settings(options: type) -> dict[str, tuple[type, tuple]]:
    """Each setting of `options` with its type and, for a Literal, its choices (the type then `str`).

    Raises TypeError for a setting no command line could take: a writer with one is refused at
    import, not when a user first tries to set it.
    """
    hints = typing.get_type_hints(options)
    out: dict[str, tuple[type, tuple]] = {}
    for fld in dataclasses.fields(options):
        hint = hints[fld.name]
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            rest = [a for a in typing.get_args(hint) if a is not type(None)]
            hint = rest[0] if len(rest) == 1 else hint
        if typing.get_origin(hint) is Literal:
            choices = typing.get_args(hint)
            if not all(isinstance(c, str) for c in choices):
                raise TypeError(f"{options.__name__}.{fld.name}: a Literal setting takes strings only")
            out[fld.name] = (str, choices)
        elif hint in SCALARS:
            out[fld.name] = (hint, ())
        else:
            raise TypeError(f"{options.__name__}.{fld.name}: {hint!r} is not a setting type "
                            f"(bool, int, float, str, Path, Literal, optionally | None)")
        if fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
            raise TypeError(f"{options.__name__}.{fld.name}: a setting needs a default")
    return out


def from_content(options: type, values: Any, root: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The settings a writer's section of the content file gives, checked, and every problem in it.

    The settings returned are only the good ones; paths are resolved against `root`.
    """
    if values is None:  # `pdf:` with nothing under it (or only comments)
        return {}, []
    known = settings(options)
    if not isinstance(values, dict):
        listed = ", ".join(known) or "none"
        return {}, [Problem(None, f"must be a mapping of settings (this writer's: {listed})")]
    problems: list[Problem] = []
    given: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            listed = ", ".join(known) or "none"
            problems.append(Problem(str(key), f"unknown setting {str(key)[:80]!r}{hint} (settings: {listed})", True))
        elif known[key][0] is Path and value is not None:
            problem, path = _file(root, value) if isinstance(value, str) else \
                (f"should be a file name (got {type(value).__name__})", None)
            if problem:
                problems.append(Problem(key, problem))
            else:
                given[key] = path
        else:
            given[key] = value
    bad = _check(options, given)
    problems += bad
    return {k: v for k, v in given.items() if k not in {p.key for p in bad}}, problems


def _file(root: Path, value: str) -> tuple[str, Path | None]:
    """The file `value` names, relative to `root` and inside it; or what is wrong with it."""
    shown = repr(value if len(value) <= 80 else value[:79] + "…")
    try:
        path = (root / value).resolve()
        if not path.is_relative_to(root.resolve()):
            return f"{shown} is outside the content's folder", None
        if not path.is_file():
            return f"no such file: {shown}", None
    except (OSError, ValueError) as exc:  # a NUL in it, a name too long for the file system
        return f"{shown} is not a usable path ({exc})", None
    return "", path


def make(writer: str, options: type, given: Mapping[str, Any]) -> Any:
    """The options object from `given` (the content's checked settings and the command line's over
    them; None means unset). Raises OptionsError."""
    given = {k: v for k, v in given.items() if v is not None}
    unknown = [Problem(k, "unknown setting", True) for k in given if k not in settings(options)]
    problems = unknown or _check(options, given)
    if problems:
        raise OptionsError(writer, problems)
    return options(**given)


def _check(options: type, given: Mapping[str, Any]) -> list[Problem]:
    """Each value checked against its field's type, strictly (a str is no bool, a bool no int)."""
    if _plainly_good(options, given):  # pydantic (0.02 s to import) only for what may be wrong
        return []
    from pydantic import ValidationError

    problems = []
    for key, value in given.items():
        try:
            _adapter(options, key).validate_python(value, strict=True)
        except ValidationError as exc:
            err = exc.errors()[0]
            message = err["msg"]
            if err["type"].endswith("_type"):
                message += f" (got {type(value).__name__})"
            problems.append(Problem(key, message))
    return problems


def _plainly_good(options: type, given: Mapping[str, Any]) -> bool:
    """Whether every value is plainly of its setting's type, as pydantic's strict check would find
    it (an int for a float; a Literal's string), or else may be wrong and is left to that check."""
    known = settings(options)
    for key, value in given.items():
        kind, choices = known[key]
        if choices:
            good = type(value) is str and value in choices
        elif kind is float:
            good = type(value) in (int, float)
        else:
            good = type(value) is kind if kind is not Path else isinstance(value, Path)
        if not good:
            return False
    return True


@functools.cache
def _adapter(options: type, key: str):
    from pydantic import TypeAdapter

    return TypeAdapter(typing.get_type_hints(options)[key])
