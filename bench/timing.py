"""One whole process timed: its wall time and its own peak memory (ru_maxrss from wait4)."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path


def run(cmd: list[str], *, env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, int, str, str]:
    """Run `cmd`; return (wall seconds, peak RSS of that process in MB, exit code, stdout, stderr)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out.read(), err.read()
