"""Readability (Flesch-Kincaid grade) of the course prose; mastolib/course/_readability.py.

The patient and family track must read at grade 8 or below. The grades of every notebook are
printed (run with ``-s``) so the before/after numbers in reports can be reproduced.
"""

from pathlib import Path

import pytest

from mastolib.course._readability import fk_grade, notebook_grade, notebook_prose, syllables

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATIENT_TRACK = ("10_living_with_mastocytosis", "11_children_and_parents")


# Dictionary syllable counts (Merriam-Webster hyphenation).
@pytest.mark.parametrize("word, expected", [
    ("cat", 1), ("make", 1), ("table", 2), ("doctor", 2), ("wanted", 2), ("used", 1),
    ("children", 2), ("itchy", 2), ("histamine", 3), ("adrenaline", 4), ("appointment", 3),
    ("mastocytosis", 5), ("anaphylaxis", 5), ("family", 3), ("people", 2), ("bacteria", 4),
])
def test_syllables_match_dictionary_counts(word, expected):
    assert syllables(word) == expected


def test_grade_rises_with_long_words_and_long_sentences():
    easy = "The cat sat on the mat. It was warm. We had tea."
    hard = ("Systemic mastocytosis is characterised by multifocal infiltrates of morphologically "
            "atypical mast cells accompanied by constitutively activating mutations.")
    assert fk_grade(easy) < 3 < 12 < fk_grade(hard)


def test_markdown_noise_is_not_prose():
    lines = notebook_prose(NOTEBOOKS / "00_start_here.ipynb")
    assert lines and not any(line.startswith(("#", "|", "```")) for line in lines)
    assert not any("](" in line for line in lines)


def test_empty_text_names_the_problem():
    with pytest.raises(ValueError, match="text"):
        fk_grade("```code only```")


def test_report_grades_of_every_notebook():
    grades = {p.stem: round(notebook_grade(p), 1) for p in sorted(NOTEBOOKS.glob("*.ipynb"))}
    print("\nFlesch-Kincaid grade of each notebook's prose:")
    for stem, grade in grades.items():
        print(f"  {stem:40s} {grade:5.1f}")
    assert set(PATIENT_TRACK) <= set(grades)


@pytest.mark.parametrize("stem", PATIENT_TRACK)
def test_patient_track_reads_at_grade_8_or_below(stem):
    grade = notebook_grade(NOTEBOOKS / f"{stem}.ipynb")
    assert grade <= 8.0, f"{stem}: Flesch-Kincaid grade {grade:.1f} (target <= 8)"
