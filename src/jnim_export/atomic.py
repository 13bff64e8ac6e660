"""Files replaced whole or not at all: write beside the destination, then rename over it."""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class DestinationError(OSError):
    """The destination is something a build must not replace (a directory, a device, a link)."""


def check_destination(dest: Path) -> None:
    """Refuse a destination that exists and is not a regular file.

    Renaming over a device node, a directory or a symbolic link would destroy what the user
    had there, so an output may only replace an earlier output (a regular file) or nothing.
    """
    try:
        st = os.lstat(dest)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DestinationError(exc.errno, f"cannot use {dest} as an output: {exc.strerror}") from None
    if stat.S_ISREG(st.st_mode):
        return
    what = "a directory" if stat.S_ISDIR(st.st_mode) else "a symbolic link" if stat.S_ISLNK(st.st_mode) else \
        "not a regular file"
    raise DestinationError(0, f"{dest} is {what}; an output only replaces a regular file")


@contextmanager
def replacing(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside `dest`; rename it over `dest` only if the block succeeds."""
    dest = Path(dest)
    check_destination(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(dest)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would otherwise carry over to the output
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(dest: Path, data: bytes) -> None:
    """Replace `dest` with `data` atomically."""
    with replacing(dest) as tmp:
        tmp.write_bytes(data)


def remove_leftovers(dest: Path) -> None:
    """Temporaries left beside `dest` by a process killed half-way.

    A temporary's name carries the id of the process writing it: one still running (a
    second build into the same folder) keeps its own.
    """
    dest = Path(dest)
    for stale in dest.parent.glob(f".{dest.name}.*.tmp"):
        # `.NAME.PID.RANDOM.tmp` only: the glob also matches a neighbour's temporary, such as
        # `.NAME.notes.json.PID.RANDOM.tmp`, which another process may be writing right now
        parts = stale.name[len(dest.name) + 2:].split(".")
        if len(parts) == 3 and parts[0].isdigit() and not _running(int(parts[0])):
            stale.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process starts no second write of the same file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
