"""Plotly figure builders for the biology notebook (01); the KIT figures (02) are in
:mod:`mastolib.figures._kit`.

Every builder is pure: it takes model results from :mod:`mastolib.models._biology` or
:mod:`mastolib.models._kit` and returns a new ``go.Figure`` in the course theme (Okabe-Ito colours,
:func:`mastolib.apply_theme`); none calls ``.show()``. Meaning is carried by marker shapes, line
dashes and text labels as well as colour. Builders used by a widget app always return the same
traces in the same order, so the app can copy their data into its ``FigureWidget`` in place.

Drawing positions (the body outline, the place of each organ, the widths of the KIT domain
boxes) are layout choices for a schematic, not data.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from ..models._biology import ORGAN_SYSTEMS, SITE_KINDS, TIMING_LABELS, format_minutes
from ._theme import OKABE_ITO, apply_theme

GREY = "#999999"
LIGHT_GREY = "#DDDDDD"
INK = "#222222"

_HIDDEN_AXIS = dict(visible=False, showgrid=False, zeroline=False, fixedrange=True)


def _wrap(text: str, width: int = 48) -> str:
    """Break ``text`` into lines of about ``width`` characters joined by ``<br>`` (hover text)."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def _flag(confidence: str) -> str:
    return "" if confidence == "confirmed" else f" ({confidence.upper()})"


# --------------------------------------------------------------------------------------------
# 01 - life cycle
# --------------------------------------------------------------------------------------------

_COMPARTMENTS = (("Bone marrow", -0.5, 0.5, OKABE_ITO["orange"]),
                 ("Blood", 0.5, 1.5, OKABE_ITO["vermillion"]),
                 ("Tissues (skin, airways, gut, organs)", 1.5, 4.5, OKABE_ITO["sky_blue"]))


def life_cycle_figure(step) -> go.Figure:
    """Diagram of a mast cell's life cycle with the current stage marked (star + text).

    Parameters
    ----------
    step : mastolib.models._biology.LifeCycleStep
    """
    stages = step.stages
    xs = list(range(len(stages)))
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=xs, y=[0] * len(stages), mode="markers+text", name="Stages",
        marker=dict(symbol="circle", size=30, color="white",
                    line=dict(color=OKABE_ITO["blue"], width=3)),
        text=[f"{s.order}" for s in stages], textfont=dict(size=14, color=OKABE_ITO["blue"]),
        hovertext=[f"<b>{s.label}</b><br>{_wrap(s.what_happens)}" for s in stages],
        hoverinfo="text", showlegend=False))
    current = step.stage
    colour = OKABE_ITO["reddish_purple"] if step.show_disease else OKABE_ITO["vermillion"]
    tag = "In mastocytosis" if step.show_disease else "You are here"
    fig.add_trace(go.Scatter(
        x=[step.index], y=[0], mode="markers+text", name=tag,
        marker=dict(symbol="star", size=44, color=colour, line=dict(color=INK, width=1.5)),
        text=[tag], textposition="top center", textfont=dict(size=14, color=INK),
        hovertext=[f"<b>{current.label}</b><br>{_wrap(step.text)}"], hoverinfo="text",
        showlegend=False))
    shapes, annotations = [], []
    for label, x0, x1, colour_box in _COMPARTMENTS:
        shapes.append(dict(type="rect", x0=x0, x1=x1, y0=-1.15, y1=1.05, layer="below",
                           fillcolor=colour_box, opacity=0.12, line=dict(color=colour_box)))
        annotations.append(dict(x=(x0 + x1) / 2, y=1.0, text=f"<b>{label}</b>",
                                showarrow=False, yanchor="top", font=dict(size=13)))
    for i in range(len(stages) - 1):
        annotations.append(dict(x=i + 0.72, y=0, ax=i + 0.28, ay=0, xref="x", yref="y",
                                axref="x", ayref="y", text="", showarrow=True, arrowhead=3,
                                arrowsize=1.3, arrowwidth=2, arrowcolor=INK))
    for i, s in enumerate(stages):
        annotations.append(dict(x=i, y=-0.42, text=_wrap(s.label, 16), showarrow=False,
                                yanchor="top", font=dict(size=12)))
    fig.update_layout(shapes=shapes, annotations=annotations,
                      xaxis=dict(_HIDDEN_AXIS, range=[-0.6, len(stages) - 0.4]),
                      yaxis=dict(_HIDDEN_AXIS, range=[-1.2, 1.1]),
                      margin=dict(l=10, r=10, t=50, b=10))
    title = f"Stage {current.order} of {len(stages)}: {current.label}"
    return apply_theme(fig, title=title, height=330)


