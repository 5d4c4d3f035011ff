"""Virtual-patient practice: read a vignette, order tests, classify, get cited feedback.

The cases are the synthetic teaching patients of ``data/cases.csv``. The answer a learner is
graded against always comes from the clinical engine (:func:`mastolib.diagnose` on the case's
findings), never from a hand-typed key; ``tests/test_practice.py`` checks that the engine's
answers equal the hand labels in the table for every case.

Layers
------
* pure model: :func:`load_cases`, :func:`lab_tests`, :func:`reveal_results`,
  :func:`filter_cases`, :func:`answer_options`, :func:`grade` (one proposal against one
  :class:`~mastolib.engine._diagnose.Diagnosis`) and :func:`grade_case` (both schemes plus the
  WHO-vs-ICC differences); the app state is a frozen :class:`PracticeState` changed only by
  pure transition functions;
* view: :class:`CasePracticeApp`, built once; every control event computes a new state and
  one render function writes the changed parts of the view in place.

Scores are kept with the course's :class:`mastolib.ProgressStore`: one record per case and
scheme under the progress id :data:`PROGRESS_ID`.

Abbreviations: WHO = World Health Organization classification (5th edition, 2022); ICC =
International Consensus Classification (2022); SM = systemic mastocytosis; CM = cutaneous
mastocytosis; MIS = mastocytosis in the skin; MCS = mast cell sarcoma; HαT = hereditary
alpha-tryptasemia; MMAS = monoclonal mast cell activation syndrome.

For education only, not for clinical decisions.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from ..engine._cases import (  # noqa: F401 - case_diagnoses/engine_answer re-exported
    SCHEMES,
    Case,
    _cases,
    case_diagnoses,
    engine_answer,
    get_case,
)
from ..engine._findings import Findings
from ..engine._rules import get_ruleset

PROGRESS_ID = "08_virtual_patients:cases"
ALL = "All"
DIFFICULTIES = ("easy", "medium", "hard")

# The "tests" a learner can order, one per findings group (mastolib.tables._fields.GROUPS). The
# patient group (age, sex) comes with the vignette. A group without a label here still gets
# a button (named after the group), so a new engine field is never hidden from the learner.
TEST_LABELS = {
    "skin": "Skin examination",
    "blood": "Blood count and smear",
    "tryptase": "Serum tryptase and HαT genotype",
    "marrow": "Bone marrow biopsy and aspirate",
    "molecular": "KIT and molecular tests",
    "immunophenotype": "Mast cell immunophenotype",
    "organs": "Imaging and organ assessment",
    "clinical": "History: other neoplasms, episodes",
}
_SHOWN_WITH_VIGNETTE = ("patient",)

CATEGORY_LABELS = {
    "SM": "SM - systemic mastocytosis",
    "CM": "CM - cutaneous mastocytosis",
    "MIS": "MIS - mastocytosis in the skin (provisional)",
    "MCS": "MCS - mast cell sarcoma",
    "MLN-TK": "MLN-TK - myeloid/lymphoid neoplasm with eosinophilia and TK fusion",
    "undecided": "Undecided - work-up incomplete",
    "none": "No mastocytosis category",
}
NO_SUBTYPE = "(no subtype)"
UNCHOSEN = "-"  # subtype drop-down value before the learner picks one
STATUS_MARKS = {"met": "✓", "not met": "✗", "not assessed": "?"}
STATUS_COLOURS = {"met": "#009E73", "not met": "#D55E00", "not assessed": "#666666"}


# ------------------------------------------------------------------------------- the cases


def topics() -> list[str]:
    """Every topic tag used by the cases, sorted."""
    return sorted({t for case in _cases() for t in case.topics})


def filter_cases(cases, difficulty: str = ALL, topic: str = ALL) -> list:
    """The cases of a given difficulty and topic (``"All"`` = no filter).

    Raises
    ------
    ValueError
        for a difficulty or topic that does not exist (the message lists the valid ones).
    """
    cases = list(cases)
    if difficulty != ALL and difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty {difficulty!r} is not one of {[ALL, *DIFFICULTIES]}")
    known = sorted({t for c in cases for t in c.topics})
    if topic != ALL and topic not in known:
        raise ValueError(f"topic {topic!r} is not one of {[ALL, *known]}")
    return [c for c in cases if (difficulty == ALL or c.difficulty == difficulty)
            and (topic == ALL or topic in c.topics)]


# ------------------------------------------------------------------------- ordering tests


@dataclass(frozen=True)
class LabTest:
    """A group of findings revealed together ("ordering a test").

    Attributes
    ----------
    id : str
        The findings group (``"marrow"``, ``"tryptase"``, ...).
    label : str
        Button text.
    fields : tuple of str
        Findings fields the test reveals.
    """

    id: str
    label: str
    fields: tuple


@functools.cache
def lab_tests() -> tuple:
    """The orderable tests, derived from the findings field table (one per group)."""

    groups: dict = {}
    for spec in Findings.field_specs():
        if spec.group in _SHOWN_WITH_VIGNETTE:
            continue
        groups.setdefault(spec.group, []).append(spec.name)
    order = [g for g in TEST_LABELS if g in groups] + [g for g in groups if g not in TEST_LABELS]
    return tuple(LabTest(g, TEST_LABELS.get(g, g.capitalize()), tuple(groups[g]))
                 for g in order)


def _lab_test(test_id: str) -> LabTest:
    for test in lab_tests():
        if test.id == test_id:
            return test
    raise ValueError(f"no test {test_id!r}; tests: {[t.id for t in lab_tests()]}")


def format_value(spec, value) -> str:
    """A findings value in words: ``"not done"`` for None, ``"yes"``/``"no"`` for flags."""
    if value is None:
        return "not done"
    if spec.kind == "bool":
        return "yes" if value else "no"
    if spec.kind in ("float", "int"):
        unit = f" {spec.unit}" if spec.unit and spec.unit != "%" else spec.unit
        return f"{value:g}{unit}"
    return str(value)


def reveal_results(case: Case, test_id: str) -> list:
    """What ordering ``test_id`` shows for ``case``: ``[(label, value text, done), ...]``.

    Fields that were not assessed in the case read ``"not done"`` (``done`` False), never a
    normal value.
    """

    test = _lab_test(test_id)
    rows = []
    for name in test.fields:
        spec = Findings.field_spec(name)
        value = getattr(case.findings, name)
        rows.append((spec.label, format_value(spec, value), value is not None))
    return rows


# ----------------------------------------------------------------------- answers and grading


@functools.cache
def answer_options(scheme: str) -> dict:
    """``category -> tuple of subtypes`` a learner may choose under ``scheme``.

    Derived from the engine's subtype rules; ``None`` stands for "no subtype".
    """

    ruleset = get_ruleset(scheme)
    out: dict = {category: [] for category in CATEGORY_LABELS}
    for rule in ruleset.subtype_rules:
        category = rule.applies_to[0]
        if rule.outcome not in out.setdefault(category, []):
            out[category].append(rule.outcome)
    out["SM"].append("undecided")  # issue 17: the subtype may be undecided (work-up incomplete)
    for subtypes in out.values():
        if not subtypes:
            subtypes.append(None)
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class Proposal:
    """A learner's answer under one scheme (``None`` category = nothing chosen yet)."""

    category: str | None = None
    subtype: str | None = None


