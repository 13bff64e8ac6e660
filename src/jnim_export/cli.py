"""The `jnim-export` command line: parse arguments, call the library, print results.

Exit codes: 0 success, 1 content or data error, 2 usage error.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import sys
import threading
import time
from pathlib import Path

import click

from . import compiled

compiled.install()  # before the imports below: what they compile comes from the kept files

from . import __version__, dates, sourcescli
from .clikit import Failure, UserSetupError, _Command, _Group
from .eventscli import events
from .render import WRITERS, Writer

DEFAULT_CONTENT = "content.yaml"
content_argument = click.argument(
    "content", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_CONTENT, required=False
)


def _build_error() -> type[Exception]:
    """BuildError, imported only once an error is met (an `except` clause is evaluated then): what
    does not build (`validate`) never imports the build's modules."""
    from .build import BuildError

    return BuildError


def _fail_on_content_errors(fn):
    """Turn content and build errors into a clean exit-1 message; --debug re-raises."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .content import ContentError

        try:
            return fn(*args, **kwargs)
        except _build_error() as exc:
            if click.get_current_context().obj.get("debug"):
                raise
            raise Failure(f"{exc}\nbuild failed; no output was changed.") from None
        except ContentError as exc:
            if click.get_current_context().obj.get("debug"):
                raise
            errors = len(exc.errors)
            summary = f"{errors} error{'s' * (errors != 1)}"
            raise Failure(f"{exc}\n{summary}; nothing was written.") from None

    return wrapper


def make_cli(writers: tuple[Writer, ...] = WRITERS) -> click.Group:
    """The command line for `writers` (the installed program's: the registry, `render.WRITERS`).

    Each writer's settings become options of `build`, of the writer's own command and of
    `watch`; writers with a setting of the same name share its flag if it has the same type, and
    are refused here, at import, if not.
    """
    flags = _setting_flags(writers)

    @click.group(
        cls=_Group,
        context_settings={"help_option_names": ["-h", "--help"]},
        epilog="Exit codes: 0 success, 1 content or data error, 2 usage error.",
    )
    @click.version_option(__version__, prog_name="jnim-export")
    @click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected errors.")
    @click.pass_context
    def main(ctx: click.Context, debug: bool) -> None:
        """Build a footnoted PDF backgrounder and a slide deck from one YAML content file."""
        ctx.obj = {"debug": debug}
        try:
            dates.source_date_epoch()
        except dates.BadSourceDateEpoch as exc:
            raise UserSetupError(str(exc)) from None

    @main.command()
    @content_argument
    @click.option("--strict", is_flag=True, help="Treat warnings as errors (exit code 1).")
    @_fail_on_content_errors
    def validate(content: Path, strict: bool) -> None:
        """Check CONTENT (default: content.yaml) and report every problem with FILE:LINE:COLUMN.

        The writers' sections (`pdf:`, `slides:` …) are checked against their settings too.
        """
        from .reading import read

        doc = read(content, writers).document
        for warning in doc.warnings:
            click.echo(warning, err=True)
        n = len(doc.warnings)
        if strict and n:
            raise Failure(f"{n} warning{'s' * (n != 1)}, errors with --strict")
        click.echo(
            f"{content}: ok — {len(doc.sections)} sections, {len(doc.notes)} notes, {len(doc.figures)} figures"
            + (f", {n} warning{'s' * (n != 1)}" if n else "")
        )

    @main.command()
    @click.argument("contents", nargs=-1, metavar="[CONTENT]...", default=(DEFAULT_CONTENT,),
                    type=click.Path(dir_okay=False, path_type=Path))
    @_build_options
    @click.option("--jobs", "-j", type=click.IntRange(min=1), help="Backgrounders built at once (default: one per core).")
    @click.option("--site", type=click.Path(file_okay=False, path_type=Path),
                  help="Also copy every output into this folder, with an index.html listing them.")
    @_setting_options(writers, flags)
    @_fail_on_content_errors
    def build(contents: tuple[Path, ...], jobs: int | None, site: Path | None, **kw) -> None:
        """Build every output from CONTENT (default: content.yaml) into output/ beside it.

        Only stale outputs are rendered, each into a temporary file; they are renamed into place
        only when all succeeded, so a failed or interrupted build changes no output.

        Several CONTENT files are a series: each builds into its own output/, JOBS at a time,
        sharing one figure cache; one that fails stops none of the others (exit code 1 at the end).
        Exit codes: 0 built, 1 content or data error, 2 usage error.
        """
        if len(contents) <= 1 and jobs is None and site is None:
            _run_build(contents[0] if contents else Path(DEFAULT_CONTENT), None, writers, **kw)
        else:
            _run_series(list(contents) or [Path(DEFAULT_CONTENT)], writers, jobs, site, **kw)

    for writer in writers:
        main.add_command(_writer_command(writer, writers, flags))
    main.add_command(_watch_command(writers, flags))
    main.add_command(init)
    main.add_command(events)
    main.add_command(review)
    main.add_command(template)
    main.add_command(sourcescli.make_group(_Group, Failure))
    return main


def _build_options(f):
    f = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: output/ beside CONTENT).")(f)
    f = click.option("--force", is_flag=True, help="Render even outputs that are up to date.")(f)
    f = click.option("--no-cache", "redraw_figures", is_flag=True, help="Redraw the figures instead of using the cache.")(f)
    f = click.option("--strict", is_flag=True, help="Treat warnings as errors: exit code 1 and no output changed.")(f)
    f = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")(f)
    return f


RESERVED = {"--out", "--force", "--no-cache", "--cache", "--strict", "--no-strict", "--quiet", "--json", "--debug",
            "--help", "--version", "--jobs", "--site"}  # the commands' own options: no setting may take one of these


def _setting_flags(writers) -> dict[str, list[tuple[Writer, str]]]:
    """{flag: the (writer, setting) pairs it sets}. Refuses (a ValueError, at import) a flag two
    settings would take with different types, or one the commands have.

    A setting's flag is its name with dashes for underscores (`reference_doc`: `--reference-doc`;
    a bool also has `--no-reference-doc`). Flags are not prefixed by the writer: writers with a
    setting of the same name and type (the PDF's and the Word edition's `notes`) share its flag,
    which sets it for each; the same name with another type is refused.
    """
    from .render.options import settings

    flags: dict[str, list[tuple[Writer, str]]] = {}
    kinds: dict[str, tuple] = {}  # flag -> the type of the settings it sets
    taken = {f: "the command line" for f in RESERVED}  # every option string -> who has it
    for w in writers:
        for name, kind in settings(w.options).items():
            flag = "--" + name.replace("_", "-")
            if flag in kinds and kinds[flag] != kind:
                raise ValueError(f"writer {w.name!r}: setting {name!r} would be {flag}, which {taken[flag]} has "
                                 "with another type: rename one (a setting's name is its command-line flag)")
            if flag not in kinds:
                strings = (flag, "--no-" + flag[2:]) if kind[0] is bool else (flag,)
                clash = next((f for f in strings if f in taken), None)
                if clash:
                    raise ValueError(f"writer {w.name!r}: setting {name!r} would be {clash}, which {taken[clash]} "
                                     "already has: rename it (a setting's name is its command-line flag)")
                taken.update({f: f"writer {w.name!r}" for f in strings})
                kinds[flag] = kind
            flags.setdefault(flag, []).append((w, name))
    return flags


_CLICK_TYPES = {int: click.INT, float: click.FLOAT, str: click.STRING,
                Path: click.Path(exists=True, dir_okay=False, path_type=Path)}


def _setting_options(writers, flags):
    """Click options for the settings of `writers` (one per flag, however many writers share it)."""
    from .render.options import settings

    mine = {w.name for w in writers}

    def decorate(f):
        for flag, users in reversed(flags.items()):
            users = [(w, name) for w, name in users if w.name in mine]
            if not users:
                continue
            kind, choices = settings(users[0][0].options)[users[0][1]]
            fields = [next(x for x in dataclasses.fields(w.options) if x.name == name) for w, name in users]
            shown = {"--no-" + flag[2:] if kind is bool and not x.default else flag if kind is bool else x.default
                     for x in fields}
            default = f", else {shown.pop()}" if len(shown) == 1 and None not in shown else ""
            who = f" ({', '.join(w.name for w, _ in users)})" if len(users) > 1 else ""
            help_text = f"{fields[0].metadata.get('help', '')}{who} (default: from the content{default})"
            dest = "__".join([*(w.name for w, _ in users), users[0][1]])
            if kind is bool:
                f = click.option(f"{flag}/--no-{flag[2:]}", dest, default=None, help=help_text)(f)
            else:
                click_type = click.Choice(choices) if choices else _CLICK_TYPES[kind]
                f = click.option(flag, dest, type=click_type, help=help_text)(f)
        return f

    return decorate


def _split_settings(kw: dict) -> dict:
    """Pop the writer settings out of `kw`: {writer name: {setting: value}}, unset ones left out."""
    settings: dict[str, dict] = {}
    for key in [k for k in kw if "__" in k]:
        *names, setting = key.split("__")  # a flag several writers share sets each of them
        value = kw.pop(key)
        if value is not None:
            for name in names:
                settings.setdefault(name, {})[setting] = value
    return settings


def _run_build(content: Path, names, writers, *, quiet: bool, as_json: bool, **kw) -> None:
    from .build import BuildError, Options, build
    from .content import ContentError

    settings = _split_settings(kw)
    try:
        report = build(content, names, Options(settings=settings, writers=writers, **kw))
    except (BuildError, ContentError) as exc:
        if as_json:
            from .series import failure_json  # the series' imports (0.02 s) only for this

            click.echo(json.dumps(failure_json(exc), indent=1))
        raise
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=1))
        return
    if quiet:
        return
    for warning in report.warnings:
        click.echo(f"warning: {warning}" if not warning.startswith(str(content)) else warning, err=True)
    for out in report.outputs:
        click.echo(out.describe())
    written = sum(not o.skipped for o in report.outputs)
    click.echo(
        f"{written} written, {len(report.outputs) - written} up to date, {len(report.warnings)} "
        f"warning{'s' * (len(report.warnings) != 1)} "
        f"in {report.seconds:.2f} s"
    )


def _run_series(contents: list[Path], writers, jobs: int | None, site: Path | None, *, quiet: bool, as_json: bool,
                **kw) -> None:
    """Build a series (`series.run`): its summary or JSON; exit 1 if any backgrounder failed."""
    from .build import Options
    from .series import SeriesError, run
    from .site import SiteError

    options = Options(settings=_split_settings(kw), writers=writers, **kw)
    try:
        report = run(contents, options, jobs, site)
    except SeriesError as exc:
        raise UserSetupError(str(exc)) from None
    except SiteError as exc:
        raise Failure(f"{site}: {exc}") from None
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=1))
    else:
        for line, to_err in report.lines(quiet, debug=click.get_current_context().obj.get("debug", False)):
            click.echo(line, err=to_err)
    if report.failed:
        sys.exit(1)


def _writer_command(writer, writers, flags) -> click.Command:
    @click.command(writer.name, cls=_Command, help=f"Build only {writer.title} ({writer.suffix}).")
    @content_argument
    @_build_options
    @_setting_options([writer], flags)
    @_fail_on_content_errors
    def command(content: Path, **kw) -> None:
        _run_build(content, (writer.name,), writers, **kw)

    return command


def _watch_command(writers, flags) -> click.Command:
    @click.command(cls=_Command)
    @content_argument
    @click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: output/ beside CONTENT).")
    @_setting_options(writers, flags)
    def watch(content: Path, **kw) -> None:
        """Rebuild every output whenever CONTENT, assets/ or a setting file change (Ctrl-C ends)."""
        from .build import Options
        from .watch import watch as watch_and_build

        shown: set[str] = set()  # warnings already printed: each rebuild repeats only new ones

        def on_build(report, error, seconds: float) -> None:
            stamp = time.strftime("%H:%M:%S")
            if error is not None:
                click.echo(f"[{stamp}] {error}\n[{stamp}] not rebuilt: the last good outputs are kept", err=True)
                return
            for warning in report.warnings:
                if warning not in shown:
                    click.echo(f"[{stamp}] {warning}", err=True)
            shown.clear()
            shown.update(report.warnings)
            done = ", ".join(f"{o.path.name} ({'up to date' if o.skipped else f'{o.seconds:.2f} s'})"
                             for o in report.outputs)
            click.echo(f"[{stamp}] built in {seconds:.2f} s: {done}")

        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # a service manager's stop ends it as cleanly as Ctrl-C
        click.echo(f"watching {content} and its assets; Ctrl-C to stop")
        options = Options(settings=_split_settings(kw), writers=writers, **kw)
        try:
            watch_and_build(content, None, options, on_build, stop)
        except KeyboardInterrupt:
            pass  # Ctrl-C during a rebuild: each output is renamed into place whole or not at all
        click.echo("stopped")

    return watch


@click.command(cls=_Command)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Create a new backgrounder project in FOLDER: a commented content.yaml and assets/."""
    from .scaffold import ProjectExists, init_project

    try:
        content = init_project(folder)
    except ProjectExists as exc:
        raise Failure(str(exc)) from None
    except OSError as exc:
        raise UserSetupError(f"cannot create a project in {folder}: {exc.strerror or exc}") from None
    click.echo(f"created {content}; next: jnim-export build {content}")


