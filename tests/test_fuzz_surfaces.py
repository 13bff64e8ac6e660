"""Fuzzing the inputs beside the content file, and `validate`'s promise that what it passes builds.

Templates, images, aggregates, special files and SOURCE_DATE_EPOCH come from the seeded makers in
tests/fuzz/surfaces.py; content mutants from tests/fuzz/mutate.py. The fast tests run a fixed seed
without building; the slow ones build, from the fixed seed and a fresh one (printed; rerun with
JNIM_FUZZ_SEED=<seed>). A whole campaign for a report is tests/fuzz/campaign.py.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "fuzz"))

import surfaces  # noqa: E402
from campaign import build_mutants  # noqa: E402

FIXED_SEED = 20_261_206
VALID_BUILDS = int(os.environ.get("JNIM_FUZZ_VALID_BUILDS", "24"))  # build mutants per seed
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def fresh_seed() -> int:
    seed = int(os.environ.get("JNIM_FUZZ_SEED") or random.SystemRandom().randrange(2**32))
    print(f"fuzz seed {seed} (rerun with JNIM_FUZZ_SEED={seed})")
    return seed


def test_cases_are_reproducible():
    assert surfaces.extreme_case(1, 2) == surfaces.extreme_case(1, 2)
    assert surfaces.template_case(1, 2) == surfaces.template_case(1, 2)
    assert surfaces.image_case(1, 2) == surfaces.image_case(1, 2)
    assert surfaces.aggregate_case(1, 2) == surfaces.aggregate_case(1, 2)
    assert len({surfaces.template_case(1, i)[0] for i in range(10)}) > 7


def test_every_command_refuses_special_files_at_once(tmp_path):
    failures = {name: p for name, args in surfaces.special_cases(tmp_path) if (p := surfaces.check_special(args))}
    assert not failures, failures


@pytest.mark.parametrize("index", range(20))
def test_source_date_epoch_values(tmp_path, index):
    (tmp_path / "content.yaml").write_text(surfaces.BASE, encoding="utf-8")
    value = surfaces.env_case(FIXED_SEED, index)
    assert not surfaces.check_env(value, tmp_path / "content.yaml"), value


@pytest.mark.parametrize("index", range(12))
def test_templates_load_or_are_refused_with_a_message(tmp_path, index):
    data, ops = surfaces.template_case(FIXED_SEED, index)
    assert not surfaces.check_template(data, tmp_path, build=False)[0], ops


@pytest.mark.parametrize("index", range(8))
def test_images_validate_or_are_refused_with_a_message(tmp_path, index):
    data, suffix, ops = surfaces.image_case(FIXED_SEED, index)
    problems, _ = surfaces.check_image(data, suffix, tmp_path, build=False)
    assert not problems, ops


@pytest.mark.parametrize("index", range(8))
def test_aggregates_validate_or_are_refused_with_a_message(tmp_path, index):
    data, ops = surfaces.aggregate_case(FIXED_SEED, index)
    problems, _ = surfaces.check_aggregate(data, tmp_path, build=False)
    assert not problems, ops


@pytest.mark.slow
def test_what_validates_builds(tmp_path):
    """Content mutants: validate-pass means build-pass, validate-fail means build-fail, outputs untouched."""
    for seed in (FIXED_SEED, fresh_seed()):
        result = build_mutants(seed, VALID_BUILDS, tmp_path / str(seed))
        assert not result["findings"], result["findings"][:3]
        if seed == FIXED_SEED:  # known to give both (4 built, 20 refused); a fresh seed may refuse all 24
            assert result["built"] and result["refused"], result


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["templates", "images", "aggregates", "extremes"])
def test_surfaces_build_or_are_refused(tmp_path, kind):
    seed = fresh_seed()
    for s in (FIXED_SEED, seed):
        for i in range(6):
            folder = surfaces.fresh_folder(tmp_path, f"{s}-{i}")
            if kind == "templates":
                data, ops = surfaces.template_case(s, i)
                problems, _ = surfaces.check_template(data, folder, build=True)
            elif kind == "images":
                data, suffix, ops = surfaces.image_case(s, i)
                problems, _ = surfaces.check_image(data, suffix, folder, build=True)
            elif kind == "aggregates":
                data, ops = surfaces.aggregate_case(s, i)
                problems, _ = surfaces.check_aggregate(data, folder, build=True)
            else:  # valid content with parts at their limits: what validates builds
                text, ops = surfaces.extreme_case(s, i)
                problems, _ = surfaces.check_extreme(
                text, folder, options=surfaces.EXTREME_OPTIONS[i % len(surfaces.EXTREME_OPTIONS)])
            assert not problems, (kind, s, i, ops, problems)
            shutil.rmtree(folder, ignore_errors=True)
