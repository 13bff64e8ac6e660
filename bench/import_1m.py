"""Benchmark: import a 1,000,000-row ACLED export in the current layout, and list its actor names.

The export is synthesised in a temporary directory (never inside the project)
by converting the real Mali rows to ACLED's current layout and replicating
them, each copy shifted back by a whole number of years.  The import then runs
as a separate Python process, so the wall time and peak RSS printed are those
of the whole process: interpreter start-up, reading, aggregating and writing
the JSON aggregate.  Then `list_actors` (what `jnim-export events actors` runs)
reads the same file in another process: every record's actor names counted.

With `--peer-python PATH` (the python of a separate environment with `polars` and `duckdb`,
never the project's), the same file is also read by Polars and by DuckDB, each in its own
process: the rows naming JNIM in an actor field counted by month and event type, as the
import does.  They are the yardstick for what a columnar, multi-threaded reader costs here.

Usage (from the repository root):

    python bench/import_1m.py [--rows N] [--source PATH] [--keep PATH] [--peer-python PATH]

Targets: <= 2.0 s wall time and <= 100 MB peak RSS on a 2-core machine. CPU time (of the
process and the one it forks) is printed too: it is steadier than wall time on a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import timing

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared/data/acled/2017-01-01-2019-02-27-Mali.csv"

CURRENT_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

# older event type -> (current event type, sub_event_type, disorder_type)
CONVERSION = {
    "Battle-No change of territory": ("Battles", "Armed clash", "Political violence"),
    "Battle-Non-state actor overtakes territory": (
        "Battles", "Non-state actor overtakes territory", "Political violence"),
    "Battle-Government regains territory": (
        "Battles", "Government regains territory", "Political violence"),
    "Remote violence": (
        "Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence"),
    "Violence against civilians": ("Violence against civilians", "Attack", "Political violence"),
    "Strategic development": ("Strategic developments", "Other", "Strategic developments"),
    "Non-violent transfer of territory": (
        "Strategic developments", "Non-violent transfer of territory", "Strategic developments"),
    "Headquarters or base established": (
        "Strategic developments", "Headquarters or base established", "Strategic developments"),
}
MONTHS = {name: i for i, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"], start=1)}
YEAR_SPAN = 20  # copies are shifted back by 0..19 years: 2017 - 19 is still within ACLED's coverage (1997 on)


def convert(row: dict[str, str]) -> list[str]:
    """One older-layout row as a current-layout row (without the year shift)."""
    old_type = row["event_type"]
    if old_type == "Riots/Protests":
        if "5" in (row["inter1"], row["inter2"]):
            new = ("Riots", "Violent demonstration", "Demonstrations")
        else:
            new = ("Protests", "Peaceful protest", "Demonstrations")
    else:
        new = CONVERSION[old_type]
    day, month, year = row["event_date"].split()
    out = dict(row)
    out["event_date"] = f"{year}-{MONTHS[month]:02d}-{int(day):02d}"
    out["event_type"], out["sub_event_type"], out["disorder_type"] = new
    out["civilian_targeting"] = (
        "Civilian targeting" if new[0] == "Violence against civilians" else "")
    out["tags"] = ""
    return [out[c] for c in CURRENT_COLUMNS]


def generate(source: Path, dest: Path, rows: int) -> int:
    """Write `rows` current-layout rows to `dest`; return how many name JNIM."""
    with source.open(encoding="utf-8-sig", newline="") as f:
        base = [convert(r) for r in csv.DictReader(f)]
    i_date = CURRENT_COLUMNS.index("event_date")
    i_year = CURRENT_COLUMNS.index("year")
    i_id = CURRENT_COLUMNS.index("event_id_cnty")
    actor_cols = [CURRENT_COLUMNS.index(c)
                  for c in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")]
    names_jnim = [any("JNIM" in r[c] for c in actor_cols) for r in base]
    jnim = 0
    with dest.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(CURRENT_COLUMNS)
        written = copy = 0
        while written < rows:
            shift = copy % YEAR_SPAN
            chunk = base[: rows - written]
            for r in chunk:
                r = list(r)
                year = int(r[i_year]) - shift
                r[i_year] = str(year)
                r[i_date] = f"{year}{r[i_date][4:]}"
                r[i_id] = f"{r[i_id]}-{copy}"
                w.writerow(r)
            jnim += sum(names_jnim[: len(chunk)])
            written += len(chunk)
            copy += 1
    return jnim


ACTORS_SNIPPET = """
import json, sys
from pathlib import Path
from jnim_export.events import list_actors
found = list_actors(Path(sys.argv[1]))
print(json.dumps({"rows_read": found.rows_read, "names": len(found.actors),
                  "top": [[a.name, a.events] for a in found.actors[:3]]}))
"""

IMPORT_SNIPPET = """
import json, sys
from pathlib import Path
from jnim_export.events import ImportOptions, halves, import_acled, summary, write_aggregate
if sys.argv[2] == "--one-process":
    halves.SPLIT_BYTES = 1 << 62
agg = import_acled(Path(sys.argv[1]), ImportOptions(actors=("JNIM",)))
if sys.argv[2] != "--one-process":
    write_aggregate(agg, Path(sys.argv[2]))
