"""Figure files named by a hash of everything that decides them, drawn only when missing.

Everything: the figure's inputs (its numbers, window, what it marks beside them, the style it
is drawn in), the drawing code (`code_fingerprint`: this package, the model-level modules it
draws from, the font files it sets type in) and the versions of the libraries drawing it. No
version number is kept by hand: an edit to any of these draws the figure again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .. import atomic, fonts, machine
from ..kinds import KINDS as REGISTRY, PHONE_TEXT_PT, PRINT_TEXT_PT
from ..model import Attack, Figure, Place, Style
from . import style as house

LIBRARIES = ("matplotlib", "numpy", "pillow")  # every drawing's (PNG through Pillow); a kind may add its own
# the modules outside this package whose code decides a drawing: its numbers, labels and type
_MODEL_CODE = ("model.py", "kinds.py", "tables.py", "dates.py", "fonts/__init__.py", "geodata/__init__.py")


@functools.lru_cache(maxsize=None)
def code_fingerprint(family: str) -> str:
    """The sha256 (hex) of the drawing code's contents: every module of this package, the
    model-level modules it draws from and the font files of `family` it sets type in.

    Read once per process (a running process draws with the code it loaded); contents, never
    times, so that a checkout or a copy that changes nothing draws nothing again.
    """
    here = Path(__file__).parent
    files = sorted(here.glob("*.py")) + [here.parent / name for name in _MODEL_CODE]
    files += [fonts.font_path(family, bold=bold) for bold in (False, True)]
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.relative_to(here.parent)}\0".encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _kind(figure: Figure, fmt: str, size: tuple[float, float]):
    from . import KINDS

    kind = KINDS.get(figure.kind)
    if kind is None:
        raise ValueError(f"figure {figure.id!r} is a {figure.kind}: only {', '.join(KINDS)} figures are drawn")
    if figure.data is None:
        raise ValueError(f"figure {figure.id!r} ({figure.kind}) has no event data")
    if fmt not in ("svg", "png"):
        raise ValueError(f"unknown figure format {fmt!r}: use 'svg' or 'png'")
    if len(size) != 2 or not all(isinstance(v, (int, float)) and 0.5 <= v <= 40 for v in size):
        raise ValueError(f"figure size {size!r} must be (width, height) in inches, each 0.5–40")
    return kind


def cache_key(
    figure: Figure,
    *,
    attacks: tuple[Attack, ...],
    places: tuple[Place, ...],
    style: Style,
    fmt: Literal["svg", "png"],
    size: tuple[float, float],
) -> str:
    """The sha256 (hex) over everything that decides the drawn file.

    That is: the figure kind; its data (``EventData.sha256``, scope, window) and the numbers it
    shows (``Figure.table``); the credit line drawn in it; what its kind draws beside the data
    (``key_inputs``: for a map its key attacks, places, extent or countries, and the country
    data's hash); the style fields drawn with; size; format; the drawing code
    (``code_fingerprint``) and the versions of the libraries drawing it.
    """
    kind = _kind(figure, fmt, size)
    data = figure.data
    assert data is not None
    payload: dict[str, Any] = {
        "code": code_fingerprint(style.sans),
        "kind": figure.kind,
        "fmt": fmt,
        "size": [round(float(v), 4) for v in size],
        "data": {"sha256": data.sha256, "scope": data.scope, "start": figure.start, "end": figure.end},
        "table": repr(figure.table()),
        "style": {"font": style.sans, "ink": style.ink, "muted": style.muted},
        "libraries": {name: machine.library_version(name) for name in sorted({*LIBRARIES, *kind.LIBRARIES})},
        "credit": house.credit(figure),
    }
    kind.key_inputs(payload, figure, attacks, places, style)
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("ascii")).hexdigest()


def figure_file(
    figure: Figure,
    *,
    attacks: tuple[Attack, ...],
    places: tuple[Place, ...],
    style: Style,
    fmt: Literal["svg", "png"],
    size: tuple[float, float],
    cache_dir: Path,
    force: bool = False,
) -> Path:
    """The cached SVG or PNG of a drawn figure; drawn if missing or ``force``.

    ``size`` is (width, height) in inches; PNG is drawn at 200 dpi.  The file is
    ``cache_dir/{kind}-{key[:24]}.{fmt}`` (see ``cache_key``), replaced atomically, so a
    reader never sees half a file.  Raises ValueError for a kind not drawn here or a figure
    without data.

    SVG text stays text (``svg.fonttype='none'``) in the family ``style.sans``, regular and
    bold (``font-weight: 700``): a vector writer must map those requests to the shipped faces.
    """
    out = _path(figure, attacks, places, style, fmt, size, Path(cache_dir))
    if force or not out.exists():
        draw(Drawing(figure, size, (fmt,)), attacks=attacks, places=places, style=style, cache_dir=cache_dir)
    return out


@dataclass(frozen=True)
class Drawing:
    """One figure drawn at one size, written in each of `formats`."""

    figure: Figure
    size: tuple[float, float]
    formats: tuple[str, ...]

    @property
    def cost(self) -> int:
        """Roughly how long it takes to draw, against a chart's 1 (for sharing drawings among processes)."""
        return REGISTRY[self.figure.kind].cost


def drawings(
    requests: Iterable[tuple[Figure, str, tuple[float, float]]],
    *,
    attacks: tuple[Attack, ...],
    places: tuple[Place, ...],
    style: Style,
    cache_dir: Path,
    force: bool = False,
) -> list[Drawing]:
    """What must be drawn so that every (figure, format, size) requested is in the cache: one
    drawing per figure and size, whatever formats are asked of it. A request this package
    cannot draw (a photo, a figure without data) is a ValueError."""
    wanted: dict[tuple[str, tuple[float, float]], tuple[Figure, set[str]]] = {}
    for figure, fmt, size in requests:
        out = _path(figure, attacks, places, style, fmt, size, Path(cache_dir))
        if force or not out.exists():
            wanted.setdefault((figure.id, (size[0], size[1])), (figure, set()))[1].add(fmt)
    return [Drawing(figure, size, tuple(sorted(fmts))) for (_, size), (figure, fmts) in wanted.items()]


def draw(drawing: Drawing, *, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style,
         cache_dir: Path) -> None:
    """Draw `drawing` once and write its file in each of its formats."""
    figure, size = drawing.figure, drawing.size
    kind = _kind(figure, drawing.formats[0], size)
    notes: list[str] = []

    def paint(fig: Any, scale: float) -> None:
        drawn = kind.draw(fig, figure, attacks=attacks, places=places, style=style, scale=scale)
        notes.extend(getattr(drawn, "notes", ()))

    made = house.render(paint, style, reference=kind.REFERENCE_SIZE, formats=drawing.formats, size=size,
                        least=least_scale(figure.kind, size))
    for fmt, data in made.items():
        path = _path(figure, attacks, places, style, fmt, size, Path(cache_dir))
        atomic.write_bytes(_notes_path(path), json.dumps(notes).encode())  # first: a file drawn has its notes
        atomic.write_bytes(path, data)


def figure_notes(figure: Figure, *, attacks: tuple[Attack, ...], places: tuple[Place, ...], style: Style,
                 fmt: Literal["svg", "png"], size: tuple[float, float], cache_dir: Path) -> tuple[str, ...]:
    """What the drawing in the cache (`figure_file`) asks a reader to be told: each place of the
    content a map leaves unnamed, and why. Kept beside it, so a cached drawing says it too."""
    path = _notes_path(_path(figure, attacks, places, style, fmt, size, Path(cache_dir)))
    try:
        return tuple(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):  # drawn before notes were kept: it has none to tell
        return ()


def _notes_path(path: Path) -> Path:
    return path.with_name(path.name + ".notes.json")


def least_scale(kind: str, size: tuple[float, float]) -> float:
    """The type scale that sets a kind's smallest type (its module's `SMALLEST_PT`) at the least
    size legible where the drawing is shown: a phone's drawing, or paper."""
    least = PHONE_TEXT_PT if tuple(size) == REGISTRY[kind].compact else PRINT_TEXT_PT
    return least / _kind_module(kind).SMALLEST_PT


def _kind_module(kind: str) -> Any:
    from . import KINDS

    return KINDS[kind]


def _path(figure: Figure, attacks, places, style: Style, fmt: str, size: tuple[float, float], cache_dir: Path) -> Path:
    key = cache_key(figure, attacks=attacks, places=places, style=style, fmt=fmt, size=size)  # type: ignore[arg-type]
    return cache_dir / f"{figure.kind}-{key[:24]}.{fmt}"
