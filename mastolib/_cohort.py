"""A SYNTHETIC cohort of adults with mastocytosis: generator, figures and an explorer app.

Nothing here describes real patients. :func:`synthetic_cohort` draws findings from the
distributions in ``data/cohort_parameters.csv``; every number there carries a ``source_id``
and a ``kind``: ``"from source"`` (a published share, median or percentage from the course
fact sheet) or ``"teaching assumption"`` (a shape or spread the sources do not give, such as
the lognormal spread of tryptase). The generator reads its parameters only from that table.

Reproducibility
---------------
The draws use :class:`random.Random` (its ``random()`` stream is stable across Python
versions for a given seed) and :class:`statistics.NormalDist`, and values are rounded before
they are written, so ``python -m mastolib._cohort data/cohort.csv`` rewrites the shipped file
byte for byte. The seed, size and mix are recorded in the sidecar ``data/cohort.json``.

Views
-----
Pure figure builders (:func:`cohort_tryptase_figure`, :func:`reclassification_figure`,
:func:`age_pyramid_figure`), each with a one-line text summary, and
:func:`cohort_explorer_app`: one FigureWidget holding the three views, filtered by subtype,
sex and age, updated in place by one callback.

Abbreviations: SM = systemic mastocytosis; ISM/SSM/ASM = indolent/smoldering/aggressive SM;
BMM = bone marrow mastocytosis; SM-AHN/SM-AMN = SM with an associated haematological/myeloid
neoplasm; MCL = mast cell leukaemia; MPCM = maculopapular cutaneous mastocytosis; MIS =
mastocytosis in the skin; HαT = hereditary alpha-tryptasemia; VAF = variant allele fraction;
WHO = WHO 2022 (5th edition); ICC = International Consensus Classification 2022.

For education only, not for clinical decisions.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import html
import io
import json
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

from ._figview import FigureView

SYNTHETIC = "SYNTHETIC"
GENERATOR_VERSION = 1
DEFAULT_N = 4000
DEFAULT_SEED = 2022
DEFAULT_MIX = "denmark1997"
MIXES = {
    "denmark1997": "Denmark 1997-2010, population-based (cohen2014)",
    "denmark2022": "Denmark 2022 register, all adult mastocytosis (denmark_register2022)",
    "mayo_referral": "Mayo Clinic referral series 1976-2007 (lim2009)",
}
# Strata: how a synthetic patient is generated (the ``true_label`` column).
STRATA = ("ISM", "SM-unknown", "SM-AHN", "ASM", "MCL", "MPCM-no-marrow")
TRUE_LABELS = {
    "ISM": "ISM",
    "SM-unknown": "SM, subtype not recorded",
    "SM-AHN": "SM-AHN",
    "ASM": "ASM",
    "MCL": "MCL",
    "MPCM-no-marrow": "MPCM, marrow not studied",
}
ADVANCED = ("SM-AHN", "ASM", "MCL")
_SUFFIX = {"SM-AHN": "ahn", "ASM": "asm", "MCL": "mcl"}
META_COLUMNS = ("patient_id", "true_label")
MYELOID_AHN = ("chronic myelomonocytic leukaemia", "myelodysplastic neoplasm",
               "myeloproliferative neoplasm", "acute myeloid leukaemia")
LYMPHOID_AHN = ("chronic lymphocytic leukaemia", "plasma cell myeloma", "B-cell lymphoma")
C_FINDINGS = ("C1", "C2", "C3", "C4", "C5")
TRYPTASE_LINES = (  # (ng/mL, dash, label): thresholds drawn on the tryptase figure
    (20, "dot", "20: minor criterion (> 20)"),
    (125, "dash", "125: WHO BMM limit (< 125)"),
    (200, "longdash", "200: B1 tryptase (WHO ≥ 200, ICC > 200)"),
)
AGE_BANDS = ((15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 84), (85, 120))
SCHEME_NAMES = {"who2022": "WHO 2022", "icc2022": "ICC 2022"}


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class CohortParameters:
    """The generator's parameters (``data/cohort_parameters.csv``), by ``parameter_id``.

    Attributes
    ----------
    rows : dict
        ``parameter_id -> row`` (value, unit, kind, source_id, note, ...).
    """

    rows: dict

    @classmethod
    def load(cls) -> CohortParameters:
        from ._data import load_records

        return cls({r["parameter_id"]: r for r in load_records("cohort_parameters")})

    def value(self, parameter_id: str) -> float:
        try:
            return float(self.rows[parameter_id]["value"])
        except KeyError:
            raise ValueError(f"cohort parameter {parameter_id!r} missing from "
                             "data/cohort_parameters.csv") from None

    def pick(self, base: str, stratum: str) -> float:
        """The most specific value of ``base`` for a stratum: ``base_<ahn|asm|mcl>``, then
        ``base_advanced`` (advanced strata), then ``base``."""
        for pid in self.candidates(base, stratum):
            if pid in self.rows:
                return self.value(pid)
        return self.value(base)

    def resolved(self, stratum: str) -> dict:
        """Every base parameter id -> its value for ``stratum`` (see :meth:`pick`)."""
        bases = {pid for pid in self.rows if not any(
            pid.endswith(f"_{s}") for s in (*_SUFFIX.values(), "advanced"))}
        return {base: self.pick(base, stratum) for base in bases}

    @staticmethod
    def candidates(base: str, stratum: str) -> list:
        out = []
        if stratum in _SUFFIX:
            out.append(f"{base}_{_SUFFIX[stratum]}")
        if stratum in ADVANCED:
            out.append(f"{base}_advanced")
        out.append(base)
        return out

    def mix(self, mix: str) -> list:
        """``[(stratum, share between 0 and 1), ...]`` of a mix, rescaled to sum to 1."""
        if mix not in MIXES:
            raise ValueError(f"unknown mix {mix!r}; choose one of {list(MIXES)}")
        shares = [(r["stratum"], float(r["value"])) for r in self.rows.values()
                  if r["scope"] == mix and r["quantity"] == "share"]
        total = sum(s for _, s in shares)
        return [(stratum, share / total) for stratum, share in shares]


@functools.cache
def _parameters() -> CohortParameters:
    return CohortParameters.load()


def cohort_parameters():
    """The cohort's distribution parameters as a DataFrame (``kind`` says which are taken
    from a source and which are teaching assumptions)."""
    from ._data import load_table

    return load_table("cohort_parameters")


# ---------------------------------------------------------------------------- generator


class _Draw:
    """Random draws from one seeded stream (stdlib only, reproducible across versions)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self._inv_cdf = NormalDist().inv_cdf

    def u(self) -> float:
        return self.rng.random()

    def yes(self, percent: float) -> bool:
        return self.rng.random() * 100.0 < percent

    def z(self) -> float:
        u = self.rng.random()
        return self._inv_cdf(u if 1e-12 < u < 1 - 1e-12 else 0.5)

    def normal(self, mean: float, sd: float, low: float = -math.inf,
               high: float = math.inf) -> float:
        for _ in range(1000):
            value = mean + sd * self.z()
            if low <= value <= high:
                return value
        return min(max(mean, low), high)

    def lognormal(self, median: float, logsd: float) -> float:
        return median * math.exp(logsd * self.z())

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.u()

    def choice(self, options):
        return options[min(int(self.u() * len(options)), len(options) - 1)]


