"""Criteria checker (mastolib/models/_checker.py): pure model, HTML view, one callback, every case."""

import random
from html import escape

import ipywidgets as w
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mastolib as ml
from mastolib.apps._checker import render_criteria
from mastolib.models._checker import (
    NOT_ASSESSED,
    control_options,
    control_values,
    findings_from_controls,
    parse_control,
    render_differences,
    render_panel,
    render_verdict,
)
from tests.strategies import FAST, findings

SPECS = {spec.name: spec for spec in ml.Findings.field_specs()}
CASE_IDS = ml.case_ids()


@pytest.fixture(scope="module")
def app():
    return ml.criteria_checker_app()


@pytest.fixture
def blank(app):
    app.load_case("")
    return app


# ---------------------------------------------------------------- controls from field specs


def test_one_control_per_field_plus_the_case_picker(app):
    assert set(app.controls) == set(SPECS) | {"case"}
    for name, spec in SPECS.items():
        control = app.controls[name]
        if spec.kind == "bool":
            assert isinstance(control, w.Dropdown)
            assert list(control.options) == ["not assessed", "yes", "no"]
        elif spec.kind == "choice":
            assert isinstance(control, w.Dropdown)
            assert list(control.options) == ["not assessed", *spec.choices]
        else:
            assert isinstance(control, w.Text), name


def test_every_control_has_a_visible_label_with_its_unit(app):
    for name, spec in SPECS.items():
        description = app.controls[name].description
        assert description.startswith(spec.label), name
        if spec.unit:
            assert spec.unit.lower() in description.lower(), name
    assert app.controls["case"].description == "Load a case:"


def test_controls_are_grouped_in_tabs_in_teaching_order(app):
    tabs = app._tabs
    titles = [t.split(" (")[0] for t in tabs.titles]
    assert titles == ["Skin", "Marrow", "Molecular", "Immunophenotype", "Tryptase", "Organs",
                      "Blood", "Patient", "Clinical"]
    placed = [c for box in tabs.children for c in box.children]
    assert len(placed) == len(SPECS) and set(map(id, placed)) == {
        id(app.controls[n]) for n in SPECS}
    # keyboard order: the case picker comes before the tabs, then the results
    children = list(app.widget.children)
    assert children.index(app.controls["case"]) < children.index(tabs)


# ---------------------------------------------------------------- the pure model


@pytest.mark.parametrize(("field", "raw", "expected"), [
    ("cd25", "yes", True), ("cd25", "no", False), ("cd25", "not assessed", None),
    ("skin_lesion_type", "none", "none"), ("skin_lesion_type", "not assessed", None),
    ("bst_ng_ml", "32.5", 32.5), ("bst_ng_ml", " 20 ", 20.0), ("bst_ng_ml", "12,5", 12.5),
    ("bst_ng_ml", "", None), ("hat_extra_alpha_copies", "2", 2),
    ("associated_neoplasm", "CMML", "CMML"), ("associated_neoplasm", "", None),
])
def test_parse_control(field, raw, expected):
    assert parse_control(SPECS[field], raw) == expected


@pytest.mark.parametrize(("field", "raw", "fragment"), [
    ("bst_ng_ml", "abc", "not a number"),
    ("bst_ng_ml", "nan", "not a finite number"),
    ("hat_extra_alpha_copies", "1.5", "whole number"),
    ("cd25", "maybe", "not one of"),
])
def test_parse_control_errors_speak_to_people(field, raw, fragment):
    with pytest.raises(ValueError, match=fragment) as info:
        parse_control(SPECS[field], raw)
    assert SPECS[field].label in str(info.value)


def test_every_bad_box_is_reported_at_once():
    with pytest.raises(ValueError) as info:
        findings_from_controls({"bst_ng_ml": "abc", "hb_g_dl": "low", "cd25": "yes"})
    assert "Basal serum tryptase" in str(info.value) and "Haemoglobin" in str(info.value)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_control_values_round_trip_every_case(case_id):
    f = ml.case_findings(case_id)
    assert findings_from_controls(control_values(f)) == f


