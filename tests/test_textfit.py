"""The slide text fitter (render/pptx/textfit.py): wrapping, splitting and measuring, checked
against the font metrics directly (fonts.text_width), on random texts, widths and sizes."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jnim_export.fonts import text_width
from jnim_export.model import Emph, Link, NoteRef, Strong, Text, note_numbers, plain_text
from jnim_export.render.pptx.textfit import (
    LINE_PITCH,
    WRAP_SLACK,
    Measure,
    Para,
    Seg,
    inline_segs,
    para_cites,
    paragraph,
    ref_segs,
)

PROPS = settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
EPS = 1e-6

# --------------------------------------------------------------------------- strategies

# Letters of several widths, accented and transliterated ones, punctuation; no tab (a tab
# separates a label, tested on its own) and no line break (a run holds none).
CHARS = "aeilmnorstuvwxyzWMIJ.,;:-'()\u00e9\u00e8\u0101\u02bf\u2019\u2013"
words_ = st.text(alphabet=CHARS, min_size=1, max_size=14)
long_words = st.text(alphabet=CHARS, min_size=30, max_size=90)
spaces = st.sampled_from([" ", " ", " ", "  "])


@st.composite
def texts(draw, min_words=1, max_words=25):
    n = draw(st.integers(min_words, max_words))
    out = ""
    for i in range(n):
        word = draw(st.one_of(words_, words_, words_, words_, words_, long_words))
        out += (draw(spaces) if i else draw(st.sampled_from(["", "", " "]))) + word
    return out + draw(st.sampled_from(["", "", " "]))


@st.composite
def segs(draw):
    """A text cut into runs of random style; some runs are links, some superscripts."""
    text = draw(texts())
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=5)))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)]) if text[a:b]]
    out = []
    for piece in pieces:
        kind = draw(st.sampled_from(["plain", "plain", "bold", "italic", "link", "sup"]))
        out.append(Seg(
            piece, bold=kind == "bold", italic=kind == "italic", sup=kind == "sup",
            href="https://example.org/x" if kind == "link" else None,
        ))
    return tuple(out)


@st.composite
def paras(draw):
    size = draw(st.sampled_from([8.0, 10.0, 12.0, 14.0, 16.0, 18.5, 24.0, 32.0]))
    return Para(
        draw(segs()), size,
        bold=draw(st.booleans()), italic=draw(st.booleans()),
        hang=draw(st.sampled_from([0.0, 0.0, 9.0, 18.0, 30.0])),
        after=draw(st.sampled_from([0.0, 4.0, 10.0])),
        spacing=draw(st.sampled_from([0.9, 1.0, 1.15])),
        family=draw(st.sampled_from([None, None, "Noto Serif", "Comic Sans"])),
        bullet=draw(st.booleans()),
    )


measures = st.sampled_from([Measure("Noto Sans"), Measure("Noto Serif"), Measure("Noto Sans", 1.08)])


def widths_for(para: Para):
    # at least one widest character (and a bit) beside the hanging indent: a line always takes one
    least = (para.hang + 1.3 * para.size) / WRAP_SLACK
    return st.floats(least, 900, allow_nan=False)


# --------------------------------------------------------------------------- an independent measure


def family_of(measure: Measure, para: Para) -> str:
    return para.family if para.family in ("Noto Sans", "Noto Serif") else measure.family


def width_of(measure: Measure, para: Para, pieces) -> float:
    fam = family_of(measure, para)
    return measure.width_factor * sum(
        text_width(t, fam, para.size, bold=para.bold or s.bold, italic=para.italic or s.italic) for t, s in pieces
    )


def ink(line):
    """A line without its trailing spaces (they hang in the margin, as in PowerPoint)."""
    pieces = list(line)
    while pieces and not pieces[-1][0].strip(" "):
        pieces.pop()
    if pieces and pieces[-1][0].endswith(" "):
        t, s = pieces[-1]
        pieces[-1] = (t.rstrip(" "), s)
    return pieces


def text_of(lines) -> str:
    return "".join(t for line in lines for t, _ in line)


def visible(para: Para) -> str:
    """What the fitter lays out: the text after a tab-separated label."""
    out = ""
    for s in para.segs:
        if "\t" in s.text:
            out = s.text.split("\t", 1)[1]
        else:
            out += s.text
    return out


# --------------------------------------------------------------------------- lines


@PROPS
@given(data=st.data(), para=paras(), measure=measures)
def test_no_line_is_wider_than_the_box(data, para, measure):
    width = data.draw(widths_for(para))
    avail = width * WRAP_SLACK - para.hang
    for line in measure.lines(para, width):
        assert width_of(measure, para, ink(line)) <= avail + EPS, (text_of([line]), avail)


@PROPS
@given(data=st.data(), para=paras(), measure=measures)
def test_lines_keep_every_character_in_order(data, para, measure):
    width = data.draw(widths_for(para))
    lines = measure.lines(para, width)
    assert text_of(lines) == para.text
    # and the pieces, in order, are the runs cut up, each piece with its run's style
    pieces = [piece for line in lines for piece in line]
    for seg in para.segs:
        taken = ""
        while len(taken) < len(seg.text):
            text, style = pieces.pop(0)
            assert style == seg
            taken += text
        assert taken == seg.text
    assert pieces == []
    assert all(line for line in lines)


@PROPS
@given(data=st.data(), para=paras(), measure=measures)
def test_lines_break_only_where_needed(data, para, measure):
    """Greedy: the first word of each line did not fit at the end of the line before."""
    width = data.draw(widths_for(para))
    avail = width * WRAP_SLACK - para.hang
    lines = measure.lines(para, width)
    for i, (before, line) in enumerate(zip(lines, lines[1:])):
        if any(s.href for _, s in before):
            continue  # a link that broke ends its line (LibreOffice does so)
        last, first = before[-1], line[0]
        if not last[0].endswith(" ") and not first[0].startswith(" ") and last[1].href == first[1].href:
            # inside a word longer than a line: the next character did not fit
            assert width_of(measure, para, list(before) + [(first[0][0], first[1])]) > avail - EPS
            continue
        # the word that opens the line (up to a space or a change of link), wherever it ends
        word = []
        for t, s in (piece for later in lines[i + 1:] for piece in later):
            if word and s.href != word[-1][1].href:
                break
            part = re.match(r"[^ ]*", t).group()
            if part:
                word.append((part, s))
            if part != t:
                break
        if width_of(measure, para, word) > avail:
            continue  # a word longer than a line starts a line of its own, then breaks
        assert width_of(measure, para, list(before) + word) > avail - EPS


@PROPS
@given(data=st.data(), para=paras(), measure=measures)
def test_height_counts_lines_at_the_pitch(data, para, measure):
    width = data.draw(widths_for(para))
    n = len(measure.lines(para, width))
    assert measure.pitch(para) == pytest.approx(para.spacing * LINE_PITCH * para.size)
    assert measure.height(para, width) == pytest.approx(n * measure.pitch(para) + para.after)


@PROPS
@given(data=st.data(), para=paras(), measure=measures)
def test_longest_line_decides_one_line(data, para, measure):
    width = data.draw(widths_for(para))
    longest = measure.longest_line(para)
    assert longest == pytest.approx(width_of(measure, para, [(s.text, s) for s in para.segs]) + para.hang)
    lines = measure.lines(para, width)
    if longest <= width * WRAP_SLACK:
        assert len(lines) == 1
    for line in lines:
        assert width_of(measure, para, ink(line)) + para.hang <= longest + EPS


def test_a_word_longer_than_the_line_breaks_between_characters():
    measure = Measure("Noto Sans")
    word = "Supercalifragilisticexpialidocious" * 3
    para = paragraph(f"Before {word} after", 12)
    width = 120.0
    lines = measure.lines(para, width)
    texts_ = ["".join(t for t, _ in line) for line in lines]
    assert texts_[0] == "Before "  # the long word starts a line of its own
    assert "".join(texts_) == para.text
    middle = [t for t in texts_ if t.strip() and " " not in t.strip()]
    assert len(middle) >= 3, texts_
    for line in lines:
        assert width_of(measure, para, ink(line)) <= width * WRAP_SLACK + EPS
    # each line the word was broken at is full: its next character would not have fitted
    broken = 0
    for i in range(1, len(lines) - 1):
        line, nxt = lines[i], lines[i + 1]
        if texts_[i + 1].startswith("after"):
            break
        assert width_of(measure, para, list(line) + [(nxt[0][0][0], nxt[0][1])]) > width * WRAP_SLACK
        broken += 1
    assert broken >= 3


def test_a_hanging_indent_narrows_every_line():
    measure = Measure("Noto Sans")
    text = "one two three four five six seven eight nine ten"
    flat = paragraph(text, 14)
    width = measure.longest_line(flat) / WRAP_SLACK + 1
    assert len(measure.lines(flat, width)) == 1
    hung = paragraph(text, 14, hang=40)
    lines = measure.lines(hung, width)
    assert len(lines) == 2
    for line in lines:
        assert width_of(measure, hung, ink(line)) <= width * WRAP_SLACK - 40 + EPS


def test_the_label_before_a_tab_sits_in_the_hanging_indent():
    measure = Measure("Noto Sans")
    para = paragraph([Seg("12.\t"), Seg("The note text, long enough to wrap onto more lines than one.")], 12, hang=24)
    lines = measure.lines(para, 200)
    assert text_of(lines) == visible(para)
    assert "12." not in text_of(lines)
    assert measure.longest_line(para) == pytest.approx(width_of(measure, para, [(visible(para), para.segs[1])]) + 24)


def test_a_link_is_a_word_of_its_own():
    measure = Measure("Noto Sans")
    url = "https://example.org/a/very/long/address/that/cannot/fit/on/one/line/of/this/box"
    words = "a link whose words are very long indeed and go on"
    para = paragraph([Seg("See:"), Seg(words.replace(" ", "-"), href=url), Seg("."), Seg(" Then more text follows.")],
                     12)
    lines = measure.lines(para, 150)
    assert text_of(lines) == para.text
    # the text after a link that had to break starts a new line
    last_link_line = max(i for i, line in enumerate(lines) if any(s.href for _, s in line))
    assert not any(s.href for _, s in lines[last_link_line + 1])
    assert lines[last_link_line + 1][0][0] == "."


URL_CHARS = st.sampled_from(list("abcdefghij0123456789") + list("/~.,-_?#%=&"))


@settings(max_examples=60, deadline=None)
@given(path=st.lists(URL_CHARS, min_size=10, max_size=140).map("".join), width=st.integers(90, 400))
def test_a_shown_url_breaks_only_at_chicago_points(path, width):
    """A note's URL, shown as "<URL>.", is cut where the Chicago Manual allows (jnim_export.urls, as
    in the PDF), its brackets and full stop on the lines of its first and last letters; the line
    breaks `with_breaks` writes are where the lines break, and the text is unchanged."""
    from jnim_export.urls import break_points

    url = "https://example.org/" + path
    segs = inline_segs([Text("Report, 5 May 2020, <"), Link(url, (Text(url),)), Text(">. Later text.")])
    assert [s.text for s in segs if s.href] == [f"<{url}>."]  # brackets and stop ride in the link
    para = paragraph(segs, 12)
    measure = Measure("Noto Sans")
    lines = measure.lines(para, width)
    assert text_of(lines) == para.text
    link = next(s for s in para.segs if s.href)
    allowed = {i + 1 for i in break_points(url)}  # in the link's text, after its "<"
    pos = 0
    for line, nxt in zip(lines, lines[1:]):
        in_link = [t for t, s in line if s is link]
        if in_link and nxt and nxt[0][1] is link:
            pos += sum(len(t) for t in in_link)
            longest = max(len(t) for t, s in line if s is link)
            assert pos in allowed or longest == 1, (pos, link.text)  # or a piece wider than a line
        elif in_link:
            pos += sum(len(t) for t in in_link)
        assert "".join(t for t, _ in line).strip() not in ("<", ">", ">.", ".")
    broken = measure.with_breaks(para, width)
    assert "".join(s.text for s in broken.segs).replace("\v", "") == para.text
    assert len(measure.lines(broken, width)) == len(lines)


# --------------------------------------------------------------------------- split


@PROPS
@given(data=st.data(), para=paras(), measure=measures)
def test_split_loses_nothing_but_the_spaces_at_the_cut(data, para, measure):
    width = data.draw(widths_for(para))
    lines = measure.lines(para, width)
    assume(len(lines) >= 2)
    keep = data.draw(st.integers(1, len(lines) - 1))
    # not at a whole number of lines, where rounding may go either way
    max_pt = (keep + data.draw(st.floats(0.01, 0.99))) * measure.pitch(para) + para.after
    head, tail = measure.split(para, width, max_pt)
    assert tail is not None
    original = para.text
    assert original.startswith(head.text)
    gap = original[len(head.text):len(original) - len(tail.text)]
    assert original.endswith(tail.text) and gap.strip(" ") == "", (head.text, tail.text)
    assert tail.text and not tail.text.startswith(" ")
    # the head is the text of the first `keep` lines, the tail the rest; set on its own the
    # head takes no more lines (fewer, where the piece of a long word it ends with fits higher up)
    assert head.text == text_of(lines[:keep])
    assert 1 <= len(measure.lines(head, width)) <= keep
    assert head.after == 0 and tail.after == para.after
    assert tail.bullet is False and head.bullet == para.bullet
    # runs keep their style on both sides of the cut
    for part in (head, tail):
        for s in part.segs:
            assert any(s.text in o.text and (s.bold, s.italic, s.sup, s.href) == (o.bold, o.italic, o.sup, o.href)
                       for o in para.segs)


@PROPS
@given(data=st.data(), para=paras(), measure=measures)
def test_split_of_what_fits_is_the_paragraph_itself(data, para, measure):
    width = data.draw(widths_for(para))
    whole = measure.height(para, width)
    head, tail = measure.split(para, width, whole + data.draw(st.floats(0, 50)))
    assert head is para and tail is None


def test_split_at_exactly_the_height_keeps_the_paragraph_whole():
    measure = Measure("Noto Sans")
    para = paragraph(": MM : :::: : ::MMM : :::::::MMMM", 8.0, spacing=0.9)
    assert len(measure.lines(para, 11.0)) == 17
    head, tail = measure.split(para, 11.0, measure.height(para, 11.0))
    assert tail is None and head is para


def test_split_keeps_the_label_on_the_first_part_only():
    measure = Measure("Noto Sans")
    body = " ".join(f"word{i}" for i in range(80))
    para = paragraph([Seg("7.\t"), Seg(body)], 12, hang=24, after=6)
    head, tail = measure.split(para, 200, 3 * measure.pitch(para) + 6)
    assert head.segs[0].text.startswith("7.\t")
    assert "\t" not in tail.text
    assert head.text[len("7.\t"):] + tail.text == body
    assert len(measure.lines(head, 200)) == 3


# --------------------------------------------------------------------------- inline content as runs

inline_text = st.text(alphabet="abc xyz.", min_size=1, max_size=8).map(Text)


def inlines(depth=2):
    leaf = st.one_of(inline_text, inline_text, st.integers(1, 40).map(NoteRef))
    if depth == 0:
        return st.lists(leaf, min_size=1, max_size=5)
    child = inlines(depth - 1).map(tuple)
    node = st.one_of(
        leaf, leaf, leaf,
        child.map(Emph), child.map(Strong),
        st.builds(Link, st.sampled_from(["https://a.example/", "https://b.example/"]), child),
    )
    return st.lists(node, min_size=1, max_size=6)


def _expected_styles(nodes, bold=False, italic=False, href=None):
    """(character, bold, italic, href) for every character of the text, from the tree."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out += [(ch, bold, italic, href) for ch in node.text]
        elif isinstance(node, Emph):
            out += _expected_styles(node.children, bold, not italic, href)
        elif isinstance(node, Strong):
            out += _expected_styles(node.children, True, italic, href)
        elif isinstance(node, Link):
            out += _expected_styles(node.children, bold, italic, node.href)
    return out


