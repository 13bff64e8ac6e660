"""The shipped faces: the coverage file validation reads is what the font files hold."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jnim_export import fonts

ROOT = Path(__file__).resolve().parents[1]


def test_the_coverage_file_matches_the_fonts():
    sys.path.insert(0, str(ROOT / "tools"))
    from font_coverage import coverage

    shipped = json.loads((fonts.FONT_DIR / "coverage.json").read_text(encoding="utf-8"))
    assert shipped == coverage(), "fonts changed: run python tools/font_coverage.py"


def test_the_metrics_file_matches_the_fonts():
    sys.path.insert(0, str(ROOT / "tools"))
    from font_coverage import metrics

    shipped = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (fonts.FONT_DIR / "metrics").glob("*.json")}
    assert shipped == metrics(), "fonts changed: run python tools/font_coverage.py"


def test_widths_from_the_metrics_file_are_the_faces_own():
    from fontTools.ttLib import TTFont

    for family, bold in (("Noto Sans", True), ("Noto Serif", False), (fonts.ARABIC, False)):
        font = TTFont(fonts.font_path(family, bold=bold))
        hmtx, upem = font["hmtx"].metrics, font["head"].unitsPerEm
        for text in ("Gao, Mopti — 2018", "جماعة نصرة", "漢"):
            expected = sum(hmtx[font.getBestCmap().get(ord(ch), ".notdef")][0] for ch in text) * 10 / upem
            assert fonts.text_width(text, family, 10, bold=bold) == expected
        assert fonts.line_extent(family, bold=bold) == (font["hhea"].ascent / upem, -font["hhea"].descent / upem)


def test_missing_character_tells_latin_arabic_and_neither_apart():
    assert fonts.missing_character("Jama'at Nasr al-Islam — “quoted” ʿAbd") is None
    assert fonts.missing_character("جماعة نصرة الإسلام والمسلمين") is None
    assert fonts.missing_character("جماعة", arabic=False) == "ج"
    assert fonts.missing_character("a smile \U0001F600") == "\U0001F600"
    assert fonts.missing_character("漢字") == "漢"


def test_the_web_page_subsets_hold_what_they_promise():
    from fontTools.ttLib import TTFont

    from jnim_export.render.html import webfonts

    sys.path.insert(0, str(ROOT / "tools"))
    from web_fonts import faces

    for family, bold, italic in faces():
        shipped = frozenset(TTFont(webfonts.shipped_subset(family, bold, italic)).getBestCmap())
        promised = webfonts.base_of(family) & fonts.charset(family, bold=bold, italic=italic)
        assert shipped == promised, (family, bold, italic, "run python tools/web_fonts.py")


def test_the_web_page_subsets_keep_arabic_joining():
    """Without the joining features a browser draws every Arabic letter in its isolated form."""
    from fontTools.ttLib import TTFont

    from jnim_export.render.html import webfonts

    for bold in (False, True):
        font = TTFont(webfonts.shipped_subset(fonts.ARABIC, bold, False))
        features = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
        assert {"init", "medi", "fina", "rlig"} <= features, features
