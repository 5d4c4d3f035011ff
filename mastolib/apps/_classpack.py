"""The teacher's class pack: printable case cards and a class results view.

* :func:`case_cards_html` - printable case cards from ``data/cases.csv`` with an answer key
  whose labels come from the clinical engine (never a hand-typed key);
* :func:`class_results` - reads a folder of students' progress files (the format of
  :class:`mastolib.ProgressStore`; e.g. a shared folder on the hub) and returns per-question
  success rates and the most common wrong answers, as a result object with ``.table``,
  ``.figure`` and ``.summary``. Unreadable files are reported, never fatal;
* :func:`synthetic_class_progress` - writes invented progress files for a class, so the
  teacher notebook and the tests run without any real student data.

Abbreviations: WHO = World Health Organization classification (2022); ICC = International
Consensus Classification (2022). For education only, not for clinical decisions.
"""

from __future__ import annotations

import html
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..course._present import text_table
from ..course._printables import printable_html
from ..course._progress import ProgressStore
from ..course._quiz import load_quiz
from ..engine._cases import case_diagnoses, get_case, load_cases
from ..figures._classpack import ATTEMPT_ORDER as _ATTEMPT_ORDER
from ..figures._classpack import class_results_figure, question_label
from ..tables._data import DataError

CARDS_PER_SHEET = 3
KEY_ROWS_PER_SHEET = 12

# ------------------------------------------------------------------------------ case cards


def _engine_label(case_id: str, scheme: str) -> str:
    who, icc, _ = case_diagnoses(case_id)
    return (who if scheme == "who2022" else icc).label


def _sheets(items: list[str], per_sheet: int) -> list[str]:
    return [f'<div class="sheet">{"".join(items[i:i + per_sheet])}</div>'
            for i in range(0, len(items), per_sheet)]


def case_cards_html(case_ids=None, *, answers: bool = True) -> str:
    """Printable case cards (A4, three per page) and an engine-generated answer key.

    Parameters
    ----------
    case_ids : list of str, optional
        Cases of ``data/cases.csv`` to print (default: all, in table order). An unknown id
        raises ``ValueError`` listing the valid ids.
    answers : bool, default True
        Add the answer key pages (WHO 2022 and ICC 2022 labels from the engine, and each
        case's teaching point). Print them separately for the teacher.

    Returns
    -------
    str
        Standalone HTML; every page is a ``<div class="sheet">`` (one printed page each).

    Examples
    --------
    >>> import mastolib as ml
    >>> page = ml.case_cards_html(["c01", "c09"])
    >>> page.count('class="card"')
    2
    """
    cases = list(load_cases()) if case_ids is None else [get_case(c) for c in case_ids]
    if not cases:
        raise ValueError("case_ids is empty; give at least one case id, e.g. ['c01']")
    style = ("<style>.card{border:0.4mm solid #555;border-radius:2mm;padding:2mm 3mm;"
             "margin:0 0 3mm;min-height:60mm}.card h3{margin:0 0 1mm;font-size:10.5pt}"
             ".meta{color:#444;font-size:8pt}.task{border-top:0.3mm dashed #888;margin-top:2mm;"
             "padding-top:1mm;font-size:8.5pt}.key td{font-size:8pt}"
             # one printed page per sheet, whatever the page template
             ".sheet{break-after:page;break-inside:avoid}"
             ".sheet:last-of-type{break-after:auto}</style>")
    cards = []
    for case in cases:
        cards.append(
            f'<div class="card"><h3>Case {html.escape(case.case_id)}: '
            f'{html.escape(case.title)}</h3><div class="meta">Difficulty: '
            f'{html.escape(case.difficulty)} · topics: {html.escape(", ".join(case.topics))}'
            f'</div><p>{html.escape(case.vignette)}</p><div class="task"><b>Your group:</b> '
            "(1) which tests decide this case, and why? (2) WHO 2022 label: ________ "
            "(3) ICC 2022 label: ________ (4) if they differ, which rule makes the "
            "difference?</div></div>")
    sheets = _sheets(cards, CARDS_PER_SHEET)
    if answers:
        rows = []
        for case in cases:
            rows.append(
                f"<tr><td>{html.escape(case.case_id)}</td>"
                f"<td>{html.escape(_engine_label(case.case_id, 'who2022'))}</td>"
                f"<td>{html.escape(_engine_label(case.case_id, 'icc2022'))}</td>"
                f"<td>{html.escape(case.teaching_point)}</td></tr>")
        head = ("<h2>Answer key (labels computed by the course's rule engine)</h2>"
                "<table class='key'><colgroup><col style='width:7%'><col style='width:19%'>"
                "<col style='width:19%'><col style='width:55%'></colgroup><tr><th>Case</th>"
                "<th>WHO 2022</th><th>ICC 2022</th><th>Teaching point</th></tr>")
        sheets += [f'<div class="sheet">{head}{"".join(rows[i:i + KEY_ROWS_PER_SHEET])}'
                   "</table></div>" for i in range(0, len(rows), KEY_ROWS_PER_SHEET)]
    return printable_html(
        "Mastocytosis case cards", [("", style + "".join(sheets))],
        subtitle=f"{len(cases)} synthetic teaching patients from data/cases.csv; work them in "
                 "groups, then check with notebook 08 or the answer key.",
        footer="Invented (synthetic) patients.")


