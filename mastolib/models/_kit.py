"""KIT, clonality and inheritance: cited tables plus two small pure models.

Data (``data/``): ``kit_domains`` (receptor domains N- to C-terminus, with exons; mappings the
fact sheet flags are ``unconfirmed``), ``kit_variants`` (the variants that matter, with the age
group in which the sources report them), ``kit_frequency`` (how often, by population),
``hat_facts`` (hereditary alpha-tryptasemia) and ``tryptase_anchors`` (cited tryptase values).

Models
------
:func:`kit_signalling` - the on/off logic of the KIT switch as the fact sheet states it: stem
cell factor (SCF) binding pairs two receptors (dimerisation) and switches the kinase on
(``kit_structure``); an activating mutation such as D816V in the activation loop switches it on
*without* SCF (ligand-independent, ``khoury2022``); imatinib blocks KIT but D816V confers
resistance (``kit_structure``, ``imatinib_label``).

:func:`clonal_trajectory` - **a teaching model, not data.** A transparent toy linking the
growth of a KIT-mutant clone to the three numbers a clinic measures. With ``t`` in years since
the mutation arose in one progenitor::

    normal mast cell mass      N(t) = 1                       (held at the healthy size)
    mutant clone (logistic)    M(t) = K / (1 + (K / m0 - 1) * exp(-a * t))
    total burden               B(t) = N + M                   (x the healthy mass)
    variant allele fraction    VAF(t) = 50 % * M / (N + M)    (heterozygous: 1 mutant copy of 2)
    basal serum tryptase       BST(t) = BST_healthy * B(t)    (tryptase proportional to burden)

``a`` (growth advantage of the clone, per year), ``K`` (ceiling of the clone, in multiples of
the healthy mast cell mass) and ``m0`` (starting size of the clone) are **illustrative
parameters, not clinical facts**; the proportionality of tryptase to burden and the mast-cell-only
VAF are simplifications chosen for teaching. The only cited number is ``BST_healthy`` = 3.8 ng/mL,
the geometric mean of healthy people (``phadia_faq``, table ``tryptase_anchors``); the reference
lines drawn with the model (tryptase > 20 ng/mL minor criterion, >= 200 ng/mL WHO B1 arm) are
cited there too. Real VAFs are usually measured in marrow or blood leukocytes, where most cells
are not mast cells, so they are lower than this mast-cell VAF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..engine._rules import threshold_rows as get_threshold_rows
from ..tables._data import load_records
from ..tables._registry import check_id

POPULATIONS = {"all": "All variants", "adults": "Reported in adults",
               "children": "Reported in children"}

KIT_VARIANTS = {"normal": "Normal KIT", "d816v": "KIT D816V (activation loop, exon 17)"}


def _by_order(rows):
    return sorted(rows, key=lambda r: r["order"])


def _check_choice(value, valid, what: str):
    check_id(what, value, list(valid))


# --------------------------------------------------------------------------------------------
# Domain map and variants
# --------------------------------------------------------------------------------------------


def kit_domains() -> list[dict]:
    """KIT domains from N- to C-terminus (rows of ``data/kit_domains.csv``)."""
    return _by_order(load_records("kit_domains"))


def kit_variants(population: str = "all") -> list[dict]:
    """KIT variants, optionally only those reported in ``"adults"`` or ``"children"``.

    A variant reported in both groups (``population == "both"``) is kept by either filter.
    Rows are sorted N- to C-terminus (domain order, then codon).

    Examples
    --------
    >>> [v["label"] for v in kit_variants("children")]
    ['Codon 419 deletion', 'A502_Y503dup', 'D816V']
    """
    _check_choice(population, POPULATIONS, "population")
    order = {d["domain_id"]: d["order"] for d in kit_domains()}
    rows = [r for r in load_records("kit_variants")
            if population == "all" or r["population"] in (population, "both")]
    return sorted(rows, key=lambda r: (order[r["domain_id"]], r["codon"], r["label"]))


@dataclass(frozen=True)
class KitMap:
    """Result of the KIT map explorer: the domains and the variants in view."""

    population: str
    domains: tuple
    variants: tuple

    @property
    def unconfirmed_exons(self) -> tuple:
        return tuple(d["label"] for d in self.domains if d["exon_confidence"] != "confirmed")


def kit_map(population: str = "all") -> KitMap:
    """Domains plus the variants reported in ``population`` (pure)."""
    return KitMap(population, tuple(kit_domains()), tuple(kit_variants(population)))


# --------------------------------------------------------------------------------------------
# The KIT switch
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignallingState:
    """State of two KIT receptors on a mast cell (see :func:`kit_signalling`)."""

    variant: str
    scf_bound: bool
    imatinib: bool
    dimerised: bool
    kinase_on: bool
    ligand_independent: bool
    explanation: str

    @property
    def growth_signal(self) -> bool:
        return self.kinase_on


def kit_signalling(variant: str = "normal", scf_present: bool = False,
                   imatinib: bool = False) -> SignallingState:
    """Is the KIT kinase on? (pure; the logic the fact sheet states).

    Parameters
    ----------
    variant : str
        ``"normal"`` or ``"d816v"``.
    scf_present : bool
        Stem cell factor around the cell.
    imatinib : bool
        The KIT inhibitor imatinib present (D816V confers resistance to it).

    Examples
    --------
    >>> kit_signalling("normal").kinase_on, kit_signalling("normal", scf_present=True).kinase_on
    (False, True)
    >>> s = kit_signalling("d816v")
    >>> s.kinase_on, s.ligand_independent
    (True, True)
    """
    _check_choice(variant, KIT_VARIANTS, "variant")
    scf = bool(scf_present)
    drug = bool(imatinib)
    mutant = variant == "d816v"
    switched_on = scf or mutant
    blocked = drug and not mutant
    kinase_on = switched_on and not blocked
    if mutant:
        text = ("D816V sits in the activation loop and locks the kinase on: the cell gets "
                "growth and survival signals whether or not SCF is there (ligand-independent "
                "activation).")
        if drug:
            text += " Imatinib does not stop it: D816V confers resistance to imatinib."
    elif scf and blocked:
        text = ("SCF pairs the two receptors, but imatinib blocks the kinase, so no signal "
                "goes out.")
    elif scf:
        text = ("SCF binds and brings two KIT receptors together (dimerisation); the kinases "
                "switch each other on and the cell gets growth and survival signals.")
    else:
        text = ("Without SCF, normal KIT stays single and its kinase stays off: no growth "
                "signal.")
        if drug:
            text += " (Imatinib has nothing to block.)"
    return SignallingState(variant, scf, drug, dimerised=scf, kinase_on=kinase_on,
                           ligand_independent=kinase_on and not scf, explanation=text)


# --------------------------------------------------------------------------------------------
# Clonal expansion teaching model (see the module docstring: illustrative, not data)
# --------------------------------------------------------------------------------------------


# Reference lines of the clonal model: anchor id -> threshold id in data/thresholds.csv (the
# numbers live there once; tryptase_anchors.csv holds only the model's own input).
_REFERENCE_LINES = {"sm_minor": "minor_tryptase", "b1_who": "b1_tryptase_who"}


def tryptase_anchors(thresholds: dict | None = None) -> dict:
    """Cited tryptase values keyed by ``anchor_id``: the model input of
    ``data/tryptase_anchors.csv`` plus the reference lines read from the threshold rows
    (``thresholds``: a rule set's ``.thresholds``; default ``data/thresholds.csv``)."""
    out = {r["anchor_id"]: r for r in load_records("tryptase_anchors")}
    rows = thresholds if thresholds is not None else get_threshold_rows()
    for anchor_id, tid in _REFERENCE_LINES.items():
        row = rows[tid]
        out[anchor_id] = {"anchor_id": anchor_id, "label": row["label"], "value": row["value"],
                          "unit": row["unit"], "operator": row["operator"],
                          "role": "reference_line", "confidence": row["confidence"],
                          "locator": row["locator"], "source_id": row["source_id"]}
    return out


def healthy_tryptase_ng_ml() -> float:
    """Geometric-mean tryptase of healthy people (``phadia_faq``), the model's start value."""
    return float(tryptase_anchors()["healthy_geomean"]["value"])


@dataclass(frozen=True)
class ClonalParams:
    """Parameters of the clonal-expansion toy model. **Illustrative, not clinical facts.**

    Parameters
    ----------
    advantage_per_year : float
        Growth rate ``a`` of the mutant clone (per year); 0 = no advantage, negative = the
        clone shrinks. Allowed range -2 to 5.
    ceiling_x_normal : float
        Ceiling ``K`` of the clone in multiples of the healthy mast cell mass (1 to 1000).
    start_fraction : float
        Starting size ``m0`` of the clone as a fraction of the healthy mast cell mass
        (0 < m0 < K).
    healthy_bst_ng_ml : float or None
        Tryptase of a healthy person; ``None`` takes the cited 3.8 ng/mL (``phadia_faq``).
    """

    advantage_per_year: float = 0.5
    ceiling_x_normal: float = 20.0
    start_fraction: float = 0.001
    healthy_bst_ng_ml: float | None = None

    def __post_init__(self):
        checks = {
            "advantage_per_year": (-2.0, 5.0),
            "ceiling_x_normal": (1.0, 1000.0),
            "start_fraction": (1e-9, 1000.0),
        }
        for name, (low, high) in checks.items():
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value)
                    and low <= value <= high):
                raise ValueError(f"{name} must be a number from {low:g} to {high:g}, "
                                 f"got {value!r}")
        if self.start_fraction >= self.ceiling_x_normal:
            raise ValueError(
                f"the clone cannot start ({self.start_fraction:g} x normal) at or above its "
                f"ceiling ({self.ceiling_x_normal:g} x normal): lower the starting size or "
                "raise the ceiling")
        bst = self.healthy_bst_ng_ml
        if bst is not None and not (isinstance(bst, (int, float)) and math.isfinite(bst)
                                    and bst > 0):
            raise ValueError(f"healthy_bst_ng_ml must be a number > 0, got {bst!r}")

    @property
    def bst_healthy(self) -> float:
        return (healthy_tryptase_ng_ml() if self.healthy_bst_ng_ml is None
                else float(self.healthy_bst_ng_ml))


