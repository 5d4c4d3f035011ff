"""Outcome names, *open* rules and the plain-language explanation of a diagnosis.

Shared by :func:`~mastolib.engine._diagnose.diagnose` (one patient) and
:func:`~mastolib.engine._diagnose_frame.diagnose_frame` (a table): the category and subtype
names, the explicit ``"undecided"`` outcome, when an unassessed rule counts as *open* (pointed
to by the recorded work-up but not settled, issue 17), the case-specific criterion notes and the
explanation lines. Education only, not for clinical decisions.
"""

from __future__ import annotations

from ..tables._fields import FIELD_SPECS
from ._criteria import CriterionResult
from ._findings import Findings
from ._logic import fmt_number
from ._rules import Ruleset

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


def _scheme_label(scheme: str) -> str:
    return {"who2022": "WHO 2022", "icc2022": "ICC 2022"}.get(scheme, scheme)


# ------------------------------------------------------------------ open rules, undecided


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
    """The criteria's labels, as a learner reads them (never their ids)."""
    return "; ".join(r.label for r in results) or "none"


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
