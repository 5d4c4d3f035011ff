"""Rule expressions, criteria, the thresholds table and the rule-set registry
(mastolib/engine/_logic.py, _criteria.py, _rules.py)."""

import itertools

import numpy as np
import pandas as pd
import pytest

import mastolib as ml
from mastolib.engine import _tryptase
from mastolib.engine._criteria import Criterion, Parameter
from mastolib.engine._logic import (
    All,
    AtLeast,
    Compare,
    Const,
    Flag,
    IsIn,
    Not,
    Present,
    ScalarEnv,
    Tryptase,
    VectorEnv,
    compare,
)
from mastolib.engine._rules import PARAMETERS, RULESETS, build_ruleset

TRI = (True, False, None)


# ------------------------------------------------------------------ three-valued logic

def _vector(values):
    """Encode scalar truth values as the vector environment's (is_true, is_false) masks."""
    t = np.array([v is True for v in values])
    f = np.array([v is False for v in values])
    return t, f


def _decode(pair):
    t, f = pair
    return [True if a else False if b else None for a, b in zip(t, f, strict=True)]


KLEENE_AND = {(True, True): True, (True, None): None, (None, True): None, (None, None): None,
              (False, True): False, (True, False): False, (False, None): False,
              (None, False): False, (False, False): False}


@pytest.mark.parametrize("a,b", list(itertools.product(TRI, TRI)))
def test_kleene_tables_scalar_and_vector_agree(a, b):
    # Kleene's strong three-valued logic: None = not assessed.
    assert ScalarEnv.all_([a, b]) is KLEENE_AND[(a, b)]
    expected_or = ScalarEnv.not_(ScalarEnv.all_([ScalarEnv.not_(a), ScalarEnv.not_(b)]))
    assert ScalarEnv.any_([a, b]) is expected_or
    combos = list(itertools.product(TRI, TRI))
    env = VectorEnv({}, len(combos))
    xa, xb = _vector([c[0] for c in combos]), _vector([c[1] for c in combos])
    assert _decode(env.all_([xa, xb])) == [ScalarEnv.all_(list(c)) for c in combos]
    assert _decode(env.any_([xa, xb])) == [ScalarEnv.any_(list(c)) for c in combos]
    assert _decode(env.not_(xa)) == [ScalarEnv.not_(c[0]) for c in combos]


def test_at_least_counts_honestly():
    # met + not assessed decide whether the count is certain
    assert ScalarEnv.at_least(3, [True, True, True, None]) is True
    assert ScalarEnv.at_least(3, [True, True, None, False]) is None
    assert ScalarEnv.at_least(3, [True, False, None, False]) is False
    assert ScalarEnv.at_least(1, [None, None]) is None
    combos = list(itertools.product(TRI, repeat=4))
    env = VectorEnv({}, len(combos))
    columns = [_vector([c[i] for c in combos]) for i in range(4)]
    for k in range(5):
        assert _decode(env.at_least(k, columns)) == [ScalarEnv.at_least(k, list(c))
                                                     for c in combos]


def test_float_boundaries_are_rounded_before_comparing():
    assert 1.2 * 1.1 + 2 != 3.32  # the float problem the rounding guards against
    assert compare(3.32, ">", 1.2 * 1.1 + 2) is False
    assert compare(3.32, ">=", 1.2 * 1.1 + 2) is True
    assert compare(5.96, ">=", 1.2 * 3.3 + 2) is True and compare(5.96, ">", 1.2 * 3.3 + 2) is False
    assert compare(0.1 + 0.2, "<=", 0.3) is True
    assert compare(20.000000001, ">", 20) is True   # 1e-9 still counts
    assert compare(1e12, ">", 1e12 - 1) is True     # huge values compare exactly


EXPR_ERRORS = [
    (lambda: Compare("bst", ">", 20), "unknown field 'bst'"),
    (lambda: Compare("bst_ng_ml", "=>", 20), "operator '=>'"),
    (lambda: Flag("bst_ng_ml"), "not a yes/no field"),
    (lambda: IsIn("sex", ("X",)), "choices ('X',)"),
    (lambda: Flag("cd25", missing="no"), "missing must be None, True or False"),
    (lambda: All(), "needs one or more expressions"),
    (lambda: AtLeast(1.5, ()), "whole number"),
    (lambda: Tryptase("!=", 20, True), "operator '!='"),
]