# ------------------------------------------------------------------------ class results


@dataclass(frozen=True)
class ClassResults:
    """What :func:`class_results` found in a folder of progress files.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per quiz question and attempt: ``quiz``, ``attempt``, ``question``,
        ``prompt``, ``answered``, ``correct``, ``success_rate`` (0-1) and
        ``common_wrong_answers`` (the most frequent wrong answers with their counts).
    students : tuple of str
        Names of the progress files read (file stem, or the folder of a ``progress.json``).
    unreadable : tuple of (str, str)
        ``(file, reason)`` for every file that could not be used.
    skipped_entries : int
        Answers inside readable files that were malformed and left out.
    """

    table: pd.DataFrame
    students: tuple
    unreadable: tuple = ()
    skipped_entries: int = 0
    folder: str = ""
    _figure: list = field(default_factory=list, repr=False, compare=False)

    @property
    def summary(self) -> str:
        """A few plain sentences for the teacher (and for screen readers under the chart)."""
        parts = [f"{len(self.students)} progress files read from {self.folder or 'the list'}"]
        if self.unreadable:
            parts.append(f"{len(self.unreadable)} could not be read ("
                         + "; ".join(f"{Path(p).name}: {r}" for p, r in self.unreadable) + ")")
        if self.skipped_entries:
            parts.append(f"{self.skipped_entries} malformed answers were left out")
        text = ", ".join(parts) + "."
        if self.table.empty:
            return text + " No quiz answers were found."
        latest = self.table[self.table["attempt"] == "post"]
        hardest = (latest if not latest.empty else self.table).sort_values(
            ["success_rate", "answered"], ascending=[True, False]).iloc[0]
        when = " after the lesson" if not latest.empty else ""
        # The question as the learners read it (its prompt, shortened), never its id.
        asked = question_label(hardest["prompt"], hardest["question"], width=90,
                               lines=1).replace("<br>", " ")
        text += (f" {int(self.table['answered'].sum())} answers to "
                 f"{len(self.table.drop_duplicates(['quiz', 'question']))} questions. "
                 f"Hardest{when}: \u201c{asked}\u201d ({hardest['success_rate']:.0%} of "
                 f"{int(hardest['answered'])} right")
        if hardest["common_wrong_answers"]:
            text += f"; most common wrong answer: {hardest['common_wrong_answers'].split(' | ')[0]}"
        text += ")."
        attempts = set(self.table["attempt"]) - {""}
        if {"pre", "post"} <= attempts:
            mean = self.table.groupby("attempt")["success_rate"].mean()
            text += (f" Mean success rate before the lesson {mean['pre']:.0%}, "
                     f"after {mean['post']:.0%}.")
        return text

    @property
    def figure(self):
        """Horizontal bars: success rate per question (and per attempt), hardest at the top."""
        if not self._figure:
            self._figure.append(class_results_figure(self.table))
        return self._figure[0]

    def _repr_html_(self) -> str:
        # Learners' words, not ids: the quiz's title and the question's prompt.
        titles = {quiz: _quiz_title(quiz) for quiz in self.table["quiz"].unique()}
        shown = pd.DataFrame({
            "Quiz": [titles[q] for q in self.table["quiz"]],
            "Attempt": [_ATTEMPT_WORDS.get(a, a) for a in self.table["attempt"]],
            "Question": [" ".join(str(p or q).split()) for p, q in
                         zip(self.table["prompt"], self.table["question"], strict=True)],
            "Answered": self.table["answered"], "Correct": self.table["correct"],
            "Success rate": [f"{v:.0%}" for v in self.table["success_rate"]],
            "Most common wrong answers (count)": self.table["common_wrong_answers"]})
        quizzes = list(titles.values())
        heading = ""
        if len(quizzes) == 1:  # one quiz: named once above the table, not on every row
            shown = shown.drop(columns=["Quiz"])
            heading = f"<p><b>Quiz:</b> {html.escape(quizzes[0])}</p>"
        # The course's table look: wrapping text, and sideways scrolling inside its own box
        # when wider than the output (592 px in a 1024 px Lab).
        table = text_table(shown.astype(object).map(
            lambda v: html.escape(v) if isinstance(v, str) else v)).to_html()
        return f"<p>{html.escape(self.summary)}</p>{heading}{table}"


