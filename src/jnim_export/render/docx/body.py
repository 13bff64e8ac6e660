"""The Word edition's body: title block, sections, figures, the at-a-glance tables, the credit.

Paragraphs are made with python-docx and filled at the element level (`runs.Runs`), so that
text stays text and notes are real notes. Every text that comes from one content field is
bookmarked with its content path (`paths.PathMap`) for `review`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml import OxmlElement
from docx.shared import Emu, Inches, Length

from ... import dates, images, scripts
from ...model import Document, Figure, FigureBlock, Inlines, NoteRef, Paragraph, PullQuote, Text, plain_text
from . import opc
from ..writer import unreadable_photo
from .opc import w
from .paths import PathMap
from .runs import Runs, script_runs, text_run
from .styles import StyleIds
from .theme import THEME, DocxTheme


def _join(names) -> str:
    names = list(names)
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


class Body:
    """Writes `doc` into the python-docx `document`."""

    def __init__(self, document, doc: Document, styles: StyleIds, runs: Runs, paths: PathMap, *,
                 cache_dir: Path, force: bool, theme: DocxTheme = THEME):
        self.document = document
        self.doc = doc
        self.styles = styles
        self.runs = runs
        self.paths = paths
        self.cache_dir = cache_dir
        self.force = force
        self.theme = theme
        self.warnings = runs.warnings
        self.pictures = 0

    # ------------------------------------------------------------------ paragraphs

    def para(self, role: str):
        """A new paragraph element at the end of the body, in the style of `role`."""
        paragraph = self.document.add_paragraph()
        p = opc.element(paragraph)
        _set_style(p, self.styles[role])
        return p

    def content(self, p, inlines: Inlines, path: str, where: str, **props) -> None:
        """`inlines` (one content field's text) appended to `p`, bookmarked with its path."""
        n = self.paths.begin(p, path, where, plain_text(inlines))
        self.runs.add(p, inlines, where=where, **props)
        self.paths.end(p, n)

    # ------------------------------------------------------------------ the document

    def write(self) -> None:
        self.title_block()
        for i, section in enumerate(self.doc.sections):
            self.section(i, section)
        self.ending()
        self.glance()
        self.briefing()

    def title_block(self) -> None:
        m = self.doc.meta
        series = " · ".join(x for x in (m.series, m.publisher) if x)
        if series:
            p = self.para("byline")
            for r in script_runs(series):
                p.append(r)
        self.content(self.para("title"), (Text(m.title),), "meta/title", "title")
        if m.native_title:
            p = self.para("native")
            ppr = p.find(w("w:pPr"))
            ppr.append(OxmlElement("w:bidi"))
            lang = m.native_title_lang or scripts.LANG
            rtl = lang.split("-")[0].lower() == scripts.LANG or scripts.has_arabic(m.native_title)
            n = self.paths.begin(p, "meta/native_title", "native title", m.native_title)
            p.append(text_run(m.native_title, rtl=rtl, lang=lang))
            self.paths.end(p, n)
        byline = " · ".join(x for x in (_join(m.authors), dates.long_date(m.date) if m.date else "") if x)
        if byline:
            p = self.para("byline")
            for r in script_runs(byline):
                p.append(r)

    def section(self, i: int, section) -> None:
        self.content(self.para("heading1"), (Text(section.title),), f"sections/{i}/title", f"{section.title}, heading")
        para = 0
        for j, block in enumerate(section.blocks):
            path = f"sections/{i}/blocks/{j}"
            if isinstance(block, Paragraph):
                para += 1
                self.content(self.para("normal"), block.text, path, f"{section.title}, paragraph {para}")
            elif isinstance(block, PullQuote):
                self.content(self.para("quote"), block.text, path, f"{section.title}, pull quote")
            elif isinstance(block, FigureBlock):
                self.figure(block.figure)

    def ending(self) -> None:
        m = self.doc.meta
        if m.credit:
            self.content(self.para("normal"), m.credit, "meta/credit", "closing credit", italic=True)
        if m.copyright and m.copyright not in plain_text(m.credit):
            p = self.para("credit")
            for r in script_runs(m.copyright):
                p.append(r)

    # ------------------------------------------------------------------ figures

    def figure(self, figure: Figure) -> None:
        above = figure.kind != "photo"
        if above:
            self.caption(figure)
        self.picture(figure)
        if not above:
            self.caption(figure)
        if figure.credit:
            p = self.para("credit")
            self.runs.add(p, figure.credit, where=f"figure {figure.number} credit")

    def caption(self, figure: Figure) -> None:
        """"Figure N" (a SEQ field Word renumbers) and the caption text."""
        p = self.para("caption")
        p.append(text_run("Figure ", bold=True))
        field = OxmlElement("w:fldSimple")
        field.set(w("w:instr"), " SEQ Figure \\* ARABIC ")
        field.append(text_run(str(figure.number), bold=True))
        p.append(field)
        p.append(text_run(". ", bold=True))
        self.content(p, figure.caption, f"figures/{figure.id}/caption", f"figure {figure.number} caption")

    def picture(self, figure: Figure) -> None:
        image, width = self._image(figure)
        paragraph = self.document.add_paragraph()
        p = opc.element(paragraph)
        _set_style(p, self.styles["figure"])
        if image is not None:
            if figure.kind != "photo":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            try:
                # a photo upright and at print size, as every writer has it; a drawing from the figure cache
                source = images.prepared(image).stream() if figure.kind == "photo" else str(image)
                shape = paragraph.add_run().add_picture(source, width=width)
            except (OSError, UnrecognizedImageError):  # gone or changed since the content was checked
                self.warnings.append(unreadable_photo(figure))
            else:
                self.pictures += 1
                opc.describe(shape, name=f"Figure {figure.number}", alt=figure.alt)
                return
            for r in list(p):
                if r.tag == w("w:r"):
                    p.remove(r)
        head = "Photo not included" if figure.kind == "photo" else f"{figure.kind.capitalize()} not available"
        p.append(text_run(self.theme.placeholder.format(head=head, alt=figure.alt), italic=True))

    def _image(self, figure: Figure) -> tuple[Path | None, Length]:
        """The picture of `figure` and its width; None for a photo the content has not (it said so)."""
        text_width = self._text_width()
        if figure.kind == "photo":
            return figure.image, min(Inches(self.theme.photo_width), text_width)
        if figure.data is None:
            self.warnings.append(f"figure {figure.number} ({figure.id}): no event data; a placeholder is printed")
            return None, text_width
        from ... import figures

        # an error here is a bug in the drawing code, never a placeholder
        art: dict[str, Any] = dict(attacks=self.doc.attacks, places=self.doc.places, style=self.doc.style, fmt="png",
                   size=figures.print_size(figure.kind), cache_dir=self.cache_dir)
        path = figures.figure_file(figure, **art, force=self.force)
        self.warnings += [f"figure {figure.number} ({figure.id}): {note}" for note in figures.figure_notes(figure, **art)]
        return path, min(Inches(self.theme.figure_width), text_width)

    def _text_width(self) -> Emu:
        s = self.document.sections[-1]
        return Emu(int(s.page_width - s.left_margin - s.right_margin))

    # ------------------------------------------------------------------ tables

    def glance(self) -> None:
        """The at-a-glance facts and the leaders, as tables with header rows."""
        doc = self.doc
        if not (doc.facts or doc.leaders):
            return
        self.para("heading1").append(text_run("At a Glance"))
        if doc.facts:
            rows = [((Text(f.label),), f"facts/{i}/label", f"fact {i + 1} label") for i, f in enumerate(doc.facts)]
            texts = [(f.text, f"facts/{i}/text", f"fact {i + 1}") for i, f in enumerate(doc.facts)]
            self.table("At a glance", ("Fact", "Details"), [[a, b] for a, b in zip(rows, texts)])
        if doc.leaders:
            self.para("heading2").append(text_run("Leaders"))
            body: list[list[tuple[Inlines, str, str]]] = []
            for leader in doc.leaders:
                base = f"leaders/{leader.id}"
                role = (Text(leader.role),) + tuple(NoteRef(n) for n in leader.cites)
                body.append([((Text(leader.name),), f"{base}/name", f"leader {leader.name}, name"),
                             (role, f"{base}/role", f"leader {leader.name}, role"),
                             ((Text(", ".join(leader.aliases)),), "", ""),
                             ((Text("; ".join(leader.former)),), "", "")])
            self.table("Leaders", ("Name", "Role", "Also known as", "Former roles"), body)

    def briefing(self) -> None:
        """Each section's slide bullets, so that the deck's words are reviewed with the text's."""
        sections = [(i, s) for i, s in enumerate(self.doc.sections) if s.bullets]
        if not sections:
            return
        self.para("heading1").append(text_run("Briefing Points"))
        for i, section in sections:
            self.para("heading2").append(text_run(section.title))
            for j, bullet in enumerate(section.bullets):
                self.content(self.para("bullet"), bullet, f"sections/{i}/bullets/{j}",
                             f"{section.title}, bullet {j + 1}")

    def table(self, title: str, header: tuple[str, ...], rows: list[list[tuple[Inlines, str, str]]]) -> None:
        table = self.document.add_table(rows=1 + len(rows), cols=len(header))
        tbl = opc.element(table)
        tbl_pr = tbl.find(w("w:tblPr"))
        style = tbl_pr.find(w("w:tblStyle"))
        if style is None:
            style = OxmlElement("w:tblStyle")
            tbl_pr.insert(0, style)
        style.set(w("w:val"), self.styles["table"])
        caption = OxmlElement("w:tblCaption")
        caption.set(w("w:val"), title)
        tbl_pr.append(caption)
        for k, name in enumerate(header):
            p = opc.element(table.cell(0, k).paragraphs[0])
            _set_style(p, self.styles["table_text"])
            p.append(text_run(name, bold=True))
        for k, row in enumerate(table.rows):
            tr_pr = opc.element(row).get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))  # a row is read whole, never across a page break
            if k == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))  # repeated on every page the table runs onto
        for r, cells in enumerate(rows, 1):
            for k, (inlines, path, where) in enumerate(cells):
                p = opc.element(table.cell(r, k).paragraphs[0])
                _set_style(p, self.styles["table_text"])
                if path:
                    self.content(p, inlines, path, where)
                else:
                    self.runs.add(p, inlines, where=title)
        self.para("normal")  # Word needs a paragraph between two tables


def _set_style(p, style_id: str) -> None:
    ppr = p.find(w("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    for old in ppr.findall(w("w:pStyle")):
        ppr.remove(old)
    el = OxmlElement("w:pStyle")
    el.set(w("w:val"), style_id)
    ppr.insert(0, el)
