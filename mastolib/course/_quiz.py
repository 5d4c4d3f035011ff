"""Self-check quizzes: questions as data (``data/quiz/*.json``), a pure grader, one widget.

Question kinds
--------------
``single``   one correct option (radio buttons), feedback for the chosen option.
``multiple`` any number of correct options (check boxes), feedback for each option.
``numeric``  a number typed in a box, correct within ``tolerance`` of ``answer`` (in ``unit``).

JSON layout (one file per notebook)::

    {"quiz_id": "00_start_here", "title": "...",
     "questions": [{"id": "q1", "section": "intro", "kind": "single", "prompt": "...",
                    "options": [{"text": "...", "correct": true, "feedback": "..."}],
                    "explanation": "...", "source_id": "khoury2022",
                    "objectives": ["00.1"]}]}

``objectives`` names the learning objectives an item tests, as ``"NN.k"``: objective ``k`` of
notebook ``NN`` (the numbered list at the top of the notebook; ``tests/test_quiz_objectives.py``
checks the mapping both ways). Every wrong option's ``feedback`` names the misconception.

Case items (the final case exam) add ``"case_id"`` (a row of ``data/cases.csv``; the widget
shows its vignette). With ``"scheme"`` as well, each option carries ``"answer"`` -
``"CATEGORY/SUBTYPE"`` or ``"CATEGORY"`` - instead of ``"correct"``, and the clinical engine
decides which option is right (:func:`mastolib.diagnose` on the case's findings), so an exam
answer can never drift from the rules.

The grader is pure (:func:`grade`); the widget (:class:`Quiz`) only maps controls to a
response, calls the grader and writes the feedback. Results are kept in ``Quiz.results`` and
saved with :class:`mastolib.ProgressStore`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from ..tables._data import DataError, load_json, source_ids
from ..tables._fields import number_from_text

KINDS = ("single", "multiple", "numeric")


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    """One validated quiz question (see module docstring for the fields)."""

    id: str
    kind: str
    prompt: str
    explanation: str
    source_id: str
    section: str = ""
    options: tuple = ()
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    objectives: tuple = ()
    case_id: str = ""


@dataclass(frozen=True)
class Feedback:
    """Result of grading one response: ``correct`` plus messages for the learner."""

    correct: bool
    messages: tuple
    valid: bool = True


_OBJECTIVE = re.compile(r"^\d{2}\.\d+$")


def _engine_key(case_id: str, scheme: str, qwhere: str) -> str:
    """The engine's answer for a case as ``CATEGORY/SUBTYPE`` (or ``CATEGORY``)."""
    from ..engine._cases import SCHEMES, engine_answer, get_case

    if scheme not in SCHEMES:
        raise DataError(f"{qwhere}: scheme {scheme!r} is not one of {list(SCHEMES)}")
    try:
        get_case(case_id)
    except ValueError as exc:
        raise DataError(f"{qwhere}: {exc}") from None
    category, subtype, _qualifiers = engine_answer(case_id, scheme)
    return category if subtype is None else f"{category}/{subtype}"


def _case_options(raw_options, raw: dict, qwhere: str) -> tuple:
    key = _engine_key(str(raw.get("case_id", "")), str(raw["scheme"]), qwhere)
    if any("correct" in o or not str(o.get("answer", "")) for o in raw_options):
        raise DataError(f"{qwhere}: options of an engine-graded item carry 'answer', not "
                        "'correct'")
    options = tuple(Option(str(o.get("text", "")), str(o["answer"]) == key,
                           str(o.get("feedback", ""))) for o in raw_options)
    if sum(o.correct for o in options) != 1:
        raise DataError(f"{qwhere}: the engine's answer {key!r} must match exactly one option; "
                        f"options: {[o['answer'] for o in raw_options]}")
    return options


