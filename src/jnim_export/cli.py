"""The `jnim-export` command line: parse arguments, call the library, print results.

Exit codes: 0 success, 1 content or data error, 2 usage error.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from pathlib import Path

import click

from . import __version__

DEFAULT_CONTENT = "content.yaml"
content_argument = click.argument(
    "content", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_CONTENT, required=False
)


class Failure(click.ClickException):
    """A content or data problem: printed as-is, exit code 1, no traceback."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit codes: 0 success, 1 content or data error, 2 usage error.",
)
@click.version_option(__version__, prog_name="jnim-export")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build a footnoted PDF backgrounder and a slide deck from one YAML content file."""
    ctx.obj = {"debug": debug}


def _fail_on_content_errors(fn):
    """Turn content and build errors into a clean exit-1 message; --debug re-raises."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .build import BuildError
        from .content import ContentError

        try:
            return fn(*args, **kwargs)
        except BuildError as exc:
            if click.get_current_context().obj.get("debug"):
                raise
            raise Failure(f"{exc}\nbuild failed; the previous output is kept.") from None
        except ContentError as exc:
            if click.get_current_context().obj.get("debug"):
                raise
            errors = len(exc.errors)
            summary = f"{errors} error{'s' * (errors != 1)}"
            raise Failure(f"{exc}\n{summary}; nothing was written.") from None

    return wrapper


@main.command()
@content_argument
@_fail_on_content_errors
def validate(content: Path) -> None:
    """Check CONTENT (default: content.yaml) and report every problem with FILE:LINE:COLUMN."""
    from .content import load

    doc = load(content)
    for warning in doc.warnings:
        click.echo(warning, err=True)
    n = len(doc.warnings)
    click.echo(
        f"{content}: ok — {len(doc.sections)} sections, {len(doc.notes)} notes, {len(doc.figures)} figures"
        + (f", {n} warning{'s' * (n != 1)}" if n else "")
    )


def _build_options(f):
    f = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: output/ beside CONTENT).")(f)
    f = click.option("--force", is_flag=True, help="Render even outputs that are up to date.")(f)
    f = click.option("--no-cache", is_flag=True, help="Redraw the figures instead of using the cache.")(f)
    f = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")(f)
    return f


def _pdf_options(f):
    f = click.option("--notes", type=click.Choice(["endnotes", "footnotes"]), help="Note placement (default: from the content).")(f)
    f = click.option("--paper", type=click.Choice(["letter", "a4"]), help="Paper size (default: from the content).")(f)
    return f


def _slides_options(f):
    f = click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A .pptx whose master, theme and layouts to use.")(f)
    f = click.option("--citations", type=click.Choice(["notes", "footer"]), help="Note texts in speaker notes or the slide footer.")(f)
    return f


def _run_build(content: Path, targets, *, quiet: bool, as_json: bool, **kw) -> None:
    from .build import Options, build

    report = build(content, targets, Options(**kw))
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


@main.command()
@content_argument
@_build_options
@_pdf_options
@_slides_options
@_fail_on_content_errors
def build(content: Path, **kw) -> None:
    """Build the PDF and the slide deck from CONTENT into output/.

    Only stale outputs are rendered; each is written to a temporary file and renamed into
    place, so a failed or interrupted build leaves the previous output intact.
    Exit codes: 0 built, 1 content or data error, 2 usage error.
    """
    _run_build(content, ("pdf", "slides"), **kw)


@main.command()
@content_argument
@_build_options
@_pdf_options
@_fail_on_content_errors
def pdf(content: Path, **kw) -> None:
    """Build only the PDF backgrounder."""
    _run_build(content, ("pdf",), **kw)


@main.command()
@content_argument
@_build_options
@_slides_options
@_fail_on_content_errors
def slides(content: Path, **kw) -> None:
    """Build only the slide deck."""
    _run_build(content, ("slides",), **kw)


@main.command()
@content_argument
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: output/ beside CONTENT).")
@_pdf_options
@_slides_options
def watch(content: Path, **kw) -> None:
    """Rebuild both outputs whenever CONTENT, assets/ or the template change (Ctrl-C ends)."""
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
        done = ", ".join(f"{o.path.name} ({'up to date' if o.skipped else f'{o.seconds:.2f} s'})" for o in report.outputs)
        click.echo(f"[{stamp}] built in {seconds:.2f} s: {done}")

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # a service manager's stop ends it as cleanly as Ctrl-C
    click.echo(f"watching {content} and its assets; Ctrl-C to stop")
    try:
        watch_and_build(content, ("pdf", "slides"), Options(**kw), on_build, stop)
    except KeyboardInterrupt:
        pass  # Ctrl-C during a rebuild: each output is renamed into place whole or not at all
    click.echo("stopped")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Create a new backgrounder project in FOLDER: a commented content.yaml and assets/."""
    from .scaffold import ProjectExists, init_project

    try:
        content = init_project(folder)
    except ProjectExists as exc:
        raise Failure(str(exc)) from None
    click.echo(f"created {content}; next: jnim-export build {content}")


@main.group()
def events() -> None:
    """Import event data (ACLED exports) into aggregates the content can chart and map."""


@events.command("import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", "actors", multiple=True, required=True, help="Actor name to match (repeatable), e.g. JNIM.")
@click.option("--from", "start", help="First month (YYYY-MM) or day (YYYY-MM-DD), inclusive.")
@click.option("--to", "end", help="Last month (YYYY-MM) or day (YYYY-MM-DD), inclusive.")
@click.option("--event-type", "event_types", multiple=True, help="Keep only this event category (repeatable).")
@click.option("--role", type=click.Choice(["any", "actor1"]), default="any", show_default=True, help="any: the actor in any actor field; actor1: only events it initiated.")
@click.option("--country", "countries", multiple=True, help="Keep only this country (repeatable).")
@click.option("--strict", is_flag=True, help="Stop at the first malformed row instead of skipping it.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the aggregate (JSON).")
def events_import(export: Path, actors, start, end, event_types, role, countries, strict, as_json, out) -> None:
    """Aggregate a real ACLED export (older or current layout) into monthly and per-location counts."""
    from .events import EventImportError, ImportOptions, command_line, import_acled, summary, write_aggregate

    options = ImportOptions(
        actors=tuple(actors), start=start, end=end, event_types=tuple(event_types), role=role,
        countries=tuple(countries), strict=strict,
    )
    try:
        aggregate = import_acled(export, options, command=command_line(export, options, out))
    except EventImportError as exc:
        raise Failure(f"{export}: {exc}") from None
    info = summary(aggregate)
    if out:
        write_aggregate(aggregate, out)
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False))
        return
    for skipped in info["skipped"]:
        click.echo(f"{export}:{skipped['row']}: warning: skipped row: {skipped['reason']}", err=True)
    months = info["monthly"]
    click.echo(f"{info['rows_read']} rows read, {info['rows_matched']} matched, {len(info['skipped'])} skipped")
    click.echo(f"{len(months)} months, {info['locations']} locations" + (f"; written to {out}" if out else ""))
    for month, n in months.items():
        click.echo(f"  {month}  {n:5d}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
