"""Rebuild the outputs whenever the content, its assets or the template change."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from .build import Options, Report, Target, build, output_dir
from .content import ContentError

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


def _warm_up() -> None:
    """Import both renderers and read the slide fonts' metrics once, so every forked rebuild starts warm."""
    from . import fonts
    from .render import pdf, slides  # noqa: F401

    for bold in (False, True):
        fonts.text_width("warm", bold=bold)


def watch(
    content: Path,
    targets: tuple[Target, ...],
    options: Options,
    on_build: Callable[[Report | None, ContentError | None, float], None],
    stop: threading.Event | None = None,
) -> None:
    """Build once, then after each burst of relevant changes; report each result to `on_build`.

    Content errors are reported, not raised: the last good outputs stay in place.
    """
    from watchfiles import watch as watch_files

    def rebuild(started: float) -> None:
        try:
            report = build(content, targets, options)
        except ContentError as exc:
            on_build(None, exc, time.perf_counter() - started)
        else:
            on_build(report, None, time.perf_counter() - started)

    rebuild(time.perf_counter())
    _warm_up()
    for changes in watch_files(
        *watched_paths(content, options),
        watch_filter=lambda _change, name: is_relevant(Path(name), content, options),
        step=STEP_MS,
        stop_event=stop,
        raise_interrupt=False,
    ):
        if changes:
            rebuild(time.perf_counter())
