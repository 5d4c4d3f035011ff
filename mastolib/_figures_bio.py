"""Plotly figure builders for the biology and KIT notebooks (01, 02).

Every builder is pure: it takes model results from :mod:`mastolib._biology` or
:mod:`mastolib._kit` and returns a new ``go.Figure`` in the course theme (Okabe-Ito colours,
:func:`mastolib.apply_theme`); none calls ``.show()``. Meaning is carried by marker shapes, line
dashes and text labels as well as colour. Builders used by a widget app always return the same
traces in the same order, so the app can copy their data into its ``FigureWidget`` in place.

Drawing positions (the body outline, the place of each organ, the widths of the KIT domain
boxes) are layout choices for a schematic, not data.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._biology import (
    ORGAN_SYSTEMS,
    SITE_KINDS,
    TIMING_LABELS,
    format_minutes,
)
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
    step : mastolib._biology.LifeCycleStep
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
    result : mastolib._biology.DegranulationResult
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
                   type="category", range=[-0.5, len(ORGAN_SYSTEMS) - 0.5], tickangle=-30,
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

_TICKS_MIN = (1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 1440, 2880)
T_MIN, T_MAX = 1.0, 2880.0


def _time_grid(models, n: int = 240) -> list[float]:
    grid = [T_MIN * (T_MAX / T_MIN) ** (i / n) for i in range(n + 1)]
    grid += [m.peak_min for m in models]
    return sorted(set(grid))


def kinetics_figure(histamine, tryptase, sample, rules: dict) -> go.Figure:
    """Rise above baseline (% of the peak rise) of plasma histamine and serum tryptase.

    Parameters
    ----------
    histamine, tryptase : mastolib._biology.KineticsModel
    sample : mastolib._biology.SampleResult
        The sampling time chosen and the two readings at that time.
    rules : dict
        :func:`mastolib._biology.sampling_rules` (drawn as shaded windows).
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
    fig.add_trace(go.Scatter(
        x=[sample.t_min], y=[sample.histamine_pct], mode="markers+text",
        name="Histamine in this sample",
        marker=dict(symbol="circle", size=14, color=OKABE_ITO["blue"],
                    line=dict(color=INK, width=1.5)),
        text=[f"histamine {sample.histamine_pct:.0f} %"], textposition="top left",
        showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=[sample.t_min], y=[sample.tryptase_pct], mode="markers+text",
        name="Tryptase in this sample",
        marker=dict(symbol="square", size=14, color=OKABE_ITO["orange"],
                    line=dict(color=INK, width=1.5)),
        text=[f"tryptase {sample.tryptase_pct:.0f} %"], textposition="top right",
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


# --------------------------------------------------------------------------------------------
# 02 - KIT domain map (lollipop)
# --------------------------------------------------------------------------------------------

_LOCATION_COLOURS = {"extracellular": OKABE_ITO["sky_blue"], "membrane": OKABE_ITO["yellow"],
                     "intracellular": OKABE_ITO["bluish_green"]}
_SHORT_DOMAIN = {"ig_d1_d3": "D1-D3", "ig_d4": "D4", "ig_d5": "D5", "tm": "TM", "jm": "JM",
                 "tk1": "TK1", "kinase_insert": "KI", "tk2": "TK2"}
_LANES = {"adults": 2.3, "children": 1.3}
_STAGGER = 0.27  # heads of neighbouring variants in one lane are staggered to keep labels apart
_BOX_TOP = 0.6


def _domain_boxes(domains) -> dict:
    """Schematic x-extent of each domain box (not to scale)."""
    boxes, x = {}, 0.0
    for d in domains:
        width = 0.5 if d["location"] == "membrane" else 1.0
        boxes[d["domain_id"]] = (x, x + width)
        x += width + 0.12
    return boxes


def kit_map_figure(kmap) -> go.Figure:
    """Schematic KIT receptor (N- to C-terminus) with the variants in view as lollipops.

    Boxes: domains coloured by location (outside the cell / membrane / inside), solid border =
    exon mapping confirmed, dashed border and '?' = exon mapping unconfirmed. Heads: circles for
    variants reported in adults (upper lane), triangles for children (lower lane).

    Parameters
    ----------
    kmap : mastolib._kit.KitMap
    """
    domains = kmap.domains
    boxes = _domain_boxes(domains)
    fig = go.Figure()
    stems_x, stems_y = [], []
    heads = {"adults": ([], [], [], []), "children": ([], [], [], [])}
    by_domain: dict = {}
    for v in kmap.variants:
        by_domain.setdefault(v["domain_id"], []).append(v)
    for domain_id, variants in by_domain.items():
        x0, x1 = boxes[domain_id]
        rank = {"adults": 0, "children": 0}
        for k, v in enumerate(variants):
            x = x0 + (x1 - x0) * (k + 1) / (len(variants) + 1)
            lanes = ["adults", "children"] if v["population"] == "both" else [v["population"]]
            levels = {}
            for lane in lanes:
                levels[lane] = _LANES[lane] + _STAGGER * rank[lane]
                rank[lane] += 1
            stems_x += [x, x, None]
            stems_y += [_BOX_TOP, max(levels.values()), None]
            for lane in lanes:
                xs, ys, texts, hovers = heads[lane]
                xs.append(x)
                ys.append(levels[lane])
                texts.append(v["label"])
                exon = f"exon {v['exon']}" if v["exon"] else "exon not given"
                hovers.append(f"<b>{v['label']}</b> (codon {v['codon']}, {exon}){_flag(v['confidence'])}"
                              f"<br>{_wrap(v['context'])}<br><i>Source:</i> {v['source_id']}")
    fig.add_trace(go.Scatter(x=stems_x, y=stems_y, mode="lines", name="stems",
                             line=dict(color="#555555", width=2), hoverinfo="skip",
                             showlegend=False))
    styles = {"adults": ("circle", OKABE_ITO["vermillion"], "Reported in adults"),
              "children": ("triangle-up", OKABE_ITO["reddish_purple"], "Reported in children")}
    for lane, (xs, ys, texts, hovers) in heads.items():
        symbol, colour, name = styles[lane]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers+text", name=name, text=texts,
            textposition="middle right", textfont=dict(size=12),
            marker=dict(symbol=symbol, size=16, color=colour, line=dict(color=INK, width=1)),
            hovertext=hovers, hoverinfo="text"))
    fig.add_trace(go.Scatter(
        x=[(boxes[d["domain_id"]][0] + boxes[d["domain_id"]][1]) / 2 for d in domains],
        y=[_BOX_TOP / 2] * len(domains), mode="text", name="domains",
        text=[_SHORT_DOMAIN.get(d["domain_id"], d["domain_id"]) for d in domains],
        textfont=dict(size=12, color=INK), showlegend=False,
        hovertext=[(f"<b>{d['label']}</b> ({d['location']})<br>{_wrap(d['function'])}<br>"
                    f"Exons: {d['exons'] or 'not given'}"
                    f"{'' if d['exon_confidence'] == 'confirmed' else ' - mapping UNCONFIRMED'}"
                    f"<br><i>Source:</i> {d['source_id']}") for d in domains],
        hoverinfo="text"))
    shapes, annotations = [], []
    for d in domains:
        x0, x1 = boxes[d["domain_id"]]
        confirmed = d["exon_confidence"] == "confirmed"
        shapes.append(dict(type="rect", x0=x0, x1=x1, y0=0, y1=_BOX_TOP,
                           fillcolor=_LOCATION_COLOURS[d["location"]], opacity=0.55,
                           line=dict(color=INK, width=2 if confirmed else 1.5,
                                     dash="solid" if confirmed else "dash")))
        exon = d["exons"] or "?"
        label = f"ex {exon}" if confirmed else f"ex {exon}{'' if exon == '?' else '?'}"
        annotations.append(dict(x=(x0 + x1) / 2, y=-0.08, yanchor="top", text=label,
                                showarrow=False, font=dict(size=11)))
    tm = next((boxes[d["domain_id"]] for d in domains if d["location"] == "membrane"), None)
    end = max(x1 for _, x1 in boxes.values())
    for y in _LANES.values():
        shapes.append(dict(type="rect", x0=-0.15, x1=end + 0.85, y0=y - 0.17, y1=y + 0.72,
                           layer="below", fillcolor=GREY, opacity=0.08, line=dict(width=0)))
    if tm is not None:
        shapes.append(dict(type="rect", x0=tm[0], x1=tm[1], y0=-0.6, y1=3.6, layer="below",
                           fillcolor=OKABE_ITO["yellow"], opacity=0.15, line=dict(width=0)))
        annotations += [
            dict(x=tm[0] / 2, y=3.55, text="<b>outside the cell</b>", showarrow=False),
            dict(x=(tm[1] + end) / 2, y=3.55, text="<b>inside the cell</b>", showarrow=False),
        ]
    annotations += [dict(x=0, y=-0.45, text="N-terminus", showarrow=False, xanchor="left"),
                    dict(x=end, y=-0.45, text="C-terminus", showarrow=False, xanchor="right")]
    fig.update_layout(
        shapes=shapes, annotations=annotations,
        xaxis=dict(_HIDDEN_AXIS, range=[-0.2, end + 0.9]),
        yaxis=dict(range=[-0.7, 3.8], tickvals=[y + 0.27 for y in _LANES.values()],
                   ticktext=["Adults", "Children"], showgrid=False, zeroline=False,
                   fixedrange=True, title_text="Reported in"),
        margin=dict(l=80, r=20, t=90, b=40))
    title = "KIT receptor: domains, exons and the mutations that matter (schematic, not to scale)"
    return apply_theme(fig, title=title, height=470)


