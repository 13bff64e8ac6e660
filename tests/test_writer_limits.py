"""What the writers need is checked while validating (`jnim_export.limits`), so what validates
builds: each case here once stopped a build after `validate` had passed it. Images are embedded
upright and at most at print size.

Content and images are synthetic, made by the tests.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from jnim_export import images, limits
from jnim_export.cli import main
from jnim_export.content.writerlimits import ems

BASE = (Path(__file__).parent / "data" / "broken" / "_base.yaml").read_text(encoding="utf-8")
AGGREGATE = Path(__file__).parents[1] / "assets" / "data" / "jnim-mali-2017-2019-initiated.json"


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "content.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def refused(file: Path, *expected: str) -> str:
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for message in expected:
        assert f"{file}:{message}" in result.output, result.output
    return result.output


def build(file: Path, out: Path, *args: str):
    result = CliRunner().invoke(main, ["build", str(file), "--out", str(out), "--quiet", *args])
    assert "Traceback" not in result.output and "unexpected error" not in result.output, result.output
    return result


def test_deck_properties_over_255_characters(tmp_path):
    text = BASE.replace("  title: Test Backgrounder\n", "  title: " + "T" * 256 + "\n")
    text = text.replace("  authors: [A. Author]", "  authors: [" + ", ".join(["An Author Named %02d" % i for i in range(14)]) + "]")
    text = text.replace("  copyright: ©2020 Test Institute", "  copyright: ©2020 Test Institute\n  keywords: ["
                        + ", ".join("keyword%02d" % i for i in range(25)) + "]\n  subject: " + "s" * 300)
    refused(write(tmp_path, text),
            "2:10: meta.title: 256 characters; the deck's title property is limited to 255 (PowerPoint's limit)",
            "8:12: meta.authors: 278 characters together; the deck's author property is limited to 255",
            "12:13: meta.keywords: 273 characters together; the deck's keywords property is limited to 255",
            "13:12: meta.subject: 300 characters; the deck's subject property is limited to 255")


def test_emphasis_nested_deeper_than_the_writers_recurse(tmp_path):
    deep = "*" * 501 + "x" * 5 + "*" * 501
    text = BASE.replace("      - The group was designated in 2019.[^unsc-2018]", f"      - '{deep}'\n      - The group.[^unsc-2018]")
    refused(write(tmp_path, text), f"16:9: sections.0.blocks.0: emphasis and links nested 251 deep; text is limited to "
                                   f"{limits.MARKUP_DEPTH}")


@pytest.mark.slow
def test_the_deepest_emphasis_allowed_builds(tmp_path):
    deep = "*" * (2 * limits.MARKUP_DEPTH) + "x" + "*" * (2 * limits.MARKUP_DEPTH)  # strong in strong, 20 deep
    text = BASE.replace("      - The group was designated in 2019.[^unsc-2018]", f"      - 'a {deep}[^unsc-2018]'")
    file = write(tmp_path, text)
    assert CliRunner().invoke(main, ["validate", str(file)]).exit_code == 0
    assert build(file, tmp_path / "out").exit_code == 0


def test_more_key_attacks_than_the_outputs_take(tmp_path):
    attacks = "".join(f"  - {{id: a{i}, date: 2019-01, place: P{i}, country: Mali, latitude: 15, longitude: -2, "
                      f"summary: S.}}\n" for i in range(limits.ATTACKS + 1))
    text = BASE + "attacks:\n" + attacks
    line = BASE.count("\n") + 2 + limits.ATTACKS
    refused(write(tmp_path, text), f"{line}:5: attacks.{limits.ATTACKS}: over {limits.ATTACKS} key attacks; a document "
                                   f"is limited to {limits.ATTACKS}, each labelled on the maps and listed on a slide")


def _photo(tmp_path: Path, caption: str, *, body_size: float = 10) -> Path:
    (tmp_path / "assets").mkdir(exist_ok=True)
    Image.new("RGB", (200, 800), "grey").save(tmp_path / "assets" / "tall.jpg")  # as tall as a photo may be set
    text = BASE.replace("    caption: A portrait.\n", f"    caption: '{caption}'\n    image: assets/tall.jpg\n")
    text = text.replace("sections:", f"style:\n  body_size: {body_size}\nsections:")
    text = text.replace("      - figure: photo\n", "      - figure: photo\n      - Text beside the photo.[^unsc-2018]\n")
    return write(tmp_path, text)


def test_a_caption_too_long_for_a_page(tmp_path):
    file = _photo(tmp_path, "W" * 1_000)
    refused(file, f"24:14: figures.0.caption: the caption and credit set {round(ems('W' * 1_000)):,} ems wide; to fit "
                  f"under the figure on one page they are limited to {limits.CAPTION_EMS} (about {2 * limits.CAPTION_EMS:,} characters")


def _longest_caption(unit: str) -> str:
    caption = ""
    while ems(caption + unit + "[^unsc-2018]") <= limits.CAPTION_EMS:
        caption += unit
    return caption + "[^unsc-2018]"


@pytest.mark.slow
@pytest.mark.parametrize("notes", [False, True])
@pytest.mark.parametrize("unit", ["WWWW ", "W"])  # wide words, and one unbroken word
def test_the_longest_caption_allowed_builds_at_the_largest_size(tmp_path, unit, notes):
    """At the largest body size, floated beside text, with footnotes; with `notes`, after a line
    citing five notes of 20,000 characters, whose rests fill the foot of the figure's page."""
    file = _photo(tmp_path, _longest_caption(unit), body_size=16)
    if notes:
        long = ("Lorem ipsum dolor sit amet. " * 800)[:20_000].strip()
        text = file.read_text(encoding="utf-8").replace(
            "      - The group was designated in 2019.[^unsc-2018]",
            "      - The group was designated.[^n0][^n1][^n2][^n3][^n4][^unsc-2018]")
        file.write_text(text + "notes:\n" + "".join(f"  - {{id: n{i}, text: '{long}'}}\n" for i in range(5)),
                        encoding="utf-8")
    assert CliRunner().invoke(main, ["validate", str(file)]).exit_code == 0
    for paper in ("a4", "letter"):
        result = build(file, tmp_path / paper, "--paper", paper, "--notes", "footnotes")
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("key, kind, expected", [
    ("monthly", "chart", "24:56: figures.1.data: a chart figure must have numbers to show: it has no month of data in its window"),
    ("locations", "regions", "24:60: figures.1.data: a regions figure must have numbers to show: it has no events in its data"),
])
def test_an_aggregate_with_an_empty_list_is_refused_where_a_figure_needs_it(tmp_path, key, kind, expected):
    """Once it validated and then stopped the deck ("chart data contains no categories")."""
    agg = json.loads(AGGREGATE.read_text(encoding="utf-8"))
    agg[key] = []
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "agg.json").write_text(json.dumps(agg))
    text = BASE.replace("      - figure: photo\n", f"      - figure: photo\n      - figure: {kind}\n")
    text = text.replace("sources:", f"  - {{id: {kind}, kind: {kind}, caption: c, alt: a, data: assets/agg.json}}\nsources:")
    refused(write(tmp_path, text), expected)


