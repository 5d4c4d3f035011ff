"""Findings: fields, metadata, validation, contradictions, CSV-style input (mastolib/engine/_findings.py)."""

import dataclasses
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from strategies import ENGINE, findings, findings_dicts

import mastolib as ml
from mastolib.engine._findings import CONTRADICTIONS, frame_columns
from mastolib.engine._logic import ScalarEnv

# The public field list is shared with notebooks and data/cases.csv: order and names are fixed.
EXPECTED_FIELDS = (
    "age_years", "sex", "skin_lesion_type", "skin_lesion_count", "mpcm_pattern", "darier_sign",
    "bm_examined", "mc_aggregates_ge15", "aggregates_site", "atypical_mc_pct", "bm_mc_infiltration_pct",
    "bm_smear_mc_pct", "smear_mc_immature", "pb_mc_pct", "kit_d816v", "kit_d816v_vaf_pct",
    "kit_other_activating", "kit_site", "cd25", "cd2", "cd30", "tk_fusion", "bst_ng_ml",
    "hat_extra_alpha_copies", "associated_neoplasm", "associated_neoplasm_lineage",
    "myeloproliferation_or_dysplasia", "hepatomegaly", "liver_dysfunction", "splenomegaly",
    "hypersplenism", "lymph_node_max_cm", "anc_1e9_l", "hb_g_dl", "plt_1e9_l",
    "cytopenia_attributed_to_mc", "mild_cytopenia_or_cytosis", "osteolysis_cm",
    "pathologic_fracture", "malabsorption_weight_loss", "destructive_mc_tumor", "mcas_episodes",
)
def in_voice(fragment: str) -> str:
    """``"row 0: bst_ng_ml=-5.0"`` -> ``"row 0: Basal serum tryptase (ng/mL) = -5.0"``: the
    engine's one voice names the human label and unit, never the field id (issue 17)."""
    m = re.match(r"(row [^:]+: )?(\w+)=(.*)$", fragment)
    if not m or m.group(2) not in EXPECTED_FIELDS:
        return fragment
    spec = ml.Findings.field_spec(m.group(2))
    label = f"{spec.label} ({spec.unit})" if spec.unit else spec.label
    return f"{m.group(1) or ''}{label} = {m.group(3)}"


GROUPS = {"patient", "skin", "marrow", "molecular", "immunophenotype", "tryptase", "organs",
          "blood", "clinical"}


# ------------------------------------------------------------------ fields and metadata

def test_field_names_are_the_public_list_in_order():
    assert ml.Findings.field_names() == EXPECTED_FIELDS
    assert [f.name for f in dataclasses.fields(ml.Findings)] == list(EXPECTED_FIELDS)


def test_every_field_defaults_to_not_assessed():
    f = ml.Findings()
    assert all(v is None for v in f.to_dict().values())
    assert f.assessed() == ()
    assert repr(f) == "Findings()"


def test_field_metadata_is_data_for_a_widget_builder():
    specs = ml.Findings.field_specs()
    assert [s.name for s in specs] == list(EXPECTED_FIELDS)
    for s in specs:
        assert s.label and s.group in GROUPS
        assert s.kind in ("float", "int", "bool", "choice", "text")
        if s.kind == "choice":
            assert s.choices
        if s.kind in ("float", "int"):
            assert s.low is not None
    spec = ml.Findings.field_spec("bst_ng_ml")
    # the upper bound is a "check the units" plausibility limit read from data/field_limits.csv
    assert (spec.unit, spec.group, spec.low, spec.high) == ("ng/mL", "tryptase", 0.0, 10000.0)
    assert ml.Findings.field_spec("skin_lesion_type").choices == ("none", "MPCM", "DCM",
                                                                   "mastocytoma")
    assert ml.Findings.field_spec("atypical_mc_pct").high == 100.0
    assert spec.as_dict()["allowed"].startswith(
        "a number from 0 to 10000 ng/mL (upper limit: check the units)")
    frame = ml.Findings.fields_frame()
    assert list(frame["name"]) == list(EXPECTED_FIELDS)
    assert {"label", "unit", "kind", "low", "high", "choices", "group"} <= set(frame.columns)
    with pytest.raises(ValueError, match="unknown findings field 'bst'"):
        ml.Findings.field_spec("bst")


