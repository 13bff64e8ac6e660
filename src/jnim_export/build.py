"""Build outputs from a content file: skip what is fresh, render the rest, replace them all or none."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import signal
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from . import __version__, ahead, atomic, bugs, compiled, dates, render, stamps
from .model import Document
from .reading import read  # the build's reading (also `build.read`, as callers name it)
from .render import Context, Rendered, RenderError, Writer

STATE_DIR = ".jnim-export"  # inside the output folder: build stamps and the figure cache


@dataclass(frozen=True)
class Options:
    """What a build may be asked for beyond the content itself."""

    out_dir: Path | None = None  # default: output/ beside the content file
    force: bool = False  # re-render even when the output is fresh
    redraw_figures: bool = False  # draw the figures again instead of using the cache
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # writer name -> settings over the content's
    strict: bool = False  # a warning is an error: nothing is replaced
    writers: tuple[Writer, ...] | None = None  # the registry to build from (None: render.WRITERS)
    figure_cache: Path | None = None  # default: in the state folder; a series shares one (drawings are content-addressed)


@dataclass(frozen=True)
class Output:
    writer: str
    unit: str  # what `units` counts: pages, slides, ...
    path: Path
    skipped: bool  # fresh already: nothing was rendered
    units: int
    size: int  # bytes
    seconds: float

    def describe(self) -> str:
        state = "up to date" if self.skipped else f"{self.seconds:.2f} s"
        return f"{self.path}  {self.units} {self.unit}, {self.size / 1024:.0f} KB, {state}"


@dataclass
class Report:
    outputs: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    inputs: tuple[Path, ...] = ()  # every file the outputs were made from: content, assets, setting files

    def as_json(self) -> dict:
        return {
            "status": "ok",
            "outputs": [
                {
                    "target": o.writer,
                    "path": str(o.path),
                    "skipped": o.skipped,
                    o.unit: o.units,
                    "bytes": o.size,
                    "seconds": round(o.seconds, 3),
                }
                for o in self.outputs
            ],
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }


class BuildError(Exception):
    """Rendering failed; nothing was replaced. The message is for the user."""


def output_dir(content: Path, options: Options) -> Path:
    return options.out_dir or content.resolve().parent / "output"


@dataclass(frozen=True)
class _Plan:
    writer: Writer
    options: Any
    view: Any  # what the writer shows (`Writer.view`): all its render, artwork and prepare are given
    dest: Path
    key: str
    stamp: Path


def build(content: Path, names: tuple[str, ...] | None = None, options: Options = Options()) -> Report:
    """Build the outputs of the writers called `names` (None: every writer) from `content`.

    Stale outputs are rendered into temporary files; only when every one succeeded are they
    renamed into place, so a failed build changes no output. Raises ContentError or BuildError.
    """
    started = time.perf_counter()
    out_dir = output_dir(content, options)
    state = out_dir / STATE_DIR
    if not (options.force or options.redraw_figures):
        unchanged = _unchanged(content, names, options, state)
        if unchanged is not None:
            _refuse_warnings(options, unchanged.warnings)
            unchanged.seconds = time.perf_counter() - started
            return unchanged
    # a process imports the writers' libraries while the content is read (not for a first build:
    # its renders prepare in their own processes while the figures are drawn)
    first = options.redraw_figures or not (options.figure_cache or state / "figures").is_dir()
    with ahead.started(_writers(names, options.writers), _render_all, wanted=not first) as early:
        return _build(content, names, options, started, early)


def _build(content: Path, names: tuple[str, ...] | None, options: Options, started: float,
           early: ahead.Ahead | None) -> Report:
    out_dir = output_dir(content, options)
    state = out_dir / STATE_DIR
    doc, planned = plans(content, names, options)
    stale = [p for p in planned if options.force or options.redraw_figures or not _is_fresh(p)]
    # a fresh output's warnings are those of the render that made it
    kept = {p.writer.name: stamps.read(p.stamp).get("warnings", []) for p in planned if all(p is not q for q in stale)}
    _refuse_warnings(options, [*doc.warnings, *(w for ws in kept.values() for w in ws)])
    _make_dirs(out_dir, state)
    report = Report(warnings=list(doc.warnings))
    context = Context(figure_cache=options.figure_cache or state / "figures", redraw_figures=options.redraw_figures,
                      no_cache=options.redraw_figures)
    try:
        with ExitStack() as stack:
            # entered first, left last: a stamp never vouches for an output that was not replaced
            stamp_files = {p.writer.name: stack.enter_context(atomic.replacing(p.stamp)) for p in stale}
            temporaries = {p.writer.name: stack.enter_context(atomic.replacing(p.dest)) for p in stale}
            rendered = _render_all(doc, stale, temporaries, context, early)
            _refuse_warnings(options, [w for r, _ in rendered.values() for w in r.warnings])
            for plan in stale:
                result = rendered[plan.writer.name][0]
                stamp_files[plan.writer.name].write_text(
                    json.dumps({"key": plan.key, "units": result.units, "warnings": list(result.warnings)}))
        # leaving the block renamed every temporary over its output (or, on an error, removed them all)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise BuildError(f"{where}{exc.strerror or exc}; nothing was written") from None
    for plan in planned:
        if plan.writer.name in rendered:
            result, seconds = rendered[plan.writer.name]
            report.warnings.extend(w for w in result.warnings if w not in report.warnings)
            report.outputs.append(Output(plan.writer.name, plan.writer.unit, plan.dest, False, result.units,
                                         plan.dest.stat().st_size, seconds))
        else:
            stamp = stamps.read(plan.stamp)
            report.warnings.extend(w for w in kept[plan.writer.name] if w not in report.warnings)
            report.outputs.append(Output(plan.writer.name, plan.writer.unit, plan.dest, True,
                                         int(stamp.get("units", 0)), plan.dest.stat().st_size, 0.0))
    report.inputs = tuple(sorted({*doc.inputs, *(v.resolve() for p in planned for v in _setting_paths(p.options))}))
    _write_manifest(state, content, names, options, planned, report)
    report.seconds = time.perf_counter() - started
    return report


def plans(content: Path, names: tuple[str, ...] | None = None, options: Options = Options()
          ) -> tuple[Document, list[_Plan]]:
    """The content read, and for each writer asked for (`names`; None: all) its plan: its options,
    what it shows (all its render is given), where it goes and the key its stamp will hold."""
    source = read(content, options.writers)
    doc = source.document
    out_dir = output_dir(content, options)
    digests: dict[Path, str] = {}  # each named file read once, whichever writers show it
    return doc, [_plan(w, doc, source.sections.get(w.name), options, out_dir, digests)
                 for w in _writers(names, options.writers)]


def _refuse_warnings(options: Options, warnings) -> None:
    if options.strict and warnings:
        n = len(warnings)
        raise BuildError("\n".join(warnings) + f"\n{n} warning{'s' * (n != 1)}, errors with --strict")


def warm_up(content: Path, names: tuple[str, ...] | None, options: Options) -> None:
    """Render, once in this process and into a scratch folder, every output (`watch`): a rebuild
    renders the first here and the others in processes forked from this one, which inherit the
    loaded modules, font metrics and the renderers' caches instead of starting cold (about half
    their time); and with every writer's libraries loaded, no process is forked ahead to import them.
    """
    import tempfile

    state = output_dir(content, options) / STATE_DIR
    doc, planned = plans(content, names, options)
    ahead.load([p.writer for p in planned])
    context = Context(figure_cache=state / "figures")
    with tempfile.TemporaryDirectory(dir=state) as scratch:
        for plan in planned:
            _render(doc, plan, Path(scratch) / plan.dest.name, context)


# --------------------------------------------------------------------------- unchanged inputs

MANIFEST = "inputs.json"  # in the state folder: the files the last build read, and what it made


def _manifest_key(content: Path, names: tuple[str, ...] | None, options: Options) -> str:
    writers = [w.name for w in _writers(names, options.writers)]
    return repr((str(content.resolve()), writers, sorted((k, sorted(v.items())) for k, v in options.settings.items()),
                 dates.source_date_epoch(), __version__, stamps.code_fingerprint()))


def _write_manifest(state: Path, content: Path, names, options: Options, plans, report: Report) -> None:
    manifest = {
        "key": _manifest_key(content, names, options),
        "files": {str(f): stamps.file_state(f) for f in report.inputs},
        "outputs": [{"writer": p.writer.name, "unit": p.writer.unit, "path": str(p.dest), "stamp": str(p.stamp),
                     "key": p.key} for p in plans],
        "warnings": report.warnings,
    }
    try:
        atomic.write_bytes(state / MANIFEST, json.dumps(manifest).encode())
    except OSError:
        pass  # only a shortcut for the next build is lost


def _unchanged(content: Path, names, options: Options, state: Path) -> Report | None:
    """The report of a build that has nothing to do, or None: every file the last build read is as
    it was, the settings and the code are the same, and every output it made is still there.

    This answers a no-op build without reading the content (reading is most of what it would cost).
    """
    manifest = stamps.read(state / MANIFEST)
    try:
        if manifest.get("key") != _manifest_key(content, names, options):
            return None
        if any(stamps.file_state(Path(f)) != list(s) for f, s in manifest["files"].items()):
            return None
        outputs = []
        for o in manifest["outputs"]:
            stamp = stamps.read(Path(o["stamp"]))
            dest = Path(o["path"])
            if stamp.get("key") != o["key"] or not dest.is_file():
                return None
            outputs.append(Output(o["writer"], o["unit"], dest, True, int(stamp.get("units", 0)),
                                  dest.stat().st_size, 0.0))
        return Report(outputs=outputs, warnings=list(manifest["warnings"]),
                      inputs=tuple(Path(f) for f in manifest["files"]))
    except (KeyError, TypeError, ValueError, OSError):
        return None


def _setting_paths(settings: Any) -> list[Path]:
    return [v for v in (getattr(settings, f.name) for f in dataclasses.fields(settings)) if isinstance(v, Path)]


def _registry(writers: tuple[Writer, ...] | None) -> tuple[Writer, ...]:
    return render.WRITERS if writers is None else writers  # looked up at each build: the one list of formats


def _writers(names: tuple[str, ...] | None, registry: tuple[Writer, ...] | None) -> list[Writer]:
    writers = _registry(registry)
    if names is None:
        return list(writers)
    unknown = [n for n in names if n not in {w.name for w in writers}]
    if unknown:
        raise ValueError(f"no writer called {unknown[0]!r}")
    return [w for w in writers if w.name in names]


def _make_dirs(out_dir: Path, state: Path) -> None:
    for folder in (out_dir, state, state / "figures"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise BuildError(f"{folder} is a file, not a folder; nothing was written") from None
        except OSError as exc:
            raise BuildError(f"cannot create {folder}: {exc.strerror}; nothing was written") from None


def _plan(writer: Writer, doc: Document, section, options: Options, out_dir: Path, digests: dict[Path, str]) -> _Plan:
    """The writer's options (its content section's, the command line's over them), its view of
    `doc` (the content file as resolved, never as typed on the command line) and its stamp key."""
    given, _ = (render.options.from_content(writer.options, section.values, section.root) if section is not None
                else ({}, []))  # the section's problems were reported when it was read
    given.update({k: v.resolve() if isinstance(v, Path) else v
                  for k, v in options.settings.get(writer.name, {}).items() if v is not None})
    settings = writer.make_options(given)
    view = writer.view(dataclasses.replace(doc, source=doc.source.resolve()))
    dest = out_dir / f"{doc.meta.slug}{writer.suffix}"
    return _Plan(writer, settings, view, dest, stamps.key(view, writer, settings, digests),
                 out_dir / STATE_DIR / f"{dest.name}.stamp")


def _is_fresh(plan: _Plan) -> bool:
    return plan.dest.is_file() and stamps.read(plan.stamp).get("key") == plan.key


def _render_all(doc: Document, plans: list[_Plan], temporaries: dict[str, Path], context: Context,
                early: ahead.Ahead | None = None, todo: list | None = None) -> dict:
    """Draw the figures the plans need, then render each plan into its temporary file.

    With figures to draw, every render starts first in a forked process that prepares (imports
    its libraries, loads its fonts) while the figures are drawn, then renders; without, the
    renders go to `early` (which has imported the libraries meanwhile; the writers it left to this
    process render here at the same time) if there is one, else the first renders here and the
    others in forked processes. `todo`, when given, is what `_figures_to_draw` returned already.
    """
    if todo is None:
        todo = _figures_to_draw(doc, plans, context)
    if early is not None and plans and not todo:
        outcome = early.render(doc, plans, temporaries, context, _render)
        if outcome[0] != "ok":
            _reraise(outcome)
        return outcome[1]
    if early is not None:  # nothing for it (the renders prepare in their own processes while figures are drawn)
        early.release()
    if not _can_fork() or (len(plans) < 2 and not todo):
        context = _draw_figures(doc, todo, context)
        return {p.writer.name: _render(doc, p, temporaries[p.writer.name], context) for p in plans}
    fork = multiprocessing.get_context("fork")
    drawn = dataclasses.replace(context, redraw_figures=False) if todo else context
    # set once the figures are drawn (`stop` too if they never will be): the early renders wait for it
    ready, stop = (fork.Event(), fork.Event()) if todo else (None, None)
    children = []
    finished = False
    try:
        for plan in plans if todo else plans[1:]:
            receive, send = fork.Pipe(duplex=False)
            child = fork.Process(target=_render_in_child,
                                 args=(send, ready, stop, doc, plan, temporaries[plan.writer.name], drawn))
            child.start()
            send.close()
            children.append((plan, child, receive))
        results = {}
        failures: list[str] = []
        crash = None
        if ready is not None:  # made when there are figures to draw
            _draw_figures(doc, todo, context)
            ready.set()
        else:
            first = plans[0]
            try:
                results[first.writer.name] = _render(doc, first, temporaries[first.writer.name], context)
            except BuildError as exc:
                failures.append(str(exc))
        for plan, child, receive in children:
            outcome = _outcome(receive, child, plan.writer.name)
            child.join()
            if outcome[0] == "ok":
                results[plan.writer.name] = outcome[1]
            elif outcome[0] == "crash":
                crash = crash or outcome
            else:
                failures.append(outcome[1])
        finished = True
    finally:
        if not finished and stop is not None and ready is not None:  # Ctrl-C or a bug: the children waiting stop
            stop.set()
            ready.set()
        for _, child, _ in children:  # every child collected, whatever happened
            child.join()
    if crash is not None:  # a bug outranks a message
        _reraise(crash)
    if failures:
        raise BuildError("\n".join(failures))
    return results


def _figures_to_draw(doc: Document, plans: list[_Plan], context: Context) -> list:
    """The drawings the plans' writers will use that the figure cache lacks (or all, to redraw)."""
    requests = [a for p in plans for a in p.writer.artwork(p.view, p.options)]
    if not requests:
        return []
    from . import figures

    return figures.drawings(requests, attacks=doc.attacks, places=doc.places, style=doc.style,
                            cache_dir=context.figure_cache, force=context.redraw_figures)


