"""Label placement: pure geometry, boxes in and positions out, no drawing.

Every label offers candidate positions (a box in points, 1/72 inch, y up; a cost; an
optional leader line back to its symbol), and one pass places them in priority order so
that no two labels touch, no label covers an obstacle (a symbol, the legend, the scale
bar, the credit) and no leader line crosses a label.  ``point_candidates`` makes the
positions around a marker (next to it, then farther out with a leader), ``area_candidates``
those inside an area (a country's name).

Public API
    ``place_labels(labels, frame=, boxes=, circles=, gap=)`` → `Placement`
    ``Label``, ``Candidate``, ``point_candidates``, ``area_candidates``
    ``boxes_intersect``, ``boxes_hit_circles``, ``segments_hit_boxes`` (the tests use them too)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

# Tuning of the placement (costs are relative: only their order matters).
DIAGONAL = 0.75  # a diagonal position's offset, per unit of the axial one: the box's corner clears the symbol
AXIAL_SNAP = 0.2  # a leader this near an axis is made axial: the box then sits square to it
LEADER_COST = 20  # a leader line is worse than any of the eight positions next to the symbol
RING_COST = 12  # and each ring further out worse again
RIGHTWARDS = 0.3  # a leader leaning right (cosine over this) first: a label reads from its symbol
OUTSIDE_COST = 1000  # a forced label outside the frame only if every position inside overlaps
# an area label's costs: for its distance from its point, the share of it off its area, and off its own country
DISTANCE_COST, OUTSIDE_SHARE_COST, AWAY_COST = 0.25, 12.0, 2.0

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Point = tuple[float, float]


@dataclass(frozen=True)
class Candidate:
    """One position for a label: its box (points, y up), a cost, an optional leader line."""

    box: Box
    cost: float = 0.0
    leader: tuple[Point, Point] | None = None  # from the symbol's edge to the box
    tag: Any = None  # caller's data: text variant, font size, alignment


@dataclass(frozen=True)
class Label:
    key: str
    candidates: tuple[Candidate, ...]
    priority: float = 0.0  # higher is placed first
    required: bool = False  # placed even if every candidate collides (then reported)


@dataclass
class Placement:
    chosen: dict[str, Candidate | None]
    forced: list[str] = field(default_factory=list)  # required labels placed despite a collision

    def boxes(self) -> list[Box]:
        return [c.box for c in self.chosen.values() if c is not None]


def as_boxes(boxes: Sequence[Box] | np.ndarray) -> np.ndarray:
    return np.asarray(boxes, dtype=float).reshape(-1, 4)


def boxes_intersect(a: np.ndarray, b: np.ndarray, gap: float = 0.0) -> np.ndarray:
    """(len(a), len(b)) bool: do the boxes come closer than `gap`?"""
    a, b = as_boxes(a), as_boxes(b)
    return ((a[:, None, 0] < b[None, :, 2] + gap) & (b[None, :, 0] < a[:, None, 2] + gap)
            & (a[:, None, 1] < b[None, :, 3] + gap) & (b[None, :, 1] < a[:, None, 3] + gap))


def boxes_hit_circles(a: np.ndarray, circles: np.ndarray, gap: float = 0.0) -> np.ndarray:
    """(len(a), len(circles)) bool: does a box come closer than `gap` to a disc (cx, cy, r)?"""
    a = as_boxes(a)
    c = np.asarray(circles, dtype=float).reshape(-1, 3)
    dx = np.maximum(np.maximum(a[:, None, 0] - c[None, :, 0], c[None, :, 0] - a[:, None, 2]), 0)
    dy = np.maximum(np.maximum(a[:, None, 1] - c[None, :, 1], c[None, :, 1] - a[:, None, 3]), 0)
    return dx * dx + dy * dy < (c[None, :, 2] + gap) ** 2


def segments_hit_boxes(seg: np.ndarray, boxes: np.ndarray, gap: float = 0.0) -> np.ndarray:
    """(len(seg), len(boxes)) bool: does a segment (x0, y0, x1, y1) pass through a box (grown by `gap`)?"""
    s = np.asarray(seg, dtype=float).reshape(-1, 4)
    b = as_boxes(boxes)
    if len(s) == 0 or len(b) == 0:
        return np.zeros((len(s), len(b)), dtype=bool)
    px, py = s[:, None, 0], s[:, None, 1]
    dx, dy = (s[:, 2] - s[:, 0])[:, None], (s[:, 3] - s[:, 1])[:, None]
    t0 = np.zeros((len(s), len(b)))
    t1 = np.ones((len(s), len(b)))
    ok = np.ones((len(s), len(b)), dtype=bool)
    for p, q in ((-dx, px - (b[None, :, 0] - gap)), (dx, (b[None, :, 2] + gap) - px),
                 (-dy, py - (b[None, :, 1] - gap)), (dy, (b[None, :, 3] + gap) - py)):
        p = np.broadcast_to(p, t0.shape)
        q = np.broadcast_to(q, t0.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = q / p
        ok &= ~((p == 0) & (q < 0))
        t0 = np.where(p < 0, np.maximum(t0, r), t0)
        t1 = np.where(p > 0, np.minimum(t1, r), t1)
    return ok & (t0 <= t1)


def place_labels(
    labels: Sequence[Label],
    *,
    frame: Box,
    boxes: Sequence[Box] = (),
    circles: Sequence[tuple[float, float, float]] = (),
    gap: float = 1.0,
) -> Placement:
    """Choose one candidate per label so that no two labels, nor a label and an obstacle, touch.

    Labels are placed in order: required first, then by priority (higher first), then
    as given.  Each takes its cheapest candidate that lies inside `frame`, keeps `gap`
    from every obstacle box and disc (cx, cy, r), from every label already placed and
    from their leader lines, and whose own leader crosses no label already placed nor
    an obstacle box (other than the one it starts in).  A label with no such candidate
    is dropped (None); a required one takes its least-colliding candidate and is listed
    in ``Placement.forced``.  Pure: no drawing, deterministic.
    """
    ob = as_boxes(boxes)
    oc = np.asarray(circles, dtype=float).reshape(-1, 3)
    fx0, fy0, fx1, fy1 = frame
    placed: list[Box] = []
    leaders: list[tuple[float, float, float, float]] = []
    out: dict[str, Candidate | None] = {}
    forced: list[str] = []
    order = sorted(range(len(labels)), key=lambda i: (not labels[i].required, -labels[i].priority, i))
    for i in order:
        lab = labels[i]
        if not lab.candidates:
            out[lab.key] = None
            continue
        cands = sorted(lab.candidates, key=lambda c: c.cost)
        cb = as_boxes([c.box for c in cands])
        inside = (cb[:, 0] >= fx0 + gap) & (cb[:, 1] >= fy0 + gap) & (cb[:, 2] <= fx1 - gap) & (cb[:, 3] <= fy1 - gap)
        hits = np.zeros(len(cands))
        if len(ob):
            hits += boxes_intersect(cb, ob, gap).sum(axis=1)
        if len(oc):
            hits += boxes_hit_circles(cb, oc, gap).sum(axis=1)
        if placed:
            hits += boxes_intersect(cb, as_boxes(placed), gap).sum(axis=1)
        if leaders:
            hits += segments_hit_boxes(np.asarray(leaders), cb, gap).sum(axis=0)
        lead_idx = [k for k, c in enumerate(cands) if c.leader is not None]
        if lead_idx:
            segs = np.asarray([(*cands[k].leader[0], *cands[k].leader[1]) for k in lead_idx])  # type: ignore[index]
            others = placed[:]
            if len(ob):
                # an obstacle the leader starts in is its own symbol
                start_in = ((ob[None, :, 0] <= segs[:, None, 0]) & (segs[:, None, 0] <= ob[None, :, 2])
                            & (ob[None, :, 1] <= segs[:, None, 1]) & (segs[:, None, 1] <= ob[None, :, 3]))
                cross = segments_hit_boxes(segs, ob) & ~start_in
                hits[lead_idx] += cross.sum(axis=1)
            if others:
                hits[lead_idx] += segments_hit_boxes(segs, as_boxes(others), gap).sum(axis=1)
        free = np.flatnonzero(inside & (hits == 0))
        if len(free):
            pick = cands[int(free[0])]
        elif lab.required:
            score = hits + (~inside) * OUTSIDE_COST + np.array([c.cost for c in cands]) * 1e-3
            pick = cands[int(np.argmin(score))]
            forced.append(lab.key)
        else:
            out[lab.key] = None
            continue
        out[lab.key] = pick
        placed.append(pick.box)
        if pick.leader is not None:
            leaders.append((*pick.leader[0], *pick.leader[1]))
    return Placement(chosen={lab.key: out.get(lab.key) for lab in labels}, forced=forced)


def _attach(anchor: Point, w: float, h: float, dx: float, dy: float) -> Box:
    """A w×h box touching the point anchor+(dx, dy) on the side facing the anchor."""
    px, py = anchor[0] + dx, anchor[1] + dy
    ux = 0 if abs(dx) < 1e-9 else (1 if dx > 0 else -1)
    uy = 0 if abs(dy) < 1e-9 else (1 if dy > 0 else -1)
    x0 = px if ux > 0 else (px - w if ux < 0 else px - w / 2)
    y0 = py if uy > 0 else (py - h if uy < 0 else py - h / 2)
    return (x0, y0, x0 + w, y0 + h)


def point_candidates(
    anchor: Point,
    size: tuple[float, float],
    radius: float,
    *,
    gap: float = 2.0,
    leader_radii: Sequence[float] = (),
    directions: int = 16,
    tag: Any = None,
    base_cost: float = 0.0,
) -> list[Candidate]:
    """Positions for a w×h label of a symbol of `radius` at `anchor` (all in points).

    First the eight classic positions next to the symbol (right, upper right, lower
    right, left, upper left, lower left, above, below); then, for each of
    `leader_radii`, `directions` positions that far out, joined to the symbol by a
    leader line.
    """
    w, h = size
    d = radius + gap
    e = d * DIAGONAL
    near = [(d, 0), (e, e), (e, -e), (-d, 0), (-e, e), (-e, -e), (0, d), (0, -d)]
    out = [Candidate(_attach(anchor, w, h, dx, dy), base_cost + k, None, tag) for k, (dx, dy) in enumerate(near)]
    for j, rho in enumerate(leader_radii):
        for k in range(directions):
            a = 2 * math.pi * k / directions
            ca, sa = math.cos(a), math.sin(a)
            dx, dy = rho * ca, rho * sa
            # snap almost-axial directions so the box sits square to the leader
            dx = 0.0 if abs(ca) < AXIAL_SNAP else dx
            dy = 0.0 if abs(sa) < AXIAL_SNAP else dy
            box = _attach(anchor, w, h, dx, dy)
            end = (min(max(anchor[0] + dx, box[0]), box[2]), min(max(anchor[1] + dy, box[1]), box[3]))
            start = (anchor[0] + radius * ca, anchor[1] + radius * sa)
            pref = 0 if ca > RIGHTWARDS else 1
            out.append(Candidate(box, base_cost + LEADER_COST + RING_COST * j + pref + k * 0.01, (start, end), tag))
    return out


def area_candidates(
    inside: Callable[[np.ndarray], np.ndarray],
    preferred: Point,
    size: tuple[float, float],
    search: Box,
    *,
    step: float | None = None,
    max_outside: float = 0.34,
    tag: Any = None,
    base_cost: float = 0.0,
    limit: int = 120,
    own: Callable[[np.ndarray], np.ndarray] | None = None,
) -> list[Candidate]:
    """Positions for a w×h area label (a country name) centred on a grid over `search`.

    `inside(points) -> bool array` says which points (N×2, in points) the label may
    cover.  Cost: distance from `preferred` (in label heights), plus a penalty for the
    part of the box outside `inside` (boxes more than `max_outside` outside are not
    offered), plus a smaller one for the part outside `own` when given (the country
    itself, where `inside` also lets a label spill over the sea).
    """
    w, h = size
    step = step or max(h * 0.8, 4.0)
    x0, y0, x1, y1 = search
    xs = np.arange(x0 + w / 2, x1 - w / 2 + 1e-9, step)
    ys = np.arange(y0 + h / 2, y1 - h / 2 + 1e-9, step)
    if len(xs) == 0 or len(ys) == 0:
        return []
    gx, gy = np.meshgrid(xs, ys)
    centres = np.column_stack((gx.ravel(), gy.ravel()))
    # probes per box: a lattice of 3 rows, columns about half a label height apart
    fx = np.linspace(-0.5, 0.5, max(5, int(w / max(h, 1.0) * 2) + 1)) * w
    fy = np.linspace(-0.5, 0.5, 3) * h
    probes = np.array([(a, b) for a in fx for b in fy])
    pts = (centres[:, None, :] + probes[None, :, :]).reshape(-1, 2)
    outside = 1.0 - inside(pts).reshape(len(centres), len(probes)).mean(axis=1)
    ok = outside <= max_outside + 1e-9
    away = np.zeros(len(centres)) if own is None else 1.0 - own(pts).reshape(len(centres), len(probes)).mean(axis=1)
    centres, outside, away = centres[ok], outside[ok], away[ok]
    dist = np.hypot(centres[:, 0] - preferred[0], centres[:, 1] - preferred[1]) / max(h, 1.0)
    cost = base_cost + DISTANCE_COST * dist + OUTSIDE_SHARE_COST * outside + AWAY_COST * away
    order = np.argsort(cost, kind="stable")[:limit]
    return [Candidate((float(cx - w / 2), float(cy - h / 2), float(cx + w / 2), float(cy + h / 2)), float(cost[k]),
                      None, tag) for k in order for cx, cy in [centres[k]]]
