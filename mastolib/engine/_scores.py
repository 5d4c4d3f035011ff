"""Screening and prognostic scores: REMA, MARS and the IPSM risk factors (education only).

Each score is a points table (``data/score_items.csv``, groups in ``data/score_groups.csv``),
a pure scalar function and a vectorised wrapper over a DataFrame, all reading the same rows.

* REMA (Red Española de Mastocitosis) — probability of clonal mast cell disease in patients
  with mast-cell activation symptoms and no skin lesions. The cut-off (>= 2) is confirmed; the
  point weights are **unconfirmed** (widely cited version used; a conflicting third-party
  version is listed in the ``alternative`` column and not used).
* MARS (Mutation-Adjusted Risk Score) — advanced SM; confirmed.
* IPSM (International Prognostic Scoring System for Mastocytosis) — only the adverse factors
  are reported; point weights and risk groups are unconfirmed and withheld.

Abbreviations: BST = basal serum tryptase; HMR = high molecular risk (SRSF2, ASXL1, RUNX1);
ALP = alkaline phosphatase; WBC = white blood cells; OS = overall survival.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from ..tables._data import load_records
from ..tables._fields import _CHECK_UNITS, InputError, limit, plain
from ._logic import compare, fmt_number, quantize_array

HMR_GENES = ("SRSF2", "ASXL1", "RUNX1")
NOT_REACHED = "not reached"
POPULATIONS = ("non-advanced", "advanced")
AGE_OPERATORS = (">=", ">")

REMA_WARNING = ("REMA point weights are UNCONFIRMED (widely cited version, not checked against "
                "the 2010 paper; a conflicting third-party version exists). Only the cut-off "
                ">= 2 is confirmed.")
IPSM_NOTE = ("IPSM point weights and risk groups are UNCONFIRMED, so only the adverse factors "
             "are reported.")

_INPUTS = {
    # name: (label, kind, low, high, unit); open upper ends are the plausibility limits of
    # data/field_limits.csv ("check the units" bounds, not clinical cut-offs).
    "sex": ("Sex", "choice", None, None, ""),
    "urticaria_pruritus_angioedema": ("Urticaria/pruritus/angioedema", "bool", None, None, ""),
    "presyncope_syncope": ("Presyncope/syncope", "bool", None, None, ""),
    "skin_involvement": ("Skin involvement", "bool", None, None, ""),
    "bst_ng_ml": ("Basal serum tryptase", "float", 0.0, limit("bst_ng_ml"), "ng/mL"),
    "age_years": ("Age", "float", 0.0, 120.0, "years"),
    "hb_g_dl": ("Haemoglobin", "float", 0.0, limit("hb_g_dl"), "g/dL"),
    "plt_1e9_l": ("Platelets", "float", 0.0, limit("plt_1e9_l"), "x10^9/L"),
    "alp_u_l": ("Alkaline phosphatase", "float", 0.0, limit("alp_u_l"), "U/L"),
    "wbc_1e9_l": ("Leukocytes", "float", 0.0, limit("wbc_1e9_l"), "x10^9/L"),
    "hmr_mutations": ("HMR-mutated genes (SRSF2, ASXL1, RUNX1)", "int", 0, len(HMR_GENES),
                      "genes"),
}


def _allowed(name):
    label, kind, low, high, unit = _INPUTS[name]
    if kind == "bool":
        return "True or False"
    if kind == "choice":
        return "'F' or 'M'"
    what = "a whole number" if kind == "int" else "a number"
    span = f" from {fmt_number(low)} to {fmt_number(high)}" if high is not None else \
        f" >= {fmt_number(low)}"
    check = " (upper limit: check the units)" if name in _CHECK_UNITS else ""
    return f"{what}{span} {unit}".rstrip() + check


def _is_missing(value) -> bool:
    """None and pandas' NA/NaT are "not given"; NaN stays a bad number (not finite)."""
    return value is None or type(value).__name__ in ("NAType", "NaTType")


def input_error(name, value, reason="", where="") -> InputError:
    """The one-voice error for a score input (label and unit, value, allowed range)."""
    label, *_, unit = _INPUTS[name]
    return InputError(name, f"{label} ({unit})" if unit else label, value, _allowed(name),
                      reason, where)


