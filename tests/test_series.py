"""A series: several backgrounders built at once, a shared figure cache, one summary, and a site."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pptx import Presentation
from pypdf import PdfReader

from jnim_export.cli import main
from jnim_export.render import WRITERS
from jnim_export.series import Edition
from jnim_export.site import INDEX, MANIFEST, write_site
from nucheck import assert_valid

SECOND = Path(__file__).parent / "data" / "second" / "content.yaml"
PROJECT = Path(__file__).resolve().parents[1]


def edition_folder(root: Path, name: str, slug: str, title: str | None = None) -> Path:
    """A copy of the second test backgrounder in root/name, its slug (and title) changed."""
    folder = root / name
    folder.mkdir(parents=True)
    text = SECOND.read_text(encoding="utf-8").replace("slug: exm-backgrounder", f"slug: {slug}")
    if title is not None:
        text = text.replace("title: The Example Movement (EXM)", f"title: {title}")
    (folder / "content.yaml").write_text(text, encoding="utf-8")
    return folder / "content.yaml"


class Links(HTMLParser):
    """The index's table rows: each row's cell texts and link targets."""

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self.lang = None
        self.headings: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "tr":
            self.rows.append({"cells": [], "links": []})
        if tag in ("td", "th") and self.rows:
            self.rows[-1]["cells"].append("")
        if tag == "a" and self.rows:
            self.rows[-1]["links"].append(a["href"])
        if tag in ("h1", "h2"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.headings.append(data)
        elif self.rows and self.rows[-1]["cells"]:
            self.rows[-1]["cells"][-1] += data


def read_index(site: Path) -> Links:
    parser = Links()
    parser.feed((site / INDEX).read_text(encoding="utf-8"))
    return parser


@pytest.mark.slow
def test_series_builds_each_into_its_own_folder_sharing_one_figure_cache_and_a_site(tmp_path):
    jnim = tmp_path / "jnim"
    jnim.mkdir()
    shutil.copy(PROJECT / "content.yaml", jnim / "content.yaml")
    shutil.copytree(PROJECT / "assets", jnim / "assets")
    contents = [jnim / "content.yaml", edition_folder(tmp_path, "a", "alpha"), edition_folder(tmp_path, "b", "alpha")]
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", *map(str, contents), "--jobs", "2", "--site", str(site), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["status"] == "ok" and [b["status"] for b in report["builds"]] == ["ok"] * 3
    # each built into output/ beside its content, every output a real document
    for content, build in zip(contents, report["builds"]):
        paths = {o["target"]: Path(o["path"]) for o in build["outputs"]}
        assert set(paths) == {w.name for w in WRITERS}
        assert all(p.parent == content.parent / "output" for p in paths.values())
        assert len(PdfReader(paths["pdf"]).pages) == next(o["pages"] for o in build["outputs"] if o["target"] == "pdf")
        assert len(Presentation(str(paths["slides"])).slides) >= 3
    # the drawings are in the series' one cache, none in a build's own
    cache = Path(report["figure_cache"])
    assert cache == tmp_path / ".jnim-export" / "figures"
    assert len(list(cache.glob("*.svg"))) >= 2
    assert not list((jnim / "output" / ".jnim-export" / "figures").iterdir())
    # the site: every edition listed once, in order, with a link to each of its files, all there
    index = read_index(site)
    assert index.lang == "en" and index.headings
    rows = index.rows[1:]  # the header row first
    assert [r["cells"][0] for r in rows] == ["Jama'at Nasr al-Islam wal Muslimin (JNIM)",
                                             "The Example Movement (EXM)", "The Example Movement (EXM)"]
    assert [r["cells"][2] for r in rows] == ["2018", "2021-11", "2021-11"]
    folders = [{Path(link).parent for link in r["links"]} for r in rows]
    assert all(len(f) == 1 for f in folders) and len({f.pop() for f in folders}) == 3, "a folder each, slugs shared"
    for row, content in zip(rows, contents):
        assert len(row["links"]) == len(WRITERS)
        for link in row["links"]:
            copied = site / link
            assert copied.read_bytes() == (content.parent / "output" / copied.name).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".jnim-export", "a", "b", "jnim", "site"]
    assert_valid(site / INDEX)


@pytest.mark.slow
def test_a_failed_backgrounder_changes_nothing_of_its_own_and_stops_none_of_the_others(tmp_path):
    good, bad = edition_folder(tmp_path, "good", "good"), edition_folder(tmp_path, "bad", "bad")
    site = tmp_path / "site"
    assert CliRunner().invoke(main, ["build", str(good), str(bad), "--site", str(site)]).exit_code == 0
    before = {p: p.read_bytes() for p in (bad.parent / "output").glob("bad.*")}
    site_before = {p: p.read_bytes() for p in (site / "bad").iterdir()}
    assert len(before) == len(WRITERS)
    bad.write_text(bad.read_text(encoding="utf-8").replace("date: 2021-11", "date: 2021-13"), encoding="utf-8")
    good.write_text(good.read_text(encoding="utf-8").replace("Jane Analyst", "Jane Analyste"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(bad), str(good), "--jobs", "2", "--site", str(site)])
    assert result.exit_code == 1
    assert f"{bad}:" in result.output and "2021-13" in result.output
    assert "1 of 2 backgrounders built, 1 failed" in result.output
    assert {p: p.read_bytes() for p in (bad.parent / "output").glob("bad.*")} == before
    assert {p: p.read_bytes() for p in (site / "bad").iterdir()} == site_before, "its earlier copy stays"
    assert b"Jane Analyste" in (site / "good" / "good.html").read_bytes(), "the other one was built and copied"
    assert [r["cells"][0] for r in read_index(site).rows[1:]] == ["The Example Movement (EXM)"] * 2


def test_a_series_refuses_one_output_folder_and_two_contents_in_one_folder(tmp_path):
    a, b = edition_folder(tmp_path, "a", "a"), edition_folder(tmp_path, "b", "b")
    out = CliRunner().invoke(main, ["build", str(a), str(b), "--out", str(tmp_path / "out")])
    assert out.exit_code == 2 and "--out" in out.output
    twice = CliRunner().invoke(main, ["build", str(a), str(a)])
    assert twice.exit_code == 2 and "given twice" in twice.output
    assert not (tmp_path / "a" / "output").exists() and not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- the site alone

def fake_edition(folder: Path, slug: str, title: str = "T", group: str = "G", date: str = "2024-05") -> Edition:
    """Outputs that are only bytes: what the site does with them does not depend on what they hold."""
    (folder / "output").mkdir(parents=True, exist_ok=True)
    files = []
    for w in WRITERS:
        path = folder / "output" / f"{slug}{w.suffix}"
        path.write_bytes(f"{slug} {w.name}".encode())
        files.append((w.name, path))
    return Edition(title, group, date, "en-GB", slug, tuple(files))


def test_site_keeps_what_it_did_not_write_and_drops_what_it_no_longer_lists(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "README.txt").write_text("the institute's own file")
    a, b = tmp_path / "a" / "content.yaml", tmp_path / "b" / "content.yaml"
    write_site(site, [(a, fake_edition(a.parent, "alpha")), (b, fake_edition(b.parent, "beta"))], WRITERS)
    assert (site / "beta" / "beta.pdf").read_bytes() == b"beta pdf"
    write_site(site, [(a, fake_edition(a.parent, "alpha"))], WRITERS)
    assert not (site / "beta").exists()
    assert (site / "README.txt").read_text() == "the institute's own file"
    assert sorted(p.name for p in site.iterdir()) == [MANIFEST, "README.txt", "alpha", INDEX]
    assert not any(p.name.endswith(".tmp") for p in site.rglob("*"))


def test_site_refuses_to_write_through_a_link(tmp_path):
    from jnim_export.site import SiteError

    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / "alpha").symlink_to(outside)
    a = tmp_path / "a" / "content.yaml"
    with pytest.raises(SiteError, match="never through a link"):
        write_site(site, [(a, fake_edition(a.parent, "alpha"))], WRITERS)
    assert list(outside.iterdir()) == []


text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=30, deadline=None)
@given(title=text, group=text)
def test_index_shows_any_title_and_group_as_text(tmp_path_factory, title, group):
    tmp = tmp_path_factory.mktemp("site")
    a = tmp / "a" / "content.yaml"
    write_site(tmp / "site", [(a, fake_edition(a.parent, "alpha", title, group))], WRITERS)
    row = read_index(tmp / "site").rows[1]
    assert row["cells"][0] == title and row["cells"][1] == group
    assert row["links"] == [f"alpha/alpha{w.suffix}" for w in WRITERS]
