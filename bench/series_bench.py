"""Benchmark: a series of 8 backgrounders, `jnim-export build A … H --jobs 2` against one by one.

    python bench/series_bench.py [--rounds 3] [--jobs 2] [--corpus 3]

The series: the project's own content, the four backgrounders of the test suite
(tests/data/backgrounders/*, tests/data/second) and `--corpus` backgrounders from the test
suite's generator (tests/corpus.py, seeds 1, 2, …; synthetic, written to a temporary folder).
Each round copies them into a fresh temporary folder twice (no output, no figure cache) and
times, in alternating order, the whole processes of

  one by one   `jnim-export build X/content.yaml` for each, one after the other (each build
               uses both cores itself, with its own figure cache, as today)
  series       `jnim-export build A/content.yaml … --jobs N` (N builds at once, one figure
               cache shared by all)

Wall time and CPU time (user + system of the processes and their children, from wait4) are
printed min–median–max, with the ratio of the medians; then the drawings each made and what
one backgrounder costs in the series, for extrapolating to a series of hundreds.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JNIM = str(Path(sys.executable).with_name("jnim-export"))
HAND_MADE = ("tests/data/backgrounders/isgs", "tests/data/backgrounders/gatia",
             "tests/data/backgrounders/al-shabaab", "tests/data/second")


def series(folder: Path, corpus: int) -> list[Path]:
    """Copy (or generate) the series into `folder`; its content files, in order."""
    jnim = folder / "jnim"
    jnim.mkdir()
    shutil.copy(ROOT / "content.yaml", jnim / "content.yaml")
    shutil.copytree(ROOT / "assets", jnim / "assets")
    contents = [jnim / "content.yaml"]
    for rel in HAND_MADE:
        shutil.copytree(ROOT / rel, folder / Path(rel).name, ignore=shutil.ignore_patterns("output"))
        contents.append(folder / Path(rel).name / "content.yaml")
    sys.path.insert(0, str(ROOT / "tests"))
    from corpus import make_backgrounder

    for seed in range(1, corpus + 1):
        contents.append(make_backgrounder(random.Random(seed), folder / f"corpus-{seed}"))
    return contents


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children); a failure ends the benchmark."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime


def one_by_one(contents: list[Path], cwd: Path) -> tuple[float, float]:
    wall = cpu = 0.0
    for content in contents:
        w, c = run([JNIM, "build", "-q", str(content)], cwd)
        wall, cpu = wall + w, cpu + c
    return wall, cpu


def drawings(folder: Path) -> int:
    return sum(1 for f in folder.rglob(".jnim-export/figures/*") if f.suffix in (".svg", ".png"))


def spread(values: list[float]) -> str:
    return f"{min(values):.1f} – {statistics.median(values):.1f} – {max(values):.1f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--corpus", type=int, default=3, help="generated backgrounders added to the five hand-made ones")
    args = ap.parse_args()
    times: dict[str, list[tuple[float, float]]] = {"one": [], "series": []}
    made = {}
    n = 0
    for r in range(args.rounds):
        for which in (("one", "series") if r % 2 == 0 else ("series", "one")):
            with tempfile.TemporaryDirectory(prefix="jnim-series-") as tmp:
                contents = series(Path(tmp), args.corpus)
                n = len(contents)
                if which == "one":
                    times["one"].append(one_by_one(contents, Path(tmp)))
                else:
                    cmd = [JNIM, "build", "-q", "--jobs", str(args.jobs), *map(str, contents)]
                    times["series"].append(run(cmd, Path(tmp)))
                made[which] = drawings(Path(tmp))
            print(f"round {r + 1}: {which}: {times[which][-1][0]:.1f} s wall, {times[which][-1][1]:.1f} s CPU",
                  file=sys.stderr)
    walls = {k: [w for w, _ in v] for k, v in times.items()}
    cpus = {k: [c for _, c in v] for k, v in times.items()}
    ratio = statistics.median(walls["one"]) / statistics.median(walls["series"])
    cpu_ratio = statistics.median(cpus["one"]) / statistics.median(cpus["series"])
    print(f"\n{n} backgrounders, {args.rounds} rounds, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the end\n")
    print("| how | wall (min – median – max) | CPU (min – median – max) | drawings made |")
    print("| --- | --- | --- | --- |")
    print(f"| one by one (`jnim-export build X`, {n} times) | {spread(walls['one'])} | {spread(cpus['one'])} "
          f"| {made['one']} |")
    print(f"| series (`jnim-export build … --jobs {args.jobs}`) | {spread(walls['series'])} | "
          f"{spread(cpus['series'])} | {made['series']} |")
    print(f"| one by one / series, medians | {ratio:.2f}× | {cpu_ratio:.2f}× | |")
    per = statistics.median(walls["series"]) / n
    per_cpu = statistics.median(cpus["series"]) / n / args.jobs
    print(f"\nIn the series one backgrounder costs {per:.2f} s of wall time here ({per_cpu:.2f} s of CPU per "
          f"core: the wall time of an idle machine): 300 would take {300 * per / 60:.0f} min as measured, "
          f"{300 * per_cpu / 60:.0f} min idle (drawings shared as here; distinct data draws more).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
