"""`jnim-export sources import`: a reference manager's export (CSL-JSON or BibTeX) as `sources:` items."""

from __future__ import annotations

from pathlib import Path

import click


def make_group(group_class: type[click.Group], failure: type[click.ClickException]) -> click.Group:
    """The `sources` command group, built with the command line's guarded group and failure classes."""

    @click.group(cls=group_class)
    def sources() -> None:
        """Sources from a reference manager: Zotero's or Better BibTeX's CSL-JSON, or BibTeX."""

    @sources.command("import")
    @click.argument("bibliography", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--into", type=click.Path(dir_okay=False, path_type=Path),
                  help="Append them to this content file's sources (all or nothing) instead of printing them.")
    def sources_import(bibliography: Path, into: Path | None) -> None:
        """Print BIBLIOGRAPHY's entries (.json or .bib) as YAML `sources:` items, or write them --into a content file.

        Entries are mapped as `bibliography:` in the content maps them, so that the notes built
        from the items are the notes built from the file. An id the content file already
        defines is refused, and nothing is written.
        """
        from .content import ContentError
        from .content.bibliography import read
        from .content.edits import append_sources, sources_text

        bib = read(bibliography)
        if bib.problems:
            raise failure(f"{ContentError(list(bib.problems))}\n{_errors(len(bib.problems))}; nothing was imported.")
        items = [entry.item() for entry in bib.entries]
        if not items:
            raise failure(f"{bibliography}: no entries to import")
        if into is None:
            click.echo(sources_text(items), nl=False)
            click.echo(f"{len(items)} source{'s' * (len(items) != 1)} from {bibliography}", err=True)
            return
        try:
            append_sources(into, items)
        except ContentError as exc:
            raise failure(f"{exc}\n{_errors(len(exc.errors))}; nothing was imported.") from None
        except OSError as exc:
            raise failure(f"{into}: cannot write: {exc.strerror or exc}; nothing was imported.") from None
        click.echo(f"{len(items)} source{'s' * (len(items) != 1)} from {bibliography} appended to {into}")

    return sources


def _errors(n: int) -> str:
    return f"{n} error{'s' * (n != 1)}"