def kit_map_summary(kmap) -> str:
    names = ", ".join(v["label"] for v in kmap.variants) or "none"
    return (f"KIT domain map, {len(kmap.domains)} domains; variants shown ({kmap.population}): "
            f"{names}. Exon mappings flagged unconfirmed: {', '.join(kmap.unconfirmed_exons)}.")


# --------------------------------------------------------------------------------------------
# 02 - the KIT switch
# --------------------------------------------------------------------------------------------


def _rect(cx: float, y0: float, y1: float, width: float) -> tuple[list, list]:
    x0, x1 = cx - width / 2, cx + width / 2
    return [x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0]


def signalling_figure(state) -> go.Figure:
    """Two KIT receptors in the membrane: apart or paired, kinase on or off, signal or not.

    Parameters
    ----------
    state : mastolib._kit.SignallingState
    """
    left, right = (4.35, 5.65) if state.dimerised else (2.5, 7.5)
    on_colour = OKABE_ITO["bluish_green"]
    kinase_fill = on_colour if state.kinase_on else LIGHT_GREY
    fig = go.Figure()
    for cx in (left, right):
        xs, ys = _rect(cx, 0.3, 3.0, 0.8)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself",
                                 fillcolor=OKABE_ITO["sky_blue"], line=dict(color=INK, width=1.5),
                                 name="KIT outside the cell", showlegend=False,
                                 hoverinfo="skip"))
    for cx in (left, right):
        xs, ys = _rect(cx, -2.6, -0.3, 1.0)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=kinase_fill,
                                 line=dict(color=INK, width=2.5 if state.kinase_on else 1,
                                           dash="solid" if state.kinase_on else "dot"),
                                 name="kinase", showlegend=False, hoverinfo="skip"))
    word = "kinase ON" if state.kinase_on else "kinase off"
    fig.add_trace(go.Scatter(x=[left, right], y=[-1.45, -1.45], mode="text", text=[word, word],
                             textfont=dict(size=13, color=INK), name="kinase state",
                             showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=[5.0] if state.scf_bound else [], y=[3.35] if state.scf_bound else [],
        mode="markers+text", name="SCF (stem cell factor)", text=["SCF"], textposition="top center",
        marker=dict(symbol="circle", size=26, color=OKABE_ITO["orange"],
                    line=dict(color=INK, width=1)), hoverinfo="name"))
    mutant = state.variant == "d816v"
    fig.add_trace(go.Scatter(
        x=[left, right] if mutant else [], y=[-2.3, -2.3] if mutant else [],
        mode="markers+text", name="D816V (activation loop)", text=["D816V", "D816V"],
        textposition="bottom center",
        marker=dict(symbol="star", size=20, color=OKABE_ITO["vermillion"],
                    line=dict(color=INK, width=1)), hoverinfo="name"))
    fig.add_trace(go.Scatter(
        x=[left - 0.8, right + 0.8] if state.imatinib else [],
        y=[-1.0, -1.0] if state.imatinib else [], mode="markers+text", name="Imatinib",
        text=["imatinib", "imatinib"], textposition="top center",
        marker=dict(symbol="x", size=16, color=INK), hoverinfo="name"))
    centre = (left + right) / 2
    signal = "growth and survival signal" if state.kinase_on else "no signal"
    fig.add_trace(go.Scatter(
        x=[centre, centre], y=[-2.8, -3.7], mode="lines+markers+text", name="signal",
        line=dict(color=on_colour if state.kinase_on else GREY, width=4 if state.kinase_on else 2,
                  dash="solid" if state.kinase_on else "dot"),
        marker=dict(symbol=["circle", "triangle-down"], size=[2, 16],
                    color=on_colour if state.kinase_on else GREY),
        text=["", signal], textposition="bottom center", textfont=dict(size=14),
        showlegend=False, hoverinfo="skip"))
    fig.update_layout(
        shapes=[dict(type="rect", x0=0, x1=10, y0=-0.3, y1=0.3, layer="below",
                     fillcolor=OKABE_ITO["yellow"], opacity=0.45, line=dict(width=0))],
        annotations=[dict(x=0.1, y=2.6, text="outside the cell", showarrow=False,
                          xanchor="left"),
                     dict(x=0.1, y=0, text="membrane", showarrow=False, xanchor="left"),
                     dict(x=0.1, y=-2.0, text="inside the cell", showarrow=False,
                          xanchor="left")],
        xaxis=dict(_HIDDEN_AXIS, range=[0, 10]), yaxis=dict(_HIDDEN_AXIS, range=[-4.6, 4.4]),
        margin=dict(l=10, r=10, t=80, b=10))
    kit = "KIT D816V" if mutant else "Normal KIT"
    scf = "with SCF" if state.scf_bound else "without SCF"
    drug = " + imatinib" if state.imatinib else ""
    title = f"{kit}, {scf}{drug}: {word}"
    return apply_theme(fig, title=title, height=440)


