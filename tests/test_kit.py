"""KIT domain map, the KIT switch, the clonal-expansion teaching model, frequencies and HaT."""

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mastolib as ml
from mastolib.models import _kit as kit
from mastolib.models._kit import (
    ClonalParams,
    clonal_state,
    clonal_trajectory,
    kit_domains,
    kit_map,
    kit_signalling,
)
from mastolib.models._kit import kit_variants as kit_variants_

# --------------------------------------------------------------------------------------------
# Domains and variants (fact sheet 2)
# --------------------------------------------------------------------------------------------


def test_domains_run_from_n_to_c_terminus():
    ids = [d["domain_id"] for d in kit_domains()]
    assert ids == ["ig_d1_d3", "ig_d4", "ig_d5", "tm", "jm", "tk1", "kinase_insert", "tk2"]


def test_only_the_confirmed_exon_mappings_are_marked_confirmed():
    # fact sheet 12, item 10: only exons 8/9 (D5), 11 (JM) and 17 (activation loop) are confirmed
    confirmed = {d["domain_id"]: d["exons"] for d in kit_domains()
                 if d["exon_confidence"] == "confirmed"}
    assert confirmed == {"ig_d5": "8-9", "jm": "11", "tk2": "17"}
    assert set(kit_map().unconfirmed_exons) == {
        "Ig-like domains D1-D3", "Ig-like domain D4", "Transmembrane segment",
        "Kinase domain 1 (ATP-binding lobe)", "Kinase insert"}


def test_d816v_sits_in_exon_17_of_the_activation_loop_domain():
    d816v = next(v for v in kit_variants_() if v["variant_id"] == "d816v")
    assert (d816v["codon"], d816v["exon"], d816v["domain_id"], d816v["population"]) == (
        816, "17", "tk2", "both")


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        ("children", ["Codon 419 deletion", "A502_Y503dup", "D816V"]),
        ("adults", ["F522C", "K509I", "V560G", "D815K", "D816H/Y/F/I/N/T/A", "D816V"]),
    ],
)
def test_variants_by_population(population, expected):
    assert [v["label"] for v in kit_variants_(population)] == expected


def test_every_variant_points_at_a_known_domain():
    domains = {d["domain_id"] for d in kit_domains()}
    assert {v["domain_id"] for v in kit_variants_()} <= domains
    assert len(kit_variants_()) == len(ml.load_records("kit_variants"))


def test_unknown_population_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown population 'teens'"):
        kit_variants_("teens")


# --------------------------------------------------------------------------------------------
# The KIT switch
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "scf", "imatinib", "dimerised", "kinase_on", "ligand_independent"),
    [
        # fact sheet 1 (S35): SCF binding dimerises KIT and switches on its kinase
        ("normal", False, False, False, False, False),
        ("normal", True, False, True, True, False),
        # imatinib is a KIT inhibitor (fact sheet 8)
        ("normal", True, True, True, False, False),
        ("normal", False, True, False, False, False),
        # WHO 2022 minor criterion: activating = ligand-independent (fact sheet 3.1)
        ("d816v", False, False, False, True, True),
        ("d816v", True, False, True, True, False),
        # D816V confers imatinib resistance (fact sheet 2, S35)
        ("d816v", False, True, False, True, True),
        ("d816v", True, True, True, True, False),
    ],
)
def test_kit_switch_truth_table(variant, scf, imatinib, dimerised, kinase_on,
                                ligand_independent):
    state = kit_signalling(variant, scf, imatinib)
    assert (state.dimerised, state.kinase_on, state.ligand_independent) == (
        dimerised, kinase_on, ligand_independent)
    assert state.growth_signal is kinase_on
    assert state.explanation


def test_kit_switch_rejects_unknown_variant():
    with pytest.raises(ValueError, match=r"unknown variant 'v560g'; valid ids: \['normal', 'd816v'\]"):
        kit_signalling("v560g")


# --------------------------------------------------------------------------------------------
# Clonal-expansion teaching model
# --------------------------------------------------------------------------------------------

PARAMS = ClonalParams(advantage_per_year=0.5, ceiling_x_normal=20, start_fraction=0.001,
                         healthy_bst_ng_ml=3.8)


