"""Tagged PDF (PDF/UA-1): the structure tree, built while the pages are drawn.

ReportLab's open-source canvas writes no structure.  This package adds it at the source:
the flowables say *what* they draw (``tree.tag("P")``, ``tree.artifact()``), a canvas
subclass wraps *how* it is drawn in marked content, and just before ReportLab formats
the file the structure tree is added as PDF objects of its own document.  No second
pass over the file, no parser, no dependency beyond ReportLab.  Every build is tagged;
`ENABLED` exists only so that ``bench/pdf_tagging.py`` can time the same render without.

The package
-----------
==================  ====================================================================
``tree``            `StructureTree`: elements and their marked content, while drawing
``canvas``          `TaggedCanvas`: reports text objects and annotations to the tree
``markers``         the zero-width ``<ondraw>`` markup that opens and closes inline elements
``serialise``       the tree written as PDF objects at save (``finish``)
``untagged``        `NullTree`: the same interface doing nothing (``ENABLED`` off)
``links``           what the backgrounder's links become (`link_tags`)
``errors``          `TaggingError`
==================  ====================================================================

What the writer tags (the hooks, by module)
-------------------------------------------
==================  ====================================================================
``story``           the tree (`tree_for`): Document, ``/Lang`` from the content; title
                    ``H1``, native title ``P /Lang ar``, byline ``P``, pull quote
                    ``BlockQuote``, closing credit and copyright ``P``, Notes heading
``flowables``       `Block`: its element (``P`` by default) made once and shared by the
                    pieces `split` returns; tint and bar an artifact.  `Heading`: ``H2``.
                    `Rule`: artifact.  `NoteItem`: endnotes ``L > LI > Lbl + LBody >
                    Note``, footnotes ``Note > Lbl + P``
``markup``          each Arabic run a ``Span`` with ``/Lang ar`` and ``/ActualText`` (the
                    logical text: what is drawn is shaped and in visual order); links need
                    no markup (see `link_tags`: callouts ``Reference > Link`` to their
                    ``Note``, URLs and back-links ``Link``, each with its annotation)
``artwork``         `FigureBox`: ``Div > Caption (P caption, P credit) + Figure`` (``/Alt``,
                    ``/BBox``); the drawing (an SVG's text with it) or photo is the
                    Figure's content; accent rule, placeholder frame: artifacts
``placement``       a figure moved to the next page keeps its place in the reading order
``layout``          footnotes: each ``Note`` is placed right after what first cites it
``pages``           masthead band, running footer, page numbers, footnote rule: artifacts
                    (``/Pagination /Header``, ``/Footer``)
==================  ====================================================================

Usage
-----
::

    tree = StructureTree(lang="en-US", link_tags=policy)
    doc.build(story, canvasmaker=tree.canvasmaker())

    # in a flowable's draw():
    with tree.tag(self.struct):          # an element made once (tree.element), shared by split pieces
        self.para.drawOn(self.canv, 0, 0)
    with tree.artifact():                # rules, tints; artifact("Pagination", "Footer")
        canv.line(...)
    with tree.tag("Figure", alt="..."), tree.content():
        renderPDF.draw(drawing, canv, 0, 0)   # everything inside is the figure's content

    # links in Paragraph markup need nothing: <a href> becomes what policy(href) says,
    # e.g. a note callout ("#note-3") a Reference holding a Link.  Other inline elements
    # (a span in another language) are zero-width markers in the markup:
    "the " + span("Span", "Jamāʿat Nuṣrat al-Islām", lang="ar-Latn") + " group"

Why at the source
-----------------
Tagging afterwards (parse the content streams, guess what each run of text belongs to)
throws away what the writer knows: which flowable drew a run, which paragraph a page
break split, which superscript is a note callout.  Here every marked-content sequence is
emitted by the code that knows.  The structure is kept as small Python objects while
drawing and serialised once at save (``finish``, in ``serialise``), after ReportLab has
numbered pages and annotations: straight to PDF syntax (``_Raw`` objects registered with
the document's ``Reference``), because ReportLab's generic dictionary formatter would cost
more than the rest of the tagging together.  Object numbers follow the drawing, so an
invariant-mode build stays byte-identical.  (pikepdf would do the same as a post-pass,
at the price of re-reading and re-writing every object of the file and of a second
dependency; the checker uses it, the writer does not need it.)

Two levels of marked content
----------------------------
*Canvas level* (``content()``, ``artifact()``): ``BDC``/``BMC`` appended to the page's
operators before the drawing, ``EMC`` after it.  Used for graphics (figures, images, rules) and
artifacts.  Opening and closing must happen at the same graphics-state depth (the canvas
``q`` stack is checked), and a canvas-level sequence never straddles ``BT``/``ET``
because ReportLab appends a text object to the page in one piece at ``drawText``.
Nested contexts do not nest sequences: entering one closes the outer sequence, leaving
it reopens the outer one (a placeholder's frame is an artifact between two pieces of
its figure).

*Text-object level* (automatic): a text object begun while a structure element is
current and no canvas-level sequence is open gets ``/Tag <</MCID n>> BDC`` right after
``BT`` and ``EMC`` right before ``ET``.  A Paragraph draws each of its pieces as one text
object, so a paragraph's marked content always nests inside ``BT``/``ET`` inside its
``q``/``Q``.  Inline elements switch sequences *inside the same text object*: the
current sequence is closed and one for the inline element opened (and back for its
parent at its end).  Sequences are therefore flat: an MCID sequence never contains
another one, nor an artifact, nor is inside one.  Text inside canvas-level content
(an SVG figure's labels, a placeholder's text) is part of that content: no sequences.

Where inline elements come from: links through ReportLab's own link hook (`rl.on_links`),
which Paragraph's line drawing calls with the link ``(n, href)`` right
after the text of a link's first fragment on a line ("start": the switch is inserted
before that last entry) and before anything of the text after it ("end").  Other inline
elements through ``<ondraw name="_tag" label="+Span;lang=fr"/>`` markers, which
ReportLab calls as a named canvas callback at their place in the line.  Superscript note
numbers are links, so each callout is its own Reference > Link with its own MCID: no
digit is ever glued into the sequence of the word before it.

MCIDs and the ParentTree
------------------------
MCIDs are counted per page (``canv.getPageNumber()``); ``self._pages[page]`` is the list
of structure elements owning MCID 0, 1, 2...  Content items are recorded in drawing
order in one list, ``(owner, kind, a, b)``: a child element placed, an MCID on a page, an
annotation (OBJR).  At ``finish`` they are grouped by owner into each element's ``/K``;
page *i* gets ``/StructParents i-1`` and the ParentTree maps it to the array of its MCID
owners; annotations get the keys after the pages.  A sequence that showed nothing is
removed again and its MCID given back (it is always the page's last one), so the
per-page arrays have no holes.  Elements are int handles into columns (tag, attributes,
parent), not objects: a tree of objects alive for the whole build made Python's garbage
collector run full collections over the document's heap.

Links and OBJR
--------------
ReportLab draws a paragraph's link annotations after each line, when the link's sequence
is already closed.  Each "start" records ``(n, href)`` and its Link element; the line's
annotations then arrive through ``linkURL``/``linkRect`` -> the canvas's
``annotation_added`` and each is matched to the first pending record of its href.  The
annotation gets ``/StructParent`` and ``/Contents`` (the policy's ``contents``, else a
description of the destination), and its Link element an ``OBJR`` kid.  A link broken
over two lines is the same ``(n, href)`` in the same paragraph: one Link element with two
sequences and two annotations.  Pages get ``/Tabs /S``.

Split paragraphs
----------------
A flowable makes its element once (``tree.element("P")``) and hands it to the pieces its
``split`` returns; each piece's draw ``tag``s the same element, so a paragraph continued
on the next page is one ``P`` with marked content on both pages (``MCR`` kids carry their
page).  A link continued there is found again by its key.  Marker spans still open when
a piece's text object ends are suspended on the element and resumed by its next one.

Placement
---------
An element is placed in the tree where it is first begun, under the element current
then.  ``place(elem)`` puts it there without drawing (a footnote's Note right after the
paragraph citing it, although its text is drawn by ``afterPage``; a figure moved to the
next page keeps its place in the reading order).

Limits
------
Text that Paragraph draws through the canvas while its text object is open
(underline, strike, ``backColor``) is not marked: the styles used must not need it.
Content drawn with no element current raises ``TaggingError`` (``strict=True``) so a
missing hook is found at build time, not by a checker.  Relies on ReportLab internals
that have been stable for years but are not API (the page's and a text object's operator
lists, Paragraph's link hook, the annotations a canvas adds): all of them are reached
through `render.pdf.rl`.  The XMP metadata (``pdfuaid:part``) is written with the rest of
what the file claims, by `render.pdf.conformance`.
"""

