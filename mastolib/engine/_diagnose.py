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

:func:`diagnose_frame` runs the same rule objects on numpy masks (:class:`VectorEnv`).

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
from ._findings import Findings, as_findings, frame_columns
from ._logic import ScalarEnv, VectorEnv, fmt_number
from ._rules import Ruleset, get_ruleset

CATEGORY_NAMES = {
    "SM": "systemic mastocytosis (SM)",
    "MLN-TK": "myeloid/lymphoid neoplasm with eosinophilia and tyrosine-kinase gene fusion "
              "(M/LN-eo-TK)",
    "undecided": "undecided - work-up incomplete",
    "CM": "cutaneous mastocytosis (CM)",
    "MIS": "mastocytosis in the skin (MIS, provisional)",
    "MCS": "mast cell sarcoma (MCS)",
    "none": "no mastocytosis category",
}
SUBTYPE_NAMES = {
    "BMM": "bone marrow mastocytosis (BMM)",
    "ISM": "indolent SM (ISM)",
    "SSM": "smoldering SM (SSM)",
    "ASM": "aggressive SM (ASM)",
    "SM-AHN": "SM with an associated haematological neoplasm (SM-AHN)",
    "SM-AMN": "SM with an associated myeloid neoplasm (SM-AMN)",
    "MCL": "mast cell leukaemia (MCL)",
    "MPCM": "maculopapular cutaneous mastocytosis (MPCM)",
    "DCM": "diffuse cutaneous mastocytosis (DCM)",
    "mastocytoma": "cutaneous mastocytoma",
    "MMAS": "monoclonal mast cell activation syndrome (MMAS)",
    "undecided": "undecided - work-up incomplete",
}
# The explicit "undecided / work-up incomplete" outcome (issue 17, rule 3): a higher-ranked
# category or subtype that the recorded findings point to but cannot settle is never dropped
# silently; the result names the candidates and the tests that would decide.
UNDECIDED = "undecided"
CATEGORIES = tuple(CATEGORY_NAMES)
FRAME_COLUMNS = ("category", "subtype", "qualifiers", "sm_criteria_met", "n_b", "n_c",
                 "n_minor_met", "candidates")


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


def _scheme_label(scheme: str) -> str:
    return {"who2022": "WHO 2022", "icc2022": "ICC 2022"}.get(scheme, scheme)


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


def _mmas_possible(rule, env) -> bool:
    """MMAS stays a candidate when clonal markers and MCAS episodes are not excluded."""
    saved = env.results.get("sm_criteria")
    env.results["sm_criteria"] = False
    try:
        return rule.predicate.tri(env) is not False
    finally:
        env.results["sm_criteria"] = saved


def _recorded(f: Findings, name: str) -> bool:
    return name in FIELD_SPECS and getattr(f, name) is not None


# Inputs whose "not recorded" has a documented reading (HαT copies: measured tryptase used;
# sites: marrow or another extracutaneous organ; associated neoplasm: none) never decide alone.
_NOT_DECIDING = frozenset({"hat_extra_alpha_copies", "aggregates_site", "kit_site",
                           "associated_neoplasm", "associated_neoplasm_lineage"})


def _criterion_open(result, ruleset, f) -> bool:
    if result.met is not None:
        return False
    names = [n for n in ruleset.criterion(result.id).predicate.fields() if n in FIELD_SPECS]
    return any(_recorded(f, n) for n in names)