def test_model_starts_from_a_healthy_person():
    start = clonal_state(PARAMS, 0)
    assert start.mutant_x == pytest.approx(0.001)
    assert start.burden_x == pytest.approx(1.001)
    assert start.bst_ng_ml == pytest.approx(3.8 * 1.001)
    assert start.vaf_pct == pytest.approx(50 * 0.001 / 1.001)


def test_default_healthy_tryptase_is_the_cited_geometric_mean():
    # fact sheet 4.1 (phadia_faq): geometric mean 3.8 ng/mL in healthy people
    assert ClonalParams().bst_healthy == pytest.approx(3.8)
    assert kit.tryptase_anchors()["healthy_geomean"]["source_id"] == "phadia_faq"


def test_closed_form_matches_the_logistic_equation():
    """Euler integration of dM/dt = a M (1 - M/K) lands on the closed form."""
    a, k, m = PARAMS.advantage_per_year, PARAMS.ceiling_x_normal, PARAMS.start_fraction
    dt, years = 0.001, 25
    for _ in range(int(years / dt)):
        m += dt * a * m * (1 - m / k)
    assert clonal_state(PARAMS, years).mutant_x == pytest.approx(m, rel=1e-2)


def test_clone_approaches_its_ceiling_and_vaf_approaches_half():
    late = clonal_state(PARAMS, 200)
    assert late.mutant_x == pytest.approx(20, rel=1e-6)
    assert late.burden_x == pytest.approx(21, rel=1e-6)
    assert late.vaf_pct == pytest.approx(50 * 20 / 21, rel=1e-6)


def test_no_advantage_means_no_expansion_and_a_disadvantage_shrinks_the_clone():
    flat = ClonalParams(advantage_per_year=0.0, healthy_bst_ng_ml=3.8)
    assert clonal_state(flat, 40).mutant_x == pytest.approx(flat.start_fraction)
    shrinking = ClonalParams(advantage_per_year=-1.0, healthy_bst_ng_ml=3.8)
    assert clonal_state(shrinking, 10).mutant_x < shrinking.start_fraction
    assert clonal_state(shrinking, 1e6).mutant_x == 0.0


@given(a=st.floats(min_value=0.01, max_value=5), k=st.floats(min_value=1.01, max_value=1000),
       t1=st.floats(min_value=0, max_value=100), t2=st.floats(min_value=0, max_value=100))
