"""Quiz: the pure grader (table-driven), JSON validation, the widget and the progress file."""

import json

import pytest

import mastolib as ml
from mastolib.course._progress import ProgressStore
from mastolib.course._quiz import Option, Question, grade, load_quiz, parse_number
from mastolib.tables._data import DataError, data_dir

SINGLE = Question(id="s", kind="single", prompt="p", explanation="e", source_id="khoury2022",
                  options=(Option("a", False, "fa"), Option("b", True, "fb")))
MULTI = Question(id="m", kind="multiple", prompt="p", explanation="e", source_id="khoury2022",
                 options=(Option("a", True, "fa"), Option("b", False, "fb"), Option("c", True, "fc")))
NUM = Question(id="n", kind="numeric", prompt="p", explanation="e", source_id="khoury2022",
               answer=20.0, tolerance=0.5, unit="ng/mL")


@pytest.mark.parametrize(
    ("question", "response", "correct", "valid", "text"),
    [
        (SINGLE, 1, True, True, "Correct. fb"),
        (SINGLE, 0, False, True, "Not quite. fa"),
        (SINGLE, None, False, False, "Choose one option first."),
        (SINGLE, 7, False, False, "Choose one option first."),
        (MULTI, [0, 2], True, True, "Correct."),
        (MULTI, [0], False, True, "you left it out"),
        (MULTI, [0, 1, 2], False, True, "b (you ticked it): fb"),
        (MULTI, [], False, False, "Tick at least one option first."),
        (NUM, "20", True, True, "Correct: 20 ng/mL."),
        (NUM, "20,4", True, True, "Correct"),
        (NUM, "19.5 ng/mL", True, True, "Correct"),
        (NUM, "21", False, True, "too high"),
        (NUM, 3, False, True, "too low"),
        (NUM, "twenty", False, False, "is not a number"),
        (NUM, "nan", False, False, "not a finite number"),
        (NUM, "", False, False, "is not a number"),
    ],
)
def test_grade_table(question, response, correct, valid, text):
    result = grade(question, response)
    assert result.correct is correct
    assert result.valid is valid
    assert any(text in m for m in result.messages), result.messages


def test_parse_number_rejects_words_with_a_hint():
    with pytest.raises(ValueError, match=r"'abc' is not a number; type digits"):
        parse_number("abc")


def _write_quiz(tmp_path, monkeypatch, questions):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    monkeypatch.setenv("MASTOLIB_DATA", str(data))
    (data / "quiz" / "bad.json").write_text(json.dumps({"questions": questions}))


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([{"id": "x"}], r"field 'kind' is missing"),
        ([{"id": "x", "kind": "essay", "prompt": "p", "explanation": "e", "source_id": "khoury2022"}],
         r"kind 'essay' is not one of"),
        ([{"id": "x", "kind": "single", "prompt": "p", "explanation": "e", "source_id": "nobody2020",
           "options": []}], r"source_id 'nobody2020' is not in sources.csv"),
        ([{"id": "x", "kind": "single", "prompt": "p", "explanation": "e", "source_id": "khoury2022",
           "options": [{"text": "a", "correct": True, "feedback": "f"},
                       {"text": "b", "correct": True, "feedback": "f"}]}],
         r"exactly 1 correct option, found 2"),
        ([{"id": "x", "kind": "numeric", "prompt": "p", "explanation": "e", "source_id": "khoury2022",
           "answer": "20"}], r"needs a number 'answer'"),
    ],
)
def test_bad_quiz_json_is_a_clear_error(tmp_path, monkeypatch, questions, message):
    _write_quiz(tmp_path, monkeypatch, questions)
    with pytest.raises(DataError, match=message):
        load_quiz("bad")


def test_broken_json_names_the_file(tmp_path, monkeypatch):
    _write_quiz(tmp_path, monkeypatch, [])
    (data_dir() / "quiz" / "bad.json").write_text("{not json")
    with pytest.raises(DataError, match=r"quiz/bad\.json: not valid JSON"):
        load_quiz("bad")


def test_unknown_section_lists_sections():
    with pytest.raises(ValueError, match=r"has no section 'nope'; sections: \['warm-up'\]"):
        load_quiz("00_start_here", section="nope")


@pytest.mark.parametrize("path", sorted((data_dir() / "quiz").glob("*.json")), ids=lambda p: p.stem)
def test_every_shipped_quiz_validates(path):
    title, questions = load_quiz(path.stem)
    assert title and len(questions) >= 2


def test_quiz_widget_check_show_answer_and_progress(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    quiz = ml.quiz("00_start_here", store=store)
    quiz.controls["origin"]["input"].value = 1
    quiz.controls["origin"]["check"].click()
    assert "Correct" in quiz.feedback["origin"].value
    quiz.controls["sm_minor_tryptase"]["input"].value = "abc"
    quiz.controls["sm_minor_tryptase"]["check"].click()
    assert "not a number" in quiz.feedback["sm_minor_tryptase"].value
    assert quiz.score == (1, 1)  # an invalid answer is not recorded
    quiz.controls["skin_vs_systemic"]["show"].click()
    assert "Answer:" in quiz.feedback["skin_vs_systemic"].value
    assert "Source:" in quiz.feedback["skin_vs_systemic"].value
    saved = json.loads((tmp_path / "progress.json").read_text())
    assert saved["quizzes"]["00_start_here"]["origin"]["correct"] is True
    again = ml.quiz("00_start_here", store=ProgressStore(tmp_path / "progress.json"))
    assert again.score == (1, 1), "saved results are restored in a new session"


def test_unwritable_location_gives_a_message_not_an_error(tmp_path):
    # A regular file where the folder should be: unwritable even for root (CI runs as root),
    # the same code path as a read-only home.
    blocker = tmp_path / "home"
    blocker.write_text("not a folder")
    store = ProgressStore(blocker / ".mastolib" / "progress.json")
    quiz = ml.quiz("00_start_here", store=store)
    quiz.controls["origin"]["input"].value = 1
    result = quiz.check("origin")
    assert result.correct
    assert quiz.score == (1, 1), "the result is kept in the kernel"
    assert "kept for this session only" in quiz._status.value


def test_corrupt_progress_file_is_moved_aside_with_a_message(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text("{half a file")
    store = ProgressStore(path)
    assert "moved to" in store.message
    asides = list(tmp_path.glob("progress.json.corrupt-*"))
    assert len(asides) == 1 and asides[0].read_text() == "{half a file"
    assert store.record("q", "a", True, 1)
    assert json.loads(path.read_text())["quizzes"]["q"]["a"]["correct"] is True


def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    store.record("q", "first", True, 1)
    before = path.read_text()

    def crash(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("mastolib.course._progress.json.dump", crash)
    assert store.record("q", "second", False, 2) is False
    assert path.read_text() == before, "a failed write leaves the old file intact"
    assert not list(tmp_path.glob(".progress-*")), "no temporary file left behind"


def test_two_quizzes_in_one_kernel_keep_each_others_answers(tmp_path):
    """Regression: each quiz widget had its own store and saved a stale copy over the file."""
    path = tmp_path / "progress.json"
    first, second = ProgressStore(path), ProgressStore(path)
    first.record("01:origin", "q1", True, 0)
    second.record("01:mediators", "q2", False, 1)
    first.record("01:origin", "q3", True, 2)
    saved = json.loads(path.read_text())["quizzes"]
    assert set(saved) == {"01:origin", "01:mediators"}
    assert set(saved["01:origin"]) == {"q1", "q3"}
    assert ProgressStore(path).summary() == {"01:origin": (2, 2), "01:mediators": (0, 1)}
