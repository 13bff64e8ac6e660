"""Page flow and note typography, checked from the PDF alone (on `pdfcheck.read`'s reading).

Like `pdfcheck`, nothing here reads the content file, the model or the writer's settings: the
page frame is the one `pdfcheck` states, figures are known by their "Figure N" captions, pull
quotes by the tag tree's ``BlockQuote`` elements and by the tinted panels text is set on, and
a figure's anchor by the body text that names it ("Figure 3", or "Figure 3, above" when the
text follows the figure; the corpus generator writes such mentions).

page fill
    the largest vertical band with nothing in it, between the top of the text frame (on page 1
    the foot of the masthead band) and the footnote rule (or the frame's foot), is at most
    15 % of the page's height, on every page but the last.
pull quotes
    a ``BlockQuote``'s glyphs are on one page, all on one panel that holds nothing else; and,
    tagged or not, every text panel that is not a figure holds a whole quote: it starts as a
    sentence starts and ends as one ends (a callout may follow).
panoramas
    an image at least 2.5 times wider than tall (its own pixels) is set the whole width of
    the column, undistorted, with no text beside it.
figure anchors
    a figure is on a page of its anchor paragraph (the one that first names it: from the page
    it starts on to the page of the mention) or the next; after a mention "…, above" (in the
    text after a figure that opens its section), also the page before.
header
    the masthead's text stays inside the band and the side margins, each line clear of the
    others.
note punctuation
    no ``.”;``, ``,”;`` (a period or comma inside quotation marks, then more punctuation), no
    ``”,`` or ``”.`` (US style sets them inside), no ``..``; every note ends with one period
    (or the ?/! ending a quoted title).
footnotes run on last
    on a page, every footnote but the last ends there: only the last may continue overleaf.
headings with their text
    a section heading (a line of capitals in a bold face, standing alone in the body; or the
    NOTES heading) has something of its section below it on its page: a line of text, a
    figure or a quote, never the foot of the page.
quote nesting
    in every note, “double” quotation marks with ‘single’ ones inside (US style), balanced,
    and no „, ‚, «, », ‹, › or straight double quotes.
"""

from __future__ import annotations

import re

from pdfcheck import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, TOL, Drawing, Page, Reading, Run, _cut, _snip

FILL_LIMIT = 0.15  # of the page's height: the largest empty band a page (but the last) may have
WIDE = 2.5  # an image this many times wider than tall is a panorama
SENTENCE_START = re.compile(r"^[\s\u201c\u2018\"'(\[]*[A-Z0-9\u00c0-\u024f\u0600-\u06ff]")
SENTENCE_END = re.compile(r"[.!?\u2026][\u201d\u2019\"')\]]*$")


# =========================================================================== page fill


def _frame(page: Page) -> tuple[float, float]:
    """The top and the foot of the room the body may fill on `page`."""
    top = page.height - MARGIN_TOP
    for d in page.drawings:
        if d.masthead:
            top = d.box.y0
    bottom = page.rule_y if page.rule_y is not None else MARGIN_BOTTOM
    return top, bottom


def empty_bands(page: Page) -> list[tuple[float, float]]:
    """The vertical bands (top, bottom) between the frame's top and foot that nothing is printed in."""
    top, bottom = _frame(page)
    spans = []
    for run in page.runs:
        if run.role not in ("footer", "footnote", "masthead"):
            spans.append((run.box.y0, run.box.y1))
    for g in page.graphics:
        if g.owner is not None and g.owner.masthead:
            continue
        if page.rule_y is not None and abs(g.box.y0 - page.rule_y) < TOL and g.box.height < 3:
            continue  # the footnote rule itself
        if g.box.y1 <= MARGIN_BOTTOM - 10:
            continue  # the footer's rule
        spans.append((g.box.y0, g.box.y1))
    bands = []
    at = top
    for y0, y1 in sorted(((max(y0, bottom), min(y1, top)) for y0, y1 in spans), key=lambda s: -s[1]):
        if y1 < y0:
            continue
        if at - y1 > 0:
            bands.append((at, y1))
        at = min(at, y0)
    if at - bottom > 0:
        bands.append((at, bottom))
    return bands


