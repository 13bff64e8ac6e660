"""Where each paragraph of the Word edition comes from in the content, recorded in the .docx.

Each paragraph made from a content text is wrapped in a hidden bookmark (`_Content<N>`: Word keeps
bookmarks through ordinary edits and tracked changes, and hides names starting with "_"); a custom
XML part lists, for each N, the text's content path (`sections/0/blocks/1`, `figures/map/caption`,
`meta/title`…), a label for reports and the text as built, without note callouts. `review` reads
them back (`read_map`); this module imports nothing heavy, so it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree as ET

NS = "urn:jnim-export:content-map:1"
PREFIX = "_Content"


@dataclass(frozen=True)
class Entry:
    n: int
    path: str  # slash-separated: `sections/<index>/blocks/<index>`, `figures/<id>/caption`, `meta/title`…
    where: str  # for reports: "Background, paragraph 1"
    text: str  # the text as built, without note callouts


class PathMap:
    """Bookmarks each recorded text; `xml()` is the map part."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.note_styles: tuple[str, ...] = ()
        self.slug = ""  # the content's `meta.slug`: which content the file was built from

    def begin(self, p, path: str, where: str, text: str) -> int:
        """Open bookmark `_Content<N>` at the end of paragraph element `p`: the content text follows."""
        from docx.oxml import OxmlElement

        from .opc import w

        n = len(self.entries) + 1
        self.entries.append(Entry(n, path, where, text))
        start = OxmlElement("w:bookmarkStart")
        start.set(w("w:id"), str(n))
        start.set(w("w:name"), f"{PREFIX}{n}")
        p.append(start)
        return n

    @staticmethod
    def end(p, n: int) -> None:
        """Close bookmark `n` at the end of `p`, after the content text."""
        from docx.oxml import OxmlElement

        from .opc import w

        end = OxmlElement("w:bookmarkEnd")
        end.set(w("w:id"), str(n))
        p.append(end)

    def xml(self) -> bytes:
        root = ET.Element(f"{{{NS}}}map", {"noteStyles": " ".join(self.note_styles), "slug": self.slug})
        for e in self.entries:
            ET.SubElement(root, f"{{{NS}}}p", {"n": str(e.n), "path": e.path, "where": e.where}).text = e.text
        ET.register_namespace("", NS)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def read_map(blob: bytes) -> tuple[dict[int, Entry], tuple[str, ...], str] | None:
    """The entries of a map part (None when `blob` is no map), the note mark styles and the slug."""
    try:
        root = ET.fromstring(blob)
    except ET.ParseError:
        return None
    if root.tag != f"{{{NS}}}map":
        return None
    entries = {}
    for el in root.findall(f"{{{NS}}}p"):
        n = int(el.get("n", "0"))
        entries[n] = Entry(n, el.get("path", ""), el.get("where", ""), el.text or "")
    return entries, tuple(root.get("noteStyles", "").split()), root.get("slug", "")