@pytest.mark.parametrize("make,fragment", EXPR_ERRORS)
def test_expression_validators(make, fragment):
    with pytest.raises(ValueError, match=None) as info:
        make()
    assert fragment in str(info.value)


def test_expressions_describe_themselves_and_report_inputs():
    e = All(Compare("bm_mc_infiltration_pct", ">", 30, "%", "b1_infiltration_icc"),
            Tryptase(">", 200, False, "b1_tryptase_icc"))
    assert e.describe() == ("BM MC infiltration > 30 % and Basal serum tryptase (unadjusted) "
                            "> 200 ng/mL")
    assert e.fields() == ("bm_mc_infiltration_pct", "bst_ng_ml")
    assert e.threshold_ids() == ("b1_infiltration_icc", "b1_tryptase_icc")
    assert Not(Flag("hypersplenism")).describe() == "no hypersplenism"
    assert Not(IsIn("associated_neoplasm_lineage", ("myeloid",))).describe() == (
        "Associated neoplasm lineage is not 'myeloid'")
    assert Const().describe() == "otherwise"
    env = ScalarEnv({"associated_neoplasm": "CMML", "bst_ng_ml": 45.0,
                     "hat_extra_alpha_copies": 1})
    assert Present("associated_neoplasm").tri(env) is True
    assert Present("tk_fusion").tri(env) is False  # never 'not assessed'
    assert Tryptase(">", 20, True).tri(env) is True
    assert env.seen["bst_ng_ml (HαT-adjusted)"] == 22.5


def test_missing_override_turns_not_assessed_into_a_verdict():
    env = ScalarEnv({})
    assert Flag("bm_examined").tri(env) is None
    assert Flag("bm_examined", missing=False).tri(env) is False
    assert Compare("age_years", "<", 18, missing=False).tri(env) is False
    columns = {"bm_examined": np.array([np.nan, 1.0, 0.0])}
    venv = VectorEnv(columns, 3)
    assert _decode(Flag("bm_examined", missing=False).tri(venv)) == [False, True, False]
    assert _decode(Flag("bm_examined", missing=True).tri(venv)) == [True, True, False]


# ------------------------------------------------------------------ criteria objects

def test_criterion_validators():
    ok = dict(id="x1", label="X", role="minor", predicate=Flag("cd25"), source_id="khoury2022",
              locator="Table 1")
    assert Criterion(**ok).threshold == "CD25 on MC"
    for change, fragment in [({"role": "major-ish"}, "role 'major-ish'"),
                             ({"source_id": "nobody2020"}, "['nobody2020'] not in sources.csv"),
                             ({"locator": ""}, "source_id and locator are required"),
                             ({"predicate": "cd25"}, "predicate must be a rule expression"),
                             ({"id": "bad id"}, "snake_case")]:
        with pytest.raises(ValueError) as info:
            Criterion(**dict(ok, **change))
        assert fragment in str(info.value)


def test_parameter_check():
    p = Parameter("flag", True, (True, False), "d", "unconfirmed", "alt", "khoury2022")
    assert p.check(False) is False
    with pytest.raises(ValueError, match=r"parameter flag=1 is not allowed"):
        p.check(1)


# ------------------------------------------------------------------ thresholds table

