"""The actor names an ACLED export holds, with their event counts: to find the name to import by.

`list_actors` reads the export with the importer's streaming reader (`scan.count_actors`);
`closest` ranks its names against a name that matched nothing, for a "did you mean".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .imports import EventImportError
from .scan import count_actors, encoding_of, open_export


@dataclass(frozen=True)
class ActorCount:
    name: str
    events: int  # events naming it in actor1, actor2 or an associated-actors list
    initiated: int  # events it initiated (actor1)


@dataclass(frozen=True)
class ActorList:
    actors: tuple[ActorCount, ...]  # most events first, then by name
    rows_read: int
    unreadable: int
    layout: str


def list_actors(path: Path, match: str | None = None) -> ActorList:
    """The actor names of an export, most events first; only those containing `match` (any case)."""
    path = Path(path)
    from . import ucdp  # it imports the ACLED importer, which imports this module

    try:
        encoding = encoding_of(path)
        with open_export(path, encoding) as f:
            header = ucdp.header_of(f, path.name)
            if ucdp.is_ged(header):
                events, initiated, rows, unreadable = ucdp.count_actors(f, header)
                layout = ucdp.LAYOUT
        if not ucdp.is_ged(header):
            with open_export(path, encoding) as f:
                totals = count_actors(f)
            events, initiated = totals.events, totals.initiated
            rows, unreadable, layout = totals.rows_read, totals.unreadable, totals.layout
    except OSError as e:
        raise EventImportError(f"cannot read {path}: {e.strerror or e}") from None
    needle = (match or "").strip().lower()
    actors = [ActorCount(n, e, initiated.get(n, 0)) for n, e in events.items() if not needle or needle in n.lower()]
    actors.sort(key=lambda a: (-a.events, a.name))
    return ActorList(tuple(actors), rows, unreadable, layout)


def closest(actors: tuple[ActorCount, ...], wanted: tuple[str, ...], n: int = 5) -> list[ActorCount]:
    """The export's names nearest to any of `wanted`, best first.

    A name scores by its likeness (difflib's ratio, case ignored) to the wanted name, taking
    the best of the whole name, its part before the colon and its part after ": " (the parts
    an import matches by); a name containing the wanted one, or contained in it, scores at least
    0.8. Names scoring under 0.55 are left out; ties go to the name with more events.
    """
    scored: list[tuple[float, ActorCount]] = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    for w in {x.strip().lower() for x in wanted if x.strip()}:
        matcher.set_seq2(w)
        for actor in actors:
            name = actor.name.lower()
            parts = {name, name.split(":", 1)[0].strip()}
            if ": " in name:
                parts.add(name.split(": ", 1)[1].strip())
            best = 0.0
            for part in parts:
                if w in part or (len(part) >= 3 and part in w):
                    best = max(best, 0.8 + 0.2 * min(len(w), len(part)) / max(len(w), len(part)))
                    continue
                matcher.set_seq1(part)
                if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                    best = max(best, matcher.ratio())
            if best >= 0.55:
                scored.append((best, actor))
    scored.sort(key=lambda t: (-t[0], -t[1].events, t[1].name))
    out: list[ActorCount] = []
    for _, actor in scored:
        if actor not in out:
            out.append(actor)
        if len(out) == n:
            break
    return out


def did_you_mean(path: Path, wanted: tuple[str, ...]) -> str:
    """Lines naming the export's closest actor names and their events, for a failed import's message."""
    actors = list_actors(path)
    near = closest(actors.actors, wanted)
    if not near:
        return (f"no actor name in {Path(path).name} is close to {', '.join(wanted)}; list them with "
                f"`jnim-export events actors {Path(path).name}`")
    width = max(len(f"{a.events:,}") for a in near)
    lines = [f"did you mean (events in {Path(path).name}):"]
    lines += [f"  {a.events:>{width},}  {a.name}" for a in near]
    lines.append("(--actor takes a whole name, or its part before the colon; "
                 f"`jnim-export events actors {Path(path).name} --match TEXT` lists more)")
    return "\n".join(lines)
