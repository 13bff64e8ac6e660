"""The PDF page state (render/pdf/layout.py): footnotes at the foot of the page and floats
beside the text, on a stand-in for the document template, with real note flowables; and
one small real render of a floated photo."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTImage, LTTextLine
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from jnim_export import model as m
from jnim_export.render import Context
from jnim_export.render.pdf import PdfOptions, render as render_pdf
from jnim_export.render.pdf.layout import Floats, Footnotes, Layout
from jnim_export.render.pdf.flowables import Block, Heading, NoteItem, Para
from jnim_export.render.pdf.markup import Refs, markup
from jnim_export.render.pdf.placement import FigureFlowable, Float, Quote, Zero
from jnim_export.render.pdf.tagging import NullTree
from jnim_export.render.pdf.theme import theme_for

THEME = theme_for("letter")
WIDTH = THEME.width
FRAME_HEIGHT = 600.0
CAP = THEME.footnote_cap * FRAME_HEIGHT
NOTE = ParagraphStyle("note", fontName="Helvetica", fontSize=8, leading=10.4, spaceAfter=3.6)
NUMBER = ParagraphStyle("num", fontName="Helvetica", fontSize=8, leading=10.4, alignment=2)
INDENT = 19.2
PROPS = settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


class Frame:
    def __init__(self, height: float, y1p: float = 0.0):
        self._height = height
        self._y1p = y1p
        self.bottomPadding = 0.0


class PageTemplate:
    def __init__(self, frame: Frame):
        self.frames = [frame]


class Doc:
    """What Footnotes and Floats read of the document template: the frame being filled and
    the page template's frames."""

    def __init__(self, height: float = FRAME_HEIGHT, y1p: float = 0.0):
        self.frame = Frame(height, y1p)
        self.pageTemplate = PageTemplate(self.frame)


def note_text(n: int, words: int) -> str:
    return f"Note {n} begins " + " ".join(f"w{n}x{i}" for i in range(words)) + f" ends{n}."


def note_item(n: int, words: int) -> NoteItem:
    return NoteItem(Paragraph(f"{n}.", NUMBER), Paragraph(note_text(n, words), NOTE), INDENT)


def footnotes(sizes: dict[int, int], *, active: bool = True) -> tuple[Footnotes, Doc]:
    notes = Footnotes(active, WIDTH, THEME)
    doc = Doc()
    notes.doc = doc
    notes.items = {n: note_item(n, words) for n, words in sizes.items()}
    notes.new_page()
    return notes, doc


def heights(pieces) -> list[float]:
    return [p.wrap(WIDTH, 10_000)[1] for p in pieces]


def area(hs: list[float]) -> float:
    """The foot area as the theme describes it: space for the rule, the notes, a gap between two."""
    return THEME.footnote_rule_space + sum(hs) + THEME.footnote_gap * (len(hs) - 1) if hs else 0.0


def words_of(piece: NoteItem) -> list[str]:
    """The words of a note or of a part of one (a split paragraph keeps its words per fragment)."""
    out: list[str] = []
    for frag in piece.text_para.frags:
        out += list(frag.words) if getattr(frag, "words", None) else frag.text.split()
    assert out, "a piece without words"
    return out


# --------------------------------------------------------------------------- footnotes

# a few notes of one line to several pages' worth; citations of known and unknown numbers
note_sizes = st.dictionaries(st.integers(1, 12), st.sampled_from([2, 10, 40, 120, 400, 900]), min_size=1)
operations = st.lists(
    st.one_of(st.just("page"), st.lists(st.integers(0, 14), max_size=5)), min_size=1, max_size=14,
)


