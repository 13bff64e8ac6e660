"""The CI guard in conftest.py: with CI=true a skipped test fails the run unless marked may_skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = '''
import pytest


def test_runs():
    pass


def test_needs_a_tool():
    pytest.skip("the tool is not installed")


@pytest.mark.may_skip(reason="allowed")
def test_may_skip():
    pytest.skip("allowed to skip")
'''


def _run(folder: Path, ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q", "-rA",
                           "--continue-on-collection-errors", str(folder)], cwd=folder, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # two pytest processes
def test_a_skip_fails_the_run_under_ci_and_only_there(tmp_path):
    shutil.copy(Path(__file__).with_name("conftest.py"), tmp_path / "conftest.py")
    (tmp_path / "test_tools.py").write_text(SUITE, encoding="utf-8")
    (tmp_path / "test_skipped_module.py").write_text(
        'import pytest\npytest.importorskip("a_module_that_is_not_installed")\n\n\ndef test_x():\n    pass\n',
        encoding="utf-8")
    ci = _run(tmp_path, "true")
    assert ci.returncode == 1, ci.stdout
    assert "FAILED test_tools.py::test_needs_a_tool" in ci.stdout
    assert "skipped with CI=true, where it must run: Skipped: the tool is not installed" in ci.stdout
    assert "ERROR test_skipped_module.py" in ci.stdout  # a module skipped whole at collection
    assert "SKIPPED" in ci.stdout and "allowed to skip" in ci.stdout  # the marked one may
    assert "PASSED test_tools.py::test_runs" in ci.stdout
    local = _run(tmp_path, None)
    assert local.returncode == 0, local.stdout
    assert "1 passed, 3 skipped" in local.stdout
