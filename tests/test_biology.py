"""Mast cell biology: cited tables, degranulation model and the documented kinetics model."""

import doctest
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mastolib as ml
from mastolib.models import _biology as bio
from mastolib.models._biology import (
    KineticsModel,
    kinetics_model,
    life_cycle_stages,
    life_cycle_step,
    mast_cell_roles,
    sample_at,
    sampling_rules,
)
from mastolib.models._biology import degranulation as degranulation_

# --------------------------------------------------------------------------------------------
# Kinetics: the model reproduces every documented statement (fact sheet 1.1, mediator_kinetics)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reading", ["main", "slow"])
def test_every_documented_kinetics_statement_is_reproduced(reading):
    checks = bio.kinetics_checks(reading)
    assert len(checks) == 6
    failed = [c for c in checks if not c.ok]
    assert not failed, failed


@pytest.mark.parametrize(
    ("mediator", "reading", "peak_low", "peak_high", "back_low", "back_high"),
    [
        # fact sheet 1.1: tryptase peaks 30-120 min, back near baseline within ~6-8 h
        ("tryptase", "main", 30, 120, 6 * 60, 8 * 60),
        # fact sheet 1.1: histamine rises within ~5-10 min, back within ~15-30 min
        ("histamine", "main", 5, 10, 15, 30),
        # fact sheet 1.1: "some sources 30-60 min"
        ("histamine", "slow", 5, 10, 30, 60),
    ],
)
def test_peak_and_return_times_fall_in_the_documented_ranges(mediator, reading, peak_low,
                                                             peak_high, back_low, back_high):
    model = kinetics_model(mediator, reading)
    assert peak_low <= model.peak_min <= peak_high
    assert back_low <= model.time_back_near_baseline() <= back_high
    assert model.fraction(model.peak_min) == pytest.approx(1.0)


def test_tryptase_model_parameters_match_the_fact_sheet():
    model = kinetics_model("tryptase")
    assert model.peak_min == pytest.approx(60.0)  # geometric middle of 30-120 min
    assert model.half_life_min == pytest.approx(120.0)  # half-life ~2 h
    # one half-life after the peak half of the rise is left
    assert model.fraction(60 + 120) == pytest.approx(0.5)
    assert model.time_back_near_baseline() / 60 == pytest.approx(1 + 2 * math.log2(10))


def test_baseline_sample_after_24_h_finds_the_rise_gone():
    tryptase = kinetics_model("tryptase")
    assert tryptase.fraction(24 * 60) < 0.001
    assert sample_at(24 * 60).window_id == "baseline"


def test_level_uses_illustrative_amplitudes():
    model = kinetics_model("tryptase")
    assert model.level(0, baseline=5, peak_rise=10) == 5
    assert model.level(60, baseline=5, peak_rise=10) == pytest.approx(15)
    assert model.level(180, baseline=5, peak_rise=10) == pytest.approx(10)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "60"])
def test_kinetics_model_rejects_bad_parameters(bad):
    with pytest.raises(ValueError, match="must be a finite number > 0"):
        KineticsModel("x", "X", peak_min=bad, half_life_min=10)


def test_kinetics_model_rejects_unknown_mediator_and_reading():
    with pytest.raises(ValueError, match=r"unknown mediator_id 'pgd2'; valid ids: \['histamine'"):
        kinetics_model("pgd2")
    with pytest.raises(ValueError, match=r"unknown reading 'fast'"):
        kinetics_model("histamine", "fast")


@given(t=st.floats(min_value=-10, max_value=1e5, allow_nan=False),
       reading=st.sampled_from(["main", "slow"]), mediator=st.sampled_from(["histamine",
                                                                             "tryptase"]))
def test_fraction_is_between_0_and_1(t, reading, mediator):
    assert 0.0 <= kinetics_model(mediator, reading).fraction(t) <= 1.0


