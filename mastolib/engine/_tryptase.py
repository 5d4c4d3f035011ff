"""Tryptase tools: hereditary alpha-tryptasemia (HαT) adjustment, reference ranges and the
event-related rise rules ("20 % + 2" and the NIH ratio). Education only.

All cut-offs come from ``data/thresholds.csv`` (rows ``rise_20plus2_factor``,
``rise_20plus2_offset``, ``rise_nih_ratio``) and ``data/hat_reference_ranges.csv``.
Comparisons round both sides to 9 decimals so that ``1.2 * 5 + 2`` is exactly 8.

Abbreviations: BST = basal serum tryptase; HαT = hereditary alpha-tryptasemia;
NIH = US National Institutes of Health; MCAS = mast cell activation syndrome.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from ..tables._data import load_records
from ..tables._fields import _CHECK_UNITS, InputError, limit, plain
from ._logic import compare, fmt_number, quantize_array
from ._rules import threshold_rows

RULES = ("20+2", "nih_ratio")
_RULE_ROWS = {"20+2": ("rise_20plus2_factor", "rise_20plus2_offset"),
              "nih_ratio": ("rise_nih_ratio",)}
THRESHOLD_IDS = ("rise_20plus2_factor", "rise_20plus2_offset", "rise_nih_ratio")


_LABELS = {"bst_ng_ml": "Basal serum tryptase", "baseline_ng_ml": "Baseline tryptase",
           "acute_ng_ml": "Acute (event) tryptase"}
_LIMIT_FIELDS = {"bst_ng_ml": "bst_ng_ml", "baseline_ng_ml": "bst_ng_ml",
                 "acute_ng_ml": "acute_tryptase_ng_ml"}


def _number(name: str, value, low: float = 0.0, unit: str = "ng/mL", what: str = "") -> float:
    """A tryptase value in ng/mL, checked against 0 (or ``low``) and the plausibility limit of
    ``data/field_limits.csv``; errors are :class:`~mastolib.InputError` (label, unit, range)."""
    high = limit(_LIMIT_FIELDS.get(name, "bst_ng_ml"))
    span = f"from {fmt_number(low)} to {fmt_number(high)} {unit}" if high is not None else \
        f">= {fmt_number(low)} {unit}"
    check = " (upper limit: check the units)" if _LIMIT_FIELDS.get(
        name, "bst_ng_ml") in _CHECK_UNITS else ""
    label = f"{_LABELS.get(name, what or name)} ({unit})"

    def error(reason=""):
        return InputError(name, label, value, f"a number {span}{check}", reason)

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise error(f"got {type(value).__name__}")
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        raise error("too large to be a number") from None
    if math.isnan(number) or math.isinf(number):
        raise error("not a finite number")
    if number < low or (high is not None and number > high):
        raise error("outside the allowed range")
    return number


def _copies(value, high: int = 10) -> int:
    """Extra alpha-tryptase copies: the Findings field's check (whole numbers only, so
    ``np.float32(1.5)`` and ``Fraction(3, 2)`` are rejected instead of truncated)."""
    from ..tables._fields import FIELD_SPECS, FieldSpec, check_value

    spec = FIELD_SPECS["hat_extra_alpha_copies"]
    if high != spec.high:
        spec = FieldSpec(spec.name, spec.label, spec.kind, spec.group, spec.unit, spec.low,
                         high)
    if value is None:
        raise InputError("extra_alpha_copies", f"{spec.label} ({spec.unit})", value,
                         f"a whole number from 0 to {high} copies", "required")
    try:
        number = check_value(spec, value)
    except InputError as exc:
        raise InputError("extra_alpha_copies", exc.label, value,
                         f"a whole number from 0 to {high} copies", exc.reason) from None
    return number


def _rows() -> dict:

    return threshold_rows()


def hat_adjusted_tryptase(bst_ng_ml, extra_alpha_copies) -> float:
    """Basal serum tryptase adjusted for hereditary alpha-tryptasemia.

    ``BST / (1 + number of extra alpha-tryptase-encoding TPSAB1 copies)``. WHO 2022 asks for
    an adjustment; this exact formula is from the genotyping review (unconfirmed as WHO's).

    Parameters
    ----------
    bst_ng_ml : float
        Basal serum tryptase, ng/mL (>= 0).
    extra_alpha_copies : int
        Extra alpha copies, 0-10 (0 = no HαT).

    Returns
    -------
    float
        Adjusted tryptase, ng/mL (never above the measured value).

    References
    ----------
    genotyping_review2022, khoury2022

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.hat_adjusted_tryptase(45, 1)
    22.5
    """
    bst = _number("bst_ng_ml", bst_ng_ml, what="basal serum tryptase")
    return bst / (1 + _copies(extra_alpha_copies))


@dataclass(frozen=True)
class HatReference:
    """Median (range) basal tryptase for a number of extra alpha copies."""

    extra_alpha_copies: int
    median_ng_ml: float
    low_ng_ml: float
    high_ng_ml: float
    source_id: str
    locator: str

    def __str__(self):
        return (f"{self.extra_alpha_copies} extra alpha copies: median "
                f"{fmt_number(self.median_ng_ml)} ng/mL (range {fmt_number(self.low_ng_ml)}-"
                f"{fmt_number(self.high_ng_ml)})")


def hat_reference_range(extra_alpha_copies) -> HatReference:
    """Median (range) basal tryptase by number of extra alpha-tryptase copies.

    Parameters
    ----------
    extra_alpha_copies : int
        0 to 4 (the published table stops at 4).

    References
    ----------
    genotyping_review2022 (Table 1)

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.hat_reference_range(1).median_ng_ml
    13.6
    """

    rows = {r["extra_alpha_copies"]: r for r in load_records("hat_reference_ranges")}
    high = max(rows)
    n = _copies(extra_alpha_copies, high=high)
    r = rows[n]
    return HatReference(n, r["median_ng_ml"], r["low_ng_ml"], r["high_ng_ml"], r["source_id"],
                        r["locator"])


@dataclass(frozen=True)
class TryptaseRise:
    """Result of :func:`tryptase_rise`.

    Attributes
    ----------
    rule : str
        ``"20+2"`` or ``"nih_ratio"``.
    baseline_ng_ml, acute_ng_ml : float
    threshold_ng_ml : float
        The acute value that must be exceeded (``1.2 x BST + 2``, or ``1.685 x BST``).
    ratio : float or None
        acute / baseline (None when the baseline is 0).
    significant : bool
    inclusive : bool
        Whether reaching the threshold exactly counts.
    explanation : str
    source_id : str
    confidence : str
    """

    rule: str
    baseline_ng_ml: float
    acute_ng_ml: float
    threshold_ng_ml: float
    ratio: float | None
    significant: bool
    inclusive: bool
    explanation: str
    source_id: str
    confidence: str


def _check_rule(rule, inclusive):
    if not isinstance(rule, str) or rule not in RULES:
        raise ValueError(f"rule={rule!r} is not allowed; valid rules: {list(RULES)}")
    if not isinstance(inclusive, bool):
        raise ValueError(f"inclusive={inclusive!r} is not allowed: expected True or False")


def _constants(rule):
    rows = _rows()
    if rule == "20+2":
        f, o = (rows[t] for t in _RULE_ROWS[rule])
        return f["value"], o["value"], f["source_id"]
    (r,) = (rows[t] for t in _RULE_ROWS[rule])
    return r["value"], 0.0, r["source_id"]


def tryptase_rise(baseline_ng_ml, acute_ng_ml, rule="20+2", inclusive=False) -> TryptaseRise:
    """Is an event-related tryptase rise significant?

    Parameters
    ----------
    baseline_ng_ml : float
        Basal tryptase (symptom-free), ng/mL; must be > 0 for ``"nih_ratio"``.
    acute_ng_ml : float
        Tryptase 1-4 h after the event, ng/mL.
    rule : {"20+2", "nih_ratio"}
        ``"20+2"``: acute > 1.2 x baseline + 2 ng/mL (ECNM consensus); ``"nih_ratio"``:
        acute / baseline > 1.685 (NIH).
    inclusive : bool
        False (default) uses the strict ">" of the consensus tables; True uses ">=" (the NIH
        wording of 20 % + 2; the boundary is disputed).

    Returns
    -------
    TryptaseRise

    References
    ----------
    valent2019_20plus2, valent2024_tryptase, mateja2022

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.tryptase_rise(5, 8).significant
    False
    >>> ml.tryptase_rise(5, 8, inclusive=True).significant
    True
    """
    _check_rule(rule, inclusive)
    low = 0.0
    baseline = _number("baseline_ng_ml", baseline_ng_ml, low, what="baseline tryptase")
    if rule == "nih_ratio" and baseline == 0:
        raise InputError("baseline_ng_ml", "Baseline tryptase (ng/mL)", baseline_ng_ml,
                         "a baseline above 0 ng/mL (the NIH ratio divides by it)",
                         "the NIH ratio needs a baseline > 0")
    acute = _number("acute_ng_ml", acute_ng_ml, what="acute tryptase")
    factor, offset, source = _constants(rule)
    threshold = factor * baseline + offset
    ratio = acute / baseline if baseline > 0 else None
    op = ">=" if inclusive else ">"
    if rule == "20+2":
        significant = compare(acute, op, threshold)
        text = (f"Acute {fmt_number(acute)} ng/mL vs {fmt_number(factor)} x "
                f"{fmt_number(baseline)} + {fmt_number(offset)} = {fmt_number(threshold)} ng/mL"
                f" ('{op}'): {'significant' if significant else 'not significant'} rise.")
    else:
        significant = compare(ratio, op, factor)
        text = (f"Acute/baseline ratio {fmt_number(acute)}/{fmt_number(baseline)} = "
                f"{ratio:.3f} vs {factor:g} ('{op}'): "
                f"{'significant' if significant else 'not significant'} rise.")
    return TryptaseRise(rule, baseline, acute, threshold, ratio, significant, inclusive, text,
                        source, "confirmed" if not inclusive or rule == "nih_ratio"
                        else "unconfirmed")


def tryptase_rise_frame(frame, baseline="baseline_ng_ml", acute="acute_ng_ml", rule="20+2",
                        inclusive=False):
    """Vectorised :func:`tryptase_rise` over two columns of a DataFrame.

    Returns
    -------
    pandas.DataFrame
        ``threshold_ng_ml``, ``ratio`` (NaN when the baseline is 0) and ``significant``,
        aligned to ``frame.index``. Missing or invalid values raise ValueError naming the row.
    """
    import numpy as np
    import pandas as pd

    _check_rule(rule, inclusive)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"the table must be a pandas DataFrame, not {type(frame).__name__}")
    for column in (baseline, acute):
        if column not in frame.columns:
            raise ValueError(f"column {column!r} not in the frame; columns: {list(frame.columns)}")
    arrays = {}
    for column in (baseline, acute):
        series = frame[column]
        if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_complex_dtype(
                series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
            raise ValueError(f"column {column!r} must hold numbers (ng/mL), not {series.dtype}")
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        high = limit("bst_ng_ml" if column == baseline else "acute_tryptase_ng_ml")
        bad = ~np.isfinite(values) | (values < 0)
        if high is not None:
            bad |= values > high
        if rule == "nih_ratio" and column == baseline:
            bad |= values == 0
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            label = "Baseline tryptase (ng/mL)" if column == baseline else \
                "Acute (event) tryptase (ng/mL)"
            raise InputError(column, label, series.iloc[position],
                             f"a number from 0 to {fmt_number(high)} ng/mL (upper limit: check "
                             "the units)" + (" and > 0 for the NIH ratio"
                                             if rule == "nih_ratio" else ""),
                             "", f"row {plain(frame.index[position])!r}")
        arrays[column] = values
    b, a = arrays[baseline], arrays[acute]
    factor, offset, _ = _constants(rule)
    threshold = factor * b + offset
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(b > 0, a / b, np.nan)
    op = np.greater_equal if inclusive else np.greater
    if rule == "20+2":
        significant = op(quantize_array(a), quantize_array(threshold))
    else:
        significant = op(quantize_array(ratio), quantize_array(np.full_like(ratio, factor)))
    return pd.DataFrame({"threshold_ng_ml": threshold, "ratio": ratio,
                         "significant": significant}, index=frame.index)
