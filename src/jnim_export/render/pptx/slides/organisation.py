"""The organisation: the groups it came from, the group, and the chain of allegiance, as connected shapes.

Its words come from the content: the heading over the groups and the line under the group's
name from `origins` (a merger, a split, a rebranding or an absorption, and its date), the
heading over the chain and the words on its links from each `allegiance` link's kind (a
pledge, joined, an affiliate) and date; a `label` in the content replaces the words made.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn

from .... import dates
from ....model import Allegiance, Origins
from ..geometry import Box, inch, pt, to_pt
from ..kit import alt_text, decorative, unstyled
from ..regions import region
from ..textfit import Seg, paragraph, ref_segs
from ..textset import check_fit, fit_size, textbox, write
from ..theme import ORGANISATION
from . import NOTHING, Shown


def add(deck) -> Shown:
    if deck.doc.origins or deck.doc.allegiance:
        _organisation_slide(deck)
    return NOTHING


# --------------------------------------------------------------------------- the words


LINK_SIZES = (12, 11, 10)  # pt, the words on a link of the chain
CENTRE_MIN_SIZE = 20  # pt, the least the group's name in the middle is set at without breaking a word


def _when(date: str | None) -> str:
    return dates.short_date(date) if date else ""


def origins_heading(o: Origins) -> str:
    """The heading over the groups the group came from."""
    if o.label:
        return o.label
    when = _when(o.date)
    return {"merger": f"Merged in {when}", "split": f"Split off in {when} from",
            "rebranding": f"Renamed in {when}; formerly", "absorption": f"Absorbed in {when}"}[o.kind]


def origins_line(o: Origins) -> str:
    """The line under the group's name: formed, split from, renamed from, absorbed."""
    when = _when(o.date)
    names = " and ".join(g.name for g in o.groups)
    if o.kind == "merger":
        return f"formed {when}"
    if o.kind == "split":
        return f"split from {names}, {when}"
    if o.kind == "rebranding":
        return f"renamed from {o.groups[0].name}, {when}"
    took = o.groups[0].name if len(o.groups) == 1 else f"{len(o.groups)} groups"
    return f"absorbed {took}, {when}"


def group_tag(o: Origins, absorbed: bool) -> str | None:
    """What a predecessor's box says under its name besides its note."""
    if absorbed or o.kind == "absorption":
        return "absorbed"
    return "former name" if o.kind == "rebranding" else None


def chain_heading(link: Allegiance) -> list[Seg]:
    """The heading over the chain, from its first link: how the group is bound to the one above."""
    if link.label:
        return [Seg(link.label)]
    when = _when(link.date)
    if link.kind == "pledge":
        if when:
            return [Seg("Pledged allegiance ("), Seg("bayat", italic=True), Seg(f") in {when}, upward to")]
        return [Seg("Pledges allegiance ("), Seg("bayat", italic=True), Seg(") upward to")]
    if link.kind == "joined":
        return [Seg(f"Joined in {when}, a branch of" if when else "A branch of")]
    return [Seg(f"Affiliate since {when} of" if when else "Affiliate of")]


def link_words(link: Allegiance, first: Allegiance) -> str | None:
    """The words on a link above the first: its label, else its kind and date when it has a date or
    its kind differs from the first link's (the heading's); None: nothing to add."""
    if link.label:
        return link.label
    if not link.date and link.kind == first.kind:
        return None
    verb = {"pledge": "pledged allegiance", "joined": "joined", "affiliate": "affiliate"}[link.kind]
    return f"{verb}, {_when(link.date)}" if link.date else verb


