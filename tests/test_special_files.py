"""Files that are not files: a named pipe or a device named as content, template, export, photo or
aggregate ends in a message and exit 1, at once; and every user file is read through one helper.

Each command runs in a daemon thread with a deadline, so a regression fails instead of hanging.
"""

from __future__ import annotations

import ast
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import jnim_export
from jnim_export import files
from jnim_export.cli import main

BASE = Path(__file__).parent / "data" / "broken" / "_base.yaml"
PACKAGE = Path(jnim_export.__file__).parent
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def run(args: list[str], deadline: float = 30.0):
    """The command's result, or a failure if it has not returned within `deadline` seconds."""
    box: list = []
    thread = threading.Thread(target=lambda: box.append(CliRunner().invoke(main, args)), daemon=True)
    thread.start()
    thread.join(deadline)
    assert box, f"{args} did not return within {deadline:.0f} s"
    result = box[0]
    assert "Traceback" not in result.output and "unexpected error" not in result.output, result.output
    return result


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    file = tmp_path / "content.yaml"
    file.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    return file


@pytest.mark.parametrize("command", ["validate", "build", "pdf"])
@pytest.mark.parametrize("special, kind", [("fifo", "a named pipe (FIFO)"), ("/dev/zero", "a character device")])
def test_a_special_file_as_content(tmp_path, fifo, command, special, kind):
    target = str(fifo) if special == "fifo" else special
    result = run([command, target, "--out", str(tmp_path / "out")] if command != "validate" else [command, target])
    assert result.exit_code == 1
    assert f"{target}:1:1: cannot read file: {kind}, not a regular file" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("special, kind", [("fifo", "a named pipe (FIFO)"), ("/dev/zero", "a character device")])
