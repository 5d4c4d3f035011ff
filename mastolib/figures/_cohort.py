"""Figures: a SYNTHETIC cohort of adults with mastocytosis: generator, figures and an explorer app.

Model: :mod:`mastolib.models._cohort`.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from ..models._cohort import SCHEME_NAMES, SYNTHETIC, TRYPTASE_LINES, load_cohort
from ..models._cohort_views import (
    CohortModel,
    CohortView,
    _n,
    _order,
    age_pyramid_summary,
    classify_cohort,
    cohort_tryptase_summary,
    pyramid_data,
    reclassification_summary,
    sankey_data,
    tryptase_trace_data,
)
from ._result import FigureResult
from ._theme import OKABE_ITO, apply_theme, subplots


def _cohort_labels(cohort=None, labels=None):
    """The cohort (default: the shipped SYNTHETIC one) and its labels (computed when omitted)."""
    cohort = load_cohort() if cohort is None else cohort
    return cohort, classify_cohort(cohort) if labels is None else labels


def _tryptase_layout(fig, row=None, col=None, yref="y", short=False):
    for k, (value, dash, text) in enumerate(TRYPTASE_LINES):
        # What add_hline(row=, col=) draws, added directly (add_hline rebuilds the layout per
        # call: ~9 ms of each explorer redraw).
        fig.add_shape(type="line", x0=0, x1=1, xref=f"{yref.replace('y', 'x')} domain",
                      y0=value, y1=value, yref=yref,
                      line={"dash": dash, "color": "#444444", "width": 1.5})
        label = text.split(" (")[0] if short else text
        # A label sits above its line, unless the next line is closer than a factor of 2
        # (125 and 200 ng/mL: a fifth of a decade): then it hangs below, so the two never meet.
        crowded = k + 1 < len(TRYPTASE_LINES) and TRYPTASE_LINES[k + 1][0] < 2 * value
        fig.add_annotation(x=1.0, xref=f"{yref.replace('y', 'x')} domain", y=math.log10(value),
                           yref=yref, text=label, showarrow=False, xanchor="right",
                           yanchor="top" if crowded else "bottom",
                           font={"size": 11, "color": "#222222"},
                           bgcolor="rgba(255,255,255,0.7)")


def cohort_tryptase_plot(cohort=None, labels=None, scheme: str = "who2022"):
    """The plotly figure of :func:`cohort_tryptase_figure` (pure builder; the apps redraw it)."""
    cohort, labels = _cohort_labels(cohort, labels)
    data = tryptase_trace_data(cohort, labels, scheme)
    order = _order(labels[f"{'who' if scheme == 'who2022' else 'icc'}_label"])
    fig = go.Figure(go.Box(
        x=data["x"], y=data["y"], boxpoints="all", jitter=0.5, pointpos=0,
        marker={"size": 3, "opacity": 0.35, "color": OKABE_ITO["blue"]},
        line={"color": OKABE_ITO["black"], "width": 1.5}, fillcolor="rgba(0,0,0,0)",
        name="tryptase", hoveron="boxes", showlegend=False))
    _tryptase_layout(fig)
    apply_theme(fig, title=f"{SYNTHETIC} cohort: basal serum tryptase by "
                f"{SCHEME_NAMES[scheme]} subtype (n = {_n(len(cohort))})", height=480)
    fig.update_yaxes(type="log", title_text="Basal serum tryptase (ng/mL, log scale)",
                     automargin=True, dtick=1)
    fig.update_xaxes(title_text=f"{SCHEME_NAMES[scheme]} subtype (engine)",
                     categoryorder="array", categoryarray=order, tickangle=-90,
                     automargin=True, title_standoff=12)
    return fig


def cohort_tryptase_figure(cohort=None, labels=None, scheme: str = "who2022") -> FigureResult:
    """Basal serum tryptase by subtype (box plot with every patient as a point, log axis).

    The 20 ng/mL (minor criterion), 125 ng/mL (WHO BMM limit) and 200 ng/mL (B1) thresholds
    are drawn as labelled lines with different dashes.

    Parameters
    ----------
    cohort : pandas.DataFrame, optional
        Default: the shipped SYNTHETIC cohort.
    labels : pandas.DataFrame, optional
        :func:`classify_cohort` of ``cohort`` (computed when omitted).
    scheme : {"who2022", "icc2022"}
        Which classification groups the patients.

    Returns a :class:`~mastolib.figures._result.FigureResult`: ``.figure`` and ``.summary``
    (one line of text), shown in a notebook as the figure followed by the summary.
    """
    cohort, labels = _cohort_labels(cohort, labels)
    return FigureResult(cohort_tryptase_plot(cohort, labels, scheme),
                        cohort_tryptase_summary(cohort, labels, scheme))


def _sankey_trace_kwargs(data: dict) -> dict:

    left, right, pairs, values = data["left"], data["right"], data["pairs"], data["values"]
    out_total = {name: 0 for name in left}
    in_total = {name: 0 for name in right}
    for (a, b), v in zip(pairs, values, strict=True):
        out_total[a] += int(v)
        in_total[b] += int(v)
    node_labels = ([f"WHO: {a} ({_n(out_total[a])})" for a in left]
                   + [f"ICC: {b} ({_n(in_total[b])})" for b in right])
    changed = [a != b for a, b in pairs]
    return {
        # pad 24: the smallest nodes (a handful of patients) keep a label's height apart.
        "node": {"label": node_labels, "pad": 24, "thickness": 14,
                 "color": [OKABE_ITO["blue"]] * len(left) + [OKABE_ITO["orange"]] * len(right),
                 "line": {"color": "#333333", "width": 0.5}},
        "link": {"source": [left.index(a) for a, _ in pairs],
                 "target": [len(left) + right.index(b) for _, b in pairs],
                 "value": [int(v) for v in values],
                 "color": ["rgba(213,94,0,0.55)" if c else "rgba(150,150,150,0.35)"
                           for c in changed],
                 "customdata": ["label changes" if c else "same label" for c in changed],
                 "hovertemplate": "%{source.label} → %{target.label}: %{value} patients "
                                  "(%{customdata})<extra></extra>"},
    }


def reclassification_plot(cohort=None, labels=None):
    """The plotly figure of :func:`reclassification_figure` (pure builder; the apps redraw it)."""
    cohort, labels = _cohort_labels(cohort, labels)
    fig = go.Figure(go.Sankey(arrangement="snap", **_sankey_trace_kwargs(sankey_data(labels))))
    apply_theme(fig, title=f"{SYNTHETIC} cohort: WHO 2022 (left) vs ICC 2022 (right) labels, "
                f"n = {_n(len(labels))}", height=760)
    fig.update_traces(textfont={"size": 12})
    fig.update_layout(margin={"l": 10, "r": 10, "b": 70}, annotations=[{
        "text": "Grey: same label in both; orange-red: the label changes.", "x": 0, "y": -0.07,
        "xref": "paper", "yref": "paper", "showarrow": False, "xanchor": "left",
        "font": {"size": 12}}])
    return fig


def reclassification_figure(cohort=None, labels=None) -> FigureResult:
    """Sankey diagram: each patient's WHO 2022 label (left) flowing to their ICC 2022 label
    (right), over the whole cohort (:func:`mastolib.diagnose_frame` under both schemes).

    Flows whose label changes are drawn in orange-red, unchanged flows in grey; node labels
    carry the scheme and the count, so colour is never the only cue.

    Returns a :class:`~mastolib.figures._result.FigureResult`: ``.figure`` and ``.summary``
    (one line of text), shown in a notebook as the figure followed by the summary.
    """
    cohort, labels = _cohort_labels(cohort, labels)
    return FigureResult(reclassification_plot(cohort, labels),
                        reclassification_summary(cohort, labels))


def _pyramid_traces(data: dict) -> list:


    return [
        go.Bar(y=data["bands"], x=[-int(v) for v in data["women"]], orientation="h",
               name="Women (left)",
               marker={"color": OKABE_ITO["reddish_purple"], "line": {"color": "#333333",
                                                                      "width": 0.5}},
               text=[_n(int(v)) for v in data["women"]], textposition="outside",
               customdata=[int(v) for v in data["women"]],
               hovertemplate="Women %{y}: %{customdata}<extra></extra>"),
        go.Bar(y=data["bands"], x=[int(v) for v in data["men"]], orientation="h",
               name="Men (right, hatched)",
               marker={"color": OKABE_ITO["bluish_green"], "pattern": {"shape": "/"},
                       "line": {"color": "#333333", "width": 0.5}},
               text=[_n(int(v)) for v in data["men"]], textposition="outside",
               customdata=[int(v) for v in data["men"]],
               hovertemplate="Men %{y}: %{customdata}<extra></extra>"),
    ]


def _nice_step(peak: int, ticks: int = 3) -> int:
    """A 1-2-5 step giving at most ``ticks`` ticks between 0 and ``peak``."""
    raw = max(peak, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw)) or 1


def _pyramid_axis(fig, peak: int, row=None, col=None):
    step = _nice_step(peak)
    limit = (int(peak / step) + 1) * step
    ticks = list(range(-limit, limit + 1, step))
    fig.update_xaxes(range=[-limit * 1.6, limit * 1.6], tickvals=ticks,
                     ticktext=[_n(abs(t)) for t in ticks], title_text="Patients (women ◀ | ▶ men)",
                     row=row, col=col)
    fig.update_yaxes(title_text="Age band (years)", automargin=True, title_standoff=6,
                     row=row, col=col)


def age_pyramid_plot(cohort=None):
    """The plotly figure of :func:`age_pyramid_figure` (pure builder; the apps redraw it)."""
    cohort = load_cohort() if cohort is None else cohort
    data = pyramid_data(cohort)
    fig = go.Figure(_pyramid_traces(data))
    apply_theme(fig, title=f"{SYNTHETIC} cohort: age and sex (n = {_n(len(cohort))})",
                height=440)
    fig.update_layout(barmode="overlay", bargap=0.1)
    _pyramid_axis(fig, int(max(data["women"].max(), data["men"].max())))
    return fig


def age_pyramid_figure(cohort=None) -> FigureResult:
    """Age pyramid by sex: women to the left, men to the right (hatched), per age band.

    Returns a :class:`~mastolib.figures._result.FigureResult`: ``.figure`` and ``.summary``
    (one line of text), shown in a notebook as the figure followed by the summary.
    """
    return FigureResult(age_pyramid_plot(cohort), age_pyramid_summary(cohort))


# ------------------------------------------------------------------------------ the app


def explorer_figure(model: CohortModel, view: CohortView):
    """The explorer's three linked views in one figure (tryptase, age pyramid, Sankey)."""


    fig = subplots(
        rows=2, cols=2, specs=[[{"type": "xy"}, {"type": "xy"}],
                               [{"type": "domain", "colspan": 2}, None]],
        row_heights=[0.4, 0.6], column_widths=[0.6, 0.4], vertical_spacing=0.16,
        horizontal_spacing=0.18,
        subplot_titles=("Basal tryptase by WHO 2022 subtype",
                        "Age and sex", "WHO 2022 (left) → ICC 2022 (right)"))
    fig.add_trace(go.Box(
        x=view.tryptase["x"], y=view.tryptase["y"], boxpoints="all", jitter=0.5, pointpos=0,
        marker={"size": 3, "opacity": 0.35, "color": OKABE_ITO["blue"]},
        line={"color": OKABE_ITO["black"], "width": 1.5}, fillcolor="rgba(0,0,0,0)",
        name="tryptase", hoveron="boxes", showlegend=False), row=1, col=1)
    _tryptase_layout(fig, row=1, col=1, yref="y", short=True)
    # Powers of ten only (dtick=1): plotly's minor "2" and "5" labels read as 2 and 5 ng/mL.
    fig.update_yaxes(type="log", title_text="Tryptase (ng/mL)", dtick=1, row=1, col=1)
    fig.update_xaxes(categoryorder="array", categoryarray=_order(model._who), row=1, col=1,
                     tickangle=-90)  # ten subtypes side by side in ~300 px at 1024 px
    for trace in _pyramid_traces(view.pyramid):
        fig.add_trace(trace, row=1, col=2)
    peak = int(max(pyramid_data(model.cohort)["women"].max(),
                   pyramid_data(model.cohort)["men"].max()))
    _pyramid_axis(fig, peak, row=1, col=2)
    # The pyramid's column is ~200 px wide at 1024 px: the short axis title fits it.
    fig.update_xaxes(title_text="Women ◀ | ▶ men", row=1, col=2)
    fig.add_trace(go.Sankey(arrangement="snap", **_sankey_trace_kwargs(view.sankey)),
                  row=2, col=1)
    # The Sankey has up to ~13 nodes a side: it gets the taller row and 1200 px, so the
    # smallest nodes (a handful of patients) stay a label's height apart.  No legend: the
    # pyramid's axis title names the sides (women left, men right) and the men's bars are
    # hatched; a legend placed between the rows makes plotly shrink every subplot above it.
    apply_theme(fig, title=_explorer_title(view, len(model.cohort)), height=1200)
    fig.update_layout(barmode="overlay", bargap=0.1, margin={"l": 60, "r": 20, "t": 90, "b": 40},
                      showlegend=False)
    return fig


def _explorer_title(view: CohortView, total: int) -> str:
    return f"{SYNTHETIC} cohort explorer: {_n(view.n)} of {_n(total)} patients"

