"""The shape of the code: what may import what, and that a new output format needs only its own package.

Readers feed one document model; writers read it. `content` (the only YAML-aware code) and
`events` never import a writer or the figures; no writer imports another; only `figures`
knows matplotlib; the module-level imports have no cycles; every module imports alone.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import hypothesis
import pytest
from hypothesis import strategies as st

import jnim_export
from jnim_export import render
from jnim_export.build import Options, build

PACKAGE = Path(jnim_export.__file__).parent
ROOT = PACKAGE.parents[1]


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _tree(path: Path) -> ast.Module:
    """The parsed module at `path`, parsed once per process however many checks read it (never changed)."""
    st = path.stat()
    return _parsed(path, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=None)
def _parsed(path: Path, size: int, mtime_ns: int) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(name: str, path: Path, *, module_level: bool) -> set[str]:
    """The modules `name` imports (absolute names); only those run at import time if `module_level`."""
    tree = _tree(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # annotations only: never run
            if isinstance(child, ast.Import) and (top or not module_level):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and (top or not module_level):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in child.names if f"{base}.{alias.name}" in MODULES)
            visit(child, inside)

    visit(tree, True)
    return found


def _internal(names: set[str]) -> set[str]:
    return {n for n in names if n in MODULES}


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("reader", ["jnim_export.content", "jnim_export.events"])
def test_readers_never_import_writers_or_figures(reader):
    for name, path in MODULES.items():
        if _under(name, reader):
            bad = [i for i in _imports(name, path, module_level=False)
                   if _under(i, "jnim_export.render") or _under(i, "jnim_export.figures")]
            assert not bad, f"{name} imports {bad}"


def test_no_writer_imports_another():
    writers = {p.name for p in (PACKAGE / "render").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"pdf", "pptx"} <= writers
    for name, path in MODULES.items():
        parts = name.split(".")
        if len(parts) < 3 or parts[1] != "render" or parts[2] not in writers:
            continue
        for imported in _imports(name, path, module_level=False):
            other = imported.split(".")
            if len(other) >= 3 and other[:2] == ["jnim_export", "render"] and other[2] in writers:
                assert other[2] == parts[2], f"{name} imports the {other[2]} writer ({imported})"


# the model and what it is made of: the figure kinds' registry, their tables, date labels, sources
MODEL_LEVEL = {"jnim_export.model", "jnim_export.kinds", "jnim_export.tables", "jnim_export.dates",
               "jnim_export.records"}


@pytest.mark.parametrize("name", sorted(MODEL_LEVEL))
def test_the_model_imports_nothing_of_the_package_but_the_model_level(name):
    assert _internal(_imports(name, MODULES[name], module_level=False)) - {"jnim_export"} <= MODEL_LEVEL


@pytest.mark.parametrize("library, home", [("matplotlib", "jnim_export.figures"), ("yaml", "jnim_export.content")])
def test_one_package_knows_each_library(library, home):
    users = sorted(name for name, path in MODULES.items()
                   if any(_under(i, library) for i in _imports(name, path, module_level=False)))
    assert users and all(_under(u, home) for u in users), users


@pytest.mark.parametrize("library", ["mpl_toolkits", "pyproj", "shapefile"])
@pytest.mark.slow
def test_the_map_needs_no_map_library(library):
    """The map projects and draws with numpy and matplotlib alone; the geodata are numpy arrays."""
    users = sorted(name for name, path in MODULES.items()
                   if any(_under(i, library) for i in _imports(name, path, module_level=False)))
    assert not users, users


def test_the_country_names_need_neither_numpy_nor_matplotlib():
    """The content checks look country names up in `geodata`, which reads its JSON with the standard library."""
    for name, path in MODULES.items():
        if _under(name, "jnim_export.geodata"):
            heavy = [i for i in _imports(name, path, module_level=False)
                     if i.split(".")[0] in ("numpy", "matplotlib") or _under(i, "jnim_export.figures")]
            assert not heavy, f"{name} imports {heavy}"


def test_build_knows_no_format_by_name():
    source = (PACKAGE / "build.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    for writer in render.WRITERS:
        assert writer.name not in literals and writer.suffix not in literals, writer.name
        assert f"render.{writer.name}" not in source


def test_the_content_reader_names_no_writer():
    """Writers' sections are whatever writers the caller names: no writer's name is in `content`."""
    for name, path in MODULES.items():
        if _under(name, "jnim_export.content"):
            tree = _tree(path)
            literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
            names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
                n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
            for writer in render.WRITERS:
                assert writer.name not in literals, (name, writer.name)
                assert writer.options.__name__ not in names, (name, writer.options.__name__)
            assert not {n for n in names if n.endswith("Spec") and n[:-4].lower() in
                        {w.name for w in render.WRITERS}}, name


# Where a broad `except` may stand: `bugs.guarded` alone, which turns a bug into `bugs.Unexpected`
# for the command line's guard to print, `watch` to report and a forked process to send home.
BROAD_EXCEPTS = {"jnim_export.bugs": 1}


def test_broad_excepts_stand_only_where_allowed():
    """Only expected failures are caught: a bug reaches the command line's guard (exit 1, --debug)."""
    def broad(node: ast.AST | None) -> bool:
        if node is None:
            return True
        names = node.elts if isinstance(node, ast.Tuple) else [node]
        return any(ast.unparse(n) in ("Exception", "BaseException") for n in names)

    found = {}
    for name, path in MODULES.items():
        tree = _tree(path)
        handlers = [n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler) and broad(n.type)]
        suppressed = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func).endswith("suppress")
                      and any(broad(a) for a in n.args)]
        if handlers or suppressed:
            found[name] = len(handlers) + len(suppressed)
    assert found == BROAD_EXCEPTS, found