def _check(name, value, required=True):
    """Validate one score input; the error names the input, the value and what is allowed."""
    label, kind, low, high, _ = _INPUTS[name]
    if _is_missing(value):
        if required:
            raise input_error(name, value, "required")
        return None
    ok = True
    if kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "choice":
        ok = isinstance(value, str) and value in ("F", "M")
    else:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            ok = False
        else:
            try:
                number = float(value)
            except (OverflowError, ValueError, TypeError):
                raise input_error(name, value, "too large to be a number") from None
            ok = not (math.isnan(number) or math.isinf(number)) and number >= low and (
                high is None or number <= high) and (kind != "int" or (
                    number.is_integer() and value == int(number)))
            if ok:
                value = int(number) if kind == "int" else number
    if not ok:
        raise input_error(name, value)
    return value


@dataclass(frozen=True)
class ScoreItem:
    """One row of ``data/score_items.csv``."""

    score_id: str
    item_id: str
    label: str
    field: str
    operator: str
    value: float | None
    value_high: float | None
    match: str | None
    points: float | None
    population: str | None
    source_id: str
    locator: str
    confidence: str
    alternative: str | None

    def applies(self, x, operator: str | None = None) -> bool:
        """Does input value ``x`` fall in this item (scalar)?"""
        op = operator or self.operator
        if op == "eq":
            return _match_value(x) == self.match
        if op == "range":
            return compare(x, ">=", self.value) and compare(x, "<=", self.value_high)
        return compare(x, op, self.value)

    def applies_array(self, x, operator: str | None = None):
        """Vectorised :meth:`applies` (x: numpy array; flags as 1/0, sex as 'F'/'M')."""
        import numpy as np

        op = operator or self.operator
        if op == "eq":
            if self.match in ("true", "false"):
                return x == (1.0 if self.match == "true" else 0.0)
            return x == self.match
        q = quantize_array(np.asarray(x, dtype="float64"))
        if op == "range":
            return (q >= quantize_array(np.float64(self.value))) & (
                q <= quantize_array(np.float64(self.value_high)))
        ops = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}
        return ops[op](q, quantize_array(np.float64(self.value)))

    @property
    def rule(self) -> str:
        if self.operator == "eq":
            return f"{self.field} = {self.match}"
        if self.operator == "range":
            return f"{fmt_number(self.value)} <= {self.field} <= {fmt_number(self.value_high)}"
        return f"{self.field} {self.operator} {fmt_number(self.value)}"


