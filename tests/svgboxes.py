"""Boxes of what a matplotlib SVG draws, read back from the file, to test that nothing overlaps.

Texts are measured with the shipped fonts' advance widths (`jnim_export.fonts.text_width`)
and Noto Sans's ascender and descender; paths by their points; markers (`<use>`) by the path
they reference. SVG coordinates: y grows downwards.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from jnim_export.fonts import text_width

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
ASCENT, DESCENT = 1.069, 0.293  # Noto Sans, of the font size
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box", slack: float = 0.05) -> bool:
        """Do the two boxes share more than an edge (`slack` points of contact are allowed)?"""
        return (self.x0 < other.x1 - slack and other.x0 < self.x1 - slack
                and self.y0 < other.y1 - slack and other.y0 < self.y1 - slack)

    def inside(self, other: "Box", slack: float = 0.05) -> bool:
        return (self.x0 >= other.x0 - slack and self.x1 <= other.x1 + slack
                and self.y0 >= other.y0 - slack and self.y1 <= other.y1 + slack)


def union(boxes: list[Box]) -> Box:
    return Box(min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes))


def _style(el: ET.Element) -> dict[str, str]:
    return {k.strip(): v.strip() for k, v in (p.split(":", 1) for p in el.get("style", "").split(";") if ":" in p)}


def text_box(el: ET.Element) -> Box:
    style = _style(el)
    size = float(style["font-size"].rstrip("px"))
    bold = style.get("font-weight", "400") in ("700", "bold")
    text = "".join(el.itertext())
    width = text_width(text, "Noto Sans", size, bold=bold)
    x, y = float(el.get("x", 0)), float(el.get("y", 0))
    moved = re.match(r"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)", el.get("transform", ""))
    if moved and el.get("x") is None:  # a line of a text of several: placed by its transform
        x, y = float(moved.group(1)), float(moved.group(2))
    anchor = style.get("text-anchor", "start")
    x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    if "rotate(-90" in el.get("transform", ""):
        # rotated a quarter turn about (x, y): the width runs upwards
        # rotated a quarter turn about (x, y): (x + u, y + v) is drawn at (x + v, y - u)
        return Box(x - ASCENT * size, y - (x0 - x + width), x + DESCENT * size, y - (x0 - x))
    return Box(x0, y - ASCENT * size, x0 + width, y + DESCENT * size)


def path_box(d: str, dx: float = 0.0, dy: float = 0.0) -> Box:
    nums = [float(n) for n in _NUMBER.findall(d)]
    xs, ys = nums[0::2], nums[1::2]
    return Box(min(xs) + dx, min(ys) + dy, max(xs) + dx, max(ys) + dy)


class Drawing:
    """The boxes of an SVG file's groups (by id) and texts."""

    def __init__(self, path: Path):
        self.root = ET.parse(path).getroot()
        self.defs = {el.get("id"): el.get("d") for el in self.root.iter(f"{SVG}path") if el.get("id")}
        x, y, w, h = (float(v) for v in self.root.get("viewBox").split())
        self.page = Box(x, y, x + w, y + h)

    def groups(self, prefix: str) -> dict[str, ET.Element]:
        return {g.get("id"): g for g in self.root.iter(f"{SVG}g") if (g.get("id") or "").startswith(prefix)}

    def box(self, el: ET.Element) -> Box:
        boxes = []
        for node in el.iter():
            if node.tag == f"{SVG}text":
                boxes.append(text_box(node))
            elif node.tag == f"{SVG}path" and node.get("d") and not node.get("id"):
                boxes.append(path_box(node.get("d")))
            elif node.tag == f"{SVG}use":
                ref = (node.get(XLINK) or node.get("href") or "").lstrip("#")
                if ref in self.defs:
                    boxes.append(path_box(self.defs[ref], float(node.get("x", 0)), float(node.get("y", 0))))
        return union(boxes)

    def boxes(self, prefix: str) -> dict[str, Box]:
        return {gid: self.box(g) for gid, g in self.groups(prefix).items()}

    def texts_outside(self, prefix: str) -> list[tuple[str, Box]]:
        """Every text not inside a group whose id starts with `prefix`."""
        inside = {id(t) for g in self.groups(prefix).values() for t in g.iter(f"{SVG}text")}
        return [("".join(t.itertext()), text_box(t)) for t in self.root.iter(f"{SVG}text") if id(t) not in inside]
