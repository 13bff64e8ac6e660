"""Text as styled runs, and its measure: line breaks and heights with the embedded fonts' metrics."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal, Sequence


from ...fonts import FAMILIES, text_width
from ...urls import break_points
from ...model import (
    Emph, Inlines, Link, NoteRef, Strong, Text,
)


# PowerPoint sets "single" line spacing at 1.2 times the font size, whatever the font, and
# LibreOffice does the same for .pptx; a paragraph's line spacing is a multiple of that.
LINE_PITCH = 1.2


# The share of a box's width that wrapping may use: renderers differ by a hair (hinting,
# rounding), so lines are broken a little early rather than a little late.
WRAP_SLACK = 0.98


@dataclass(frozen=True)
class Seg:
    """A run of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    sup: bool = False
    href: str | None = None
    color: str | None = None  # a colour key (see Deck.paint); None: the paragraph's


@dataclass(frozen=True)
class Para:
    """A paragraph as written to a text frame, and as measured."""

    segs: tuple[Seg, ...]
    size: float  # pt
    bold: bool = False
    italic: bool = False
    color: str = "ink"
    align: Literal["l", "c", "r"] = "l"
    bullet: bool = False
    hang: float = 0.0  # pt: hanging indent (bullet or a tab-separated label before the text)
    after: float = 0.0  # pt: space after
    spacing: float = 1.0  # line spacing, a multiple of single spacing (LINE_PITCH)
    family: str | None = None  # None: the deck's text family

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs)


def paragraph(text: str | Sequence[Seg], size: float, **kw) -> Para:
    segs = (Seg(text),) if isinstance(text, str) else tuple(text)
    return Para(segs, size, **kw)


def inline_segs(inlines: Inlines, *, bold: bool = False, italic: bool = False, href: str | None = None) -> list[Seg]:
    """Inline content as styled runs; note references become superscript numbers ("5,6")."""
    out: list[Seg] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Seg(node.text, bold, italic, False, href))
        elif isinstance(node, Emph):
            out.extend(inline_segs(node.children, bold=bold, italic=not italic, href=href))
        elif isinstance(node, Strong):
            out.extend(inline_segs(node.children, bold=True, italic=italic, href=href))
        elif isinstance(node, Link):
            out.extend(inline_segs(node.children, bold=bold, italic=italic, href=node.href))
        elif isinstance(node, NoteRef):
            out.extend(ref_segs((node.number,)))
    return _bracketed_links(_merge_refs(out))


_CLOSE = re.compile(r"^>[.,;:)]*")


def _bracketed_links(segs: list[Seg]) -> list[Seg]:
    """A URL shown as "<URL>." with its brackets and closing punctuation in the link's run: a
    renderer lays a link out as one block and would leave a "<" or ">." alone on a line."""
    out = list(segs)
    for k, seg in enumerate(out):
        if not (seg.href and seg.text == seg.href):
            continue
        before = out[k - 1] if k else None
        after = out[k + 1] if k + 1 < len(out) else None
        if before is not None and not before.href and before.text.endswith("<"):
            out[k - 1] = replace(before, text=before.text[:-1])
            seg = replace(seg, text="<" + seg.text)
        close = _CLOSE.match(after.text) if after is not None and not after.href else None
        if after is not None and close and seg.text.startswith("<"):
            out[k + 1] = replace(after, text=after.text[close.end():])
            seg = replace(seg, text=seg.text + close.group())
        out[k] = seg
    return [s for s in out if s.text]


def shows_url(seg: Seg) -> bool:
    """Whether `seg` is a link that shows its own URL (a source's address), bracketed or not."""
    return bool(seg.href) and url_span(seg) is not None


def url_span(seg: Seg) -> tuple[int, int] | None:
    """Where in `seg.text` its link's URL is (the brackets and punctuation around it aside)."""
    if not seg.href:
        return None
    start = seg.text.find(seg.href)
    if start < 0 or seg.text[:start] not in ("", "<"):
        return None
    return start, start + len(seg.href)


def ref_segs(numbers: Sequence[int]) -> list[Seg]:
    return [Seg(",".join(str(n) for n in numbers), sup=True)] if numbers else []


def para_cites(para: Para) -> list[int]:
    """The note numbers a paragraph shows."""
    return [int(n) for s in para.segs if s.sup for n in re.findall(r"\d+", s.text)]


