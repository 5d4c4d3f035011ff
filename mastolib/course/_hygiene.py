"""Notebook skeleton: committed notebooks follow the course's structure.

Stripping (outputs, execution counts, widget state) is nbstripout's job: ``make clean-notebooks``
and the pre-commit hook run ``nbstripout --keep-id``, and ``nbstripout --verify`` checks it
(``make check-notebooks``, ``tests/test_hygiene.py``). This module checks what nbstripout cannot
know: the education notice and the other skeleton parts, the imports cell, short cells and no
logic in notebooks. Run ``python -m mastolib.course._hygiene check notebooks``. Only the standard library
is used, so this runs before anything else is installed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

MAX_CELL_LINES = 15
SKELETON = {
    "education notice": re.compile(r"not for clinical decisions", re.I),
    "learning objectives": re.compile(r"learning objectives", re.I),
    "estimated time": re.compile(r"estimated time|time:", re.I),
    "key points": re.compile(r"key points", re.I),
    "references": re.compile(r"references", re.I),
}
_DEF = re.compile(r"^\s*(def|class)\s", re.M)


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def problems(path) -> list[str]:
    """Every skeleton problem of one notebook, as readable strings."""
    path = Path(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path}: not a readable notebook ({exc})"]
    found = []
    markdown = "\n".join(_source(c) for c in nb.get("cells", []) if c.get("cell_type") == "markdown")
    for name, pattern in SKELETON.items():
        if not pattern.search(markdown):
            found.append(f"{path.name}: skeleton part missing: {name}")
    code_cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    if not code_cells or "import mastolib as ml" not in _source(code_cells[0]):
        found.append(f"{path.name}: the first code cell should be the imports cell "
                     "(`import mastolib as ml`)")
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        where = f"{path.name} cell {index}"
        source = _source(cell)
        lines = [ln for ln in source.splitlines() if ln.strip()]
        if len(lines) > MAX_CELL_LINES:
            found.append(f"{where}: {len(lines)} lines of code (at most {MAX_CELL_LINES})")
        tags = cell.get("metadata", {}).get("tags", [])
        if _DEF.search(source) and "exercise" not in tags and "solution" not in tags:
            found.append(f"{where}: defines a function or class; logic belongs in mastolib "
                         "(student exercises are tagged 'exercise')")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["check"])
    parser.add_argument("folder", nargs="?", default="notebooks")
    args = parser.parse_args(argv)
    paths = sorted(Path(args.folder).glob("*.ipynb"))
    found = [msg for p in paths for msg in problems(p)]
    print("\n".join(found) if found else f"{len(paths)} notebooks clean")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
