"""Whole-process timings of the build loop, pairwise against peer tools on the same content.

    python bench/build_bench.py --runs 9 --peer-python PEER_ENV/bin/python   # every scenario
    python bench/build_bench.py --only edit validate --runs 15

Scenarios (each in a fresh temporary copy of the project):
  cold      `jnim-export build` (PDF, deck, web page, Word edition) with no output folder: an empty figure cache
  edit      `jnim-export build` after a one-word edit in a body paragraph (the PDF, the page and the Word
            edition are stale; the deck does not show it), figure cache warm; with --peer-python, pairwise
            against what a user of the peers runs after the same edit: pandoc → pptx, Typst → PDF and
            pandoc → HTML, one after the other (../shared/bench/peer/)
  note      the same after a one-word edit in a note (every output stale)
  validate  `jnim-export validate`
  noop      `jnim-export build` with every output fresh
  watch     `jnim-export watch` running: from the save of a note edit to every output replaced
  warm      each writer's render in a warm process (as in watch mode): the content read once, figures cached
  peers     with --peer-python: our PDF against Typst's, our deck against pandoc's, pairwise
  large     a synthetic 200-page report: 1,000 notes and 20 charts (cold and warm figure cache)

The peers run from a separate environment with `pypandoc-binary` and `typst`, never the project's.
Pairs alternate (A B A B ...) so that drift in the machine's speed hits both; each figure is printed
as min–median–max, and a pair's ratio is the median of the ratios run by run. CPU time is user +
system of the process and every process it waited for (a build's forked renders included); it is the
steadier figure on a shared machine. Peak memory is the largest resident set of the measured process.
The rows print as a Markdown table ready for the README.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import timing

# Time what an installed tool costs: let Python keep its compiled bytecode, as it does by default.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the repository (or beside the folder of worktrees it is in)
PEER = next((p for p in (ROOT.parent / "shared" / "bench" / "peer", ROOT.parent.parent / "shared" / "bench" / "peer")
             if p.is_dir()), ROOT.parent / "shared" / "bench" / "peer")
JNIM = str(Path(sys.executable).with_name("jnim-export"))


def measured(cmd: list[str], cwd: Path | None = None) -> timing.Run:
    """Run `cmd` and measure it; a failure ends the benchmark."""
    run = timing.measure(cmd, cwd=cwd)
    if run.code != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{run.err}")
    return run


def project_copy(tmp: Path) -> Path:
    shutil.copy(ROOT / "content.yaml", tmp / "content.yaml")
    shutil.copytree(ROOT / "assets", tmp / "assets")
    return tmp / "content.yaml"


# A word in a note shows in every output; a word in a body paragraph in all but the deck.
NOTE = ("(forthcoming)", "(upcoming)")
BODY = ("longtime leader", "long-time leader")


def toggle_word(content: Path, words: tuple[str, str] = NOTE) -> None:
    text = content.read_text(encoding="utf-8")
    a, b = words
    content.write_text(text.replace(a, b) if a in text else text.replace(b, a), encoding="utf-8")


def spread(values: list[float], unit: str = " s", digits: int = 2) -> str:
    """min–median–max"""
    return f"{min(values):.{digits}f}–{statistics.median(values):.{digits}f}–{max(values):.{digits}f}{unit}"


def row(name: str, runs: list[timing.Run], target: str = "", limit: float | None = None) -> None:
    wall = [r.wall for r in runs]
    met = "" if limit is None else ("yes" if statistics.median(wall) <= limit else "no")
    print(f"| {name} | {spread(wall)} | {spread([r.cpu for r in runs])} | "
          f"{statistics.median([r.peak_mb for r in runs]):.0f} MB | {target} | {met} |")


def pair_row(name: str, ours: list[timing.Run], theirs: list[list[timing.Run]], target: str = "",
             limit: float | None = None) -> None:
    """Ours against the peers' commands run one after the other (their times summed), run by run."""
    their_wall = [sum(r.wall for r in rs) for rs in theirs]
    their_cpu = [sum(r.cpu for r in rs) for rs in theirs]
    ratios = [a.wall / b for a, b in zip(ours, their_wall)]
    cpu_ratios = [a.cpu / b for a, b in zip(ours, their_cpu)]
    met = "" if limit is None else ("yes" if statistics.median(ratios) <= limit else "no")
    print(f"| {name}: ours / peers | {spread([r.wall for r in ours])} / {spread(their_wall)}; "
          f"ratio {spread(ratios, '×')} | {spread([r.cpu for r in ours])} / {spread(their_cpu)}; "
          f"ratio {spread(cpu_ratios, '×')} | | {target} | {met} |")


