"""Notes as The Chicago Manual of Style (17th ed., chapter 14) prints them.

Each rule is checked on the Manual's own example where it has one (quoted in the test's
docstring); emphasis is written *so*, as the seed writes it. The sources are synthetic records
built here, shaped like the Manual's examples.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jnim_export.content.citations import cite, full_citation, short_citation
from jnim_export.content.titles import nested, short_title
from jnim_export.model import Emph, Link, Name, Source, Text, plain_text


def source(id_: str = "s", **fields) -> Source:
    base = dict(author=None, title=None, container=None, date=None, url=None, short_title=None, short_author=None)
    base.update(fields)
    return Source(id_, **base)


def md(inlines) -> str:
    """Plain text with emphasis as *...*."""
    return "".join(f"*{md(x.children)}*" if isinstance(x, Emph) else plain_text((x,)) for x in inlines)


def note(*sources: Source, seen: set[str] | None = None, prefix: str | None = None, punct: dict | None = None) -> str:
    punct = punct or {s.id: (",", ",") for s in sources}
    return md(cite(list(sources), prefix, set() if seen is None else seen, None, punct))


def first_and_later(s: Source) -> tuple[str, str]:
    seen: set[str] = set()
    return note(s, seen=seen), note(s, seen=seen, prefix="See")


SATTERFIELD = source("satterfield", type="article", author="Susan Satterfield", title="Livy and the Pax Deum",
                     container="Classical Philology", volume="111", issue="2", date="2016-04", pages="165–76",
                     short_title="Livy")
SMITH = source("smith", type="book", authors=(Name("Smith", "Zadie"),), title="Swing Time", place="New York",
               publisher="Penguin Press", date="2016")


# ----------------------------------------------------------------------------- forms by type


def test_journal_article():
    """The Manual's quick guide (chapter 14, journal article): “Susan Satterfield, “Livy and the Pax Deum,”
    *Classical Philology* 111, no. 2 (April 2016): 170.” — short form “Satterfield, “Livy,” 172–73.”
    (our notes cite the article's page range, not a page)."""
    full, short = first_and_later(SATTERFIELD)
    assert full == "Susan Satterfield, “Livy and the Pax Deum,” *Classical Philology* 111, no. 2 (April 2016): 165–76."
    assert short == "See Satterfield, “Livy.”"


def test_journal_article_with_url_as_the_brief_gives_it():
    """The form the project agreed: Jane Smith, “Title,” *Journal* 42, no. 3 (2019): 1–25, https://…"""
    s = source(type="article", authors=(Name("Smith", "Jane"),), title="Title", container="Journal", volume="42",
               issue="3", date="2019", pages="1–25", url="https://example.org/a")
    assert note(s) == "Jane Smith, “Title,” *Journal* 42, no. 3 (2019): 1–25, https://example.org/a."


def test_book_one_and_two_authors():
    """CMOS 14.100–163, the quick guide's examples: “Zadie Smith, *Swing Time* (New York: Penguin Press, 2016), 315–16.”
    and “Brian Grazer and Charles Fishman, *A Curious Mind: The Secret to a Bigger Life* (New York:
    Simon & Schuster, 2015), 12.”; short forms “Smith, *Swing Time*, 320.” and “Grazer and Fishman,
    *Curious Mind*, 37.”"""
    assert first_and_later(SMITH) == ("Zadie Smith, *Swing Time* (New York: Penguin Press, 2016).",
                                      "See Smith, *Swing Time*.")
    grazer = source(type="book", authors=(Name("Grazer", "Brian"), Name("Fishman", "Charles")),
                    title="A Curious Mind: The Secret to a Bigger Life", place="New York",
                    publisher="Simon & Schuster", date="2015")
    assert first_and_later(grazer) == (
        "Brian Grazer and Charles Fishman, *A Curious Mind: The Secret to a Bigger Life* (New York: Simon & Schuster, "
        "2015).", "See Grazer and Fishman, *Curious Mind*.")


def test_three_authors_are_all_named():
    """CMOS 14.76; the Manual's example: “Shao-Hsun Keng, Chun-Hung Lin, and Peter F. Orazem,
    “Expanding College Access in Taiwan, 1978–2014: Effects on Graduate Quality and Income
    Inequality,” *Journal of Human Capital* 11, no. 1 (Spring 2017): 9–10.” — short “Keng, Lin, and
    Orazem, “Expanding College Access,” 23.”"""
    keng = source(type="article", authors=(Name("Keng", "Shao-Hsun"), Name("Lin", "Chun-Hung"),
                                           Name("Orazem", "Peter F.")),
                  title="Expanding College Access in Taiwan, 1978–2014: Effects on Graduate Quality and Income "
                        "Inequality", container="Journal of Human Capital", volume="11", issue="1", date="2017",
                  pages="1–34")
    full, short = first_and_later(keng)
    assert full.startswith("Shao-Hsun Keng, Chun-Hung Lin, and Peter F. Orazem, “Expanding College Access in Taiwan")
    assert full.endswith("Inequality,” *Journal of Human Capital* 11, no. 1 (2017): 1–34.")
    assert short == "See Keng, Lin, and Orazem, “Expanding College Access.”"


def test_four_or_more_authors_are_the_first_et_al():
    """CMOS 14.76: in a note, four or more authors are the first one's name followed by “et al.”; the
    Manual's example (its quick guide): “Edward O. Laumann et al., *The Social
    Organization of Sexuality: Sexual Practices in the United States* (Chicago: University of
    Chicago Press, 1994), 262.”"""
    people = [Name("Laumann", "Edward O."), Name("Gagnon", "John H."), Name("Michael", "Robert T."),
              Name("Michaels", "Stuart")]
    laumann = source(type="book", authors=tuple(people), place="Chicago", publisher="University of Chicago Press",
                     title="The Social Organization of Sexuality: Sexual Practices in the United States", date="1994")
    full, short = first_and_later(laumann)
    assert full == ("Edward O. Laumann et al., *The Social Organization of Sexuality: Sexual Practices in the United "
                    "States* (Chicago: University of Chicago Press, 1994).")
    assert short == "See Laumann et al., *Social Organization of Sexuality*."


def test_chapter_in_a_book():
    """The quick guide (chapter 14, chapter in an edited book): “Henry David Thoreau, “Walking,” in *The Making of the American
    Essay*, ed. John D’Agata (Minneapolis: Graywolf Press, 2016), 177–78.” — short “Thoreau,
    “Walking,” 182.” (sources here have no editor field)."""
    thoreau = source(type="chapter", author="Henry David Thoreau", title="Walking",
                     container="The Making of the American Essay", place="Minneapolis", publisher="Graywolf Press",
                     date="2016", pages="167–95")
    assert first_and_later(thoreau) == (
        "Henry David Thoreau, “Walking,” in *The Making of the American Essay* (Minneapolis: Graywolf Press, 2016), "
        "167–95.", "See Thoreau, “Walking.”")


def test_report_with_its_number_and_publisher():
    """A report is cited like a book (its title in italics, the facts of publication in
    parentheses), with its series number after the title; a title's own quotations stay double
    inside italics (14.94)."""
    icg = source("icg", type="report", authors=(Name(literal="International Crisis Group"),),
                 title='Speaking with the "Bad Guys": Toward Dialogue with Central Mali\u2019s Jihadists',
                 number="Africa Report No. 276", place="Brussels", publisher="International Crisis Group",
                 date="2019-05-28", url="https://www.crisisgroup.org/africa/sahel/mali/276")
    full, short = first_and_later(icg)
    assert full == (
        "International Crisis Group, *Speaking with the “Bad Guys”: Toward Dialogue with Central Mali’s Jihadists*, "
        "Africa Report No. 276 (Brussels: International Crisis Group, May 28, 2019), "
        "https://www.crisisgroup.org/africa/sahel/mali/276.")
    assert short == "See International Crisis Group, *Speaking with the “Bad Guys”*."


def test_web_page_gets_its_access_date_before_the_url():
    """CMOS 14.12: access dates are given “unless no date of publication or revision can be
    determined”, and, when given, right before the URL, set off by commas in notes (14.207: ““About
    Yale: Yale Facts,” Yale University, accessed May 1, 2017, https://www.yale.edu/about-yale/yale-facts.”)."""
    yale = source("yale", type="webpage", title="About Yale: Yale Facts", container="Yale University",
                  accessed="2017-05-01", url="https://www.yale.edu/about-yale/yale-facts")
    full, short = first_and_later(yale)
    assert full == "“About Yale: Yale Facts,” Yale University, accessed May 1, 2017, https://www.yale.edu/about-yale/yale-facts."
    assert short == "See “About Yale.”"
    dated = source(type="webpage", author="Emily Post", title="Etiquette", container="Site", date="2024-01-02",
                   accessed="2024-05-03", url="https://example.org/")
    assert note(dated) == "Emily Post, “Etiquette,” Site, January 2, 2024, accessed May 3, 2024, https://example.org/."


def test_undated_works_get_nd():
    """“If a printed work has no known publication date, use the abbreviation “n.d.” For online
    resources, provide an access date if the publication date is unavailable.” (after CMOS 14.12)."""
    assert note(source(type="book", author="Mark Times", title="Undated", publisher="Press")) == \
        "Mark Times, *Undated* (Press, n.d.)."
    assert note(source(type="article", author="A B", title="T", container="J", volume="1")) == "A B, “T,” *J* 1 (n.d.)."
    assert note(source(author="Jane Doe", title="Pamphlet", container="Series")) == "Jane Doe, “Pamphlet,” Series, n.d."
    online = source(author="Jane Doe", title="Page", url="https://example.org/p", accessed="2024-05-03")
    assert note(online) == "Jane Doe, “Page,” accessed May 3, 2024, <https://example.org/p>."


# ----------------------------------------------------------------------------- several sources in one note


def test_several_sources_drop_their_own_closing_punctuation():
    """CMOS 14.57 (several citations in one note) and 6.9: citations are separated by semicolons;
    periods and commas go inside quotation marks, semicolons outside — the Manual's example: “Sutton,
    “The Analysis of Free Verse Form, Illustrated by a Reading of Whitman,” *Journal of Aesthetics and
    Art Criticism* 18, no. 2 (December 1959): 241–54; Fussell, “Whitman’s Curious Warble …”"""
    seen = {"a", "b"}
    facing = source("a", author="Jane Smith", title="Facing the Challenge")
    reuters = source("b", author="Reuters", organisation=True, title="Militants strike Mali bases")
    assert note(facing, reuters, seen=seen) == "Smith, “Facing the Challenge”; Reuters, “Militants strike Mali bases.”"
    why = source("c", author="Jane Smith", title="Why Mali?")
    assert note(why, facing, seen={"a", "c"}) == "Smith, “Why Mali?”; Smith, “Facing the Challenge.”"


# ----------------------------------------------------------------------------- quotations inside titles


def test_swp_title_nests_its_german_quotes_us_style():
    """CMOS 14.94 and 6.9: a title in quotation marks sets the quotations it contains in single
    marks — the Manual's example (14.57): “Form and Meaning in Whitman’s ‘Passage to India’”. The German
    marks „…“ of an SWP title become ‘…’, in the full and the short form."""
    swp = source("swp", type="report", author="Wolfram Lacher", short_title=None,
                 title="Der „Islamische Staat Westafrikaprovinz“ und die Dschihadisten im Tschadseebecken")
    article = source("swp2", type="article", author="Wolfram Lacher", container="SWP-Aktuell", date="2022",
                     title="Der „Islamische Staat Westafrikaprovinz“ und die Dschihadisten im Tschadseebecken")
    full, short = first_and_later(article)
    assert full.startswith("Wolfram Lacher, “Der ‘Islamische Staat Westafrikaprovinz’ und die Dschihadisten")
    assert short == "See Lacher, “Der ‘Islamische Staat Westafrikaprovinz.’\u202f”"
    assert note(swp) .startswith("Wolfram Lacher, *Der “Islamische Staat Westafrikaprovinz” und")


def test_every_kind_of_quotation_mark_nests_the_same_way():
    for title in ('Le « Djihad » au Sahel', "Le \u201cDjihad\u201d au Sahel", 'Le "Djihad" au Sahel',
                  "Le \u201eDjihad\u201c au Sahel", "Le \u2018Djihad\u2019 au Sahel", "Le \u201aDjihad\u2018 au Sahel"):
        assert nested(title, quoted=True) == "Le ‘Djihad’ au Sahel", title
        assert nested(title, quoted=False) == "Le “Djihad” au Sahel", title
    assert nested("„Wir sind ‚die‘ Guten“", quoted=True) == "‘Wir sind “die” Guten’"
    # a quotation opening right after a French mark and its no-break space
    assert nested("\u00ab\u00a0\"Mali\" au Sahel\u00a0\u00bb", quoted=True) == "‘“Mali” au Sahel’"
    assert nested("Jama'at Nusrat al-Islam wal-Muslimin and AQIM's Sahara", quoted=True) == \
        "Jama'at Nusrat al-Islam wal-Muslimin and AQIM's Sahara"  # apostrophes are not quotations


def test_comma_goes_inside_both_closing_quotes():
    """CMOS 6.9, and the Manual's several-citation example (14.57): “… Coffman, “Form and Meaning in
    Whitman’s ‘Passage to India,’ ” *PMLA* 70 …” (the Manual sets a thin space between the marks,
    here a narrow no-break one: see test_marks_that_meet_are_set_apart_by_one_narrow_space)."""
    s = source(type="article", author="Arthur Coffman", title="Form and Meaning in Whitman's 'Passage to India'",
               container="PMLA", volume="70", date="1955")
    assert note(s) == "Arthur Coffman, “Form and Meaning in Whitman's ‘Passage to India,’\u202f” *PMLA* 70 (1955)."


def test_short_title_never_cuts_a_quotation():
    assert short_title("The „Long War against the Sahel“ and Mali") == "„Long War against the Sahel“"


# ----------------------------------------------------------------------------- authors


def test_people_are_people_and_organisations_are_said():
    """CMOS 14.29–14.32: a short note gives the author's surname; an organisation is its own short
    form (“Museum Victoria, *Treasures of the Museum*”). Nothing is guessed from the words of a name."""
    for author, surname in (("Emily Post", "Post"), ("Mark Times", "Times"), ("Iyad Ag Ghaly", "Ag Ghaly"),
                            ("Charles de Gaulle", "de Gaulle"), ("Martin Luther King Jr.", "King"),
                            ("Jason Warner and Caleb Weiss", "Warner and Weiss"),
                            ("Edward O. Laumann et al.", "Laumann et al."),
                            ("Ann Bell, Bo Chen, and Cy Diaz", "Bell, Chen, and Diaz")):
        s = source(author=author, title="Sahel Title Here")
        assert md(short_citation(s)) == f"{surname}, “Sahel Title Here”", author
    org = source(author="Center for Strategic and International Studies", organisation=True, title="Report")
    assert md(short_citation(org)) == "Center for Strategic and International Studies, “Report”"
    literal = source(authors=(Name(literal="Human Rights Watch"), Name("Smith", "Jane")), title="Report", url="https://e.org")
    assert md(full_citation(literal)) == "Human Rights Watch and Jane Smith, “Report,” <https://e.org>"
    assert md(short_citation(literal)) == "Human Rights Watch and Smith, “Report”"


def test_the_seeds_period_after_an_organisation_still_works():
    """The seed prints press releases as “U.S. Department of State. “Title.” September 5, 2018, <URL>.”"""
    s = source("st", author="U.S. Department of State", organisation=True, title="Designation", date="2018-09-05",
               url="https://www.state.gov/x")
    out = md(cite([s], None, set(), None, {"st": (".", ".")}))
    assert out == "U.S. Department of State. “Designation.” September 5, 2018, <https://www.state.gov/x>."


# ----------------------------------------------------------------------------- invariants over generated sources

_WORDS = st.sampled_from("Mali Niger the of Sahel War Jihad Group Islamic State in and Bamako Report Long".split())
_PHRASE = st.lists(_WORDS, min_size=1, max_size=4).map(" ".join)
_MARKS = [("\u201e", "\u201c"), ("\u201c", "\u201d"), ('"', '"'), ("\u00ab ", " \u00bb"), ("\u2018", "\u2019"),
          ("\u201a", "\u2018")]


@st.composite
def titles(draw) -> str:
    parts = [draw(_PHRASE)]
    for _ in range(draw(st.integers(0, 2))):
        open_, close = draw(st.sampled_from(_MARKS))
        inner = draw(_PHRASE)
        if draw(st.booleans()):
            # an inner quotation in marks of its own (a mark shared with the outer pair is ambiguous)
            o2, c2 = draw(st.sampled_from([m for m in _MARKS if not set(m[0] + m[1]) & set(open_ + close)]))
            inner = f"{inner} {o2}{draw(_PHRASE)}{c2}"
        parts.append(f"{open_}{inner}{close}")
        parts.append(draw(_PHRASE))
    title = " ".join(parts)
    return title + draw(st.sampled_from(["", "", ".", "?", ","]))


@st.composite
def sources(draw, id_: str) -> Source:
    kind = draw(st.sampled_from([None, "article", "report", "webpage", "book", "chapter"]))
    people = draw(st.lists(st.tuples(_WORDS, _WORDS), min_size=0, max_size=5))
    fields = dict(type=kind, title=draw(titles()), container=draw(st.none() | _PHRASE),
                  date=draw(st.none() | st.sampled_from(["2019", "2019-05", "2019-05-03"])),
                  accessed=draw(st.none() | st.just("2024-05-03")), url=draw(st.none() | st.just("https://e.org/x")),
                  volume=draw(st.none() | st.just("4")), issue=draw(st.none() | st.just("2")),
                  pages=draw(st.none() | st.just("1–25")), publisher=draw(st.none() | _PHRASE))
    if people:
        fields["authors"] = tuple(Name(f, g) for g, f in people)
    else:
        fields["author"] = draw(st.none() | _PHRASE)
        fields["organisation"] = bool(fields["author"]) and draw(st.booleans())
    return source(id_, **fields)


def _check_quotes(text: str) -> None:
    """Double and single marks alternate, and every one opened is closed."""
    stack = []
    for i, ch in enumerate(text):
        if ch in "\u201c\u2018":
            if stack:
                assert stack[-1] != ch, f"{ch} inside {stack[-1]} at {i}: {text}"
            stack.append(ch)
        elif ch in "\u201d\u2019":
            if ch == "\u2019" and (not stack or stack[-1] != "\u2018"):
                continue  # an apostrophe
            assert stack and {"\u201d": "\u201c", "\u2019": "\u2018"}[ch] == stack.pop(), text
    assert not stack, f"unclosed {stack}: {text}"
    assert not re.search(r"[„‚«»‹›\"]", text), text


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("CHICAGO_EXAMPLES", "100")), deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=4), st.data())
def test_notes_never_put_a_citations_punctuation_before_a_semicolon(seen_flags, data):
    srcs = [data.draw(sources(f"s{i}")) for i in range(len(seen_flags))]
    seen = {s.id for s, flag in zip(srcs, seen_flags) if flag}
    punct = {s.id: data.draw(st.sampled_from([(",", ","), (".", "."), (".", ",")])) for s in srcs}  # the seed's too
    text = note(*srcs, seen=seen, punct=punct).replace("*", "")
    bare = text.replace("et al.", "et al").replace("n.d.", "nd")  # an abbreviation keeps its period (6.119)
    assert not re.search(r"[.,][\u2019\u201d\u202f]*;", bare), text
    assert not re.search(r"[.,?]\s*[.,]", bare), text
    assert text.rstrip("\u2019\u201d\u202f").endswith((".", "?")), text
    _check_quotes(text)


