"""Compiled regular expressions kept between runs of the program, as Python keeps bytecode.

A fresh process compiles every pattern of the libraries it imports: in a body-edit rebuild about
0.04 s of CPU on each core, markdown-it's, linkify's and the schema's while the content is read,
ReportLab's and the rest while the writers' libraries are imported ahead (one of ReportLab's,
case-insensitive over the whole Basic Multilingual Plane, takes 0.02–0.04 s alone). Once
installed (the command line does so before its imports), `re` makes a pattern it has kept from
its compiled program instead of compiling it; a process that compiled new ones adds them to the
file when it ends (`save`).

The file is kept beside this module's bytecode (`kept.py`) under the interpreter's version; a
program is kept exactly as `re` compiled it (taken as it is handed to `_sre`), under the pattern
and flags it was compiled for. Only the interpreters whose `re` is known are served (3.11 to
3.13); a program `_sre` refuses is compiled again.
"""

from __future__ import annotations

import array
import re
import sys
import threading
import types
from re import _compiler  # type: ignore[attr-defined]  # re's own compiler, which has no stub

import _sre  # type: ignore[import-not-found]  # re's compiled core, which has no stub

from . import kept

# Patterns in the file. A library may build one from a set, whose order changes from run to run;
# once the file is full it is written again with only what the process saving it used.
MAX_KEPT = 1000
MAX_PATTERN = 50_000  # characters of one pattern
_STAMP = (sys.version, _sre.MAGIC, _sre.CODESIZE)
_CODE = "I"  # the array type of `_sre`'s code words (as `re._compiler` itself converts them)

_kept: dict[tuple, tuple] = {}  # (pattern, flags) -> the rest of `_sre.compile`'s arguments
_new: dict[tuple, tuple] = {}  # compiled in this process, not yet in the file
_used: set[tuple] = set()  # served from the file
_handed = threading.local()  # what the last compile in this thread handed to `_sre`
_original = _compiler.compile
SERVED = sys.version_info[:2] in ((3, 11), (3, 12), (3, 13))  # the interpreters whose `re` is known


def path() -> str | None:
    """The file (see `kept.path`)."""
    return kept.path(__file__, "regexes")


def install() -> None:
    """Serve `re`'s compiles from the file (a no-op on an interpreter whose `re` is not known)."""
    if not SERVED or _compiler.compile is _compile:
        return
    _kept.update(_read())
    handing = types.SimpleNamespace(**vars(_sre))
    handing.compile = _hand
    _compiler._sre = handing
    _compiler.compile = _compile


def save() -> None:
    """Add the patterns this process compiled to the file."""
    if not _new:
        return
    where = path()
    programs = kept.read(where, _STAMP)
    if len(programs) + len(_new) > MAX_KEPT:
        programs = {key: program for key, program in programs.items() if key in _used}
    programs.update(list(_new.items())[: max(0, MAX_KEPT - len(programs))])
    _new.clear()
    kept.write(where, _STAMP, programs)


def _read() -> dict:
    return kept.read(path(), _STAMP)


def _compile(pattern, flags=0):
    if not isinstance(pattern, (str, bytes)) or flags & (re.LOCALE | re.DEBUG) or len(pattern) > MAX_PATTERN:
        return _original(pattern, flags)
    key = (pattern, int(flags))
    program = _kept.get(key)
    if program is not None:
        try:
            compiled = built(pattern, program)
            _used.add(key)
            return compiled
        except (RuntimeError, TypeError, ValueError, OverflowError):  # not a program this `_sre` takes: compile it
            del _kept[key]
    _handed.program = None
    compiled = _original(pattern, flags)
    program = _handed.program
    if program is not None and len(_new) < MAX_KEPT:
        _new[key] = _kept[key] = program
    return compiled


def built(pattern, program: tuple):
    """The pattern made from a kept program."""
    flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, flags, array.array(_CODE, code).tolist(), groups, groupindex, indexgroup)


def _hand(pattern, flags, code, groups, groupindex, indexgroup):
    # the code as bytes: a list of ints takes marshal ten times as long to read
    _handed.program = (int(flags), array.array(_CODE, code).tobytes(), int(groups), dict(groupindex), tuple(indexgroup))
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)