@FAST
@given(findings())
def test_control_values_round_trip_any_findings(f):
    values = control_values(f)
    assert all(isinstance(v, str) for v in values.values())
    assert findings_from_controls(values) == f


# ---------------------------------------------------------------- the app


def test_blank_app_shows_a_result_and_no_message(blank):
    assert blank.message == "" and not blank.stale
    assert blank.result == ml.compare_schemes(ml.Findings())
    # issue 17: nothing assessed is "undecided" with its candidates, never a silent "none"
    assert ("WHO 2022: undecided (SM or MMAS) | ICC 2022: undecided (SM or MMAS)"
            in blank._verdict.value)


def test_setting_controls_updates_result_and_html(blank):
    app = blank
    app.controls["mc_aggregates_ge15"].value = "yes"
    # ICC: KIT and TK fusion not tested -> undecided (issue 17), shown in the panel
    assert app.result.icc.category == "undecided"
    assert "mastolib-undecided" in app._panels["icc2022"].value
    assert app.result.who.sm_criteria_met is None  # minor criteria not assessed yet
    for name in ("kit_d816v", "cd25", "cd2", "cd30", "kit_other_activating", "tk_fusion"):
        app.controls[name].value = "no"
    app.controls["atypical_mc_pct"].value = "10"
    app.controls["bst_ng_ml"].value = "12"
    expected = ml.compare_schemes(ml.Findings(
        mc_aggregates_ge15=True, kit_d816v=False, kit_other_activating=False, cd25=False,
        cd2=False, cd30=False, atypical_mc_pct=10, bst_ng_ml=12, tk_fusion=False))
    assert app.result == expected
    assert (app.result.who.category, app.result.icc.category) == ("none", "SM")
    verdict = app._verdict.value
    assert "WHO 2022: none" in verdict and "ICC 2022: SM / ISM" in verdict
    assert "disagree" in verdict
    table = app._criteria.value
    assert "data-scheme='who2022' data-id='major' data-status='met'" in table
    assert "data-scheme='icc2022' data-id='major' data-status='met'" in table
    assert "data-scheme='who2022' data-id='minor_tryptase' data-status='not met'" in table
    assert "● met" in table and "✕ not met" in table  # symbol and word, not colour only
    assert "value used: 12" in table
    # the rule that combines them differs, and the panels say what each scheme concluded
    assert "SM criteria: <span class='mastolib-status' data-status='not met'" in \
        app._panels["who2022"].value
    diffs = app._differences.value
    assert "Where WHO and ICC disagree" in diffs
    for d in app.result.differences:
        assert d.label in diffs


def test_b_and_c_findings_are_counted_and_the_path_highlighted(app):
    app.load_case("c24")
    html = app._panels["who2022"].value
    table = app._criteria.value
    dx = app.result.who
    assert dx.subtype == "ASM"
    assert f"{dx.n_c} of {len(dx.c_findings)} C-findings met" in table
    assert f"{dx.n_b} of {len(dx.b_findings)} B-findings met" in table
    assert f"C-findings met: <b>{dx.n_c}</b>" in html
    assert "data-id='subtype_asm' data-chosen='true'" in html
    assert "data-id='subtype_mcl' data-chosen='false'" in html
    assert "◀ chosen" in html
    for sentence in dx.explanation:
        assert escape(sentence) in html


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_loading_a_case_recomputes_once_and_matches_compare_schemes(app, case_id):
    before = app.n_updates
    app.controls["case"].value = case_id
    assert app.n_updates == before + 1, "loading a case must recompute exactly once"
    assert app.message == ""
    assert app.result == ml.compare_schemes(ml.case_findings(case_id))
    row = ml.load_table("cases").set_index("case_id").loc[case_id]
    assert app.result.who.category == row["expected_who_category"]
    assert row["title"] in app._case_info.value


def test_load_case_method_and_clearing(app):
    app.load_case("c08")
    assert app.controls["case"].value == "c08"
    assert app.controls["bst_ng_ml"].value != ""
    app.load_case("")
    assert all(app.controls[n].value in ("", NOT_ASSESSED) for n in SPECS)
    with pytest.raises(ValueError, match="unknown case"):
        app.load_case("c999")


