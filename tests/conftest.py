"""Fixtures and hooks shared by the test modules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def figure_cache(tmp_path_factory) -> Path:
    """One figure cache for the whole run: a figure the modules share is drawn once.

    Files in it are named by a hash of everything that decides them, so sharing is safe.
    """
    return tmp_path_factory.mktemp("figures")
