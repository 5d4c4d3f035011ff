"""The tryptase lab (notebook 05): HαT explorer, 20 % + 2 versus NIH ratio, sampling time.

Pure models (:func:`parse_tryptase`, :func:`hat_assessment`, :func:`rise_comparison`,
:func:`timing_sample`) call the clinical engine (``ml.hat_adjusted_tryptase``,
``ml.hat_reference_range``, ``ml.tryptase_rise``) and read every cut-off from
``data/thresholds.csv``; figure builders are pure (``go.Figure`` in, nothing shown); each app
builds its view once and updates one ``FigureWidget`` in place from one callback.

The sampling-time app reuses the mediator kinetics teaching model of notebook 01
(:func:`mastolib._biology.kinetics_model`); it does not define a second model.

Unconfirmed readings are shown as flagged notes, never as facts: WHO's exact HαT formula
(BST / (1 + extra copies) is from the genotyping review), whether the adjustment also applies to
the 125 ng/mL BMM limit and the 200 ng/mL B1 arm, and the "20 % + 2" boundary (> vs ≥).

Abbreviations: BST = basal serum tryptase, HαT = hereditary alpha-tryptasemia, BMM = bone
marrow mastocytosis, NIH = US National Institutes of Health.

References: genotyping_review2022, khoury2022, valent2019_20plus2, valent2024_tryptase,
mateja2022, uptodate_tryptase, valent2023_normal, phadia_faq, mediator_kinetics.
"""

from __future__ import annotations

import functools
import html
import math
import numbers
from dataclasses import dataclass

from ._data import load_records
from ._figview import FigureView

MAX_TRYPTASE_NG_ML = 5000.0
MAX_COPIES = 4

UNCONFIRMED_NOTES = (
    ("hat_formula", "WHO 2022 asks for an HαT adjustment but its exact formula was not "
     "verified; BST ÷ (1 + extra α copies) comes from the tryptase-genotyping review."),
    ("hat_bmm", "Whether the adjustment also applies to the BMM limit (< 125 ng/mL) is "
     "unconfirmed: both readings are shown."),
    ("hat_b1", "The course reads the WHO B1 tryptase arm (≥ 200 ng/mL) as HαT-adjusted; the "
     "exact WHO wording for 200 ng/mL was not verified."),
    ("hat_icc", "No ICC adjustment was found (unconfirmed): ICC uses the measured value."),
)
RISE_BOUNDARY_NOTE = ("The boundary of 20 % + 2 is disputed: the consensus tables use a strict "
                      "'>' (exactly 1.2 × baseline + 2 does not count); NIH wording uses '≥'.")


def _thresholds() -> dict:
    from ._rules import threshold_rows

    return threshold_rows()


def _compare(a: float, op: str, b: float) -> bool:
    from ._logic import compare

    return compare(a, op, b)


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 100 else f"{x:.0f}"


# ------------------------------------------------------------------------------- parsing


def parse_tryptase(value, what: str = "Tryptase", *, allow_zero: bool = True):
    """Read a tryptase value typed by a learner.

    Parameters
    ----------
    value : str or number
        ``"32"``, ``"32.5"``, ``"32,5"`` (decimal comma) or a number.
    what : str
        Name used in the message (e.g. ``"Baseline tryptase"``).
    allow_zero : bool
        False for a value that divides (the baseline of the NIH ratio).

    Returns
    -------
    (float or None, str)
        The value in ng/mL and ``""``, or ``None`` and a message saying what was expected.

    Examples
    --------
    >>> parse_tryptase("32,5")
    (32.5, '')
    >>> parse_tryptase("abc")[1]
    "Tryptase: 'abc' is not a number. Type a value in ng/mL, e.g. 12.5."
    """
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if not text:
            return None, f"{what}: the box is empty. Type a value in ng/mL, e.g. 12.5."
        try:
            number = float(text)
        except ValueError:
            return None, (f"{what}: {value.strip()!r} is not a number. Type a value in ng/mL, "
                          "e.g. 12.5.")
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
    else:
        return None, f"{what}: expected a number in ng/mL, not {type(value).__name__}."
    if math.isnan(number) or math.isinf(number):
        return None, f"{what}: expected a finite number in ng/mL."
    if number < 0:
        return None, f"{what}: {number:g} ng/mL is negative; tryptase cannot be below 0."
    if number == 0 and not allow_zero:
        return None, (f"{what}: 0 ng/mL cannot be used here - the NIH ratio divides by the "
                      "baseline, so it must be above 0.")
    if number > MAX_TRYPTASE_NG_ML:
        return None, (f"{what}: {number:g} ng/mL is above {MAX_TRYPTASE_NG_ML:g} ng/mL, beyond "
                      "what this lab handles; check the units (ng/mL = µg/L).")
    return number, ""


# ---------------------------------------------------------------------------- HαT explorer


@dataclass(frozen=True)
class ThresholdCheck:
    """One classification cut-off applied to the measured and the HαT-adjusted tryptase.

    ``met_measured`` / ``met_adjusted`` say whether the condition of the rule holds (e.g.
    "BST > 20"); ``adjustment`` is ``"WHO adjusts"`` or ``"unconfirmed"``.
    """

    threshold_id: str
    label: str
    operator: str
    value: float
    met_measured: bool
    met_adjusted: bool
    adjustment: str
    source_id: str

    @property
    def rule(self) -> str:
        op = {">=": "≥", "<=": "≤"}.get(self.operator, self.operator)
        return f"BST {op} {self.value:g} ng/mL"

    @property
    def changes(self) -> bool:
        return self.met_measured != self.met_adjusted