def open_rule(expr, f: Findings, by_id: dict, ruleset: Ruleset, env=None):
    """Is an unassessed rule *open* - pointed to by the recorded work-up but not settled?

    Returns ``(partial, missing_fields)``. A rule is open when one of its own inputs is
    recorded, or when it could still be met counting only the referenced criteria that are
    themselves open (unassessed although some of their inputs are recorded, e.g. Hb 8 g/dL
    with the cause not recorded); referenced criteria whose inputs were all left empty count
    as not met here. A rule that is not open is listed as "not assessed" instead.
    """
    direct = [n for n in expr.fields() if n in FIELD_SPECS]
    partial = direct_partial = any(_recorded(f, n) for n in direct if n not in _NOT_DECIDING)
    missing = [n for n in direct if not _recorded(f, n)]
    refs = [rid for rid in expr.refs() if rid in by_id and by_id[rid].met is None]
    if refs and env is not None:
        saved = {rid: env.results[rid] for rid in refs}
        for rid in refs:
            if not _criterion_open(by_id[rid], ruleset, f):
                env.results[rid] = False
        try:
            partial = partial or expr.tri(env) is not False
        finally:
            env.results.update(saved)
    for rid in refs:
        names = [n for n in ruleset.criterion(rid).predicate.fields()
                 if n in FIELD_SPECS and not _recorded(f, n)]
        if _criterion_open(by_id[rid], ruleset, f) or direct_partial:
            missing += names
    return partial, [n for n in dict.fromkeys(missing) if n not in _NOT_DECIDING]


def _sm_deciding_fields(ruleset: Ruleset, by_id: dict, f: Findings) -> list:
    out = []
    for r in by_id.values():
        if r.role in ("major", "minor", "exclusion") and r.met is None:
            out += [n for n in ruleset.criterion(r.id).predicate.fields()
                    if n in FIELD_SPECS and not _recorded(f, n) and n not in _NOT_DECIDING]
    if f.tk_fusion is None and any(r.id == "tk_fusion_exclusion" for r in by_id.values()):
        out.append("tk_fusion")
    return list(dict.fromkeys(out))


def undecided_sentence(candidates, tests) -> str:
    """``"Undecided (work-up incomplete): ASM or ISM; deciding tests: ..."`` ("" if decided)."""
    if not candidates:
        return ""
    names = " or ".join(SUBTYPE_NAMES.get(c, CATEGORY_NAMES.get(c, c)) for c in candidates)
    text = f"Undecided (work-up incomplete): {names}"
    return text + (f". Tests that would decide: {', '.join(tests)}." if tests else ".")


# ----------------------------------------------------------------- notes and explanation


def _with_note(result: CriterionResult, f: Findings, ruleset: Ruleset, dynamic: dict
               ) -> CriterionResult:
    """Add the case-specific note (kept in ``dynamic`` for the explanation) to a result."""
    note = _NOTES.get(result.id, lambda r, f, p: "")(result, f, ruleset.params)
    if not note:
        return result
    dynamic[result.id] = note
    text = f"{note} {result.note}" if result.note else note
    return CriterionResult(result.id, result.label, result.role, result.met, result.value_used,
                           result.threshold, result.source_id, result.locator, text)


def _note_tryptase(r, f, p):
    if f.associated_neoplasm_lineage == "myeloid":
        return ("Not counted: an associated myeloid neoplasm is present, and such neoplasms can "
                "raise tryptase by themselves.")
    if f.bst_ng_ml is None:
        return ""
    if p["hat_adjust"] and f.hat_extra_alpha_copies:
        adjusted = f.bst_ng_ml / (1 + f.hat_extra_alpha_copies)
        return (f"HαT-adjusted: {fmt_number(f.bst_ng_ml)} / (1 + "
                f"{f.hat_extra_alpha_copies}) = {fmt_number(adjusted)} ng/mL.")
    if p["hat_adjust"] and f.hat_extra_alpha_copies is None:
        return "HαT genotype not known: the measured tryptase is used."
    if not p["hat_adjust"] and f.hat_extra_alpha_copies:
        return ("Measured tryptase used without HαT adjustment (parameter hat_adjust=False; "
                "whether ICC adjusts is unconfirmed).")
    return ""


def _note_b1(r, f, p):
    if p["hat_adjust"] and f.hat_extra_alpha_copies and f.bst_ng_ml is not None:
        adjusted = f.bst_ng_ml / (1 + f.hat_extra_alpha_copies)
        return f"Tryptase arm uses the HαT-adjusted value {fmt_number(adjusted)} ng/mL."
    return ""


