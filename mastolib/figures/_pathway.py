"""Figures: the diagnostic pathway (notebook 04): a pure path model, a flowchart builder and an app.

Model: :mod:`mastolib.models._pathway`.
"""

from __future__ import annotations

import plotly.graph_objects as go

from ..models._pathway import Pathway, PatientPath, _pathway
from ..models._pathway_path import _BOX, _HALF_H, _STATES, _wrap, flowchart_state
from ._theme import OKABE_ITO, apply_theme


def _arrow_annotations(mp: Pathway) -> list:
    pos = {s.step_id: (s.col, -s.row) for s in mp.steps}
    out = []
    for a, b in mp.edges:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        out.append(dict(x=x1, y=y1 + _HALF_H, ax=x0, ay=y0 - _HALF_H, xref="x", yref="y",
                        axref="x", ayref="y", showarrow=True, arrowhead=2, arrowsize=1,
                        arrowwidth=1.2, arrowcolor="#888888", text="",
                        name=f"edge:{a}>{b}"))
    return out


def pathway_figure(path: PatientPath | None = None, step: int | None = None):
    """The pathway flowchart, with one patient's path highlighted (pure builder).

    Parameters
    ----------
    path : PatientPath, optional
        Highlight this path (``None``: the bare map).
    step : int, optional
        0-based index of the current step: earlier steps are ticked and numbered, later ones
        outlined in light blue; ``None`` shows the whole path as done.

    Returns
    -------
    plotly.graph_objects.Figure
        Node boxes are four filled traces (one per state: not on the path, later, done,
        current), labels one text trace (``customdata`` = step ids, hover = why the step
        is done); ``"Path so far"``, ``"Path ahead"``, ``"Step numbers"`` and
        ``"Current step"`` (its ``customdata`` holds the current step id). Arrows are
        annotations.
    """


    mp = _pathway()
    st = flowchart_state(path, step)
    fig = go.Figure()
    fig.add_scatter(x=st["ahead"][0], y=st["ahead"][1], mode="lines", name="Path ahead",
                    line=dict(color=OKABE_ITO["sky_blue"], width=3, dash="dot"),
                    hoverinfo="skip")
    fig.add_scatter(x=st["so_far"][0], y=st["so_far"][1], mode="lines", name="Path so far",
                    line=dict(color=OKABE_ITO["blue"], width=6), hoverinfo="skip")
    for state in _STATES:
        style = _BOX[state]
        fig.add_scatter(x=st["boxes"][state][0], y=st["boxes"][state][1], mode="lines",
                        fill="toself", fillcolor=style["fill"], name=style["name"],
                        line=dict(color=style["border"], width=style["width"]),
                        hoverinfo="skip", showlegend=state in ("ahead", "visited"))
    texts, colours = st["labels"]
    fig.add_scatter(x=[float(s.col) for s in mp.steps], y=[-float(s.row) for s in mp.steps],
                    text=texts, customdata=list(mp.ids), mode="text", name="Steps",
                    textfont=dict(size=11, color=colours), showlegend=False,
                    hovertext=[_wrap(s.why, 60) for s in mp.steps], hoverinfo="text")
    fig.add_scatter(x=st["badges"][0], y=st["badges"][1], text=st["badges"][2],
                    mode="markers+text", name="Step numbers",
                    marker=dict(symbol="circle", size=20, color=OKABE_ITO["blue"]),
                    textfont=dict(color="white", size=11), hoverinfo="skip",
                    showlegend=False)
    fig.add_scatter(x=st["current"][0], y=st["current"][1], customdata=st["current"][2],
                    mode="markers", name="Current step",
                    marker=dict(symbol="star", size=24, color=OKABE_ITO["vermillion"],
                                line=dict(color="black", width=1)), hoverinfo="skip")
    title = "The diagnostic pathway" + (f" ({path.branch})" if path is not None else "")
    apply_theme(fig, title=title, height=820)
    rows = max(s.row for s in mp.steps)
    fig.update_layout(
        annotations=_arrow_annotations(mp), width=540, showlegend=True,
        legend=dict(orientation="h", y=-0.02, x=0, yanchor="top"),
        margin=dict(l=10, r=10, t=50, b=40), hovermode="closest",
        xaxis=dict(range=[-0.55, 2.5], visible=False, fixedrange=True),
        yaxis=dict(range=[-rows - 0.6, 0.6], visible=False, fixedrange=True))
    return fig

