"""Figures: symptoms, triggers and care (notebook 06): cited tables, figure builders and two apps.

Model: :mod:`mastolib.models._care`.
"""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go

from ..models._care import (
    LEVELS,
    NEWEST_SOURCE_DATE,
    NOT_DESCRIBED,
    ORGANS,
    SUBTYPES,
    TreatmentModel,
    TriggerModel,
    _date_label,
    symptom_table,
    timeline_opacity,
)
from ._scales import stepped_scale
from ._theme import OKABE_ITO, apply_theme


def _wrap(text: str, width: int = 60) -> str:
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text or "", width))


def _symptom_hover(row) -> str:
    head = f"<b>{html.escape(row['organ'])} - {html.escape(row['subtype'])}</b>"
    level = f"Level: <b>{html.escape(row['level'])}</b> ({LEVELS[row['level']]['meaning']})"
    if row["level"] == "not described":
        return f"{head}<br>{level}"
    return (f"{head}<br>{level}<br><i>What it looks like:</i> {_wrap(row['features'])}"
            f"<br><i>Why:</i> {_wrap(row['explanation'])}<br><i>Sources:</i> "
            f"{html.escape(row['source_id'])} ({html.escape(row['basis'])})")


def symptom_heatmap():
    """Organ x subtype heat map of qualitative symptom levels (pure builder).

    Each cell shows its level as text (``+++ typical`` ... ``? not described``) as well as a
    colour; hovering explains the level, what it looks like and the sources.

    Returns
    -------
    plotly.graph_objects.Figure
    """


    table = symptom_table()
    organs, subtypes = list(ORGANS), list(SUBTYPES)
    cells = {(r.organ_id, r.subtype_id): r for r in table.itertuples(index=False)}
    z, text, hover = [], [], []
    for organ in organs:
        zr, tr, hr = [], [], []
        for sub in subtypes:
            row = cells[(organ, sub)]._asdict()
            spec = LEVELS[row["level"]]
            zr.append(spec["z"])
            tr.append(f"{spec['mark']} {row['level']}")
            hr.append(_symptom_hover(row))
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    ordered = sorted(LEVELS.items(), key=lambda kv: kv[1]["z"])
    n = len(ordered)
    scale = stepped_scale(LEVELS)
    fig = go.Figure(go.Heatmap(
        z=z, x=[SUBTYPES[s].replace(" ", "<br>", 1) for s in subtypes],
        y=["<br>".join(textwrap.wrap(ORGANS[o], 14)) for o in organs],
        text=text, texttemplate="%{text}", textfont=dict(size=13),
        customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        colorscale=scale, zmin=-0.5, zmax=n - 0.5, xgap=3, ygap=3,
        colorbar=dict(title="Level", thickness=14, tickvals=[s["z"] for _, s in ordered],
                      ticktext=[f"{s['mark']} {n}" for n, s in ordered]),
    ))
    apply_theme(fig, title="Symptoms by organ system and subtype<br><sup>qualitative levels "
                           "from cited sources; grey = not described in our sources</sup>",
                height=500)
    fig.update_yaxes(autorange="reversed", showgrid=False, title="")
    fig.update_xaxes(showgrid=False, side="top", title="", tickangle=0)
    fig.update_layout(margin=dict(l=110, t=130, r=10))
    return fig


def _tick(label: str, on: bool) -> str:
    return f"<b>▶ {html.escape(label)}</b>" if on else html.escape(label)


def trigger_grid_figure(model: TriggerModel | None = None, selected: str | None = None):
    """Trigger x plan grid: a dot where a plan addresses a trigger (pure builder).

    An optional ``selected`` trigger (row) or plan (column) is drawn larger, as vermillion
    diamonds, with a ▶ mark on its axis label; a trigger our sources do not describe is marked
    "?".
    """


    model = model or TriggerModel.load()
    fig = go.Figure()
    fig.add_trace(go.Scatter(mode="markers", name="plan addresses trigger",
                             hovertemplate="%{y} → %{x}<extra></extra>"))
    missing = [t for t in model.triggers if t["status"] != "described"]
    fig.add_trace(go.Scatter(
        x=[model.plans[0]["label"]] * len(missing), y=[t["label"] for t in missing],
        mode="text", text=[f"? {NOT_DESCRIBED}"] * len(missing), textposition="middle right",
        name=NOT_DESCRIBED, hoverinfo="skip"))
    apply_theme(fig, title="Triggers and the plans that address them", height=580)
    fig.update_layout(showlegend=False, margin=dict(l=250, t=70, b=210))
    fig.update_yaxes(title="", categoryorder="array",
                     categoryarray=[t["label"] for t in model.triggers],
                     range=[len(model.triggers) - 0.5, -0.5])
    fig.update_xaxes(title="", tickangle=-30, categoryorder="array",
                     categoryarray=[p["label"] for p in model.plans],
                     range=[-0.5, len(model.plans) - 0.5])
    links = model.links()
    labels = {r["item_id"]: r["label"] for r in model.rows}
    on = [selected in (t, p) for t, p in links]
    fig.data[0].update(
        x=[labels[p] for _, p in links], y=[labels[t] for t, _ in links],
        marker=dict(size=[20 if o else 11 for o in on],
                    color=[OKABE_ITO["vermillion"] if o else "#7F7F7F" for o in on],
                    symbol=["diamond" if o else "circle" for o in on],
                    line=dict(width=1, color="#222222")))
    fig.update_yaxes(tickmode="array", tickvals=[t["label"] for t in model.triggers],
                     ticktext=[_tick(t["label"], t["item_id"] == selected)
                               for t in model.triggers])
    fig.update_xaxes(tickmode="array", tickvals=[p["label"] for p in model.plans],
                     ticktext=[_tick(p["label"], p["item_id"] == selected)
                               for p in model.plans])
    return fig