_ATTEMPT_WORDS = {"pre": "before the lesson", "post": "after the lesson", "": "-"}


def _quiz_title(quiz_id: str) -> str:
    """A quiz's title as the learners saw it (its id when the course no longer ships it)."""
    try:
        return load_quiz(quiz_id)[0]
    except (ValueError, OSError):
        return quiz_id


def _student_name(path: Path, root: Path) -> str:
    if path.name == "progress.json" and path.parent != root:
        # ~/.mastolib/progress.json in a per-student home folder: name after the home folder
        parent = path.parent.parent if path.parent.name == ".mastolib" else path.parent
        return parent.name
    return path.stem


def _read_progress(path: Path):
    """``(quizzes dict, None)`` or ``(None, reason)``; never raises."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    try:
        data = json.loads(text)
    except ValueError as exc:
        return None, f"not valid JSON ({exc.msg}, line {exc.lineno})"
    if not isinstance(data, dict) or not isinstance(data.get("quizzes"), dict):
        return None, "not a progress file (no 'quizzes' object)"
    return data["quizzes"], None


def _answer_text(question, response) -> str:
    if question is None or response is None:
        return str(response)
    try:
        if question.kind == "single":
            return question.options[int(response)].text
        if question.kind == "multiple":
            return " + ".join(question.options[int(i)].text for i in sorted(response))
    except (TypeError, ValueError, IndexError):
        return str(response)
    return str(response)


def _questions(quiz_base: str, cache: dict) -> dict:
    if quiz_base not in cache:
        try:
            cache[quiz_base] = {q.id: q for q in load_quiz(quiz_base)[1]}
        except (DataError, ValueError, OSError):
            cache[quiz_base] = {}
    return cache[quiz_base]


def class_results(folder, *, top_wrong: int = 3) -> ClassResults:
    """Gather a class's progress files and compute per-question results.

    Parameters
    ----------
    folder : path-like or list of path-likes
        A folder searched recursively for ``*.json`` progress files (for example a shared
        folder on the hub where each student saves or copies ``progress.json``), or an
        explicit list of files. Aside copies (``*.corrupt-*``) and temporary files are not
        ``*.json`` and are ignored.
    top_wrong : int, default 3
        How many of the most common wrong answers to list per question.

    Returns
    -------
    ClassResults
        ``.table``, ``.figure``, ``.summary``, ``.unreadable`` (files that could not be used,
        with the reason). A missing folder raises ``ValueError``; a bad file never does.

    Examples
    --------
    >>> import tempfile, mastolib as ml
    >>> folder = tempfile.mkdtemp()
    >>> _ = ml.synthetic_class_progress(folder, n_students=5, seed=1)
    >>> ml.class_results(folder).students[:2]
    ('student01', 'student02')
    """
    if isinstance(folder, (list, tuple)):
        paths = sorted(Path(p) for p in folder)
        root = Path(".")
        where = f"{len(paths)} files"
    else:
        root = Path(folder)
        if not root.is_dir():
            raise ValueError(f"folder {str(root)!r} does not exist or is not a folder; give the "
                             "folder that holds the students' progress files")
        paths = sorted(p for p in root.rglob("*.json") if p.is_file())
        where = str(root)
    if not isinstance(top_wrong, int) or top_wrong < 0:
        raise ValueError(f"top_wrong {top_wrong!r} must be a whole number >= 0")
    students, unreadable, skipped = [], [], 0
    tally: dict = {}
    cache: dict = {}
    for path in paths:
        quizzes, problem = _read_progress(path)
        if problem:
            unreadable.append((str(path), problem))
            continue
        students.append(_student_name(path, root))
        for progress_id, answers in quizzes.items():
            if not isinstance(answers, dict):
                skipped += 1
                continue
            base, _, attempt = str(progress_id).partition("@")
            quiz = base.split(":")[0]
            known = _questions(quiz, cache)
            for qid, entry in answers.items():
                if not isinstance(entry, dict) or not isinstance(entry.get("correct"), bool):
                    skipped += 1
                    continue
                row = tally.setdefault((quiz, attempt, qid), {"answered": 0, "correct": 0,
                                                              "wrong": Counter()})
                row["answered"] += 1
                if entry["correct"]:
                    row["correct"] += 1
                else:
                    row["wrong"][_answer_text(known.get(qid), entry.get("response"))] += 1
    rows = []
    for (quiz, attempt, qid), row in sorted(
            tally.items(), key=lambda kv: (kv[0][0], kv[0][2], _ATTEMPT_ORDER.get(kv[0][1], 9),
                                           kv[0][1])):
        question = _questions(quiz, cache).get(qid)
        wrong = " | ".join(f"{text} ({n})" for text, n in row["wrong"].most_common(top_wrong))
        rows.append({"quiz": quiz, "attempt": attempt, "question": qid,
                     "prompt": question.prompt if question else "",
                     "answered": row["answered"], "correct": row["correct"],
                     "success_rate": row["correct"] / row["answered"],
                     "common_wrong_answers": wrong})
    columns = ["quiz", "attempt", "question", "prompt", "answered", "correct", "success_rate",
               "common_wrong_answers"]
    return ClassResults(pd.DataFrame(rows, columns=columns), tuple(students), tuple(unreadable),
                        skipped, where)


def synthetic_class_progress(folder, *, n_students: int = 24, quiz_id: str = "class_quiz",
                             attempts=("pre", "post"), seed: int = 0,
                             broken_files: int = 0) -> list:
    """Write invented progress files for a class (no real student data), one per student.

    Each student has a made-up skill; answers improve from ``"pre"`` to ``"post"``, and wrong
    answers favour the first wrong option, so the class view has a "most common wrong
    answer" to show. Files are written with :class:`mastolib.ProgressStore` (the real format).

    Parameters
    ----------
    folder : path-like
        Where to write ``student01.json``, ``student02.json``, ... (created if missing).
    n_students : int, default 24
        1 to 500.
    quiz_id : str, default "class_quiz"
        A quiz of ``data/quiz/``.
    attempts : tuple of str
        One sitting per attempt (``()`` or ``("",)`` for a single sitting without a tag).
    seed : int
        Random seed (same seed, same files).
    broken_files : int, default 0
        Also write this many damaged files (half a JSON file), to show how they are reported.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    if not isinstance(n_students, int) or not 1 <= n_students <= 500:
        raise ValueError(f"n_students {n_students!r} must be a whole number from 1 to 500")
    if not isinstance(broken_files, int) or not 0 <= broken_files <= n_students:
        raise ValueError(f"broken_files {broken_files!r} must be a whole number from 0 to "
                         f"n_students ({n_students})")
    _title, questions = load_quiz(quiz_id)
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(1, n_students + 1):
        path = folder / f"student{number:02d}.json"
        store = ProgressStore(path)
        skill = rng.uniform(0.25, 0.75)
        for step, attempt in enumerate(attempts or ("",)):
            progress_id = f"{quiz_id}@{attempt}" if attempt else quiz_id
            p_right = min(0.95, skill + 0.25 * step)
            for question in questions:
                right = rng.random() < p_right
                store.record(progress_id, question.id, right, _synthetic_response(
                    question, right, rng), save=False)
        if not store.save():  # one locked write per student
            raise OSError(store.message)
        written.append(path)
    for number in range(1, broken_files + 1):
        path = folder / f"broken{number:02d}.json"
        path.write_text('{"version": 1, "quizzes": {"class_quiz@pre": {', encoding="utf-8")
        written.append(path)
    return written


def _synthetic_response(question, right: bool, rng: random.Random):
    if question.kind == "numeric":
        return question.answer if right else round(question.answer * rng.choice([0.5, 2.0]), 2)
    good = [i for i, o in enumerate(question.options) if o.correct]
    bad = [i for i, o in enumerate(question.options) if not o.correct]
    if question.kind == "single":
        if right or not bad:
            return good[0]
        return bad[0] if rng.random() < 0.6 else rng.choice(bad)
    if right or not bad:
        return good
    return sorted(set(good[:-1]) | {bad[0]})