def test_module_level_imports_have_no_cycle():
    graph = {name: _internal(_imports(name, path, module_level=True)) - {name} for name, path in MODULES.items()}
    # a package's __init__ is imported before any of its modules: an edge to an ancestor package is no cycle
    for name in graph:
        graph[name] = {d for d in graph[name] if not _under(name, d)}
    state: dict[str, int] = {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " -> ".join(trail[trail.index(dep):] + [dep]))
            if dep not in state:
                walk(dep, trail + [dep])
        state[node] = 2

    for name in graph:
        if name not in state:
            walk(name, [name])


@pytest.mark.slow
def test_every_module_imports_alone():
    """Each module in a fresh interpreter, so that none works only because another was imported first."""
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        f"for name in {sorted(MODULES)!r}:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('jnim_export')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{name}: {type(exc).__name__}: {exc}')\n"
        "print('\\n'.join(failed))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------- a fourth format

# A throwaway writer in its own package (tests/outline_writer), registered as a format is: one
# more entry in the registry the build and the command line are made from.
import outline_writer  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from jnim_export.cli import make_cli  # noqa: E402

REGISTRY = render.WRITERS + (outline_writer.WRITER,)


@pytest.fixture
def second(tmp_path) -> Path:
    shutil.copytree(ROOT / "tests" / "data" / "second", tmp_path / "project")
    return tmp_path / "project" / "content.yaml"


@pytest.mark.slow
def test_another_writer_needs_only_its_own_code_and_one_registry_line(second):
    options = Options(writers=REGISTRY)
    first = build(second, options=options)
    outline = second.parent / "output" / "exm-backgrounder.txt"
    assert [o.writer for o in first.outputs] == [w.name for w in REGISTRY]
    assert outline.read_text(encoding="utf-8").startswith("The Example Movement (EXM)\n## Origins\n")
    assert all(o.skipped for o in build(second, options=options).outputs), "everything is fresh"
    text = second.read_text(encoding="utf-8")
    old = "is a fictional organisation"
    assert old in text
    second.write_text(text.replace(old, "is an invented organisation"), encoding="utf-8")
    again = {o.writer: o for o in build(second, options=options).outputs}
    assert not again["outline"].skipped and not again["pdf"].skipped
    assert again["slides"].skipped, "the deck shows no body paragraph"
    assert not again["html"].skipped
    assert "is an invented organisation" in outline.read_text(encoding="utf-8")
    bullets = second.read_text(encoding="utf-8").replace("Origins at a glance", "Beginnings at a glance")
    second.write_text(bullets, encoding="utf-8")
    assert {o.writer for o in build(second, options=options).outputs if not o.skipped} == {"slides", "docx"}, \
        "a slide bullet is in the deck and, for review, in the Word edition only"
    settings = build(second, ("outline",), Options(settings={"outline": {"headings": False}}, writers=REGISTRY))
    assert not settings.outputs[0].skipped and "## " not in outline.read_text(encoding="utf-8")


