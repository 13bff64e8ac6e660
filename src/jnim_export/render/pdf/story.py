"""The story: the document's blocks as flowables in reading order, with their styles; and the render."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Any, Literal, cast

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, PageTemplate, Paragraph

from ... import __version__, dates
from ...model import Document, Figure, FigureBlock, Inlines, PullQuote, note_numbers, plain_text
from ...model import Paragraph as ParagraphBlock
from ..writer import Context, Rendered, unreadable_photo
from . import PdfOptions, conformance
from .artwork import FigureBox, Graphic, svg_drawing
from .flowables import Block, FirstNote, FlushNotes, Heading, NoteItem, Para, Rule
from .fonts import Faces, check_glyphs, register_fonts
from .layout import Layout
from .markup import Refs, UrlBreaks, line_cites, markup, text
from .pages import DocTemplate, PageDecor, stamp_for
from .placement import Barrier, Clear, FigureFlowable, Float, Quote
from .rl import exact_output, url_breaks
from .tagging import tree_for
from .theme import BODY_LEADING, NOTE_AFTER, NOTE_INDENT, NOTE_LEADING, NOTE_SIZE, TYPE, Theme, theme_for

CREATOR = f"jnim-export {__version__}"
_ALIGN: dict[str, Literal[0, 1, 2, 4]] = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


class Story:
    def __init__(self, doc: Document, dest: Path | io.BytesIO, context: Context, notes: str, theme: Theme, faces: Faces,
                 pull: dict[str, int] | None = None, keep: frozenset[str] = frozenset(), strict: bool = False):
        self.doc = doc
        self.dest = dest
        self.cache_dir = context.figure_cache
        self.force = context.redraw_figures
        self.notes_mode = notes
        self.theme = theme
        self.faces = faces
        self.warnings: list[str] = []
        self.pull = pull or {}  # figures set before paragraphs before them: how many (see `_blocks`)
        self.keep = keep  # figures that may not wait for the next page
        self._last_note = 0  # the highest note met so far in the story being made
        self.boxes: list[FigureBox] = []
        st = doc.style
        self.accent = colors.HexColor(st.accent)
        self.ink = colors.HexColor(st.ink)
        self.muted = colors.HexColor(st.muted)
        self.tint = colors.HexColor(st.tint)
        self.accent_hex = st.accent
        self.body_size = float(st.body_size)
        self.width = theme.width
        self.tree = tree_for(doc)  # the structure tree every flowable reports to (tagging/)
        self.layout = Layout(notes == "footnotes", self.width, theme, self.tree, strict=strict)
        self.refs = Refs(cited=set(), anchored=set())
        self._styles()

    def _styles(self) -> None:
        """The paragraph styles of the type scale (theme.TYPE), the body and the notes."""
        size = self.body_size
        colour = {"ink": self.ink, "muted": self.muted, "accent": self.accent}
        base: dict[str, Any] = dict(allowOrphans=1, allowWidows=1, uriWasteReduce=0.3, splitLongWords=1, spaceShrinkage=0.04)
        faces = {"serif": self.faces.serif, "sans": self.faces.sans}
        styles = {}
        for name, t in TYPE.items():
            styles[name] = ParagraphStyle(
                name, fontName=faces[t.face][t.bold, t.italic], fontSize=size * t.size, leading=size * t.leading,
                spaceBefore=size * t.before, spaceAfter=size * t.after, leftIndent=size * t.indent_left,
                rightIndent=size * t.indent_right, alignment=_ALIGN[t.align], textColor=colour[t.colour], **base,
            )
        self.st_title, self.st_byline, self.st_heading = styles["title"], styles["byline"], styles["heading"]
        self.st_native_title = styles["native-title"]
        self.st_quote, self.st_caption, self.st_credit = styles["quote"], styles["caption"], styles["credit"]
        self.st_ph_head, self.st_ph_body = styles["placeholder-head"], styles["placeholder-body"]
        self.st_closing, self.st_copyright = styles["closing"], styles["copyright"]
        lead = round(size * BODY_LEADING, 2)
        self.st_body = ParagraphStyle("body", fontName=self.faces.serif[False, False], fontSize=size, leading=lead,
                                      alignment=TA_LEFT, spaceBefore=0, spaceAfter=lead * 0.5, textColor=self.ink,
                                      **base)
        note_size = size * NOTE_SIZE[self.notes_mode]
        self.st_note = ParagraphStyle(
            "note", fontName=self.faces.serif[False, False], fontSize=note_size, leading=note_size * NOTE_LEADING,
            spaceAfter=note_size * NOTE_AFTER, textColor=self.ink, **{**base, "allowOrphans": 0, "allowWidows": 0},
        )
        self.st_note_num = ParagraphStyle("note-num", fontName=self.faces.serif[False, False], fontSize=note_size,
                                          leading=note_size * NOTE_LEADING, alignment=TA_RIGHT, textColor=self.ink,
                                          **base)
        self.note_indent = note_size * NOTE_INDENT

    def _para(self, nodes: Inlines, style: ParagraphStyle, *, prefix: str = "") -> Para:
        sup = max(5.0, style.fontSize * 0.66)
        return Para(prefix + markup(nodes, self.refs, self.accent_hex, sup_size=sup), style)
    # ------------------------------------------------------------------ figures

    def _graphic(self, figure: Figure, width: float) -> Graphic:
        if figure.kind == "photo":
            if figure.image is not None:  # (a missing one the content reported, once)
                try:
                    return Graphic(image=figure.image)
                except OSError:  # gone or unreadable since it was checked (PIL's errors are OSErrors)
                    self.warnings.append(unreadable_photo(figure))
            return self._placeholder("Photo not included", figure.alt, aspect=self.theme.photo_placeholder_aspect)
        if figure.data is None:
            self.warnings.append(f"figure {figure.number} ({figure.id}): no event data; a placeholder is printed")
            return self._placeholder(f"{figure.kind.capitalize()} not available", figure.alt,
                                     aspect=self.theme.empty_aspect)
        from ... import figures

        # drawn at the one print size the web page and the slides share, scaled to this column; an
        # error here is a bug in the drawing code, never a placeholder
        art: dict[str, Any] = dict(attacks=self.doc.attacks, places=self.doc.places, style=self.doc.style, fmt="svg",
                   size=figures.print_size(figure.kind), cache_dir=self.cache_dir)
        graphic = self._drawing(figure, art)
        self.warnings += graphic.notes
        width, height = art["size"]
        if figure.kind == "map":  # its extent is fixed: drawn smaller, its type as large
            graphic.shorter = lambda ratio: self._drawing(figure, {**art, "size": (width * ratio, height * ratio)},
                                                          narrower=ratio)
        else:  # drawn less high, its type as large
            graphic.shorter = lambda ratio: self._drawing(figure, {**art, "size": (width, height * ratio)})
        return graphic

    def _drawing(self, figure: Figure, art: dict[str, Any], narrower: float = 1.0) -> Graphic:
        """The figure drawn as `art` says (from the figure cache), with what it asks a reader be told."""
        from ... import figures

        path = figures.figure_file(figure, **art, force=self.force)
        drawing = svg_drawing(str(path), self.doc.style.sans)
        if drawing is None:
            raise ValueError(f"svglib could not read {path.name}")
        drawing.initialFontName = self.faces.sans[False, False]  # never the standard-14 default
        graphic = Graphic(drawing=drawing, narrower=narrower)
        notes = figures.figure_notes(figure, **art)
        graphic.notes = tuple(f"figure {figure.number} ({figure.id}): {note}" for note in notes)
        return graphic

    def _placeholder(self, head: str, alt: str, *, aspect: float) -> Graphic:
        return Graphic(
            placeholder=(Paragraph(text(head), self.st_ph_head), Paragraph(text(alt), self.st_ph_body)),
            aspect=aspect, tint=self.tint, border=self.muted,
        )

    def _figure_box(self, figure: Figure, width: float) -> FigureBox:
        graphic = self._graphic(figure, width)
        # "Figure 2" is never broken over two lines; a narrow caption may break after it
        label = f'<font name="{self.faces.sans[True, False]}" color="{self.accent_hex}">Figure&#160;{figure.number}</font>'
        caption = self._para(figure.caption, self.st_caption, prefix=label + "&#160; ")
        credit = self._para(figure.credit, self.st_credit) if figure.credit else None
        cites = list(note_numbers(figure.caption)) + list(note_numbers(figure.credit))
        box = FigureBox(figure, graphic, caption, credit, cites, caption_above=figure.kind != "photo",
                        accent=self.accent, theme=self.theme, tree=self.tree)
        # never set so narrow that the label breaks from the caption's first word ("Figure" / "1 …")
        size, words = self.st_caption.fontSize, plain_text(figure.caption).split()
        box.least_width = (stringWidth(f"Figure {figure.number}\u00a0\u00a0", self.faces.sans[True, False], size)
                           + stringWidth(words[0] if words else "", self.st_caption.fontName, size))
        self.boxes.append(box)
        return box

    # ------------------------------------------------------------------ story

    def _story(self) -> list[Flowable]:
        doc, lay = self.doc, self.layout
        story: list[Flowable] = []
        story.append(Block(Para(text(doc.meta.title), self.st_title), lay, tag="H1"))
        if doc.meta.native_title:
            story.append(Block(Para(text(doc.meta.native_title), self.st_native_title), lay,
                               lang=doc.meta.native_title_lang))
        byline = " · ".join(x for x in (", ".join(doc.meta.authors), dates.long_date(doc.meta.date)) if x)
        story.append(Rule(0.8, self.ink, space_before=self.body_size * 0.9, space_after=self.body_size * 0.55,
                          tree=self.tree))
        if byline:
            story.append(Block(Para(text(byline), self.st_byline), lay))
        for index, (section, blocks) in enumerate(zip(doc.sections, self._blocks())):
            heading = Heading(Para(text(section.title.upper()), self.st_heading), lay,
                               key=f"section-{index + 1}", title=section.title)
            story += [Barrier(lay), Clear(lay), heading]
            self._section(heading, blocks, story)
        # closing credit and copyright
        story.append(Barrier(lay))
        story.append(Clear(lay))
        story.append(Rule(0.5, self.muted, space_before=self.body_size * 1.2, space_after=self.body_size * 0.2,
                          tree=self.tree))
        story.append(Block(self._para(doc.meta.credit, self.st_closing), lay))
        if doc.meta.copyright and doc.meta.copyright not in plain_text(doc.meta.credit):
            story.append(Block(Para(text(doc.meta.copyright), self.st_copyright), lay))
        # notes
        self._note_items()
        # every note of the text has its callout: endnotes are listed here, footnotes set on their page
        listed = [n.number for n in doc.text_notes] if self.notes_mode == "endnotes" else []
        if listed:
            heading = Heading(Para("NOTES", self.st_heading), lay, key="notes", title="Notes")
            story.append(heading)
            for j, n in enumerate(listed):
                story.append(lay.notes.items[n])
                if j == 0:
                    heading.follow = FirstNote(lay.notes.items[n])
        story.append(FlushNotes(lay))
        return story

    def _blocks(self) -> list[list]:
        """Each section's blocks in the order set: as written, but a figure in `self.pull` (one that
        left a gap, moved to the next page), with the figures right before it, comes before as many
        paragraphs (or quotes) before them as `pull` says, so that it fits where they began and they
        flow on after it (in a strict layout before
        one only, if that cites no note for the first time: callouts keep their order)."""
        if self.layout.strict:
            return self._blocks_strict()
        out = []
        for section in self.doc.sections:
            blocks = list(section.blocks)
            for block in section.blocks:
                if isinstance(block, FigureBlock) and block.figure.id in self.pull:
                    at = first = blocks.index(block)
                    while first and isinstance(blocks[first - 1], FigureBlock):
                        first -= 1  # the figures right before it go with it, in their order
                    j = first
                    while j and first - j < self.pull[block.figure.id] and isinstance(blocks[j - 1], (ParagraphBlock, PullQuote)):
                        j -= 1
                    blocks[j:at + 1] = blocks[first:at + 1] + blocks[j:first]
            out.append(blocks)
        return out

    def _blocks_strict(self) -> list[list]:
        seen: set[int] = set()
        out = []
        for section in self.doc.sections:
            blocks = list(section.blocks)
            prior = seen.copy()  # the notes cited before the block before this one
            for i, block in enumerate(blocks):
                prev = blocks[i - 1] if i else None
                if (isinstance(block, FigureBlock) and block.figure.id in self.pull and isinstance(prev, ParagraphBlock)
                        and set(note_numbers(prev.text)) <= prior):
                    blocks[i - 1], blocks[i] = block, prev
                prior = seen.copy()
                seen |= set(_cites(block))
            out.append(blocks)
        return out

    def _section(self, heading: Heading, blocks: list, story: list[Flowable]) -> None:
        lay = self.layout
        first = True
        waiting: list[list[Flowable]] = []  # the text (figures, quotes) after each figure, which may fill a page before it
        before = here = self._last_note  # the highest note met before the block before this one, this one
        for i, block in enumerate(blocks):
            before, here = here, self._last_note
            self._last_note = max(self._last_note, *_cites(block), 0)
            if isinstance(block, FigureBlock):
                after: list[Flowable] = []
                figure = self._figure(block.figure, blocks[i + 1] if i + 1 < len(blocks) else None, after)
                tail = None
                if lay.strict and block.figure.id in self.pull and i and isinstance(blocks[i - 1], ParagraphBlock):
                    tail = self._hold_tail(story, waiting, heading, before, _cites(block), block.figure.number)
                for earlier in waiting:  # it waits with the text after the figures before it
                    earlier.append(figure)
                waiting.append(after)
                story.append(figure)
                if tail is not None:
                    for earlier in waiting:
                        earlier.append(tail)
                    story.append(tail)
            elif isinstance(block, ParagraphBlock):
                text_block = Block(self._para(block.text, self.st_body), lay)
                for after in waiting:
                    after.append(text_block)
                if isinstance(story[-1], Float):
                    story[-1].beside = text_block
                story.append(text_block)
            elif isinstance(block, PullQuote):
                story.append(Clear(lay))
                fs = self.st_quote.fontSize
                quote = Block(self._para(block.text, self.st_quote), lay, decorate=self._quote_deco,
                              pad=(fs * self.theme.quote_pad_top, fs * self.theme.quote_pad_bottom),
                              tag="BlockQuote")
                story.append(Quote(quote, lay, leading=self.st_body.leading))
                for after in waiting:
                    after.append(story[-1])
            waits = isinstance(story[-1], Float) and not (lay.strict and story[-1].box.cites)  # may wait
            if first and not waits:
                heading.follow = story[-1]  # what keeps the heading company: text, unless a float can wait
                first = False

    def _hold_tail(self, story: list, waiting: list, heading: Heading, before: int, notes, number) -> Block | None:
        """For a figure that left a gap (see `_blocks`): the last lines of the paragraph just set
        (`story[-1]`), to be set after the figure, as many as may follow it with every note still
        first met in order (two lines at least stay before it); the paragraph keeps the rest."""
        prev = story[-1]
        if type(prev) is not Block:
            return None
        prev.para.narrow = 0
        prev.para.wrap(self.width, 1e6)
        lines = line_cites(prev.para)
        top = before  # the highest note met before line k
        for k, line in enumerate(lines):
            fits = all(n <= top for n in notes) or all(n <= top for rest in lines[k:] for n in rest)
            if k >= 2 and fits:
                pieces = cast("list[Para]", prev.para.split(self.width, k * prev.leading + 1e-3))
                if len(pieces) == 2 and not _names(pieces[1].getPlainText(), number):  # the call stays before it
                    break
            top = max(top, *line, 0)
        else:
            return None
        head = story[-1] = Block(pieces[0], self.layout, struct=prev.struct)
        head.runs_on = True
        for after in waiting:
            after[:] = [head if b is prev else b for b in after]
        if heading.follow is prev:
            heading.follow = head
        return Block(pieces[1], self.layout, struct=prev.struct)

    def _figure(self, fig: Figure, nxt, after: list[Flowable]) -> Flowable:
        """A figure in the column, or floated right of the paragraph after it (a photo, not a panorama)."""
        lay = self.layout
        box = self._figure_box(fig, self.width)
        # a panorama spans the column: set narrow, it would be a strip (a pixel's rounding in the
        # photo's print copy may make 2.5:1 read 2.49:1)
        small = fig.kind == "photo" and box.graphic.aspect * self.theme.panorama > 1 + self.theme.panorama_slack
        floats = small and isinstance(nxt, ParagraphBlock)
        frac = self.theme.float_width if floats else self.theme.photo_width if small else 1.0
        if frac < 1 and box.crowded(self.width * frac):  # a long caption: the column's width
            floats, frac = False, 1.0
        figure: Float | FigureFlowable
        if floats:
            figure = Float(box, lay, fraction=frac, gutter=self.body_size * self.theme.float_gutter,
                           leading=self.st_body.leading, after=after)
        else:
            figure = FigureFlowable(box, lay, fraction=frac, leading=self.st_body.leading, after=after,
                                    spans=fig.kind == "photo" and not small)
        figure.stays = fig.id in self.keep
        return figure

    def _quote_deco(self, canv, w: float, h: float) -> None:
        canv.saveState()
        canv.setFillColor(self.tint)
        canv.rect(0, 0, w, h, stroke=0, fill=1)
        canv.setFillColor(self.accent)
        canv.rect(0, 0, 3, h, stroke=0, fill=1)
        canv.restoreState()

    def _collect_refs(self) -> None:
        doc = self.doc
        cited = self.refs.cited
        for section in doc.sections:
            for block in section.blocks:
                if isinstance(block, (ParagraphBlock, PullQuote)):
                    cited.update(note_numbers(block.text))
                elif isinstance(block, FigureBlock):
                    cited.update(note_numbers(block.figure.caption))
                    cited.update(note_numbers(block.figure.credit))
        cited.update(note_numbers(doc.meta.credit))

    def _note_items(self) -> None:
        listed = {n.number for n in self.doc.text_notes}  # a note's text may cite only these
        for note in self.doc.text_notes:
            n = note.number
            number = f'<a name="note-{n}"/>'
            if n in self.refs.cited:
                number += f'<a href="#ref-{n}" color="{self.accent_hex}">{n}.</a>'
            else:
                number += f"{n}."
            text = markup(note.text, Refs(set(), listed), self.accent_hex,
                           sup_size=5)
            self.layout.notes.items[n] = NoteItem(Paragraph(number, self.st_note_num), Para(text, self.st_note),
                                                  self.note_indent, layout=self.layout, n=n)

    # ------------------------------------------------------------------ pages

    def write(self, pdfa: bool = True) -> Rendered:
        """Set and save the file; PDF/A-2a unless `pdfa` is off (see `conformance`)."""
        doc, theme = self.doc, self.theme
        self._collect_refs()
        story = self._story()
        _, page_h = theme.page
        first_top = page_h - theme.band - theme.below_band
        first = Frame(theme.margin_x, theme.margin_bottom, self.width, first_top - theme.margin_bottom,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first")
        later = Frame(theme.margin_x, theme.margin_bottom, self.width,
                      page_h - theme.margin_top - theme.margin_bottom,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="later")
        m = doc.meta
        decor = PageDecor(doc, theme, self.faces, self.body_size, self.tree)
        template = DocTemplate(
            str(self.dest) if isinstance(self.dest, Path) else self.dest,
            self.layout,
            pagesize=theme.page,
            leftMargin=theme.margin_x, rightMargin=theme.margin_x,
            topMargin=theme.margin_top, bottomMargin=theme.margin_bottom,
            title=m.title, author=", ".join(m.authors), subject=m.subject, keywords=", ".join(m.keywords),
            creator=CREATOR, lang=m.language, invariant=1, displayDocTitle=1,
            initialFontName=self.faces.serif[False, False], initialFontSize=self.body_size,
            initialLeading=self.body_size * 1.2, stamp=stamp_for(doc), rule_color=self.muted,
            pageTemplates=[
                PageTemplate("first", [first], onPage=decor.first, autoNextPageTemplate="later"),
                PageTemplate("later", [later], onPage=decor.later),
            ],
        )
        finish = functools.partial(conformance.finish, meta=m, ua=self.tree.enabled, pdfa=pdfa)
        with url_breaks(UrlBreaks()), exact_output():
            template.build(story, canvasmaker=self.tree.canvasmaker(finish=finish))
        # a figure drawn smaller or less high may leave places unnamed that its first drawing named
        drawn = [n for box in self.boxes for n in box.graphic.notes if n not in self.warnings]
        warnings = self.warnings + list(dict.fromkeys(drawn)) + decor.warnings + self.layout.warnings
        self.rendered = Rendered(units=template.page, warnings=tuple(warnings))
        return self.rendered


def _names(text: str, number: int) -> bool:
    """Whether `text` names figure `number`."""
    return re.search(rf"\bFigure\s+{number}\b", text) is not None


def _cites(block) -> tuple[int, ...]:
    if isinstance(block, FigureBlock):
        return note_numbers(block.figure.caption) + note_numbers(block.figure.credit)
    return note_numbers(block.text)
