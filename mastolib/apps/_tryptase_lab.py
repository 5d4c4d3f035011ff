"""Widget app(s): the tryptase lab (notebook 05): HαT explorer, 20 % + 2 versus NIH ratio, sampling time.

Model: :mod:`mastolib.models._tryptase_lab`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..figures._tryptase_lab import hat_figure, rise_figure, timing_figure
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
from ._base import STYLE, App, field_error


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


def _tryptase(values: dict, key: str, label: str, **kwargs) -> float:
    value, problem = parse_tryptase(values[key], label, **kwargs)
    if problem:
        raise field_error(problem, key)
    return value


class HatExplorerApp(App):
    """HαT explorer: genotype × measured tryptase → adjusted value and the cut-offs.

    Attributes
    ----------
    widget, figure, controls (``"bst"`` Text, ``"copies"`` IntSlider), result
    (HatAssessment or None when the input is invalid), message.
    """

    css_class = "mastolib-hat-explorer"

    def __init__(self, bst_ng_ml: float = 32.0, extra_alpha_copies: int = 1, ruleset=None):
        self._initial = (bst_ng_ml, extra_alpha_copies)
        self.ruleset = ruleset  # whose thresholds the cut-offs use (None: thresholds.csv)
        super().__init__()

    def _make_controls(self):
        bst, copies = self._initial
        return {
            "bst": w.Text(value=f"{bst:g}", description="Measured BST (ng/mL):",
                          continuous_update=False, style=STYLE),
            "copies": w.IntSlider(value=copies, min=0, max=MAX_COPIES,
                                  description="Extra α copies:", style=STYLE),
        }

    def compute(self, values):
        return hat_assessment(_tryptase(values, "bst", "Measured BST"), values["copies"],
                              self.ruleset)

    def figure_for(self, result):
        return hat_figure(result)

    def _view(self):
        self._table = w.HTML()
        self._table.add_class("mastolib-hat-result")
        self._summary = w.HTML()
        return [*super()._view(), self._table, self._summary,
                w.HTML(_notes_html(dict(UNCONFIRMED_NOTES).values()))]

    def render(self, result):
        super().render(result)
        if result is None:
            self._table.value = ""
            self._summary.value = ""
        else:
            self._table.value = _hat_table_html(result)
            self._summary.value = (f"<p class='mastolib-hat-summary'>"
                                   f"{html.escape(result.explanation)}</p>")

    def _invalid(self, exc):
        self.result = None
        if self.figure is not None:
            self.render(None)


def hat_explorer_app(bst_ng_ml: float = 32.0, extra_alpha_copies: int = 1,
                     ruleset=None) -> HatExplorerApp:
    """Build the HαT explorer (``app.widget`` is the view); ``ruleset`` changes the cut-offs."""
    return HatExplorerApp(bst_ng_ml, extra_alpha_copies, ruleset)


class TryptaseRiseApp(App):
    """20 % + 2 versus NIH ratio: baseline and acute boxes, boundary switch, regions plot.

    Attributes
    ----------
    widget, figure, controls (``"baseline"`` Text, ``"acute"`` Text, ``"inclusive"``
    ToggleButtons), result (RiseComparison or None when the input is invalid), message.
    """

    css_class = "mastolib-rise"

    def __init__(self, baseline_ng_ml: float = 5.0, acute_ng_ml: float = 9.0):
        self._initial = (baseline_ng_ml, acute_ng_ml)
        super().__init__()

    def _make_controls(self):
        baseline, acute = self._initial
        return {
            "baseline": w.Text(value=f"{baseline:g}", description="Baseline tryptase "
                               "(ng/mL):", continuous_update=False, style=STYLE),
            "acute": w.Text(value=f"{acute:g}", description="Acute tryptase (ng/mL):",
                            continuous_update=False, style=STYLE),
            "inclusive": w.ToggleButtons(
                options=[("strict > (consensus)", False), ("inclusive ≥ (NIH wording)", True)],
                value=False, description="Boundary:", style=STYLE,
                tooltips=["Exactly at the threshold does not count",
                          "Exactly at the threshold counts"]),
        }

    def _control_box(self):
        c = self.controls
        return w.VBox([w.HBox([c["baseline"], c["acute"]]), c["inclusive"]])

    def compute(self, values):
        baseline = _tryptase(values, "baseline", "Baseline tryptase", allow_zero=False)
        acute = _tryptase(values, "acute", "Acute tryptase")
        return rise_comparison(baseline, acute, values["inclusive"])

    def figure_for(self, result):
        return rise_figure(result)

    def _view(self):
        self._verdict = w.HTML()
        self._verdict.add_class("mastolib-rise-verdict")
        return [self._verdict, *super()._view(),
                w.HTML(f"<p><small>⚑ {html.escape(RISE_BOUNDARY_NOTE)}</small></p>")]

    def render(self, result):
        super().render(result)
        if result is None:
            self._verdict.value = ("<p class='mastolib-rise-verdict-text'><i>No verdict: "
                                   "fix the input above.</i></p>")
        else:
            self._verdict.value = (f"<p class='mastolib-rise-verdict-text'><b>"
                                   f"{html.escape(result.verdict)}</b><br>"
                                   f"{html.escape(result.why)}</p>")

    def _invalid(self, exc):
        self.result = None
        if self.figure is not None:
            self.render(None)


def tryptase_rise_app(baseline_ng_ml: float = 5.0, acute_ng_ml: float = 9.0) -> TryptaseRiseApp:
    """Build the 20 % + 2 versus NIH ratio app (``app.widget`` is the view)."""
    return TryptaseRiseApp(baseline_ng_ml, acute_ng_ml)


class TryptaseTimingApp(App):
    """Sampling-time explorer: slide the acute sample along the tryptase curve.

    Attributes
    ----------
    widget, figure, controls (``"hours"`` FloatSlider, ``"baseline"`` Text, ``"peak"`` Text),
    result (TimingSample or None), message.
    """

    css_class = "mastolib-timing"
    units = {"hours": "h after onset"}

    def __init__(self, hours: float = 1.0, baseline_ng_ml: float = 5.0,
                 peak_ng_ml: float = 15.0):
        self._initial = (hours, baseline_ng_ml, peak_ng_ml)
        super().__init__()

    def _make_controls(self):
        hours, baseline, peak = self._initial
        return {
            "hours": w.FloatSlider(value=hours, min=0, max=24, step=0.25,
                                   description="Sample drawn at (h after onset):", style=STYLE,
                                   continuous_update=True, layout=w.Layout(width="480px")),
            "baseline": w.Text(value=f"{baseline:g}", description="Baseline (ng/mL):",
                               continuous_update=False, style=STYLE),
            "peak": w.Text(value=f"{peak:g}", description="Peak of the event (ng/mL):",
                           continuous_update=False, style=STYLE),
        }

    def _control_box(self):
        c = self.controls
        return w.VBox([c["hours"], w.HBox([c["baseline"], c["peak"]])])

    def compute(self, values):
        baseline = _tryptase(values, "baseline", "Baseline", allow_zero=False)
        peak = _tryptase(values, "peak", "Peak")
        if peak < baseline:
            raise field_error("Peak: the peak of the event cannot be below the baseline.", "peak")
        return timing_sample(values["hours"], baseline, peak)

    def figure_for(self, result):
        return timing_figure(result, result.baseline_ng_ml, result.peak_ng_ml)

    def _view(self):
        self._verdict = w.HTML()
        self._verdict.add_class("mastolib-timing-verdict")
        return [self._verdict, *super()._view()]

    def render(self, result):
        super().render(result)
        self._verdict.value = (f"<p><b>{html.escape(result.verdict)}</b><br>"
                               f"{html.escape(result.advice)}</p>")

    def _invalid(self, exc):
        last, self.result = self.result, None
        if self.figure is not None and last is not None:  # keep the curve, clear the sample
            self.figure.redraw(timing_figure(None, last.baseline_ng_ml, last.peak_ng_ml))
        self._verdict.value = "<p><i>No verdict: fix the input above.</i></p>"


def tryptase_timing_app(hours: float = 1.0, baseline_ng_ml: float = 5.0,
                        peak_ng_ml: float = 15.0) -> TryptaseTimingApp:
    """Build the sampling-time explorer (``app.widget`` is the view)."""
    return TryptaseTimingApp(hours, baseline_ng_ml, peak_ng_ml)