@dataclass(frozen=True)
class HatAssessment:
    """Result of :func:`hat_assessment`.

    Attributes
    ----------
    bst_ng_ml, extra_alpha_copies, adjusted_ng_ml
    reference : HatReference
        Published median (range) basal tryptase for this genotype (``ml.hat_reference_range``).
    position : str
        ``"below"``, ``"within"`` or ``"above"`` the published range of this genotype.
    checks : tuple of ThresholdCheck
        WHO minor criterion (> 20), BMM limit (< 125), B1 tryptase arm (≥ 200).
    minor_cutoff_measured_ng_ml : float
        The measured value needed for the minor criterion at this genotype: 20 × (1 + n).
    notes : tuple of str
        The unconfirmed points, always shown.
    """

    bst_ng_ml: float
    extra_alpha_copies: int
    adjusted_ng_ml: float
    reference: object
    position: str
    checks: tuple
    minor_cutoff_measured_ng_ml: float
    notes: tuple

    def check(self, threshold_id: str) -> ThresholdCheck:
        for c in self.checks:
            if c.threshold_id == threshold_id:
                return c
        raise ValueError(f"no check {threshold_id!r}; ids: {[c.threshold_id for c in self.checks]}")

    @property
    def explanation(self) -> str:
        n, ref = self.extra_alpha_copies, self.reference
        text = (f"Measured {_fmt(self.bst_ng_ml)} ng/mL with {n} extra α "
                f"cop{'y' if n == 1 else 'ies'}: adjusted {_fmt(self.bst_ng_ml)} / {1 + n} = "
                f"{self.adjusted_ng_ml:.1f} ng/mL. ")
        text += {"within": "The measured value lies within the published range for this "
                           "genotype ({lo:g}-{hi:g}, median {med:g} ng/mL): HαT alone can "
                           "explain it.",
                 "above": "The measured value is above the published range for this genotype "
                          "({lo:g}-{hi:g}, median {med:g} ng/mL): HαT alone does not explain "
                          "it - look for another cause.",
                 "below": "The measured value is below the published range for this genotype "
                          "({lo:g}-{hi:g}, median {med:g} ng/mL)."}[self.position].format(
            lo=ref.low_ng_ml, hi=ref.high_ng_ml, med=ref.median_ng_ml)
        minor = self.check("minor_tryptase")
        text += (f" WHO minor criterion (> 20 ng/mL, adjusted): "
                 f"{'met' if minor.met_adjusted else 'not met'}")
        if minor.changes:
            text += (f" - the adjustment changes the verdict (the measured value would "
                     f"{'meet' if minor.met_measured else 'miss'} it).")
        else:
            text += "."
        return text


def hat_assessment(bst_ng_ml, extra_alpha_copies) -> HatAssessment:
    """HαT adjustment of a basal tryptase and its effect on the classification cut-offs.

    Parameters
    ----------
    bst_ng_ml : float
        Measured basal serum tryptase, ng/mL (>= 0).
    extra_alpha_copies : int
        0 to 4 (the published per-genotype table stops at 4).

    Returns
    -------
    HatAssessment

    References
    ----------
    genotyping_review2022, khoury2022, bloodres2023

    Examples
    --------
    >>> import mastolib as ml
    >>> a = ml.hat_assessment(32, 1)           # fact sheet 6.5, H1
    >>> a.adjusted_ng_ml, a.check("minor_tryptase").met_adjusted
    (16.0, False)
    """
    from ._tryptase import hat_adjusted_tryptase, hat_reference_range

    adjusted = hat_adjusted_tryptase(bst_ng_ml, extra_alpha_copies)
    ref = hat_reference_range(extra_alpha_copies)
    n = ref.extra_alpha_copies
    bst = float(bst_ng_ml)
    position = ("below" if bst < ref.low_ng_ml else "above" if bst > ref.high_ng_ml
                else "within")
    rows = _thresholds()
    checks = []
    for tid, adjustment in (("minor_tryptase", "WHO adjusts"), ("bmm_tryptase", "unconfirmed"),
                            ("b1_tryptase_who", "unconfirmed")):
        r = rows[tid]
        checks.append(ThresholdCheck(
            tid, r["label"], r["operator"], r["value"], _compare(bst, r["operator"], r["value"]),
            _compare(adjusted, r["operator"], r["value"]), adjustment, r["source_id"]))
    minor = rows["minor_tryptase"]["value"]
    return HatAssessment(bst, n, adjusted, ref, position, tuple(checks), minor * (1 + n),
                         tuple(text for _, text in UNCONFIRMED_NOTES))


def hat_examples_frame():
    """Worked examples H1-H6 (``data/hat_examples.csv``) recomputed by the engine.

    Columns: the example, the engine's adjusted value and WHO minor verdict, the expected
    values from the fact sheet, and ``agrees``.
    """
    import pandas as pd

    out = []
    for r in load_records("hat_examples"):
        a = hat_assessment(r["bst_ng_ml"], r["extra_alpha_copies"])
        minor = a.check("minor_tryptase").met_adjusted
        out.append({"example": r["example_id"], "BST (ng/mL)": r["bst_ng_ml"],
                    "extra α copies": r["extra_alpha_copies"],
                    "adjusted (ng/mL)": round(a.adjusted_ng_ml, 3),
                    "WHO minor (> 20)": "met" if minor else "not met",
                    "B1 arm (≥ 200) adjusted": "met" if a.check("b1_tryptase_who").met_adjusted
                    else "not met",
                    "expected adjusted": r["expected_adjusted_ng_ml"],
                    "expected minor": "met" if r["expected_who_minor"] else "not met",
                    "agrees": (abs(a.adjusted_ng_ml - r["expected_adjusted_ng_ml"]) < 1e-3
                               and minor == r["expected_who_minor"]),
                    "note": r["note"]})
    return pd.DataFrame(out)


def _hat_reference_rows() -> list:
    from ._tryptase import hat_reference_range

    return [hat_reference_range(n) for n in range(MAX_COPIES + 1)]


def hat_reference_frame():
    """Published median (range) basal tryptase by extra α copies, with the measured value that
    the WHO minor criterion needs at each genotype (20 × (1 + n))."""
    import pandas as pd

    minor = _thresholds()["minor_tryptase"]["value"]
    return pd.DataFrame([{"extra α copies": r.extra_alpha_copies,
                          "median BST (ng/mL)": r.median_ng_ml,
                          "range (ng/mL)": f"{r.low_ng_ml:g}-{r.high_ng_ml:g}",
                          "measured BST needed for > 20 adjusted":
                              f"> {minor * (1 + r.extra_alpha_copies):g}",
                          "source": r.source_id} for r in _hat_reference_rows()])


_HAT_LINES = (("minor_tryptase", "WHO minor: > 20", "dash"),
              ("bmm_tryptase", "BMM limit: < 125", "dot"),
              ("b1_tryptase_who", "WHO B1 arm: ≥ 200", "dashdot"))


def _hat_y_range(a: HatAssessment | None) -> list:
    top = max(1000.0, (a.bst_ng_ml * 1.5) if a is not None else 0.0)
    return [0.0, math.log10(top)]


def _hat_points(a: HatAssessment | None) -> dict:
    if a is None:
        return {"measured": ([], [], []), "adjusted": ([], [], []), "arrow": ([], []),
                "selected": ([], [], [])}
    n = a.extra_alpha_copies
    ref = a.reference
    floor = 1.0  # log axis: values below 1 ng/mL are drawn at 1
    m, adj = max(a.bst_ng_ml, floor), max(a.adjusted_ng_ml, floor)
    return {"measured": ([n - 0.12], [m], [f"measured {_fmt(a.bst_ng_ml)}"]),
            "adjusted": ([n + 0.12], [adj], [f"adjusted {a.adjusted_ng_ml:.1f}"]),
            "arrow": ([n - 0.12, n + 0.12], [m, adj]),
            "selected": ([n], [ref.median_ng_ml],
                         [[ref.median_ng_ml - ref.low_ng_ml, ref.high_ng_ml - ref.median_ng_ml]])}