# Each cut-off as the fact sheet states it (section in the comment). The table, not the code,
# holds the numbers; this pins the table to the source.
FACT_SHEET_THRESHOLDS = [
    ("major_aggregate_mc", ">=", 15),          # §3.1/§3.2 major: aggregates of >= 15 MC
    ("minor_atypical_mc", ">", 25),            # §3.1 minor 1: > 25 % atypical/spindle MC
    ("minor_tryptase", ">", 20),               # §3.1 minor 4: tryptase > 20 ng/mL
    ("sm_minor_with_major", ">=", 1),          # §3.1 rule: major + >= 1 minor (WHO)
    ("sm_minor_alone", ">=", 3),               # §3.1/§3.2 rule: >= 3 minor
    ("bmm_tryptase", "<", 125),                # §3.5 BMM: tryptase < 125 ng/mL
    ("b1_infiltration_who", ">=", 30),         # §3.3/§11 WHO B1 >= 30 %
    ("b1_tryptase_who", ">=", 200),            # §3.3/§11 WHO B1 >= 200 ng/mL
    ("b1_vaf_who", ">=", 10),                  # §3.3 WHO B1 VAF >= 10 %
    ("b1_infiltration_icc", ">", 30),          # §3.3 ICC B1 > 30 %
    ("b1_tryptase_icc", ">", 200),             # §3.3 ICC B1 > 200 ng/mL
    ("b3_lymph_node_who", ">", 2),             # §3.3 WHO B3 lymph nodes > 2 cm
    ("b3_lymph_node_icc", ">", 1),             # §3.3 ICC B3 lymph nodes > 1 cm
    ("c1_anc", "<", 1.0),                      # §3.4 C1 ANC < 1.0 x10^9/L
    ("c1_hb", "<", 10),                        # §3.4 C1 Hb < 10 g/dL
    ("c1_plt", "<", 100),                      # §3.4 C1 platelets < 100 x10^9/L
    ("c4_osteolysis", ">=", 2),                # §3.4 C4 osteolysis >= 2 cm
    ("asm_c_count", ">=", 1),                  # §3.5 ASM >= 1 C-finding
    ("ssm_b_count", ">=", 2),                  # §3.5 SSM >= 2 B-findings
    ("mcl_smear_mc", ">=", 20),                # §3.5 MCL >= 20 % MC on smear
    ("mcl_leukaemic_pb", ">=", 10),            # §3.5 leukaemic MCL >= 10 % of PB leukocytes
    ("mastocytoma_to_mpcm", ">=", 4),          # §5/§11 >= 4 lesions -> MPCM (both, issue 17)
    ("mastocytoma_multilocalized_who", ">=", 2),  # §5 consensus: up to 3 -> WHO 2-3
    ("mastocytoma_isolated_who", "<", 2),      # §5 solitary lesion
    ("rise_20plus2_factor", ">", 1.2),         # §4.3 acute > 1.2 x BST + 2
    ("rise_20plus2_offset", ">", 2),           # §4.3
    ("rise_nih_ratio", ">", 1.685),            # §4.3 NIH ratio > 1.685
]


@pytest.fixture(scope="module")
def thresholds():
    return {r["threshold_id"]: r for r in ml.load_records("thresholds")}


@pytest.mark.parametrize("tid,op,value", FACT_SHEET_THRESHOLDS)
def test_thresholds_match_the_fact_sheet(thresholds, tid, op, value):
    row = thresholds[tid]
    assert (row["operator"], row["value"]) == (op, value)


def test_every_threshold_source_resolves(thresholds):
    known = ml.source_ids()
    for row in thresholds.values():
        for sid in row["source_id"].split(";"):
            assert sid.strip() in known, (row["threshold_id"], sid)


def test_every_threshold_row_is_used_by_a_rule(thresholds):
    used = set(_tryptase.THRESHOLD_IDS)
    for scheme in RULESETS:
        for params in ({}, {"icc_bmm_variant_strict": True, "mcl_requires_immature": True}):
            used |= ml.get_ruleset(scheme, params).used_thresholds
    assert set(thresholds) == used


def test_unconfirmed_rows_say_what_the_other_reading_is(thresholds):
    for row in thresholds.values():
        if row["confidence"] == "unconfirmed":
            assert row["alternative"], row["threshold_id"]


def test_score_and_reference_tables_cite_known_sources():
    known = ml.source_ids()
    for table in ("score_items", "score_groups", "hat_reference_ranges"):
        for row in ml.load_records(table):
            for sid in row["source_id"].split(";"):
                assert sid in known, (table, row)


