"""What every command of the command line shares: its failures and its guard against bugs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import bugs, compiled


class Failure(click.ClickException):
    """A content or data problem: printed as-is, exit code 1, no traceback."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


class UserSetupError(Failure):
    """The environment or a command's target is unusable: one sentence, exit code 2."""

    exit_code = 2


class _Command(click.Command):
    """A command whose errors no handler turned into a message become one line naming the content
    file and the step, exit code 1 (--debug: the traceback).

    Every error a user can cause has a message of its own; this guard is the last line of
    defence, and the tests check that none of the known cases reaches it.
    """

    def invoke(self, ctx: click.Context):
        try:
            return bugs.guarded(super().invoke, ctx,
                                expected=(click.exceptions.Exit, click.ClickException, click.Abort))
        except bugs.Unexpected as bug:  # the last resort: a bug, not a problem of the user's
            exc = bug.error
            if (ctx.obj or {}).get("debug"):
                raise exc from None
            contents: tuple = tuple(ctx.params.get("contents") or ())  # build's: several are a series, named each on its own
            where = ctx.params.get("content") or ctx.params.get("export") or (contents[0] if len(contents) == 1 else None)
            raise Failure(f"{f'{where}: ' if where is not None else ''}{ctx.info_name} stopped on an unexpected "
                          f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)") from None


class _Group(click.Group):
    command_class = _Command
    group_class = type  # its groups are guarded the same way

    def main(self, *args, **kwargs):
        """Run; as the program itself (`jnim-export`, `python -m jnim_export.cli`), end without
        Python's teardown, which frees every object of the loaded libraries one by one (about
        0.05 s, a sixth of a `validate`) when nothing is left to do: every output is in place,
        every process forked waited for, every file closed by its `with`."""
        try:
            return super().main(*args, **kwargs)
        except SystemExit as end:
            if not _is_program():
                raise
            code = end.code
        if not isinstance(code, int):  # a message, as sys.exit prints it
            if code is not None:
                print(code, file=sys.stderr)
            code = 0 if code is None else 1
        compiled.save()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a reader gone (a closed pipe), or a stream closed
                pass
        os._exit(code)


def _is_program() -> bool:
    """Whether this process runs the command line as its main program (not a script or a test
    that calls it and goes on)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name == "jnim_export.cli":
        return True
    return Path(getattr(main, "__file__", "") or "").name == "jnim-export"