def test_values_are_normalised():
    f = ml.Findings(bst_ng_ml=35, skin_lesion_count=3.0, cd25=np.bool_(True),
                    age_years=np.int64(40), associated_neoplasm=" CMML ",
                    associated_neoplasm_lineage="myeloid")
    assert f.bst_ng_ml == 35.0 and isinstance(f.bst_ng_ml, float)
    assert f.skin_lesion_count == 3 and isinstance(f.skin_lesion_count, int)
    assert f.cd25 is True
    assert f.age_years == 40.0 and isinstance(f.age_years, float)
    assert f.associated_neoplasm == "CMML"


def test_findings_are_frozen_and_replace_revalidates():
    f = ml.Findings(bst_ng_ml=35)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.bst_ng_ml = 10
    g = f.replace(bst_ng_ml=12, cd25=True)
    assert (f.bst_ng_ml, g.bst_ng_ml, g.cd25) == (35.0, 12.0, True)
    with pytest.raises(ValueError, match=r"Basal serum tryptase \(ng/mL\) = -2"):
        f.replace(bst_ng_ml=-2)
    with pytest.raises(ValueError, match="bst_ngml"):
        f.replace(bst_ngml=3)


def test_to_dict_and_repr():
    f = ml.Findings(cd25=True, bst_ng_ml=32)
    assert f.to_dict(assessed_only=True) == {"cd25": True, "bst_ng_ml": 32.0}
    assert ml.Findings(**f.to_dict()) == f
    assert repr(f) == "Findings(cd25=True, bst_ng_ml=32.0)"


# ------------------------------------------------------------------ bad values

BAD_VALUES = [
    # field, value, fragments the message must contain (field, value, what is allowed)
    ("bst_ng_ml", True, ["bst_ng_ml=True", "got bool", "number from 0 to 10000 ng/mL"]),
    ("bst_ng_ml", "35", ["bst_ng_ml='35'", "got str", "from 0 to 10000 ng/mL"]),
    ("bst_ng_ml", -1, ["bst_ng_ml=-1", "below", "from 0 to 10000 ng/mL"]),
    # issue 17: overflow and open-ended lab values ("check the units" bounds, field_limits.csv)
    ("bst_ng_ml", 10**400, ["bst_ng_ml=1000", "too large", "check the units"]),
    ("hb_g_dl", 130, ["hb_g_dl=130", "above", "from 0 to 25 g/dL"]),
    ("plt_1e9_l", 250000, ["plt_1e9_l=250000", "above", "check the units"]),
    ("bst_ng_ml", 1 + 2j, ["bst_ng_ml=(1+2j)", "got complex"]),
    ("bst_ng_ml", float("nan"), ["bst_ng_ml=nan", "not a finite number"]),
    ("bst_ng_ml", float("inf"), ["bst_ng_ml=inf", "not a finite number"]),
    ("atypical_mc_pct", 100.5, ["atypical_mc_pct=100.5", "above", "from 0 to 100 %"]),
    ("bm_smear_mc_pct", -0.1, ["bm_smear_mc_pct=-0.1", "from 0 to 100 %"]),
    ("kit_d816v_vaf_pct", 101, ["kit_d816v_vaf_pct=101", "from 0 to 100 %"]),
    ("age_years", 121, ["age_years=121", "from 0 to 120 years"]),
    ("skin_lesion_count", -1, ["skin_lesion_count=-1", "whole number from 0 to 10000 lesions"]),
    ("skin_lesion_count", 2.5, ["skin_lesion_count=2.5", "not a whole number"]),
    ("hat_extra_alpha_copies", 11, ["hat_extra_alpha_copies=11", "from 0 to 10 copies"]),
    ("hat_extra_alpha_copies", False, ["hat_extra_alpha_copies=False", "got bool"]),
    ("cd25", "yes", ["cd25='yes'", "got str", "True or False"]),
    ("cd25", 1, ["cd25=1", "got int", "True or False"]),
    ("sex", "female", ["sex='female'", "unknown category", "['F', 'M']"]),
    ("skin_lesion_type", "UP", ["skin_lesion_type='UP'", "'MPCM'", "'mastocytoma'"]),
    ("associated_neoplasm_lineage", "B-cell", ["associated_neoplasm_lineage='B-cell'",
                                               "['myeloid', 'lymphoid']"]),
    ("associated_neoplasm", "  ", ["associated_neoplasm='  '", "empty text"]),
    ("associated_neoplasm", 3, ["associated_neoplasm=3", "non-empty text"]),
    ("lymph_node_max_cm", -3, ["lymph_node_max_cm=-3", "from 0 to 50 cm"]),
    ("plt_1e9_l", "many", ["plt_1e9_l='many'", "x10^9/L"]),
]


