"""Every file the user names is opened here: a regular file, of bounded size, read with a limit.

A named pipe blocks a reader forever and `/dev/zero` never ends; a file may grow or be swapped
for another between a check and a read. So a file is stat()ed before it is opened, opened
without blocking (a FIFO opened so returns at once), fstat()ed once open (the file read is the
file checked), and never read past its limit. Problems are `FileProblem`, an OSError whose
`strerror` is one plain sentence, so every reader's `except OSError` reports it.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
from pathlib import Path
from typing import BinaryIO, TextIO

MB = 2**20

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileProblem(OSError):
    """A file that is not a regular file, or is larger than its limit."""

    def __init__(self, path: Path | str, message: str, code: int = errno.EINVAL):
        super().__init__(code, message, str(path))

    def __str__(self) -> str:
        return self.strerror or ""  # always given: OSError types it as optional


def _megabytes(n: int) -> str:
    if n >= 10 * MB:
        return f"{n / MB:,.0f} MB"
    return f"{n / MB:,.1f} MB" if n >= MB else f"{n:,} bytes"


def _check(path: Path | str, st: os.stat_result, limit: int | None, what: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
        raise FileProblem(path, f"{kind}, not a regular file")
    if limit is not None and st.st_size > limit:
        raise FileProblem(path, f"file is {_megabytes(st.st_size)}; {what} are limited to {_megabytes(limit)}",
                          errno.EFBIG)


def not_regular(path: Path | str) -> str | None:
    """What `path` is if it exists and is not a regular file ("a named pipe (FIFO)"), else None."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "a special file")


class _Limited(io.RawIOBase):
    """A file descriptor read up to `limit` bytes: one byte more is a FileProblem."""

    def __init__(self, fd: int, path: Path | str, limit: int | None, what: str):
        self._file = io.FileIO(fd, "rb", closefd=True)
        self._path, self._limit, self._what, self._read = path, limit, what, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # a large export is read in parts (events/halves.py)
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer) -> int:
        n = self._file.readinto(buffer)
        self._read += n or 0
        if self._limit is not None and self._read > self._limit:
            raise FileProblem(self._path, f"file is over {_megabytes(self._limit)}; {self._what} are limited to "
                              f"{_megabytes(self._limit)}", errno.EFBIG)
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def open_binary(path: Path | str, limit: int | None, what: str = "files") -> BinaryIO:
    """`path` opened for reading if it is a regular file of at most `limit` bytes (None: any size).

    `what` names the kind of file in the size message ("templates are limited to 100 MB").
    """
    _check(path, os.stat(path), limit, what)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    opened = None
    try:
        _check(path, os.fstat(fd), limit, what)
        os.set_blocking(fd, True)
        opened = io.BufferedReader(_Limited(fd, path, limit, what), buffer_size=1 << 20)
        return opened
    finally:
        if opened is None:
            os.close(fd)


def open_text(path: Path | str, limit: int | None, what: str = "files", *, encoding: str,
              newline: str | None = None) -> TextIO:
    """`open_binary` as text."""
    return io.TextIOWrapper(open_binary(path, limit, what), encoding=encoding, newline=newline)


def read_bytes(path: Path | str, limit: int, what: str = "files") -> bytes:
    """The whole of a regular file of at most `limit` bytes."""
    with open_binary(path, limit, what) as f:
        return f.read()


def read_text(path: Path | str, limit: int, what: str = "files", *, encoding: str = "utf-8") -> str:
    return read_bytes(path, limit, what).decode(encoding)


def sha256(path: Path | str, limit: int | None = None, what: str = "files") -> str:
    """The SHA-256 of a regular file, read in chunks; a FileProblem if it is not one."""
    digest = hashlib.sha256()
    with open_binary(path, limit, what) as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
