"""What a change costs the PDF render: this tree's code against an earlier commit's, alternately.

    python bench/pdf_against.py REV [--rounds 10] [--renders 10]

REV's ``src/`` is extracted (``git archive``) into a temporary folder; each round runs, for
the earlier code and for this tree (in alternating order, so that drift in a shared machine's
speed hits both):

* a child process that reads the default content and renders its PDF ``--renders`` + 1 times
  (figure cache warm; the first render, which pays the imports, is dropped): the CPU seconds
  of each render, as in watch mode;
* ``jnim-export pdf --force`` as a user runs it (figure cache warm): wall and CPU seconds of
  the whole process and its children.

Prints min – median – max of each and the ratio of the medians (this tree / REV).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content.yaml"

CHILD = """
import sys, tempfile, time
from pathlib import Path
from jnim_export.content import load
from jnim_export.render import Context
from jnim_export.render.pdf import PdfOptions, render, view
doc = view(load(Path(sys.argv[1])))
out, context = Path(tempfile.mkdtemp()), Context(Path(sys.argv[2]))
cpu = []
for _ in range(int(sys.argv[3]) + 1):
    c0 = time.process_time()
    render(doc, out / "x.pdf", PdfOptions(), context)
    cpu.append(time.process_time() - c0)
print(" ".join(f"{x:.5f}" for x in cpu[1:]))
"""


def extract(rev: str, dest: Path) -> Path:
    """REV's src/ under `dest`."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def whole(src: Path, out: Path) -> tuple[float, float]:
    """`jnim-export pdf --force` with `src`'s code: (wall, CPU of it and its children) in seconds."""
    env = dict(os.environ, PYTHONPATH=str(src))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "jnim_export.cli", "pdf", str(CONTENT), "--force", "--quiet", "--out", str(out)],
                   env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--renders", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        srcs = {args.rev: extract(args.rev, tmp_path / "rev"), "this tree": ROOT / "src"}
        for i, src in enumerate(srcs.values()):  # figure caches warm
            whole(src, tmp_path / f"out{i}")
        cache = tmp_path / "out1" / ".jnim-export" / "figures"
        renders: dict[str, list[float]] = {k: [] for k in srcs}
        walls: dict[str, list[float]] = {k: [] for k in srcs}
        cpus: dict[str, list[float]] = {k: [] for k in srcs}
        for r in range(args.rounds):
            for i, (name, src) in enumerate(list(srcs.items())[:: 1 if r % 2 == 0 else -1]):
                env = dict(os.environ, PYTHONPATH=str(src))
                out = subprocess.run([sys.executable, "-c", CHILD, str(CONTENT), str(cache), str(args.renders)],
                                     env=env, capture_output=True, text=True, check=True).stdout
                renders[name] += [float(x) for x in out.split()]
                wall, cpu = whole(src, tmp_path / f"out{list(srcs).index(name)}")
                walls[name].append(wall)
                cpus[name].append(cpu)
    for title, data in (("warm render, CPU", renders), ("jnim-export pdf, wall", walls), ("jnim-export pdf, CPU", cpus)):
        for name, xs in data.items():
            print(f"{title:24} {name:10} n={len(xs):3}  {min(xs):.3f} – {statistics.median(xs):.3f} – {max(xs):.3f} s")
        a, b = (statistics.median(xs) for xs in data.values())
        print(f"{title:24} this tree / {args.rev}: {b / a:.3f}")


if __name__ == "__main__":
    main()