_EVENT_SYMBOLS = {"approved": "circle", "submitted": "diamond-open", "standard care": "triangle-up",
                  "labelled": "square", "investigational": "x", "off-label": "cross",
                  "not covered": "circle-open"}
_D816V_COLOURS = {"yes": "#0072B2", "no": "#E69F00", "not KIT-directed": "#7F7F7F"}


_INDICATIONS = {"ASM;SM-AHN;MCL": "advanced SM", "ISM;SSM": "non-advanced SM",
                "ISM": "indolent SM"}


def _event_label(row) -> str:
    indication = _INDICATIONS.get(row["subtypes"], row["subtypes"].replace(";", ", "))
    return f"{row['agent']}<br>{indication}, {row['jurisdiction'] or 'n/a'}"


def treatment_timeline_figure(model: TreatmentModel | None = None, selected_ids=None):
    """Timeline of dated regulatory events (pure builder).

    Marker shape = status (● approved, ◇ submitted, ▲ recommendation), colour = action on KIT
    D816V (blue yes, orange no, grey not KIT-directed) and a text label on every point; rows
    not in ``selected_ids`` are faded. A dashed line marks the newest source (30 June 2026).
    """


    model = model or TreatmentModel.load()
    rows = model.dated()
    x = [_plot_date(r) for r in rows]
    fig = go.Figure(go.Scatter(
        x=x, y=[_event_label(r) for r in rows], mode="markers+text",
        text=[_event_text(r) for r in rows], textposition="middle left",
        customdata=[_event_hover(r) for r in rows],
        hovertemplate="%{customdata}<extra></extra>",
        marker=dict(size=14, symbol=[_EVENT_SYMBOLS[r["status_category"]] for r in rows],
                    color=[_D816V_COLOURS[r["acts_on_d816v"]] for r in rows],
                    line=dict(width=2, color=[_D816V_COLOURS[r["acts_on_d816v"]] for r in rows])),
        name="regulatory events"))
    fig.add_vline(x=NEWEST_SOURCE_DATE, line_dash="dash", line_color="#444444")
    fig.add_annotation(x=NEWEST_SOURCE_DATE, y=1.0, yref="paper", yanchor="bottom",
                       text="newest source<br>30 Jun 2026", showarrow=False, font=dict(size=11))
    apply_theme(fig, title="Approvals and filings over time<br><sup>status as of the newest "
                           "source found, 30 June 2026</sup>", height=470)
    fig.update_layout(showlegend=False, margin=dict(l=200, t=80))
    fig.update_xaxes(title="Date of the event (month or year only where marked)",
                     range=["2012-01-01", "2027-03-01"])
    fig.update_yaxes(title="", autorange="reversed")
    fig.data[0].marker.opacity = timeline_opacity(rows, selected_ids)
    return fig


def _plot_date(row) -> str:
    date = row["event_date"]
    return {"day": date, "month": f"{date}-15", "year": f"{date}-07-01"}[row["date_precision"]]


def _event_text(row) -> str:
    mark = " (?)" if row["confidence"] == "unconfirmed" else ""
    return f"{row['event']}{mark} "


def _event_hover(row) -> str:
    return (f"<b>{html.escape(row['agent'])}</b> - {html.escape(row['jurisdiction'] or '')}<br>"
            f"{_wrap(row['status'])}<br>Date: {html.escape(_date_label(row))}"
            + (f"<br><i>{_wrap(row['note'])}</i>" if row["note"] else "")
            + f"<br>Sources: {html.escape(row['source_id'])}")

