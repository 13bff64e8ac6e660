"""A process forked as a build starts: it imports the writers' libraries (`Writer.libraries`) on
the other core while the content is read (but not those of a writer that does not show the
body, `Writer.shows_body`: the commonest edit leaves its output fresh), then renders the stale
outputs, so that a fresh process's edit rebuild no longer imports ReportLab after the reading.
Of the writers that show the body, only the first (the PDF, whose imports and render take longest)
is rendered here; the others are left to the build's own process, which reads the content in a
third of the time those imports take: it imports their libraries once the content is read and
renders them one after the other beside the render here, so both cores are busy to the end.

Used only where a fork is possible and the libraries are not loaded yet (a `watch` process has
them). The renders go through the build's own `render_all`, inside this process and what it
forks, and the outcome comes back as a forked render's does: ("ok", results), ("error",
message) or ("crash", a `bugs.Unexpected`).
"""

from __future__ import annotations

import importlib
import multiprocessing
import signal
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from . import bugs, compiled
from .render import Writer


class Ahead:
    """The forked process; `render` hands it the stale outputs, `close` lets it go."""

    def __init__(self, writers: list[Writer], render_all: Callable) -> None:
        body = [w.name for w in writers if w.shows_body]
        self.here = set(body[1:])  # the writers left to the build's own process
        fork = multiprocessing.get_context("fork")
        self._jobs, send_jobs = fork.Pipe(duplex=False)
        self._outcome, self._send = fork.Pipe(duplex=False)
        self._child = fork.Process(target=_serve, args=(self._jobs, self._send, send_jobs,
                                                        [w for w in writers if w.name not in self.here], render_all))
        self._child.start()
        self._send.close()
        self._jobs.close()
        self._to_child = send_jobs
        self._sent = False

    def render(self, doc, plans: list, temporaries: dict, context, here: Callable) -> tuple:
        """Render `plans`: those of the writers left to this process here with `here` (the
        build's `_render`), the others there, at once. What `render_all` and `here` gave, as ("ok",
        results), or what went wrong: a bug before a message, both messages if both failed."""
        from .build import BuildError

        mine = [p for p in plans if p.writer.name in self.here]
        theirs = [p for p in plans if p.writer.name not in self.here]
        if theirs:
            self._sent = True
            jobs = [(p.writer.name, {k: getattr(p, k) for k in ("options", "view", "dest", "key", "stamp")})
                    for p in theirs]
            self._to_child.send((doc, jobs, temporaries, context))
            self._to_child.close()
        else:
            self.release()
        results: dict[str, Any] = {}
        outcome: tuple = ("ok", results)
        try:
            for plan in mine:
                results[plan.writer.name] = here(doc, plan, temporaries[plan.writer.name], context)
        except BuildError as exc:
            outcome = ("error", str(exc))
        finally:  # the renders there are waited for however this one ended
            there = self._receive() if theirs else ("ok", {})
        if there[0] == "crash" or outcome[0] == "ok" and there[0] != "ok":
            return there
        if outcome[0] == "ok":
            return "ok", {**there[1], **results}
        return ("error", f"{outcome[1]}\n{there[1]}") if there[0] == "error" else outcome

    def _receive(self) -> tuple:
        try:
            return self._outcome.recv()
        except EOFError:
            self._child.join()
            return "error", f"rendering: the process stopped unexpectedly (exit code {self._child.exitcode})"

    def release(self) -> None:
        """Stop the process if it was given nothing to render: until then it only imports, so
        stopping it at once loses nothing (a build with figures to draw, or nothing stale)."""
        if not self._sent:
            self._sent = True
            self._child.kill()
            self._to_child.close()

    def close(self) -> None:
        """Let the process go, and wait for it."""
        self.release()
        self._child.join()


def load(writers: list[Writer], until: Callable[[], bool] = lambda: False) -> None:
    """Import the writers' libraries (stopping early once `until()` is true): a process that has
    them forks nothing ahead."""
    for name in dict.fromkeys(n for w in writers for n in w.libraries):
        if until():
            return
        importlib.import_module(name)


@contextmanager
def started(writers: list[Writer], render_all: Callable, wanted: bool = True) -> Iterator[Ahead | None]:
    """`start` (if `wanted`), and the process let go (and waited for) however the build ends."""
    early = start(writers, render_all) if wanted else None
    try:
        yield early
    finally:
        if early is not None:
            early.close()


def start(writers: list[Writer], render_all: Callable) -> Ahead | None:
    """The process, or None where there is no fork, the build runs in a daemonic process (a
    worker pool's, which may have no children) or every library is loaded already."""
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return None
    if all(name in sys.modules for w in writers for name in w.libraries):
        return None
    return Ahead(writers, render_all)


def _serve(jobs, send, parents_end, writers: list[Writer], render_all: Callable) -> None:
    from .build import BuildError

    parents_end.close()  # so that a build gone without a word (killed) is an end of file here, not a wait
    # Ctrl-C reaches the whole process group: the parent decides; a render finishes whole. A
    # handler the build's process set for SIGTERM (watch's) is not this process's.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        # once the plans are ready, a render imports what it still needs itself
        load([w for w in writers if w.shows_body], until=jobs.poll)
        try:
            job = jobs.recv()
        except EOFError:  # the build ended without rendering
            return
        if job is None:
            return
        send.send(("ok", bugs.guarded(_render, job, writers, render_all, expected=(BuildError,))))
    except BuildError as exc:
        send.send(("error", str(exc)))
    except bugs.Unexpected as bug:  # raised again by the parent; this process has no terminal of its own
        send.send(("crash", bug))
    finally:
        send.close()
        compiled.save()


def _render(job: tuple, writers: list[Writer], render_all: Callable) -> dict[str, Any]:
    from .build import _Plan

    doc, planned, temporaries, context = job
    by_name = {w.name: w for w in writers}
    plans = [_Plan(by_name[name], **fields) for name, fields in planned]
    return render_all(doc, plans, temporaries, context, todo=[])  # sent only once every figure is drawn
