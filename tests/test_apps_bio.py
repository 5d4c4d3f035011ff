"""Widget apps of notebooks 01-02, without a browser: set a control, check result and figure."""

import itertools

import plotly.graph_objects as go
import pytest

import mastolib as ml
from mastolib.apps._figview import FigureView
from mastolib.figures._biology import body_map_summary, kinetics_figure
from mastolib.figures._kit import INHERITANCE_SUMMARY, hat_prevalence_summary, kit_frequency_summary
from mastolib.models._biology import sampling_rules
from mastolib.models._kit import clonal_state

APP_FACTORIES = {
    "life_cycle": ml.life_cycle_app,
    "degranulation": ml.degranulation_app,
    "kinetics": ml.kinetics_app,
    "kit_map": ml.kit_map_app,
    "signalling": ml.signalling_app,
    "clonal": ml.clonal_app,
}


@pytest.fixture(scope="module")
def built():
    return {name: factory() for name, factory in APP_FACTORIES.items()}


@pytest.mark.parametrize("name", list(APP_FACTORIES))
def test_app_has_the_standard_parts(built, name):
    app = built[name]
    assert isinstance(app.figure, FigureView)
    assert app.figure.widget in app.widget.children
    assert app.result is not None
    assert app.controls, "an app needs at least one control"
    for control_id, control in app.controls.items():
        assert control.description.strip(), f"{name}: control {control_id!r} has no description"
    assert app.widget._dom_classes and app.widget._dom_classes[0].startswith("mastolib-")
    bundle = app._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in data


def _all_values(control):
    options = getattr(control, "options", None)
    if options:
        return [o[1] if isinstance(o, tuple) else o for o in options]
    if isinstance(control.value, bool):
        return [False, True]
    return sorted({control.min, control.value, control.max})


@pytest.mark.parametrize("name", list(APP_FACTORIES))
def test_every_control_combination_updates_in_place_without_errors(name):
    app = APP_FACTORIES[name]()
    figure, summary = app.figure, app._summary
    n_traces = len(figure.data)
    values = {cid: _all_values(c) for cid, c in app.controls.items()}
    combos = list(itertools.product(*values.values()))
    for combo in combos[:60]:
        for cid, value in zip(values, combo, strict=True):
            app.controls[cid].value = value
        assert app.message == "", (name, combo, app.message)
        assert app.figure is figure and app._summary is summary
        assert len(app.figure.data) == n_traces


def test_life_cycle_app_moves_the_star_and_adds_the_disease_note():
    app = ml.life_cycle_app()
    assert app.figure.data[1].x == (0,)
    app.controls["stage"].value = "blood"
    assert app.result.stage.stage_id == "blood"
    assert app.figure.data[1].x == (1,)
    assert "Stage 2 of 5" in app.figure.layout.title.text
    assert "In mastocytosis" not in app._summary.value
    app.controls["disease"].value = True
    assert app.result.show_disease
    assert app.figure.data[1].text == ("In mastocytosis",)
    assert "85 %" in app._summary.value


def test_degranulation_app_follows_the_trigger_and_the_view():
    app = ml.degranulation_app()
    assert app.result.trigger["trigger_id"] == "ige_allergen"
    assert "Gut" in app.figure.data[0].x
    app.controls["trigger"].value = "friction"
    assert {e.organ_id for e in app.result.reached} == {"skin"}
    assert set(app.figure.data[0].x) == {"Skin"}  # preformed mediators acting on reached organs
    assert "Gut" in app.figure.data[3].x  # not reached by a local trigger
    assert "Darier" in app.figure.layout.title.text
    assert "local reaction" in app._summary.value
    app.controls["view"].value = "newly_made"
    assert app.figure.data[0].x == ()  # no preformed mediator in this view
    assert set(app.figure.data[1].y) == {"Prostaglandin D2"}
    app.controls["trigger"].value = "alcohol"
    assert "Flagged (unconfirmed)" in app._summary.value


