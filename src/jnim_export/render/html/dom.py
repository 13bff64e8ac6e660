"""A tiny element tree for the web edition, serialised as HTML5 with everything escaped.

Content never becomes markup: a `str` child is text (``&``, ``<`` and ``>`` escaped), an
attribute value is quoted and escaped, attributes are written in sorted order (same model,
same bytes).  The only unescaped pieces are `Markup` values, which only this module makes:
from a serialised tree (`freeze`), and for the two raw-text elements, whose contents are
checked so that they cannot end the element early (`style_element`, `json_script`).
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Iterable, Iterator, Union

__all__ = ["El", "Markup", "Node", "freeze", "json_script", "serialize", "style_element", "text_of"]

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# Elements whose children are all blocks: a newline before each child keeps the file readable
# without adding white space where it would show.
_STACK = frozenset({
    "html", "head", "body", "main", "article", "header", "footer", "section", "aside", "ol", "ul", "table",
    "thead", "tbody", "tfoot", "tr", "details", "figure", "blockquote", "nav", "div",
})
_BLOCKS = _STACK | frozenset({
    "meta", "link", "title", "style", "script", "p", "h1", "h2", "h3", "li", "figcaption", "summary", "td",
    "th", "caption", "svg", "img",
})
_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9:_.-]*$")


class Markup(str):
    """Serialised markup: written as is.  Made only by this module (see the module doc)."""

    __slots__ = ()


class El:
    """An element: tag, attributes (None or False drops one, True writes it bare), children."""

    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict | None = None, *children: Node | Iterable[Node | None] | None):
        if not _NAME.match(tag):
            raise ValueError(f"bad element name {tag!r}")
        self.tag = tag
        self.attrs: dict[str, str | bool | int | float | None] = dict(attrs or {})
        self.children: list[Node] = []
        self.extend(children)

    def extend(self, children: Iterable) -> "El":
        for child in children:
            self.append(child)
        return self

    def append(self, child) -> "El":
        if child is None or child == "":
            return self
        if isinstance(child, (El, str)):  # Markup is a str
            self.children.append(child)
        elif isinstance(child, (list, tuple)) or hasattr(child, "__next__"):
            self.extend(child)
        else:
            raise TypeError(f"cannot put {type(child).__name__} into <{self.tag}>")
        return self

    def __repr__(self) -> str:
        return f"<El {self.tag} {self.attrs!r} ({len(self.children)} children)>"


Node = Union[El, str]


def _attrs(attrs: dict) -> str:
    out = []
    for name in sorted(attrs):
        value = attrs[name]
        if value is None or value is False:
            continue
        if not _NAME.match(name):
            raise ValueError(f"bad attribute name {name!r}")
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{escape(str(value), quote=True)}"')
    return "".join(out)


def _write(node: Node, out: list[str], parent: str | None, foreign: bool = False) -> None:
    if isinstance(node, Markup):
        out.append(node)
        return
    if isinstance(node, str):
        out.append(escape(node, quote=False))
        return
    tag = node.tag
    foreign = foreign or tag == "svg"
    if parent in _STACK and tag in _BLOCKS:
        out.append("\n")
    out.append(f"<{tag}{_attrs(node.attrs)}")
    if tag in VOID:
        if node.children:
            raise ValueError(f"<{tag}> cannot have children")
        out.append(">")
        return
    if foreign and not node.children:  # SVG (foreign) elements may close themselves in HTML
        out.append("/>")
        return
    out.append(">")
    if tag in ("style", "script"):
        for child in node.children:
            if not isinstance(child, Markup):
                raise ValueError(f"<{tag}> takes only checked contents (style_element, json_script)")
            out.append(child)
    else:
        for child in node.children:
            _write(child, out, tag, foreign)
        if tag in _STACK:
            out.append("\n")
    out.append(f"</{tag}>")


def serialize(node: Node) -> str:
    out: list[str] = []
    _write(node, out, None)
    return "".join(out)


def freeze(node: Node) -> Markup:
    """The serialised form of `node`, to be placed in trees as is (e.g. a cached figure)."""
    return Markup(serialize(node))


def text_of(node: Node) -> Iterator[str]:
    """Every text child under `node` (markup's own text is not looked into)."""
    if isinstance(node, Markup):
        return
    if isinstance(node, str):
        yield node
        return
    for child in node.children:
        yield from text_of(child)


def style_element(css: str) -> El:
    """A <style> element; refuses CSS that could end it (or open a comment the parser knows)."""
    lowered = css.lower()
    if "</style" in lowered or "<!--" in css or "-->" in css:
        raise ValueError("stylesheet text would end the <style> element")
    return El("style", None, Markup(css))


def json_script(data: object, *, type_: str = "application/ld+json") -> El:
    """A <script> holding `data` as JSON; '<', '>' and '&' are \\u-escaped, so no '</script'."""
    blob = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"), indent=None)
    blob = blob.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    blob = blob.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return El("script", {"type": type_}, Markup(blob))
