"""REMA, MARS and IPSM factors (mastolib/engine/_scores.py), from the fact sheet's worked examples."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import FAST
from voice import assert_voice

import mastolib as ml
from mastolib.engine._scores import mars_frame, rema_frame, score_items

REMA_CASES = [
    # §6.5 REMA (weights UNCONFIRMED): sex, urticaria/pruritus/angioedema, presyncope/syncope,
    # BST, total, clonality likely (>= 2)
    ("M", False, True, 30, 7, True),       # R1 +1 +1 +3 +2
    ("F", True, False, 8, -4, False),      # R2 -1 -2 +0 -1
    ("M", False, False, 12, 1, False),     # R3 +1 +1 +0 -1
    ("M", False, False, 18, 2, True),      # R4 +1 +1 +0 +0 (boundary)
    ("F", False, True, 10, 2, True),       # R5 -1 +1 +3 -1 (boundary)
    ("F", True, True, 30, 2, True),        # R6 -1 -2 +3 +2
    ("M", True, True, 14.9, 1, False),     # R7 +1 -2 +3 -1
    ("M", True, False, 25.0, -1, False),   # R8 +1 -2 +0 +0 (25.0 is not > 25)
]



@pytest.mark.parametrize("sex,skin,syncope,bst,points,likely", REMA_CASES)
def test_rema_worked_examples(sex, skin, syncope, bst, points, likely):
    r = ml.rema(sex, skin, syncope, bst)
    assert (r.points, r.clonality_likely) == (points, likely)
    assert sum(i.points for i in r.items) == points
    assert len(r.items) == 4  # one item per variable
    assert r.confidence == "unconfirmed" and "UNCONFIRMED" in r.warning


def test_rema_tryptase_bands():
    # bands < 15 / 15-25 / > 25 (§6.1)
    bands = {14.9: "bst_lt15", 15: "bst_15_25", 25: "bst_15_25", 25.1: "bst_gt25"}
    for bst, item in bands.items():
        ids = [i.item_id for i in ml.rema("F", False, False, bst).items]
        assert item in ids


def test_rema_items_record_the_conflicting_version():
    items = {i.item_id: i for i in score_items("rema")}
    assert items["sex_male"].points == 1 and "cliot" in items["sex_male"].alternative
    assert all(i.confidence == "unconfirmed" for i in items.values())


MARS_CASES = [
    # §6.5 MARS: age, Hb, platelets, HMR mutations, points, group
    (55, 11.2, 180, [], 0, "low"),                           # M1
    (61, 10.0, 100, [], 1, "low"),                           # M2 Hb 10.0 not < 10
    (60, 9.9, 150, ["SRSF2"], 2, "intermediate"),            # M3 age 60 not > 60
    (72, 8.5, 60, ["SRSF2", "ASXL1"], 5, "high"),            # M4
    (45, 12.0, 90, ["RUNX1"], 2, "intermediate"),            # M5
    (68, 9.1, 140, [], 2, "intermediate"),                   # M6
    (50, 9.5, 80, ["ASXL1"], 3, "high"),                     # M7
    (63, 10.4, 120, ["ASXL1", "RUNX1", "SRSF2"], 3, "high"),  # M8 >= 2 mutations capped at 2
]


@pytest.mark.parametrize("age,hb,plt,hmr,points,group", MARS_CASES)
def test_mars_worked_examples(age, hb, plt, hmr, points, group):
    r = ml.mars(age, hb, plt, hmr)
    assert (r.points, r.group) == (points, group)
    assert ml.mars(age, hb, plt, len(hmr)).points == points  # count form


def test_mars_median_survival():
    # §6.3: low not reached (12.2 y), intermediate 3.9 (4.4), high 1.9 (1.9)
    low = ml.mars(50, 12, 200, 0).median_os_years
    assert (low.training, low.validation) == ("not reached", 12.2)
    assert str(low) == "not reached (training), 12.2 y (validation)"
    mid = ml.mars(50, 12, 200, 2).median_os_years
    assert (mid.training, mid.validation) == (3.9, 4.4)
    high = ml.mars(70, 9, 50, 2).median_os_years
    assert (high.training, high.validation) == (1.9, 1.9)


def test_mars_gene_names():
    assert ml.mars(50, 12, 200, "srsf2").hmr_count == 1
    assert ml.mars(50, 12, 200, ("SRSF2", "SRSF2")).hmr_count == 1  # genes, not variants
    assert ml.mars(50, 12, 200, {"ASXL1", "RUNX1"}).points == 2


IPSM_CASES = [
    # §6.5 IPSM (factors only): population, inputs, factors present
    ("non-advanced", dict(age_years=45, alp_u_l=70), []),                           # I1
    ("non-advanced", dict(age_years=62, alp_u_l=85), ["age_non_advanced"]),          # I2
    ("non-advanced", dict(age_years=50, alp_u_l=100), ["alp_non_advanced"]),         # I3
    ("non-advanced", dict(age_years=60, alp_u_l=130),
     ["age_non_advanced", "alp_non_advanced"]),                                      # I4 (>=)
    ("advanced", dict(age_years=55, bst_ng_ml=90, wbc_1e9_l=8, hb_g_dl=12.5, plt_1e9_l=210,
                      skin_involvement=True), []),                                   # I5
    ("advanced", dict(age_years=67, bst_ng_ml=300, wbc_1e9_l=9, hb_g_dl=10.8, plt_1e9_l=150,
                      skin_involvement=True),
     ["age_advanced", "bst_advanced", "hb_advanced"]),                               # I6
    ("advanced", dict(age_years=72, bst_ng_ml=450, wbc_1e9_l=18, hb_g_dl=9.0, plt_1e9_l=80,
                      skin_involvement=False),
     ["age_advanced", "bst_advanced", "wbc_advanced", "hb_advanced", "plt_advanced",
      "skin_absent_advanced"]),                                                      # I7
    ("advanced", dict(age_years=48, bst_ng_ml=125, wbc_1e9_l=16, hb_g_dl=11.0, plt_1e9_l=100,
                      skin_involvement=True),
     ["bst_advanced", "wbc_advanced", "hb_advanced", "plt_advanced"]),               # I8
]


@pytest.mark.parametrize("population,inputs,present", IPSM_CASES)
def test_ipsm_worked_examples(population, inputs, present):
    r = ml.ipsm_factors(population, **inputs)
    assert list(r.present) == present and r.count == len(present)
    assert r.not_assessed == ()
    assert "UNCONFIRMED" in r.note
    assert not hasattr(r, "points") and not hasattr(r, "group")


def test_ipsm_age_operator_is_a_parameter():
    # I4: 2 factors under ">= 60", 1 under "> 60" (boundary unconfirmed)
    assert ml.ipsm_factors("non-advanced", age_years=60, alp_u_l=130).count == 2
    r = ml.ipsm_factors("non-advanced", age_years=60, alp_u_l=130, age_operator=">")
    assert r.count == 1 and r.factors[0].label == "Age > 60 years"


def test_ipsm_not_assessed_factors():
    r = ml.ipsm_factors("advanced", age_years=70)
    assert r.present == ("age_advanced",)
    assert set(r.not_assessed) == {"bst_advanced", "wbc_advanced", "hb_advanced",
                                   "plt_advanced", "skin_absent_advanced"}
    assert len(r.to_frame()) == 6


BAD_CALLS = [
    (lambda: ml.rema("X", False, True, 30), "sex='X'", "'F' or 'M'"),
    (lambda: ml.rema("M", "no", True, 30), "urticaria_pruritus_angioedema='no'", "True or False"),
    (lambda: ml.rema("M", False, 1, 30), "presyncope_syncope=1", "True or False"),
    (lambda: ml.rema("M", False, True, -3), "bst_ng_ml=-3", "from 0 to 10000 ng/mL"),
    (lambda: ml.rema("M", False, True, True), "bst_ng_ml=True", "from 0 to 10000 ng/mL"),
    (lambda: ml.rema("M", False, True, None), "bst_ng_ml=None", "required"),
    (lambda: ml.mars(130, 10, 100, 0), "age_years=130", "from 0 to 120 years"),
    (lambda: ml.mars(60, float("nan"), 100, 0), "hb_g_dl=nan", "from 0 to 25 g/dL"),
    (lambda: ml.mars(60, 10, "100", 0), "plt_1e9_l='100'", "x10^9/L"),
    (lambda: ml.mars(60, 10, 100, ["TET2"]), "['TET2'] not in the MARS", "'SRSF2'"),
    (lambda: ml.mars(60, 10, 100, 4), "hmr_mutations=4", "from 0 to 3 genes"),
    (lambda: ml.mars(60, 10, 100, 1.5), "hmr_mutations=1.5", "whole number"),
    (lambda: ml.mars(60, 10, 100, True), "hmr_mutations=True", "give a count"),
    (lambda: ml.mars(60, 10, 100, None), "hmr_mutations=None", "gene names"),
    (lambda: ml.ipsm_factors("AdvSM"), "population='AdvSM'", "['non-advanced', 'advanced']"),
    (lambda: ml.ipsm_factors("non-advanced", bst_ng_ml=200), "['bst_ng_ml'] are not IPSM",
     "age_years"),
    (lambda: ml.ipsm_factors("advanced", age_operator=">=="), "age_operator='>=='", "'>'"),
    (lambda: ml.ipsm_factors("advanced", wbc_1e9_l=-1), "wbc_1e9_l=-1", "from 0 to 1000 x10^9/L"),
    # issue 17: overflow, pandas NA, no upper limit ("check the units", field_limits.csv)
    (lambda: ml.rema("M", False, True, 10**400), "bst_ng_ml=1000", "too large"),
    (lambda: ml.rema(pd.NA, False, True, 30), "sex=<NA>", "required"),
    (lambda: ml.mars(60, 130, 100, 0), "hb_g_dl=130", "check the units"),
    (lambda: ml.ipsm_factors("advanced", bst_ng_ml=10**400), "bst_ng_ml=1000", "too large"),
    (lambda: ml.ipsm_factors("advanced", skin_involvement="no"), "skin_involvement='no'",
     "True or False"),
]


@pytest.mark.parametrize("call,fragment,allowed", BAD_CALLS)
def test_bad_input_messages(call, fragment, allowed):
    with pytest.raises(ValueError) as info:
        call()
    assert_voice(info.value, fragment, allowed)


def test_groups_cover_every_possible_total():
    rema = {i.item_id: i.points for i in score_items("rema")}
    low = rema["sex_female"] + rema["skin_symptoms"] + rema["no_presyncope_syncope"] + \
        rema["bst_lt15"]
    high = rema["sex_male"] + rema["no_skin_symptoms"] + rema["presyncope_syncope"] + \
        rema["bst_gt25"]
    assert (low, high) == (-4, 7)
    for age in (50, 70):
        for hb in (9, 12):
            for plt in (50, 150):
                for hmr in range(4):
                    assert ml.mars(age, hb, plt, hmr).group in ("low", "intermediate", "high")


REMA_ROWS = st.tuples(st.sampled_from(["F", "M"]), st.booleans(), st.booleans(),
                      st.one_of(st.sampled_from([14.9, 15.0, 25.0, 25.1]),
                                st.integers(0, 5000).map(lambda x: x / 10)))
MARS_ROWS = st.tuples(st.one_of(st.sampled_from([60.0, 60.1]), st.integers(18, 100)),
                      st.one_of(st.sampled_from([9.9, 10.0]), st.integers(40, 170).map(
                          lambda x: x / 10)),
                      st.one_of(st.sampled_from([99.0, 100.0]), st.integers(5, 600)),
                      st.one_of(st.integers(0, 3), st.lists(st.sampled_from(
                          ["SRSF2", "ASXL1", "RUNX1"]), max_size=3)))


@FAST
@given(st.lists(REMA_ROWS, min_size=1, max_size=30))
def test_rema_frame_equals_scalar(rows):
    frame = pd.DataFrame(rows, columns=["sex", "urticaria_pruritus_angioedema",
                                        "presyncope_syncope", "bst_ng_ml"])
    out = rema_frame(frame)
    for row, (_, got) in zip(rows, out.iterrows(), strict=True):
        r = ml.rema(*row)
        assert (got["points"], bool(got["clonality_likely"])) == (r.points, r.clonality_likely)


@FAST
@given(st.lists(MARS_ROWS, min_size=1, max_size=30))
def test_mars_frame_equals_scalar(rows):
    frame = pd.DataFrame(rows, columns=["age_years", "hb_g_dl", "plt_1e9_l", "hmr_mutations"])
    out = mars_frame(frame)
    for row, (_, got) in zip(rows, out.iterrows(), strict=True):
        r = ml.mars(*row)
        assert (got["points"], got["group"]) == (r.points, r.group)


def test_frame_errors_name_the_row():
    frame = pd.DataFrame({"sex": ["F", "Q"], "urticaria_pruritus_angioedema": [True, True],
                          "presyncope_syncope": [False, False], "bst_ng_ml": [10.0, 10.0]},
                         index=["a", "b"])
    with pytest.raises(ValueError, match=r"row 'b': Sex = 'Q'"):
        rema_frame(frame)
    frame = pd.DataFrame({"age_years": [50.0], "hb_g_dl": [10.0], "plt_1e9_l": [100.0],
                          "hmr_mutations": [["TP53"]]})
    with pytest.raises(ValueError, match=r"row 0: HMR-mutated genes .* = \['TP53'\]"):
        mars_frame(frame)
    with pytest.raises(ValueError, match="column 'hmr_mutations' is missing"):
        mars_frame(frame.drop(columns="hmr_mutations"))
    frame = pd.DataFrame({"sex": ["F"], "urticaria_pruritus_angioedema": ["yes"],
                          "presyncope_syncope": [False], "bst_ng_ml": [10.0]})
    with pytest.raises(ValueError, match="Urticaria/pruritus/angioedema = 'yes'"):
        rema_frame(frame)
