"""Committed notebooks are clean, follow the skeleton, and match the course map."""

import json
from pathlib import Path

import pytest

import mastolib as ml
from mastolib.course._hygiene import problems, strip

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert any(p.name == "00_start_here.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_clean_and_follows_the_skeleton(path):
    assert problems(path) == []


def test_course_map_matches_the_notebooks_folder():
    rows = ml.load_records("course_map")
    available = {r["notebook"] for r in rows if r["status"] == "available"}
    present = {p.stem for p in NOTEBOOKS}
    assert present == available, "mark notebooks 'available' in data/course_map.csv when they land"


def test_problems_detects_outputs_widget_state_long_cells_and_defs(tmp_path):
    source = json.loads(NOTEBOOKS[0].read_text())
    source["metadata"]["widgets"] = {"state": {}}
    code = [c for c in source["cells"] if c["cell_type"] == "code"]
    code[0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
    code[0]["execution_count"] = 3
    code[1]["source"] = "\n".join(f"x{i} = {i}" for i in range(16))
    code[2]["source"] = "def helper():\n    return 1"
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(source))
    found = "\n".join(problems(bad))
    assert "metadata.widgets" in found
    assert "has outputs" in found and "execution count" in found
    assert "16 lines of code" in found
    assert "defines a function or class" in found
    assert strip(bad) is True
    found_after = "\n".join(problems(bad))
    assert "has outputs" not in found_after and "metadata.widgets" not in found_after
    assert strip(bad) is False, "stripping twice changes nothing"


def test_problems_detects_a_missing_notice(tmp_path):
    source = json.loads(NOTEBOOKS[0].read_text())
    for cell in source["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = text.replace("not for clinical decisions", "")
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(source))
    assert any("education notice" in p for p in problems(bad))