@settings(max_examples=60, deadline=None, database=None)
@given(nodes=inlines())
def test_inline_segs_keep_text_styles_and_refs(nodes):
    nodes = tuple(nodes)
    got = inline_segs(nodes)
    assert "".join(s.text for s in got if not s.sup) == plain_text(nodes)
    styles = [(ch, s.bold, s.italic, s.href) for s in got if not s.sup for ch in s.text]
    assert styles == _expected_styles(nodes)
    # no two superscripts side by side: neighbouring refs are one run "5,6"
    assert not any(a.sup and b.sup for a, b in zip(got, got[1:]))
    refs = [int(n) for s in got if s.sup for n in s.text.split(",")]

    def all_refs(ns):
        for n in ns:
            if isinstance(n, NoteRef):
                yield n.number
            elif not isinstance(n, Text):
                yield from all_refs(n.children)

    assert refs == list(all_refs(nodes))
    assert para_cites(Para(tuple(got), 12)) == refs
    assert set(refs) == set(note_numbers(nodes))
    for s in got:
        if s.sup:
            assert re.fullmatch(r"\d+(,\d+)*", s.text) and not s.bold and not s.italic and s.href is None


def test_neighbouring_note_refs_merge():
    got = inline_segs((Text("Attacks"), NoteRef(5), NoteRef(6), Text(" then"), NoteRef(7)))
    assert got == [Seg("Attacks"), Seg("5,6", sup=True), Seg(" then"), Seg("7", sup=True)]
    nested = inline_segs((Emph((Text("in"), NoteRef(1))), Strong((NoteRef(2),)), NoteRef(3)))
    assert nested == [Seg("in", italic=True), Seg("1,2,3", sup=True)]
    assert ref_segs(()) == [] and ref_segs((4, 9)) == [Seg("4,9", sup=True)]