def life_cycle_summary(step) -> str:
    """One-line text summary of :func:`life_cycle_figure` (for screen readers)."""
    s = step.stage
    return (f"Stage {s.order} of {len(step.stages)}, {s.label} ({s.where}). {step.text}")


# --------------------------------------------------------------------------------------------
# 01 - body map
# --------------------------------------------------------------------------------------------

# Where each tissue is drawn on the schematic body (x, y, label position); layout, not data.
_BODY_POSITIONS = {
    "skin": (1.9, 11.2, "middle left"),
    "airways": (5.0, 14.9, "middle right"),
    "gut": (5.0, 10.3, "middle right"),
    "bone_marrow": (5.9, 8.3, "middle right"),
    "liver": (4.2, 12.4, "middle left"),
    "spleen": (5.9, 12.6, "middle right"),
    "lymph_nodes": (3.1, 14.9, "middle left"),
    "bone": (4.1, 3.5, "middle left"),
}
_KIND_STYLE = {
    "interface": ("circle", OKABE_ITO["blue"]),
    "systemic": ("diamond", OKABE_ITO["vermillion"]),
    "both": ("star", OKABE_ITO["reddish_purple"]),
}


def _body_outline() -> list[dict]:
    line = dict(color="#777777", width=2)
    limb = dict(color="#BBBBBB", width=11)
    fill = "rgba(230,230,230,0.6)"
    torso = "M 3.3 16 L 6.7 16 L 6.5 8.3 L 3.5 8.3 Z"
    shapes = [
        dict(type="circle", x0=4.1, x1=5.9, y0=16.6, y1=18.8, line=line, fillcolor=fill),
        dict(type="path", path=torso, line=line, fillcolor=fill),
        dict(type="line", x0=3.3, y0=15.8, x1=2.0, y1=10.0, line=limb),
        dict(type="line", x0=6.7, y0=15.8, x1=8.0, y1=10.0, line=limb),
        dict(type="line", x0=4.2, y0=8.3, x1=4.0, y1=1.0, line=limb),
        dict(type="line", x0=5.8, y0=8.3, x1=6.0, y1=1.0, line=limb),
    ]
    return [dict(shape, layer="below") for shape in shapes]


def body_map_figure(sites: list[dict]) -> go.Figure:
    """Schematic body with the tissues where mast cells matter; hover text from the table.

    Parameters
    ----------
    sites : list of dict
        Rows of ``data/tissues.csv`` (:func:`mastolib.body_map_sites`).
    """
    fig = go.Figure()
    for kind, (symbol, colour) in _KIND_STYLE.items():
        rows = [r for r in sites if r["site_kind"] == kind]
        fig.add_trace(go.Scatter(
            x=[_BODY_POSITIONS[r["tissue_id"]][0] for r in rows],
            y=[_BODY_POSITIONS[r["tissue_id"]][1] for r in rows],
            mode="markers+text", name=SITE_KINDS[kind],
            marker=dict(symbol=symbol, size=20, color=colour, line=dict(color=INK, width=1)),
            text=[r["label"] for r in rows],
            textposition=[_BODY_POSITIONS[r["tissue_id"]][2] for r in rows],
            textfont=dict(size=13),
            hovertext=[(f"<b>{r['label']}</b>{_flag(r['confidence'])}<br>"
                        f"<i>Normally:</i> {_wrap(r['normal_role'])}<br>"
                        f"<i>In systemic mastocytosis:</i> {_wrap(r['in_systemic_disease'])}"
                        f"<br><i>Source:</i> {r['source_id']}") for r in rows],
            hoverinfo="text"))
    fig.update_layout(
        shapes=_body_outline(),
        xaxis=dict(_HIDDEN_AXIS, range=[-2.5, 12.5]),
        yaxis=dict(_HIDDEN_AXIS, range=[0, 19.5], scaleanchor="x", scaleratio=1),
        margin=dict(l=10, r=10, t=50, b=40))
    return apply_theme(fig, title="Where mast cells live (hover for details)", height=620)


