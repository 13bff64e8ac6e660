"""What this machine offers: the cores work may spread over, the versions of the libraries installed."""

from __future__ import annotations

import functools
import os


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this system
        return os.cpu_count() or 1


@functools.lru_cache(maxsize=None)
def library_version(distribution: str) -> str:
    """An installed library's version, or "missing" (read once per process: watch mode asks on every build)."""
    from importlib import metadata  # 0.02 s of imports, which what counts cores does not need

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"