@pytest.mark.parametrize("field,value,fragments", BAD_VALUES,
                         ids=[f"{f}={v!r}" for f, v, _ in BAD_VALUES])
def test_bad_value_message_names_field_value_and_allowed_range(field, value, fragments):
    """One voice (issue 17): an InputError carrying .field/.label/.value/.allowed whose message
    names the human label with its unit, the value and the allowed range - never the bare id."""
    with pytest.raises(ml.InputError) as info:
        ml.Findings(**{field: value})
    error, message = info.value, str(info.value)
    spec = ml.Findings.field_spec(field)
    assert (error.field, error.allowed) == (field, spec.allowed)
    assert error.label.startswith(spec.label) and field not in message, message
    for fragment in fragments:
        if fragment.startswith(f"{field}="):  # the value, shown after the human label
            fragment = f"{error.label} = {fragment[len(field) + 1:]}"
        assert fragment in message, message


def test_unknown_field_and_positional_arguments_raise_value_error():
    with pytest.raises(ValueError, match=r"'bst_ng_m' \(did you mean 'bst_ng_ml'\?\)"):
        ml.Findings(bst_ng_m=1)
    with pytest.raises(ValueError, match="keyword arguments only"):
        ml.Findings(35)


# ------------------------------------------------------------------ contradictions

CONTRADICTORY = [
    # findings, fields the message must name
    (dict(bm_examined=False, bm_mc_infiltration_pct=10), ["bm_examined", "bm_mc_infiltration_pct"]),
    (dict(bm_examined=False, bm_smear_mc_pct=3), ["bm_examined", "bm_smear_mc_pct"]),
    (dict(bm_examined=False, smear_mc_immature=True), ["bm_examined", "smear_mc_immature"]),
    (dict(kit_d816v=False, kit_d816v_vaf_pct=2.5), ["kit_d816v", "kit_d816v_vaf_pct"]),
    (dict(associated_neoplasm_lineage="myeloid"), ["associated_neoplasm_lineage"]),
    (dict(associated_neoplasm="CMML"), ["associated_neoplasm", "lineage"]),
    (dict(liver_dysfunction=True, hepatomegaly=False), ["liver_dysfunction", "hepatomegaly"]),
    (dict(hypersplenism=True, splenomegaly=False), ["hypersplenism", "splenomegaly"]),
    (dict(skin_lesion_type="none", skin_lesion_count=4), ["skin_lesion_type", "skin_lesion_count"]),
    (dict(skin_lesion_type="none", darier_sign=True), ["skin_lesion_type", "darier_sign"]),
    (dict(skin_lesion_type="DCM", mpcm_pattern="monomorphic"), ["mpcm_pattern", "skin_lesion_type"]),
    (dict(skin_lesion_type="mastocytoma", skin_lesion_count=0), ["skin_lesion_count"]),
    # issue 17, rule 6 (plausibility): DCM with 0 lesions, aggregates with 0 % infiltration,
    # blood mast cells with 0 % smear mast cells; sites given for findings that are absent
    (dict(skin_lesion_type="DCM", skin_lesion_count=0), ["skin_lesion_count"]),
    (dict(mc_aggregates_ge15=True, bm_mc_infiltration_pct=0),
     ["mc_aggregates_ge15", "bm_mc_infiltration_pct"]),
    (dict(pb_mc_pct=5, bm_smear_mc_pct=0), ["pb_mc_pct", "bm_smear_mc_pct"]),
    (dict(kit_site="skin", kit_d816v=False, kit_other_activating=False), ["kit_site"]),
    (dict(aggregates_site="marrow", mc_aggregates_ge15=False), ["aggregates_site"]),
]


