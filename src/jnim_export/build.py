"""Build outputs from a content file: skip what is fresh, write atomically, report what was done."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal

from . import __version__
from .content import load
from .model import Document

Target = Literal["pdf", "slides"]
SUFFIX = {"pdf": ".pdf", "slides": ".pptx"}
STATE_DIR = ".jnim-export"  # inside the output folder: build stamps and the figure cache


@dataclass(frozen=True)
class Options:
    """What a build may be asked for beyond the content itself."""

    out_dir: Path | None = None  # default: output/ beside the content file
    force: bool = False  # re-render even when the output is fresh
    no_cache: bool = False  # redraw figures too
    notes: Literal["endnotes", "footnotes"] | None = None
    paper: Literal["letter", "a4"] | None = None
    template: Path | None = None
    citations: Literal["notes", "footer"] | None = None


@dataclass(frozen=True)
class Output:
    target: Target
    path: Path
    skipped: bool  # fresh already: nothing was rendered
    units: int  # pages or slides
    size: int  # bytes
    seconds: float

    def describe(self) -> str:
        unit = "pages" if self.target == "pdf" else "slides"
        state = "up to date" if self.skipped else f"{self.seconds:.2f} s"
        return f"{self.path}  {self.units} {unit}, {self.size / 1024:.0f} KB, {state}"


@dataclass
class Report:
    outputs: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {
            "outputs": [
                {
                    "target": o.target,
                    "path": str(o.path),
                    "skipped": o.skipped,
                    ("pages" if o.target == "pdf" else "slides"): o.units,
                    "bytes": o.size,
                    "seconds": round(o.seconds, 3),
                }
                for o in self.outputs
            ],
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }


def output_dir(content: Path, options: Options) -> Path:
    return options.out_dir or content.resolve().parent / "output"


def build(content: Path, targets: tuple[Target, ...], options: Options = Options()) -> Report:
    """Build `targets` from `content`. Raises ContentError on bad content; old outputs stay intact."""
    started = time.perf_counter()
    doc = load(content)
    out_dir = output_dir(content, options)
    state = out_dir / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    report = Report(warnings=list(doc.warnings))
    for target in targets:
        report.outputs.append(_build_one(doc, target, out_dir, state, options, report.warnings))
    report.seconds = time.perf_counter() - started
    return report


def _build_one(doc: Document, target: Target, out_dir: Path, state: Path, options: Options, warnings: list) -> Output:
    dest = out_dir / f"{doc.meta.slug}{SUFFIX[target]}"
    stamp_file = state / f"{dest.name}.stamp"
    key = _stamp(doc, target, options)
    if not options.force and not options.no_cache and dest.is_file() and _read(stamp_file) == key:
        return Output(target, dest, True, stamp_units(stamp_file), dest.stat().st_size, 0.0)
    started = time.perf_counter()
    cache = state / "figures"
    with _atomic(dest) as tmp:
        if target == "pdf":
            from .render.pdf import render_pdf

            result = render_pdf(
                doc, tmp, cache_dir=cache, notes=options.notes, paper=options.paper, force_figures=options.no_cache
            )
            units = result.pages
        else:
            from .render.slides import render_slides

            result = render_slides(
                doc, tmp, cache_dir=cache, template=options.template, citations=options.citations,
                force_figures=options.no_cache,
            )
            units = result.slides
    warnings.extend(w for w in result.warnings if w not in warnings)
    _write_atomic(stamp_file, json.dumps({"key": key, "units": units}).encode())
    return Output(target, dest, False, units, dest.stat().st_size, time.perf_counter() - started)


def _stamp(doc: Document, target: Target, options: Options) -> str:
    """A key over everything the output depends on: content, assets, options, code version."""
    h = hashlib.sha256()
    h.update(f"{__version__}|{target}|{options.notes}|{options.paper}|{options.citations}".encode())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    files = [doc.source, *_asset_files(doc)]
    if target == "slides" and options.template:
        files.append(options.template)
    for f in files:
        h.update(str(f).encode())
        h.update(f.read_bytes())
    h.update(_code_fingerprint(target).encode())
    return h.hexdigest()


def _asset_files(doc: Document) -> list[Path]:
    paths = [f.image for f in doc.figures] + [f.data.path for f in doc.figures if f.data]
    paths += [x.photo for x in doc.leaders] + [doc.style.logo]
    return sorted({p for p in paths if p is not None})


def _code_fingerprint(target: Target) -> str:
    """Sizes and mtimes of the package's own sources, so an upgraded renderer rebuilds."""
    root = Path(__file__).parent
    parts = []
    for f in sorted(root.rglob("*.py")):
        st = f.stat()
        parts.append(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def stamp_units(stamp_file: Path) -> int:
    try:
        return int(json.loads(stamp_file.read_text())["units"])
    except (OSError, ValueError, KeyError):
        return 0


def _read(path: Path) -> str | None:
    try:
        return json.loads(path.read_text())["key"]
    except (OSError, ValueError, KeyError):
        return None


@contextmanager
def _atomic(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside `dest`; rename it over `dest` only if the block succeeds."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(dest)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _remove_stale_temporaries(dest: Path) -> None:
    """Temporaries left by a build that was killed half-way."""
    for stale in dest.parent.glob(f".{dest.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def _write_atomic(dest: Path, data: bytes) -> None:
    with _atomic(dest) as tmp:
        tmp.write_bytes(data)