def signalling_summary(state) -> str:
    return state.explanation


# --------------------------------------------------------------------------------------------
# 02 - clonal expansion teaching model
# --------------------------------------------------------------------------------------------


def clonal_figure(trajectory, anchors: dict) -> go.Figure:
    """Three stacked panels over time: mast cell mass, VAF and basal tryptase (teaching model).

    Parameters
    ----------
    trajectory : mastolib._kit.ClonalTrajectory
    anchors : dict
        :func:`mastolib._kit.tryptase_anchors` (reference lines with ``role == "reference_line"``).
    """
    years = trajectory.years
    at = trajectory.at
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07,
                        subplot_titles=("Mast cell mass (x healthy)",
                                        "KIT D816V VAF in mast cells (%)",
                                        "Basal serum tryptase (ng/mL, log scale)"))
    fig.add_trace(go.Scatter(x=years, y=trajectory.column("normal_x"), mode="lines",
                             name="Normal mast cells", line=dict(color=GREY, dash="dash", width=2)),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=years, y=trajectory.column("mutant_x"), mode="lines",
                             name="KIT-mutant clone",
                             line=dict(color=OKABE_ITO["vermillion"], width=3)), row=1, col=1)
    fig.add_trace(go.Scatter(x=years, y=trajectory.column("burden_x"), mode="lines",
                             name="Total", line=dict(color=INK, width=2, dash="dot")),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=years, y=trajectory.column("vaf_pct"), mode="lines",
                             name="VAF", line=dict(color=OKABE_ITO["blue"], width=3),
                             showlegend=False), row=2, col=1)
    fig.add_trace(go.Scatter(x=years, y=trajectory.column("bst_ng_ml"), mode="lines",
                             name="Tryptase", line=dict(color=OKABE_ITO["orange"], width=3),
                             showlegend=False), row=3, col=1)
    references = [a for a in anchors.values() if a["role"] == "reference_line"]
    dashes = ("dash", "dashdot", "longdash")
    for i, ref in enumerate(sorted(references, key=lambda a: a["value"])):
        fig.add_trace(go.Scatter(
            x=[years[0], years[-1]], y=[ref["value"]] * 2, mode="lines+text",
            name=f"{ref['operator']} {ref['value']:g} ng/mL: {ref['label']}",
            line=dict(color=OKABE_ITO["bluish_green"], width=1.5, dash=dashes[i % 3]),
            text=["", f"{ref['operator']} {ref['value']:g}"], textposition="top left",
            showlegend=False, hovertemplate=f"{ref['label']} [{ref['source_id']}]<extra></extra>"),
            row=3, col=1)
    marks = ((1, at.burden_x, f"{at.burden_x:.1f} x"), (2, at.vaf_pct, f"{at.vaf_pct:.1f} %"),
             (3, at.bst_ng_ml, f"{at.bst_ng_ml:.0f} ng/mL"))
    for row, value, text in marks:
        fig.add_trace(go.Scatter(
            x=[at.year], y=[value], mode="markers+text", name=f"year {at.year:g}",
            marker=dict(symbol="diamond", size=13, color=INK), text=[text],
            textposition="middle left" if at.year > years[-1] / 2 else "middle right",
            showlegend=False, hoverinfo="skip"), row=row, col=1)
    ceiling = trajectory.params.ceiling_x_normal + 1
    fig.update_yaxes(range=[0, ceiling * 1.1], row=1, col=1)
    fig.update_yaxes(range=[0, 55], row=2, col=1)
    # Powers of ten only: "2", "5", "20"... stack on top of each other in this short panel.
    fig.update_yaxes(type="log", range=[0, 3], tickvals=[1, 10, 100, 1000], row=3, col=1)
    fig.update_xaxes(title_text="Years since the mutation arose (teaching model)", row=3, col=1)
    fig.update_layout(margin=dict(l=60, r=20, t=120, b=50))
    title = f"Teaching model, not data - year {at.year:g}"
    return apply_theme(fig, title=title, height=640)


