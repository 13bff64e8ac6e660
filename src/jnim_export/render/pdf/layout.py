"""Per-page layout state the flowables share: the footnotes at the page's foot and an active float."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Iterable

from . import rl
from .tagging import NullTree, StructureTree
from .theme import FUZZ, Theme

MENTION = re.compile(r"\bFigure\s+(\d+)(,\s*above)?")  # how the text names a figure

if TYPE_CHECKING:
    from reportlab.platypus import BaseDocTemplate, Frame

    from .flowables import NoteItem


class Footnotes:
    """The notes set at the foot of each page (in endnote mode: nothing).

    A footnote is set whole at the foot of the page citing it, unless the page's notes together
    would be taller than the cap (a share of the page): then the page takes what fits and the
    rest continues at the foot of the next page(s), before that page's own notes. The cap holds
    for all of a page's notes together (each note cited on the page starts on it, with two lines
    at least), so the text keeps the rest of the page however many long notes one line cites.
    A text block asks `extra` how much room the notes it cites would take before it is laid
    out, and calls `commit` as it is drawn.
    """

    def __init__(self, active: bool, width: float, theme: Theme):
        self.active = active
        self.width = width
        self.theme = theme
        self.doc: BaseDocTemplate | None = None
        self.page: list[int] = []  # footnotes first set on the current page, in order
        self.pieces: list[NoteItem] = []  # what the foot of the current page shows, in order
        self.carry: list[NoteItem] = []  # rests of long footnotes, for the next page
        self.placed: set[int] = set()  # footnotes already set on some page
        self.cited: set[int] = set()  # notes whose callouts are drawn (in either mode)
        self.order: list[int] = []  # the same, in the order drawn: what the reader meets
        self.items: dict[int, NoteItem] = {}
        self._heights: dict[int, float] = {}
        self.flushing = False  # the text is all set: the notes left may take whole pages
        self._cut: tuple[int, NoteItem] | None = None  # a note begun on this page cut, its rest carried over

    @property
    def frame(self) -> Frame:
        assert self.doc is not None
        return self.doc.frame

    @property
    def cap(self) -> float:
        assert self.doc is not None
        share = self.theme.footnote_flush_cap if self.flushing else self.theme.footnote_cap
        return share * rl.frame_height(self.doc.pageTemplate.frames[0])

    def new_page(self) -> None:
        self.page = []
        self.pieces = []
        self._cut = None
        if self.doc is None:
            return
        for frame in self.doc.pageTemplate.frames:
            frame.bottomPadding = 0
        carry, self.carry = self.carry, []
        for piece in carry:
            self._add_piece(piece)
        if self.pieces:
            self.doc.pageTemplate.frames[0].bottomPadding = self._area(self._piece_heights())

    def note_height(self, n: int) -> float:
        h = self._heights.get(n)
        if h is None:
            h = self._heights[n] = self.items[n].wrap(self.width, 10_000)[1]
        return h

    def new_notes(self, numbers: Iterable[int]) -> list[int]:
        """Of `numbers`, the notes this page would have to set that no page has set yet."""
        if not self.active:
            return []
        out: list[int] = []
        for n in numbers:
            if n in self.items and n not in self.placed and n not in self.page and n not in out:
                out.append(n)
        return out

    def _area(self, heights: list[float]) -> float:
        if not heights:
            return 0.0
        return self.theme.footnote_rule_space + sum(heights) + self.theme.footnote_gap * (len(heights) - 1)

    def _piece_heights(self) -> list[float]:
        return [p.wrap(self.width, 10_000)[1] for p in self.pieces]

    def extra(self, numbers: Iterable[int]) -> float:
        """How much the foot-of-page note area grows if `numbers` are cited on this page.

        Only a page's last note may run on overleaf: a note with another after it is set whole,
        past the cap if need be (the one cut earlier on this page too)."""
        new = self.new_notes(numbers)
        if not new:
            return 0.0
        hs = self._piece_heights()
        now = self._area(hs)
        if self._cut is not None:
            hs[self._cut[0]] = self._cut[1].wrap(self.width, 10_000)[1]
        elif self.carry and not rl.frame_at_top(self.frame):
            return math.inf  # a rest carried over runs on again: no note of this page may follow it
        for k, n in enumerate(new):
            h = self.note_height(n)
            hs.append(h if k < len(new) - 1 else min(h, self._room(self.items[n], hs)))
        return self._area(hs) - now

    def _room(self, item: NoteItem, heights: list[float]) -> float:
        """How tall `item` may be set below `heights`: what the cap leaves, and two lines at least
        for a note begun on this page (a paragraph leaves no orphan)."""
        room = self.cap - self._area(heights + [0.0])
        return max(room, item.text_para.style.leading * 2.2) if item.number_para is not None else room

    def _add_piece(self, item: NoteItem, whole: bool = False) -> None:
        """Set `item` on this page, or (unless `whole`) as much of it as the room left under the
        cap allows, carrying the rest (or, if none of it fits, all of it) over. A note cited on
        this page starts on it, with two lines at least."""
        h = item.wrap(self.width, 10_000)[1]
        room = self._room(item, self._piece_heights())
        if h > room + FUZZ and not whole:
            parts = item.split(self.width, max(room, 0.0))
            if len(parts) == 2:
                if item.number_para is not None:
                    self._cut = (len(self.pieces), item)
                self.pieces.append(parts[0])
                self.carry.append(parts[1])
                return
            if self.pieces and item.number_para is None:
                self.carry.append(item)
                return
        self.pieces.append(item)

    def commit(self, numbers: Iterable[int]) -> list[int]:
        """The flowable citing `numbers` is being drawn: reserve room for its notes (returned)."""
        numbers = list(numbers)
        self.order += [n for n in dict.fromkeys(numbers) if n not in self.cited]
        self.cited.update(numbers)
        new = self.new_notes(numbers)
        if not new:
            return new
        self.page.extend(new)
        self.placed.update(new)
        if self._cut is not None:  # the note cut earlier on this page is no longer its last: set it whole
            k, item = self._cut
            self.pieces[k] = item
            self.carry.pop()
            self._cut = None
        for k, n in enumerate(new):
            self._add_piece(self.items[n], whole=k < len(new) - 1)
        self.frame.bottomPadding = self._area(self._piece_heights())
        return new

    def foot_area(self) -> float:
        return self._area(self._piece_heights())


class Floats:
    """A figure floated beside the text (how far down it reaches), and figures waiting for the next page."""

    def __init__(self) -> None:
        self.doc: BaseDocTemplate | None = None
        self.bottom: float | None = None  # absolute y below which a float no longer cuts lines
        self.cut = 0.0  # how much shorter the lines beside it are
        self.deferred: list = []  # figures waiting for the top of the next page

    def new_page(self) -> None:
        self.bottom = None
        self.cut = 0.0

    def top(self, aH: float) -> float:
        """Absolute y of the top of a flowable offered height `aH` in the current frame."""
        assert self.doc is not None
        return aH + rl.frame_cursor(self.doc.frame)

    def clearance(self, aH: float) -> float:
        """How far below the current position a float still reaches (what a figure must skip)."""
        if self.bottom is None:
            return 0.0
        return max(0.0, self.top(aH) - self.bottom)

    def note_room(self) -> float:
        """How far the foot-of-page notes may still grow before they reach the float's bottom."""
        if self.bottom is None:
            return math.inf
        assert self.doc is not None
        return max(0.0, self.bottom - rl.frame_cursor(self.doc.frame))

    def narrow_lines(self, aH: float, leading: float) -> int:
        """How many lines from the current position run beside the float."""
        if self.bottom is None:
            return 0
        span = self.top(aH) - self.bottom
        return max(0, math.ceil(span / leading - 1e-6))


