"""Rebuild the outputs whenever the content, its assets or the template change."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

from . import bugs
from .build import BuildError, Options, Report, build, output_dir, warm_up
from .content import ContentError

STEP_MS = 25  # quiet time that ends a burst of saves (an editor's write-and-rename takes a few ms)


def _setting_files(options: Options) -> list[Path]:
    """Files the command line's writer settings name (a deck template, say): an edit of one rebuilds too."""
    return [v.resolve() for named in options.settings.values() for v in named.values() if isinstance(v, Path)]


def watched_paths(content: Path, options: Options) -> list[Path]:
    """The content file's folder (content, assets, the files its settings name) and the folders of
    the files the command line's settings name."""
    return sorted({content.resolve().parent} | {f.parent for f in _setting_files(options)})


def is_relevant(path: Path, content: Path, options: Options, inputs: Iterable[Path] = ()) -> bool:
    """A change worth a rebuild: the content file, anything under assets/, a setting file, or any
    other file the last build read (`inputs`)."""
    path = path.resolve()
    root = content.resolve().parent
    if path.is_relative_to(output_dir(content, options).resolve()):
        return False
    if path == content.resolve() or path.is_relative_to(root / "assets"):
        return True
    return path in _setting_files(options) or path in inputs


def _settle() -> None:
    """Set what the warm-up loaded (modules, faces, the writers' caches: it all lives as long as this
    process) apart from the cycle collector. A full collection, due every few rebuilds, walked all
    of it, in this process and in the renders forked from it, where the collector's writes into
    each object copy its page: that rebuild took about twice the CPU."""
    gc.collect()
    gc.freeze()


def watch(
    content: Path,
    names: tuple[str, ...] | None,
    options: Options,
    on_build: Callable[[Report | None, ContentError | BuildError | None, float], None],
    stop: threading.Event | None = None,
) -> None:
    """Build once, then after each burst of relevant changes; report each result to `on_build`.

    Content and build errors are reported, not raised: the last good outputs stay in place.
    """
    from watchfiles import watch as watch_files

    inputs: set[Path] = set()  # the files the last good build read

    def rebuild(started: float) -> bool:
        try:
            report = bugs.guarded(build, content, names, options, expected=(ContentError, BuildError))
        except (ContentError, BuildError) as exc:
            on_build(None, exc, time.perf_counter() - started)
        except bugs.Unexpected as bug:  # watching goes on whatever a save held
            on_build(None, BuildError(f"{content}: unexpected error: {bug}"), time.perf_counter() - started)
        else:
            inputs.clear()
            inputs.update(report.inputs)
            on_build(report, None, time.perf_counter() - started)
            return True
        return False

    built_once = warm = False
    # The watcher runs before the first build, so a save made during a build is never missed;
    # it yields an empty batch at its first timeout, which starts the first build.
    try:
        for changes in watch_files(
            *watched_paths(content, options),
            watch_filter=lambda _change, name: is_relevant(Path(name), content, options, inputs),
            step=STEP_MS,
            stop_event=stop,
            raise_interrupt=False,
            yield_on_timeout=True,
            rust_timeout=100,
        ):
            if built_once and not changes:
                continue
            built_once = True
            if rebuild(time.perf_counter()) and not warm:
                try:
                    warm_up(content, names, options)  # after the first good build: a bad one says what is wrong
                    warm = True
                except (ContentError, BuildError, OSError):
                    pass  # a save since the build broke it: the next rebuild reports it
                else:
                    _settle()
    finally:  # the process goes on (a test, a caller): its objects are the collector's again
        gc.unfreeze()