@given(a=st.floats(min_value=0, max_value=1), b=st.floats(min_value=0, max_value=1),
       mediator=st.sampled_from(["histamine", "tryptase"]))
def test_curve_rises_to_the_peak(a, b, mediator):
    model = kinetics_model(mediator)
    early, late = sorted((a * model.peak_min, b * model.peak_min))
    assert model.fraction(early) <= model.fraction(late)


@given(a=st.floats(min_value=0, max_value=3000), b=st.floats(min_value=0, max_value=3000),
       mediator=st.sampled_from(["histamine", "tryptase"]))
def test_curve_falls_after_the_peak(a, b, mediator):
    model = kinetics_model(mediator)
    early, late = sorted((model.peak_min + a, model.peak_min + b))
    assert model.fraction(early) >= model.fraction(late)


# Sampling windows: fact sheet 1.1 (best acute sample 1-2 h; NICE no later than 4 h;
# baseline >= 24 h after full recovery).
@pytest.mark.parametrize(
    ("minutes", "window"),
    [(2, "too_early"), (30, "too_early"), (59, "too_early"), (60, "best_acute"),
     (90, "best_acute"), (120, "best_acute"), (121, "acceptable_acute"),
     (240, "acceptable_acute"), (241, "too_late"), (720, "too_late"), (1439, "too_late"),
     (1440, "baseline"), (2880, "baseline")],
)
def test_sampling_window_table(minutes, window):
    assert sample_at(minutes).window_id == window


def test_sample_reading_matches_the_models():
    sample = sample_at(90)
    assert sample.tryptase_pct == pytest.approx(100 * 2 ** (-30 / 120))
    assert sample.histamine_pct < 1
    assert "already back near baseline" in sample.advice
    assert sample.label == "1.5 h"


@pytest.mark.parametrize("bad", [-1, float("nan"), "90", None])
def test_sample_at_rejects_bad_times(bad):
    with pytest.raises(ValueError, match="sampling time must be a number of minutes >= 0"):
        sample_at(bad)


def test_sampling_rules_come_from_the_table():
    assert sampling_rules() == {"best": (60.0, 120.0), "latest": 240.0, "baseline": 1440.0}


def test_kinetics_checks_table_reports_every_check():
    text = ml.kinetics_checks_table().data
    lines = text.splitlines()
    assert len(lines) == 2 + 6
    assert all(line.split(" | ")[3] == "yes" for line in lines[2:])


# --------------------------------------------------------------------------------------------
# Degranulation
# --------------------------------------------------------------------------------------------

TRIGGER_IDS = [t["trigger_id"] for t in bio.degranulation_triggers()]


def test_friction_reaches_only_the_skin():
    # fact sheet 5: Darier's sign is a local wheal after stroking a lesion
    result = degranulation_("friction")
    assert {e.organ_id for e in result.reached} == {"skin"}
    assert list(result.symptoms_by_organ) == ["Skin"]
    assert "itch" in result.symptoms_by_organ["Skin"]


def test_systemic_trigger_reaches_every_organ_system():
    result = degranulation_("insect_sting")
    assert all(e.reached for e in result.effects)
    assert "fall in blood pressure" in result.symptoms_by_organ["Heart and vessels"]


def test_views_split_preformed_and_newly_made_mediators():
    preformed = {e.mediator_id for e in degranulation_("ige_allergen", "preformed").effects}
    newly = {e.mediator_id for e in degranulation_("ige_allergen", "newly_made").effects}
    assert preformed == {"histamine", "tryptase", "heparin", "chymase", "cytokines"}
    assert newly == {"pgd2", "leukotrienes", "paf", "cytokines"}
    everything = {e.mediator_id for e in degranulation_("ige_allergen").effects}
    assert everything == preformed | newly


def test_unknown_trigger_and_view_list_valid_ids():
    with pytest.raises(ValueError, match=r"unknown trigger_id 'pollen'; valid ids: \['ige_allergen'"):
        degranulation_("pollen")
    with pytest.raises(ValueError, match=r"unknown view 'late'"):
        degranulation_("friction", "late")