def _draw_figures(doc: Document, todo: list, context: Context) -> Context:
    """Draw `todo` once, on both cores; the writers then find every drawing made (and may no
    longer be asked to redraw). A drawing that fails is a bug in the drawing code: its error
    stops the build, whichever process met it."""
    if not todo:
        return context
    from .figures import style

    style.matplotlib(doc.style.sans)  # imported once, before forking: every process shares it
    mine: list = []
    theirs: list = []
    for drawing in sorted(todo, key=lambda d: -d.cost):  # the longest first, each to the less loaded side
        (mine if sum(d.cost for d in mine) <= sum(d.cost for d in theirs) else theirs).append(drawing)
    child = receive = None
    if theirs and _can_fork():
        fork = multiprocessing.get_context("fork")
        receive, send = fork.Pipe(duplex=False)
        child = fork.Process(target=_draw_in_child, args=(send, doc, theirs, context.figure_cache))
        child.start()
        send.close()
    else:
        mine += theirs
    try:
        _draw(doc, mine, context.figure_cache)
    finally:  # the other half is waited for even when this one failed: its error is the second
        if child is not None and receive is not None:
            outcome = _outcome(receive, child, "drawing the figures")
            child.join()
    if child is not None and outcome[0] != "ok":
        _reraise(outcome)
    return dataclasses.replace(context, redraw_figures=False)