def hat_figure(assessment: HatAssessment | None = None):
    """Measured and HαT-adjusted tryptase against the per-genotype reference and cut-offs.

    x: extra α copies (0-4); y: basal tryptase, ng/mL (log scale). Traces: ``"Published
    median (range)"``, ``"Measured BST needed for the WHO minor"`` (20 × (1 + n)), the three
    cut-off lines, ``"This genotype"``, ``"Measured"``, ``"HαT-adjusted"`` and
    ``"Adjustment"``.
    """
    import plotly.graph_objects as go

    from ._theme import OKABE_ITO, apply_theme

    refs = _hat_reference_rows()
    xs = [r.extra_alpha_copies for r in refs]
    rows = _thresholds()
    minor = rows["minor_tryptase"]["value"]
    fig = go.Figure()
    fig.add_scatter(x=xs, y=[r.median_ng_ml for r in refs], mode="markers",
                    name="Published median (range)",
                    marker=dict(symbol="diamond", size=11, color="#777777"),
                    error_y=dict(type="data", symmetric=False, color="#999999", thickness=2,
                                 array=[r.high_ng_ml - r.median_ng_ml for r in refs],
                                 arrayminus=[r.median_ng_ml - r.low_ng_ml for r in refs]),
                    hovertemplate="%{x} extra copies: median %{y} ng/mL<extra></extra>")
    fig.add_scatter(x=xs, y=[minor * (1 + n) for n in xs], mode="lines+markers",
                    name="Measured BST needed for the WHO minor (20 × (1 + n))",
                    line=dict(color=OKABE_ITO["bluish_green"], shape="hv", width=2),
                    marker=dict(symbol="triangle-up", size=9))
    for tid, label, dash in _HAT_LINES:
        value = rows[tid]["value"]
        fig.add_scatter(x=[-0.5, MAX_COPIES + 0.5], y=[value, value], mode="lines+text",
                        name=label, text=["", label], textposition="top left",
                        line=dict(color="#444444", width=1.5, dash=dash), hoverinfo="skip",
                        showlegend=False)
    pts = _hat_points(assessment)
    fig.add_scatter(x=pts["selected"][0], y=pts["selected"][1], mode="markers",
                    name="This genotype", hoverinfo="skip",
                    marker=dict(symbol="diamond-open", size=18, color=OKABE_ITO["black"],
                                line=dict(width=2)),
                    error_y=dict(type="data", symmetric=False, color=OKABE_ITO["black"],
                                 thickness=3, array=[e[1] for e in pts["selected"][2]],
                                 arrayminus=[e[0] for e in pts["selected"][2]]))
    fig.add_scatter(x=pts["arrow"][0], y=pts["arrow"][1], mode="lines", name="Adjustment",
                    line=dict(color="#555555", width=2), hoverinfo="skip", showlegend=False)
    fig.add_scatter(x=pts["measured"][0], y=pts["measured"][1], text=pts["measured"][2],
                    mode="markers+text", textposition="middle left", name="Measured",
                    marker=dict(symbol="circle", size=14, color=OKABE_ITO["vermillion"],
                                line=dict(color="black", width=1)))
    fig.add_scatter(x=pts["adjusted"][0], y=pts["adjusted"][1], text=pts["adjusted"][2],
                    mode="markers+text", textposition="middle right", name="HαT-adjusted",
                    marker=dict(symbol="square", size=14, color=OKABE_ITO["blue"],
                                line=dict(color="black", width=1)))
    apply_theme(fig, title="Basal tryptase by tryptase genotype", height=480)
    fig.update_layout(
        xaxis=dict(title_text="Extra α-tryptase copies (TPSAB1)", tickvals=xs,
                   range=[-0.5, MAX_COPIES + 0.5]),
        yaxis=dict(type="log", title_text="Basal serum tryptase (ng/mL, log scale)",
                   range=_hat_y_range(assessment)),
        margin=dict(l=70, r=20, t=50, b=60))
    return fig


def hat_summary(assessment: HatAssessment | None) -> str:
    """One line describing :func:`hat_figure`."""
    if assessment is None:
        return ("Published median and range of basal tryptase for 0 to 4 extra α copies "
                "(no value entered).")
    return assessment.explanation


def _hat_table_html(a: HatAssessment) -> str:
    def mark(met):
        return "✓ yes" if met else "✗ no"

    rows = []
    for c in a.checks:
        flag = ("" if c.adjustment == "WHO adjusts"
                else " <span title='unconfirmed'>⚑ unconfirmed</span>")
        changed = " <b>(changes)</b>" if c.changes else ""
        rows.append(f"<tr><td>{html.escape(c.label)}</td><td>{html.escape(c.rule)}</td>"
                    f"<td>{mark(c.met_measured)}</td><td>{mark(c.met_adjusted)}{changed}</td>"
                    f"<td>{c.adjustment if not flag else ''}{flag}</td></tr>")
    return ("<table class='mastolib-hat-table' style='border-collapse:collapse'>"
            "<tr><th align='left'>Cut-off</th><th align='left'>Rule</th><th>Measured value"
            "</th><th>Adjusted value</th><th>Adjustment applies?</th></tr>"
            + "".join(rows) + "</table>")


def _notes_html(notes) -> str:
    items = "".join(f"<li>⚑ {html.escape(n)}</li>" for n in notes)
    return (f"<details open class='mastolib-unconfirmed'><summary><b>⚑ Unconfirmed points "
            f"({len(notes)})</b></summary><ul>{items}</ul></details>")


class _App:
    """Shared bits: message area, repr."""

    def _set_message(self, text: str):
        self.message = text
        self._message.value = (f"<div role='alert' class='mastolib-message' "
                               f"style='color:#8A3A00'><b>⚠ {html.escape(text)}</b></div>"
                               if text else "")

    def _repr_mimebundle_(self, **kwargs):
        from ._static import app_mimebundle

        return app_mimebundle(self.widget, **kwargs)