s = summary(agg)
import resource
me, forked = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"cpu_longest": max(me.ru_utime + me.ru_stime, forked.ru_utime + forked.ru_stime),
                  "rows_read": s["rows_read"], "rows_matched": s["rows_matched"],
                  "skipped": len(s["skipped"]), "months": len(s["monthly"]),
                  "locations": s["locations"]}))
"""


ACTOR_COLUMNS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")

POLARS_SNIPPET = f"""
import json, sys
import polars as pl
actors = {ACTOR_COLUMNS!r}
frame = (pl.scan_csv(sys.argv[1], infer_schema=False)
         .filter(pl.any_horizontal([pl.col(c).str.contains("(?i)jnim") for c in actors]))
         .group_by(pl.col("event_date").str.slice(0, 7).alias("month"), "event_type")
         .agg(pl.len().alias("events"), pl.col("fatalities").cast(pl.Int64).sum())
         .collect())
print(json.dumps({{"rows_matched": int(frame["events"].sum()), "months": frame["month"].n_unique()}}))
"""

DUCKDB_SNIPPET = f"""
import json, sys
import duckdb
where = " or ".join(f"regexp_matches({{c}}, '(?i)jnim')" for c in {ACTOR_COLUMNS!r})
rows = duckdb.sql(f\"\"\"
    select substr(event_date, 1, 7) as month, event_type, count(*) as events,
           sum(cast(fatalities as bigint)) as fatalities
    from read_csv('{{sys.argv[1]}}', all_varchar = true) where {{where}} group by all\"\"\").fetchall()
print(json.dumps({{"rows_matched": sum(r[2] for r in rows), "months": len({{r[0] for r in rows}})}}))
"""


def peers(peer_python: str, export: Path, expected: int) -> None:
    for name, snippet in (("polars", POLARS_SNIPPET), ("duckdb", DUCKDB_SNIPPET)):
        wall, peak_mb, code, out, err = timing.run([peer_python, "-c", snippet, str(export)])
        if code:
            print(f"{name}: failed\n{err}", file=sys.stderr)
            continue
        result = json.loads(out)
        note = "" if result["rows_matched"] == expected else "  MISMATCH with the generated file"
        print(f"{name}: {result}{note}")
        print(f"wall time {wall:.2f} s, peak RSS {peak_mb:.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--keep", type=Path, metavar="PATH",
                    help="write the generated export to PATH (outside the repository: "
                         "ACLED rows must not be committed) and keep it")
    ap.add_argument("--peer-python", metavar="PATH",
                    help="python of a separate environment with polars and duckdb, to time them on the same file")
    args = ap.parse_args()
    if not args.source.is_file():
        print(f"source export not found: {args.source}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="jnim-bench-") as tmp:
        export = args.keep or Path(tmp) / "acled-current-1m.csv"
        t0 = time.perf_counter()
        expected = generate(args.source, export, args.rows)
        size = export.stat().st_size
        os.sync()  # the generated file written back first: the timings are of reading it, not of that
        print(f"generated {args.rows:,} rows ({size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - t0:.1f} s; {expected:,} name JNIM")

        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        cases = [("import (`events import --actor JNIM`)", IMPORT_SNIPPET, str(Path(tmp) / "agg.json")),
                 ("import, read in one process (no halves)", IMPORT_SNIPPET, "--one-process"),
                 ("actor names (`events actors`)", ACTORS_SNIPPET, "")]
        rows = []
        ok = True
        for name, snippet, arg in cases:
            runs = []
            for _ in range(args.runs):
                wall, cpu, peak_mb, code, out, err = measured(
                    [sys.executable, "-c", snippet, str(export), arg or str(Path(tmp) / "agg.json")], env)
                if code:
                    print(err, file=sys.stderr)
                    return code
                result = json.loads(out)
                runs.append((wall, cpu, peak_mb, result.pop("cpu_longest", cpu)))
                if result["rows_read"] != args.rows or result.get("rows_matched", expected) != expected:
                    print(f"MISMATCH in {name}: {result}", file=sys.stderr)
                    ok = False
            print(f"{name}: {result}", file=sys.stderr)
            rows.append((name, runs))
        print(f"\n{args.rows:,} rows ({size / 1e6:.0f} MB, {expected:,} naming JNIM), {args.runs} runs each, "
              f"load average {os.getloadavg()[0]:.1f} at the end\n")
        print("| what | wall (min – median – max) | CPU, all its processes | CPU, the busier process | peak RSS |")
        print("| --- | --- | --- | --- | --- |")
        for name, runs in rows:
            print(f"| {name} | {spread([r[0] for r in runs])} | {spread([r[1] for r in runs])} "
                  f"| {spread([r[3] for r in runs])} | {max(r[2] for r in runs):.0f} MB |")
        print("\nOn an idle machine with a core for each process, the wall time is about the busier process's CPU.")
        if args.peer_python:
            peers(args.peer_python, export, expected)
        return 0 if ok else 1


def measured(cmd: list[str], env: dict) -> tuple[float, float, float, int, str, str]:
    """Run `cmd`: (wall s, CPU s of it and its children, peak RSS MB of the largest, exit code, stdout, stderr)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
                out.read(), err.read())


def spread(values: list[float]) -> str:
    return f"{min(values):.2f} – {statistics.median(values):.2f} – {max(values):.2f} s"


if __name__ == "__main__":
    sys.exit(main())