@pytest.mark.parametrize("url, expected", [
    ("https://undocs.org/S/2018 705", "it holds a space (write it %-encoded, as %20)"),
    ("https:///S/2018/705", "it names no host after '//'"),
    ("http://[::1/x", "Invalid IPv6 URL"),
])
def test_a_url_that_is_no_link_is_refused(tmp_path, url, expected):
    text = BASE.replace("https://undocs.org/S/2018/705", f"'{url}'")
    refused(write(tmp_path, text), f"28:10: sources.0.url: '{url}' is not a valid link: {expected}")


def test_a_png_too_large_to_decode_at_print_size(tmp_path):
    (tmp_path / "assets").mkdir()
    Image.new("L", (4_001, 4_000)).save(tmp_path / "assets" / "big.png")
    text = BASE.replace("    alt: A portrait.\n", "    alt: A portrait.\n    image: assets/big.png\n")
    refused(write(tmp_path, text), "23:12: figures.0.image: image 'assets/big.png' is 4,001 × 4,000 pixels; PNGs are "
                                   "limited to 16 megapixels (a JPEG may have 40)")


# --------------------------------------------------------------------------- images as embedded


def _turned_jpeg(path: Path, size=(600, 400), orientation: int = 6) -> Path:
    """A landscape JPEG, red in its top-left corner, whose EXIF says: turn me to be upright."""
    img = Image.new("RGB", size, "white")
    img.paste((220, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x0112] = orientation
    img.save(path, quality=95, exif=exif.tobytes())
    return path


def test_exif_orientation_is_applied(tmp_path):
    prepared = images.prepared(_turned_jpeg(tmp_path / "t.jpg"))
    assert (prepared.width, prepared.height, prepared.mime) == (400, 600, "image/jpeg")
    with Image.open(prepared.stream()) as img:
        assert img.size == (400, 600)
        assert img.getpixel((390, 10))[0] > 200 and img.getpixel((10, 10))[1] > 200  # red now top right
        assert img.getexif().get(0x0112, 1) == 1


def test_large_images_are_decoded_at_print_size_and_small_upright_ones_kept(tmp_path):
    Image.new("RGB", (7_000, 5_000), "white").save(tmp_path / "big.jpg", quality=70)
    prepared = images.prepared(tmp_path / "big.jpg")
    assert max(prepared.width, prepared.height) == limits.PRINT_PIXELS
    Image.new("RGB", (300, 200), "white").save(tmp_path / "small.png")
    assert images.prepared(tmp_path / "small.png").data == (tmp_path / "small.png").read_bytes()


@pytest.mark.slow
def test_every_writer_embeds_the_photo_upright(tmp_path):
    if not shutil.which("pdfimages"):
        pytest.skip("pdfimages (poppler-utils) is not installed")
    (tmp_path / "assets").mkdir()
    _turned_jpeg(tmp_path / "assets" / "t.jpg")
    text = BASE.replace("    alt: A portrait.\n", "    alt: A portrait.\n    image: assets/t.jpg\n")
    file = write(tmp_path, text)
    assert build(file, tmp_path / "out").exit_code == 0
    listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "out" / "test-backgrounder.pdf")],
                             capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert [tuple(map(int, row.split()[3:5])) for row in listing if row.split()[2] == "image"] == [(400, 600)]
    from pptx import Presentation

    prs = Presentation(str(tmp_path / "out" / "test-backgrounder.pptx"))
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == 13]
    assert [p.image.size for p in pictures] == [(400, 600)]
    with Image.open(io.BytesIO(pictures[0].image.blob)) as img:
        assert img.getpixel((390, 10))[0] > 200