def clonal_summary(trajectory, anchors: dict) -> str:
    at = trajectory.at
    minor = anchors["sm_minor"]["value"]
    first = trajectory.first_year_above(minor)
    crossing = (f"tryptase passes {minor:g} ng/mL at about year {first:g}" if first is not None
                else f"tryptase stays at or below {minor:g} ng/mL within {trajectory.years[-1]:g} years")
    return (f"Teaching model at year {at.year:g}: mast cell mass {at.burden_x:.1f} x healthy, "
            f"mutant share {100 * at.mutant_fraction:.0f} %, VAF in mast cells "
            f"{at.vaf_pct:.1f} %, basal tryptase {at.bst_ng_ml:.0f} ng/mL; {crossing}.")


# --------------------------------------------------------------------------------------------
# 02 - frequencies, HaT, inheritance (static figures)
# --------------------------------------------------------------------------------------------

_GROUP_STYLE = {"adults": (OKABE_ITO["blue"], ""), "children": (OKABE_ITO["orange"], "/")}


def _percent_text(r) -> str:
    sign = {"=": "", ">": ">", "<": "<"}[r["qualifier"]]
    text = f"{sign}{r['percent']:g} %"
    if r["count"] is not None and r["n"] is not None:
        text = f"{r['count']}/{r['n']} ({r['percent']:.0f} %)"
    elif r["n"] is not None:
        text += f" (n = {r['n']})"
    return text