def body_map_summary(sites: list[dict]) -> str:
    border = [r["label"] for r in sites if r["site_kind"] in ("interface", "both")]
    organs = [r["label"] for r in sites if r["site_kind"] in ("systemic", "both")]
    return (f"Body map: border tissues {', '.join(border)}; organs involved in systemic "
            f"mastocytosis {', '.join(organs)}.")


# --------------------------------------------------------------------------------------------
# 01 - degranulation
# --------------------------------------------------------------------------------------------

_TIMING_STYLE = {
    "preformed": ("circle", OKABE_ITO["blue"]),
    "newly_made": ("square", OKABE_ITO["orange"]),
    "both": ("diamond", OKABE_ITO["bluish_green"]),
}


def degranulation_figure(result, all_mediators: list[str] | None = None) -> go.Figure:
    """Matrix of mediators (rows) acting on organ systems (columns) after a trigger.

    Filled markers: the trigger reaches that organ system (shape = preformed / newly made);
    open grey circles: the mediator acts there, but this trigger does not reach it.

    Parameters
    ----------
    result : mastolib.models._biology.DegranulationResult
    all_mediators : list of str, optional
        Row labels to keep on the axis even when filtered out of view (keeps the layout still).
    """
    rows = all_mediators or [m["short_label"] for m in result.mediators]
    fig = go.Figure()

    def hover(e):
        symptom = e.symptom.replace(";", ",")
        return (f"<b>{e.mediator} → {e.organ}</b><br>{_wrap(e.effect)}<br>"
                f"<i>Symptom:</i> {symptom}<br><i>Confidence:</i> {e.confidence} · "
                f"<i>Source:</i> {e.source_id}")

    for timing, (symbol, colour) in _TIMING_STYLE.items():
        chosen = [e for e in result.reached if e.timing == timing]
        fig.add_trace(go.Scatter(
            x=[e.organ for e in chosen], y=[e.mediator for e in chosen], mode="markers",
            name=TIMING_LABELS[timing].capitalize(),
            marker=dict(symbol=symbol, size=22, color=colour, line=dict(color=INK, width=1)),
            hovertext=[hover(e) for e in chosen], hoverinfo="text"))
    missed = [e for e in result.effects if not e.reached]
    fig.add_trace(go.Scatter(
        x=[e.organ for e in missed], y=[e.mediator for e in missed], mode="markers",
        name="Not reached by this trigger",
        marker=dict(symbol="circle-open", size=16, color=GREY, line=dict(width=2)),
        hovertext=[hover(e) + "<br>(not reached by this trigger)" for e in missed],
        hoverinfo="text"))
    trigger = result.trigger
    fig.update_layout(
        xaxis=dict(categoryorder="array", categoryarray=list(ORGAN_SYSTEMS.values()),
                   # upright-reading columns: slanted names overlap in a 592 px output
                   type="category", range=[-0.5, len(ORGAN_SYSTEMS) - 0.5], tickangle=-90,
                   title_text="Organ system"),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(rows)), type="category",
                   range=[-0.5, len(rows) - 0.5], automargin=True),
        margin=dict(l=20, r=20, t=90, b=110))
    title = f"{trigger['label']}: {trigger['reach']} reaction"
    return apply_theme(fig, title=title, height=520)


def degranulation_summary(result) -> str:
    symptoms = "; ".join(f"{organ}: {', '.join(items)}"
                         for organ, items in result.symptoms_by_organ.items())
    n = len({e.mediator_id for e in result.reached})
    return (f"{result.trigger['label']} ({result.trigger['reach']} reaction): {n} mediators in "
            f"view act on reached organs. Symptoms organ by organ - {symptoms or 'none in view'}.")


# --------------------------------------------------------------------------------------------
# 01 - kinetics
# --------------------------------------------------------------------------------------------

# At least a factor of 2 apart: at 1024 px (a ~480 px wide plot) 10 and 15 min met.
_TICKS_MIN = (1, 2, 5, 10, 30, 60, 120, 240, 480, 1440, 2880)
T_MIN, T_MAX = 1.0, 2880.0


def _time_grid(models, n: int = 240) -> list[float]:
    grid = [T_MIN * (T_MAX / T_MIN) ** (i / n) for i in range(n + 1)]
    grid += [m.peak_min for m in models]
    return sorted(set(grid))


