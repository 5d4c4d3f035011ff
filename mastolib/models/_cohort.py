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
they are written, so ``python scripts/make_cohort.py data/cohort.csv`` rewrites the shipped file
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

import csv
import functools
import hashlib
import io
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

from ..tables._data import DataError, data_dir, load_json, load_records, load_table
from ..tables._fields import FIELD_NAMES, FIELD_SPECS
from ..tables._registry import check_id

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
        check_id("mix", mix, list(MIXES))
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
        # specimen sites (issue 17): the simulated work-up finds aggregates in the marrow and
        # tests KIT in marrow, or in blood when no marrow was studied (no random draw)
        if record["mc_aggregates_ge15"] is True and record["bm_examined"] is True:
            record["aggregates_site"] = "marrow"
        if record["kit_d816v"] is True or record["kit_other_activating"] is True:
            record["kit_site"] = "marrow" if record["bm_examined"] is True else "blood"
        out.append(record)
    return out


def _frame(records: list):
    import numpy as np
    import pandas as pd


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

    params = (data_dir() / "cohort_parameters.csv").read_text(encoding="utf-8")
    return {
        "label": f"{SYNTHETIC} cohort - generated by mastolib.synthetic_cohort; not real patients",
        "synthetic": True,
        "generator": "mastolib.synthetic_cohort",
        "generator_version": GENERATOR_VERSION,
        "n": n,
        "seed": seed,
        "mix": mix,
        "regenerate": "python scripts/make_cohort.py data/cohort.csv",
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

    return load_json("cohort.json")


@functools.cache
def _load_cohort(directory: str):
    import pandas as pd


    path = Path(directory) / "cohort.csv"
    if not path.is_file():
        raise DataError(f"data file missing: {path}; regenerate it with "
                        "`python scripts/make_cohort.py data/cohort.csv`")
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

    frame = _load_cohort(str(data_dir())).copy()
    frame.attrs["synthetic"] = True
    return frame