def kit_frequency_figure(rows: list[dict]) -> go.Figure:
    """Horizontal bars: how often KIT mutations are found, adults vs children (cited rows).

    Bars for '>' or '<' values are drawn at the bound and labelled with the sign.
    """
    fig = go.Figure()
    labels = {r["frequency_id"]: f"{r['population']}: {r['finding']}" for r in rows}
    order = [labels[r["frequency_id"]] for r in rows]
    for group, (colour, pattern) in _GROUP_STYLE.items():
        chosen = [r for r in rows if r["group"] == group]
        fig.add_trace(go.Bar(
            x=[r["percent"] for r in chosen], y=[labels[r["frequency_id"]] for r in chosen],
            orientation="h", name=group.capitalize(), text=[_percent_text(r) for r in chosen],
            textposition="outside", cliponaxis=False,
            marker=dict(color=colour, pattern=dict(shape=pattern), line=dict(color=INK, width=1)),
            hovertext=[f"{labels[r['frequency_id']]}<br>{r['note'] or ''}<br>"
                       f"<i>Source:</i> {r['source_id']}" for r in chosen],
            hoverinfo="text"))
    fig.update_layout(
        xaxis=dict(range=[0, 115], title_text="% of patients (or samples) with the finding",
                   tickvals=[0, 25, 50, 75, 100]),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(order)), automargin=True),
        margin=dict(l=20, r=40, t=90, b=50), bargap=0.3)
    return apply_theme(fig, title="KIT mutations by population: adults vs children", height=520)


