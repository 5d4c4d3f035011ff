"""FigureView: a plotly figure that lives in an ipywidgets ``Output`` and redraws on change.

Why not ``plotly.graph_objects.FigureWidget``? In plotly >= 6 a FigureWidget is an anywidget
that ships all of plotly.js (~5 MB) over the widget channel for every figure, and anywidget gives
a model two seconds to start: on a busy Binder, JupyterHub or laptop the figure then stays blank
or stops following its controls (seen in this project's browser tests under load). It also
raises a page error in Voilà for static figures next to it.

A FigureView *is* a ``go.Figure`` (same ``.data``, ``.layout``, ``batch_update()``,
``update_layout()`` ...), so figure builders and tests do not change. Each completed change
(one per ``batch_update`` block) replaces the Output's content with the figure's plotly MIME
bundle, which JupyterLab, Notebook 7 and Voilà draw with the plotly.js they already load once.
Payload per update: the figure JSON (kilobytes), not plotly.js.

Put ``view.widget`` (the ``Output``) into an app's layout; displaying the FigureView itself
also shows the live widget.
"""

from __future__ import annotations

import ipywidgets as w
import plotly.graph_objects as go

from ..figures._result import plotly_bundle
from ._static import app_mimebundle

# Layout parts a builder may change from one result to the next (copied by FigureView.redraw).
_LAYOUT_KEYS = ("title", "shapes", "annotations", "xaxis", "yaxis", "xaxis2", "yaxis2",
                "xaxis3", "yaxis3")


class FigureView(go.Figure):
    """A ``go.Figure`` shown live through an ``ipywidgets.Output`` (see module docstring).

    Attributes
    ----------
    widget : ipywidgets.Output
        The view to place in a layout.
    renders : int
        How many times the view has been redrawn (1 after construction).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self._view = w.Output(layout=w.Layout(width="100%", min_height="120px"))
        self._view.add_class("mastolib-figure")
        # Lets mastolib.apps._static render a snapshot of the figure for handouts and the site.
        self._view._mastolib_figure = self
        self._renders = 0
        self._render()

    @property
    def widget(self):
        return self._view

    @property
    def renders(self) -> int:
        return self._renders

    def displayed(self) -> dict:
        """The figure dict the view currently shows (what the browser draws)."""
        return self._view.outputs[0]["data"]["application/vnd.plotly.v1+json"]

    def redraw(self, source: go.Figure) -> None:
        """Show ``source`` in this view: copy its traces and the changing layout parts in place.

        The one way apps update a figure: a pure builder makes a new ``go.Figure`` from the
        result, ``redraw`` copies it into this figure and redraws once. Builders must keep
        the number of traces the same from one result to the next.
        """
        if len(self.data) != len(source.data):
            raise RuntimeError(f"figure builder returned {len(source.data)} traces, the app's "
                               f"figure has {len(self.data)}; builders must keep their traces")
        # ``source`` was validated when its builder made it. With validation off plotly writes
        # the values straight into the figure's dicts (no per-property checks, no change
        # messages), so the view is redrawn once, explicitly, at the end: about half the cost
        # of a validated copy (profiled: benchmarks/RESULTS.md, protocol-level class).
        targets = [*self.data, self.layout]
        for obj in targets:
            obj._validate = False
        try:
            for old, new in zip(self.data, source.data, strict=True):
                spec = new.to_plotly_json()
                spec.pop("type", None)
                spec.pop("uid", None)
                old.update(spec, overwrite=True)
            layout = source.layout.to_plotly_json()
            for key in _LAYOUT_KEYS:
                if key in layout:
                    self.layout[key] = layout[key]
        finally:
            for obj in targets:
                obj._validate = True
        self._render()

    def _render(self) -> None:
        view = getattr(self, "_view", None)
        if view is None:  # called by go.Figure.__init__ before the view exists
            return
        bundle = plotly_bundle(self.to_dict())
        view.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
        self._renders += 1

    # go.Figure calls these hooks after every completed change (once per batch_update block);
    # FigureWidget uses them to message the browser, FigureView redraws its Output.
    def _send_addTraces_msg(self, *args, **kwargs):
        self._render()

    def _send_moveTraces_msg(self, *args, **kwargs):
        self._render()

    def _send_deleteTraces_msg(self, *args, **kwargs):
        self._render()

    def _send_restyle_msg(self, *args, **kwargs):
        self._render()

    def _send_relayout_msg(self, *args, **kwargs):
        self._render()

    def _send_update_msg(self, *args, **kwargs):
        self._render()

    def _send_animate_msg(self, *args, **kwargs):
        self._render()

    def _repr_mimebundle_(self, *args, **kwargs):

        return app_mimebundle(self._view, **kwargs)

    def _ipython_display_(self):
        from IPython.display import display

        display(self._view)
