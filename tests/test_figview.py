"""FigureView: a go.Figure that redraws its Output once per completed change."""

import plotly.graph_objects as go

from mastolib.apps import _static
from mastolib.apps._figview import FigureView

MIME = "application/vnd.plotly.v1+json"


def test_initial_render_and_one_redraw_per_batch():
    view = FigureView(go.Scatter(x=[1, 2], y=[1, 2], name="a"))
    assert view.renders == 1
    assert view.displayed()["data"][0]["y"] == [1, 2]
    with view.batch_update():
        view.data[0].y = [3, 4]
        view.layout.title.text = "changed"
    assert view.renders == 2, "a batch is one redraw"
    shown = view.displayed()
    assert shown["data"][0]["y"] == [3, 4] and shown["layout"]["title"]["text"] == "changed"


def test_every_kind_of_change_redraws():
    view = FigureView(go.Scatter(y=[1]))
    view.data[0].y = [2]
    view.update_layout(height=300)
    view.add_trace(go.Bar(y=[5]))
    assert len(view.displayed()["data"]) == 2
    view.data = [view.data[1]]
    assert [t["type"] for t in view.displayed()["data"]] == ["bar"]
    assert view.renders == 5


def test_output_holds_only_the_figure_json_not_plotly_js():
    view = FigureView(go.Scatter(y=list(range(10))))
    (output,) = view.widget.outputs
    assert set(output["data"]) == {MIME}
    assert len(str(output)) < 50_000, "kilobytes of figure JSON, not megabytes of plotly.js"


def test_static_snapshot_draws_the_current_figure():
    view = FigureView(go.Scatter(y=[7, 8], name="snap"))
    view.data[0].name = "latest"
    html = _static.snapshot(view.widget)
    assert '"latest"' in html and "mastolib-static-figure" in html


def test_redraw_without_revalidation_shows_what_a_validated_copy_shows():
    """redraw copies the builder's (validated) figure without validating again; the result
    must equal a validated copy, and validation is back on afterwards."""
    first = go.Figure(go.Scatter(x=[1, 2], y=[1, 2], marker=dict(color="red", size=5)))
    first.update_layout(title_text="a", xaxis=dict(range=[0, 3]))
    second = go.Figure(go.Scatter(x=(3, 4), y=[5.5, 6], marker=dict(color="#0072B2", size=9),
                                  text=["p", "q"], error_y=dict(array=[1, 2])))
    second.update_layout(title_text="b", xaxis=dict(range=[1, 9], type="log"),
                         shapes=[dict(type="line", x0=1, x1=2, y0=0, y1=1)])
    view = FigureView(first)
    view.redraw(second)
    expected = go.Figure(first)
    with expected.batch_update():
        spec = second.data[0].to_plotly_json()
        spec.pop("type"), spec.pop("uid", None)
        expected.data[0].update(spec, overwrite=True)
        for key in ("title", "xaxis", "shapes"):
            expected.layout[key] = second.layout.to_plotly_json()[key]
    assert view.displayed() == expected.to_dict()
    assert view.data[0]._validate and view.layout._validate
    try:
        view.data[0].marker.size = "big"
    except ValueError:
        pass
    else:
        raise AssertionError("validation must be on again after redraw")


def test_the_cached_subplot_grid_is_the_grid_make_subplots_builds():
    from plotly.subplots import make_subplots

    from mastolib.figures._theme import subplots

    kwargs = dict(rows=2, cols=2, specs=[[{"type": "xy"}, {"type": "xy"}],
                                         [{"type": "domain", "colspan": 2}, None]],
                  row_heights=[0.4, 0.6], subplot_titles=["a", "b", "c"])
    first, reference = subplots(**kwargs), make_subplots(**kwargs)
    assert first.to_dict() == reference.to_dict()
    for fig in (first, reference):
        fig.add_trace(go.Scatter(x=[1], y=[2]), row=1, col=2)
    assert first.to_dict() == reference.to_dict()
    assert subplots(**kwargs).data == ()  # the cached grid is never changed by a caller