def built(content: Path) -> Path:
    measured([JNIM, "build", str(content), "--quiet"])
    return content


def bench_cold(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = project_copy(Path(tmp))
        out = []
        for _ in range(runs):
            shutil.rmtree(content.parent / "output", ignore_errors=True)
            out.append(measured([JNIM, "build", str(content), "--quiet"]))
        row("first build, empty figure cache (four outputs)", out, "≤ 1.2 s", 1.2)


def bench_noop(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = built(project_copy(Path(tmp)))
        row("no-op build (every output fresh)", [measured([JNIM, "build", str(content), "--quiet"])
                                                 for _ in range(runs)], "≤ 0.30 s", 0.30)


def bench_validate(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = project_copy(Path(tmp))
        row("`validate`", [measured([JNIM, "validate", str(content)]) for _ in range(runs)], "≤ 0.15 s", 0.15)


def peer_commands(peer_python: str) -> list[list[str]]:
    """What a user of the peers runs after an edit: the deck, the PDF and the page."""
    pandoc = subprocess.run([peer_python, "-c", "import pypandoc; print(pypandoc.get_pandoc_path())"],
                            capture_output=True, text=True, check=True).stdout.strip()
    return [[pandoc, "backgrounder.md", "-o", "peer.pptx"],
            [peer_python, "-c", "import typst; typst.compile('backgrounder.typ', output='peer.pdf')"],
            [pandoc, "backgrounder.md", "-s", "--embed-resources", "-o", "peer.html"]]


def bench_edit(runs: int, words: tuple[str, str], name: str, peer_python: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = built(project_copy(tmp))
        peers = None
        if peer_python:
            shutil.copytree(PEER, tmp / "peer")
            peers = peer_commands(peer_python)
            for cmd in peers:  # once untimed: the peers' files in the page cache too
                measured(cmd, cwd=tmp / "peer")
        ours, theirs = [], []
        for _ in range(runs):
            toggle_word(content, words)
            ours.append(measured([JNIM, "build", str(content), "--quiet"]))
            if peers:
                theirs.append([measured(cmd, cwd=tmp / "peer") for cmd in peers])
        row(name, ours)
        if peers:
            pair_row(name, ours, theirs, "≤ 1.5×", 1.5)


def bench_watch(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = project_copy(Path(tmp))
        out = content.parent / "output"
        proc = subprocess.Popen([JNIM, "watch", str(content)], stdout=subprocess.PIPE, text=True)
        try:
            assert "watching" in proc.stdout.readline()
            assert "built in" in proc.stdout.readline()
            walls = []
            for _ in range(runs):
                before = {p: p.stat().st_ino for p in out.glob("jnim-backgrounder.*")}
                time.sleep(0.3)
                started = time.perf_counter()
                toggle_word(content)
                while any(p.stat().st_ino == ino for p, ino in before.items()):
                    time.sleep(0.002)
                walls.append(time.perf_counter() - started)
                proc.stdout.readline()
        finally:
            proc.terminate()
            proc.wait()
        met = "yes" if statistics.median(walls) <= 0.10 else "no"
        print(f"| watch: save of a note edit → every output replaced | {spread(walls)} | | | ≤ 0.10 s | {met} |")


WARM = """
import statistics, sys, tempfile, time
from pathlib import Path
from jnim_export.build import plans
from jnim_export.render import Context
content, cache, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
_, planned = plans(content)
for p in planned:
    w = p.writer
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs + 1):
            started = time.process_time()
            w.render(p.view, Path(out) / f"x{w.suffix}", p.options, Context(cache))
            times.append(time.process_time() - started)
    times = times[1:]  # the first pays the imports
    print(w.name, *times)
"""


def bench_warm(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = built(project_copy(Path(tmp)))
        cache = content.parent / "output" / ".jnim-export" / "figures"
        out = subprocess.run([sys.executable, "-c", WARM, str(content), str(cache), str(runs)],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            name, *times = line.split()
            print(f"| warm render in a running process: {name} | | {spread([float(t) for t in times], digits=3)} | | | |")


def bench_peers(runs: int, peer_python: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = built(project_copy(tmp))
        peer = tmp / "peer"
        shutil.copytree(PEER, peer)
        deck, typst, _ = peer_commands(peer_python)
        pairs = {"PDF (`jnim-export pdf --force`) against Typst": ([JNIM, "pdf", str(content), "--quiet", "--force"], typst),
                 "deck (`jnim-export slides --force`) against pandoc": (
                     [JNIM, "slides", str(content), "--quiet", "--force"], deck)}
        for name, (ours, theirs) in pairs.items():
            measured(ours), measured(theirs, cwd=peer)
            a, b = [], []
            for _ in range(runs):
                a.append(measured(ours))
                b.append([measured(theirs, cwd=peer)])
            pair_row(name, a, b)


def large_content(tmp: Path, notes: int = 1000, charts: int = 20, paragraphs: int = 1300) -> Path:
    """A long report built from the default content's own paragraphs, cycling through many sources."""
    shutil.copytree(ROOT / "assets", tmp / "assets")
    base = (ROOT / "content.yaml").read_text(encoding="utf-8")
    seed_paragraphs = [
        "JNIM was formed by a merger between three existing jihadist organizations, a move which it claimed "
        "was inspired by the \"togetherness and unification\" demonstrated by factions in Syria.",
        "Although JNIM has come under increased pressure by French forces, which routinely carry out special "
        "operations raids as a part of Operation Barkhane, it continues to conduct attacks throughout the Sahel.",
        "Under Ghaly's leadership, the group promotes \"combat action against security forces, rather than "
        "attacks on the population\" likely in alignment with al-Qaeda's broader global push.",
    ]
    months = [f"{y}-{m:02d}" for y in (2017, 2018, 2019) for m in range(1, 13)]
    months = months[2:26]  # the chart aggregate's span, 2017-03 to 2019-02
    lines = ["sections:"]
    per_section = paragraphs // 20
    n = 0
    for s in range(20):
        lines += [f"  - id: part-{s}", f"    title: Part {s + 1}", "    blocks:"]
        lines += [f"      - figure: chart-{s}"] if s < charts else []
        for p in range(per_section):
            refs = "".join(f"[^src-{(n + k) % notes}]" for k in range(1))
            n += 1
            lines.append(f"      - >-\n        {seed_paragraphs[p % 3]} {seed_paragraphs[(p + 1) % 3]}{refs}")
    lines.append("figures:")
    for c in range(charts):
        start, end = months[c % 6], months[12 + c % 12]
        lines += [
            f"  - id: chart-{c}", "    kind: chart", f"    caption: Events initiated by JNIM, part {c + 1}",
            "    alt: A bar chart.", "    data: assets/data/jnim-mali-2017-2019-initiated.json",
            f"    from: {start}", f"    to: {end}", f"    stacked: {'true' if c % 2 else 'false'}",
        ]
    lines.append("sources:")
    for i in range(notes):
        lines += [
            f"  - id: src-{i}", f"    author: Author {i}", f"    title: Report number {i}",
            f"    date: 2018-{i % 12 + 1:02d}-{i % 28 + 1:02d}", f"    url: https://example.org/{i}",
        ]
    meta = base[base.index("meta:") : base.index("sections:")]
    file = tmp / "content.yaml"
    file.write_text(meta + "\n".join(lines) + "\n", encoding="utf-8")
    return file


def bench_large(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = large_content(Path(tmp))
        out = content.parent / "output"
        cold = []
        for _ in range(max(1, runs // 2)):
            shutil.rmtree(out, ignore_errors=True)
            cold.append(measured([JNIM, "pdf", str(content), "--quiet"]))
        pages = subprocess.run(
            [sys.executable, "-c", f"import pypdf; print(len(pypdf.PdfReader({str(out / 'jnim-backgrounder.pdf')!r}).pages))"],
            capture_output=True, text=True,
        ).stdout.strip()
        row(f"large report PDF ({pages} pages, 1,300 notes, 20 charts), cold figure cache", cold, "≤ 4.0 s, ≤ 300 MB", 4.0)
        row("large report PDF, warm figure cache", [measured([JNIM, "pdf", str(content), "--quiet", "--force"])
                                                    for _ in range(runs)])


SCENARIOS = ["cold", "edit", "note", "validate", "noop", "watch", "warm", "peers", "large"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer-python", help="python of an environment with pypandoc-binary and typst")
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, default=SCENARIOS)
    args = parser.parse_args()
    print("| scenario | wall: min–median–max | CPU: min–median–max | peak memory | target | met |\n"
          "| --- | --- | --- | --- | --- | --- |")
    for name in args.only:
        if name == "edit":
            bench_edit(args.runs, BODY, "edit rebuild, fresh process: a word in a body paragraph (PDF, page, Word)",
                       args.peer_python)
        elif name == "note":
            bench_edit(args.runs, NOTE, "edit rebuild, fresh process: a word in a note (every output)", None)
        elif name == "peers":
            if args.peer_python:
                bench_peers(args.runs, args.peer_python)
        else:
            globals()[f"bench_{name}"](args.runs)


if __name__ == "__main__":
    main()
