"""Build a series of backgrounders at once: each into its own output folder, in a pool of
processes sharing one figure cache, with one summary; optionally a site listing them all.

A backgrounder that fails changes none of its outputs (its build replaces all or none) and
stops none of the others; the series fails (exit 1) once every other one is built.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import bugs
from .machine import cores
from .build import STATE_DIR, BuildError, Options, Report, build, output_dir

SERIES_CACHE = Path(STATE_DIR) / "figures"  # under the series' folder: the drawings every build shares


class SeriesError(Exception):
    """A series that cannot start (two backgrounders building into one folder, say); for the user."""


@dataclass(frozen=True)
class Edition:
    """What a site lists of one built backgrounder: its words and its files."""

    title: str
    group: str
    date: str
    language: str
    slug: str
    files: tuple[tuple[str, Path], ...]  # (writer name, output path), in the registry's order


@dataclass
class Result:
    """One backgrounder's build: its report, or the message (and JSON problems) it failed with."""

    content: Path
    report: Report | None = None
    error: str = ""
    problems: list[dict] = field(default_factory=list)
    edition: Edition | None = None
    seconds: float = 0.0
    trace: str = ""  # an unexpected error's traceback

    @property
    def ok(self) -> bool:
        return self.report is not None


@dataclass
class SeriesReport:
    results: list[Result]
    seconds: float
    jobs: int
    cache: Path
    site: Path | None = None

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if not r.ok]

    def lines(self, quiet: bool = False, debug: bool = False) -> list[tuple[str, bool]]:
        """The summary as (line, for stderr): each backgrounder's outcome, its errors, then the totals."""
        out: list[tuple[str, bool]] = []
        for r in self.results:
            if r.report is None:
                out += [(r.error, True)] + ([(r.trace, True)] if debug and r.trace else [])
            elif not quiet:
                out += [(w if w.startswith(str(r.content)) else f"{r.content}: warning: {w}", True)
                        for w in r.report.warnings]
                written = sum(not o.skipped for o in r.report.outputs)
                warnings = len(r.report.warnings)
                out.append((f"{r.content}: {written} written, {len(r.report.outputs) - written} up to date, "
                            f"{warnings} warning{'s' * (warnings != 1)} in {r.seconds:.2f} s", False))
        built = len(self.results) - len(self.failed)
        where = f"; site in {self.site}" if self.site is not None else ""
        summary = (f"{built} of {len(self.results)} backgrounders built, {len(self.failed)} failed"
                   f" in {self.seconds:.2f} s ({self.jobs} at a time){where}")
        if self.failed or not quiet:
            out.append((summary, bool(self.failed)))
        return out

    def as_json(self) -> dict:
        builds = []
        for r in self.results:
            entry: dict[str, Any] = {"content": str(r.content)}
            entry.update(r.report.as_json() if r.report is not None else
                         {"status": "failed", "diagnostics": r.problems, "outputs": []})
            entry["seconds"] = round(r.seconds, 3)
            builds.append(entry)
        return {"status": "failed" if self.failed else "ok", "jobs": self.jobs, "figure_cache": str(self.cache),
                "site": str(self.site) if self.site else None, "builds": builds, "seconds": round(self.seconds, 3)}


def failure_json(exc: Exception) -> dict:
    """A failed build as the JSON report: status, and each problem with its file, line and column."""
    diagnostics = getattr(exc, "diagnostics", None)
    if diagnostics is None:
        problems = [{"message": line} for line in str(exc).splitlines() if line]
    else:
        problems = [
            {"file": str(d.file), "line": d.line, "column": d.column, "field": d.path, "severity": d.severity,
             "message": d.message}
            for d in diagnostics
        ]
    return {"status": "failed", "diagnostics": problems, "outputs": []}


def shared_cache(contents: list[Path]) -> Path:
    """The series' figure cache: `.jnim-export/figures` in the folder holding all its content folders."""
    folders = [c.resolve().parent for c in contents]
    return Path(os.path.commonpath(folders)) / SERIES_CACHE


