"""Static editions: widgets degrade to their current result, never to an empty box."""

import re
from pathlib import Path

import mastolib as ml
from mastolib.apps import _static
from mastolib.course import _export

ROOT = Path(__file__).resolve().parent.parent


def test_snapshot_renders_controls_html_and_counts():
    app = ml.glossary_app()
    app.controls["search"].value = "darier"
    html = _static.snapshot(app.widget)
    assert "Search: <b>darier</b>" in html
    assert "Darier" in html
    assert re.search(r"<b>[1-9]\d*</b> of \d+ terms", html)
    assert "VBox(" not in html


def test_snapshot_of_a_figure_view_embeds_a_static_plot():
    import ipywidgets as w
    import plotly.graph_objects as go

    from mastolib.apps._figview import FigureView

    fig = FigureView(go.Scatter(x=[1, 2], y=[3, 4], name="demo"))
    html = _static.snapshot(w.VBox([w.HTML("<p>summary line</p>"), fig.widget]))
    assert "summary line" in html
    assert "plotly" in html.lower() and '"demo"' in html


def test_app_mimebundle_adds_html_only_in_static_mode(monkeypatch):
    app = ml.glossary_app()
    monkeypatch.delenv("MASTOLIB_STATIC", raising=False)
    assert "text/html" not in app._repr_mimebundle_()
    monkeypatch.setenv("MASTOLIB_STATIC", "1")
    bundle = app._repr_mimebundle_()
    assert "Static snapshot" in bundle["text/html"]
    assert _export.WIDGET_MIME in bundle


def test_site_build_of_the_start_notebook(tmp_path):
    stats = _export.build("site", tmp_path, [ROOT / "notebooks" / "00_start_here.ipynb"])
    assert stats[0]["errors"] == 0 and stats[0]["empty_widgets"] == 0
    page = (tmp_path / "00_start_here.html").read_text()
    assert "Static snapshot of an interactive app" in page
    assert "Darier" in page, "the glossary snapshot lists the terms"
    assert "Launch this notebook on Binder" in page and ml.binder_url(
        "lab/tree/notebooks/00_start_here.ipynb") in page
    assert "not for clinical decisions" in page
    index = (tmp_path / "index.html").read_text()
    assert "00_start_here.html" in index