def test_another_writer_is_set_in_the_content_and_on_the_command_line(second):
    """Its bool, int and Literal settings under its name in content.yaml, and as --flag/--no-flag,
    --wrap N and --marker CHOICE over them, through the real command line made from the registry."""
    cli = make_cli(REGISTRY)
    outline = second.parent / "output" / "exm-backgrounder.txt"
    help_text = CliRunner().invoke(cli, ["outline", "--help"]).output
    assert "--headings / --no-headings" in help_text and "--wrap INTEGER" in help_text
    assert "--marker [none|dash|star]" in help_text
    assert "--headings / --no-headings" in CliRunner().invoke(cli, ["build", "--help"]).output

    def run(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["outline", str(second), *args])
        assert result.exit_code == 0, result.output
        return outline.read_text(encoding="utf-8").splitlines()

    plain = run()
    assert "## Origins" in plain and max(map(len, plain)) > 40
    with second.open("a", encoding="utf-8") as f:
        f.write("outline:\n  headings: false\n  wrap: 40\n  marker: dash\n")
    set_in_content = run()
    assert not any(line.startswith("## ") for line in set_in_content)
    assert max(map(len, set_in_content)) <= 40 and set_in_content[1].startswith("- The Example Movement")
    over = run("--headings", "--wrap", "0", "--marker", "star")
    assert "## Origins" in over and max(map(len, over)) > 40 and over[2].startswith("* The Example Movement")
    assert not any(line.startswith("## ") for line in run("--no-headings", "--marker", "none"))
    assert CliRunner().invoke(cli, ["outline", str(second), "--wrap", "forty"]).exit_code == 2


@pytest.mark.parametrize("given, where, message", [
    ("headings: 'false'", "2:13: outline.headings", "Input should be a valid boolean (got str)"),
    ("wrap: '40'", "2:9: outline.wrap", "Input should be a valid integer (got str)"),
    ("wrap: true", "2:9: outline.wrap", "Input should be a valid integer (got bool)"),
    ("marker: dots", "2:11: outline.marker", "Input should be 'none', 'dash' or 'star'"),
    ("wrapping: 40", "2:3: outline.wrapping", "unknown setting 'wrapping'; did you mean 'wrap'?"),
])
def test_a_bad_setting_is_reported_where_it_stands(second, given, where, message):
    lines = second.read_text(encoding="utf-8").count("\n")
    with second.open("a", encoding="utf-8") as f:
        f.write(f"outline:\n  {given}\npdf:\n  paper: a5\n")
    result = CliRunner().invoke(make_cli(REGISTRY), ["validate", str(second)])
    line, rest = where.split(":", 1)
    assert result.exit_code == 1, result.output
    assert f"{second}:{lines + int(line)}:{rest}: {message}" in result.output, result.output
    assert f"{second}:{lines + 4}:10: pdf.paper: Input should be 'letter' or 'a4'" in result.output, "all at once"
    assert "Traceback" not in result.output


def test_a_section_for_no_registered_writer_is_an_error_naming_the_writers(second):
    with second.open("a", encoding="utf-8") as f:
        f.write("outline:\n  headings: false\n")
    result = CliRunner().invoke(make_cli(), ["validate", str(second)])
    assert result.exit_code == 1
    assert "outline: unknown field 'outline' (the writers' sections: pdf, slides, html, docx)" in result.output
    assert CliRunner().invoke(make_cli(REGISTRY), ["validate", str(second)]).exit_code == 0