def check(contents: list[Path], options: Options) -> None:
    """Refuse a series whose backgrounders would build into one folder (one would overwrite the
    other's state), or one given an output folder (each builds beside its content)."""
    if options.out_dir is not None and len(contents) > 1:
        raise SeriesError("--out names one output folder; a series builds each backgrounder into output/ beside "
                          "its content (use --site DIR to gather them)")
    seen: dict[Path, Path] = {}
    for content in contents:
        out = output_dir(content, options).resolve()
        if out in seen:
            same = "is given twice" if seen[out].resolve() == content.resolve() else f"and {seen[out]} both build"
            raise SeriesError(f"{content} {same} into {out}: give each backgrounder its own folder")
        seen[out] = content


# the series being built: set before the pool forks, so the workers inherit it (options hold the
# writers, whose functions cannot be pickled)
_JOB: tuple[list[Path], Options, bool] | None = None


def build_series(contents: list[Path], options: Options, jobs: int, *, editions: bool = False) -> SeriesReport:
    """Build every content file; `jobs` at a time in a pool of forked processes (1: one by one,
    each build using every core itself). `editions`: also read what a site lists of each."""
    global _JOB
    check(contents, options)
    started = time.perf_counter()
    alone = output_dir(contents[0], options) / STATE_DIR / "figures"  # a series of one keeps its build's own
    cache = options.figure_cache or (shared_cache(contents) if len(contents) > 1 else alone)
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SeriesError(f"cannot create the series' figure cache {cache}: {exc.strerror or exc}") from None
    options = dataclasses.replace(options, figure_cache=cache)
    jobs = max(1, min(jobs, len(contents)))
    _JOB = (contents, options, editions)
    try:
        if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
            results = [_build_one(i) for i in range(len(contents))]
        else:
            _warm(contents[0], options)
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                results = pool.map(_build_one, range(len(contents)), chunksize=1)
    finally:
        _JOB = None
    return SeriesReport(results, time.perf_counter() - started, jobs, cache)


def _warm(content: Path, options: Options) -> None:
    """Import the writers' libraries and load their fonts once, before the pool forks: every
    worker inherits them instead of paying for them (about a second of CPU each)."""
    from .build import plans

    def prepare() -> None:
        doc, planned = plans(content, None, options)
        for plan in planned:
            plan.writer.prepare(plan.view, plan.options)
        if doc.figures:
            from .figures import style

            style.matplotlib(doc.style.sans)

    try:
        bugs.guarded(prepare)
    except bugs.Unexpected:  # only a head start: the build of this content says what is wrong
        pass


def _build_one(index: int) -> Result:
    from .content import ContentError

    assert _JOB is not None
    contents, options, editions = _JOB
    content = contents[index]
    started = time.perf_counter()
    result = Result(content)
    try:
        result.report, result.edition = bugs.guarded(_build_and_read, content, options, editions,
                                                     expected=(BuildError, ContentError))
    except BuildError as exc:
        result.error = f"{exc}\nbuild failed; no output was changed."
        result.problems = failure_json(exc)["diagnostics"]
    except ContentError as exc:
        errors = len(exc.errors)
        result.error = f"{exc}\n{errors} error{'s' * (errors != 1)}; nothing was written."
        result.problems = failure_json(exc)["diagnostics"]
    except bugs.Unexpected as bug:  # a bug, not the content's fault: said in one line, the trace kept for --debug
        result.error = (f"{content}: build stopped on an unexpected error: {type(bug.error).__name__}: "
                        f"{bug.error} (run with --debug for the traceback)")
        result.problems = [{"message": result.error}]
        result.trace = bug.trace
    result.seconds = time.perf_counter() - started
    return result


def _build_and_read(content: Path, options: Options, editions: bool) -> tuple[Report, Edition | None]:
    report = build(content, None, options)
    if not editions:
        return report, None
    from .build import read

    meta = read(content, options.writers).document.meta
    files = tuple((o.writer, o.path) for o in report.outputs)
    return report, Edition(meta.title, meta.short_title, meta.date, meta.language, meta.slug, files)


def run(contents: list[Path], options: Options, jobs: int | None = None, site: Path | None = None) -> SeriesReport:
    """Build the series (`build_series`), then, with `site`, its site (`site.write_site`: raises SiteError)."""
    report = build_series(contents, options, jobs or cores(), editions=site is not None)
    if site is not None:
        from . import site as sites
        from .render import WRITERS

        sites.write_site(site, [(r.content, r.edition) for r in report.results], options.writers or WRITERS)
        report.site = site
    return report
