"""Did-you-mean for actor names: initials, the part before the colon, transliterations, ranked by events."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from jnim_export.cli import main
from jnim_export.events import ActorCount, closest, list_actors
from jnim_export.events.actors import initials, likeness, skeleton

REAL = Path(__file__).resolve().parents[2] / "shared/data/acled/2017-01-01-2019-02-27-Mali.csv"  # as test_events


def names(found: list[ActorCount]) -> list[str]:
    return [a.name for a in found]


@pytest.mark.parametrize("wanted, first", [
    ("ISGS", "Islamic State (Greater Sahara)"),
    ("Islamic State in the Greater Sahara", "Islamic State (Greater Sahara)"),
    ("Jama'at Nusrat al-Islam wal-Muslimin", "JNIM: Group for Support of Islam and Muslims"),
    ("Ansar ad-Deen", "Ansar Dine"),
    ("al-Mourabitoun", "Al Mourabitoune Battalion"),
    ("Katibat Macina", "Katiba Macina"),
])
def test_the_real_export_suggests_the_group_meant(wanted, first):
    if not REAL.exists():
        pytest.skip("the ACLED export in ../shared/data is not here")
    assert names(closest(list_actors(REAL).actors, (wanted,)))[0] == first


def test_isgs_no_longer_suggests_the_alliance():
    if not REAL.exists():
        pytest.skip("the ACLED export in ../shared/data is not here")
    result = CliRunner().invoke(main, ["events", "import", str(REAL), "--actor", "ISGS"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    at = lines.index(f"did you mean (events in {REAL.name}):")
    assert lines[at + 1].split(maxsplit=1) == ["80", "Islamic State (Greater Sahara)"]
    assert "Alliance for the Salvation of the Sahel" not in result.output


SHABAAB = (ActorCount("Al Shabaab", 900, 800), ActorCount("Military Forces of Somalia (2012-)", 700, 300),
           ActorCount("AMISOM: African Union Mission in Somalia (2007-2022)", 400, 100),
           ActorCount("Shabelle Clan Militia", 30, 20), ActorCount("Civilians (Somalia)", 1200, 0))


@pytest.mark.parametrize("wanted", ["al-Shabaab", "Shebab", "el-Chabab", "ash-Shabab", "ul-Shabaab", "Harakat al-Shabaab"])
def test_transliterations_find_the_name(wanted):
    assert names(closest(SHABAAB, (wanted,)))[0] == "Al Shabaab"


def test_the_part_before_the_colon_and_initials_of_the_part_after():
    assert names(closest(SHABAAB, ("AMISOM",)))[0].startswith("AMISOM:")
    assert names(closest(SHABAAB, ("AUMIS",)))[0].startswith("AMISOM:")  # African Union Mission in Somalia


def test_initials_and_skeletons():
    assert initials("Islamic State (Greater Sahara)") == "isgs"
    assert initials("Jama'at Nusrat al-Islam wal-Muslimin") == "jnim"
    assert skeleton("Shabaab") == skeleton("Shebab") == skeleton("Chabab") == skeleton("al-Shabab")
    assert skeleton("Ansar Dine") == skeleton("Ansar ad-Deen")


# --------------------------------------------------------------------------- properties

WORD = st.text("bcdfghjklmnprstvz", min_size=1, max_size=3).flatmap(
    lambda cons: st.tuples(st.just(cons), st.text("aeiou", min_size=len(cons), max_size=len(cons)))).map(
    lambda cv: "".join(c + v for c, v in zip(*cv)).capitalize()).filter(lambda w: len(w) >= 3)
NAME = st.lists(WORD, min_size=2, max_size=5).map(" ".join)
ACTORS = st.lists(st.tuples(NAME, st.integers(1, 10_000)), min_size=1, max_size=15, unique_by=lambda t: t[0])


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(ACTORS, st.data())
def test_a_names_initials_find_it_unless_too_many_share_them(actors, data):
    found = tuple(ActorCount(n, e, 0) for n, e in actors)
    target = data.draw(st.sampled_from(found))
    acronym = initials(target.name).upper()
    sharing = [a for a in found if initials(a.name) == initials(target.name)]
    near = closest(found, (acronym,))
    if len(sharing) <= 5:
        assert target in near
        # the names those initials stand for come first, most events first
        assert near[:len(sharing)] == sorted(sharing, key=lambda a: (-a.events, a.name))


ARTICLE = st.sampled_from(["", "al-", "el-", "ul-", "Al ", "El "])


@st.composite
def respelt(draw, name: str) -> str:
    """`name` as another transliteration might spell it: an article before it, its inner vowels
    changed or doubled, a leading sh written ch."""
    out = []
    for word in name.split():
        inner = "".join(draw(st.sampled_from([c, c + c, "e" if c == "a" else "a"])) if c in "aeiou" else c
                        for c in word[1:])
        head = word[0]
        out.append(head + inner)
    text = " ".join(out)
    if text.lower().startswith("sh") and draw(st.booleans()):
        text = "Ch" + text[2:]
    return draw(ARTICLE) + text


@settings(max_examples=80, deadline=None)
@given(NAME.flatmap(lambda n: st.tuples(st.just(n), respelt(n))))
def test_a_transliteration_is_the_same_name(pair):
    name, variant = pair
    assert likeness(variant, name) == 1.0, (variant, skeleton(variant), skeleton(name))
    assert likeness(variant, f"{initials(name).upper()}: {name}") == 1.0  # the part after the colon


@settings(max_examples=40, deadline=None)
@given(NAME, st.lists(st.integers(1, 5_000), min_size=2, max_size=6))
def test_names_equally_sure_are_ranked_by_events(name, counts):
    found = tuple(ActorCount(f"{article}{name}", n, 0) for article, n in zip(["", "al-", "el-", "ul-", "Al ", "El "],
                                                                               counts))
    assert [a.events for a in closest(found, (name,), n=10)] == sorted(counts, reverse=True)