def test_emphasis_inside_emphasis_is_upright():
    got = inline_segs((Emph((Text("a"), Emph((Text("b"),)))),), bold=True)
    assert got == [Seg("a", bold=True, italic=True), Seg("b", bold=True, italic=False)]


def test_measure_falls_back_to_its_family_for_an_unknown_one():
    m = Measure("Noto Serif")
    para = paragraph("Timbuktu", 20, family="Comic Sans")
    assert m.longest_line(para) == pytest.approx(text_width("Timbuktu", "Noto Serif", 20))
    assert Measure("Noto Sans", 1.08).longest_line(paragraph("Timbuktu", 20)) == pytest.approx(
        1.08 * text_width("Timbuktu", "Noto Sans", 20))
    # an empty paragraph is one empty line, as PowerPoint draws it
    assert Measure("Noto Sans").height(paragraph("", 10, after=3), 100) == pytest.approx(1.2 * 10 + 3)


def test_the_narrow_space_between_two_quotation_marks_never_breaks_a_line():
    """The deck measures lines as PowerPoint breaks them: U+202F NARROW NO-BREAK SPACE (set between
    marks that meet, CMOS 6.11) is part of its word, so a line never ends between the two marks."""
    measure = Measure("Noto Sans")
    text = "Lacher, \u201cDer \u2018Islamische Staat Westafrikaprovinz.\u2019\u202f\u201d See \u201c\u202f\u2018Long\u2019 War.\u201d"
    para = paragraph([Seg(text[:20]), Seg(text[20:45], italic=True), Seg(text[45:])], 12)
    longest = max(text_width(w, "Noto Sans", 12) for w in text.split(" "))
    for width in range(int(longest / WRAP_SLACK) + 2, 400, 3):
        lines = ["".join(piece for piece, _ in line) for line in measure.lines(para, width)]
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), (width, lines)
        for line, after in zip(lines, lines[1:]):
            assert not (line.rstrip(" ")[-1:] in "\u2018\u2019\u201c\u201d\u202f" and after[:1] in "\u201d\u2019\u202f"), (width, lines)
