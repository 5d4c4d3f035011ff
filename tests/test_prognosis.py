"""Prognosis (notebook 07): MARS app and survival illustration, IPSM factor counter, factor grid.

Worked examples are the course fact sheet's section 6.5 (M1-M8 for MARS, I1-I8 for IPSM),
pushed through the apps exactly as a learner would: set the controls, read the result and the
figure.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mastolib as ml
from mastolib.engine._scores import HMR_GENES, score_items
from mastolib.figures._prognosis import survival_figure
from mastolib.models._prognosis import (
    AGE_READINGS,
    ILLUSTRATION_NOTE,
    IPSM_NUMBERS,
    SKIN_CHOICES,
    ipsm_fields,
    mars_groups,
    parse_optional_number,
    prognosis_factors_table,
    survival_curves,
    survival_styles,
)

APP_SETTINGS = settings(max_examples=60, deadline=None,
                        suppress_health_check=[HealthCheck.function_scoped_fixture])

# (id, age, Hb g/dL, platelets x10^9/L, HMR genes, points, group) - fact sheet 6.5, MARS table
MARS_EXAMPLES = [
    ("M1", 55, 11.2, 180, [], 0, "low"),
    ("M2", 61, 10.0, 100, [], 1, "low"),  # Hb 10.0 is not < 10; plt 100 is not < 100
    ("M3", 60, 9.9, 150, ["SRSF2"], 2, "intermediate"),  # age 60 is not > 60
    ("M4", 72, 8.5, 60, ["SRSF2", "ASXL1"], 5, "high"),
    ("M5", 45, 12.0, 90, ["RUNX1"], 2, "intermediate"),
    ("M6", 68, 9.1, 140, [], 2, "intermediate"),
    ("M7", 50, 9.5, 80, ["ASXL1"], 3, "high"),
    ("M8", 63, 10.4, 120, ["ASXL1", "RUNX1", "SRSF2"], 3, "high"),  # >= 2 genes capped at 2
]

# (id, population, inputs, factor count) - fact sheet 6.5, IPSM table (groups withheld)
IPSM_EXAMPLES = [
    ("I1", "non-advanced", dict(age_years=45, alp_u_l=70), 0),
    ("I2", "non-advanced", dict(age_years=62, alp_u_l=85), 1),
    ("I3", "non-advanced", dict(age_years=50, alp_u_l=100), 1),  # ALP >= 100 inclusive
    ("I4", "non-advanced", dict(age_years=60, alp_u_l=130), 2),  # under the ">= 60" reading
    ("I5", "advanced", dict(age_years=55, bst_ng_ml=90, wbc_1e9_l=8, hb_g_dl=12.5,
                            plt_1e9_l=210, skin_involvement=True), 0),
    ("I6", "advanced", dict(age_years=67, bst_ng_ml=300, wbc_1e9_l=9, hb_g_dl=10.8,
                            plt_1e9_l=150, skin_involvement=True), 3),
    ("I7", "advanced", dict(age_years=72, bst_ng_ml=450, wbc_1e9_l=18, hb_g_dl=9.0,
                            plt_1e9_l=80, skin_involvement=False), 6),
    ("I8", "advanced", dict(age_years=48, bst_ng_ml=125, wbc_1e9_l=16, hb_g_dl=11.0,
                            plt_1e9_l=100, skin_involvement=True), 4),  # all at inclusive edges
]


@pytest.fixture(scope="module")
def mars():
    return ml.mars_app()


@pytest.fixture(scope="module")
def ipsm():
    return ml.ipsm_app()


def _set_mars(app, age, hb, plt, genes):
    app.controls["age_years"].value = age
    app.controls["hb_g_dl"].value = hb
    app.controls["plt_1e9_l"].value = plt
    for gene in HMR_GENES:
        app.controls[gene].value = gene in genes


# --------------------------------------------------------------------------- MARS


@pytest.mark.parametrize("case", MARS_EXAMPLES, ids=[c[0] for c in MARS_EXAMPLES])
def test_mars_worked_examples_through_the_app(mars, case):
    _, age, hb, plt, genes, points, group = case
    _set_mars(mars, age, hb, plt, genes)
    assert mars.message == ""
    assert (mars.result.points, mars.result.group) == (points, group)
    assert mars.result == ml.mars(age, hb, plt, genes)
    # the figure: the patient's group is drawn thick and opaque, the others thin and faded
    for trace in mars.figure.data:
        on = trace.name.lower().startswith(group)
        assert trace.line.width == (4.5 if on else 2.0), trace.name
        assert trace.opacity == (1.0 if on else 0.25), trace.name
    assert f"MARS {points} points ({group} risk)" in mars.figure.layout.title.text
    assert ILLUSTRATION_NOTE in mars.figure.layout.title.text
    assert f"MARS {points} points" in mars._panel.value


def test_mars_panel_reports_published_medians(mars):
    _set_mars(mars, 55, 11.2, 180, [])
    assert "not reached" in mars._panel.value and "12.2 years" in mars._panel.value
    _set_mars(mars, 68, 9.1, 140, [])
    assert "3.9 years" in mars._panel.value and "4.4 years" in mars._panel.value
    assert "advanced systemic mastocytosis only" in mars._scope.value


@pytest.mark.parametrize("field, value", [("age_years", -5.0), ("hb_g_dl", -1.0),
                                          ("plt_1e9_l", -10.0), ("age_years", 130.0),
                                          ("hb_g_dl", math.nan)])
def test_mars_invalid_input_is_a_message_not_a_traceback(field, value):
    app = ml.mars_app()
    app.controls[field].value = value
    assert app.result is None
    if math.isnan(value):  # an empty box: the app names the control by its label
        assert app.message == f"{app.label(field)}: choose a value (it is empty)."
        assert "mastolib-invalid" in app.controls[field]._dom_classes
    else:
        assert app.label(field).split(" (")[0] in app.message and field not in app.message
        assert "not allowed" in app.message and "mastolib-invalid" in app.controls[field]._dom_classes
    assert "role='alert'" in app._message.value and "Traceback" not in app._message.value
    assert all(t.opacity == 1.0 and t.line.width == 2.0 for t in app.figure.data)
    app.controls[field].value = {"age_years": 50.0, "hb_g_dl": 12.0, "plt_1e9_l": 200.0}[field]
    assert app.message == "" and app.result is not None and app._message.value == ""


def test_mars_view_is_built_once_and_updated_in_place(mars):
    figure, panel = mars.figure, mars._panel
    mars.controls["ASXL1"].value = not mars.controls["ASXL1"].value
    assert mars.figure is figure and mars._panel is panel


def test_every_control_has_a_visible_description():
    for app in (ml.mars_app(), ml.ipsm_app()):
        for name, control in app.controls.items():
            assert control.description.strip(), name


# --------------------------------------------------------------------------- survival curves


def test_curves_pass_through_half_at_the_published_median():
    curves = survival_curves()
    drawn = [c for c in curves if c["years"] is not None]
    assert {(c["group_id"], c["cohort"]) for c in drawn} == {
        ("low", "validation"), ("intermediate", "training"), ("intermediate", "validation"),
        ("high", "training"), ("high", "validation")}
    for c in drawn:
        at = dict(zip(c["years"], c["survival"], strict=True))
        assert at[0.0] == 1.0
        assert at[c["median"]] == pytest.approx(0.5)
        assert all(a >= b for a, b in zip(c["survival"], c["survival"][1:], strict=False))


def test_not_reached_median_gets_no_curve_and_says_so():
    low_training = [c for c in survival_curves() if c["group_id"] == "low"
                    and c["cohort"] == "training"]
    assert len(low_training) == 1
    assert low_training[0]["median"] == "not reached" and low_training[0]["years"] is None
    assert "no curve drawn" in low_training[0]["note"]
    fig = survival_figure()
    assert not any(t.name.startswith("Low, training") for t in fig.data)
    assert "not reached" in fig.layout.annotations[-1].text


def test_medians_come_from_the_engine_table():
    groups = {g["group_id"]: g["median_os"] for g in mars_groups()}
    assert groups == {"low": {"training": "not reached", "validation": 12.2},
                      "intermediate": {"training": 3.9, "validation": 4.4},
                      "high": {"training": 1.9, "validation": 1.9}}
    result = ml.mars(72, 8.5, 60, ["SRSF2", "ASXL1"])
    assert (result.median_os_years.training, result.median_os_years.validation) == (1.9, 1.9)


def test_survival_figure_is_labelled_as_an_illustration():
    fig = survival_figure("high")
    assert ILLUSTRATION_NOTE in fig.layout.title.text
    assert "illustration" in fig.layout.xaxis.title.text.lower()
    dashes = {t.name.split("(")[0].strip(): t.line.dash for t in fig.data}
    assert dashes["High, training"] == "solid" and dashes["High, validation"] == "dot"
    styles = survival_styles("high")
    assert [s["width"] for s in styles if s["group_id"] == "high"] == [4.5, 4.5]
    summary = ml.survival_summary()
    assert "not reached (training)" in summary and "illustration" in summary


# --------------------------------------------------------------------------- IPSM


def _set_ipsm(app, population, values, age_operator=">="):
    app.controls["population"].value = population
    app.controls["age_operator"].value = age_operator
    for field in IPSM_NUMBERS:
        v = values.get(field)
        app.controls[field].value = "" if v is None else f"{v:g}"
    skin = values.get("skin_involvement")
    app.controls["skin_involvement"].value = next(k for k, v in SKIN_CHOICES.items() if v is skin)


@pytest.mark.parametrize("case", IPSM_EXAMPLES, ids=[c[0] for c in IPSM_EXAMPLES])
def test_ipsm_worked_examples_through_the_app(ipsm, case):
    _, population, values, count = case
    _set_ipsm(ipsm, population, values)
    assert ipsm.message == ""
    assert ipsm.result.count == count
    assert ipsm.result == ml.ipsm_factors(population, **values)
    assert f"IPSM adverse factors present: {count} of" in ipsm._panel.value
    assert "UNCONFIRMED" in ipsm._panel.value and "No points and no risk group" in ipsm._panel.value
    assert ipsm.figure is None


def test_ipsm_age_boundary_switch_changes_the_count_at_exactly_60(ipsm):
    _set_ipsm(ipsm, "non-advanced", dict(age_years=60, alp_u_l=130))
    assert ipsm.result.count == 2 and "Age exactly 60" in ipsm._panel.value
    ipsm.controls["age_operator"].value = ">"
    assert ipsm.result.count == 1 and ipsm.result.age_operator == ">"
    assert set(AGE_READINGS) == {">=", ">"}


def test_ipsm_disables_inputs_the_population_does_not_use(ipsm):
    _set_ipsm(ipsm, "non-advanced", dict(age_years=70))
    assert ipsm.controls["bst_ng_ml"].disabled and not ipsm.controls["alp_u_l"].disabled
    ipsm.controls["bst_ng_ml"].value = "999"   # ignored: not a factor for this population
    assert ipsm.message == "" and ipsm.result.population == "non-advanced"
    ipsm.controls["population"].value = "advanced"
    assert not ipsm.controls["bst_ng_ml"].disabled and ipsm.controls["alp_u_l"].disabled
    assert "bst_advanced" in ipsm.result.present
    assert ipsm_fields("advanced") >= {"bst_ng_ml", "skin_involvement"}


def test_ipsm_empty_box_means_not_assessed(ipsm):
    _set_ipsm(ipsm, "advanced", dict(age_years=72))
    assert ipsm.result.count == 1 and len(ipsm.result.not_assessed) == 5
    assert "5 not assessed" in ipsm._panel.value and "○" in ipsm._panel.value


@pytest.mark.parametrize("text", ["abc", "12,5,3", "nan", "-4", "1e999"])
def test_ipsm_bad_text_is_a_message(text):
    app = ml.ipsm_app("advanced")
    app.controls["hb_g_dl"].value = text
    assert app.result is None and app.message
    assert "role='alert'" in app._message.value
    app.controls["hb_g_dl"].value = ""
    assert app.message == "" and app.result is not None


def test_parse_optional_number():
    assert parse_optional_number("", "x") is None
    assert parse_optional_number(" 12,5 ", "x") == 12.5
    with pytest.raises(ValueError, match="is not a number"):
        parse_optional_number("twelve", "Leukocytes")


# --------------------------------------------------------------------------- factor grid


def test_factor_grid_reads_ipsm_and_mars_from_the_engine_table():
    table = prognosis_factors_table()
    cell = {(r.system_id, r.factor_id): r.text for r in table.itertuples()}
    assert cell[("mars", "age")] == "> 60 years (+1)"
    assert cell[("mars", "hmr")] == "1 gene(s) (+1); ≥ 2 gene(s) (+2)"
    assert cell[("ipsm_advanced", "tryptase")] == "≥ 125 ng/mL"
    assert cell[("ipsm_advanced", "skin")] == "absent"
    assert cell[("ipsm_non_advanced", "alp")] == "≥ 100 U/L"
    assert ("maps", "nras") in cell and ("ism_progression", "b2m") in cell
    assert not any("gpsm" in s for s in table["system_id"])
    items = {i.item_id for i in score_items("ipsm")}
    assert len(table[table["system_id"].str.startswith("ipsm")]) == len(items)


def test_factor_grid_figure_has_text_in_every_cell():
    fig = ml.prognosis_factors_figure()
    heat = fig.data[0]
    assert len(heat.z) == len(heat.y) == 12 and len(heat.x) == 5
    assert all(t for row in heat.text for t in row)
    assert "age" in ml.prognosis_factors_summary()


# --------------------------------------------------------------------------- properties

_number = st.one_of(st.floats(allow_nan=True, allow_infinity=False, width=32),
                    st.sampled_from([0.0, 10.0, 100.0, 60.0, 9.99, 100.01, 60.01, -1.0]))


@APP_SETTINGS
@given(age=_number, hb=_number, plt=_number, genes=st.sets(st.sampled_from(HMR_GENES)))
def test_random_mars_controls_never_raise(mars, age, hb, plt, genes):
    _set_mars(mars, age, hb, plt, genes)
    if mars.message:
        assert mars.result is None
    else:
        assert 0 <= mars.result.points <= 5
        assert mars.result.group in ("low", "intermediate", "high")


_text = st.one_of(st.just(""), st.text(max_size=6),
                  st.floats(-5, 500, allow_nan=False).map(lambda x: f"{x:g}"))


@APP_SETTINGS
@given(population=st.sampled_from(["non-advanced", "advanced"]),
       op=st.sampled_from([">=", ">"]), values=st.fixed_dictionaries(
           {k: _text for k in IPSM_NUMBERS}), skin=st.sampled_from(list(SKIN_CHOICES)))
def test_random_ipsm_controls_never_raise(ipsm, population, op, values, skin):
    ipsm.controls["population"].value = population
    ipsm.controls["age_operator"].value = op
    for field, text in values.items():
        ipsm.controls[field].value = text
    ipsm.controls["skin_involvement"].value = skin
    assert (ipsm.result is None) == bool(ipsm.message)
    if ipsm.result is not None:
        assert 0 <= ipsm.result.count <= len(ipsm.result.factors)


# --------------------------------------------------------------------------- latency








def test_apps_render_a_static_snapshot(monkeypatch):
    monkeypatch.setenv("MASTOLIB_STATIC", "1")
    for app in (ml.mars_app(72, 8.5, 60, ["SRSF2"]), ml.ipsm_app()):
        bundle = app._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        assert "Static snapshot" in data["text/html"]


def test_mars_view_shows_the_final_state_from_the_start():
    """Regression (Voila renders after the notebook ran): what the browser draws first must
    already be the app's state for the given inputs."""
    app = ml.mars_app(72, 8.5, 60, ["SRSF2", "ASXL1"])
    shown = app.figure.displayed()
    widths = {d["name"].split(",")[0]: d["line"]["width"] for d in shown["data"]}
    assert widths["High"] == 4.5 and widths["Intermediate"] == 2.0
    assert "MARS 5 points (high risk)" in shown["layout"]["title"]["text"]
