"""Event data: ACLED exports in, aggregate files (counts per month and place) out and back."""

from .acled import (
    ATTRIBUTION,
    CATEGORIES,
    Aggregate,
    EventImportError,
    ImportOptions,
    command_line,
    import_acled,
    summary,
    write_aggregate,
)
from .actors import ActorCount, ActorList, closest, list_actors
from .aggregate import AggregateError, read as read_aggregate

__all__ = [
    "ActorCount", "ActorList", "closest", "list_actors",
    "ATTRIBUTION", "CATEGORIES", "Aggregate", "AggregateError", "EventImportError", "ImportOptions",
    "command_line", "import_acled", "read_aggregate", "summary", "write_aggregate",
]
