"""Whole-process timings of the build loop, pairwise against peer tools on the same content.

    python bench/build_bench.py [--runs 5] [--peer-python /path/to/venv/bin/python]

Scenarios (each in a fresh temporary copy of the project):
  cold      `jnim-export build` (PDF, deck and web page) with no output folder and an empty figure cache
  noop      `jnim-export build` with every output fresh
  edit      `jnim-export build` after a one-word edit in a note (all three outputs) and in a body
            paragraph (the PDF and the page: the deck does not show it), figure cache warm
  watch     `jnim-export watch` running: from the save of a note edit to all three outputs replaced
  peers     with --peer-python (a separate environment with `pypandoc-binary` and `typst`, never the
            project's), on ../shared/bench/peer/: our edit rebuild against Typst (PDF) plus pandoc
            (deck) run one after the other, and each of our outputs against its peer
  single    after a note edit, `jnim-export html` against `jnim-export slides` (one output each), pairwise
  warm      each writer's render in a warm process (as in watch mode): the content read once, figures cached
  large     a synthetic 200-page report: 1,000 notes and 20 charts (cold and warm figure cache)

Runs alternate between the two commands of a pair (A B A B ...) so that drift in the machine's
speed hits both; medians and the median of the pairwise ratios are printed. Peak memory is the
largest resident set of the measured process (ru_maxrss from wait4).
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
PEER = ROOT.parent / "shared" / "bench" / "peer"
JNIM = str(Path(sys.executable).with_name("jnim-export"))


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Run `cmd`; return (wall seconds, peak RSS in MB); a failure ends the benchmark."""
    wall, peak_mb, code, _, err = timing.run(cmd, cwd=cwd)
    if code != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, peak_mb


def project_copy(tmp: Path) -> Path:
    shutil.copy(ROOT / "content.yaml", tmp / "content.yaml")
    shutil.copytree(ROOT / "assets", tmp / "assets")
    return tmp / "content.yaml"


# A word in a note shows in both outputs; a word in a body paragraph only in the PDF.
BOTH = ("(forthcoming)", "(upcoming)")
PDF_ONLY = ("longtime leader", "long-time leader")


def toggle_word(content: Path, words: tuple[str, str] = BOTH) -> None:
    text = content.read_text(encoding="utf-8")
    a, b = words
    content.write_text(text.replace(a, b) if a in text else text.replace(b, a), encoding="utf-8")


def row(name: str, walls: list[float], rss: list[float], target: str = "") -> None:
    print(
        f"| {name} | {statistics.median(walls):.2f} s | {min(walls):.2f}–{max(walls):.2f} s "
        f"| {statistics.median(rss):.0f} MB | {target} |"
    )


