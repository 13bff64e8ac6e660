"""Draw the synthetic portrait-like test images used by the test backgrounders.

These are NOT photographs of anyone: each is a flat, generic silhouette on a gradient, drawn
so the PDF and the deck have images of several aspect ratios and both formats (JPEG, PNG) to
place. Every image is stamped "SYNTHETIC TEST IMAGE". Run from anywhere:

    python tests/data/backgrounders/make_photos.py [FOLDER ...]

The output is deterministic for a given Pillow version; each file stays under 60 KB.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
LIMIT = 60 * 1024

# (folder, file name, (width, height), background top and bottom, silhouette colour, kind)
IMAGES = [
    # ISGS: a portrait 3:4 JPEG (the leader figure) and a landscape 4:3 PNG (a scene)
    ("isgs", "leader-portrait.jpg", (480, 640), ("#c9b48f", "#6e5a3c"), "#2b2520", "portrait"),
    ("isgs", "menaka-landscape.png", (640, 480), ("#e8d3a9", "#b98d52"), "#5b4630", "landscape"),
    # GATIA: a square JPEG (the leader figure); its second photo is deliberately missing
    ("gatia", "leader-square.jpg", (560, 560), ("#9fb3c2", "#3d5568"), "#1b2630", "portrait"),
    # al-Shabaab: landscape 4:3 JPEG and portrait 3:4 PNG (placed one after the other), and a
    # square PNG (the last section's photo)
    ("al-shabaab", "coast-landscape.jpg", (640, 480), ("#a8cbe0", "#e3d6b8"), "#3a4a3f", "landscape"),
    ("al-shabaab", "leader-portrait.png", (360, 480), ("#b7c7b0", "#4d5f48"), "#1e2a1c", "portrait"),
    ("al-shabaab", "market-square.png", (420, 420), ("#e6c79c", "#8f6a3e"), "#3b2a1a", "group"),
    # The three page-flow fixtures: portraits, landscapes and one 6:1 panorama each
    ("liptako", "panorama-ridge.png", (1200, 200), ("#d9c39a", "#a9834f"), "#4a3a26", "landscape"),
    ("liptako", "market-landscape.jpg", (640, 480), ("#e8d3a9", "#b98d52"), "#5b4630", "landscape"),
    ("liptako", "elder-portrait.jpg", (480, 640), ("#c9b48f", "#6e5a3c"), "#2b2520", "portrait"),
    ("liptako", "meeting-group.png", (560, 420), ("#cdbf9f", "#7d6a48"), "#2f271b", "group"),
    ("lakeshore", "panorama-shore.png", (1200, 200), ("#b9d3e3", "#d9cba6"), "#2f4350", "landscape"),
    ("lakeshore", "boats-landscape.jpg", (640, 480), ("#a8cbe0", "#e3d6b8"), "#3a4a3f", "landscape"),
    ("lakeshore", "trader-portrait.png", (360, 480), ("#b7c7b0", "#4d5f48"), "#1e2a1c", "portrait"),
    ("lakeshore", "island-square.jpg", (480, 480), ("#9fb3c2", "#3d5568"), "#1b2630", "group"),
    ("lakeshore", "camp-landscape.png", (640, 400), ("#d8c8a8", "#8c7350"), "#3b2f22", "landscape"),
    ("inner-delta", "panorama-floodplain.png", (1200, 200), ("#c4d6b0", "#8aa06a"), "#34402a", "landscape"),
    ("inner-delta", "herders-landscape.jpg", (640, 480), ("#e6c79c", "#8f6a3e"), "#3b2a1a", "landscape"),
    ("inner-delta", "mayor-portrait.jpg", (480, 600), ("#c2b6a0", "#5e5442"), "#221d16", "portrait"),
]


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    w, h = size
    a, b = _hex(top), _hex(bottom)
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / max(h - 1, 1)
        draw.line([(0, y), (w, y)], fill=tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3)))
    return img


def _figure(draw: ImageDraw.ImageDraw, cx: float, base: float, scale: float, colour: str) -> None:
    """A generic head-and-shoulders silhouette standing on `base`."""
    head_r = 0.17 * scale
    shoulder_w = 0.62 * scale
    neck_y = base - 0.55 * scale
    draw.ellipse([cx - head_r, neck_y - 2.1 * head_r, cx + head_r, neck_y + 0.1 * head_r], fill=colour)
    draw.rounded_rectangle(
        [cx - shoulder_w / 2, neck_y + 0.05 * scale, cx + shoulder_w / 2, base + 0.2 * scale],
        radius=int(0.16 * scale), fill=colour,
    )


def draw(size: tuple[int, int], colours: tuple[str, str], ink: str, kind: str) -> Image.Image:
    w, h = size
    img = _gradient(size, *colours)
    draw_ = ImageDraw.Draw(img)
    if kind == "portrait":
        _figure(draw_, w / 2, h * 0.98, min(w, h) * 0.95, ink)
    elif kind == "landscape":
        # a horizon, a few low buildings and one small figure
        horizon = h * 0.62
        draw_.rectangle([0, horizon, w, h], fill=_shade(colours[1], 0.8))
        x = w * 0.06
        for i, (bw, bh) in enumerate([(70, 60), (110, 85), (60, 45), (90, 70), (130, 95)]):
            draw_.rectangle([x, horizon - bh, x + bw, horizon], fill=_shade(ink, 1.0 + 0.12 * (i % 3)))
            x += bw + 18
        _figure(draw_, w * 0.8, h * 0.95, h * 0.42, ink)
    else:  # group
        for cx, scale in ((0.28, 0.55), (0.5, 0.7), (0.72, 0.55)):
            _figure(draw_, w * cx, h * 0.98, h * scale, ink)
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    stamp = ImageDraw.Draw(img)
    font = ImageFont.load_default()
    text = "SYNTHETIC TEST IMAGE"
    box = stamp.textbbox((0, 0), text, font=font)
    tw, th = box[2] - box[0], box[3] - box[1]
    stamp.rectangle([6, 6, 14 + tw, 14 + th], fill="white")
    stamp.text((10, 10 - box[1]), text, fill="black", font=font)
    return img


def _shade(colour: str, factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(c * factor))) for c in _hex(colour))  # type: ignore[return-value]


def main(folders: list[str]) -> None:
    """Draw the images of `folders` (all of them if none are named)."""
    for folder, name, size, colours, ink, kind in IMAGES:
        if folders and folder not in folders:
            continue
        dest = HERE / folder / "assets" / "photos" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        img = draw(size, colours, ink, kind)
        if dest.suffix == ".jpg":
            img.save(dest, "JPEG", quality=80, optimize=True)
        else:
            img.quantize(colors=64).save(dest, "PNG", optimize=True)
        size_bytes = dest.stat().st_size
        if size_bytes > LIMIT:
            raise SystemExit(f"{dest}: {size_bytes} bytes, over the {LIMIT}-byte limit")
        print(f"{dest.relative_to(HERE)}: {size[0]}x{size[1]}, {size_bytes} bytes")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