def _can_fork() -> bool:
    """Whether work can go to a forked process (not where there is no fork, nor from a daemonic
    process, which may have no children: a build run inside a worker pool)."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def _draw(doc: Document, todo: list, cache: Path) -> None:
    from . import figures

    for drawing in todo:
        figures.draw(drawing, attacks=doc.attacks, places=doc.places, style=doc.style, cache_dir=cache)


def _draw_in_child(send, doc: Document, todo: list, cache: Path) -> None:
    try:
        send.send(("ok", bugs.guarded(_draw, doc, todo, cache)))
    except bugs.Unexpected as bug:  # raised again by the parent; the child has no terminal of its own
        send.send(("crash", bug))
    finally:
        send.close()
        compiled.save()


def _outcome(receive, child, what: str) -> tuple:
    """What a forked process sent: ("ok", value), ("error", message) or ("crash", a `bugs.Unexpected`)."""
    try:
        return receive.recv()
    except EOFError:
        child.join()
        return "error", f"{what}: the process stopped unexpectedly (exit code {child.exitcode})"


def _reraise(outcome: tuple) -> None:
    """Raise what a forked process met: a message as a BuildError, an unexpected error as itself
    (an internal error: exit 1, and --debug shows the forked process's traceback too)."""
    if outcome[0] == "crash":
        bug = outcome[1]
        bug.error.add_note(f"raised in a forked process:\n{bug.trace.rstrip()}")
        raise bug.error
    raise BuildError(str(outcome[1]))


def _render_in_child(send, ready, stop, doc: Document, plan: _Plan, tmp: Path, context: Context) -> None:
    # Ctrl-C reaches the whole process group: the parent decides; this render finishes whole.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result = bugs.guarded(_prepare_and_render, ready, stop, doc, plan, tmp, context,
                              expected=(BuildError, RenderError))
        if result is not None:
            send.send(("ok", result))
    except BuildError as exc:
        send.send(("error", str(exc)))
    except RenderError as exc:  # from `prepare`: said as `_render` says it
        send.send(("error", f"{doc.source}: {exc}"))
    except bugs.Unexpected as bug:  # raised again by the parent; the child has no terminal of its own
        send.send(("crash", bug))
    finally:
        send.close()
        compiled.save()  # what the child compiled, for the next run


def _prepare_and_render(ready, stop, doc: Document, plan: _Plan, tmp: Path,
                        context: Context) -> tuple[Rendered, float] | None:
    """In a forked render: prepare while the figures are drawn, then render (None: the build stopped first)."""
    if ready is not None:  # the figures are being drawn: prepare, then wait for them
        plan.writer.prepare(plan.view, plan.options)
        ready.wait()
        if stop.is_set():  # the build stopped before the figures were drawn: nothing to render
            return None
    return _render(doc, plan, tmp, context)


def _render(doc: Document, plan: _Plan, tmp: Path, context: Context) -> tuple[Rendered, float]:
    started = time.perf_counter()
    try:
        result = plan.writer.render(plan.view, tmp, plan.options, context)
    except RenderError as exc:
        raise BuildError(f"{doc.source}: {exc}") from None
    return result, time.perf_counter() - started
