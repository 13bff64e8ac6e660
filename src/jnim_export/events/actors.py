"""The actor names an ACLED export holds, with their event counts: to find the name to import by.

`list_actors` reads the export with the importer's streaming reader (`scan.count_actors`);
`closest` ranks its names against a name that matched nothing, for a "did you mean": by
spelling, by initials (ISGS) and by sound across transliterations (al-/el-/ul-, Shabaab/Shebab/
Chabab), the surest first and each rank by events.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
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


# Words initials skip, as analysts' acronyms do (JNIM: Jama'at Nusrat al-Islam wal-Muslimin).
_PARTICLES = frozenset("al el ul ad ag an ar as ash at az ed en es et ud un us wa wal wel of the and for in on "
                       "de du des la le les li fi bin ibn".split())
_ARTICLE = re.compile(r"^(?:a|e|u)(?:l|d|n|r|s|sh|t|z)-")  # al-, el-, ul-, ad-, ash-... joined to a word
_SOUNDS = ((r"ch", "sh"), (r"ou", "u"), (r"ee", "i"), (r"oo", "u"), (r"[aeiouy]+", ""), (r"(.)\1+", r"\1"))


def words(name: str) -> list[str]:
    """A name's words: lower case, accents and apostrophes gone, hyphens and brackets spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    plain = re.sub(r"['\u2019`\u02bf\u02be]", "", plain)
    return [w for w in re.split(r"[^a-z0-9-]+", plain) for w in [w.strip("-")] if w]


def initials(name: str) -> str:
    """The first letters of a name's words, particles and joined articles left out: "isgs" for
    "Islamic State (Greater Sahara)", "jnim" for "Jama'at Nusrat al-Islam wal-Muslimin"."""
    out = []
    for word in words(name):
        for part in _ARTICLE.sub("", word).split("-"):
            if part and part not in _PARTICLES:
                out.append(part[0])
    return "".join(out)


def skeleton(name: str) -> str:
    """A name as it sounds, whatever its transliteration: articles (al-, el-, ul-...) and particles
    dropped, ch as sh, vowels dropped, doubled letters once: Shabaab, Shebab and Chabab are alike."""
    kept = [p for w in words(name) for p in _ARTICLE.sub("", w).split("-") if p and p not in _PARTICLES]
    out = []
    for word in kept:
        head, rest = word[0], word[1:]
        for pattern, repl in _SOUNDS:
            rest = re.sub(pattern, repl, rest)
        out.append(re.sub(r"(.)\1+", r"\1", ("sh" if word.startswith("ch") else head) + rest))
    return " ".join(out)


def _forms(name: str) -> set[str]:
    """The parts an import matches by: the whole name, before the colon, after ": "."""
    forms = {name, name.split(":", 1)[0]}
    if ": " in name:
        forms.add(name.split(": ", 1)[1])
    return {f.strip() for f in forms if f.strip()}


def likeness(wanted: str, name: str) -> float:
    """How surely `name` (an export's actor name) is what `wanted` means, 0 to 1.

    1.0: the same name as spelt, or as it sounds (`skeleton`); 0.95: the one is the other's
    initials (ISGS, Islamic State (Greater Sahara)); 0.85: the words of one are among the other's,
    as they sound; 0.8 to 1: one contains the other; else difflib's ratio of the two as they
    sound. Each part of `name` (`_forms`) is tried.
    """
    best = 0.0
    w, w_letters = wanted.strip().lower(), re.sub(r"[^a-z0-9]", "", wanted.lower())
    w_sound, w_initials = skeleton(wanted), initials(wanted)
    matcher = difflib.SequenceMatcher(None, "", w_sound, autojunk=False)  # set_seq1 gives each part
    for form in _forms(name):
        part = form.lower()
        letters = re.sub(r"[^a-z0-9]", "", part)
        if part == w or (skeleton(form) == w_sound and w_sound):
            return 1.0
        if len(w_letters) >= 2 and (initials(form) == w_letters or (len(letters) >= 2 and w_initials == letters)):
            best = max(best, 0.95)
        elif len(w_letters) >= 3 and initials(form).startswith(w_letters):
            best = max(best, 0.8)
        if w in part or (len(part) >= 3 and part in w):
            best = max(best, 0.8 + 0.2 * min(len(w), len(part)) / max(len(w), len(part)))
        sound = skeleton(form)
        if w_sound and sound and (set(w_sound.split()) <= set(sound.split()) or set(sound.split()) <= set(
                w_sound.split())) and min(len(w_sound), len(sound)) >= 3:
            best = max(best, 0.85)  # every word of the one in the other, as they sound
        matcher.set_seq1(sound)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


def closest(actors: tuple[ActorCount, ...], wanted: tuple[str, ...], n: int = 5) -> list[ActorCount]:
    """The export's names nearest to any of `wanted`: the sure ones (`likeness` 0.9 or more: the same
    name however spelt, or its initials) first, then the likely ones (0.75), then the rest of those
    scoring 0.55 or more, each group ranked by events, most first."""
    tiers: dict[ActorCount, int] = {}
    for w in {x.strip() for x in wanted if x.strip()}:
        for actor in actors:
            score = likeness(w, actor.name)
            if score >= 0.55:
                tier = 2 if score >= 0.9 else 1 if score >= 0.75 else 0
                tiers[actor] = max(tiers.get(actor, 0), tier)
    return sorted(tiers, key=lambda a: (-tiers[a], -a.events, a.name))[:n]


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
