"""WHO 2022 and ICC 2022 side by side: :func:`compare_schemes` (education only).

Diagnoses the same findings under both schemes (:func:`~mastolib.engine._diagnose.diagnose`)
and lists every item whose verdict differs, with a plain-language reason built from the two
rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._diagnose import Diagnosis, diagnose
from ._findings import as_findings
from ._rules import get_ruleset


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