def _note_c1(r, f, p):
    cytopenia = any(
        v is not None and v < limit for v, limit in (
            (f.anc_1e9_l, 1.0), (f.hb_g_dl, 10.0), (f.plt_1e9_l, 100.0)))
    if not cytopenia:
        return ""
    if f.cytopenia_attributed_to_mc is False:
        return "A cytopenia is present but not attributed to mast cell infiltration, so C1 " \
               "is not met."
    if f.cytopenia_attributed_to_mc is None and r.met is True:
        return ("Counted although the cause of the cytopenia is not recorded "
                "(parameter c1_unknown_attribution='count').")
    if f.cytopenia_attributed_to_mc is None and r.met is None:
        return ("A cytopenia reaches the C-finding level, but whether it is caused by mast cell "
                "infiltration is not recorded (cytopenia_attributed_to_mc), so C1 is not "
                "assessed.")
    return ""


def _note_mcl(r, f, p):
    if (p["mcl_requires_immature"] and f.bm_smear_mc_pct is not None and r.met is None
            and f.smear_mc_immature is None):
        return ("Smear mast cells reach the MCL level, but whether they are immature/atypical "
                "was not assessed; ICC counts only immature/atypical mast cells.")
    if p["mcl_requires_immature"] and r.met is False and f.smear_mc_immature is False:
        return "The smear mast cells are not immature/atypical, which ICC requires for MCL."
    return ""


def _note_tk(r, f, p):
    if r.met is None:
        kit_found = f.kit_d816v or f.kit_other_activating
        if not kit_found:
            return ("Fusion not tested (treated as absent). ICC asks for the test when no KIT "
                    "mutation is found, especially with eosinophilia.")
        return "Fusion not tested (treated as absent)."
    return ""


_NOTES = {
    "minor_tryptase": _note_tryptase,
    "B1": _note_b1,
    "C1": _note_c1,
    "subtype_mcl": _note_mcl,
    "tk_fusion_exclusion": _note_tk,
}


def _names(results) -> str:
    return ", ".join(r.id for r in results) or "none"


def _missing_fields(rule, f: Findings) -> str:
    names = [FIELD_SPECS[n].label for n in rule.predicate.fields()
             if n in FIELD_SPECS and getattr(f, n) is None and n not in _NOT_DECIDING]
    return ", ".join(names)


