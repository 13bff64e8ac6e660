"""Figures: where each is placed, the fields each kind takes, windows against their data, and
what a map frames or leaves off."""

from __future__ import annotations

from .. import geodata, kinds
from .. import model as m
from .schema import shown
from .validate import MAX_HINTS
from .yamlsource import Path_


def _in_extent(extent: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    """Is (lon, lat) inside the box [west, south, east, north] (west > east: across the antimeridian)?"""
    west, south, east, north = extent
    return south <= lat <= north and (lon - west) % 360 <= (east - west) % 360


class FiguresMixin:
    """The resolver's figures; mixed into it, it uses the resolver's state, assets and `error`/`warn`/`_hint`."""

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
        if data is not None and kinds.KINDS[f.kind].shape in ("monthly", "ranked") and figure.table() is None:
            what = f"no {figure.measure} in its data" if f.kind == "regions" else "no month of data in its window"
            self.error(path + ("data",), f"a {f.kind} figure must have numbers to show: it has {what}")
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