class HatExplorerApp(_App):
    """HαT explorer: genotype × measured tryptase → adjusted value and the cut-offs.

    Attributes
    ----------
    widget, figure, controls (``"bst"`` Text, ``"copies"`` IntSlider), result
    (HatAssessment or None when the input is invalid), message.
    """

    def __init__(self, bst_ng_ml: float = 32.0, extra_alpha_copies: int = 1):
        import ipywidgets as w

        self.controls = {
            "bst": w.Text(value=f"{bst_ng_ml:g}", description="Measured BST (ng/mL):",
                          continuous_update=False, style={"description_width": "initial"}),
            "copies": w.IntSlider(value=extra_alpha_copies, min=0, max=MAX_COPIES,
                                  description="Extra α copies:",
                                  style={"description_width": "initial"}),
        }
        self.result = None
        self.message = ""
        self.figure = None
        self._message = w.HTML()
        self._table = w.HTML()
        self._table.add_class("mastolib-hat-result")
        self._summary = w.HTML()
        self._update()
        # The figure is built from the initial state and not updated before it is displayed
        # (an update queued before the front end drew it left the plot blank in JupyterLab).
        self.figure = FigureView(hat_figure(self.result))
        self._trace = {t.name: i for i, t in enumerate(self.figure.data)}
        for c in self.controls.values():
            c.observe(self._update, names="value")
        self.widget = w.VBox([w.HBox(list(self.controls.values())), self._message,
                              self.figure.widget, self._table, self._summary,
                              w.HTML(_notes_html(dict(UNCONFIRMED_NOTES).values()))])
        self.widget.add_class("mastolib-hat-explorer")

    def _update(self, _change=None):
        bst, problem = parse_tryptase(self.controls["bst"].value, "Measured BST")
        self.result = None if bst is None else hat_assessment(bst, self.controls["copies"].value)
        self._set_message(problem)
        pts = _hat_points(self.result)
        fig = self.figure
        if fig is not None:
            t = self._trace
            with fig.batch_update():
                for name, key in (("Measured", "measured"), ("HαT-adjusted", "adjusted")):
                    tr = fig.data[t[name]]
                    tr.x, tr.y, tr.text = pts[key]
                arrow = fig.data[t["Adjustment"]]
                arrow.x, arrow.y = pts["arrow"]
                sel = fig.data[t["This genotype"]]
                sel.x, sel.y = pts["selected"][0], pts["selected"][1]
                sel.error_y.array = [e[1] for e in pts["selected"][2]]
                sel.error_y.arrayminus = [e[0] for e in pts["selected"][2]]
                fig.layout.yaxis.range = _hat_y_range(self.result)
        if self.result is None:
            self._table.value = ""
            self._summary.value = ""
        else:
            self._table.value = _hat_table_html(self.result)
            self._summary.value = (f"<p class='mastolib-hat-summary'>"
                                   f"{html.escape(self.result.explanation)}</p>")


def hat_explorer_app(bst_ng_ml: float = 32.0, extra_alpha_copies: int = 1) -> HatExplorerApp:
    """Build the HαT explorer (``app.widget`` is the view)."""
    return HatExplorerApp(bst_ng_ml, extra_alpha_copies)


# ------------------------------------------------------------------- 20 % + 2 vs NIH ratio


@functools.cache
def rise_constants() -> dict:
    """``factor``, ``offset`` (20 % + 2) and ``ratio`` (NIH) from ``data/thresholds.csv``,
    and ``crossing_ng_ml``: the baseline where 1.2 × b + 2 = 1.685 × b."""
    rows = _thresholds()
    factor = rows["rise_20plus2_factor"]["value"]
    offset = rows["rise_20plus2_offset"]["value"]
    ratio = rows["rise_nih_ratio"]["value"]
    return {"factor": factor, "offset": offset, "ratio": ratio,
            "crossing_ng_ml": offset / (ratio - factor)}


AGREEMENT = {"both": "both rules positive", "20+2": "only 20 % + 2 positive",
             "nih": "only the NIH ratio positive", "neither": "both rules negative"}


@dataclass(frozen=True)
class RiseComparison:
    """Both rise rules on one baseline/acute pair (result of :func:`rise_comparison`).

    Attributes
    ----------
    rule_20plus2, rule_nih : TryptaseRise
        Engine results (``ml.tryptase_rise``).
    agreement : str
        ``"both"``, ``"20+2"``, ``"nih"`` or ``"neither"`` (which rules are positive).
    crossing_ng_ml : float
        Baseline at which the two threshold lines cross (≈ 4.1 ng/mL).
    """

    rule_20plus2: object
    rule_nih: object
    agreement: str
    crossing_ng_ml: float

    @property
    def baseline_ng_ml(self) -> float:
        return self.rule_20plus2.baseline_ng_ml

    @property
    def acute_ng_ml(self) -> float:
        return self.rule_20plus2.acute_ng_ml

    @property
    def agree(self) -> bool:
        return self.agreement in ("both", "neither")

    @property
    def verdict(self) -> str:
        a, b = self.rule_20plus2, self.rule_nih
        op = "≥" if a.inclusive else ">"
        return (f"20 % + 2: {'POSITIVE' if a.significant else 'negative'} (acute "
                f"{_fmt(a.acute_ng_ml)} vs threshold {_fmt(a.threshold_ng_ml)} ng/mL, '{op}'). "
                f"NIH ratio: {'POSITIVE' if b.significant else 'negative'} (ratio "
                f"{b.ratio:.3f} vs {rise_constants()['ratio']:g}). "
                f"{AGREEMENT[self.agreement].capitalize()}.")

    @property
    def why(self) -> str:
        """Why the two rules agree or disagree here."""
        c = rise_constants()
        b = self.baseline_ng_ml
        x = self.crossing_ng_ml
        if self.agreement == "20+2":
            return (f"They disagree: the baseline ({_fmt(b)} ng/mL) is above the crossing "
                    f"point (≈ {x:.1f} ng/mL), where the NIH ratio asks for the larger rise "
                    f"({c['ratio']:g} × {_fmt(b)} = {c['ratio'] * b:.1f} vs "
                    f"{c['factor']:g} × {_fmt(b)} + {c['offset']:g} = "
                    f"{c['factor'] * b + c['offset']:.1f} ng/mL). The NIH rule is the more "
                    "specific one at high baselines (HαT, ISM).")
        if self.agreement == "nih":
            return (f"They disagree: the baseline ({_fmt(b)} ng/mL) is below the crossing "
                    f"point (≈ {x:.1f} ng/mL), where the fixed +{c['offset']:g} ng/mL of "
                    "20 % + 2 asks for the larger rise; a small absolute rise can still be a "
                    "large ratio. 20 % + 2 is the more specific rule at low baselines.")
        side = "below" if b < x else "above"
        return (f"They agree. The threshold lines cross at a baseline of ≈ {x:.1f} ng/mL; this "
                f"baseline is {side} it, and the acute value is "
                f"{'above both' if self.agreement == 'both' else 'below both'} lines.")


