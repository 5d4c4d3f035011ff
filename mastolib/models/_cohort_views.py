"""Views of the SYNTHETIC cohort: engine labels, trace data, summaries and the explorer model.

The generator and loader are in :mod:`mastolib.models._cohort`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine._diagnose import diagnose_frame
from ._cohort import (
    AGE_BANDS,
    META_COLUMNS,
    SCHEME_NAMES,
    STRATA,
    SYNTHETIC,
    TRUE_LABELS,
    load_cohort,
)

# ----------------------------------------------------------------------- classification


def short_label(category, subtype, qualifiers=()) -> str:
    """A compact label for the figures: ``"ISM (BMM variant)"``, ``"MIS"``, ``"No mastocytosis"``."""
    if category == "SM":
        text = subtype or "SM"
        if "BMM variant" in qualifiers:
            text += " (BMM variant)"
        if any(q.startswith("concurrent lymphoid") for q in qualifiers):
            text += " + lymphoid neoplasm"
        return text
    if category == "CM":
        return f"CM / {subtype}" if subtype else "CM"
    if category == "none":
        return "MMAS" if subtype == "MMAS" else "No mastocytosis"
    return str(category)


def classify_cohort(cohort):
    """WHO 2022 and ICC 2022 labels of every row, with :func:`mastolib.diagnose_frame`.

    Returns
    -------
    pandas.DataFrame
        ``who_category``, ``who_subtype``, ``who_label``, ``icc_category``, ``icc_subtype``,
        ``icc_label``, ``changes`` (True when the short labels differ), aligned to the cohort.
    """
    import pandas as pd


    ignore = [c for c in cohort.columns if c in META_COLUMNS]
    out = {}
    for scheme, prefix in (("who2022", "who"), ("icc2022", "icc")):
        dx = diagnose_frame(cohort, scheme, ignore=ignore)
        out[f"{prefix}_category"] = dx["category"]
        out[f"{prefix}_subtype"] = dx["subtype"]
        out[f"{prefix}_label"] = [short_label(c, s, q) for c, s, q in
                                  zip(dx["category"], dx["subtype"], dx["qualifiers"],
                                      strict=True)]
    frame = pd.DataFrame(out, index=cohort.index)
    frame["changes"] = frame["who_label"] != frame["icc_label"]
    return frame


def _order(labels) -> list:
    """Labels in teaching order (SM subtypes first, by severity), then the rest by name."""
    rank = ["BMM", "ISM", "ISM (BMM variant)", "ISM + lymphoid neoplasm", "SSM",
            "SSM + lymphoid neoplasm", "ASM", "ASM + lymphoid neoplasm", "SM-AHN", "SM-AMN",
            "MCL", "MCL + lymphoid neoplasm", "SM", "MIS", "MMAS", "No mastocytosis"]
    present = list(dict.fromkeys(labels))
    return sorted(present, key=lambda x: (rank.index(x) if x in rank else len(rank), x))


# ------------------------------------------------------------------------------ figures


def _n(count: int) -> str:
    return f"{count:,}"


def tryptase_trace_data(cohort, labels, scheme: str = "who2022") -> dict:
    """x (label), y (tryptase) and hover text for the tryptase box/strip view."""
    prefix = "who" if scheme == "who2022" else "icc"
    keep = cohort["bst_ng_ml"].notna().to_numpy()
    x = labels[f"{prefix}_label"].to_numpy()[keep]
    y = cohort["bst_ng_ml"].to_numpy()[keep]
    return {"x": x, "y": y}


def cohort_tryptase_summary(cohort=None, labels=None, scheme: str = "who2022") -> str:
    """One-line text summary of :func:`cohort_tryptase_figure` (same inputs)."""
    cohort = load_cohort() if cohort is None else cohort
    labels = classify_cohort(cohort) if labels is None else labels
    prefix = "who" if scheme == "who2022" else "icc"
    bst = cohort["bst_ng_ml"]
    groups = []
    for label in _order(labels[f"{prefix}_label"]):
        values = bst[labels[f"{prefix}_label"] == label].dropna()
        if len(values):
            groups.append(f"{label} {values.median():.0f} (n = {_n(len(values))})")
    sm = labels[f"{prefix}_category"] == "SM"
    above = (bst[sm] > 20).mean() * 100 if sm.any() else float("nan")
    return (f"{SYNTHETIC} cohort, {SCHEME_NAMES[scheme]}: median basal tryptase in ng/mL by "
            f"subtype - {'; '.join(groups)}. {above:.0f} % of SM patients are above "
            f"20 ng/mL and {(bst >= 200).mean() * 100:.1f} % of all patients at or above "
            "200 ng/mL.")


def sankey_data(labels, mask=None) -> dict:
    """Nodes (WHO labels left, ICC labels right) and links with counts."""
    import numpy as np

    who = labels["who_label"].to_numpy()
    icc = labels["icc_label"].to_numpy()
    left, right = _order(who), _order(icc)
    keep = np.ones(len(who), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    pairs = sorted({(a, b) for a, b in zip(who, icc, strict=True)},
                   key=lambda ab: (left.index(ab[0]), right.index(ab[1])))
    index = {pair: i for i, pair in enumerate(pairs)}
    values = np.zeros(len(pairs), dtype=np.int64)
    codes = np.array([index[(a, b)] for a, b in zip(who[keep], icc[keep], strict=True)],
                     dtype=np.int64)
    if codes.size:
        values += np.bincount(codes, minlength=len(pairs))
    return {"left": left, "right": right, "pairs": pairs, "values": values}


def reclassification_summary(cohort=None, labels=None, top: int = 3) -> str:
    """One-line text summary of :func:`reclassification_figure`."""
    cohort = load_cohort() if cohort is None else cohort
    labels = classify_cohort(cohort) if labels is None else labels
    n = len(labels)
    changed = labels[labels["changes"]]
    flows = changed.groupby(["who_label", "icc_label"]).size().sort_values(ascending=False)
    biggest = "; ".join(f"{a} → {b}: {_n(int(v))}" for (a, b), v in flows.head(top).items())
    cat = (labels["who_category"] != labels["icc_category"]).sum()
    pct = len(changed) / n * 100 if n else 0.0
    return (f"Of {_n(n)} {SYNTHETIC} patients, {_n(len(changed))} ({pct:.1f} %) get a "
            f"different label under ICC 2022 than under WHO 2022 and {_n(int(cat))} a different "
            f"category; largest changes: {biggest or 'none'}.")


def pyramid_data(cohort, mask=None) -> dict:
    """Counts of women and men per age band (``AGE_BANDS``)."""
    import numpy as np

    age = cohort["age_years"].to_numpy(dtype=float)
    sex = cohort["sex"].to_numpy(dtype=object)
    keep = np.ones(len(age), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    bands = [f"{lo}-{hi}" if hi < 120 else f"{lo}+" for lo, hi in AGE_BANDS]
    edges = [lo for lo, _ in AGE_BANDS] + [AGE_BANDS[-1][1] + 1]
    women = np.histogram(age[keep & (sex == "F")], bins=edges)[0]
    men = np.histogram(age[keep & (sex == "M")], bins=edges)[0]
    return {"bands": bands, "women": women, "men": men}


def age_pyramid_summary(cohort=None) -> str:
    """One-line text summary of :func:`age_pyramid_figure`."""
    cohort = load_cohort() if cohort is None else cohort
    n = len(cohort)
    women = int((cohort["sex"] == "F").sum())
    data = pyramid_data(cohort)
    total = data["women"] + data["men"]
    band = data["bands"][int(total.argmax())] if n else "none"
    median = cohort["age_years"].median() if n else float("nan")
    return (f"{SYNTHETIC} cohort: {_n(n)} patients, {_n(women)} women "
            f"({women / n * 100 if n else 0:.1f} %) and {_n(n - women)} men; median age "
            f"{median:.0f} years; the largest age band is {band} years.")


# ---------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class CohortView:
    """Everything the explorer shows for one filter (the result of :meth:`CohortModel.view`).

    Attributes
    ----------
    n : int
        Patients selected.
    mask : numpy.ndarray of bool
    tryptase : dict
        ``x`` labels and ``y`` tryptase values of the selected patients.
    pyramid : dict
        ``bands``, ``women``, ``men`` counts.
    sankey : dict
        ``pairs`` and ``values`` (WHO label -> ICC label counts).
    summary : str
    message : str
        Non-empty when nothing matches the filter.
    """

    n: int
    mask: object
    tryptase: dict
    pyramid: dict
    sankey: dict
    summary: str
    message: str


ALL = "All"
SEXES = {ALL: None, "Women": "F", "Men": "M"}


class CohortModel:
    """The cohort, its WHO/ICC labels and a pure filter (no widgets).

    Parameters
    ----------
    cohort : pandas.DataFrame, optional
        Default: the shipped SYNTHETIC cohort.
    """

    def __init__(self, cohort=None):
        import numpy as np

        self.cohort = load_cohort() if cohort is None else cohort
        self.labels = classify_cohort(self.cohort)
        self._age = self.cohort["age_years"].to_numpy(dtype=float)
        self._sex = self.cohort["sex"].to_numpy(dtype=object)
        self._bst = self.cohort["bst_ng_ml"].to_numpy(dtype=float)
        self._who = self.labels["who_label"].to_numpy(dtype=object)
        self._icc = self.labels["icc_label"].to_numpy(dtype=object)
        self._true = self.cohort["true_label"].to_numpy(dtype=object)
        self._columns = {"who": self._who, "icc": self._icc, "true": self._true}
        self._sankey_all = sankey_data(self.labels)
        pair_index = {pair: i for i, pair in enumerate(self._sankey_all["pairs"])}
        self._pair_code = np.array([pair_index[(a, b)] for a, b in
                                    zip(self._who, self._icc, strict=True)], dtype=np.int64)
        bands = [lo for lo, _ in AGE_BANDS] + [AGE_BANDS[-1][1] + 1]
        self._band = np.clip(np.searchsorted(bands, self._age, side="right") - 1, 0,
                             len(AGE_BANDS) - 1)
        self.age_range = (int(np.nanmin(self._age)), int(np.nanmax(self._age)))

    @property
    def subtype_options(self) -> list:
        """``[(text, (column, label)), ...]`` for the subtype filter."""
        out = [("All subtypes", (ALL, ALL))]
        for column, name in (("who", "WHO 2022"), ("icc", "ICC 2022")):
            out += [(f"{name}: {label}", (column, label)) for label in
                    _order(self._columns[column])]
        out += [(f"Generated as: {TRUE_LABELS[s]}", ("true", s)) for s in STRATA
                if s in set(self._true)]
        return out

    def mask(self, subtype=(ALL, ALL), sex: str = ALL, age=(0, 200)):
        """Boolean mask of the patients matching the filter.

        Raises
        ------
        ValueError
            for an unknown subtype column, sex or an age range that is not (low, high).
        """

        column, label = subtype
        if sex not in SEXES:
            raise ValueError(f"sex must be one of {list(SEXES)}, not {sex!r}")
        try:
            low, high = (float(a) for a in age)
        except (TypeError, ValueError):
            raise ValueError(f"age must be a (low, high) pair of years, not {age!r}") from None
        if low > high:
            raise ValueError(f"age range {low:g}-{high:g} is empty: the lower bound is above "
                             "the upper")
        keep = (self._age >= low) & (self._age <= high)
        if SEXES[sex] is not None:
            keep &= self._sex == SEXES[sex]
        if column != ALL:
            if column not in self._columns:
                raise ValueError(f"subtype filter column must be one of "
                                 f"{[ALL, *self._columns]}, not {column!r}")
            keep &= self._columns[column] == label
        return keep

    def view(self, subtype=(ALL, ALL), sex: str = ALL, age=(0, 200)) -> CohortView:
        """Compute every view for a filter (pure; never raises for a filter a control can
        produce: an empty selection gives empty views and a message)."""
        import numpy as np

        keep = self.mask(subtype, sex, age)
        n = int(keep.sum())
        has_bst = keep & ~np.isnan(self._bst)
        tryptase = {"x": self._who[has_bst], "y": self._bst[has_bst]}
        women = np.bincount(self._band[keep & (self._sex == "F")], minlength=len(AGE_BANDS))
        men = np.bincount(self._band[keep & (self._sex == "M")], minlength=len(AGE_BANDS))
        pyramid = {"bands": pyramid_data(self.cohort.iloc[:0])["bands"], "women": women,
                   "men": men}
        values = np.bincount(self._pair_code[keep], minlength=len(self._sankey_all["pairs"]))
        sankey = {**self._sankey_all, "values": values}
        message = "" if n else ("No SYNTHETIC patient matches this filter: widen the age "
                                "range or choose 'All' for subtype or sex.")
        return CohortView(n, keep, tryptase, pyramid, sankey,
                          self._summary(keep, n, women, men, values), message)

    def _summary(self, keep, n, women, men, values) -> str:
        import numpy as np

        if not n:
            return f"{SYNTHETIC} cohort: no patient selected."
        changed = sum(int(v) for (a, b), v in zip(self._sankey_all["pairs"], values,
                                                   strict=True) if a != b)
        bst = self._bst[keep]
        above = np.nanmean(bst > 20) * 100
        return (f"{SYNTHETIC} cohort, {_n(n)} of {_n(len(self._age))} patients selected: "
                f"{_n(int(women.sum()))} women, {_n(int(men.sum()))} men, median age "
                f"{np.nanmedian(self._age[keep]):.0f} years; median tryptase "
                f"{np.nanmedian(bst):.1f} ng/mL, {above:.0f} % above 20 ng/mL; "
                f"{_n(changed)} ({changed / n * 100:.1f} %) change label from WHO 2022 to "
                "ICC 2022.")


# ------------------------------------------------------------------------- regeneration