def test_editing_after_loading_is_marked(app):
    app.load_case("c08")
    app.controls["cd30"].value = "yes"
    assert "edited since loading" in app._case_info.value


def test_invalid_number_shows_a_message_and_keeps_the_last_result_stale(app):
    app.load_case("c13")
    good = app.result
    app.controls["bst_ng_ml"].value = "abc"
    assert "not a number" in app.message and "Basal serum tryptase" in app.message
    assert app.stale and app.result is good
    assert "role='alert'" in app._message.value and "Traceback" not in app._message.value
    assert "Stale" in app._verdict.value
    assert "data-stale='true'" in app._panels["who2022"].value
    assert "data-stale='true'" in app._criteria.value
    assert "mastolib-invalid" in app.controls["bst_ng_ml"]._dom_classes
    app.controls["bst_ng_ml"].value = "250"
    assert app.message == "" and not app.stale
    assert "mastolib-invalid" not in app.controls["bst_ng_ml"]._dom_classes
    assert app.result == ml.compare_schemes(ml.case_findings("c13").replace(bst_ng_ml=250))


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"bst_ng_ml": "-5"}, "Basal serum tryptase (ng/mL) = -5"),  # one voice (issue 17)
    ({"bm_examined": "no", "bm_mc_infiltration_pct": "40"}, "contradictory findings"),
    ({"associated_neoplasm": "CMML"}, "lineage"),
])
def test_out_of_range_and_contradictions_are_messages_not_tracebacks(blank, changes, fragment):
    app = blank
    for name, value in changes.items():
        app.controls[name].value = value
    assert fragment in app.message
    assert "(None = " not in app.message  # engine wording translated for the app


def test_render_functions_are_pure_html():
    comparison = ml.compare_schemes(ml.case_findings("c18"))
    panel = render_panel(comparison.icc)
    assert panel.startswith("<div class='mastolib-panel' data-scheme='icc2022'")
    assert render_panel(comparison.icc, stale=True).count("opacity:0.45") == 1
    assert "WHO 2022: none | ICC 2022: SM / ISM (BMM variant)" in render_verdict(comparison)
    table = render_criteria(comparison)
    # B1 is not met under either scheme once KIT D816V tested negative (engine fix), so it
    # must not be flagged as a difference; the TK-fusion exclusion now applies in both
    # schemes (WHO by a flagged parameter, issue 17) and the fusion test was negative.
    assert "data-id='B1' data-differs='false'" in table
    assert "data-id='tk_fusion_exclusion' data-differs='false'" in table
    assert "data-id='major' data-differs='false'" in table
    assert render_criteria(comparison, stale=True).count("opacity:0.45") == 1
    assert "sm_criteria" in render_differences(comparison)
    same = ml.compare_schemes(ml.case_findings("c08"))
    assert "No item differs" in render_differences(same) or same.differences


def test_app_has_no_figure_widget_and_displays(app):
    assert app.figure is None
    bundle = app._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in data


def _random_value(control, rng):
    if isinstance(control, w.Dropdown):
        return rng.choice([o[1] if isinstance(o, tuple) else o for o in control.options])
    return rng.choice(["", "abc", "-5", "0", "1", "2.5", "10", "20", "20.1", "30", "125",
                       "250", "1e9", "nan", "CMML", " 7 "])


@FAST
@given(st.lists(st.tuples(st.sampled_from(sorted(SPECS) + ["case"]), st.integers(0, 10**6)),
                min_size=1, max_size=12))
def test_random_control_settings_never_raise(app, changes):
    app.load_case("")
    for name, seed in changes:
        control = app.controls[name]
        control.value = _random_value(control, random.Random(seed))
        if app.message:
            assert app.result is None or app.stale
        else:
            assert app.result == ml.compare_schemes(findings_from_controls(app.values()))


def test_options_helper_matches_controls(app):
    for name, spec in SPECS.items():
        if spec.kind in ("bool", "choice"):
            assert list(app.controls[name].options) == control_options(spec)