def test_writers_share_a_flag_only_for_settings_of_one_type(second):
    """Two writers' `wrap` (both int) are one --wrap setting both; `paper` as a bool beside the
    PDF's choice of paper, a setting that would be the build's --no-cache, or one no flag could
    take are refused when the command line is made (at import), not when first used."""
    twin = replace(outline_writer.WRITER, name="twin", suffix=".md")
    cli = make_cli((outline_writer.WRITER, twin))
    assert "(outline, twin)" in CliRunner().invoke(cli, ["build", "--help"]).output
    result = CliRunner().invoke(cli, ["build", str(second), "--wrap", "30", "--no-headings"])
    assert result.exit_code == 0, result.output
    for suffix in (".txt", ".md"):
        lines = (second.parent / "output" / f"exm-backgrounder{suffix}").read_text(encoding="utf-8").splitlines()
        assert max(map(len, lines)) <= 30 and not any(line.startswith("## ") for line in lines)
    result = CliRunner().invoke(cli, ["twin", str(second), "--wrap", "50", "--headings"])
    assert result.exit_code == 0 and "## Origins" in (second.parent / "output" / "exm-backgrounder.md").read_text()

    @dataclass(frozen=True)
    class Clash:
        paper: bool = dataclasses.field(default=False, metadata={"help": "Not the PDF's paper."})

    with pytest.raises(ValueError, match="setting 'paper' would be --paper, which writer 'pdf' has with another type"):
        make_cli(render.WRITERS + (replace(twin, options=Clash),))

    @dataclass(frozen=True)
    class Shadow:
        cache: bool = dataclasses.field(default=True, metadata={"help": "--no-cache is the build's."})

    with pytest.raises(ValueError, match="setting 'cache' would be --cache, which the command line already has"):
        make_cli(render.WRITERS + (replace(twin, options=Shadow),))

    @dataclass(frozen=True)
    class Listed:
        names: list[str] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="Listed.names"):
        replace(twin, options=Listed)


