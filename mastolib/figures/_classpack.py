"""The class results figure of the teacher\'s class pack (notebook 12)."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from ._theme import OKABE_ITO, apply_theme

# sittings of one quiz, in lesson order ("" = a quiz taken once)
ATTEMPT_ORDER = {"": 0, "pre": 1, "post": 2}


# A question's axis label: the start of its prompt, at most two lines of this many characters.
LABEL_WIDTH = 40
LABEL_LINES = 2


def question_label(prompt: str, question_id: str = "", width: int = LABEL_WIDTH,
                   lines: int = LABEL_LINES) -> str:
    """The short form of a question for an axis: its prompt's first ``lines`` lines of at most
    ``width`` characters (``<br>`` between them), ending in "…" when the prompt is longer.
    Without a prompt (a quiz the course no longer ships), the question id in words."""
    text = " ".join(str(prompt or "").split())
    if not text:
        return str(question_id).replace("_", " ") or "(unknown question)"
    wrapped = textwrap.wrap(text, width=width, break_long_words=False)
    if len(wrapped) > lines:
        last = textwrap.shorten(" ".join(wrapped[lines - 1:]), width=width - 1,
                                placeholder="")
        wrapped = [*wrapped[:lines - 1], (last or wrapped[lines - 1][:width - 1]) + "…"]
    return "<br>".join(wrapped)


def _unique(labels: list[str]) -> list[str]:
    seen: dict = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def class_results_figure(table: pd.DataFrame) -> go.Figure:
    """Success rate per question (one bar per sitting: answers, before and after the lesson)."""
    fig = go.Figure()
    if table.empty:
        fig.add_annotation(text="No quiz answers found", showarrow=False)
        return apply_theme(fig, title="Class results")
    order = (table.groupby(["quiz", "question"])["success_rate"].mean().sort_values()
             .index.tolist())
    prompts = table.drop_duplicates(["quiz", "question"]).set_index(["quiz", "question"])[
        "prompt"]
    labels = _unique([question_label(prompts.get((q, n), ""), n) for q, n in order])
    full = ["<br>".join(textwrap.wrap(" ".join(str(prompts.get((q, n), "") or n).split()), 60))
            for q, n in order]
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
                    customdata=list(zip(full, part["common_wrong_answers"].fillna("").tolist(),
                                        strict=True)),
                    hovertemplate="%{customdata[0]}<br>%{x:.0f} % right<br>"
                                  "wrong: %{customdata[1]}<extra>" + name + "</extra>")
    fig.update_layout(barmode="group", xaxis=dict(title="Answered correctly (%)",
                                                 range=[0, 100]),
                      yaxis=dict(title="", automargin=True, autorange="reversed"),
                      margin=dict(t=90))  # legend: the course template's, under the plot
    return apply_theme(fig, title="Class results: success rate per question",
                       height=max(320, 28 * len(labels) * max(1, table["attempt"].nunique())))
