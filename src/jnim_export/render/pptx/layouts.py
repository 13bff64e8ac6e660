"""A template's layouts known by what they are, not what they are called: each classified by its
placeholders and their geometry, one chosen per slide kind by role, a missing role derived.

Roles: ``cover`` (a centred title or a title with a subtitle), ``title_body`` (a title at the
top and one body under it), ``two_content`` (a title and two bodies side by side), ``title_only``
(a title at the top, no body), ``section`` (a title lower on the slide, at most a small body),
``blank`` (no placeholder but the footers), ``other`` (captions, pictures, vertical text...).
A template's layout names are never read: they are in the template's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from pptx.enum.shapes import PP_PLACEHOLDER as PH
from pptx.slide import SlideLayout

from .geometry import Box

TITLES = (PH.TITLE, PH.CENTER_TITLE)
BODIES = (PH.BODY, PH.OBJECT)
FURNITURE = (PH.DATE, PH.FOOTER, PH.SLIDE_NUMBER, PH.HEADER)
TOP = 0.3  # a title whose middle is above this fraction of the slide's height is "at the top"
BODY_MIN = 0.35  # a body of less than this fraction of the slide's height is a caption, not a body
EDGE = 274320  # EMU (0.3 in): content keeps this far from the slide's edge, whatever the body says
TITLE_GAP = 182880  # EMU (0.2 in): between the title's box and the content under it

# For each slide kind, the roles that serve it, best first, and what a stand-in lacks or has too
# much. The cover serves the title slide only.
PREFERENCES = {
    "title": ("cover", "section", "title_only", "title_body", "two_content"),
    "content": ("title_body", "two_content", "title_only"),
    "title_only": ("title_only", "title_body", "two_content"),
}
DERIVED = {
    ("content", "two_content"): "its first body holds the text, the second is removed",
    ("content", "title_only"): "no body placeholder: the text goes in a box under the title",
    ("title_only", "title_body"): "its body placeholder is removed",
    ("title_only", "two_content"): "its body placeholders are removed",
    ("title", "section"): "a section header stands in for the cover",
    ("title", "title_only"): "the subtitle goes in a box under the title",
    ("title", "title_body"): "the body holds the subtitle",
    ("title", "two_content"): "the first body holds the subtitle",
}


@dataclass(frozen=True)
class Kind:
    """What a layout is: its role, why, and its title and body boxes (None if it has none)."""

    role: str
    reason: str
    title: Box | None
    bodies: tuple[Box, ...]


@dataclass(frozen=True)
class Choice:
    """The layout a slide kind is built on, and how: `derived` says what was made up, or is ""."""

    layout: SlideLayout
    kind: Kind
    derived: str
    title: Box  # where the slide's title goes


def _box(ph) -> Box | None:
    try:
        if ph.width and ph.height:
            return Box(int(ph.left), int(ph.top), int(ph.width), int(ph.height))
    except (AttributeError, TypeError):  # a placeholder without a position of its own or inherited
        pass
    return None


def _vertical(ph) -> bool:
    body_pr = ph.element.find(".//{*}bodyPr")
    return body_pr is not None and body_pr.get("vert", "horz") != "horz"


def classify(layout, W: int, H: int) -> Kind:
    """The role of `layout` on a slide of `W` × `H`, from its placeholders and their boxes."""
    phs = [ph for ph in layout.placeholders if ph.placeholder_format.type not in FURNITURE]
    types = [ph.placeholder_format.type for ph in phs]
    titles = [ph for ph in phs if ph.placeholder_format.type in TITLES]
    bodies = [ph for ph in phs if ph.placeholder_format.type in BODIES]
    body_boxes = tuple(b for b in (_box(ph) for ph in bodies) if b is not None)
    if not titles:
        return Kind("blank" if not phs else "other", "no title placeholder" + ("" if not phs else
                    ", other placeholders"), None, body_boxes)
    title = _box(titles[0])
    if title is None or title.w < W * 0.5 or title.h > title.w or _vertical(titles[0]):
        return Kind("other", "a narrow or vertical title", title, body_boxes)
    at_top = title.y + title.h / 2 < H * TOP
    if PH.CENTER_TITLE in types or PH.SUBTITLE in types:
        return Kind("cover", "a centred title" if PH.CENTER_TITLE in types else "a title and a subtitle",
                    title, body_boxes)
    if len(phs) != 1 + len(bodies) or any(_vertical(ph) for ph in bodies) or len(body_boxes) != len(bodies):
        return Kind("other", "pictures, captions or vertical text", title, body_boxes)
    big = [b for b in body_boxes if b.h >= H * BODY_MIN]
    if not bodies:
        return Kind("title_only" if at_top else "section",
                    "a title at the top, no body" if at_top else "a title low on the slide, no body", title, ())
    if not at_top:
        small = not big and len(bodies) == 1
        return Kind("section" if small else "other", "a title low on the slide" + (
            " and a small body" if small else " and a body"), title, body_boxes)
    below = all(b.y >= title.y + title.h // 2 for b in body_boxes)
    if len(bodies) == 1 and big and below:
        return Kind("title_body", "a title at the top, one body under it", title, body_boxes)
    if len(bodies) == 2 and len(big) == 2 and below and abs(body_boxes[0].y - body_boxes[1].y) < H * 0.05:
        return Kind("two_content", "a title at the top, two bodies side by side", title, body_boxes)
    return Kind("other", f"a title and {len(bodies)} bodies of other shapes", title, body_boxes)


class Layouts:
    """The template's layouts classified, and one chosen per slide kind (cached)."""

    def __init__(self, prs):
        self.prs = prs
        self.W, self.H = int(prs.slide_width), int(prs.slide_height)
        self.kinds = [(lo, classify(lo, self.W, self.H)) for lo in prs.slide_layouts]
        self._chosen: dict[str, Choice] = {}
        master_title = next((ph for ph in prs.slide_master.placeholders if ph.placeholder_format.type in TITLES), None)
        master_body = next((ph for ph in prs.slide_master.placeholders if ph.placeholder_format.type in BODIES), None)
        self.master_title = _box(master_title) if master_title is not None else None
        self.master_body = _box(master_body) if master_body is not None else None

    def first(self, role: str):
        return next(((lo, k) for lo, k in self.kinds if k.role == role), None)

    def choose(self, kind: str) -> Choice:
        if kind not in self._chosen:
            self._chosen[kind] = self._choose(kind)
        return self._chosen[kind]

    def _choose(self, kind: str) -> Choice:
        for role in PREFERENCES[kind]:
            found = self.first(role)
            if found is not None:
                lo, k = found
                return Choice(lo, k, DERIVED.get((kind, role), ""), k.title)
        # no layout with a usable title: a blank one, the title placed where the master has it
        found = self.first("blank") or next(((lo, k) for lo, k in self.kinds if k.role != "cover"), None) \
            or self.kinds[0]
        lo, k = found
        title = self.master_title or Box(self.W // 20, self.H // 20, self.W * 9 // 10, self.H // 6)
        return Choice(lo, k, "a title box placed and styled like the master's title", title)

    def body(self, kind: str) -> Box | None:
        """The body region the chosen layout gives `kind`: its bodies' union, else the first title +
        body layout's body, else the master's."""
        k = self.choose(kind).kind
        if k.role in ("title_body", "two_content") and k.bodies:
            return _union(k.bodies)
        ref = self.first("title_body")
        if ref is not None and ref[1].bodies:
            return ref[1].bodies[0]
        return self.master_body

    def region(self, kind: str, footer_band: int) -> Box:
        """Where a slide of `kind` lays out its content: the body (`body`), under the title, inside
        the slide's edge, down to the band the deck keeps for its own running footer."""
        tb, body = self.choose(kind).title, self.body(kind)
        edge = min(EDGE, self.W // 30)
        if body is None:
            body = Box(tb.x, tb.bottom, tb.w, self.H - tb.bottom)
        left, right = max(body.x, edge), min(body.right, self.W - edge)
        top = max(body.y, tb.bottom + TITLE_GAP) if body.y + body.h // 2 > tb.bottom else body.y
        return Box(left, top, right - left, self.H - footer_band - top)

    def explain(self) -> list[str]:
        """Each layout's role and why, then the layout each slide kind uses and what was derived."""
        lines = ["Layouts:"]
        for i, (lo, k) in enumerate(self.kinds, 1):
            lines.append(f"  {i}. {lo.name!r}: {k.role} ({k.reason})")
        lines.append("Slide kinds:")
        names = {"title": "title slide", "content": "text slides (sections, sources)",
                 "title_only": "other slides (facts, leaders, diagram, attacks, figures, quotes)"}
        for kind, what in names.items():
            c = self.choose(kind)
            how = f"; derived: {c.derived}" if c.derived else ""
            lines.append(f"  {what}: {c.layout.name!r}, a {c.kind.role} layout{how}")
        return lines


def _union(boxes) -> Box:
    x, y = min(b.x for b in boxes), min(b.y for b in boxes)
    r, btm = max(b.right for b in boxes), max(b.bottom for b in boxes)
    return Box(x, y, r - x, btm - y)