@PROPS
@given(sizes=note_sizes, ops=operations)
def test_footnotes_are_set_once_and_reserve_exactly_their_area(sizes, ops):
    notes, doc = footnotes(sizes)
    placed: set[int] = set()
    on_page: list[int] = []
    for op in ops:
        if op == "page":
            carried = list(notes.carry)
            notes.new_page()
            on_page = []
            # the rests of long notes come first on the new page, in order, as many as the cap takes
            firsts = [words_of(c)[0] for c in carried]
            assert [words_of(p)[0] for p in notes.pieces] == firsts[: len(notes.pieces)]
            assert [words_of(p)[0] for p in notes.pieces + notes.carry][: len(firsts)] == firsts[: len(notes.pieces)] + \
                [words_of(c)[0] for c in notes.carry][: len(firsts) - len(notes.pieces)]
            assert doc.frame.bottomPadding == pytest.approx(area(heights(notes.pieces)))
            assert area(heights(notes.pieces)) <= CAP + 1e-6 or len(notes.pieces) == 1
            continue
        new = notes.new_notes(op)
        expected = [n for n in dict.fromkeys(op) if n in sizes and n not in placed]
        assert new == expected
        assert len(set(new)) == len(new) and not set(new) & placed
        before = doc.frame.bottomPadding
        uncut = area(heights(notes.pieces) + [notes.note_height(n) for n in new]) <= CAP
        extra = notes.extra(op)
        if not new:
            assert extra == 0.0
        notes.commit(op)
        after = doc.frame.bottomPadding
        assert after == notes.foot_area() == pytest.approx(area(heights(notes.pieces)))
        # what `extra` promised is what the page gave (less, where a long note was cut at a line)
        assert after - before <= extra + 1e-6
        if uncut:  # all the new notes fit under the page's cap: set whole, as promised
            assert after - before == pytest.approx(extra)
        placed.update(new)
        on_page.extend(new)
        assert notes.page == on_page and notes.placed == placed
        # cited again: on the page already, nothing more to set
        assert notes.new_notes(op) == [] and notes.extra(op) == 0.0
        # only the page's last note may run on overleaf: every note begun before it ends here
        begun = [p for p in notes.pieces[:-1] if p.number_para is not None]
        assert all(words_of(p)[-1].startswith("ends") for p in begun)
        # the page's notes together no taller than the cap, but for two lines of each note begun on
        # it, and for notes set whole past it because another note follows them on the page
        within = area(heights(notes.pieces)) <= CAP + len(notes.page) * 2.2 * NOTE.leading + 1e-6
        last = notes.pieces[-1] if notes.pieces else None
        assert within or words_of(last)[-1].startswith("ends") or heights([last])[0] <= 2.2 * NOTE.leading + 1e-6


@PROPS
@given(sizes=note_sizes, ops=operations)
def test_in_endnote_mode_nothing_is_set_at_the_foot(sizes, ops):
    notes, doc = footnotes(sizes, active=False)
    for op in ops:
        if op == "page":
            notes.new_page()
            continue
        assert notes.new_notes(op) == []
        assert notes.extra(op) == 0.0
        notes.commit(op)
        assert doc.frame.bottomPadding == 0 and notes.pieces == [] and notes.placed == set()


def test_a_note_taller_than_the_cap_continues_on_the_next_pages():
    notes, doc = footnotes({1: 3, 2: 1500, 3: 5})
    tall = notes.note_height(2)
    assert tall > 2 * CAP  # three pages' worth
    notes.commit([1, 2])
    first, second = heights(notes.pieces)
    assert first == pytest.approx(notes.note_height(1))
    room = CAP - area([first, 0.0])  # the cap holds for the page's notes together
    assert room - NOTE.leading < second <= room  # as much as the cap leaves, cut at a line
    assert len(notes.carry) == 1
    assert doc.frame.bottomPadding == pytest.approx(area([first, second]))
    words = words_of(notes.pieces[1])
    pages = 1
    while notes.carry:
        notes.new_page()
        pages += 1
        # the rest of note 2 is set before anything else on the page, and reserved at once
        assert notes.page == [] and len(notes.pieces) == 1
        assert notes.pieces[0].number_para is None  # the number is printed once, on the first part
        assert doc.frame.bottomPadding == pytest.approx(area(heights(notes.pieces)))
        words += words_of(notes.pieces[0])
        if pages == 2:
            notes.commit([3])  # a note of this page comes after the carried rest
            assert len(notes.pieces) == 2 and words_of(notes.pieces[1])[:2] == ["Note", "3"]
            assert doc.frame.bottomPadding == pytest.approx(area(heights(notes.pieces)))
    # every page but the last takes a full cap (the first less its other note), less at most a line
    assert math.ceil(tall / CAP) <= pages <= math.ceil((tall + first + THEME.footnote_gap) / (CAP - NOTE.leading))
    assert words == note_text(2, 1500).split(), "nothing of the note is lost or repeated"
    notes.new_page()
    assert notes.pieces == [] and doc.frame.bottomPadding == 0


