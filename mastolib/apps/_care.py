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
    timeline_opacity,
    treatment_list_html,
    treatment_summary,
    trigger_card,
)
from ._figview import FigureView
from ._static import app_mimebundle


class TriggerExplorerApp:
    """Choose a trigger or a plan; see what happens, what patients do, and the sources.

    The trigger x plan grid is a separate static figure (:func:`trigger_grid_figure`): notebook
    06 already holds one FigureWidget (the treatment timeline), and two plotly widget models
    initialising at once proved unreliable in Voila on a busy machine.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``{"item": Dropdown}``
    figure : None  (no figure in the app; see above)
    result : dict  :meth:`TriggerModel.explain` of the current choice (None if invalid)
    message : str  empty, or what went wrong in words
    """

    def __init__(self, item_id: str = "insect_sting", model: TriggerModel | None = None):

        self.model = model or TriggerModel.load()
        options = ([(f"Trigger: {r['label']}", r["item_id"]) for r in self.model.triggers]
                   + [(f"Plan: {r['label']}", r["item_id"]) for r in self.model.plans])
        self.model.item(item_id)
        self.controls = {"item": w.Dropdown(options=options, value=item_id,
                                            description="Trigger or plan:",
                                            style={"description_width": "initial"},
                                            layout=w.Layout(width="520px"))}
        self.figure = None
        self._card = w.HTML()
        self._card.add_class("mastolib-trigger-card")
        self._message = w.HTML()
        self._message.add_class("mastolib-trigger-message")
        self.controls["item"].observe(self._update, names="value")
        self.widget = w.VBox([self.controls["item"], self._message, self._card])
        self.widget.add_class("mastolib-triggers")
        self.result: dict | None = None
        self.message = ""
        self._update()

    def _update(self, _change=None):
        try:
            self.result = self.model.explain(self.controls["item"].value)
            self.message = ""
        except ValueError as exc:
            self.result, self.message = None, str(exc)
        self._message.value = _message_html(self.message)
        self._card.value = trigger_card(self.result) if self.result else ""

    def _repr_mimebundle_(self, **kwargs):

        return app_mimebundle(self.widget, **kwargs)


def trigger_explorer_app(item_id: str = "insect_sting") -> TriggerExplorerApp:
    """Build the trigger explorer (``app.widget`` is the view)."""
    return TriggerExplorerApp(item_id)


def _message_html(message: str) -> str:
    if not message:
        return ""
    return ("<div role='alert' style='border-left:4px solid #D55E00;padding:4px 8px'>"
            f"<b>⚠ Check the input:</b> {html.escape(message)}</div>")


class TreatmentMapApp:
    """Filter the treatment map by subtype, goal and action on KIT D816V.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``{"subtype": Dropdown, "goal": Dropdown, "d816v_only": Checkbox}``
    figure : plotly FigureWidget  the timeline (matching events opaque, others faded)
    result : list of dict  the rows shown (None if the filters are invalid)
    message : str  empty, or what went wrong in words
    """

    def __init__(self, model: TreatmentModel | None = None):

        self.model = model or TreatmentModel.load()
        self._dated = self.model.dated()
        style = {"description_width": "initial"}
        self.controls = {
            "subtype": w.Dropdown(options=[ALL_SUBTYPES, *TREATMENT_SUBTYPES],
                                  value=ALL_SUBTYPES, description="Subtype:", style=style),
            "goal": w.Dropdown(options=[ALL_GOALS, *self.model.goals], value=ALL_GOALS,
                               description="Goal:", style=style),
            "d816v_only": w.Checkbox(value=False, description="Only agents acting on KIT D816V",
                                     indent=False, style=style),
        }
        self.figure = FigureView(treatment_timeline_figure(self.model))
        self._message = w.HTML()
        self._message.add_class("mastolib-treatment-message")
        self._summary = w.HTML()
        self._summary.add_class("mastolib-treatment-summary")
        self._list = w.HTML()
        self._list.add_class("mastolib-treatment-list")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self.widget = w.VBox([w.HBox(list(self.controls.values())), self._message,
                              self.figure.widget, self._summary, self._list])
        self.widget.add_class("mastolib-treatments")
        self.result: list | None = None
        self.message = ""
        self._update()

    def _update(self, _change=None):
        c = self.controls
        try:
            self.result = self.model.filter(c["subtype"].value, c["goal"].value,
                                            bool(c["d816v_only"].value))
            self.message = ""
        except ValueError as exc:
            self.result, self.message = None, str(exc)
        self._message.value = _message_html(self.message)
        rows = self.result or []
        # A focusable, named scrolling box (axe: scrollable-region-focusable).
        self._list.value = (
            "<div tabindex='0' role='region' aria-label='Treatments shown' "
            "style='max-height:460px;overflow:auto'>" + treatment_list_html(rows) + "</div>"
            if self.result is not None else "")
        self._summary.value = f"<p><b>Summary.</b> {html.escape(treatment_summary(rows))}</p>"
        with self.figure.batch_update():
            self.figure.data[0].marker.opacity = timeline_opacity(
                self._dated, [r["row_id"] for r in rows])

    def _repr_mimebundle_(self, **kwargs):

        return app_mimebundle(self.widget, **kwargs)


def treatment_map_app() -> TreatmentMapApp:
    """Build the treatment map (``app.widget`` is the view)."""
    return TreatmentMapApp()

