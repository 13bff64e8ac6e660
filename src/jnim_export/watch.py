"""Rebuild the outputs whenever the content, its assets or the template change."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from .build import STATE_DIR, BuildError, Options, Report, build, output_dir
from .content import ContentError, read
from . import render
from .render import Context

STEP_MS = 25  # quiet time that ends a burst of saves (an editor's write-and-rename takes a few ms)


def _setting_files(options: Options) -> list[Path]:
    """Files the writer settings name (a deck template, say): an edit of one rebuilds too."""
    return [v.resolve() for named in options.settings.values() for v in named.values() if isinstance(v, Path)]


def watched_paths(content: Path, options: Options) -> list[Path]:
    """The content file's folder (content, assets, theme) and the folders of the setting files."""
    return sorted({content.resolve().parent} | {f.parent for f in _setting_files(options)})


def is_relevant(path: Path, content: Path, options: Options) -> bool:
    """A change worth a rebuild: the content file, anything under assets/, or a setting file."""
    path = path.resolve()
    root = content.resolve().parent
    if path.is_relative_to(output_dir(content, options).resolve()):
        return False
    if path == content.resolve() or path.is_relative_to(root / "assets"):
        return True
    return path in _setting_files(options)


def _warm_up(content: Path, names: tuple[str, ...] | None, options: Options) -> None:
    """Render, once in this process, every output a rebuild renders in a forked process.

    A rebuild renders the first output here and the others in forked processes; forked from
    a process that has rendered them once, they inherit the loaded modules, font metrics and
    the renderers' caches instead of starting cold (about half their time).
    """
    state = output_dir(content, options) / STATE_DIR
    try:
        source = read(content)
        context = Context(figure_cache=state / "figures")
        with tempfile.TemporaryDirectory(dir=state) as tmp:
            for writer in [w for w in render.WRITERS if names is None or w.name in names][1:]:
                given = {**source.settings.get(writer.name, {}), **options.settings.get(writer.name, {})}
                writer.render(source.document, Path(tmp) / f"warm-up{writer.suffix}", writer.settings(**given),
                              context)
    except Exception:  # an optimisation only: the real builds report whatever is wrong
        pass


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

    def rebuild(started: float) -> None:
        try:
            report = build(content, names, options)
        except (ContentError, BuildError) as exc:
            on_build(None, exc, time.perf_counter() - started)
        except Exception as exc:  # watching goes on whatever a save held: the outputs stay as they were
            on_build(None, BuildError(f"{content}: unexpected error: {type(exc).__name__}: {exc}"),
                     time.perf_counter() - started)
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
            _warm_up(content, names, options)
        elif changes:
            rebuild(time.perf_counter())