def _merge_refs(segs: list[Seg]) -> list[Seg]:
    out: list[Seg] = []
    for s in segs:
        if s.sup and out and out[-1].sup:
            out[-1] = replace(out[-1], text=f"{out[-1].text},{s.text}")
        else:
            out.append(s)
    return out


_LINES: dict[tuple, list] = {}  # Measure.lines, remembered


class Measure:
    """Line breaking and heights with the embedded fonts' metrics."""

    def __init__(self, family: str, width_factor: float = 1.0):
        self.family = family  # a family fonts.py knows, used for measuring
        self.width_factor = width_factor

    def _family(self, para: Para) -> str:
        fam = para.family or self.family
        return fam if fam in FAMILIES else self.family

    def _w(self, text: str, para: Para, seg: Seg) -> float:
        if text == "\v":
            return 0.0
        return self.width_factor * text_width(
            text, self._family(para), para.size, bold=para.bold or seg.bold, italic=para.italic or seg.italic
        )

    def _words(self, para: Para) -> list[list[tuple[str, Seg]]]:
        """The paragraph as words (lists of same-style pieces); a word keeps its trailing spaces.

        A hyperlink is a word of its own: LibreOffice lays a link out as one block, so a line
        may break right before or after it, even without a space. A link that shows its URL is
        instead cut into words at the Chicago break points (`jnim_export.urls`), the "<" before
        it and the ">." after it joined to its first and last: `with_breaks` then makes the
        lines break there. A line break ("\v") is a word of its own.
        """
        words: list[list[tuple[str, Seg]]] = [[]]
        in_space = False
        prev_href: str | None = None
        glue = False  # the next chunk continues the word (after a URL)
        for seg in para.segs:
            text = seg.text.split("\t", 1)[1] if "\t" in seg.text else seg.text
            if "\t" in seg.text:  # the label before a tab sits in the hanging indent
                words = [[]]
                in_space = False
            url = shows_url(seg)
            if seg.href != prev_href and words[-1] and not url and not glue:
                words.append([])
                in_space = False
            prev_href = seg.href
            if url:
                if in_space:
                    words.append([])
                    in_space = False
                start, end = url_span(seg) or (0, len(text))
                cuts = [0, *(start + i for i in break_points(text[start:end])), len(text)]
                for k, (a, b) in enumerate(zip(cuts, cuts[1:])):
                    if k:
                        words.append([])
                    words[-1].append((text[a:b], seg))
                glue = True
                continue
            for chunk in re.findall(r" +|\v|[^ \v]+", text):
                if chunk == "\v":
                    words += [[(chunk, seg)], []]
                    in_space = glue = False
                elif chunk.startswith(" "):
                    words[-1].append((chunk, seg))
                    in_space = True
                    glue = False
                else:
                    if in_space:
                        words.append([])
                        in_space = False
                    words[-1].append((chunk, seg))
                    glue = False
        return [w for w in words if w]

    def with_breaks(self, para: Para, width_pt: float) -> Para:
        """`para` with a line break ("\v") wherever its lines, wrapped `width_pt` wide, break inside a
        URL: a renderer would break the link anywhere, and leave "<" or ">." alone on a line."""
        if not any(shows_url(s) for s in para.segs):
            return para
        lines = self.lines(para, width_pt)
        at, pos = set(), 0
        for before, after in zip(lines, lines[1:]):
            pos += sum(len(t) for t, _ in before)
            if not before or not after or before[-1][0] == "\v":
                continue
            inside = before[-1][1] is after[0][1] and shows_url(after[0][1])
            # a line starting "<" + URL: the renderer would leave the "<" on the line before
            opening = after[0][0].endswith("<") and len(after) > 1 and shows_url(after[1][1])
            if inside or opening:
                at.add(pos)
        if not at:
            return para
        out: list[Seg] = []
        pos = 0
        for seg in para.segs:
            label, text = seg.text.split("\t", 1) if "\t" in seg.text else (None, seg.text)
            cuts = sorted(p - pos for p in at if pos <= p < pos + len(text))
            pos += len(text)
            if not cuts:
                out.append(seg)
                continue
            pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
            for k, piece in enumerate(pieces):
                if k:
                    out.append(replace(seg, text="\v", href=None))
                piece = (label + "\t" if k == 0 and label is not None else "") + piece
                if piece:
                    out.append(replace(seg, text=piece))
        return replace(para, segs=tuple(out))

    def lines(self, para: Para, width_pt: float) -> list[list[tuple[str, Seg]]]:
        """Greedy word wrap of `para` into lines `width_pt` wide (after its hanging indent).

        Remembered per font, paragraph and width (the fitting and packing loops ask again and
        again, and so does the next build in a watching process); the result is not to be changed.
        """
        key = (self.family, self.width_factor, para, width_pt)
        got = _LINES.get(key)
        if got is None:
            if len(_LINES) > 16384:
                _LINES.clear()
            got = _LINES[key] = self._lines(para, width_pt)
        return got

    def _lines(self, para: Para, width_pt: float) -> list[list[tuple[str, Seg]]]:
        avail = width_pt * WRAP_SLACK - para.hang
        lines: list[list[tuple[str, Seg]]] = [[]]
        used = 0.0  # width of the current line, with trailing spaces
        for word in self._words(para):
            if word[0][0] == "\v":  # a line break: it ends the line it is on
                lines[-1].append(word[0])
                lines.append([])
                used = 0.0
                continue
            w_ink = sum(self._w(t, para, s) for t, s in word if not t.startswith(" "))
            w_all = sum(self._w(t, para, s) for t, s in word)
            if lines[-1] and used + w_ink <= avail:
                lines[-1].extend(word)
                used += w_all
                continue
            if lines[-1]:
                lines.append([])
                used = 0.0
            if w_ink <= avail:
                lines[-1].extend(word)
                used = w_all
                continue
            # a word longer than a line: it starts a line and breaks between characters
            for t, s in word:
                for ch in t:
                    cw = self._w(ch, para, s)
                    if used + cw > avail and lines[-1] and not ch.isspace():
                        lines.append([])
                        used = 0.0
                    lines[-1].append((ch, s))
                    used += cw
            if any(s.href for _, s in word):
                used = avail  # after a link that broke, LibreOffice starts a new line
        return lines

    def pitch(self, para: Para) -> float:
        return para.spacing * LINE_PITCH * para.size

    def height(self, para: Para, width_pt: float) -> float:
        """Points `para` needs: its lines and the space after it."""
        return len(self.lines(para, width_pt)) * self.pitch(para) + para.after

    def total(self, paras: Sequence[Para], width_pt: float) -> float:
        return sum(self.height(p, width_pt) for p in paras)

    def whole_words(self, paras: Sequence[Para], width_pt: float) -> bool:
        """Whether every word of `paras` (links aside) fits a line `width_pt` wide: none is broken
        between its letters."""
        for para in paras:
            avail = width_pt * WRAP_SLACK - para.hang
            for word in self._words(para):
                if any(s.href for _, s in word):
                    continue
                if sum(self._w(t, para, s) for t, s in word if not t.startswith(" ")) > avail:
                    return False
        return True

    def longest_line(self, para: Para) -> float:
        return sum(self._w(t, para, s) for t, s in (x for w in self._words(para) for x in w)) + para.hang

    def split(self, para: Para, width_pt: float, max_pt: float) -> tuple[Para, Para | None]:
        """Cut `para` after the last line that fits in `max_pt`; the rest continues unbulleted."""
        lines = self.lines(para, width_pt)
        # a hair of tolerance: at exactly height(para), (n * pitch) / pitch may floor to n - 1
        n = max(1, int((max_pt - para.after) / self.pitch(para) + 1e-9))
        if n >= len(lines):
            return para, None
        head_len = sum(len(t) for line in lines[:n] for t, _ in line)
        head: list[Seg] = []
        tail: list[Seg] = []
        pos = 0
        label = ""
        for s in para.segs:
            text = s.text
            if "\t" in text:
                label, text = text.split("\t", 1)
                label += "\t"
            if pos + len(text) <= head_len:
                head.append(replace(s, text=label + text if label else text))
            elif pos >= head_len:
                tail.append(s if not label else replace(s, text=text))
            else:
                cut = head_len - pos
                head.append(replace(s, text=(label + text[:cut]) if label else text[:cut]))
                tail.append(replace(s, text=text[cut:].lstrip(" ")))
            label = ""
            pos += len(text)
        tail = [t for t in tail if t.text]
        if tail:  # the continuation starts at a word, not a space
            tail[0] = replace(tail[0], text=tail[0].text.lstrip(" "))
        return replace(para, segs=tuple(head), after=0.0), replace(para, segs=tuple(tail), bullet=False)
