"""Work kept beside the bytecode for the next process (kept.py): a file is read back only under
its own stamp, and a PDF face made from its kept state is the face parsing the file makes."""

from __future__ import annotations

import marshal
import sys
from pathlib import Path

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


@pytest.mark.slow
def test_library_versions_are_kept_while_no_import_folder_changes(tmp_path):
    """A fresh process finds a version without importing importlib.metadata once it is kept; a
    package installed (a folder on sys.path changed) makes it look again."""
    import os
    import subprocess

    folder = tmp_path / "site"
    folder.mkdir()
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, str(folder)]), "PYTHONPYCACHEPREFIX": str(tmp_path / "c")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    check = ("import sys; from jnim_export import machine; v = machine.library_version('reportlab'); "
             "import reportlab; print(v == reportlab.Version, 'importlib.metadata' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, timeout=60)
            for _ in range(2)]
    assert [r.stdout.split() for r in runs] == [["True", "True"], ["True", "False"]], runs[-1].stderr
    (folder / "newly_installed.dist-info").mkdir()
    again = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, timeout=60)
    assert again.stdout.split() == ["True", "True"], again.stderr
