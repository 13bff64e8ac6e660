"""A user's template is data: its links to outside are removed with a warning, a malformed one is
refused with a plain message naming the file and the part (and line) that is wrong.

Templates here are python-pptx's default, edited part by part (synthetic: made by the tests).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from jnim_export.cli import main
from jnim_export.render import RenderError
from jnim_export.render.pptx import templatefile

BASE = Path(__file__).parent / "data" / "broken" / "_base.yaml"
MASTER = "ppt/slideMasters/slideMaster1.xml"
MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
LAYOUT_RELS = "ppt/slideLayouts/_rels/slideLayout1.xml.rels"
THEME = "ppt/theme/theme1.xml"
IMAGE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
LINK_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _parts() -> list[tuple[str, bytes]]:
    buf = io.BytesIO()
    prs = Presentation()
    prs.slide_width, prs.slide_height = 12_192_000, 6_858_000
    prs.save(buf)
    with zipfile.ZipFile(buf) as z:
        return [(n, z.read(n)) for n in z.namelist()]


def template(tmp_path: Path, edit=None, name: str = "t.pptx") -> Path:
    parts = _parts()
    if edit is not None:
        parts = edit(dict(parts)) if not isinstance(edit, str) else parts
        parts = list(parts.items()) if isinstance(parts, dict) else parts
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as z:
        for n, blob in parts:
            z.writestr(n, blob)
    return path


def _replace(part: str, old: bytes, new: bytes):
    def edit(parts: dict) -> dict:
        assert old in parts[part], old
        parts[part] = parts[part].replace(old, new, 1)
        return parts
    return edit


def _rel(rid: str, kind: str, target: str) -> bytes:
    return f'<Relationship Id="{rid}" Type="{kind}" Target="{target}" TargetMode="External"/></Relationships>'.encode()


def _linked(parts: dict) -> dict:
    """A background image fetched from a web server, and a link to a local file."""
    parts[MASTER_RELS] = parts[MASTER_RELS].replace(b"</Relationships>", _rel("rId99", IMAGE_RT, "http://beacon.example/t.png"))
    parts[MASTER] = parts[MASTER].replace(
        b'<p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>',
        b'<p:bg><p:bgPr><a:blipFill><a:blip r:link="rId99"/><a:stretch><a:fillRect/></a:stretch></a:blipFill>'
        b'<a:effectLst/></p:bgPr></p:bg>')
    parts[LAYOUT_RELS] = parts[LAYOUT_RELS].replace(b"</Relationships>", _rel("rId98", LINK_RT, "file:///etc/passwd"))
    return parts


def test_external_links_are_removed_with_a_warning_naming_them(tmp_path):
    warnings: list[str] = []
    prs = templatefile.load(template(tmp_path, _linked), warnings)
    assert warnings == [
        "slides: template t.pptx: the link to 'file:///etc/passwd' in ppt/slideLayouts/slideLayout1.xml "
        "was removed; a template's links to outside it are not followed",
        "slides: template t.pptx: the link to 'http://beacon.example/t.png' in ppt/slideMasters/slideMaster1.xml "
        "was removed; a template's links to outside it are not followed",
    ]
    assert all(not rel.is_external for rel in prs.slide_master.part.rels.values())
    assert b'r:link="rId99"' not in prs.slide_master.part.blob


def test_a_deck_on_a_linked_template_holds_no_link_out(tmp_path):
    content = tmp_path / "content.yaml"
    content.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    tpl = template(tmp_path, _linked)
    result = CliRunner().invoke(main, ["slides", str(content), "--template", str(tpl), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "the link to 'http://beacon.example/t.png' in ppt/slideMasters/slideMaster1.xml was removed" in result.output
    with zipfile.ZipFile(tmp_path / "out" / "test-backgrounder.pptx") as z:
        everything = b"".join(z.read(n) for n in z.namelist())
    assert b"beacon.example" not in everything and b"/etc/passwd" not in everything


def _drop(part: str):
    def edit(parts: dict) -> dict:
        del parts[part]
        return parts
    return edit



def _twice(parts: dict) -> list:
    return [*parts.items(), (THEME, parts[THEME])]


_SIZE = b'<p:sldSz cx="12192000" cy="6858000" type="screen4x3"/>'
MALFORMED = {
    "bad-theme-xml": (_replace(THEME, b"</a:theme>", b"</a:them>"),
                      r"ppt/theme/theme1\.xml:2:\d+: not well-formed XML \(.*\)$"),
    "entities": (_replace(THEME, b"?>", b'?><!DOCTYPE t [<!ENTITY e "eeeeeeeeee"><!ENTITY f "&e;&e;&e;">]>'),
                 r"ppt/theme/theme1\.xml declares a DOCTYPE or entities, which no PowerPoint part has$"),
    "duplicate-part": (_twice, r"holds ppt/theme/theme1\.xml twice$"),
    "missing-part": (_drop(THEME), r"ppt/_rels/presentation\.xml\.rels refers to 'theme/theme1\.xml', "
                                   r"which is not in the file$"),
    "no-theme": (_replace(MASTER_RELS, b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"',
                          b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/other"'),
                 r"ppt/slideMasters/slideMaster1\.xml has no theme$"),
    "no-presentation": (_drop("ppt/presentation.xml"), r"has no ppt/presentation\.xml; it is not a PowerPoint presentation$"),
    "tiny": (_replace("ppt/presentation.xml", _SIZE, b'<p:sldSz cx="914400" cy="914400"/>'),
             r"its slides are 1 × 1 inches; each side must be 4 to 56 inches$"),
    "zero": (_replace("ppt/presentation.xml", _SIZE, b'<p:sldSz cx="0" cy="0"/>'),
             r"its slides are 0 × 0 inches; each side must be 4 to 56 inches$"),
    "negative": (_replace("ppt/presentation.xml", _SIZE, b'<p:sldSz cx="-12192000" cy="6858000"/>'),
                 r"its slides are -13\.3333 × 7\.5 inches; each side must be 4 to 56 inches$"),
    "not-a-number": (_replace("ppt/presentation.xml", _SIZE, b'<p:sldSz cx="wide" cy="6858000"/>'),
                     r"ppt/presentation\.xml: the slide size is not two whole numbers$"),
    "no-size": (_replace("ppt/presentation.xml", _SIZE, b""), r"ppt/presentation\.xml gives no slide size \(p:sldSz\)$"),
    "not-a-zip": ("text", r"is not a PowerPoint file \(not a zip archive: .*\)$"),
}


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_templates_are_refused_with_a_located_message(tmp_path, name):
    edit, expected = MALFORMED[name]
    path = template(tmp_path, edit)
    if edit == "text":
        path.write_text("not a zip")
    with pytest.raises(RenderError, match=rf"^template {path}: " + expected if not expected.startswith("is ")
                       else rf"^template {path} " + expected):
        templatefile.load(path, [])


def test_a_malformed_template_on_the_command_line_exits_1(tmp_path):
    content = tmp_path / "content.yaml"
    content.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    tpl = template(tmp_path, MALFORMED["entities"][0])
    result = CliRunner().invoke(main, ["slides", str(content), "--template", str(tpl), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{content}: template {tpl}: ppt/theme/theme1.xml declares a DOCTYPE or entities, which no PowerPoint part has",
        "build failed; no output was changed.",
    ]
