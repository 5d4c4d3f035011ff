"""Every learning objective is tested by a quiz item, and every quiz item tests an objective.

Objectives are the numbered list under "Learning objectives" in a notebook's first cell;
quiz items name them as ``"NN.k"`` (objective k of notebook NN) in their ``objectives`` field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mastolib.course._quiz import load_quiz
from mastolib.tables._data import data_dir

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
QUIZ_FILES = sorted((data_dir() / "quiz").glob("*.json"))

# Notebooks whose objectives are not tested by a learner quiz, and why.
NOT_QUIZZED = {
    "12_for_teachers_class_results": "written for teachers: it reads a class's results",
}
# Items another branch is correcting (they gain their "objectives" at merge). Each entry
# must still exist and still lack objectives, so this list cannot silently go stale.
AWAITING_OBJECTIVES: set[tuple[str, str]] = set()
_ITEM = re.compile(r"^\s*(\d+)\.\s+\S")


def notebook_objectives(path: Path) -> list[str]:
    """The objective texts of one notebook (empty if it lists none)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        if "learning objectives" not in text.lower():
            continue
        after = text[text.lower().index("learning objectives"):].splitlines()[1:]
        items = []
        for line in after:
            match = _ITEM.match(line)
            if match:
                items.append(line.split(".", 1)[1].strip())
            elif items and line.strip() and not line.startswith(" "):
                break
        return items
    return []


def all_objectives() -> dict[str, str]:
    """``"NN.k" -> objective text`` over every notebook."""
    out = {}
    for path in NOTEBOOKS:
        for k, text in enumerate(notebook_objectives(path), start=1):
            out[f"{path.stem[:2]}.{k}"] = text
    return out


def all_items():
    """``(quiz_id, question)`` for every shipped quiz item."""
    for path in QUIZ_FILES:
        for question in load_quiz(path.stem)[1]:
            yield path.stem, question


def test_the_objective_parser_reads_numbered_lists():
    objectives = all_objectives()
    assert objectives["03.2"].startswith("apply the criteria for systemic mastocytosis")
    assert len([k for k in objectives if k.startswith("01.")]) == 5


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem not in NOT_QUIZZED],
                         ids=lambda p: p.stem)
def test_every_objective_is_tested_by_a_quiz_item(path):
    objectives = notebook_objectives(path)
    assert objectives, f"{path.name}: no numbered learning objectives found"
    covered = {ref for _quiz, q in all_items() for ref in q.objectives}
    missing = [f"{path.stem[:2]}.{k} {text}" for k, text in enumerate(objectives, start=1)
               if f"{path.stem[:2]}.{k}" not in covered]
    assert not missing, f"objectives no quiz item tests: {missing}"


def test_every_quiz_item_tests_an_existing_objective():
    known = all_objectives()
    problems = []
    for quiz_id, question in all_items():
        if (quiz_id, question.id) in AWAITING_OBJECTIVES:
            continue
        if not question.objectives:
            problems.append(f"{quiz_id}/{question.id}: no objectives")
        problems += [f"{quiz_id}/{question.id}: unknown objective {ref}"
                     for ref in question.objectives if ref not in known]
    assert not problems, problems


def test_the_awaiting_list_is_not_stale():
    items = {(quiz_id, q.id): q for quiz_id, q in all_items()}
    for key in AWAITING_OBJECTIVES:
        assert key in items, f"{key} no longer exists: drop it from AWAITING_OBJECTIVES"
        assert not items[key].objectives, f"{key} has objectives now: drop it from the list"


def test_a_notebook_quiz_tests_its_own_objectives_first():
    """A notebook's own quiz maps mostly to that notebook (cross-references are the exception)."""
    for path in QUIZ_FILES:
        if not path.stem[:2].isdigit():
            continue
        refs = [r for q in load_quiz(path.stem)[1] for r in q.objectives]
        own = [r for r in refs if r.startswith(path.stem[:2] + ".")]
        assert refs and len(own) >= len(refs) / 2, f"{path.stem}: {refs}"


def test_wrong_options_are_not_throwaway_answers():
    """No option is an implausible filler (the issue named two); each wrong option explains."""
    fillers = re.compile(r"\b(thymus|common cold|none of the above|all of the above)\b", re.I)
    for quiz_id, question in all_items():
        for option in question.options:
            assert not fillers.search(option.text), f"{quiz_id}/{question.id}: {option.text}"
            if not option.correct:
                assert len(option.feedback.split()) >= 4, f"{quiz_id}/{question.id}: {option}"


def test_no_prompt_asks_what_the_sources_confirm():
    """Items test the medicine, not the course's bookkeeping of its sources."""
    meta = re.compile(r"(our|course'?s?) sources|confirm(ed)? in the course|fact sheet", re.I)
    for quiz_id, question in all_items():
        if (quiz_id, question.id) in AWAITING_OBJECTIVES:
            continue  # being corrected on another branch
        assert not meta.search(question.prompt), f"{quiz_id}/{question.id}: {question.prompt}"