def test_kinetics_app_moves_the_sample_and_reads_both_curves():
    app = ml.kinetics_app()
    app.controls["sample_min"].value = 90
    assert app.result.window_id == "best_acute"
    assert app.figure.data[3].x == (90,)
    assert app.figure.data[3].y[0] == pytest.approx(100 * 2 ** (-30 / 120))
    assert app.figure.data[4].x == (90, 90)
    assert "Best time for the acute tryptase" in app._summary.value
    app.controls["sample_min"].value = 1440
    assert app.result.window_id == "baseline"
    assert "baseline sample" in app._summary.value
    before = app.figure.data[0].y
    app.controls["reading"].value = "slow"
    assert app.figure.data[0].y != before  # the histamine curve uses the slower return time
    assert app.figure.data[1].y == kinetics_figure(
        *app._models, app.result, sampling_rules()).data[1].y


def test_kit_map_app_filters_variants_by_population():
    app = ml.kit_map_app()
    assert "A502_Y503dup" in app.figure.data[2].text
    assert "V560G" in app.figure.data[1].text
    app.controls["population"].value = "children"
    assert [v["label"] for v in app.result.variants] == ["Codon 419 deletion", "A502_Y503dup",
                                                          "D816V"]
    assert app.figure.data[1].text == ("D816V",)  # D816V is reported in adults too
    assert "V560G" not in app._summary.value
    app.controls["population"].value = "adults"
    assert app.figure.data[2].text == ("D816V",)


def test_signalling_app_switches_the_kinase():
    app = ml.signalling_app()
    off = app.figure.data[2].fillcolor
    assert not app.result.kinase_on and app.figure.data[5].x == ()
    app.controls["scf"].value = True
    assert app.result.kinase_on and app.result.dimerised
    assert app.figure.data[2].fillcolor != off and app.figure.data[5].x == (5.0,)
    app.controls["imatinib"].value = True
    assert not app.result.kinase_on
    app.controls["variant"].value = "d816v"
    assert app.result.kinase_on
    assert len(app.figure.data[6].x) == 2  # the D816V stars
    app.controls["scf"].value = False
    assert app.result.ligand_independent
    assert "resistance" in app._summary.value


def test_clonal_app_reads_the_model_at_the_chosen_year():
    app = ml.clonal_app()
    app.controls["year"].value = 30
    assert app.result.at.year == 30
    expected = clonal_state(app.result.params, 30)
    assert app.result.at == expected
    markers = [t for t in app.figure.data if t.name == "year 30"]
    assert [m.y[0] for m in markers] == pytest.approx(
        [expected.burden_x, expected.vaf_pct, expected.bst_ng_ml])
    assert "Illustrative parameters" in app._summary.value
    app.controls["advantage"].value = 0.0
    assert "no growth advantage" in app._summary.value
    assert app.result.at.mutant_x == pytest.approx(app.result.params.start_fraction)
    app.controls["ceiling"].value = 80
    assert app.figure.layout.yaxis.range[1] == pytest.approx(81 * 1.1)


def test_a_model_error_is_shown_as_a_message_not_a_traceback(monkeypatch):
    app = ml.clonal_app()
    figure_before = app.figure.to_dict()
    result_before = app.result

    def broken(values):
        raise ValueError("the clone cannot start at or above its ceiling")

    monkeypatch.setattr(app, "compute", broken)
    app.controls["year"].value = 10
    assert "cannot start" in app._message.value and "role='alert'" in app._message.value
    assert app.message.startswith("the clone cannot start")
    assert app.result is result_before
    assert app.figure.to_dict() == figure_before
    monkeypatch.undo()
    app.controls["year"].value = 11
    assert app._message.value == "" and app.message == ""


def test_redraw_refuses_a_builder_that_changes_its_traces():
    app = ml.kit_map_app()
    with pytest.raises(RuntimeError, match="builders must keep their traces"):
        app.figure.redraw(go.Figure())


def test_static_figures_and_summaries_build():
    body = ml.body_map_figure(ml.body_map_sites())
    assert len(body.data) == 3 and "Skin" in body_map_summary(ml.body_map_sites())
    freq = ml.kit_frequency_figure(ml.kit_frequency())
    assert sum(len(t.x) for t in freq.data) == len(ml.kit_frequency())
    assert ">90 %" in kit_frequency_summary(ml.kit_frequency())
    hat = ml.hat_prevalence_figure(ml.hat_facts())
    assert hat.data[0].text[-1] == "17.2 %"
    assert "17.2 %" in hat_prevalence_summary(ml.hat_facts())
    family = ml.inheritance_figure()
    assert len(family.data) >= 6 and "somatic" in INHERITANCE_SUMMARY
