"""The package's layers, checked from the source: no import cycles, no import upwards, no side effects
on importing the core, and the heavy libraries imported only where their cost is paid anyway.

Reads every module's ``import`` statements with :mod:`ast` (those inside functions too: a lazy
import is still a dependency), so nothing is executed to check it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "komae_analysis"

#: Layer of each top-level part, from the bottom. A module imports only from its own layer or below.
LAYERS = {
    "__init__": 0, "__main__": 6, "paths": 0, "errors": 0, "fileio": 0, "calendar": 0,
    "params": 1, "reference": 1,
    "ingest": 2, "demo": 2,
    "report": 3,
    "analysis": 4, "survey": 4,
    "pipeline": 5,
    "cli": 6,
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def _imports(path: Path, name: str, known: set[str], *, module_level_only: bool = False) -> set[str]:
    """The package modules ``name`` imports (``from komae_analysis.x import y`` counts x.y if it is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in nodes:
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known and "." in t:
                t = t.rsplit(".", 1)[0]
            if t in known and t != name and t.startswith("komae_analysis"):
                out.add(t)
    return out


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1] if len(parts) > 1 else "__init__"]


def test_every_part_has_a_layer():
    tops = {m.split(".")[1] for m in _modules() if "." in m}
    assert tops <= set(LAYERS), f"add a layer for: {tops - set(LAYERS)}"


def test_no_import_goes_up_a_layer():
    mods = _modules()
    known = set(mods)
    wrong = []
    for name, path in mods.items():
        for dep in _imports(path, name, known):
            if _layer(dep) > _layer(name):
                wrong.append(f"{name} → {dep}")
    assert not wrong, "imports upwards:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles():
    mods = _modules()
    known = set(mods)
    graph = {name: {d for d in _imports(path, name, known) if not name.startswith(d + ".")}
             for name, path in mods.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path):
    """The two checks above can fail: a made-up pair of modules shows it."""
    (tmp_path / "a.py").write_text("from komae_analysis.pipeline import build\n", encoding="utf-8")
    known = {"komae_analysis.paths", "komae_analysis.pipeline.build"}
    assert _imports(tmp_path / "a.py", "komae_analysis.paths", known) == {"komae_analysis.pipeline.build"}
    assert _layer("komae_analysis.pipeline.build") > _layer("komae_analysis.paths")


CORE = ["komae_analysis.paths", "komae_analysis.errors", "komae_analysis.fileio", "komae_analysis.calendar",
        "komae_analysis.params", "komae_analysis.reference", "komae_analysis.pipeline.registry",
        "komae_analysis.cli"]


@pytest.mark.parametrize("module", CORE)
def test_light_modules_do_not_import_heavy_libraries(module):
    """The CLI, the core and the registry start fast: no pandas, matplotlib, papermill, nbconvert or
    openpyxl on import (they are imported where they are used)."""
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'papermill', 'nbconvert', 'openpyxl', 'pandera') "
        "if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy = res.stdout.strip()
    allowed = {"komae_analysis.fileio": "['openpyxl']"}  # workbook_bytes needs openpyxl types only lazily
    assert heavy in ("[]", allowed.get(module, "[]")), f"{module} imports {heavy}"


def test_notebook_start_imports_no_more_than_it_needs():
    """What a notebook imports before its first figure (the notebook API and the analysis modules;
    the build's main process imports the same for the parameters): matplotlib comes with the first
    figure, pandera only when raw files are read, openpyxl only when a workbook is written."""
    from komae_analysis.pipeline.registry import warm_imports

    code = (
        "import sys, importlib; "
        f"[importlib.import_module(m) for m in {list(warm_imports())!r}]; "
        "print(sorted(m for m in ('matplotlib', 'pandera', 'openpyxl', 'papermill', 'nbconvert') if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"