def test_rules_read_their_numbers_from_the_table():
    # one source of truth: changing a row changes the rule text and the verdict
    who = ml.get_ruleset("who2022")
    old = who.with_thresholds(b1_infiltration_who=(">", 30))
    assert "≥ 30 %" in who.criterion("B1").threshold
    assert "> 30 %" in old.criterion("B1").threshold
    f = ml.Findings(mc_aggregates_ge15=True, cd25=True, bm_examined=True,
                    bm_mc_infiltration_pct=30)
    assert ml.diagnose(f, who).criterion("B1").met is True
    assert ml.diagnose(f, old).criterion("B1").met is None  # VAF/tryptase arms not assessed
    for bad, fragment in [({"nope": 3}, "unknown threshold 'nope'"),
                          ({"c1_hb": ("=", 3)}, "operator >, >=, < or <="),
                          ({"c1_hb": "ten"}, "is not allowed: enter a finite number >= 0")]:
        with pytest.raises(ValueError) as info:
            who.with_thresholds(**bad)
        assert fragment in str(info.value)


# ------------------------------------------------------------------ registry and parameters

def test_registry_lists_the_two_schemes():
    assert list(RULESETS) == ["who2022", "icc2022"]
    assert len(RULESETS) == 2
    assert ml.get_ruleset("who2022") is RULESETS["who2022"]
    with pytest.raises(ValueError, match=r"valid ids: \['who2022', 'icc2022'\]"):
        ml.get_ruleset("who2016")
    with pytest.raises(KeyError):
        RULESETS["icc"]


def test_scheme_defaults_and_documented_parameters():
    who, icc = ml.get_ruleset("who2022"), ml.get_ruleset("icc2022")
    assert who.params["hat_adjust"] is True and icc.params["hat_adjust"] is False
    # issue 17 rule 4: the TK-fusion neoplasm takes precedence in both (WHO: flagged parameter);
    # an untested fusion in a KIT-negative case is undecided under ICC only
    assert who.params["tk_fusion_excludes"] is True and icc.params["tk_fusion_excludes"] is True
    assert PARAMETERS["tk_fusion_excludes"].confidence == "unconfirmed"
    assert (who.params["tk_fusion_untested"], icc.params["tk_fusion_untested"]) == (
        "absent", "undecided")
    assert who.params["mcl_requires_immature"] is False
    assert icc.params["mcl_requires_immature"] is True
    assert who.params["hat_adjust_bmm"] is False
    assert who.params["c1_unknown_attribution"] == "not_assessed"
    for p in who.parameters():
        assert p.description and p.alternative and p.confidence in (
            "confirmed", "secondary", "unconfirmed")
        for sid in p.source_id.split(";"):
            assert sid in ml.source_ids()
    frame = ml.parameters_frame()
    assert list(frame["id"]) == list(PARAMETERS)
    assert {"who2022_default", "icc2022_default", "alternative"} <= set(frame.columns)


def test_with_params_returns_a_new_rule_set():
    who = ml.get_ruleset("who2022")
    changed = who.with_params(hat_adjust_bmm=True)
    assert changed.params["hat_adjust_bmm"] is True
    assert who.params["hat_adjust_bmm"] is False
    assert ml.get_ruleset("who2022").params["hat_adjust_bmm"] is False
    assert "hat_adjust_bmm" in repr(changed)
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['hat'\]; valid parameters"):
        who.with_params(hat=True)
    with pytest.raises(ValueError, match="hat_adjust='yes' is not allowed"):
        who.with_params(hat_adjust="yes")
    with pytest.raises(ValueError, match="c1_unknown_attribution='maybe'"):
        who.with_params(c1_unknown_attribution="maybe")


def test_every_parameter_combination_builds():
    keys = list(PARAMETERS)
    for scheme in RULESETS:
        for values in itertools.product(*(PARAMETERS[k].allowed for k in keys)):
            rs = build_ruleset(scheme, params=dict(zip(keys, values, strict=True)))
            assert rs.criteria and rs.sm_rule.role == "rule"