def rise_comparison(baseline_ng_ml, acute_ng_ml, inclusive: bool = False) -> RiseComparison:
    """Apply the 20 % + 2 rule and the NIH ratio to the same values (engine: tryptase_rise).

    Parameters
    ----------
    baseline_ng_ml : float
        > 0 (the NIH ratio divides by it).
    acute_ng_ml : float
        >= 0.
    inclusive : bool
        Passed to both rules: False = strict '>', True = '≥'.

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.rise_comparison(40, 52).agreement     # fact sheet 6.5, T4
    '20+2'
    """
    from ._tryptase import tryptase_rise

    a = tryptase_rise(baseline_ng_ml, acute_ng_ml, rule="20+2", inclusive=inclusive)
    b = tryptase_rise(baseline_ng_ml, acute_ng_ml, rule="nih_ratio", inclusive=inclusive)
    agreement = ("both" if a.significant and b.significant else "20+2" if a.significant
                 else "nih" if b.significant else "neither")
    return RiseComparison(a, b, agreement, rise_constants()["crossing_ng_ml"])


def rise_examples_frame():
    """Worked examples T1-T6 (``data/rise_examples.csv``) computed by the engine, with the
    fact sheet's expected verdicts and an ``agrees`` column."""
    import pandas as pd

    out = []
    for r in load_records("rise_examples"):
        strict = rise_comparison(r["baseline_ng_ml"], r["acute_ng_ml"], inclusive=False)
        incl = rise_comparison(r["baseline_ng_ml"], r["acute_ng_ml"], inclusive=True)

        def word(x):
            return "positive" if x else "negative"

        got = (strict.rule_20plus2.significant, incl.rule_20plus2.significant,
               strict.rule_nih.significant)
        want = (r["expected_20plus2_strict"], r["expected_20plus2_inclusive"], r["expected_nih"])
        out.append({"example": r["example_id"], "baseline (ng/mL)": r["baseline_ng_ml"],
                    "acute (ng/mL)": r["acute_ng_ml"],
                    "20 % + 2 threshold": round(strict.rule_20plus2.threshold_ng_ml, 3),
                    "20 % + 2 (>)": word(got[0]), "20 % + 2 (≥)": word(got[1]),
                    "acute/baseline": round(strict.rule_nih.ratio, 3),
                    "NIH (> 1.685)": word(got[2]),
                    "agrees with fact sheet": got == want, "note": r["note"]})
    return pd.DataFrame(out)


_REGION_STYLE = {  # colour + fill pattern, so colour is never the only cue
    "both": ("#009E73", "", "both positive"),
    "20+2": ("#E69F00", "/", "only 20 % + 2"),
    "nih": ("#56B4E9", "\\", "only NIH ratio"),
    "neither": ("#DDDDDD", ".", "neither"),
}
_DEFAULT_X = 20.0


def rise_view_range(comparison: RiseComparison | None) -> tuple:
    """Axis limits (x_max, y_max) that keep the current point in view."""
    c = rise_constants()
    x_max = _DEFAULT_X
    if comparison is not None:
        x_max = max(x_max, comparison.baseline_ng_ml * 1.25)
    y_max = c["ratio"] * x_max * 1.15 + c["offset"]
    if comparison is not None:
        y_max = max(y_max, comparison.acute_ng_ml * 1.15)
    return x_max, y_max


def rise_regions(x_max: float, y_max: float) -> dict:
    """Polygons (x list, y list) of the four decision regions on [0, x_max] × [0, y_max]."""
    c = rise_constants()
    f, o, r, xc = c["factor"], c["offset"], c["ratio"], c["crossing_ng_ml"]
    yc = r * xc
    y20, ynih = f * x_max + o, r * x_max
    return {
        "neither": ([0, xc, x_max, x_max, 0], [0, yc, y20, 0, 0]),
        "20+2": ([xc, x_max, x_max, xc], [yc, y20, ynih, yc]),
        "nih": ([0, xc, 0, 0], [0, yc, o, 0]),
        "both": ([0, xc, x_max, x_max, 0, 0], [o, yc, ynih, y_max, y_max, o]),
    }


def _rise_dynamic(comparison: RiseComparison | None) -> dict:
    c = rise_constants()
    x_max, y_max = rise_view_range(comparison)
    regions = rise_regions(x_max, y_max)
    lines = {"20+2": ([0, x_max], [c["offset"], c["factor"] * x_max + c["offset"]]),
             "nih": ([0, x_max], [0, c["ratio"] * x_max])}
    labels = ([x_max * 0.25, x_max * 0.92, c["crossing_ng_ml"] * 0.22, x_max * 0.92],
              [y_max * 0.85, (c["factor"] + c["ratio"]) / 2 * x_max * 0.96 + c["offset"] / 2,
               c["offset"] * 0.78, c["factor"] * x_max * 0.35],
              [_REGION_STYLE[k][2] for k in ("both", "20+2", "nih", "neither")])
    if comparison is None:
        point = ([], [], [], [])
    else:
        symbol = {"both": "circle", "20+2": "triangle-up", "nih": "triangle-down",
                  "neither": "x"}[comparison.agreement]
        point = ([comparison.baseline_ng_ml], [comparison.acute_ng_ml],
                 [f"this patient: {AGREEMENT[comparison.agreement]}"], [symbol])
    return {"x_max": x_max, "y_max": y_max, "regions": regions, "lines": lines,
            "labels": labels, "point": point}


