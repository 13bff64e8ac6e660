"""Figures: where each is placed, the fields each kind takes, windows against their data, and
what a map frames or leaves off."""

from __future__ import annotations

from typing import cast

from .. import geodata, kinds
from .. import model as m
from . import assets, notes
from .checks import shown
from .spec import FigureSpec
from .state import State
from .validate import MAX_HINTS
from .yamlsource import Path_

Extent = tuple[float, float, float, float]  # the schema checks that an extent has four numbers


def _in_extent(extent: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    """Is (lon, lat) inside the box [west, south, east, north] (west > east: across the antimeridian)?"""
    west, south, east, north = extent
    return south <= lat <= north and (lon - west) % 360 <= (east - west) % 360


def place_figure(st: State, ident: str, path: Path_) -> m.Figure | None:
    if ident not in st.figure_specs:
        if ident in st.broken_ids:
            return None
        st.error(path, f"unknown figure {ident!r}" + st.hint(ident, st.figure_specs))
        return None
    if ident in st.figures:
        st.error(path, f"figure {ident!r} is placed twice")
        return None
    return resolve_figure(st, st.figure_specs[ident], ("figures", st.figure_index[ident]))


def resolve_figure(st: State, f: FigureSpec, path: Path_) -> m.Figure:
    number = len(st.figures) + 1
    caption = notes.parse_text(st, f.caption, path + ("caption",), body=True)
    credit = notes.parse_text(st, f.credit, path + ("credit",), body=True) if f.credit else ()
    image = None
    if f.kind == "photo":
        if f.data:
            st.error(path + ("data",), "a photo figure has no data")
        if f.image:
            image = assets.image(st, f.image, path + ("image",), optional=f.optional)
    else:
        if f.image:
            st.error(path + ("image",), f"a {f.kind} figure is drawn from data; it takes 'data', not 'image'")
    data = None
    if f.kind in m.DRAWN_KINDS:
        if not f.data:
            st.error(path, f"a {f.kind} figure needs 'data' (an events aggregate file)")
        else:
            data = assets.data(st, f.data, path + ("data",))
    _check_kind_fields(st, f, path)
    if f.start and f.end and f.start > f.end:
        st.error(path + ("to",), f"window ends ({f.end}) before it starts ({f.start})")
    elif data and data.months:
        _check_window(st, f, data, path)
    countries = _map_frame(st, f, path)
    if f.data_credit is not None and f.kind == "photo":
        st.error(path + ("data_credit",), "a photo has no data credit; its source goes in 'credit'")
    leader = _leader_of_photo(st, f, path) if f.kind == "photo" else None
    figure = m.Figure(f.id, number, f.kind, caption, credit, f.alt, image, data, f.start, f.end, f.stacked,
                      extent=cast(Extent, tuple(f.extent)) if f.extent else None, countries=countries,
                      data_credit=f.data_credit, measure=f.measure or "events", top=f.top or m.OTHER_REGIONS,
                      slide_title=" ".join((f.slide_title or "").split()), leader=leader)
    if data is not None and kinds.KINDS[f.kind].shape in ("monthly", "ranked") and figure.table() is None:
        what = f"no {figure.measure} in its data" if f.kind == "regions" else "no month of data in its window"
        st.error(path + ("data",), f"a {f.kind} figure must have numbers to show: it has {what}")
    st.figures[f.id] = figure
    return figure


def _map_frame(st: State, f: FigureSpec, path: Path_) -> tuple[str, ...]:
    """Check a map's `extent` and `countries`; the countries as the map data names them."""
    for key in ("extent", "countries"):
        if getattr(f, key) and f.kind != "map":
            st.error(path + (key,), f"only a map takes '{key}'; this figure is a {f.kind}")
    if f.extent and f.countries:
        st.error(path + ("countries",), "give the map either 'extent' or 'countries', not both")
    names = []
    for j, name in enumerate(f.countries):
        country = geodata.find(name)
        if country is None:
            close = geodata.suggest(name) if len(st.problems) < MAX_HINTS else None
            hint = f"; did you mean {close!r}?" if close else ""
            st.error(path + ("countries", j), f"unknown country {shown(name)!r}" + hint)
        elif country.admin not in names:
            names.append(country.admin)
    return tuple(names)


def check_maps(st: State, attacks: tuple[m.Attack, ...]) -> None:
    """Warn about what a map leaves off (key attacks outside its window, data outside its extent);
    refuse a map with nothing to frame.

    A map shows the key attacks of its own window only (its place counts cover exactly that
    window), and with an `extent`, only what lies in that box.
    """
    maps = [f for f in st.figures.values() if f.kind == "map"]
    for fig in maps:
        path = ("figures", st.figure_index[fig.id])
        which = f" {fig.id!r}" if len(maps) > 1 else ""
        window = fig.window
        in_window = []
        for i, a in enumerate(attacks):
            if window and not fig.in_window(a.month):
                st.warn(("attacks", i, "date"),
                          f"attack {a.id!r} ({a.month}) is outside the map{which}'s window {window[0]} to "
                          f"{window[1]} and is left off the map")
            else:
                in_window.append((i, a))
        if fig.extent is None:
            events = fig.data is not None and any(loc.events > 0 for loc in fig.data.locations)
            if fig.data is not None and not (events or in_window or fig.countries or st.spec.places):
                st.error(path, f"the map{which} has nothing to frame: its data has no place with events, no "
                                 "key attack falls in its window and there are no places; give it 'extent' "
                                 "or 'countries'")
            continue
        for i, a in in_window:
            if not _in_extent(fig.extent, a.longitude, a.latitude):
                st.warn(("attacks", i), f"attack {a.id!r} lies outside the map{which}'s extent and is left "
                                          "off the map")
        places = fig.data.locations if fig.data else ()
        outside = [p for p in places if p.events > 0 and not _in_extent(fig.extent, p.longitude, p.latitude)]
        if outside:
            names = ", ".join(p.name for p in outside[:3]) + (", …" if len(outside) > 3 else "")
            st.warn(path + ("extent",),
                      f"{len(outside)} of the data's {len(places)} places ({names}) lie outside the map's extent "
                      "and are left off the map")


def _check_kind_fields(st: State, f: FigureSpec, path: Path_) -> None:
    """Fields that only some kinds of figure take."""
    if f.stacked and f.kind != "chart":
        st.error(path + ("stacked",), f"only a chart figure is stacked (by event category); a {f.kind} "
                                        "figure has one series")
    for name in ("measure", "top"):
        if getattr(f, name) is not None and f.kind != "regions":
            st.error(path + (name,), f"only a regions figure takes {name!r}; this is a {f.kind} figure")


def _leader_of_photo(st: State, f: FigureSpec, path: Path_) -> str | None:
    """The id of the leader whose `photo` is this photo figure's image (the same file), if any."""
    if not f.image:
        return None
    mine = assets.where(st, f.image)
    for ld in st.spec.leaders:
        if ld.photo and mine is not None and assets.where(st, ld.photo) == mine:
            if f.slide_title:
                st.warn(path + ("slide_title",), f"figure {f.id!r} is the photo of leader {ld.id!r}: the "
                                                   "deck shows it on the leader's card, so no slide takes this title")
            return ld.id
    return None


def _check_window(st: State, f: FigureSpec, data: m.EventData, path: Path_) -> None:
    """A chart's window must lie within its data; a map's or a regions figure's must equal it, as
    places are not dated."""
    first, last = data.months[0].month, data.months[-1].month
    start, end = f.start or first, f.end or last
    span = f"{first} to {last}"
    if f.kind in m.UNDATED_KINDS and (start, end) != (first, last):
        what = "map's" if f.kind == "map" else "regions figure's"
        st.error(
            path + ("from",),
            f"the {what} window ({start} to {end}) differs from its data's ({span}): place counts are not "
            "dated, so import the data for exactly this window",
        )
    elif start < first or end > last:
        st.error(path + ("from",), f"window {start} to {end} goes beyond the data ({span})")
