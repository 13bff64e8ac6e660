"""The compiled regular expressions kept between runs (regexes.py): a kept program makes the
very pattern `re` compiles, a file from another interpreter or a damaged one is ignored, and a
run of the program keeps what it compiled for the next."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jnim_export import regexes

pytestmark = pytest.mark.skipif(not regexes.SERVED, reason="an interpreter whose re is not served")

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module", autouse=True)
def installed():
    """`re` served by the module in this process, as in the program's (what it serves is checked)."""
    regexes.install()


@pytest.fixture
def kept_in(tmp_path, monkeypatch):
    """The file in a scratch folder, and the process's tables as if nothing were kept."""
    where = tmp_path / "__pycache__" / "regexes.marshal"
    monkeypatch.setattr(regexes, "path", lambda: str(where))
    monkeypatch.setattr(regexes, "_kept", {})
    monkeypatch.setattr(regexes, "_new", {})
    monkeypatch.setattr(regexes, "_used", set())
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return where


# ReportLab's URL pattern: case-insensitive over the whole BMP, the slowest to compile
WIDE = r"([a-z\xa1-\uffff0-9](?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?)(?P<tld>\.[a-z]{2,})"


@pytest.mark.parametrize("pattern, flags", [
    (WIDE, re.I), (r"(?P<y>\d{4})-(\d\d)?", 0), (rb"[\x80-\xff]+", 0), (r"^\s*#.*$", re.M | re.X),
])
def test_a_kept_program_makes_the_pattern_re_compiles(kept_in, pattern, flags):
    compiled = regexes._compile(pattern, flags)
    assert compiled == regexes._original(pattern, flags)  # patterns compare by their program
    regexes.save()
    regexes._kept.clear()
    regexes._kept.update(regexes._read())
    again = regexes._compile(pattern, flags)
    assert (pattern, flags) in regexes._used  # served from the file, not compiled
    assert again == compiled and again.groupindex == compiled.groupindex and again.flags == compiled.flags


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="ab.*+?|()[]^$\\dwsAZ{}0123-", max_size=12), st.sampled_from([0, re.I, re.S | re.M]))
def test_any_pattern_served_from_a_program_is_the_one_re_compiles(pattern, flags):
    try:
        expected = regexes._original(pattern, flags)
    except re.error:
        return
    handed = regexes._handed
    handed.program = None
    regexes._original(pattern, flags)
    served = regexes.built(pattern, marshal.loads(marshal.dumps(handed.program)))
    assert served == expected and served.groupindex == expected.groupindex


def test_a_file_of_another_interpreter_or_damaged_is_ignored(kept_in):
    kept_in.parent.mkdir()
    kept_in.write_bytes(marshal.dumps((("2.7", 0, 4), {("x", 0): (0, [1], 0, {}, (None,))})))
    assert regexes._read() == {}
    kept_in.write_bytes(b"\x00garbage")
    assert regexes._read() == {}
    # a program `_sre` refuses is compiled again
    regexes._kept[("a+", 0)] = (0, [12345], 0, {}, (None,))
    assert regexes._compile("a+", 0).fullmatch("aaa")


def test_a_full_file_is_written_again_with_what_the_run_used(kept_in, monkeypatch):
    monkeypatch.setattr(regexes, "MAX_KEPT", 3)
    for p in ("a1", "a2", "a3"):
        regexes._compile(p, 0)
    regexes.save()
    regexes._kept.clear()
    regexes._kept.update(regexes._read())
    regexes._compile("a1", 0)  # used
    regexes._compile("b1", 0)  # new
    regexes.save()
    assert set(regexes._read()) == {("a1", 0), ("b1", 0)}


def test_the_program_keeps_what_it_compiled(tmp_path):
    """A run of the command line writes the file beside the module's bytecode (here under a
    bytecode prefix); the next process builds its patterns from it."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONPYCACHEPREFIX": str(tmp_path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    run = [sys.executable, "-m", "jnim_export.cli", "validate", str(tmp_path / "missing.yaml")]
    assert subprocess.run(run, env=env, capture_output=True, timeout=60).returncode == 1
    (kept,) = tmp_path.rglob("regexes.*.marshal")
    assert len(marshal.loads(kept.read_bytes())[1]) > 10
    check = "import jnim_export.cli; from jnim_export import regexes; print(len(regexes._used), len(regexes._new))"
    used, new = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True,
                               timeout=60).stdout.split()
    assert int(used) > 0 and int(new) == 0  # every pattern its imports compile was served