def _r(value: float, digits: int = 1) -> float:
    return float(round(value, digits))


def _patient(d: _Draw, q: dict, stratum: str) -> dict:
    """One synthetic patient of a stratum: a dict of findings (None = not assessed)."""
    sm = stratum != "MPCM-no-marrow"
    staged = stratum != "SM-unknown" or d.yes(q["staging_recorded_unknown"])
    row: dict = {}

    row["age_years"] = _r(d.normal(q["age_median"], q["age_sd"], q["age_min"],
                                   q["age_max"]), 0)
    row["sex"] = "F" if d.yes(q["female_share"]) else "M"

    copies = 0
    if d.yes(q["hat_share"]):
        one, two = q["hat_one_copy_share"], q["hat_two_copies_share"]
        u = d.u() * (one + two + q["hat_three_copies_share"])
        copies = 1 if u < one else 2 if u < one + two else 3
    genotyped = d.yes(q["hat_genotyped_share"])
    row["hat_extra_alpha_copies"] = copies if genotyped else None
    mc_tryptase = d.lognormal(q["bst_median"], q["bst_logsd"])
    row["bst_ng_ml"] = _r(min(max(mc_tryptase + q["hat_bst_per_copy"] * copies, 1.0),
                              2000.0), 1)

    if staged:
        if stratum == "MPCM-no-marrow" or d.yes(q["skin_share"]):
            row["skin_lesion_type"] = "MPCM"
            row["mpcm_pattern"] = ("monomorphic" if d.yes(q["monomorphic_share"])
                                   else "polymorphic")
            row["skin_lesion_count"] = max(4, int(round(d.lognormal(
                q["lesion_count_median"], q["lesion_count_logsd"]))))
            row["darier_sign"] = d.yes(q["darier_share"])
        else:
            row["skin_lesion_type"] = "none"

    if sm:
        row["bm_examined"] = True
        row["mc_aggregates_ge15"] = d.yes(q["major_share"])
        row["atypical_mc_pct"] = _r(min(100.0, d.lognormal(q["atypical_median"],
                                                          q["atypical_logsd"])))
        row["cd25"] = d.yes(q["cd25_share"])
        row["cd2"] = d.yes(q["cd2_share"])
        row["bm_mc_infiltration_pct"] = _r(min(95.0, d.lognormal(
            q["infiltration_median"], q["infiltration_logsd"])))
        if stratum == "MCL":
            row["bm_smear_mc_pct"] = _r(d.uniform(q["mcl_smear_low"],
                                                  q["mcl_smear_high"]))
            row["smear_mc_immature"] = d.yes(q["mcl_immature_share"])
        elif staged:
            row["bm_smear_mc_pct"] = _r(min(q["smear_max_other_strata"], d.lognormal(
                q["smear_median"], q["smear_logsd"])))
        row["kit_d816v"] = d.yes(q["kit_d816v_share"])
        if row["kit_d816v"]:
            row["kit_d816v_vaf_pct"] = _r(min(60.0, d.lognormal(
                q["vaf_median"], q["vaf_logsd"])), 2)
        else:
            other = 100.0 * q["kit_other_share"] / (100.0 - q["kit_d816v_share"])
            row["kit_other_activating"] = d.yes(other)

    if stratum == "SM-AHN":
        myeloid = d.yes(q["ahn_myeloid_share"])
        row["associated_neoplasm_lineage"] = "myeloid" if myeloid else "lymphoid"
        row["associated_neoplasm"] = d.choice(MYELOID_AHN if myeloid else LYMPHOID_AHN)

    if staged:
        row["hb_g_dl"] = _r(d.normal(q["hb_mean"], q["hb_sd"], 10.5))
        row["anc_1e9_l"] = _r(d.normal(q["anc_mean"], q["anc_sd"], 1.5), 2)
        row["plt_1e9_l"] = _r(d.normal(q["plt_mean"], q["plt_sd"], 120.0), 0)
    if staged and sm:
        _organs(d, q, stratum, row)
    return row


