"""Fuzzing `jnim-export validate` with mutants of the two real content files.

The mutator (tests/fuzz/mutate.py) flips bytes, deletes, duplicates and swaps lines, changes
indentation, swaps values for other types and injects YAML's sharp corners: anchors and aliases,
tags, merge keys, huge numbers, impossible dates, control and bidi characters, very long
strings, odd Unicode. Every mutant must give exit code 0 or 1, never a traceback, every message
line starting with FILE:LINE:COLUMN: (or FILE: for whole-file problems), within 5 s and 300 MB.

Each run fuzzes a fixed seed (the same mutants every time) and a fresh random seed (new ones
each run). Mutants run in-process in two worker subprocesses, not one process per mutant. A
failure names its seed and index; rerun with JNIM_FUZZ_SEED=<seed> to fuzz that seed again, or
reproduce one mutant with mutant(source, seed, index) from tests/fuzz/mutate.py. JNIM_FUZZ_COUNT sets
how many mutants each seed gets.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from jnim_export.cli import main
from jnim_export.render import WRITERS

HERE = Path(__file__).parent
ROOT = HERE.parent
SOURCES = [ROOT / "content.yaml", HERE / "data" / "second" / "content.yaml"]
WORKER = HERE / "fuzz" / "worker.py"
FIXED_SEED = 20_251_125
COUNT = int(os.environ.get("JNIM_FUZZ_COUNT", "600"))  # per seed: 1,200 mutants a run
SECONDS, MEMORY_MB = 5, 300

sys.path.insert(0, str(HERE / "fuzz"))
from mutate import OPERATORS, mutant  # noqa: E402
from worker import check  # noqa: E402


def workspace(folder: Path) -> Path:
    """A folder with the assets the sources use: mutants are written beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "assets", folder / "assets", dirs_exist_ok=True)
    return folder


def fuzz(seed: int, count: int, tmp_path: Path, workers: int = 2) -> tuple[list[dict], list[dict]]:
    """Run mutants 0..count-1 of `seed` in `workers` subprocesses; return failures and per-worker stats."""
    procs = []
    for w in range(workers):
        args = {
            "seed": seed,
            "indices": list(range(w, count, workers)),
            "sources": [str(s) for s in SOURCES],
            "workdir": str(workspace(tmp_path / f"seed-{seed}-worker-{w}")),
            "seconds": SECONDS,
            "memory_mb": MEMORY_MB,
        }
        procs.append(subprocess.Popen([sys.executable, str(WORKER), json.dumps(args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    failures, stats = [], []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        failures += [r for r in records if "problems" in r]
        done = [r for r in records if "done" in r]
        if proc.returncode != 0 or not done:
            failures.append({"seed": seed, "index": None, "problems": [f"worker died ({proc.returncode}): {err[-3000:]}"]})
        stats += done
    return failures, stats


def report(failures: list[dict]) -> str:
    lines = []
    for f in failures[:10]:
        lines.append(f"seed {f['seed']} mutant {f['index']} ({', '.join(f.get('ops', []))}) saved as {f.get('saved')}:")
        lines += [f"    {p}" for p in f["problems"]]
    return "\n".join(lines)


def test_mutants_are_reproducible():
    source = SOURCES[0].read_bytes()
    assert mutant(source, 7, 3) == mutant(source, 7, 3)
    assert len({mutant(source, 7, i)[0] for i in range(20)}) > 15


def test_a_few_mutants_in_process(tmp_path):
    """A quick smoke run of the fixed seed, without subprocesses (the full run is marked slow)."""
    folder = workspace(tmp_path)
    file = folder / "content.yaml"
    sources = [s.read_bytes() for s in SOURCES]
    runner = CliRunner()
    for i in range(40):
        data, ops = mutant(sources[i % 2], FIXED_SEED, i)
        file.write_bytes(data)
        started = time.perf_counter()
        problems = check(runner.invoke(main, ["validate", str(file)]), file)
        assert not problems and time.perf_counter() - started < SECONDS, (FIXED_SEED, i, ops, problems)


@pytest.mark.slow
def test_mutants_validate_cleanly(tmp_path):
    fresh = int(os.environ.get("JNIM_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
    print(f"fuzz seeds: fixed {FIXED_SEED}, fresh {fresh} (rerun with JNIM_FUZZ_SEED={fresh})")
    started = time.perf_counter()
    failures, stats = [], []
    for seed in (FIXED_SEED, fresh):
        f, s = fuzz(seed, COUNT, tmp_path)
        failures += f
        stats += s
    elapsed = time.perf_counter() - started
    done = sum(s["done"] for s in stats)
    print(
        f"{done} mutants in {elapsed:.1f} s; slowest {max(s['slowest'] for s in stats):.2f} s, "
        f"largest peak {max(s['peak_mb'] for s in stats):.0f} MB above the worker's base"
    )
    assert not failures, f"fuzz failures (fresh seed {fresh}; rerun with JNIM_FUZZ_SEED={fresh}):\n" + report(failures)
    assert done == 2 * COUNT
    assert len(OPERATORS) >= 20


BUILD_COUNT = int(os.environ.get("JNIM_FUZZ_BUILDS", "30"))  # per seed: 60 builds a run


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*")) if p.is_file()}


@pytest.mark.slow
def test_mutants_build_cleanly_and_a_failed_build_changes_no_output(tmp_path):
    """Mutants of the second backgrounder through `build`: a clean message or new outputs, never a
    traceback, and after a failed build every earlier output byte for byte as it was."""
    fresh = int(os.environ.get("JNIM_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
    source = SOURCES[1].read_bytes()
    folder = workspace(tmp_path / "build")
    file, out = folder / "content.yaml", folder / "output"
    runner = CliRunner()
    file.write_bytes(source)
    assert runner.invoke(main, ["build", str(file), "--out", str(out)]).exit_code == 0
    before = _outputs(out)
    assert len(before) == len(WRITERS)  # one output per writer
    failed = built = 0
    for seed in (FIXED_SEED, fresh):
        for i in range(BUILD_COUNT):
            data, ops = mutant(source, seed, i)
            file.write_bytes(data)
            started = time.perf_counter()
            result = runner.invoke(main, ["build", str(file), "--out", str(out)])
            took = time.perf_counter() - started
            where = f"seed {seed} mutant {i} ({', '.join(ops)}; rerun with JNIM_FUZZ_SEED={fresh})"
            assert result.exit_code in (0, 1), (where, result.output[-2000:])
            assert "Traceback" not in result.output and not (
                result.exception and not isinstance(result.exception, SystemExit)), (where, result.output[-2000:])
            assert took < SECONDS, (where, took)
            assert "unexpected error" not in result.output, (where, "only the last-resort guard caught it")
            if result.exit_code == 1:
                failed += 1
                lines = result.stderr.splitlines()
                assert lines and all(line.startswith(f"{file}:") for line in lines[:-1]), (where, lines[:5])
                assert _outputs(out) == before, (where, "a failed build changed an output")
            else:
                built += 1
                before = _outputs(out)
    print(f"{2 * BUILD_COUNT} builds: {built} built, {failed} refused with a message")
    assert built and failed
