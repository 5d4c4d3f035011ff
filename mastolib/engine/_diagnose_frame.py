"""Diagnose a whole findings table at once: :func:`diagnose_frame` (education only).

The same rule objects as :func:`~mastolib.engine._diagnose.diagnose`, evaluated on numpy masks
(:class:`~mastolib.engine._envs.VectorEnv`); the outcome names and the *open* rule reading come
from :mod:`mastolib.engine._explain`.
"""

from __future__ import annotations

from ..tables._fields import FIELD_SPECS
from ._diagnose import _resolve
from ._envs import VectorEnv
from ._explain import _NOT_DECIDING, UNDECIDED
from ._findings import frame_columns

FRAME_COLUMNS = ("category", "subtype", "qualifiers", "sm_criteria_met", "n_b", "n_c",
                 "n_minor_met", "candidates")


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
