"""Prognosis (notebook 07): the MARS calculator, a survival illustration, IPSM factors and
what drives outcome.

The scores themselves live in the clinical engine (:func:`mastolib.mars`,
:func:`mastolib.ipsm_factors`, ``data/score_items.csv``, ``data/score_groups.csv``); this module
only presents them.

* :func:`survival_curves` / :func:`survival_figure` draw an **illustration derived from the
  published median overall survival of each MARS group** - exponential curves that pass
  through 50 % at the group's median. They are not patient-level data and not the published
  Kaplan-Meier curves. A group whose median was "not reached" gets no curve in that cohort.
* :func:`mars_app` - age, haemoglobin, platelets and the three high-molecular-risk genes ->
  points, group, published medians and the illustration. MARS applies to advanced SM only.
* :func:`ipsm_app` - the IPSM adverse factors, counted only: point weights and risk groups are
  unconfirmed, and the age boundary (>= 60 or > 60) can be switched.
* :func:`prognosis_factors_figure` - which factor enters which system (IPSM, MARS, MAPS, ISM
  progression risks), from the score tables and ``data/prognostic_factors.csv``.

Abbreviations: MARS = Mutation-Adjusted Risk Score; IPSM = International Prognostic Scoring
System for Mastocytosis; MAPS = Mayo Alliance Prognostic System; GPSM = Global Prognostic Score
for Mastocytosis; OS = overall survival; HMR = high molecular risk (SRSF2, ASXL1, RUNX1);
ALP = alkaline phosphatase; BST = basal serum tryptase; WBC = white blood cells (leukocytes);
Hb = haemoglobin; SM = systemic mastocytosis; ISM = indolent SM; AdvSM = advanced SM
(ASM = aggressive SM, SM-AHN = SM with an associated haematological neoplasm, MCL = mast cell
leukaemia).

References: jawhar2019_mars, sperr2019_ipsm, pardanani2018_maps, munozgonzalez2021_gpsm.
"""

from __future__ import annotations

import html
import math
import textwrap

from ._care import _message_html
from ._data import load_records
from ._figview import FigureView
from ._scores import HMR_GENES, NOT_REACHED, ipsm_factors, mars, score_items

ILLUSTRATION_NOTE = "Illustration from published medians, not patient-level data"
MARS_SCOPE = ("MARS applies to advanced systemic mastocytosis only (ASM, SM-AHN, MCL); it was "
              "built on 383 patients with advanced SM and says nothing about indolent disease.")
COHORTS = {"training": "training cohort", "validation": "validation cohort"}
GROUP_COLOURS = {"low": "#009E73", "intermediate": "#E69F00", "high": "#D55E00"}
COHORT_DASH = {"training": "solid", "validation": "dot"}
YEARS_MAX = 15.0


# --------------------------------------------------------------------------- MARS groups


def mars_groups() -> list[dict]:
    """MARS risk groups from ``data/score_groups.csv``.

    Returns
    -------
    list of dict
        ``group_id``, ``label``, ``points_low``, ``points_high`` and ``median_os`` =
        ``{"training": years or "not reached", "validation": ...}``, low to high.
    """
    out = []
    for g in load_records("score_groups"):
        if g["score_id"] != "mars":
            continue
        medians = {}
        for cohort in COHORTS:
            text = (g[f"median_os_{cohort}"] or "").strip()
            medians[cohort] = NOT_REACHED if text.lower() == NOT_REACHED else float(text)
        out.append({"group_id": g["group_id"], "label": g["label"],
                    "points_low": g["points_low"], "points_high": g["points_high"],
                    "median_os": medians, "source_id": g["source_id"]})
    return sorted(out, key=lambda g: g["points_low"])


def _years(value) -> str:
    return value if isinstance(value, str) else f"{value:g} years"


