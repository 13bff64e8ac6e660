"""The one place a programming error is caught: it becomes an `Unexpected` that carries it, for
the command line to print in one line (or raise under --debug), `watch` to report and go on, and
a forked process to send to its parent."""

from __future__ import annotations

from typing import Any, Callable


class Unexpected(Exception):
    """A bug met while running a call: `error` is what was raised, `trace` its traceback as text.
    Pickled (a forked process sends it to its parent), the error travels as itself where it can,
    else as a RuntimeError naming it."""

    def __init__(self, error: BaseException, trace: str):
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error
        self.trace = trace

    def __reduce__(self):
        return Unexpected, (_portable(self.error), self.trace)


def guarded(call: Callable[..., Any], *args: Any, expected: tuple[type[BaseException], ...] = (), **kwargs: Any) -> Any:
    """`call(*args, **kwargs)`; an error that is neither `expected` nor a user's interrupt comes
    out as `Unexpected`."""
    try:
        return call(*args, **kwargs)
    except expected:
        raise
    except Exception as exc:  # the package's one broad catch: every bug is reported through here
        import traceback  # only on a bug: every command imports this module at start-up

        raise Unexpected(exc, "".join(traceback.format_exception(exc))) from exc


def _portable(exc: BaseException) -> BaseException:
    """`exc` itself if it survives pickling (a forked process sends it), else a RuntimeError naming it."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except (pickle.PickleError, TypeError, AttributeError, ValueError):
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
