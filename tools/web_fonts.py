"""Write the web page's ready font subsets: src/jnim_export/render/html/fonts/*.woff.

The page embeds its faces as WOFF subsets; subsetting takes about 0.2 s a face, so each face
ships subset to what most backgrounders use (webfonts.BASE; the Arabic face to the Arabic
blocks), and a build subsets only for a page using other characters. Rerun after a font
changes (tests/test_fonts.py checks the subsets against the fonts):

    python tools/web_fonts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jnim_export import fonts  # noqa: E402
from jnim_export.render.html import webfonts  # noqa: E402


def faces() -> list[tuple[str, bool, bool]]:
    out = [(f, b, i) for f in fonts.FAMILIES for b in (False, True) for i in (False, True)]
    return out + [(fonts.ARABIC, False, False), (fonts.ARABIC, True, False)]


if __name__ == "__main__":
    webfonts.SHIPPED.mkdir(exist_ok=True)
    for family, bold, italic in faces():
        blob = webfonts._subset(fonts.font_path(family, bold=bold, italic=italic), webfonts.base_of(family))
        out = webfonts.shipped_subset(family, bold, italic)
        out.write_bytes(blob)
        print(f"wrote {out.relative_to(ROOT)} ({len(blob) // 1024} KB)")