def test_the_build_gives_each_writer_only_its_view():
    """Every call of a writer's render, artwork and prepare in build.py is given the plan's view."""
    tree = ast.parse((PACKAGE / "build.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr in ("render", "artwork", "prepare", "view")
             and ast.unparse(n.func.value).endswith("writer")]
    assert {c.func.attr for c in calls} == {"render", "artwork", "prepare", "view"}
    for call in calls:
        if call.func.attr != "view":
            assert ast.unparse(call.args[0]).endswith(".view"), ast.unparse(call)


def test_importing_the_registry_loads_no_renderer():
    """Listing the writers (the CLI does it at every start) imports no ReportLab, python-pptx or matplotlib."""
    script = ("import sys, jnim_export.render, jnim_export.cli\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'pptx', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"



@pytest.mark.parametrize("value, message", [
    ("../house.pptx", "'../house.pptx' is outside the content's folder"),
    ("/etc/hostname", "'/etc/hostname' is outside the content's folder"),
    ("missing.pptx", "no such file: 'missing.pptx'"),
    ('"a\\0b.pptx"', "'a\\x00b.pptx' is not a usable path"),
    ("x" * 5000, "'" + "x" * 79 + "…' is not a usable path"),
    ("3", "should be a file name (got int)"),
])
def test_a_path_setting_names_a_file_inside_the_content_folder(second, value, message):
    lines = second.read_text(encoding="utf-8").count("\n")
    with second.open("a", encoding="utf-8") as f:
        f.write(f"slides:\n  template: {value}\n")
    result = CliRunner().invoke(make_cli(), ["validate", str(second)])
    assert result.exit_code == 1, result.output
    assert f"{second}:{lines + 2}:13: slides.template: {message}" in result.output, result.output


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(["none", "dash", "star", "true", "1"]),
                    st.lists(st.integers(), max_size=2))


@hypothesis.settings(max_examples=100, deadline=None, database=None)
@hypothesis.given(st.dictionaries(st.sampled_from(["headings", "wrap", "marker", "wraps"]), SCALARS, max_size=4))
def test_a_setting_is_taken_only_with_its_own_type(section):
    """Strictly typed: a bool only from true/false, an int never from a bool or a string, a
    Literal only from its choices; each refused value is one problem, the rest are kept."""
    from jnim_export.render.options import from_content

    given, problems = from_content(outline_writer.OutlineOptions, section, Path("."))
    fits = {"headings": lambda v: isinstance(v, bool),
            "wrap": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "marker": lambda v: v in ("none", "dash", "star") and isinstance(v, str)}
    good = {k: v for k, v in section.items() if k in fits and fits[k](v)}
    assert given == good
    assert sorted(p.key for p in problems) == sorted(k for k in section if k not in good)
    assert outline_writer.WRITER.make_options(given) == outline_writer.OutlineOptions(**good)


def test_a_bad_setting_is_reported_with_the_content_problems(second):
    """The writers' sections are checked as the content is: one run names every problem."""
    text = second.read_text(encoding="utf-8")
    assert "  short_title: EXM\n" in text
    second.write_text(text.replace("  short_title: EXM\n", "  short_titel: EXM\n") + "pdf:\n  paper: a5\n",
                      encoding="utf-8")
    result = CliRunner().invoke(make_cli(), ["validate", str(second)])
    assert result.exit_code == 1
    assert "meta.short_titel: unknown field 'short_titel'; did you mean 'short_title'?" in result.output
    assert "pdf.paper: Input should be 'letter' or 'a4'" in result.output
    assert result.output.rstrip().endswith("errors; nothing was written.")


# ReportLab internals with public-looking names the PDF writer reaches (rl.py is their home)
_RL_INTERNALS = {"state_stack", "__NoDefault__", "otherkw", "idToObjectNumberAndVersion", "makeToUnicodeCMap",
                 "delayedFonts", "Pages"}


def _reportlab_private_names() -> set[str]:
    """The underscore names ReportLab's modules give their attributes, methods and globals."""
    import re

    import reportlab

    names: set[str] = set()
    for path in Path(reportlab.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        names |= set(re.findall(r"\bself\.(_[A-Za-z]\w*)", text))
        names |= set(re.findall(r"^\s*def (_[A-Za-z]\w*)", text, re.M))
        names |= set(re.findall(r"^(_[A-Za-z]\w*)\s*=", text, re.M))
    return names


def test_reportlab_internals_only_in_the_adapter():
    """Outside render/pdf/rl.py the PDF writer touches no ReportLab internal, so an upgrade breaks one file.

    An underscore attribute counts as ReportLab's if ReportLab has a name like it and the writer
    defines none (its own ``self._x``); a few public-looking internals are named outright.
    """
    pdf = PACKAGE / "render" / "pdf"
    files = [p for p in sorted(pdf.rglob("*.py")) if p.name != "rl.py"]
    trees = {p: _tree(p) for p in files}
    ours: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                ours.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name) \
                    and node.value.id == "self":
                ours.add(node.attr)
    theirs = (_reportlab_private_names() - ours) | _RL_INTERNALS
    found = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            name = node.attr if isinstance(node, ast.Attribute) else None
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
                found += [f"{path.relative_to(pdf)}:{node.lineno}: imports {a.name}" for a in node.names
                          if a.name.startswith("_")]
            if name in theirs:
                found.append(f"{path.relative_to(pdf)}:{node.lineno}: .{name}")
    assert found == [], "ReportLab internals outside render/pdf/rl.py:\n" + "\n".join(found)


_SIZE_CALLS = {"inch", "pt", "Pt", "Emu", "Inches", "Cm", "Mm", "Length"}


def _is_literal(node: ast.AST) -> bool:
    """A number written out: 0.35, -1, 2 * 3, or either branch of ``a if c else 0.35``."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    if isinstance(node, ast.UnaryOp):
        return _is_literal(node.operand)
    if isinstance(node, ast.BinOp):
        return _is_literal(node.left) and _is_literal(node.right)
    if isinstance(node, ast.IfExp):
        return _is_literal(node.body) or _is_literal(node.orelse)
    return False


def size_literals(source: str) -> list[str]:
    """Every call of a size unit (inch, Pt, Emu…) on a number written out, as ``line: call``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else None
            args = [*node.args, *(k.value for k in node.keywords)]
            if name in _SIZE_CALLS and any(_is_literal(a) for a in args):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_size_literals_are_counted():
    """The count sees every way a size is written out, and no size taken from a name."""
    assert len(size_literals("inch(0.3)\nPt(12 if n > 12 else 14)\nx.util.Emu(-5)\npt(2 * 3)")) == 4
    assert size_literals("inch(GAP)\npt(deck.total([p], 1e9))\nTHEME.gap // 2\nmax(0.3, w)") == []


def test_slide_geometry_lives_in_the_theme():
    """The slide kinds take their layout numbers from render/pptx/theme.py: at most 5 sizes written out."""
    slides = PACKAGE / "render" / "pptx" / "slides"
    found = [f"{p.name}:{hit}" for p in sorted(slides.glob("*.py")) for hit in size_literals(p.read_text(encoding="utf-8"))]
    assert len(found) <= 5, "size literals in slide code (name them in render/pptx/theme.py):\n" + "\n".join(found)
