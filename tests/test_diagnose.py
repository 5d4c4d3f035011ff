"""diagnose / compare_schemes / diagnose_frame (mastolib/engine/_diagnose.py).

Expected results are reasoned from the fact sheet (section in each comment); ids of the
criteria are shared by WHO and ICC so results can be compared item by item.
"""

import math
import random

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import ENGINE, FAST, complete, findings, findings_dicts, findings_frames, repair

import mastolib as ml
from mastolib.models._checker import case_findings
from mastolib.tables._fields import FIELDS

# A case meeting the WHO SM criteria (c13, SSM), so every branch below is exercised at least once.
SM_CASE = case_findings("c13")
SM_CASE_WITH_FUSION = ml.Findings(**dict(SM_CASE.to_dict(), tk_fusion=True))

WHO, ICC = "who2022", "icc2022"
UNDECIDED = "undecided"
# SM under both schemes (major + 2 minor) with a marrow study; subtype tests add to it.
SM_BASE = dict(mc_aggregates_ge15=True, cd25=True, kit_d816v=True, bm_examined=True)
ALL_MINORS_NEGATIVE = dict(atypical_mc_pct=10, kit_d816v=False, kit_other_activating=False,
                           cd2=False, cd25=False, cd30=False, bst_ng_ml=10,
                           hat_extra_alpha_copies=0)
# Every B-finding assessed and absent (WHO BMM needs it: issue 17 rule 1, fact sheet 3.5).
B_NONE = dict(bm_mc_infiltration_pct=5, kit_d816v_vaf_pct=1, myeloproliferation_or_dysplasia=False,
              mild_cytopenia_or_cytosis=False, hepatomegaly=False, splenomegaly=False,
              lymph_node_max_cm=0.5)
SUBTYPES = {WHO: {"SM": {"BMM", "ISM", "SSM", "ASM", "SM-AHN", "MCL"},
                  "CM": {"MPCM", "DCM", "mastocytoma"}, "none": {None, "MMAS"},
                  "MIS": {None}, "MCS": {None}, "MLN-TK": {None}, "undecided": {None}},
            ICC: {"SM": {"ISM", "SSM", "ASM", "SM-AMN", "MCL"},
                  "CM": {"MPCM", "DCM", "mastocytoma"}, "none": {None, "MMAS"},
                  "MIS": {None}, "MCS": {None}, "MLN-TK": {None}, "undecided": {None}}}


def dx(scheme, params=None, **fields):
    return ml.diagnose(ml.Findings(**fields), scheme, params)


def met(scheme, cid, params=None, **fields):
    return dx(scheme, params, **fields).criterion(cid).met


# ------------------------------------------------------------------ SM criteria rule

SM_RULE_CASES = [
    # fields, WHO sm_criteria_met, ICC sm_criteria_met                        (§3.1, §3.2, §3.6)
    (dict(mc_aggregates_ge15=True, tk_fusion=False, **ALL_MINORS_NEGATIVE), False, True),  # major
    (dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=True, cd25=True, tk_fusion=False), True, True),
    # ICC: KIT-negative with the TK fusion never tested is undecided, not SM (fact sheet 3.2
    # exclusion; issue 17 rule 4)
    (dict(mc_aggregates_ge15=True, **ALL_MINORS_NEGATIVE), False, None),
    (dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=True, cd25=True), True, None),
    (dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=False, atypical_mc_pct=30, kit_d816v=True,
          cd30=True), True, True),                                          # 3 minor
    (dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=False, kit_d816v=True, cd2=True),
     False, False),                                                         # 2 minor only
    (dict(ALL_MINORS_NEGATIVE, kit_d816v=True, cd2=True), None, None),      # major unknown
    (dict(mc_aggregates_ge15=True), None, None),      # minors unknown; ICC: fusion untested
    (dict(mc_aggregates_ge15=True, tk_fusion=False), None, True),           # minors unknown
    (dict(), None, None),                                                   # nothing assessed
    (dict(mc_aggregates_ge15=False, kit_d816v=True, cd25=True), None, None),  # 2 met, 2 unknown
]


@pytest.mark.parametrize("fields,who,icc", SM_RULE_CASES)
def test_sm_criteria_rule_three_valued(fields, who, icc):
    assert dx(WHO, **fields).sm_criteria_met is who
    assert dx(ICC, **fields).sm_criteria_met is icc


@pytest.mark.parametrize("bst,expected", [(20.0, False), (20.1, True)])
def test_tryptase_minor_edge_20_vs_20_1(bst, expected):
    # §3.1 minor 4: > 20 ng/mL (strict); here it is the third minor criterion
    fields = dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=False, atypical_mc_pct=30,
                  kit_d816v=True, bst_ng_ml=bst)
    for scheme in (WHO, ICC):
        d = dx(scheme, **fields)
        assert d.criterion("minor_tryptase").met is expected
        assert d.sm_criteria_met is expected
        assert d.n_minor_met == 2 + expected


HAT_CASES = [
    # §6.5 H1-H6: BST, extra alpha copies, adjusted, WHO minor met, ICC (unadjusted) minor met
    (32, 1, 16.0, False, True),     # H1
    (45, 1, 22.5, True, True),      # H2
    (40, 1, 20.0, False, True),     # H3 boundary: 20.0 is not > 20
    (62, 2, 62 / 3, True, True),    # H4
    (250, 2, 250 / 3, True, True),  # H5
    (18, 0, 18.0, False, False),    # H6
]


