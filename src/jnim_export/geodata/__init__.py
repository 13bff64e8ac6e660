"""The world's countries by name: Natural Earth admin-0 (see ``NOTICE``), read with the standard library.

``countries.npz`` beside this module holds the countries' names, codes, label points and
rings (as references to shared arcs) in a JSON member, and the arcs' coordinates as numpy
arrays.  This module reads only the JSON, so the content checks (``jnim_export.content``)
can look a country name up without numpy or matplotlib; ``jnim_export.figures.world``
reads the arcs to draw them.

Public API
    ``find(name)``: the `Country` a name means (any Natural Earth spelling, an ISO code or a
    common alias such as "Ivory Coast"), or None.
    ``suggest(name)``: the closest country name, for "did you mean".
    ``countries()``: every country, in file order (``Country.index``).
    ``metadata()``: the file's provenance; ``sha256()``: the file's hash (figure cache keys).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("countries.npz")
JSON_MEMBER = "countries.json"


@dataclass(frozen=True)
class Country:
    index: int  # position in the file
    name: str  # Natural Earth NAME: the short map label ("Dem. Rep. Congo")
    name_long: str  # NAME_LONG ("Democratic Republic of the Congo")
    admin: str  # ADMIN: the plain English name ("South Sudan", "Central African Republic")
    alt: tuple[str, ...]  # other spellings: FORMAL_EN, NAME_SORT, NAME_ALT, …
    a3: str  # ADM0_A3: the key used throughout
    iso_a2: str
    iso_a3: str
    kind: str  # TYPE: "Sovereign country", "Country", "Dependency", "Disputed", …
    continent: str
    label: tuple[float, float]  # LABEL_X, LABEL_Y: where Natural Earth writes the name (lon, lat)
    labelrank: int
    min_label: float  # MIN_LABEL: the web-map zoom level from which Natural Earth names it
    polygons: tuple[tuple[tuple[int, ...], ...], ...]  # polygons → rings (outer first) → arc refs (~i: reversed)


# Names that event data or authors use and Natural Earth spells otherwise.
ALIASES = {
    "Democratic Republic of Congo": "Democratic Republic of the Congo",
    "DR Congo": "Democratic Republic of the Congo",
    "DRC": "Democratic Republic of the Congo",
    "Republic of Congo": "Republic of the Congo",
    "Ivory Coast": "Côte d'Ivoire",
    "Cote d'Ivoire": "Côte d'Ivoire",
    "Swaziland": "eSwatini",
    "Eswatini": "eSwatini",
    "Palestinian Territories": "Palestine",
    "Occupied Palestinian Territory": "Palestine",
    "Burma": "Myanmar",
    "East Timor": "Timor-Leste",
    "Cape Verde": "Cabo Verde",
    "Czech Republic": "Czechia",
    "Macedonia": "North Macedonia",
    "Turkey": "Türkiye",
    "USA": "United States of America",
    "United States": "United States of America",
    "UK": "United Kingdom",
    "Somaliland": "Somalia",  # the German point of view: one Somalia
}


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def norm(name: str) -> str:
    """A name as looked up: accents and punctuation dropped, case folded, no leading "the"."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = _NOT_ALNUM.sub(" ", name.casefold()).strip()
    return s[4:] if s.startswith("the ") else s


@functools.lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    with zipfile.ZipFile(DATA) as zf:
        return json.loads(zf.read(JSON_MEMBER).decode("utf-8"))


@functools.lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Every country in the file (read once per process, about 5 ms)."""
    out = []
    for i, g in enumerate(_document()["objects"]["countries"]["geometries"]):
        p = g["properties"]
        out.append(Country(
            index=i, name=p["name"], name_long=p["name_long"], admin=p["admin"], alt=tuple(p["alt"]),
            a3=p["adm0_a3"], iso_a2=p["iso_a2"], iso_a3=p["iso_a3"], kind=p["type"], continent=p["continent"],
            label=(float(p["label"][0]), float(p["label"][1])), labelrank=int(p["labelrank"]),
            min_label=float(p["min_label"]),
            polygons=tuple(tuple(tuple(ring) for ring in poly) for poly in g["arcs"]),
        ))
    return tuple(out)


def metadata() -> dict[str, Any]:
    """The file's provenance (source, version, how it was derived, licence)."""
    return dict(_document()["metadata"])


def transform() -> tuple[tuple[float, float], tuple[float, float]]:
    """(scale, translate) of the quantised arcs: lon = x * scale[0] + translate[0], and so for lat."""
    t = _document()["transform"]
    return (tuple(t["scale"]), tuple(t["translate"]))


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, Country]:
    names: dict[str, Country] = {}
    for c in countries():
        for n in (c.name, c.name_long, c.admin, c.a3, c.iso_a3, c.iso_a2, *c.alt):
            if n and n != "-99":
                names.setdefault(norm(n), c)
    for alias, target in ALIASES.items():
        if norm(target) in names:
            names.setdefault(norm(alias), names[norm(target)])
    return names


def find(name: str) -> Country | None:
    """The country called `name` (any Natural Earth spelling, ISO code or a common alias), or None."""
    return _index().get(norm(name))


def suggest(name: str) -> str | None:
    """The country name closest to `name` (its common English name), or None if none is close."""
    if len(name) > 100:
        return None
    spelled: dict[str, str] = {}
    for c in countries():
        for n in (c.admin, c.name, c.name_long):
            spelled.setdefault(norm(n), c.admin)
    for alias in ALIASES:
        spelled.setdefault(norm(alias), alias)
    close = difflib.get_close_matches(norm(name), list(spelled), n=1, cutoff=0.6)
    return spelled[close[0]] if close else None


@functools.lru_cache(maxsize=1)
def sha256() -> str:
    """The data file's SHA-256 (hex): part of a map's cache key, so new data redraws every map."""
    return hashlib.sha256(DATA.read_bytes()).hexdigest()
