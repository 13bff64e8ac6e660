"""Hostile and malformed content: every problem a clear FILE:LINE:COLUMN message, never a traceback.

Each case states the messages it expects. Heavier guard-rail checks (10 MB files measured in a
subprocess for time and memory, a build from checked images) are marked `slow`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from jnim_export.cli import main
from jnim_export.content import ContentError, load

BASE = (Path(__file__).parent / "data" / "broken" / "_base.yaml").read_text(encoding="utf-8")
BASE_LINES = BASE.count("\n")  # text appended to BASE starts on the next line
SUMMARY = re.compile(r"^\d[\d,]* errors?; nothing was written\.$")
DATE_FORMS = "write a year (2018), a year and month (2018-05) or a full date (2018-05-03)"


def validate(file: Path):
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def assert_refused(file: Path, *expected: str) -> str:
    """Exit code 1, each line a positioned message, and each `expected` ("LINE:COL: ...") among them."""
    result = validate(file)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert SUMMARY.match(lines[-1]), result.output
    for line in lines[:-1]:
        assert re.match(rf"{re.escape(str(file))}:(\d+:\d+:)? ", line), line
    for message in expected:
        assert f"{file}:{message}" in result.output, result.output
    return result.output


def write(tmp_path: Path, text: str, name: str = "content.yaml") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


def base_with(**replacements: str) -> str:
    text = BASE
    for old, new in replacements.items():
        old = old.replace("__", " ")
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


N = BASE_LINES + 1  # the first line of text appended to BASE

# name -> (file text, expected messages)
CASES: dict[str, tuple[str, list[str]]] = {
    # ---------------------------------------------------------------- YAML features refused with a message
    "merge-key": (BASE + "<<: {a: 1}\n", [f"{N}:1: merge keys ('<<') are not supported"]),
    "merge-key-nested": (
        base_with(**{"  title: Test Backgrounder\n": "  <<: {title: x}\n  title: Test Backgrounder\n"}),
        ["2:3: meta: merge keys ('<<') are not supported"],
    ),
    "python-tag-key": (
        BASE + "!!python/object:os.system x: 1\n",
        [f"{N}:1: tag '!!python/object:os.system' is not supported"],
    ),
    "python-tag-value": (
        BASE + "x: !!python/object/apply:os.system [echo]\n",
        [f"{N}:4: x: tag '!!python/object/apply:os.system' is not supported"],
    ),
    "set-tag": (BASE + "x: !!set {a, b}\n", [f"{N}:4: x: tag '!!set' is not supported"]),
    "binary-tag": (BASE + "x: !!binary aGVsbG8=\n", [f"{N}:4: x: tag '!!binary' is not supported"]),
    "local-tag": (BASE + "x: !thing 1\n", [f"{N}:4: x: tag '!thing' is not supported"]),
    "date-key": (BASE + "2018-02-30: x\n", [f"{N}:1: 2018-02-30: unknown field '2018-02-30'"]),
    "bad-int": (BASE + "x: !!int abc\n", [f"{N}:4: x: invalid integer 'abc'"]),
    "bad-float": (BASE + "x: !!float abc\n", [f"{N}:4: x: invalid number 'abc'"]),
    "bad-bool": (BASE + "x: !!bool maybe\n", [f"{N}:4: x: invalid boolean 'maybe': write true or false"]),
    "huge-int": (BASE + "x: " + "9" * 5_000 + "\n", [f"{N}:4: x: integer of 5,000 characters is too long"]),
    "huge-int-tagged": (BASE + "x: !!int " + "1" * 5_000 + "\n", [f"{N}:4: x: integer of 5,000 characters is too long"]),
    "collection-key": (BASE + "? [a, b]\n: 1\n", [f"{N}:3: mapping keys must be plain text"]),
    "mapping-key": (BASE + "{a: 1}: 1\n", [f"{N}:1: mapping keys must be plain text"]),
    "long-key": (BASE + "k" * 300 + ": 1\n", [f"{N}:1: a key of 300 characters; keys are limited to 200"]),
    "undefined-alias": (BASE + "x: *nowhere\n", [f"{N}:4: x: undefined alias '*nowhere'"]),
    "recursive-alias": (BASE + "x: &a [1, *a]\n", [f"{N}:11: x.1: alias '*a' refers to a value that contains it"]),
    "second-document": (BASE + "---\nmeta: {}\n", [f"{N}:1: a content file holds one YAML document; a second one starts here"]),
    "duplicate-key-via-alias": (
        base_with(**{"  title: Test Backgrounder\n": "  title: &t Test Backgrounder\n  *t : x\n"}),
        ["3:3: meta.Test Backgrounder: unknown field 'Test Backgrounder'"],
    ),
    # ---------------------------------------------------------------- whole-document shape
    "no-sections": (BASE.split("sections:")[0], ["1:1: missing required field 'sections'"]),
    "sections-not-a-list": (
        BASE.split("sections:")[0] + "sections: 5\n",
        ["12:11: sections: Input should be a valid list (got int)"],
    ),
    "empty-file": ("", ["1:1: content must be a mapping with meta, sections, ..."]),
    "comments-only": ("# nothing\n", ["1:1: content must be a mapping with meta, sections, ..."]),
    "a-list": ("- a\n", ["1:1: content must be a mapping with meta, sections, ..."]),
    "bad-block": (
        base_with(**{"      - figure: photo\n": "      - figure: photo\n      - 5\n"}),
        ["18:9: sections.0.blocks.2: a block is a paragraph (text), or one of {paragraph: ...}"],
    ),
    "bad-block-key": (
        base_with(**{"      - figure: photo\n": "      - figure: photo\n        size: 3\n"}),
        ["18:9: sections.0.blocks.1.size: unknown field 'size'"],
    ),
    # ---------------------------------------------------------------- characters
    "raw-control-character": (
        base_with(**{"title: Test Backgrounder": "title: Test\x01Backgrounder"}),
        ["2:14: control character U+0001 is not allowed"],
    ),
    "raw-control-characters-all-reported": (
        base_with(**{"title: Test Backgrounder": "title: Test\x01Backgrounder", "series: Terrorism": "series: \x7fTerrorism"}),
        ["2:14: control character U+0001 is not allowed", "5:11: control character U+007F is not allowed"],
    ),
    "raw-nul": (BASE + "x: a\x00b\n", [f"{N}:5: control character U+0000 is not allowed"]),
    "raw-c1": (BASE + "x: a\x85b\n", [f"{N}:5: next-line character U+0085 is not allowed"]),
    "raw-line-separator": (BASE + "x: a\u2028b\n", [f"{N}:5: line separator U+2028 is not allowed"]),
    "raw-non-character": (BASE + "x: a\uffffb\n", [f"{N}:5: non-character U+FFFF is not allowed"]),
    "escaped-control-in-paragraph": (
        base_with(**{"      - The group was designated in 2019.[^unsc-2018]": '      - "Bell \\a [^unsc-2018]"'}),
        ["16:9: sections.0.blocks.0: a control character (U+0007) is not allowed"],
    ),
    "escaped-escape-in-title": (
        base_with(**{"title: Test Backgrounder": 'title: "\\e[31mred"'}),
        ["2:10: meta.title: a control character (U+001B) is not allowed"],
    ),
    "escaped-nul-in-title": (
        base_with(**{"title: Test Backgrounder": 'title: "a\\0b"'}),
        ["2:10: meta.title: a control character (U+0000) is not allowed"],
    ),
    "escaped-non-character": (
        base_with(**{"title: Test Backgrounder": 'title: "a\\uFFFEb"'}),
        ["2:10: meta.title: the non-character U+FFFE is not allowed"],
    ),
    "escaped-lone-surrogate": (
        base_with(**{"title: Test Backgrounder": 'title: "\\ud800"'}),
        ["2:13: YAML syntax error: found invalid Unicode character escape code"],
    ),
    "bidi-override-in-title": (
        base_with(**{"title: Test Backgrounder": "title: Test \u202eBackgrounder"}),
        ["2:15: meta.title: a bidirectional control character (U+202E) is not allowed in a single-line field"],
    ),
    "bidi-isolate-in-url": (
        base_with(**{"url: https://undocs.org/S/2018/705": 'url: "https://undocs.org/\\u2066S/2018/705"'}),
        ["28:10: sources.0.url: a bidirectional control character (U+2066) is not allowed in a single-line field"],
    ),
    "line-break-in-title": (
        base_with(**{"title: Test Backgrounder": 'title: "Test\\nBackgrounder"'}),
        ["2:10: meta.title: a line break is not allowed in a single-line field"],
    ),
    "tab-in-name": (
        base_with(**{"title: Test Backgrounder": 'title: "Test\\tBackgrounder"'}),
        ["2:10: meta.title: a tab is not allowed in a single-line field"],
    ),
    "control-in-key-is-printed-escaped": (BASE + '"\\e[2J": 1\n', [f"{N}:1: \\x1b[2J: unknown field '\\x1b[2J'"]),
    # ---------------------------------------------------------------- text limits
    "title-too-long": (
        base_with(**{"title: Test Backgrounder": "title: " + "T" * 501}),
        ["2:10: meta.title: text of 501 characters is too long; the limit is 500"],
    ),
    "paragraph-too-long": (
        base_with(**{"      - The group was designated in 2019.[^unsc-2018]": "      - " + "word " * 4_000 + "x[^unsc-2018]"}),
        ["16:9: sections.0.blocks.0: paragraph of 20,013 characters is too long; the limit is 20,000"],
    ),
    "caption-too-long": (
        base_with(**{"caption: A portrait.": "caption: " + "c" * 2_001}),
        ["21:14: figures.0.caption: text of 2,001 characters is too long; the limit is 2,000"],
    ),
    "url-too-long": (
        base_with(**{"url: https://undocs.org/S/2018/705": "url: https://undocs.org/" + "s" * 2_000}),
        ["28:10: sources.0.url: URL of 2,019 characters is too long; the limit is 2,000"],
    ),
    "empty-title": (base_with(**{"title: Test Backgrounder": 'title: ""'}), ["2:10: meta.title: must not be empty"]),
    "value-in-message-is-shortened": (
        base_with(**{"date: 2018-07-27": "date: " + "9" * 90}),
        ["27:11: sources.0.date: invalid date '" + "9" * 59 + "…': " + DATE_FORMS],
    ),
    "long-bad-date-is-shortened": (
        base_with(**{"date: 2018-07-27": "date: x" + "y" * 500}),
        ["27:11: sources.0.date: invalid date 'x" + "y" * 58 + "…': " + DATE_FORMS],
    ),
    # ---------------------------------------------------------------- later items keep their own index
    "second-item-keeps-its-index": (
        BASE + "leaders:\n  - {id: a, name: '', role: R}\n  - {id: b, name: B, role: R, cite: [nope]}\n",
        [f"{N + 1}:19: leaders.0.name: must not be empty", f"{N + 2}:38: leaders.1.cite.0: undefined note or source 'nope'"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_content_is_reported_with_position(tmp_path, name):
    text, expected = CASES[name]
    assert_refused(write(tmp_path, text), *expected)


def test_not_utf8_reports_line_and_column(tmp_path):
    file = tmp_path / "content.yaml"
    file.write_bytes(BASE.encode() + b"x: caf\xe9\n")
    assert_refused(file, f"{N}:7: file is not valid UTF-8 (byte 0xe9)")


def test_crlf_line_ends_keep_positions(tmp_path):
    file = tmp_path / "content.yaml"
    file.write_bytes(base_with(**{"  title: Test Backgrounder\n": "  title: Test Backgrounder\n  titel: x\n"}).replace("\n", "\r\n").encode())
    assert_refused(file, "3:3: meta.titel: unknown field 'titel'; did you mean 'title'?")


def test_bidi_and_tabs_are_allowed_in_paragraphs(tmp_path):
    text = base_with(**{"      - The group was designated in 2019.": '      - "Arabic \\u202bنص\\u202c and\\ta tab. [^unsc-2018]"\n      - The group was designated in 2019.'})
    assert validate(write(tmp_path, text)).exit_code == 0


def test_many_problems_are_all_counted_but_200_printed(tmp_path):
    text = BASE + "".join(f"x{i}: 1\n" for i in range(300))
    output = assert_refused(write(tmp_path, text))
    assert "100 more problems not shown" in output
    assert output.splitlines()[-1] == "300 errors; nothing was written."


def test_alias_errors_point_at_the_anchored_text(tmp_path):
    text = BASE + "facts:\n  - &f {label: L, text: 'bad [^nope]'}\n  - *f\n"
    with pytest.raises(ContentError) as info:
        load(write(tmp_path, text))
    where = [(d.line, d.column, d.path) for d in info.value.errors]
    assert (N + 1, 30, "facts.0.text") in where and (N + 1, 30, "facts.1.text") in where


# --------------------------------------------------------------------------- reading limits


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("values", "a: [" + ",".join(["0"] * 20_001) + "]\n", "1:39999: over 20,000 values; content files are limited to 20,000"),
        ("text", "a: [" + ",".join(["'" + "x" * 1_000 + "'"] * 1_001) + "]\n", "1:1003005: over 1,000,000 characters of text"),
        ("aliases", "a: &a [" + ",".join(["0"] * 100) + "]\nb: [" + ",".join(["*a"] * 300) + "]\n", "2:593: aliases expand to over 20,000 values (alias bomb?)"),
        ("alias-text", "a: &a '" + "x" * 10_000 + "'\nb: [" + ",".join(["*a"] * 150) + "]\n", "2:302: aliases expand to over 1,000,000 characters of text (alias bomb?)"),
        ("depth-block", "".join(" " * i + "a:\n" for i in range(50)), "41:41: nesting deeper than 40 levels"),
        ("depth-flow", "a: " + "[" * 41 + "]" * 41, "1:43: nesting deeper than 40 levels"),
    ],
)
def test_reading_limits(tmp_path, name, text, expected):
    assert_refused(write(tmp_path, text), expected)


def test_too_many_notes(tmp_path):
    paragraphs = "\n".join(["      - " + "x[^unsc-2018] " * 1_000] * 6)  # each within the markup cap
    text = base_with(**{"      - The group was designated in 2019.[^unsc-2018]": paragraphs})
    assert_refused(write(tmp_path, text), "17:9: sections.0.blocks.1: over 1,000 notes; a document is limited to 1,000")


def test_too_much_markup(tmp_path):
    text = base_with(**{"      - The group was designated in 2019.[^unsc-2018]": "      - " + "see http://a.org/ " * 501})
    assert_refused(write(tmp_path, text), "16:9: sections.0.blocks.0: over 500 web addresses ('://') in text")
    text = BASE + "facts:\n" + "".join("  - {label: L, text: '*a* *b* *c* *d* *e*'}\n" for _ in range(1_600))
    assert_refused(write(tmp_path, text), f"{N + 1_500}:22: facts.1499.text: over 15,000 markup marks in text")


# --------------------------------------------------------------------------- assets and images


def photo_content(tmp_path: Path, image: str, extra: str = "") -> Path:
    text = base_with(**{"    alt: A portrait.\n": f"    alt: A portrait.\n    image: {image}\n"}) + extra
    return write(tmp_path, text)


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width` × `height` pixels and holds almost none (for size checks)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    from PIL import Image

    folder = tmp_path / "assets"
    folder.mkdir()
    Image.new("RGB", (40, 50), "red").save(folder / "ok.jpg")
    Image.new("RGBA", (40, 50)).save(folder / "ok.png")
    Image.new("L", (1, 30_000)).save(folder / "thin.png")
    Image.new("RGB", (40, 50)).save(folder / "anim.gif")
    (folder / "drawing.jpg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>')
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (folder / "text.jpg").write_text("not an image")
    (folder / "empty.png").write_bytes(b"")
    (folder / "half.jpg").write_bytes((folder / "ok.jpg").read_bytes()[:300])
    (folder / "bomb.png").write_bytes(png_header(100_000, 100_000))
    (folder / "big.png").write_bytes(png_header(9_000, 9_000))
    (folder / "wide.png").write_bytes(png_header(10_001, 1_000))
    (folder / "folder.jpg").mkdir()
    (folder / "loop.jpg").symlink_to("loop.jpg")
    return folder


@pytest.mark.parametrize(
    "image, expected",
    [
        ("assets/drawing.jpg", "is an SVG drawing, which may load files from outside the content folder; use a PNG or JPEG image"),
        ("assets/text.jpg", "is not a PNG or JPEG image"),
        ("assets/anim.gif", "is not a PNG or JPEG image"),
        ("assets/empty.png", "is an empty file; use a PNG or JPEG image"),
        ("assets/half.jpg", "cannot be read as an image"),
        ("assets/thin.png", "is 1 × 30,000 pixels; each side is limited to 10,000"),
        ("assets/wide.png", "is 10,001 × 1,000 pixels; each side is limited to 10,000"),
        ("assets/big.png", "is 9,000 × 9,000 pixels; images are limited to 40 megapixels"),
        ("assets/bomb.png", "has too many pixels to open safely (a decompression bomb?)"),
    ],
)
def test_photos_are_checked_images(tmp_path, assets, image, expected):
    file = photo_content(tmp_path, image)
    assert_refused(file, f"23:12: figures.0.image: image '{image}' {expected}")


def test_a_very_oblong_photo_is_refused(tmp_path, assets):
    from PIL import Image

    Image.new("L", (2_100, 100)).save(assets / "strip.png")
    file = photo_content(tmp_path, "assets/strip.png")
    assert_refused(file, "23:12: figures.0.image: image 'assets/strip.png' is 2,100 × 100 pixels; one side is over 20 times the other")


@pytest.mark.parametrize(
    "image, expected",
    [
        ('"assets/a\\0b.jpg"', "23:12: figures.0.image: a control character (U+0000) is not allowed"),
        ("assets/" + "n" * 256 + ".jpg", "23:12: figures.0.image: a file or folder name of 260 bytes is too long; the limit is 255"),
        ("assets/loop.jpg", "23:12: figures.0.image: asset path 'assets/loop.jpg' cannot be used: "),
        ("assets/folder.jpg", "23:12: figures.0.image: asset 'assets/folder.jpg' is a folder, not a file"),
        ("/etc/passwd", "23:12: figures.0.image: asset path '/etc/passwd' leaves the content folder"),
    ],
)
def test_bad_asset_paths(tmp_path, assets, image, expected):
    assert_refused(photo_content(tmp_path, image), expected)


def test_logo_must_be_png_or_jpeg(tmp_path, assets):
    text = base_with(**{"sections:": "style:\n  logo: assets/logo.svg\nsections:"})
    assert_refused(write(tmp_path, text), "13:9: style.logo: image 'assets/logo.svg' is an SVG drawing")


def test_a_broken_leader_photo_is_an_error_even_though_optional(tmp_path, assets):
    file = photo_content(tmp_path, "assets/ok.png", "leaders:\n  - {id: l, name: N, role: R, photo: assets/text.jpg}\n")
    assert_refused(file, f"{N + 2}:38: leaders.0.photo: image 'assets/text.jpg' is not a PNG or JPEG image")


def test_good_images_validate(tmp_path, assets):
    text = base_with(**{"sections:": "style:\n  logo: assets/ok.png\nsections:"})
    text = text.replace("    alt: A portrait.\n", "    alt: A portrait.\n    image: assets/ok.jpg\n")
    text += "leaders:\n  - {id: l, name: N, role: R, photo: assets/ok.png}\n"
    result = validate(write(tmp_path, text))
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_checked_images_build(tmp_path, assets):
    """What validates builds: a PNG photo, a JPEG leader photo and a PNG logo make both outputs."""
    from PIL import Image

    Image.new("P", (120, 40)).save(assets / "logo.png")
    Image.new("CMYK", (200, 260), (0, 80, 80, 0)).save(assets / "cmyk.jpg")
    text = base_with(**{"sections:": "style:\n  logo: assets/logo.png\nsections:"})
    text = text.replace("    alt: A portrait.\n", "    alt: A portrait.\n    image: assets/ok.png\n")
    text += "leaders:\n  - {id: l, name: N, role: R, photo: assets/cmyk.jpg}\n"
    file = write(tmp_path, text)
    result = CliRunner().invoke(main, ["build", str(file), "--quiet", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert {p.suffix for p in (tmp_path / "out").iterdir() if p.is_file()} >= {".pdf", ".pptx"}


# --------------------------------------------------------------------------- 10 MB worst cases, measured


SIZE = 10 * 1024 * 1024 - 4096
# name -> a maker of that case's text: each test makes only its own (making all eighteen
# 10 MB texts for every one of them cost more CPU than the validations they measure).
WORST_CASES: dict[str, Callable[[int], str]] = {
    "flow-list": lambda size: "a: [" + ",".join(["0"] * (size // 2 - 8)) + "]\n",
    "block-list": lambda size: "a:\n" + "- 0\n" * (size // 4 - 4),
    "flow-map": lambda size: "{" + ",".join(f"k{i}: 0" for i in range(size // 14)) + "}\n",
    "many-keys": lambda size: "".join(f"k{i:07d}: 0\n" for i in range(size // 12)),
    "quoted-scalar": lambda size: "a: '" + "x" * (size - 10) + "'\n",
    "plain-scalar": lambda size: "a: " + "x " * (size // 2 - 8) + "\n",
    "escaped-scalar": lambda size: 'a: "' + "\\x41" * (size // 4 - 4) + '"\n',
    "literal-block": lambda size: "a: |\n" + "  x\n" * (size // 4 - 4),
    "long-key": lambda size: "? " + "k" * (size - 20) + "\n: 1\n",
    "big-integer": lambda size: "a: " + "9" * (size - 10) + "\n",
    "deep-flow": lambda size: "a: " + "[" * (size // 2 - 8) + "]" * (size // 2 - 8) + "\n",
    "deep-block": lambda size: "".join(" " * i + "a:\n" for i in range(3_000)),
    "alias-list": lambda size: "a: &a [0, 0, 0]\nb: [" + ",".join(["*a"] * (size // 3 - 20)) + "]\n",
    "billion-laughs": lambda size: 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "\n".join(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi"))
    + "\n",
    "anchors": lambda size: "a: [" + ",".join(f"&a{i} 0" for i in range(size // 12)) + "]\n",
    "documents": lambda size: "---\n" * (size // 4),
    "comments": lambda size: ("#" + "x" * 98 + "\n") * (size // 100),
    "control-characters": lambda size: "a: x\x01\n" * (size // 6),
}


MEASURE = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    from jnim_export.cli import main
    sys.argv = ["jnim-export", "validate", sys.argv[1]]
    try:
        main()
    finally:
        usage = resource.getrusage(resource.RUSAGE_SELF)  # its ru_maxrss may be the parent's, from before exec
        peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
        print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "rss_mb": int(peak.split()[1]) / 1024}))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(WORST_CASES))
def test_ten_megabyte_worst_cases_are_refused_in_bounded_time_and_memory(tmp_path, name):
    file = write(tmp_path, WORST_CASES[name](SIZE))
    assert file.stat().st_size <= 10 * 1024 * 1024
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(file)], capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines and all(line.startswith(f"{file}:") for line in lines[:-1]), proc.stderr
    assert len(lines) <= 30, proc.stderr
    # ≤ 2 s of CPU and ≤ 200 MB for the whole process; wall time only as a guard on a busy machine.
    usage = json.loads(proc.stdout.splitlines()[-1])
    assert usage["cpu"] < 2.0, usage
    assert usage["rss_mb"] < 200, usage
    assert elapsed < 20, elapsed


# --------------------------------------------------------------------------- without libyaml

PURE_PYTHON_CASES = [
    "merge-key", "python-tag-key", "date-key", "bad-int", "huge-int", "recursive-alias", "second-document",
    "no-sections", "raw-control-characters-all-reported", "escaped-control-in-paragraph", "bidi-override-in-title",
]


@pytest.mark.parametrize("name", PURE_PYTHON_CASES)
def test_same_messages_without_libyaml(tmp_path, monkeypatch, name):
    """PyYAML without its C extension reads with its own parser: the same problems, the same messages."""
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    text, expected = CASES[name]
    assert_refused(write(tmp_path, text), *expected)


def test_lone_surrogate_escape_without_libyaml(tmp_path, monkeypatch):
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    text = base_with(**{"title: Test Backgrounder": 'title: "\\ud800"'})
    assert_refused(write(tmp_path, text), "2:10: meta.title: a lone surrogate (U+D800) is not allowed")


def test_deep_nesting_without_libyaml(tmp_path, monkeypatch):
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert_refused(write(tmp_path, "a: " + "[" * 50_000 + "]" * 50_000), "1:43: nesting deeper than 40 levels")


# --------------------------------------------------------------------------- events aggregates


def _aggregate(**changes) -> dict:
    import json as _json

    agg = _json.loads((Path(__file__).parents[1] / "assets" / "data" / "jnim-mali-2017-2019-initiated.json").read_text())
    for key, edit in changes.items():
        edit(agg)
    return agg


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda a: a["monthly"][0].update(month="2017-13"), "monthly[0].month: '2017-13' is not a month (YYYY-MM)"),
        (lambda a: a["monthly"].reverse(),
         "monthly[1].month: 2019-01 comes before 2019-02; months must be in order, each once"),
        (lambda a: a["monthly"][1].update(fatalities=-5), "monthly[1].fatalities: -5 is not a whole number of at least 0"),
        (lambda a: a["locations"][0].update(latitude=float("nan")), "NaN is not a number an aggregate may hold"),
        (lambda a: a["locations"][0].update(longitude=400), "locations[0].longitude: 400 is not in [-180, 180]"),
        (lambda a: a["locations"][0].update(name="Kidal\x1b[2J"), "unusable text 'Kidal\\x1b[2J'"),
        (lambda a: a.update(categories=[]), "categories: expected one or more names, none twice"),
        (lambda a: a.update(format="other"), "not an events aggregate"),
    ],
)
def test_events_aggregates_the_figures_could_not_draw_are_refused(tmp_path, edit, expected):
    import json as _json

    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "agg.json").write_text(_json.dumps(_aggregate(x=edit)))
    text = base_with(**{"      - figure: photo\n": "      - figure: photo\n      - figure: chart\n"})
    text = text.replace("sources:", "  - {id: chart, kind: chart, caption: c, alt: a, data: assets/agg.json}\nsources:")
    assert_refused(write(tmp_path, text), f"24:56: figures.1.data: cannot read events aggregate agg.json: {expected}")


def test_a_deeply_nested_aggregate_is_refused(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "agg.json").write_text("[" * 100_000 + "]" * 100_000)
    text = base_with(**{"      - figure: photo\n": "      - figure: photo\n      - figure: chart\n"})
    text = text.replace("sources:", "  - {id: chart, kind: chart, caption: c, alt: a, data: assets/agg.json}\nsources:")
    assert_refused(write(tmp_path, text), "24:56: figures.1.data: cannot read events aggregate agg.json: ")
