"""Event data: ACLED and UCDP GED exports in, aggregate files (counts per month and place) out and back."""

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
from .formats import import_events

__all__ = [
    "ActorCount", "ActorList", "closest", "list_actors",
    "ATTRIBUTION", "CATEGORIES", "Aggregate", "AggregateError", "EventImportError", "ImportOptions",
    "command_line", "import_acled", "import_events", "read_aggregate", "summary", "write_aggregate",
]
