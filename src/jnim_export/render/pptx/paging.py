"""Content spread over as few slides as it needs, at the largest size that keeps that count:
whole items (`pack`), or paragraphs split where one is taller than a slide (`flow`)."""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

from .geometry import to_pt
from .regions import region
from .textfit import Para, para_cites

T = TypeVar("T")


def pack(deck, kind: str, items: Sequence[T], height: Callable[[T, float], float], sizes: Sequence[float],
         cites: Callable[[T], Sequence[int]]) -> list[tuple[float, list[T]]]:
    """Spread `items` (kept whole) over slides: all on one slide at the largest size that
    fits, else the fewest slides, at the largest size that keeps that count.

    `height(item, size)` in points, including any gap after the item.
    """

    def greedy(size):
        pages: list[list[T]] = [[]]
        for it in items:
            trial = pages[-1] + [it]
            area = region(deck, kind, [c for t in trial for c in cites(t)])
            if sum(height(t, size) for t in trial) <= to_pt(area.h) or not pages[-1]:
                pages[-1] = trial
            else:
                pages.append([it])
        return pages

    return _largest_keeping_fewest(greedy, sizes)


def flow(deck, kind: str, make: Callable[[float], list[Para]], sizes: Sequence[float]) -> list[tuple[float, list[Para]]]:
    """Paragraphs poured onto as few slides as they need: one slide at the largest size that
    fits, else the fewest slides, at the largest size that keeps that count. A paragraph too
    tall for any slide fills the rest of one and continues, unbulleted, on the next."""
    width = to_pt(region(deck, kind).w)

    def paginate(size):
        pages: list[list[Para]]
        queue, pages, used = list(make(size)), [[]], 0.0
        while queue:
            para, page = queue.pop(0), pages[-1]
            avail = to_pt(region(deck, kind, [c for q in page + [para] for c in para_cites(q)]).h)
            h = deck.measure.height(para, width)
            if used + h <= avail:
                page.append(para)
                used += h
                continue
            alone = to_pt(region(deck, kind, para_cites(para)).h)
            room = avail - used
            if h > alone and room >= 2 * deck.measure.pitch(para):
                head, tail = deck.measure.split(para, width, room)
                page.append(head)
                if tail is not None:
                    queue.insert(0, tail)
            elif not page:  # cannot happen with a sane slide size: keep it rather than loop
                page.append(para)
            else:
                queue.insert(0, para)
            pages.append([])
            used = 0.0
        return [pg for pg in pages if pg]

    for size in sizes:
        pages = paginate(size)
        if len(pages) == 1:
            return [(size, pages[0])]
    return _largest_keeping_fewest(paginate, sizes)


def _largest_keeping_fewest(paginate: Callable[[float], list], sizes: Sequence[float]) -> list[tuple[float, list]]:
    """The pages at the largest of `sizes` (largest first) that needs no more slides than the smallest."""
    fewest = len(paginate(sizes[-1]))
    for size in sizes[:-1]:
        pages = paginate(size)
        if len(pages) <= fewest:
            return [(size, page) for page in pages]
    return [(sizes[-1], page) for page in paginate(sizes[-1])]
