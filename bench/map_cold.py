"""Cold map draws: each in a fresh process under ``/usr/bin/time -v``, min–median–max over N runs.

    python bench/map_cold.py                  # 5 runs of each case and format
    python bench/map_cold.py --runs 9 --formats svg

Cases (each goes through the real path: read the content, then ``figures.figure_file`` with
``force=True`` into an empty cache, at the PDF's map size, 6.3 × 3.906 in):

    default   content.yaml's map (JNIM, Mali data, Sahel frame)
    somalia   tests/data/backgrounders/al-shabaab/content.yaml's map (Somalia and Kenya)
    iraq      a small content project written to a temporary folder: synthetic counts at
              places in Iraq and Syria, one key attack (made up for the benchmark)

Columns: the whole process as ``/usr/bin/time -v`` reports it (wall, CPU = user + system, peak
RSS), and, measured inside the process, the map alone: from before ``jnim_export.figures`` is
imported (so matplotlib's and numpy's imports count) to the file written, after the content is
read.  The machine is shared: the CPU columns say more than wall when other work is running.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (6.3, 3.906)

CHILD = r"""
import json, sys, tempfile, time
from pathlib import Path
t0 = time.perf_counter(); c0 = time.process_time()
from jnim_export.content import load
doc = load(sys.argv[1])
figure = doc.figure("map")
t1 = time.perf_counter(); c1 = time.process_time()
from jnim_export.figures import figure_file
path = figure_file(figure, attacks=doc.attacks, places=doc.places, style=doc.style, fmt=sys.argv[2],
                   size=(float(sys.argv[3]), float(sys.argv[4])), cache_dir=Path(tempfile.mkdtemp()), force=True)
t2 = time.perf_counter(); c2 = time.process_time()
print(json.dumps({"content_s": t1 - t0, "map_wall_s": t2 - t1, "map_cpu_s": c2 - c1, "bytes": path.stat().st_size}))
"""

IRAQ_PLACES = [("Mosul", "Iraq", "Ninewa", 36.34, 43.13, 25), ("Raqqa", "Syria", "Ar-Raqqa", 35.95, 39.01, 18),
               ("Fallujah", "Iraq", "Al-Anbar", 33.35, 43.78, 11), ("Tikrit", "Iraq", "Salah al-Din", 34.60, 43.68, 6),
               ("Deir ez-Zor", "Syria", "Deir ez-Zor", 35.33, 40.14, 4), ("Ramadi", "Iraq", "Al-Anbar", 33.42, 43.30, 9),
               ("Kirkuk", "Iraq", "Kirkuk", 35.47, 44.39, 3), ("Palmyra", "Syria", "Homs", 34.56, 38.27, 2)]


def iraq_project(folder: Path) -> Path:
    """A small content project framed on Iraq and Syria, with synthetic counts (benchmark only)."""
    from jnim_export.events import CATEGORIES
    from jnim_export.events.aggregate import to_json, write
    from jnim_export.model import Dataset, Location

    months = [f"2014-{m:02d}" for m in range(1, 13)] + [f"2015-{m:02d}" for m in range(1, 13)]
    aggregate = to_json(
        dataset=Dataset("SYNTHETIC benchmark data, not real events"), scope="Iraq and Syria", categories=CATEGORIES,
        monthly=[(m, {CATEGORIES[0]: 3}, 0) for m in months],
        locations=[Location(n, c, a, lat, lon, e, 0) for n, c, a, lat, lon, e in IRAQ_PLACES], unmapped=0,
        provenance={"synthetic": True, "note": "made up by bench/map_cold.py"},
    )
    (folder / "data").mkdir(parents=True)
    write(aggregate, folder / "data" / "events.json")
    content = {
        "meta": {"title": "Benchmark Group", "short_title": "BG", "slug": "bench", "series": "Benchmark",
                 "publisher": "Benchmark", "publisher_short": "B", "authors": ["Benchmark"], "date": "2016",
                 "credit": "Benchmark.", "copyright": "Benchmark"},
        "sections": [{"id": "s", "title": "Activity", "blocks": ["Text.", {"figure": "map"}]}],
        "figures": [{"id": "map", "kind": "map", "caption": "Map", "alt": "A map", "data": "data/events.json",
                     "from": "2014-01", "to": "2015-12"}],
        "attacks": [{"id": "mosul", "date": "2014-06", "place": "Mosul", "country": "Iraq", "latitude": 36.34,
                     "longitude": 43.13, "summary": "The city falls."}],
        "places": [{"name": "Baghdad", "latitude": 33.31, "longitude": 44.37, "capital": True},
                   {"name": "Damascus", "latitude": 33.51, "longitude": 36.29, "capital": True},
                   {"name": "Raqqa", "latitude": 35.95, "longitude": 39.01}],
    }
    path = folder / "content.yaml"
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    return path


def run_once(content: Path, fmt: str) -> dict:
    """One fresh process under GNU time: its report, and what the process measured itself."""
    cmd = ["/usr/bin/time", "-v", sys.executable, "-c", CHILD, str(content), fmt, str(SIZE[0]), str(SIZE[1])]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"{content}: {fmt} failed:\n{proc.stderr}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])

    def field(name: str) -> str:
        return re.search(rf"^\s*{re.escape(name)}: (.+)$", proc.stderr, re.M).group(1)  # type: ignore[union-attr]

    parts = [float(p) for p in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    out["wall_s"] = sum(p * 60 ** k for k, p in enumerate(reversed(parts)))
    out["cpu_s"] = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    out["rss_mb"] = int(field("Maximum resident set size (kbytes)")) / 1024
    return out


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return "–".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--formats", default="svg,png", help="comma-separated: svg (PDF, web page), png (slides)")
    ap.add_argument("--cases", default="default,somalia,iraq")
    args = ap.parse_args()
    if not Path("/usr/bin/time").exists():
        raise SystemExit("needs GNU time at /usr/bin/time (Debian: apt-get install time)")
    with tempfile.TemporaryDirectory() as tmp:
        cases = {"default": ROOT / "content.yaml",
                 "somalia": ROOT / "tests" / "data" / "backgrounders" / "al-shabaab" / "content.yaml",
                 "iraq": iraq_project(Path(tmp) / "iraq")}
        print(f"cold map draws, {args.runs} runs each, min–median–max (s); whole process from /usr/bin/time -v")
        print(f"{'case':9s} {'fmt':4s} {'wall':>16s} {'CPU':>16s} {'peak MB':>12s}   "
              f"{'map alone: wall':>16s} {'CPU':>16s}")
        for name in args.cases.split(","):
            for fmt in args.formats.split(","):
                runs = [run_once(cases[name], fmt) for _ in range(args.runs)]
                print(f"{name:9s} {fmt:4s} {spread([r['wall_s'] for r in runs]):>16s} "
                      f"{spread([r['cpu_s'] for r in runs]):>16s} {spread([r['rss_mb'] for r in runs], '{:.0f}'):>12s}   "
                      f"{spread([r['map_wall_s'] for r in runs]):>16s} {spread([r['map_cpu_s'] for r in runs]):>16s}")
    with open("/proc/loadavg", encoding="ascii") as fh:
        print("load average:", " ".join(fh.read().split()[:3]))


if __name__ == "__main__":
    main()
