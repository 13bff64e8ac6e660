"""Paragraph markup for inline structure elements: zero-width ``<ondraw>`` markers and their parsing.

ReportLab calls a marker as the named canvas callback `MARKER` at its place in the line;
`TaggedCanvas` hands its label to the tree, which opens or closes the elements it names.
"""

from __future__ import annotations

import html
import urllib.parse

MARKER = "_tag"  # the named canvas callback the <ondraw> markers call


def open_tag(tag: str, **attrs) -> str:
    """Paragraph markup that opens inline element `tag` here (zero width).

    attrs: ``lang``, ``alt``, ``actual_text``, ``contents`` (a Link's annotation text),
    ``id``, ``ref`` (the ``id`` of the element this one refers to), ``title``.
    """
    return f'<ondraw name="{MARKER}" label="{html.escape(_label(tag, attrs))}"/>'


def open_tags(*tags: tuple[str, dict]) -> str:
    """One marker opening several nested inline elements (outermost first): fewer frags."""
    return f'<ondraw name="{MARKER}" label="{html.escape("".join(_label(t, a) for t, a in tags))}"/>'


def _label(tag: str, attrs: dict) -> str:
    return ";".join(["+" + tag] + [f"{k}={urllib.parse.quote(str(v), safe='')}" for k, v in sorted(attrs.items())])


def close_tag(count: int = 1) -> str:
    """Paragraph markup that closes the `count` innermost inline elements opened by `open_tag(s)`."""
    return f'<ondraw name="{MARKER}" label="-{count if count > 1 else ""}"/>'


def span(tag: str, markup: str, **attrs) -> str:
    """`markup` inside inline element `tag`."""
    return open_tag(tag, **attrs) + markup + close_tag()


def parse_label(label: str) -> list[tuple[str, dict[str, str]]]:
    """The ``(tag, attrs)`` pairs an opening marker's label names, outermost first."""
    out = []
    for group in label[1:].split("+"):  # values are quoted: '+' only starts a tag
        head, *rest = group.split(";")
        attrs = {}
        for item in rest:
            k, _, v = item.partition("=")
            attrs[k] = urllib.parse.unquote(v)
        out.append((head, attrs))
    return out