@pytest.mark.parametrize("values,fields", CONTRADICTORY)
def test_contradictions_raise_naming_the_fields(values, fields):
    with pytest.raises(ml.InputError, match="contradictory findings") as info:
        ml.Findings(**values)
    assert info.value.field in info.value.fields
    for name in fields:  # named by label; all ids kept in .fields for the widget
        if name in EXPECTED_FIELDS:
            assert name in info.value.fields
            if name in values:
                assert ml.Findings.field_spec(name).label in str(info.value)
        else:
            assert name in str(info.value)


def test_every_documented_contradiction_is_exercised():
    full = {name: None for name in EXPECTED_FIELDS}
    fired = set()
    for values, _ in CONTRADICTORY:
        env = ScalarEnv(dict(full, **values))
        fired |= {c.id for c in CONTRADICTIONS if c.expr.tri(env) is True}
    assert fired == {c.id for c in CONTRADICTIONS}


ALLOWED = [
    # aggregates, atypical cells and KIT can come from another organ or blood
    dict(bm_examined=False, mc_aggregates_ge15=True, atypical_mc_pct=30, kit_d816v=True),
    dict(liver_dysfunction=True),  # hepatomegaly not assessed is not a contradiction
    dict(kit_d816v=False, kit_d816v_vaf_pct=0),
    dict(skin_lesion_type="none", skin_lesion_count=0, darier_sign=False),
    # aggregates found outside the marrow need no marrow infiltration
    dict(mc_aggregates_ge15=True, aggregates_site="other_organ", bm_mc_infiltration_pct=0),
    dict(associated_neoplasm="CLL", associated_neoplasm_lineage="lymphoid"),
]


@pytest.mark.parametrize("values", ALLOWED)
def test_plausible_combinations_are_accepted(values):
    assert ml.Findings(**values).to_dict(assessed_only=True)


# ------------------------------------------------------------------ CSV-style input

def test_from_mapping_reads_csv_style_values():
    row = {"case_id": "c99", "title": "x", "bst_ng_ml": "32.5", "cd25": "yes", "cd2": "0",
           "cd30": "FALSE", "kit_d816v": "True", "sex": "m", "skin_lesion_type": "mpcm",
           "skin_lesion_count": "12", "hb_g_dl": "", "plt_1e9_l": "NA", "anc_1e9_l": "nan",
           "mcas_episodes": float("nan"), "tk_fusion": pd.NA, "hat_extra_alpha_copies": 1.0,
           "bm_examined": 1}
    f = ml.Findings.from_mapping(row, ignore=["case_id", "title"])
    assert f.to_dict(assessed_only=True) == {
        "sex": "M", "skin_lesion_type": "MPCM", "skin_lesion_count": 12, "bm_examined": True,
        "kit_d816v": True, "cd25": True, "cd2": False, "cd30": False, "bst_ng_ml": 32.5,
        "hat_extra_alpha_copies": 1}


def test_from_mapping_accepts_a_pandas_row():
    row = pd.DataFrame({"case_id": ["c1"], "bst_ng_ml": [32.0], "cd25": [None]}).iloc[0]
    f = ml.Findings.from_mapping(row, ignore=["case_id"])
    assert f.to_dict(assessed_only=True) == {"bst_ng_ml": 32.0}
    assert ml.diagnose(row.drop("case_id"), "who2022").findings == f


def test_from_mapping_keeps_the_literal_category_none():
    assert ml.Findings.from_mapping({"skin_lesion_type": "none"}).skin_lesion_type == "none"


FROM_MAPPING_ERRORS = [
    ({"case_id": "c1"}, "unknown findings field(s) ['case_id']"),
    ({"cd25": "maybe"}, "cd25='maybe'"),
    ({"bst_ng_ml": "high"}, "bst_ng_ml='high'"),
    ({"bst_ng_ml": "-4"}, "bst_ng_ml=-4.0"),
    ({"bst_ng_ml": True}, "bst_ng_ml=True"),
    ({"cd25": 2}, "cd25=2"),
    ({"skin_lesion_type": "plaque"}, "skin_lesion_type='plaque'"),
    ({"skin_lesion_count": "2.5"}, "skin_lesion_count=2.5"),
]