# --------------------------------------------------------------------------- floats


@settings(max_examples=100, deadline=None, database=None)
@given(
    y1p=st.floats(0, 800), aH=st.floats(0, 700), bottom=st.floats(0, 800), leading=st.floats(5, 30),
)
def test_float_clearance_and_narrow_lines(y1p, aH, bottom, leading):
    floats = Floats()
    floats.doc = Doc(y1p=y1p)
    assert floats.clearance(aH) == 0.0 and floats.narrow_lines(aH, leading) == 0  # no float yet
    floats.bottom, floats.cut = bottom, 120.0
    top = aH + y1p
    assert floats.top(aH) == top
    assert floats.clearance(aH) == max(0.0, top - bottom)
    k = floats.narrow_lines(aH, leading)
    if top <= bottom:
        assert k == 0
    else:
        # just enough lines to reach below the float
        assert k * leading >= (top - bottom) - 1e-6 * leading
        assert (k - 1) * leading < top - bottom
    floats.new_page()
    assert floats.bottom is None and floats.cut == 0.0
    assert floats.clearance(aH) == 0.0 and floats.narrow_lines(aH, leading) == 0


def test_narrow_lines_on_exact_multiples():
    floats = Floats()
    floats.doc = Doc(y1p=100.0)
    floats.bottom = 100.0
    assert floats.narrow_lines(36.0, 12.0) == 3
    assert floats.narrow_lines(36.5, 12.0) == 4
    assert floats.narrow_lines(0.0, 12.0) == 0
    assert floats.clearance(36.0) == 36.0 and floats.clearance(-5.0) == 0.0


class Box:
    """A figure box of a fixed height (what Float and FigureFlowable ask of one)."""

    def __init__(self, height: float, cites=()):
        self.h = height
        self.cites = list(cites)
        self.tree, self.group = NullTree(), None

    def legible(self, width: float) -> bool:
        return True

    def reshape(self, ratio: float) -> bool:
        return ratio == 1

    def wrap(self, width: float) -> float:
        self.width = width
        return self.h


def test_a_float_takes_no_height_unless_it_must_clear_an_earlier_one():
    layout = Layout(False, WIDTH, THEME)
    layout.doc = Doc(y1p=72.0)
    flt = Float(Box(150.0), layout, fraction=0.32, gutter=20.0, leading=14.5)
    # room for the figure and two lines beside it: no height in the flow
    assert flt.wrap(WIDTH, 150.0 + 2 * 14.5) == (WIDTH, 0.0)
    # less: it asks for more than there is, and goes to the next page
    _, need = flt.wrap(WIDTH, 150.0 + 2 * 14.5 - 1)
    assert need == pytest.approx(150.0 + 2 * 14.5)
    # below an earlier float still reaching 40 pt down: it starts where that one ends
    layout.floats.bottom = 72.0 + 400.0 - 40.0
    assert flt.wrap(WIDTH, 400.0) == (WIDTH, pytest.approx(40.0))
    fig = FigureFlowable(Box(100.0), layout, fraction=1.0, leading=14.5)
    assert fig.wrap(WIDTH, 400.0) == (WIDTH, pytest.approx(140.0))  # a figure in the column clears it too