def check_page_fill(r: Reading) -> list[str]:
    """No page but the last has an empty band taller than 15 % of the page between header and notes."""
    problems = []
    for page in r.pages[:-1]:
        bands = empty_bands(page)
        if not bands:
            continue
        hi, lo = max(bands, key=lambda b: b[0] - b[1])
        share = (hi - lo) / page.height
        if share > FILL_LIMIT:
            above = [x for x in page.runs if x.role not in ("footer", "footnote", "masthead") and x.box.y0 >= hi - TOL]
            after = f" after \u201c{_snip(min(above, key=lambda x: x.box.y0))}\u201d" if above else " at the top"
            problems.append(f"page {page.index + 1}: an empty band of {hi - lo:.0f} pt ({share:.0%} of the page) "
                            f"from y={hi:.0f} to y={lo:.0f}{after}")
    return problems


# =========================================================================== pull quotes


def _words(runs: list[Run]) -> str:
    """The panel's text without raised callout digits at its end."""
    text = ""
    for run in sorted(runs, key=lambda x: (-round(x.baseline, 1), x.box.x0)):
        text += " " + "".join(c.get_text() for c in run.chars
                              if not (c.size <= 0.8 * run.size and c.get_text() in "0123456789,"))
    return re.sub(r"\s+", " ", text).strip()


def _panels(page: Page) -> list[Drawing]:
    """Tinted areas with text on them that are neither figures nor the masthead: pull quotes."""
    return [d for d in page.drawings if d.kind == "vector" and not d.masthead and not d.is_figure and d.runs]


def check_pull_quotes(r: Reading) -> list[str]:
    """A pull quote is whole: one page, one panel, and the panel's text is a whole quote."""
    problems = []
    for q in (t for t in r.tagged if t.kind == "BlockQuote"):
        placed = {}
        for index, ids in sorted(q.content.items()):
            runs = [x for x in r.pages[index].runs if x.mcids & ids]
            if runs:
                placed[index] = runs
        if not placed:
            problems.append(f"pull quote {q.number} (a BlockQuote) has no text on any page")
            continue
        if len(placed) > 1:
            parts = " / ".join(f"page {i + 1}: \u201c{_cut(_words(runs), 40)}\u201d" for i, runs in placed.items())
            problems.append(f"pull quote {q.number} is split over {len(placed)} pages: {parts}")
            continue
        (index, runs), = placed.items()
        owners = {id(x.owner): x.owner for x in runs}
        if len(owners) != 1 or None in owners.values():
            problems.append(f"page {index + 1}: pull quote {q.number} \u201c{_cut(_words(runs), 50)}\u201d "
                            f"is not set on one panel ({len(owners)} boxes)")
            continue
        panel = next(iter(owners.values()))
        strays = [x for x in panel.runs if x not in runs]
        if strays:
            problems.append(f"page {index + 1}: pull quote {q.number}'s panel also holds \u201c{_snip(strays[0])}\u201d")
    for page in r.pages:
        for d in _panels(page):
            text = _words(d.runs)
            if not SENTENCE_START.search(text) or not SENTENCE_END.search(text):
                problems.append(f"page {page.index + 1}: a quote panel holds part of a quote: \u201c{_cut(text, 70)}\u201d")
    return problems


# =========================================================================== panoramas