def survival_curves(years=None) -> list[dict]:
    """Exponential curves through 50 % at each published median (pure; an illustration).

    ``S(t) = 0.5 ** (t / median)``. A median "not reached" gives no curve, only an entry
    with ``years=None`` and a ``note``.

    Returns
    -------
    list of dict
        ``group_id``, ``cohort``, ``median`` and ``years`` / ``survival`` lists (or None).

    Examples
    --------
    >>> c = [c for c in survival_curves([0, 1.9]) if c["group_id"] == "high"][0]
    >>> c["survival"]
    [1.0, 0.5]
    """
    grid = list(years) if years is not None else [YEARS_MAX * i / 150 for i in range(151)]
    out = []
    for g in mars_groups():
        for cohort in COHORTS:
            median = g["median_os"][cohort]
            if isinstance(median, str):
                out.append({"group_id": g["group_id"], "cohort": cohort, "median": median,
                            "years": None, "survival": None,
                            "note": f"median {median} in the {COHORTS[cohort]}: no curve drawn"})
                continue
            # The median itself is a point of every curve, so a marker can sit on it.
            years_i = sorted(set(grid) | ({median} if years is None else set()))
            out.append({"group_id": g["group_id"], "cohort": cohort, "median": median,
                        "years": years_i,
                        "survival": [round(0.5 ** (t / median), 6) for t in years_i],
                        "note": ""})
    return out


def _trace_name(curve: dict, labels: dict) -> str:
    group = labels[curve["group_id"]].replace(" risk", "")
    return f"{group}, {curve['cohort']} (median {curve['median']:g} y)"


def survival_styles(highlight: str | None) -> list[dict]:
    """Line width and opacity of each drawn curve for a highlighted group (pure)."""
    styles = []
    for curve in survival_curves([0.0]):
        if curve["years"] is None:
            continue
        on = highlight is None or curve["group_id"] == highlight
        styles.append({"group_id": curve["group_id"], "cohort": curve["cohort"],
                       "width": 4.5 if (on and highlight) else 2.0,
                       "opacity": 1.0 if on else 0.25})
    return styles


def survival_figure(highlight: str | None = None):
    """The MARS survival illustration (pure builder).

    One curve per group and cohort with a numeric median: colour = group, dash = cohort
    (solid training, dotted validation), a marker and label at the median. ``highlight``
    ("low", "intermediate" or "high") draws that group thick and fades the others.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    from ._theme import apply_theme

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
    fig.update_layout(legend=dict(title="MARS group, cohort:", orientation="v"),
                      margin=dict(b=60, r=20, t=80))
    fig.add_annotation(
        x=0, y=-0.5, xref="paper", yref="paper", xanchor="left", showarrow=False,
        align="left", font=dict(size=11),
        text=html.escape("; ".join(missing)) + ".<br>Exponential curves through 50 % at the "
             "published medians - not the published Kaplan-Meier curves.")
    apply_survival_highlight(fig, highlight)
    return fig


def survival_title(result) -> str:
    """Figure title: the patient's score and group (if any), always with the illustration note."""
    head = "MARS risk groups" if result is None else (
        f"MARS {result.points} points ({result.group} risk)")
    return f"{head}<br><sup>{ILLUSTRATION_NOTE}</sup>"


def apply_survival_highlight(fig, highlight: str | None) -> None:
    """Set the curve widths and opacities for ``highlight`` in place (call inside
    ``batch_update`` for a FigureWidget)."""
    for trace, style in zip(fig.data, survival_styles(highlight), strict=True):
        trace.line.width = style["width"]
        trace.opacity = style["opacity"]


def survival_summary(result=None) -> str:
    """One-line text summary of the survival illustration (for screen readers)."""
    parts = []
    for g in mars_groups():
        m = g["median_os"]
        parts.append(f"{g['label'].lower()} {_years(m['training'])} (training) / "
                     f"{_years(m['validation'])} (validation)")
    text = "Published median overall survival by MARS group: " + "; ".join(parts) + "."
    if result is not None:
        text += f" This patient: {result.points} points, {result.group} risk."
    return text + f" Curves are an {ILLUSTRATION_NOTE.lower()}."


# --------------------------------------------------------------------------- MARS app


def mars_panel(result) -> str:
    """HTML of a MARS result: points, each item met or not, group and published medians."""
    got = {i.item_id: i for i in result.items}
    rows = []
    for item in score_items("mars"):
        met = item.item_id in got
        mark = "✔" if met else "✘"
        pts = f"+{item.points:g}" if met else "0"
        rows.append(f"<li>{mark} {html.escape(item.label)}: <b>{pts}</b></li>")
    m = result.median_os_years
    low_note = ""
    if NOT_REACHED in (m.training, m.validation):
        low_note = ("<br><small>Median 'not reached' means more than half of the group was "
                    "still alive at the end of follow-up; the validation median is drawn "
                    "instead.</small>")
    return (f"<div><b style='font-size:120%'>MARS {result.points} points → "
            f"{html.escape(result.group)} risk</b>"
            f"<ul style='margin:4px 0'>{''.join(rows)}</ul>"
            f"Published median overall survival of this group: <b>{_years(m.training)}</b> "
            f"(training), <b>{_years(m.validation)}</b> (validation).{low_note}"
            f"<br><small>Source: <code>{html.escape(result.source_id)}</code> (read via "
            "secondary reports). HMR mutations count per mutated gene; the minimum allele "
            "fraction for counting one is unconfirmed.</small></div>")


