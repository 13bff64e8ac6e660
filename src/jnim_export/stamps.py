"""What says an output is fresh: the key over everything it depends on, the stamp a build leaves
beside it, the package's own fingerprint, and the state of an input file."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from . import __version__, dates, files
from .model import Document
from .render import Writer


def file_state(path: Path) -> list[int]:
    try:
        st = path.stat()
    except OSError:
        return [-1, -1]  # absent (an optional asset not there yet)
    return [st.st_size, st.st_mtime_ns]


def key(shown: Any, writer: Writer, settings: Any, digests: dict[Path, str]) -> str:
    """A key over everything the output depends on: what it shows (exactly what its render is
    given), assets, settings, code version."""
    h = hashlib.sha256()
    h.update(f"{__version__}|{writer.name}|{dates.source_date_epoch()}|{settings!r}".encode())
    h.update(repr(shown).encode())  # event data included: its records and the aggregate's hash
    for f in files_named(shown, settings):
        if f not in digests:
            try:
                digests[f] = files.sha256(f)
            except OSError as exc:  # the writer that opens it says what is wrong
                digests[f] = f"unreadable: {exc}"
        h.update(f"{f}|{digests[f]}".encode())
    h.update(code_fingerprint().encode())
    return h.hexdigest()


def files_named(shown: Any, settings: Any) -> list[Path]:
    """Files the model and the settings name only by path (images, a template): their bytes count too."""
    paths: list[Path | None] = []
    if isinstance(shown, Document):
        paths += [f.image for f in shown.figures] + [x.photo for x in shown.leaders] + [shown.style.logo]
    paths += [getattr(settings, f.name) for f in dataclasses.fields(settings)]
    return sorted({p.resolve() for p in paths if isinstance(p, Path)})


@functools.cache
def code_fingerprint() -> str:
    """Sizes and mtimes of the package's own files (code, styles, fonts), so an upgraded renderer rebuilds.

    Taken once per process: a running process renders with the code it loaded (and `watch`
    would otherwise walk the package several times per save).
    """
    root = Path(__file__).parent
    found = []
    for folder, subfolders, names in os.walk(root):  # a sixth of what rglob took: it is on every build's way
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        found += [Path(folder, n) for n in names if not n.endswith(".pyc")]
    parts = []
    for f in sorted(found):
        st = f.stat()
        parts.append(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def read(path: Path) -> dict:
    """The stamp a build left ({"key": ..., "units": ...}), or {} when there is none readable."""
    try:
        stamp = json.loads(files.read_bytes(path, 2**20, "stamps"))  # a pipe put there must not block a build
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}