def test_a_special_file_as_template(tmp_path, content, fifo, special, kind):
    target = str(fifo) if special == "fifo" else special
    result = run(["slides", str(content), "--template", target, "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{content}: template {target}: {kind}, not a regular file" in result.output
    assert "build failed; no output was changed." in result.output


@pytest.mark.parametrize("command", [["events", "actors"], ["events", "import", "--actor", "JNIM"]])
@pytest.mark.parametrize("special, kind", [("fifo", "a named pipe (FIFO)"), ("/dev/zero", "a character device")])
def test_a_special_file_as_export(fifo, command, special, kind):
    target = str(fifo) if special == "fifo" else special
    result = run([*command[:2], target, *command[2:]])
    assert result.exit_code == 1
    assert f"cannot read {target}: {kind}, not a regular file" in result.output


def test_a_fifo_as_photo_or_aggregate(tmp_path, content):
    (tmp_path / "assets").mkdir()
    os.mkfifo(tmp_path / "assets" / "photo.jpg")
    os.mkfifo(tmp_path / "assets" / "agg.json")
    text = content.read_text(encoding="utf-8")
    text = text.replace("    alt: A portrait.\n", "    alt: A portrait.\n    image: assets/photo.jpg\n")
    text = text.replace("      - figure: photo\n", "      - figure: photo\n      - figure: chart\n")
    text = text.replace("sources:", "  - {id: chart, kind: chart, caption: c, alt: a, data: assets/agg.json}\nsources:")
    content.write_text(text, encoding="utf-8")
    result = run(["build", str(content), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert ":12: figures.0.image: asset 'assets/photo.jpg' is a named pipe (FIFO), not a regular file" in result.output
    assert ":56: figures.1.data: asset 'assets/agg.json' is a named pipe (FIFO), not a regular file" in result.output


def test_the_helper_refuses_what_is_not_a_bounded_regular_file(tmp_path, fifo):
    (tmp_path / "big").write_bytes(b"x" * 2_000)
    with pytest.raises(files.FileProblem, match=r"^file is 2,000 bytes; templates are limited to 1,000 bytes$"):
        files.read_bytes(tmp_path / "big", 1_000, "templates")
    with pytest.raises(files.FileProblem, match=r"^a named pipe \(FIFO\), not a regular file$"):
        files.read_bytes(fifo, 1_000)
    with pytest.raises(files.FileProblem, match=r"^a folder, not a regular file$"):
        files.read_bytes(tmp_path, 1_000)
    # a file whose size stat() does not tell (as in /proc) is still read only to its limit
    with pytest.raises(files.FileProblem, match=r"^file is over 10 bytes"):
        files.read_bytes("/proc/self/status", 10)
    assert files.read_bytes(tmp_path / "big", 2_000) == b"x" * 2_000


# --------------------------------------------------------------------------- one opener

# Calls that open or decode a file by its name. Outside `files.py` they may only read the
# package's own data and the tool's own outputs and caches, listed here with why.
_OPENERS = {"open", "read_bytes", "read_text", "Presentation", "ImageReader", "svg2rlg", "add_picture",
            "ZipFile", "load", "fromfile", "fdopen", "parse"}
_OWN_FILES = {
    ("atomic", "open"): "the output being written",
    ("figures.water", "read_bytes"): "shipped lakes and rivers",
    ("figures.water", "ZipFile"): "shipped lakes and rivers",
    ("figures.water", "open"): "shipped lakes and rivers (members of their zip)",
    ("figures.cache", "read_bytes"): "the drawing code's own modules and fonts, for its fingerprint",
    ("figures.cache", "read_text"): "the figure cache's notes beside a drawing",
    ("render.html.figures", "read_bytes"): "the figure cache's SVG",
    ("render.pdf.conformance", "read_bytes"): "the shipped ICC profile",
    ("render.pdf.fonts", "read_bytes"): "the shipped faces' bytes (their parsed state kept)",
    ("kept", "open"): "the work kept beside the package's bytecode, read and written",
    ("figures.world", "load"): "shipped Natural Earth data",
    ("geodata", "ZipFile"): "shipped Natural Earth data",
    ("geodata", "read_bytes"): "shipped Natural Earth data",
    ("fonts", "read_text"): "the shipped fonts' coverage",
    ("fonts", "load"): "the shipped fonts' coverage (json.loads of it)",
    ("scaffold", "read_text"): "the shipped content template",
    ("render.html.page", "read_text"): "the shipped style sheet",
    ("render.html.figures", "read_text"): "the figure cache's converted SVG",
    ("render.html.figures", "fdopen"): "the figure cache, written",
    ("render.html.webfonts", "read_bytes"): "the shipped fonts' subsets",
    ("render.html.webfonts", "fdopen"): "the font subset cache, written",
    ("render.pdf.artwork", "svg2rlg"): "the figure cache's SVG",
    ("render.pptx.pictures", "add_picture"): "the figure cache's PNG (a photo goes through images.prepared)",
    ("render.pptx.package", "ZipFile"): "the deck's own archive, in memory",
    ("render.docx.body", "add_picture"): "the figure cache's PNG (a photo goes through images.prepared)",
    ("render.docx.opc", "ZipFile"): "the Word edition's own archive, in memory",
    ("render.pptx.templatefile", "ZipFile"): "the template's bytes, read through files, written back in memory",
    ("events.fetch", "open"): "an HTTP request (urllib's opener), no file",
    ("events.fetched", "open"): "the fetched CSV being written, atomic's temporary",
}


def _name(call: ast.Call) -> str | None:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def _in_memory(call: ast.Call) -> bool:
    """An opener given bytes already read (io.BytesIO, images.prepared(...).stream()), not a name."""
    if not call.args:
        return _name(call) == "Presentation"  # python-pptx's own default
    first = ast.unparse(call.args[0])
    return "BytesIO" in first or first.endswith(".stream()")


def test_user_files_are_read_only_through_the_helper():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        if module in ("files", "__init__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node) in _OPENERS and not _in_memory(node) \
                    and not ast.unparse(node.func).startswith("files."):
                if _name(node) in ("load", "parse") and not ast.unparse(node.func).startswith(("np.", "json.", "etree.")):
                    continue
                if (module, _name(node)) not in _OWN_FILES:
                    found.append(f"{module}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not found, "read a user's file through jnim_export.files (or list the package's own file here):\n" + \
        "\n".join(found)
