"""The whole page: head, masthead and title, sections, pull quotes, figures, credit, notes."""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources
from pathlib import Path

from ... import files, fonts, limits, scripts
from ...model import Document, Emph, FigureBlock, Inlines, Link, Paragraph, PullQuote, Strong, plain_text
from . import webfonts
from .dom import El, Node, serialize, text_of
from .figures import Figures, image_info
from .meta import RTL, display_date, head, join_names, native_title
from .notes import Citations, text_nodes
from .theme import variables_css

__all__ = ["build_page"]

_RESERVED = re.compile(r"^(notes?|ref|fig\d*)(-|$)")


@functools.lru_cache(maxsize=1)
def _static_css() -> str:
    return resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8")


def _faces(doc: Document) -> list[webfonts.Face]:
    """The font faces the page sets text in: the plain ones always, italic/bold only if used."""
    serif, sans = doc.style.serif, doc.style.sans
    faces = {(serif, False, False), (serif, False, True), (serif, True, False), (sans, False, False),
             (sans, True, False)}

    def walk(nodes: Inlines, family: str, bold: bool, italic: bool) -> None:
        for node in nodes:
            if isinstance(node, Emph):
                faces.add((family, bold, True))
                walk(node.children, family, bold, True)
            elif isinstance(node, Strong):
                faces.add((family, True, italic))
                walk(node.children, family, True, italic)
            elif isinstance(node, Link):
                walk(node.children, family, bold, italic)

    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                walk(block.text, serif, False, False)
            elif isinstance(block, PullQuote):
                walk(block.text, serif, False, True)
            elif isinstance(block, FigureBlock):
                walk(block.figure.caption, sans, False, False)
                walk(block.figure.credit, sans, False, False)
    walk(doc.meta.credit, serif, False, True)
    for note in doc.text_notes:
        walk(note.text, serif, False, False)
    if doc.meta.native_title or any(scripts.has_arabic(t) for t in _all_text(doc)):
        faces |= {(fonts.ARABIC, False, False), (fonts.ARABIC, True, False)}
    return sorted(faces)


def _all_text(doc: Document):
    yield doc.meta.title
    for section in doc.sections:
        yield section.title
        for block in section.blocks:
            if isinstance(block, (Paragraph, PullQuote)):
                yield plain_text(block.text)
            elif isinstance(block, FigureBlock):
                yield plain_text(block.figure.caption) + plain_text(block.figure.credit)
    for note in doc.text_notes:
        yield plain_text(note.text)


