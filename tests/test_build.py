"""The build loop: stale checks, reports, atomic outputs under kill -9, watch mode, init, a second backgrounder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pypdf import PdfReader

from jnim_export.cli import main
from jnim_export.render import WRITERS

from conftest import copy_default_project as copy_project

ROOT = Path(__file__).resolve().parents[1]
SECOND = Path(__file__).parent / "data" / "second"
CLI = [sys.executable, "-m", "jnim_export.cli"]


@pytest.fixture
def project(tmp_path, default_figures) -> Path:
    """A copy of the default content and its assets, with its own output folder and a warm figure
    cache (the run's first build of the default content drew it), as a user's second build has."""
    content = copy_project(tmp_path)
    shutil.copytree(default_figures, tmp_path / "output" / ".jnim-export" / "figures")
    return content


def edit(content: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in the content file; `old` must be there, or the edit tests nothing."""
    text = content.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {content.name}"
    content.write_text(text.replace(old, new), encoding="utf-8")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)


def first_build(project: Path) -> None:
    """The build a test starts from, in this process: only the build it checks needs a process of its own."""
    result = CliRunner().invoke(main, ["build", str(project), "--quiet"])
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_build_reports_outputs_then_skips_what_is_fresh(project):
    first = CliRunner().invoke(main, ["build", str(project), "--json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    pdf, deck, page, word = report["outputs"]
    assert page["path"].endswith("jnim-backgrounder.html") and page["sections"] == 3
    assert word["path"].endswith("jnim-backgrounder.docx") and word["sections"] == 3
    assert pdf["path"].endswith("jnim-backgrounder.pdf") and 2 <= pdf["pages"] <= 4 and not pdf["skipped"]
    assert deck["path"].endswith("jnim-backgrounder.pptx") and deck["slides"] >= 10
    assert len(PdfReader(pdf["path"]).pages) == pdf["pages"]
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(pdf["path"]).st_mode & 0o777 == 0o666 & ~umask  # as any new file, not mkstemp's 0600
    assert len(Presentation(deck["path"]).slides) == deck["slides"]

    again = json.loads(CliRunner().invoke(main, ["build", str(project), "--json"]).output)
    assert [o["skipped"] for o in again["outputs"]] == [True, True, True, True]
    forced = json.loads(CliRunner().invoke(main, ["build", str(project), "--json", "--force"]).output)
    assert [o["skipped"] for o in forced["outputs"]] == [False, False, False, False]

    text = CliRunner().invoke(main, ["build", str(project)])
    assert "4 up to date" in text.output
    assert CliRunner().invoke(main, ["build", str(project), "--quiet"]).output == ""


@pytest.mark.slow
def test_text_edits_rebuild_what_shows_them_and_redraw_no_figure(project):
    def rebuilt() -> list[bool]:
        report = json.loads(CliRunner().invoke(main, ["build", str(project), "--json"]).output)
        return [not o["skipped"] for o in report["outputs"]]

    assert CliRunner().invoke(main, ["build", str(project)]).exit_code == 0
    cache = project.parent / "output" / ".jnim-export" / "figures"
    figures_before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    # A body paragraph is in the PDF, the page and the Word edition; a slide bullet is in the deck
    # and the Word edition (for review); a note cited in the body and on a slide is in all four.
    edit(project, "longtime leader", "long-time leader")
    assert rebuilt() == [True, False, True, True]
    edit(project, "Still attacking across", "Still attacking all across")
    assert rebuilt() == [False, True, False, True]
    edit(project, "(forthcoming)", "(forthcoming, 2018)")
    assert rebuilt() == [True, True, True, True]
    edit(project, "# Named on the map", "# Named on this map")
    assert rebuilt() == [False, False, False, False]
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == figures_before


@pytest.mark.slow
def test_text_edit_rebuild_does_not_import_matplotlib(project):
    first_build(project)
    edit(project, "longtime leader", "long-time leader")
    probe = (
        "import sys; from jnim_export.cli import main\n"
        f"sys.argv=['jnim-export','build',{str(project)!r},'--quiet']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip() == "False", out.stderr


@pytest.mark.slow
def test_broken_content_keeps_previous_outputs(project):
    first_build(project)
    out = project.parent / "output"
    before = {p.name: p.read_bytes() for p in out.glob("jnim-backgrounder.*")}
    edit(project, "[^state-2018] JNIM,", "[^state-218] JNIM,")
    result = run("build", str(project))
    assert result.returncode == 1
    assert "did you mean 'state-2018'?" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in out.glob("jnim-backgrounder.*")} == before


@pytest.mark.slow
def test_killed_build_leaves_previous_output_intact(project):
    """kill -9 a real build half-way: the old PDF and deck are byte-for-byte intact."""
    first_build(project)
    out = project.parent / "output"
    before = {p.name: p.read_bytes() for p in out.glob("jnim-backgrounder.*")}
    assert len(before) == len(WRITERS)
    proc = subprocess.Popen([*CLI, "build", str(project), "--force", "--no-cache"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out.glob(".*.tmp")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(out.glob(".*.tmp")), "the kill landed half-way, while a temporary output existed"
    assert {p.name: p.read_bytes() for p in out.glob("jnim-backgrounder.*")} == before
    assert run("build", str(project), "--force").returncode == 0
    assert not list(out.glob(".*.tmp"))


def start_watch(project: Path):
    """`jnim-export watch` on `project`; returns the process, the lines read so far and a waiter."""
    proc = subprocess.Popen(
        [*CLI, "watch", str(project)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    lines: list[str] = []

    def wait_for(text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines.append(proc.stdout.readline())
            if text in lines[-1]:
                return
        raise AssertionError(f"{text!r} not seen in:\n{''.join(lines)}")

    return proc, lines, wait_for


@pytest.mark.slow
def test_watch_rebuilds_on_edit_survives_errors_and_stops_cleanly(project):
    out = project.parent / "output"
    proc, lines, wait_for = start_watch(project)
    try:
        wait_for("built in")
        pdf = out / "jnim-backgrounder.pdf"
        first = pdf.read_bytes()
        time.sleep(0.2)
        edit(project, "longtime leader", "long-time leader")
        wait_for("built in")
        assert pdf.read_bytes() != first
        good = pdf.read_bytes()
        edit(project, "[^state-2018] JNIM,", "[^state-218] JNIM,")
        wait_for("not rebuilt")
        assert any(f"{project}:" in line and "state-218" in line for line in lines)
        assert pdf.read_bytes() == good
        edit(project, "[^state-218] JNIM,", "[^state-2018] JNIM,")
        wait_for("built in")
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    rest = proc.stdout.read()
    assert code == 0
    assert "Traceback" not in "".join(lines) + rest
    assert "stopped" in rest


@pytest.mark.slow
def test_init_scaffolds_a_project_that_builds(tmp_path):
    folder = tmp_path / "new"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    result = CliRunner().invoke(main, ["build", str(folder / "content.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert all(Path(o["path"]).is_file() for o in report["outputs"])
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 1


@pytest.mark.slow
def test_a_second_different_backgrounder_builds(tmp_path):
    """Other sections, no leaders, no data figures, a dozen sources: nothing assumes JNIM."""
    shutil.copytree(SECOND, tmp_path / "second")
    content = tmp_path / "second" / "content.yaml"
    result = CliRunner().invoke(main, ["build", str(content), "--json", "--notes", "footnotes"])
    assert result.exit_code == 0, result.output
    pdf, deck, *_ = json.loads(result.output)["outputs"]
    text = " ".join(page.extract_text() for page in PdfReader(pdf["path"]).pages)
    assert "Example Movement" in text and "JNIM" not in text
    titles = [s.shapes.title.text for s in Presentation(deck["path"]).slides if s.shapes.title]
    assert "Origins" in titles and not any("Leadership" in t for t in titles)


@pytest.mark.slow
def test_character_without_glyph_fails_cleanly_and_keeps_outputs(project):
    first_build(project)
    out = project.parent / "output"
    before = {p.name: p.read_bytes() for p in out.glob("jnim-backgrounder.*")}
    edit(project, "longtime leader", "longtime \U0001F600 leader")
    result = run("build", str(project))
    assert result.returncode == 1
    assert "U+1F600" in result.stderr and "Traceback" not in result.stderr
    assert (out / "jnim-backgrounder.pdf").read_bytes() == before["jnim-backgrounder.pdf"]
    assert not list(out.glob(".*.tmp"))


@pytest.mark.slow
def test_watch_reports_a_build_error_and_keeps_watching(project):
    """A character no embedded font has is a build error, not the end of the watch."""
    out = project.parent / "output"
    proc, seen, wait_for = start_watch(project)

    try:
        wait_for("built in")
        good = (out / "jnim-backgrounder.pdf").read_bytes()
        edit(project, "longtime leader", "longtime \U0001F600 leader")
        wait_for("not rebuilt")
        assert any("U+1F600" in line for line in seen)
        assert (out / "jnim-backgrounder.pdf").read_bytes() == good
        edit(project, "longtime \U0001F600 leader", "long-time leader")
        wait_for("built in")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert "Traceback" not in "".join(seen) + proc.stdout.read()


@pytest.mark.slow
def test_an_unexpected_error_is_one_line_and_exit_1(project, monkeypatch):
    """The last-resort guard: a bug becomes one line naming the step, not a traceback (--debug: traceback)."""
    from jnim_export.content import resolve

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(resolve, "read", broken)
    result = CliRunner().invoke(main, ["build", str(project)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"{project}: build stopped on an unexpected error: RuntimeError: a bug (run with --debug for the traceback)"]
    debug = CliRunner().invoke(main, ["--debug", "build", str(project)])
    assert isinstance(debug.exception, RuntimeError)


# Broken saves of every kind a careless or hostile edit makes (each a (old, new) edit of content.yaml).
BROKEN_EDITS = [
    ("meta:\n", "meta:\n  <<: {a: 1}\n"),                                  # a merge key
    ("meta:\n", "meta:\n  !!python/object:os.system x: 1\n"),             # a tagged key
    ("  date: \"2018\"", "  date: \"2018\"\n  2018-02-30: x"),            # a date as a key
    ("body_size: 10", "body_size: !!int abc"),                             # a bad tag value
    ("sections:\n", "sections: 5\nother:\n"),                             # sections not a list
    ("image: assets/photos/iyad-ag-ghaly.jpg", "image: \"assets/\\0photo.jpg\""),  # a NUL in a path
    ("title: Background", "title: \"Back\\x0bground\""),                  # a control character
    ("longtime leader", "longtime \U0001F600 leader"),                    # no glyph for it
    ("[^state-2018] JNIM,", "[^state-218] JNIM,"),                         # an undefined note
    ("title: Background", "title: [Background"),                           # YAML syntax
]


@pytest.mark.slow
def test_watch_survives_rapid_broken_saves_and_builds_the_last_good_one(project):
    good_text = project.read_text(encoding="utf-8")
    out = project.parent / "output"
    proc, lines, wait_for = start_watch(project)
    try:
        wait_for("built in")
        for k in range(30):
            old, new = BROKEN_EDITS[k % len(BROKEN_EDITS)]
            assert old in good_text
            project.write_text(good_text.replace(old, new, 1), encoding="utf-8")
            time.sleep(0.04 if k % 3 else 0.4)  # mostly faster than a build, sometimes not
        project.write_text(good_text.replace("longtime leader", "long-serving leader"), encoding="utf-8")
        deadline = time.monotonic() + 120
        while "long-serving leader" not in (out / "jnim-backgrounder.html").read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "".join(lines)
            lines.append(proc.stdout.readline())
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    rest = proc.stdout.read()
    assert code == 0, rest
    assert "Traceback" not in "".join(lines) + rest and "unexpected error" not in "".join(lines) + rest
    assert any("not rebuilt" in line for line in lines), "some broken save was built on"


BACKGROUNDERS = ROOT / "tests" / "data" / "backgrounders"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["default", "isgs"])
def test_a_build_draws_each_figure_once_for_every_writer(tmp_path, monkeypatch, name):
    """A cold build draws every drawing the writers declare, each once; then each writer, on its
    own and on either paper, finds all it uses already drawn (drawing anything is an error)."""
    from jnim_export import figures
    from jnim_export.content import read
    from jnim_export.render import WRITERS, Context

    if name == "default":
        content = copy_project(tmp_path / "project")
    else:
        shutil.copytree(BACKGROUNDERS / name, tmp_path / "project")
        content = tmp_path / "project" / "content.yaml"
    log = tmp_path / "drawings.log"
    real_draw = figures.cache.draw

    def logged(drawing, **kwargs):  # forked processes too: each drawing is a line of the log
        with log.open("a") as f:
            f.write(f"{drawing.figure.id} {drawing.size} {drawing.formats}\n")
        real_draw(drawing, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(figures, "draw", logged)
        patch.setattr(figures.cache, "draw", logged)
        assert CliRunner().invoke(main, ["build", str(content), "--quiet"]).exit_code == 0
    made = log.read_text().splitlines()
    assert len(made) == len(set(made)), made  # nothing drawn twice
    cache = content.parent / "output" / ".jnim-export" / "figures"
    drawn = sorted(p.name for p in cache.iterdir() if p.suffix in (".svg", ".png"))
    doc = read(content).document
    declared = {(f.id, fmt, size) for w in WRITERS for f, fmt, size in w.artwork(w.view(doc), w.make_options())}
    assert any(fmt == "png" for _, fmt, _ in declared) and any(fmt == "svg" for _, fmt, _ in declared)
    sizes = {(f, size) for f, _, size in declared}
    assert {f"{f} {size}" for f, size in sizes} <= {line.rsplit(" (", 1)[0] for line in made}  # each declared size drawn
    # beyond them, only the PDF's page flow draws: a declared figure set smaller to fit its page
    extra = [line for line in made if line.rsplit(" (", 1)[0] not in {f"{f} {size}" for f, size in sizes}]
    assert all(_smaller_than_declared(line, sizes) for line in extra), extra
    assert len(drawn) == len(declared) + len(extra), drawn  # one file per declared drawing and per extra SVG
    assert len(made) - len(extra) == len(sizes) < len(declared)  # one drawing, several files

    def pdf_page_flow_only(drawing, **kwargs):
        line = f"{drawing.figure.id} {drawing.size} {drawing.formats}"
        assert writer.name == "pdf" and drawing.formats == ("svg",) and _smaller_than_declared(line, sizes), \
            "a writer drew a figure its artwork() did not declare"
        real_draw(drawing, **kwargs)

    monkeypatch.setattr(figures.cache, "draw", pdf_page_flow_only)
    for writer in WRITERS:
        for settings in ({}, {"paper": "a4"}):
            result = writer.render(writer.view(doc), tmp_path / f"again{writer.suffix}",
                                   writer.make_options({k: v for k, v in settings.items()
                                                        if k in {f.name for f in fields(writer.options)}}),
                                   Context(cache))
            assert not [w for w in result.warnings if "not drawn" in w or "placeholder" in w and "photo" not in w]


def _smaller_than_declared(line: str, sizes) -> bool:
    """`line` (figure id, size, formats) is a declared figure drawn no wider and less high than declared."""
    figure, rest = line.split(" ", 1)
    width, height = (float(x) for x in rest.split(")", 1)[0].strip("(").split(","))
    return any(f == figure and width <= w + 1e-6 and height < h for f, (w, h) in sizes)


def _build_in_pool_worker(content: str) -> int:
    from jnim_export.build import build

    return len(build(Path(content)).outputs)


@pytest.mark.slow
def test_a_build_runs_inside_a_worker_pool(tmp_path):
    """Pool workers are daemonic and may not fork: the build draws and renders in the worker itself."""
    import multiprocessing

    content = copy_project(tmp_path / "project")
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_build_in_pool_worker, (str(content),)) == len(WRITERS)
    out = content.parent / "output"
    assert sorted(p.suffix for p in out.glob("jnim-backgrounder.*")) == sorted(w.suffix for w in WRITERS)


@pytest.mark.slow
def test_a_build_stopped_while_drawing_renders_nothing_and_changes_nothing(project, monkeypatch):
    """With figures to draw, the renders start first and wait for the drawings: Ctrl-C meanwhile
    stops them all, leaves every previous output as it was and no process behind."""
    import multiprocessing

    from jnim_export import build as building

    assert CliRunner().invoke(main, ["build", str(project), "--quiet"]).exit_code == 0
    out = project.parent / "output"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert len(before) == len(WRITERS)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(building, "_draw_figures", interrupted)
    edit(project, "(forthcoming)", "(upcoming)")
    with pytest.raises(KeyboardInterrupt):
        building.build(project, None, building.Options(redraw_figures=True))
    assert multiprocessing.active_children() == []
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_strict_makes_a_warning_an_error_before_anything_is_written(tmp_path):
    """The default content warns (its leader photo is not shipped): with --strict, exit 1 and no output."""
    content = copy_project(tmp_path / "project")
    result = CliRunner().invoke(main, ["validate", str(content), "--strict"])
    assert result.exit_code == 1 and "iyad-ag-ghaly.jpg' not found" in result.output
    assert result.output.rstrip().endswith("1 warning, errors with --strict")
    assert CliRunner().invoke(main, ["validate", str(SECOND / "content.yaml"), "--strict"]).exit_code == 0
    result = CliRunner().invoke(main, ["build", str(content), "--strict"])
    assert result.exit_code == 1 and "errors with --strict\nbuild failed; no output was changed." in result.output
    assert not (content.parent / "output").exists()


def test_strict_refuses_the_warnings_of_outputs_already_fresh(tmp_path):
    """A fresh output keeps the warnings of the render that made it: a no-op build reports them
    again, and with --strict fails on them, as on a render's own, changing nothing."""
    import outline_writer

    from jnim_export.cli import make_cli

    cli = make_cli((outline_writer.WRITER,))  # a writer that warns of words longer than its lines
    shutil.copytree(SECOND, tmp_path / "project")
    content = tmp_path / "project" / "content.yaml"
    with content.open("a", encoding="utf-8") as f:
        f.write("outline:\n  wrap: 11\n")
    first = json.loads(CliRunner().invoke(cli, ["build", str(content), "--json"]).output)
    assert not first["outputs"][0]["skipped"] and first["warnings"], first  # the render's, not the content's
    again = json.loads(CliRunner().invoke(cli, ["build", str(content), "--json"]).output)
    assert again["outputs"][0]["skipped"] and again["warnings"] == first["warnings"]
    out = tmp_path / "project" / "output"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for edit_first in ("", "touch", "edit"):  # from the manifest; read again, all fresh; rendered again
        if edit_first == "touch":
            content.write_bytes(content.read_bytes())
        if edit_first == "edit":
            edit(content, "is a fictional organisation", "is an invented organisation")
        result = CliRunner().invoke(cli, ["build", str(content), "--strict"])
        assert result.exit_code == 1 and "is longer than a line of 11" in result.output, result.output
        assert result.output.rstrip().endswith("errors with --strict\nbuild failed; no output was changed.")
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "inputs.json"} == \
            {p: b for p, b in before.items() if p.name != "inputs.json"}


@pytest.mark.parametrize("command, target", [
    (["validate", "CONTENT"], "jnim_export.content.resolve.read"),
    (["init", "FOLDER"], "jnim_export.scaffold.init_project"),
])
def test_a_bug_in_any_command_reaches_the_one_guard(tmp_path, monkeypatch, command, target):
    """Every command, not only the builds, ends a bug in one line and exit code 1; --debug re-raises."""
    import importlib

    module, name = target.rsplit(".", 1)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(importlib.import_module(module), name, broken)
    args = [str(SECOND / "content.yaml") if a == "CONTENT" else str(tmp_path / "new") if a == "FOLDER" else a
            for a in command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"{args[1]}: {command[0]} stopped on an unexpected error: RuntimeError: a bug "
        "(run with --debug for the traceback)"] if command[0] == "validate" else [
        f"{command[0]} stopped on an unexpected error: RuntimeError: a bug (run with --debug for the traceback)"]
    assert isinstance(CliRunner().invoke(main, ["--debug", *args]).exception, RuntimeError)


@pytest.mark.slow
def test_a_deck_template_set_in_the_content_is_the_one_the_command_line_would_give(tmp_path):
    """`template:` under `slides:` (a path relative to the content) makes the deck `--template` makes."""
    project = tmp_path / "project"
    shutil.copytree(SECOND, project)
    content = project / "content.yaml"
    template = Presentation()
    template.slide_width, template.slide_height = 12192000, 6858000  # 16:9, as the deck is
    template.save(project / "house.pptx")

    def deck(out: str, *args: str) -> bytes:
        result = CliRunner().invoke(main, ["slides", str(content), "--quiet", "--out", str(tmp_path / out), *args])
        assert result.exit_code == 0, result.output
        return (tmp_path / out / "exm-backgrounder.pptx").read_bytes()

    plain = deck("plain")
    given = deck("given", "--template", str(project / "house.pptx"))
    with content.open("a", encoding="utf-8") as f:
        f.write("slides:\n  template: house.pptx\n")
    assert deck("set") == given != plain
    from jnim_export.build import Options, build
    from jnim_export.watch import is_relevant

    options = Options(out_dir=tmp_path / "set")
    inputs = build(content, ("slides",), options).inputs  # answered from the manifest: nothing changed
    assert (project / "house.pptx").resolve() in inputs
    assert is_relevant(project / "house.pptx", content, options, inputs), "watch rebuilds on an edit of it"


@pytest.mark.slow
def test_stamp_keys_are_the_same_in_every_process():
    """A stamp key made in one process must vouch for the output in the next: nothing it hashes
    may depend on the process's string hash seed (a set's order in its repr does)."""
    script = ("import sys; from pathlib import Path; from jnim_export.build import plans; "
              "print([p.key for p in plans(Path(sys.argv[1]))[1]])")
    keys = {subprocess.run([sys.executable, "-c", script, str(ROOT / "content.yaml")], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert len(keys) == 1, keys
