"""Issue 17 rules, table-driven from the fact sheet (each row cites its source row).

Every row is checked with ``ml.diagnose`` and with ``ml.diagnose_frame`` (same labels and the
same candidates), so the scalar and vectorised engines cannot drift apart on the new outcome.
"""

import pandas as pd
import pytest

import mastolib as ml

WHO, ICC = "who2022", "icc2022"
SM = dict(bm_examined=True, mc_aggregates_ge15=True, cd25=True, kit_d816v=True)
B_NONE = dict(bm_mc_infiltration_pct=5, kit_d816v_vaf_pct=1, myeloproliferation_or_dysplasia=False,
              mild_cytopenia_or_cytosis=False, hepatomegaly=False, splenomegaly=False,
              lymph_node_max_cm=0)
C_NONE = dict(anc_1e9_l=3.0, plt_1e9_l=200.0, liver_dysfunction=None, hypersplenism=None,
              osteolysis_cm=0.0, malabsorption_weight_loss=False)
SKIN = dict(skin_lesion_type="MPCM", skin_lesion_count=20)

ROWS = [
    # id, findings, scheme, (category, subtype), candidates, source
    ("bmm_complete", dict(SM, **B_NONE, skin_lesion_type="none", bst_ng_ml=30), WHO,
     ("SM", "BMM"), (), "fact sheet 3.5 BMM row: no skin, no B-finding, BST < 125"),
    ("bmm_b_unassessed", dict(SM, skin_lesion_type="none", bst_ng_ml=30), WHO,
     ("SM", "undecided"), ("BMM", "ISM"), "3.5 BMM row + issue rule 1: B-findings assessed"),
    ("bmm_marrow_not_examined", dict(SM, **B_NONE, bm_examined=None, skin_lesion_type="none",
                                     bst_ng_ml=30), WHO,
     ("SM", "undecided"), ("BMM", "ISM"), "3.5: BMM is marrow disease (studied marrow)"),
    ("bmm_aggregates_elsewhere", dict(SM, **dict(B_NONE, bm_mc_infiltration_pct=0),
                                      aggregates_site="other_organ", skin_lesion_type="none",
                                      bst_ng_ml=30), WHO,
     ("SM", "ISM"), (), "3.5: BMM needs marrow involvement; aggregates in another organ"),
    ("mmas_sm_undecided", dict(kit_d816v=True, cd25=True, mcas_episodes=True), WHO,
     ("undecided", None), ("SM", "MMAS"), "4.3 MMAS row: SM criteria not met"),
    ("mmas_sm_not_met", dict(kit_d816v=True, cd25=True, mcas_episodes=True,
                             mc_aggregates_ge15=False, atypical_mc_pct=10, bst_ng_ml=10,
                             hat_extra_alpha_copies=0), WHO,
     ("none", "MMAS"), (), "4.3 MMAS row"),
    ("asm_possible_hb8", dict(SM, **SKIN, **C_NONE, hb_g_dl=8.0, bst_ng_ml=40), WHO,
     ("SM", "undecided"), ("ASM", "ISM"), "3.4 C1 (Hb < 10, from MC infiltration) + 3.5 ASM"),
    ("mcl_possible_icc", dict(SM, **SKIN, bm_smear_mc_pct=30, bst_ng_ml=40), ICC,
     ("SM", "undecided"), ("MCL", "ISM"), "3.5 MCL row: ICC counts immature/atypical MC"),
    ("tk_untested_icc", dict(SM, kit_d816v=False, kit_other_activating=False, cd25=False,
                             cd2=False, cd30=False, atypical_mc_pct=10, bst_ng_ml=12), ICC,
     ("undecided", None), ("SM", "none"), "3.2 exclusion row: TK fusion when KIT-negative"),
    ("tk_documented_who", dict(SM, tk_fusion=True, kit_d816v=False), WHO,
     ("MLN-TK", None), (), "3.6 TK row (WHO precedence, flagged parameter)"),
    ("tk_documented_icc", dict(SM, tk_fusion=True, kit_d816v=False), ICC,
     ("MLN-TK", None), (), "3.2 exclusion row"),
    ("skin_only_kit", dict(mc_aggregates_ge15=False, kit_d816v=True, kit_site="skin", cd25=True,
                           cd2=True, atypical_mc_pct=30, bst_ng_ml=10, tk_fusion=False,
                           hat_extra_alpha_copies=0, mcas_episodes=False), WHO,
     ("none", None), (), "3.1 minor 2: KIT in BM, blood or another extracutaneous organ"),
    ("skin_only_aggregates", dict(mc_aggregates_ge15=True, aggregates_site="skin",
                                  kit_d816v=False, kit_other_activating=False, cd25=False,
                                  cd2=False, cd30=False, atypical_mc_pct=10, bst_ng_ml=10,
                                  tk_fusion=False, mcas_episodes=False), ICC,
     ("none", None), (), "3.2 major: BM and/or other extracutaneous organ"),
    ("mastocytoma_3", dict(age_years=2, skin_lesion_type="mastocytoma", skin_lesion_count=3,
                           bm_examined=False), WHO,
     ("CM", "mastocytoma"), (), "5 mastocytoma row: up to 3 lesions (WHO multilocalized)"),
    ("mastocytoma_4_who", dict(age_years=2, skin_lesion_type="mastocytoma", skin_lesion_count=4,
                               bm_examined=False), WHO,
     ("CM", "MPCM"), (), "5 / 11: >= 4 lesions -> MPCM"),
    ("child_red_flag", dict(age_years=6, **SKIN, bm_examined=False, hepatomegaly=True), WHO,
     ("MIS", None), ("SM", "CM"), "11 working rule: CM unless red flags"),
]


