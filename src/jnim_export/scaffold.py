"""Create a new backgrounder project: a commented content.yaml skeleton and an assets folder."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


class ProjectExists(Exception):
    """The target folder already holds a content file."""


def init_project(folder: Path) -> Path:
    """Write `folder/content.yaml` and `folder/assets/`; return the content file's path."""
    content = folder / "content.yaml"
    if content.exists():
        raise ProjectExists(f"{content} already exists; nothing was changed")
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    content.write_text(files("jnim_export").joinpath("templates/content.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return content