class MarsApp:
    """MARS calculator with the survival illustration (one FigureWidget, updated in place).

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``age_years``, ``hb_g_dl``, ``plt_1e9_l`` (FloatText) and
        ``SRSF2``, ``ASXL1``, ``RUNX1`` (Checkbox)
    figure : plotly FigureWidget
    result : MarsResult or None (None while the input is invalid)
    message : str  empty, or what is wrong with the input, in words
    """

    def __init__(self, age_years=65.0, hb_g_dl=9.5, plt_1e9_l=120.0, hmr_mutations=()):
        import ipywidgets as w

        style = {"description_width": "initial"}
        layout = w.Layout(width="260px")
        self.controls = {
            "age_years": w.FloatText(value=age_years, description="Age (years):",
                                     style=style, layout=layout),
            "hb_g_dl": w.FloatText(value=hb_g_dl, description="Haemoglobin (g/dL):",
                                   style=style, layout=layout),
            "plt_1e9_l": w.FloatText(value=plt_1e9_l, description="Platelets (×10⁹/L):",
                                     style=style, layout=layout),
            **{g: w.Checkbox(value=g in set(hmr_mutations), description=f"{g} mutated",
                             indent=False, style=style) for g in HMR_GENES},
        }
        # The figure starts in its final state: changes made to a FigureWidget before any view
        # exists are lost in Voila, which connects only after the notebook has run.
        self.result, self.message = self._compute()
        start = survival_figure(self.result.group if self.result else None)
        start.layout.title.text = survival_title(self.result)
        self.figure = FigureView(start)
        self._scope = w.HTML(f"<p style='margin:2px 0'><b>Scope:</b> {html.escape(MARS_SCOPE)}</p>")
        self._message = w.HTML()
        self._message.add_class("mastolib-mars-message")
        self._panel = w.HTML()
        self._panel.add_class("mastolib-mars-result")
        self._summary = w.HTML()
        self._summary.add_class("mastolib-mars-summary")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        numbers = w.VBox([self.controls[k] for k in ("age_years", "hb_g_dl", "plt_1e9_l")])
        genes = w.VBox([w.HTML("<b>High-molecular-risk genes:</b>"),
                        *[self.controls[g] for g in HMR_GENES]])
        self.widget = w.VBox([self._scope, w.HBox([numbers, genes]), self._message,
                              self._panel, self.figure.widget, self._summary])
        self.widget.add_class("mastolib-mars")
        self._update()

    def hmr_mutations(self) -> list[str]:
        return [g for g in HMR_GENES if self.controls[g].value]

    def _compute(self):
        """``(result, message)`` for the current controls (pure with respect to the view)."""
        c = self.controls
        try:
            return mars(c["age_years"].value, c["hb_g_dl"].value, c["plt_1e9_l"].value,
                        self.hmr_mutations()), ""
        except ValueError as exc:
            return None, str(exc)

    def _update(self, _change=None):
        self.result, self.message = self._compute()
        group = self.result.group if self.result else None
        self._message.value = _message_html(self.message)
        self._panel.value = mars_panel(self.result) if self.result else (
            "<p><i>No score until the input is valid.</i></p>")
        self._summary.value = f"<p><b>Summary.</b> {html.escape(survival_summary(self.result))}</p>"
        with self.figure.batch_update():
            apply_survival_highlight(self.figure, group)
            self.figure.layout.title.text = survival_title(self.result)

    def _repr_mimebundle_(self, **kwargs):
        from ._static import app_mimebundle

        return app_mimebundle(self.widget, **kwargs)


