"""The briefing deck: a PowerPoint file built from the `Document` with python-pptx.

Everything on a slide is native and editable: text in placeholders and text boxes, the
organisation diagram as shapes joined by connectors, every chart drawn from data as a
PowerPoint chart whose data opens with Edit Data. Only maps and photos are pictures.

What the deck shows, and what it leaves out on purpose
    The deck is the briefing, not the text. Every fact, leader, the origins and the chain
    of allegiance, every key attack, every figure (a slide each, in content order, titled
    by its `slide_title` or its caption), every pull quote and every note a slide cites is
    on a slide. Left out on purpose, and only these:

    * body paragraphs and the closing credit (`meta.credit`): a section is on a slide
      through its `bullets`, and a section without bullets has no slide of its own (its
      figures and quotes still have theirs);
    * a photo figure that is a leader's `photo` (the same file): it is on the leader's card,
      not on a slide of its own;
    * `places`: they are named on the maps;
    * notes cited only in the text: the sources slide lists the notes the slides cite;
    * the metadata a slide does not show (subject, keywords, language, contributors): the
      subject, keywords and language are the file's properties.

    Anything else the deck does not show is reported as a warning (see `_not_shown`).

Text is fitted, not auto-fitted: every paragraph is measured with the embedded font's advance
widths (`jnim_export.fonts.text_width`), wrapped by words to its box, shrunk within set limits
and, if it still does not fit, continued on a "(cont.)" slide. Autofit is switched off and every
run carries an explicit size, so PowerPoint and LibreOffice draw what was measured.

The file is reproducible: fixed zip timestamps, fixed core-property dates (the build time of
`jnim_export.dates`) and a normalised embedded chart workbook.
"""

from __future__ import annotations

from pathlib import Path

from ...model import Document
from ..writer import Context, Rendered
from . import DeckOptions
from .kit import Deck
from .package import save
from .slides import attacks, figures, glance, leaders, organisation, quote, sections, sources, title

# The slide kinds in the order the deck shows them.
SLIDE_KINDS = (title, glance, leaders, organisation, sections, attacks, figures, quote, sources)


def render_deck(doc: Document, dest: Path, options: DeckOptions, context: Context) -> Rendered:
    """Write the briefing deck of `doc` to `dest` (.pptx).

    `options.template`: a .pptx whose slide master, theme and layouts the deck is built on (its
    own slides are dropped); without one the house style of `doc.style` is applied to
    python-pptx's default template. `options.citations`: where each slide's full note texts go,
    its speaker notes or a footer on the slide.
    """
    deck = Deck(doc, template=options.template, citations=options.citations,
                cache_dir=context.figure_cache, force_figures=context.redraw_figures)
    shown = [kind.add(deck) for kind in SLIDE_KINDS]
    figures_shown = frozenset().union(*(s.figures for s in shown))
    warnings = [*deck.warnings, *(w for s in shown for w in s.warnings), *_not_shown(doc, figures_shown)]
    Path(dest).write_bytes(save(deck))
    return Rendered(units=len(deck.prs.slides), warnings=tuple(warnings))


def _not_shown(doc: Document, figures_shown: frozenset[str]) -> list[str]:
    """Warnings for what the deck should show and does not (the rule is in this module's docstring)."""
    return [f"slides: figure {f.number} ({f.id}, a {f.kind}) is on no slide" for f in doc.figures
            if f.id not in figures_shown]