def test_a_heading_moves_on_when_the_first_lines_after_it_do_not_fit():
    """The heading needs room for itself, the space after it and two lines of its text: with a
    point less it asks for more than there is (once, heading and lines fitted without that space,
    so the heading stood alone at the page's foot)."""
    layout = Layout(False, WIDTH, THEME)
    layout.doc = Doc()
    heading_style = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=10.5, leading=14.0, spaceAfter=5.0)
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=14.5, spaceBefore=0.0)
    heading = Heading(Para("OUTLOOK", heading_style), layout, key="s", title="Outlook")
    heading.follow = Block(Para(" ".join(["word"] * 200), body), layout)
    room = 14.0 + 5.0 + 2 * 14.5  # the heading, the space after it, two lines
    assert heading.wrap(WIDTH, room + 1)[1] == pytest.approx(14.0)
    assert heading.wrap(WIDTH, room - 1)[1] > room - 1
    # a pull quote first: it is set whole, so the heading needs all of it, unless there is
    # room enough for the quote to wait for the next page while the text after it fills this one
    quote = Quote(Block(Para(" ".join(["quoted"] * 80), body), layout), layout, leading=14.5)
    heading.follow = quote
    whole = quote.wrap(WIDTH, 1000)[1]
    assert whole > THEME.min_fill_lines * 14.5
    assert heading.wrap(WIDTH, 14.0 + 5.0 + whole + 1)[1] == pytest.approx(14.0)
    assert heading.wrap(WIDTH, 14.0 + 5.0 + 2 * 14.5)[1] > 14.0 + 5.0 + 2 * 14.5  # once set alone at the foot
    assert heading.wrap(WIDTH, 14.0 + 5.0 + whole - 1)[1] == pytest.approx(14.0)  # the quote waits, text follows


def text_after(words: int, cite: int | None = None) -> list[Block]:
    """A body paragraph of `words` words, its first line citing note `cite`."""
    inlines: list = [m.Text("The group attacked the border again.")]
    if cite is not None:
        inlines.append(m.NoteRef(cite))
    inlines.append(m.Text(" " + " ".join(["word"] * words)))
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=14.5)
    return [Block(Para(markup(tuple(inlines), Refs(set(), set()), "#000000", sup_size=6), style), LAYOUT_FOR_TEXT)]


LAYOUT_FOR_TEXT = Layout(False, WIDTH, THEME)


def test_a_float_without_room_waits_only_when_the_text_after_it_fills_the_page():
    from reportlab.platypus.doctemplate import NullActionFlowable

    layout = Layout(False, WIDTH, THEME)
    layout.doc = Doc(y1p=72.0)
    room = 170.0  # less than the float and two lines beside it
    alone = Float(Box(150.0), layout, fraction=0.32, gutter=20.0, leading=14.5)
    action, column = alone.split(WIDTH, room)  # no text to fill the page: set in the column (smaller if need be)
    assert isinstance(action, NullActionFlowable) and isinstance(column, FigureFlowable)
    assert column.box is alone.box and column.fraction == THEME.photo_width and not layout.floats.deferred
    filled = Float(Box(150.0), layout, fraction=0.32, gutter=20.0, leading=14.5, after=text_after(400))
    (rest,) = filled.split(WIDTH, room)
    assert rest.wrap(WIDTH, room) == (0, 0) and layout.floats.deferred == [filled]  # overleaf, still a float
    layout.floats.deferred.clear()
    # text citing a later note fills the page before it (the PDF then numbers its notes as set)...
    cited = Float(Box(150.0, cites=[1]), layout, fraction=0.32, gutter=20.0, leading=14.5,
                  after=text_after(400, cite=2))
    assert isinstance(cited.split(WIDTH, room)[0], Zero) and layout.floats.deferred == [cited]
    assert layout.pending() == set()
    layout.floats.deferred.clear()
    # ...but not in a strict layout (callouts keep the content's order)...
    layout.strict = True
    assert not isinstance(cited.split(WIDTH, room)[0], Zero) and not layout.floats.deferred
    # ...where text citing nothing later may
    cited.after = text_after(400)
    cited.split(WIDTH, room)
    assert layout.floats.deferred == [cited] and layout.pending() == {1}
    layout.floats.deferred.clear()
    layout.strict = False
    layout.doc.frame._atTop = 1
    # on an empty page: no waiting, but set in the column, where its graphic may shrink to fit
    (column,) = filled.split(WIDTH, 500.0)
    assert isinstance(column, FigureFlowable) and column.box is filled.box and not layout.floats.deferred