def mars_app(age_years=65.0, hb_g_dl=9.5, plt_1e9_l=120.0, hmr_mutations=()) -> MarsApp:
    """Build the MARS calculator (``app.widget`` is the view).

    Examples
    --------
    >>> app = mars_app(72, 8.5, 60, ["SRSF2", "ASXL1"])   # fact sheet 6.5, M4
    >>> app.result.points, app.result.group
    (5, 'high')
    """
    return MarsApp(age_years, hb_g_dl, plt_1e9_l, hmr_mutations)


# --------------------------------------------------------------------------- IPSM app

IPSM_NUMBERS = {
    # field: (description, unit)
    "age_years": ("Age", "years"),
    "alp_u_l": ("Alkaline phosphatase", "U/L"),
    "bst_ng_ml": ("Basal tryptase", "ng/mL"),
    "wbc_1e9_l": ("Leukocytes", "×10⁹/L"),
    "hb_g_dl": ("Haemoglobin", "g/dL"),
    "plt_1e9_l": ("Platelets", "×10⁹/L"),
}
SKIN_CHOICES = {"not assessed": None, "present": True, "absent": False}
AGE_READINGS = {">=": "≥ 60 years (fact sheet)", ">": "> 60 years (alternative reading)"}
POPULATION_LABELS = {"non-advanced": "Non-advanced (CM, ISM, SSM)",
                     "advanced": "Advanced (ASM, SM-AHN, MCL)"}


def ipsm_fields(population: str) -> set[str]:
    """Input fields the IPSM uses for a population (from ``data/score_items.csv``)."""
    return {i.field for i in score_items("ipsm") if i.population == population}


def parse_optional_number(text, label: str):
    """``""`` -> None (not assessed); a number -> float; anything else -> ValueError in words."""
    cleaned = str(text or "").strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{label}: {text!r} is not a number - type digits (e.g. 12.5) or "
                         "leave the box empty for 'not assessed'") from None
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{label}: {text!r} is not a finite number")
    return value


def ipsm_from_controls(values: dict):
    """Build the IPSM factor result from raw control values (pure; raises ValueError)."""
    population = values["population"]
    fields = ipsm_fields(population)
    kwargs = {}
    for field, (label, unit) in IPSM_NUMBERS.items():
        if field in fields:
            kwargs[field] = parse_optional_number(values.get(field, ""), f"{label} ({unit})")
    if "skin_involvement" in fields:
        kwargs["skin_involvement"] = SKIN_CHOICES[values.get("skin_involvement", "not assessed")]
    return ipsm_factors(population, age_operator=values["age_operator"], **kwargs)


def ipsm_panel(result) -> str:
    """HTML checklist of IPSM factors: ✔ present, ✘ absent, ○ not assessed (with words)."""
    rows = []
    for f in result.factors:
        if f.present is None:
            mark, word = "○", "not assessed"
        elif f.present:
            mark, word = "✔", "present (adverse)"
        else:
            mark, word = "✘", "absent"
        rows.append(f"<li>{mark} {html.escape(f.label)}: <b>{word}</b></li>")
    edge = ""
    age = next((f.value for f in result.factors if f.item_id.startswith("age")), None)
    if age is not None and float(age) == 60.0:
        edge = ("<p>⚠ <b>Age exactly 60:</b> the age factor depends on the boundary reading "
                "(≥ 60 or > 60), which is unconfirmed. Switch the boundary to compare.</p>")
    missing = len(result.not_assessed)
    return (f"<div><b style='font-size:120%'>IPSM adverse factors present: {result.count} of "
            f"{len(result.factors)}</b>"
            + (f" ({missing} not assessed)" if missing else "")
            + f"<ul style='margin:4px 0'>{''.join(rows)}</ul>{edge}"
            f"<p><small>{html.escape(result.note)} No points and no risk group are shown. "
            f"Source: <code>{html.escape(result.source_id)}</code> (variables read via "
            "secondary reports).</small></p></div>")


