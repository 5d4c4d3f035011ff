"""The tryptase lab (mastolib/models/_tryptase_lab.py): models, worked examples, figures and apps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mastolib as ml
from mastolib.figures._tryptase_lab import hat_figure, rise_figure
from mastolib.models._tryptase_lab import parse_tryptase, rise_summary, timing_sample

FAST = settings(max_examples=80, deadline=None)


# ------------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("text, value", [("32", 32.0), (" 32.5 ", 32.5), ("32,5", 32.5),
                                         ("0", 0.0), (12, 12.0), ("1e2", 100.0)])
def test_parse_accepts_numbers(text, value):
    assert parse_tryptase(text) == (value, "")


@pytest.mark.parametrize("text, words", [
    ("abc", "is not a number"), ("", "box is empty"), ("-3", "negative"),
    ("nan", "finite"), ("inf", "finite"), ("1e9", "above 5000"), (True, "expected a number"),
    (None, "expected a number")])
def test_parse_explains_bad_input(text, words):
    value, message = parse_tryptase(text)
    assert value is None and words in message


def test_zero_baseline_is_refused_where_it_divides():
    assert parse_tryptase("0", "Baseline", allow_zero=False)[1].startswith(
        "Baseline: 0 ng/mL cannot be used")


# --------------------------------------------------------------------- HαT (fact sheet 6.5)


def test_worked_examples_h1_to_h6_agree_with_the_fact_sheet():
    frame = ml.hat_examples_frame()
    assert list(frame["example"]) == ["H1", "H2", "H3", "H4", "H5", "H6"]
    assert frame["agrees"].all(), frame[~frame["agrees"]]


def test_h5_adjustment_removes_the_b1_arm_and_flags_bmm():
    a = ml.hat_assessment(250, 2)  # H5: 250 / 3 = 83.3
    b1 = a.check("b1_tryptase_who")
    assert b1.met_measured and not b1.met_adjusted and b1.changes
    bmm = a.check("bmm_tryptase")
    assert not bmm.met_measured and bmm.met_adjusted and bmm.adjustment == "unconfirmed"
    assert a.position == "above"
    assert any("125" in note for note in a.notes)


def test_h1_minor_changes_with_adjustment_and_sits_within_the_genotype_range():
    a = ml.hat_assessment(32, 1)
    minor = a.check("minor_tryptase")
    assert minor.met_measured and not minor.met_adjusted
    assert a.position == "within" and a.minor_cutoff_measured_ng_ml == 40
    assert "changes the verdict" in a.explanation


def test_reference_frame_has_the_published_medians():
    frame = ml.hat_reference_frame()
    assert list(frame["median BST (ng/mL)"]) == [4.1, 13.6, 22.5, 27.3, 37.0]
    assert list(frame["measured BST needed for > 20 adjusted"]) == [
        "> 20", "> 40", "> 60", "> 80", "> 100"]


@FAST
@given(st.floats(0, 5000, allow_nan=False), st.integers(0, 4))
def test_adjusted_never_exceeds_measured(bst, n):
    a = ml.hat_assessment(bst, n)
    assert a.adjusted_ng_ml <= a.bst_ng_ml + 1e-12
    assert a.position in ("below", "within", "above")


# ----------------------------------------------------------------- rise rules (T1-T6)


def test_worked_examples_t1_to_t6_agree_with_the_fact_sheet():
    frame = ml.rise_examples_frame()
    assert list(frame["example"]) == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert frame["agrees with fact sheet"].all(), frame


@pytest.mark.parametrize("baseline, acute, agreement", [
    (5, 9, "both"), (20, 25, "neither"), (40, 52, "20+2"), (2, 4, "nih")])
def test_agreement_categories(baseline, acute, agreement):
    c = ml.rise_comparison(baseline, acute)
    assert c.agreement == agreement
    assert ("disagree" in c.why) == (agreement in ("20+2", "nih"))


def test_lines_cross_near_4_ng_ml():
    from mastolib.models._tryptase_lab import rise_constants

    c = rise_constants()
    x = c["crossing_ng_ml"]
    assert x == pytest.approx(2 / (1.685 - 1.2)) and 4.0 < x < 4.2
    assert c["factor"] * x + c["offset"] == pytest.approx(c["ratio"] * x)


def test_boundary_switch_changes_t2_only_for_20plus2():
    strict, incl = ml.rise_comparison(5, 8, False), ml.rise_comparison(5, 8, True)
    assert not strict.rule_20plus2.significant and incl.rule_20plus2.significant
    assert "'≥'" in incl.verdict and "'>'" in strict.verdict


@FAST
@given(st.floats(0.01, 500, allow_nan=False), st.floats(0, 2000, allow_nan=False))
def test_regions_match_the_verdict(baseline, acute):
    """The point lies in the region the rules report (away from the lines themselves)."""
    from mastolib.models._tryptase_lab import rise_constants

    c = rise_constants()
    y20, ynih = c["factor"] * baseline + c["offset"], c["ratio"] * baseline
    if min(abs(acute - y20), abs(acute - ynih)) < 1e-6:
        return
    comp = ml.rise_comparison(baseline, acute)
    expected = {(True, True): "both", (True, False): "20+2", (False, True): "nih",
                (False, False): "neither"}[(acute > y20, acute > ynih)]
    assert comp.agreement == expected


# ------------------------------------------------------------------------------ figures


def test_rise_figure_regions_and_point():
    fig = rise_figure(ml.rise_comparison(40, 52))
    names = [t.name for t in fig.data]
    for region in ("Region: both positive", "Region: only 20 % + 2", "Region: only NIH ratio",
                   "Region: neither"):
        assert region in names
    point = next(t for t in fig.data if t.name == "This patient")
    assert list(point.x) == [40] and list(point.y) == [52]
    assert point.marker.symbol == "triangle-up"
    assert fig.layout.xaxis.range[1] >= 50
    assert "only 20 % + 2 positive" in rise_summary(ml.rise_comparison(40, 52))


def test_hat_figure_marks_measured_and_adjusted():
    fig = hat_figure(ml.hat_assessment(45, 1))
    traces = {t.name: t for t in fig.data}
    assert list(traces["Measured"].y) == [45] and list(traces["HαT-adjusted"].y) == [22.5]
    assert list(traces["Measured BST needed for the WHO minor (20 × (1 + n))"].y) == [
        20, 40, 60, 80, 100]


def test_ruler_and_conditions():
    fig = ml.tryptase_ruler_figure()
    assert fig.layout.xaxis.type == "log"
    frame = ml.tryptase_conditions_frame()
    assert "Kidney failure" in set(frame["condition"])
    assert "11.4" in ml.tryptase_ruler_summary()


def test_timing_sample_reuses_the_kinetics_model():
    from mastolib.models._biology import kinetics_model

    model = kinetics_model("tryptase")
    s = timing_sample(1.0, 5.0, 15.0)
    assert s.sampled_ng_ml == pytest.approx(model.level(60, 5.0, 10.0))
    late = timing_sample(8.0, 5.0, 15.0)
    assert s.rule_20plus2.significant and not late.rule_20plus2.significant
    with pytest.raises(ValueError, match="peak cannot be below"):
        timing_sample(1, 10, 5)


# ---------------------------------------------------------------------------------- apps


@pytest.fixture(scope="module")
def hat_app():
    return ml.hat_explorer_app()


@pytest.fixture(scope="module")
def rise_app():
    return ml.tryptase_rise_app()


@pytest.fixture(scope="module")
def timing_app():
    return ml.tryptase_timing_app()


def trace(app, name):
    return next(t for t in app.figure.data if t.name == name)


@pytest.mark.parametrize("fixture", ["hat_app", "rise_app", "timing_app"])
def test_apps_expose_the_documented_attributes(fixture, request):
    app = request.getfixturevalue(fixture)
    for attr in ("widget", "controls", "figure", "result", "message"):
        assert hasattr(app, attr)
    for control in app.controls.values():
        assert control.description


def test_hat_app_updates_result_and_figure(hat_app):
    hat_app.controls["copies"].value = 2
    hat_app.controls["bst"].value = "62"
    assert hat_app.result.adjusted_ng_ml == pytest.approx(62 / 3)
    assert list(trace(hat_app, "HαT-adjusted").y) == [pytest.approx(62 / 3)]
    assert "✓ yes" in hat_app._table.value and "BST ≥ 200 ng/mL" in hat_app._table.value
    assert hat_app.message == ""


@pytest.mark.parametrize("bad, words", [("-4", "negative"), ("abc", "not a number"),
                                        ("", "empty")])
def test_hat_app_invalid_input_is_a_message(hat_app, bad, words):
    hat_app.controls["bst"].value = bad
    assert hat_app.result is None and words in hat_app.message
    assert len(trace(hat_app, "Measured").x) == 0
    hat_app.controls["bst"].value = "32"
    assert hat_app.message == "" and hat_app.result is not None


def test_rise_app_verdict_follows_the_boxes(rise_app):
    rise_app.controls["baseline"].value = "40"
    rise_app.controls["acute"].value = "52"
    assert rise_app.result.agreement == "20+2"
    assert "disagree" in rise_app._verdict.value
    point = trace(rise_app, "This patient")
    assert list(point.x) == [40] and list(point.y) == [52]
    rise_app.controls["baseline"].value = "5"
    rise_app.controls["acute"].value = "8"
    assert not rise_app.result.rule_20plus2.significant
    rise_app.controls["inclusive"].value = True
    assert rise_app.result.rule_20plus2.significant
    rise_app.controls["inclusive"].value = False


@pytest.mark.parametrize("field, bad, words", [("baseline", "0", "must be above 0"),
                                               ("baseline", "-1", "negative"),
                                               ("acute", "lots", "not a number")])
def test_rise_app_invalid_input_is_a_message(rise_app, field, bad, words):
    old = rise_app.controls[field].value
    rise_app.controls[field].value = bad
    assert rise_app.result is None and words in rise_app.message
    assert "No verdict" in rise_app._verdict.value
    rise_app.controls[field].value = old
    assert rise_app.message == ""


def test_timing_app_slider_moves_the_sample(timing_app):
    timing_app.controls["baseline"].value = "5"
    timing_app.controls["peak"].value = "15"
    timing_app.controls["hours"].value = 1.0
    assert timing_app.result.rule_20plus2.significant
    timing_app.controls["hours"].value = 8.0
    assert not timing_app.result.rule_20plus2.significant
    assert list(trace(timing_app, "Your sample").x) == [8.0]
    timing_app.controls["peak"].value = "3"
    assert timing_app.result is None and "below the baseline" in timing_app.message
    timing_app.controls["peak"].value = "15"


TEXTS = st.one_of(st.text(max_size=8), st.floats(allow_nan=True).map(str),
                  st.integers(-100, 10_000).map(str))


@FAST
@given(TEXTS, TEXTS, st.booleans())
def test_rise_app_never_raises(rise_app, baseline, acute, inclusive):
    rise_app.controls["baseline"].value = baseline
    rise_app.controls["acute"].value = acute
    rise_app.controls["inclusive"].value = inclusive
    assert (rise_app.result is None) == bool(rise_app.message)


@FAST
@given(TEXTS, st.integers(0, 4))
def test_hat_app_never_raises(hat_app, bst, copies):
    hat_app.controls["bst"].value = bst
    hat_app.controls["copies"].value = copies
    assert (hat_app.result is None) == bool(hat_app.message)


@FAST
@given(st.floats(0, 24), TEXTS, TEXTS)
def test_timing_app_never_raises(timing_app, hours, baseline, peak):
    timing_app.controls["hours"].value = hours
    timing_app.controls["baseline"].value = baseline
    timing_app.controls["peak"].value = peak
    assert (timing_app.result is None) == bool(timing_app.message)