@pytest.mark.slow
@pytest.mark.parametrize("when", ["0001-01-01", "9999-12-31"])
def test_any_date_validate_takes_builds(tmp_path, when):
    """The deck is a zip, whose dates run from 1980 to 2107: its members' times are held inside."""
    file = write(tmp_path, BASE.replace('  date: "2020"', f'  date: "{when}"'))
    assert CliRunner().invoke(main, ["validate", str(file)]).exit_code == 0
    assert build(file, tmp_path / "out").exit_code == 0


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["Lorem ipsum dolor sit amet. ", "W", "—"])
def test_five_notes_of_20000_characters_cited_at_once_build_as_footnotes(tmp_path, unit):
    """Found by fuzzing: each note took up to the cap, together more than the page, and the PDF
    stopped ("too large on page 4", "more than 10 pages without content")."""
    long = (unit * (20_000 // len(unit)))[:20_000].strip()
    notes = "notes:\n" + "".join(f"  - {{id: n{i}, text: '{long}'}}\n" for i in range(5))
    text = BASE.replace("      - The group was designated in 2019.[^unsc-2018]",
                        "      - The group was designated.[^n0][^n1][^n2][^n3][^n4][^unsc-2018]") + notes
    file = write(tmp_path, text)
    for paper in ("a4", "letter"):
        result = build(file, tmp_path / paper, "--notes", "footnotes", "--paper", paper)
        assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_a_title_filling_the_first_page_then_drawn_figures_and_a_long_quote(tmp_path):
    """Found by fuzzing (the issue's "long unbroken quote: AttributeError"): the figures waiting
    for a page's top did not fit there, and ReportLab set them after it had ended the page."""
    import shutil

    (tmp_path / "assets" / "data").mkdir(parents=True)
    shutil.copy(AGGREGATE, tmp_path / "assets" / "data" / "agg.json")
    kinds = ("chart", "fatalities", "map")
    text = BASE.replace("  title: Test Backgrounder\n", "  title: '" + ("WWWWWWWW " * 29)[:255].strip() + "'\n")
    text = text.replace("      - figure: photo\n", "      - figure: photo\n" + "".join(f"      - figure: {k}\n" for k in kinds)
                        + "      - quote: '" + "—" * 3_000 + "'\n")
    text = text.replace("sources:", "".join(f"  - {{id: {k}, kind: {k}, caption: c, alt: a, data: assets/data/agg.json}}\n"
                                            for k in kinds) + "sources:")
    file = write(tmp_path, text)
    result = build(file, tmp_path / "out")
    assert result.exit_code == 0, result.output
    import subprocess as sp

    if shutil.which("pdftotext"):
        words = sp.run(["pdftotext", str(tmp_path / "out" / "test-backgrounder.pdf"), "-"], capture_output=True,
                       text=True, check=True).stdout
        assert [f"Figure {n}" in words for n in range(1, 5)] == [True] * 4  # every figure set, none lost
