"""Figures: prognosis (notebook 07): the MARS calculator, a survival illustration, IPSM factors and.

Model: :mod:`mastolib.models._prognosis`.
"""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go

from ..models._prognosis import (
    COHORT_DASH,
    COHORTS,
    CONFIDENCE_LEVELS,
    FACTORS,
    GROUP_COLOURS,
    SYSTEMS,
    YEARS_MAX,
    apply_survival_highlight,
    mars_groups,
    prognosis_factors_summary,
    prognosis_factors_table,
    survival_curves,
    survival_title,
)
from ._result import FigureResult
from ._scales import level_heatmap_style
from ._theme import apply_theme


def _trace_name(curve: dict, labels: dict) -> str:
    group = labels[curve["group_id"]].replace(" risk", "")
    return f"{group}, {curve['cohort']} (median {curve['median']:g} y)"


def survival_figure(highlight: str | None = None):
    """The MARS survival illustration (pure builder).

    One curve per group and cohort with a numeric median: colour = group, dash = cohort
    (solid training, dotted validation), a marker and label at the median. ``highlight``
    ("low", "intermediate" or "high") draws that group thick and fades the others.

    Returns
    -------
    plotly.graph_objects.Figure
    """


    labels = {g["group_id"]: g["label"] for g in mars_groups()}
    symbols = {"low": "circle", "intermediate": "square", "high": "diamond"}
    fig = go.Figure()
    missing = []
    for curve in survival_curves():
        if curve["years"] is None:
            missing.append(f"{labels[curve['group_id']]}, {curve['note']}")
            continue
        gid, median = curve["group_id"], curve["median"]
        fig.add_trace(go.Scatter(
            x=curve["years"], y=curve["survival"],
            mode="lines+markers", name=_trace_name(curve, labels),
            line=dict(color=GROUP_COLOURS[gid], dash=COHORT_DASH[curve["cohort"]]),
            marker=dict(size=[11 if t == median else 0 for t in curve["years"]],
                        symbol=symbols[gid], color=GROUP_COLOURS[gid]),
            hovertemplate=(f"{labels[gid]} ({COHORTS[curve['cohort']]})<br>"
                           "year %{x:.1f}: %{y:.0%} alive in the illustration<extra></extra>")))
    fig.add_hline(y=0.5, line_dash="dash", line_color="#999999",
                  annotation_text="50 % = median", annotation_position="top right")
    apply_theme(fig, title=survival_title(None), height=600)
    fig.update_xaxes(title="Years from diagnosis (illustration)", range=[0, YEARS_MAX])
    fig.update_yaxes(title="Share alive (illustration)", range=[0, 1.02], tickformat=".0%")
    # One entry per line: the entries are long sentences that a row would push off the figure.
    # The caveats sit between the title and the plot, wrapped for a 592 px output (1024 px
    # Lab): under the plot they would meet the legend, whose height plotly alone knows.
    note = textwrap.wrap(html.escape("; ".join(missing)) + ". Exponential curves through "
                         "50 % at the published medians - not the published Kaplan-Meier "
                         "curves.", 64)
    fig.update_layout(legend=dict(title="MARS group, cohort:", orientation="v"),
                      margin=dict(b=60, r=20, t=fig.layout.margin.t + 16 * len(note) + 8))
    fig.add_annotation(
        x=0, y=1, yshift=6, xref="paper", yref="paper", xanchor="left", yanchor="bottom",
        showarrow=False, align="left", font=dict(size=11), text="<br>".join(note))
    apply_survival_highlight(fig, highlight)
    return fig


def prognosis_factors_plot():
    """The plotly figure of :func:`prognosis_factors_figure` (pure builder; the apps redraw it)."""
    table = prognosis_factors_table()
    cells = {(r.system_id, r.factor_id): r for r in table.itertuples(index=False)}
    empty = CONFIDENCE_LEVELS["not in this system"]
    z, text, hover = [], [], []
    for factor, flabel in FACTORS.items():
        zr, tr, hr = [], [], []
        for system, slabel in SYSTEMS.items():
            r = cells.get((system, factor))
            if r is None:
                zr.append(empty["z"])
                tr.append("-")
                hr.append(f"{flabel} is not part of {slabel.replace('<br>', ' ')}")
                continue
            spec = CONFIDENCE_LEVELS[r.confidence]
            zr.append(spec["z"])
            tr.append("<br>".join(textwrap.wrap(f"{spec['mark']} {r.text}", 14)))
            hr.append(f"<b>{flabel}</b> in {slabel.replace('<br>', ' ')}: "
                      f"{html.escape(r.text)}<br>confidence: {r.confidence}"
                      + (f"<br>{html.escape(r.note)}" if r.note else "")
                      + f"<br>source: {r.source_id}")
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    fig = go.Figure(go.Heatmap(
        z=z, x=list(SYSTEMS.values()), y=["<br>".join(textwrap.wrap(f, 18))
                                          for f in FACTORS.values()], text=text,
        texttemplate="%{text}", textfont=dict(size=10), customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        **level_heatmap_style(CONFIDENCE_LEVELS, "Factor")))
    # A horizontal key under the grid: a vertical one beside it takes a quarter of a 592 px
    # output (1024 px Lab) and squeezes the five system columns into each other.
    fig.update_traces(colorbar=dict(title=dict(text="Factor", side="top"), orientation="h", x=0,
                                    xanchor="left", y=-0.02, yanchor="top", len=1,
                                    tickfont=dict(size=11)))
    apply_theme(fig, title="What drives prognosis: factors in each system", height=820)
    fig.update_xaxes(side="top", showgrid=False, tickangle=0)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_layout(margin=dict(l=140, t=120, r=10, b=90))
    return fig


def prognosis_factors_figure() -> FigureResult:
    """Factor x system grid of what drives prognosis.

    Cell colour = confidence of the factor in that system, and every cell also carries its
    threshold as text (or "-" when the system does not use the factor).

    Returns a :class:`~mastolib.figures._result.FigureResult`: ``.figure`` and ``.summary``
    (one line of text), shown in a notebook as the figure followed by the summary.
    """
    return FigureResult(prognosis_factors_plot(), prognosis_factors_summary())