def rise_figure(comparison: RiseComparison | None = None):
    """Decision regions of the two rise rules (baseline on x, acute on y) and the patient.

    Traces: four regions (``"Region: both positive"`` …, colour + pattern), the two threshold
    lines, ``"Rules cross"`` and ``"This patient"`` (marker symbol = agreement).
    """
    import plotly.graph_objects as go

    from ._theme import OKABE_ITO, apply_theme

    c = rise_constants()
    d = _rise_dynamic(comparison)
    fig = go.Figure()
    for key in ("neither", "20+2", "nih", "both"):
        colour, pattern, label = _REGION_STYLE[key]
        fig.add_scatter(x=d["regions"][key][0], y=d["regions"][key][1], fill="toself",
                        mode="lines", line=dict(width=0), fillcolor=colour, opacity=0.35,
                        fillpattern=dict(shape=pattern, bgcolor=colour, fgcolor="#333333",
                                         size=8, solidity=0.2) if pattern else None,
                        name=f"Region: {label}", hoverinfo="name")
    fig.add_scatter(x=d["lines"]["20+2"][0], y=d["lines"]["20+2"][1], mode="lines",
                    name=f"20 % + 2: acute = {c['factor']:g} × baseline + {c['offset']:g}",
                    line=dict(color=OKABE_ITO["vermillion"], width=3))
    fig.add_scatter(x=d["lines"]["nih"][0], y=d["lines"]["nih"][1], mode="lines",
                    name=f"NIH: acute = {c['ratio']:g} × baseline",
                    line=dict(color=OKABE_ITO["blue"], width=3, dash="dash"))
    xc = c["crossing_ng_ml"]
    fig.add_scatter(x=[xc], y=[c["ratio"] * xc], mode="markers+text", name="Rules cross",
                    text=[f"lines cross at baseline ≈ {xc:.1f}"], textposition="bottom right",
                    marker=dict(symbol="diamond", size=10, color="black"))
    fig.add_scatter(x=d["labels"][0], y=d["labels"][1], text=d["labels"][2], mode="text",
                    name="Region labels", showlegend=False, hoverinfo="skip",
                    textfont=dict(size=12, color="#333333"))
    px, py, ptext, psym = d["point"]
    fig.add_scatter(x=px, y=py, text=ptext, mode="markers+text", textposition="top left",
                    name="This patient",
                    marker=dict(symbol=psym[0] if psym else "circle", size=16, color="black",
                                line=dict(color="white", width=2)))
    apply_theme(fig, title="Event tryptase: 20 % + 2 versus the NIH ratio", height=520)
    fig.update_layout(
        xaxis=dict(title_text="Baseline tryptase (ng/mL)", range=[0, d["x_max"]]),
        yaxis=dict(title_text="Acute (event) tryptase (ng/mL)", range=[0, d["y_max"]]),
        margin=dict(l=70, r=20, t=50, b=60))
    return fig


def rise_summary(comparison: RiseComparison | None) -> str:
    """One line describing :func:`rise_figure`."""
    xc = rise_constants()["crossing_ng_ml"]
    if comparison is None:
        return (f"Decision regions of the two rules; the threshold lines cross at a baseline "
                f"of about {xc:.1f} ng/mL (no valid values entered).")
    return (f"Baseline {_fmt(comparison.baseline_ng_ml)}, acute "
            f"{_fmt(comparison.acute_ng_ml)} ng/mL: {AGREEMENT[comparison.agreement]}; the "
            f"lines cross at a baseline of about {xc:.1f} ng/mL.")


class TryptaseRiseApp(_App):
    """20 % + 2 versus NIH ratio: baseline and acute boxes, boundary switch, regions plot.

    Attributes
    ----------
    widget, figure, controls (``"baseline"`` Text, ``"acute"`` Text, ``"inclusive"``
    ToggleButtons), result (RiseComparison or None when the input is invalid), message.
    """

    def __init__(self, baseline_ng_ml: float = 5.0, acute_ng_ml: float = 9.0):
        import ipywidgets as w

        style = {"description_width": "initial"}
        self.controls = {
            "baseline": w.Text(value=f"{baseline_ng_ml:g}", description="Baseline tryptase "
                               "(ng/mL):", continuous_update=False, style=style),
            "acute": w.Text(value=f"{acute_ng_ml:g}", description="Acute tryptase (ng/mL):",
                            continuous_update=False, style=style),
            "inclusive": w.ToggleButtons(
                options=[("strict > (consensus)", False), ("inclusive ≥ (NIH wording)", True)],
                value=False, description="Boundary:", style=style,
                tooltips=["Exactly at the threshold does not count",
                          "Exactly at the threshold counts"]),
        }
        self.result = None
        self.message = ""
        self.figure = None
        self._region_names = {k: f"Region: {_REGION_STYLE[k][2]}" for k in _REGION_STYLE}
        self._message = w.HTML()
        self._verdict = w.HTML()
        self._verdict.add_class("mastolib-rise-verdict")
        self._update()
        # The figure is built from the initial state and not updated before it is displayed
        # (an update queued before the front end drew it left the plot blank in JupyterLab).
        self.figure = FigureView(rise_figure(self.result))
        self._trace = {t.name: i for i, t in enumerate(self.figure.data)}
        for c in self.controls.values():
            c.observe(self._update, names="value")
        c = self.controls
        self.widget = w.VBox([w.HBox([c["baseline"], c["acute"]]), c["inclusive"],
                              self._message, self._verdict, self.figure.widget,
                              w.HTML(f"<p><small>⚑ {html.escape(RISE_BOUNDARY_NOTE)}</small></p>")])
        self.widget.add_class("mastolib-rise")

    def _update(self, _change=None):
        c = self.controls
        baseline, p1 = parse_tryptase(c["baseline"].value, "Baseline tryptase", allow_zero=False)
        acute, p2 = parse_tryptase(c["acute"].value, "Acute tryptase")
        self.result = (rise_comparison(baseline, acute, c["inclusive"].value)
                       if baseline is not None and acute is not None else None)
        self._set_message(" ".join(p for p in (p1, p2) if p))
        d = _rise_dynamic(self.result)
        fig = self.figure
        if fig is not None:
            t = self._trace
            with fig.batch_update():
                for key, name in self._region_names.items():
                    fig.data[t[name]].x, fig.data[t[name]].y = d["regions"][key]
                fig.data[t[next(n for n in t if n.startswith("20 % + 2"))]].update(
                    x=d["lines"]["20+2"][0], y=d["lines"]["20+2"][1])
                fig.data[t[next(n for n in t if n.startswith("NIH:"))]].update(
                    x=d["lines"]["nih"][0], y=d["lines"]["nih"][1])
                labels = fig.data[t["Region labels"]]
                labels.x, labels.y = d["labels"][0], d["labels"][1]
                point = fig.data[t["This patient"]]
                px, py, ptext, psym = d["point"]
                point.x, point.y, point.text = px, py, ptext
                point.marker.symbol = psym[0] if psym else "circle"
                fig.layout.xaxis.range = [0, d["x_max"]]
                fig.layout.yaxis.range = [0, d["y_max"]]
        if self.result is None:
            self._verdict.value = ("<p class='mastolib-rise-verdict-text'><i>No verdict: "
                                   "fix the input above.</i></p>")
        else:
            r = self.result
            self._verdict.value = (f"<p class='mastolib-rise-verdict-text'><b>"
                                   f"{html.escape(r.verdict)}</b><br>{html.escape(r.why)}</p>")


def tryptase_rise_app(baseline_ng_ml: float = 5.0, acute_ng_ml: float = 9.0) -> TryptaseRiseApp:
    """Build the 20 % + 2 versus NIH ratio app (``app.widget`` is the view)."""
    return TryptaseRiseApp(baseline_ng_ml, acute_ng_ml)


# ------------------------------------------------------------- basal tryptase: the ruler