def kit_frequency_summary(rows: list[dict]) -> str:
    parts = [f"{r['population']} - {r['finding']}: {_percent_text(r)}" for r in rows]
    return "KIT findings by population: " + "; ".join(parts) + "."


def hat_prevalence_figure(facts: dict) -> go.Figure:
    """How common hereditary alpha-tryptasemia is: general population vs mastocytosis."""
    chosen = [facts[k] for k in ("prevalence_general", "prevalence_controls",
                                 "prevalence_mastocytosis")]
    colours = [OKABE_ITO["sky_blue"], OKABE_ITO["blue"], OKABE_ITO["vermillion"]]
    patterns = ["x", "", "/"]
    fig = go.Figure(go.Bar(
        y=[f["label"] for f in chosen], x=[f["high"] - f["low"] if f["high"] != f["low"]
                                            else f["high"] for f in chosen],
        base=[f["low"] if f["high"] != f["low"] else 0 for f in chosen], orientation="h",
        marker=dict(color=colours, pattern=dict(shape=patterns), line=dict(color=INK, width=1)),
        text=[(f"about {f['low']:g}-{f['high']:g} %" if f["high"] != f["low"]
               else f"{f['high']:g} %") for f in chosen],
        textposition="outside", cliponaxis=False, showlegend=False,
        hovertext=[f"{f['label']}<br>{f['note'] or ''}<br><i>Source:</i> {f['source_id']}"
                   for f in chosen], hoverinfo="text"))
    fig.update_layout(
        xaxis=dict(range=[0, 22], title_text="% of people with hereditary alpha-tryptasemia"),
        yaxis=dict(categoryorder="array", categoryarray=[f["label"] for f in reversed(chosen)],
                   automargin=True),
        margin=dict(l=20, r=40, t=60, b=50))
    return apply_theme(fig, title="Hereditary alpha-tryptasemia is common - and more so in "
                                   "mastocytosis", height=330)


def hat_prevalence_summary(facts: dict) -> str:
    g, c, m = (facts[k] for k in ("prevalence_general", "prevalence_controls",
                                  "prevalence_mastocytosis"))
    return (f"Hereditary alpha-tryptasemia: about {g['low']:g}-{g['high']:g} % of the general "
            f"population ({c['high']:g} % of controls in one study) and {m['high']:g} % of "
            "people with mastocytosis.")


