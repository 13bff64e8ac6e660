"""What a process compiles, kept between runs (compiled.py): a kept program makes the very
pattern `re` compiles, a kept method the very dataclass, a file from another interpreter or a
damaged one is ignored, and a run of the program keeps what it compiled for the next."""

from __future__ import annotations

import dataclasses
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jnim_export import compiled

pytestmark = pytest.mark.skipif(not compiled.SERVED, reason="an interpreter whose re is not served")

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module", autouse=True)
def installed():
    """`re` and dataclasses served by the module in this process, as in the program's (what it
    serves is checked)."""
    compiled.install()


@pytest.fixture
def kept_in(tmp_path, monkeypatch):
    """The file in a scratch folder, and the process's tables as if nothing were kept."""
    for table in (compiled.PATTERNS, compiled.METHODS):
        where = str(tmp_path / "__pycache__" / f"{table.name}.marshal")
        monkeypatch.setattr(table, "path", lambda where=where: where)
        for name, empty in (("kept", {}), ("new", {}), ("used", set())):
            monkeypatch.setattr(table, name, empty)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return tmp_path / "__pycache__"


# ReportLab's URL pattern: case-insensitive over the whole BMP, the slowest to compile
WIDE = r"([a-z\xa1-\uffff0-9](?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?)(?P<tld>\.[a-z]{2,})"


@pytest.mark.parametrize("pattern, flags", [
    (WIDE, re.I), (r"(?P<y>\d{4})-(\d\d)?", 0), (rb"[\x80-\xff]+", 0), (r"^\s*#.*$", re.M | re.X),
])
def test_a_kept_program_makes_the_pattern_re_compiles(kept_in, pattern, flags):
    made = compiled._compile(pattern, flags)
    assert made == compiled._original(pattern, flags)  # patterns compare by their program
    compiled.save()
    compiled.PATTERNS.kept = compiled.PATTERNS.read()
    again = compiled._compile(pattern, flags)
    assert (pattern, flags) in compiled.PATTERNS.used  # served from the file, not compiled
    assert again == made and again.groupindex == made.groupindex and again.flags == made.flags


def test_a_kept_method_makes_the_same_dataclass(kept_in):
    def point():
        @dataclasses.dataclass(frozen=True, order=True)
        class Point:
            x: int
            label: str = "a"
            tags: tuple = dataclasses.field(default_factory=tuple)

        return Point

    first = point()
    assert compiled.METHODS.new and not compiled.METHODS.used
    compiled.save()
    compiled.METHODS.kept = compiled.METHODS.read()
    second = point()
    assert len(compiled.METHODS.used) == len(compiled.METHODS.kept)  # every method served from the file
    for cls in (first, second):
        p = cls(2, "b")
        assert (p, repr(p), hash(p) == hash(cls(2, "b")), p < cls(3), cls.__init__.__annotations__) == \
            (cls(2, "b", ()), "test_a_kept_method_makes_the_same_dataclass.<locals>.point.<locals>.Point(x=2, "
             "label='b', tags=())", True, True, {"x": "int", "label": "str", "tags": "tuple", "return": None})
        with pytest.raises(dataclasses.FrozenInstanceError):
            p.x = 3


@pytest.mark.filterwarnings("ignore::FutureWarning")  # "possible nested set": re's, on a pattern drawn
@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="ab.*+?|()[]^$\\dwsAZ{}0123-", max_size=12), st.sampled_from([0, re.I, re.S | re.M]))
def test_any_pattern_served_from_a_program_is_the_one_re_compiles(pattern, flags):
    try:
        expected = compiled._original(pattern, flags)
    except re.error:
        return
    handed = compiled._handed
    handed.program = None
    compiled._original(pattern, flags)
    served = compiled.built(pattern, marshal.loads(marshal.dumps(handed.program)))
    assert served == expected and served.groupindex == expected.groupindex


def test_a_file_of_another_interpreter_or_damaged_is_ignored(kept_in):
    kept_in.mkdir()
    where = kept_in / "regexes.marshal"
    where.write_bytes(marshal.dumps((("2.7", 0, 4), {("x", 0): (0, b"\x01", 0, {}, (None,))})))
    assert compiled.PATTERNS.read() == {}
    where.write_bytes(b"\x00garbage")
    assert compiled.PATTERNS.read() == {}
    # a program `_sre` refuses is compiled again
    compiled.PATTERNS.kept[("a+", 0)] = (0, b"\x39\x30\x00\x00", 0, {}, (None,))
    assert compiled._compile("a+", 0).fullmatch("aaa")


def test_a_full_file_is_written_again_with_what_the_run_used(kept_in, monkeypatch):
    monkeypatch.setattr(compiled, "MAX_KEPT", 3)
    for p in ("a1", "a2", "a3"):
        compiled._compile(p, 0)
    compiled.save()
    compiled.PATTERNS.kept = compiled.PATTERNS.read()
    compiled._compile("a1", 0)  # used
    compiled._compile("b1", 0)  # new
    compiled.save()
    assert set(compiled.PATTERNS.read()) == {("a1", 0), ("b1", 0)}


@pytest.mark.slow
def test_the_program_keeps_what_it_compiled(tmp_path):
    """A run of the command line writes the file beside the module's bytecode (here under a
    bytecode prefix); the next process builds its patterns from it."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONPYCACHEPREFIX": str(tmp_path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    run = [sys.executable, "-m", "jnim_export.cli", "validate", str(tmp_path / "missing.yaml")]
    assert subprocess.run(run, env=env, capture_output=True, timeout=60).returncode == 1
    for name in ("regexes", "methods"):
        (kept,) = tmp_path.rglob(f"{name}.*.marshal")
        assert len(marshal.loads(kept.read_bytes())[1]) > 10
    check = ("import jnim_export.cli; from jnim_export.compiled import PATTERNS, METHODS; "
             "print(len(PATTERNS.used) + len(METHODS.used), len(PATTERNS.new) + len(METHODS.new))")
    used, new = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True,
                               timeout=60).stdout.split()
    assert int(used) > 0 and int(new) == 0  # every pattern its imports compile was served