@pytest.mark.parametrize("bst,copies,adjusted,who,icc", HAT_CASES)
def test_hat_adjusted_tryptase_minor(bst, copies, adjusted, who, icc):
    fields = dict(bst_ng_ml=bst, hat_extra_alpha_copies=copies)
    w = dx(WHO, **fields).criterion("minor_tryptase")
    assert (w.met, w.value_used) == (who, pytest.approx(adjusted))
    i = dx(ICC, **fields).criterion("minor_tryptase")
    assert (i.met, i.value_used) == (icc, bst)
    # what-if: ICC with the WHO adjustment
    assert met(ICC, "minor_tryptase", {"hat_adjust": True}, **fields) is who


def test_hat_unknown_uses_measured_tryptase_and_says_so():
    d = dx(WHO, bst_ng_ml=32)
    r = d.criterion("minor_tryptase")
    assert (r.met, r.value_used) == (True, 32.0)
    assert "HαT genotype not known" in r.note


@pytest.mark.parametrize("lineage,name,expected", [("myeloid", "CMML", False),
                                                    ("lymphoid", "CLL", True)])
def test_tryptase_minor_not_counted_with_myeloid_neoplasm(lineage, name, expected):
    # §3.1/§3.2 minor 4: not valid when an associated myeloid neoplasm is present
    for scheme in (WHO, ICC):
        d = dx(scheme, bst_ng_ml=50, associated_neoplasm=name,
               associated_neoplasm_lineage=lineage)
        assert d.criterion("minor_tryptase").met is expected
        if not expected:
            assert "myeloid" in d.criterion("minor_tryptase").note
            assert any("associated myeloid neoplasm" in s for s in d.explanation)


# ------------------------------------------------------------------ B-findings

B_BASE = dict(SM_BASE, bst_ng_ml=10, hat_extra_alpha_copies=0, kit_d816v_vaf_pct=1,
              bm_mc_infiltration_pct=10)

B1_CASES = [
    # changes, WHO B1, ICC B1                                        (§3.3 and §11)
    (dict(bm_mc_infiltration_pct=29.9), False, False),
    (dict(bm_mc_infiltration_pct=30), True, False),                 # WHO >= 30 (or)
    (dict(bm_mc_infiltration_pct=30, bst_ng_ml=201), True, False),  # ICC needs > 30
    (dict(bm_mc_infiltration_pct=30.1, bst_ng_ml=201), True, True),
    (dict(bm_mc_infiltration_pct=30.1, bst_ng_ml=200), True, False),  # ICC needs > 200
    (dict(bm_mc_infiltration_pct=30.1, bst_ng_ml=200.1), True, True),
    (dict(bst_ng_ml=199.9), False, False),
    (dict(bst_ng_ml=200), True, False),                             # WHO >= 200 alone counts
    (dict(kit_d816v_vaf_pct=9.9), False, False),
    (dict(kit_d816v_vaf_pct=10), True, False),                      # WHO-only VAF arm
    (dict(bm_mc_infiltration_pct=35, bst_ng_ml=50), True, False),   # and/or
    (dict(bst_ng_ml=300, hat_extra_alpha_copies=1), False, False),  # WHO arm HαT-adjusted: 150
]


@pytest.mark.parametrize("changes,who,icc", B1_CASES)
def test_b1_edges(changes, who, icc):
    fields = dict(B_BASE, **changes)
    assert met(WHO, "B1", **fields) is who
    assert met(ICC, "B1", **fields) is icc


def test_b1_not_assessed_arms():
    # WHO B1 is any-of: one met arm decides; otherwise an unassessed arm leaves it open
    assert met(WHO, "B1", **dict(SM_BASE, bm_mc_infiltration_pct=40)) is True
    assert met(WHO, "B1", **dict(SM_BASE, bm_mc_infiltration_pct=10)) is None
    # ICC B1 is all-of: one arm not met decides
    assert met(ICC, "B1", **dict(SM_BASE, bm_mc_infiltration_pct=10)) is False
    assert met(ICC, "B1", **dict(SM_BASE, bm_mc_infiltration_pct=40)) is None


def test_b1_vaf_arm_is_not_met_when_kit_d816v_tested_negative():
    # Regression (reported by the checker work): a negative KIT D816V test left WHO's VAF arm
    # "not assessed", so B1 stayed open although no arm could be met.
    base = dict(SM_BASE, kit_d816v=False, kit_other_activating=True, bst_ng_ml=30,
                bm_mc_infiltration_pct=10)
    assert met(WHO, "B1", **base) is False
    assert met(WHO, "B1", **dict(base, kit_d816v=None)) is None
    assert met(WHO, "B1", **dict(base, kit_d816v=True, kit_d816v_vaf_pct=12)) is True


def test_b2_definitions_differ():
    # §3.3: WHO myeloproliferation/dysplasia; ICC sub-C cytopenia or "-cytosis"
    f = dict(SM_BASE, myeloproliferation_or_dysplasia=True, mild_cytopenia_or_cytosis=False)
    assert (met(WHO, "B2", **f), met(ICC, "B2", **f)) == (True, False)
    f = dict(SM_BASE, myeloproliferation_or_dysplasia=False, mild_cytopenia_or_cytosis=True)
    assert (met(WHO, "B2", **f), met(ICC, "B2", **f)) == (False, True)


B3_CASES = [
    # lymph node cm, WHO B3 (> 2 cm), ICC B3 (> 1 cm)                        (§3.3)
    (1.0, False, False), (1.1, False, True), (1.5, False, True), (2.0, False, True),
    (2.1, True, True),
]