def _cytopenia(d: _Draw, q: dict, row: dict) -> None:
    lineage = d.choice(("hb", "plt", "anc"))
    if lineage == "hb":
        row["hb_g_dl"] = _r(d.normal(q["cytopenic_hb"], 0.8, 5.0, 9.9))
    elif lineage == "plt":
        row["plt_1e9_l"] = _r(d.normal(q["cytopenic_plt"], 20.0, 5.0, 99.0), 0)
    else:
        row["anc_1e9_l"] = _r(d.normal(q["cytopenic_anc"], 0.2, 0.1, 0.99), 2)


def _organs(d: _Draw, q: dict, stratum: str, row: dict) -> None:
    """Organs, B- and C-findings of a fully staged SM patient."""
    planned: set = set()
    if stratum == "ASM":
        planned.add(d.choice(C_FINDINGS))
        if d.yes(q["asm_second_c_share"]):
            planned.add(d.choice(C_FINDINGS))
    elif stratum == "MCL" and d.yes(q["mcl_c_share"]):
        planned.add(d.choice(C_FINDINGS))
    elif stratum == "SM-AHN" and d.yes(q["ahn_c_share"]):
        planned.add(d.choice(C_FINDINGS))

    if "C1" in planned:
        _cytopenia(d, q, row)
        row["cytopenia_attributed_to_mc"] = True
    elif stratum == "SM-AHN" and d.yes(q["ahn_cytopenia_share"]):
        _cytopenia(d, q, row)
        row["cytopenia_attributed_to_mc"] = False
    liver = "C2" in planned or d.yes(q["hepatomegaly_share"])
    row["hepatomegaly"] = liver
    row["liver_dysfunction"] = "C2" in planned
    spleen = "C3" in planned or d.yes(q["splenomegaly_share"])
    row["splenomegaly"] = spleen
    row["hypersplenism"] = "C3" in planned
    row["lymph_node_max_cm"] = _r(d.lognormal(q["node_median"],
                                              q["node_logsd"]))
    row["osteolysis_cm"] = _r(d.uniform(2.0, 5.0)) if "C4" in planned else 0.0
    row["pathologic_fracture"] = "C4" in planned
    row["malabsorption_weight_loss"] = "C5" in planned
    row["myeloproliferation_or_dysplasia"] = d.yes(q["who_b2_share"])
    row["mild_cytopenia_or_cytosis"] = d.yes(q["icc_b2_share"])
    if stratum == "MCL":
        if d.yes(q["mcl_leukaemic_share"]):
            row["pb_mc_pct"] = _r(d.uniform(10.0, 40.0))
        else:
            row["pb_mc_pct"] = _r(d.uniform(0.0, 9.5))


