"""Widget app(s): a SYNTHETIC cohort of adults with mastocytosis: generator, figures and an explorer app.

Model: :mod:`mastolib.models._cohort`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..figures._cohort import explorer_figure
from ..models._cohort import SYNTHETIC
from ..models._cohort_views import ALL, SEXES, CohortModel
from ._base import STYLE, App


class CohortExplorerApp(App):
    """Filter the SYNTHETIC cohort by subtype, sex and age; three linked views update.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict
        ``"subtype"`` (Dropdown), ``"sex"`` (ToggleButtons), ``"age"`` (IntRangeSlider).
    figure : FigureView
        One figure: tryptase box/strip (log axis, thresholds), age pyramid, Sankey.
    model : CohortModel
    result : CohortView
        What is shown now (``result.n``, ``result.summary``, ...).
    message : str
        Non-empty when the filter matches nobody (shown in the app).
    """

    css_class = "mastolib-cohort"

    def __init__(self, cohort=None):
        self.model = CohortModel(cohort)
        super().__init__()

    def _make_controls(self):
        low, high = self.model.age_range
        return {
            "subtype": w.Dropdown(options=self.model.subtype_options, value=(ALL, ALL),
                                  description="Subtype:", style=STYLE,
                                  layout=w.Layout(width="420px")),
            "sex": w.ToggleButtons(options=list(SEXES), value=ALL, description="Sex:",
                                   style={**STYLE, "button_width": "70px"}),
            "age": w.IntRangeSlider(value=(low, high), min=low, max=high, step=1,
                                    description="Age (years):", continuous_update=False,
                                    style=STYLE, layout=w.Layout(width="420px")),
        }

    def _control_box(self):
        c = self.controls
        return w.VBox([w.HTML(f"<b>{SYNTHETIC} data</b> - generated patients, not real people."),
                       w.HBox([c["subtype"], c["sex"]]), c["age"]])

    def compute(self, values):
        return self.model.view(values["subtype"], values["sex"], values["age"])

    def figure_for(self, result):
        return explorer_figure(self.model, result)

    def _view(self):
        self._summary = w.HTML()
        self._summary.add_class("mastolib-cohort-summary")
        return [*super()._view(), self._summary]

    def render(self, result):
        super().render(result)
        self.show_message(result.message)  # an empty selection is shown, with a message
        self._summary.value = f"<p><b>Summary.</b> {html.escape(result.summary)}</p>"

    def _invalid(self, exc):
        """A rejected filter keeps the last view (the message says what is wrong)."""


def cohort_explorer_app(cohort=None) -> CohortExplorerApp:
    """Build the SYNTHETIC cohort explorer (``app.widget`` is the view).

    Examples
    --------
    >>> import mastolib as ml  # doctest: +SKIP
    >>> app = ml.cohort_explorer_app()  # doctest: +SKIP
    >>> app.controls["sex"].value = "Women"  # doctest: +SKIP
    """
    return CohortExplorerApp(cohort)