@pytest.mark.parametrize("node,who,icc", B3_CASES)
def test_b3_lymph_node_edges(node, who, icc):
    fields = dict(SM_BASE, hepatomegaly=False, splenomegaly=False, lymph_node_max_cm=node)
    assert (met(WHO, "B3", **fields), met(ICC, "B3", **fields)) == (who, icc)


def test_b3_organomegaly_without_dysfunction_and_c_with_it():
    base = dict(SM_BASE, lymph_node_max_cm=0.5, splenomegaly=False)
    for scheme in (WHO, ICC):
        d = dx(scheme, **base, hepatomegaly=True, liver_dysfunction=False)
        assert (d.criterion("B3").met, d.criterion("C2").met) == (True, False)
        d = dx(scheme, **base, hepatomegaly=True, liver_dysfunction=True)
        assert (d.criterion("B3").met, d.criterion("C2").met) == (False, True)
        d = dx(scheme, **dict(base, splenomegaly=True, hypersplenism=True, hepatomegaly=False))
        assert (d.criterion("B3").met, d.criterion("C3").met) == (False, True)


# ------------------------------------------------------------------ C-findings

C_BASE = dict(SM_BASE, anc_1e9_l=2.0, hb_g_dl=13.0, plt_1e9_l=200.0,
              cytopenia_attributed_to_mc=True)

C1_CASES = [
    # changes, C1 met                                                        (§3.4)
    (dict(), False),
    (dict(anc_1e9_l=0.99), True), (dict(anc_1e9_l=1.0), False),
    (dict(hb_g_dl=9.9), True), (dict(hb_g_dl=10.0), False),
    (dict(plt_1e9_l=99.0), True), (dict(plt_1e9_l=100.0), False),
    (dict(hb_g_dl=9.0, cytopenia_attributed_to_mc=False), False),  # False never counts
    (dict(hb_g_dl=9.0, cytopenia_attributed_to_mc=None), None),    # cause not recorded
]


@pytest.mark.parametrize("changes,expected", C1_CASES)
def test_c1_cytopenia_edges(changes, expected):
    for scheme in (WHO, ICC):
        assert met(scheme, "C1", **dict(C_BASE, **changes)) is expected


def test_c1_attribution_not_recorded():
    fields = dict(C_BASE, hb_g_dl=9.0, cytopenia_attributed_to_mc=None)
    r = dx(WHO, **fields).criterion("C1")
    assert r.met is None and "not recorded" in r.note and "not assessed" in r.note
    r = dx(WHO, {"c1_unknown_attribution": "count"}, **fields).criterion("C1")
    assert r.met is True and "Counted although" in r.note
    r = dx(WHO, **dict(fields, cytopenia_attributed_to_mc=False)).criterion("C1")
    assert r.met is False and "not attributed" in r.note


@pytest.mark.parametrize("size,fracture,expected", [(1.9, True, False), (2.0, True, True),
                                                    (2.5, False, False), (2.5, None, None)])
def test_c4_osteolysis_edges(size, fracture, expected):
    # §3.4: osteolysis >= 2 cm with pathological fracture
    fields = dict(SM_BASE, osteolysis_cm=size, pathologic_fracture=fracture)
    assert met(WHO, "C4", **fields) is expected and met(ICC, "C4", **fields) is expected


# ------------------------------------------------------------------ subtypes

def label(d):
    return d.category, d.subtype, tuple(sorted(d.qualifiers))


