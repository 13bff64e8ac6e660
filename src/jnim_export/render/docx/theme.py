"""The Word edition's layout numbers: sizes in points, widths in inches."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocxTheme:
    body_step: float = 1.0  # body text this much larger than the PDF's (Word's page is read on screen)
    line_spacing: float = 1.15
    space_after: float = 8
    note_space_after: float = 3
    title_size: float = 24
    native_size: float = 16
    heading1_size: float = 15
    heading2_size: float = 12
    quote_step: float = 2
    figure_width: float = 6.3  # a drawn figure: the shared print width, the text column of a letter page
    photo_width: float = 2.6  # a photo
    placeholder: str = "[{head}: {alt}]"


THEME = DocxTheme()
