"""What every writer can hold, checked while validating (`jnim_export.limits`): content that
validates builds. Each problem at its line and column."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .. import fonts, limits, scripts
from .diagnostics import Diagnostic
from .yamlsource import Positions


def ems(text: str) -> float:
    """How wide `text` sets on one line, in ems (Arabic in its own face, the rest in Noto Sans)."""
    return sum(fonts.text_width(piece, fonts.ARABIC if arabic else "Noto Sans", 1.0)
               for piece, arabic in scripts.runs(text))


def writer_limits(file: Path, positions: Positions, data: Any) -> list[Diagnostic]:
    """Captions too long for a page, and more key attacks than the outputs take."""
    problems: list[Diagnostic] = []

    def problem(path: tuple, message: str) -> None:
        mark = positions.of(path)
        problems.append(Diagnostic(file, mark.line, mark.column, ".".join(map(str, path)), message))

    figures = data.get("figures") if isinstance(data, dict) else None
    for i, fig in enumerate(figures if isinstance(figures, list) else []):
        if not isinstance(fig, dict):
            continue
        texts = [t for t in (fig.get("caption"), fig.get("credit")) if isinstance(t, str)]
        wide = sum(ems(t) for t in texts)
        if wide > limits.CAPTION_EMS:
            where = "caption" if isinstance(fig.get("caption"), str) else "credit"
            problem(("figures", i, where), f"the caption and credit set {math.ceil(wide):,} ems wide; to fit under the figure "
                                           f"on one page they are limited to {limits.CAPTION_EMS:,} (about "
                                           f"{limits.CAPTION_EMS * 2:,} characters of prose)")
    attacks = data.get("attacks") if isinstance(data, dict) else None
    if isinstance(attacks, list) and len(attacks) > limits.ATTACKS:
        problem(("attacks", limits.ATTACKS), f"over {limits.ATTACKS:,} key attacks; a document is limited to "
                                             f"{limits.ATTACKS:,}, each labelled on the maps and listed on a slide "
                                             "(the rest belong in an events aggregate)")
    return problems
