"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def figure_cache(tmp_path_factory) -> Path:
    """One figure cache for the whole run: a figure the modules share is drawn once.

    Files in it are named by a hash of everything that decides them, so sharing is safe.
    """
    return tmp_path_factory.mktemp("figures")
