"""Which importer reads an export: ACLED's (either layout) or UCDP GED's, named or read from the header."""

from __future__ import annotations

import io
from pathlib import Path

from .. import files

from .acled import Aggregate, command_line, import_acled
from .imports import EventImportError, ImportOptions
from .scan import MAX_EXPORT_BYTES
from .ucdp import header_of, import_ged, is_ged

FORMATS = ("auto", "acled", "ucdp-ged")


def detect(path: Path) -> str:
    """"ucdp-ged" if the export's header is GED's, else "acled" (whose reader names what it lacks).

    Only the header is read (a whole-world export is gigabytes; the importer reads it once)."""
    try:
        with files.open_binary(path, MAX_EXPORT_BYTES, "exports") as f:
            line = f.readline(1 << 16).decode("utf-8-sig", errors="replace")
    except OSError as e:
        raise EventImportError(f"cannot read {path}: {e.strerror or e}") from None
    return "ucdp-ged" if line.strip() and is_ged(header_of(io.StringIO(line), path.name)) else "acled"


def import_events(path: Path, options: ImportOptions, *, layout: str = "auto", command: str | None = None) -> Aggregate:
    """Import an export in `layout` ("acled", "ucdp-ged", or "auto": by its header)."""
    path = Path(path)
    if layout not in FORMATS:
        raise EventImportError(f"format must be one of {', '.join(FORMATS)}, not {layout!r}")
    kind = detect(path) if layout == "auto" else layout
    if command is None:
        command = command_line(path.name, options, layout=layout)
    if kind == "ucdp-ged":
        return import_ged(path, options, command)
    return import_acled(path, options, command=command)