def test_an_apostrophe_at_the_end_is_not_a_closing_quote():
    """A period or comma goes inside closing quotation marks (CMOS 6.9), never inside an apostrophe."""
    s = source(author="Ann Bell", title="The Soldiers\u2019", container="Veterans\u2019", date="2019")
    assert note(s) == "Ann Bell, “The Soldiers’,” Veterans’, 2019."
    s = source(author="Ann Bell", title="Rock\u2019n\u2019roll in \u2018Bamako\u2019", date="2019")
    assert note(s) == "Ann Bell, “Rock’n’roll in ‘Bamako,’\u202f” 2019."


# ----------------------------------------------------------------------------- marks that meet

NNBSP = "\u202f"
_ANY_MARK = "\u2018\u2019\u201c\u201d\u201e\u201a\u00ab\u00bb\u2039\u203a'\""
# every style a title may quote in: English, German, French (with and without its spaces), straight
_STYLES = [("\u201c", "\u201d"), ("\u2018", "\u2019"), ("\u201e", "\u201c"), ("\u201a", "\u2018"),
           ("\u00ab", "\u00bb"), ("\u00ab\u00a0", "\u00a0\u00bb"), ("\u2039", "\u203a"), ('"', '"'), ("'", "'")]


def test_marks_that_meet_are_set_apart_by_one_narrow_space():
    """CMOS 17, 6.11, as Chicago's own quiz on the 17th edition puts it (CMOS Shop Talk, Workout 75;
    the paragraph itself is behind the Manual's paywall): “typesetters may add a thin space between
    consecutive single and double quotation marks (as in nested quotations)”. The Manual's notes print it (14.57: Whitman’s ‘Passage to India,’ ” *PMLA*), and
    so does the Chicago Q&A on titles within titles, which points to 6.11 (“Percival Everett’s
    Philosophical Reply to ‘Huckleberry Finn.’ ”). The space is U+202F NARROW NO-BREAK SPACE, so
    no line ever breaks between the two marks."""
    swp = source("swp", type="article", author="Wolfram Lacher", container="SWP-Aktuell", date="2022",
                 title="Der „Islamische Staat Westafrikaprovinz“")
    assert note(swp) == "Wolfram Lacher, “Der ‘Islamische Staat Westafrikaprovinz,’\u202f” *SWP-Aktuell* (2022)."
    opening = source("o", author="Ann Bell", title="«Terroristes» au Sahel", date="2019")
    assert note(opening) == "Ann Bell, “\u202f‘Terroristes’ au Sahel,” 2019."
    reply = source("r", type="webpage", title="Percival Everett's Philosophical Reply to \"Huckleberry Finn.\"")
    assert note(reply) == "“Percival Everett's Philosophical Reply to ‘Huckleberry Finn.’\u202f”"
    # a book's title is italic, its quotations double, and one may still meet a single mark inside
    book = source("b", type="book", author="Ann Bell", title="\u201e\u2019Tis the Season\u201c and Other Songs", date="2019")
    assert note(book).startswith("Ann Bell, *“\u202f’Tis the Season” and Other Songs*")