@pytest.mark.parametrize("row,fragment", FROM_MAPPING_ERRORS)
def test_from_mapping_errors_name_the_field_and_value(row, fragment):
    with pytest.raises(ValueError) as info:
        ml.Findings.from_mapping(row)
    assert in_voice(fragment) in str(info.value)


@ENGINE
@given(findings())
def test_round_trip_through_dict_and_csv_text(f):
    assert ml.Findings(**f.to_dict()) == f
    as_text = {k: ("" if v is None else str(v).lower() if isinstance(v, bool) else repr(v)
                   if isinstance(v, float) else str(v)) for k, v in f.to_dict().items()}
    assert ml.Findings.from_mapping(as_text) == f


@ENGINE
@given(findings_dicts())
def test_strategy_values_are_always_valid(values):
    f = ml.Findings(**values)
    for name, value in f.to_dict().items():
        spec = ml.Findings.field_spec(name)
        if value is not None and spec.kind == "float":
            assert math.isfinite(value)


# ------------------------------------------------------------------ whole tables

def test_frame_columns_reads_a_table_like_from_mapping():
    frame = pd.DataFrame({"bst_ng_ml": [20.0, None, "25"], "cd25": [True, None, "no"],
                          "sex": ["F", None, "m"], "case_id": ["a", "b", "c"]})
    columns, n = frame_columns(frame, ignore=["case_id"])
    assert n == 3
    assert columns["bst_ng_ml"][0] == 20.0 and math.isnan(columns["bst_ng_ml"][1])
    assert columns["bst_ng_ml"][2] == 25.0
    assert list(columns["cd25"][[0, 2]]) == [1.0, 0.0]
    assert list(columns["sex"][[0, 2]]) == [0.0, 1.0]


FRAME_ERRORS = [
    (pd.DataFrame({"bst": [1.0]}), "unknown findings column(s) ['bst']"),
    (pd.DataFrame({"bst_ng_ml": [1.0, -5.0]}, index=["p1", "p2"]), "row 'p2': bst_ng_ml=-5.0"),
    (pd.DataFrame({"atypical_mc_pct": [150.0]}), "row 0: atypical_mc_pct=150.0"),
    (pd.DataFrame({"bst_ng_ml": [float("inf")]}), "bst_ng_ml=inf"),
    (pd.DataFrame({"bst_ng_ml": [True]}), "bst_ng_ml=True"),
    (pd.DataFrame({"cd25": [0.5]}), "cd25=0.5"),
    (pd.DataFrame({"skin_lesion_count": [1.5]}), "skin_lesion_count=1.5"),
    (pd.DataFrame({"sex": ["X"]}), "sex='X'"),
    (pd.DataFrame({"sex": [1.0]}), "sex=1.0"),
    (pd.DataFrame({"bm_examined": [True, False], "bm_smear_mc_pct": [5.0, 5.0]}),
     "row 1: contradictory findings"),
]


@pytest.mark.parametrize("frame,fragment", FRAME_ERRORS)
def test_frame_errors_name_row_field_and_value(frame, fragment):
    with pytest.raises(ValueError) as info:
        frame_columns(frame)
    assert in_voice(fragment) in str(info.value)


def test_open_ended_values_have_plausibility_limits_from_the_data():
    # issue 17: tryptase, Hb, platelets, ANC, lymph node, osteolysis and lesion count get an
    # upper bound from data/field_limits.csv; with no source every bound is a labelled
    # "check the units" guard (no source_id), never a clinical cut-off typed in code
    rows = {r["field"]: r for r in ml.load_records("field_limits")}
    for name in ("bst_ng_ml", "hb_g_dl", "plt_1e9_l", "anc_1e9_l", "lymph_node_max_cm",
                 "osteolysis_cm", "skin_lesion_count"):
        spec = ml.Findings.field_spec(name)
        assert spec.high == rows[name]["high"], name
        assert (rows[name]["basis"] == "cited") == bool(rows[name]["source_id"]), name
        if rows[name]["basis"] == "check the units":
            assert "check the units" in spec.allowed
    assert all(s.high is not None for s in ml.Findings.field_specs()
               if s.kind in ("float", "int"))