def _match_value(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    return x


def score_items(score_id: str) -> tuple[ScoreItem, ...]:
    """The items of one score (``"rema"``, ``"mars"``, ``"ipsm"``) from the data table."""

    rows = [r for r in load_records("score_items") if r["score_id"] == score_id]
    if not rows:
        raise ValueError(f"unknown score {score_id!r}; valid: ['rema', 'mars', 'ipsm']")
    return tuple(ScoreItem(r["score_id"], r["item_id"], r["label"], r["field"], r["operator"],
                           r["value"], r["value_high"], r["match"], r["points"],
                           r["population"], r["source_id"], r["locator"], r["confidence"],
                           r["alternative"]) for r in rows)


def _groups(score_id: str) -> list[dict]:

    return [r for r in load_records("score_groups") if r["score_id"] == score_id]


def _group_for(score_id: str, points: float) -> dict:
    for g in _groups(score_id):
        low = -math.inf if g["points_low"] is None else g["points_low"]
        high = math.inf if g["points_high"] is None else g["points_high"]
        if low <= points <= high:
            return g
    raise ValueError(f"{score_id}: no group covers {points} points (check score_groups.csv)")


@dataclass(frozen=True)
class ItemResult:
    """Points given for one score item (``present`` is None when not assessed)."""

    item_id: str
    label: str
    points: float | None
    value: object
    present: bool | None = True


def _points(x) -> int | float:
    return int(x) if float(x).is_integer() else x


@dataclass(frozen=True)
class RemaResult:
    """REMA score result (weights UNCONFIRMED; see ``warning``)."""

    points: int
    clonality_likely: bool
    group: str
    items: tuple
    confidence: str
    warning: str
    source_id: str

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([i.__dict__ for i in self.items])


def _rema_validate(sex, urticaria_pruritus_angioedema, presyncope_syncope, bst_ng_ml):
    return {"sex": _check("sex", sex),
            "urticaria_pruritus_angioedema": _check("urticaria_pruritus_angioedema",
                                                    urticaria_pruritus_angioedema),
            "presyncope_syncope": _check("presyncope_syncope", presyncope_syncope),
            "bst_ng_ml": _check("bst_ng_ml", bst_ng_ml)}


def rema(sex, urticaria_pruritus_angioedema, presyncope_syncope, bst_ng_ml) -> RemaResult:
    """REMA score: probability of clonal mast cell disease without skin lesions.

    Parameters
    ----------
    sex : {"F", "M"}
    urticaria_pruritus_angioedema : bool
        Urticaria, pruritus and/or angioedema during episodes.
    presyncope_syncope : bool
        Presyncope and/or syncope during episodes.
    bst_ng_ml : float
        Basal serum tryptase, ng/mL (bands < 15, 15-25, > 25).

    Returns
    -------
    RemaResult
        ``points``, ``clonality_likely`` (points >= 2), ``items`` (each item's points),
        ``confidence="unconfirmed"`` and a ``warning``.

    References
    ----------
    alvareztwose2010_rema

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.rema("M", False, True, 30).points   # fact sheet 6.5, R1
    7
    """
    inputs = _rema_validate(sex, urticaria_pruritus_angioedema, presyncope_syncope, bst_ng_ml)
    items = []
    for item in score_items("rema"):
        x = inputs[item.field]
        if item.applies(x):
            items.append(ItemResult(item.item_id, item.label, _points(item.points), x))
    total = int(sum(i.points for i in items))
    group = _group_for("rema", total)
    return RemaResult(total, group["group_id"] == "clonality_likely", group["group_id"],
                      tuple(items), "unconfirmed", REMA_WARNING, "alvareztwose2010_rema")


def _hmr_count(hmr_mutations) -> int:
    if isinstance(hmr_mutations, str):
        hmr_mutations = [hmr_mutations]
    if isinstance(hmr_mutations, bool) or _is_missing(hmr_mutations):
        raise input_error("hmr_mutations", hmr_mutations,
                          f"give a count or gene names from {list(HMR_GENES)}")
    if isinstance(hmr_mutations, numbers.Number):
        return _check("hmr_mutations", hmr_mutations)
    try:
        genes = list(hmr_mutations)
    except TypeError:
        raise input_error("hmr_mutations", hmr_mutations,
                          f"give a count or gene names from {list(HMR_GENES)}") from None
    unknown = [g for g in genes if not isinstance(g, str) or g.strip().upper() not in HMR_GENES]
    if unknown:
        raise input_error("hmr_mutations", hmr_mutations,
                          f"{unknown} not in the MARS high-molecular-risk genes "
                          f"{list(HMR_GENES)}")
    # MARS counts mutated genes; two variants in one gene count once.
    return len({g.strip().upper() for g in genes})


@dataclass(frozen=True)
class MedianOS:
    """Median overall survival of a MARS group: years, or ``"not reached"``."""

    training: float | str
    validation: float | str

    def __str__(self):
        def show(v):
            return v if isinstance(v, str) else f"{fmt_number(v)} y"
        return f"{show(self.training)} (training), {show(self.validation)} (validation)"


def _os(text):
    if text is None:
        return None
    return NOT_REACHED if text.strip().lower() == NOT_REACHED else float(text)


@dataclass(frozen=True)
class MarsResult:
    """MARS result: points 0-5, group low/intermediate/high and median OS."""

    points: int
    group: str
    median_os_years: MedianOS
    items: tuple
    hmr_count: int
    source_id: str
    confidence: str = "confirmed"

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([i.__dict__ for i in self.items])


def mars(age_years, hb_g_dl, plt_1e9_l, hmr_mutations) -> MarsResult:
    """MARS: Mutation-Adjusted Risk Score for advanced systemic mastocytosis.

    Parameters
    ----------
    age_years : float
        Age in years (> 60 scores 1).
    hb_g_dl : float
        Haemoglobin, g/dL (< 10 scores 1).
    plt_1e9_l : float
        Platelets, x10^9/L (< 100 scores 1).
    hmr_mutations : int or iterable of str
        Number of mutated high-molecular-risk genes, or their names from
        ``{"SRSF2", "ASXL1", "RUNX1"}`` (1 gene scores 1, >= 2 score 2).

    Returns
    -------
    MarsResult
        ``points``, ``group`` ("low" 0-1, "intermediate" 2, "high" 3-5) and
        ``median_os_years`` (training and validation cohorts; "not reached" possible).

    References
    ----------
    jawhar2019_mars

    Examples
    --------
    >>> import mastolib as ml
    >>> r = ml.mars(72, 8.5, 60, ["SRSF2", "ASXL1"])   # fact sheet 6.5, M4
    >>> r.points, r.group
    (5, 'high')
    """
    inputs = {"age_years": _check("age_years", age_years), "hb_g_dl": _check("hb_g_dl", hb_g_dl),
              "plt_1e9_l": _check("plt_1e9_l", plt_1e9_l),
              "hmr_count": _hmr_count(hmr_mutations)}
    items = []
    for item in score_items("mars"):
        x = inputs[item.field]
        if item.applies(x):
            items.append(ItemResult(item.item_id, item.label, _points(item.points), x))
    total = int(sum(i.points for i in items))
    g = _group_for("mars", total)
    return MarsResult(total, g["group_id"],
                      MedianOS(_os(g["median_os_training"]), _os(g["median_os_validation"])),
                      tuple(items), inputs["hmr_count"], "jawhar2019_mars")


@dataclass(frozen=True)
class IpsmFactors:
    """IPSM adverse factors (no points, no groups: those are unconfirmed)."""

    population: str
    factors: tuple
    present: tuple
    count: int
    not_assessed: tuple
    age_operator: str
    note: str = IPSM_NOTE
    source_id: str = "sperr2019_ipsm"

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([f.__dict__ for f in self.factors])


_IPSM_ARGS = ("age_years", "alp_u_l", "bst_ng_ml", "wbc_1e9_l", "hb_g_dl", "plt_1e9_l",
              "skin_involvement")


def ipsm_factors(population="non-advanced", *, age_years=None, alp_u_l=None, bst_ng_ml=None,
                 wbc_1e9_l=None, hb_g_dl=None, plt_1e9_l=None, skin_involvement=None,
                 age_operator=">=") -> IpsmFactors:
    """Adverse prognostic factors of the IPSM (factors only; weights withheld).

    Parameters
    ----------
    population : {"non-advanced", "advanced"}
        Non-advanced (CM, ISM, SSM): age and alkaline phosphatase. Advanced (ASM, SM-AHN,
        MCL): age, tryptase, leukocytes, haemoglobin, platelets and absent skin involvement.
    age_years, alp_u_l, bst_ng_ml, wbc_1e9_l, hb_g_dl, plt_1e9_l : float, optional
        None = not assessed. Inputs that are not factors of the population raise ValueError.
    skin_involvement : bool, optional
        Advanced population: absence of skin involvement is adverse.
    age_operator : {">=", ">"}
        ">=" 60 years (default, fact sheet) or ">" 60 (another summary; unconfirmed).

    Returns
    -------
    IpsmFactors
        ``factors`` (each present True/False/None), ``present`` (ids), ``count``,
        ``not_assessed``.

    References
    ----------
    sperr2019_ipsm

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.ipsm_factors("non-advanced", age_years=60, alp_u_l=130).count   # I4
    2
    >>> ml.ipsm_factors("non-advanced", age_years=60, alp_u_l=130, age_operator=">").count
    1
    """
    if not isinstance(population, str) or population not in POPULATIONS:
        raise ValueError(f"population={population!r} is not allowed; valid: {list(POPULATIONS)}")
    if not isinstance(age_operator, str) or age_operator not in AGE_OPERATORS:
        raise ValueError(f"age_operator={age_operator!r} is not allowed; valid: "
                         f"{list(AGE_OPERATORS)}")
    given = {"age_years": age_years, "alp_u_l": alp_u_l, "bst_ng_ml": bst_ng_ml,
             "wbc_1e9_l": wbc_1e9_l, "hb_g_dl": hb_g_dl, "plt_1e9_l": plt_1e9_l,
             "skin_involvement": skin_involvement}
    items = [i for i in score_items("ipsm") if i.population == population]
    used = {i.field for i in items}
    extra = [k for k, v in given.items() if v is not None and k not in used]
    if extra:
        raise ValueError(f"{extra} are not IPSM factors for population {population!r}; its "
                         f"factors use {sorted(used)}")
    factors = []
    for item in items:
        x = _check(item.field, given[item.field], required=False)
        op = age_operator if item.field == "age_years" else None
        present = None if x is None else bool(item.applies(x, op))
        factors.append(ItemResult(item.item_id, item.label.replace(">=", op) if op else
                                  item.label, None, x, present))
    present = tuple(f.item_id for f in factors if f.present is True)
    missing = tuple(f.item_id for f in factors if f.present is None)
    return IpsmFactors(population, tuple(factors), present, len(present), missing, age_operator)


# ------------------------------------------------------------------------- vectorised


def _check_frame(frame):
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"the table must be a pandas DataFrame (one row per patient), not "
                        f"{type(frame).__name__}")


