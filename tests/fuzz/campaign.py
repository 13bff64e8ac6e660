"""A whole fuzz campaign from one seed, for a report: content mutants through `validate` (in the
worker) and through `build`, templates, images, aggregates, valid content at its limits, special
files, SOURCE_DATE_EPOCH.

    nice -n 10 python tests/fuzz/campaign.py SEED [--validate N] [--build N] [--templates N]
        [--images N] [--aggregates N] [--extremes N] [--env N] [--out DIR]

Prints one JSON line per finding and a summary of counts. A build mutant must either validate
and build, or be refused by `validate` and by `build` alike, leaving the outputs as they were.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import surfaces  # noqa: E402
from mutate import mutant  # noqa: E402

SOURCES = [surfaces.ROOT / "content.yaml", HERE.parent / "data" / "second" / "content.yaml"]


def _workspace(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(surfaces.ROOT / "assets", folder / "assets", dirs_exist_ok=True)
    return folder


def validate_mutants(seed: int, count: int, out: Path) -> dict:
    args = {"seed": seed, "indices": list(range(count)), "sources": [str(s) for s in SOURCES],
            "workdir": str(_workspace(out / "validate")), "seconds": 5, "memory_mb": 300}
    proc = subprocess.run([sys.executable, str(HERE / "worker.py"), json.dumps(args)], capture_output=True, text=True)
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    done = next((r for r in records if "done" in r), {"done": 0})
    return {"findings": [r for r in records if "problems" in r], "count": done["done"], "stats": done}


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*")) if p.is_file()}


def build_mutants(seed: int, count: int, out: Path) -> dict:
    """Validate-pass means build-pass; validate-fail means build-fail with the outputs untouched."""
    folder = _workspace(out / "build")
    file, dest = folder / "content.yaml", folder / "output"
    findings, built, refused, slowest = [], 0, 0, 0.0
    for i in range(count):
        source = SOURCES[i % 2].read_bytes()
        data, ops = mutant(source, seed, i)
        file.write_bytes(data)
        checked, _ = surfaces.run(["validate", str(file)])
        before = _outputs(dest)
        result, took = surfaces.run(["build", str(file), "--out", str(dest), "--quiet"])
        slowest = max(slowest, took)
        problems = surfaces.problems_of(result, took, (0, 1))
        if checked is None or result is None:
            problems.append("no result")
        elif checked.exit_code == 0 and result.exit_code != 0:
            problems.append(f"validates but does not build: {result.output[-800:]}")
        elif checked.exit_code == 1 and result.exit_code == 0:
            problems.append("refused by validate but built")
        elif result.exit_code == 1 and _outputs(dest) != before:
            problems.append("a failed build changed an output")
        if result is not None and result.exit_code == 0:
            built += 1
        else:
            refused += 1
        if problems:
            saved = folder / f"failed-{seed}-{i}.yaml"
            saved.write_bytes(data)
            findings.append({"surface": "build", "seed": seed, "index": i, "ops": ops, "problems": problems,
                             "saved": str(saved)})
    return {"findings": findings, "count": count, "built": built, "refused": refused, "slowest": round(slowest, 1)}


def cases(kind: str, seed: int, count: int, out: Path) -> dict:
    findings, outcomes = [], {}
    for i in range(count):
        folder = surfaces.fresh_folder(out / kind, str(i))
        if kind == "templates":
            data, ops = surfaces.template_case(seed, i)
            problems, outcome = surfaces.check_template(data, folder, build=True)
        elif kind == "images":
            data, suffix, ops = surfaces.image_case(seed, i)
            problems, outcome = surfaces.check_image(data, suffix, folder, build=True)
        elif kind == "aggregates":
            data, ops = surfaces.aggregate_case(seed, i)
            problems, outcome = surfaces.check_aggregate(data, folder, build=True)
        else:
            text, ops = surfaces.extreme_case(seed, i)
            problems, outcome = surfaces.check_extreme(
                text, folder, options=surfaces.EXTREME_OPTIONS[i % len(surfaces.EXTREME_OPTIONS)])
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if problems:
            findings.append({"surface": kind, "seed": seed, "index": i, "ops": ops, "problems": problems})
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return {"findings": findings, "count": count, "outcomes": outcomes}


def specials_and_env(seed: int, count: int, out: Path) -> dict:
    folder = surfaces.fresh_folder(out, "special")
    findings = []
    special = surfaces.special_cases(folder)
    for name, args in special:
        problems = surfaces.check_special(args)
        if problems:
            findings.append({"surface": "special", "case": name, "problems": problems})
    content = folder / "content.yaml"
    for i in range(count):
        value = surfaces.env_case(seed, i)
        problems = surfaces.check_env(value, content)
        if problems:
            findings.append({"surface": "env", "seed": seed, "index": i, "value": value, "problems": problems})
    return {"findings": findings, "count": len(special) + count}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("seed", type=int)
    for name, default in (("validate", 1000), ("build", 100), ("templates", 30), ("images", 30), ("aggregates", 30),
                          ("extremes", 60), ("env", 40)):
        ap.add_argument(f"--{name}", type=int, default=default)
    ap.add_argument("--out", type=Path, default=Path("/tmp/jnim-fuzz-campaign"))
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    summary = {"seed": a.seed}
    steps = (
        ("validate", lambda: validate_mutants(a.seed, a.validate, a.out)),
        ("build", lambda: build_mutants(a.seed, a.build, a.out)),
        ("templates", lambda: cases("templates", a.seed, a.templates, a.out)),
        ("images", lambda: cases("images", a.seed, a.images, a.out)),
        ("aggregates", lambda: cases("aggregates", a.seed, a.aggregates, a.out)),
        ("extremes", lambda: cases("extremes", a.seed, a.extremes, a.out)),
        ("special+env", lambda: specials_and_env(a.seed, a.env, a.out)),
    )
    for name, step in steps:
        started = time.perf_counter()
        result = step()
        for finding in result.pop("findings"):
            print(json.dumps(finding, ensure_ascii=False)[:3000], flush=True)
            summary.setdefault("findings", 0)
            summary["findings"] += 1
        summary[name] = {**result, "seconds": round(time.perf_counter() - started)}
        print(json.dumps({"step": name, **summary[name]}), flush=True)
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
