"""An edited Word edition read back: each bookmarked content text with its tracked changes and comments.

The text from bookmark `_Content<N>` to the end of its paragraph is read in document order as characters,
each the original's (`same`), inserted (`w:ins`, `w:moveTo`) or deleted (`w:del`, `w:moveFrom`),
with the change's author and date; note callouts (note references, NOTEREF fields, the commas
between callouts) are single *atoms*, structure a change may not cut. Comments are anchored by
`w:commentRangeStart`/`End` inside such a text. Only the standard library and lxml are used.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import files
from ..render.docx.paths import PREFIX, Entry, read_map

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHANGE = {W + "ins": "ins", W + "moveTo": "ins", W + "del": "del", W + "moveFrom": "del"}
_MOVES = {W + "moveTo", W + "moveFrom"}
MAX_FILE = 200 * 1024 * 1024  # a returned Word edition with its pictures is a few MB
MAX_PART = 50 * 1024 * 1024  # an edited backgrounder's document part is well under 1 MB


class WordFileError(Exception):
    """The file is not an edited Word edition this tool can read; the message is for the user."""


@dataclass
class Char:
    text: str  # one character, or "" for an atom
    kind: str  # same | ins | del
    author: str = ""
    date: str = ""
    move: bool = False
    atom: str = ""  # what the atom is: "note callout", "paragraph break"


@dataclass
class Comment:
    ident: str
    author: str
    date: str
    text: str
    start: int = -1  # index in the text's characters where its anchor starts and ends
    end: int = -1


@dataclass
class Text:
    entry: Entry
    chars: list[Char] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def _read(z: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise WordFileError(f"{name} is over {MAX_PART // 2**20} MB")
    return z.read(name)


def _xml(blob: bytes):
    return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))


def read_word_file(path: Path) -> tuple[str, list[Text]]:
    """The slug of the content the file was built from, and its bookmarked texts in document order."""
    try:
        data = files.read_bytes(path, MAX_FILE, "Word files")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            document = _read(z, "word/document.xml")
            comments_xml = _read(z, "word/comments.xml")
            styles_xml = _read(z, "word/styles.xml")
            maps = [m for m in (read_map(_read(z, n) or b"") for n in z.namelist()
                                if n.startswith("customXml/item") and n.endswith(".xml") and "Props" not in n) if m]
    except (zipfile.BadZipFile, OSError) as exc:
        raise WordFileError(f"not a .docx file ({exc})") from None
    if document is None:
        raise WordFileError("not a Word document (no word/document.xml)")
    if not maps:
        raise WordFileError("no content map in it: it was not written by `jnim-export docx`, "
                            "or the map was removed")
    entries, note_styles, slug = maps[0]
    comments = _comments(_xml(comments_xml)) if comments_xml else {}
    styles = set(note_styles) | _superscript_styles(styles_xml)
    try:
        body = _xml(document)
    except etree.XMLSyntaxError as exc:
        raise WordFileError(f"word/document.xml is not well-formed XML ({exc})") from None
    return slug, _Walk(entries, styles, comments).run(body)


def _superscript_styles(blob: bytes | None) -> set[str]:
    """Character styles set in superscript: note marks, whatever an editor's application calls them."""
    if not blob:
        return set()
    try:
        root = _xml(blob)
    except etree.XMLSyntaxError:
        return set()
    return {s.get(W + "styleId", "") for s in root.iter(W + "style") if s.get(W + "type") == "character"
            and s.find(f"{W}rPr/{W}vertAlign[@{W}val='superscript']") is not None}


def _comments(root) -> dict[str, Comment]:
    out = {}
    for c in root.iter(W + "comment"):
        text = "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p"))
        ident = c.get(W + "id", "")
        out[ident] = Comment(ident, c.get(W + "author", ""), (c.get(W + "date") or "")[:10], text.strip())
    return out


