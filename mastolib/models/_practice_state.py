"""The practice app's state machine and its HTML views (pure: the state is a value).

Cases, lab tests and grading are in :mod:`mastolib.models._practice`.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping
from dataclasses import dataclass

from ._practice import (
    ALL,
    SCHEMES,
    STATUS_COLOURS,
    STATUS_MARKS,
    Case,
    CaseFeedback,
    Feedback,
    _cases,
    _lab_test,
    _value_text,
    engine_answer,
    filter_cases,
    grade_case,
    lab_tests,
    reveal_results,
)

# ------------------------------------------------------------------------------ app state


@dataclass(frozen=True)
class PracticeState:
    """Everything the practice app shows, as a value (the view is a function of it)."""

    difficulty: str = ALL
    topic: str = ALL
    case_ids: tuple = ()
    case_id: str | None = None
    ordered: tuple = ()
    feedback: CaseFeedback | None = None
    message: str = ""


def start() -> PracticeState:
    """The state before the learner does anything: all cases, the first one selected."""
    ids = tuple(c.case_id for c in _cases())
    return PracticeState(case_ids=ids, case_id=ids[0] if ids else None)


def select_filters(state: PracticeState, difficulty: str, topic: str) -> PracticeState:
    """New filters: keep the current case if it still matches, else take the first match."""
    try:
        matches = filter_cases(_cases(), difficulty, topic)
    except ValueError as exc:
        return dataclasses.replace(state, message=str(exc))
    ids = tuple(c.case_id for c in matches)
    if not ids:
        return PracticeState(difficulty, topic, (), None, (), None,
                             f"No case is {difficulty} with topic {topic}: set Difficulty or "
                             "Topic back to 'All'.")
    case_id = state.case_id if state.case_id in ids else ids[0]
    fresh = case_id != state.case_id
    return PracticeState(difficulty, topic, ids, case_id, () if fresh else state.ordered,
                         None if fresh else state.feedback, "")


def select_case(state: PracticeState, case_id) -> PracticeState:
    """Open another case: nothing ordered, no feedback yet."""
    if case_id == state.case_id:
        return state
    if case_id not in state.case_ids:
        return dataclasses.replace(state, message=f"Case {case_id!r} is not in the current "
                                   "list; change the filters to see it.")
    return dataclasses.replace(state, case_id=case_id, ordered=(), feedback=None, message="")


def order_test(state: PracticeState, test_id: str) -> PracticeState:
    """Reveal one more test group (ordering twice changes nothing)."""
    if state.case_id is None:
        return dataclasses.replace(state, message="Choose a case first.")
    try:
        _lab_test(test_id)
    except ValueError as exc:
        return dataclasses.replace(state, message=str(exc))
    if test_id in state.ordered:
        return dataclasses.replace(state, message="")
    return dataclasses.replace(state, ordered=state.ordered + (test_id,), message="")


def order_all(state: PracticeState) -> PracticeState:
    """Reveal every test group."""
    for test in lab_tests():
        state = order_test(state, test.id)
    return state


def check_answers(state: PracticeState, proposals: Mapping) -> PracticeState:
    """Grade the proposals for the open case; an incomplete answer becomes a message."""
    if state.case_id is None:
        return dataclasses.replace(state, message="Choose a case first.")
    feedback = grade_case(state.case_id, proposals)
    problems = [fb.messages[0] for fb in feedback.feedback if not fb.valid]
    return dataclasses.replace(state, feedback=feedback, message=" ".join(problems))


# ----------------------------------------------------------------------------------- view


def _esc(text) -> str:
    return html.escape(str(text))


def _badge(status: str) -> str:
    return (f"<span style='color:{STATUS_COLOURS[status]};font-weight:bold'>"
            f"{STATUS_MARKS[status]} {status}</span>")


def render_vignette(case: Case | None) -> str:
    if case is None:
        return "<p><i>No case selected.</i></p>"
    patient = []
    for name in ("age_years", "sex"):
        value = getattr(case.findings, name)
        if value is not None:
            patient.append(f"{value:g} years" if name == "age_years" else
                           {"F": "female", "M": "male"}.get(value, value))
    who = ", ".join(patient) or "age and sex not given"
    return (f"<h4 style='margin:4px 0'>{_esc(case.case_id)} · {_esc(case.title)}</h4>"
            f"<p><small>Difficulty: <b>{_esc(case.difficulty)}</b> · topics: "
            f"{_esc(', '.join(case.topics))} · patient: {_esc(who)}</small></p>"
            f"<p style='max-width:60em'>{_esc(case.vignette)}</p>")


def render_results(case: Case | None, ordered) -> str:
    if case is None:
        return ""
    if not ordered:
        return "<p><i>No tests ordered yet: press a test button to see its results.</i></p>"
    parts = []
    for test_id in ordered:
        test = _lab_test(test_id)
        rows = "".join(
            f"<tr><td style='padding:0 12px 0 0'>{_esc(label)}</td>"
            f"<td>{'<b>' + _esc(value) + '</b>' if done else '<i>' + _esc(value) + '</i>'}"
            f"</td></tr>"
            for label, value, done in reveal_results(case, test_id))
        parts.append(f"<div class='mastolib-practice-test' style='margin:4px 0'>"
                     f"<b>{_esc(test.label)}</b><table>{rows}</table></div>")
    done = len(ordered)
    return (f"<p><small>{done} of {len(lab_tests())} tests ordered.</small></p>"
            + "".join(parts))


def render_key(case: Case | None) -> str:
    """Instructor view: the engine's answers, the hand labels and the teaching point."""
    if case is None:
        return ""
    lines = []
    for scheme, name in SCHEMES.items():
        category, subtype, qualifiers = engine_answer(case.case_id, scheme)
        label = category if subtype is None else f"{category} / {subtype}"
        if qualifiers:
            label += f" ({', '.join(qualifiers)})"
        hand = case.hand_labels[scheme]
        same = "matches" if (category, subtype, qualifiers) == hand else "DIFFERS FROM"
        lines.append(f"<li><b>{name}:</b> {_esc(label)} <small>(engine; {same} the hand "
                     f"label in cases.csv)</small></li>")
    return ("<div style='border-left:6px solid #0072B2;padding:4px 8px;background:#EEF6FB'>"
            "<b>Answer key (instructor mode)</b><ul style='margin:2px 0'>" + "".join(lines)
            + f"</ul><b>Teaching point:</b> {_esc(case.teaching_point)} <small>Sources: "
            f"<code>{_esc(case.source_id)}</code></small></div>")


