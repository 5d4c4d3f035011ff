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

from ..engine._logic import SYMBOLS
from ..engine._scores import NOT_REACHED, ipsm_factors, score_items
from ..tables._data import load_records
from ..tables._fields import number_from_text

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
        return number_from_text(cleaned)
    except ValueError as reason:
        raise ValueError(f"{label}: {text!r} is {reason} - type digits (e.g. 12.5) or "
                         "leave the box empty for 'not assessed'") from None


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
    limit = next(i.value for i in score_items("ipsm") if i.field == "age_years")
    if age is not None and float(age) == float(limit):
        edge = (f"<p>⚠ <b>Age exactly {limit:g}:</b> the age factor depends on the boundary "
                f"reading (≥ {limit:g} or > {limit:g}), which is unconfirmed. Switch the "
                "boundary to compare.</p>")
    missing = len(result.not_assessed)
    return (f"<div><b style='font-size:120%'>IPSM adverse factors present: {result.count} of "
            f"{len(result.factors)}</b>"
            + (f" ({missing} not assessed)" if missing else "")
            + f"<ul style='margin:4px 0'>{''.join(rows)}</ul>{edge}"
            f"<p><small>{html.escape(result.note)} No points and no risk group are shown. "
            f"Source: <code>{html.escape(result.source_id)}</code> (variables read via "
            "secondary reports).</small></p></div>")


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
_SYMBOLS = SYMBOLS  # the one operator table (mastolib.engine._logic)
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


def prognosis_factors_summary() -> str:
    """One-line text summary of the factor grid."""
    table = prognosis_factors_table()
    counts = table.groupby("factor_id")["system_id"].nunique()
    three = [FACTORS[f].lower() for f in FACTORS if counts.get(f, 0) >= 3]
    two = [FACTORS[f] for f in FACTORS if counts.get(f, 0) == 2]
    return (f"{len(table)} factor-system pairs from {table['system_id'].nunique()} systems; "
            f"used by three or more systems: {', '.join(three)}; by two: {', '.join(two)}. "
            "GPSM is left out because its variables are unconfirmed in our sources.")