def tryptase_conditions_frame():
    """``data/tryptase_conditions.csv`` for display (label, range, summary, source)."""
    import pandas as pd

    def span(r):
        lo, hi = r["low_ng_ml"], r["high_ng_ml"]
        if lo is not None and hi is not None:
            return f"{lo:g}-{hi:g}"
        return f"up to about {hi:g}" if hi is not None else f"above {lo:g}"

    return pd.DataFrame([{"condition": r["label"], "basal tryptase (ng/mL)": span(r),
                          "in words": r["summary"], "source": r["source_id"]}
                         for r in load_records("tryptase_conditions")])


_RULER_MIN, _RULER_MAX = 1.0, 1000.0


def tryptase_ruler_figure():
    """Basal tryptase 'ruler': normal ranges and the conditions that raise it (log scale),
    with the classification cut-offs (20, 125, 200 ng/mL) as labelled vertical lines.

    Solid bars are documented ranges; dotted segments are open ends ("up to", "above").
    """
    import plotly.graph_objects as go

    from ._theme import OKABE_ITO, apply_theme

    rows = load_records("tryptase_conditions")
    fig = go.Figure()
    solid_x, solid_y, open_x, open_y, labels = [], [], [], [], []
    typical_x, typical_y = [], []
    for i, r in enumerate(rows):
        y = -i
        lo, hi = r["low_ng_ml"], r["high_ng_ml"]
        if lo is not None and hi is not None:
            solid_x += [lo, hi, None]
            solid_y += [y, y, None]
        elif hi is not None:
            open_x += [_RULER_MIN, hi, None]
            open_y += [y, y, None]
        elif lo is not None:
            open_x += [lo, _RULER_MAX, None]
            open_y += [y, y, None]
        if r["typical_ng_ml"] is not None:
            typical_x.append(r["typical_ng_ml"])
            typical_y.append(y)
        labels.append(r["label"])
    fig.add_scatter(x=solid_x, y=solid_y, mode="lines", name="Documented range",
                    line=dict(color=OKABE_ITO["blue"], width=12))
    fig.add_scatter(x=open_x, y=open_y, mode="lines", name="Open end ('up to' / 'above')",
                    line=dict(color=OKABE_ITO["sky_blue"], width=6, dash="dot"))
    fig.add_scatter(x=typical_x, y=typical_y, mode="markers", name="Typical (geometric mean)",
                    marker=dict(symbol="diamond", size=12, color="black"))
    cut = _thresholds()
    for i, (tid, label, dash) in enumerate(_HAT_LINES):
        v = cut[tid]["value"]
        # the third label one line higher: 20 and 200 are a decade apart, their labels meet
        top = (0.6 + 0.9 * (i == 2)) if i != 1 else -len(rows) + 0.4
        fig.add_scatter(x=[v, v], y=[top, -len(rows) + 0.4 if i != 1 else 0.6],
                        mode="lines+text", text=[label, ""],
                        textposition="top center" if i != 1 else "bottom center", name=label,
                        line=dict(color=OKABE_ITO["vermillion"], width=1.5, dash=dash),
                        showlegend=False, hoverinfo="name")
    apply_theme(fig, title="Basal serum tryptase: normal and raised", height=420)
    fig.update_layout(
        xaxis=dict(type="log", range=[0, 3], title_text="Basal serum tryptase (ng/mL, log scale)"),
        yaxis=dict(tickvals=[-i for i in range(len(rows))], ticktext=labels,
                   range=[-len(rows) - 0.2, 1.9], showgrid=False),
        margin=dict(l=340, r=20, t=50, b=60))
    return fig


def tryptase_ruler_summary() -> str:
    """One line describing :func:`tryptase_ruler_figure`."""
    rows = {r["condition_id"]: r for r in load_records("tryptase_conditions")}
    return (f"Healthy adults are mostly below {rows['healthy_assay']['high_ng_ml']:g} ng/mL "
            f"(consensus normal range {rows['normal_consensus']['low_ng_ml']:g}-"
            f"{rows['normal_consensus']['high_ng_ml']:g}); HαT, kidney failure and other "
            "myeloid neoplasms overlap the SM minor criterion (> 20 ng/mL), so a raised value "
            "alone is never a diagnosis.")


# --------------------------------------------------------------------- sampling time app


@dataclass(frozen=True)
class TimingSample:
    """An acute sample drawn ``hours`` after the event onset (kinetics model of notebook 01)."""

    hours: float
    baseline_ng_ml: float
    peak_ng_ml: float
    sampled_ng_ml: float
    window_id: str
    advice: str
    rule_20plus2: object
    rule_nih: object

    @property
    def verdict(self) -> str:
        a, b = self.rule_20plus2, self.rule_nih
        return (f"Sample at {self.hours:g} h: {self.sampled_ng_ml:.1f} ng/mL. 20 % + 2 "
                f"(threshold {a.threshold_ng_ml:.1f}): "
                f"{'POSITIVE' if a.significant else 'negative'}; NIH ratio "
                f"{b.ratio:.2f}: {'POSITIVE' if b.significant else 'negative'}.")


def timing_sample(hours, baseline_ng_ml, peak_ng_ml) -> TimingSample:
    """Tryptase drawn ``hours`` after onset for an event peaking at ``peak_ng_ml``.

    Uses ``kinetics_model("tryptase")`` from notebook 01 (peak ~1 h, half-life 2 h; amplitudes
    are illustrative) and the sampling rules of ``data/kinetics.csv``.
    """
    from ._biology import kinetics_model, sampling_window
    from ._tryptase import tryptase_rise

    if not (isinstance(hours, numbers.Real) and math.isfinite(hours) and hours >= 0):
        raise ValueError(f"hours={hours!r} is not allowed: a time >= 0 h after onset")
    if peak_ng_ml < baseline_ng_ml:
        raise ValueError("the peak cannot be below the baseline")
    model = kinetics_model("tryptase")
    t_min = float(hours) * 60.0
    sampled = model.level(t_min, baseline_ng_ml, peak_ng_ml - baseline_ng_ml)
    window_id, advice = sampling_window(t_min) if t_min > 0 else ("too_early",
                                                                 "At onset: no rise yet.")
    return TimingSample(float(hours), baseline_ng_ml, peak_ng_ml, sampled, window_id, advice,
                        tryptase_rise(baseline_ng_ml, sampled, "20+2"),
                        tryptase_rise(baseline_ng_ml, sampled, "nih_ratio"))


_CURVE_H = tuple(i / 4 for i in range(0, 24 * 4 + 1))