class IpsmApp:
    """IPSM adverse-factor counter with the age-boundary switch (no figure: a checklist).

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``population``, ``age_operator`` (ToggleButtons), one Text box per number
        (empty = not assessed) and ``skin_involvement`` (Dropdown)
    figure : None  (the result is a checklist; see the module docstring)
    result : IpsmFactors or None (None while the input is invalid)
    message : str  empty, or what is wrong with the input, in words
    """

    def __init__(self, population="advanced", age_operator=">=", **values):
        import ipywidgets as w

        style = {"description_width": "initial"}
        self.controls = {
            "population": w.ToggleButtons(
                options=[(label, key) for key, label in POPULATION_LABELS.items()],
                value=population, description="Population:", style=style),
            "age_operator": w.ToggleButtons(
                options=[(label, key) for key, label in AGE_READINGS.items()],
                value=age_operator, description="Age boundary:", style=style),
        }
        for field, (label, unit) in IPSM_NUMBERS.items():
            value = values.get(field)
            self.controls[field] = w.Text(
                value="" if value is None else f"{value:g}", description=f"{label} ({unit}):",
                placeholder="empty = not assessed", continuous_update=False, style=style,
                layout=w.Layout(width="330px"))
        skin = values.get("skin_involvement")
        self.controls["skin_involvement"] = w.Dropdown(
            options=list(SKIN_CHOICES),
            value=next(k for k, v in SKIN_CHOICES.items() if v is skin),
            description="Skin involvement:", style=style)
        self.figure = None
        self._message = w.HTML()
        self._message.add_class("mastolib-ipsm-message")
        self._panel = w.HTML()
        self._panel.add_class("mastolib-ipsm-result")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        inputs = [self.controls[k] for k in (*IPSM_NUMBERS, "skin_involvement")]
        self.widget = w.VBox([self.controls["population"], self.controls["age_operator"],
                              w.GridBox(inputs, layout=w.Layout(
                                  grid_template_columns="repeat(2, 340px)")),
                              self._message, self._panel])
        self.widget.add_class("mastolib-ipsm")
        self.result = None
        self.message = ""
        self._update()

    def values(self) -> dict:
        return {k: c.value for k, c in self.controls.items()}

    def _update(self, _change=None):
        fields = ipsm_fields(self.controls["population"].value)
        for key in (*IPSM_NUMBERS, "skin_involvement"):
            self.controls[key].disabled = key not in fields
        try:
            self.result = ipsm_from_controls(self.values())
            self.message = ""
        except ValueError as exc:
            self.result, self.message = None, str(exc)
        self._message.value = _message_html(self.message)
        self._panel.value = ipsm_panel(self.result) if self.result else (
            "<p><i>No factor count until the input is valid.</i></p>")

    def _repr_mimebundle_(self, **kwargs):
        from ._static import app_mimebundle

        return app_mimebundle(self.widget, **kwargs)


def ipsm_app(population="advanced", age_operator=">=", **values) -> IpsmApp:
    """Build the IPSM factor counter; ``values`` pre-fill the boxes (e.g. ``age_years=67``).

    Examples
    --------
    >>> app = ipsm_app("non-advanced", age_years=60, alp_u_l=130)   # fact sheet 6.5, I4
    >>> app.result.count
    2
    >>> app.controls["age_operator"].value = ">"
    >>> app.result.count
    1
    """
    return IpsmApp(population, age_operator, **values)


# --------------------------------------------------------------------------- what drives outcome

FACTORS = {
    "subtype": "Advanced subtype",
    "age": "Age",
    "hb": "Haemoglobin",
    "plt": "Platelets",
    "wbc": "Leukocytes",
    "alp": "Alkaline phosphatase",
    "tryptase": "Basal tryptase",
    "skin": "Skin involvement",
    "hmr": "SRSF2 / ASXL1 / RUNX1",
    "nras": "NRAS",
    "b2m": "Beta-2-microglobulin",
    "multilineage": "KIT D816V in several lineages",
}
SYSTEMS = {
    "ipsm_non_advanced": "IPSM<br>non-advanced",
    "ipsm_advanced": "IPSM<br>advanced",
    "mars": "MARS<br>(advanced SM)",
    "maps": "MAPS",
    "ism_progression": "ISM progression<br>risks",
}
_FIELD_FACTOR = {"age_years": "age", "hb_g_dl": "hb", "plt_1e9_l": "plt", "wbc_1e9_l": "wbc",
                 "alp_u_l": "alp", "bst_ng_ml": "tryptase", "skin_involvement": "skin",
                 "hmr_count": "hmr"}
_UNITS = {"age_years": "years", "hb_g_dl": "g/dL", "plt_1e9_l": "×10⁹/L", "wbc_1e9_l": "×10⁹/L",
          "alp_u_l": "U/L", "bst_ng_ml": "ng/mL", "hmr_count": "gene(s)"}