@pytest.mark.parametrize(("row_id", "findings", "scheme", "label", "candidates", "source"), ROWS,
                         ids=[r[0] for r in ROWS])
def test_issue17_rules(row_id, findings, scheme, label, candidates, source):
    f = ml.Findings(**findings)
    d = ml.diagnose(f, scheme)
    assert (d.category, d.subtype) == label, (source, d.explanation)
    assert d.candidates == candidates, source
    if candidates:  # the explanation says so and names the deciding tests
        assert d.explanation[1] == d.undecided_text and "Undecided" in d.undecided_text
    frame = ml.diagnose_frame(pd.DataFrame([f.to_dict()]), scheme).iloc[0]
    assert (frame["category"], frame["subtype"], frame["candidates"]) == (
        d.category, d.subtype, d.candidates)


def test_mastocytoma_qualifiers_who():
    # fact sheet 5: isolated (1) vs multilocalized (2-3) under WHO; ICC has no such qualifier
    for n, qualifier in ((1, ("isolated",)), (2, ("multilocalized",)), (3, ("multilocalized",))):
        f = ml.Findings(age_years=2, skin_lesion_type="mastocytoma", skin_lesion_count=n)
        assert ml.diagnose(f, WHO).qualifiers == qualifier
        assert ml.diagnose(f, ICC).qualifiers == ()


def test_plausibility_contradictions_name_the_fields():
    # issue 17 rule 6: no specimen can show these; the error names every field by label
    for values in (dict(mc_aggregates_ge15=True, bm_mc_infiltration_pct=0),
                   dict(pb_mc_pct=2, bm_smear_mc_pct=0),
                   dict(skin_lesion_type="DCM", skin_lesion_count=0)):
        with pytest.raises(ml.InputError, match="contradictory findings") as info:
            ml.Findings(**values)
        for name in values:
            assert ml.Findings.field_spec(name).label in str(info.value)
            assert name in info.value.fields


def test_virtual_patients_accept_and_explain_undecided():
    # a learner can answer "undecided" (c23: no marrow study) and "MLN-TK" (c20), and the
    # feedback names the candidates and the deciding tests
    from mastolib.models._practice import Proposal, answer_options, grade

    d = ml.diagnose(ml.case_findings("c23"), WHO)
    feedback = grade(Proposal("undecided", None), d)
    assert feedback.valid and feedback.correct
    assert d.undecided_text in feedback.messages
    assert "undecided" in answer_options(ICC)["SM"]
    c20 = ml.diagnose(ml.case_findings("c20"), ICC)
    assert grade(Proposal("MLN-TK", None), c20).correct