def kinetics_figure(histamine, tryptase, sample, rules: dict) -> go.Figure:
    """Rise above baseline (% of the peak rise) of plasma histamine and serum tryptase.

    Parameters
    ----------
    histamine, tryptase : mastolib.models._biology.KineticsModel
    sample : mastolib.models._biology.SampleResult
        The sampling time chosen and the two readings at that time.
    rules : dict
        :func:`mastolib.models._biology.sampling_rules` (drawn as shaded windows).
    """
    grid = _time_grid((histamine, tryptase))
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=grid, y=[100 * f for f in histamine.curve(grid)], mode="lines",
        name=f"{histamine.label} (model)", line=dict(color=OKABE_ITO["blue"], width=3),
        hovertemplate="%{y:.0f} % of peak rise<extra>histamine</extra>"))
    fig.add_trace(go.Scatter(
        x=grid, y=[100 * f for f in tryptase.curve(grid)], mode="lines",
        name=f"{tryptase.label} (model)",
        line=dict(color=OKABE_ITO["orange"], width=3, dash="dash"),
        hovertemplate="%{y:.0f} % of peak rise<extra>tryptase</extra>"))
    for name, pct, symbol, colour, side in (
            ("Histamine", sample.histamine_pct, "circle", "blue", "top left"),
            ("Tryptase", sample.tryptase_pct, "square", "orange", "top right")):
        fig.add_trace(go.Scatter(
            x=[sample.t_min], y=[pct], mode="markers+text", name=f"{name} in this sample",
            marker=dict(symbol=symbol, size=14, color=OKABE_ITO[colour],
                        line=dict(color=INK, width=1.5)),
            text=[f"{name.lower()} {pct:.0f} %"], textposition=side,
            showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=[sample.t_min, sample.t_min], y=[0, 124], mode="lines+text",
        name=f"Sample at {sample.label}", line=dict(color=INK, width=2, dash="dot"),
        text=["", f"sample at {sample.label}"], textposition="top center",
        showlegend=False, hoverinfo="skip"))
    (best_low, best_high), latest, baseline = rules["best"], rules["latest"], rules["baseline"]
    shapes = [
        dict(type="rect", x0=best_low, x1=best_high, y0=0, y1=100, layer="below",
             fillcolor=OKABE_ITO["bluish_green"], opacity=0.18, line=dict(width=0)),
        dict(type="line", x0=latest, x1=latest, y0=0, y1=100, layer="below",
             line=dict(color=OKABE_ITO["bluish_green"], width=2, dash="dash")),
        dict(type="rect", x0=baseline, x1=T_MAX, y0=0, y1=100, layer="below",
             fillcolor=GREY, opacity=0.18, line=dict(width=0)),
    ]
    annotations = [
        dict(x=math.log10(math.sqrt(best_low * best_high)), y=100, yanchor="bottom",
             text="best acute<br>tryptase", showarrow=False, font=dict(size=12)),
        dict(x=math.log10(latest), y=92, xanchor="left", text=f" latest acute ({format_minutes(latest)})",
             showarrow=False, font=dict(size=12)),
        dict(x=math.log10(math.sqrt(baseline * T_MAX)), y=100, yanchor="bottom",
             text="baseline<br>sample", showarrow=False, font=dict(size=12)),
    ]
    fig.update_layout(
        shapes=shapes, annotations=annotations,
        xaxis=dict(type="log", range=[0, math.log10(T_MAX)], tickvals=list(_TICKS_MIN),
                   ticktext=[format_minutes(t) for t in _TICKS_MIN],
                   title_text="Time after the onset of the event (log scale)"),
        yaxis=dict(range=[0, 140], title_text="Rise above baseline (% of peak rise)",
                   tickvals=[0, 25, 50, 75, 100]),
        margin=dict(l=70, r=20, t=90, b=60))
    return apply_theme(fig, title=f"Sample drawn {sample.label} after onset", height=470)


def kinetics_summary(sample) -> str:
    return (f"Sample at {sample.label}: plasma histamine {sample.histamine_pct:.0f} % and serum "
            f"tryptase {sample.tryptase_pct:.0f} % of their peak rise (teaching model). "
            f"{sample.advice}")