@dataclass(frozen=True)
class Feedback:
    """The result of :func:`grade`: verdict, targeted messages and the cited criteria.

    Attributes
    ----------
    scheme : str
    proposal : Proposal
    answer : str
        The engine's label, e.g. ``"SM / ISM (BMM variant)"``.
    valid : bool
        False when the proposal cannot be graded (nothing chosen, a subtype that does not
        belong to the category); ``messages`` then says what to do.
    category_correct, subtype_correct, correct : bool
    messages : tuple of str
        Verdict first, then why (the rule that decided, in words, with its threshold).
    criteria : tuple of CriterionResult
        The engine's own results (``Diagnosis.criteria``): major/minor criteria, exclusions,
        B- and C-findings and the subtype rules the engine checked, each with met / not met /
        not assessed, value used, threshold and source id.
    explanation : tuple of str
        The engine's own explanation sentences.
    """

    scheme: str
    proposal: Proposal
    answer: str
    valid: bool
    category_correct: bool
    subtype_correct: bool
    correct: bool
    messages: tuple
    criteria: tuple = ()
    explanation: tuple = ()


def _value_text(value) -> str:
    if value is None:
        return "not assessed"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _subtype_text(subtype) -> str:
    return subtype if subtype is not None else "no subtype"


def _proposal_text(proposal: Proposal) -> str:
    if proposal.subtype is None:
        return str(proposal.category)
    return f"{proposal.category} / {proposal.subtype}"