from __future__ import annotations

from .canvas import TaggedCanvas
from .errors import TaggingError
from .links import link_tags, link_texts
from .markers import close_tag, open_tag, open_tags, span
from .tree import Elem, StructureTree
from .untagged import NullTree

__all__ = ["ENABLED", "Elem", "NullTree", "StructureTree", "TaggedCanvas", "TaggingError", "close_tag",
           "foreign", "open_tag", "open_tags", "span", "tree_for"]

#: Every build is tagged.  Off only for ``bench/pdf_tagging.py``, which times the same
#: render without the structure (read when a render starts: `tree_for`, `foreign`).
ENABLED = True


def tree_for(doc) -> StructureTree | NullTree:
    """The structure tree of a render of `doc` (a NullTree when `ENABLED` is off)."""
    if not ENABLED:
        return NullTree()
    return StructureTree(lang=doc.meta.language, link_tags=link_tags(link_texts(doc)))


def foreign(drawn: str, logical: str, lang: str) -> str:
    """Paragraph markup `drawn` (text in language `lang`) as a Span with ``/Lang`` and ``/ActualText``.

    `logical` is the text as written: what is drawn may be shaped and reordered (Arabic), so
    extraction reads the ActualText instead of the glyphs.
    """
    if not ENABLED:
        return drawn
    return open_tag("Span", lang=lang, actual_text=logical) + drawn + close_tag()