_SYMBOLS = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}
CONFIDENCE_LEVELS = {
    "confirmed": {"z": 3, "colour": "#0072B2", "mark": "●"},
    "secondary": {"z": 2, "colour": "#56B4E9", "mark": "◐"},
    "unconfirmed": {"z": 1, "colour": "#F0E442", "mark": "?"},
    "not in this system": {"z": 0, "colour": "#F2F2F2", "mark": "-"},
}


def _item_text(item) -> str:
    if item.operator == "eq":
        return "absent" if item.match == "false" else f"= {item.match}"
    if item.operator == "range" and item.value == item.value_high:
        return f"{item.value:g} {_UNITS[item.field]}"
    if item.operator == "range":
        return f"{item.value:g}-{item.value_high:g} {_UNITS[item.field]}"
    return f"{_SYMBOLS[item.operator]} {item.value:g} {_UNITS[item.field]}"


def prognosis_factors_table():
    """Long table: which factor enters which prognostic system, with threshold and source.

    IPSM and MARS rows come from the engine's ``data/score_items.csv`` (so thresholds cannot
    drift); MAPS and ISM-progression rows from ``data/prognostic_factors.csv``. GPSM is not
    in the table: its variables and weights are unconfirmed in our sources.

    Returns
    -------
    pandas.DataFrame
        ``system_id``, ``factor_id``, ``text``, ``confidence``, ``note``, ``source_id``.
    """
    import pandas as pd

    rows: dict[tuple, dict] = {}
    for score in ("ipsm", "mars"):
        for item in score_items(score):
            system = score if score == "mars" else f"ipsm_{item.population.replace('-', '_')}"
            factor = _FIELD_FACTOR[item.field]
            text = _item_text(item)
            if score == "mars":
                text += f" (+{item.points:g})"
            if item.field == "age_years" and score == "ipsm":
                text += " (> 60 in one report)"
            key = (system, factor)
            if key in rows:
                rows[key]["text"] += "; " + text
                continue
            rows[key] = {"system_id": system, "factor_id": factor, "text": text,
                         "confidence": item.confidence, "note": item.alternative or "",
                         "source_id": item.source_id}
    for r in load_records("prognostic_factors"):
        rows[(r["system_id"], r["factor_id"])] = {
            "system_id": r["system_id"], "factor_id": r["factor_id"], "text": r["cell_text"],
            "confidence": r["confidence"], "note": r["note"] or "", "source_id": r["source_id"]}
    return pd.DataFrame(list(rows.values()))


def prognosis_factors_figure():
    """Factor x system grid of what drives prognosis (pure builder).

    Cell colour = confidence of the factor in that system, and every cell also carries its
    threshold as text (or "-" when the system does not use the factor).
    """
    import plotly.graph_objects as go

    from ._theme import apply_theme

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
    ordered = sorted(CONFIDENCE_LEVELS.items(), key=lambda kv: kv[1]["z"])
    n = len(ordered)
    scale = [[(spec["z"] + edge) / n, spec["colour"]] for _, spec in ordered for edge in (0, 1)]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(SYSTEMS.values()), y=["<br>".join(textwrap.wrap(f, 18))
                                          for f in FACTORS.values()], text=text,
        texttemplate="%{text}", textfont=dict(size=10), customdata=hover,
        hovertemplate="%{customdata}<extra></extra>", colorscale=scale, zmin=-0.5,
        zmax=n - 0.5, xgap=3, ygap=3,
        colorbar=dict(title="Factor", thickness=14, tickvals=[s["z"] for _, s in ordered],
                      ticktext=[f"{s['mark']} {k}" for k, s in ordered])))
    apply_theme(fig, title="What drives prognosis: factors in each system", height=760)
    fig.update_xaxes(side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_layout(margin=dict(l=140, t=120, r=10))
    return fig


def prognosis_factors_summary() -> str:
    """One-line text summary of the factor grid."""
    table = prognosis_factors_table()
    counts = table.groupby("factor_id")["system_id"].nunique()
    three = [FACTORS[f].lower() for f in FACTORS if counts.get(f, 0) >= 3]
    two = [FACTORS[f] for f in FACTORS if counts.get(f, 0) == 2]
    return (f"{len(table)} factor-system pairs from {table['system_id'].nunique()} systems; "
            f"used by three or more systems: {', '.join(three)}; by two: {', '.join(two)}. "
            "GPSM is left out because its variables are unconfirmed in our sources.")