def _explain(ruleset, f, sm, category, subtype, qualifiers, results, category_trace,
             subtype_trace, notes, candidates=(), tests=()) -> tuple:
    scheme = _scheme_label(ruleset.id)
    out = []
    what = CATEGORY_NAMES[category]
    if subtype:
        what += f", subtype {SUBTYPE_NAMES.get(subtype, subtype)}"
    if qualifiers:
        what += f" ({', '.join(qualifiers)})"
    out.append(f"{scheme}: {what}.")
    if candidates:
        out.append(undecided_sentence(candidates, tests))

    major = [r for r in results if r.role == "major"]
    minors = [r for r in results if r.role == "minor"]
    met = [r for r in minors if r.met is True]
    unknown = [r for r in minors if r.met is None]
    verdict = {True: "met", False: "not met", None: "undecided"}[sm]
    major_text = major[0].status if major else "not used"
    out.append(
        f"SM criteria ({ruleset.sm_rule.label}): {verdict} - major criterion {major_text}; "
        f"{len(met)} of {len(minors)} minor criteria met ({_names(met)})"
        + (f", {len(unknown)} not assessed ({_names(unknown)})" if unknown else "") + ".")
    if sm is None:
        out.append("SM is neither established nor excluded: assessing the missing criteria "
                   "could change the result.")
    kit_found = f.kit_d816v is True or f.kit_other_activating is True
    for r in results:
        if r.id == "tk_fusion_exclusion" and (sm is not True or kit_found):
            continue  # the 'not tested' note matters only when it could overturn SM
        if r.role in ("minor", "exclusion") and r.id in notes:
            out.append(f"{r.label}: {notes[r.id]}")
    tk = [r for r in results if r.id == "tk_fusion_exclusion"]
    if tk and tk[0].met is True:
        out.append("A tyrosine-kinase gene fusion is documented: the myeloid/lymphoid neoplasm "
                   "with eosinophilia and TK fusion takes precedence over SM"
                   + (" (WHO: flagged parameter tk_fusion_excludes; the WHO statement was not "
                      "located)." if ruleset.id == "who2022" else " (ICC: the fusion excludes "
                                                                  "SM)."))

    rule = next(r for r, m in category_trace if m is True)
    if category == "SM":
        bs = [r for r in results if r.role == "B"]
        cs = [r for r in results if r.role == "C"]
        b_met, c_met = [r for r in bs if r.met is True], [r for r in cs if r.met is True]
        out.append(f"B-findings met: {len(b_met)} ({_names(b_met)}); C-findings met: "
                   f"{len(c_met)} ({_names(c_met)}).")
        for r in results:
            if r.role in ("B", "C") and r.id in notes:
                out.append(f"{r.id}: {notes[r.id]}")
        out += _explain_subtype(subtype_trace, f, notes)
        missing = [r for r in bs + cs if r.met is None]
        if missing:
            out.append("Not assessed (could change the subtype): " + "; ".join(
                f"{r.id} ({_missing_fields(ruleset.criterion(r.id), f) or 'partly'})"
                for r in missing) + ".")
    else:
        out.append(_explain_category(rule, f, sm))
        if category == "CM" and subtype:
            chosen = subtype_trace[-1][0]
            out.append(f"Skin subtype {subtype}: {chosen.label} ({chosen.threshold}).")
        if category == "none":
            chosen = subtype_trace[-1][0] if subtype_trace else None
            if chosen is not None and chosen.outcome == "MMAS":
                out.append("Clonal mast cell markers (KIT mutation or CD2/CD25/CD30) with mast "
                           "cell activation episodes, SM criteria not met: MMAS"
                           + (" - provided the SM criteria not yet assessed stay unmet."
                              if sm is None else "."))
        if sm is None:
            missing = [r for r in major + minors if r.met is None]
            if missing:
                out.append("Not assessed (could establish SM): " + "; ".join(
                    f"{r.id} ({_missing_fields(ruleset.criterion(r.id), f) or 'partly'})"
                    for r in missing) + ".")
        # rules left open only by the undecided SM criteria are covered by the sentence above
        skipped = [r for r, m in category_trace
                   if m is None and r.id not in ("category_mcs", "category_sm")
                   and _missing_fields(r, f)]
        for r in skipped:
            out.append(f"Could not check '{r.label}' ({_missing_fields(r, f)} not assessed).")
    for q in qualifiers:
        q_rule = next(r for r in ruleset.qualifier_rules if r.outcome == q)
        out.append(f"Qualifier '{q}': {q_rule.label} ({q_rule.threshold}).")
    return tuple(out)


def _explain_subtype(trace, f, notes) -> list:
    out = []
    for rule, result in trace:
        if result.met is True:
            reason = rule.label if rule.threshold == "otherwise" else \
                f"{rule.label} ({rule.threshold})"
            out.append(f"Subtype {rule.outcome}: {reason}.")
            break
        if result.met is None:
            missing = _missing_fields(rule, f) or "inputs"
            out.append(f"{rule.outcome} could not be checked ({missing} not assessed); if met "
                       f"it would take precedence.")
            if rule.outcome == "BMM":
                out.append("BMM needs a studied marrow with mast cell involvement, no skin "
                           "lesions, every B-finding assessed and absent and tryptase below "
                           "the limit.")
        else:
            out.append(f"Not {rule.outcome} ({rule.threshold}: not met).")
        if rule.id in notes:
            out.append(f"{rule.outcome}: {notes[rule.id]}")
    return out


