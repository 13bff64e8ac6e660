"""Leadership: a card per leader with photo or initials, name, aliases, role and former roles."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR

from .... import images
from ....model import (
    Leader,
)
from ..geometry import Box, pt, to_pt
from ..kit import alt_text, decorative, unstyled
from ..paging import pack
from ..regions import region
from ..textfit import Para, Seg, paragraph, ref_segs
from ..textset import fit_size, textbox, write
from ..theme import CARD_ALONE_SIZES, CARD_SIZES, CARDS
from . import NOTHING, Shown


# Words a person skips when writing a name's initials: Arabic, Berber and other particles
# (the article, "son of", "father of", "of the family of", ...). Compared in lower case.
PARTICLES = frozenset({
    "al", "el", "al-", "el-", "ag", "ou", "ould", "wuld", "bin", "ben", "ibn", "bint", "abu", "abou", "abo", "umm",
    "wa", "wal", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von",
})
# The Arabic article and its assimilated forms, written joined to the word by a hyphen (al-Sahrawi).
_ARTICLE = re.compile(r"^(?:al|el|ul|ad|adh|an|ar|as|ash|at|ath|az|ud|ibn|bin|ben|ould|ag|abu)[-‐‑]", re.IGNORECASE)
# Letters only: ʿayn and hamza (ʿ ʾ, modifier letters), apostrophes, quotation marks, dots, brackets
# and digits are not part of a word's start.
_LETTER = frozenset(("Lu", "Ll", "Lt", "Lo"))


def _core(word: str) -> str:
    """A word without the particles joined to its front (al-, el-, ash-, ...) and without its non-letters."""
    while True:
        stripped = _ARTICLE.sub("", word, count=1)
        if stripped == word:
            break
        word = stripped
    return "".join(c for c in word if unicodedata.category(c) in _LETTER)


def initials(name: str) -> str:
    """Two letters for an avatar: the first given name's and the last name's, as a person would write them.

    The rule: split the name at spaces; drop the non-letters (ʿ ʾ ' ’ . and the like) and the
    particles joined to a word by a hyphen (al-, el-, as-, ash-, ...); drop the words that are
    particles (al, ag, bin, ibn, abu, ould, ben, ...; see `PARTICLES`). What is left is the
    name's words: the initials are the first letter of the first of them and of the last.
    "ʿAbd al-Hakim al-Sahrawi" → "AS"; "Iyad Ag Ghaly" → "IG"; "Adnan Abu Walid al-Sahrawi" →
    "AS"; "Ahmad Umar Diriye" → "AD"; "Abu Bakr al-Baghdadi" → "BB"; one word gives one letter;
    a name without letters gives "?".
    """
    words = [w for w in name.split() if w.lower() not in PARTICLES]
    cores = [c for c in (_core(w) for w in words) if c and c.lower() not in PARTICLES]
    if not cores:
        return "?"
    letters = cores[0][0] + (cores[-1][0] if len(cores) > 1 else "")
    return letters.upper()


def add(deck) -> Shown:
    if deck.doc.leaders:
        _leader_slides(deck)
    return NOTHING


def _leader_slides(deck) -> None:
    leaders = list(deck.doc.leaders)
    area = region(deck, "title_only", [c for ld in leaders for c in ld.cites])
    gap, pad = CARDS.gap, CARDS.pad

    def geometry(cols, rows, reg):
        """Card width, the most a card may be high, avatar diameter, text width."""
        w = (reg.w - gap * (cols - 1)) // cols
        h = (reg.h - gap * (rows - 1)) // rows
        avatar = min(CARDS.avatar, h - 2 * pad, w // 3)
        return w, h, avatar, w - avatar - 3 * pad

    def size_for(ld, tw, h):
        """The largest size at which the card's text fits, no word broken (a narrow slide), or None."""
        sizes = [s for s in CARD_SIZES if deck.measure.whole_words(leader_paras(deck, ld, s), to_pt(tw))]
        if not sizes:
            return None
        return fit_size(deck, sizes, lambda s: leader_paras(deck, ld, s), tw, h - 2 * pad)

    # cards per slide: 2x2, else 2 side by side; else (a narrow slide, long cards) one column
    for cols, rows in ((2, 2), (2, 1)):
        w, h, avatar, tw = geometry(cols, rows, area)
        if all(size_for(ld, tw, h) for ld in leaders):
            break
    else:
        _stacked_slides(deck, leaders, gap, pad)
        return
    per = cols * rows
    chunks = [leaders[i:i + per] for i in range(0, len(leaders), per)]
    for i, chunk in enumerate(chunks):
        cites = [c for ld in chunk for c in ld.cites]
        slide = deck.new_slide("title_only", "Leadership", cont=i)
        reg = region(deck, "title_only", cites)
        w, h, avatar, tw = geometry(cols, rows, reg)
        # one size and one card height for the whole slide, so the cards read as a set
        size = min(size_for(ld, tw, h) or CARD_SIZES[-1] for ld in chunk)
        texts = [leader_paras(deck, ld, size) for ld in chunk]
        text_hs = [pt(deck.measure.total(t, to_pt(tw))) + 1 for t in texts]
        card_h = min(h, max(avatar, *text_hs) + 2 * pad)
        for j, (ld, paras, th) in enumerate(zip(chunk, texts, text_hs)):
            cx = reg.x + (j % cols) * (w + gap)
            cy = reg.y + (j // cols) * (card_h + gap)
            _card(deck, slide, ld, paras, Box(cx, cy, w, card_h), avatar, pad, min(th, card_h - 2 * pad))
        deck.finish(slide, "title_only", cites)


def _stacked_slides(deck, leaders, gap: int, pad: int) -> None:
    """The cards in one column, each as tall as its text, as many to a slide as fit (a narrow
    slide, or cards too long for a grid)."""
    reg = region(deck, "title_only")
    pad = CARDS.stacked_pad  # tighter cards: more to a slide
    avatar = min(CARDS.stacked_avatar, reg.w // 5)
    tw = reg.w - avatar - 3 * pad
    sizes = [s for s in CARD_ALONE_SIZES
             if all(deck.measure.whole_words(leader_paras(deck, ld, s), to_pt(tw)) for ld in leaders)] \
        or CARD_ALONE_SIZES[-1:]

    def height(ld, s):  # points, with the gap under the card
        return to_pt(max(avatar, pt(deck.measure.total(leader_paras(deck, ld, s), to_pt(tw)))) + 2 * pad + gap)

    pages = pack(deck, "title_only", leaders, height, sizes, lambda ld: ld.cites)
    for i, (size, chunk) in enumerate(pages):
        cites = [c for ld in chunk for c in ld.cites]
        slide = deck.new_slide("title_only", "Leadership", cont=i)
        reg = region(deck, "title_only", cites)
        y = reg.y
        for ld in chunk:
            paras = leader_paras(deck, ld, size)
            th = pt(deck.measure.total(paras, to_pt(tw))) + 1
            card_h = min(max(avatar, th) + 2 * pad, reg.bottom - y)
            _card(deck, slide, ld, paras, Box(reg.x, y, reg.w, card_h), avatar, pad, min(th, card_h - 2 * pad))
            y += card_h + gap
        deck.finish(slide, "title_only", cites)


def _card(deck, slide, ld: Leader, paras, box: Box, avatar: int, pad: int, text_h: int) -> None:
    """A leader's card: its background and rule, the photo (or initials), the text beside it."""
    card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, box.x, box.y, box.w, box.h)
    card.name = f"Card {ld.name}"
    deck.fill(card, "tint")
    deck.outline(card, None)
    unstyled(card)
    decorative(card)
    deck.rule(slide, box.x, box.y, CARDS.rule, box.h, "accent", f"Card rule {ld.name}")
    # reading order as the card is seen: the photo (or initials), then the text beside it
    draw_avatar(deck, slide, ld, box.x + pad + CARDS.avatar_inset, box.y + pad, avatar)
    tw = box.w - avatar - 3 * pad
    textbox(deck, slide, Box(box.x + 2 * pad + avatar, box.y + pad, tw, text_h), paras, name=f"Leader {ld.name}")


def leader_paras(deck, leader: Leader, s: float) -> list[Para]:
    out = [paragraph(leader.name, s + 5, bold=True, after=2, spacing=0.9)]
    if leader.aliases:
        out.append(paragraph("aka " + ", ".join(leader.aliases), s, italic=True, color="muted", after=4))
    role = [Seg(leader.role)]
    if not leader.former:
        role += ref_segs(leader.cites)
    out.append(paragraph(role, s, bold=True, color="accent", after=6))
    if leader.former:
        out.append(paragraph("Formerly", s - 1 if s > 14 else s, color="muted", after=1))
        for k, f in enumerate(leader.former):
            segs = [Seg(f)] + (ref_segs(leader.cites) if k == len(leader.former) - 1 else [])
            out.append(paragraph(segs, s, bullet=True, hang=s * 0.9, after=1))
    if leader.photo is not None and Path(leader.photo).exists() and leader.photo_credit:
        out.append(paragraph(f"Photo: {leader.photo_credit}", 11, color="muted"))
    return out


def draw_avatar(deck, slide, leader: Leader, x: int, y: int, d: int) -> None:
    photo = leader.photo
    if photo is not None and Path(photo).exists():
        pic = slide.shapes.add_picture(images.prepared(photo).stream(), x, y, d, d)
        iw, ih = pic.image.size
        if iw and ih:  # crop to a centred square
            if iw > ih:
                c = (1 - ih / iw) / 2
                pic.crop_left = pic.crop_right = c
            elif ih > iw:
                c = (1 - iw / ih) / 2
                pic.crop_top, pic.crop_bottom = c * 0.5, c * 1.5  # keep the face: crop less at the top
        pic.auto_shape_type = MSO_SHAPE.OVAL
        pic.name = f"Photo {leader.name}"
        descr = f"Photograph of {leader.name}" + (f" ({leader.photo_credit})" if leader.photo_credit else "")
        alt_text(pic, descr)
        return
    circle = slide.shapes.add_shape(MSO_SHAPE.OVAL, x, y, d, d)
    circle.name = f"Initials {leader.name}"
    deck.fill(circle, "white")
    deck.outline(circle, "accent", 2.0)
    unstyled(circle)
    size = min(32.0, to_pt(d) * 0.36)
    write(deck, circle.text_frame, [paragraph(initials(leader.name), size, bold=True, color="accent", align="c")],
               anchor=MSO_ANCHOR.MIDDLE)
    alt_text(circle, f"Initials of {leader.name} (no photograph)")
