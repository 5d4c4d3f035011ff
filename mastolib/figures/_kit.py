"""Plotly figure builders for the KIT and clonality notebook (02).

Pure builders like those of :mod:`mastolib.figures._biology` (same conventions).
"""

from __future__ import annotations

import plotly.graph_objects as go

from ._biology import _HIDDEN_AXIS, GREY, INK, LIGHT_GREY, _flag, _wrap
from ._theme import OKABE_ITO, apply_theme, subplots

# --------------------------------------------------------------------------------------------
# 02 - KIT domain map (lollipop)
# --------------------------------------------------------------------------------------------

_LOCATION_COLOURS = {"extracellular": OKABE_ITO["sky_blue"], "membrane": OKABE_ITO["yellow"],
                     "intracellular": OKABE_ITO["bluish_green"]}
_SHORT_DOMAIN = {"ig_d1_d3": "D1-D3", "ig_d4": "D4", "ig_d5": "D5", "tm": "TM", "jm": "JM",
                 "tk1": "TK1", "kinase_insert": "KI", "tk2": "TK2"}
_LANES = {"adults": 2.3, "children": 1.3}
_STAGGER = 0.27  # heads of neighbouring variants in one lane are staggered to keep labels apart
# Heads closer than this (x units; a box is 1 wide) are neighbours, also across two domains:
# a label ("F522C", ~0.6 units at 1024 px) would otherwise run into the next head (K509I).
_MIN_GAP = 0.9
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
    kmap : mastolib.models._kit.KitMap
    """
    domains = kmap.domains
    boxes = _domain_boxes(domains)
    fig = go.Figure()
    stems_x, stems_y = [], []
    heads = {"adults": ([], [], [], []), "children": ([], [], [], [])}
    by_domain: dict = {}
    for v in kmap.variants:
        by_domain.setdefault(v["domain_id"], []).append(v)
    rank = {"adults": 0, "children": 0}
    last_x: dict = {}
    for domain_id in sorted(by_domain, key=lambda d: boxes[d][0]):
        variants = by_domain[domain_id]
        x0, x1 = boxes[domain_id]
        for k, v in enumerate(variants):
            x = x0 + (x1 - x0) * (k + 1) / (len(variants) + 1)
            lanes = ["adults", "children"] if v["population"] == "both" else [v["population"]]
            levels = {}
            for lane in lanes:
                near = lane in last_x and x - last_x[lane] < _MIN_GAP
                rank[lane] = rank[lane] + 1 if near else 0
                last_x[lane] = x
                levels[lane] = _LANES[lane] + _STAGGER * rank[lane]
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
    right_end = max(x1 for _, x1 in boxes.values())
    for lane, (xs, ys, texts, hovers) in heads.items():
        symbol, colour, name = styles[lane]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers+text", name=name, text=texts,
            # labels near the C-terminus open to the left: at 1024 px they ran off the figure
            textposition=["middle left" if x > 0.75 * right_end else "middle right"
                          for x in xs], textfont=dict(size=12),
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
    state : mastolib.models._kit.SignallingState
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
    trajectory : mastolib.models._kit.ClonalTrajectory
    anchors : dict
        :func:`mastolib.models._kit.tryptase_anchors` (reference lines with ``role == "reference_line"``).
    """
    years = trajectory.years
    at = trajectory.at
    fig = subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07,
                   subplot_titles=("Mast cell mass (x healthy)",
                                   "KIT D816V VAF in mast cells (%)",
                                   "Basal serum tryptase (ng/mL, log scale)"))
    # One add_traces call (each add_trace(row=, col=) re-validates and re-lays the grid).
    traces, rows = [], []

    def add(trace, row):
        traces.append(trace)
        rows.append(row)

    add(go.Scatter(x=years, y=trajectory.column("normal_x"), mode="lines",
                   name="Normal mast cells", line=dict(color=GREY, dash="dash", width=2)), 1)
    add(go.Scatter(x=years, y=trajectory.column("mutant_x"), mode="lines",
                   name="KIT-mutant clone",
                   line=dict(color=OKABE_ITO["vermillion"], width=3)), 1)
    add(go.Scatter(x=years, y=trajectory.column("burden_x"), mode="lines",
                   name="Total", line=dict(color=INK, width=2, dash="dot")), 1)
    add(go.Scatter(x=years, y=trajectory.column("vaf_pct"), mode="lines",
                   name="VAF", line=dict(color=OKABE_ITO["blue"], width=3),
                   showlegend=False), 2)
    add(go.Scatter(x=years, y=trajectory.column("bst_ng_ml"), mode="lines",
                   name="Tryptase", line=dict(color=OKABE_ITO["orange"], width=3),
                   showlegend=False), 3)
    references = [a for a in anchors.values() if a["role"] == "reference_line"]
    dashes = ("dash", "dashdot", "longdash")
    for i, ref in enumerate(sorted(references, key=lambda a: a["value"])):
        add(go.Scatter(
            x=[years[0], years[-1]], y=[ref["value"]] * 2, mode="lines+text",
            name=f"{ref['operator']} {ref['value']:g} ng/mL: {ref['label']}",
            line=dict(color=OKABE_ITO["bluish_green"], width=1.5, dash=dashes[i % 3]),
            text=["", f"{ref['operator']} {ref['value']:g}"], textposition="top left",
            showlegend=False, hovertemplate=f"{ref['label']} [{ref['source_id']}]<extra></extra>"),
            3)
    marks = ((1, at.burden_x, f"{at.burden_x:.1f} x"), (2, at.vaf_pct, f"{at.vaf_pct:.1f} %"),
             (3, at.bst_ng_ml, f"{at.bst_ng_ml:.0f} ng/mL"))
    for row, value, text in marks:
        add(go.Scatter(
            x=[at.year], y=[value], mode="markers+text", name=f"year {at.year:g}",
            marker=dict(symbol="diamond", size=13, color=INK), text=[text],
            textposition="middle left" if at.year > years[-1] / 2 else "middle right",
            showlegend=False, hoverinfo="skip"), row)
    fig.add_traces(traces, rows=rows, cols=[1] * len(rows))
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
        xaxis=dict(range=[0, 115], title_text="% of patients or samples",
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
    fig = subplots(rows=1, cols=2, horizontal_spacing=0.08,
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
