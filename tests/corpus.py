"""Random but valid backgrounders, for checking the PDF writer on content nobody typed; and the
runner that builds and checks many of them (``python -m tests.corpus --count 1000``).

`make_backgrounder(rng_or_draw, folder)` writes ``folder/content.yaml`` and its assets and
returns the content file.  Its first argument is a seeded ``random.Random`` or a Hypothesis
``draw`` function (inside ``@st.composite``), so the same generator serves a fixed corpus and
property-based tests.  What was generated is summarised in ``folder/generated.json``, for
people reading a failure report; the PDF checks never read it.

Every source carries a tag ``Q<n>`` (unique in its document) at the end of its author's name,
also in its short author, and after "Title" at the start of its title, also in its short
title: so a note's text alone tells which sources it cites (see ``pdfcheck``).  Every source
has a URL, a date or a container, so that its full form differs from its short form.  Every
figure is named in its anchor paragraph, the nearest before it in its section ("See Figure
2."), or for a figure that opens its section in the first paragraph after it ("As Figure 2,
above, shows, …"), so ``pagecheck`` can tell from the PDF how far a figure moved.

What varies: 1–6 sections; short and long paragraphs with emphasis, links, bare URLs and
literal ``& < >``; citations at sentence ends, repeated, adjacent (``[^a][^b]``); notes citing
one to five sources (with and without a prefix), short and long free-text notes; slide
bullets, facts, leaders, attacks and the merger citing sources before, after or instead of the
body; photos (synthetic PNGs made here, never photographs; some 2.5, 3.2 or 6 times wider than
tall; one document in seven a photo essay of five to nine figures), maps and charts (the
committed ACLED aggregates) placed first, last, consecutively, closing a section, before a
paragraph (a floated photo) or late in the document, with captions and credits that cite
notes; zero to two pull quotes a section, short or long, anywhere among its paragraphs (so some
fall at a page's foot); long URLs (100–250 characters) in sources, notes and body text; source
titles quoting a name in German, French or English quotation marks; undated sources; long
series and publisher names; body type size; the closing credit citing a note; both note modes
and both papers.
"""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import os
import random
import re
import shutil
import string
import subprocess
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODES = [(n, p) for n in ("endnotes", "footnotes") for p in ("letter", "a4")]
CONFORMANCE = "5 PDF/UA-1 and PDF/A-2a (page-validation)"
SAMPLE = 5  # every fifth corpus document also goes to the independent checker (5 and 4 coprime: every mode)
MAP_DATA = "assets/data/jnim-mali-2017-03-to-2018-07.json"  # a map's window must equal its data's
MAP_WINDOW = ("2017-03", "2018-07")
CHART_DATA = "assets/data/jnim-mali-2017-2019-initiated.json"
# A few windows only: the figure cache is keyed on the window, so the corpus reuses drawings.
CHART_WINDOWS = (("2017-03", "2018-07"), ("2017-06", "2019-02"))

WORDS = (
    "the group its fighters attacked convoys near the border while local militias and regional forces "
    "contested control of markets roads and villages across the central regions during the rainy season "
    "officials reported that negotiations with community leaders stalled after a series of ambushes "
    "analysts say recruitment grew as state presence receded from rural districts and trade routes shifted"
).split()
TOPICS = (
    "cattle markets", "border crossings", "rural courts", "fuel smuggling", "gold mining sites", "river ports",
    "local militias", "ceasefire talks", "displaced families", "road ambushes", "mobile networks",
    "peacekeeping bases", "religious schools", "seasonal migration", "kidnapping for ransom",
)
FIRST = ("Amina", "Boubacar", "Claire", "Djibril", "Elena", "Fatou", "Gaston", "Hawa", "Ismael", "Julia",
         "Karim", "Lena", "Moussa", "Nadia", "Omar", "Paula")
SURNAMES = ("Tarek", "Diallo", "Morel", "Keita", "Sangare", "Whitfield", "Ouedraogo", "Brennan", "Traore",
            "Lindqvist", "Cisse", "Haidara", "Moreau", "Okafor", "Dembele", "Ferreira")
ORGS = (("Sahel Monitoring Centre", "SMC"), ("Institute for Regional Security", "IRS"),
        ("West Africa Conflict Observatory", "WACO"), ("Office of Humanitarian Reporting", "OHR"),
        ("Council on Frontier Studies", "CFS"), ("Press Agency of the Niger Bend", "PANB"))
CONTAINERS = ("Sahel Security Review", "Journal of Frontier Studies", "Regional Bulletin", "Jihadology",
              "Conflict Trends Quarterly")
