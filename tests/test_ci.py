"""The suite's own machinery in conftest.py: with CI=true a skipped test fails the run unless marked
may_skip; what xdist workers share is made once, by one of them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
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


class _Run:
    """A stand-in for tmp_path_factory: the base temp of worker `name` of a run in `folder`."""

    def __init__(self, folder: Path, name: str) -> None:
        self.base = folder / f"popen-{name}"

    def getbasetemp(self) -> Path:
        self.base.mkdir(parents=True, exist_ok=True)
        return self.base


def _make_slowly(log: Path):
    def make(folder: Path) -> None:
        with log.open("a") as f:
            f.write(f"{os.getpid()}\n")
        time.sleep(0.3)  # long enough for the other worker to be asking meanwhile
        (folder / "whole").write_text("yes", encoding="utf-8")
    return make


def _worker(run: Path, name: str, log: Path) -> None:
    from conftest import _made_once

    folder = _made_once(_Run(run, name), "thing", _make_slowly(log))
    sys.exit(0 if (folder / "whole").read_text(encoding="utf-8") == "yes" else 3)


def test_a_shared_folder_is_made_once_when_two_workers_ask_at_once(tmp_path, monkeypatch):
    import multiprocessing

    from conftest import _made_once

    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    log = tmp_path / "made.log"
    fork = multiprocessing.get_context("fork")
    workers = [fork.Process(target=_worker, args=(tmp_path, name, log)) for name in ("gw0", "gw1")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]  # each saw it whole
    assert len(log.read_text().splitlines()) == 1  # made by one of them only

    def broken(folder: Path) -> None:
        (folder / "half").touch()
        raise RuntimeError("made badly")

    with pytest.raises(RuntimeError):
        _made_once(_Run(tmp_path, "gw0"), "other", broken)
    again = _made_once(_Run(tmp_path, "gw1"), "other", _make_slowly(log))  # a failed make is made again
    assert sorted(p.name for p in again.iterdir()) == ["whole"]
