"""Rebuild the outputs whenever the content, its assets or the template change."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from .build import STATE_DIR, BuildError, Options, Report, Target, build, output_dir
from .content import ContentError, load

STEP_MS = 25  # quiet time that ends a burst of saves (an editor's write-and-rename takes a few ms)


def watched_paths(content: Path, options: Options) -> list[Path]:
    """The content file's folder (content, assets, theme) and the template's, if any."""
    paths = [content.resolve().parent]
    if options.template:
        paths.append(options.template.resolve().parent)
    return sorted(set(paths))


def is_relevant(path: Path, content: Path, options: Options) -> bool:
    """A change worth a rebuild: the content file, anything under assets/, or the template."""
    path = path.resolve()
    root = content.resolve().parent
    if path.is_relative_to(output_dir(content, options).resolve()):
        return False
    if path == content.resolve() or path.is_relative_to(root / "assets"):
        return True
    return bool(options.template) and path == options.template.resolve()


def _warm_up(content: Path, options: Options) -> None:
    """Render the deck once in this process, into a throwaway file.

    Each rebuild renders the deck in a forked process; forked from a process that has rendered
    it once, it inherits the loaded modules, font metrics and the renderer's caches instead of
    starting cold (about half its time).
    """
    from .render.slides import render_slides

    state = output_dir(content, options) / STATE_DIR
    try:
        doc = load(content)
        with tempfile.TemporaryDirectory(dir=state) as tmp:
            render_slides(doc, Path(tmp) / "warm-up.pptx", cache_dir=state / "figures",
                          template=options.template, citations=options.citations)
    except Exception:  # an optimisation only: the real builds report whatever is wrong
        pass


def watch(
    content: Path,
    targets: tuple[Target, ...],
    options: Options,
    on_build: Callable[[Report | None, ContentError | BuildError | None, float], None],
    stop: threading.Event | None = None,
) -> None:
    """Build once, then after each burst of relevant changes; report each result to `on_build`.

    Content and build errors are reported, not raised: the last good outputs stay in place.
    """
    from watchfiles import watch as watch_files

    def rebuild(started: float) -> None:
        try:
            report = build(content, targets, options)
        except (ContentError, BuildError) as exc:
            on_build(None, exc, time.perf_counter() - started)
        else:
            on_build(report, None, time.perf_counter() - started)

    built_once = False
    # The watcher runs before the first build, so a save made during a build is never missed;
    # it yields an empty batch at its first timeout, which starts the first build.
    for changes in watch_files(
        *watched_paths(content, options),
        watch_filter=lambda _change, name: is_relevant(Path(name), content, options),
        step=STEP_MS,
        stop_event=stop,
        raise_interrupt=False,
        yield_on_timeout=True,
        rust_timeout=100,
    ):
        if not built_once:
            built_once = True
            rebuild(time.perf_counter())
            _warm_up(content, options)
        elif changes:
            rebuild(time.perf_counter())