SUBTYPE_CASES = [
    # fields, WHO (category, subtype, qualifiers), ICC (...)          (§3.5 assignment order)
    (dict(SM_BASE, malabsorption_weight_loss=True),
     ("SM", "ASM", ()), ("SM", "ASM", ())),
    (dict(SM_BASE, lymph_node_max_cm=3, bm_mc_infiltration_pct=35, bst_ng_ml=250),
     ("SM", "SSM", ()), ("SM", "SSM", ())),
    # B2 differs: two B-findings under WHO, one under ICC
    (dict(SM_BASE, myeloproliferation_or_dysplasia=True, lymph_node_max_cm=3,
          skin_lesion_type="MPCM", skin_lesion_count=30),
     ("SM", "SSM", ()), ("SM", "ISM", ())),
    # BMM: studied marrow, no skin lesions, every B-finding assessed and absent, tryptase < 125
    # (WHO subtype; ICC ISM variant) - fact sheet 3.5, issue 17 rule 1
    (dict(SM_BASE, **B_NONE, skin_lesion_type="none", bst_ng_ml=124.9),
     ("SM", "BMM", ()), ("SM", "ISM", ("BMM variant",))),
    (dict(SM_BASE, **B_NONE, skin_lesion_type="none", bst_ng_ml=125),
     ("SM", "ISM", ()), ("SM", "ISM", ("BMM variant",))),
    (dict(SM_BASE, **dict(B_NONE, lymph_node_max_cm=2.5), skin_lesion_type="none", bst_ng_ml=30),
     ("SM", "ISM", ()), ("SM", "ISM", ("BMM variant",))),
    # B-findings not assessed: BMM vs ISM undecided (issue 17 rule 1)
    (dict(SM_BASE, skin_lesion_type="none", bst_ng_ml=124.9),
     ("SM", "undecided", ()), ("SM", "ISM", ("BMM variant",))),
    (dict(SM_BASE, skin_lesion_type="MPCM", skin_lesion_count=20, bst_ng_ml=30),
     ("SM", "ISM", ()), ("SM", "ISM", ())),
    # skin not assessed: BMM cannot be decided (issue 17 rule 3: undecided, not ISM)
    (dict(SM_BASE, bst_ng_ml=30), ("SM", "undecided", ()), ("SM", "ISM", ())),
    # MCL: >= 20 % MC on the smear; ICC counts immature/atypical MC only
    (dict(SM_BASE, bm_smear_mc_pct=19, skin_lesion_type="MPCM", skin_lesion_count=20),
     ("SM", "ISM", ()), ("SM", "ISM", ())),
    (dict(SM_BASE, bm_smear_mc_pct=20, smear_mc_immature=True, pb_mc_pct=5),
     ("SM", "MCL", ("aleukaemic", "chronic")), ("SM", "MCL", ("aleukaemic", "chronic"))),
    (dict(SM_BASE, bm_smear_mc_pct=20, smear_mc_immature=False),
     ("SM", "MCL", ("chronic",)), ("SM", "ISM", ())),
    (dict(SM_BASE, bm_smear_mc_pct=30, pb_mc_pct=10, hb_g_dl=8,
          cytopenia_attributed_to_mc=True, smear_mc_immature=True),
     ("SM", "MCL", ("acute", "leukaemic")), ("SM", "MCL", ("acute", "leukaemic"))),
    (dict(SM_BASE, bm_smear_mc_pct=40, smear_mc_immature=True, associated_neoplasm="CMML",
          associated_neoplasm_lineage="myeloid"),
     ("SM", "MCL", ("chronic", "with AHN")), ("SM", "MCL", ("chronic", "with AMN"))),
    # associated neoplasm: WHO myeloid or lymphoid; ICC myeloid only (before ASM)
    (dict(SM_BASE, associated_neoplasm="CMML", associated_neoplasm_lineage="myeloid",
          malabsorption_weight_loss=True),
     # the SM component is reported (issue 17; ASM rule of fact sheet 3.5 on the SM part)
     ("SM", "SM-AHN", ("ASM component",)), ("SM", "SM-AMN", ("ASM component",))),
    (dict(SM_BASE, associated_neoplasm="CLL", associated_neoplasm_lineage="lymphoid"),
     ("SM", "SM-AHN", ()),
     ("SM", "ISM", ("concurrent lymphoid neoplasm (outside the SM-AMN entity)",))),
    (dict(SM_BASE, associated_neoplasm="myeloma", associated_neoplasm_lineage="lymphoid",
          osteolysis_cm=3, pathologic_fracture=True),
     ("SM", "SM-AHN", ("ASM component",)),
     ("SM", "ASM", ("concurrent lymphoid neoplasm (outside the SM-AMN entity)",))),
    # mast cell sarcoma is its own category, checked first
    (dict(SM_BASE, destructive_mc_tumor=True), ("MCS", None, ()), ("MCS", None, ())),
]


@pytest.mark.parametrize("fields,who,icc", SUBTYPE_CASES)
def test_subtype_assignment(fields, who, icc):
    assert label(dx(WHO, **fields)) == who
    assert label(dx(ICC, **fields)) == icc


def test_bmm_tryptase_hat_switch():
    # §6.5 H5: 250 ng/mL with 2 extra copies is 83.3 adjusted; whether WHO adjusts the 125
    # cut-off is unconfirmed, so it is a parameter (default off)
    fields = dict(SM_BASE, skin_lesion_type="none", bst_ng_ml=250, hat_extra_alpha_copies=2)
    b_done = dict(fields, **B_NONE)
    assert dx(WHO, **b_done).subtype == "ISM"
    assert dx(WHO, {"hat_adjust_bmm": True}, **b_done).subtype == "BMM"
    assert dx(WHO, **fields).criterion("B1").met is None  # 83.3 < 200; other arms missing
    # B-findings not assessed: BMM vs ISM undecided (issue 17 rule 1)
    assert dx(WHO, {"hat_adjust_bmm": True}, **fields).candidates == ("BMM", "ISM")


def test_icc_bmm_variant_strict_parameter():
    fields = dict(SM_BASE, skin_lesion_type="none", bst_ng_ml=150)
    assert dx(ICC, **fields).qualifiers == ("BMM variant",)
    assert dx(ICC, {"icc_bmm_variant_strict": True}, **fields).qualifiers == ()


def test_mcl_immaturity_not_assessed_is_explained():
    # issue 17 rule 3: 25 % smear mast cells with maturity not recorded -> MCL vs ISM undecided
    d = dx(ICC, **dict(SM_BASE, bm_smear_mc_pct=25))
    assert (d.subtype, d.criterion("subtype_mcl").met) == ("undecided", None)
    assert d.candidates == ("MCL", "ISM")
    assert d.deciding_tests == ("Smear MC immature/atypical",)
    assert any("immature/atypical was not assessed" in s for s in d.explanation)
    assert dx(WHO, **dict(SM_BASE, bm_smear_mc_pct=25)).subtype == "MCL"


def test_adding_a_c_finding_turns_ism_into_asm():
    base = dict(SM_BASE, **B_NONE, skin_lesion_type="none", bst_ng_ml=30)
    assert dx(WHO, **base).subtype == "BMM"
    assert dx(WHO, **dict(base, malabsorption_weight_loss=True)).subtype == "ASM"


# ------------------------------------------------------------------ TK fusion exclusion

