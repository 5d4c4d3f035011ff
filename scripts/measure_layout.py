"""Measure the shape of the mastolib package (issue 12's before/after numbers).

    python scripts/measure_layout.py            # prints the numbers

Counts: modules and sub-packages, largest module (lines), public names, function-level imports
(ast), widget apps and how many derive from the one App base, and whether importing the engine
loads plotly or ipywidgets.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "mastolib"


def _function_imports(tree: ast.AST) -> int:
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    count += 1
    return count


def main() -> None:
    files = sorted(PKG.rglob("*.py"))
    packages = sorted({p.parent for p in files if p.name == "__init__.py"} - {PKG})
    lines = {p.relative_to(ROOT).as_posix(): len(p.read_text().splitlines()) for p in files}
    largest = max(lines.items(), key=lambda kv: kv[1])
    func_imports = sum(_function_imports(ast.parse(p.read_text())) for p in files)
    apps, on_base = [], []
    for p in files:
        tree = ast.parse(p.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.endswith("App") and node.name != "App" and not node.name.startswith("_"):
                bases = [ast.unparse(b) for b in node.bases]
                apps.append(node.name)
                if any(b.split(".")[-1] in {"App", "_App", "_BioApp"} for b in bases):
                    on_base.append(node.name)
    code = (
        "import sys, mastolib as ml; n = len(ml.__all__);"
        "import importlib; importlib.import_module('mastolib.engine') "
        "if importlib.util.find_spec('mastolib.engine') else None;"
        "print(n, 'plotly' in sys.modules, 'ipywidgets' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", "import importlib.util;" + code], capture_output=True,
                         text=True, cwd=ROOT, check=True).stdout.split()
    over = [f"{k} ({v})" for k, v in lines.items() if v > 600]
    print(f"modules (.py files): {len(files)}")
    print(f"sub-packages: {len(packages)} {[p.name for p in packages]}")
    print(f"largest module: {largest[0]} ({largest[1]} lines)")
    print(f"modules over 600 lines: {len(over)} {over}")
    print(f"public names (len(mastolib.__all__)): {out[0]}")
    print(f"function-level imports: {func_imports}")
    print(f"widget app classes: {len(apps)}; on a shared base: {len(on_base)} {sorted(on_base)}")
    print(f"import mastolib (+ mastolib.engine if present) loads plotly: {out[1]}, ipywidgets: {out[2]}")


if __name__ == "__main__":
    main()
