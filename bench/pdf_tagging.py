"""What tagging costs the PDF render: the same render tagged (as every build is) and untagged.

    python bench/pdf_tagging.py [--runs 7] [--notes endnotes|footnotes] [--only default|long]
    python bench/pdf_tagging.py --compare-accel [--rounds 3] [--runs 3]

Documents: the default content (4 pages), and a 50-page synthetic backgrounder (eleven
sections of long paragraphs dense with note callouts, some 400 notes, each with a link:
the structure's worst case, an element and an annotation every few words).  The figure
cache is warmed and every face registered before timing, so what is timed is the render:
story, layout, drawing and writing the file (`render_pdf`), in this process.

Runs alternate (tagged, untagged, tagged, ...) so that drift in a shared machine's speed
hits both; each run is timed as CPU time of the process (less sensitive to other jobs than
wall time, which is printed too).  Untagged is `tagging.ENABLED = False`, which exists for
this benchmark only.  Prints min – median – max in seconds and the overhead of the medians.

``--compare-accel`` runs the same in child processes with and without ReportLab's C
accelerators (the ``rl-accel`` package; ``--no-accel`` hides it), alternately, and says
whether the files are byte-identical either way.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORDS = (
    "the group its forces attack region militants village border security operations state army network "
    "leaders local support control central northern pressure French allied mission statement report "
    "analysis evidence strategy recruitment influence territory"
).split()


def long_document(base, pages: int = 50, seed: int = 7):
    """`base` with its sections replaced by about `pages` pages of paragraphs citing notes with links."""
    from jnim_export import model as m

    rnd = random.Random(seed)
    notes: list = []
    sections = []
    for s in range(11):
        blocks = []
        for _ in range(9):
            words = [rnd.choice(WORDS) for _ in range(rnd.randint(90, 200))]
            inlines: list = []
            last = 0
            for at in sorted(rnd.sample(range(3, len(words)), rnd.choice([2, 3, 4, 6]))):
                n = len(notes) + 1
                inlines += [m.Text(" ".join(words[last:at]) + "."), m.NoteRef(n), m.Text(" ")]
                last = at
                url = f"https://example.org/{n}/report.html"
                body = f"Source number {n}, " + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 40))) + ", "
                notes.append(m.Note(n, f"n{n}", (m.Text(body), m.Link(url, (m.Text(url),)), m.Text(".")), ()))
            inlines.append(m.Text(" ".join(words[last:]) + "."))
            blocks.append(m.Paragraph(tuple(inlines)))
        sections.append(m.Section(f"s{s}", f"Section {s + 1}", tuple(blocks), ()))
    return dataclasses.replace(base, sections=tuple(sections), notes=tuple(notes), figures=())


def measure(docs: dict, runs: int, notes: str, tmp: Path) -> dict:
    """{document: {"pages", "size", "cpu", "wall", "sha256"}, by tagged True/False}: interleaved runs."""
    from jnim_export.render import Context
    from jnim_export.render.pdf import PdfOptions, render as render_pdf, tagging

    options = PdfOptions(notes=notes)
    context = Context(tmp / "figures")
    out = {}
    for name, doc in docs.items():
        res = {flag: {"cpu": [], "wall": []} for flag in (True, False)}
        for i in range(2 * runs + 2):
            tagged = i % 2 == 0
            tagging.ENABLED = tagged
            dest = tmp / f"{name}-{tagged}.pdf"
            gc.collect()
            c0, w0 = time.process_time(), time.perf_counter()
            try:
                result = render_pdf(doc, dest, options, context)
            finally:
                tagging.ENABLED = True
            c1, w1 = time.process_time(), time.perf_counter()
            r = res[tagged]
            if i >= 2:  # the first pair warms the figure cache, fonts and imports
                r["cpu"].append(c1 - c0)
                r["wall"].append(w1 - w0)
            r["pages"], r["size"] = result.units, dest.stat().st_size
            r["sha256"] = hashlib.sha256(dest.read_bytes()).hexdigest()
        out[name] = res
    return out


def _span(values: list[float]) -> str:
    v = sorted(values)
    return f"{v[0]:.3f} – {statistics.median(v):.3f} – {v[-1]:.3f} s"


def report(results: dict) -> None:
    for name, res in results.items():
        t, u = res[True], res[False]
        print(f"\n{name}: {t['pages']} pages; {u['size'] / 1024:.0f} KB untagged, {t['size'] / 1024:.0f} KB tagged")
        for label, r in (("untagged", u), ("tagged", t)):
            print(f"  {label:9s} CPU {_span(r['cpu'])}   wall {_span(r['wall'])}")
        over = statistics.median(t["cpu"]) / statistics.median(u["cpu"]) - 1
        best = min(t["cpu"]) / min(u["cpu"]) - 1
        print(f"  tagging costs {over:+.1%} (medians), {best:+.1%} (minima)")


def compare_accel(args) -> None:
    """The same benchmark in child processes with and without ReportLab's C accelerators, alternately."""
    runs: dict[bool, list[dict]] = {True: [], False: []}
    for _ in range(args.rounds):
        for accel in (True, False):
            cmd = [sys.executable, __file__, "--runs", str(args.runs), "--notes", args.notes, "--json"]
            cmd += ["--only", args.only] if args.only else []
            cmd += [] if accel else ["--no-accel"]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            runs[accel].append(json.loads(done.stdout.splitlines()[-1]))
    for name in runs[True][0]:
        print(f"\n{name} ({args.rounds} rounds of {args.runs} renders each way):")
        for tagged in ("true", "false"):
            label = "tagged" if tagged == "true" else "untagged"
            on = [c for r in runs[True] for c in r[name][tagged]["cpu"]]
            off = [c for r in runs[False] for c in r[name][tagged]["cpu"]]
            same = {r[name][tagged]["sha256"] for r in runs[True] + runs[False]}
            print(f"  {label:9s} pure Python CPU {_span(off)};  rl-accel CPU {_span(on)};  "
                  f"{statistics.median(on) / statistics.median(off) - 1:+.1%};  "
                  f"{'identical bytes' if len(same) == 1 else 'BYTES DIFFER'}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--notes", choices=("endnotes", "footnotes"), default="endnotes")
    ap.add_argument("--only", choices=("default", "long"))
    ap.add_argument("--no-accel", action="store_true", help="hide rl-accel from ReportLab (its pure-Python code)")
    ap.add_argument("--compare-accel", action="store_true",
                    help="with and without rl-accel, in child processes, alternately: times and bytes")
    ap.add_argument("--rounds", type=int, default=3, help="with --compare-accel: child processes each way")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.compare_accel:
        compare_accel(args)
        return 0
    if args.no_accel:
        sys.modules["_rl_accel"] = None  # before ReportLab is imported: it falls back to Python

    from jnim_export.content import load
    from jnim_export.render.pdf import view

    base = view(load(ROOT / "content.yaml"))
    docs = {"default": base, "long": long_document(base)}
    if args.only:
        docs = {args.only: docs[args.only]}
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(docs, args.runs, args.notes, Path(tmp))
    if args.json:
        print(json.dumps({name: {str(k).lower(): v for k, v in res.items()} for name, res in results.items()}))
        return 0
    print(f"ReportLab accelerators: {_accelerated()}; notes: {args.notes}; {args.runs} runs each")
    report(results)
    return 0


def _accelerated() -> str:
    from reportlab.lib import rl_accel

    return "rl-accel (C)" if rl_accel._c_funcs else "none (pure Python)"


if __name__ == "__main__":
    sys.exit(main())