def check_panoramas(r: Reading) -> list[str]:
    """Images at least 2.5:1 span the text column, keep their shape and have no text beside them."""
    problems = []
    for page in r.pages:
        column = (MARGIN_X, page.width - MARGIN_X)
        for d in page.drawings:
            image = next((g for g in d.graphics if g.kind == "image" and g.pixels), None)
            if d.masthead or image is None:
                continue
            w, h = image.pixels
            if not h or w / h < WIDE:
                continue
            box = image.box
            name = d.label()
            if box.x0 > column[0] + TOL or box.x1 < column[1] - TOL:
                problems.append(f"page {page.index + 1}: {name}, a {w / h:.1f}:1 picture, is {box.width:.0f} pt wide, "
                                f"not the column's {column[1] - column[0]:.0f} pt")
            if box.height and abs((box.width / box.height) / (w / h) - 1) > 0.02:
                problems.append(f"page {page.index + 1}: {name} is distorted: set at {box.width / box.height:.2f}:1, "
                                f"drawn at {w / h:.2f}:1")
            beside = [x for x in page.runs if x.owner is None and x.unit is None and x.role == "body"
                      and x.box.y0 < box.y1 - TOL and x.box.y1 > box.y0 + TOL
                      and (x.box.x0 >= box.x1 - TOL or x.box.x1 <= box.x0 + TOL)]
            if beside:
                problems.append(f"page {page.index + 1}: text \u201c{_snip(beside[0])}\u201d is set beside {name}, "
                                f"a {w / h:.1f}:1 picture")
    return problems


# =========================================================================== figure anchors


MENTION = re.compile(r"\bFigure\s+(\d+)(,\s*above)?")


def mentions(r: Reading) -> dict[int, tuple[int, int, bool]]:
    """Each figure's first mention in the body: figure number -> (the page its paragraph starts
    on, the page of the mention, says "above").

    The body's lines are joined across pages, so a mention broken over a page break counts on
    the page its first word is on; a paragraph that runs on from the page before (no break
    between the top of the page and the mention) counts from that page.
    """
    from pdfcheck import _reading_order

    text, at = "", []  # the body's text, and for each character its line
    lines: list[Run] = []
    for page in r.pages:
        for x in _reading_order(page.runs):
            if x.role in ("body", "heading") and x.owner is None and x.unit is None:
                lines.append(x)
                text += x.text + " "
                at += [len(lines) - 1] * (len(x.text) + 1)
    found: dict[int, tuple[int, int, bool]] = {}
    for m in MENTION.finditer(text):
        line = at[m.start()]
        found.setdefault(int(m.group(1)), (_paragraph_page(lines, line), lines[line].page, bool(m.group(2))))
    return found


def _paragraph_page(lines: list[Run], i: int) -> int:
    """The page the paragraph holding lines[i] starts on: the page before when nothing on the
    page separates it from the top (no figure, heading or paragraph gap: 1.8 type sizes from
    baseline to baseline, between a line's 1.45 and a paragraph's 2.2)."""
    page = lines[i].page
    while i > 0 and lines[i - 1].page == page:
        a, b = lines[i - 1], lines[i]
        if a.role == "heading" or a.baseline - b.baseline > 1.8 * max(a.size, b.size):
            return page
        i -= 1
    return page - 1 if i > 0 and lines[i].role != "heading" and page > 0 else page


def check_figure_anchors(r: Reading) -> list[str]:
    """A figure stands on a page of its anchor paragraph (from the page it starts on to the page
    that names the figure) or the next; after a mention "…, above", also the page before."""
    problems = []
    named = mentions(r)
    for page in r.pages:
        for d in page.drawings:
            m = re.match(r"\s*Figure\s+(\d+)", d.caption[0].text) if d.is_figure else None
            if not m or int(m.group(1)) not in named:
                continue
            n = int(m.group(1))
            start, named_at, above = named[n]
            if not start - above <= page.index <= named_at + 1:
                pages = f"page {start + 1}" if start == named_at else f"pages {start + 1}\u2013{named_at + 1}"
                problems.append(f"Figure {n} is on page {page.index + 1}, its anchor paragraph "
                                f"(\u201cFigure {n}{', above' if above else ''}\u201d) on {pages}")
    return problems


# =========================================================================== the header


