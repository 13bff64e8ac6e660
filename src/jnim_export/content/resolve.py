"""Validate content and resolve it into a `Document`: ids, notes, figures, assets and data."""

from __future__ import annotations

import difflib
import re
import typing
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from pydantic import BaseModel, TypeAdapter, ValidationError

from .. import colours, fonts, geodata
from .. import model as m
from ..events import AggregateError, read_aggregate
from .citations import cite
from .diagnostics import ContentError, Diagnostic
from .inline import RefMarker, link_is_allowed, parse_inline
from .schema import CharacterError, ContentSpec, FigureRef, ParagraphBlock, Quote, bad_character, field_names, shown
from .yamlsource import Path_, Positions, read_yaml

MAX_HINTS = 100  # "did you mean" hints per file; a file of ten thousand unknown keys gets no more
MAX_NOTES = 5_000  # numbered notes; the default content has 16, a 200-page report 1,300
# What inline text may hold in a whole document (the default content: 38 text fields,
# one web address and 41 marks), so that parsing it stays well within a second.
_MARKUP_LIMITS = (  # a 200-page report of 1,300 paragraphs and 1,000 sources needs about a third of each
    (10_000, "paragraphs, bullets, captions and other text fields"),
    (500, "web addresses ('://') in text (a source's address belongs in its url)"),
    (15_000, "markup marks in text (brackets, *, _, <, `, @ and domain names)"),
)
_MARKUP_CHARS = "[*_<`@"
_LINK_LIKE = re.compile(r"www\.|[\w-]\.[a-z]{2,}\b")  # what linkify may take for a web address
# Images (photos, leader photos, the logo): PNG or JPEG, opened and checked while validating.
MAX_IMAGE_BYTES = 30 * 2**20
MAX_IMAGE_SIDE = 10_000  # pixels
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_ASPECT = 20  # a photo longer than 20 times its width (or the reverse) is not a photo
FULL_DECODE_PIXELS = 16_000_000  # PNGs up to this are decoded in full; larger ones are checked chunk by chunk


def _check_event_texts(data: m.EventData) -> None:
    """Refuse an aggregate whose names a figure could not print (its shape is checked on reading)."""
    texts = [*data.categories, data.attribution, data.scope]
    texts += [t for place in data.locations for t in (place.name, place.country, place.admin1)]
    for text in texts:
        if bad_character(text, single_line=False):
            raise AggregateError(f"unusable text {shown(text)!r}")
        ch = fonts.missing_character(text, arabic=False)
        if ch is not None:
            raise AggregateError(f"{shown(text)!r} holds U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed')}), "
                                 "which the figures' font cannot draw")


def _in_extent(extent: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    """Is (lon, lat) inside the box [west, south, east, north] (west > east: across the antimeridian)?"""
    west, south, east, north = extent
    return south <= lat <= north and (lon - west) % 360 <= (east - west) % 360


def image_problem(file: Path) -> str | None:
    """What keeps `file` from being embedded as a PNG or JPEG image, or None if nothing does."""
    try:
        size = file.stat().st_size
        with open(file, "rb") as f:
            head = f.read(512)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if size == 0:
        return "is an empty file; use a PNG or JPEG image"
    if size > MAX_IMAGE_BYTES:
        return f"is {size / 2**20:.0f} MB; images are limited to {MAX_IMAGE_BYTES // 2**20} MB"
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if file.suffix.lower() == ".svg" or sniff.startswith((b"<svg", b"<?xml", b"<!doctype svg")):
        return "is an SVG drawing, which may load files from outside the content folder; use a PNG or JPEG image"

    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=("PNG", "JPEG")) as img:
                width, height = img.size
                kind = img.format
                if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
                    return f"is {width:,} × {height:,} pixels; each side is limited to {MAX_IMAGE_SIDE:,}"
                if width * height > MAX_IMAGE_PIXELS:
                    return f"is {width:,} × {height:,} pixels; images are limited to {MAX_IMAGE_PIXELS // 10**6} megapixels"
                if min(width, height) < 1 or max(width, height) > MAX_IMAGE_ASPECT * min(width, height):
                    return f"is {width:,} × {height:,} pixels; one side is over {MAX_IMAGE_ASPECT} times the other"
                if kind == "PNG":
                    img.verify()  # every chunk present, with its checksum
                else:
                    img.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # decode at 1/8 scale: cheap
                    img.load()
            if kind == "PNG" and width * height <= FULL_DECODE_PIXELS:
                with Image.open(file, formats=("PNG",)) as img:
                    img.load()
    except UnidentifiedImageError:
        return "is not a PNG or JPEG image"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "has too many pixels to open safely (a decompression bomb?)"
    except Exception as exc:  # Pillow reads untrusted bytes: any failure is a broken image
        return f"cannot be read as an image: {shown(' '.join(str(exc).split()) or type(exc).__name__, 200)}"
    return None


