"""The process a fresh build forks ahead (ahead.py): it renders what the build would have
rendered, byte for byte, and what goes wrong in it reaches the build as it would have."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import sys
from pathlib import Path

import pytest

from conftest import copy_default_project

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
TESTS = Path(__file__).parent


def python(script: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)]), "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=300)


BUILD = """
import json, sys
from pathlib import Path
from jnim_export.build import build, Options
report = build(Path(sys.argv[1]), options=Options(force=sys.argv[2] == "force"))
print(json.dumps({"rebuilt": [o.writer for o in report.outputs if not o.skipped],
                  "loaded": sorted(m for m in ("reportlab", "docx", "pptx") if m in sys.modules)}))
"""


@pytest.mark.slow
def test_a_fresh_build_renders_ahead_the_same_bytes(tmp_path):
    copy_default_project(tmp_path)
    content = tmp_path / "content.yaml"
    first = python(BUILD, str(content), "")
    assert first.returncode == 0, first.stderr
    out = tmp_path / "output"
    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace("longtime leader", "long-time leader"), encoding="utf-8")
    edited = python(BUILD, str(content), "")
    assert edited.returncode == 0, edited.stderr
    fresh = json.loads(edited.stdout)
    # the PDF was rendered in the process forked ahead; the other writers showing the body (the
    # page, the Word edition) were left to the build's own process: of the libraries, only theirs here
    assert fresh == {"rebuilt": ["pdf", "html", "docx"], "loaded": ["docx"]}
    ahead = {p.name: p.read_bytes() for p in out.glob("jnim-backgrounder.*")}
    # the same, rendered where the libraries are loaded already (as in `watch`): no process ahead
    here = python("import reportlab.platypus, docx, pptx\n" + BUILD, str(content), "force")
    assert json.loads(here.stdout)["loaded"] == ["docx", "pptx", "reportlab"]
    assert {p.name: p.read_bytes() for p in out.glob("jnim-backgrounder.*")} == ahead


FAILING = """
import sys
from dataclasses import dataclass
from pathlib import Path
from jnim_export import bugs
from jnim_export.build import build, Options, BuildError
from jnim_export.render import Rendered, Writer, RenderError

@dataclass(frozen=True)
class Settings:
    pass

def render(view, dest, options, context):
    if sys.argv[2] == "bug":
        raise ZeroDivisionError("a bug in a writer")
    raise RenderError("the content asks for what this writer cannot do")

def fine(view, dest, options, context):
    dest.write_text(view)
    return Rendered(units=1, warnings=())

writer = Writer(name="failing", title="a failing writer", suffix=".txt", unit="lines", options=Settings,
                view=lambda doc: doc.meta.title, render=render, libraries=("xml.dom.minidom",))
# with a writer before it, the failing one is not the first showing the body: rendered in this process
before = Writer(name="fine", title="a fine writer", suffix=".fine", unit="lines", options=Settings,
                view=lambda doc: doc.meta.title, render=fine, libraries=("json.decoder",))
writers = (before, writer) if sys.argv[3] == "here" else (writer,)
try:
    bugs.guarded(build, Path(sys.argv[1]), options=Options(writers=writers), expected=(BuildError,))
except BuildError as exc:
    print("message:", exc)
except bugs.Unexpected as bug:
    print("bug:", type(bug.error).__name__, bug.error, "forked" in "".join(getattr(bug.error, "__notes__", [])))
