"""Class pack: class results from progress files (synthetic, corrupt, missing), case cards,
the criteria card and the printable page (mastolib/apps/_classpack.py, _criteria_card.py,
_printables.py). The page counts are checked in a real browser in
tests/browser/test_classpack_print.py."""

from __future__ import annotations

import json
import shutil

import pytest

import mastolib as ml
from mastolib.course._printables import printable_html
from mastolib.course._progress import ProgressStore
from mastolib.course._quiz import load_quiz
from mastolib.tables._data import data_dir


def _file(folder, name, quizzes):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "quizzes": quizzes}), encoding="utf-8")
    return path


def _answer(correct, response):
    return {"correct": correct, "response": response, "time": 0}


@pytest.fixture
def class_folder(tmp_path):
    """Three students by hand: exact success rates and wrong answers are known."""
    folder = tmp_path / "class"
    _file(folder, "ann.json", {"class_quiz@pre": {"cq_ssm": _answer(True, 1),
                                                  "cq_hat": _answer(False, "33")}})
    _file(folder, "bob.json", {"class_quiz@pre": {"cq_ssm": _answer(False, 2),
                                                  "cq_hat": _answer(True, "22")}})
    _file(folder, "cem.json", {"class_quiz@pre": {"cq_ssm": _answer(False, 2)},
                               "class_quiz@post": {"cq_ssm": _answer(True, 1)}})
    return folder


def _row(results, question, attempt="pre"):
    table = results.table
    rows = table[(table["question"] == question) & (table["attempt"] == attempt)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_success_rates_and_most_common_wrong_answer(class_folder):
    results = ml.class_results(class_folder)
    assert results.students == ("ann", "bob", "cem")
    ssm = _row(results, "cq_ssm")
    assert (ssm["answered"], ssm["correct"]) == (3, 1)
    assert ssm["success_rate"] == pytest.approx(1 / 3)
    _title, questions = load_quiz("class_quiz")
    option_2 = next(q for q in questions if q.id == "cq_ssm").options[2].text
    assert ssm["common_wrong_answers"] == f"{option_2} (2)", "option index shown as its text"
    assert _row(results, "cq_hat")["common_wrong_answers"] == "33 (1)"
    assert _row(results, "cq_ssm", "post")["success_rate"] == 1.0
    prompt = next(q for q in questions if q.id == "cq_ssm").prompt
    hardest = results.summary.split("Hardest after the lesson: \u201c")[1]
    assert prompt.startswith(hardest.split("\u2026\u201d")[0]) and "cq_ssm" not in hardest
    assert "\u201d (100% of 1 right)" in hardest
    html_table = results._repr_html_()
    assert prompt in html_table and "cq_ssm" not in html_table and "class_quiz" not in html_table
    assert "before the lesson" in html_table
    assert html_table.count(load_quiz("class_quiz")[0]) == 1  # one quiz: named once


def test_corrupt_missing_and_odd_files_are_reported_not_fatal(class_folder):
    (class_folder / "half.json").write_text('{"version": 1, "quizzes": {', encoding="utf-8")
    (class_folder / "list.json").write_text("[1, 2, 3]", encoding="utf-8")
    (class_folder / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    (class_folder / "folder.json").mkdir()  # a folder with a .json name is not a file
    (class_folder / "ann.json.corrupt-20261203-101010").write_text("{")  # an aside copy
    _file(class_folder, "odd.json", {"class_quiz@pre": {"cq_ssm": {"correct": "yes"},
                                                        "cq_hat": "not an entry"},
                                     "class_quiz@post": ["not", "a", "dict"]})
    results = ml.class_results(class_folder)
    reasons = dict((p.rsplit("/", 1)[-1], r) for p, r in results.unreadable)
    assert set(reasons) == {"half.json", "list.json", "binary.json"}
    assert reasons["half.json"].startswith("not valid JSON")
    assert reasons["list.json"] == "not a progress file (no 'quizzes' object)"
    assert reasons["binary.json"].startswith(("cannot be read", "not valid JSON"))
    assert results.skipped_entries == 3
    assert "odd" in results.students
    assert _row(results, "cq_ssm")["answered"] == 3, "malformed answers are not counted"
    assert "3 could not be read" in results.summary and "half.json" in results.summary


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match=r"folder '.*nowhere' does not exist"):
        ml.class_results(tmp_path / "nowhere")


def test_an_empty_folder_gives_an_empty_result(tmp_path):
    results = ml.class_results(tmp_path)
    assert results.table.empty and results.students == ()
    assert "No quiz answers were found" in results.summary
    assert results.figure.layout.annotations[0].text == "No quiz answers found"


def test_hub_home_folders_are_named_after_the_student(tmp_path):
    """A shared hub folder of homes: <user>/.mastolib/progress.json is named <user>."""
    for user in ("amira", "jonas"):
        store = ProgressStore(tmp_path / user / ".mastolib" / "progress.json")
        store.record("03_classification:criteria", "criteria_major_alone", user == "amira", 0)
    results = ml.class_results(tmp_path)
    assert results.students == ("amira", "jonas")
    row = _row(results, "criteria_major_alone", "")
    assert row["quiz"] == "03_classification" and row["success_rate"] == 0.5


def test_a_list_of_files_and_unknown_questions(tmp_path):
    path = _file(tmp_path, "x.json", {"08_virtual_patients:cases": {"c09/who2022":
                                                                    _answer(False, "SM/ISM")},
                                      "no_such_quiz": {"q": _answer(True, 1)}})
    results = ml.class_results([path])
    assert _row(results, "c09/who2022", "")["common_wrong_answers"] == "SM/ISM (1)"
    assert _row(results, "q", "")["prompt"] == ""


def test_synthetic_class_is_reproducible_and_improves(tmp_path):
    first = ml.synthetic_class_progress(tmp_path / "a", n_students=12, seed=3, broken_files=1)
    ml.synthetic_class_progress(tmp_path / "b", n_students=12, seed=3, broken_files=1)
    assert len(first) == 13
    a, b = ml.class_results(tmp_path / "a"), ml.class_results(tmp_path / "b")
    assert a.table.equals(b.table), "same seed, same class"
    assert len(a.students) == 12 and len(a.unreadable) == 1
    mean = a.table.groupby("attempt")["success_rate"].mean()
    assert mean["post"] > mean["pre"]
    n_questions = len(load_quiz("class_quiz")[1])
    assert len(a.table) == 2 * n_questions
    assert set(a.table["answered"]) == {12}
    fig = a.figure
    assert [t.name for t in fig.data] == ["before the lesson", "after the lesson"]
    assert all(len(t.y) == n_questions for t in fig.data)
    # the axis names each question by its prompt (short form), never by its id
    prompts = {q.id: q.prompt for q in load_quiz("class_quiz")[1]}
    for label in fig.data[0].y:
        assert "cq_" not in label and "class_quiz" not in label, label
        assert all(len(line) <= 40 for line in label.split("<br>")), label
        start = label.split("<br>")[0]
        assert any(p.startswith(start) for p in prompts.values()), label
    assert "before the lesson" in a.summary and "<table" in a._repr_html_()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_students": 0}, r"n_students 0 must be a whole number from 1 to 500"),
    ({"broken_files": 99}, r"broken_files 99 must be a whole number from 0 to n_students"),
    ({"quiz_id": "nope"}, r"quiz/nope\.json"),
])
def test_synthetic_class_rejects_bad_input(tmp_path, kwargs, message):
    with pytest.raises((ValueError, ml.DataError), match=message):
        ml.synthetic_class_progress(tmp_path, **kwargs)