def test_with_an_advantage_burden_vaf_and_tryptase_never_fall(a, k, t1, t2):
    params = ClonalParams(advantage_per_year=a, ceiling_x_normal=k, healthy_bst_ng_ml=3.8)
    early, late = (clonal_state(params, t) for t in sorted((t1, t2)))
    assert early.burden_x <= late.burden_x + 1e-12
    assert early.vaf_pct <= late.vaf_pct + 1e-9
    assert early.bst_ng_ml <= late.bst_ng_ml + 1e-9
    assert 0 <= late.vaf_pct < 50
    assert late.bst_ng_ml >= 3.8
    assert late.mutant_x <= k * (1 + 1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"advantage_per_year": 9}, "advantage_per_year must be a number from -2 to 5"),
        ({"advantage_per_year": float("nan")}, "advantage_per_year must be a number"),
        ({"ceiling_x_normal": 0.5}, "ceiling_x_normal must be a number from 1 to 1000"),
        ({"start_fraction": 0}, "start_fraction must be a number"),
        ({"start_fraction": 5, "ceiling_x_normal": 2}, "cannot start"),
        ({"healthy_bst_ng_ml": -1}, "healthy_bst_ng_ml must be a number > 0"),
    ],
)
def test_clonal_params_are_validated(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ClonalParams(**kwargs)


def test_trajectory_reads_the_chosen_year_and_finds_the_first_crossing():
    traj = clonal_trajectory(PARAMS, year=20, years_max=40, steps=160)
    assert len(traj.points) == 161
    assert traj.at == clonal_state(PARAMS, 20)
    first = traj.first_year_above(20)
    assert first is not None
    assert clonal_state(PARAMS, first).bst_ng_ml > 20
    assert clonal_state(PARAMS, first - 0.25).bst_ng_ml <= 20
    assert traj.first_year_above(10_000) is None


@pytest.mark.parametrize(("year", "years_max", "steps"), [(-1, 40, 10), (41, 40, 10),
                                                          (1, 0, 10), (1, 40, 1)])
def test_trajectory_rejects_bad_ranges(year, years_max, steps):
    with pytest.raises(ValueError):
        clonal_trajectory(PARAMS, year=year, years_max=years_max, steps=steps)


def test_tryptase_anchors_agree_with_the_engine_thresholds():
    anchors = kit.tryptase_anchors()
    assert anchors["sm_minor"]["value"] == 20 and anchors["sm_minor"]["operator"] == ">"
    assert anchors["b1_who"]["value"] == 200 and anchors["b1_who"]["operator"] == ">="
    thresholds = {r["threshold_id"]: r for r in ml.load_records("thresholds")}
    for anchor_id, threshold_id in (("sm_minor", "minor_tryptase"),
                                    ("b1_who", "b1_tryptase_who")):
        assert threshold_id in thresholds, f"thresholds.csv lost {threshold_id}"
        assert thresholds[threshold_id]["value"] == anchors[anchor_id]["value"]
        assert thresholds[threshold_id]["operator"] == anchors[anchor_id]["operator"]


# --------------------------------------------------------------------------------------------
# Frequencies and HaT (fact sheet 2, 4.2, 7)
# --------------------------------------------------------------------------------------------


def test_frequency_groups_and_derived_percentages():
    adults = ml.kit_frequency("adults")
    children = ml.kit_frequency("children")
    assert {r["group"] for r in adults} == {"adults"}
    assert len(adults) + len(children) == len(ml.kit_frequency())
    for row in ml.kit_frequency():
        if row["count"] is not None and row["n"] is not None:
            assert row["percent"] == pytest.approx(100 * row["count"] / row["n"], abs=0.05)


def test_key_frequencies_match_the_fact_sheet():
    rows = {r["frequency_id"]: r for r in ml.kit_frequency()}
    assert (rows["adult_sm_816"]["qualifier"], rows["adult_sm_816"]["percent"]) == (">", 90)
    assert rows["peds_skin_816"]["percent"] == 42 and rows["peds_skin_816"]["n"] == 50
    assert rows["peds_pb_skin_only"]["percent"] == 0


def test_hat_is_commoner_in_mastocytosis():
    facts = ml.hat_facts()
    assert facts["prevalence_mastocytosis"]["low"] == pytest.approx(17.2)
    assert facts["prevalence_general"]["low"] == 4 and facts["prevalence_general"]["high"] == 6
    assert facts["prevalence_mastocytosis"]["low"] > facts["prevalence_general"]["high"]


def test_docstring_examples():
    result = doctest.testmod(kit, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_model_functions_do_not_need_plotly():
    import subprocess
    import sys

    code = ("import sys; from mastolib.models._kit import ClonalParams, clonal_trajectory, "
            "kit_signalling; from mastolib.models._biology import degranulation, sample_at; "
            "clonal_trajectory(ClonalParams()); "
            "kit_signalling('d816v'); sample_at(60); degranulation('friction'); "
            "assert 'plotly' not in sys.modules, 'plotly was imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("population", ["all", "adults", "children"])
def test_kit_map_neighbouring_heads_are_staggered(population):
    """Two heads in one lane closer than a label's width never sit at the same height, also
    across two domains (F522C in TM beside K509I in JM once touched)."""
    from mastolib.figures._kit import _MIN_GAP, kit_map_figure

    fig = kit_map_figure(kit.kit_map(population))
    for trace in fig.data:
        if trace.name not in ("Reported in adults", "Reported in children"):
            continue
        heads = sorted(zip(trace.x, trace.y, trace.text, strict=True))
        for (x0, y0, a), (x1, y1, b) in zip(heads, heads[1:], strict=False):
            if x1 - x0 < _MIN_GAP:
                assert y0 != y1, f"{a} and {b} share a height in {trace.name}"