print("ahead:", "xml.dom.minidom" not in sys.modules)  # imported over there, never here
"""


@pytest.mark.slow
@pytest.mark.parametrize("kind, expected, where", [
    ("refusal", "message: {content}: the content asks for what this writer cannot do", "there"),
    ("bug", "bug: ZeroDivisionError a bug in a writer True", "there"),
    ("refusal", "message: {content}: the content asks for what this writer cannot do", "here"),
    ("bug", "bug: ZeroDivisionError a bug in a writer False", "here"),
])
def test_what_goes_wrong_ahead_reaches_the_build(tmp_path, kind, expected, where):
    """Whether the failing render was ahead or in the build's own process (the other rendering
    ahead meanwhile): the build reports it, and replaces no output."""
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    # without the sections of the writers this build does not have
    (tmp_path / "content.yaml").write_text(text[:text.index("\npdf:")] + text[text.index("\nsections:"):],
                                           encoding="utf-8")
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    (tmp_path / "output" / ".jnim-export" / "figures").mkdir(parents=True)  # as after a first build
    content = tmp_path / "content.yaml"
    result = python(FAILING, str(content), kind, where)
    assert result.stdout.splitlines() == [expected.format(content=content.resolve()), "ahead: True"], result.stderr
    assert not (tmp_path / "output" / "jnim-backgrounder.txt").exists()
    assert not (tmp_path / "output" / "jnim-backgrounder.fine").exists()
    assert not list((tmp_path / "output").glob(".*.tmp"))


@pytest.mark.slow
def test_a_first_build_forks_nothing_ahead(tmp_path):
    """A first build draws figures: its renders prepare in their own processes meanwhile, and a
    process ahead importing the same libraries would only spend the other core."""
    copy_default_project(tmp_path)
    script = ("import sys; from pathlib import Path; from jnim_export import ahead, build\n"
              "made = []\n"
              "real = ahead.Ahead.__init__\n"
              "def spy(self, *a): made.append(1); real(self, *a)\n"
              "ahead.Ahead.__init__ = spy\n"
              "build.build(Path(sys.argv[1])); print(len(made))")
    result = python(script, str(tmp_path / "content.yaml"))
    assert result.stdout.strip() == "0", result.stderr


@pytest.mark.slow
def test_the_process_ahead_ends_when_its_build_is_killed(tmp_path):
    """A build killed while it reads leaves no process behind waiting for renders."""
    script = ("import os, sys, time; from jnim_export import ahead\n"
              "from jnim_export.render import WRITERS\n"
              "early = ahead.start(list(WRITERS), None)\n"
              "print(early._child.pid, flush=True)\n"
              "os.kill(os.getpid(), 9)")
    result = python(script)
    pid = int(result.stdout.split()[0])
    for _ in range(200):  # its imports take a second or two on a busy machine
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, 9)
    pytest.fail("the process ahead outlived its build")


@pytest.mark.slow
def test_a_warmed_up_process_forks_nothing_ahead(tmp_path):
    """`watch` warms up: its rebuilds render from the loaded libraries, never in a process ahead."""
    copy_default_project(tmp_path)
    script = ("import sys; from pathlib import Path; from jnim_export import ahead, build\n"
              "from jnim_export.render import WRITERS\n"
              "content = Path(sys.argv[1]); build.build(content)\n"
              "build.warm_up(content, None, build.Options())\n"
              "print(ahead.start(list(WRITERS), None))")
    result = python(script, str(tmp_path / "content.yaml"))
    assert result.stdout.strip() == "None", result.stderr


def test_a_process_ahead_given_nothing_stops_even_under_a_sigterm_handler():
    """`watch` sets a SIGTERM handler that only asks it to stop; the process ahead must not inherit it."""
    script = ("import signal, time; from jnim_export import ahead\n"
              "from jnim_export.render import WRITERS\n"
              "signal.signal(signal.SIGTERM, lambda *_: None)\n"
              "early = ahead.start(list(WRITERS), None)\n"
              "started = time.monotonic(); early.close(); print(round(time.monotonic() - started))")
    result = python(script)
    assert result.stdout.strip() == "0", result.stderr


SUMMARY = """
import sys
from dataclasses import dataclass
from pathlib import Path
from jnim_export.build import build, Options
from jnim_export.render import Writer, Rendered

@dataclass(frozen=True)
class Settings:
    pass

def body(view, dest, options, context):  # rendered in the process ahead: what had it imported?
    dest.write_text(str("xml.dom.minidom" in sys.modules))
    return Rendered(units=1, warnings=())

def summary(view, dest, options, context):
    import xml.dom.minidom
    dest.write_text(view)
    return Rendered(units=1, warnings=())

writers = (Writer(name="body", title="a body", suffix=".body", unit="lines", options=Settings,
                  view=lambda doc: doc.meta.title, render=body, libraries=("json.decoder",)),
           Writer(name="summary", title="a summary", suffix=".summary", unit="lines", options=Settings,
                  view=lambda doc: doc.meta.title, render=summary, libraries=("xml.dom.minidom",), shows_body=False))
report = build(Path(sys.argv[1]), options=Options(writers=writers))
print(sorted(o.writer for o in report.outputs if not o.skipped))
"""


@pytest.mark.slow
def test_the_process_ahead_leaves_out_what_only_a_summary_needs(tmp_path):
    """A writer that does not show the body (the deck) is fresh after most edits: its libraries
    are not imported ahead, where they would delay the renders that are stale."""
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    (tmp_path / "content.yaml").write_text(text[:text.index("\npdf:")] + text[text.index("\nsections:"):],
                                           encoding="utf-8")
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    (tmp_path / "output" / ".jnim-export" / "figures").mkdir(parents=True)  # as after a first build
    result = python(SUMMARY, str(tmp_path / "content.yaml"))
    assert result.stdout.splitlines() == ["['body', 'summary']"], result.stderr
    assert (tmp_path / "output" / "jnim-backgrounder.body").read_text() == "False"
    assert (tmp_path / "output" / "jnim-backgrounder.summary").read_text().strip()