class _Walk:
    def __init__(self, entries: dict[int, Entry], note_styles: set[str], comments: dict[str, Comment]):
        self.entries = entries
        self.note_styles = note_styles
        self.comments = comments
        self.open: dict[str, Text] = {}  # bookmark id -> the text being read
        self.texts: list[Text] = []
        self.field_depth = 0  # inside a NOTEREF field's result: its digits are the callout atom
        self.instr = ""

    def run(self, body) -> list[Text]:
        self._children(body, None)
        return self.texts

    def _children(self, el, change) -> None:
        for child in el:
            self._element(child, change)

    def _element(self, el, change) -> None:
        tag = el.tag
        if tag == W + "bookmarkStart":
            name = el.get(W + "name", "")
            if name.startswith(PREFIX) and name[len(PREFIX):].isdigit() and int(name[len(PREFIX):]) in self.entries:
                text = Text(self.entries[int(name[len(PREFIX):])])
                self.open[el.get(W + "id", "")] = text
                self.texts.append(text)
        elif tag in _CHANGE:
            kind = _CHANGE[tag]
            if change is not None and change[0] == "ins" and kind == "del":
                kind = "gone"  # inserted, then deleted: in neither the original nor the edited text
            self._children(el, (kind, el.get(W + "author", ""), (el.get(W + "date") or "")[:10], tag in _MOVES))
        elif tag == W + "p":
            self._children(el, change)
            self._paragraph_end(el)
        elif tag == W + "fldSimple":
            if "NOTEREF" in (el.get(W + "instr") or ""):
                self._atom("note callout", change)
            else:
                self._children(el, change)
        elif tag == W + "r":
            self._run(el, change)
        elif tag in (W + "commentRangeStart", W + "commentRangeEnd"):
            self._comment(el, start=tag.endswith("Start"))
        elif tag in (W + "hyperlink", W + "smartTag", W + "sdt", W + "sdtContent", W + "customXml", W + "tbl",
                     W + "tr", W + "tc", W + "body"):
            self._children(el, change)

    def _paragraph_end(self, p) -> None:
        """A content text ends with its paragraph (not at its bookmark's end, which editors move),
        unless the paragraph mark is a tracked insertion: an editor split the paragraph, and the
        text goes on in the next one past a structural atom."""
        if not self.open:
            return
        change = self._mark_change(p)
        if change is not None:
            self._atom("paragraph break", change)
        if change is None or change[0] != "ins":
            self.open.clear()

    def _mark_change(self, p):
        """A paragraph mark inserted or deleted (an editor split or joined paragraphs)."""
        for tag, kind in ((W + "ins", "ins"), (W + "del", "del")):
            mark = p.find(f"{W}pPr/{W}rPr/{tag}")
            if mark is not None:
                return kind, mark.get(W + "author", ""), (mark.get(W + "date") or "")[:10], False
        return None

    def _run(self, r, change) -> None:
        style = r.find(f"{W}rPr/{W}rStyle")
        is_mark = style is not None and style.get(W + "val") in self.note_styles
        for child in r:
            tag = child.tag
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.instr = ""
                elif kind == "separate" and "NOTEREF" in self.instr:
                    self.field_depth += 1
                    self._atom("note callout", change)
                elif kind == "end" and self.field_depth:
                    self.field_depth -= 1
            elif tag == W + "instrText":
                self.instr += child.text or ""
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                self._atom("note callout", change)
            elif self.field_depth or is_mark:
                if tag in (W + "t", W + "delText") and not self.field_depth:
                    self._atom("note callout", change)
            elif tag in (W + "t", W + "delText"):
                self._chars(child.text or "", change)
            elif tag in (W + "tab", W + "br", W + "cr"):
                self._chars(" ", change)
            elif tag == W + "noBreakHyphen":
                self._chars("\u2011", change)

    def _chars(self, text: str, change) -> None:
        kind, author, date, move = change or ("same", "", "", False)
        if kind == "gone":
            return
        for t in self.open.values():
            t.chars.extend(Char(c, kind, author, date, move) for c in text)

    def _atom(self, what: str, change) -> None:
        kind, author, date, move = change or ("same", "", "", False)
        if kind == "gone":
            return
        for t in self.open.values():
            t.chars.append(Char("", kind, author, date, move, atom=what))

    def _comment(self, el, *, start: bool) -> None:
        comment = self.comments.get(el.get(W + "id", ""))
        if comment is None:
            return
        for t in self.open.values():
            if start and comment not in t.comments:
                comment.start = len(t.chars)
                t.comments.append(comment)
            elif not start:
                if comment not in t.comments:  # anchored from before the text began
                    comment.start = 0
                    t.comments.append(comment)
                comment.end = len(t.chars)