def _explain_category(rule, f, sm) -> str:
    cid = rule.id
    if cid == "category_mln_tk":
        return ("A documented tyrosine-kinase gene fusion places the case among the myeloid/"
                "lymphoid neoplasms with eosinophilia and TK fusion, checked before SM.")
    if cid == "category_none" and sm is None:
        return ("SM is neither established nor excluded and no provisional label applies: "
                "undecided until the missing criteria are assessed.")
    if cid == "category_mcs":
        return ("A localised destructive tumour of atypical mast cells is mast cell sarcoma, a "
                "category of its own that is checked first.")
    if cid == "category_cm_child":
        age = fmt_number(f.age_years)
        return (f"Child (age {age} {'year' if age == '1' else 'years'}) with typical skin "
                "lesions and no "
                "marrow study: cutaneous mastocytosis (working rule, unconfirmed; a marrow "
                "study is done only when systemic disease is suspected).")
    if cid == "category_cm":
        return ("Skin lesions with a marrow study that does not meet the SM criteria: "
                "cutaneous mastocytosis.")
    if cid == "category_mis":
        why = ("the SM criteria are undecided" if sm is None and f.bm_examined else
               "no marrow study in an adult (or age unknown)" if not f.bm_examined else
               "SM is not established")
        return (f"Typical skin lesions, but SM is neither established nor excluded ({why}): "
                "provisional 'mastocytosis in the skin'; a marrow study decides between CM "
                "and SM.")
    if f.skin_lesion_type is None and sm is not True:
        return ("No mastocytosis category established from these findings (skin not "
                "assessed).")
    return "No mastocytosis category established from these findings."


# ------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class SchemeDifference:
    """One item whose verdict differs between WHO 2022 and ICC 2022."""

    item_id: str
    label: str
    role: str
    who: object
    icc: object
    reason: str


@dataclass(frozen=True)
class SchemeComparison:
    """WHO 2022 and ICC 2022 diagnoses of the same findings, side by side."""

    who: Diagnosis
    icc: Diagnosis
    differences: tuple

    @property
    def agree(self) -> bool:
        """True when category and subtype are the same."""
        return (self.who.category, self.who.subtype) == (self.icc.category, self.icc.subtype)

    def to_frame(self):
        """One row per difference (item_id, label, role, who, icc, reason)."""
        import pandas as pd

        return pd.DataFrame([d.__dict__ for d in self.differences],
                            columns=["item_id", "label", "role", "who", "icc", "reason"])

    def __str__(self):
        head = "agree" if self.agree else "disagree"
        return (f"WHO 2022: {self.who.label} | ICC 2022: {self.icc.label} ({head}; "
                f"{len(self.differences)} differing items)")

    def __repr__(self):
        return f"<SchemeComparison {self}>"


def _status(met) -> str:
    return {True: "met", False: "not met", None: "not assessed"}[met]


