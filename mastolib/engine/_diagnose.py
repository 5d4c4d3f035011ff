"""Diagnose one patient or a whole table under WHO 2022 or ICC 2022 (education only).

The evaluator is a loop over the rule set's criteria and ordered assignment rules
(:mod:`mastolib.engine._rules`); nothing clinical is decided in this module except the *order* in
which results are combined:

1. evaluate major, minor, exclusion, B- and C-criteria (three-valued: ``None`` = not assessed);
2. combine them with the scheme's SM rule (``sm_criteria_met``);
3. the first category rule that is met assigns the category (MCS, SM, CM, MIS, none);
4. within that category the first subtype rule that is met assigns the subtype;
5. every qualifier rule that applies and is met adds a qualifier.

An assignment rule whose condition is *not assessed* is skipped when none of its inputs was
recorded (the explanation says it could change the result). When the recorded work-up points to
it but cannot settle it (an *open* rule, :func:`open_rule`), the result is the explicit
``"undecided"`` outcome instead of a quiet lower label: ``Diagnosis.candidates`` lists the
outcomes still possible and ``Diagnosis.deciding_tests`` the findings that would decide (issue
17). B- and C-findings are counted as *met* findings; unassessed ones are listed in the
explanation.

:func:`~mastolib.engine._diagnose_frame.diagnose_frame` runs the same rule objects on numpy masks (:class:`VectorEnv`).

Abbreviations: SM = systemic mastocytosis; ISM/SSM/ASM = indolent/smoldering/aggressive SM;
BMM = bone marrow mastocytosis; MCL = mast cell leukaemia; MCS = mast cell sarcoma;
SM-AHN/SM-AMN = SM with an associated haematological/myeloid neoplasm; CM = cutaneous
mastocytosis; MPCM/DCM = maculopapular/diffuse CM; MIS = mastocytosis in the skin;
MMAS = monoclonal mast cell activation syndrome; HαT = hereditary alpha-tryptasemia.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..tables._fields import FIELD_SPECS
from ._criteria import CriterionResult
from ._envs import ScalarEnv
from ._explain import (
    CATEGORY_NAMES,
    UNDECIDED,
    _explain,
    _mmas_possible,
    _scheme_label,
    _sm_deciding_fields,
    _with_note,
    open_rule,
    undecided_sentence,
)
from ._findings import Findings, as_findings
from ._rules import Ruleset, get_ruleset

CATEGORIES = tuple(CATEGORY_NAMES)


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Diagnosis:
    """The result of :func:`diagnose`: a value, computed once and presented later.

    Attributes
    ----------
    scheme : str
        ``"who2022"`` or ``"icc2022"``.
    category : str
        ``"SM"``, ``"CM"``, ``"MIS"``, ``"MCS"`` or ``"none"``.
    subtype : str or None
        SM: ``"BMM"`` (WHO), ``"ISM"``, ``"SSM"``, ``"ASM"``, ``"SM-AHN"`` (WHO),
        ``"SM-AMN"`` (ICC), ``"MCL"``; CM: ``"MPCM"``, ``"DCM"``, ``"mastocytoma"``;
        none: ``"MMAS"`` or None.
    qualifiers : tuple of str
        E.g. ``("BMM variant",)`` (ICC ISM without skin lesions), MCL ``"acute"``/
        ``"chronic"``, ``"leukaemic"``/``"aleukaemic"``.
    sm_criteria_met : bool or None
        None when criteria that were not assessed could still change the verdict.
    criteria : tuple of CriterionResult
        Major, minor, exclusion, B-, C-criteria and the subtype rules that were checked.
    explanation : tuple of str
        Plain-language sentences: what was met, why this subtype, what was not assessed.
    findings : Findings
        The input.
    params : tuple of (str, object)
        Rule-set parameters in force.
    candidates : tuple of str
        When the category or subtype is ``"undecided"`` (or the category is the provisional
        ``"MIS"``): the outcomes still possible, highest-ranked first, e.g. ``("ASM", "ISM")``.
        Empty when the result is decided.
    deciding_tests : tuple of str
        The findings (human labels) whose assessment would decide between the candidates.
    """

    scheme: str
    category: str
    subtype: str | None
    qualifiers: tuple
    sm_criteria_met: bool | None
    criteria: tuple
    explanation: tuple
    findings: Findings = field(repr=False)
    params: tuple = field(default=(), repr=False)
    candidates: tuple = ()
    deciding_tests: tuple = ()

    @property
    def undecided(self) -> bool:
        """True when the work-up cannot decide the category or subtype (see ``candidates``)."""
        return bool(self.candidates)

    @property
    def undecided_text(self) -> str:
        """One sentence for people: the candidates and the tests that would decide ("" if
        decided)."""
        return undecided_sentence(self.candidates, self.deciding_tests)

    def _role(self, role):
        return tuple(r for r in self.criteria if r.role == role)

    @property
    def b_findings(self) -> tuple:
        """B-findings (CriterionResult, role ``"B"``)."""
        return self._role("B")

    @property
    def c_findings(self) -> tuple:
        """C-findings (CriterionResult, role ``"C"``)."""
        return self._role("C")

    @property
    def n_b(self) -> int:
        """Number of B-findings met."""
        return sum(r.met is True for r in self.b_findings)

    @property
    def n_c(self) -> int:
        """Number of C-findings met."""
        return sum(r.met is True for r in self.c_findings)

    @property
    def n_minor_met(self) -> int:
        """Number of minor SM criteria met."""
        return sum(r.met is True for r in self._role("minor"))

    @property
    def label(self) -> str:
        """Short label, e.g. ``'SM / ISM (BMM variant)'`` or ``'SM / undecided (ASM or ISM)'``."""
        text = self.category if self.subtype is None else f"{self.category} / {self.subtype}"
        if UNDECIDED in (self.category, self.subtype) and self.candidates:
            text += f" ({' or '.join(self.candidates)})"
        return text + (f" ({', '.join(self.qualifiers)})" if self.qualifiers else "")

    def criterion(self, cid: str) -> CriterionResult:
        """The result of one criterion by id (e.g. ``"B1"``, ``"minor_tryptase"``)."""
        for r in self.criteria:
            if r.id == cid:
                return r
        raise ValueError(f"no criterion {cid!r} in this diagnosis; ids: "
                         f"{[r.id for r in self.criteria]}")

    def to_frame(self):
        """One row per criterion (id, label, role, met, status, value_used, threshold, ...)."""
        import pandas as pd

        return pd.DataFrame([r.as_dict() for r in self.criteria])

    def __str__(self):
        sm = {True: "met", False: "not met", None: "undecided"}[self.sm_criteria_met]
        return (f"{_scheme_label(self.scheme)}: {self.label} - SM criteria {sm}; "
                f"B-findings {self.n_b}, C-findings {self.n_c}")

    def __repr__(self):
        return f"<Diagnosis {self}>"

    def _repr_markdown_(self):
        lines = [f"**{_scheme_label(self.scheme)}: {self.label}**", ""]
        lines += [f"- {s}" for s in self.explanation]
        lines += ["", "_Education only - not for clinical decisions._"]
        return "\n".join(lines)


# --------------------------------------------------------------------------- evaluation


def _resolve(scheme, params) -> Ruleset:
    if isinstance(scheme, Ruleset):
        return get_ruleset(scheme, params)
    if not isinstance(scheme, str):
        raise ValueError(f"scheme must be 'who2022' or 'icc2022' (or a Ruleset), not {scheme!r}")
    return get_ruleset(scheme, params)


def _applies(rule, category, subtype) -> bool:
    return any(a == category or a == f"{category}/{subtype}" for a in rule.applies_to)


def diagnose(findings, scheme="who2022", params=None) -> Diagnosis:
    """Classify one patient's findings under WHO 2022 or ICC 2022.

    Parameters
    ----------
    findings : Findings or dict
        A :class:`mastolib.Findings` or a mapping of field -> value (CSV-style values
        accepted, as in ``Findings.from_mapping``).
    scheme : {"who2022", "icc2022"} or Ruleset
        Rule set id (``ml.RULESETS``) or a rule set built with ``with_params``.
    params : dict, optional
        Parameter overrides (see ``ml.get_ruleset(scheme).parameters()``), e.g.
        ``{"hat_adjust_bmm": True}``. Unknown names raise ``ValueError``.

    Returns
    -------
    Diagnosis

    References
    ----------
    khoury2022, arber2022, leguit2023, bloodres2023, li2023, zanelli2023, hartmann2016,
    mcas_consensus (see ``ml.cite``).

    Examples
    --------
    >>> import mastolib as ml
    >>> f = ml.Findings(bm_examined=True, mc_aggregates_ge15=True, cd25=True, kit_d816v=True,
    ...                 skin_lesion_type="none", bst_ng_ml=30)
    >>> who = ml.diagnose(f, "who2022")  # B-findings not assessed: BMM vs ISM open
    >>> who.subtype, who.candidates
    ('undecided', ('BMM', 'ISM'))
    >>> dx = ml.diagnose(f, "icc2022")
    >>> dx.subtype, dx.qualifiers
    ('ISM', ('BMM variant',))
    """
    ruleset = _resolve(scheme, params)
    f = as_findings(findings)
    env = ScalarEnv(f.to_dict())
    results = []
    for c in ruleset.criteria:
        result = c.evaluate(env)
        env.results[c.id] = result.met
        results.append(result)
    notes: dict = {}
    results = [_with_note(r, f, ruleset, notes) for r in results]
    n_b = sum(r.met is True for r in results if r.role == "B")
    n_c = sum(r.met is True for r in results if r.role == "C")
    n_minor = sum(r.met is True for r in results if r.role == "minor")
    env.values.update(n_b=n_b, n_c=n_c, n_minor=n_minor)
    sm = ruleset.sm_rule.predicate.tri(env)
    env.results["sm_criteria"] = sm

    category_trace = []
    category = None
    for rule in ruleset.category_rules:
        met = rule.predicate.tri(env)
        category_trace.append((rule, met))
        if met is True:
            category = rule.outcome
            break
    by_id = {r.id: r for r in results}
    candidates, deciding = (), []
    if category == "none" and sm is None:
        # SM neither established nor excluded and nothing provisional applies: undecided.
        mmas = next(r for r in ruleset.subtype_rules if r.outcome == "MMAS")
        other = "MMAS" if _mmas_possible(mmas, env) else "none"
        candidates = ("SM", other)
        deciding = _sm_deciding_fields(ruleset, by_id, f)
        category = UNDECIDED
    elif category == "MIS":
        candidates = ("SM", "CM")
        deciding = ["bm_examined"] + (_sm_deciding_fields(ruleset, by_id, f)
                                      if f.bm_examined else [])
    subtype_trace = []
    subtype = None
    pending = []
    for rule in ruleset.subtype_rules:
        if rule.applies_to[0] != category:
            continue
        result = _with_note(rule.evaluate(env), f, ruleset, notes)
        subtype_trace.append((rule, result))
        if result.met is True:
            subtype = rule.outcome
            break
        if result.met is None:
            partial, missing = open_rule(rule.predicate, f, by_id, ruleset, env)
            if partial:
                pending.append(rule.outcome)
                deciding += missing
    if pending and subtype is not None:
        candidates = tuple(pending) + (subtype,)
        subtype = UNDECIDED
    qualifiers = tuple(q.outcome for q in ruleset.qualifier_rules
                       if _applies(q, category, subtype) and q.predicate.tri(env) is True)
    criteria = tuple(results) + tuple(r for _, r in subtype_trace)
    tests = tuple(dict.fromkeys(FIELD_SPECS[n].label for n in deciding)) if candidates else ()
    explanation = _explain(ruleset, f, sm, category, subtype, qualifiers, results,
                           category_trace, subtype_trace, notes, candidates, tests)
    return Diagnosis(ruleset.id, category, subtype, qualifiers, sm, criteria, explanation, f,
                     tuple(ruleset.params.items()), candidates, tests)
