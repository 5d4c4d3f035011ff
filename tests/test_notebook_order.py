"""Notebooks survive a restart and their cells run in any valid order, offline.

Cells are reordered at random (seeded) while respecting data dependencies: a cell that reads a
name must run after the cell that defines it. Apps must therefore be self-contained after the
imports cell. Kernels run with the network guard from the repository's conftest.py.
"""

import ast
import random
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _names(source: str) -> tuple[set, set]:
    """(defined, used) top-level names of a code cell; IPython magics make it opaque."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    defined, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, ast.Store) else used).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined.update((a.asname or a.name).split(".")[0] for a in node.names)
    return defined, used


def valid_shuffle(cells: list[str], rng: random.Random) -> list[int]:
    """A random order of cell indices in which every used name is defined earlier."""
    info = [_names(c) for c in cells]
    deps = {i: set() for i in range(len(cells))}
    for i, (_defs, uses) in enumerate(info):
        for j in range(i):
            if uses & info[j][0]:
                deps[i].add(j)
    order, done = [], set()
    while len(order) < len(cells):
        ready = [i for i in range(len(cells)) if i not in done and deps[i] <= done]
        pick = rng.choice(ready)
        order.append(pick)
        done.add(pick)
    return order


def test_valid_shuffle_respects_dependencies():
    cells = ["import x", "a = x.f()", "b = 2", "a.show(b)", "print(3)"]
    for seed in range(50):
        order = valid_shuffle(cells, random.Random(seed))
        assert order.index(0) < order.index(1) < order.index(3)
        assert order.index(2) < order.index(3)
    orders = {tuple(valid_shuffle(cells, random.Random(s))) for s in range(50)}
    assert len(orders) > 3, "the shuffle really reorders"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_in_a_shuffled_valid_order_raise_nothing(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    order = valid_shuffle([c.source for c in code], random.Random(path.stem))
    nb.cells = [code[i] for i in order]
    client = NotebookClient(nb, kernel_name="python3", timeout=120,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [(c.source.splitlines()[0] if c.source else "", o.get("ename"), o.get("evalue"))
              for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"cells failed in order {order}: {errors}"


def test_network_guard_is_active_in_test_kernels():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import socket\n"
        "s = socket.socket()\n"
        "try:\n"
        "    s.connect(('192.0.2.1', 80))\n"
        "    print('CONNECTED')\n"
        "except OSError as exc:\n"
        "    print('BLOCKED' if 'network blocked' in str(exc) else f'OTHER {exc}')\n")]
    NotebookClient(nb, kernel_name="python3", timeout=60).execute()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert text.strip() == "BLOCKED"