class _Page:
    def __init__(self, doc: Document, cache_dir: Path, force: bool, fresh: bool = False):
        self.doc = doc
        self.cites = Citations(doc)
        self.figures = Figures(doc, self.cites, Path(cache_dir), force, fresh or force)
        self.cache_dir = Path(cache_dir)
        self.warnings: list[str] = []

    # ------------------------------------------------------------------ parts

    def header(self) -> El:
        m = self.doc.meta
        pub: list[Node | None] = []  # None (no logo) is left out
        logo = self.doc.style.logo
        if logo is not None:
            pub.append(self._logo(logo))
        pub.append(m.publisher)
        band = El("p", {"class": "bg-band"}, El("span", {"class": "bg-series"}, m.series), " ",
                  El("span", {"class": "bg-pub"}, pub))
        h = El("header", {"class": "bg-head"}, band, El("h1", {"class": "bg-title"}, text_nodes(m.title)))
        native = native_title(self.doc)
        if native:
            text, lang, direction = native
            # the paragraph keeps the page's alignment; the name inside it its own direction
            h.append(El("p", {"class": "bg-native"}, El("span", {"lang": lang, "dir": direction}, text)))
        byline: list[Node] = []
        if m.authors:
            byline += ["By ", El("span", {"class": "bg-authors"}, join_names(m.authors))]
        if m.date:
            if byline:
                byline.append(El("span", {"class": "bg-dot", "aria-hidden": "true"}, "·"))
            byline.append(El("time", {"datetime": m.date}, display_date(m.date)))
        if byline:
            h.append(El("p", {"class": "bg-byline"}, byline))
        return h

    def _logo(self, path: Path) -> Node | None:
        try:
            data = files.read_bytes(path, limits.IMAGE_BYTES, "images")
        except OSError as exc:
            self.warnings.append(f"logo {Path(path).name} not shown: {exc.strerror}")
            return None
        if path.suffix.lower() == ".svg":
            mime, size = "image/svg+xml", {}
        else:
            info = image_info(data)
            if info is None:
                self.warnings.append(f"logo {path.name} not shown: not a PNG, JPEG, GIF, WebP or SVG image")
                return None
            mime, size = info[0], {"width": info[1], "height": info[2]}
        src = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
        return El("img", {"class": "bg-logo", "src": src, "alt": "", **size})

    def section(self, index: int, section) -> El:
        where = f"section {index} ({section.title!r})"
        out = El("section", {"class": "bg-section"}, El("h2", None, text_nodes(section.title)))
        blocks = list(section.blocks)
        para = 0
        for i, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                para += 1
                out.append(El("p", None, self.cites.inline(block.text, f"paragraph {para} of {where}")))
            elif isinstance(block, PullQuote):
                quote = El("blockquote", None, El("p", None, self.cites.inline(block.text, f"pull quote of {where}")))
                out.append(El("aside", {"class": "pull"}, quote))
            elif isinstance(block, FigureBlock):
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                floated = block.figure.kind == "photo" and isinstance(nxt, Paragraph)
                out.append(self.figures.figure(block.figure, floated=floated))
        return out

    def ending(self) -> El:
        m = self.doc.meta
        end = El("footer", {"class": "bg-end"},
                 El("p", {"class": "bg-credit"}, self.cites.inline(m.credit, "the closing credit")))
        if m.copyright and m.copyright not in plain_text(m.credit):
            end.append(El("p", {"class": "bg-copy"}, El("small", None, m.copyright)))
        return end

    # ------------------------------------------------------------------ the page

    def build(self) -> str:
        doc = self.doc
        sections = [self.section(i, s) for i, s in enumerate(doc.sections, 1)]
        article = El("article", {"class": "bg"}, self.header(), sections, self.ending(),
                     self.cites.notes_section())
        self._section_ids(article, sections)
        body = El("body", None, El("main", None, article))
        text = "".join(text_of(body)) + "".join(self.figures.art_text) + doc.meta.title
        css = (webfonts.font_face_css(_faces(doc), text, self.cache_dir) + "\n" + variables_css(doc.style)
               + _static_css())
        direction = "rtl" if doc.meta.language.split("-")[0].lower() in RTL else "ltr"
        page = El("html", {"lang": doc.meta.language, "dir": direction}, head(doc, css), body)
        self.warnings += self.cites.warnings + self.figures.warnings
        return "<!DOCTYPE html>\n" + serialize(page) + "\n"

    def _section_ids(self, article: El, sections: list[El]) -> None:
        """Each section gets its content id, made unique against the ids the page makes itself."""
        taken: set[str] = set()

        def walk(node: Node) -> None:
            if isinstance(node, El):
                if isinstance(node.attrs.get("id"), str):
                    taken.add(node.attrs["id"])  # type: ignore[arg-type]
                for child in node.children:
                    walk(child)

        walk(article)
        for el, section in zip(sections, self.doc.sections):
            base = section.id
            if _RESERVED.match(base):
                base = f"{base}-section"
            ident, k = base, 2
            while ident in taken:
                ident, k = f"{base}-{k}", k + 1
            taken.add(ident)
            el.attrs["id"] = ident


def build_page(doc: Document, cache_dir: Path, *, force: bool = False,
               fresh: bool = False) -> tuple[str, tuple[str, ...]]:
    page = _Page(doc, cache_dir, force, fresh)
    html = page.build()
    return html, tuple(dict.fromkeys(page.warnings))
