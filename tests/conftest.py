"""Fixtures and hooks shared by the test modules."""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[1]

# With CI=true nothing may skip: the checks that skip cleanly on a developer's machine without
# ../shared/, Chromium, Java and the Nu checker, poppler-utils, pikepdf or pdfua are exactly what
# CI installs, so a skip there means a check that silently did not run.  A test that may skip
# even in CI says so with @pytest.mark.may_skip(reason=...).
IN_CI = os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def pytest_configure(config):
    config.addinivalue_line("markers", "may_skip(reason): this test may skip even with CI=true")


def _fail_skip(report, what: str) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"{what} skipped with CI=true, where it must run: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("may_skip") is None:
        _fail_skip(report, item.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped:  # e.g. a module-level importorskip
        _fail_skip(report, collector.nodeid)


def shared_path(tmp_path_factory, name: str) -> Path:
    """`name` in a folder every xdist worker of this run shares (each worker's own base temp is a
    folder in it); without xdist, in the run's base temp."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name


def _made_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `name` (see `shared_path`), filled by `make(folder)` once for the whole run.

    The first worker to ask makes it, holding a lock the others wait on, so two workers starting
    at once never make it twice or see it half made; a `make` that failed leaves no mark of being
    done, and the next to ask makes it again (and fails as visibly).  Callers read and copy it,
    never change it.
    """
    folder = shared_path(tmp_path_factory, name)
    done = folder.with_name(name + ".done")
    with open(folder.with_name(name + ".lock"), "w") as lock:
        fcntl.lockf(lock, fcntl.LOCK_EX)  # a POSIX lock: not held on by processes `make` forks
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def made_once(tmp_path_factory) -> Callable[[str, Callable[[Path], None]], Path]:
    """made_once(name, make): the folder `name`, made by `make(folder)` once for the whole run."""
    return functools.partial(_made_once, tmp_path_factory)


@pytest.fixture(scope="session")
def figure_cache(tmp_path_factory) -> Path:
    """One figure cache for the whole run, all workers' tests together: a figure they share is drawn once.

    Files in it are named by a hash of everything that decides them and written atomically (as
    a series' processes share one), so sharing is safe.
    """
    folder = shared_path(tmp_path_factory, "figures")
    folder.mkdir(exist_ok=True)
    return folder


def copy_default_project(folder: Path) -> Path:
    """A copy of the project's own content.yaml and assets/ in `folder`; returns the content file."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "content.yaml", folder / "content.yaml")
    shutil.copytree(ROOT / "assets", folder / "assets")
    return folder / "content.yaml"


def _build_default(folder: Path) -> None:
    from click.testing import CliRunner

    from jnim_export.cli import main

    result = CliRunner().invoke(main, ["build", str(copy_default_project(folder)), "--quiet"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> Path:
    """A copy of the default project built once for the whole run (every output, and the drawings
    a first build makes in output/.jnim-export/figures); returns its content file.  Read or copy it."""
    return _made_once(tmp_path_factory, "default-build", _build_default) / "content.yaml"


@pytest.fixture(scope="session")
def default_figures(default_build) -> Path:
    """The figure cache a first build of the default content leaves: copy it into a project's
    output/.jnim-export/figures to start as a user's second build does, with nothing to draw."""
    return default_build.parent / "output" / ".jnim-export" / "figures"


@pytest.fixture(scope="session")
def default_pdf(made_once, figure_cache):
    """default_pdf(notes, paper) -> (path, Rendered): the default content's PDF with the writer's
    default settings but these, rendered once per run (test_pdf and test_pdf_tagged read the same
    files).  Read it, never change it."""
    import dataclasses
    import json

    from jnim_export.content import load
    from jnim_export.render import Context, Rendered
    from jnim_export.render.pdf import PdfOptions, render, view

    def get(notes: str, paper: str):
        def make(folder: Path) -> None:
            result = render(view(load(ROOT / "content.yaml")), folder / f"{notes}-{paper}.pdf",
                            PdfOptions(notes=notes, paper=paper), Context(figure_cache))
            (folder / "rendered.json").write_text(json.dumps(dataclasses.asdict(result)), encoding="utf-8")

        folder = made_once(f"default-pdf-{notes}-{paper}", make)
        said = json.loads((folder / "rendered.json").read_text(encoding="utf-8"))
        return folder / f"{notes}-{paper}.pdf", Rendered(said["units"], tuple(said["warnings"]))

    return get
