"""Shared Hypothesis strategies for the clinical-engine tests (attrs-style ``strategies.py``).

Numbers are drawn both freely and from the exact cut-offs in ``data/thresholds.csv`` (and
just either side), so boundary behaviour is exercised without listing values by hand.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import mastolib as ml
from mastolib.tables._fields import FIELDS

# Fast enough for the whole engine suite to stay well under 30 s; raise ENGINE_EXAMPLES for a
# longer soak run (e.g. ENGINE_EXAMPLES=2000 pytest tests/test_diagnose.py).
_N = int(os.environ.get("ENGINE_EXAMPLES", "80"))
ENGINE = settings(max_examples=_N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(max_examples=max(_N * 3 // 8, 10), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _boundaries() -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for row in ml.load_records("thresholds"):
        v = row["value"]
        out.setdefault(row["field"], []).extend([v, round(v - 0.1, 6), round(v + 0.1, 6)])
    return out


BOUNDARIES = _boundaries()


def _number(spec):
    low = spec.low if spec.low is not None else 0.0
    high = spec.high if spec.high is not None else {"bst_ng_ml": 1000.0}.get(spec.name, 300.0)
    if spec.kind == "int":
        return st.integers(int(low), int(min(high, 12)))
    edges = sorted({v for v in BOUNDARIES.get(spec.name, []) if low <= v <= high})
    # tenths hit every published cut-off and its neighbours (20.0/20.1, 124.9/125, ...)
    tenths = st.integers(int(low * 10), int(high * 10)).map(lambda x: x / 10)
    return st.one_of(st.sampled_from(edges), tenths) if edges else tenths


def value_strategy(spec):
    """Valid values for one field (never None)."""
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    if spec.kind == "text":
        return st.sampled_from(["CMML", "MDS", "AML", "CLL", "myeloma"])
    return _number(spec)


VALUES = {spec.name: value_strategy(spec) for spec in FIELDS}


def repair(values: dict) -> dict:
    """Turn a random dict into a consistent one (the Findings contradiction rules)."""
    d = dict(values)
    if d.get("bm_examined") is False:
        for f in ("bm_mc_infiltration_pct", "bm_smear_mc_pct", "smear_mc_immature"):
            d[f] = None
    if d.get("kit_d816v") is False and (d.get("kit_d816v_vaf_pct") or 0) > 0:
        d["kit_d816v_vaf_pct"] = None
    if (d.get("associated_neoplasm") is None) != (d.get("associated_neoplasm_lineage") is None):
        d["associated_neoplasm"] = d["associated_neoplasm_lineage"] = None
    if d.get("liver_dysfunction") is True and d.get("hepatomegaly") is False:
        d["hepatomegaly"] = True
    if d.get("hypersplenism") is True and d.get("splenomegaly") is False:
        d["splenomegaly"] = True
    kind = d.get("skin_lesion_type")
    if kind == "none":
        d["mpcm_pattern"] = None
        if d.get("darier_sign"):
            d["darier_sign"] = None
        if d.get("skin_lesion_count"):
            d["skin_lesion_count"] = 0
    if kind in ("DCM", "mastocytoma"):
        d["mpcm_pattern"] = None
    if kind in ("MPCM", "DCM", "mastocytoma") and d.get("skin_lesion_count") == 0:
        d["skin_lesion_count"] = 1
    # plausibility rules (issue 17, rule 6) and specimen sites (rule 5)
    if d.get("mc_aggregates_ge15") is not True:
        d["aggregates_site"] = None if d.get("mc_aggregates_ge15") is False else \
            d.get("aggregates_site")
    if (d.get("mc_aggregates_ge15") is True and d.get("bm_mc_infiltration_pct") == 0
            and d.get("aggregates_site") not in ("other_organ", "skin")):
        d["bm_mc_infiltration_pct"] = None
    if (d.get("pb_mc_pct") or 0) > 0 and d.get("bm_smear_mc_pct") == 0:
        d["bm_smear_mc_pct"] = None
    if d.get("kit_d816v") is False and d.get("kit_other_activating") is False:
        d["kit_site"] = None
    return d


@st.composite
def findings_dicts(draw, assessed=None):
    """Dicts of valid, consistent findings; ``assessed`` forces some fields to be set.

    A random bit mask picks the assessed fields (cheaper than one choice per field).
    """
    forced = set(assessed or ())
    mask = draw(st.integers(0, 2 ** len(FIELDS) - 1))
    values = {spec.name: (draw(VALUES[spec.name]) if (mask >> i) & 1 or spec.name in forced
                          else None)
              for i, spec in enumerate(FIELDS)}
    return repair(values)


def findings(assessed=None):
    """Valid, partially assessed :class:`mastolib.Findings`."""
    return findings_dicts(assessed).map(lambda d: ml.Findings(**d))


def findings_frames(min_size=1, max_size=8):
    """DataFrames of consistent findings rows (some columns dropped at random)."""
    import pandas as pd

    from mastolib.engine._findings import CONTRADICTIONS

    names = [spec.name for spec in FIELDS]
    # dropping a column involved in a consistency rule could make a row contradictory
    guarded = {f for c in CONTRADICTIONS for f in c.fields}
    droppable = [n for n in names if n not in guarded]

    def build(args):
        rows, drop = args
        frame = pd.DataFrame(rows, columns=names)
        return frame.drop(columns=[c for c in drop if c in frame.columns])

    return st.tuples(st.lists(findings_dicts(), min_size=min_size, max_size=max_size),
                     st.sets(st.sampled_from(droppable), max_size=6)).map(build)


def complete(partial, extra):
    """Fill the unassessed fields of ``partial`` from ``extra`` where that stays consistent.

    Fields whose ``None`` has a documented reading (associated neoplasm and TK fusion: absent;
    HαT copies: the measured tryptase is used) are left alone, so completions only ever add
    information.
    """
    keep_none = {"associated_neoplasm", "associated_neoplasm_lineage", "tk_fusion",
                 "hat_extra_alpha_copies", "aggregates_site", "kit_site"}
    values = partial.to_dict()
    for name, value in extra.to_dict().items():
        if values[name] is not None or value is None or name in keep_none:
            continue
        trial = dict(values, **{name: value})
        try:
            ml.Findings(**trial)
        except ValueError:
            continue
        values = trial
    return ml.Findings(**values)


# ---------------------------------------------------------------- fuzz (issue 17)
# Anything a notebook, a widget or a CSV could hand to a public function: numbers of every
# kind and size (overflowing ints, NaN/inf, complex, Fraction, Decimal, numpy scalars), text,
# pandas NA, containers. Public functions must answer with a result or a ValueError/TypeError
# that names the field (tests/test_fuzz.py).

def wild_values():
    """Values of any type that may reach a public engine function."""
    from decimal import Decimal
    from fractions import Fraction

    import numpy as np
    import pandas as pd

    finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
    return st.one_of(
        st.none(), st.booleans(),
        st.integers(-10, 10_000), st.integers(min_value=-(10 ** 400), max_value=10 ** 400),
        st.floats(allow_nan=True, allow_infinity=True), finite,
        st.complex_numbers(max_magnitude=1e6),
        st.fractions(max_denominator=7).map(Fraction),
        finite.map(lambda x: Decimal(repr(x))),
        st.floats(-1e30, 1e30).map(np.float32), st.integers(-10, 10).map(np.int64),
        st.booleans().map(np.bool_),
        st.just(pd.NA), st.just(float("nan")),
        st.text(max_size=6), st.sampled_from(["", "NA", "yes", "no", "M", "F", "MPCM", "none",
                                              "myeloid", "12", "-3", "1e400", "SRSF2"]),
        st.lists(st.sampled_from(["SRSF2", "ASXL1", "RUNX1", "TP53", 3]), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


WILD = wild_values()


def wild_findings_kwargs():
    """Keyword dicts of field -> wild value (a few fields, sometimes near-valid values)."""
    names = [spec.name for spec in FIELDS]
    pick = st.one_of(WILD, *(VALUES[n] for n in ("bst_ng_ml", "skin_lesion_type", "cd25")))
    return st.dictionaries(st.sampled_from(names), pick, max_size=4)