def check_header(r: Reading) -> list[str]:
    """The masthead's lines fit the band and the side margins and do not overprint each other."""
    problems = []
    for page in r.pages:
        band = next((d for d in page.drawings if d.masthead), None)
        if band is None:
            continue
        left, right = MARGIN_X, page.width - MARGIN_X
        mid = lambda b: (b.y0 + b.y1) / 2  # noqa: E731  (a line running off the band is no longer drawn inside it)
        texts = [x for x in page.runs if x.owner is band or band.box.y0 <= mid(x.box) <= band.box.y1]
        items = texts + [g for g in band.graphics[1:] if g.kind == "image"]
        for x in items:
            what = f"header text \u201c{_snip(x)}\u201d" if isinstance(x, Run) else f"the header's image {x.box}"
            if x.box.x1 > right + TOL:
                problems.append(f"page {page.index + 1}: {what} runs {x.box.x1 - right:.1f} pt past the right margin")
            if x.box.x0 < left - TOL:
                problems.append(f"page {page.index + 1}: {what} starts {left - x.box.x0:.1f} pt left of the left margin")
            if x.box.y0 < band.box.y0 - TOL or x.box.y1 > band.box.y1 + TOL:
                problems.append(f"page {page.index + 1}: {what} runs out of the header band")
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if a.box.overlaps(b.box):
                    problems.append(f"page {page.index + 1}: in the header, \u201c{_snip(a) if isinstance(a, Run) else 'the image'}"
                                    f"\u201d and \u201c{_snip(b) if isinstance(b, Run) else 'the image'}\u201d overprint")
    return problems


# =========================================================================== headings


def headings(page: Page) -> list[Run]:
    """The page's headings: the NOTES heading, and body lines of capitals all in a bold face."""
    out = []
    for x in page.runs:
        if x.owner is not None or x.unit is not None or x.role not in ("body", "heading"):
            continue
        letters = [c for c in x.chars if c.get_text().isalpha()]
        if x.role == "heading" or (len(letters) >= 2 and all(c.get_text().isupper() for c in letters)
                                   and all("Bold" in c.fontname for c in x.chars if c.get_text().strip())):
            out.append(x)
    return out


def check_headings(r: Reading) -> list[str]:
    """A heading never ends its page: a line of text, a figure or a quote follows it there."""
    problems = []
    for page in r.pages:
        for h in headings(page):
            below = [x for x in page.runs if x.role in ("body", "endnote") and x.box.y1 < h.box.y0 - TOL]
            below += [d for d in page.drawings if not d.masthead and d.box.y1 < h.box.y0 - TOL]
            if not below:
                where = f"page {page.index + 2}" if page.index + 1 < len(r.pages) else "no page"
                problems.append(f"page {page.index + 1}: the heading \u201c{_snip(h)}\u201d ends the page; "
                                f"what it heads starts on {where}")
    return problems


# =========================================================================== notes


URL = re.compile(r"<[^<>]*>|https?://\S+")
ARABIC = "\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff"  # letters and presentation forms (as extracted)
CLOSE = "\u201d\u2019"


def _prose(text: str) -> str:
    """A note's text with its URLs blanked (they may hold any punctuation), and no space between
    two quotation marks (the thin one set there, CMOS 6.11, reads back as a space)."""
    return re.sub("(?<=[\u2018\u2019\u201c\u201d])[ \u202f](?=[\u2018\u2019\u201c\u201d])", "", URL.sub("<URL>", text))


def _numbered(r: Reading):
    return sorted({n.number: n for n in r.notes if n.number is not None}.values(), key=lambda n: n.number)