class Layout:
    """The state of the page being set, shared by every flowable of one document.

    `tree` is the document's structure tree (see `tagging`), which every flowable tells
    what it draws; `notes_list` the endnotes' list element. Text may pass a waiting figure
    freely (the PDF numbers its notes in the order set, `edition`), unless `strict`: then only
    up to the first line citing a note after one of the figure's not yet met (`pending`).
    """

    def __init__(self, footnotes: bool, width: float, theme: Theme, tree: StructureTree | NullTree | None = None,
                 strict: bool = False):
        self.strict = strict
        self.notes = Footnotes(footnotes, width, theme)
        self.tree = tree if tree is not None else NullTree()
        self.notes_list = self.tree.element("L", numbering="Decimal")
        self.floats = Floats()
        self.theme = theme
        self.warnings: list[str] = []
        self.stranded: dict[str, float] = {}  # figures moved to the next page, by the gap they left
        self.figure_pages: dict[int, int] = {}  # figure number -> the page it is set on
        self.named: dict[int, tuple[int, int, bool]] = {}  # figure -> its mention's paragraph's page, its page, "above"
        self.left: list[float] = []  # each page's room left empty at its foot
        self._ids: dict[int, str] = {}  # figure number -> id
        self._queues: list[list[str]] = []  # figures that waited for a page together, by id
        self._starts: dict[int, int] = {}  # a paragraph's structure element (its id) -> the page it starts on
        self._doc: BaseDocTemplate | None = None

    @property
    def doc(self) -> BaseDocTemplate | None:
        return self._doc

    @doc.setter
    def doc(self, doc: BaseDocTemplate) -> None:
        self._doc = self.notes.doc = self.floats.doc = doc

    def new_page(self) -> None:
        self.notes.new_page()
        self.floats.new_page()

    def place_notes(self, new: list[int]) -> None:
        """Footnotes `new` (just committed) follow what cites them in the reading order."""
        for n in new:
            self.tree.place(self.notes.items[n].elems["note"])

    def pending(self, cites: Iterable[int] = ()) -> set[int]:
        """Notes first cited by waiting figures (and `cites`), not cited yet by text set so far
        (none unless `strict`: text passes a waiting figure freely)."""
        if not self.strict:
            return set()
        waiting = {n for f in self.floats.deferred for n in (getattr(getattr(f, "box", None), "cites", None) or ())}
        return (waiting | set(cites)) - self.notes.cited

    def set_figure(self, figure) -> None:
        self.figure_pages.setdefault(figure.number, self.page)
        self._ids[figure.number] = figure.id

    def page_ends(self, left: float) -> None:
        """The page ends with `left` points of its text frame empty."""
        self.left.append(left)

    def gap(self) -> float:
        """The most any page but the last leaves empty at its foot."""
        return max(self.left[:-1], default=0.0)

    def waited(self, flowables: list) -> None:
        """`flowables` waited for a later page together (figures among them, by id)."""
        self._queues.append([f.box.figure.id for f in flowables if hasattr(f, "box")])

    def held_back(self) -> frozenset[str]:
        """The first figure of each group that waited together with one set more than a page after
        its mention: kept where it stands, the others may stay near theirs."""
        late = {self._ids[n] for n, page in self.figure_pages.items()
                if page > self.named.get(n, (page, page, False))[1] + 1}
        return frozenset(queue[0] for queue in self._queues if queue and late & set(queue))

    def set_text(self, struct, text: str) -> None:
        """A piece of a paragraph is drawn: where it starts, and the figures its text names first."""
        start = self._starts.setdefault(id(struct), self.page)
        for m in MENTION.finditer(text):
            self.named.setdefault(int(m.group(1)), (start, self.page, bool(m.group(2))))

    def misplaced(self) -> int:
        """How many figures are set before the page their mention's paragraph starts on (unless it
        says "above": then the page before is near), or more than a page after the mention."""
        out = 0
        for n, page in self.figure_pages.items():
            start, at, above = self.named.get(n, (page, page, False))
            out += not start - above <= page <= at + 1
        return out

    @property
    def page(self) -> int:
        return self._doc.page if self._doc is not None else 0

    def at_top(self) -> bool:
        return self._doc is not None and rl.frame_at_top(self._doc.frame)


def open_lines(lines: Iterable[Iterable[int]], pending: set[int], seen: set[int] | None = None) -> int:
    """How many of `lines` (each the notes it cites, in order) may be set before figures whose notes
    `pending` are not cited yet: up to the first citing a note after one of those not yet met (so
    that notes are first met in their order). `seen` gathers what the lines set cite."""
    seen = set() if seen is None else seen
    count = 0
    for line in lines:
        for n in line:
            if any(f < n and f not in seen for f in pending):
                return count
            seen.add(n)
        count += 1
    return count