def test_tk_fusion_takes_precedence_in_both_schemes():
    # §3.2: ICC excludes SM with a TK fusion. WHO (issue 17 rule 4): the M/LN-eo-TK neoplasm
    # takes precedence too, as a flagged parameter (WHO statement unconfirmed, §3.6, §12.8).
    fields = dict(mc_aggregates_ge15=True, cd25=True, kit_d816v=False, tk_fusion=True)
    icc = dx(ICC, **fields)
    assert (icc.sm_criteria_met, icc.category) == (False, "MLN-TK")
    assert icc.criterion("tk_fusion_exclusion").met is True
    assert any("tyrosine-kinase gene fusion is documented" in s for s in icc.explanation)
    assert dx(WHO, **fields).category == "MLN-TK"
    assert ml.get_ruleset(WHO).parameters()[2].confidence == "unconfirmed"
    assert label(dx(WHO, {"tk_fusion_excludes": False}, **fields)) == ("SM", "undecided", ())
    # ICC: not tested in a KIT-negative case = undecided with the fusion test named
    untested = dx(ICC, mc_aggregates_ge15=True, cd25=True, kit_d816v=False)
    assert (untested.sm_criteria_met, untested.category) == (None, "undecided")
    assert "Tyrosine-kinase gene fusion" in untested.deciding_tests
    assert "not tested" in untested.criterion("tk_fusion_exclusion").note
    # ... but with a KIT mutation found the untested fusion does not hold SM back
    assert dx(ICC, mc_aggregates_ge15=True, cd25=True, kit_d816v=True).sm_criteria_met is True
    # WHO reads an untested fusion as absent (parameter tk_fusion_untested='absent')
    assert dx(WHO, mc_aggregates_ge15=True, cd25=True, kit_d816v=False).sm_criteria_met


# ------------------------------------------------------------------ skin, children, MMAS

SKIN_CASES = [
    # fields, WHO, ICC                                                   (§5 and §11)
    (dict(age_years=8, skin_lesion_type="MPCM", skin_lesion_count=40, bm_examined=False),
     ("CM", "MPCM", ()), ("CM", "MPCM", ())),
    (dict(age_years=8, skin_lesion_type="MPCM", skin_lesion_count=40),  # marrow not recorded
     ("CM", "MPCM", ()), ("CM", "MPCM", ())),
    (dict(age_years=17.9, skin_lesion_type="DCM"), ("CM", "DCM", ()), ("CM", "DCM", ())),
    (dict(age_years=18, skin_lesion_type="MPCM", skin_lesion_count=40, bm_examined=False),
     ("MIS", None, ()), ("MIS", None, ())),
    (dict(skin_lesion_type="MPCM", skin_lesion_count=40), ("MIS", None, ()), ("MIS", None, ())),
    # adults with a marrow study: CM when SM criteria are not met, MIS when undecided
    (dict(ALL_MINORS_NEGATIVE, age_years=45, skin_lesion_type="MPCM", skin_lesion_count=40,
          bm_examined=True, mc_aggregates_ge15=False), ("CM", "MPCM", ()), ("CM", "MPCM", ())),
    (dict(age_years=45, skin_lesion_type="MPCM", skin_lesion_count=40, bm_examined=True,
          cd25=True), ("MIS", None, ()), ("MIS", None, ())),
    (dict(SM_BASE, age_years=45, skin_lesion_type="MPCM", skin_lesion_count=40),
     ("SM", "ISM", ()), ("SM", "ISM", ())),
    # mastocytoma: solitary or up to 3 lesions (consensus, §5); WHO isolated (1) vs
    # multilocalized (2-3); >= 4 -> MPCM in both schemes (issue 17 rule 7, §5/§11)
    (dict(age_years=1, skin_lesion_type="mastocytoma", skin_lesion_count=1),
     ("CM", "mastocytoma", ("isolated",)), ("CM", "mastocytoma", ())),
    (dict(age_years=1, skin_lesion_type="mastocytoma", skin_lesion_count=2),
     ("CM", "mastocytoma", ("multilocalized",)), ("CM", "mastocytoma", ())),
    (dict(age_years=1, skin_lesion_type="mastocytoma", skin_lesion_count=3),
     ("CM", "mastocytoma", ("multilocalized",)), ("CM", "mastocytoma", ())),
    (dict(age_years=1, skin_lesion_type="mastocytoma", skin_lesion_count=4),
     ("CM", "MPCM", ()), ("CM", "MPCM", ())),
    # child with an enlarged liver and no marrow study: red flag, SM left open (MIS, the
    # marrow study decides) - working rule "CM unless red flags" (§11), issue 17
    (dict(age_years=6, skin_lesion_type="MPCM", skin_lesion_count=40, bm_examined=False,
          hepatomegaly=True), ("MIS", None, ()), ("MIS", None, ())),
    # MMAS: clonal markers + MCAS episodes, SM criteria not met (§4.3)
    (dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=False, kit_d816v=True, mcas_episodes=True,
          skin_lesion_type="none"), ("none", "MMAS", ()), ("none", "MMAS", ())),
    (dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=False, cd30=True, mcas_episodes=True),
     ("none", "MMAS", ()), ("none", "MMAS", ())),
    (dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=False, kit_d816v=True, mcas_episodes=False),
     ("none", None, ()), ("none", None, ())),
    (dict(kit_d816v=True, mcas_episodes=True, skin_lesion_type="MPCM", skin_lesion_count=9,
          age_years=50), ("MIS", None, ()), ("MIS", None, ())),
    # nothing assessed: undecided (SM vs MMAS), never a silent "none" (issue 17 rule 3)
    (dict(), ("undecided", None, ()), ("undecided", None, ())),
]


@pytest.mark.parametrize("fields,who,icc", SKIN_CASES)
def test_skin_children_adults_and_mmas(fields, who, icc):
    assert label(dx(WHO, **fields)) == who
    assert label(dx(ICC, **fields)) == icc


