"""The tryptase lab (notebook 05): HαT explorer, 20 % + 2 versus NIH ratio, sampling time.

Pure models (:func:`parse_tryptase`, :func:`hat_assessment`, :func:`rise_comparison`,
:func:`timing_sample`) call the clinical engine (``ml.hat_adjusted_tryptase``,
``ml.hat_reference_range``, ``ml.tryptase_rise``) and read every cut-off from
``data/thresholds.csv``; figure builders are pure (``go.Figure`` in, nothing shown); each app
builds its view once and updates one ``FigureWidget`` in place from one callback.

The sampling-time app reuses the mediator kinetics teaching model of notebook 01
(:func:`mastolib.models._biology.kinetics_model`); it does not define a second model.

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
import math
import numbers
from dataclasses import dataclass

from ..engine._logic import SYMBOLS, compare
from ..engine._rules import threshold_rows
from ..engine._tryptase import hat_adjusted_tryptase, hat_reference_range, tryptase_rise
from ..tables._data import load_records
from ._biology import kinetics_model, sampling_window

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

    return threshold_rows()


def _compare(a: float, op: str, b: float) -> bool:

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
    def cutoff(self) -> str:
        """The cut-off as read from its threshold row, e.g. ``"> 20"``."""
        return f"{SYMBOLS[self.operator]} {self.value:g}"

    @property
    def rule(self) -> str:
        return f"BST {self.cutoff} ng/mL"

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
        text += (f" WHO minor criterion ({minor.cutoff} ng/mL, adjusted): "
                 f"{'met' if minor.met_adjusted else 'not met'}")
        if minor.changes:
            text += (f" - the adjustment changes the verdict (the measured value would "
                     f"{'meet' if minor.met_measured else 'miss'} it).")
        else:
            text += "."
        return text


def hat_assessment(bst_ng_ml, extra_alpha_copies, ruleset=None) -> HatAssessment:
    """HαT adjustment of a basal tryptase and its effect on the classification cut-offs.

    Parameters
    ----------
    bst_ng_ml : float
        Measured basal serum tryptase, ng/mL (>= 0).
    extra_alpha_copies : int
        0 to 4 (the published per-genotype table stops at 4).
    ruleset : Ruleset, optional
        Whose thresholds to apply (default: ``data/thresholds.csv``), e.g.
        ``ml.get_ruleset("who2022").with_thresholds(minor_tryptase=25)``.

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

    adjusted = hat_adjusted_tryptase(bst_ng_ml, extra_alpha_copies)
    ref = hat_reference_range(extra_alpha_copies)
    n = ref.extra_alpha_copies
    bst = float(bst_ng_ml)
    position = ("below" if bst < ref.low_ng_ml else "above" if bst > ref.high_ng_ml
                else "within")
    rows = _thresholds() if ruleset is None else ruleset.thresholds
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
        b1 = a.check("b1_tryptase_who")
        out.append({"example": r["example_id"], "BST (ng/mL)": r["bst_ng_ml"],
                    "extra α copies": r["extra_alpha_copies"],
                    "adjusted (ng/mL)": round(a.adjusted_ng_ml, 3),
                    f"WHO minor ({a.check('minor_tryptase').cutoff})":
                        "met" if minor else "not met",
                    f"B1 arm ({b1.cutoff}) adjusted": "met" if b1.met_adjusted else "not met",
                    "expected adjusted": r["expected_adjusted_ng_ml"],
                    "expected minor": "met" if r["expected_who_minor"] else "not met",
                    "agrees": (abs(a.adjusted_ng_ml - r["expected_adjusted_ng_ml"]) < 1e-3
                               and minor == r["expected_who_minor"]),
                    "note": r["note"]})
    return pd.DataFrame(out)


def _hat_reference_rows() -> list:

    return [hat_reference_range(n) for n in range(MAX_COPIES + 1)]


def hat_reference_frame():
    """Published median (range) basal tryptase by extra α copies, with the measured value that
    the WHO minor criterion needs at each genotype (20 × (1 + n))."""
    import pandas as pd

    row = _thresholds()["minor_tryptase"]
    minor, op = row["value"], SYMBOLS[row["operator"]]
    return pd.DataFrame([{"extra α copies": r.extra_alpha_copies,
                          "median BST (ng/mL)": r.median_ng_ml,
                          "range (ng/mL)": f"{r.low_ng_ml:g}-{r.high_ng_ml:g}",
                          f"measured BST needed for {op} {minor:g} adjusted":
                              f"{op} {minor * (1 + r.extra_alpha_copies):g}",
                          "source": r.source_id} for r in _hat_reference_rows()])


def hat_summary(assessment: HatAssessment | None) -> str:
    """One line describing :func:`hat_figure`."""
    if assessment is None:
        return ("Published median and range of basal tryptase for 0 to 4 extra α copies "
                "(no value entered).")
    return assessment.explanation


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


def rise_summary(comparison: RiseComparison | None) -> str:
    """One line describing :func:`rise_figure`."""
    xc = rise_constants()["crossing_ng_ml"]
    if comparison is None:
        return (f"Decision regions of the two rules; the threshold lines cross at a baseline "
                f"of about {xc:.1f} ng/mL (no valid values entered).")
    return (f"Baseline {_fmt(comparison.baseline_ng_ml)}, acute "
            f"{_fmt(comparison.acute_ng_ml)} ng/mL: {AGREEMENT[comparison.agreement]}; the "
            f"lines cross at a baseline of about {xc:.1f} ng/mL.")


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
