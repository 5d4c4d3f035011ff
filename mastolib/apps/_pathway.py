"""Widget app(s): the diagnostic pathway (notebook 04): a pure path model, a flowchart builder and an app.

Model: :mod:`mastolib.models._pathway`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..figures._pathway import pathway_figure
from ..models._pathway import (
    _BOX,
    _STATES,
    PathStep,
    Pathway,
    _pathway,
    case_options,
    case_path,
    flowchart_state,
    pathway_summary,
)
from ._figview import FigureView
from ._static import app_mimebundle

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


class PathwayApp:
    """Step through the diagnostic pathway with one virtual patient.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict
        ``"patient"`` (Dropdown), ``"step"`` (IntSlider, 1-based), ``"previous"`` and
        ``"next"`` (Buttons that move the step slider).
    figure : plotly.graph_objects.FigureWidget
    result : PatientPath
        The current patient's path.
    message : str
        Feedback for the learner (e.g. at the end of the path).
    """

    def __init__(self, case_id: str | None = None):

        options = case_options()
        ids = [cid for _, cid in options]
        if case_id is None:
            case_id = ids[0]
        if case_id not in ids:
            raise ValueError(f"unknown case {case_id!r}; cases: {ids}")
        self._mp = _pathway()
        self.result = case_path(case_id)
        self.message = ""
        self.controls = {
            "patient": w.Dropdown(options=options, value=case_id, description="Choose patient:",
                                  style={"description_width": "initial"},
                                  layout=w.Layout(width="460px")),
            "step": w.IntSlider(value=1, min=1, max=len(self.result), description="Step:",
                                continuous_update=True, readout=True),
            "previous": w.Button(description="Previous step", icon="arrow-left",
                                 tooltip="Go back one step"),
            "next": w.Button(description="Next step", icon="arrow-right",
                             button_style="primary", tooltip="Go to the next step"),
        }
        self.controls["previous"].add_class("mastolib-pathway-previous")
        self.controls["next"].add_class("mastolib-pathway-next")
        # Built from the initial state and never updated before it is displayed: an update
        # queued before the front end draws the figure left it blank in JupyterLab.
        self.figure = FigureView(pathway_figure(self.result, 0))
        self._trace = {t.name: i for i, t in enumerate(self.figure.data)}
        self._syncing = False
        self._panel = w.HTML(layout=w.Layout(width="300px"))
        self._panel.add_class("mastolib-pathway-panel")
        self._message = w.HTML()
        self._message.add_class("mastolib-pathway-message")
        self._summary = w.HTML()
        self._summary.add_class("mastolib-pathway-summary")
        self.controls["previous"].on_click(lambda _b: self._move(-1))
        self.controls["next"].on_click(lambda _b: self._move(+1))
        self.controls["patient"].observe(self._update, names="value")
        self.controls["step"].observe(self._update, names="value")
        c = self.controls
        self.widget = w.VBox([
            c["patient"], w.HBox([c["previous"], c["next"], c["step"]]), self._message,
            w.HBox([self.figure.widget, self._panel], layout=w.Layout(flex_flow="row wrap")),
            self._summary])
        self.widget.add_class("mastolib-pathway")
        self._render_text(0)

    def _move(self, delta: int):
        slider = self.controls["step"]
        target = slider.value + delta
        if target < slider.min:
            self._set_message("You are at the first step: the path starts with the clinical "
                              "suspicion.")
        elif target > slider.max:
            self._set_message("This is the last step of this patient's path. Choose another "
                              "patient to compare.")
        else:
            slider.value = target

    def _set_message(self, text: str):
        self.message = text
        self._message.value = (f"<div role='status' style='color:#8A3A00'>{html.escape(text)}"
                               "</div>" if text else "")

    def _update(self, change=None):
        c = self.controls
        if self._syncing:
            return  # the slider is being reset for a new patient; render once, below
        if change is not None and change["owner"] is c["patient"]:
            self.result = case_path(c["patient"].value)
            self._syncing = True
            try:
                c["step"].value = 1
                c["step"].max = len(self.result)
            finally:
                self._syncing = False
        k = c["step"].value - 1
        st = flowchart_state(self.result, k)
        fig, t = self.figure, self._trace
        with fig.batch_update():
            for name, key in (("Path so far", "so_far"), ("Path ahead", "ahead")):
                fig.data[t[name]].x, fig.data[t[name]].y = st[key]
            badges = fig.data[t["Step numbers"]]
            badges.x, badges.y, badges.text = st["badges"]
            cur = fig.data[t["Current step"]]
            cur.x, cur.y, cur.customdata = st["current"]
            for state in _STATES:
                box = fig.data[t[_BOX[state]["name"]]]
                box.x, box.y = st["boxes"][state]
            labels = fig.data[t["Steps"]]
            labels.text, labels.textfont.color = st["labels"]
            fig.layout.title.text = f"The diagnostic pathway ({self.result.branch})"
        self._render_text(k)

    def _render_text(self, k: int):
        ps = self.result.steps[k]
        self._panel.value = _panel_html(self._mp, ps, k, len(self.result))
        self._summary.value = f"<small>{html.escape(pathway_summary(self.result))}</small>"
        self._set_message("")

    @property
    def current_step(self) -> PathStep:
        return self.result.steps[self.controls["step"].value - 1]

    def _repr_mimebundle_(self, **kwargs):

        return app_mimebundle(self.widget, **kwargs)


def pathway_app(case_id: str | None = None) -> PathwayApp:
    """Build the step-through pathway app (``app.widget`` is the view).

    Parameters
    ----------
    case_id : str, optional
        Virtual patient to start with (default: the first case of ``data/cases.csv``).
    """
    return PathwayApp(case_id)

