"""`jnim-export review`: an edited Word edition read back, reported at content lines, applied in place.

The end-to-end tests build the Word edition of a copy of the default content, edit it with raw
tracked-change XML as Word writes it (`wordedit`), and check the report, the rewritten
content.yaml (exactly the changed characters) and the PDF rebuilt from it. The in-place editing
of YAML text fields is checked over generated texts in every scalar style.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import copy_default_project
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jnim_export import model as m
from jnim_export.cli import main
from jnim_export.content import ContentError
from jnim_export.content.edits import Edit, Source
from jnim_export.content.inline import parse_inline
from wordedit import WordEdits

ROOT = Path(__file__).resolve().parents[1]


def _line_col(text: str, needle: str, after: str = "") -> tuple[int, int]:
    at = text.index(needle, text.index(after) if after else 0)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture()
def project(tmp_path, monkeypatch, default_figures) -> Path:
    """A copy of the default content with its Word edition built (from the run's drawings: the
    review reads text, and drawing the figures again for every test only cost time)."""
    copy_default_project(tmp_path)
    shutil.copytree(default_figures, tmp_path / "output" / ".jnim-export" / "figures")
    monkeypatch.chdir(tmp_path)
    result = _run("docx", "-q")
    assert result.exit_code == 0, result.output
    return tmp_path


@pytest.mark.slow
def test_tracked_changes_and_a_comment_reported_applied_and_printed(project):
    built = project / "output" / "jnim-backgrounder.docx"
    edits = WordEdits(built)
    edits.replace("deadly", "lethal")
    edits.insert_after("Map of JNIM Activity", " in the Sahel")
    edits.move("predominantly ", "in Mali, but")
    edits.comment("Foreign Terrorist Organization (FTO)", "Check the date of designation.")
    edits.replace("wal Muslimin (JNIM)", "wal-Muslimin (JNIM)", author="Director")  # the title, first in the file
    edits.replace("Still attacking", "Still striking")  # a slide bullet
    edited = edits.save(project / "edited.docx")
    original = (project / "content.yaml").read_text(encoding="utf-8")

    result = _run("review", str(edited))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    line, col = _line_col(original, "deadly", after="blocks:")
    assert f'content.yaml:{line}:{col}: Background, paragraph 1: "deadly" \u2192 "lethal" (Editor, 2026-12-01)' in lines
    line, col = _line_col(original, ", March 2017\u2013July 2018[^acled-map]")
    assert f'content.yaml:{line}:{col}: figure 2 caption: "" \u2192 " in the Sahel" (Editor, 2026-12-01)' in lines
    line, col = _line_col(original, "predominantly")
    assert (f'content.yaml:{line}:{col}: Strategy, Operations, and Tactics, paragraph 1: "predominantly " \u2192 "" '
            "(Editor, 2026-12-01; moved)") in lines
    line, col = _line_col(original, "Foreign Terrorist Organization (FTO)")
    assert (f'content.yaml:{line}:{col}: Background, paragraph 1: note: "Foreign Terrorist Organization (FTO)": '
            "Check the date of designation. (Director, 2026-12-02)") in lines
    line, col = _line_col(original, "wal Muslimin (JNIM)")
    assert (f'content.yaml:{line}:{col}: title: "wal Muslimin (JNIM)" \u2192 "wal-Muslimin (JNIM)" '
            "(Director, 2026-12-01)") in lines
    line, col = _line_col(original, "Still attacking")
    assert (f'content.yaml:{line}:{col}: Strategy, Operations, and Tactics, bullet 5: "Still attacking" \u2192 '
            '"Still striking" (Editor, 2026-12-01)') in lines
    assert lines[-1] == "6 changes, 1 comment"
    assert (project / "content.yaml").read_text(encoding="utf-8") == original, "a report changes nothing"

    report = json.loads(_run("review", str(edited), "--json").output)
    assert sorted(c["old"] for c in report["changes"]) == ["", "", "Still attacking", "deadly", "predominantly ",
                                                           "wal Muslimin (JNIM)"]

    assert _run("review", str(edited), "--apply").exit_code == 0
    head, tail = original.split("blocks:", 1)  # the bullet above says "deadly threat" too: not in the Word edition
    expected = (head + "blocks:" + tail.replace('"deadly threat"', '"lethal threat"', 1)
                .replace("group is predominantly active in Mali", "group is active predominantly in Mali")
                .replace("caption: Map of JNIM Activity, March", "caption: Map of JNIM Activity in the Sahel, March")
                .replace("Still attacking", "Still striking"))
    expected = expected.replace("title: Jama'at Nasr al-Islam wal Muslimin", "title: Jama'at Nasr al-Islam wal-Muslimin")
    assert (project / "content.yaml").read_text(encoding="utf-8") == expected

    again = _run("review", str(edited))
    assert again.exit_code == 0
    assert again.output.splitlines()[-1] == "0 changes, 1 comment, 6 already in content.yaml; nothing left to apply"

    pdf = _run("pdf", "-q")
    assert pdf.exit_code == 0, pdf.output
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(project / "output" / "jnim-backgrounder.pdf").pages).split())
    assert '"lethal threat"' in text.replace("\u201c", '"').replace("\u201d", '"') and "deadly threat" not in text
    assert "Map of JNIM Activity in the Sahel" in text


@pytest.mark.slow
def test_a_change_across_a_note_callout_is_refused_and_nothing_applied(project):
    edits = WordEdits(project / "output" / "jnim-backgrounder.docx")
    edits.replace("deadly", "lethal")
    edits.delete_through_callout("Nationality Act.")
    edited = edits.save(project / "edited.docx")
    original = (project / "content.yaml").read_text(encoding="utf-8")
    result = _run("review", str(edited), "--apply")
    assert result.exit_code == 1
    line, col = _line_col(original, "Nationality Act.")
    assert any(x.startswith(f"content.yaml:{line}:{col}: Background, paragraph 1: error: ")
               and "spans structure (note callout)" in x for x in result.output.splitlines()), result.output
    assert "nothing was applied" in result.output
    assert (project / "content.yaml").read_text(encoding="utf-8") == original


@pytest.mark.slow
def test_a_text_edited_since_the_build_is_reported_not_overwritten(project):
    edits = WordEdits(project / "output" / "jnim-backgrounder.docx")
    edits.replace("deadly", "lethal")
    edited = edits.save(project / "edited.docx")
    content = project / "content.yaml"
    changed = content.read_text(encoding="utf-8").replace("demonstrate either", "show either")
    content.write_text(changed, encoding="utf-8")
    result = _run("review", str(edited), "--apply")
    assert result.exit_code == 1 and "edited since?" in result.output
    assert content.read_text(encoding="utf-8") == changed


@pytest.mark.slow
def test_text_inserted_then_deleted_is_no_change_and_another_contents_file_is_refused(project):
    edits = WordEdits(project / "output" / "jnim-backgrounder.docx")
    edits.inserted_then_deleted("numerous attacks", " (dozens)")
    edits.replace("deadly", "lethal")
    edited = edits.save(project / "edited.docx")
    result = _run("review", str(edited))
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "1 change, 0 comments", result.output
    other = ROOT / "tests" / "data" / "second" / "content.yaml"
    result = _run("review", str(edited), "--content", str(other), "--apply")
    assert result.exit_code == 1
    assert "built from the content with slug 'jnim-backgrounder', not this one ('exm-backgrounder')" in result.output


@pytest.mark.slow
def test_an_edit_made_without_track_changes_is_reported_not_lost(project):
    edits = WordEdits(project / "output" / "jnim-backgrounder.docx")
    edits.retype("numerous attacks", "many attacks")
    edited = edits.save(project / "edited.docx")
    original = (project / "content.yaml").read_text(encoding="utf-8")
    result = _run("review", str(edited), "--apply")
    assert result.exit_code == 1
    line, col = _line_col(original, "numerous attacks")
    assert (f'content.yaml:{line}:{col}: Background, paragraph 1: error: edited in Word without Track Changes '
            f'("numerous attacks') in result.output
    assert (project / "content.yaml").read_text(encoding="utf-8") == original


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_a_file_saved_again_by_another_application_still_maps_back(project, tmp_path):
    """LibreOffice opens and saves the Word edition (renaming styles, moving bookmark ends): every
    text is still found, unchanged, and a tracked change made on that file is still located."""
    import subprocess

    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "saved"),
                    str(project / "output" / "jnim-backgrounder.docx")], check=True, capture_output=True, timeout=180)
    saved = tmp_path / "saved" / "jnim-backgrounder.docx"
    result = _run("review", str(saved))
    assert result.exit_code == 0 and result.output == "0 changes, 0 comments; nothing left to apply\n", result.output
    edits = WordEdits(saved)
    edits.replace("deadly", "lethal")
    result = _run("review", str(edits.save(tmp_path / "edited.docx")))
    original = (project / "content.yaml").read_text(encoding="utf-8")
    line, col = _line_col(original, "deadly", after="blocks:")
    assert result.output.startswith(f'content.yaml:{line}:{col}: Background, paragraph 1: "deadly" \u2192 "lethal"')


def test_a_file_that_is_no_word_edition_is_one_message(tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"not a zip")
    (tmp_path / "content.yaml").write_text("meta: {}\n", encoding="utf-8")
    result = _run("review", str(bad), "--content", str(tmp_path / "content.yaml"))
    assert result.exit_code == 1 and result.output.startswith(f"{bad}: not a .docx file")


# --------------------------------------------------------------------------- in-place edits, any style


def test_overlapping_or_impossible_edits_are_refused_together(tmp_path):
    file = tmp_path / "c.yaml"
    text = "key: a deadly threat\nother: '*x*'\n"
    file.write_text(text, encoding="utf-8")
    source = Source(file)
    with pytest.raises(ContentError, match="two changes overlap"):
        source.apply([Edit(("key",), 2, 8, "lethal"), Edit(("key",), 4, 10, "x")])
    with pytest.raises(ContentError, match=r"c.yaml:2:10: other: .*would read"):
        source.apply([Edit(("key",), 2, 8, "lethal"), Edit(("other",), 0, 1, "*y*")])  # the second makes markup
    assert file.read_text(encoding="utf-8") == text


def test_windows_line_ends_and_a_byte_order_mark_are_kept(tmp_path):
    file = tmp_path / "c.yaml"
    file.write_bytes(b"\xef\xbb\xbf# note\r\nkey: >-\r\n  a deadly\r\n  threat\r\nother: 1\r\n")
    source = Source(file)
    start = source.field(("key",)).plain.index("deadly")
    source.apply([Edit(("key",), start, start + 6, "lethal")])
    assert file.read_bytes() == b"\xef\xbb\xbf# note\r\nkey: >-\r\n  a lethal\r\n  threat\r\nother: 1\r\n"


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz.,;'()-éعر", min_size=1, max_size=8)
PIECE = st.one_of(WORD, WORD.map(lambda w: f"*{w.strip('*')}*"), st.just("[^n1]"),
                  WORD.map(lambda w: f"[{w.strip('[]')}](https://example.org/x)"))


def _leaves(nodes):
    for n in nodes:
        yield from _leaves(n.children) if isinstance(n, (m.Emph, m.Strong, m.Link)) else (n,)


def _scalar(value: str, style: str) -> str:
    if style == "plain":
        return value
    if style == "double":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    words, lines, line = value.split(" "), [], ""
    for w in words:  # folded, wrapped at about 30 characters
        if line and len(line) + len(w) > 30:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return ">-\n" + "".join(f"    {x}\n" for x in lines).rstrip("\n")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(PIECE, min_size=1, max_size=10), style=st.sampled_from(["plain", "double", "single", "folded"]),
       data=st.data())
def test_an_edit_changes_exactly_its_text_in_every_yaml_style(pieces, style, data):
    """(Synthetic texts.) Either the field then reads as edited and nothing else changed, or the
    edit is refused and the file is untouched."""
    value = "Start " + " ".join(pieces) + " end"
    if style == "plain" and re.search(r"[\[\]*]", value[:1]):
        value = "x" + value
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "c.yaml"
        text = f"# a comment\nother: keep me   # trailing\ntext: {_scalar(value, style)}\nlast: [1, 2]\n"
        file.write_text(text, encoding="utf-8")
        source = Source(file)
        field = source.field(("text",))
        assert field is not None
        # the traced text is what a reader sees, and each of its characters is where it says
        shown = "".join(n.text for n in _leaves(parse_inline(source.data["text"]).inlines) if isinstance(n, m.Text))
        assert field.plain == shown
        assert all(field.value[at] == c or (c == " " and field.value[at].isspace()) for c, at in zip(field.plain, field.at))
        a = data.draw(st.integers(0, len(field.plain)))
        b = data.draw(st.integers(a, min(len(field.plain), a + 6)))
        new = data.draw(st.text(alphabet="lethal éع '\"\\", max_size=6))
        try:
            source.apply([Edit(("text",), a, b, new, "text")])
        except ContentError:
            assert file.read_text(encoding="utf-8") == text
            return
        after = Source(file)
        assert after.field(("text",)).plain == field.plain[:a] + new + field.plain[b:]
        assert after.data["other"] == "keep me" and after.data["last"] == [1, 2]
        written = file.read_text(encoding="utf-8")
        assert written.startswith("# a comment\nother: keep me   # trailing\ntext: ")