@dataclass(frozen=True)
class Content:
    """What a content file holds: the document, and the settings it gives each writer by name."""

    document: m.Document
    settings: Mapping[str, Mapping[str, Any]]


def read(file: str | Path) -> Content:
    """Read, validate and resolve a content file. Raises ContentError listing every problem."""
    file = Path(file)
    data, positions = read_yaml(file)
    if not isinstance(data, dict):
        raise ContentError([Diagnostic(file, 1, 1, "", "content must be a mapping with meta, sections, ...")])
    spec, problems, broken_ids, kept = _validate(file, positions, data)
    problems += _undrawable(file, positions, data)
    document = _Resolver(file, positions, spec, problems, broken_ids, kept).document()
    settings = {name: getattr(spec, name).model_dump(exclude_none=True) for name in ("pdf", "slides")}
    return Content(document, settings)


def load(file: str | Path) -> m.Document:
    """The document of a content file (see `read`)."""
    return read(file).document


# Values no output draws as text.
_NOT_DRAWN = frozenset(("id", "cite", "image", "photo", "data", "logo", "slug", "language", "date", "from", "to",
                        "kind", "serif", "sans", "accent", "ink", "muted", "tint", "palette", "paper", "notes",
                        "citations", "after_author", "after_title", "stacked", "optional", "latitude", "longitude",
                        "capital", "native_title_lang"))
# Text drawn where Arabic script is not shaped (the running footer and masthead, map and chart labels).
_LATIN_ONLY = {("meta", "series"), ("meta", "publisher"), ("meta", "publisher_short"), ("meta", "short_title"),
               ("attacks", "place"), ("attacks", "country"), ("places", "name")}


def _undrawable(file: Path, positions: Positions, data: Any) -> list[Diagnostic]:
    """Every character some output would draw that no shipped face has, at its line and column."""
    problems: list[Diagnostic] = []

    def walk(value: Any, path: Path_) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in _NOT_DRAWN:
                    walk(item, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, path + (i,))
        elif isinstance(value, str):
            named = tuple(p for p in path if isinstance(p, str))
            latin_only = (named[0], named[-1]) in _LATIN_ONLY if len(named) >= 2 else False
            ch = fonts.missing_character(value, arabic=not latin_only)
            if ch is not None:
                mark = positions.find_in_value(path, ch)
                where = " here (drawn in a place that sets no Arabic script)" if latin_only and \
                    fonts.missing_character(value) is None else ""
                message = (f"U+{ord(ch):04X} {shown(ch)!r} ({unicodedata.name(ch, 'unnamed character')}) is not in "
                           f"the bundled fonts{where}; replace it or remove it")
                problems.append(Diagnostic(file, mark.line, mark.column, ".".join(map(str, path)), message))

    walk(data, ())
    return problems


def _validate(
    file: Path, positions: Positions, data: dict
) -> tuple[ContentSpec, list[Diagnostic], set[str], dict[str, list[int]]]:
    """Validate part by part, so one bad item hides neither the other items' problems nor theirs.

    Also returns, for each list, the source index of each item kept (failed items are left out).
    """
    problems: list[Diagnostic] = []
    parts: dict[str, Any] = {}
    broken_ids: set[str] = set()  # ids of items that failed: references to them are not reported again
    kept: dict[str, list[int]] = {}
    for key in data:
        if key not in ContentSpec.model_fields:
            mark = positions.key_of((key,))
            hint = _did_you_mean(str(key), ContentSpec.model_fields) if len(problems) < MAX_HINTS else ""
            message = f"unknown field {shown(str(key))!r}" + hint
            problems.append(Diagnostic(file, mark.line, mark.column, str(key), message))
    for name, info in ContentSpec.model_fields.items():
        if name not in data:
            if info.is_required():
                problems.append(Diagnostic(file, 1, 1, "", f"missing required field {name!r}"))
            continue
        value = data[name]
        item_type = _list_item_model(info.annotation)
        if item_type is not None and isinstance(value, list):
            good = []
            kept[name] = []
            for i, item in enumerate(value):
                try:
                    good.append(item_type.model_validate(item))
                    kept[name].append(i)
                except ValidationError as exc:
                    problems += _schema_diagnostics(file, positions, exc, (name, i))
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        broken_ids.add(item["id"])
            if not value and info.metadata:
                problems.append(_at(file, positions, (name,), f"{name} must not be empty"))
            parts[name] = good
        else:
            try:
                parts[name] = TypeAdapter(info.annotation).validate_python(value, strict=True)
            except ValidationError as exc:
                problems += _schema_diagnostics(file, positions, exc, (name,))
    given = set(parts)
    for name, info in ContentSpec.model_fields.items():
        if name not in parts and info.is_required():
            # Missing or invalid (and reported): the resolver goes on with an empty stand-in.
            parts[name] = [] if typing.get_origin(info.annotation) is list else None
    return ContentSpec.model_construct(_fields_set=given, **parts), problems, broken_ids, kept