SECTION_TITLES = ("Background", "Leadership and Organization", "Strategy and Operations", "Financing",
                  "Alliances and Rivalries", "Outlook", "Recruitment", "Territorial Control")
LONG_SERIES = (
    "Occasional Papers of the Programme on Sahel Security, Governance and Armed Groups: Backgrounder Series",
    "Synthetic Backgrounder Series on Armed Groups in the Central Sahel and the Lake Chad Basin, Volume Seven",
)
LONG_PUBLISHERS = (
    "Institute for Regional Security and Frontier Studies, Programme on Armed Groups (Test Corpus)",
    "Test Corpus Publisher for Synthetic Conflict Research and Documentation",
)
# Titles quoting a name inside them, in the quotation marks of their language (the notes must
# print them US style: single quotes inside the double ones around the title).
NESTED = (
    "\u2014 Der \u201eIslamische Staat Westafrikaprovinz\u201c und die {topic}",
    "\u2014 la \u00ab\u00a0province du Sahel\u00a0\u00bb et les {topic}",
    "\u2014 les \u00abcommandants\u00bb des {topic}",
    "on the \u201cGreater Sahara\u201d and {topic}",
    "on the 'Greater Sahara' and {topic}",
    "\u2014 \u201aKalifat\u2018 und {topic} im Sahel",
)
PREFIXES = ("See, for example,", "See", "Compare", "On this point, see", "Data used here are from")
# The default content's attacks and places: the map's cache key includes them, so keep them fixed.
ATTACKS = (
    ("a-ouaga", "2018-03", "Ouagadougou", "Burkina Faso", 12.3714, -1.5197),
    ("a-timbuktu", "2018-04", "Timbuktu", "Mali", 16.7705, -3.0056),
    ("a-aguelhok", "2018-07", "Aguelhok", "Mali", 19.4695, 0.856),
)
PLACES = [
    {"name": "Bamako", "latitude": 12.6392, "longitude": -8.0029, "capital": True},
    {"name": "Ouagadougou", "latitude": 12.3714, "longitude": -1.5197, "capital": True},
    {"name": "Niamey", "latitude": 13.5116, "longitude": 2.1254, "capital": True},
    {"name": "Timbuktu", "latitude": 16.7705, "longitude": -3.0056},
    {"name": "Gao", "latitude": 16.2717, "longitude": -0.0447},
]


# =========================================================================== choices


class Chooser:
    """Random choices from a `random.Random` or a Hypothesis `draw`."""

    def __init__(self, source: random.Random | Callable):
        self.rng = source if isinstance(source, random.Random) else None
        self.draw = None if self.rng is not None else source

    def integer(self, lo: int, hi: int) -> int:
        if self.rng is not None:
            return self.rng.randint(lo, hi)
        from hypothesis import strategies as st

        return self.draw(st.integers(lo, hi))

    def chance(self, p: float) -> bool:
        return self.integer(0, 999) < p * 1000

    def pick(self, seq):
        seq = list(seq)
        return seq[self.integer(0, len(seq) - 1)]

    def weighted(self, options: dict):
        total = sum(options.values())
        at = self.integer(0, total - 1)
        for value, weight in options.items():
            at -= weight
            if at < 0:
                return value
        raise AssertionError

    def sample(self, seq, k: int) -> list:
        pool = list(seq)
        return [pool.pop(self.integer(0, len(pool) - 1)) for _ in range(min(k, len(pool)))]


# =========================================================================== pieces


def long_url(ch: Chooser, length: int | None = None) -> str:
    """An http(s) URL of 100–250 characters with ? & = - # and no spaces."""
    length = length or ch.integer(100, 250)
    alphabet = string.ascii_lowercase + string.digits
    word = lambda n: "".join(ch.pick(alphabet) for _ in range(n))  # noqa: E731
    url = f"https://www.{word(6)}-reports.example.org/{word(5)}/{word(4)}-{word(7)}"
    url += "/" + "-".join(word(ch.integer(3, 9)) for _ in range(ch.integer(2, 6)))
    url += f"?id={word(8)}&lang=en&q={word(6)}-{word(5)}"
    while len(url) < length - 12:
        url += f"&{word(ch.integer(2, 5))}={word(ch.integer(4, 14))}"
    url += f"#sec-{word(4)}"
    return url[: length - 6] + f"#{word(5)}" if len(url) > length else url


def short_url(ch: Chooser) -> str:
    return f"https://example.org/{ch.pick(['news', 'reports', 'data'])}/{ch.integer(100, 9999)}.html"


def sentence(ch: Chooser, words: int | None = None) -> str:
    n = words or ch.integer(6, 22)
    body = " ".join(ch.pick(WORDS) for _ in range(n))
    return body[0].upper() + body[1:] + "."


