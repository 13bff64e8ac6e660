"""`jnim-export events`: event exports in, aggregates out; the export's actor names."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .clikit import Failure, _Group
from .fetchcli import add_fetch

SHOWN_SKIPS = 20  # skipped rows listed one by one; the rest are counted


@click.group(cls=_Group)
def events() -> None:
    """Fetch event data (ACLED's API) and import exports (ACLED or UCDP GED) into aggregates the content can chart
    and map."""


add_fetch(events)


@events.command("import")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", "actors", multiple=True, required=True, help="Actor name to match (repeatable), e.g. JNIM.")
@click.option("--from", "start", help="First month (YYYY-MM) or day (YYYY-MM-DD), inclusive.")
@click.option("--to", "end", help="Last month (YYYY-MM) or day (YYYY-MM-DD), inclusive.")
@click.option("--event-type", "event_types", multiple=True, help="Keep only this event category (repeatable).")
@click.option("--role", type=click.Choice(["any", "actor1"]), default="any", show_default=True,
              help="any: the actor in any actor field (GED: side A or B); actor1: only events it initiated (side A).")
@click.option("--country", "countries", multiple=True, help="Keep only this country (repeatable).")
@click.option("--format", "layout", type=click.Choice(["auto", "acled", "ucdp-ged"]), default="auto", show_default=True,
              help="The export's layout; auto: read from its header.")
@click.option("--dataset", help="The dataset's name as figures credit it (default: ACLED or UCDP GED, by the layout).")
@click.option("--publisher", help="Who publishes the dataset (default: the known dataset's).")
@click.option("--dataset-url", "url", help="The dataset's web address (default: the known dataset's).")
@click.option("--accessed", metavar="YYYY-MM-DD", help="When the export was taken (default: today).")
@click.option("--strict", is_flag=True, help="Stop at the first malformed row instead of skipping it.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the aggregate (JSON).")
def events_import(export: Path, actors, start, end, event_types, role, countries, layout, dataset, publisher, url,
                  accessed, strict, as_json, out) -> None:
    """Aggregate an event export (ACLED, older or current layout; UCDP GED) into monthly and per-location counts,
    recording the dataset, the export's hash and the query."""
    from .events import EventImportError, ImportOptions, command_line, import_events, summary, write_aggregate

    options = ImportOptions(
        actors=tuple(actors), start=start, end=end, event_types=tuple(event_types), role=role,
        countries=tuple(countries), strict=strict, dataset=dataset, publisher=publisher, url=url, accessed=accessed,
    )
    try:
        aggregate = import_events(export, options, layout=layout,
                                  command=command_line(export, options, out, layout=layout))
    except EventImportError as exc:
        raise Failure(f"{export}: {exc}") from None
    info = summary(aggregate)
    if out:
        try:
            write_aggregate(aggregate, out)
        except EventImportError as exc:
            raise Failure(str(exc)) from None
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False))
        return
    _report(export, info, out)


def _report(export: Path, info: dict, out: Path | None) -> None:
    skipped = info["skipped"]
    for row in skipped[:SHOWN_SKIPS]:
        click.echo(f"{export}:{row['row']}: warning: skipped row: {row['reason']}", err=True)
    if len(skipped) > SHOWN_SKIPS:
        click.echo(f"{export}: warning: {len(skipped) - SHOWN_SKIPS} more rows skipped (--json lists them all)", err=True)
    months = info["monthly"]
    duplicates = f" ({info['duplicates']} repeating an event already counted)" if info["duplicates"] else ""
    how = (f"the default for an export in {info['dataset']}'s layout; --dataset names another"
           if info["dataset_default"] else "named by --dataset")
    click.echo(f"dataset: {info['dataset']} ({how}), accessed {info['accessed']}")
    click.echo(f"{info['rows_read']} rows read, {info['rows_matched']} matched, {len(skipped)} skipped{duplicates}")
    unmapped = f"; {info['unmapped']} events too vaguely located for the map" if info["unmapped"] else ""
    click.echo(f"{len(months)} months, {info['locations']} locations{unmapped}" + (f"; written to {out}" if out else ""))
    for month, n in months.items():
        click.echo(f"  {month}  {n:5d}")


@events.command("actors")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--match", "match", metavar="TEXT", help="Only names containing TEXT (any case).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N names.")
@click.option("--json", "as_json", is_flag=True, help="Print the names and counts as JSON.")
def events_actors(export: Path, match, limit, as_json) -> None:
    """List the actor names in an ACLED or UCDP GED export, with their events, most first.

    A name is actor1, actor2 or an item of assoc_actor_1 or assoc_actor_2 (GED: side_a or side_b).
    EVENTS counts the events naming it anywhere (what `events import --actor` matches), INITIATED
    those where it is actor1 or side A (what `--role actor1` matches).
    """
    from .events import EventImportError, list_actors

    try:
        found = list_actors(export, match)
    except EventImportError as exc:
        raise Failure(f"{export}: {exc}") from None
    shown = found.actors[:limit] if limit else found.actors
    if as_json:
        click.echo(json.dumps({"rows_read": found.rows_read, "layout": found.layout, "actors": [
            {"name": a.name, "events": a.events, "initiated": a.initiated} for a in shown]}, ensure_ascii=False))
        return
    if shown:
        width = max(len(f"{a.events:,}") for a in shown)
        click.echo(f"{'EVENTS':>{max(width, 6)}}  {'INITIATED':>9}  ACTOR")
        for a in shown:
            click.echo(f"{a.events:>{max(width, 6)},}  {a.initiated:>9,}  {a.name}")
    what = f" containing {match!r}" if match else ""
    more = f", {len(shown):,} shown" if len(shown) < len(found.actors) else ""
    skipped = f"; {found.unreadable:,} unreadable rows not counted" if found.unreadable else ""
    click.echo(f"{len(found.actors):,} actor names{what}{more} in {found.rows_read:,} rows{skipped}")
