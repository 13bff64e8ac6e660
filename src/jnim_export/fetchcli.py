"""`jnim-export events fetch`: ACLED's API to a CSV in the export tool's layout (the command line part)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click


def add_fetch(group: click.Group) -> None:
    """Register `fetch` on the `events` group (which guards its commands as every command is guarded)."""

    @group.command("fetch")
    @click.option("--country", "countries", multiple=True, help="Only events in this country, as ACLED names it "
                  "(repeatable).")
    @click.option("--from", "start", help="First month (YYYY-MM) or day (YYYY-MM-DD), inclusive.")
    @click.option("--to", "end", help="Last month (YYYY-MM) or day (YYYY-MM-DD), inclusive.")
    @click.option("--actor", "actors", multiple=True, help="Only events whose actor1, actor2 or associated actors "
                  "contain this text (repeatable; ACLED's filter is a substring match, so this may fetch more than "
                  "`events import --actor` then counts).")
    @click.option("--since", "previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="Update this earlier fetch: events added or changed since its newest timestamp, and "
                  "deletions; written back to it unless --out is given. Repeat the filters it was fetched with.")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
                  help="Where to write the CSV (default: the user's data folder, "
                  "~/.local/share/jnim-export/acled/).")
    @click.option("--in-project", is_flag=True, help="Allow --out inside a project folder (one with content.yaml "
                  "or .git): ACLED's terms forbid redistributing raw rows.")
    def events_fetch(countries, start, end, actors, previous, out, in_project) -> None:
        """Fetch events from ACLED's API into a CSV that `events import` and `events actors` read.

        Signs in with ACLED_USERNAME and ACLED_PASSWORD (or the netrc entry for the API's host);
        the access token is cached in ~/.cache/jnim-export/ (mode 0600) and refreshed. ACLED_API_BASE
        sets another API address (https; http only on 127.0.0.1 or localhost).
        """
        from .clikit import Failure
        from .events.fetch import FetchError, Query, Session, api_base, cache_folder, credentials
        from .events.fetched import check_place, data_folder, default_name, fetch
        from .events.imports import EventImportError, _bound

        try:
            first, last = _bound(start, "from", last=False), _bound(end, "to", last=True)
        except EventImportError as exc:
            raise click.BadParameter(str(exc)) from None
        if first and last and first > last:
            raise click.BadParameter(f"--from {start} is after --to {end}")
        query = Query(tuple(c.strip() for c in countries if c.strip()), first, last,
                      tuple(a.strip() for a in actors if a.strip()))
        target = out or previous or data_folder() / default_name(query, date.today())
        password = ""
        try:
            check_place(target, in_project)
            base = api_base()
            username, password = credentials(base)
            session = Session(base, username, password, cache_folder())
            done = fetch(session, query, target, previous)
        except FetchError as exc:
            message = str(exc).replace(password, "…") if password else str(exc)  # no message has it; if one did
            raise Failure(f"events fetch: {message}.") from None
        if previous is not None:
            click.echo(f"updated from {previous} (events changed since timestamp {done.since}): {done.added} new, "
                       f"{done.changed} changed, {done.deleted} deleted")
        click.echo(f"{done.rows} events written to {done.out} ({done.read} read in {done.requests} requests)")
        click.echo("ACLED's terms: cite ACLED (acleddata.com) wherever these data are used, and do not "
                   "redistribute the raw rows.")
