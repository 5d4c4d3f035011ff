"""Committed notebooks are stripped (nbstripout), follow the skeleton, and match the course map."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import mastolib as ml
from mastolib.course._hygiene import problems

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
# The same flags as `make clean-notebooks` and .pre-commit-config.yaml.
NBSTRIPOUT = [sys.executable, "-m", "nbstripout", "--keep-id"]


def test_there_are_notebooks():
    assert any(p.name == "00_start_here.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_follows_the_skeleton(path):
    assert problems(path) == []


def test_notebooks_are_stripped():
    out = subprocess.run([*NBSTRIPOUT, "--verify", *map(str, NOTEBOOKS)],
                         capture_output=True, text=True)
    assert out.returncode == 0, f"run `make clean-notebooks`:\n{out.stdout}{out.stderr}"


def test_course_map_matches_the_notebooks_folder():
    rows = ml.load_records("course_map")
    available = {r["notebook"] for r in rows if r["status"] == "available"}
    present = {p.stem for p in NOTEBOOKS}
    assert present == available, "mark notebooks 'available' in data/course_map.csv when they land"


def test_nbstripout_removes_outputs_counts_and_widget_state(tmp_path):
    source = json.loads(NOTEBOOKS[0].read_text())
    source["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    code = [c for c in source["cells"] if c["cell_type"] == "code"]
    code[0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
    code[0]["execution_count"] = 3
    code[1]["metadata"]["execution"] = {"iopub.status.busy": "2026-11-22T10:00:00"}
    dirty = tmp_path / "dirty.ipynb"
    dirty.write_text(json.dumps(source))
    verify = [*NBSTRIPOUT, "--verify", str(dirty)]
    assert subprocess.run(verify, capture_output=True).returncode != 0
    subprocess.run([*NBSTRIPOUT, str(dirty)], check=True)
    assert subprocess.run(verify, capture_output=True).returncode == 0
    stripped = json.loads(dirty.read_text())
    assert "widgets" not in stripped["metadata"]
    cells = [c for c in stripped["cells"] if c["cell_type"] == "code"]
    assert cells[0]["outputs"] == [] and cells[0]["execution_count"] is None
    assert "execution" not in cells[1]["metadata"]
    assert [c["id"] for c in stripped["cells"]] == [c["id"] for c in source["cells"]]


def test_problems_detects_long_cells_and_defs(tmp_path):
    source = json.loads(NOTEBOOKS[0].read_text())
    code = [c for c in source["cells"] if c["cell_type"] == "code"]
    code[1]["source"] = "\n".join(f"x{i} = {i}" for i in range(16))
    code[2]["source"] = "def helper():\n    return 1"
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(source))
    found = "\n".join(problems(bad))
    assert "16 lines of code" in found
    assert "defines a function or class" in found
    code[2]["metadata"]["tags"] = ["exercise"]
    bad.write_text(json.dumps(source))
    assert "defines a function or class" not in "\n".join(problems(bad))


def test_problems_detects_a_missing_notice(tmp_path):
    source = json.loads(NOTEBOOKS[0].read_text())
    for cell in source["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = text.replace("not for clinical decisions", "")
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(source))
    assert any("education notice" in p for p in problems(bad))
