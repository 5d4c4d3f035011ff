"""Figures: the tryptase lab (notebook 05): HαT explorer, 20 % + 2 versus NIH ratio, sampling time.

Model: :mod:`mastolib.models._tryptase_lab`.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from ..engine._logic import SYMBOLS
from ..models._biology import kinetics_model, sampling_rules
from ..models._tryptase_lab import (
    AGREEMENT,
    MAX_COPIES,
    HatAssessment,
    RiseComparison,
    TimingSample,
    _fmt,
    _hat_reference_rows,
    _thresholds,
    rise_constants,
    rise_regions,
    rise_view_range,
    tryptase_ruler_summary,
)
from ..tables._data import load_records
from ._result import FigureResult
from ._theme import OKABE_ITO, apply_theme

# The three cut-off lines: (threshold id, name, dash). Numbers and operators come from the
# threshold rows (data/thresholds.csv or the assessment's rule set), never from here.
_HAT_LINES = (("minor_tryptase", "WHO minor", "dash"),
              ("bmm_tryptase", "BMM limit", "dot"),
              ("b1_tryptase_who", "WHO B1 arm", "dashdot"))


def _hat_lines(rows: dict):
    """``(threshold id, label, dash, value)`` of each cut-off line, labels built from ``rows``."""
    for tid, name, dash in _HAT_LINES:
        row = rows[tid]
        yield tid, f"{name}: {SYMBOLS[row['operator']]} {row['value']:g}", dash, row["value"]


def _hat_y_range(a: HatAssessment | None) -> list:
    top = max(1000.0, (a.bst_ng_ml * 1.5) if a is not None else 0.0)
    return [0.0, math.log10(top)]


def _hat_points(a: HatAssessment | None) -> dict:
    if a is None:
        return {"measured": ([], [], []), "adjusted": ([], [], []), "arrow": ([], []),
                "selected": ([], [], [])}
    n = a.extra_alpha_copies
    ref = a.reference
    floor = 1.0  # log axis: values below 1 ng/mL are drawn at 1
    m, adj = max(a.bst_ng_ml, floor), max(a.adjusted_ng_ml, floor)
    return {"measured": ([n - 0.12], [m], [f"measured {_fmt(a.bst_ng_ml)}"]),
            "adjusted": ([n + 0.12], [adj], [f"adjusted {a.adjusted_ng_ml:.1f}"]),
            "arrow": ([n - 0.12, n + 0.12], [m, adj]),
            "selected": ([n], [ref.median_ng_ml],
                         [[ref.median_ng_ml - ref.low_ng_ml, ref.high_ng_ml - ref.median_ng_ml]])}


def hat_figure(assessment: HatAssessment | None = None):
    """Measured and HαT-adjusted tryptase against the per-genotype reference and cut-offs.

    x: extra α copies (0-4); y: basal tryptase, ng/mL (log scale). Traces: ``"Published
    median (range)"``, ``"Measured BST needed for the WHO minor"`` (20 × (1 + n)), the three
    cut-off lines, ``"This genotype"``, ``"Measured"``, ``"HαT-adjusted"`` and
    ``"Adjustment"``.
    """


    refs = _hat_reference_rows()
    xs = [r.extra_alpha_copies for r in refs]
    cut = _thresholds() if assessment is None else {
        c.threshold_id: {"operator": c.operator, "value": c.value} for c in assessment.checks}
    minor = cut["minor_tryptase"]["value"]
    fig = go.Figure()
    fig.add_scatter(x=xs, y=[r.median_ng_ml for r in refs], mode="markers",
                    name="Published median (range)",
                    marker=dict(symbol="diamond", size=11, color="#777777"),
                    error_y=dict(type="data", symmetric=False, color="#999999", thickness=2,
                                 array=[r.high_ng_ml - r.median_ng_ml for r in refs],
                                 arrayminus=[r.median_ng_ml - r.low_ng_ml for r in refs]),
                    hovertemplate="%{x} extra copies: median %{y} ng/mL<extra></extra>")
    fig.add_scatter(x=xs, y=[minor * (1 + n) for n in xs], mode="lines+markers",
                    name=f"Measured BST needed for the WHO minor ({minor:g} × (1 + n))",
                    line=dict(color=OKABE_ITO["bluish_green"], shape="hv", width=2),
                    marker=dict(symbol="triangle-up", size=9))
    for _tid, label, dash, value in _hat_lines(cut):
        fig.add_scatter(x=[-0.5, MAX_COPIES + 0.5], y=[value, value], mode="lines+text",
                        name=label, text=["", label], textposition="top left",
                        line=dict(color="#444444", width=1.5, dash=dash), hoverinfo="skip",
                        showlegend=False)
    pts = _hat_points(assessment)
    fig.add_scatter(x=pts["selected"][0], y=pts["selected"][1], mode="markers",
                    name="This genotype", hoverinfo="skip",
                    marker=dict(symbol="diamond-open", size=18, color=OKABE_ITO["black"],
                                line=dict(width=2)),
                    error_y=dict(type="data", symmetric=False, color=OKABE_ITO["black"],
                                 thickness=3, array=[e[1] for e in pts["selected"][2]],
                                 arrayminus=[e[0] for e in pts["selected"][2]]))
    fig.add_scatter(x=pts["arrow"][0], y=pts["arrow"][1], mode="lines", name="Adjustment",
                    line=dict(color="#555555", width=2), hoverinfo="skip", showlegend=False)
    fig.add_scatter(x=pts["measured"][0], y=pts["measured"][1], text=pts["measured"][2],
                    mode="markers+text", textposition="middle left", name="Measured",
                    marker=dict(symbol="circle", size=14, color=OKABE_ITO["vermillion"],
                                line=dict(color="black", width=1)))
    fig.add_scatter(x=pts["adjusted"][0], y=pts["adjusted"][1], text=pts["adjusted"][2],
                    mode="markers+text", textposition="middle right", name="HαT-adjusted",
                    marker=dict(symbol="square", size=14, color=OKABE_ITO["blue"],
                                line=dict(color="black", width=1)))
    # 560 px and a short y title: at 1024 px the legend takes four rows under the plot, and
    # a longer vertical title ran past the plot into the figure title.
    apply_theme(fig, title="Basal tryptase by tryptase genotype", height=560)
    fig.update_layout(
        xaxis=dict(title_text="Extra α-tryptase copies (TPSAB1)", tickvals=xs,
                   range=[-0.5, MAX_COPIES + 0.5]),
        yaxis=dict(type="log", title_text="Basal tryptase (ng/mL, log)", dtick="D2",
                   range=_hat_y_range(assessment)),
        margin=dict(l=70, r=20, b=60))
    return fig


_REGION_STYLE = {  # colour + fill pattern, so colour is never the only cue
    "both": ("#009E73", "", "both positive"),
    "20+2": ("#E69F00", "/", "only 20 % + 2"),
    "nih": ("#56B4E9", "\\", "only NIH ratio"),
    "neither": ("#DDDDDD", ".", "neither"),
}


def _rise_dynamic(comparison: RiseComparison | None) -> dict:
    c = rise_constants()
    x_max, y_max = rise_view_range(comparison)
    regions = rise_regions(x_max, y_max)
    lines = {"20+2": ([0, x_max], [c["offset"], c["factor"] * x_max + c["offset"]]),
             "nih": ([0, x_max], [0, c["ratio"] * x_max])}
    labels = ([x_max * 0.25, x_max * 0.92, x_max * 0.01, x_max * 0.92],
              [y_max * 0.85, (c["factor"] + c["ratio"]) / 2 * x_max * 0.96 + c["offset"] / 2,
               c["offset"] * 0.78, c["factor"] * x_max * 0.35],
              [_REGION_STYLE[k][2] for k in ("both", "20+2", "nih", "neither")])
    if comparison is None:
        point = ([], [], [], [])
    else:
        symbol = {"both": "circle", "20+2": "triangle-up", "nih": "triangle-down",
                  "neither": "x"}[comparison.agreement]
        point = ([comparison.baseline_ng_ml], [comparison.acute_ng_ml],
                 [f"this patient: {AGREEMENT[comparison.agreement]}"], [symbol])
    return {"x_max": x_max, "y_max": y_max, "regions": regions, "lines": lines,
            "labels": labels, "point": point}


def rise_figure(comparison: RiseComparison | None = None):
    """Decision regions of the two rise rules (baseline on x, acute on y) and the patient.

    Traces: four regions (``"Region: both positive"`` …, colour + pattern), the two threshold
    lines, ``"Rules cross"`` and ``"This patient"`` (marker symbol = agreement).
    """


    c = rise_constants()
    d = _rise_dynamic(comparison)
    fig = go.Figure()
    for key in ("neither", "20+2", "nih", "both"):
        colour, pattern, label = _REGION_STYLE[key]
        fig.add_scatter(x=d["regions"][key][0], y=d["regions"][key][1], fill="toself",
                        mode="lines", line=dict(width=0), fillcolor=colour, opacity=0.35,
                        fillpattern=dict(shape=pattern, bgcolor=colour, fgcolor="#333333",
                                         size=8, solidity=0.2) if pattern else None,
                        name=f"Region: {label}", hoverinfo="name")
    fig.add_scatter(x=d["lines"]["20+2"][0], y=d["lines"]["20+2"][1], mode="lines",
                    name=f"20 % + 2: acute = {c['factor']:g} × baseline + {c['offset']:g}",
                    line=dict(color=OKABE_ITO["vermillion"], width=3))
    fig.add_scatter(x=d["lines"]["nih"][0], y=d["lines"]["nih"][1], mode="lines",
                    name=f"NIH: acute = {c['ratio']:g} × baseline",
                    line=dict(color=OKABE_ITO["blue"], width=3, dash="dash"))
    xc = c["crossing_ng_ml"]
    fig.add_scatter(x=[xc], y=[c["ratio"] * xc], mode="markers+text", name="Rules cross",
                    text=[f"lines cross at baseline ≈ {xc:.1f}"], textposition="bottom right",
                    marker=dict(symbol="diamond", size=10, color="black"))
    # "only NIH ratio" starts at the y axis (its wedge is thin, next to the axis).
    fig.add_scatter(x=d["labels"][0], y=d["labels"][1], text=d["labels"][2], mode="text",
                    textposition=["middle center", "middle center", "middle right",
                                  "middle center"],
                    name="Region labels", showlegend=False, hoverinfo="skip",
                    textfont=dict(size=12, color="#333333"))
    px, py, ptext, psym = d["point"]
    # The label opens towards the middle of the plot, so it never meets the axes.
    right = bool(px) and px[0] < d["x_max"] / 2
    fig.add_scatter(x=px, y=py, text=ptext, mode="markers+text",
                    textposition="top right" if right else "top left",
                    name="This patient",
                    marker=dict(symbol=psym[0] if psym else "circle", size=16, color="black",
                                line=dict(color="white", width=2)))
    apply_theme(fig, title="Event tryptase: 20 % + 2 versus the NIH ratio", height=520)
    fig.update_layout(
        xaxis=dict(title_text="Baseline tryptase (ng/mL)", range=[0, d["x_max"]]),
        yaxis=dict(title_text="Acute (event) tryptase (ng/mL)", range=[0, d["y_max"]]),
        margin=dict(l=70, r=20, t=50, b=60))
    return fig


_RULER_MIN, _RULER_MAX = 1.0, 1000.0


def tryptase_ruler_plot():
    """The plotly figure of :func:`tryptase_ruler_figure` (pure builder; the apps redraw it)."""
    rows = load_records("tryptase_conditions")
    fig = go.Figure()
    solid_x, solid_y, open_x, open_y, labels = [], [], [], [], []
    typical_x, typical_y = [], []
    for i, r in enumerate(rows):
        y = -i
        lo, hi = r["low_ng_ml"], r["high_ng_ml"]
        if lo is not None and hi is not None:
            solid_x += [lo, hi, None]
            solid_y += [y, y, None]
        elif hi is not None:
            open_x += [_RULER_MIN, hi, None]
            open_y += [y, y, None]
        elif lo is not None:
            open_x += [lo, _RULER_MAX, None]
            open_y += [y, y, None]
        if r["typical_ng_ml"] is not None:
            typical_x.append(r["typical_ng_ml"])
            typical_y.append(y)
        labels.append(r["label"])
    fig.add_scatter(x=solid_x, y=solid_y, mode="lines", name="Documented range",
                    line=dict(color=OKABE_ITO["blue"], width=12))
    fig.add_scatter(x=open_x, y=open_y, mode="lines", name="Open end ('up to' / 'above')",
                    line=dict(color=OKABE_ITO["sky_blue"], width=6, dash="dot"))
    fig.add_scatter(x=typical_x, y=typical_y, mode="markers", name="Typical (geometric mean)",
                    marker=dict(symbol="diamond", size=12, color="black"))
    cut = _thresholds()
    for i, (_tid, label, dash, v) in enumerate(_hat_lines(cut)):
        # the third label one line higher: 20 and 200 are a decade apart, their labels meet
        top = (0.6 + 0.9 * (i == 2)) if i != 1 else -len(rows) + 0.4
        fig.add_scatter(x=[v, v], y=[top, -len(rows) + 0.4 if i != 1 else 0.6],
                        mode="lines+text", text=[label, ""],
                        # 200 ng/mL is near the right edge: its label ends at its line.
                        textposition={0: "top center", 1: "bottom center"}.get(i, "top left"),
                        name=label,
                        line=dict(color=OKABE_ITO["vermillion"], width=1.5, dash=dash),
                        showlegend=False, hoverinfo="name")
    apply_theme(fig, title="Basal serum tryptase: normal and raised", height=420)
    fig.update_layout(
        xaxis=dict(type="log", range=[0, 3], title_text="Basal tryptase (ng/mL, log)"),
        yaxis=dict(tickvals=[-i for i in range(len(rows))], ticktext=labels,
                   range=[-len(rows) - 0.2, 1.9], showgrid=False),
        margin=dict(l=340, r=20, t=50, b=60))
    return fig


def tryptase_ruler_figure() -> FigureResult:
    """Basal tryptase 'ruler': normal ranges and the conditions that raise it (log scale),
    with the classification cut-offs (20, 125, 200 ng/mL) as labelled vertical lines.

    Solid bars are documented ranges; dotted segments are open ends ("up to", "above").

    Returns a :class:`~mastolib.figures._result.FigureResult`: ``.figure`` and ``.summary``
    (one line of text), shown in a notebook as the figure followed by the summary.
    """
    return FigureResult(tryptase_ruler_plot(), tryptase_ruler_summary())


_CURVE_H = tuple(i / 4 for i in range(0, 24 * 4 + 1))


def _timing_dynamic(s: TimingSample | None, baseline: float, peak: float) -> dict:

    model = kinetics_model("tryptase")
    curve = [model.level(h * 60, baseline, peak - baseline) for h in _CURVE_H]
    c = rise_constants()
    t20 = c["factor"] * baseline + c["offset"]
    tnih = c["ratio"] * baseline
    return {"curve": (list(_CURVE_H), curve), "t20": ([0, 24], [t20, t20]),
            "tnih": ([0, 24], [tnih, tnih]),
            "point": ([s.hours], [s.sampled_ng_ml]) if s is not None else ([], []),
            "y_max": max(peak, t20, tnih) * 1.2}


def timing_figure(sample: TimingSample | None = None, baseline_ng_ml: float = 5.0,
                  peak_ng_ml: float = 15.0):
    """Tryptase after an event (model of notebook 01) with the sampling time, the 20 % + 2
    and NIH thresholds and the documented sampling windows."""


    d = _timing_dynamic(sample, baseline_ng_ml, peak_ng_ml)
    rules = sampling_rules()
    (best_lo, best_hi), latest = rules["best"], rules["latest"]
    fig = go.Figure()
    fig.add_scatter(x=d["curve"][0], y=d["curve"][1], mode="lines", name="Serum tryptase (model)",
                    line=dict(color=OKABE_ITO["reddish_purple"], width=4))
    fig.add_scatter(x=d["t20"][0], y=d["t20"][1], mode="lines", name="20 % + 2 threshold",
                    line=dict(color=OKABE_ITO["vermillion"], width=2))
    fig.add_scatter(x=d["tnih"][0], y=d["tnih"][1], mode="lines", name="NIH threshold",
                    line=dict(color=OKABE_ITO["blue"], width=2, dash="dash"))
    fig.add_scatter(x=d["point"][0], y=d["point"][1], mode="markers", name="Your sample",
                    marker=dict(symbol="circle", size=15, color="black",
                                line=dict(color="white", width=2)))
    fig.update_layout(shapes=[
        dict(type="rect", x0=best_lo / 60, x1=best_hi / 60, y0=0, y1=1, yref="paper",
             fillcolor=OKABE_ITO["bluish_green"], opacity=0.18, line=dict(width=0),
             layer="below"),
        dict(type="line", x0=latest / 60, x1=latest / 60, y0=0, y1=1, yref="paper",
             line=dict(color=OKABE_ITO["bluish_green"], width=2, dash="dot"))],
        annotations=[dict(x=(best_lo + best_hi) / 120, y=1, yref="paper", yanchor="bottom",
                          text="best window", showarrow=False),
                     dict(x=latest / 60, y=0.92, yref="paper", xanchor="left",
                          text=f" latest ({latest / 60:g} h)", showarrow=False)])
    apply_theme(fig, title="Acute tryptase: when is the sample drawn?", height=430)
    fig.update_layout(xaxis=dict(title_text="Hours after the onset of the event", range=[0, 24]),
                      yaxis=dict(title_text="Serum tryptase (ng/mL)", range=[0, d["y_max"]]),
                      margin=dict(l=70, r=20, t=84, b=60))
    return fig

