"""One whole process timed: its wall time, its CPU time and its own peak memory (from wait4)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it waited for
    peak_mb: float  # the process's own peak resident set
    code: int
    out: str
    err: str


def measure(cmd: list[str], *, env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run `cmd` to its end and measure it."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                   os.waitstatus_to_exitcode(status), out.read(), err.read())


def run(cmd: list[str], *, env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, int, str, str]:
    """Run `cmd`; return (wall seconds, peak RSS of that process in MB, exit code, stdout, stderr)."""
    r = measure(cmd, env=env, cwd=cwd)
    return r.wall, r.peak_mb, r.code, r.out, r.err
