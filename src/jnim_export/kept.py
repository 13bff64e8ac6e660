"""Work kept beside the package's bytecode for the next process, as Python keeps bytecode: the
regular expressions' programs and dataclasses' methods (`compiled.py`), the PDF's parsed faces
(`render/pdf/fonts.py`).

Each file holds plain data only (marshal: nothing runs on load) under a stamp that names what it
was made from (the interpreter, a library's version, a file's size and time); a file with
another stamp, or unreadable, is as good as none. Writing is best effort: a file that cannot be
written is only a slower next run. Nothing is kept where Python keeps no bytecode.
"""

from __future__ import annotations

import marshal
import os
import sys


def path(module_file: str, name: str) -> str | None:
    """Where `name` is kept for the module at `module_file`: in its `__pycache__` (under
    `sys.pycache_prefix` if set, as its bytecode is), named after the interpreter."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    folder = os.path.dirname(os.path.abspath(module_file))
    name = f"{name}.{tag}.marshal"
    if sys.pycache_prefix is not None:
        return os.path.join(sys.pycache_prefix, folder.lstrip(os.sep), name)
    return os.path.join(folder, "__pycache__", name)


def read(where: str | None, stamp: tuple) -> dict:
    """What is kept at `where` under `stamp` ({} if nothing is)."""
    if where is None:
        return {}
    try:
        with open(where, "rb") as f:
            kept_stamp, kept = marshal.loads(f.read())  # marshal.load reads a file piece by piece: 20 times as long
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return kept if kept_stamp == stamp and isinstance(kept, dict) else {}


def write(where: str | None, stamp: tuple, kept: dict) -> None:
    """Keep `kept` at `where` under `stamp`, replacing the file whole."""
    if where is None or sys.dont_write_bytecode:
        return
    from pathlib import Path

    from . import atomic  # only when something new is kept: its imports are not the start-up's

    try:
        atomic.write_bytes(Path(where), marshal.dumps((stamp, kept)))
    except (OSError, ValueError):  # ValueError: a value marshal cannot write, as good as a full disk
        pass