class _Organisation:
    """One organisation slide: columns for the groups it came from, the group, and its allegiance chain."""

    INSET = ORGANISATION.inset

    def __init__(self, deck):
        self.deck = deck
        doc = deck.doc
        self.origins, self.chain = doc.origins, list(doc.allegiance)
        title = "Organisation" if doc.meta.language.lower() in ("en-gb", "en-au", "en-nz", "en-ie") else "Organization"
        self.cites = list(self.origins.cites) if self.origins else []
        self.title = title
        self.slide = deck.new_slide("title_only", title)
        self.reg = region(deck, "title_only", self.cites)
        self._columns()
        self._headings()

    def _columns(self) -> None:
        deck, reg = self.deck, self.reg
        wide = deck.W >= ORGANISATION.wide_from
        col_gap = ORGANISATION.col_gap_wide if wide else ORGANISATION.col_gap
        n_cols = (1 if self.origins else 0) + 1 + (1 if self.chain else 0)
        self.center_w = ORGANISATION.center_w_wide if wide else ORGANISATION.center_w
        # wide enough for the group's name unbroken at a readable size (a long name, a narrow slide)
        name = [paragraph(deck.doc.meta.short_title, CENTRE_MIN_SIZE, bold=True)]
        while (self.center_w < reg.w // 3
               and not deck.measure.whole_words(name, to_pt(self.center_w - 2 * self.INSET))):
            self.center_w += ORGANISATION.center_step
        side_w = (reg.w - self.center_w - col_gap * (n_cols - 1)) // max(1, n_cols - 1) if n_cols > 1 else reg.w
        self.side_w = min(side_w, ORGANISATION.side_w_most)
        total = self.center_w + (self.side_w + col_gap) * (n_cols - 1)
        x = reg.x + (reg.w - total) // 2
        self.cols = {}
        if self.origins:
            self.cols["origins"] = x
            x += self.side_w + col_gap
        self.cols["center"] = x
        x += self.center_w + col_gap
        if self.chain:
            self.cols["chain"] = x

    def _headings(self) -> None:
        origins, deck = self.origins, self.deck
        headings = []
        if origins:
            headings.append((self.cols["origins"], [Seg(origins_heading(origins))] + ref_segs(origins.cites)))
        if self.chain:
            headings.append((self.cols["chain"], chain_heading(self.chain[0])))
        self.head_paras = {x0: [paragraph(segs, 14, bold=True, color="muted", spacing=0.9)] for x0, segs in headings}
        self.head_h = max([pt(deck.measure.total(ps, to_pt(self.side_w))) + 1 for ps in self.head_paras.values()]
                          or [0])
        self.top = self.reg.y + self.head_h + ORGANISATION.heading_gap
        self.avail = self.reg.bottom - self.top

    def heading(self, x0) -> None:
        textbox(self.deck, self.slide, Box(x0, self.reg.y, self.side_w, self.head_h), self.head_paras[x0],
                name="Heading", anchor=MSO_ANCHOR.BOTTOM)

    def fit_boxes(self, items, width):
        """Text size (pt), box height and gap for a column of boxes (`items`: paras makers)."""
        n, inset, avail = len(items), self.INSET, self.avail
        for s in (16, 15, 14, 13, 12):
            need = max(pt(self.deck.measure.total(mk(s), to_pt(width - 2 * inset))) + 1 for mk in items) + 2 * inset
            for gap in ORGANISATION.box_gaps:
                if need * n + gap * (n - 1) <= avail:
                    box_h = max(need, min(ORGANISATION.box_h_most, (avail - gap * (n - 1)) // n))
                    return s, box_h, gap
        gap = ORGANISATION.box_gap_least
        return 12, (avail - gap * (n - 1)) // n, gap

    def add_box(self, name, paras, bx, key_fill, key_line, dash=None, text_color=None):
        deck, inset = self.deck, self.INSET
        shape = self.slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, bx.x, bx.y, bx.w, bx.h)
        shape.name = name
        deck.fill(shape, key_fill)
        deck.outline(shape, key_line, 1.25, dash)
        unstyled(shape)
        if text_color:
            paras = [replace(p, color=text_color) for p in paras]
        write(deck, shape.text_frame, paras, anchor=MSO_ANCHOR.MIDDLE, insets=(inset,) * 4)
        check_fit(deck, paras, bx, (inset,) * 4, name)
        return shape

    def members(self) -> list:
        """The groups it came from (and those it absorbed), top to bottom."""
        o = self.origins
        if not o:
            return []
        groups = [(g, group_tag(o, False)) for g in o.groups] + [(g, group_tag(o, True)) for g in o.absorbed]
        makers = [lambda s, g=g, t=t: _group_paras(g.name, g.note, s, t) for g, t in groups]
        s, bh, gap = self.fit_boxes(makers, self.side_w)
        col_h = bh * len(groups) + gap * (len(groups) - 1)
        y0 = self.top + (self.avail - col_h) // 2
        self.heading(self.cols["origins"])
        shapes = []
        for k, (g, tag) in enumerate(groups):
            bx = Box(self.cols["origins"], y0 + k * (bh + gap), self.side_w, bh)
            paras = _group_paras(g.name, g.note, s, tag)
            if tag == "absorbed":
                shp = self.add_box(f"Absorbed: {g.name}", paras, bx, "white", "muted", MSO_LINE_DASH_STYLE.DASH)
            else:
                role = {"merger": "Member", "split": "Split from", "rebranding": "Former name"}[o.kind]
                shp = self.add_box(f"{role}: {g.name}", paras, bx, "tint", None)
            shapes.append(shp)
        return shapes

    def group(self):
        """The group itself, in the middle."""
        deck, doc, origins, inset = self.deck, self.deck.doc, self.origins, self.INSET

        def paras(s):
            out = [paragraph(doc.meta.short_title, s, bold=True, align="c", spacing=0.9)]
            if origins:
                out.append(paragraph(origins_line(origins), 14, align="c", spacing=0.9))
            return out

        jh = ORGANISATION.group_h
        sizes = [s for s in (28, 26, 24, 22, 20, 18, 16)
                 if deck.measure.whole_words(paras(s)[:1], to_pt(self.center_w - 2 * inset))] or [16]
        size = fit_size(deck, sizes, paras, self.center_w - 2 * inset, jh - 2 * inset) or sizes[-1]
        center_y = self.top + (self.avail - jh) // 2
        return self.add_box(doc.meta.short_title, paras(size), Box(self.cols["center"], center_y, self.center_w, jh),
                            "accent", None, text_color="white")

    def allegiance(self) -> list:
        """The chain of allegiance, its first link at the bottom."""
        chain = self.chain
        if not chain:
            return []
        makers = [lambda s, a=a: [paragraph(a.group, s + 2, bold=True, align="c", spacing=0.9),
                                  paragraph(f"{a.title}: {a.leader}", s, color="muted", align="c", spacing=0.9)]
                  for a in chain]
        s, bh, gap = self.fit_boxes(makers, self.side_w)
        worded = any(link_words(a, chain[0]) for a in chain[1:])
        gap = max(gap, ORGANISATION.chain_gap_worded if worded else ORGANISATION.chain_gap)  # room for two lines of a link's words
        # and room for the longest words at the smallest size, so no label crosses a box
        label_w = self._label_box(Box(self.cols["chain"], 0, self.side_w, 0), 0, 0).w
        need = max([pt(self.deck.measure.total(self._label_paras(link_words(a, chain[0]), LINK_SIZES[-1]),
                                               to_pt(label_w))) + 1 for a in chain[1:] if link_words(a, chain[0])]
                   or [0])
        need += ORGANISATION.link_clear if need else 0  # clear of the boxes above and below
        gap = max(gap, need)
        col_h = bh * len(chain) + gap * (len(chain) - 1)
        if col_h > self.avail:  # smaller text in shorter boxes, the gaps kept for the words
            gap = max(ORGANISATION.box_gaps[0], need)
            room = (self.avail - gap * (len(chain) - 1)) // len(chain)
            for size in (s, *(x for x in (15, 14, 13, 12) if x < s)):
                tall = max(pt(self.deck.measure.total(mk(size), to_pt(self.side_w - 2 * self.INSET))) + 1
                           for mk in makers) + 2 * self.INSET
                if tall <= room:
                    break
            s, bh = size, max(min(bh, room), tall)
            col_h = bh * len(chain) + gap * (len(chain) - 1)
        y0 = self.top + (self.avail - col_h) // 2
        self.heading(self.cols["chain"])
        boxes = [Box(self.cols["chain"], y0 + (len(chain) - 1 - k) * (bh + gap), self.side_w, bh)
                 for k in range(len(chain))]
        shapes = [self.add_box(f"Allegiance: {a.group}", makers[k](s), boxes[k], "white", "ink")
                  for k, a in enumerate(chain)]
        # how each link above the first binds the group below, beside its arrow
        for k in range(1, len(chain)):
            words = link_words(chain[k], chain[0])
            if words:
                box = self._label_box(boxes[k], boxes[k].bottom, boxes[k - 1].y)

                def make(size, words=words):
                    return self._label_paras(words, size)

                size = fit_size(self.deck, LINK_SIZES, make, box.w, box.h) or LINK_SIZES[-1]
                textbox(self.deck, self.slide, box, make(size), name=f"Link: {chain[k - 1].group} to {chain[k].group}",
                        anchor=MSO_ANCHOR.MIDDLE)
        return shapes


    def _label_box(self, upper: Box, top: int, bottom: int) -> Box:
        """Where the words of a link go: right of its arrow, into the margin if need be, between the boxes."""
        x = upper.x + upper.w // 2 + ORGANISATION.link_gap
        right = min(max(upper.right, self.reg.right) + ORGANISATION.link_reach,
                    self.deck.W - ORGANISATION.link_margin)
        return Box(x, top, right - x, bottom - top)

    @staticmethod
    def _label_paras(words, size):
        return [paragraph(words, size, color="muted", spacing=0.9)]


def _group_paras(name, note, s, tag=None):
    out = [paragraph(name, s + 2, bold=True, align="c", spacing=0.9)]
    sub = "; ".join(t for t in (tag, note) if t)
    if sub:
        out.append(paragraph(sub, s, color="muted", align="c", spacing=0.9))
    return out


def _organisation_slide(deck) -> None:
    org = _Organisation(deck)
    # reading order: the groups it came from, the group, then the chain upwards
    members = org.members()
    center = org.group()
    chain = org.allegiance()
    # connectors, each glued to the shapes it joins
    for shp in members:
        connect(deck, org.slide, shp, 3, center, 1, elbow=True)
    if chain:
        connect(deck, org.slide, center, 3, chain[0], 1, elbow=True)
        for lower, upper in zip(chain, chain[1:]):
            connect(deck, org.slide, lower, 0, upper, 2)
    # one diagram: a group whose alt text says what the boxes and arrows show
    parts = [sh for sh in org.slide.shapes if not sh.is_placeholder]
    diagram = org.slide.shapes.add_group_shape(parts)
    diagram.name = "Organization diagram" if "Organization" in org.title else "Organisation diagram"
    alt_text(diagram, describe(deck.doc))
    deck.finish(org.slide, "title_only", org.cites)


def _and(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe(doc) -> str:
    """The organisation diagram in words: where the group came from, how it is bound to those above."""
    name, origins, chain = doc.meta.short_title, doc.origins, doc.allegiance
    out = []
    if origins:
        when, groups = dates.long_date(origins.date), _and(g.name for g in origins.groups)
        s = {"merger": f"{name} was formed in {when} by the merger of {groups}",
             "split": f"{name} split from {groups} in {when}",
             "rebranding": f"{name} is {origins.groups[0].name} renamed in {when}",
             "absorption": f"{name} absorbed {groups} in {when}"}[origins.kind]
        if origins.absorbed:
            s += f"; it absorbed {_and(g.name + (f' ({g.note})' if g.note else '') for g in origins.absorbed)}"
        out.append(s + ".")
    bound = {"pledge": "pledges allegiance (bayat) to", "joined": "is a branch of", "affiliate": "is an affiliate of"}
    links = [f"{bound[link.kind]} {link.group} ({link.title}: {link.leader})" for link in chain]
    if links:
        out.append(f"{name} " + ", which ".join(links) + ".")
    return "Diagram. " + " ".join(out)


def connect(deck, slide, a, a_idx: int, b, b_idx: int, *, elbow: bool = False):
    pts = {
        0: lambda s: (s.left + s.width // 2, s.top),
        1: lambda s: (s.left, s.top + s.height // 2),
        2: lambda s: (s.left + s.width // 2, s.top + s.height),
        3: lambda s: (s.left + s.width, s.top + s.height // 2),
    }
    (x1, y1), (x2, y2) = pts[a_idx](a), pts[b_idx](b)
    kind = MSO_CONNECTOR.ELBOW if elbow and y1 != y2 else MSO_CONNECTOR.STRAIGHT
    cxn = slide.shapes.add_connector(kind, x1, y1, x2, y2)
    cxn.begin_connect(a, a_idx)
    cxn.end_connect(b, b_idx)
    cxn.name = f"Arrow {a.name} to {b.name}"
    unstyled(cxn)
    decorative(cxn)  # what it shows is in the diagram's alt text
    cxn.line.width = ORGANISATION.arrow_w
    deck.paint(cxn.line.color, "muted")
    ln = cxn.line._get_or_add_ln()
    tail = etree.SubElement(ln, qn("a:tailEnd"))
    tail.set("type", "triangle")
    tail.set("w", "med")
    tail.set("len", "med")
    return cxn
