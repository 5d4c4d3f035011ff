"""Widget app(s): virtual-patient practice: read a vignette, order tests, classify, get cited feedback.

Model: :mod:`mastolib.models._practice`.
"""

from __future__ import annotations

import ipywidgets as w

from ..course._progress import ProgressStore
from ..models._practice import (
    ALL,
    CATEGORY_LABELS,
    DIFFICULTIES,
    NO_SUBTYPE,
    PROGRESS_ID,
    SCHEMES,
    UNCHOSEN,
    CaseFeedback,
    Proposal,
    _cases,
    _subtype_text,
    answer_options,
    get_case,
    lab_tests,
    score,
    topics,
)
from ..models._practice_state import (
    PracticeState,
    _esc,
    check_answers,
    order_all,
    order_test,
    render_feedback,
    render_key,
    render_results,
    render_vignette,
    select_case,
    select_filters,
    start,
)
from ._base import STYLE, App


class CasePracticeApp(App):
    """Case-based practice over ``data/cases.csv`` (pure ipywidgets; Lab and Voilà).

    The model is a pure state machine (:class:`mastolib.models._practice.PracticeState` and
    its events ``select_filters``, ``select_case``, ``order_test``, ``check_answers``); the
    app's ``compute`` applies the filter/case events to the current state and every button
    applies its event, then ``render`` shows the new state.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The view, built once.
    controls : dict
        ``"difficulty"``, ``"topic"``, ``"case"`` (Dropdowns), ``"test_<group>"`` and
        ``"order_all"`` (Buttons), ``"who2022_category"``, ``"who2022_subtype"``,
        ``"icc2022_category"``, ``"icc2022_subtype"`` (Dropdowns) and ``"check"`` (Button).
    figure : None
        This app has no figure.
    state : PracticeState
        The current model state.
    result : CaseFeedback or None
        Feedback of the last check on the open case.
    message : str
        What to do when the input cannot be used (shown in the app), else ``""``.
    store : mastolib.ProgressStore
        Where scores are saved (one record per case and scheme; nothing is saved in
        instructor mode).
    """

    css_class = "mastolib-practice"
    optional = frozenset({"case"})  # no case while the filters match nothing

    def __init__(self, instructor: bool = False, store=None):
        self.instructor = bool(instructor)
        # Without an explicit store, the progress file is re-read before every save: quiz
        # widgets in the same notebook keep their own ProgressStore, and a store held for the
        # whole session would write back a stale copy of their answers.
        self._own_store = store is None
        self.store = store if store is not None else ProgressStore()
        self.state = start()
        self._shown = None
        super().__init__()
        self.widget.layout = w.Layout(border="1px solid #ccc", padding="8px")
        for test in lab_tests():
            self.controls[f"test_{test.id}"].on_click(
                lambda _b, t=test.id: self._apply(order_test(self.state, t)))
        self.controls["order_all"].on_click(lambda _b: self._apply(order_all(self.state)))
        for scheme in SCHEMES:
            self.controls[f"{scheme}_category"].observe(
                lambda change, s=scheme: self._on_category(s), names="value")
        self.controls["check"].on_click(lambda _b: self.check())

    # -- controls and view -------------------------------------------------------------------
    def _make_controls(self):
        controls: dict = {
            "difficulty": w.Dropdown(options=[ALL, *DIFFICULTIES], value=ALL,
                                     description="Difficulty:", style=STYLE),
            "topic": w.Dropdown(options=[ALL, *topics()], value=ALL, description="Topic:",
                                style=STYLE),
            "case": w.Dropdown(options=self._case_options(self.state.case_ids),
                               value=self.state.case_id, description="Case:", style=STYLE,
                               layout=w.Layout(width="640px")),
        }
        for test in lab_tests():
            controls[f"test_{test.id}"] = w.Button(
                description=test.label, tooltip=f"Order: {test.label}",
                layout=w.Layout(width="auto"))
        controls["order_all"] = w.Button(description="Order every test", icon="list",
                                         tooltip="Reveal every result of this case",
                                         layout=w.Layout(width="auto"))
        for scheme, name in SCHEMES.items():
            controls[f"{scheme}_category"] = w.Dropdown(
                options=self._category_options(), value=None,
                description=f"{name} category:", style=STYLE, layout=w.Layout(width="420px"))
            controls[f"{scheme}_subtype"] = w.Dropdown(
                options=[], value=None, description=f"{name} subtype:", style=STYLE,
                layout=w.Layout(width="300px"), disabled=True)
        controls["check"] = w.Button(description="Check my answer", button_style="primary",
                                     icon="check", tooltip="Grade both answers",
                                     layout=w.Layout(width="auto"))
        return controls

    def _control_box(self):
        c = self.controls
        self._count = w.HTML()
        self._vignette = w.HTML()
        self._vignette.add_class("mastolib-practice-vignette")
        self._key = w.HTML()
        self._key.add_class("mastolib-practice-key")
        self._results = w.HTML()
        self._results.add_class("mastolib-practice-results")
        tests = [c[f"test_{t.id}"] for t in lab_tests()]
        answers = [w.HBox([c[f"{s}_category"], c[f"{s}_subtype"]]) for s in SCHEMES]
        return [w.HBox([c["difficulty"], c["topic"], self._count]), c["case"], self._vignette,
                self._key,
                w.HTML("<b>Order tests</b> (each button reveals one group of results):"),
                w.HBox([*tests, c["order_all"]], layout=w.Layout(flex_flow="row wrap")),
                self._results, w.HTML("<b>Your answer</b> under each classification:"),
                *answers, c["check"]]

    def _view(self):
        self._feedback = w.HTML()
        self._feedback.add_class("mastolib-practice-feedback")
        self._score = w.HTML()
        self._score.add_class("mastolib-practice-score")
        return [self._feedback, self._score]

    @staticmethod
    def _case_options(ids) -> list:
        return [(get_case(i).label, i) for i in ids]

    @staticmethod
    def _category_options() -> list:
        return [("- choose -", None), *[(label, key) for key, label in CATEGORY_LABELS.items()]]

    def proposals(self) -> dict:
        """The learner's current answers, read from the drop-downs."""
        return {s: Proposal(self.controls[f"{s}_category"].value,
                            self.controls[f"{s}_subtype"].value) for s in SCHEMES}

    # -- the model ---------------------------------------------------------------------------
    @property
    def result(self):
        return self.state.feedback

    @result.setter
    def result(self, state):  # the base stores what compute returned: the new state
        if isinstance(state, PracticeState):
            self.state = state

    def values(self) -> dict:
        return {k: self.controls[k].value for k in ("difficulty", "topic", "case")}

    def _observed(self):
        return [self.controls[k] for k in ("difficulty", "topic", "case")]

    def compute(self, values):
        """The filter and case events applied to the current state (pure)."""
        state = self.state
        if (values["difficulty"], values["topic"]) != (state.difficulty, state.topic):
            return select_filters(state, values["difficulty"], values["topic"])
        if values["case"] is not None:
            return select_case(state, values["case"])
        return state

    # -- button events -----------------------------------------------------------------------
    def _on_category(self, scheme: str):
        if self._busy:
            return
        self._busy = True
        try:
            self._set_subtypes(scheme)
        finally:
            self._busy = False

    def _set_subtypes(self, scheme: str):
        category = self.controls[f"{scheme}_category"].value
        subtype = self.controls[f"{scheme}_subtype"]
        if category is None:
            subtype.options, subtype.disabled = [], True
            return
        choices = answer_options(scheme).get(category, (None,))
        options = [(_subtype_text(s) if s else NO_SUBTYPE, s) for s in choices]
        if len(choices) > 1:
            options.insert(0, ("- choose -", UNCHOSEN))
        subtype.options = options
        subtype.value = options[0][1]
        subtype.disabled = len(choices) == 1

    def check(self) -> CaseFeedback | None:
        """Grade the current answers, show the feedback and save the score."""
        new = check_answers(self.state, self.proposals())
        if new.feedback is not None and not self.instructor:
            if self._own_store:
                self.store = ProgressStore(self.store.path)
            for fb in new.feedback.graded:
                self.store.record(PROGRESS_ID, f"{new.case_id}/{fb.scheme}", fb.correct,
                                  {"category": fb.proposal.category,
                                   "subtype": fb.proposal.subtype})
        self._apply(new)
        return new.feedback

    def _apply(self, new: PracticeState):
        if self._busy:
            return
        self._busy = True
        try:
            self.state = new
            self.render(new)
        finally:
            self._busy = False

    # -- the one render function ---------------------------------------------------------------
    def render(self, new: PracticeState):
        old, self._shown = self._shown, new
        busy, self._busy = self._busy, True  # control changes made here are not events
        try:
            case = get_case(new.case_id) if new.case_id else None
            case_changed = old is None or old.case_id != new.case_id
            if old is None or old.case_ids != new.case_ids:
                self.controls["case"].options = self._case_options(new.case_ids)
            if self.controls["case"].value != new.case_id:
                self.controls["case"].value = new.case_id
            self._count.value = (f"<span style='margin-left:12px'><b>{len(new.case_ids)}"
                                 f"</b> of {len(_cases())} cases</span>")
            for control in [self.controls[f"test_{t.id}"] for t in lab_tests()] + [
                    self.controls["order_all"], self.controls["check"]]:
                control.disabled = case is None
            for test in lab_tests():
                self.controls[f"test_{test.id}"].button_style = (
                    "info" if test.id in new.ordered else "")
            if case_changed:
                self._vignette.value = render_vignette(case)
                self._key.value = render_key(case) if self.instructor else ""
                for scheme in SCHEMES:
                    self.controls[f"{scheme}_category"].value = None
                    self._set_subtypes(scheme)
            if old is None or case_changed or old.ordered != new.ordered:
                self._results.value = render_results(case, new.ordered)
            if old is None or old.feedback != new.feedback:
                self._feedback.value = render_feedback(new.feedback)
            self.show_message(new.message)
            self._render_score(new)
        finally:
            self._busy = busy

    def _render_score(self, state: PracticeState):
        saved = self.store.results(PROGRESS_ID)
        total = score(saved)
        shown = score(saved, state.case_ids)
        note = (f"<div style='color:#D55E00'>{_esc(self.store.message)}</div>"
                if self.store.message else "")
        self._score.value = (
            f"<p><i>Score: {total['correct']} correct of {total['answered']} answers "
            f"({total['cases']} of {len(_cases())} cases tried; in this list "
            f"{shown['correct']} of {shown['answered']}).</i></p>{note}")


def case_practice_app(instructor: bool = False, store=None) -> CasePracticeApp:
    """Build the virtual-patient practice app (``app.widget`` is the view).

    Parameters
    ----------
    instructor : bool
        Show the answer key (engine answers under WHO 2022 and ICC 2022, the hand labels of
        ``cases.csv``) and the teaching point as soon as a case opens.
    store : mastolib.ProgressStore, optional
        Where to keep the score (default: the learner's progress file).

    Examples
    --------
    >>> import mastolib as ml  # doctest: +SKIP
    >>> app = ml.case_practice_app()  # doctest: +SKIP
    >>> app.controls["case"].value = "c09"  # doctest: +SKIP
    """
    return CasePracticeApp(instructor=instructor, store=store)