@dataclass(frozen=True)
class ClonalPoint:
    """The toy model at one time point (see the module docstring for the equations)."""

    year: float
    normal_x: float
    mutant_x: float
    burden_x: float
    mutant_fraction: float
    vaf_pct: float
    bst_ng_ml: float


def _mutant(params: ClonalParams, year: float) -> float:
    a, k, m0 = params.advantage_per_year, params.ceiling_x_normal, params.start_fraction
    exponent = -a * year
    if exponent > 700:  # shrinking clone after a long time: numerically zero
        return 0.0
    return k / (1.0 + (k / m0 - 1.0) * math.exp(exponent))


def clonal_state(params: ClonalParams, year: float, bst_healthy: float | None = None
                 ) -> ClonalPoint:
    """The model at ``year`` years after the mutation (pure).

    Examples
    --------
    >>> p = ClonalParams(advantage_per_year=0.5, ceiling_x_normal=20, start_fraction=0.001,
    ...                  healthy_bst_ng_ml=3.8)
    >>> s = clonal_state(p, 0)
    >>> round(s.burden_x, 3), round(s.bst_ng_ml, 2)
    (1.001, 3.8)
    """
    if not (isinstance(year, (int, float)) and math.isfinite(year) and year >= 0):
        raise ValueError(f"year must be a number >= 0, got {year!r}")
    bst0 = params.bst_healthy if bst_healthy is None else bst_healthy
    normal = 1.0
    mutant = _mutant(params, float(year))
    burden = normal + mutant
    fraction = mutant / burden
    return ClonalPoint(float(year), normal, mutant, burden, fraction, 50.0 * fraction,
                       bst0 * burden)


