"""The PDF writer's kept drawings (render/pdf/drawcache.py): read back as drawn, made again when
damaged, and never a way to run code. The SVG here is a small synthetic figure written for the test."""

from __future__ import annotations

import hashlib
import os
import pickle

import pytest
from reportlab import rl_config
from reportlab.graphics import renderPDF

from jnim_export import fonts
from jnim_export.render.pdf import drawcache
from jnim_export.render.pdf.artwork import _convert

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200pt" height="100pt" viewBox="0 0 200 100">
<g><path d="M 10 90 L 60 20 L 110 90" style="fill:#d62728;stroke:none"/>
<path d="M 10 10 L 190 10" style="fill:none;stroke:#333333;stroke-width:2"/>
<clipPath id="c"><rect x="0" y="0" width="150" height="100"/></clipPath>
<g clip-path="url(#c)"><rect x="120" y="30" width="60" height="40" style="fill:#1f77b4"/></g>
<text x="100" y="60" style="font-family:'Noto Sans';font-size:12px;text-anchor:middle">Gao 12</text>
<text x="100" y="80" style="font-family:'Noto Sans';font-size:9px;font-weight:bold">Mopti</text></g>
</svg>"""
FAMILY = "Noto Sans"


@pytest.fixture
def svg(tmp_path):
    path = tmp_path / "map-0123.svg"
    path.write_text(SVG, encoding="utf-8")
    return path


def counting():
    calls = []

    def convert(path):
        calls.append(path)
        return _convert(path, FAMILY)

    return convert, calls


def pdf_bytes(drawing) -> bytes:
    old = rl_config.invariant
    rl_config.invariant = 1
    try:
        return renderPDF.drawToString(drawing)
    finally:
        rl_config.invariant = old


def kinds(node, module: str) -> set[str]:
    found = {type(node).__name__} if type(node).__module__ == module else set()
    for kid in getattr(node, "contents", ()):
        found |= kinds(kid, module)
    return found


def faces():
    return tuple(fonts.font_path(FAMILY, bold=b) for b in (False, True))


def test_a_kept_drawing_is_read_back_without_converting_and_draws_the_same_pdf(svg):
    convert, calls = counting()
    made = drawcache.drawing(svg, faces(), convert)
    kept = drawcache.drawing(svg, faces(), convert)
    assert len(calls) == 1
    assert kept is not made and pdf_bytes(kept) == pdf_bytes(made)
    # svglib's own path kinds are read back as drawcache's, which draw alike (the bytes above)
    assert {"ClippingPath", "NoStrokePath"} <= kinds(made, "svglib.svglib")
    assert {"ClippingPath", "NoStrokePath"} <= kinds(kept, drawcache.__name__)
    assert [p.name for p in svg.parent.glob("*.drawing")] == [drawcache.entry(svg, faces()).name]


def test_the_entry_changes_with_the_svg_and_the_faces(svg, tmp_path):
    before = drawcache.entry(svg, faces())
    other = tmp_path / "other.ttf"
    other.write_bytes(faces()[1].read_bytes() + b"\0")
    assert drawcache.entry(svg, (faces()[0], other)) != before
    svg.write_text(SVG.replace("Gao 12", "Gao 13"), encoding="utf-8")
    assert drawcache.entry(svg, faces()).name != before.name


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "header"])
def test_a_damaged_entry_is_ignored_and_made_again(svg, damage):
    convert, calls = counting()
    good = pdf_bytes(drawcache.drawing(svg, faces(), convert))
    entry = drawcache.entry(svg, faces())
    data = entry.read_bytes()
    entry.write_bytes({"truncate": data[: len(data) // 2], "flip": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
                       "empty": b"", "header": b"x" + data[1:]}[damage])
    again = drawcache.drawing(svg, faces(), convert)
    assert len(calls) == 2 and pdf_bytes(again) == good
    assert drawcache.load(entry) is not None  # written anew, whole


class _Planted:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_planted_entry_cannot_run_code_even_with_a_right_checksum(svg, tmp_path):
    marker = tmp_path / "ran"
    body = pickle.dumps(_Planted(marker), protocol=5)
    entry = drawcache.entry(svg, faces())
    entry.write_bytes(drawcache.FORMAT + hashlib.sha256(body).hexdigest().encode() + body)
    convert, calls = counting()
    drawing = drawcache.drawing(svg, faces(), convert)
    assert not marker.exists()
    assert len(calls) == 1 and drawing is not None


def test_an_entry_that_is_not_a_drawing_is_refused(svg):
    body = pickle.dumps({"width": 1}, protocol=5)
    entry = drawcache.entry(svg, faces())
    entry.write_bytes(drawcache.FORMAT + hashlib.sha256(body).hexdigest().encode() + body)
    assert drawcache.load(entry) is None


def test_a_pipe_where_the_entry_goes_neither_blocks_nor_breaks_the_render(svg):
    os.mkfifo(drawcache.entry(svg, faces()))
    convert, calls = counting()
    assert drawcache.drawing(svg, faces(), convert) is not None and len(calls) == 1
