"""Tryptase tools: HαT adjustment, reference ranges, 20 % + 2 and NIH ratio (mastolib/engine/_tryptase.py)."""

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import ENGINE, FAST
from voice import assert_voice

import mastolib as ml
from mastolib.engine._tryptase import tryptase_rise_frame

RISE_CASES = [
    # fact sheet §6.5 "20 % + 2" vs NIH ratio: BST, acute, threshold, 20+2 (strict), ratio, NIH
    (5.0, 9.0, 8.0, True, 1.80, True),      # T1
    (5.0, 8.0, 8.0, False, 1.60, False),    # T2 equals the threshold: negative with ">"
    (20.0, 25.0, 26.0, False, 1.25, False),  # T3
    (40.0, 52.0, 50.0, True, 1.30, False),   # T4 discordant: NIH more specific at high BST
    (2.0, 4.0, 4.4, False, 2.00, True),      # T5 discordant at low BST
    (4.0, 6.78, 6.8, False, 1.695, True),    # T6 rules nearly coincide at BST 4
]



@pytest.mark.parametrize("bst,acute,threshold,ecnm,ratio,nih", RISE_CASES)
def test_worked_examples_t1_to_t6(bst, acute, threshold, ecnm, ratio, nih):
    r = ml.tryptase_rise(bst, acute)
    assert (r.threshold_ng_ml, r.significant, r.rule) == (pytest.approx(threshold), ecnm, "20+2")
    assert r.ratio == pytest.approx(ratio)
    n = ml.tryptase_rise(bst, acute, rule="nih_ratio")
    assert n.significant is nih
    assert n.threshold_ng_ml == pytest.approx(1.685 * bst)


def test_t2_boundary_is_a_parameter():
    # §4.3/§11: consensus tables use strict ">"; NIH wording "≥" kept as an option
    assert ml.tryptase_rise(5, 8).significant is False
    r = ml.tryptase_rise(5, 8, inclusive=True)
    assert r.significant is True and r.inclusive is True
    assert "'>='" in r.explanation and "= 8 ng/mL" in r.explanation
    assert ml.tryptase_rise(5, 8).source_id == "valent2019_20plus2;valent2024_tryptase"
    assert ml.tryptase_rise(5, 8, rule="nih_ratio").source_id == "mateja2022"


def test_float_boundaries_are_guarded():
    # 1.2 x 1.1 + 2 is 3.3200000000000003 in floating point; the reading 3.32 sits on the line
    assert ml.tryptase_rise(1.1, 3.32).significant is False
    assert ml.tryptase_rise(1.1, 3.32, inclusive=True).significant is True
    assert ml.tryptase_rise(3.3, 5.96, inclusive=True).significant is True


@FAST
@given(st.integers(0, 100_000).map(lambda x: x / 100))
def test_acute_exactly_on_the_threshold(bst):
    on_line = round(1.2 * bst + 2, 4)
    assert ml.tryptase_rise(bst, on_line).significant is False
    assert ml.tryptase_rise(bst, on_line, inclusive=True).significant is True


HAT_CASES = [
    # §6.5 H1-H6: BST, extra alpha copies, adjusted (BST / (1 + n))
    (32, 1, 16.0), (45, 1, 22.5), (40, 1, 20.0), (62, 2, 20.666666666666668),
    (250, 2, 83.33333333333333), (18, 0, 18.0),
]


@pytest.mark.parametrize("bst,copies,adjusted", HAT_CASES)
def test_hat_adjusted_tryptase_h1_to_h6(bst, copies, adjusted):
    assert ml.hat_adjusted_tryptase(bst, copies) == pytest.approx(adjusted)


@ENGINE
@given(st.floats(0, 5000, allow_nan=False), st.integers(0, 10))
def test_hat_adjustment_never_raises_tryptase(bst, copies):
    adjusted = ml.hat_adjusted_tryptase(bst, copies)
    assert 0 <= adjusted <= bst
    assert adjusted == pytest.approx(bst / (1 + copies))


REFERENCE = [
    # §4.2 median (range) BST by extra alpha copies [genotyping_review2022, Table 1]
    (0, 4.1, 0, 10.4), (1, 13.6, 6.5, 33.9), (2, 22.5, 10.5, 39.5), (3, 27.3, 23.4, 40),
    (4, 37, 25.5, 62.7),
]


@pytest.mark.parametrize("copies,median,low,high", REFERENCE)
def test_hat_reference_ranges(copies, median, low, high):
    r = ml.hat_reference_range(copies)
    assert (r.median_ng_ml, r.low_ng_ml, r.high_ng_ml) == (median, low, high)
    assert r.source_id == "genotyping_review2022"
    assert str(r).startswith(f"{copies} extra alpha copies: median")