def _records(n: int, seed: int, mix: str) -> list:
    from ._fields import FIELD_NAMES

    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a whole number of patients >= 1, not {n!r}")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"seed must be a whole number, not {seed!r}")
    p = _parameters()
    shares = p.mix(mix)
    resolved = {stratum: p.resolved(stratum) for stratum, _ in shares}
    d = _Draw(seed)
    width = max(4, len(str(n)))
    out = []
    for i in range(n):
        u, acc, stratum = d.u(), 0.0, shares[-1][0]
        for name, share in shares:
            acc += share
            if u < acc:
                stratum = name
                break
        findings = _patient(d, resolved[stratum], stratum)
        record = {"patient_id": f"{SYNTHETIC}-{i + 1:0{width}d}", "true_label": stratum}
        record.update({name: findings.get(name) for name in FIELD_NAMES})
        out.append(record)
    return out


def _frame(records: list):
    import numpy as np
    import pandas as pd

    from ._fields import FIELD_SPECS

    data = {c: np.array([r[c] for r in records], dtype=object) for c in META_COLUMNS}
    for name, spec in FIELD_SPECS.items():
        values = [r[name] for r in records]
        if spec.kind == "float":
            data[name] = np.array(values, dtype="float64")
        elif spec.kind == "int":
            data[name] = pd.array(values, dtype="Int64")
        elif spec.kind == "bool":
            data[name] = pd.array(values, dtype="boolean")
        else:
            data[name] = np.array(values, dtype=object)
    frame = pd.DataFrame(data)
    frame.attrs["synthetic"] = True
    return frame


def synthetic_cohort(n: int = DEFAULT_N, seed: int = DEFAULT_SEED, mix: str = DEFAULT_MIX):
    """Generate a SYNTHETIC cohort of adults with mastocytosis (not real patients).

    Parameters
    ----------
    n : int
        Number of synthetic patients.
    seed : int
        Seed of the random stream: the same ``(n, seed, mix)`` always gives the same table.
    mix : {"denmark1997", "denmark2022", "mayo_referral"}
        Which published subtype mix to draw the strata from (see :data:`MIXES`).

    Returns
    -------
    pandas.DataFrame
        ``patient_id`` (``SYNTHETIC-0001``...), ``true_label`` (the stratum the patient was
        generated from, see :data:`TRUE_LABELS`) and one column per findings field (missing
        = not assessed), typed like ``ml.Findings``; ``frame.attrs["synthetic"]`` is True.

    References
    ----------
    cohen2014, denmark_register2022, lim2009, greiner2021, garciamontero2006, khoury2022,
    uptodate_tryptase, jawhar2019_ahn; every parameter with its source and kind in
    ``data/cohort_parameters.csv``.

    Examples
    --------
    >>> import mastolib as ml
    >>> df = ml.synthetic_cohort(200, seed=1)
    >>> len(df), df["patient_id"].iloc[0]
    (200, 'SYNTHETIC-0001')
    """
    return _frame(_records(n, seed, mix))