@dataclass(frozen=True)
class ClonalTrajectory:
    """The toy model over time plus the point the learner picked (``.at``)."""

    params: ClonalParams
    points: tuple
    at: ClonalPoint

    def column(self, name: str) -> list[float]:
        return [getattr(p, name) for p in self.points]

    @property
    def years(self) -> list[float]:
        return self.column("year")

    def first_year_above(self, bst_ng_ml: float) -> float | None:
        """First model year (on the grid) with tryptase above ``bst_ng_ml``, or ``None``."""
        for p in self.points:
            if p.bst_ng_ml > bst_ng_ml:
                return p.year
        return None


def clonal_trajectory(params: ClonalParams, year: float = 20.0, years_max: float = 40.0,
                      steps: int = 160) -> ClonalTrajectory:
    """Run the toy model from year 0 to ``years_max`` and read it at ``year`` (pure).

    Raises
    ------
    ValueError
        if ``year`` is outside 0..``years_max`` or ``steps`` < 2.
    """
    if not (isinstance(years_max, (int, float)) and math.isfinite(years_max) and years_max > 0):
        raise ValueError(f"years_max must be a number > 0, got {years_max!r}")
    if not (isinstance(year, (int, float)) and 0 <= year <= years_max):
        raise ValueError(f"year must be between 0 and {years_max:g}, got {year!r}")
    if not (isinstance(steps, int) and steps >= 2):
        raise ValueError(f"steps must be a whole number >= 2, got {steps!r}")
    bst0 = params.bst_healthy
    points = tuple(clonal_state(params, years_max * i / steps, bst0) for i in range(steps + 1))
    return ClonalTrajectory(params, points, clonal_state(params, year, bst0))


# --------------------------------------------------------------------------------------------
# Frequencies and HaT
# --------------------------------------------------------------------------------------------


def kit_frequency(group: str = "all") -> list[dict]:
    """How often KIT mutations are found, by population (``"adults"``, ``"children"``)."""
    _check_choice(group, ("all", "adults", "children"), "group")
    rows = _by_order(load_records("kit_frequency"))
    return [r for r in rows if group == "all" or r["group"] == group]


def hat_facts() -> dict:
    """Hereditary alpha-tryptasemia facts keyed by ``fact_id`` (``data/hat_facts.csv``)."""
    return {r["fact_id"]: r for r in _by_order(load_records("hat_facts"))}
