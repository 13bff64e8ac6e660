"""The organisation: the groups it came from, the group, and the chain of allegiance, as connected shapes."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Pt

from .... import dates
from ..geometry import Box, inch, pt, to_pt
from ..kit import alt_text, decorative, unstyled
from ..textfit import Seg, paragraph, ref_segs


def add(deck) -> None:
    if deck.doc.merger or deck.doc.allegiance:
        _organisation_slide(deck)


class _Organisation:
    """One organisation slide: columns for the groups it came from, the group, and its allegiance chain."""

    INSET = inch(0.12)

    def __init__(self, deck):
        self.deck = deck
        doc = deck.doc
        self.merger, self.chain = doc.merger, list(doc.allegiance)
        title = "Organisation" if doc.meta.language.lower() in ("en-gb", "en-au", "en-nz", "en-ie") else "Organization"
        self.cites = list(self.merger.cites) if self.merger else []
        self.title = title
        self.slide = deck.new_slide("title_only", title)
        self.reg = deck.region("title_only", self.cites)
        self._columns()
        self._headings()

    def _columns(self) -> None:
        deck, reg = self.deck, self.reg
        wide = deck.W >= inch(12)
        col_gap = inch(0.9) if wide else inch(0.45)
        n_cols = (1 if self.merger else 0) + 1 + (1 if self.chain else 0)
        self.center_w = inch(2.4) if wide else inch(1.8)
        side_w = (reg.w - self.center_w - col_gap * (n_cols - 1)) // max(1, n_cols - 1) if n_cols > 1 else reg.w
        self.side_w = min(side_w, inch(4.0))
        total = self.center_w + (self.side_w + col_gap) * (n_cols - 1)
        x = reg.x + (reg.w - total) // 2
        self.cols = {}
        if self.merger:
            self.cols["merger"] = x
            x += self.side_w + col_gap
        self.cols["center"] = x
        x += self.center_w + col_gap
        if self.chain:
            self.cols["chain"] = x

    def _headings(self) -> None:
        merger, deck = self.merger, self.deck
        headings = []
        if merger:
            headings.append((self.cols["merger"],
                             [Seg(f"Merged in {dates.short_date(merger.date)}")] + ref_segs(merger.cites)))
        if self.chain:
            headings.append((self.cols["chain"], [Seg("Pledges allegiance ("), Seg("bayat", italic=True),
                                                  Seg(") upward to")]))
        self.head_paras = {x0: [paragraph(segs, 14, bold=True, color="muted", spacing=0.9)] for x0, segs in headings}
        self.head_h = max([pt(deck.measure.total(ps, to_pt(self.side_w))) + 1 for ps in self.head_paras.values()]
                          or [0])
        self.top = self.reg.y + self.head_h + inch(0.15)
        self.avail = self.reg.bottom - self.top

    def heading(self, x0) -> None:
        self.deck.textbox(self.slide, Box(x0, self.reg.y, self.side_w, self.head_h), self.head_paras[x0],
                          name="Heading", anchor=MSO_ANCHOR.BOTTOM)

    def fit_boxes(self, items, width):
        """Text size (pt), box height and gap for a column of boxes (`items`: paras makers)."""
        n, inset, avail = len(items), self.INSET, self.avail
        for s in (16, 15, 14, 13, 12):
            need = max(pt(self.deck.measure.total(mk(s), to_pt(width - 2 * inset))) + 1 for mk in items) + 2 * inset
            for gap in (inch(0.22), inch(0.12)):
                if need * n + gap * (n - 1) <= avail:
                    box_h = max(need, min(inch(0.95), (avail - gap * (n - 1)) // n))
                    return s, box_h, gap
        gap = inch(0.1)
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
        deck.write(shape.text_frame, paras, anchor=MSO_ANCHOR.MIDDLE, insets=(inset,) * 4)
        deck.check_fit(paras, bx, (inset,) * 4, name)
        return shape

    def members(self) -> list:
        """The groups that merged (and were absorbed), top to bottom."""
        merger = self.merger
        if not merger:
            return []
        groups = [(g, None) for g in merger.members] + [(g, "absorbed") for g in merger.absorbed]
        makers = [lambda s, g=g, t=t: _group_paras(g.name, g.note, s, t) for g, t in groups]
        s, bh, gap = self.fit_boxes(makers, self.side_w)
        col_h = bh * len(groups) + gap * (len(groups) - 1)
        y0 = self.top + (self.avail - col_h) // 2
        self.heading(self.cols["merger"])
        shapes = []
        for k, (g, tag) in enumerate(groups):
            bx = Box(self.cols["merger"], y0 + k * (bh + gap), self.side_w, bh)
            if tag:
                shp = self.add_box(f"Absorbed: {g.name}", _group_paras(g.name, g.note, s, tag), bx, "white", "muted",
                                   MSO_LINE_DASH_STYLE.DASH)
            else:
                shp = self.add_box(f"Member: {g.name}", _group_paras(g.name, g.note, s), bx, "tint", None)
            shapes.append(shp)
        return shapes

    def group(self):
        """The group itself, in the middle."""
        deck, doc, merger, inset = self.deck, self.deck.doc, self.merger, self.INSET

        def paras(s):
            out = [paragraph(doc.meta.short_title, s, bold=True, align="c", spacing=0.9)]
            if merger:
                out.append(paragraph(f"formed {dates.short_date(merger.date)}", 14, align="c", spacing=0.9))
            return out

        jh = inch(1.5)
        size = deck.fit_size((28, 26, 24, 22, 20, 18, 16), paras, self.center_w - 2 * inset, jh - 2 * inset) or 16
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
        gap = max(gap, inch(0.35))
        col_h = bh * len(chain) + gap * (len(chain) - 1)
        if col_h > self.avail:
            gap = inch(0.22)
            col_h = bh * len(chain) + gap * (len(chain) - 1)
        y0 = self.top + (self.avail - col_h) // 2
        self.heading(self.cols["chain"])
        return [self.add_box(f"Allegiance: {a.group}", makers[k](s),
                             Box(self.cols["chain"], y0 + (len(chain) - 1 - k) * (bh + gap), self.side_w, bh),
                             "white", "ink")
                for k, a in enumerate(chain)]


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
    """The organisation diagram in words: where the group came from, whom it pledges allegiance to."""
    name, merger, chain = doc.meta.short_title, doc.merger, doc.allegiance
    out = []
    if merger:
        s = f"{name} was formed in {dates.long_date(merger.date)} by the merger of {_and(g.name for g in merger.members)}"
        if merger.absorbed:
            s += f"; it absorbed {_and(g.name + (f' ({g.note})' if g.note else '') for g in merger.absorbed)}"
        out.append(s + ".")
    if chain:
        s = f"{name} pledges allegiance (bayat) to {chain[0].group} ({chain[0].title}: {chain[0].leader})"
        s += "".join(f", which pledges allegiance to {a.group} ({a.title}: {a.leader})" for a in chain[1:])
        out.append(s + ".")
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
    cxn.line.width = Pt(1.75)
    deck.paint(cxn.line.color, "muted")
    ln = cxn.line._get_or_add_ln()
    tail = etree.SubElement(ln, qn("a:tailEnd"))
    tail.set("type", "triangle")
    tail.set("w", "med")
    tail.set("len", "med")
    return cxn
