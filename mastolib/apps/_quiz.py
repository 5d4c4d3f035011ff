"""Widget app(s): self-check quizzes: questions as data (``data/quiz/*.json``), a pure grader, one widget.

Model: :mod:`mastolib.course._quiz`.
"""

from __future__ import annotations

import html
import re

import ipywidgets as w

from ..course._progress import ProgressStore
from ..course._quiz import Feedback, Question, answer_text, display_order, grade, load_quiz
from ..engine._cases import get_case
from ..tables._data import cite
from ._static import app_mimebundle


class Quiz:
    """Self-check widget over a list of questions (pure ipywidgets; works in Lab and Voilà).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The view, built once.
    controls : dict
        ``question_id -> {"input", "check", "show"}`` controls, for tests and keyboard use.
    results : dict
        ``question_id -> bool``: the latest graded result of each answered question.
    feedback : dict
        ``question_id -> ipywidgets.HTML`` feedback areas.
    """

    def __init__(self, quiz_id: str, questions, title: str = "", store=None):
        self.quiz_id = quiz_id
        self.questions = tuple(questions)
        self.store = store if store is not None else ProgressStore()
        self.results: dict = {
            k: v["correct"] for k, v in self.store.results(quiz_id).items()
            if k in {q.id for q in self.questions}
        }
        self.controls: dict = {}
        self.feedback: dict = {}
        self._score = w.HTML()
        self._status = w.HTML()
        boxes = []
        shown_case = ""
        for number, question in enumerate(self.questions, start=1):
            # a case's vignette is shown once, above the first of its questions
            boxes.append(self._build_question(w, number, question,
                                              question.case_id not in ("", shown_case)))
            shown_case = question.case_id
        header = w.HTML(f"<h4 style='margin:0'>Self-check{': ' + html.escape(title) if title else ''}</h4>")
        self.widget = w.VBox([header, *boxes, self._score, self._status],
                             layout=w.Layout(border="1px solid #ccc", padding="8px"))
        self.widget.add_class("mastolib-quiz")
        self._refresh_score()

    def _build_question(self, w, number: int, question: Question, show_case: bool = False):
        vignette = ""
        if show_case:
            case = get_case(question.case_id)
            vignette = (f"<div style='border-left:4px solid #0072B2;padding:4px 8px;"
                        f"margin:4px 0'><b>Case {html.escape(case.case_id)}: "
                        f"{html.escape(case.title)}.</b> {html.escape(case.vignette)}</div>")
        prompt = w.HTML(f"{vignette}<b>Q{number}.</b> {html.escape(question.prompt)}")
        if question.kind == "single":
            order = display_order(question)
            control = w.RadioButtons(options=[(question.options[i].text, i) for i in order],
                                     value=None, description="Answer:",
                                     layout=w.Layout(width="auto"))
        elif question.kind == "multiple":
            order = display_order(question)
            control = w.VBox([w.Checkbox(value=False, description=question.options[i].text,
                                         indent=False, layout=w.Layout(width="auto"))
                              for i in order])
        else:
            unit = f" ({question.unit})" if question.unit else ""
            control = w.Text(value="", placeholder="type a number", description=f"Answer{unit}:",
                             style={"description_width": "initial"})
        check = w.Button(description="Check", button_style="primary", icon="check",
                         tooltip="Check your answer")
        show = w.Button(description="Show answer", tooltip="Reveal the model answer")
        out = w.HTML()
        out.add_class("mastolib-feedback")
        check.on_click(lambda _b, q=question: self.check(q.id))
        show.on_click(lambda _b, q=question: self.show_answer(q.id))
        self.controls[question.id] = {"input": control, "check": check, "show": show}
        self.feedback[question.id] = out
        return w.VBox([prompt, control, w.HBox([check, show]), out],
                      layout=w.Layout(margin="6px 0"))

    def response(self, question_id: str):
        """The learner's current response for one question, read from its control."""
        question = self._question(question_id)
        control = self.controls[question_id]["input"]
        if question.kind == "multiple":
            order = display_order(question)
            return sorted(order[k] for k, box in enumerate(control.children) if box.value)
        return control.value

    def _question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise ValueError(f"question_id {question_id!r} not in quiz {self.quiz_id!r}; "
                         f"ids: {[q.id for q in self.questions]}")

    def check(self, question_id: str) -> Feedback:
        """Grade the current response, show the feedback, record and save the result."""
        question = self._question(question_id)
        response = self.response(question_id)
        result = grade(question, response)
        colour = "#009E73" if result.correct else ("#555555" if not result.valid else "#D55E00")
        body = "<br>".join(html.escape(m) for m in result.messages)
        self.feedback[question_id].value = f"<div style='color:{colour}'>{body}</div>"
        if result.valid:
            self.results[question_id] = result.correct
            self.store.record(self.quiz_id, question_id, result.correct,
                              response if not isinstance(response, float) else float(response))
            self._refresh_score()
        return result

    def show_answer(self, question_id: str) -> str:
        """Reveal the model answer with its explanation and source."""

        question = self._question(question_id)
        text = answer_text(question)
        self.feedback[question_id].value = (
            f"<div style='color:#0072B2'>{html.escape(text)}<br>"
            f"<small>Source: {html.escape(cite(question.source_id))}</small></div>")
        return text

    def _refresh_score(self):
        done = len(self.results)
        right = sum(self.results.values())
        self._score.value = (f"<i>Score: {right} correct of {done} answered "
                             f"({len(self.questions)} questions).</i>")
        self._status.value = (f"<div style='color:#D55E00'>{html.escape(self.store.message)}</div>"
                              if self.store.message else "")

    @property
    def score(self) -> tuple[int, int]:
        """``(n_correct, n_answered)``."""
        return sum(self.results.values()), len(self.results)

    def _repr_mimebundle_(self, **kwargs):

        return app_mimebundle(self.widget, **kwargs)


def quiz(quiz_id: str, section: str | None = None, store=None, attempt: str = "") -> Quiz:
    """Build the self-check widget for ``data/quiz/<quiz_id>.json`` (optionally one section).

    ``attempt`` keeps repeated sittings of one quiz apart in the progress file (e.g. a class
    quiz taken ``"pre"`` and ``"post"`` lesson): results are saved under
    ``<quiz_id>@<attempt>``.

    Examples
    --------
    >>> import mastolib as ml  # doctest: +SKIP
    >>> ml.quiz("00_start_here")  # doctest: +SKIP
    """
    title, questions = load_quiz(quiz_id, section)
    progress_id = f"{quiz_id}" if section is None else f"{quiz_id}:{section}"
    if attempt:
        if not re.match(r"^[A-Za-z0-9_-]+$", str(attempt)):
            raise ValueError(f"attempt {attempt!r} must be a short word of letters, digits, "
                             "'-' or '_' (e.g. 'pre' or 'post')")
        progress_id += f"@{attempt}"
        title = f"{title} ({attempt})"
    return Quiz(progress_id, questions, title=title, store=store)