def _check_proposal(proposal: Proposal, scheme: str) -> str:
    """Why the proposal cannot be graded ('' when it can)."""
    name = SCHEMES[scheme]
    options = answer_options(scheme)
    if proposal.category is None:
        return f"Choose a category for {name} first."
    if proposal.category not in options:
        return (f"{proposal.category!r} is not a category; choose one of "
                f"{list(options)} for {name}.")
    allowed = options[proposal.category]
    if proposal.subtype == UNCHOSEN:
        return f"Choose a subtype of {proposal.category} for {name}."
    if proposal.subtype not in allowed:
        shown = [_subtype_text(s) for s in allowed]
        return (f"{_subtype_text(proposal.subtype)} is not a subtype of {proposal.category} "
                f"under {name}; choose one of {shown}.")
    return ""


def _sm_sentence(diagnosis, ruleset) -> str:
    major = [r for r in diagnosis.criteria if r.role == "major"]
    minors = [r for r in diagnosis.criteria if r.role == "minor"]
    met = [r.label for r in minors if r.met is True]
    unknown = [r.label for r in minors if r.met is None]
    verdict = {True: "met", False: "not met", None: "undecided"}[diagnosis.sm_criteria_met]
    text = (f"SM criteria under {SCHEMES[diagnosis.scheme]} ({ruleset.sm_rule.label}): "
            f"{verdict}. Major criterion {major[0].status if major else 'not used'}; "
            f"{len(met)} of {len(minors)} minor criteria met")
    text += f" ({'; '.join(met)})" if met else ""
    text += f"; not assessed: {'; '.join(unknown)}" if unknown else ""
    excluded = [r for r in diagnosis.criteria if r.role == "exclusion" and r.met is True]
    if excluded:
        text += f"; excluded by: {'; '.join(r.label for r in excluded)}"
    return text + "."


def _subtype_hint(proposal: Proposal, diagnosis, ruleset) -> str:
    """Why the proposed subtype is not the engine's, from the ordered subtype rules."""
    checked = {r.id: r for r in diagnosis.criteria if r.role == "subtype"}
    rules = [r for r in ruleset.subtype_rules if r.applies_to[0] == diagnosis.category]
    winner = next((r for r in rules if checked.get(r.id) is not None
                   and checked[r.id].met is True), None)
    mine = [r for r in rules if r.outcome == proposal.subtype]
    evaluated = [checked[r.id] for r in mine if r.id in checked]
    name = _subtype_text(proposal.subtype)
    if evaluated and all(r.met is False for r in evaluated):
        r = evaluated[0]
        return (f"{name} needs '{r.threshold}', which is not met here (value used: "
                f"{_value_text(r.value_used)}).")
    if evaluated and any(r.met is None for r in evaluated):
        return f"{name} could not be checked: its inputs were not assessed."
    if winner is not None:
        won = checked[winner.id]
        rule = "" if won.threshold == "otherwise" else f" ('{won.threshold}' is met)"
        return (f"The subtype rules are checked in order and {_subtype_text(winner.outcome)} "
                f"comes first{rule}, so {name} is not reached.")
    return ""


