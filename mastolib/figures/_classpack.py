"""The class results figure of the teacher\'s class pack (notebook 12)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._theme import OKABE_ITO, apply_theme

# sittings of one quiz, in lesson order ("" = a quiz taken once)
ATTEMPT_ORDER = {"": 0, "pre": 1, "post": 2}


def class_results_figure(table: pd.DataFrame) -> go.Figure:
    """Success rate per question (one bar per sitting: answers, before and after the lesson)."""
    fig = go.Figure()
    if table.empty:
        fig.add_annotation(text="No quiz answers found", showarrow=False)
        return apply_theme(fig, title="Class results")
    order = (table.groupby(["quiz", "question"])["success_rate"].mean().sort_values()
             .index.tolist())
    labels = [f"{q} · {n}" for q, n in order]
    colours = {"": OKABE_ITO["blue"], "pre": OKABE_ITO["orange"], "post": OKABE_ITO["blue"]}
    attempts = sorted(set(table["attempt"]), key=lambda a: (ATTEMPT_ORDER.get(a, 9), a))
    for attempt in attempts:
        part = table[table["attempt"] == attempt].set_index(["quiz", "question"]).reindex(order)
        name = {"": "answers", "pre": "before the lesson", "post": "after the lesson"}.get(
            attempt, attempt)
        fig.add_bar(y=labels, x=(part["success_rate"] * 100).tolist(), orientation="h",
                    name=name, marker_color=colours.get(attempt, OKABE_ITO["bluish_green"]),
                    text=[("" if pd.isna(v) else f"{v:.0%} of {int(n)}") for v, n in
                          zip(part["success_rate"], part["answered"].fillna(0), strict=True)],
                    textposition="auto",
                    customdata=part["common_wrong_answers"].fillna("").tolist(),
                    hovertemplate="%{y}: %{x:.0f} % right<br>wrong: %{customdata}<extra>"
                                  + name + "</extra>")
    fig.update_layout(barmode="group", xaxis=dict(title="Answered correctly (%)",
                                                 range=[0, 100]),
                      yaxis=dict(title="", automargin=True, autorange="reversed"),
                      margin=dict(t=90))  # legend: the course template's, under the plot
    return apply_theme(fig, title="Class results: success rate per question",
                       height=max(320, 28 * len(labels) * max(1, table["attempt"].nunique())))