def _float_column(frame, name):
    import numpy as np
    import pandas as pd

    if name not in frame.columns:
        raise ValueError(f"column {name!r} is missing; columns: {list(frame.columns)}")
    series = frame[name]
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_complex_dtype(
            series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        raise ValueError(f"column {name!r} must hold numbers, not {series.dtype}")
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    _, kind, low, high, _ = _INPUTS[name]
    bad = ~np.isfinite(values) | (values < low)
    if high is not None:
        bad |= values > high
    if kind == "int":
        bad |= np.isfinite(values) & (values != np.floor(values))
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise input_error(name, series.iloc[position], "",
                          f"row {plain(frame.index[position])!r}")
    return values


def _flag_column(frame, name):
    import numpy as np

    if name not in frame.columns:
        raise ValueError(f"column {name!r} is missing; columns: {list(frame.columns)}")
    out = np.empty(len(frame))
    for position, v in enumerate(frame[name].tolist()):
        if not isinstance(v, bool) and type(v).__name__ != "bool_":
            raise input_error(name, v, "", f"row {plain(frame.index[position])!r}")
        out[position] = 1.0 if v else 0.0
    return out


def _score_frame(frame, score_id, columns):
    import numpy as np

    points = np.zeros(len(frame))
    for item in score_items(score_id):
        points += np.where(item.applies_array(columns[item.field]), item.points, 0.0)
    return points.astype(np.int64)


def rema_frame(frame):
    """Vectorised :func:`rema` over columns ``sex``, ``urticaria_pruritus_angioedema``,
    ``presyncope_syncope`` and ``bst_ng_ml``; returns ``points`` and ``clonality_likely``."""
    import numpy as np
    import pandas as pd

    _check_frame(frame)
    if "sex" not in frame.columns:
        raise ValueError(f"column 'sex' is missing; columns: {list(frame.columns)}")
    sex = frame["sex"].to_numpy(dtype=object)
    bad = np.array([not (isinstance(v, str) and v in ("F", "M")) for v in sex], dtype=bool)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise input_error("sex", sex[position], "", f"row {plain(frame.index[position])!r}")
    columns = {"sex": sex, "bst_ng_ml": _float_column(frame, "bst_ng_ml"),
               "urticaria_pruritus_angioedema": _flag_column(frame,
                                                             "urticaria_pruritus_angioedema"),
               "presyncope_syncope": _flag_column(frame, "presyncope_syncope")}
    points = _score_frame(frame, "rema", columns)
    cut = next(g for g in _groups("rema") if g["group_id"] == "clonality_likely")["points_low"]
    return pd.DataFrame({"points": points, "clonality_likely": points >= cut},
                        index=frame.index)


def mars_frame(frame):
    """Vectorised :func:`mars` over ``age_years``, ``hb_g_dl``, ``plt_1e9_l`` and
    ``hmr_mutations`` (a count or a list of gene names per row); returns ``points`` and
    ``group``."""
    import numpy as np
    import pandas as pd

    _check_frame(frame)
    if "hmr_mutations" not in frame.columns:
        raise ValueError(f"column 'hmr_mutations' is missing; columns: {list(frame.columns)}")
    hmr = []
    for position, v in enumerate(frame["hmr_mutations"].tolist()):
        try:
            hmr.append(_hmr_count(v))
        except InputError as exc:
            raise exc.at(f"row {plain(frame.index[position])!r}") from None
    columns = {name: _float_column(frame, name) for name in ("age_years", "hb_g_dl",
                                                              "plt_1e9_l")}
    columns["hmr_count"] = np.array(hmr, dtype="float64")
    points = _score_frame(frame, "mars", columns)
    group = np.full(len(frame), None, dtype=object)
    for g in _groups("mars"):
        low = -np.inf if g["points_low"] is None else g["points_low"]
        high = np.inf if g["points_high"] is None else g["points_high"]
        group[(points >= low) & (points <= high)] = g["group_id"]
    return pd.DataFrame({"points": points, "group": group}, index=frame.index)