def test_ruleset_to_frame_lists_rules_with_sources():
    frame = ml.get_ruleset("icc2022").to_frame()
    assert {"id", "role", "rule", "outcome", "thresholds", "source_id", "locator"} <= set(
        frame.columns)
    assert frame["source_id"].str.len().min() > 0
    assert "tk_fusion_exclusion" in set(frame["id"])
    assert "category_mln_tk" in set(ml.get_ruleset("who2022").to_frame()["id"])
    off = ml.get_ruleset("who2022").with_params(tk_fusion_excludes=False).to_frame()
    assert "tk_fusion_exclusion" not in set(off["id"])


# ------------------------------------------------------------------ scheme comparison table

def test_scheme_comparison_is_generated_from_the_rules():
    table = ml.scheme_comparison().set_index("item_id")
    differs = table["differs"].to_dict()
    # §3.6 differences
    # §3.6 differences; issue 17: ICC major (IHC-confirmed) and minor 1 wording (biopsy
    # sections, immature morphology) and the ICC B3 wording (palpable spleen) differ too
    for item in ("sm_criteria", "major", "minor_atypical", "minor_tryptase", "B1", "B2", "B3",
                 "subtype_mcl", "subtype_associated", "subtype_bmm", "qualifier_bmm_variant",
                 "qualifier_mastocytoma_isolated", "qualifier_mastocytoma_multilocalized"):
        assert differs[item], item
    assert "palpable" in table.loc["B3", "icc2022_label"]
    assert "biopsy sections" in table.loc["minor_atypical", "icc2022_label"]
    # shared rules (issue 17 rule 7: >= 4 mastocytomas -> MPCM in both schemes)
    for item in ("minor_kit", "minor_immunophenotype", "C1", "C2", "C3", "C4", "C5",
                 "subtype_asm", "subtype_ssm", "subtype_ism", "subtype_cm_many_mastocytomas",
                 "tk_fusion_exclusion", "category_mln_tk"):
        assert not differs[item], item
    # negated rules show the negated cut-off (issue 17)
    assert table.loc["qualifier_mcl_chronic", "who2022_cutoffs"] == "n_c < 1"
    assert table.loc["qualifier_mcl_aleukaemic", "icc2022_cutoffs"].startswith("pb_mc_pct < 10")
    # MCL qualifiers under ICC are marked as an assumption (WHO-oriented sources only)
    assert "assumption" in table.loc["qualifier_mcl_acute", "note"]
    # the SM component of SM-AHN / SM-AMN is reported
    assert table.loc["qualifier_component_asm", "icc2022_outcome"] == "ASM component"
    assert table.loc["B3", "who2022_rule"].endswith("> 2 cm")
    assert table.loc["B3", "icc2022_rule"].endswith("> 1 cm")
    assert table.loc["B1", "icc2022_thresholds"] == "b1_infiltration_icc;b1_tryptase_icc"
    assert table.loc["B1", "icc2022_cutoffs"] == ("bm_mc_infiltration_pct > 30 % of marrow "
                                                 "cellularity; bst_ng_ml > 200 ng/mL")
    assert "(unconfirmed)" in table.loc["qualifier_mastocytoma_multilocalized", "who2022_cutoffs"]
    assert table.loc["subtype_associated", "who2022_outcome"] == "SM-AHN"
    assert table.loc["subtype_associated", "icc2022_outcome"] == "SM-AMN"
    assert pd.isna(table.loc["subtype_bmm", "icc2022_rule"])
    assert table.loc["major", "icc2022_source"] != table.loc["major", "who2022_source"]
    rules = {c.id: c.threshold for c in ml.get_ruleset("who2022").criteria}
    assert table.loc["C1", "who2022_rule"] == rules["C1"]


# ------------------------------------------------------------------ docstring examples

@pytest.mark.parametrize("module", ["tables._fields", "engine._logic", "engine._findings",
                                    "engine._criteria", "engine._rules", "engine._diagnose",
                                    "engine._tryptase", "engine._scores", "engine._cases",
                                    "tables._registry"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"mastolib.{module}"),
                             optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
