"""Widget app(s): symptoms, triggers and care (notebook 06): cited tables, figure builders and two apps.

Model: :mod:`mastolib.models._care`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..figures._care import treatment_timeline_figure
from ..models._care import (
    ALL_GOALS,
    ALL_SUBTYPES,
    TREATMENT_SUBTYPES,
    TreatmentModel,
    TriggerModel,
    treatment_list_html,
    treatment_summary,
    trigger_card,
)
from ._base import STYLE, App


class TriggerExplorerApp(App):
    """Choose a trigger or a plan; see what happens, what patients do, and the sources.

    The trigger x plan grid is a separate static figure (:func:`trigger_grid_figure`): notebook
    06 already holds one live figure (the treatment timeline).

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``{"item": Dropdown}``
    figure : None  (no figure in the app; see above)
    result : dict  :meth:`TriggerModel.explain` of the current choice (None if invalid)
    message : str  empty, or what went wrong in words
    """

    css_class = "mastolib-triggers"

    def __init__(self, item_id: str = "insect_sting", model: TriggerModel | None = None):
        self.model = model or TriggerModel.load()
        self.model.item(item_id)
        self._initial = item_id
        super().__init__()

    def _make_controls(self):
        options = ([(f"Trigger: {r['label']}", r["item_id"]) for r in self.model.triggers]
                   + [(f"Plan: {r['label']}", r["item_id"]) for r in self.model.plans])
        return {"item": w.Dropdown(options=options, value=self._initial,
                                   description="Trigger or plan:", style=STYLE,
                                   layout=w.Layout(width="520px"))}

    def compute(self, values):
        return self.model.explain(values["item"])

    def _view(self):
        self._card = w.HTML()
        self._card.add_class("mastolib-trigger-card")
        return [self._card]

    def render(self, result):
        self._card.value = trigger_card(result)

    def _invalid(self, exc):
        self.result = None
        if hasattr(self, "_card"):
            self._card.value = ""


def trigger_explorer_app(item_id: str = "insect_sting") -> TriggerExplorerApp:
    """Build the trigger explorer (``app.widget`` is the view)."""
    return TriggerExplorerApp(item_id)


class TreatmentMapApp(App):
    """Filter the treatment map by subtype, goal and action on KIT D816V.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``{"subtype": Dropdown, "goal": Dropdown, "d816v_only": Checkbox}``
    figure : FigureView  the timeline (matching events opaque, others faded)
    result : list of dict  the rows shown (None if the filters are invalid)
    message : str  empty, or what went wrong in words
    """

    css_class = "mastolib-treatments"

    def __init__(self, model: TreatmentModel | None = None):
        self.model = model or TreatmentModel.load()
        super().__init__()

    def _make_controls(self):
        return {
            "subtype": w.Dropdown(options=[ALL_SUBTYPES, *TREATMENT_SUBTYPES],
                                  value=ALL_SUBTYPES, description="Subtype:", style=STYLE),
            "goal": w.Dropdown(options=[ALL_GOALS, *self.model.goals], value=ALL_GOALS,
                               description="Goal:", style=STYLE),
            "d816v_only": w.Checkbox(value=False, description="Only agents acting on KIT D816V",
                                     indent=False, style=STYLE),
        }

    def compute(self, values):
        return self.model.filter(values["subtype"], values["goal"], bool(values["d816v_only"]))

    def figure_for(self, result):
        return treatment_timeline_figure(self.model, [r["row_id"] for r in result])

    def _view(self):
        self._summary = w.HTML()
        self._summary.add_class("mastolib-treatment-summary")
        self._list = w.HTML()
        self._list.add_class("mastolib-treatment-list")
        return [*super()._view(), self._summary, self._list]

    def render(self, result):
        super().render(result)
        # A focusable, named scrolling box (axe: scrollable-region-focusable).
        self._list.value = ("<div tabindex='0' role='region' aria-label='Treatments shown' "
                            "style='max-height:460px;overflow:auto'>"
                            + treatment_list_html(result) + "</div>")
        self._summary.value = f"<p><b>Summary.</b> {html.escape(treatment_summary(result))}</p>"

    def _invalid(self, exc):
        self.result = None
        if hasattr(self, "_list"):
            self._list.value = ""
            self._summary.value = f"<p><b>Summary.</b> {html.escape(treatment_summary([]))}</p>"


def treatment_map_app() -> TreatmentMapApp:
    """Build the treatment map (``app.widget`` is the view)."""
    return TreatmentMapApp()
