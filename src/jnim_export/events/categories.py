"""ACLED's event categories, and how the older export's event types map onto them."""

from __future__ import annotations

CATEGORIES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)

_BATTLES, _EXPLOSIONS, _CIVILIANS, _PROTESTS, _RIOTS, _STRATEGIC = range(len(CATEGORIES))
# Event type (lower case) -> category index, for every name that maps to one category alone.
_EVENT_TYPES = {name.lower(): i for i, name in enumerate(CATEGORIES)} | {
    "remote violence": _EXPLOSIONS,
    "strategic development": _STRATEGIC,
    "headquarters or base established": _STRATEGIC,
    "non-violent transfer of territory": _STRATEGIC,
}
_RIOTERS = "5"  # inter1/inter2 code of rioters in the older layout


def event_type_filter(names: tuple[str, ...]) -> tuple[int, ...]:
    """The category indexes the event type names select, in category order; unknown names raise ValueError."""
    wanted: set[int] = set()
    for name in names:
        key = " ".join(name.split()).lower()
        if key in _EVENT_TYPES:
            wanted.add(_EVENT_TYPES[key])
        elif key == "riots/protests":
            wanted |= {_PROTESTS, _RIOTS}
        elif key.startswith("battle-"):
            wanted.add(_BATTLES)
        else:
            raise ValueError(f"unknown event type {name!r}; expected one of: {', '.join(CATEGORIES)}")
    return tuple(sorted(wanted))


def category(event_type: str, inter1: str, inter2: str) -> int | None:
    """The category index of an event type (either layout), or None if unknown."""
    key = " ".join(event_type.split()).lower()
    if key in _EVENT_TYPES:
        return _EVENT_TYPES[key]
    if key == "riots/protests":
        return _RIOTS if _RIOTERS in (inter1.strip(), inter2.strip()) else _PROTESTS
    if key.startswith("battle-"):
        return _BATTLES
    return None
