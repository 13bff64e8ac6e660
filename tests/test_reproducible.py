"""Reproducible outputs: two builds of the same content give the same bytes.

Each build runs in its own process, with its own output folder and so its own figure cache
(figures drawn afresh, not shared), in its own working folder and with another hash seed, but
with the same SOURCE_DATE_EPOCH.  Any difference (a clock read, a path or a temporary name
written into a file, an iteration order, a random identifier) shows as a failure naming the
file, and for the deck and the Word edition the zip member.  No hashes are stored, so a deliberate change to an
output or a library upgrade needs no update here.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1536105600"  # 2018-09-05
SUFFIXES = (".pdf", ".pptx", ".html", ".docx")

# (name, content, extra command-line arguments)
VARIANTS = (
    ("default", ROOT / "content.yaml", []),
    ("second-footnotes", ROOT / "tests" / "data" / "second" / "content.yaml", ["--notes", "footnotes"]),
)


def _start(content: Path, args: list[str], work: Path, seed: str) -> tuple[subprocess.Popen, Path]:
    out = work / "output"
    work.mkdir(parents=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED=seed)
    cmd = [sys.executable, "-c", "from jnim_export.cli import main; main()",
           "build", str(content), "--out", str(out), "--quiet", *args]
    return subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), out


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in SUFFIXES}


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    found = []
    for name in sorted(a):
        if a[name] == b.get(name):
            continue
        if name.endswith((".pptx", ".docx")):
            za, zb = (zipfile.ZipFile(io.BytesIO(x)) for x in (a[name], b[name]))
            members = sorted(n for n in set(za.namelist()) | set(zb.namelist())
                             if n not in za.namelist() or n not in zb.namelist() or za.read(n) != zb.read(n))
            found.append(f"{name}: members {members[:8] or '(same members, zip metadata differs)'}")
        else:
            found.append(f"{name}: {len(a[name])} vs {len(b[name])} bytes")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name, content, args", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_two_builds_give_the_same_bytes(tmp_path, name, content, args):
    runs = [_start(content, args, tmp_path / f"run-{k}", seed) for k, seed in (("a", "1"), ("b", "2"))]
    for proc, _ in runs:
        log, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, log
    first, second = (_outputs(out) for _, out in runs)
    assert sorted(first) == sorted(second) and {Path(n).suffix for n in first} == set(SUFFIXES), (
        sorted(first), sorted(second))
    assert all(len(data) > 1000 for data in first.values())
    differences = _differences(first, second)
    assert not differences, differences
