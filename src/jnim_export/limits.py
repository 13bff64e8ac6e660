"""The limits a writer needs, in one place: `validate` checks each, so content it passes builds.

Each is what an output can hold or print, not a taste: PowerPoint's core properties stop at
255 characters, a caption must fit under its figure on one page, a picture is decoded at most
at the size it is printed.
"""

from __future__ import annotations

NUMBER_CHARS = 100  # characters in a number, in YAML and in aggregates (int() of 5,000 digits is slow)
CORE_PROPERTY = 255  # characters in a deck's title, subject, keywords, author, copyright
MARKUP_DEPTH = 20  # emphasis inside emphasis; a writer never recurses deeper than this
CAPTION = 600  # characters in a figure's caption: seven lines under a full-width figure
NOTES = 1_000  # notes in a document
ATTACKS = 100  # key attacks: each is labelled on the maps and listed on a slide; the rest belong in an aggregate
PRINT_PIXELS = 3_000  # the longest side an image is decoded at: a full page wide at 300 dpi

# Images (photos, leader photos, the logo): PNG or JPEG, checked while validating
IMAGE_BYTES = 30 * 2**20
IMAGE_SIDE = 10_000  # pixels
IMAGE_PIXELS = 40_000_000  # a JPEG is decoded at a fraction of its size (draft mode)
PNG_PIXELS = 16_000_000  # a PNG cannot be: it is decoded whole, 64 MB at 16 megapixels
IMAGE_ASPECT = 20  # a photo longer than 20 times its width (or the reverse) is not a photo

# A figure's caption and credit set on one line, in ems of their type: at the largest body size,
# wrapped to the narrowest column (A4) with room for ragged lines, they leave the graphic room on
# a page whose foot footnotes carried over fill. Prose is about half an em a character: some
# 800 characters.
CAPTION_EMS = 400
