"""Parse the Markdown inline subset of text fields into model inlines, with markdown-it-py.

Recognised: *emphasis*, **strong**, [links](https://...), bare URLs, and `[^id]` note
references. Everything else — `<`, `>`, `&`, quotes, backslashes, HTML — is literal text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from ..model import Emph, Inline, Link, Strong, Text, joined

ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class RefMarker:
    """A `[^id]` reference before note numbers are known."""

    id: str


@dataclass
class Parsed:
    inlines: tuple  # of model inlines and RefMarker
    links: list[str] = field(default_factory=list)
    depth: int = 0  # of emphasis and links inside each other: writers recurse this deep


def _note_ref_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[^", pos):
        return False
    end = src.find("]", pos + 2)
    label = src[pos + 2 : end] if end > 0 else ""
    if not label or any(c.isspace() or c in "[^" for c in label):
        return False
    if not silent:
        token = state.push("note_ref", "", 0)
        token.meta = {"id": label}
    state.pos = end + 1
    return True


def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"linkify": True})
    md.enable(["emphasis", "link", "linkify"])
    md.inline.ruler.before("link", "note_ref", _note_ref_rule)
    # No HTML, entities, escapes, code spans, autolinks or typographer: text is text.
    # scheme checks are reported by the loader, not dropped silently (replacing the method on the
    # instance is markdown-it-py's documented way)
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_MD = _parser()


def parse_inline(source: str) -> Parsed:
    """Parse one text field; whitespace runs (from folded YAML) collapse to single spaces."""
    text = " ".join(source.split())
    links: list[str] = []
    tokens = _MD.parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    stack: list[tuple[str, list, str | int | float | None]] = [("root", [], None)]
    depth = 0
    for tok in children:
        kind = tok.type
        if kind == "text" or kind in ("softbreak", "hardbreak"):
            stack[-1][1].append(Text(tok.content if kind == "text" else " "))
        elif kind == "note_ref":
            stack[-1][1].append(RefMarker(tok.meta["id"]))
        elif kind.endswith("_open"):
            href = tok.attrGet("href") if kind == "link_open" else None
            if href is not None:
                links.append(str(href))
            stack.append((kind[: -len("_open")], [], href))
            depth = max(depth, len(stack) - 1)
        elif kind.endswith("_close"):
            name, items, href = stack.pop()
            node: Inline
            if name == "em":
                node = Emph(joined(items))
            elif name == "strong":
                node = Strong(joined(items))
            else:
                node = Link(str(href), joined(items))
            stack[-1][1].append(node)
        else:  # any other token kind: keep its source text literally
            stack[-1][1].append(Text(tok.content))
    return Parsed(joined(stack[0][1]), links, depth)


def link_is_allowed(href: str) -> bool:
    return href.lower().startswith(ALLOWED_SCHEMES)
