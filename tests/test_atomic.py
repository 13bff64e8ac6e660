"""Files replaced whole: what a write leaves beside its destination, and what it clears."""

from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import given, settings, strategies as st

from jnim_export import atomic


def test_a_write_clears_only_its_own_files_leftovers(tmp_path):
    dest = tmp_path / "chart-abc.svg"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()  # a process that has ended
    own_leftover = tmp_path / f".chart-abc.svg.{dead}.x1y2z3.tmp"
    # another file's temporary whose name starts with this one's: another process's write in progress
    neighbour = tmp_path / f".chart-abc.svg.notes.json.{dead}.q9w8e7.tmp"
    for path in (own_leftover, neighbour):
        path.write_bytes(b"half")
    atomic.write_bytes(dest, b"<svg/>")
    assert dest.read_bytes() == b"<svg/>"
    assert not own_leftover.exists()
    assert neighbour.exists()


@settings(max_examples=60, deadline=None)
@given(suffix=st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789._-"), min_size=1, max_size=20))
def test_no_longer_names_temporary_is_removed(tmp_path_factory, suffix):
    folder = tmp_path_factory.mktemp("out")
    other = folder / f".page.html{suffix}.{os.getpid() + 10**7}.abc.tmp"  # a pid no process has
    other.write_bytes(b"x")
    atomic.write_bytes(folder / "page.html", b"y")
    assert other.exists()  # its name is this file's, then more: another file's, never this one's leftover