# ------------------------------------------------------------------- file and sidecar


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def cohort_csv_text(n: int = DEFAULT_N, seed: int = DEFAULT_SEED, mix: str = DEFAULT_MIX
                    ) -> str:
    """The exact text of the cohort CSV for ``(n, seed, mix)`` (what the file holds)."""
    from ._fields import FIELD_NAMES

    columns = [*META_COLUMNS, *FIELD_NAMES]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in _records(n, seed, mix):
        writer.writerow([_cell(record[c]) for c in columns])
    return buffer.getvalue()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sidecar(n: int, seed: int, mix: str, csv_text: str) -> dict:
    """The sidecar record written next to the CSV (how to regenerate it, and checksums)."""
    from ._data import data_dir

    params = (data_dir() / "cohort_parameters.csv").read_text(encoding="utf-8")
    return {
        "label": f"{SYNTHETIC} cohort - generated by mastolib._cohort; not real patients",
        "synthetic": True,
        "generator": "mastolib._cohort.synthetic_cohort",
        "generator_version": GENERATOR_VERSION,
        "n": n,
        "seed": seed,
        "mix": mix,
        "regenerate": "python -m mastolib._cohort data/cohort.csv",
        "parameters_sha256": _sha256(params),
        "csv_sha256": _sha256(csv_text),
    }


def write_cohort(path, n: int = DEFAULT_N, seed: int = DEFAULT_SEED,
                 mix: str = DEFAULT_MIX) -> Path:
    """Write the cohort CSV to ``path`` and its sidecar JSON next to it (``.json``)."""
    path = Path(path)
    text = cohort_csv_text(n, seed, mix)
    path.write_text(text, encoding="utf-8", newline="")
    meta = json.dumps(sidecar(n, seed, mix, text), indent=1) + "\n"
    path.with_suffix(".json").write_text(meta, encoding="utf-8")
    return path


def cohort_metadata() -> dict:
    """The shipped cohort's sidecar (``data/cohort.json``): n, seed, mix, checksums."""
    from ._data import load_json

    return load_json("cohort.json")


@functools.cache
def _load_cohort(directory: str):
    import pandas as pd

    from ._data import DataError
    from ._fields import FIELD_SPECS

    path = Path(directory) / "cohort.csv"
    if not path.is_file():
        raise DataError(f"data file missing: {path}; regenerate it with "
                        "`python -m mastolib._cohort data/cohort.csv`")
    dtypes = {"patient_id": "str", "true_label": "str"}
    for name, spec in FIELD_SPECS.items():
        dtypes[name] = {"float": "float64", "int": "Int64", "bool": "boolean"}.get(
            spec.kind, "str")
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    expected = list(dtypes)
    if list(frame.columns) != expected:
        raise DataError(f"{path}: columns do not match the findings fields; regenerate it")
    return frame


def load_cohort():
    """The shipped SYNTHETIC cohort (``data/cohort.csv``) as a DataFrame (a fresh copy).

    Loaded with pandas directly (fast); :func:`mastolib.load_table` ``("cohort")`` gives the
    same rows with the generic schema checks.
    """
    from ._data import data_dir

    frame = _load_cohort(str(data_dir())).copy()
    frame.attrs["synthetic"] = True
    return frame


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

    from ._diagnose import diagnose_frame

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


def _tryptase_layout(fig, row=None, col=None, yref="y", short=False):
    for value, dash, text in TRYPTASE_LINES:
        fig.add_hline(y=value, line={"dash": dash, "color": "#444444", "width": 1.5},
                      row=row, col=col)
        label = text.split(" (")[0] if short else text
        fig.add_annotation(x=1.0, xref=f"{yref.replace('y', 'x')} domain", y=math.log10(value),
                           yref=yref, text=label, showarrow=False, xanchor="right",
                           yanchor="bottom", font={"size": 11, "color": "#222222"},
                           bgcolor="rgba(255,255,255,0.7)")


