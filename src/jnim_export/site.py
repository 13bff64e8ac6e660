"""A series' site: every edition's outputs copied into one folder, with an index page listing them.

Each edition goes into a folder of its own named by its slug (a slug two contents share gets a
short hash of the content's path after it, the same every month). Every file is replaced whole
(written beside, then renamed), the index last, so a reader never meets half a file; nothing
outside the site's folder is written, and inside it only what an earlier site wrote is removed
(`MANIFEST` lists it). An edition whose build failed keeps its earlier copy and entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from . import atomic, files

INDEX = "index.html"
MANIFEST = ".jnim-export-site.json"  # what the last site wrote: its editions and their files
# column heading per writer; a writer not listed here is headed by its file suffix
LABELS = {"pdf": "PDF", "slides": "Slide deck", "html": "Web page", "docx": "Word file"}


class SiteError(Exception):
    """The site's folder cannot take the site; the message is for the user."""


@dataclass(frozen=True)
class Entry:
    """One edition as the index lists it: `files` are (writer name, file name in `folder`)."""

    content: str
    folder: str
    title: str
    group: str
    date: str
    language: str
    files: tuple[tuple[str, str], ...]

    def as_json(self) -> dict:
        return {**self.__dict__, "files": [list(f) for f in self.files]}


def write_site(site: Path, editions: list[tuple[Path, Any]], writers) -> list[Entry]:
    """Copy each built edition's outputs into `site` and write its index. `editions` holds
    (content file, its `series.Edition` or None if its build failed: its earlier copy and entry,
    if any, stay) in the series' order. Returns the index's entries. Raises SiteError."""
    site = Path(site)
    _check_folder(site)
    before = _read_manifest(site)
    kept = {str(c.resolve()): _entry(before.get(str(c.resolve()))) for c, e in editions if e is None}
    built = [(c, e) for c, e in editions if e is not None]
    fresh = dict(zip((str(c.resolve()) for c, _ in built),
                     _entries(built, {e.folder for e in kept.values() if e is not None})))
    entries = [e for c, _ in editions if (e := fresh.get(str(c.resolve())) or kept.get(str(c.resolve())))]
    try:
        for (content, edition), entry in zip(built, fresh.values()):
            target = site / entry.folder
            _check_folder(target)
            for (_, source), (_, name) in zip(edition.files, entry.files):
                with atomic.replacing(target / name) as tmp:
                    shutil.copyfile(source, tmp)
        atomic.write_bytes(site / MANIFEST, json.dumps({"editions": [e.as_json() for e in entries]}, indent=1,
                                                       ensure_ascii=False).encode())
        atomic.write_bytes(site / INDEX, index_page(entries, writers).encode())
        _remove_dropped(site, before, entries)
    except OSError as exc:
        raise SiteError(f"{exc.filename or site}: {exc.strerror or exc}; the site may be part-updated, each "
                        "file whole") from None
    return entries


def _entries(built: list[tuple[Path, object]], taken: set[str]) -> list[Entry]:
    """The built editions' entries: each in a folder named by its slug, or, where two share a
    slug (or a failed edition keeps that folder), by its slug and a hash of its content's path."""
    slugs = Counter(edition.slug for _, edition in built)  # type: ignore[attr-defined]
    entries = []
    for content, edition in built:
        e: Any = edition
        folder = e.slug
        if slugs[folder] > 1 or folder in taken:
            folder += "-" + hashlib.sha256(str(content.resolve()).encode()).hexdigest()[:8]
        files = tuple((writer, path.name) for writer, path in e.files)
        entries.append(Entry(str(content.resolve()), folder, e.title, e.group, e.date, e.language, files))
    return entries


def _check_folder(folder: Path) -> None:
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise SiteError(f"cannot create {folder}: {exc.strerror or exc}") from None
        return
    if not stat.S_ISDIR(st.st_mode):
        raise SiteError(f"{folder} is not a folder (a site writes only into real folders, never through a link)")


def _read_manifest(site: Path) -> dict[str, dict]:
    try:
        editions = json.loads(files.read_text(site / MANIFEST, 64 << 20, "site manifests"))["editions"]
        return {e["content"]: e for e in editions if isinstance(e, dict) and {"content", "folder", "files"} <= e.keys()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _entry(old: dict | None) -> Entry | None:
    """An earlier site's entry, if it is whole."""
    if old is None:
        return None
    try:
        fields = {k: str(old[k]) for k in ("content", "folder", "title", "group", "date", "language")}
        return Entry(**fields, files=tuple((str(w), str(n)) for w, n in old["files"]))
    except (KeyError, TypeError, ValueError):
        return None


def _remove_dropped(site: Path, before: dict[str, dict], entries: list[Entry]) -> None:
    """Remove the files an earlier site wrote that the new one no longer lists (and their folders, once empty)."""
    now = {(e.folder, name) for e in entries for _, name in e.files}
    for old in before.values():
        folder = str(old["folder"])
        if "/" in folder or folder.startswith("."):  # not a folder this module names: left alone
            continue
        old_entry = _entry(old)
        for _, name in old_entry.files if old_entry is not None else ():
            if (folder, name) not in now and "/" not in name and not name.startswith("."):
                (site / folder / name).unlink(missing_ok=True)
        try:
            (site / folder).rmdir()
        except OSError:
            pass  # still holds files: the new site's, or someone else's


def index_page(entries: list[Entry], writers) -> str:
    """The index: a table of every edition (title, group, date, a link to each of its files)."""
    names = [w.name for w in writers]
    heads = "".join(f'<th scope="col">{escape(LABELS.get(w.name, w.suffix.lstrip(".").upper()))}</th>'
                    for w in writers)
    rows = []
    for e in entries:
        files = dict(e.files)
        lang = f' lang="{escape(e.language)}"' if e.language else ""
        cells = [f'<th scope="row"{lang}>{escape(e.title)}</th>', f"<td{lang}>{escape(e.group)}</td>",
                 f'<td><time datetime="{escape(e.date)}">{escape(e.date)}</time></td>']
        for name in names:
            if name in files:
                href = escape(f"{e.folder}/{files[name]}")
                label = escape(LABELS.get(name, name))
                cells.append(f'<td><a href="{href}">{label}<span class="hidden"> of {escape(e.group)}</span></a></td>')
            else:
                cells.append("<td>—</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body = "\n".join(rows) if rows else ""
    count = f"{len(entries)} edition{'s' * (len(entries) != 1)}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backgrounders</title>
<style>
body {{ font-family: system-ui, sans-serif; color: #1f2328; background: #fff; margin: 2rem auto; max-width: 70rem;
  padding: 0 1rem; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #c9ced4; vertical-align: top; }}
a {{ color: #0b5394; }}
a:focus {{ outline: 3px solid #0b5394; outline-offset: 2px; }}
.hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
</style>
</head>
<body>
<main>
<h1>Backgrounders</h1>
<p>{count}, each as {", ".join(LABELS.get(n, n) for n in names)}.</p>
<table>
<caption>Every edition, with a link to each of its files</caption>
<thead><tr><th scope="col">Title</th><th scope="col">Group</th><th scope="col">Date</th>{heads}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</main>
</body>
</html>
"""
