"""Edit a built Word edition the way Word records an editor's work: raw tracked-change XML.

Synthetic edits for the review tests: `w:del`/`w:ins` around split runs, `w:moveFrom`/`w:moveTo`
with their range marks, and comments (`word/comments.xml` with its relationship, content type and
anchors), written as Word 2016 writes them.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


class WordEdits:
    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as z:
            self.members = {n: z.read(n) for n in z.namelist()}
        self.body = etree.fromstring(self.members["word/document.xml"])
        self.comments: list[tuple[str, str, str, str]] = []
        self.ids = iter(range(900, 2000))

    def _split(self, needle: str, occurrence: int = 0):
        """The run holding `needle`, split so that `needle` is a run of its own: (before, it, after)."""
        seen = 0
        for t in self.body.iter(W + "t"):
            text = t.text or ""
            if needle in text:
                if seen < occurrence:
                    seen += 1
                    continue
                r = t.getparent()
                at = text.index(needle)
                pieces = [text[:at], needle, text[at + len(needle):]]
                runs = []
                for piece in pieces:
                    nr = copy.deepcopy(r)
                    nt = nr.find(W + "t")
                    nt.text = piece
                    nt.set(XML_SPACE, "preserve")
                    runs.append(nr)
                for nr in runs:
                    if nr.find(W + "t").text:  # no empty runs: Word writes none
                        r.addprevious(nr)
                r.getparent().remove(r)
                return runs
        raise LookupError(needle)

    def _change(self, tag: str, author: str, date: str):
        el = etree.Element(W + tag)
        el.set(W + "id", str(next(self.ids)))
        el.set(W + "author", author)
        el.set(W + "date", date)
        return el

    def replace(self, old: str, new: str, author: str = "Editor", date: str = "2026-12-01T09:30:00Z") -> None:
        """`old` deleted and `new` inserted in its place (`new` "" : a deletion only)."""
        _, run, _ = self._split(old)
        deletion = self._change("del", author, date)
        run.addprevious(deletion)
        deletion.append(run)
        run.find(W + "t").tag = W + "delText"
        if new:
            insertion = self._change("ins", author, date)
            deletion.addnext(insertion)
            nr = copy.deepcopy(run)
            nr.find(W + "delText").tag = W + "t"
            nr.find(W + "t").text = new
            insertion.append(nr)

    def delete_through_callout(self, text: str, author: str = "Editor", date: str = "2026-12-01T09:30:00Z") -> None:
        """`text` and the note callout after it deleted together (a selection across the callout)."""
        _, run, _ = self._split(text)
        deletion = self._change("del", author, date)
        run.addprevious(deletion)
        callout = [run]
        nxt = run.getnext()
        while nxt is not None and nxt.tag != W + "r":
            callout.append(nxt)  # the bookmark around the callout
            nxt = nxt.getnext()
        callout.append(nxt)
        for el in callout:
            deletion.append(el)
        run.find(W + "t").tag = W + "delText"

    def inserted_then_deleted(self, anchor: str, text: str) -> None:
        """`text` inserted after `anchor` by one editor and deleted by another: `w:del` inside `w:ins`."""
        _, run, _ = self._split(anchor)
        insertion = self._change("ins", "Editor", "2026-12-01T09:00:00Z")
        deletion = self._change("del", "Director", "2026-12-02T09:00:00Z")
        nr = copy.deepcopy(run)
        nr.find(W + "t").text = text
        nr.find(W + "t").tag = W + "delText"
        deletion.append(nr)
        insertion.append(deletion)
        run.addnext(insertion)

    def retype(self, old: str, new: str) -> None:
        """`old` typed over with `new` with Track Changes off: no mark of it."""
        _, run, _ = self._split(old)
        run.find(W + "t").text = new

    def insert_after(self, anchor: str, new: str, author: str = "Editor", date: str = "2026-12-01T09:30:00Z") -> None:
        _, run, _ = self._split(anchor)
        insertion = self._change("ins", author, date)
        nr = copy.deepcopy(run)
        nr.find(W + "t").text = new
        insertion.append(nr)
        run.addnext(insertion)

    def move(self, text: str, before: str, author: str = "Editor", date: str = "2026-12-01T09:31:00Z") -> None:
        """`text` moved to just before `before`, marked as Word marks a move."""
        _, run, _ = self._split(text)
        name = f"move{next(self.ids)}"
        start = etree.Element(W + "moveFromRangeStart", {W + "id": str(next(self.ids)), W + "author": author,
                                                         W + "date": date, W + "name": name})
        src = self._change("moveFrom", author, date)
        run.addprevious(start)
        start.addnext(src)
        src.append(run)
        src.addnext(etree.Element(W + "moveFromRangeEnd", {W + "id": start.get(W + "id")}))
        _, target, _ = self._split(before)
        to_start = etree.Element(W + "moveToRangeStart", {W + "id": str(next(self.ids)), W + "author": author,
                                                          W + "date": date, W + "name": name})
        dst = self._change("moveTo", author, date)
        target.addprevious(to_start)
        to_start.addnext(dst)
        dst.append(copy.deepcopy(run))
        dst.addnext(etree.Element(W + "moveToRangeEnd", {W + "id": to_start.get(W + "id")}))

    def comment(self, anchor: str, text: str, author: str = "Director", date: str = "2026-12-02T10:00:00Z") -> None:
        _, run, _ = self._split(anchor)
        ident = str(len(self.comments))
        run.addprevious(etree.Element(W + "commentRangeStart", {W + "id": ident}))
        run.addnext(etree.Element(W + "commentRangeEnd", {W + "id": ident}))
        ref = etree.Element(W + "r")
        etree.SubElement(ref, W + "commentReference", {W + "id": ident})
        run.getnext().addnext(ref)
        self.comments.append((ident, author, date, text))

    def save(self, dest: Path) -> Path:
        members = dict(self.members)
        members["word/document.xml"] = etree.tostring(self.body, xml_declaration=True, encoding="UTF-8",
                                                      standalone=True)
        if self.comments:
            root = etree.Element(W + "comments", nsmap={"w": W_NS})
            for ident, author, date, text in self.comments:
                c = etree.SubElement(root, W + "comment", {W + "id": ident, W + "author": author, W + "date": date,
                                                           W + "initials": author[:1]})
                p = etree.SubElement(c, W + "p")
                etree.SubElement(etree.SubElement(p, W + "r"), W + "t").text = text
            members["word/comments.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                          standalone=True)
            types = etree.fromstring(members["[Content_Types].xml"])
            etree.SubElement(types, "{http://schemas.openxmlformats.org/package/2006/content-types}Override",
                             PartName="/word/comments.xml", ContentType=COMMENTS_CT)
            members["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8")
            rels = etree.fromstring(members["word/_rels/document.xml.rels"])
            etree.SubElement(rels, "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship",
                             Id="rIdComments1", Type=COMMENTS_RT, Target="comments.xml")
            members["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8")
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
        return dest