def compare_schemes(findings, who_params=None, icc_params=None) -> SchemeComparison:
    """Diagnose under WHO 2022 and ICC 2022 and list the items whose verdict differs.

    Parameters
    ----------
    findings : Findings or dict
    who_params, icc_params : dict, optional
        Parameter overrides for each scheme.

    Returns
    -------
    SchemeComparison
        ``.who``, ``.icc``, ``.agree`` (category and subtype) and ``.differences``, each with a
        plain-language reason built from the two rules.

    Examples
    --------
    >>> import mastolib as ml
    >>> c = ml.compare_schemes(ml.Findings(mc_aggregates_ge15=True, kit_d816v=False,
    ...     kit_other_activating=False, tk_fusion=False, cd25=False, cd2=False, cd30=False,
    ...     atypical_mc_pct=10, bst_ng_ml=12))
    >>> c.who.category, c.icc.category
    ('none', 'SM')
    """
    f = as_findings(findings)
    who = diagnose(f, "who2022", who_params)
    icc = diagnose(f, "icc2022", icc_params)
    rs_who, rs_icc = get_ruleset("who2022", who_params), get_ruleset("icc2022", icc_params)
    diffs = []
    if who.sm_criteria_met != icc.sm_criteria_met:
        diffs.append(SchemeDifference(
            "sm_criteria", "SM criteria", "rule", who.sm_criteria_met, icc.sm_criteria_met,
            f"WHO needs '{rs_who.sm_rule.label}' ({_status(who.sm_criteria_met)}); ICC needs "
            f"'{rs_icc.sm_rule.label}' ({_status(icc.sm_criteria_met)})."))
    w_items = {r.id: r for r in who.criteria}
    i_items = {r.id: r for r in icc.criteria}
    for item in list(w_items) + [k for k in i_items if k not in w_items]:
        w, i = w_items.get(item), i_items.get(item)
        if w is not None and i is not None:
            if w.met == i.met:
                continue
            reason = (f"{w.label}: WHO {_status(w.met)} ({w.threshold}); ICC {_status(i.met)} "
                      f"({i.threshold}).")
            note = i.note if i.note and i.note != w.note else w.note if w.note != i.note else ""
            diffs.append(SchemeDifference(item, w.label, w.role, w.met, i.met,
                                          reason + (f" {note}" if note else "")))
        else:
            present, name, other = (w, "WHO", "ICC") if w is not None else (i, "ICC", "WHO")
            other_rules = rs_icc if w is not None else rs_who
            if present.met is not True or any(r.id == item for r in other_rules.all_rules()):
                # a rule both schemes have but only one reached: the classification row says it
                continue
            reason = (f"{present.label}: {name} {_status(present.met)} ({present.threshold}); "
                      f"{other} 2022 has no such "
                      f"{'rule' if present.role == 'subtype' else 'item'}.")
            if present.note:
                reason += f" {present.note}"
            diffs.append(SchemeDifference(item, present.label, present.role,
                                          w.met if w else None, i.met if i else None, reason))
    if (who.category, who.subtype, who.qualifiers) != (icc.category, icc.subtype,
                                                        icc.qualifiers):
        diffs.append(SchemeDifference(
            "classification", "Category / subtype", "subtype", who.label, icc.label,
            f"WHO 2022 gives {who.label}; ICC 2022 gives {icc.label}."))
    return SchemeComparison(who, icc, tuple(diffs))


# -------------------------------------------------------------------------- vectorised


