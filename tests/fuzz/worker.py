"""Run mutants through `jnim-export validate` inside this one process, checking every result.

    python worker.py '{"seed": 1, "indices": [0, 2, 4], "sources": ["a.yaml", "b.yaml"],
                       "workdir": "/tmp/w", "seconds": 5, "memory_mb": 300}'

Mutant `i` is `mutate.mutant(sources[i % len(sources)], seed, i)`, written to WORKDIR/content.yaml
(beside a copy of the assets the sources use). Prints one JSON line per failing mutant, then
{"done": N, "seconds": ..., "slowest": ..., "peak_mb": ...}. The process's address space is capped
(RLIMIT_AS) and each mutant runs under a timer, so a runaway mutant fails instead of hanging.
"""

from __future__ import annotations

import json
import re
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from mutate import mutant  # noqa: E402

SUMMARY = re.compile(r"^\d[\d,]* errors?; nothing was written\.$")


class Overtime(Exception):
    pass


def _status(field: str) -> int:
    """A /proc/self/status figure in kB (VmRSS, VmHWM, VmSize)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # VmHWM starts again from the current resident size
        return True
    except OSError:
        return False


def check(result, file: Path) -> list[str]:
    """What is wrong with one `validate` run: an exception, a bad exit code, an unpositioned line."""
    problems = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        tb = "".join(traceback.format_exception(result.exception))[-3000:]
        problems.append(f"raised {type(result.exception).__name__}: {tb}")
    if result.exit_code not in (0, 1):
        problems.append(f"exit code {result.exit_code}")
    if "Traceback" in result.output:
        problems.append("a traceback was printed")
    if "unexpected error" in result.output:
        problems.append("only the command line's last-resort guard caught it")
    prefix = re.compile(rf"^{re.escape(str(file))}:(\d+:\d+:)? ")
    lines = result.stderr.splitlines()
    if result.exit_code == 1:
        if not lines or not SUMMARY.match(lines[-1]):
            problems.append(f"no error summary: {lines[-1:]!r}")
        lines = lines[:-1]
        if not lines:
            problems.append("exit code 1 without a message")
    elif result.exit_code == 0 and not result.stdout.startswith(f"{file}: ok — "):
        problems.append(f"no ok line: {result.stdout[:200]!r}")
    for line in lines:
        if not prefix.match(line):
            problems.append(f"line without FILE:LINE:COLUMN: {line[:300]!r}")
            break
    return problems


def main() -> None:
    args = json.loads(sys.argv[1])
    seed, indices = args["seed"], args["indices"]
    sources = [Path(s).read_bytes() for s in args["sources"]]
    file = Path(args["workdir"]) / "content.yaml"
    seconds, memory_mb = args["seconds"], args["memory_mb"]

    from click.testing import CliRunner

    from jnim_export.cli import main as cli

    runner = CliRunner()
    file.write_bytes(sources[0])
    runner.invoke(cli, ["validate", str(file)])  # imports everything validation needs, before measuring

    # A hard cap well above the budget: the budget itself is checked per mutant below.
    cap = (_status("VmSize") * 1024) + 2 * memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    def overtime(signum, frame):
        raise Overtime(f"over {2 * seconds} s")

    signal.signal(signal.SIGALRM, overtime)
    can_measure = _reset_peak()
    started, slowest, peak_mb = time.perf_counter(), 0.0, 0.0
    for i in indices:
        data, ops = mutant(sources[i % len(sources)], seed, i)
        file.write_bytes(data)
        _reset_peak()
        before = _status("VmRSS")
        signal.setitimer(signal.ITIMER_REAL, 2 * seconds)
        t0 = time.perf_counter()
        try:
            result = runner.invoke(cli, ["validate", str(file)])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - t0
        grown = (_status("VmHWM") - before) / 1024 if can_measure else 0.0
        slowest, peak_mb = max(slowest, elapsed), max(peak_mb, grown)
        problems = check(result, file)
        if elapsed > seconds:
            problems.append(f"took {elapsed:.1f} s (limit {seconds} s)")
        if grown > memory_mb:
            problems.append(f"used {grown:.0f} MB more (limit {memory_mb} MB)")
        if problems:
            saved = Path(args["workdir"]) / f"failed-{seed}-{i}.yaml"
            saved.write_bytes(data)
            print(json.dumps({"seed": seed, "index": i, "ops": ops, "problems": problems, "saved": str(saved)}), flush=True)
    print(json.dumps({"done": len(indices), "seconds": time.perf_counter() - started, "slowest": slowest, "peak_mb": peak_mb}), flush=True)


if __name__ == "__main__":
    main()