def cohort_tryptase_figure(cohort=None, labels=None, scheme: str = "who2022"):
    """Basal serum tryptase by subtype (box plot with every patient as a point, log axis).

    The 20 ng/mL (minor criterion), 125 ng/mL (WHO BMM limit) and 200 ng/mL (B1) thresholds
    are drawn as labelled lines with different dashes.

    Parameters
    ----------
    cohort : pandas.DataFrame, optional
        Default: the shipped SYNTHETIC cohort.
    labels : pandas.DataFrame, optional
        :func:`classify_cohort` of ``cohort`` (computed when omitted).
    scheme : {"who2022", "icc2022"}
        Which classification groups the patients.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    from ._theme import OKABE_ITO, apply_theme

    cohort = load_cohort() if cohort is None else cohort
    labels = classify_cohort(cohort) if labels is None else labels
    data = tryptase_trace_data(cohort, labels, scheme)
    order = _order(labels[f"{'who' if scheme == 'who2022' else 'icc'}_label"])
    fig = go.Figure(go.Box(
        x=data["x"], y=data["y"], boxpoints="all", jitter=0.5, pointpos=0,
        marker={"size": 3, "opacity": 0.35, "color": OKABE_ITO["blue"]},
        line={"color": OKABE_ITO["black"], "width": 1.5}, fillcolor="rgba(0,0,0,0)",
        name="tryptase", hoveron="boxes", showlegend=False))
    _tryptase_layout(fig)
    apply_theme(fig, title=f"{SYNTHETIC} cohort: basal serum tryptase by "
                f"{SCHEME_NAMES[scheme]} subtype (n = {_n(len(cohort))})", height=480)
    fig.update_yaxes(type="log", title_text="Basal serum tryptase (ng/mL, log scale)",
                     automargin=True, dtick=1)
    fig.update_xaxes(title_text=f"{SCHEME_NAMES[scheme]} subtype (engine)",
                     categoryorder="array", categoryarray=order, tickangle=-90,
                     automargin=True, title_standoff=12)
    return fig


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


def _sankey_trace_kwargs(data: dict) -> dict:
    from ._theme import OKABE_ITO

    left, right, pairs, values = data["left"], data["right"], data["pairs"], data["values"]
    out_total = {name: 0 for name in left}
    in_total = {name: 0 for name in right}
    for (a, b), v in zip(pairs, values, strict=True):
        out_total[a] += int(v)
        in_total[b] += int(v)
    node_labels = ([f"WHO: {a} ({_n(out_total[a])})" for a in left]
                   + [f"ICC: {b} ({_n(in_total[b])})" for b in right])
    changed = [a != b for a, b in pairs]
    return {
        # pad 24: the smallest nodes (a handful of patients) keep a label's height apart.
        "node": {"label": node_labels, "pad": 24, "thickness": 14,
                 "color": [OKABE_ITO["blue"]] * len(left) + [OKABE_ITO["orange"]] * len(right),
                 "line": {"color": "#333333", "width": 0.5}},
        "link": {"source": [left.index(a) for a, _ in pairs],
                 "target": [len(left) + right.index(b) for _, b in pairs],
                 "value": [int(v) for v in values],
                 "color": ["rgba(213,94,0,0.55)" if c else "rgba(150,150,150,0.35)"
                           for c in changed],
                 "customdata": ["label changes" if c else "same label" for c in changed],
                 "hovertemplate": "%{source.label} → %{target.label}: %{value} patients "
                                  "(%{customdata})<extra></extra>"},
    }


def reclassification_figure(cohort=None, labels=None):
    """Sankey diagram: each patient's WHO 2022 label (left) flowing to their ICC 2022 label
    (right), over the whole cohort (:func:`mastolib.diagnose_frame` under both schemes).

    Flows whose label changes are drawn in orange-red, unchanged flows in grey; node labels
    carry the scheme and the count, so colour is never the only cue.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    from ._theme import apply_theme

    cohort = load_cohort() if cohort is None else cohort
    labels = classify_cohort(cohort) if labels is None else labels
    fig = go.Figure(go.Sankey(arrangement="snap", **_sankey_trace_kwargs(sankey_data(labels))))
    apply_theme(fig, title=f"{SYNTHETIC} cohort: WHO 2022 (left) vs ICC 2022 (right) labels, "
                f"n = {_n(len(labels))}", height=760)
    fig.update_traces(textfont={"size": 12})
    fig.update_layout(margin={"l": 10, "r": 10, "b": 70}, annotations=[{
        "text": "Grey: same label in both; orange-red: the label changes.", "x": 0, "y": -0.07,
        "xref": "paper", "yref": "paper", "showarrow": False, "xanchor": "left",
        "font": {"size": 12}}])
    return fig


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


def _pyramid_traces(data: dict) -> list:
    import plotly.graph_objects as go

    from ._theme import OKABE_ITO

    return [
        go.Bar(y=data["bands"], x=[-int(v) for v in data["women"]], orientation="h",
               name="Women (left)",
               marker={"color": OKABE_ITO["reddish_purple"], "line": {"color": "#333333",
                                                                      "width": 0.5}},
               text=[_n(int(v)) for v in data["women"]], textposition="outside",
               customdata=[int(v) for v in data["women"]],
               hovertemplate="Women %{y}: %{customdata}<extra></extra>"),
        go.Bar(y=data["bands"], x=[int(v) for v in data["men"]], orientation="h",
               name="Men (right, hatched)",
               marker={"color": OKABE_ITO["bluish_green"], "pattern": {"shape": "/"},
                       "line": {"color": "#333333", "width": 0.5}},
               text=[_n(int(v)) for v in data["men"]], textposition="outside",
               customdata=[int(v) for v in data["men"]],
               hovertemplate="Men %{y}: %{customdata}<extra></extra>"),
    ]


