"""Fuzz of every public engine, score and tryptase function (issue 17, "inputs that escape").

Each test feeds values of any type and size (``strategies.WILD``: overflowing integers, NaN,
infinity, complex, Fraction, Decimal, numpy scalars, pandas NA, text, lists, dicts) to one
public function. The only acceptable outcomes are a result or a ``ValueError``/``TypeError``
that names the field: an :class:`mastolib.InputError` carries ``.field`` (one of the
arguments) and a message with the human label; any other ValueError/TypeError must name the
argument. Anything else (OverflowError, AttributeError, KeyError, a numpy warning turned error)
fails the test.

Budget: FUZZ_EXAMPLES (default 1,100 per test: 9 x 1,100 + 2 x 275 = 10,450 generated cases,
about 15,000 function calls) takes about 21 s of CPU on one core (measured with `time`);
raise it for a soak run (FUZZ_EXAMPLES=20000).
"""

import os
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import WILD, wild_findings_kwargs

import mastolib as ml
from mastolib.engine._scores import mars_frame, rema_frame
from mastolib.engine._tryptase import tryptase_rise_frame
from mastolib.tables._fields import FIELD_SPECS

N = int(os.environ.get("FUZZ_EXAMPLES", "1100"))
FUZZ = settings(max_examples=N, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=max(N // 4, 10), deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
THRESHOLD_IDS = sorted(r["threshold_id"] for r in ml.load_records("thresholds"))


def _names(exc) -> str:
    return str(exc)


def expect_named(call, names):
    """Run ``call``; an error must be ValueError/TypeError naming one of ``names``."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a silent cast (ComplexWarning, overflow) is a bug
        try:
            return call()
        except ml.InputError as exc:
            fields = getattr(exc, "fields", (exc.field,))
            assert set(fields) & set(names), (exc.field, names, str(exc))
            assert exc.label and exc.label in str(exc), str(exc)
            if not hasattr(exc, "fields"):  # one voice: label, never "field=value"
                assert f"{exc.field}=" not in str(exc), str(exc)
            return None
        except (ValueError, TypeError) as exc:
            text = str(exc)
            labels = [FIELD_SPECS[n].label for n in names if n in FIELD_SPECS]
            assert any(n in text for n in list(names) + labels), (names, text)
            return None


@FUZZ
@given(wild_findings_kwargs())
def test_findings_constructor(kwargs):
    expect_named(lambda: ml.Findings(**kwargs), list(kwargs))


@FUZZ
@given(wild_findings_kwargs(), st.sampled_from(["who2022", "icc2022"]))
def test_diagnose_from_a_mapping(kwargs, scheme):
    result = expect_named(lambda: ml.diagnose(kwargs, scheme), list(kwargs))
    if result is not None:
        assert result.category in ("SM", "CM", "MIS", "MCS", "MLN-TK", "undecided", "none")


@FUZZ
@given(wild_findings_kwargs())
def test_compare_schemes_from_a_mapping(kwargs):
    expect_named(lambda: ml.compare_schemes(kwargs), list(kwargs))


@FUZZ
@given(WILD, WILD, WILD, WILD)
def test_rema(sex, skin, syncope, bst):
    expect_named(lambda: ml.rema(sex, skin, syncope, bst),
                 ["sex", "urticaria_pruritus_angioedema", "presyncope_syncope", "bst_ng_ml"])


@FUZZ
@given(WILD, WILD, WILD, WILD)
def test_mars(age, hb, plt, hmr):
    expect_named(lambda: ml.mars(age, hb, plt, hmr),
                 ["age_years", "hb_g_dl", "plt_1e9_l", "hmr_mutations"])


@FUZZ
@given(st.one_of(st.sampled_from(["non-advanced", "advanced"]), WILD),
       st.dictionaries(st.sampled_from(["age_years", "alp_u_l", "bst_ng_ml", "wbc_1e9_l",
                                        "hb_g_dl", "plt_1e9_l", "skin_involvement"]), WILD,
                       max_size=3),
       st.one_of(st.sampled_from([">=", ">"]), WILD))
def test_ipsm_factors(population, kwargs, age_operator):
    expect_named(lambda: ml.ipsm_factors(population, age_operator=age_operator, **kwargs),
                 ["population", "age_operator", *kwargs])


@FUZZ
@given(WILD, WILD)
def test_hat_adjusted_tryptase_and_reference_range(bst, copies):
    expect_named(lambda: ml.hat_adjusted_tryptase(bst, copies),
                 ["bst_ng_ml", "extra_alpha_copies"])
    expect_named(lambda: ml.hat_reference_range(copies), ["extra_alpha_copies"])


@FUZZ
@given(WILD, WILD, st.one_of(st.sampled_from(["20+2", "nih_ratio"]), WILD),
       st.one_of(st.booleans(), WILD))
def test_tryptase_rise(baseline, acute, rule, inclusive):
    expect_named(lambda: ml.tryptase_rise(baseline, acute, rule, inclusive),
                 ["baseline_ng_ml", "acute_ng_ml", "rule", "inclusive"])


@FUZZ
@given(st.sampled_from(["who2022", "icc2022"]), st.sampled_from(THRESHOLD_IDS),
       st.one_of(WILD, st.tuples(WILD, WILD)))
def test_what_if_thresholds_and_params(scheme, tid, value):
    rs = expect_named(lambda: ml.get_ruleset(scheme).with_thresholds(**{tid: value}), [tid])
    if rs is not None:  # an accepted what-if threshold never breaks the next diagnosis
        ml.diagnose(ml.Findings(mc_aggregates_ge15=True, cd25=True, bst_ng_ml=30), rs)
    expect_named(lambda: ml.get_ruleset(scheme).with_params(hat_adjust_bmm=value),
                 ["hat_adjust_bmm"])


def _frame(columns: dict, rows: int):
    return pd.DataFrame({k: pd.Series(v[:rows], dtype=object) for k, v in columns.items()})


@SLOW
@given(st.dictionaries(st.sampled_from([s.name for s in ml.Findings.field_specs()]),
                       st.lists(WILD, min_size=2, max_size=2), max_size=3),
       st.sampled_from(["who2022", "icc2022"]))
def test_diagnose_frame(columns, scheme):
    expect_named(lambda: ml.diagnose_frame(_frame(columns, 2), scheme), list(columns))


@SLOW
@given(st.lists(WILD, min_size=4, max_size=4), st.lists(WILD, min_size=4, max_size=4))
def test_score_and_rise_frames(first, second):
    rema = pd.DataFrame({"sex": pd.Series(first[:2], dtype=object),
                         "urticaria_pruritus_angioedema": pd.Series(first[2:], dtype=object),
                         "presyncope_syncope": [True, False],
                         "bst_ng_ml": pd.Series(second[:2], dtype=object)})
    expect_named(lambda: rema_frame(rema), list(rema.columns))
    mars = pd.DataFrame({"age_years": pd.Series(first[:2], dtype=object),
                         "hb_g_dl": [10.0, 11.0], "plt_1e9_l": [50.0, 200.0],
                         "hmr_mutations": pd.Series(second[2:], dtype=object)})
    expect_named(lambda: mars_frame(mars), list(mars.columns))
    rise = pd.DataFrame({"baseline_ng_ml": pd.Series(first[2:], dtype=object),
                         "acute_ng_ml": pd.Series(second[:2], dtype=object)})
    expect_named(lambda: tryptase_rise_frame(rise), list(rise.columns))


@pytest.mark.parametrize("table", [pd.Series({"bst_ng_ml": 30.0}), {"bst_ng_ml": [30.0]},
                                   [1, 2], None])
def test_tables_that_are_not_dataframes_are_type_errors(table):
    for call in (lambda: ml.diagnose_frame(table), lambda: rema_frame(table),
                 lambda: mars_frame(table), lambda: tryptase_rise_frame(table)):
        with pytest.raises(TypeError, match="DataFrame"):
            call()
