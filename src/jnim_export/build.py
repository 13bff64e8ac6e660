"""Build outputs from a content file: skip what is fresh, write atomically, report what was done."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Literal

from . import __version__
from .content import load
from .model import Document, PullQuote

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


class BuildError(Exception):
    """A renderer refused the content (e.g. a character no embedded font has); message is user-facing."""


def build(content: Path, targets: tuple[Target, ...], options: Options = Options()) -> Report:
    """Build `targets` from `content`. Raises ContentError or BuildError; old outputs stay intact."""
    started = time.perf_counter()
    doc = load(content)
    out_dir = output_dir(content, options)
    state = out_dir / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    report = Report(warnings=list(doc.warnings))
    plans = {t: (out_dir / f"{doc.meta.slug}{SUFFIX[t]}", _stamp(doc, t, options)) for t in targets}
    stale = [t for t, (dest, key) in plans.items() if not _is_fresh(dest, state, key, options)]
    rendered = _render_all(doc, stale, plans, state / "figures", options)
    for target, (dest, key) in plans.items():
        stamp_file = state / f"{dest.name}.stamp"
        if target in rendered:
            units, warnings, seconds = rendered[target]
            report.warnings.extend(w for w in warnings if w not in report.warnings)
            _write_atomic(stamp_file, json.dumps({"key": key, "units": units}).encode())
            report.outputs.append(Output(target, dest, False, units, dest.stat().st_size, seconds))
        else:
            units = int(_read_stamp(stamp_file).get("units", 0))
            report.outputs.append(Output(target, dest, True, units, dest.stat().st_size, 0.0))
    report.seconds = time.perf_counter() - started
    return report


def _is_fresh(dest: Path, state: Path, key: str, options: Options) -> bool:
    if options.force or options.no_cache or not dest.is_file():
        return False
    return _read_stamp(state / f"{dest.name}.stamp").get("key") == key


def _render_all(doc: Document, targets: list[Target], plans: dict, cache: Path, options: Options) -> dict:
    """Render each target; with two or more, the others run in forked processes on the second core."""
    if len(targets) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return {t: _render(doc, t, plans[t][0], cache, options) for t in targets}
    context = multiprocessing.get_context("fork")
    children = []
    for target in targets[1:]:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_render_in_child, args=(send, doc, target, plans[target][0], cache, options))
        child.start()
        send.close()
        children.append((target, child, receive))
    results = {}
    failure: BaseException | None = None
    try:
        results[targets[0]] = _render(doc, targets[0], plans[targets[0]][0], cache, options)
    except BaseException as exc:  # still collect the children before re-raising
        failure = exc
    for target, child, receive in children:
        try:
            outcome, value = receive.recv()
        except EOFError:
            outcome, value = "error", f"the {target} renderer stopped unexpectedly (exit code {child.exitcode})"
        child.join()
        if outcome == "ok":
            results[target] = value
        elif failure is None:
            failure = BuildError(value)
    if failure is not None:
        raise failure
    return results


def _render_in_child(send, doc: Document, target: Target, dest: Path, cache: Path, options: Options) -> None:
    # Ctrl-C reaches the whole process group: the parent decides; this render finishes whole.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        send.send(("ok", _render(doc, target, dest, cache, options)))
    except BuildError as exc:
        send.send(("error", str(exc)))
    except Exception as exc:  # reported by the parent; the child has no terminal of its own to show it
        send.send(("error", f"{target}: {type(exc).__name__}: {exc}"))
    finally:
        send.close()


def _render(doc: Document, target: Target, dest: Path, cache: Path, options: Options) -> tuple[int, tuple, float]:
    """Render one output into a temporary file and rename it over `dest`; return (units, warnings, seconds)."""
    started = time.perf_counter()
    with _atomic(dest) as tmp:
        if target == "pdf":
            from .render.pdf import MissingGlyphError, render_pdf

            try:
                result = render_pdf(
                    doc, tmp, cache_dir=cache, notes=options.notes, paper=options.paper, force_figures=options.no_cache
                )
            except MissingGlyphError as exc:
                raise BuildError(f"{doc.source}: {exc}") from None
            units = result.pages
        else:
            from .render.slides import render_slides

            result = render_slides(
                doc, tmp, cache_dir=cache, template=options.template, citations=options.citations,
                force_figures=options.no_cache,
            )
            units = result.slides
    return units, result.warnings, time.perf_counter() - started


def _stamp(doc: Document, target: Target, options: Options) -> str:
    """A key over everything the output depends on: what it shows, assets, options, code version."""
    h = hashlib.sha256()
    h.update(f"{__version__}|{target}|{options.notes}|{options.paper}|{options.citations}".encode())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    shown = _shown_by(doc, target)
    h.update(repr(shown).encode())  # event data included: its records and the aggregate's hash
    files = _picture_files(shown)
    if target == "slides" and options.template:
        files.append(options.template)
    for f in files:
        h.update(str(f).encode())
        h.update(f.read_bytes())
    h.update(_code_fingerprint().encode())
    return h.hexdigest()


def _shown_by(doc: Document, target: Target) -> Document:
    """The part of the model a writer reads, so that an edit rebuilds only the outputs showing it.

    The PDF shows no slide bullets or slide-only facts; the deck shows no body paragraphs, only
    the pull quote. Keying on the model rather than the file also means that a comment or
    layout edit in the YAML rebuilds nothing.
    """
    if target == "pdf":
        sections = tuple(replace(s, bullets=()) for s in doc.sections)
        return replace(
            doc, sections=sections, leaders=(), facts=(), merger=None, allegiance=(), slides=None, warnings=()
        )
    sections = tuple(replace(s, blocks=tuple(b for b in s.blocks if isinstance(b, PullQuote))) for s in doc.sections)
    return replace(doc, sections=sections, pdf=None, warnings=())


def _picture_files(doc: Document) -> list[Path]:
    """Images the model names only by path, so their bytes must be hashed too."""
    paths = [f.image for f in doc.figures] + [x.photo for x in doc.leaders] + [doc.style.logo]
    return sorted({p for p in paths if p is not None})


def _code_fingerprint() -> str:
    """Sizes and mtimes of the package's own sources, so an upgraded renderer rebuilds."""
    root = Path(__file__).parent
    parts = []
    for f in sorted(root.rglob("*.py")):
        st = f.stat()
        parts.append(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _read_stamp(path: Path) -> dict:
    """The stamp a build left ({"key": ..., "units": ...}), or {} when there is none readable."""
    try:
        stamp = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) else {}


@contextmanager
def _atomic(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside `dest`; rename it over `dest` only if the block succeeds."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(dest)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_stale_temporaries(dest: Path) -> None:
    """Temporaries left by a build that was killed half-way."""
    for stale in dest.parent.glob(f".{dest.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def _write_atomic(dest: Path, data: bytes) -> None:
    with _atomic(dest) as tmp:
        tmp.write_bytes(data)