def test_text_set_before_a_waiting_figure_meets_notes_in_their_order():
    """Lines may come before a figure whose caption first cites note 3 up to the first citing a later
    note while 3 is unmet; a line citing 3 itself (first) meets it, and later notes may follow."""
    from jnim_export.render.pdf.layout import open_lines

    assert open_lines([(), (2,), (4,), ()], {3}) == 2
    assert open_lines([(), (3, 4), (5,)], {3}) == 3
    assert open_lines([(4, 3)], {3}) == 0
    assert open_lines([(1,), (2,)], {3, 4}) == 2
    assert open_lines([(3,), (5,)], {3, 4}) == 1  # 4 is still unmet: 5 may not come before it
    seen: set[int] = set()
    assert open_lines([(3,)], {3}, seen) == 1 and seen == {3}


def test_a_float_counts_the_footnotes_it_cites():
    layout = Layout(True, WIDTH, THEME)
    layout.doc = Doc(y1p=72.0)
    layout.notes.items = {1: note_item(1, 60)}
    layout.new_page()
    flt = Float(Box(150.0, cites=[1]), layout, fraction=0.32, gutter=20.0, leading=14.5)
    extra = layout.notes.extra([1])
    assert extra > THEME.footnote_rule_space
    assert flt.min_height(WIDTH, 500.0) == pytest.approx(150.0 + extra)
    _, need = flt.wrap(WIDTH, 150.0 + 2 * 14.5 + extra - 1)
    assert need == pytest.approx(150.0 + 2 * 14.5 + extra)


# --------------------------------------------------------------------------- a floated photo, rendered

STYLE = m.Style("Noto Serif", "Noto Sans", 10, "#8c1d18", "#1f2328", "#5d6670", "#f3efe8", ("#8c1d18",), None)


def photo_document(image: Path, caption: str = "A portrait.") -> m.Document:
    meta = m.Meta(
        "A Float Test", "Test", "test", "Test Series", "Test Publisher", "TP", ("A. Author",), (),
        "2020-05-04", (m.Text("Compiled for a test."),), "© 2020 Test Publisher", "en-GB", "A subject", (),
    )
    photo = m.Figure("photo", 1, "photo", (m.Text(caption),), (), "A portrait.", image, None, None, None, False)
    words = " ".join(["the group and its forces attacked the border region again in the north"] * 30)
    blocks = (m.FigureBlock(photo), m.Paragraph((m.Text(words),)), m.Paragraph((m.Text("A closing paragraph."),)))
    return m.Document(
        source=Path("/nonexistent/content.yaml"), root=Path("/nonexistent"), meta=meta, style=STYLE,
        sections=(m.Section("only", "Only Section", blocks, ()),), figures=(photo,), notes=(),
        sources=(), leaders=(), facts=(), origins=None, allegiance=(), attacks=(), places=(),
    )


def test_a_photo_before_a_paragraph_floats_right_of_the_text(tmp_path):
    from PIL import Image

    picture = tmp_path / "portrait.png"
    Image.new("RGB", (300, 400), (120, 90, 60)).save(picture)
    out = tmp_path / "float.pdf"
    result = render_pdf(photo_document(picture), out, PdfOptions(), Context(tmp_path / "cache"))
    assert result.units == 1 and not result.warnings

    images, lines = [], []

    def walk(obj):
        if isinstance(obj, LTImage):
            images.append(obj)
        elif isinstance(obj, LTTextLine):
            chars = [c for c in obj if isinstance(c, LTChar)]
            if chars and all("Serif" in c.fontname for c in chars) and chars[0].size > 9:
                lines.append(obj)
        elif hasattr(obj, "__iter__"):
            for child in obj:
                walk(child)

    walk(next(iter(extract_pages(str(out)))))
    (image,) = images
    right_margin = THEME.page[0] - THEME.margin_x
    assert image.x1 == pytest.approx(right_margin, abs=0.5)  # floated to the right edge of the column
    assert image.width == pytest.approx(THEME.float_width * WIDTH, abs=0.5)
    beside = [ln for ln in lines if ln.y0 < image.y1 and ln.y1 > image.y0]
    below = [ln for ln in lines if ln.y1 < image.y0]
    assert len(beside) >= 5, "lines run beside the photo"
    assert below, "the paragraph goes on below the photo"
    for ln in beside:
        assert ln.x1 <= image.x0, f"a line beside the photo runs into it: {ln.get_text()!r}"
        assert ln.x0 == pytest.approx(THEME.margin_x, abs=0.5)
    assert max(ln.x1 for ln in below) > image.x0, "below the photo, lines are full width again"
    for ln in lines:  # no text line over the photo
        assert ln.x1 <= image.x0 or ln.y1 <= image.y0 or ln.y0 >= image.y1


