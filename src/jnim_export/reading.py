"""The content read with each writer's section checked against its options: what a build reads,
and all `validate` does (without the build's own modules)."""

from __future__ import annotations

import functools
from pathlib import Path

from . import render
from .render import Writer


def read(content: Path, writers: tuple[Writer, ...] | None = None):
    """The content file, its writers' sections checked against their options (every problem at
    once, as FILE:LINE:COLUMN). Raises ContentError."""
    from .content import read as read_content

    registry = render.WRITERS if writers is None else writers  # looked up at each read: the one list of formats
    return read_content(content, {w.name: functools.partial(_section_problems, w) for w in registry})


def _section_problems(writer: Writer, section) -> list:
    _, problems = render.options.from_content(writer.options, section.values, section.root)
    return [section.problem(p.key, p.message, on_key=p.on_key) for p in problems]