def test_major_criterion_alone_differs_between_schemes():
    # §3.6: ICC accepts the major criterion alone; WHO needs a minor too
    fields = dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=True, bm_examined=True)
    assert label(dx(WHO, **fields)) == ("none", None, ())
    assert dx(ICC, **dict(fields, tk_fusion=False)).category == "SM"
    # ICC, KIT-negative, fusion never tested: undecided (issue 17 rule 4)
    assert dx(ICC, **fields).category == "undecided"


# ------------------------------------------------------------------ result object

def test_diagnosis_is_a_presentable_value():
    d = dx(WHO, **dict(SM_BASE, skin_lesion_type="none", bst_ng_ml=30,
                       myeloproliferation_or_dysplasia=False, hepatomegaly=False,
                       splenomegaly=False, lymph_node_max_cm=1, bm_mc_infiltration_pct=5,
                       kit_d816v_vaf_pct=1))
    assert d.scheme == WHO and d.sm_criteria_met is True
    assert [r.id for r in d.b_findings] == ["B1", "B2", "B3"]
    assert [r.id for r in d.c_findings] == ["C1", "C2", "C3", "C4", "C5"]
    assert (d.n_b, d.n_c, d.n_minor_met) == (0, 0, 3)
    roles = {r.role for r in d.criteria}
    assert roles == {"major", "minor", "exclusion", "B", "C", "subtype"}  # WHO TK precedence
    frame = d.to_frame()
    assert list(frame.columns) == ["id", "label", "role", "met", "status", "value_used",
                                   "threshold", "source_id", "locator", "note"]
    assert len(frame) == len(d.criteria)
    assert frame.set_index("id").loc["minor_tryptase", "threshold"] == (
        "Basal serum tryptase (HαT-adjusted) > 20 ng/mL and Associated neoplasm lineage is "
        "not 'myeloid'")
    assert str(d).startswith("WHO 2022: SM / BMM")
    assert repr(d).startswith("<Diagnosis WHO 2022: SM / BMM")
    assert "**WHO 2022: SM / BMM**" in d._repr_markdown_()
    assert all(isinstance(s, str) and s for s in d.explanation)
    assert d.explanation[0] == ("WHO 2022: systemic mastocytosis (SM), subtype bone marrow "
                                "mastocytosis (BMM).")
    assert any(s.startswith("Subtype BMM") for s in d.explanation)
    assert any("Not assessed (could change the subtype)" in s for s in d.explanation)
    for r in d.criteria:
        for sid in r.source_id.split(";"):
            assert sid in ml.source_ids()
        assert r.locator
    with pytest.raises(ValueError, match="no criterion 'B9'"):
        d.criterion("B9")
    with pytest.raises(AttributeError):
        d.category = "CM"


def test_not_assessed_is_explained_and_never_counted_as_negative():
    d = dx(WHO, mc_aggregates_ge15=True, kit_d816v=True)
    assert d.sm_criteria_met is True
    assert d.criterion("minor_immunophenotype").met is None
    d = dx(WHO, kit_d816v=True, cd25=True)
    assert d.sm_criteria_met is None
    assert any("neither established nor excluded" in s for s in d.explanation)
    assert any("major (Dense MC aggregates (≥15 MC each)" in s for s in d.explanation)
    assert d.category == "undecided" and d.candidates == ("SM", "MMAS")  # MCAS not assessed


def test_diagnose_accepts_dicts_rulesets_and_params():
    fields = dict(mc_aggregates_ge15="true", cd25="yes", bst_ng_ml="35", kit_d816v="yes")
    assert ml.diagnose(fields, ICC).category == "SM"
    rs = ml.get_ruleset(WHO).with_params(hat_adjust_bmm=True)
    assert ml.diagnose(ml.Findings(**SM_BASE), rs).params == tuple(rs.params.items())
    with pytest.raises(ValueError, match=r"valid ids: \['who2022', 'icc2022'\]"):
        ml.diagnose(ml.Findings(), "who2016")
    with pytest.raises(ValueError, match="unknown parameter"):
        ml.diagnose(ml.Findings(), WHO, {"hat": True})
    with pytest.raises(ValueError, match="expected mastolib.Findings or a dict"):
        ml.diagnose([1, 2], WHO)
    with pytest.raises(ValueError, match="unknown findings field"):
        ml.diagnose({"tryptase": 3}, WHO)


# ------------------------------------------------------------------ comparison

def test_compare_schemes_explains_each_difference():
    fields = dict(ALL_MINORS_NEGATIVE, mc_aggregates_ge15=True, bm_examined=True,
                  bm_mc_infiltration_pct=35, kit_d816v_vaf_pct=None, tk_fusion=False)
    c = ml.compare_schemes(ml.Findings(**fields))
    assert (c.who.category, c.icc.category, c.agree) == ("none", "SM", False)
    items = {d.item_id: d for d in c.differences}
    assert {"sm_criteria", "classification"} <= set(items)
    assert "Major alone" in items["sm_criteria"].reason
    assert all(d.reason for d in c.differences)
    frame = c.to_frame()
    assert list(frame.columns) == ["item_id", "label", "role", "who", "icc", "reason"]
    assert "disagree" in str(c)


