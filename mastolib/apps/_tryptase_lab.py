"""Widget app(s): the tryptase lab (notebook 05): HαT explorer, 20 % + 2 versus NIH ratio, sampling time.

Model: :mod:`mastolib.models._tryptase_lab`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..figures._tryptase_lab import (
    _REGION_STYLE,
    _hat_points,
    _hat_y_range,
    _rise_dynamic,
    _timing_dynamic,
    hat_figure,
    rise_figure,
    timing_figure,
)
from ..models._tryptase_lab import (
    MAX_COPIES,
    RISE_BOUNDARY_NOTE,
    UNCONFIRMED_NOTES,
    HatAssessment,
    hat_assessment,
    parse_tryptase,
    rise_comparison,
    timing_sample,
)
from ._figview import FigureView
from ._static import app_mimebundle


def _hat_table_html(a: HatAssessment) -> str:
    def mark(met):
        return "✓ yes" if met else "✗ no"

    rows = []
    for c in a.checks:
        flag = ("" if c.adjustment == "WHO adjusts"
                else " <span title='unconfirmed'>⚑ unconfirmed</span>")
        changed = " <b>(changes)</b>" if c.changes else ""
        rows.append(f"<tr><td>{html.escape(c.label)}</td><td>{html.escape(c.rule)}</td>"
                    f"<td>{mark(c.met_measured)}</td><td>{mark(c.met_adjusted)}{changed}</td>"
                    f"<td>{c.adjustment if not flag else ''}{flag}</td></tr>")
    return ("<table class='mastolib-hat-table' style='border-collapse:collapse'>"
            "<tr><th align='left'>Cut-off</th><th align='left'>Rule</th><th>Measured value"
            "</th><th>Adjusted value</th><th>Adjustment applies?</th></tr>"
            + "".join(rows) + "</table>")


def _notes_html(notes) -> str:
    items = "".join(f"<li>⚑ {html.escape(n)}</li>" for n in notes)
    return (f"<details open class='mastolib-unconfirmed'><summary><b>⚑ Unconfirmed points "
            f"({len(notes)})</b></summary><ul>{items}</ul></details>")


class _App:
    """Shared bits: message area, repr."""

    def _set_message(self, text: str):
        self.message = text
        self._message.value = (f"<div role='alert' class='mastolib-message' "
                               f"style='color:#8A3A00'><b>⚠ {html.escape(text)}</b></div>"
                               if text else "")

    def _repr_mimebundle_(self, **kwargs):

        return app_mimebundle(self.widget, **kwargs)


class HatExplorerApp(_App):
    """HαT explorer: genotype × measured tryptase → adjusted value and the cut-offs.

    Attributes
    ----------
    widget, figure, controls (``"bst"`` Text, ``"copies"`` IntSlider), result
    (HatAssessment or None when the input is invalid), message.
    """

    def __init__(self, bst_ng_ml: float = 32.0, extra_alpha_copies: int = 1):

        self.controls = {
            "bst": w.Text(value=f"{bst_ng_ml:g}", description="Measured BST (ng/mL):",
                          continuous_update=False, style={"description_width": "initial"}),
            "copies": w.IntSlider(value=extra_alpha_copies, min=0, max=MAX_COPIES,
                                  description="Extra α copies:",
                                  style={"description_width": "initial"}),
        }
        self.result = None
        self.message = ""
        self.figure = None
        self._message = w.HTML()
        self._table = w.HTML()
        self._table.add_class("mastolib-hat-result")
        self._summary = w.HTML()
        self._update()
        # The figure is built from the initial state and not updated before it is displayed
        # (an update queued before the front end drew it left the plot blank in JupyterLab).
        self.figure = FigureView(hat_figure(self.result))
        self._trace = {t.name: i for i, t in enumerate(self.figure.data)}
        for c in self.controls.values():
            c.observe(self._update, names="value")
        self.widget = w.VBox([w.HBox(list(self.controls.values())), self._message,
                              self.figure.widget, self._table, self._summary,
                              w.HTML(_notes_html(dict(UNCONFIRMED_NOTES).values()))])
        self.widget.add_class("mastolib-hat-explorer")

    def _update(self, _change=None):
        bst, problem = parse_tryptase(self.controls["bst"].value, "Measured BST")
        self.result = None if bst is None else hat_assessment(bst, self.controls["copies"].value)
        self._set_message(problem)
        pts = _hat_points(self.result)
        fig = self.figure
        if fig is not None:
            t = self._trace
            with fig.batch_update():
                for name, key in (("Measured", "measured"), ("HαT-adjusted", "adjusted")):
                    tr = fig.data[t[name]]
                    tr.x, tr.y, tr.text = pts[key]
                arrow = fig.data[t["Adjustment"]]
                arrow.x, arrow.y = pts["arrow"]
                sel = fig.data[t["This genotype"]]
                sel.x, sel.y = pts["selected"][0], pts["selected"][1]
                sel.error_y.array = [e[1] for e in pts["selected"][2]]
                sel.error_y.arrayminus = [e[0] for e in pts["selected"][2]]
                fig.layout.yaxis.range = _hat_y_range(self.result)
        if self.result is None:
            self._table.value = ""
            self._summary.value = ""
        else:
            self._table.value = _hat_table_html(self.result)
            self._summary.value = (f"<p class='mastolib-hat-summary'>"
                                   f"{html.escape(self.result.explanation)}</p>")


def hat_explorer_app(bst_ng_ml: float = 32.0, extra_alpha_copies: int = 1) -> HatExplorerApp:
    """Build the HαT explorer (``app.widget`` is the view)."""
    return HatExplorerApp(bst_ng_ml, extra_alpha_copies)


class TryptaseRiseApp(_App):
    """20 % + 2 versus NIH ratio: baseline and acute boxes, boundary switch, regions plot.

    Attributes
    ----------
    widget, figure, controls (``"baseline"`` Text, ``"acute"`` Text, ``"inclusive"``
    ToggleButtons), result (RiseComparison or None when the input is invalid), message.
    """

    def __init__(self, baseline_ng_ml: float = 5.0, acute_ng_ml: float = 9.0):

        style = {"description_width": "initial"}
        self.controls = {
            "baseline": w.Text(value=f"{baseline_ng_ml:g}", description="Baseline tryptase "
                               "(ng/mL):", continuous_update=False, style=style),
            "acute": w.Text(value=f"{acute_ng_ml:g}", description="Acute tryptase (ng/mL):",
                            continuous_update=False, style=style),
            "inclusive": w.ToggleButtons(
                options=[("strict > (consensus)", False), ("inclusive ≥ (NIH wording)", True)],
                value=False, description="Boundary:", style=style,
                tooltips=["Exactly at the threshold does not count",
                          "Exactly at the threshold counts"]),
        }
        self.result = None
        self.message = ""
        self.figure = None
        self._region_names = {k: f"Region: {_REGION_STYLE[k][2]}" for k in _REGION_STYLE}
        self._message = w.HTML()
        self._verdict = w.HTML()
        self._verdict.add_class("mastolib-rise-verdict")
        self._update()
        # The figure is built from the initial state and not updated before it is displayed
        # (an update queued before the front end drew it left the plot blank in JupyterLab).
        self.figure = FigureView(rise_figure(self.result))
        self._trace = {t.name: i for i, t in enumerate(self.figure.data)}
        for c in self.controls.values():
            c.observe(self._update, names="value")
        c = self.controls
        self.widget = w.VBox([w.HBox([c["baseline"], c["acute"]]), c["inclusive"],
                              self._message, self._verdict, self.figure.widget,
                              w.HTML(f"<p><small>⚑ {html.escape(RISE_BOUNDARY_NOTE)}</small></p>")])
        self.widget.add_class("mastolib-rise")

    def _update(self, _change=None):
        c = self.controls
        baseline, p1 = parse_tryptase(c["baseline"].value, "Baseline tryptase", allow_zero=False)
        acute, p2 = parse_tryptase(c["acute"].value, "Acute tryptase")
        self.result = (rise_comparison(baseline, acute, c["inclusive"].value)
                       if baseline is not None and acute is not None else None)
        self._set_message(" ".join(p for p in (p1, p2) if p))
        d = _rise_dynamic(self.result)
        fig = self.figure
        if fig is not None:
            t = self._trace
            with fig.batch_update():
                for key, name in self._region_names.items():
                    fig.data[t[name]].x, fig.data[t[name]].y = d["regions"][key]
                fig.data[t[next(n for n in t if n.startswith("20 % + 2"))]].update(
                    x=d["lines"]["20+2"][0], y=d["lines"]["20+2"][1])
                fig.data[t[next(n for n in t if n.startswith("NIH:"))]].update(
                    x=d["lines"]["nih"][0], y=d["lines"]["nih"][1])
                labels = fig.data[t["Region labels"]]
                labels.x, labels.y = d["labels"][0], d["labels"][1]
                point = fig.data[t["This patient"]]
                px, py, ptext, psym = d["point"]
                point.x, point.y, point.text = px, py, ptext
                point.marker.symbol = psym[0] if psym else "circle"
                fig.layout.xaxis.range = [0, d["x_max"]]
                fig.layout.yaxis.range = [0, d["y_max"]]
        if self.result is None:
            self._verdict.value = ("<p class='mastolib-rise-verdict-text'><i>No verdict: "
                                   "fix the input above.</i></p>")
        else:
            r = self.result
            self._verdict.value = (f"<p class='mastolib-rise-verdict-text'><b>"
                                   f"{html.escape(r.verdict)}</b><br>{html.escape(r.why)}</p>")


def tryptase_rise_app(baseline_ng_ml: float = 5.0, acute_ng_ml: float = 9.0) -> TryptaseRiseApp:
    """Build the 20 % + 2 versus NIH ratio app (``app.widget`` is the view)."""
    return TryptaseRiseApp(baseline_ng_ml, acute_ng_ml)


class TryptaseTimingApp(_App):
    """Sampling-time explorer: slide the acute sample along the tryptase curve.

    Attributes
    ----------
    widget, figure, controls (``"hours"`` FloatSlider, ``"baseline"`` Text, ``"peak"`` Text),
    result (TimingSample or None), message.
    """

    def __init__(self, hours: float = 1.0, baseline_ng_ml: float = 5.0,
                 peak_ng_ml: float = 15.0):

        style = {"description_width": "initial"}
        self.controls = {
            "hours": w.FloatSlider(value=hours, min=0, max=24, step=0.25,
                                   description="Sample drawn at (h after onset):", style=style,
                                   continuous_update=True, layout=w.Layout(width="480px")),
            "baseline": w.Text(value=f"{baseline_ng_ml:g}", description="Baseline (ng/mL):",
                               continuous_update=False, style=style),
            "peak": w.Text(value=f"{peak_ng_ml:g}", description="Peak of the event (ng/mL):",
                           continuous_update=False, style=style),
        }
        self.result = None
        self.message = ""
        self.figure = None
        self._message = w.HTML()
        self._verdict = w.HTML()
        self._verdict.add_class("mastolib-timing-verdict")
        self._update()
        # The figure is built from the initial state and not updated before it is displayed
        # (an update queued before the front end drew it left the plot blank in JupyterLab).
        self.figure = FigureView(timing_figure(self.result, baseline_ng_ml, peak_ng_ml))
        self._trace = {t.name: i for i, t in enumerate(self.figure.data)}
        for c in self.controls.values():
            c.observe(self._update, names="value")
        c = self.controls
        self.widget = w.VBox([c["hours"], w.HBox([c["baseline"], c["peak"]]), self._message,
                              self._verdict, self.figure.widget])
        self.widget.add_class("mastolib-timing")

    def _update(self, _change=None):
        c = self.controls
        baseline, p1 = parse_tryptase(c["baseline"].value, "Baseline", allow_zero=False)
        peak, p2 = parse_tryptase(c["peak"].value, "Peak")
        problem = " ".join(p for p in (p1, p2) if p)
        if not problem and peak < baseline:
            problem = "Peak: the peak of the event cannot be below the baseline."
        self._set_message(problem)
        if problem:
            self.result = None
            if self.figure is not None:
                t = self._trace
                with self.figure.batch_update():
                    pt = self.figure.data[t["Your sample"]]
                    pt.x, pt.y = [], []
            self._verdict.value = "<p><i>No verdict: fix the input above.</i></p>"
            return
        self.result = timing_sample(c["hours"].value, baseline, peak)
        d = _timing_dynamic(self.result, baseline, peak)
        fig = self.figure
        if fig is not None:
            t = self._trace
            with fig.batch_update():
                for name, key in (("Serum tryptase (model)", "curve"), ("20 % + 2 threshold", "t20"),
                                  ("NIH threshold", "tnih"), ("Your sample", "point")):
                    fig.data[t[name]].x, fig.data[t[name]].y = d[key]
                fig.layout.yaxis.range = [0, d["y_max"]]
        r = self.result
        self._verdict.value = (f"<p><b>{html.escape(r.verdict)}</b><br>"
                               f"{html.escape(r.advice)}</p>")


def tryptase_timing_app(hours: float = 1.0, baseline_ng_ml: float = 5.0,
                        peak_ng_ml: float = 15.0) -> TryptaseTimingApp:
    """Build the sampling-time explorer (``app.widget`` is the view)."""
    return TryptaseTimingApp(hours, baseline_ng_ml, peak_ng_ml)

