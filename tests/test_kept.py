"""Work kept beside the bytecode for the next process (kept.py): a file is read back only under
its own stamp, and a PDF face made from its kept state is the face parsing the file makes."""

from __future__ import annotations

import marshal
import sys

import pytest

from jnim_export import fonts as shipped
from jnim_export import kept


def test_a_file_is_read_back_only_under_its_stamp(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    where = str(tmp_path / "__pycache__" / "x.marshal")
    kept.write(where, ("v", 1), {"a": [1, 2], ("b", 0): b"\x00"})
    assert kept.read(where, ("v", 1)) == {"a": [1, 2], ("b", 0): b"\x00"}
    assert kept.read(where, ("v", 2)) == {}
    (tmp_path / "__pycache__" / "x.marshal").write_bytes(b"\x01\x02")
    assert kept.read(where, ("v", 1)) == {}
    kept.write(where, ("v", 1), {"f": lambda: 0})  # not plain data: nothing is kept
    assert kept.read(where, ("v", 1)) == {} and list(tmp_path.rglob("*.marshal.*")) == []
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    kept.write(str(tmp_path / "y.marshal"), ("v", 1), {})
    assert not (tmp_path / "y.marshal").exists()


def test_a_kept_face_is_the_parsed_face():
    pytest.importorskip("reportlab")
    from reportlab.pdfbase.ttfonts import TTFont

    from jnim_export.render.pdf import rl

    for path in (shipped.font_path("Noto Serif", italic=True), shipped.font_path(shipped.ARABIC, bold=True)):
        parsed = TTFont("Parsed", str(path))
        state = marshal.loads(marshal.dumps(rl.face_state(parsed)))  # as the file holds it
        made = rl.kept_font("Made", str(path), state, path.read_bytes())
        skip = ("_pdfScale",)
        assert {k: v for k, v in vars(made.face).items() if k not in skip} == \
            {k: v for k, v in vars(parsed.face).items() if k not in skip}
        assert made.face.name.ustr == parsed.face.name.ustr and type(made.face) is type(parsed.face)
        assert made.face._pdfScale(1234) == parsed.face._pdfScale(1234)
        text = "Jama‘at Nusrat al-Islam — ٢٠١٧ جماعة"
        assert made.stringWidth(text, 10) == parsed.stringWidth(text, 10)
        glyphs = sorted(parsed.face.charToGlyph)[:80]
        assert made.face.makeSubset(glyphs) == parsed.face.makeSubset(glyphs)
