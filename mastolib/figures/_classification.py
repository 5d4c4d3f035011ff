"""Figures: the family tree of mastocytosis under WHO 2022 and ICC 2022, from ``data/entities.csv``.

Model: :mod:`mastolib.models._classification`.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from ..models._checker import format_value
from ..models._classification import (
    DIFFERS_MARK,
    SCHEMES,
    _bc_diagnoses,
    _check_scheme,
    sunburst_trace_data,
)
from ._theme import STATUS_COLOURS, STATUS_SYMBOLS, apply_theme


def family_tree_figure(scheme: str = "who2022"):
    """Sunburst of the mastocytosis family tree under one scheme (pure builder).

    Sector sizes are equal per leaf: they show structure, not frequency (the shares in the
    hover cards come from different populations and cannot be drawn to one scale).

    Parameters
    ----------
    scheme : {"who2022", "icc2022"}

    Returns
    -------
    plotly.graph_objects.Figure

    References
    ----------
    khoury2022, leguit2023, li2023; shares and survival: cohen2014, lim2009, blueprint_module.
    """


    _check_scheme(scheme)
    data = sunburst_trace_data(scheme)
    fig = go.Figure(go.Sunburst(
        **data, hovertemplate="%{customdata[0]}<extra></extra>", branchvalues="total",
        insidetextorientation="horizontal", insidetextfont={"color": "#000000", "size": 13},
        name=SCHEMES[scheme],
    ))
    apply_theme(fig, title=f"The family tree of mastocytosis - {SCHEMES[scheme]}", height=640)
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 60, "b": 90}, hoverlabel={"align": "left"},
        annotations=[{
            "text": ("Hover a sector for definition, age, share and prognosis with sources."
                     f"<br>{DIFFERS_MARK} and dots: WHO and ICC differ. Sizes do not show "
                     "frequency.<br>Colours: blue = cutaneous, green = non-advanced SM, "
                     "orange = advanced SM,<br>yellow = provisional label, purple = sarcoma."),
            "x": 0, "y": -0.04, "yanchor": "top", "align": "left", "xref": "paper", "yref": "paper", "showarrow": False,
            "xanchor": "left", "font": {"size": 12}}],
    )
    return fig


# ------------------------------------------------------------ B- and C-findings, per case


def _short(label: str, width: int = 30) -> str:
    text = label.split(":")[0].split(" (")[0]
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def bc_findings_figure(case_ids=("c13", "c24"), scheme: str = "who2022"):
    """B- and C-findings of some virtual patients side by side (pure builder).

    One column per case, one row per B-/C-finding; the marker shape, its colour and the
    legend say met (filled circle), not met (cross) or not assessed (open circle).

    Parameters
    ----------
    case_ids : sequence of str
        Ids from ``data/cases.csv``.
    scheme : {"who2022", "icc2022"}

    References
    ----------
    bloodres2023 (B- and C-findings), who2016.
    """


    diagnoses = _bc_diagnoses(case_ids, scheme)
    first = diagnoses[0][1]
    rows = [f"{r.id} {_short(r.label)}" for r in first.b_findings + first.c_findings]
    columns = [f"{cid}<br>{dx.category if dx.subtype is None else dx.subtype}"
               for cid, dx in diagnoses]
    points = {status: ([], [], []) for status in STATUS_COLOURS}
    for column, (_cid, dx) in zip(columns, diagnoses, strict=True):
        for row, r in zip(rows, dx.b_findings + dx.c_findings, strict=True):
            xs, ys, hover = points[r.status]
            xs.append(column)
            ys.append(row)
            hover.append(f"{html.escape(r.label)}<br>{r.status}; value used: "
                         f"{html.escape(format_value(r.value_used))}")
    fig = go.Figure()
    for status, (xs, ys, hover) in points.items():
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", name=status, customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            marker={"symbol": STATUS_SYMBOLS[status], "size": 18,
                    "color": STATUS_COLOURS[status],
                    "line": {"width": 2, "color": STATUS_COLOURS[status]}}))
    n_b = len(first.b_findings)
    fig.add_hline(y=n_b - 0.5, line={"color": "#444444", "dash": "dash", "width": 1})
    apply_theme(fig, title=f"B-findings (burden) and C-findings (organ damage) - "
                           f"{SCHEMES[scheme]}", height=120 + 42 * len(rows))
    fig.update_xaxes(categoryorder="array", categoryarray=columns, side="top")
    fig.update_yaxes(categoryorder="array", categoryarray=rows, autorange="reversed",
                     title_text="")
    for y, text in ((n_b - 0.5 - 0.25, "▲ B-findings: burden"),
                    (n_b - 0.5 + 0.25, "▼ C-findings: organ damage")):
        fig.add_annotation(x=1.0, xref="paper", xanchor="left", y=y, text=text,
                           showarrow=False, font={"size": 12})
    fig.update_yaxes(automargin=True)
    fig.update_layout(legend={"title": {"text": "Status: "}, "orientation": "h", "x": 0,
                              "y": -0.02, "yanchor": "top"},
                      margin={"t": 130, "l": 250, "r": 180, "b": 60})
    return fig