def _criteria_table(fb: Feedback) -> str:
    rows = []
    for line in fb.criteria:
        note = f"<br><small>{_esc(line.note)}</small>" if line.note else ""
        rows.append(
            f"<tr><td>{_esc(line.role)}</td><td>{_esc(line.label)}{note}</td>"
            f"<td>{_badge(line.status)}</td><td>{_esc(_value_text(line.value_used))}</td>"
            f"<td><small>{_esc(line.threshold)}</small></td>"
            f"<td><code>{_esc(line.source_id)}</code></td></tr>")
    return ("<table class='mastolib-practice-criteria' style='border-collapse:collapse'>"
            "<tr><th>Role</th><th>Criterion</th><th>Result</th><th>Value used</th>"
            "<th>Threshold</th><th>Source</th></tr>" + "".join(rows) + "</table>")


def render_feedback(feedback: CaseFeedback | None) -> str:
    if feedback is None:
        return ""
    parts = []
    for fb in feedback.feedback:
        if not fb.valid:
            continue
        colour = "#009E73" if fb.correct else "#D55E00"
        mark = "✓" if fb.correct else ("◐" if fb.category_correct else "✗")
        body = "".join(f"<li>{_esc(m)}</li>" for m in fb.messages[1:])
        parts.append(
            f"<div class='mastolib-practice-verdict' data-scheme='{fb.scheme}' "
            f"data-correct='{str(fb.correct).lower()}' style='margin:6px 0'>"
            f"<b style='color:{colour}'>{mark} {_esc(SCHEMES[fb.scheme])}: "
            f"{_esc(fb.messages[0])}</b><ul style='margin:2px 0'>{body}</ul>"
            f"<details><summary>Every criterion the engine checked ({_esc(SCHEMES[fb.scheme])})"
            f"</summary>{_criteria_table(fb)}</details></div>")
    if not parts:
        return ""
    if feedback.differences:
        head = ("WHO 2022 and ICC 2022 agree on the label, but some items differ:"
                if feedback.agree else "Why WHO 2022 and ICC 2022 differ for this patient:")
        items = "".join(f"<li>{_esc(r)}</li>" for r in feedback.differences)
        parts.append(f"<div style='margin:6px 0'><b>{head}</b><ul>{items}</ul></div>")
    else:
        parts.append("<p>WHO 2022 and ICC 2022 agree on every item for this patient.</p>")
    parts.append(f"<p><b>Teaching point:</b> {_esc(feedback.teaching_point)} <small>Sources: "
                 f"<code>{_esc(feedback.source_id)}</code></small></p>")
    return "".join(parts)