def _question_from_json(raw: dict, where: str, known_sources: set) -> Question:
    if not isinstance(raw, dict):
        raise DataError(f"{where}: each question must be a JSON object")
    for key in ("id", "kind", "prompt", "explanation", "source_id"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise DataError(f"{where}: field {key!r} is missing or empty")
    qwhere = f"{where} question {raw['id']!r}"
    kind = raw["kind"]
    if kind not in KINDS:
        raise DataError(f"{qwhere}: kind {kind!r} is not one of {list(KINDS)}")
    for sid in raw["source_id"].split(";"):
        if sid.strip() not in known_sources:
            raise DataError(f"{qwhere}: source_id {sid.strip()!r} is not in sources.csv")
    objectives = raw.get("objectives", [])
    if not isinstance(objectives, list) or not all(
            isinstance(o, str) and _OBJECTIVE.match(o) for o in objectives):
        raise DataError(f"{qwhere}: 'objectives' must be a list like [\"03.2\"] (notebook.objective), "
                        f"got {objectives!r}")
    case_id = str(raw.get("case_id", ""))
    options: tuple = ()
    answer = None
    tolerance = 0.0
    if kind in ("single", "multiple"):
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            raise DataError(f"{qwhere}: needs a list of at least 2 options")
        if "scheme" in raw:
            options = _case_options(raw_options, raw, qwhere)
        else:
            options = tuple(
                Option(str(o.get("text", "")), bool(o.get("correct", False)),
                       str(o.get("feedback", "")))
                for o in raw_options
            )
        if any(not o.text or not o.feedback for o in options):
            raise DataError(f"{qwhere}: every option needs 'text' and 'feedback'")
        n_correct = sum(o.correct for o in options)
        if kind == "single" and n_correct != 1:
            raise DataError(f"{qwhere}: a single-choice question needs exactly 1 correct option, "
                            f"found {n_correct}")
        if kind == "multiple" and n_correct < 1:
            raise DataError(f"{qwhere}: a multiple-choice question needs at least 1 correct option")
    else:
        answer = raw.get("answer")
        tolerance = raw.get("tolerance", 0.0)
        if not isinstance(answer, (int, float)) or isinstance(answer, bool):
            raise DataError(f"{qwhere}: numeric question needs a number 'answer'")
        if not isinstance(tolerance, (int, float)) or tolerance < 0:
            raise DataError(f"{qwhere}: 'tolerance' must be a number >= 0")
    return Question(
        id=raw["id"], kind=kind, prompt=raw["prompt"], explanation=raw["explanation"],
        source_id=raw["source_id"], section=str(raw.get("section", "")), options=options,
        answer=None if answer is None else float(answer), tolerance=float(tolerance),
        unit=str(raw.get("unit", "")), objectives=tuple(objectives), case_id=case_id,
    )


def load_quiz(quiz_id: str, section: str | None = None) -> tuple[str, tuple]:
    """Load and validate ``data/quiz/<quiz_id>.json``; return ``(title, questions)``.

    Parameters
    ----------
    quiz_id : str
        File stem, e.g. ``"00_start_here"``.
    section : str, optional
        Keep only questions of this section; an unknown section raises ``ValueError``
        listing the sections that exist.
    """
    raw = load_json(f"quiz/{quiz_id}.json")
    where = f"quiz/{quiz_id}.json"
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        raise DataError(f"{where}: expected an object with a 'questions' list")
    known = source_ids()
    questions = tuple(_question_from_json(q, where, known) for q in raw["questions"])
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise DataError(f"{where}: question ids are not unique")
    if section is not None:
        sections = sorted({q.section for q in questions})
        questions = tuple(q for q in questions if q.section == section)
        if not questions:
            raise ValueError(f"quiz {quiz_id!r} has no section {section!r}; sections: {sections}")
    return str(raw.get("title", quiz_id)), questions


def parse_number(text) -> float:
    """Parse a learner's typed number ('1,5' and '12 ng/mL' are accepted); ValueError otherwise."""
    cleaned = str(text).strip().replace(",", ".")
    token = cleaned.split()[0] if cleaned.split() else ""
    try:
        return number_from_text(token)
    except ValueError as reason:
        raise ValueError(f"answer {str(text)!r} is {reason}; type digits, e.g. 12.5") from None


def grade(question: Question, response) -> Feedback:
    """Grade ``response`` for ``question`` (pure function).

    ``response`` is an option index for ``single``, a collection of option indices for
    ``multiple`` and a number or typed text for ``numeric``. An unusable response gives a
    ``Feedback`` with ``valid=False`` and a message saying what to do, never an exception.
    """
    if question.kind == "single":
        if response is None or not isinstance(response, int) or not (
            0 <= response < len(question.options)
        ):
            return Feedback(False, ("Choose one option first.",), valid=False)
        option = question.options[response]
        verdict = "Correct." if option.correct else "Not quite."
        return Feedback(option.correct, (f"{verdict} {option.feedback}",))
    if question.kind == "multiple":
        chosen = set(response or ())
        if not chosen:
            return Feedback(False, ("Tick at least one option first.",), valid=False)
        messages = []
        all_right = True
        for index, option in enumerate(question.options):
            picked = index in chosen
            if picked != option.correct:
                all_right = False
            if picked or option.correct:
                mark = "✓" if picked == option.correct else "✗"
                state = "you ticked it" if picked else "you left it out"
                messages.append(f"{mark} {option.text} ({state}): {option.feedback}")
        head = "Correct." if all_right else "Not quite - see each option:"
        return Feedback(all_right, (head, *messages))
    try:
        value = parse_number(response)
    except ValueError as exc:
        return Feedback(False, (str(exc),), valid=False)
    correct = abs(value - question.answer) <= question.tolerance + 1e-9
    unit = f" {question.unit}" if question.unit else ""
    if correct:
        return Feedback(True, (f"Correct: {value:g}{unit}.",))
    direction = "high" if value > question.answer else "low"
    return Feedback(False, (f"{value:g}{unit} is too {direction}. Try again or show the answer.",))


def display_order(question: Question) -> list[int]:
    """The order in which a question's options are shown: shuffled once, seeded by the
    question id, so the right answer is not always first yet every learner sees the same
    order (a class can talk about "option 3"). Responses still use the file's option indices.
    """
    order = list(range(len(question.options)))
    random.Random(f"{question.id}:{len(order)}").shuffle(order)
    return order


def answer_text(question: Question) -> str:
    """The model answer in words (for 'Show answer')."""
    if question.kind == "numeric":
        unit = f" {question.unit}" if question.unit else ""
        tol = f" (± {question.tolerance:g})" if question.tolerance else ""
        core = f"{question.answer:g}{unit}{tol}"
    else:
        core = "; ".join(o.text for o in question.options if o.correct)
    return f"Answer: {core}. {question.explanation}"