def test_marks_that_meet_across_two_runs_get_the_space_once():
    """A mark ending one run (plain) and one opening the next (italic) meet all the same; a space
    already there, thin or narrow, becomes the one narrow no-break space."""
    from jnim_export.quotes import spaced, spaced_inlines

    got = spaced_inlines((Text("See \u2018"), Emph((Text("\u201cWar\u201d"),)), Text("\u2019.")))
    assert got == (Text("See \u2018\u202f"), Emph((Text("\u201cWar\u201d\u202f"),)), Text("\u2019."))
    assert spaced("\u2018a\u2019\u2009\u201d \u201c\u202f\u202f\u2018b\u2019\u201d") == \
        "\u2018a\u2019\u202f\u201d \u201c\u202f\u2018b\u2019\u202f\u201d"
    assert spaced("Jama'at \u201cAQIM's\u201d") == "Jama'at \u201cAQIM's\u201d"  # no marks meet
    # a link showing its own address is the address: never changed, and no mark meets it
    url = "https://e.org/a'\"b"
    shown = (Text("\u201c"), Link(url, (Text(url),)), Text("\u201d"))
    assert spaced_inlines(shown) == shown

@st.composite
def _quotation(draw, depth: int, outer: tuple[str, str] | None = None) -> str:
    """A quotation in any style, which may open or close (or both) with one of its own."""
    styles = [m for m in _STYLES if outer is None or not set(m[0] + m[1]) & set(outer[0] + outer[1])]
    o, c = draw(st.sampled_from(styles))
    words = draw(_PHRASE)
    if depth and draw(st.booleans()):
        words = draw(_quotation(depth - 1, (o, c))) + " " + words
    if depth and draw(st.booleans()):
        words = words + " " + draw(_quotation(depth - 1, (o, c)))
    return f"{o}{words}{c}"


@st.composite
def _quoting_titles(draw) -> str:
    parts = [draw(st.one_of(_PHRASE, _quotation(2))) for _ in range(draw(st.integers(1, 3)))]
    return " ".join(parts) + draw(st.sampled_from(["", ".", "?", "\u2019"]))


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("CHICAGO_EXAMPLES", "200")), deadline=None)
@given(_quoting_titles(), st.sampled_from([None, "article", "report", "webpage", "book", "chapter"]),
       st.booleans(), st.sampled_from([(",", ","), (".", ".")]))
def test_no_two_quotation_marks_meet_without_one_narrow_space(title, kind, later, punct):
    s = source("q", type=kind, author="Ann Bell", title=title, container="Sahel Review", date="2019",
               url="https://e.org/q")
    seen = {"q"} if later else set()
    text = plain_text(cite([s], None, seen, None, {"q": punct}))
    assert not re.search(f"[{_ANY_MARK}][{_ANY_MARK}]", text), text
    # and every narrow space stands between two marks: exactly one where they meet, none elsewhere
    for m in re.finditer(NNBSP, text):
        assert text[m.start() - 1] in _ANY_MARK and text[m.end()] in _ANY_MARK, text