@given(trigger=st.sampled_from(TRIGGER_IDS), view=st.sampled_from(list(bio.MEDIATOR_VIEWS)))
def test_degranulation_never_raises_and_symptoms_come_from_reached_organs(trigger, view):
    result = degranulation_(trigger, view)
    reached_organs = {e.organ for e in result.reached}
    assert set(result.symptoms_by_organ) <= reached_organs
    for effect in result.effects:
        assert view == "all" or effect.timing in (view, "both")


def test_degranulation_frame_has_one_row_per_effect():
    result = degranulation_("alcohol")
    assert len(result.to_frame()) == len(result.effects)


# --------------------------------------------------------------------------------------------
# Life cycle, body map, roles
# --------------------------------------------------------------------------------------------


def test_life_cycle_goes_from_marrow_to_degranulation():
    stages = life_cycle_stages()
    assert [s.order for s in stages] == [1, 2, 3, 4, 5]
    assert stages[0].where == "Bone marrow"
    assert stages[-1].stage_id == "activated"


def test_life_cycle_step_adds_the_disease_note_on_request():
    plain = life_cycle_step("blood")
    disease = life_cycle_step("blood", show_disease=True)
    assert plain.index == 1 and plain.stage.stage_id == "blood"
    assert "In mastocytosis" not in plain.text
    assert "85 %" in disease.text  # fact sheet 2: KIT D816V in blood, children with SM


def test_life_cycle_step_rejects_unknown_stage():
    with pytest.raises(ValueError, match=r"unknown stage_id 'thymus'"):
        life_cycle_step("thymus")


def test_body_map_filters_by_site_kind():
    interface = {r["tissue_id"] for r in ml.body_map_sites("interface")}
    systemic = {r["tissue_id"] for r in ml.body_map_sites("systemic")}
    assert interface == {"skin", "airways", "gut"}
    assert systemic == {"skin", "gut", "bone_marrow", "liver", "spleen", "lymph_nodes", "bone"}
    assert len(ml.body_map_sites()) == 8
    with pytest.raises(ValueError, match="unknown kind"):
        ml.body_map_sites("brain")


def test_roles_table_shows_confidence_and_sources():
    rows = mast_cell_roles()
    text = ml.roles_table().data
    assert text.splitlines()[0] == ("| Role | What mast cells do | Confidence | Why flagged | "
                                    "Source |")
    assert len(text.splitlines()) == 2 + len(rows)
    assert "unconfirmed" in text and "`clevelandclinic_mastocytosis_page`" in text


# --------------------------------------------------------------------------------------------
# Table integrity
# --------------------------------------------------------------------------------------------


def test_every_effect_points_at_a_known_mediator_and_every_mediator_acts_somewhere():
    mediators = {m["mediator_id"] for m in ml.load_records("mediators")}
    used = {e["mediator_id"] for e in ml.load_records("mediator_effects")}
    assert used == mediators


def test_trigger_organs_are_known_organ_systems():
    for trigger in bio.degranulation_triggers():
        organs = set(trigger["organs"].split(";"))
        assert organs <= set(bio.ORGAN_SYSTEMS), trigger["trigger_id"]
        assert (trigger["reach"] == "local") == (organs == {"skin"})


@pytest.mark.parametrize("table", ["life_cycle", "tissues", "mc_roles", "triggers",
                                   "kit_variants"])
def test_rows_not_confirmed_say_why(table):
    for row in ml.load_records(table):
        if row["confidence"] != "confirmed":
            assert row["note"], f"{table}: {row} is {row['confidence']} without a note"


def test_kinetics_table_units_and_ranges_are_ordered():
    for row in ml.load_records("kinetics"):
        assert row["high"] is None or row["low"] <= row["high"], row["kinetic_id"]


def test_docstring_examples():
    for module in (bio,):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0
        assert result.attempted > 0
