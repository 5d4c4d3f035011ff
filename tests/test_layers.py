"""The house plan of mastolib holds: layers import only layers below them (see mastolib/__init__.py).

tables -> engine -> models -> figures -> apps, with course (quiz model, progress, glossary model,
notebook helpers, export, links, hygiene, printables) beside the models on top of the engine. Only figures/ and
the two view bridges of apps/ (FigureView, the static snapshot) import plotly; only apps/
imports ipywidgets. Checked on the source (AST, every import, also inside functions) and by
importing the lower layers in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "mastolib"

# layer -> the layers it may import (itself included)
ALLOWED = {
    "tables": {"tables"},
    "engine": {"tables", "engine"},
    "course": {"tables", "engine", "course"},
    "models": {"tables", "engine", "models"},
    "figures": {"tables", "engine", "models", "figures"},
    "apps": {"tables", "engine", "course", "models", "figures", "apps"},
}
# course/_export.py builds the book: it renders saved figure JSON to HTML and copies the one
# plotly.js of the site (no figure is built there).
PLOTLY_ALLOWED = {"figures/*", "apps/_figview.py", "apps/_static.py", "course/_export.py"}
WIDGETS_ALLOWED = {"apps/*"}

MODULES = sorted(p for p in PKG.rglob("*.py") if p.parent != PKG)


def _imports(path: Path):
    """(kind, target) for every import in the file: kind 'layer' (mastolib layer) or 'third'."""
    layer = path.parent.name
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")
                if top[0] == "mastolib":
                    yield "layer", top[1] if len(top) > 1 else "mastolib", node.lineno
                else:
                    yield "third", top[0], node.lineno
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0:
                parts = module.split(".")
                if parts[0] == "mastolib":
                    yield "layer", parts[1] if len(parts) > 1 else "mastolib", node.lineno
                else:
                    yield "third", parts[0], node.lineno
            elif node.level == 1:
                yield "layer", layer, node.lineno
            elif node.level == 2 and module:
                yield "layer", module.split(".")[0], node.lineno
            else:  # `from .. import x`: the package root, which imports every layer
                yield "layer", "mastolib", node.lineno


def _matches(path: Path, patterns: set[str]) -> bool:
    rel = path.relative_to(PKG).as_posix()
    return any(rel == p or (p.endswith("/*") and rel.startswith(p[:-1])) for p in patterns)


def test_the_package_root_holds_only_the_public_api():
    flat = sorted(p.name for p in PKG.glob("*.py"))
    assert flat == ["__init__.py"], f"place new modules in a layer sub-package, not {flat}"
    assert {p.name for p in PKG.iterdir() if p.is_dir() and not p.name.startswith("__")} == set(ALLOWED)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PKG).as_posix())
def test_each_layer_imports_only_layers_below_it(path):
    layer = path.parent.name
    bad = [f"line {line}: imports {target}" for kind, target, line in _imports(path)
           if kind == "layer" and target not in ALLOWED[layer]]
    assert not bad, f"{path.relative_to(PKG)} ({layer}) may import only {sorted(ALLOWED[layer])}: {bad}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PKG).as_posix())
def test_plotly_only_in_figures_and_ipywidgets_only_in_apps(path):
    third = {target for kind, target, _ in _imports(path) if kind == "third"}
    if "plotly" in third:
        assert _matches(path, PLOTLY_ALLOWED), f"{path.relative_to(PKG)} imports plotly"
    if "ipywidgets" in third:
        assert _matches(path, WIDGETS_ALLOWED), f"{path.relative_to(PKG)} imports ipywidgets"


def test_the_rule_checker_sees_a_violation(tmp_path):
    bad = tmp_path / "engine" / "_bad.py"
    bad.parent.mkdir()
    bad.write_text("import plotly.graph_objects as go\n\ndef f():\n    from ..apps._bio import x\n")
    found = list(_imports(bad))
    assert ("third", "plotly", 1) in found and ("layer", "apps", 4) in found


def test_lower_layers_load_neither_plotly_nor_ipywidgets():
    code = ("import sys, mastolib, mastolib.tables, mastolib.engine, mastolib.course, mastolib.models\n"
            "import mastolib.engine._diagnose, mastolib.models._practice, mastolib.course._quiz\n"
            "print(sorted(m for m in ('plotly', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PKG.parent).stdout.strip()
    assert out == "[]"