def inheritance_figure() -> go.Figure:
    """Two small family trees: a somatic KIT mutation vs a germline extra TPSAB1 copy.

    Symbols: square = male, circle = female; filled = carries it in every cell (germline);
    dotted = carries it only in cells descended from one mutated marrow cell (somatic);
    open = does not carry it. A schematic of the two ways a change can be carried, not data.
    """
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=("Somatic: KIT D816V in mastocytosis",
                                        "Germline: extra TPSAB1 copy (HaT)"))
    # (x, y, sex, status) per person; the patient is the middle generation's first person.
    families = {
        1: [(1, 2, "m", "none"), (3, 2, "f", "none"), (2, 1, "f", "somatic"),
            (4, 1, "m", "none"), (2, 0, "m", "none"), (4, 0, "f", "none")],
        2: [(1, 2, "m", "germline"), (3, 2, "f", "none"), (2, 1, "f", "germline"),
            (4, 1, "m", "none"), (2, 0, "m", "germline"), (4, 0, "f", "none")],
    }
    couples = [((1, 2), (3, 2)), ((2, 1), (4, 1))]
    children = [((2, 2), (2, 1)), ((3, 1), (2, 0)), ((3, 1), (4, 0))]
    # (legend, fill, outline): filled = germline, ringed with a dot = somatic, white = none
    styles = {
        "germline": ("Carries it in every cell (germline, can be passed on)", OKABE_ITO["blue"],
                     OKABE_ITO["blue"]),
        "somatic": ("Carries it in one clone of marrow-derived cells (somatic)", "white",
                    OKABE_ITO["vermillion"]),
        "none": ("Does not carry it", "white", GREY),
    }
    for col, people in families.items():
        lx, ly = [], []
        for (a, b) in couples:
            lx += [a[0], b[0], None]
            ly += [a[1], b[1], None]
        for (parent, child) in children:
            lx += [parent[0], parent[0], child[0], child[0], None]
            ly += [parent[1], parent[1] - 0.5, parent[1] - 0.5, child[1], None]
        fig.add_trace(go.Scatter(x=lx, y=ly, mode="lines", line=dict(color="#777777", width=1.5),
                                 showlegend=False, hoverinfo="skip"), row=1, col=col)
        for status, (name, fill, outline) in styles.items():
            chosen = [p for p in people if p[3] == status]
            fig.add_trace(go.Scatter(
                x=[p[0] for p in chosen], y=[p[1] for p in chosen], mode="markers",
                name=name, legendgroup=status, showlegend=col == 2 or status == "somatic",
                marker=dict(symbol=["square" if p[2] == "m" else "circle" for p in chosen],
                            size=28, color=fill, line=dict(color=outline, width=3)),
                hovertext=[name] * len(chosen), hoverinfo="text"), row=1, col=col)
            if status == "somatic":
                fig.add_trace(go.Scatter(
                    x=[p[0] for p in chosen], y=[p[1] for p in chosen], mode="markers",
                    marker=dict(symbol="circle", size=10, color=outline), showlegend=False,
                    hoverinfo="skip"), row=1, col=col)
    for col in (1, 2):
        fig.add_annotation(x=2, y=1, text="patient", showarrow=True, ax=-45, ay=-25, standoff=14,
                           row=1, col=col)
    fig.update_xaxes(_HIDDEN_AXIS, range=[0.3, 4.9])
    fig.update_yaxes(_HIDDEN_AXIS, range=[-0.6, 2.6])
    fig.update_layout(margin=dict(l=10, r=10, t=70, b=80))
    return apply_theme(fig, title="Somatic vs germline: who else in the family carries it?",
                       height=420)


INHERITANCE_SUMMARY = (
    "Two family trees. Left: a somatic KIT D816V arises in one marrow cell of the patient, so "
    "neither parents nor children carry it. Right: an extra TPSAB1 copy is germline, carried in "
    "every cell of a parent, the patient and one child.")