def test_a_narrow_caption_keeps_its_label_whole(tmp_path):
    """A caption whose first word cannot follow "Figure 1" on the float's line breaks after the
    label, never inside it ("Figure" alone, "1" on the next line) nor inside the word."""
    from PIL import Image

    picture = tmp_path / "portrait.png"
    Image.new("RGB", (300, 400), (120, 90, 60)).save(picture)
    word = "Grenzsicherheitszusammenarbeit"  # a German compound: no break point, not too wide for the float
    out = tmp_path / "label.pdf"
    render_pdf(photo_document(picture, f"{word} and its partners."), out, PdfOptions(), Context(tmp_path / "cache"))
    lines = []

    def walk(obj):
        if isinstance(obj, LTTextLine):
            lines.append(obj.get_text().replace("\xa0", " ").strip())
        elif hasattr(obj, "__iter__"):
            for child in obj:
                walk(child)

    walk(next(iter(extract_pages(str(out)))))
    assert "Figure 1" in lines and word in lines, lines


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_footnotes_of_the_lines_beside_a_float_stay_below_it(tmp_path, paper):
    """Text beside a photo cites long notes: they are set below the photo, never over it."""
    import dataclasses

    import pdfcheck
    from PIL import Image

    picture = tmp_path / "portrait.png"
    Image.new("RGB", (300, 420), (120, 90, 60)).save(picture)
    doc = photo_document(picture)
    sentence = "The group and its forces attacked the border region again in the north"
    inlines, notes = [], []
    for n in range(1, 9):
        inlines += [m.Text(f"{sentence} ({n})."), m.NoteRef(n), m.Text(" ")]
        words = " ".join(f"source{n} detail{i}" for i in range(40))
        notes.append(m.Note(n, f"note-{n}", (m.Text(f"Agency {n}, \u201c{words}.\u201d"),), ()))
    inlines += [m.Text(" ".join([sentence] * 20) + ".")]
    section = doc.sections[0]
    blocks = (section.blocks[0], m.Paragraph(tuple(inlines)), *section.blocks[2:])
    doc = dataclasses.replace(doc, sections=(dataclasses.replace(section, blocks=blocks),), notes=tuple(notes))
    out = tmp_path / "float-notes.pdf"
    render_pdf(doc, out, PdfOptions(paper=paper, notes="footnotes"), Context(tmp_path / "cache"))

    findings = pdfcheck.check(out)
    assert not any(findings.values()), pdfcheck.report(findings)
    for page in extract_pages(str(out)):
        images = [o for o in page if isinstance(o, LTImage) or hasattr(o, "__iter__") and any(isinstance(c, LTImage) for c in o)]
        small = [ln for box in page if hasattr(box, "__iter__") for ln in box if isinstance(ln, LTTextLine)
                 and all(c.size < 9 for c in ln if isinstance(c, LTChar))]
        for image in images:
            for ln in small:
                beside = ln.x1 > image.x0 and ln.x0 < image.x1
                assert not (beside and ln.y1 > image.y0 and ln.y0 < image.y1), f"a note line runs over the photo: {ln.get_text()!r}"
