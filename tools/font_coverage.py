"""Write src/jnim_export/fonts/coverage.json: the characters the shipped faces draw, as ranges.

Validation asks of every character whether a shipped face has it; reading nine font files'
character maps takes about 0.2 s, so the answer is kept in this small file; and measures text
with the faces' advances, kept in metrics/<face>.json (reading them from the files means importing
fontTools, about 0.1 s of every validation). Both are rebuilt (and checked by tests/test_fonts.py)
whenever a font changes:

    python tools/font_coverage.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jnim_export import fonts  # noqa: E402


def ranges(codes: frozenset[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for c in sorted(codes):
        if out and c == out[-1][1] + 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def coverage() -> dict:
    return {
        "fonts": {p.name: p.stat().st_size for p in sorted(fonts.FONT_DIR.glob("*.ttf"))},
        "latin": ranges(fonts.read_latin()),
        "arabic": ranges(fonts.read_charset(fonts.font_path(fonts.ARABIC))),
        "faces": {p.stem: ranges(fonts.read_charset(p)) for p in sorted(fonts.FONT_DIR.glob("*.ttf"))},
    }


def metrics() -> dict:
    return {p.stem: fonts.read_metrics(p) for p in sorted(fonts.FONT_DIR.glob("*.ttf"))}


if __name__ == "__main__":
    (fonts.FONT_DIR / "metrics").mkdir(exist_ok=True)
    made = {"coverage.json": coverage(), **{f"metrics/{stem}.json": face for stem, face in metrics().items()}}
    for name, data in made.items():
        out = fonts.FONT_DIR / name
        out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")