def date(ch: Chooser) -> str:
    y = ch.integer(2012, 2020)
    kind = ch.weighted({"day": 5, "month": 3, "year": 1})
    if kind == "year":
        return str(y)
    m = ch.integer(1, 12)
    return f"{y}-{m:02d}" if kind == "month" else f"{y}-{m:02d}-{ch.integer(1, 28):02d}"


def make_source(ch: Chooser, tag: int) -> dict:
    kind = ch.weighted({"person": 5, "org": 4, "title-only": 1, "author-only": 1})
    src: dict[str, Any] = {"id": f"src-q{tag}"}
    if kind in ("person", "author-only"):
        first, surname = ch.pick(FIRST), ch.pick(SURNAMES)
        src["author"] = f"{first} {surname}-Q{tag}"
        if ch.chance(0.35):
            src["short_author"] = f"{surname}-Q{tag}"
    if kind == "org" or (kind == "author-only" and ch.chance(0.5)):
        name, abbrev = ch.pick(ORGS)
        src["author"] = f"{name} Q{tag}"
        src["organisation"] = True  # said, never guessed from the name's words
        src.pop("short_author", None)
        if ch.chance(0.5):
            src["short_author"] = f"{abbrev} Q{tag}"
    if kind != "author-only":
        topic = ch.pick(TOPICS)
        extra = " ".join(ch.pick(WORDS) for _ in range(ch.integer(1, 9)))
        src["title"] = f"Title Q{tag} about {topic} and {extra}"
        if ch.chance(0.25):
            src["title"] = f"Title Q{tag} {ch.pick(NESTED).format(topic=topic)}"
        if ch.chance(0.4):
            src["short_title"] = f"Title Q{tag} about {topic}"
    if ch.chance(0.3):
        src["container"] = ch.pick(CONTAINERS)
    if ch.chance(0.7):
        src["date"] = date(ch)
    if ch.chance(0.85) or not ({"container", "date"} & set(src)):
        src["url"] = long_url(ch) if ch.chance(0.35) else short_url(ch)
    if ch.chance(0.2):
        src["after_author"] = "."
    if ch.chance(0.15):
        src["after_title"] = "."
    return src