def test_case_cards_use_the_engine_answer_and_the_vignette():
    from mastolib.engine._cases import case_diagnoses, get_case

    page = ml.case_cards_html(["c09", "c35"])
    assert page.count('class="card"') == 2 and page.count('class="sheet"') == 2
    for case_id in ("c09", "c35"):
        who, icc, _ = case_diagnoses(case_id)
        assert who.label in page and icc.label in page
        assert get_case(case_id).title in page
    assert "not for clinical decisions" in page
    no_key = ml.case_cards_html(["c09"], answers=False)
    assert "Answer key" not in no_key and "ISM (BMM variant)" not in no_key
    with pytest.raises(ValueError, match=r"unknown case 'c99'"):
        ml.case_cards_html(["c99"])


def test_all_case_cards_paginate_in_fixed_sheets():
    from mastolib.apps._classpack import CARDS_PER_SHEET, KEY_ROWS_PER_SHEET

    n = len(ml.load_records("cases"))
    page = ml.case_cards_html()
    expected = -(-n // CARDS_PER_SHEET) + -(-n // KEY_ROWS_PER_SHEET)
    assert page.count('class="sheet"') == expected


def test_criteria_card_is_generated_from_the_threshold_table(tmp_path, monkeypatch):
    page = ml.criteria_card_html()
    for text in ("WHO 2022", "ICC 2022", "&gt; 20 ng/mL", "&lt; 125 ng/mL", "&gt; 2 cm",
                 "&gt; 1 cm", "SM-AMN", "not part of this scheme"):
        assert text in page, text
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    table = (data / "thresholds.csv").read_text(encoding="utf-8")
    (data / "thresholds.csv").write_text(
        table.replace("b3_lymph_node_icc,icc2022,lymph_node_max_cm,>,1,",
                      "b3_lymph_node_icc,icc2022,lymph_node_max_cm,>,1.5,"), encoding="utf-8")
    monkeypatch.setenv("MASTOLIB_DATA", str(data))
    changed = ml.criteria_card_html()
    assert "&gt; 1.5 cm" in changed and "&gt; 1.5 cm" not in page, "the card follows the table"


def test_printable_html_escapes_and_validates():
    page = printable_html("A <b> title", [("\fSecond page", "<p>body</p>")],
                             subtitle="sub & more", footer="Foot")
    assert "A &lt;b&gt; title" in page and "sub &amp; more" in page
    assert '<section class="newpage"><h2>Second page</h2><p>body</p>' in page
    assert "<footer>Foot <b>For education only" in page and "@page" in page
    with pytest.raises(ValueError, match=r"title: a printable needs a non-empty title"):
        printable_html("", [])
    with pytest.raises(ValueError, match=r"sections: item 1 must be a \(heading, html body\) pair"):
        printable_html("T", ["just text"])


def test_question_label_is_a_short_human_form():
    from mastolib.figures._classpack import question_label

    assert question_label("Which drug does NOT switch off  KIT D816V?", width=50) == (
        "Which drug does NOT switch off KIT D816V?")
    long = question_label("word " * 40, width=20, lines=2)
    assert long.count("<br>") == 1 and long.endswith("…")
    assert all(len(line) <= 20 for line in long.split("<br>"))
    assert question_label("", "cq_old_question") == "cq old question"