def _nice_step(peak: int, ticks: int = 3) -> int:
    """A 1-2-5 step giving at most ``ticks`` ticks between 0 and ``peak``."""
    raw = max(peak, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw)) or 1


def _pyramid_axis(fig, peak: int, row=None, col=None):
    step = _nice_step(peak)
    limit = (int(peak / step) + 1) * step
    ticks = list(range(-limit, limit + 1, step))
    fig.update_xaxes(range=[-limit * 1.3, limit * 1.3], tickvals=ticks,
                     ticktext=[_n(abs(t)) for t in ticks], title_text="Patients (women ◀ | ▶ men)",
                     row=row, col=col)
    fig.update_yaxes(title_text="Age band (years)", automargin=True, title_standoff=6,
                     row=row, col=col)


def age_pyramid_figure(cohort=None):
    """Age pyramid by sex: women to the left, men to the right (hatched), per age band."""
    import plotly.graph_objects as go

    from ._theme import apply_theme

    cohort = load_cohort() if cohort is None else cohort
    data = pyramid_data(cohort)
    fig = go.Figure(_pyramid_traces(data))
    apply_theme(fig, title=f"{SYNTHETIC} cohort: age and sex (n = {_n(len(cohort))})",
                height=440)
    fig.update_layout(barmode="overlay", bargap=0.1)
    _pyramid_axis(fig, int(max(data["women"].max(), data["men"].max())))
    return fig


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


# ------------------------------------------------------------------------------ the app


