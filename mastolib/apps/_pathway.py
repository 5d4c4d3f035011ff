"""Widget app(s): the diagnostic pathway (notebook 04): a pure path model, a flowchart builder and an app.

Model: :mod:`mastolib.models._pathway`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..figures._pathway import pathway_figure
from ..models._pathway import PathStep, Pathway, _pathway
from ..models._pathway_path import case_options, case_path, pathway_summary
from ..tables._registry import check_id
from ._base import STYLE, App

# --------------------------------------------------------------------------------- the app


def _panel_html(mp: Pathway, ps: PathStep, k: int, n: int) -> str:
    s = mp.step(ps.step_id)
    e = html.escape
    status = {"done": "✓ result in the record", "not done": "○ not done in this record",
              "decision": "◆ decision", "end": "■ end of the path"}[ps.status]
    decision = (f"<p><b>Next:</b> {e(ps.decision)}</p>" if ps.decision else "")
    return (f"<div class='mastolib-pathway-step' style='border-left:6px solid #D55E00;"
            f"padding:4px 10px;line-height:1.35;font-size:13px'>"
            f"<div><small>Step {k + 1} of {n} · {e(status)}</small></div>"
            f"<h4 style='margin:4px 0'>{e(s.label)}</h4>"
            f"<p class='mastolib-pathway-result'><b>This patient:</b> {e(ps.result)}</p>"
            f"{decision}"
            f"<p><b>Why this step:</b> {e(s.why)}</p>"
            f"<p><b>What it can show:</b> {e(s.what_it_shows)}</p>"
            f"<p><b>What it costs the patient:</b> {e(s.cost_to_patient)}</p>"
            f"<p><small>Sources: <code>{e(s.source_id)}</code></small></p></div>")


class PathwayApp(App):
    """Step through the diagnostic pathway with one virtual patient.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict
        ``"patient"`` (Dropdown), ``"step"`` (IntSlider, 1-based), ``"previous"`` and
        ``"next"`` (Buttons that move the step slider).
    figure : FigureView
    result : PatientPath
        The current patient's path.
    message : str
        Feedback for the learner (e.g. at the end of the path).
    """

    css_class = "mastolib-pathway"

    def __init__(self, case_id: str | None = None):
        self._options = case_options()
        ids = [cid for _, cid in self._options]
        if case_id is None:
            case_id = ids[0]
        check_id("case", case_id, ids)
        self._initial = case_id
        self._mp = _pathway()
        super().__init__()
        self.controls["previous"].on_click(lambda _b: self._move(-1))
        self.controls["next"].on_click(lambda _b: self._move(+1))

    def _make_controls(self):
        controls = {
            "patient": w.Dropdown(options=self._options, value=self._initial,
                                  description="Choose patient:", style=STYLE,
                                  layout=w.Layout(width="460px")),
            "step": w.IntSlider(value=1, min=1, max=len(case_path(self._initial)),
                                description="Step:", continuous_update=True, readout=True),
            "previous": w.Button(description="Previous step", icon="arrow-left",
                                 tooltip="Go back one step"),
            "next": w.Button(description="Next step", icon="arrow-right",
                             button_style="primary", tooltip="Go to the next step"),
        }
        controls["previous"].add_class("mastolib-pathway-previous")
        controls["next"].add_class("mastolib-pathway-next")
        return controls

    def _control_box(self):
        c = self.controls
        return w.VBox([c["patient"], w.HBox([c["previous"], c["next"], c["step"]])])

    def compute(self, values):
        return case_path(values["patient"])

    def _step_index(self, result) -> int:
        return min(self.controls["step"].value, len(result)) - 1

    def figure_for(self, result):
        return pathway_figure(result, self._step_index(result))

    def _view(self):
        self._panel = w.HTML(layout=w.Layout(width="300px"))
        self._panel.add_class("mastolib-pathway-panel")
        self._summary = w.HTML()
        self._summary.add_class("mastolib-pathway-summary")
        return [w.HBox([self.figure.widget, self._panel], layout=w.Layout(flex_flow="row wrap")),
                self._summary]

    def update(self):
        result = self._try_compute()
        if result is None:
            return
        patient = self.controls["patient"].value
        if patient != self._shown:  # a new patient starts at step 1
            self.controls["step"].value = 1  # (the busy guard keeps this from re-entering)
            self.controls["step"].max = len(result)
        self.result = result
        self.render(result)

    def render(self, result):
        super().render(result)
        self._shown = self.controls["patient"].value
        k = self._step_index(result)
        self._panel.value = _panel_html(self._mp, result.steps[k], k, len(result))
        self._summary.value = f"<small>{html.escape(pathway_summary(result))}</small>"

    def _move(self, delta: int):
        slider = self.controls["step"]
        target = slider.value + delta
        if target < slider.min:
            self.show_message("You are at the first step: the path starts with the clinical "
                              "suspicion.")
        elif target > slider.max:
            self.show_message("This is the last step of this patient's path. Choose another "
                              "patient to compare.")
        else:
            slider.value = target

    @property
    def current_step(self) -> PathStep:
        return self.result.steps[self.controls["step"].value - 1]


def pathway_app(case_id: str | None = None) -> PathwayApp:
    """Build the step-through pathway app (``app.widget`` is the view).

    Parameters
    ----------
    case_id : str, optional
        Virtual patient to start with (default: the first case of ``data/cases.csv``).
    """
    return PathwayApp(case_id)