def grade(proposal: Proposal, diagnosis) -> Feedback:
    """Grade one proposal against the engine's diagnosis (pure function).

    Parameters
    ----------
    proposal : Proposal
        The learner's category and subtype under ``diagnosis.scheme``.
    diagnosis : mastolib Diagnosis
        ``ml.diagnose(case.findings, scheme)``.

    Returns
    -------
    Feedback
        Never raises for a learner's input: an incomplete or impossible proposal gives
        ``valid=False`` with a message saying what to choose.

    Examples
    --------
    >>> import mastolib as ml
    >>> from mastolib.models._practice import Proposal, grade
    >>> dx = ml.diagnose(ml.Findings(bm_examined=True, mc_aggregates_ge15=True, cd25=True,
    ...     kit_d816v=True, kit_d816v_vaf_pct=1, bm_mc_infiltration_pct=5, skin_lesion_type="none",
    ...     bst_ng_ml=30, myeloproliferation_or_dysplasia=False, hepatomegaly=False,
    ...     splenomegaly=False, lymph_node_max_cm=0), "who2022")
    >>> grade(Proposal("SM", "ISM"), dx).messages[0]
    'Partly right: the category SM is correct, but the subtype is BMM, not ISM.'
    """

    scheme = diagnosis.scheme
    answer = diagnosis.label
    criteria = tuple(diagnosis.criteria)
    problem = _check_proposal(proposal, scheme)
    if problem:
        return Feedback(scheme, proposal, answer, False, False, False, False, (problem,),
                        criteria, tuple(diagnosis.explanation))
    ruleset = get_ruleset(scheme)
    category_ok = proposal.category == diagnosis.category
    subtype_ok = category_ok and proposal.subtype == diagnosis.subtype
    name = SCHEMES[scheme]
    messages = []
    if subtype_ok:
        messages.append(f"Correct: {name} gives {answer}.")
    elif category_ok:
        messages.append(f"Partly right: the category {diagnosis.category} is correct, but the "
                        f"subtype is {_subtype_text(diagnosis.subtype)}, not "
                        f"{_subtype_text(proposal.subtype)}.")
        hint = _subtype_hint(proposal, diagnosis, ruleset)
        if hint:
            messages.append(hint)
    else:
        messages.append(f"Not quite: {name} gives {answer}, not {_proposal_text(proposal)}.")
    if not subtype_ok or diagnosis.category == "SM":
        messages.append(_sm_sentence(diagnosis, ruleset))
    if diagnosis.qualifiers:
        messages.append(f"Qualifiers (not graded): {', '.join(diagnosis.qualifiers)}.")
    if diagnosis.undecided:  # issue 17: say which labels remain and which tests decide
        messages.append(diagnosis.undecided_text)
    return Feedback(scheme, proposal, answer, True, category_ok, subtype_ok, subtype_ok,
                    tuple(messages), criteria, tuple(diagnosis.explanation))


@dataclass(frozen=True)
class CaseFeedback:
    """Feedback on one case: one :class:`Feedback` per scheme answered, plus the reasons
    why WHO 2022 and ICC 2022 differ for this patient and the case's teaching point."""

    case_id: str
    feedback: tuple
    agree: bool
    differences: tuple
    teaching_point: str
    source_id: str

    def for_scheme(self, scheme: str) -> Feedback | None:
        for fb in self.feedback:
            if fb.scheme == scheme:
                return fb
        return None

    @property
    def graded(self) -> tuple:
        """The valid (gradable) feedback items."""
        return tuple(fb for fb in self.feedback if fb.valid)


def grade_case(case_id: str, proposals: Mapping) -> CaseFeedback:
    """Grade the learner's proposals for one case (``{scheme: Proposal}``, pure)."""
    who, icc, comparison = case_diagnoses(case_id)
    case = get_case(case_id)
    items = []
    for scheme in SCHEMES:
        if scheme in proposals:
            items.append(grade(proposals[scheme], who if scheme == "who2022" else icc))
    reasons = tuple(d.reason for d in comparison.differences)
    return CaseFeedback(case_id, tuple(items), comparison.agree, reasons, case.teaching_point,
                        case.source_id)


def score(results: Mapping, case_ids=None) -> dict:
    """Score from saved progress records (``ProgressStore.results(PROGRESS_ID)``).

    Returns ``{"correct": n, "answered": n, "cases": n}``; ``case_ids`` limits the count.
    """
    keep = None if case_ids is None else set(case_ids)
    entries = {k: v for k, v in results.items()
               if keep is None or k.split("/")[0] in keep}
    return {"correct": sum(1 for v in entries.values() if v.get("correct")),
            "answered": len(entries),
            "cases": len({k.split("/")[0] for k in entries})}
