"""Tables generated from the rule objects: :func:`scheme_comparison` (WHO 2022 vs ICC 2022,
item by item) and :func:`parameters_frame` (every rule-set parameter with both defaults).
"""

from __future__ import annotations

from ._logic import Not, fmt_number
from ._rules import PARAMETERS, RULESETS, Ruleset, _default_params


def parameters_frame():
    """Every rule-set parameter with its WHO and ICC default, confidence and alternative."""
    import pandas as pd

    rows = []
    for pid, p in PARAMETERS.items():
        row = p.as_dict()
        row.pop("default")
        row["who2022_default"] = _default_params("who2022")[pid]
        row["icc2022_default"] = _default_params("icc2022")[pid]
        rows.append(row)
    return pd.DataFrame(rows)


def _comparison_items(ruleset: Ruleset):
    items = {}
    for c in ruleset.criteria + (ruleset.sm_rule,) + ruleset.category_rules \
            + ruleset.subtype_rules + ruleset.qualifier_rules:
        items[c.id] = c
    return items


_NEGATE_OP = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}


def _negated_thresholds(expr, negated=False) -> set:
    """Threshold ids that sit under an odd number of ``Not`` (shown with the negated
    operator, so ``qualifier_mcl_chronic`` reads ``n_c < 1``)."""
    out = set()
    if isinstance(expr, Not):
        return _negated_thresholds(expr.child, not negated)
    own = getattr(expr, "threshold_id", None)
    if own and negated:
        out.add(own)
    for child in getattr(expr, "children", ()) or ():
        out |= _negated_thresholds(child, negated)
    return out


def scheme_comparison():
    """WHO 2022 vs ICC 2022, item by item, generated from the rule objects.

    Returns
    -------
    pandas.DataFrame
        One row per criterion, B-/C-finding, category, subtype and qualifier rule with each
        scheme's label, rule text (operators and cut-offs), outcome, threshold ids, the
        cut-offs as ``field operator value unit`` (flagged when not confirmed) and sources,
        and a ``differs`` column that is True where the rule text or outcome differ or the
        item exists in one scheme only.

    Examples
    --------
    >>> import mastolib as ml
    >>> table = ml.scheme_comparison()
    >>> bool(table.set_index("item_id").loc["B1", "differs"])
    True
    """
    import pandas as pd

    rulesets = {"who2022": RULESETS["who2022"], "icc2022": RULESETS["icc2022"]}
    who, icc = (_comparison_items(rs) for rs in rulesets.values())
    order = list(who) + [k for k in icc if k not in who]
    rows = []
    for item in order:
        w, i = who.get(item), icc.get(item)
        row = {"item_id": item, "role": (w or i).role}
        for name, c in (("who2022", w), ("icc2022", i)):
            ids = c.predicate.threshold_ids() if c else ()
            table = rulesets[name].thresholds
            row[f"{name}_label"] = c.label if c else None
            row[f"{name}_rule"] = c.threshold if c else None
            row[f"{name}_outcome"] = c.outcome if c else None
            row[f"{name}_thresholds"] = ";".join(ids) if c else None
            negated = _negated_thresholds(c.predicate) if c else set()
            row[f"{name}_cutoffs"] = "; ".join(
                f"{table[t]['field']} "
                f"{_NEGATE_OP[table[t]['operator']] if t in negated else table[t]['operator']}"
                f" {fmt_number(table[t]['value'])}"
                + (f" {table[t]['unit']}" if table[t]["unit"] else "")
                + ("" if table[t]["confidence"] == "confirmed"
                   else f" ({table[t]['confidence']})") for t in ids) if c else None
            row[f"{name}_source"] = c.source_id if c else None
            row[f"{name}_locator"] = c.locator if c else None
        # wording counts too: ICC minor 1 (biopsy sections, immature morphology), the
        # IHC-confirmed major criterion and the ICC B3 wording differ although the input
        # expression is shared (issue 17)
        row["differs"] = (w is None or i is None or w.threshold != i.threshold
                          or w.outcome != i.outcome or w.label != i.label)
        row["note"] = " ".join(n for n in {(w.note if w else ""), (i.note if i else "")} if n)
        rows.append(row)
    return pd.DataFrame(rows)