def photo(ch: Chooser, folder: Path, name: str, *, wide: float | None = None) -> str:
    """A small synthetic PNG (never a real photograph), marked as such; `wide`: that many times wider than tall."""
    from PIL import Image, ImageDraw

    if wide:
        w = ch.integer(300, 720)
        h = max(20, round(w / wide))
    else:
        w = ch.integer(60, 220)
        h = int(w * ch.pick([0.6, 0.75, 1.0, 1.25, 1.5]))
    colour = tuple(ch.integer(40, 220) for _ in range(3))
    img = Image.new("RGB", (w, h), colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle([2, 2, w - 3, h - 3], outline=(255, 255, 255))
    draw.text((6, h // 2 - 6), "SYNTHETIC", fill=(255, 255, 255))
    rel = f"assets/photos/{name}.png"
    img.save(folder / rel, pnginfo=_synthetic_info())
    return rel


def _synthetic_info():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Description", "Synthetic test image generated for the jnim-export test corpus")
    return info


# =========================================================================== the document


class _Doc:
    """State while one backgrounder is generated: what is citable, what the body has cited so far."""

    def __init__(self, ch: Chooser, folder: Path):
        self.ch = ch
        self.folder = folder
        self.features: set[str] = set()
        self.body_cited: list[str] = []  # ids cited in the body so far, in order
        self.side: list[tuple[str, str]] = []  # (where, id) cited outside the body

    def cite(self, ids: list[str], last: list[str]) -> str:
        """One or two note references: often the last one again, sometimes two adjacent."""
        ch = self.ch
        if last and ch.chance(0.3):
            first = last[-1]
            self.features.add("repeated-citation")
        else:
            first = ch.pick(ids)
        refs = [first]
        if ch.chance(0.08):
            second = ch.pick(ids)
            if second != first:
                refs.append(second)
                self.features.add("adjacent-citations")
        self.body_cited += refs
        last += refs
        return "".join(f"[^{r}]" for r in refs)

    def paragraph(self, ids: list[str], last: list[str], *, long: bool) -> str:
        ch = self.ch
        n = ch.integer(7, 15) if long else ch.integer(1, 2)
        out = []
        for _ in range(n):
            s = sentence(ch)
            roll = ch.integer(0, 99)
            if roll < 4:
                s = s[:-1] + f", as the report at {long_url(ch)} shows."
                self.features.add("bare-long-url-in-body")
            elif roll < 8:
                s = s[:-1] + f" ([the full report]({long_url(ch)}))."
                self.features.add("long-link-in-body")
            elif roll < 14:
                w = s.split()
                i = ch.integer(1, len(w) - 2)
                w[i] = f"*{w[i]}*" if ch.chance(0.5) else f"**{w[i]}**"
                s = " ".join(w)
            elif roll < 17:
                s = s[:-1] + " & <partners> said so."
            if ch.chance(0.35):
                s += self.cite(ids, last)
            out.append(s)
        return " ".join(out)


def make_backgrounder(rng_or_draw: random.Random | Callable, folder: str | Path, *, notes: str | None = None,
                      paper: str | None = None) -> Path:
    """Write a random valid backgrounder into `folder` (content.yaml, assets/); return the content file."""
    ch = Chooser(rng_or_draw)
    folder = Path(folder)
    (folder / "assets" / "photos").mkdir(parents=True, exist_ok=True)
    (folder / "assets" / "data").mkdir(parents=True, exist_ok=True)
    for rel in (MAP_DATA, CHART_DATA):
        shutil.copy(ROOT / rel, folder / rel)
    doc = _Doc(ch, folder)
    feats = doc.features

    # ---------------------------------------------------------------- sources and notes
    tags = ch.sample(range(1, 100), ch.integer(2, 12))
    sources = [make_source(ch, t) for t in tags]
    if any(len(s.get("url", "")) >= 100 for s in sources):
        feats.add("long-url-in-source")
    note_specs = []
    for k in range(ch.integer(0, 6)):
        kind = ch.weighted({"multi": 3, "prefixed": 2, "text": 2, "long-text": 1})
        if kind == "text":
            url = long_url(ch) if ch.chance(0.4) else short_url(ch)
            note_specs.append({"id": f"note-{k}", "text": f"{sentence(ch, 10)[:-1]}, <{url}>."})
            feats.add("free-text-note")
        elif kind == "long-text":  # a discursive note of several sentences, sometimes running overleaf
            text = " ".join(sentence(ch) for _ in range(ch.integer(4, 14)))
            note_specs.append({"id": f"note-{k}", "text": text})
            feats.add("long-note")
        else:
            cite = ch.sample([s["id"] for s in sources], ch.integer(2, 5) if kind == "multi" else 1)
            spec = {"id": f"note-{k}"}
            if kind == "prefixed" or ch.chance(0.4):
                spec["prefix"] = ch.pick(PREFIXES)
            spec["cite"] = cite
            note_specs.append(spec)
            feats.add("multi-source-note" if len(cite) > 1 else "prefixed-note")
    citable = [s["id"] for s in sources] + [n["id"] for n in note_specs]
    side = ch.weighted({"none": 1, "after-body": 1, "any": 2})
    feats.add(f"side-citations-{side}")

    # ---------------------------------------------------------------- sections and figures
    n_sections = ch.integer(1, 6)
    sections = []
    last: list[str] = []
    for i in range(n_sections):
        blocks: list[Any] = []
        for _ in range(ch.integer(1, 4)):
            blocks.append(doc.paragraph(citable, last, long=ch.chance(0.6)))
        for _ in range(ch.weighted({0: 6, 1: 3, 2: 1})):  # after any paragraph: some land near a page's foot
            q = sentence(ch, ch.integer(8, 20) if ch.chance(0.6) else ch.integer(25, 60))
            if ch.chance(0.2):
                q += doc.cite(citable, last)
            blocks.insert(ch.integer(0, len(blocks)), {"quote": q})
            feats.add("pull-quote")
        sections.append({"id": f"s{i + 1}", "title": SECTION_TITLES[i % len(SECTION_TITLES)], "blocks": blocks})

    figures = []
    many = ch.chance(0.15)  # a photo essay: many photos
    n_fig = ch.integer(5, 9) if many else ch.weighted({0: 1, 1: 3, 2: 3, 3: 2, 4: 1})
    if many:
        feats.add("many-photos")
    previous: tuple[int, int] | None = None
    chained = False  # the previous figure is a drawing set right after another figure
    for k in range(n_fig):
        kind = ch.weighted({"photo": 8, "map": 1, "chart": 1} if many else {"photo": 3, "map": 1, "chart": 2})
        fid = f"fig-{k + 1}-{kind}"
        caption = f"{sentence(ch, ch.integer(3, 18))[:-1]}"
        if ch.chance(0.35):
            caption += doc.cite(citable, [])
            feats.add("caption-cites")
        fig: dict[str, Any] = {"id": fid, "kind": kind, "caption": caption}
        if ch.chance(0.6):
            credit = "Synthetic image made for testing." if kind == "photo" else f"Source: ACLED. {sentence(ch, 8)}"
            if ch.chance(0.15):
                credit += doc.cite(citable, [])
                feats.add("credit-cites")
            fig["credit"] = credit
        fig["alt"] = f"A {kind} for the test corpus."
        if kind == "photo":
            wide = ch.weighted({None: 10, 2.5: 1, 3.2: 1, 6.0: 2})
            fig["image"] = photo(ch, folder, fid, wide=wide)
            if wide:
                feats.add("panorama" if wide >= 6 else "wide-photo")
        elif kind == "map":
            fig["data"] = MAP_DATA
            fig["from"], fig["to"] = MAP_WINDOW
        else:
            fig["data"] = CHART_DATA
            fig["from"], fig["to"] = ch.pick(CHART_WINDOWS)
            fig["stacked"] = ch.chance(0.5)
        figures.append(fig)
        # where it stands
        where = ch.weighted({"first": 3, "last-of-document": 2, "after-previous": 2, "late": 2, "anywhere": 4,
                             "section-end": 3 if kind != "photo" else 1})
        if where == "after-previous" and (previous is None or (chained and kind != "photo")):
            # three tall drawings in a row cannot all stand within a page of the text before them
            where = "anywhere"
        chained = where == "after-previous" and kind != "photo"
        if where == "first":
            s, pos = ch.integer(0, n_sections - 1), 0
        elif where == "last-of-document":
            s = n_sections - 1
            pos = len(sections[s]["blocks"])
        elif where == "after-previous":
            s, pos = previous[0], previous[1] + 1
        elif where == "section-end":  # a tall drawing closing a section: it may not fit below the text
            s = ch.integer(0, n_sections - 1)
            pos = len(sections[s]["blocks"])
        elif where == "late":  # the last section ends with the figure and a short paragraph
            s = n_sections - 1
            pos = len(sections[s]["blocks"])
            sections[s]["blocks"].append(doc.paragraph(citable, [], long=False))
        else:
            s = ch.integer(0, n_sections - 1)
            pos = ch.integer(0, len(sections[s]["blocks"]))
        sections[s]["blocks"].insert(pos, {"figure": fid})
        previous = (s, pos)
        feats.add(f"{kind}-{where}")
    _mention_figures(ch, sections)
    # which blocks the figures ended up next to
    for sec in sections:
        b = sec["blocks"]
        for j, block in enumerate(b):
            if isinstance(block, dict) and "figure" in block:
                nxt = b[j + 1] if j + 1 < len(b) else None
                if "photo" in block["figure"] and isinstance(nxt, str):
                    feats.add("floated-photo")
                if isinstance(nxt, dict) and "figure" in nxt:
                    feats.add("consecutive-figures")
    if sections and isinstance(sections[-1]["blocks"][-1], dict) and "figure" in sections[-1]["blocks"][-1]:
        feats.add("figure-ends-document")

    # citations of the body in reading order, for side fields that may only repeat the body
    body_by_section = _body_citations(sections, figures)

    def side_cites(upto_section: int | None, k: int) -> list[str]:
        if side == "none":
            return []
        if side == "after-body":
            pool = [x for i, ids in enumerate(body_by_section) if upto_section is None or i <= upto_section for x in ids]
            pool = list(dict.fromkeys(pool))
        else:
            pool = citable
        return ch.sample(pool, k) if pool else []

    for i, sec in enumerate(sections):
        bullets = []
        for _ in range(ch.integer(0, 4)):
            text = sentence(ch, ch.integer(4, 10))[:-1]
            for ref in side_cites(i, ch.integer(0, 1)):
                text += f"[^{ref}]"
                doc.side.append((f"sections.{i}.bullets", ref))
            bullets.append(text)
        if bullets:
            sec["bullets"] = bullets
        sec_keys = ["id", "title", "bullets", "blocks"]
        sections[i] = {k: sec[k] for k in sec_keys if k in sec}

    credit = "This synthetic backgrounder was generated for testing."
    if ch.chance(0.2):
        credit += " " + doc.cite(citable, [])
        feats.add("closing-credit-cites")

    long_header = ch.chance(0.15)
    if long_header:
        feats.add("long-header")
    content: dict[str, Any] = {
        "meta": {
            "title": f"The {ch.pick(['Northern', 'Central', 'Eastern'])} Front for Corpus Testing",
            "short_title": "Corpus",
            "slug": _slug(folder.name),
            "series": ch.pick(LONG_SERIES) if long_header else "Synthetic Backgrounder",
            "publisher": ch.pick(LONG_PUBLISHERS) if long_header else "Test Corpus Publisher",
            "publisher_short": "TCP",
            "authors": ["Test Analyst"],
            "date": date(ch),
            "credit": credit,
            "copyright": "Synthetic test content. No rights reserved.",
        },
        "style": {"body_size": ch.pick([9, 10, 10, 11])},
        "pdf": {"paper": paper or ch.pick(["letter", "a4"]), "notes": notes or ch.pick(["endnotes", "footnotes"])},
        "sections": sections,
        "figures": figures,
        "sources": sources,
        "notes": note_specs,
    }
    facts = []
    for _ in range(ch.integer(0, 5)):
        text = sentence(ch, ch.integer(3, 8))[:-1]
        for ref in side_cites(None, ch.integer(0, 1)):
            text += f"[^{ref}]"
            doc.side.append(("facts", ref))
        facts.append({"label": ch.pick(["Formed", "Strength", "Leader", "Area", "Allegiance"]), "text": text})
    if facts:
        content["facts"] = facts
    leaders = []
    for k in range(ch.integer(0, 3)):
        cite = side_cites(None, ch.integer(0, 2))
        doc.side += [("leaders", x) for x in cite]
        leaders.append({"id": f"leader-{k}", "name": f"{ch.pick(FIRST)} ag {ch.pick(SURNAMES)}",
                        "role": "Senior member", "cite": cite})
    if leaders:
        content["leaders"] = leaders
    if ch.chance(0.4):
        cite = side_cites(None, ch.integer(0, 2))
        doc.side += [("merger", x) for x in cite]
        content["merger"] = {"date": "2017-03", "members": [{"name": "Group A"}, {"name": "Group B"}], "cite": cite}
    if ch.chance(0.3):
        content["allegiance"] = [{"group": "Parent Group", "leader": "A. Leader", "title": "Emir"}]
    if any(f["kind"] != "photo" for f in figures) or ch.chance(0.5):
        attacks = []
        for aid, when, place, country, lat, lon in ATTACKS:
            cite = side_cites(None, ch.integer(0, 1))
            doc.side += [("attacks", x) for x in cite]
            attacks.append({"id": aid, "date": when, "place": place, "country": country, "latitude": lat,
                            "longitude": lon, "summary": sentence(ch, 8), "cite": cite})
        content["attacks"] = attacks
        content["places"] = PLACES
    first_body = {x: i for i, x in reversed(list(enumerate(doc.body_cited)))}
    if any(x not in first_body for _, x in doc.side):
        feats.add("side-cites-a-source-the-body-never-cites")
    (folder / "content.yaml").write_text(
        "# Synthetic backgrounder generated by tests/corpus.py: every name, title, URL and image is made up.\n"
        + yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100),
        encoding="utf-8",
    )
    record = {
        "features": sorted(feats),
        "sections": n_sections,
        "figures": [(f["id"], f["kind"]) for f in figures],
        "sources": len(sources),
        "notes": len(note_specs),
        "side_citations": doc.side,
        "pdf": content["pdf"],
    }
    (folder / "generated.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    return folder / "content.yaml"


def _mention_figures(ch: Chooser, sections: list[dict]) -> None:
    """Name each figure in its anchor paragraph, the nearest before it in its section ("Figure 2"),
    or, for a figure that opens its section, the first after it ("Figure 2, above").

    Figures are numbered in the order they stand; `pagecheck` finds the mention in the PDF.
    """
    number = 0
    for sec in sections:
        blocks = sec["blocks"]
        for j, block in enumerate(blocks):
            if not (isinstance(block, dict) and "figure" in block):
                continue
            number += 1
            before = [i for i in range(j) if isinstance(blocks[i], str)]
            if before:
                words = ch.pick(("See Figure {n}.", "The pattern is plain in Figure {n}.", "Compare Figure {n}."))
                blocks[before[-1]] += " " + words.format(n=number)
            else:
                after = next(i for i in range(j + 1, len(blocks)) if isinstance(blocks[i], str))
                blocks[after] = f"As Figure {number}, above, shows, " + blocks[after][0].lower() + blocks[after][1:]


def _slug(name: str) -> str:
    return ("corpus-" + re.sub(r"[^a-z0-9]+", "-", name.lower())).strip("-")[:80]


def _body_citations(sections: list[dict], figures: list[dict]) -> list[list[str]]:
    """Ids cited by each section's blocks (paragraphs, quotes, figure captions and credits), in order."""
    captions = {f["id"]: f.get("caption", "") + " " + f.get("credit", "") for f in figures}
    out = []
    for sec in sections:
        ids: list[str] = []
        for block in sec["blocks"]:
            if isinstance(block, str):
                text = block
            elif "quote" in block:
                text = block["quote"]
            else:
                text = captions[block["figure"]]
            ids += re.findall(r"\[\^([^\]]+)\]", text)
        out.append(ids)
    return out


def backgrounders(folder_factory: Callable[[], Path]):
    """A Hypothesis strategy of content files: ``@given(backgrounders(lambda: Path(mkdtemp())))``."""
    from hypothesis import strategies as st

    @st.composite
    def strategy(draw):
        return make_backgrounder(draw, folder_factory())

    return strategy()


# =========================================================================== building and checking


def build_pdf(content: Path, out_dir: Path, notes: str, paper: str) -> Path:
    """Render only the PDF of `content` into `out_dir` (its figure cache is out_dir/.jnim-export).

    In this process (warm imports); with CORPUS_RUNNER=cli through the command line as a user runs it.
    """
    if os.environ.get("CORPUS_RUNNER") == "cli":
        command = [sys.executable, "-m", "jnim_export.cli", "pdf", str(content), "--out", str(out_dir),
                   "--notes", notes, "--paper", paper, "--force", "--json"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"jnim-export pdf failed ({done.returncode}): {done.stderr or done.stdout}")
        return Path(json.loads(done.stdout)["outputs"][0]["path"])
    from jnim_export.build import Options, build

    settings = {"pdf": {"notes": notes, "paper": paper}}
    report = build(content, ("pdf",), Options(out_dir=out_dir, force=True, settings=settings))
    return report.outputs[0].path


def _share_figure_cache(out_dir: Path, cache: Path | None) -> None:
    """Point the build's figure cache at `cache`, so drawings are made once for many documents."""
    if cache is None:
        return
    state = out_dir / ".jnim-export"
    state.mkdir(parents=True, exist_ok=True)
    link = state / "figures"
    if not link.exists():
        link.symlink_to(cache, target_is_directory=True)




def _one(job: tuple) -> dict:
    """Generate, render and check document `i` (runs in a worker process)."""
    i, seed, notes, paper, base, cache = job
    started = time.perf_counter()
    folder = Path(base) / f"doc-{i:03d}-{notes}-{paper}"
    result = {"i": i, "folder": str(folder), "notes": notes, "paper": paper, "findings": {}, "error": None}
    clock = [(time.perf_counter(), time.process_time())]

    def lap(name):  # wall and CPU seconds of each step
        clock.append((time.perf_counter(), time.process_time()))
        (w0, c0), (w1, c1) = clock[-2:]
        result.setdefault("timing", {})[name] = round(w1 - w0, 3)
        result.setdefault("cpu", {})[name] = round(c1 - c0, 3)

    try:
        content = make_backgrounder(random.Random(f"{seed}-{i}"), folder, notes=notes, paper=paper)
        lap("generate")
        out = Path(base) / "out"
        _share_figure_cache(out, Path(cache) if cache else None)
        pdf = build_pdf(content, out, notes, paper)
        lap("render")
        result["pdf"] = str(pdf)
        import pdfcheck

        reading = pdfcheck.read(pdf)
        result["findings"] = {name: fn(reading) for name, fn in pdfcheck.all_rules().items()}
        result["features"] = json.loads((folder / "generated.json").read_text())["features"] + placed(reading)
        lap("check")
    except Exception:
        result["error"] = traceback.format_exc(limit=3)
    result["seconds"] = time.perf_counter() - started
    return result


def placed(reading) -> list[str]:
    """Where the pages put the hard cases, read from the PDF: a pull quote in the last fifth of a
    page's text frame, or opening a page (moved there whole)."""
    import pagecheck

    out = set()
    for page in reading.pages:
        top, bottom = pagecheck._frame(page)
        for panel in pagecheck._panels(page):
            if (panel.box.y0 - bottom) / (top - bottom) < 0.2:
                out.add("quote-at-page-foot")
            if page.index and not any(x.role == "body" and x.owner is None and x.box.y0 > panel.box.y1 for x in page.runs):
                out.add("quote-opens-page")
    return sorted(out)


# what issue #23 asks the corpus to hold, each in some documents of every run of 100 or more
# (a tuple: any of its cases)
COVERAGE = ("many-photos", "panorama", "pull-quote", "quote-at-page-foot", "quote-opens-page",
            ("chart-section-end", "map-section-end"), "floated-photo", "long-note", "long-header")


def coverage(results: list[dict]) -> dict[str, int]:
    """How many documents hold each case of `COVERAGE`."""
    out = {}
    for case in COVERAGE:
        cases = set(case) if isinstance(case, tuple) else {case}
        out[" or ".join(sorted(cases))] = sum(bool(cases & set(r.get("features", ()))) for r in results)
    return out


def run_corpus(n: int, seed: int, base: Path, cache: Path | None, jobs: int) -> list[dict]:
    base.mkdir(parents=True, exist_ok=True)
    todo = [(i, seed, *MODES[i % len(MODES)], str(base), str(cache) if cache else None) for i in range(n)]
    if jobs <= 1:
        results = [_one(job) for job in todo]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = sorted(pool.imap_unordered(_one, todo), key=lambda r: r["i"])
    _conformance(results)
    return results


def _conformance(results: list[dict]) -> None:
    """Every SAMPLE-th document through page-validation, here and not in the workers: the checker
    starts threads, and a process forked from one that has them can deadlock in it."""
    if importlib.util.find_spec("page") is None:
        return
    import conformcheck
    for r in results:
        if r["i"] % SAMPLE == 0 and r.get("pdf") and not r["error"]:
            r["findings"][CONFORMANCE] = conformcheck.failures(Path(r["pdf"]))


def summarise(results: list[dict], *, examples: int = 4) -> str:
    """Per rule: how many documents fail it, and the first problems of a few of them."""
    lines = []
    failing = [r for r in results if r["error"] or any(r["findings"].values())]
    lines.append(f"{len(failing)} of {len(results)} documents have problems")
    for r in results:
        if r["error"]:
            lines.append(f"  {Path(r['folder']).name}: could not be built or read:\n{r['error']}")
    import pdfcheck

    rules = list(pdfcheck.all_rules()) + [CONFORMANCE]
    for rule in rules:
        docs = [r for r in results if r["findings"].get(rule)]
        if not docs:
            lines.append(f"rule {rule}: no problems")
            continue
        by_mode = Counter(f"{r['notes']}/{r['paper']}" for r in docs)
        count = sum(len(r["findings"][rule]) for r in docs)
        lines.append(f"rule {rule}: {len(docs)} documents, {count} problems "
                     f"({', '.join(f'{k} {v}' for k, v in sorted(by_mode.items()))})")
        kinds = Counter(_kind(p) for r in docs for p in r["findings"][rule])
        lines.append("  kinds: " + "; ".join(f"{k} \u00d7{v}" for k, v in kinds.most_common()))
        for r in docs[:examples]:
            lines.append(f"  {Path(r['folder']).name}:")
            for p in r["findings"][rule][:4]:
                lines.append(f"    {p}")
    modes = Counter(f"{r['notes']}/{r['paper']}" for r in results)
    lines.append("covered: " + ", ".join(f"{k} {v}" for k, v in sorted(modes.items())) + "; "
                 + ", ".join(f"{k} {v}" for k, v in coverage(results).items()))
    return "\n".join(lines)


def _kind(problem: str) -> str:
    """A problem without its particulars, to count problems of a kind."""
    text = re.sub(r"^page \d+: ", "", problem)
    text = re.sub(r" \(page \d+, after \u2026.*\)(?=: |$)", "", text)  # where a callout stands
    text = re.sub(r" after \u2026.*$", "", text)  # the text before a callout
    text = re.sub(r": \u201c.*$", "", text) if text.startswith("note") else text  # a note's text
    text = re.sub(r"\u201c.*?\u201d(?= (?:and|is|runs|starts|reaches|overprint))", "\u201c\u2026\u201d", text)
    text = re.sub(r"\u201c[^\u201d]*\u201d", "\u201c\u2026\u201d", text)
    text = re.sub(r"\([\d., ]+\)", "", text)
    text = re.sub(r"Q\d+", "Q#", text)
    text = re.sub(r"\d+(\.\d+)?(\s*\u2013\s*\d+)?", "#", text)
    text = re.sub(r"(\u2026 )?(#, )+#( \u2026)?", "\u2026", text)
    return re.sub(r"\s+", " ", text).strip()[:90]


def main(argv: list[str] | None = None) -> int:
    """Generate, build and check N backgrounders; print what is wrong, by rule (exit 1 if anything)."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m tests.corpus", description=main.__doc__)
    parser.add_argument("--count", type=int, default=100, help="documents (modes and papers in turn)")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--keep", type=Path, help="keep contents, PDFs and the report in this folder")
    parser.add_argument("--cache", type=Path, help="figure cache to share (default: one in the folder)")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="jnim-corpus-"))
    if args.keep and base.exists():
        shutil.rmtree(base)
    cache = args.cache or base / "figures"
    cache.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = run_corpus(args.count, args.seed, base, cache, args.jobs)
    summary = summarise(results) + (f"\n{args.count} documents in {time.perf_counter() - started:.1f} s "
                                    f"with {args.jobs} worker(s); kept in {base}" if args.keep else "")
    (base / "report.txt").write_text(summary + "\n", encoding="utf-8")
    (base / "findings.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(summary)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return int(any(r["error"] or any(r["findings"].values()) for r in results))


if __name__ == "__main__":  # python -m tests.corpus --count 1000 (from the project root)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