def _timing_dynamic(s: TimingSample | None, baseline: float, peak: float) -> dict:
    from ._biology import kinetics_model

    model = kinetics_model("tryptase")
    curve = [model.level(h * 60, baseline, peak - baseline) for h in _CURVE_H]
    c = rise_constants()
    t20 = c["factor"] * baseline + c["offset"]
    tnih = c["ratio"] * baseline
    return {"curve": (list(_CURVE_H), curve), "t20": ([0, 24], [t20, t20]),
            "tnih": ([0, 24], [tnih, tnih]),
            "point": ([s.hours], [s.sampled_ng_ml]) if s is not None else ([], []),
            "y_max": max(peak, t20, tnih) * 1.2}


def timing_figure(sample: TimingSample | None = None, baseline_ng_ml: float = 5.0,
                  peak_ng_ml: float = 15.0):
    """Tryptase after an event (model of notebook 01) with the sampling time, the 20 % + 2
    and NIH thresholds and the documented sampling windows."""
    import plotly.graph_objects as go

    from ._biology import sampling_rules
    from ._theme import OKABE_ITO, apply_theme

    d = _timing_dynamic(sample, baseline_ng_ml, peak_ng_ml)
    rules = sampling_rules()
    (best_lo, best_hi), latest = rules["best"], rules["latest"]
    fig = go.Figure()
    fig.add_scatter(x=d["curve"][0], y=d["curve"][1], mode="lines", name="Serum tryptase (model)",
                    line=dict(color=OKABE_ITO["reddish_purple"], width=4))
    fig.add_scatter(x=d["t20"][0], y=d["t20"][1], mode="lines", name="20 % + 2 threshold",
                    line=dict(color=OKABE_ITO["vermillion"], width=2))
    fig.add_scatter(x=d["tnih"][0], y=d["tnih"][1], mode="lines", name="NIH threshold",
                    line=dict(color=OKABE_ITO["blue"], width=2, dash="dash"))
    fig.add_scatter(x=d["point"][0], y=d["point"][1], mode="markers", name="Your sample",
                    marker=dict(symbol="circle", size=15, color="black",
                                line=dict(color="white", width=2)))
    fig.update_layout(shapes=[
        dict(type="rect", x0=best_lo / 60, x1=best_hi / 60, y0=0, y1=1, yref="paper",
             fillcolor=OKABE_ITO["bluish_green"], opacity=0.18, line=dict(width=0),
             layer="below"),
        dict(type="line", x0=latest / 60, x1=latest / 60, y0=0, y1=1, yref="paper",
             line=dict(color=OKABE_ITO["bluish_green"], width=2, dash="dot"))],
        annotations=[dict(x=(best_lo + best_hi) / 120, y=1, yref="paper", yanchor="bottom",
                          text="best window", showarrow=False),
                     dict(x=latest / 60, y=0.92, yref="paper", xanchor="left",
                          text=f" latest ({latest / 60:g} h)", showarrow=False)])
    apply_theme(fig, title="Acute tryptase: when is the sample drawn?", height=430)
    fig.update_layout(xaxis=dict(title_text="Hours after the onset of the event", range=[0, 24]),
                      yaxis=dict(title_text="Serum tryptase (ng/mL)", range=[0, d["y_max"]]),
                      margin=dict(l=70, r=20, t=84, b=60))
    return fig


class TryptaseTimingApp(_App):
    """Sampling-time explorer: slide the acute sample along the tryptase curve.

    Attributes
    ----------
    widget, figure, controls (``"hours"`` FloatSlider, ``"baseline"`` Text, ``"peak"`` Text),
    result (TimingSample or None), message.
    """

    def __init__(self, hours: float = 1.0, baseline_ng_ml: float = 5.0,
                 peak_ng_ml: float = 15.0):
        import ipywidgets as w

        style = {"description_width": "initial"}
        self.controls = {
            "hours": w.FloatSlider(value=hours, min=0, max=24, step=0.25,
                                   description="Sample drawn at (h after onset):", style=style,
                                   continuous_update=True, layout=w.Layout(width="480px")),
            "baseline": w.Text(value=f"{baseline_ng_ml:g}", description="Baseline (ng/mL):",
                               continuous_update=False, style=style),
            "peak": w.Text(value=f"{peak_ng_ml:g}", description="Peak of the event (ng/mL):",
                           continuous_update=False, style=style),
        }
        self.result = None
        self.message = ""
        self.figure = None
        self._message = w.HTML()
        self._verdict = w.HTML()
        self._verdict.add_class("mastolib-timing-verdict")
        self._update()
        # The figure is built from the initial state and not updated before it is displayed
        # (an update queued before the front end drew it left the plot blank in JupyterLab).
        self.figure = FigureView(timing_figure(self.result, baseline_ng_ml, peak_ng_ml))
        self._trace = {t.name: i for i, t in enumerate(self.figure.data)}
        for c in self.controls.values():
            c.observe(self._update, names="value")
        c = self.controls
        self.widget = w.VBox([c["hours"], w.HBox([c["baseline"], c["peak"]]), self._message,
                              self._verdict, self.figure.widget])
        self.widget.add_class("mastolib-timing")

    def _update(self, _change=None):
        c = self.controls
        baseline, p1 = parse_tryptase(c["baseline"].value, "Baseline", allow_zero=False)
        peak, p2 = parse_tryptase(c["peak"].value, "Peak")
        problem = " ".join(p for p in (p1, p2) if p)
        if not problem and peak < baseline:
            problem = "Peak: the peak of the event cannot be below the baseline."
        self._set_message(problem)
        if problem:
            self.result = None
            if self.figure is not None:
                t = self._trace
                with self.figure.batch_update():
                    pt = self.figure.data[t["Your sample"]]
                    pt.x, pt.y = [], []
            self._verdict.value = "<p><i>No verdict: fix the input above.</i></p>"
            return
        self.result = timing_sample(c["hours"].value, baseline, peak)
        d = _timing_dynamic(self.result, baseline, peak)
        fig = self.figure
        if fig is not None:
            t = self._trace
            with fig.batch_update():
                for name, key in (("Serum tryptase (model)", "curve"), ("20 % + 2 threshold", "t20"),
                                  ("NIH threshold", "tnih"), ("Your sample", "point")):
                    fig.data[t[name]].x, fig.data[t[name]].y = d[key]
                fig.layout.yaxis.range = [0, d["y_max"]]
        r = self.result
        self._verdict.value = (f"<p><b>{html.escape(r.verdict)}</b><br>"
                               f"{html.escape(r.advice)}</p>")


def tryptase_timing_app(hours: float = 1.0, baseline_ng_ml: float = 5.0,
                        peak_ng_ml: float = 15.0) -> TryptaseTimingApp:
    """Build the sampling-time explorer (``app.widget`` is the view)."""
    return TryptaseTimingApp(hours, baseline_ng_ml, peak_ng_ml)
