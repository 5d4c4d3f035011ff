"""Widget app(s): a SYNTHETIC cohort of adults with mastocytosis: generator, figures and an explorer app.

Model: :mod:`mastolib.models._cohort`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..figures._cohort import _explorer_title, _sankey_trace_kwargs, explorer_figure
from ..models._cohort import ALL, SEXES, SYNTHETIC, CohortModel, CohortView, _n
from ._figview import FigureView
from ._static import app_mimebundle


class CohortExplorerApp:
    """Filter the SYNTHETIC cohort by subtype, sex and age; three linked views update.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict
        ``"subtype"`` (Dropdown), ``"sex"`` (ToggleButtons), ``"age"`` (IntRangeSlider).
    figure : plotly.graph_objects.FigureWidget
        One FigureWidget: tryptase box/strip (log axis, thresholds), age pyramid, Sankey.
    model : CohortModel
    result : CohortView
        What is shown now (``result.n``, ``result.summary``, ...).
    message : str
        Non-empty when the filter matches nobody (shown in the app).
    """

    def __init__(self, cohort=None):

        self.model = CohortModel(cohort)
        low, high = self.model.age_range
        self.controls = {
            "subtype": w.Dropdown(options=self.model.subtype_options, value=(ALL, ALL),
                                  description="Subtype:", style={"description_width": "initial"},
                                  layout=w.Layout(width="420px")),
            "sex": w.ToggleButtons(options=list(SEXES), value=ALL, description="Sex:",
                                   style={"description_width": "initial",
                                          "button_width": "70px"}),
            "age": w.IntRangeSlider(value=(low, high), min=low, max=high, step=1,
                                    description="Age (years):", continuous_update=False,
                                    style={"description_width": "initial"},
                                    layout=w.Layout(width="420px")),
        }
        self.result = self.model.view()
        self.figure = FigureView(explorer_figure(self.model, self.result))
        self._summary = w.HTML()
        self._summary.add_class("mastolib-cohort-summary")
        self._message = w.HTML()
        self._message.add_class("mastolib-cohort-message")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self.widget = w.VBox([
            w.HTML(f"<b>{SYNTHETIC} data</b> - generated patients, not real people."),
            w.HBox([self.controls["subtype"], self.controls["sex"]]), self.controls["age"],
            self._message, self.figure.widget, self._summary])
        self.widget.add_class("mastolib-cohort")
        self.message = ""
        self._show(self.result)

    def _update(self, _change=None):
        try:
            view = self.model.view(self.controls["subtype"].value, self.controls["sex"].value,
                                   self.controls["age"].value)
        except ValueError as exc:
            self.message = str(exc)
            self._message.value = f"<div style='color:#D55E00'>⚠ {html.escape(self.message)}</div>"
            return
        self.result = view
        with self.figure.batch_update():
            box, women, men, sankey = self.figure.data
            box.x, box.y = view.tryptase["x"], view.tryptase["y"]
            counts = {"women": [int(v) for v in view.pyramid["women"]],
                      "men": [int(v) for v in view.pyramid["men"]]}
            women.x, women.customdata = [-v for v in counts["women"]], counts["women"]
            women.text = [_n(v) for v in counts["women"]]
            men.x, men.customdata = counts["men"], counts["men"]
            men.text = [_n(v) for v in counts["men"]]
            kwargs = _sankey_trace_kwargs(view.sankey)
            sankey.link.value = kwargs["link"]["value"]
            sankey.node.label = kwargs["node"]["label"]
            self.figure.layout.title.text = _explorer_title(view, len(self.model.cohort))
        self._show(view)

    def _show(self, view: CohortView):
        self.message = view.message
        self._message.value = (f"<div style='color:#D55E00'>⚠ {html.escape(view.message)}</div>"
                               if view.message else "")
        self._summary.value = f"<p><b>Summary.</b> {html.escape(view.summary)}</p>"

    def _repr_mimebundle_(self, **kwargs):

        return app_mimebundle(self.widget, **kwargs)


def cohort_explorer_app(cohort=None) -> CohortExplorerApp:
    """Build the SYNTHETIC cohort explorer (``app.widget`` is the view).

    Examples
    --------
    >>> import mastolib as ml  # doctest: +SKIP
    >>> app = ml.cohort_explorer_app()  # doctest: +SKIP
    >>> app.controls["sex"].value = "Women"  # doctest: +SKIP
    """
    return CohortExplorerApp(cohort)