def test_compare_schemes_agreement_and_b1_difference():
    fields = dict(SM_BASE, bst_ng_ml=50, hat_extra_alpha_copies=0, kit_d816v_vaf_pct=1,
                  bm_mc_infiltration_pct=35, skin_lesion_type="MPCM", skin_lesion_count=30)
    c = ml.compare_schemes(fields)
    assert c.agree and (c.who.subtype, c.icc.subtype) == ("ISM", "ISM")
    (b1,) = [d for d in c.differences if d.item_id == "B1"]
    assert (b1.who, b1.icc) == (True, False)
    assert "≥ 30 %" in b1.reason and "> 30 %" in b1.reason
    c = ml.compare_schemes(ml.Findings(**SM_BASE), who_params={"tk_fusion_excludes": False})
    assert c.who.params != ml.diagnose(ml.Findings(**SM_BASE), WHO).params


def test_compare_schemes_bmm_subtype_difference():
    c = ml.compare_schemes(dict(SM_BASE, **B_NONE, skin_lesion_type="none", bst_ng_ml=30))
    items = {d.item_id: d for d in c.differences}
    assert "subtype_bmm" in items and "ICC 2022 has no such rule" in items["subtype_bmm"].reason
    assert items["classification"].icc == "SM / ISM (BMM variant)"


# ------------------------------------------------------------------ properties

@ENGINE
@given(findings())
def test_diagnose_never_raises_and_labels_are_consistent(f):
    for scheme in (WHO, ICC):
        d = ml.diagnose(f, scheme)
        assert d.subtype in SUBTYPES[scheme][d.category] | {"undecided"}
        assert d.sm_criteria_met in (True, False, None)
        # issue 17: undecided always names its candidates; MMAS only with SM criteria not met
        assert bool(d.candidates) == (UNDECIDED in (d.category, d.subtype)
                                      or d.category == "MIS")
        if d.subtype == "MMAS":
            assert d.sm_criteria_met is False
        if d.subtype == UNDECIDED:
            assert d.candidates[-1] in SUBTYPES[scheme][d.category]
        if d.category == "SM":
            assert d.sm_criteria_met is True
        if d.sm_criteria_met is True:
            assert d.category in ("SM", "MCS")
        assert d.explanation and all(isinstance(s, str) for s in d.explanation)
        assert d.n_b <= 3 and d.n_c <= 5 and d.n_minor_met <= 4


C_FINDINGS = [dict(malabsorption_weight_loss=True),
              dict(osteolysis_cm=2.5, pathologic_fracture=True),
              dict(hepatomegaly=True, liver_dysfunction=True),
              dict(splenomegaly=True, hypersplenism=True),
              dict(hb_g_dl=8.0, cytopenia_attributed_to_mc=True)]


@ENGINE
@given(findings(), st.sampled_from(C_FINDINGS))
def test_adding_a_c_finding_never_gives_ism_ssm_or_bmm(f, c_finding):
    g = ml.Findings(**repair(dict(f.to_dict(), **c_finding)))
    for scheme in (WHO, ICC):
        d = ml.diagnose(g, scheme)
        assert d.n_c >= 1
        assert d.subtype not in ("ISM", "SSM", "BMM")


@ENGINE
@given(findings(assessed=["bst_ng_ml"]))
def test_hat_adjustment_never_raises_the_tryptase_used(f):
    for scheme in (WHO, ICC):
        used = ml.diagnose(f, scheme).criterion("minor_tryptase").value_used
        assert used <= f.bst_ng_ml


@ENGINE
@given(findings())
@example(SM_CASE)
@example(SM_CASE_WITH_FUSION)
def test_who_sm_implies_icc_sm_unless_tk_fusion(f):
    who, icc = ml.diagnose(f, WHO), ml.diagnose(f, ICC)
    kit_found = icc.criterion("minor_kit").met is True
    if who.sm_criteria_met is True and f.tk_fusion is not True:
        # ICC leaves SM undecided while a KIT-negative case has no fusion test (issue 17)
        assert icc.sm_criteria_met is (True if f.tk_fusion is False or kit_found else None)
    if who.sm_criteria_met is True and f.tk_fusion is True:
        assert icc.sm_criteria_met is False


@ENGINE
@given(findings(), findings())
@example(SM_CASE, SM_CASE)
def test_assessing_more_never_flips_a_decided_verdict(partial, extra):
    # Kleene honesty: a criterion decided on partial findings keeps its verdict whatever the
    # unassessed fields turn out to be (C1's 'count' reading is a documented exception).
    full = complete(partial, extra)
    params = {"c1_unknown_attribution": "not_assessed"}
    for scheme in (WHO, ICC):
        before, after = ml.diagnose(partial, scheme, params), ml.diagnose(full, scheme, params)
        if before.sm_criteria_met is not None:
            assert after.sm_criteria_met is before.sm_criteria_met
        decided = {r.id: r.met for r in before.criteria
                   if r.role in ("major", "minor", "B", "C") and r.met is not None}
        assert {k: after.criterion(k).met for k in decided} == decided


# ------------------------------------------------------------------ vectorised

def _assert_frame_matches_rows(frame, scheme):
    out = ml.diagnose_frame(frame, scheme)
    assert list(out.index) == list(frame.index)
    for position, row in enumerate(frame.to_dict("records")):
        d = ml.diagnose(ml.Findings.from_mapping(row), scheme)
        got = out.iloc[position]
        sm = got["sm_criteria_met"]
        assert (got["category"], got["subtype"], got["qualifiers"],
                None if pd.isna(sm) else bool(sm), got["n_b"], got["n_c"],
                got["n_minor_met"]) == (d.category, d.subtype, d.qualifiers,
                                        d.sm_criteria_met, d.n_b, d.n_c, d.n_minor_met)