def _list_item_model(annotation: Any) -> type | None:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _at(file: Path, positions: Positions, path: Path_, message: str) -> Diagnostic:
    mark = positions.of(path)
    return Diagnostic(file, mark.line, mark.column, ".".join(map(str, path)), message)


def _schema_diagnostics(file: Path, positions: Positions, exc: ValidationError, prefix: Path_) -> list[Diagnostic]:
    known = field_names()
    out = []
    errors = exc.errors()
    for err in errors:
        loc = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        kind = err["type"]
        if kind == "extra_forbidden":
            mark = positions.key_of(loc)
            hint = _did_you_mean(str(loc[-1]), known) if len(errors) <= MAX_HINTS else ""
            message = f"unknown field {shown(str(loc[-1]))!r}" + hint
        elif kind == "missing":
            mark = positions.of(loc[:-1])
            message = f"missing required field {loc[-1]!r}"
        else:
            cause = err.get("ctx", {}).get("error")
            if isinstance(cause, CharacterError):
                mark = positions.find_in_value(loc, cause.char)  # the character itself, if typed as is
            else:
                mark = positions.of(loc)
            message = err["msg"].removeprefix("Value error, ")
            if kind.endswith("_type") and "input" in err:
                message += f" (got {type(err['input']).__name__})"
        out.append(Diagnostic(file, mark.line, mark.column, ".".join(map(str, loc)), message))
    # A union of block kinds reports one error per member; keep the first per place.
    unique = {}
    for d in out:
        unique.setdefault((d.line, d.column, d.path), d)
    return list(unique.values())


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    if len(word) > 100:
        return ""  # nothing that long is close to a name
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Resolver:
    def __init__(
        self,
        file: Path,
        positions: Positions,
        spec: ContentSpec,
        problems: list[Diagnostic],
        broken_ids: set[str],
        kept: dict[str, list[int]] | None = None,
    ):
        self.file = file
        self.root = file.resolve().parent
        self.pos = positions
        self.spec = spec
        self.problems = problems
        self.broken_ids = broken_ids
        self.kept = kept or {}  # list name -> source index of each item of spec's list
        self.sources = {s.id: s for s in spec.sources}
        self.note_specs = {n.id: n for n in spec.notes}
        self.note_index = {n.id: i for i, n in enumerate(spec.notes)}  # as note_specs: the last of an id
        self.figure_specs = {f.id: f for f in spec.figures}
        self.figure_index = {f.id: i for i, f in enumerate(spec.figures)}
        self.first_note_of: dict[str, int] = {}  # source id -> number of the first note citing it
        self.notes: list[m.Note] = []  # numbered so far
        self.in_text = True  # numbering the text's notes; then those cited only on slides
        self.note_number: dict[str, int] = {}  # note id -> number
        self.cited_sources: set[str] = set()
        self.seen_sources: set[str] = set()  # for short forms
        self.figures: dict[str, m.Figure] = {}
        self.data_cache: dict[Path, m.EventData | None] = {}
        self.missing_optional: set[Path] = set()
        self.inputs: set[Path] = {file.resolve()}  # every file the document was read from
        self.image_problems: dict[Path, str | None] = {}
        self.too_many_notes = False
        self.markup_used = [0, 0, 0]  # text fields, web addresses, markup marks (see _MARKUP_LIMITS)
        self.markup_exhausted = False

    # ------------------------------------------------------------------ reporting

    def _source_path(self, path: Path_) -> Path_:
        """`path` as it stands in the file: ("leaders", 0) is ("leaders", 1) if leader 0 failed validation."""
        if len(path) > 1 and path[0] in self.kept and isinstance(path[1], int) and path[1] < len(self.kept[path[0]]):
            return (path[0], self.kept[path[0]][path[1]]) + tuple(path[2:])
        return tuple(path)

    def error(self, path: Path_, message: str, *, needle: str | None = None, severity: str = "error") -> None:
        path = self._source_path(path)
        mark = self.pos.find_in_value(path, needle) if needle else self.pos.of(path)
        self.problems.append(
            Diagnostic(self.file, mark.line, mark.column, ".".join(map(str, path)), message, severity)  # type: ignore[arg-type]
        )

    def warn(self, path: Path_, message: str) -> None:
        self.error(path, message, severity="warning")

    def _hint(self, word: str, choices: Iterable[str]) -> str:
        return _did_you_mean(word, choices) if len(self.problems) < MAX_HINTS else ""

    # ------------------------------------------------------------------ the whole document

    def document(self) -> m.Document:
        spec = self.spec
        self._check_ids()
        self._check_sources()
        self._check_notes()
        # The text first (sections, then the closing credit), so that its notes are 1..N in
        # reading order; then what only the slides show, whose citations continue after them.
        sections = [self._section(i, s) for i, s in enumerate(spec.sections)]
        meta = self._meta() if "meta" in spec.model_fields_set else None
        self.in_text = False
        facts = tuple(
            m.Fact(f.label, self._text(f.text, ("facts", i, "text"))) for i, f in enumerate(spec.facts)
        )
        leaders = tuple(self._leader(i, x) for i, x in enumerate(spec.leaders))
        origins = self._origins()
        sections = tuple(replace(section, bullets=self._bullets(i, spec.sections[i]))
                         for i, section in enumerate(sections))
        attacks = tuple(self._attack(i, a) for i, a in enumerate(spec.attacks))
        placed_all = not any(d.severity == "error" for d in self.problems)  # else a broken block may place it
        for i, f in enumerate(spec.figures):
            if f.id not in self.figures:
                if placed_all:
                    self.warn(("figures", i, "id"), f"figure {f.id!r} is not placed in any section")
                self._figure(f, ("figures", i))
        self._check_maps(attacks)
        self._report_unused()
        style = self._style()
        if meta is None or any(d.severity == "error" for d in self.problems):
            raise ContentError(self.problems)
        return m.Document(
            source=self.file,
            root=self.root,
            meta=meta,
            style=style,
            sections=sections,
            figures=tuple(sorted(self.figures.values(), key=lambda f: f.number)),
            notes=tuple(self.notes),
            sources=tuple(self._source(s) for s in spec.sources),
            leaders=leaders,
            facts=facts,
            origins=origins,
            allegiance=tuple(m.Allegiance(a.group, a.leader, a.title, a.kind, a.date, a.label)
                             for a in spec.allegiance),
            attacks=attacks,
            places=tuple(m.Place(p.name, p.latitude, p.longitude, p.capital) for p in spec.places),
            warnings=tuple(str(d) for d in sorted(self.problems)),
            inputs=tuple(sorted(self.inputs)),
        )

    def _check_ids(self) -> None:
        spec = self.spec
        groups = {
            "section": [("sections", i, s.id) for i, s in enumerate(spec.sections)],
            "figure": [("figures", i, f.id) for i, f in enumerate(spec.figures)],
            "note or source": [("sources", i, s.id) for i, s in enumerate(spec.sources)]
            + [("notes", i, n.id) for i, n in enumerate(spec.notes)],
            "leader": [("leaders", i, x.id) for i, x in enumerate(spec.leaders)],
            "attack": [("attacks", i, a.id) for i, a in enumerate(spec.attacks)],
        }
        for what, entries in groups.items():
            first: dict[str, tuple] = {}
            for key, i, ident in entries:
                if ident in first:
                    line = self.pos.of(self._source_path(first[ident])).line
                    self.error((key, i, "id"), f"duplicate {what} id {ident!r} (first defined on line {line})")
                else:
                    first[ident] = (key, i, "id")

    def _check_sources(self) -> None:
        for i, s in enumerate(self.spec.sources):
            if s.url is not None and not link_is_allowed(s.url):
                self.error(("sources", i, "url"), f"link {shown(s.url)!r} is not allowed: use http, https or mailto")
            if not (s.author or s.title):
                self.error(("sources", i), f"source {s.id!r} needs an author or a title")

    def _check_notes(self) -> None:
        for i, n in enumerate(self.spec.notes):
            if (n.text is None) == (not n.cite):
                self.error(("notes", i), f"note {n.id!r} needs either 'cite' (source ids) or 'text', not both")
            if n.prefix and n.text:
                self.error(("notes", i, "prefix"), "a free-text note has no prefix; write it into 'text'")
            for j, sid in enumerate(n.cite):
                if sid not in self.sources and sid not in self.broken_ids:
                    self.error(("notes", i, "cite", j), f"undefined source {sid!r}" + self._hint(sid, self.sources))

    # ------------------------------------------------------------------ inline text and notes

    def _text(self, source: str, path: Path_, *, body: bool = False) -> m.Inlines:
        """Parse an inline text field, resolving note references (numbering them if `body`)."""
        if not self._within_markup_budget(source, path):
            return ()
        parsed = parse_inline(source)
        for href in parsed.links:
            if not link_is_allowed(href):
                self.error(path, f"link {shown(href)!r} is not allowed: use http, https or mailto", needle=href)
        return self._resolve(parsed.inlines, path, body)

    def _within_markup_budget(self, source: str, path: Path_) -> bool:
        """Count what makes inline parsing slow; past a limit, report once and parse no more text.

        The Markdown parser's cost grows with links, brackets and emphasis marks (and, for
        web addresses, with the length of the text around them), not just with length.
        """
        if self.markup_exhausted:
            return False
        used = self.markup_used
        used[0] += 1
        used[1] += source.count("://")
        used[2] += sum(source.count(c) for c in _MARKUP_CHARS) + len(_LINK_LIKE.findall(source))
        over = [
            f"over {limit:,} {what}; a document is limited to {limit:,}"
            for n, (limit, what) in zip(used, _MARKUP_LIMITS)
            if n > limit
        ]
        if over:
            self.markup_exhausted = True
            self.error(path, over[0] + " (text from here on is not checked)")
            return False
        return True

    def _resolve(self, inlines: tuple, path: Path_, body: bool) -> m.Inlines:
        out: list[m.Inline] = []
        for node in inlines:
            if isinstance(node, RefMarker):
                number = self._ref(node.id, path, body, needle=f"[^{node.id}]")
                if number:
                    out.append(m.NoteRef(number))
            elif isinstance(node, (m.Emph, m.Strong)):
                out.append(type(node)(self._resolve(node.children, path, body)))
            elif isinstance(node, m.Link):
                out.append(m.Link(node.href, self._resolve(node.children, path, body)))
            else:
                out.append(node)
        return tuple(out)

    def _ref(self, ident: str, path: Path_, body: bool, needle: str | None = None) -> int | None:
        """The note number a reference to `ident` (a note or a source id) stands for.

        In the text (`body`) every citation of a source is a note of its own (a short form or
        "Ibid." when repeated); elsewhere a source the notes already cite takes that note's number.
        """
        if ident in self.note_specs:
            return self.note_number.get(ident) or self._new_note(ident, self.note_specs[ident].cite, path)
        if ident in self.sources:
            if not body and ident in self.first_note_of:
                return self.first_note_of[ident]
            return self._new_note(ident, [ident], path, implicit=True)
        if ident in self.broken_ids:
            return None  # its own definition is already reported
        choices = list(self.note_specs) + list(self.sources)
        self.error(path, f"undefined note or source {shown(ident)!r}" + self._hint(ident, choices), needle=needle)
        return None

    def _new_note(self, ident: str, source_ids: list[str], path: Path_, implicit: bool = False) -> int | None:
        number = len(self.notes) + 1
        if number > MAX_NOTES:
            if not self.too_many_notes:
                self.too_many_notes = True
                self.error(path, f"over {MAX_NOTES:,} notes; a document is limited to {MAX_NOTES:,}")
            return None
        spec = None if implicit else self.note_specs[ident]
        cited = [self.sources[s] for s in source_ids if s in self.sources]
        if self.in_text:
            previous, seen = (self.notes[-1].sources if self.notes else None), self.seen_sources
        else:  # a slide-only note stands alone: the full form, never "Ibid."
            previous, seen = None, set()
            self._cited_on_slides_only(ident, path)
        if spec is not None and spec.text is not None:
            i = self.note_index[ident]
            text = self._text(spec.text, ("notes", i, "text"))
            if any(isinstance(x, m.NoteRef) for x in text):
                self.error(("notes", i, "text"), "a note cannot cite another note")
            sources: tuple[str, ...] = ()
        else:
            punct = {s.id: (s.after_author, s.after_title) for s in cited}
            text = cite([self._source(s) for s in cited], spec.prefix if spec else None, seen, previous, punct)
            sources = tuple(s.id for s in cited)
        self.cited_sources.update(sources)
        for s in sources:
            self.first_note_of.setdefault(s, number)
        self.notes.append(m.Note(number, ident, text, sources, self.in_text))
        if not implicit:
            self.note_number[ident] = number
        return number

    def _cited_on_slides_only(self, ident: str, path: Path_) -> None:
        what = "note" if ident in self.note_specs else "source"
        self.warn(path, f"{what} {ident!r} is cited only on slides: the deck numbers it after the text's notes, "
                        "and the PDF and the web page have no note for it")

    def _cites(self, ids: list[str], path: Path_) -> tuple[int, ...]:
        numbers = [self._ref(ident, path + (i,), body=False) for i, ident in enumerate(ids)]
        return tuple(dict.fromkeys(n for n in numbers if n))

    def _report_unused(self) -> None:
        if any(d.severity == "error" for d in self.problems):
            return  # a broken item may hold the citation: the warning would only add noise
        for i, n in enumerate(self.spec.notes):
            if n.id not in self.note_number:
                self.warn(("notes", i, "id"), f"note {n.id!r} is never cited")
        for i, s in enumerate(self.spec.sources):
            if s.id not in self.cited_sources:
                self.warn(("sources", i, "id"), f"source {s.id!r} is never cited")

    @staticmethod
    def _source(s) -> m.Source:
        return m.Source(s.id, s.author, s.title, s.container, s.date, s.url, s.short_title, s.short_author)

    # ------------------------------------------------------------------ sections and figures

    def _section(self, i: int, s) -> m.Section:
        blocks: list[m.Block] = []
        for j, block in enumerate(s.blocks):
            path = ("sections", i, "blocks", j)
            if isinstance(block, str):
                blocks.append(m.Paragraph(self._text(block, path, body=True)))
            elif isinstance(block, ParagraphBlock):
                blocks.append(m.Paragraph(self._text(block.paragraph, path + ("paragraph",), body=True)))
            elif isinstance(block, Quote):
                blocks.append(m.PullQuote(self._text(block.quote, path + ("quote",), body=True)))
            elif isinstance(block, FigureRef):
                figure = self._place_figure(block.figure, path + ("figure",))
                if figure:
                    blocks.append(m.FigureBlock(figure))
        return m.Section(s.id, s.title, tuple(blocks), ())

    def _bullets(self, i: int, s) -> tuple[m.Inlines, ...]:
        return tuple(self._text(b, ("sections", i, "bullets", k)) for k, b in enumerate(s.bullets))

    def _place_figure(self, ident: str, path: Path_) -> m.Figure | None:
        if ident not in self.figure_specs:
            if ident in self.broken_ids:
                return None
            self.error(path, f"unknown figure {ident!r}" + self._hint(ident, self.figure_specs))
            return None
        if ident in self.figures:
            self.error(path, f"figure {ident!r} is placed twice")
            return None
        return self._figure(self.figure_specs[ident], ("figures", self.figure_index[ident]))

    def _figure(self, f, path: Path_) -> m.Figure:
        number = len(self.figures) + 1
        caption = self._text(f.caption, path + ("caption",), body=True)
        credit = self._text(f.credit, path + ("credit",), body=True) if f.credit else ()
        image = None
        if f.kind == "photo":
            if f.data:
                self.error(path + ("data",), "a photo figure has no data")
            if f.image:
                image = self._image(f.image, path + ("image",), optional=f.optional)
        else:
            if f.image:
                self.error(path + ("image",), f"a {f.kind} figure is drawn from data; it takes 'data', not 'image'")
        data = None
        if f.kind in m.DRAWN_KINDS:
            if not f.data:
                self.error(path, f"a {f.kind} figure needs 'data' (an events aggregate file)")
            else:
                data = self._data(f.data, path + ("data",))
        self._check_kind_fields(f, path)
        if f.start and f.end and f.start > f.end:
            self.error(path + ("to",), f"window ends ({f.end}) before it starts ({f.start})")
        elif data and data.months:
            self._check_window(f, data, path)
        countries = self._map_frame(f, path)
        if f.data_credit is not None and f.kind == "photo":
            self.error(path + ("data_credit",), "a photo has no data credit; its source goes in 'credit'")
        leader = self._leader_of_photo(f, path) if f.kind == "photo" else None
        figure = m.Figure(f.id, number, f.kind, caption, credit, f.alt, image, data, f.start, f.end, f.stacked,
                          extent=tuple(f.extent) if f.extent else None, countries=countries,
                          data_credit=f.data_credit, measure=f.measure or "events", top=f.top or m.OTHER_REGIONS,
                          slide_title=" ".join((f.slide_title or "").split()), leader=leader)
        self.figures[f.id] = figure
        return figure

    def _map_frame(self, f, path: Path_) -> tuple[str, ...]:
        """Check a map's `extent` and `countries`; the countries as the map data names them."""
        for key in ("extent", "countries"):
            if getattr(f, key) and f.kind != "map":
                self.error(path + (key,), f"only a map takes '{key}'; this figure is a {f.kind}")
        if f.extent and f.countries:
            self.error(path + ("countries",), "give the map either 'extent' or 'countries', not both")
        names = []
        for j, name in enumerate(f.countries):
            country = geodata.find(name)
            if country is None:
                close = geodata.suggest(name) if len(self.problems) < MAX_HINTS else None
                hint = f"; did you mean {close!r}?" if close else ""
                self.error(path + ("countries", j), f"unknown country {shown(name)!r}" + hint)
            elif country.admin not in names:
                names.append(country.admin)
        return tuple(names)

    def _check_maps(self, attacks: tuple[m.Attack, ...]) -> None:
        """Warn about what a map leaves off (key attacks outside its window, data outside its extent);
        refuse a map with nothing to frame.

        A map shows the key attacks of its own window only (its place counts cover exactly that
        window), and with an `extent`, only what lies in that box.
        """
        maps = [f for f in self.figures.values() if f.kind == "map"]
        for fig in maps:
            path = ("figures", self.figure_index[fig.id])
            which = f" {fig.id!r}" if len(maps) > 1 else ""
            window = fig.window
            in_window = []
            for i, a in enumerate(attacks):
                if window and not fig.in_window(a.month):
                    self.warn(("attacks", i, "date"),
                              f"attack {a.id!r} ({a.month}) is outside the map{which}'s window {window[0]} to "
                              f"{window[1]} and is left off the map")
                else:
                    in_window.append((i, a))
            if fig.extent is None:
                events = fig.data is not None and any(loc.events > 0 for loc in fig.data.locations)
                if fig.data is not None and not (events or in_window or fig.countries or self.spec.places):
                    self.error(path, f"the map{which} has nothing to frame: its data has no place with events, no "
                                     "key attack falls in its window and there are no places; give it 'extent' "
                                     "or 'countries'")
                continue
            for i, a in in_window:
                if not _in_extent(fig.extent, a.longitude, a.latitude):
                    self.warn(("attacks", i), f"attack {a.id!r} lies outside the map{which}'s extent and is left "
                                              "off the map")
            places = fig.data.locations if fig.data else ()
            outside = [p for p in places if p.events > 0 and not _in_extent(fig.extent, p.longitude, p.latitude)]
            if outside:
                names = ", ".join(p.name for p in outside[:3]) + (", …" if len(outside) > 3 else "")
                self.warn(path + ("extent",),
                          f"{len(outside)} of the data's {len(places)} places ({names}) lie outside the map's extent "
                          "and are left off the map")

    def _check_kind_fields(self, f, path: Path_) -> None:
        """Fields that only some kinds of figure take."""
        if f.stacked and f.kind != "chart":
            self.error(path + ("stacked",), f"only a chart figure is stacked (by event category); a {f.kind} "
                                            "figure has one series")
        for name in ("measure", "top"):
            if getattr(f, name) is not None and f.kind != "regions":
                self.error(path + (name,), f"only a regions figure takes {name!r}; this is a {f.kind} figure")

    def _leader_of_photo(self, f, path: Path_) -> str | None:
        """The id of the leader whose `photo` is this photo figure's image (the same file), if any."""
        if not f.image:
            return None
        mine = self._where(f.image)
        for ld in self.spec.leaders:
            if ld.photo and mine is not None and self._where(ld.photo) == mine:
                if f.slide_title:
                    self.warn(path + ("slide_title",), f"figure {f.id!r} is the photo of leader {ld.id!r}: the "
                                                       "deck shows it on the leader's card, so no slide takes this title")
                return ld.id
        return None

    def _where(self, name: str) -> Path | None:
        """Where an asset path points (whether or not the file exists), or None if it cannot be resolved."""
        try:
            return (self.root / Path(name)).resolve()
        except (OSError, ValueError, RuntimeError):
            return None

    def _check_window(self, f, data: m.EventData, path: Path_) -> None:
        """A chart's window must lie within its data; a map's or a regions figure's must equal it, as
        places are not dated."""
        first, last = data.months[0].month, data.months[-1].month
        start, end = f.start or first, f.end or last
        span = f"{first} to {last}"
        if f.kind in m.UNDATED_KINDS and (start, end) != (first, last):
            what = "map's" if f.kind == "map" else "regions figure's"
            self.error(
                path + ("from",),
                f"the {what} window ({start} to {end}) differs from its data's ({span}): place counts are not "
                "dated, so import the data for exactly this window",
            )
        elif start < first or end > last:
            self.error(path + ("from",), f"window {start} to {end} goes beyond the data ({span})")

    # ------------------------------------------------------------------ assets and data

    def _asset(self, name: str, path: Path_, *, optional: bool = False) -> Path | None:
        """Resolve an asset path inside the content folder, reporting escapes and missing files."""
        candidate = Path(name)
        try:
            resolved = (self.root / candidate).resolve()
            inside = not candidate.is_absolute() and resolved.is_relative_to(self.root)
            is_file = inside and resolved.is_file()
            is_dir = inside and not is_file and resolved.is_dir()
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a symlink loop, a name too long
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.error(path, f"asset path {shown(name)!r} cannot be used: {shown(reason)}")
            return None
        if not inside:
            self.error(path, f"asset path {shown(name)!r} leaves the content folder; use a path inside {self.root.name}/")
            return None
        self.inputs.add(resolved)  # looked for, found or not: adding it later changes the outputs
        if is_dir:
            self.error(path, f"asset {shown(name)!r} is a folder, not a file")
            return None
        if not is_file:
            if not optional:
                self.error(path, f"asset {shown(name)!r} not found")
            elif resolved not in self.missing_optional:  # one warning per file, however often it is used
                self.missing_optional.add(resolved)
                self.warn(path, f"asset {shown(name)!r} not found; a labelled placeholder is used instead")
            return None
        return resolved

    def _image(self, name: str, path: Path_, *, optional: bool = False) -> Path | None:
        """An asset that must be a PNG or JPEG image both writers can embed."""
        file = self._asset(name, path, optional=optional)
        if file is None:
            return None
        if file not in self.image_problems:
            self.image_problems[file] = image_problem(file)
        problem = self.image_problems[file]
        if problem:
            self.error(path, f"image {shown(name)!r} {problem}")
            return None
        return file

    def _data(self, name: str, path: Path_) -> m.EventData | None:
        file = self._asset(name, path)
        if file is None:
            return None
        if file not in self.data_cache:
            self.data_cache[file] = self._read_events(file, path)
        return self.data_cache[file]

    def _read_events(self, file: Path, path: Path_) -> m.EventData | None:
        try:
            data = read_aggregate(file)
            _check_event_texts(data)
            return data
        except (AggregateError, OSError) as exc:
            self.error(path, f"cannot read events aggregate {shown(file.name)}: {shown(str(exc), 200)}")
            return None

    # ------------------------------------------------------------------ the rest

    def _meta(self) -> m.Meta:
        x = self.spec.meta
        if x.url is not None and not link_is_allowed(x.url):
            self.error(("meta", "url"), f"link {shown(x.url)!r} is not allowed: use http, https or mailto")
        return m.Meta(
            x.title, x.short_title, x.slug, x.series, x.publisher, x.publisher_short, tuple(x.authors),
            tuple(x.contributors), x.date, self._text(x.credit, ("meta", "credit"), body=True), x.copyright,
            x.language, x.subject, tuple(x.keywords), x.native_title, x.native_title_lang, x.url,
        )

    def _style(self) -> m.Style:
        s = self.spec.style
        logo = self._image(s.logo, ("style", "logo")) if s.logo else None
        palette = tuple(s.palette) if s.palette else colours.palette_from_accent(s.accent)
        style = m.Style(s.serif, s.sans, s.body_size, s.accent, s.ink, s.muted, s.tint, palette, logo)
        for key, message in colours.style_warnings(style, s.model_fields_set):  # text hard to read
            self.warn(("style", key) if key else ("style",), message)
        return style

    def _origins(self) -> m.Origins | None:
        """`origins`, or the older `merger` (a merger's); both at once is an error."""
        spec = self.spec
        groups = lambda items: tuple(m.Group(g.name, g.note) for g in items)  # noqa: E731
        if spec.merger and spec.origins:
            self.error(("merger",), "'merger' is the older form of 'origins' (kind: merger): give one of them")
        if spec.merger and not spec.origins:
            mg = spec.merger
            return m.Origins("merger", mg.date, groups(mg.members), groups(mg.absorbed), None,
                             self._cites(mg.cite, ("merger", "cite")))
        o = spec.origins
        if o is None:
            return None
        if o.absorbed and o.kind in ("rebranding", "absorption"):
            what = ("a rebranding renames one group; it absorbs none" if o.kind == "rebranding" else
                    "an absorption lists the groups it took in under 'groups'")
            self.error(("origins", "absorbed"), what)
        if o.kind == "rebranding" and len(o.groups) > 1:
            self.error(("origins", "groups", 1), "a rebranding has one former name: the group it was before")
        return m.Origins(o.kind, o.date, groups(o.groups), groups(o.absorbed), o.label,
                         self._cites(o.cite, ("origins", "cite")))

    def _leader(self, i: int, x) -> m.Leader:
        photo = self._image(x.photo, ("leaders", i, "photo"), optional=True) if x.photo else None
        cites = self._cites(x.cite, ("leaders", i, "cite"))
        return m.Leader(x.id, x.name, tuple(x.aliases), x.role, tuple(x.former), photo, x.photo_credit, cites)

    def _attack(self, i: int, a) -> m.Attack:
        path = ("attacks", i)
        summary = self._text(a.summary, path + ("summary",))
        cites = self._cites(a.cite, path + ("cite",))
        return m.Attack(a.id, a.date, a.place, a.country, a.latitude, a.longitude, summary, cites)