def check_note_punctuation(r: Reading) -> list[str]:
    """No period or comma inside quotation marks followed by more punctuation, no "..", one final period."""
    problems = []
    for note in _numbered(r):
        text = _prose(note.text)
        said = lambda what: problems.append(f"note {note.number}: {what}: \u201c{_cut(note.text)}\u201d")  # noqa: E731
        for mark in dict.fromkeys(m.group() for m in re.finditer(r"[.,][\u201d\u2019]+[.,;:]", text)):
            said(f"{mark[0]} inside the quotation marks, then {mark[-1]} ({mark})")
        for mark in dict.fromkeys(m.group() for m in re.finditer(r"\u201d[.,]", text)):
            said(f"{mark[-1]} outside the closing quotation mark ({mark}; US style sets it inside)")
        if re.search(rf"(?<![{ARABIC}])\.\.(?![{ARABIC}])", text):  # an Arabic headline's own ".." is the title's
            said("a doubled period")
        ending = text.rstrip()
        if not (re.search(r"[^.]\.[\u201d\u2019]*$", ending) or re.search(r"[?!][\u201d\u2019]+$", ending)):
            said("does not end with one period")
    return problems


def check_footnote_breaks(r: Reading) -> list[str]:
    """Only a page's last footnote may run on overleaf: a footnote followed on its page by the next
    one ends there (with its final period, or the ?/! of a quoted title)."""
    from pdfcheck import _join, _visual_lines

    problems = []
    for page in r.pages:
        runs = [x for x in page.runs if x.role == "footnote"]
        if not runs:
            continue
        notes: list[tuple[int | None, str]] = []  # (number, its text on this page)
        for line in _visual_lines(runs):
            m = re.fullmatch(r"\s*(\d+)\.\s*", line[0].text)
            if m and len(line) > 1 and line[1].box.x0 > line[0].box.x1 + 1:
                notes.append((int(m.group(1)), _join(line[1:])))
            elif notes:
                notes[-1] = (notes[-1][0], notes[-1][1] + " " + _join(line))
        for (number, text), (after, _) in zip(notes, notes[1:]):
            ending = _prose(text).rstrip()
            if not re.search(r"[.?!][\u201d\u2019]*$", ending):
                problems.append(f"page {page.index + 1}: footnote {number} breaks off (\u201c\u2026{text[-30:]}\u201d) "
                                f"and footnote {after} starts below it: only the page's last note may run on overleaf")
    return problems


def check_quote_nesting(r: Reading) -> list[str]:
    """Double quotation marks outside, single inside, balanced; no other quotation marks."""
    problems = []
    for note in _numbered(r):
        text = _prose(note.text)
        found: list[str] = []
        foreign = re.findall(r"[\u201e\u201a\u00ab\u00bb\u2039\u203a\"]", text)
        if foreign:
            found.append(f"quotation marks {' '.join(dict.fromkeys(foreign))} (US style has only double and single curly ones)")
        stack: list[str] = []
        for i, ch in enumerate(text):
            before, after = text[i - 1:i], text[i + 1:i + 2]
            if ch == "\u201c":
                if stack and stack[-1] == "d":
                    found.append("double quotation marks inside double ones")
                stack.append("d")
            elif ch == "\u201d":
                if stack and stack[-1] == "s":
                    found.append("a closing double quotation mark ends a single quotation")
                    stack.pop()
                if stack and stack[-1] == "d":
                    stack.pop()
                else:
                    found.append("a closing double quotation mark without an opening one")
            elif ch == "\u2018":
                if not stack:
                    found.append("single quotation marks outside double ones")
                elif stack[-1] == "s":
                    found.append("single quotation marks inside single ones")
                stack.append("s")
            elif ch == "\u2019" and stack and stack[-1] == "s" and not (before.isalpha() and after.isalpha()):
                stack.pop()
        if stack:
            found.append(f"an opening {'double' if stack[-1] == 'd' else 'single'} quotation mark never closed")
        problems += [f"note {note.number}: {what}: \u201c{_cut(note.text)}\u201d" for what in dict.fromkeys(found)]
    return problems


RULES = {
    "6 page fill": check_page_fill,
    "7 pull quotes whole": check_pull_quotes,
    "8 panoramas full width": check_panoramas,
    "9 figures near anchors": check_figure_anchors,
    "10 header fits": check_header,
    "11 note punctuation": check_note_punctuation,
    "11a footnotes run on last": check_footnote_breaks,
    "12 quote nesting": check_quote_nesting,
    "13 headings with their text": check_headings,
}
