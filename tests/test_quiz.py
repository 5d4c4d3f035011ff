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
    quiz.controls["why_symptoms"]["input"].value = 0
    quiz.controls["why_symptoms"]["check"].click()
    assert "Correct" in quiz.feedback["why_symptoms"].value
    quiz.controls["sm_minor_tryptase"]["input"].value = "abc"
    quiz.controls["sm_minor_tryptase"]["check"].click()
    assert "not a number" in quiz.feedback["sm_minor_tryptase"].value
    assert quiz.score == (1, 1)  # an invalid answer is not recorded
    quiz.controls["skin_vs_systemic"]["show"].click()
    assert "Answer:" in quiz.feedback["skin_vs_systemic"].value
    assert "Source:" in quiz.feedback["skin_vs_systemic"].value
    saved = json.loads((tmp_path / "progress.json").read_text())
    assert saved["quizzes"]["00_start_here"]["why_symptoms"]["correct"] is True
    again = ml.quiz("00_start_here", store=ProgressStore(tmp_path / "progress.json"))
    assert again.score == (1, 1), "saved results are restored in a new session"


def test_unwritable_location_gives_a_message_not_an_error(tmp_path):
    # A regular file where the folder should be: unwritable even for root (CI runs as root),
    # the same code path as a read-only home.
    blocker = tmp_path / "home"
    blocker.write_text("not a folder")
    store = ProgressStore(blocker / ".mastolib" / "progress.json")
    quiz = ml.quiz("00_start_here", store=store)
    quiz.controls["why_symptoms"]["input"].value = 0
    result = quiz.check("why_symptoms")
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


def test_engine_graded_case_items_follow_the_engine(tmp_path, monkeypatch):
    """The final exam's case items take their right answer from the engine, not the file."""
    from mastolib.engine._cases import engine_answer

    _title, questions = load_quiz("13_final_case_exam")
    raw = {q["id"]: q for q in json.loads(
        (data_dir() / "quiz" / "13_final_case_exam.json").read_text())["questions"]}
    graded = [q for q in questions if "scheme" in raw[q.id]]
    assert len(graded) >= 6
    for q in graded:
        category, subtype, _ = engine_answer(q.case_id, raw[q.id]["scheme"])
        key = category if subtype is None else f"{category}/{subtype}"
        right = [o for o, r in zip(q.options, raw[q.id]["options"], strict=True) if o.correct]
        assert len(right) == 1
        assert [r["answer"] for r in raw[q.id]["options"] if r["text"] == right[0].text] == [key]


@pytest.mark.parametrize(("change", "message"), [
    ({"case_id": "c99"}, r"unknown case 'c99'"),
    ({"scheme": "who2016"}, r"scheme 'who2016' is not one of"),
    ({"options": [{"text": "a", "answer": "SM/ISM", "feedback": "f"},
                  {"text": "b", "answer": "SM/SSM", "feedback": "f"}]},
     r"the engine's answer 'SM/BMM' must match exactly one option"),
    ({"options": [{"text": "a", "correct": True, "feedback": "f"},
                  {"text": "b", "answer": "SM/BMM", "feedback": "f"}]},
     r"carry 'answer', not 'correct'"),
    ({"objectives": ["3.2"]}, r"'objectives' must be a list like"),
])
def test_bad_engine_graded_item_is_a_clear_error(tmp_path, monkeypatch, change, message):
    item = {"id": "x", "kind": "single", "prompt": "p", "explanation": "e",
            "source_id": "khoury2022", "case_id": "c09", "scheme": "who2022",
            "options": [{"text": "a", "answer": "SM/BMM", "feedback": "f"},
                        {"text": "b", "answer": "SM/ISM", "feedback": "f"}]}
    _write_quiz(tmp_path, monkeypatch, [{**item, **change}])
    with pytest.raises(DataError, match=message):
        load_quiz("bad")


def test_attempts_are_saved_apart(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    pre = ml.quiz("class_quiz", store=store, attempt="pre")
    pre.controls["cq_hat"]["input"].value = "22"
    pre.check("cq_hat")
    post = ml.quiz("class_quiz", store=ProgressStore(tmp_path / "progress.json"), attempt="post")
    assert post.score == (0, 0), "a new attempt starts empty"
    saved = json.loads((tmp_path / "progress.json").read_text())["quizzes"]
    assert saved["class_quiz@pre"]["cq_hat"]["correct"] is True
    with pytest.raises(ValueError, match=r"attempt 'a b' must be a short word"):
        ml.quiz("class_quiz", store=store, attempt="a b")


def test_a_case_vignette_is_shown_once_per_case(tmp_path):
    exam = ml.quiz("13_final_case_exam", section="no_skin",
                   store=ProgressStore(tmp_path / "p.json"))
    shown = [box.children[0].value.count("<b>Case c09:") for box in exam.widget.children[1:-2]]
    assert shown == [1, 0, 0]


def test_options_are_shown_shuffled_but_graded_by_file_index(tmp_path):
    """The right answer is not always first on screen; checking still grades the file's index."""
    from mastolib.course._quiz import display_order

    firsts = []
    for path in sorted((data_dir() / "quiz").glob("*.json")):
        for q in load_quiz(path.stem)[1]:
            if q.kind == "single":
                order = display_order(q)
                assert sorted(order) == list(range(len(q.options)))
                assert display_order(q) == order, "the same order every time"
                firsts.append(q.options[order[0]].correct)
    assert sum(firsts) < len(firsts) / 2, "the right answer is shown first too often"
    quiz = ml.quiz("03_classification", section="b_and_c", store=ProgressStore(tmp_path / "p"))
    shown = [label for label, _ in quiz.controls["bc_subtype"]["input"].options]
    assert shown[0] != "Aggressive SM" and "Aggressive SM" in shown
    quiz.controls["bc_subtype"]["input"].value = 0  # the file's index of 'Aggressive SM'
    assert quiz.check("bc_subtype").correct
    multi = ml.quiz("00_start_here", store=ProgressStore(tmp_path / "q"))
    boxes = multi.controls["skin_vs_systemic"]["input"].children
    for box in boxes:
        box.value = box.description != "Mastocytosis is usually inherited from a parent"
    assert multi.check("skin_vs_systemic").correct
