"""The learner's progress file (mastolib/course/_progress.py): no answer lost, no file written over."""

import json
import multiprocessing

import pytest
from filelock import FileLock

import mastolib as ml
from mastolib.course import _progress
from mastolib.course._progress import ProgressStore

N_PROCESSES = 4
N_ANSWERS = 100


def _answer_many(path: str, writer: int, start, results) -> None:
    start.wait()
    ok = 0
    store = ProgressStore(path)
    for i in range(N_ANSWERS):
        if i % 10 == 0:  # a new store now and then, as a re-run quiz cell makes one
            store = ProgressStore(path)
        ok += store.record(f"quiz{writer}", f"q{i:03d}", i % 2 == 0, i)
    results.put((writer, ok))


def test_four_processes_times_a_hundred_answers_lose_none(tmp_path):
    """Regression: without a lock 4 x 100 concurrent answers kept about 229 of 400."""
    path = tmp_path / "progress.json"
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_answer_many, args=(str(path), k, start, results))
             for k in range(N_PROCESSES)]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    reported = dict(results.get(timeout=5) for _ in procs)
    assert reported == {k: N_ANSWERS for k in range(N_PROCESSES)}, "record() returned False"
    saved = json.loads(path.read_text())["quizzes"]
    assert {k: len(v) for k, v in saved.items()} == {f"quiz{k}": N_ANSWERS
                                                     for k in range(N_PROCESSES)}
    assert saved["quiz2"]["q007"] == {**saved["quiz2"]["q007"], "correct": False, "response": 7}


@pytest.mark.parametrize("content", [
    b"{half a file",
    b'\xff\xfe{"quizzes": {}}\x80',   # not UTF-8
    b"[1, 2, 3]",                     # JSON, wrong top-level type
    b'{"version": 1}',                # no quizzes table
    b'{"quizzes": ["a"]}',
], ids=["truncated", "not-utf8", "list", "no-quizzes", "quizzes-list"])
def test_unparsable_file_is_moved_aside_and_a_fresh_one_started(tmp_path, content):
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    store = ProgressStore(path)
    assert "moved to" in store.message
    asides = list(tmp_path.glob("progress.json.corrupt-*"))
    assert len(asides) == 1 and asides[0].read_bytes() == content, "the old bytes are kept"
    assert store.record("q", "a", True, 1)
    assert json.loads(path.read_text())["quizzes"]["q"]["a"]["correct"] is True


def test_wrong_inner_types_keep_the_valid_answers_and_a_copy(tmp_path):
    path = tmp_path / "progress.json"
    original = {"version": 1, "quizzes": {
        "00_start_here": {"why_symptoms": {"correct": True, "response": 1, "time": 1.0},
                          "skin_vs_systemic": {"correct": "yes"},
                          "sm_minor_tryptase": [1, 2]},
        "broken_quiz": "not a table",
        "other": {"q": {"correct": False, "response": None, "time": "noon"}},
    }}
    path.write_text(json.dumps(original))
    store = ProgressStore(path)
    assert "4 saved answer(s)" in store.message and "kept at" in store.message
    copies = list(tmp_path.glob("progress.json.original-*"))
    assert len(copies) == 1 and json.loads(copies[0].read_text()) == original
    # The quiz cell builds (it crashed on a string where a dict belongs) with the valid answer.
    quiz = ml.quiz("00_start_here", store=store)
    assert quiz.score == (1, 1)
    assert store.record("00_start_here", "skin_vs_systemic", True, 0)
    saved = json.loads(path.read_text())["quizzes"]
    assert set(saved["00_start_here"]) == {"why_symptoms", "skin_vs_systemic"}


def test_a_file_that_cannot_be_read_is_never_written_over(tmp_path):
    # A folder where the file should be cannot be read even by root (CI runs as root); the
    # same code path as a file without read permission.
    path = tmp_path / "progress.json"
    path.mkdir()
    (path / "keep.txt").write_text("earlier answers")
    store = ProgressStore(path)
    assert "left untouched" in store.message
    assert store.record("q", "a", True, 1) is False, "record() must not claim a save"
    assert "kept for this session only" in store.message
    assert (path / "keep.txt").read_text() == "earlier answers"
    assert store.results("q")["a"]["correct"] is True, "the answer stays in the kernel"


def test_a_held_lock_is_a_message_and_the_answer_is_saved_later(tmp_path, monkeypatch):
    monkeypatch.setattr(_progress, "LOCK_TIMEOUT_S", 0.2)
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    with FileLock(str(path) + ".lock"):
        assert store.record("q", "a", True, 1) is False
        assert "holds" in store.message
    assert store.record("q", "b", False, 2) is True
    assert store.message == ""
    assert set(json.loads(path.read_text())["quizzes"]["q"]) == {"a", "b"}


def test_queued_answers_are_written_by_one_save_and_merge_with_the_file(tmp_path):
    path = tmp_path / "progress.json"
    other = ProgressStore(path)
    other.record("q1", "a", True, 1)  # another notebook saved first
    store = ProgressStore(path)
    assert store.record("q2", "x", False, 0, save=False) is False
    assert store.record("q2", "y", True, 2, save=False) is False
    assert "q2" not in json.loads(path.read_text())["quizzes"]  # queued, not written yet
    assert store.save() is True
    on_disk = json.loads(path.read_text())["quizzes"]
    assert set(on_disk) == {"q1", "q2"} and set(on_disk["q2"]) == {"x", "y"}
    assert on_disk["q2"]["y"]["response"] == 2 and on_disk["q1"]["a"]["correct"] is True