def explorer_figure(model: CohortModel, view: CohortView):
    """The explorer's three linked views in one figure (tryptase, age pyramid, Sankey)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from ._theme import OKABE_ITO, apply_theme

    fig = make_subplots(
        rows=2, cols=2, specs=[[{"type": "xy"}, {"type": "xy"}],
                               [{"type": "domain", "colspan": 2}, None]],
        row_heights=[0.52, 0.48], column_widths=[0.6, 0.4], vertical_spacing=0.16,
        horizontal_spacing=0.12,
        subplot_titles=("Basal serum tryptase by WHO 2022 subtype (log axis)",
                        "Age and sex", "WHO 2022 (left) → ICC 2022 (right)"))
    fig.add_trace(go.Box(
        x=view.tryptase["x"], y=view.tryptase["y"], boxpoints="all", jitter=0.5, pointpos=0,
        marker={"size": 3, "opacity": 0.35, "color": OKABE_ITO["blue"]},
        line={"color": OKABE_ITO["black"], "width": 1.5}, fillcolor="rgba(0,0,0,0)",
        name="tryptase", hoveron="boxes", showlegend=False), row=1, col=1)
    _tryptase_layout(fig, row=1, col=1, yref="y", short=True)
    fig.update_yaxes(type="log", title_text="Tryptase (ng/mL)", row=1, col=1)
    fig.update_xaxes(categoryorder="array", categoryarray=_order(model._who), row=1, col=1,
                     tickangle=-30)
    for trace in _pyramid_traces(view.pyramid):
        fig.add_trace(trace, row=1, col=2)
    peak = int(max(pyramid_data(model.cohort)["women"].max(),
                   pyramid_data(model.cohort)["men"].max()))
    _pyramid_axis(fig, peak, row=1, col=2)
    fig.add_trace(go.Sankey(arrangement="snap", **_sankey_trace_kwargs(view.sankey)),
                  row=2, col=1)
    apply_theme(fig, title=_explorer_title(view, len(model.cohort)), height=900)
    fig.update_layout(barmode="overlay", bargap=0.1, margin={"l": 60, "r": 20, "t": 90, "b": 40},
                      legend={"orientation": "h", "x": 1.0, "xanchor": "right", "y": 0.47,
                              "yanchor": "top"})
    return fig


def _explorer_title(view: CohortView, total: int) -> str:
    return f"{SYNTHETIC} cohort explorer: {_n(view.n)} of {_n(total)} patients"


class CohortExplorerApp:
    """Filter the SYNTHETIC cohort by subtype, sex and age; three linked views update.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict
        ``"subtype"`` (Dropdown), ``"sex"`` (ToggleButtons), ``"age"`` (IntRangeSlider).
    figure : plotly.graph_objects.FigureWidget
        One FigureWidget: tryptase box/strip (log axis, thresholds), age pyramid, Sankey.
    model : CohortModel
    result : CohortView
        What is shown now (``result.n``, ``result.summary``, ...).
    message : str
        Non-empty when the filter matches nobody (shown in the app).
    """

    def __init__(self, cohort=None):
        import ipywidgets as w

        self.model = CohortModel(cohort)
        low, high = self.model.age_range
        self.controls = {
            "subtype": w.Dropdown(options=self.model.subtype_options, value=(ALL, ALL),
                                  description="Subtype:", style={"description_width": "initial"},
                                  layout=w.Layout(width="420px")),
            "sex": w.ToggleButtons(options=list(SEXES), value=ALL, description="Sex:",
                                   style={"description_width": "initial",
                                          "button_width": "70px"}),
            "age": w.IntRangeSlider(value=(low, high), min=low, max=high, step=1,
                                    description="Age (years):", continuous_update=False,
                                    style={"description_width": "initial"},
                                    layout=w.Layout(width="420px")),
        }
        self.result = self.model.view()
        self.figure = FigureView(explorer_figure(self.model, self.result))
        self._summary = w.HTML()
        self._summary.add_class("mastolib-cohort-summary")
        self._message = w.HTML()
        self._message.add_class("mastolib-cohort-message")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self.widget = w.VBox([
            w.HTML(f"<b>{SYNTHETIC} data</b> - generated patients, not real people."),
            w.HBox([self.controls["subtype"], self.controls["sex"]]), self.controls["age"],
            self._message, self.figure.widget, self._summary])
        self.widget.add_class("mastolib-cohort")
        self.message = ""
        self._show(self.result)

    def _update(self, _change=None):
        try:
            view = self.model.view(self.controls["subtype"].value, self.controls["sex"].value,
                                   self.controls["age"].value)
        except ValueError as exc:
            self.message = str(exc)
            self._message.value = f"<div style='color:#D55E00'>⚠ {html.escape(self.message)}</div>"
            return
        self.result = view
        with self.figure.batch_update():
            box, women, men, sankey = self.figure.data
            box.x, box.y = view.tryptase["x"], view.tryptase["y"]
            counts = {"women": [int(v) for v in view.pyramid["women"]],
                      "men": [int(v) for v in view.pyramid["men"]]}
            women.x, women.customdata = [-v for v in counts["women"]], counts["women"]
            women.text = [_n(v) for v in counts["women"]]
            men.x, men.customdata = counts["men"], counts["men"]
            men.text = [_n(v) for v in counts["men"]]
            kwargs = _sankey_trace_kwargs(view.sankey)
            sankey.link.value = kwargs["link"]["value"]
            sankey.node.label = kwargs["node"]["label"]
            self.figure.layout.title.text = _explorer_title(view, len(self.model.cohort))
        self._show(view)

    def _show(self, view: CohortView):
        self.message = view.message
        self._message.value = (f"<div style='color:#D55E00'>⚠ {html.escape(view.message)}</div>"
                               if view.message else "")
        self._summary.value = f"<p><b>Summary.</b> {html.escape(view.summary)}</p>"

    def _repr_mimebundle_(self, **kwargs):
        from ._static import app_mimebundle

        return app_mimebundle(self.widget, **kwargs)


def cohort_explorer_app(cohort=None) -> CohortExplorerApp:
    """Build the SYNTHETIC cohort explorer (``app.widget`` is the view).

    Examples
    --------
    >>> import mastolib as ml  # doctest: +SKIP
    >>> app = ml.cohort_explorer_app()  # doctest: +SKIP
    >>> app.controls["sex"].value = "Women"  # doctest: +SKIP
    """
    return CohortExplorerApp(cohort)


# ------------------------------------------------------------------------- regeneration


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Write the SYNTHETIC cohort CSV (and its .json sidecar) reproducibly.")
    parser.add_argument("path", help="output CSV, e.g. data/cohort.csv")
    parser.add_argument("--n", type=int, default=DEFAULT_N)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--mix", choices=list(MIXES), default=DEFAULT_MIX)
    args = parser.parse_args(argv)
    path = write_cohort(args.path, args.n, args.seed, args.mix)
    print(f"wrote {path} ({path.stat().st_size:,} bytes) and {path.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