def diagnose_frame(frame, scheme="who2022", params=None, ignore=()):
    """Diagnose every row of a findings table at once (vectorised, same rules as diagnose).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per patient, columns named like the :class:`Findings` fields (absent columns
        = not assessed; NaN, ``""`` and ``"NA"`` = not assessed).
    scheme : {"who2022", "icc2022"} or Ruleset
    params : dict, optional
        Parameter overrides.
    ignore : iterable of str
        Extra columns to skip (e.g. ``case_id``); other unknown columns raise ValueError.

    Returns
    -------
    pandas.DataFrame
        Columns ``category``, ``subtype``, ``qualifiers`` (tuples), ``sm_criteria_met``
        (nullable boolean), ``n_b``, ``n_c``, ``n_minor_met``, aligned to ``frame.index``.

    Examples
    --------
    >>> import mastolib as ml, pandas as pd
    >>> df = pd.DataFrame({"mc_aggregates_ge15": [True, False], "cd25": [True, None],
    ...                    "tk_fusion": [False, False]})
    >>> ml.diagnose_frame(df, "icc2022")["category"].tolist()
    ['SM', 'undecided']
    """
    import numpy as np
    import pandas as pd

    ruleset = _resolve(scheme, params)
    columns, n = frame_columns(frame, ignore)
    env = VectorEnv(columns, n)
    counts = {"B": np.zeros(n, dtype=np.int64), "C": np.zeros(n, dtype=np.int64),
              "minor": np.zeros(n, dtype=np.int64)}
    for c in ruleset.criteria:
        value = c.predicate.tri(env)
        env.results[c.id] = value
        if c.role in counts:
            counts[c.role] += value[0]
    env.columns.update(n_b=counts["B"].astype(float), n_c=counts["C"].astype(float),
                       n_minor=counts["minor"].astype(float))
    sm_true, sm_false = ruleset.sm_rule.predicate.tri(env)
    env.results["sm_criteria"] = (sm_true, sm_false)

    category = np.full(n, None, dtype=object)
    done = np.zeros(n, dtype=bool)
    for rule in ruleset.category_rules:
        hit = rule.predicate.tri(env)[0] & ~done
        category[hit] = rule.outcome
        done |= hit
    candidates = [() for _ in range(n)]
    sm_unknown = ~sm_true & ~sm_false
    undecided = (category == "none") & sm_unknown
    if undecided.any():
        mmas = next(r for r in ruleset.subtype_rules if r.outcome == "MMAS")
        env.results["sm_criteria"] = (np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
        mmas_open = ~mmas.predicate.tri(env)[1]
        env.results["sm_criteria"] = (sm_true, sm_false)
        for position in np.flatnonzero(undecided):
            candidates[position] = ("SM", "MMAS" if mmas_open[position] else "none")
        category[undecided] = UNDECIDED
    for position in np.flatnonzero(category == "MIS"):
        candidates[position] = ("SM", "CM")
    recorded = {name: ~np.isnan(col) for name, col in columns.items()}
    none_mask = np.zeros(n, dtype=bool)

    def any_recorded(names):
        out = np.zeros(n, dtype=bool)
        for name in names:
            out |= recorded.get(name, none_mask)
        return out

    criterion_open = {}
    for c in ruleset.criteria:
        t_, f_ = env.results[c.id]
        criterion_open[c.id] = ~t_ & ~f_ & any_recorded(
            [x for x in c.predicate.fields() if x in FIELD_SPECS])
    subtype = np.full(n, None, dtype=object)
    done = np.zeros(n, dtype=bool)
    pending = [[] for _ in range(n)]
    for rule in ruleset.subtype_rules:
        in_category = category == rule.applies_to[0]
        t_, f_ = rule.predicate.tri(env)
        hit = t_ & in_category & ~done
        subtype[hit] = rule.outcome
        done |= hit
        partial = any_recorded([x for x in rule.predicate.fields()
                                if x in FIELD_SPECS and x not in _NOT_DECIDING])
        refs = [rid for rid in rule.predicate.refs() if rid in criterion_open]
        if refs:
            saved = {rid: env.results[rid] for rid in refs}
            for rid in refs:
                t_r, f_r = saved[rid]
                env.results[rid] = (t_r, f_r | (~t_r & ~criterion_open[rid]))
            partial |= ~rule.predicate.tri(env)[1]
            env.results.update(saved)
        for position in np.flatnonzero(~t_ & ~f_ & partial & in_category & ~done):
            pending[position].append(rule.outcome)
    for position in range(n):
        if pending[position] and subtype[position] is not None:
            candidates[position] = tuple(pending[position]) + (subtype[position],)
            subtype[position] = UNDECIDED
    qualifiers = [[] for _ in range(n)]
    for rule in ruleset.qualifier_rules:
        applies = np.zeros(n, dtype=bool)
        for target in rule.applies_to:
            cat, _, sub = target.partition("/")
            applies |= (category == cat) & ((subtype == sub) if sub else True)
        for position in np.flatnonzero(rule.predicate.tri(env)[0] & applies):
            qualifiers[position].append(rule.outcome)
    sm = pd.array(np.where(sm_true, True, False), dtype="boolean")
    sm[~sm_true & ~sm_false] = pd.NA
    out = pd.DataFrame(
        {"category": category, "subtype": pd.Series(subtype, dtype=object),
         "qualifiers": pd.Series([tuple(q) for q in qualifiers], dtype=object),
         "sm_criteria_met": sm, "n_b": counts["B"], "n_c": counts["C"],
         "n_minor_met": counts["minor"],
         "candidates": pd.Series(candidates, dtype=object)},
        columns=list(FRAME_COLUMNS))
    out.index = frame.index
    return out
