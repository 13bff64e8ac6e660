"""What this machine offers: the cores work may spread over, the versions of the libraries installed."""

from __future__ import annotations

import functools
import os
import sys
import zlib

from . import kept


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this system
        return os.cpu_count() or 1


@functools.lru_cache(maxsize=None)
def library_version(distribution: str) -> str:
    """An installed library's version, or "missing" (read once per process: watch mode asks on every build).

    Kept for the next process (`kept.py`) while no folder Python imports from has changed (an
    install, upgrade or removal renames a `.dist-info` folder in one): finding versions needs
    `importlib.metadata`, whose imports alone cost a fresh process 0.04 s of CPU.
    """
    where, stamp, versions = _kept_versions()
    if distribution not in versions:
        from importlib import metadata

        try:
            versions[distribution] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            versions[distribution] = "missing"
        kept.write(where, stamp, versions)
    return versions[distribution]


@functools.lru_cache(maxsize=1)
def _kept_versions() -> tuple:
    """Where the versions are kept, under what stamp, and those kept (read once per process)."""
    stamp = _import_folders()
    # one file per list of folders: a script and `python -c` (whose first folder differs) keep their own
    where = kept.path(__file__, f"versions-{zlib.crc32(repr([f for f, _ in stamp[1]]).encode()):08x}")
    return where, stamp, kept.read(where, stamp)


@functools.lru_cache(maxsize=1)
def _import_folders() -> tuple:
    """Every folder on `sys.path` with the time it last changed (the interpreter's version too)."""
    folders = []
    for entry in sys.path:
        try:
            folders.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            folders.append((entry, 0))
    return (sys.version, tuple(folders))
