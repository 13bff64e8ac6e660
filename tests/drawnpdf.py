"""Hand-drawn PDFs for the checkers' own tests: pages drawn with ReportLab's canvas (not the PDF
writer) in the bundled Noto Serif, in the page frame `pdfcheck` assumes."""

from __future__ import annotations

from pathlib import Path

FACE = "CheckSerif"
LETTER = (612.0, 792.0)


def pdf(path: Path, *pages, size: tuple[float, float] = LETTER) -> Path:
    """A PDF with one page per function, each drawing on the canvas."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from jnim_export.fonts import font_path

    if FACE not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FACE, str(font_path("Noto Serif"))))
    canvas = Canvas(str(path), pagesize=size)
    for draw in pages:
        canvas.setFont(FACE, 10)
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return path


def text(canvas, x: float, y: float, line: str, size: float = 10.0) -> float:
    """Draw `line` at (x, y); where it ends."""
    canvas.setFont(FACE, size)
    canvas.drawString(x, y, line)
    return x + canvas.stringWidth(line, FACE, size)
