"""Chapter figures return one result carrying the figure and its one-line summary
(mastolib/figures/_result.py): the former ``*_figure`` + ``*_summary`` pairs are one call."""

from __future__ import annotations

import dataclasses

import plotly.graph_objects as go
import pytest

import mastolib as ml
from mastolib.figures._result import FigureResult

CALLS = {
    "symptom_heatmap": lambda: ml.symptom_heatmap(),
    "trigger_grid_figure": lambda: ml.trigger_grid_figure(),
    "bc_findings_figure": lambda: ml.bc_findings_figure(["c13", "c24"], "icc2022"),
    "cohort_tryptase_figure": lambda: ml.cohort_tryptase_figure(),
    "reclassification_figure": lambda: ml.reclassification_figure(),
    "age_pyramid_figure": lambda: ml.age_pyramid_figure(),
    "pathway_figure": lambda: ml.pathway_figure(),
    "prognosis_factors_figure": lambda: ml.prognosis_factors_figure(),
    "tryptase_ruler_figure": lambda: ml.tryptase_ruler_figure(),
}
GONE = ("symptom_summary", "trigger_grid_summary", "bc_findings_summary",
        "cohort_tryptase_summary", "reclassification_summary", "age_pyramid_summary",
        "pathway_summary", "prognosis_factors_summary", "tryptase_ruler_summary")


@pytest.mark.parametrize("name", sorted(CALLS))
def test_each_call_returns_a_frozen_figure_result(name):
    result = CALLS[name]()
    assert isinstance(result, FigureResult)
    assert isinstance(result.figure, go.Figure) and result.figure.data
    assert isinstance(result.summary, str) and len(result.summary) > 20
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.summary = "changed"
    assert str(result) == result.summary and result.summary in repr(result)


def test_the_summaries_are_no_longer_separate_public_names():
    for name in GONE:
        assert name not in ml.__all__
        with pytest.raises(AttributeError):
            getattr(ml, name)


def test_the_rich_repr_holds_the_figure_and_the_summary(monkeypatch):
    import plotly.io as pio

    monkeypatch.setattr(pio.renderers, "default", "plotly_mimetype+notebook")
    result = ml.pathway_figure()
    bundle = result._repr_mimebundle_()
    assert "application/vnd.plotly.v1+json" in bundle
    assert bundle["text/plain"] == result.summary
    html = bundle["text/html"]
    assert "mastolib-figure-summary" in html and html.index("plotly") < html.index(
        "mastolib-figure-summary")
    assert "16 steps" in html


def test_notebook_display_shows_the_figure_then_the_summary(monkeypatch):
    import IPython.display

    from mastolib.figures._result import plotly_bundle

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    result = ml.age_pyramid_figure()
    result._ipython_display_()
    assert shown[0] == (plotly_bundle(result.figure), {"raw": True})
    shown = [obj for obj, _kw in shown]
    assert result.summary.split(" (")[0] in shown[1].data and "mastolib-figure-summary" in \
        shown[1].data


def test_static_mode_keeps_plotlys_renderer_for_the_site(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setenv("MASTOLIB_STATIC", "1")
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(obj))
    result = ml.age_pyramid_figure()
    result._ipython_display_()
    assert shown[0] is result.figure


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_bundle_is_what_plotlys_mimetype_renderer_makes(name):
    import plotly.io as pio

    from mastolib.figures._result import plotly_bundle

    figure = CALLS[name]().figure
    assert plotly_bundle(figure) == pio.renderers["plotly_mimetype"].to_mimebundle(
        figure.to_dict())


def test_showing_figures_and_apps_never_imports_plotlys_renderer_registry():
    """plotly.io.renderers imports nbformat + jsonschema (0.2-0.4 s per kernel): not needed."""
    import subprocess
    import sys

    code = ("import sys\nfrom IPython.testing.globalipapp import start_ipython\n"
            "ip = start_ipython()\nimport mastolib as ml\n"
            "ip.run_cell('ml.pathway_figure()', store_history=False)\n"
            "app = ml.kinetics_app()\napp.widget\n"
            "bad = sorted(m for m in ('nbformat', 'jsonschema', 'plotly.io._renderers') "
            "if m in sys.modules)\nprint(bad)\nassert not bad, bad\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