def bench_cold(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = project_copy(Path(tmp))
        walls, rss = [], []
        for _ in range(runs):
            shutil.rmtree(content.parent / "output", ignore_errors=True)
            w, r = timed([JNIM, "build", str(content), "--quiet"])
            walls.append(w)
            rss.append(r)
        row("cold build, three outputs, empty figure cache", walls, rss, "≤ 2.0 s, ≤ 300 MB")


def bench_noop(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = project_copy(Path(tmp))
        timed([JNIM, "build", str(content), "--quiet"])
        walls, rss = [], []
        for _ in range(runs):
            w, r = timed([JNIM, "build", str(content), "--quiet"])
            walls.append(w)
            rss.append(r)
        row("no-op build (every output fresh)", walls, rss, "≤ 0.30 s")


def bench_edit(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = project_copy(Path(tmp))
        timed([JNIM, "build", str(content), "--quiet"])
        for words, name in ((BOTH, "rebuild all three after a one-word edit in a note"),
                            (PDF_ONLY, "rebuild after a one-word edit in a paragraph (PDF and page)")):
            walls, rss = [], []
            for _ in range(runs):
                toggle_word(content, words)
                w, r = timed([JNIM, "build", str(content), "--quiet"])
                walls.append(w)
                rss.append(r)
            row(name, walls, rss, "")


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
        row("watch: save of a note edit → all three outputs replaced", walls, [0.0], "≤ 0.10 s")


def bench_single(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = project_copy(Path(tmp))
        timed([JNIM, "build", str(content), "--quiet"])
        a, b, ratios = [], [], []
        for _ in range(runs):
            toggle_word(content)
            wa, _ = timed([JNIM, "html", str(content), "--quiet"])
            wb, _ = timed([JNIM, "slides", str(content), "--quiet"])
            a.append(wa)
            b.append(wb)
            ratios.append(wa / wb)
        print(
            f"| edit rebuild of one output: web page / deck | {statistics.median(a):.2f} s / {statistics.median(b):.2f} s "
            f"| ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) | | ≤ 1.0 |"
        )


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
            started = time.perf_counter()
            w.render(p.view, Path(out) / f"x{w.suffix}", p.options, Context(cache))
            times.append(time.perf_counter() - started)
    times = times[1:]  # the first pays the imports
    print(f"{w.name} {min(times):.3f} {statistics.median(times):.3f} {max(times):.3f}")
"""


def bench_warm(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = project_copy(Path(tmp))
        timed([JNIM, "build", str(content), "--quiet"])
        cache = content.parent / "output" / ".jnim-export" / "figures"
        out = subprocess.run([sys.executable, "-c", WARM, str(content), str(cache), str(runs)],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            name, lo, mid, hi = line.split()
            target = "≤ 0.15 s" if name == "html" else ""
            print(f"| warm render in a running process: {name} | {float(mid):.3f} s | {lo}–{hi} s | | {target} |")


def bench_peers(runs: int, peer_python: str) -> None:
    pandoc = subprocess.run(
        [peer_python, "-c", "import pypandoc; print(pypandoc.get_pandoc_path())"], capture_output=True, text=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        content = project_copy(tmp)
        peer = tmp / "peer"
        shutil.copytree(PEER, peer)
        timed([JNIM, "build", str(content), "--quiet"])
        typst = [peer_python, "-c", "import typst; typst.compile('backgrounder.typ', output='peer.pdf')"]
        deck = [pandoc, "backgrounder.md", "-o", "peer.pptx"]
        a, b, ratios = [], [], []
        for _ in range(runs):  # a note edit: ours rebuilds the PDF, the deck and the page; theirs two files
            toggle_word(content)
            wa, _ = timed([JNIM, "build", str(content), "--quiet"])
            wb = timed(typst, cwd=peer)[0] + timed(deck, cwd=peer)[0]
            a.append(wa)
            b.append(wb)
            ratios.append(wa / wb)
        print(
            f"| edit rebuild: ours (3 outputs) / Typst + pandoc | ours {statistics.median(a):.2f} s, theirs "
            f"{statistics.median(b):.2f} s | ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) "
            "| | ≤ 2.0× |"
        )
        pairs = {
            "PDF: ours / Typst": (
                [JNIM, "pdf", str(content), "--quiet", "--force"],
                [peer_python, "-c", "import typst; typst.compile('backgrounder.typ', output='peer.pdf')"],
            ),
            "deck: ours / pandoc": (
                [JNIM, "slides", str(content), "--quiet", "--force"],
                [pandoc, "backgrounder.md", "-o", "peer.pptx"],
            ),
        }
        for name, (ours, theirs) in pairs.items():
            a, b, ratios = [], [], []
            timed(ours), timed(theirs, cwd=peer)
            for _ in range(runs):
                wa, _ = timed(ours)
                wb, _ = timed(theirs, cwd=peer)
                a.append(wa)
                b.append(wb)
                ratios.append(wa / wb)
            print(
                f"| {name} | ours {statistics.median(a):.2f} s, theirs {statistics.median(b):.2f} s "
                f"| ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) | | |"
            )


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
        cold, cold_rss = [], []
        for _ in range(max(1, runs // 2)):
            shutil.rmtree(out, ignore_errors=True)
            w, r = timed([JNIM, "pdf", str(content), "--quiet"])
            cold.append(w)
            cold_rss.append(r)
        pages = subprocess.run(
            [sys.executable, "-c", f"import pypdf; print(len(pypdf.PdfReader({str(out / 'jnim-backgrounder.pdf')!r}).pages))"],
            capture_output=True, text=True,
        ).stdout.strip()
        row(f"large report PDF ({pages} pages, 1,300 notes, 20 charts), cold figure cache", cold, cold_rss, "≤ 4.0 s, ≤ 300 MB")
        warm, warm_rss = [], []
        for _ in range(runs):
            w, r = timed([JNIM, "pdf", str(content), "--quiet", "--force"])
            warm.append(w)
            warm_rss.append(r)
        row("large report PDF, warm figure cache", warm, warm_rss, "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer-python", help="python of an environment with pypandoc-binary and typst")
    parser.add_argument("--only", nargs="*",
                        default=["cold", "noop", "edit", "watch", "single", "warm", "peers", "large"])
    args = parser.parse_args()
    print("| scenario | median | min–max | peak memory | target |\n| --- | --- | --- | --- | --- |")
    if "cold" in args.only:
        bench_cold(args.runs)
    if "noop" in args.only:
        bench_noop(args.runs)
    if "edit" in args.only:
        bench_edit(args.runs)
    if "watch" in args.only:
        bench_watch(args.runs)
    if "single" in args.only:
        bench_single(args.runs)
    if "warm" in args.only:
        bench_warm(args.runs)
    if "peers" in args.only and args.peer_python:
        bench_peers(args.runs, args.peer_python)
    if "large" in args.only:
        bench_large(args.runs)


if __name__ == "__main__":
    main()