BAD_CALLS = [
    (lambda: ml.hat_adjusted_tryptase(-1, 1), "bst_ng_ml=-1", "from 0 to 10000 ng/mL"),
    (lambda: ml.hat_adjusted_tryptase(True, 1), "bst_ng_ml=True", "got bool"),
    (lambda: ml.hat_adjusted_tryptase(float("nan"), 1), "bst_ng_ml=nan", "not a finite number"),
    (lambda: ml.hat_adjusted_tryptase(30, 1.5), "extra_alpha_copies=1.5", "0 to 10 copies"),
    (lambda: ml.hat_adjusted_tryptase(30, 11), "extra_alpha_copies=11", "0 to 10 copies"),
    (lambda: ml.hat_adjusted_tryptase(30, "1"), "extra_alpha_copies='1'", "whole number"),
    (lambda: ml.hat_reference_range(5), "extra_alpha_copies=5", "0 to 4 copies"),
    (lambda: ml.tryptase_rise(-5, 8), "baseline_ng_ml=-5", "from 0 to 10000 ng/mL"),
    (lambda: ml.tryptase_rise(5, "8"), "acute_ng_ml='8'", "got str"),
    # issue 17: overflow, numpy/Fraction copies that used to be truncated, no upper limit
    (lambda: ml.hat_adjusted_tryptase(10**400, 1), "bst_ng_ml=1000", "too large"),
    (lambda: ml.hat_adjusted_tryptase(45, np.float32(1.5)), "extra_alpha_copies=1.5",
     "not a whole number"),
    (lambda: ml.hat_adjusted_tryptase(45, Fraction(3, 2)), "extra_alpha_copies=Fraction(3, 2)",
     "not a whole number"),
    (lambda: ml.tryptase_rise(5, 10**400), "acute_ng_ml=1000", "too large"),
    (lambda: ml.tryptase_rise(5, 20000), "acute_ng_ml=20000", "check the units"),
    (lambda: ml.tryptase_rise(5, math.inf), "acute_ng_ml=inf", "not a finite number"),
    (lambda: ml.tryptase_rise(5, 8, rule="ecnm"), "rule='ecnm'", "['20+2', 'nih_ratio']"),
    (lambda: ml.tryptase_rise(5, 8, inclusive="yes"), "inclusive='yes'", "True or False"),
    (lambda: ml.tryptase_rise(0, 8, rule="nih_ratio"), "baseline_ng_ml=0", "above 0 ng/mL"),
]


@pytest.mark.parametrize("call,fragment,allowed", BAD_CALLS)
def test_bad_input_messages(call, fragment, allowed):
    with pytest.raises(ValueError) as info:
        call()
    assert_voice(info.value, fragment, allowed)


def test_zero_baseline_allowed_for_20_plus_2():
    r = ml.tryptase_rise(0, 2.5)
    assert (r.threshold_ng_ml, r.ratio, r.significant) == (2.0, None, True)


def test_result_is_frozen():
    r = ml.tryptase_rise(5, 9)
    with pytest.raises(AttributeError):
        r.significant = False


@FAST
@given(st.lists(st.tuples(st.integers(1, 50_000).map(lambda x: x / 100),
                          st.integers(0, 100_000).map(lambda x: x / 100)), min_size=1,
                max_size=40),
       st.sampled_from(["20+2", "nih_ratio"]), st.booleans())
def test_frame_equals_scalar(pairs, rule, inclusive):
    frame = pd.DataFrame(pairs, columns=["baseline_ng_ml", "acute_ng_ml"])
    out = tryptase_rise_frame(frame, rule=rule, inclusive=inclusive)
    for (b, a), (_, got) in zip(pairs, out.iterrows(), strict=True):
        r = ml.tryptase_rise(b, a, rule=rule, inclusive=inclusive)
        assert bool(got["significant"]) is r.significant
        assert got["threshold_ng_ml"] == pytest.approx(r.threshold_ng_ml)
        assert got["ratio"] == pytest.approx(r.ratio)


def test_frame_on_the_worked_examples_and_errors():
    frame = pd.DataFrame([(b, a) for b, a, *_ in RISE_CASES], columns=["bst", "acute"],
                         index=[f"T{i}" for i in range(1, 7)])
    out = tryptase_rise_frame(frame, baseline="bst", acute="acute")
    assert list(out.index) == list(frame.index)
    assert list(out["significant"]) == [c[3] for c in RISE_CASES]
    nih = tryptase_rise_frame(frame, baseline="bst", acute="acute", rule="nih_ratio")
    assert list(nih["significant"]) == [c[5] for c in RISE_CASES]
    with pytest.raises(ValueError, match="column 'baseline_ng_ml' not in the frame"):
        tryptase_rise_frame(frame)
    bad = pd.DataFrame({"baseline_ng_ml": [5.0, np.nan], "acute_ng_ml": [8.0, 9.0]})
    with pytest.raises(ValueError, match=r"row 1: Baseline tryptase \(ng/mL\) = nan"):
        tryptase_rise_frame(bad)
    with pytest.raises(ValueError, match="rule='x'"):
        tryptase_rise_frame(bad, rule="x")
