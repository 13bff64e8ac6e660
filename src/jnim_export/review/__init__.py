"""`jnim-export review`: an editor's returned Word edition reported against the content, and applied.

The Word edition bookmarks each content text with its content path (`render/docx/paths.py`);
`wordfile` reads the edited file's tracked changes (insertions, deletions, moves) and comments
per bookmarked text. Each change is reported at the line and column of `content.yaml` where its
text stands (`content.edits` traces it through the Markdown and the YAML), and with `--apply`
written there in place, all or none. A text whose content no longer reads as it did when the file
was built (edited since) is reported and left alone; one that already reads as the edited file
says (applied before) is not reported again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..content.diagnostics import printable
from ..content.edits import Edit, Source
from .wordfile import Char, Text, WordFileError, read_word_file

__all__ = ["Review", "WordFileError", "review"]


@dataclass(frozen=True)
class Change:
    line: int
    column: int
    where: str
    old: str
    new: str
    author: str
    date: str
    moved: bool
    path: str  # the content path, dotted

    def describe(self) -> str:
        who = ", ".join(x for x in (self.author, self.date) if x) + ("; moved" if self.moved else "")
        return f'"{self.old}" \u2192 "{self.new}"' + (f" ({who})" if who else "")


@dataclass(frozen=True)
class Note:
    line: int
    column: int
    where: str
    anchor: str
    text: str
    author: str
    date: str

    def describe(self) -> str:
        who = ", ".join(x for x in (self.author, self.date) if x)
        return f'note: "{self.anchor}": {self.text}' + (f" ({who})" if who else "")


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    where: str
    message: str


@dataclass
class Review:
    content: Path
    changes: list[Change] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied_before: int = 0  # changes the content already has
    edits: list[Edit] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        items = [(c.line, c.column, 0, c.where, c.describe()) for c in self.changes]
        items += [(n.line, n.column, 1, n.where, n.describe()) for n in self.notes]
        items += [(p.line, p.column, 2, p.where, f"error: {p.message}") for p in self.problems]
        for line, column, _, where, what in sorted(items):
            out.append(printable(f"{self.content}:{line}:{column}: {where}: {what}"))
        return out

    def as_json(self) -> dict[str, Any]:
        return {"content": str(self.content), "changes": [asdict(c) for c in self.changes],
                "notes": [asdict(n) for n in self.notes], "problems": [asdict(p) for p in self.problems],
                "already_applied": self.applied_before}


def resolve(data: Any, path: str) -> tuple | None:
    """The data path of a recorded content path: list items by index or by `id`, a block's
    `paragraph` or `quote` text when the block is a mapping."""
    out: list = []
    node = data
    for part in path.split("/") if path else ():
        if isinstance(node, list):
            if part.isdigit() and int(part) < len(node):
                index = int(part)
            else:
                index = next((k for k, item in enumerate(node) if isinstance(item, dict) and item.get("id") == part), -1)
                if index < 0:
                    return None
            out.append(index)
            node = node[index]
        elif isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        else:
            return None
    if isinstance(node, dict):
        key = next((k for k in ("paragraph", "quote") if isinstance(node.get(k), str)), None)
        if key is None:
            return None
        out.append(key)
    return tuple(out)


def _groups(chars: list[Char]):
    """Runs of changed characters: (start index, end index) into `chars`."""
    k = 0
    while k < len(chars):
        if chars[k].kind == "same":
            k += 1
            continue
        start = k
        while k < len(chars) and chars[k].kind != "same":
            k += 1
        yield start, k


def _offset(chars: list[Char], upto: int, side: str) -> int:
    """Characters of the text before `upto` as it read before (`side` "del") or after ("ins")."""
    skip = "ins" if side == "del" else "del"
    return sum(len(c.text) for c in chars[:upto] if c.kind != skip)


def review(word_file: Path, content: Path) -> Review:
    """Every tracked change and comment of `word_file`, against `content` as it is now."""
    slug, texts = read_word_file(word_file)
    source = Source(content)
    result = Review(content)
    meta = source.data.get("meta") if isinstance(source.data, dict) else None
    built_from = meta.get("slug") if isinstance(meta, dict) else None
    if slug and built_from != slug:
        mark = source.positions.of(("meta", "slug"))
        result.problems.append(Problem(mark.line, mark.column, "meta.slug",
                                       f"the Word file was built from the content with slug {slug!r}, not this one "
                                       f"({built_from!r}); give its content file with --content"))
        return result
    for t in texts:
        _text(result, source, t)
    return result


def _first_difference(a: str, b: str) -> int:
    return next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def _text(result: Review, source: Source, t: Text) -> None:
    chars = t.chars
    groups = list(_groups(chars))
    where = t.entry.where
    before = "".join(c.text for c in chars if c.kind != "ins")
    after = "".join(c.text for c in chars if c.kind != "del")
    path = resolve(source.data, t.entry.path)
    field = source.field(path) if path else None
    if before != t.entry.text:  # typed over with Track Changes off: nothing says what changed
        at = _first_difference(before, t.entry.text)
        mark = source.mark(path, at) if field and path is not None else source.positions.of(())
        result.problems.append(Problem(mark.line, mark.column, where,
                                       f'edited in Word without Track Changes ("{t.entry.text[at:at + 30]}" now reads '
                                       f'"{before[at:at + 30]}"); make that edit in content.yaml by hand'))
        return
    if not groups and not t.comments:
        return
    if field is None or path is None:
        result.problems.append(Problem(1, 1, where, f"content.yaml has no text at {t.entry.path} any more"))
        return
    current = field.plain
    side = "ins" if current == after and before != after else "del"
    for comment in t.comments:
        start = _offset(chars, comment.start, side)
        end = _offset(chars, comment.end if comment.end >= 0 else len(chars), side)
        mark = source.mark(path, start)
        anchor = (after if side == "ins" else before)[start:end]
        result.notes.append(Note(mark.line, mark.column, where, anchor, comment.text, comment.author, comment.date))
    if not groups:
        return
    if side == "ins":
        result.applied_before += len(groups)
        return
    if current != before:
        mark = source.mark(path, _first_difference(current, before))
        result.problems.append(Problem(mark.line, mark.column, where,
                                       "this text was changed in content.yaml after the Word edition was built "
                                       "(edited since?); its tracked changes are not applied"))
        return
    dotted = ".".join(str(p) for p in path)
    for a, b in groups:
        span = chars[a:b]
        start = _offset(chars, a, "del")
        old = "".join(c.text for c in span if c.kind == "del")
        new = "".join(c.text for c in span if c.kind == "ins")
        mark = source.mark(path, start)
        first = span[0]
        atoms = sorted({c.atom for c in span if c.atom})
        if atoms:
            result.problems.append(Problem(mark.line, mark.column, where,
                                           f'the change "{old}" \u2192 "{new}" spans structure ({", ".join(atoms)}); '
                                           "make it in content.yaml by hand"))
            continue
        result.changes.append(Change(mark.line, mark.column, where, old, new, first.author, first.date,
                                     any(c.move for c in span), dotted))
        result.edits.append(Edit(path, start, start + len(old), new, where))


def apply(result: Review) -> None:
    """Write the review's changes into its content file, all or none (ContentError names refusals).
    The caller applies only a review without problems."""
    Source(result.content).apply(result.edits)


__all__ += ["apply"]