@click.command(cls=_Command)
@click.argument("edited", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--content", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_CONTENT,
              show_default=True, help="The content file the Word edition was built from.")
@click.option("--apply", "apply_changes", is_flag=True, help="Write the tracked changes into the content file (all or none).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_fail_on_content_errors
def review(edited: Path, content: Path, apply_changes: bool, as_json: bool) -> None:
    """Report an edited Word edition's tracked changes and comments at their content lines.

    Each change prints as CONTENT:LINE:COLUMN: WHERE: "old" → "new" (AUTHOR, DATE), each comment
    as a note: line. With --apply, insertions and deletions are written into the content file in
    place, only the changed characters; a change that cuts a note callout, emphasis or a link
    is refused and nothing is applied.
    """
    from . import review as rv

    try:
        report = rv.review(edited, content)
    except rv.WordFileError as exc:
        raise Failure(f"{edited}: {exc}") from None
    applied = False
    if apply_changes and report.edits and not report.problems:
        rv.apply(report)
        applied = True
    if as_json:
        click.echo(json.dumps({**report.as_json(), "applied": applied}, ensure_ascii=False))
    else:
        for line in report.lines():
            click.echo(line)
        summary = f"{len(report.changes)} change{'s' * (len(report.changes) != 1)}"
        summary += f", {len(report.notes)} comment{'s' * (len(report.notes) != 1)}"
        if report.applied_before:
            summary += f", {report.applied_before} already in {content}"
        if applied:
            summary += f"; applied to {content}"
        elif apply_changes and report.problems:
            summary += f"; {len(report.problems)} refused, so nothing was applied"
        elif not report.edits:
            summary += "; nothing left to apply"
        click.echo(summary)
    if report.problems:
        sys.exit(1)


@click.group(cls=_Group)
def template() -> None:
    """Look at a slide template before building on it."""


@template.command("check")
@click.argument("pptx", type=click.Path(dir_okay=False, path_type=Path))
def template_check(pptx: Path) -> None:
    """Print which layout of PPTX each slide kind uses and why, and what the deck derives."""
    from .render.pptx.template import explain
    from .render.writer import RenderError

    try:
        lines = explain(pptx)
    except RenderError as exc:
        raise Failure(str(exc)) from None
    click.echo("\n".join(lines))


main = make_cli()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
