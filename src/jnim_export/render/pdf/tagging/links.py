"""What a backgrounder's paragraph links become in the structure, described by their text in the content."""

from __future__ import annotations


def link_texts(doc) -> dict[str, str]:
    """Each URL's link text in the content (its first one), for the annotations' /Contents."""
    from ....model import FigureBlock, Link, NoteRef, Paragraph, PullQuote, Text, plain_text

    out: dict[str, str] = {}

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, Link):
                out.setdefault(node.href, plain_text(node.children).strip())
            if not isinstance(node, (Text, NoteRef)):
                walk(node.children)

    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, PullQuote)):
                walk(block.text)
            elif isinstance(block, FigureBlock):
                walk(block.figure.caption)
                walk(block.figure.credit)
    walk(doc.meta.credit)
    for note in doc.notes:
        walk(note.text)
    return out


def link_tags(texts: dict[str, str]):
    """What a paragraph link becomes in the structure (see StructureTree's `link_tags`).

    ``#note-N`` (a callout): Reference (``/Ref`` to Note ``note-N``) > Link "Note N";
    ``#ref-N`` (a note's number): Link back to the text; a URL: Link "its text (link to URL)".
    """

    def tags(href: str):
        if href.startswith("#note-"):
            n = href[6:]
            return (("Reference", {"ref": f"note-{n}"}), ("Link", {"contents": f"Note {n}"}))
        if href.startswith("#ref-"):
            return (("Link", {"contents": f"Back to the text citing note {href[5:]}"}),)
        text = texts.get(href, "")
        if text and text != href:
            return (("Link", {"contents": f"{text} (link to {href})"}),)
        return (("Link", {"contents": f"Link to {href}"}),)

    return tags