@FAST
@given(findings_frames())
def test_diagnose_frame_equals_row_by_row_hypothesis(frame):
    for scheme in (WHO, ICC):
        _assert_frame_matches_rows(frame, scheme)


def _random_rows(n, seed):
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        row = {}
        for spec in FIELDS:
            if rng.random() < 0.4:
                continue
            if spec.kind == "bool":
                row[spec.name] = rng.random() < 0.5
            elif spec.kind == "choice":
                row[spec.name] = rng.choice(spec.choices)
            elif spec.kind == "text":
                row[spec.name] = rng.choice(["CMML", "CLL"])
            elif spec.kind == "int":
                row[spec.name] = rng.randint(int(spec.low), int(spec.high or 12))
            else:
                high = spec.high if spec.high is not None else 400.0
                row[spec.name] = round(rng.uniform(spec.low, high), rng.choice([0, 1, 2]))
        rows.append(repair(row))
    return pd.DataFrame(rows, columns=[s.name for s in FIELDS])


def test_diagnose_frame_equals_row_by_row_on_many_random_rows():
    frame = _random_rows(300, seed=2022)
    frame.index = [f"p{i}" for i in range(len(frame))]
    for scheme in (WHO, ICC):
        _assert_frame_matches_rows(frame, scheme)


def test_diagnose_frame_on_the_case_library():
    cases = ml.load_table("cases")
    meta = [c for c in cases.columns if c not in ml.Findings.field_names()]
    for scheme in (WHO, ICC):
        out = ml.diagnose_frame(cases, scheme, ignore=meta)
        for (_, row), (_, got) in zip(cases.iterrows(), out.iterrows(), strict=True):
            d = ml.diagnose(ml.Findings.from_mapping(row.to_dict(), ignore=meta), scheme)
            assert (got["category"], got["subtype"], got["qualifiers"]) == (
                d.category, d.subtype, d.qualifiers)




def test_diagnose_frame_inputs_and_errors():
    frame = pd.DataFrame({"case_id": ["a", "b"], "mc_aggregates_ge15": [True, False],
                          "cd25": [True, None]})
    out = ml.diagnose_frame(frame, ICC, ignore=["case_id"])
    # ICC: KIT and fusion never tested -> undecided (issue 17 rule 4)
    assert list(out["category"]) == ["undecided", "undecided"]
    assert list(out["candidates"]) == [("SM", "MMAS"), ("SM", "MMAS")]
    assert out["sm_criteria_met"].dtype == "boolean"
    assert pd.isna(out["sm_criteria_met"].iloc[1])
    assert list(out.columns) == ["category", "subtype", "qualifiers", "sm_criteria_met", "n_b",
                                 "n_c", "n_minor_met", "candidates"]
    frame["tk_fusion"] = False
    frame["kit_d816v"] = False
    assert list(ml.diagnose_frame(frame, ICC, ignore=["case_id"])["category"]) == [
        "SM", "undecided"]
    with pytest.raises(ValueError, match=r"unknown findings column\(s\) \['case_id'\]"):
        ml.diagnose_frame(frame, ICC)
    with pytest.raises(ValueError, match="valid ids"):
        ml.diagnose_frame(frame, "icc", ignore=["case_id"])
    bad = pd.DataFrame({"bst_ng_ml": [10.0, -1.0]}, index=["x", "y"])
    with pytest.raises(ml.InputError, match=r"row 'y': Basal serum tryptase \(ng/mL\) = -1.0 "
                       r"is not allowed") as info:
        ml.diagnose_frame(bad, WHO)
    assert info.value.field == "bst_ng_ml"
    assert ml.diagnose_frame(pd.DataFrame(index=[]), WHO).empty


@pytest.mark.parametrize(("table", "field"), [
    # issue 17, "inputs that escape": each used to leak OverflowError/AttributeError/a silent
    # cast; now an InputError naming the field (or a TypeError naming the table)
    (pd.DataFrame({"bst_ng_ml": [10**400]}, dtype=object), "bst_ng_ml"),
    (pd.DataFrame({"skin_lesion_count": [math.inf]}), "skin_lesion_count"),
    (pd.DataFrame({"bst_ng_ml": [1 + 2j]}), "bst_ng_ml"),
    (pd.DataFrame({"bst_ng_ml": [1 + 2j, 3 + 0j]}, dtype=object), "bst_ng_ml"),
    (pd.DataFrame({"hb_g_dl": [130.0]}), "hb_g_dl"),
    (pd.Series({"bst_ng_ml": 30.0}), None),
    ({"bst_ng_ml": [30.0]}, None),
])
def test_diagnose_frame_rejects_escaping_inputs(table, field):
    error = ml.InputError if field else TypeError
    with pytest.raises(error) as info:
        ml.diagnose_frame(table, WHO)
    if field:
        assert info.value.field == field
        assert ml.Findings.field_spec(field).label in str(info.value)
    else:
        assert "DataFrame" in str(info.value)


def test_diagnose_frame_uses_params():
    frame = pd.DataFrame([dict(SM_BASE, **B_NONE, skin_lesion_type="none", bst_ng_ml=250.0,
                               hat_extra_alpha_copies=2)])
    assert ml.diagnose_frame(frame, WHO)["subtype"].tolist() == ["ISM"]
    assert ml.diagnose_frame(frame, WHO, {"hat_adjust_bmm": True})["subtype"].tolist() == ["BMM"]


@FAST
@given(findings_dicts())
def test_dict_and_findings_inputs_agree(values):
    f = ml.Findings(**values)
    assert ml.diagnose(values, WHO) == ml.diagnose(f, WHO)
