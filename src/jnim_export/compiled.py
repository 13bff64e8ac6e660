"""What a fresh process compiles, kept between runs of the program as Python keeps bytecode:
regular expressions' programs and the methods dataclasses write.

A fresh process compiles every pattern of the libraries it imports, and the source of every
dataclass's `__init__`, `__eq__`, `__repr__`…: in a body-edit rebuild about 0.04 s of patterns
on each core (markdown-it's, linkify's and the schema's while the content is read, ReportLab's
and the rest while the writers' libraries are imported ahead; one of ReportLab's,
case-insensitive over the whole Basic Multilingual Plane, takes 0.02–0.04 s alone) and about
0.04 s of methods (the model's and the writers' dataclasses). Once installed (the command line
does so before its imports), `re` makes a pattern it has kept from its compiled program, and
dataclasses run a method's kept code object, instead of compiling them; a process that
compiled new ones adds them to the files when it ends (`save`).

The files are kept beside this module's bytecode (`kept.py`) under the interpreter's version. A
program is kept exactly as `re` compiled it (taken as it is handed to `_sre`), under the pattern
and flags it was compiled for; a method's code under its whole source, compiled as `exec`
compiles it. Only the interpreters whose `re` is known are served (3.11 to 3.13); a program
`_sre` refuses is compiled again.
"""

from __future__ import annotations

import array
import builtins
import dataclasses
import re
import sys
import threading
import types
from re import _compiler  # type: ignore[attr-defined]  # re's own compiler, which has no stub

import _sre  # type: ignore[import-not-found]  # re's compiled core, which has no stub

from . import kept

# Entries in a file. A library may build a pattern from a set, whose order changes from run to
# run; once a file is full it is written again with only what the process saving it used.
MAX_KEPT = 1000
MAX_PATTERN = 50_000  # characters of one pattern or method
_CODE = "I"  # the array type of `_sre`'s code words (as `re._compiler` itself converts them)
SERVED = sys.version_info[:2] in ((3, 11), (3, 12), (3, 13))  # the interpreters whose `re` is known


class _Table:
    """One file's entries: those kept, those new in this process, those it used."""

    def __init__(self, name: str, stamp: tuple) -> None:
        self.name, self.stamp = name, stamp
        self.kept: dict = {}
        self.new: dict = {}
        self.used: set = set()

    def path(self) -> str | None:
        return kept.path(__file__, self.name)

    def read(self) -> dict:
        return kept.read(self.path(), self.stamp)

    def add(self, key, value) -> None:
        if len(self.new) < MAX_KEPT:
            self.new[key] = self.kept[key] = value

    def save(self) -> None:
        if not self.new:
            return
        entries = self.read()
        if len(entries) + len(self.new) > MAX_KEPT:
            entries = {key: value for key, value in entries.items() if key in self.used}
        entries.update(list(self.new.items())[: max(0, MAX_KEPT - len(entries))])
        self.new.clear()
        kept.write(self.path(), self.stamp, entries)


PATTERNS = _Table("regexes", (sys.version, _sre.MAGIC, _sre.CODESIZE))  # (pattern, flags) -> `_sre.compile`'s arguments
METHODS = _Table("methods", (sys.version,))  # a method's source -> its code
_handed = threading.local()  # what the last compile in this thread handed to `_sre`
_original = _compiler.compile


def install() -> None:
    """Serve `re`'s compiles and dataclasses' methods from the files (a no-op on an interpreter
    whose `re` is not known)."""
    if not SERVED or _compiler.compile is _compile:
        return
    PATTERNS.kept.update(PATTERNS.read())
    METHODS.kept.update(METHODS.read())
    handing = types.SimpleNamespace(**vars(_sre))
    handing.compile = _hand
    _compiler._sre = handing
    _compiler.compile = _compile
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # found before the builtin by the module's code


def save() -> None:
    """Add what this process compiled to the files."""
    PATTERNS.save()
    METHODS.save()


def _compile(pattern, flags=0):
    if not isinstance(pattern, (str, bytes)) or flags & (re.LOCALE | re.DEBUG) or len(pattern) > MAX_PATTERN:
        return _original(pattern, flags)
    key = (pattern, int(flags))
    program = PATTERNS.kept.get(key)
    if program is not None:
        try:
            made = built(pattern, program)
            PATTERNS.used.add(key)
            return made
        except (RuntimeError, TypeError, ValueError, OverflowError):  # not a program this `_sre` takes: compile it
            del PATTERNS.kept[key]
    _handed.program = None
    made = _original(pattern, flags)
    if _handed.program is not None:
        PATTERNS.add(key, _handed.program)
    return made


def built(pattern, program: tuple):
    """The pattern made from a kept program."""
    flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, flags, array.array(_CODE, code).tolist(), groups, groupindex, indexgroup)


def _hand(pattern, flags, code, groups, groupindex, indexgroup):
    # the code as bytes: a list of ints takes marshal ten times as long to read
    _handed.program = (int(flags), array.array(_CODE, code).tobytes(), int(groups), dict(groupindex), tuple(indexgroup))
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


def _exec(source, globals=None, locals=None):
    """`exec` as dataclasses call it, on a method's source: its kept code if there is one."""
    if not isinstance(source, str) or len(source) > MAX_PATTERN:
        return builtins.exec(source, globals, locals)
    code = METHODS.kept.get(source)
    if code is None:
        # as exec compiles a string: no future features of this module's
        code = compile(source, "<string>", "exec", dont_inherit=True)
        METHODS.add(source, code)
    else:
        METHODS.used.add(source)
    return builtins.exec(code, globals, locals)
