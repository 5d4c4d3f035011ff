"""WHO 2022 and ICC 2022 rule sets, built from ``data/thresholds.csv`` and registered by id.

Every number a rule compares against is read from ``data/thresholds.csv`` (one source of
truth: operator, value, unit, source, locator, confidence, alternative reading). This module
turns those rows into :class:`~mastolib.engine._criteria.Criterion` objects and groups them into a
:class:`Ruleset` per classification:

* ``"who2022"`` — WHO 5th edition (Khoury 2022, ``khoury2022``).
* ``"icc2022"`` — International Consensus Classification (Arber 2022 / Leguit 2023,
  ``arber2022``, ``leguit2023``).

Rule sets are values: ``get_ruleset("who2022").with_params(hat_adjust_bmm=True)`` returns a
new rule set and never edits the registered one. Readings the fact sheet marks as unconfirmed
are parameters (:data:`PARAMETERS`), and any threshold can be changed for a what-if exercise
with :meth:`Ruleset.with_thresholds`.

Abbreviations: SM = systemic mastocytosis, ISM/SSM/ASM = indolent/smoldering/aggressive SM,
BMM = bone marrow mastocytosis, MCL = mast cell leukaemia, MCS = mast cell sarcoma,
SM-AHN/SM-AMN = SM with an associated haematological/myeloid neoplasm, CM = cutaneous
mastocytosis, MIS = mastocytosis in the skin, MMAS = monoclonal mast cell activation syndrome,
HαT = hereditary alpha-tryptasemia, TK = tyrosine kinase.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..tables._data import data_dir, load_records
from ..tables._fields import InputError
from ._criteria import Criterion, Parameter
from ._rule_defs import (
    _category_rules,
    _criteria,
    _qualifier_rules,
    _subtype_rules,
    _Thresholds,
)

SCHEME_LABELS = {"who2022": "WHO 2022 (5th edition)", "icc2022": "ICC 2022"}
SCHEME_SOURCES = {"who2022": "khoury2022", "icc2022": "arber2022;leguit2023"}

PARAMETERS: dict[str, Parameter] = {
    p.id: p for p in (
        Parameter(
            "hat_adjust", None, (True, False),
            "Divide basal serum tryptase by (1 + extra alpha-tryptase copies) before the "
            "tryptase minor criterion (> 20 ng/mL) and the B1 tryptase arm, when the HαT "
            "genotype is known.",
            "unconfirmed",
            "WHO: True (WHO asks for adjustment; formula from the genotyping review). ICC: "
            "False - no ICC adjustment found (unconfirmed); True applies the WHO approach.",
            "khoury2022;genotyping_review2022;arup_tpsab1"),
        Parameter(
            "hat_adjust_bmm", False, (True, False),
            "Also use the HαT-adjusted tryptase for the BMM limit (< 125 ng/mL) and, when "
            "icc_bmm_variant_strict is on, for the ICC BMM-variant limit.",
            "unconfirmed",
            "True: adjust the 125 ng/mL cut-off too (fact sheet 4.2 H5 and 11).",
            "khoury2022;genotyping_review2022"),
        Parameter(
            "tk_fusion_excludes", None, (True, False),
            "A documented tyrosine-kinase gene fusion takes precedence: the category is "
            "'myeloid/lymphoid neoplasm with eosinophilia and TK fusion' (MLN-TK), not SM.",
            "unconfirmed",
            "ICC: True (the fusion excludes SM, icc_summary2022). WHO: True as well - WHO 2022 "
            "places these neoplasms in their own family, but a WHO sentence that the fusion "
            "excludes SM was not located (fact sheet 3.6, 12.8: unconfirmed); False ignores the "
            "fusion.",
            "icc_summary2022;khoury2022"),
        Parameter(
            "tk_fusion_untested", None, ("absent", "undecided"),
            "A fusion that was not tested, in a case with no KIT mutation found: 'undecided' "
            "leaves the SM criteria undecided (the fusion test decides); 'absent' reads the "
            "missing test as no fusion.",
            "confirmed",
            "ICC: 'undecided' - ICC asks for the fusion test when no KIT mutation is found "
            "(icc_summary2022). WHO: 'absent' (no such WHO requirement located, unconfirmed).",
            "icc_summary2022"),
        Parameter(
            "mcl_requires_immature", None, (True, False),
            "MCL needs the >= 20 % smear mast cells to be immature/atypical "
            "(smear_mc_immature=True).",
            "confirmed",
            "ICC: True; WHO: False (WHO MCL counts mature and immature mast cells). Read in "
            "a Mayo comparison abstract (mayo2025_icc_who).",
            "mayo2025_icc_who;valent2024_harmonization"),
        Parameter(
            "c1_unknown_attribution", "not_assessed", ("count", "not_assessed"),
            "How C1 treats a qualifying cytopenia when cytopenia_attributed_to_mc is None: "
            "'count' counts it (with a note in the explanation); 'not_assessed' leaves C1 "
            "unassessed. cytopenia_attributed_to_mc=False never counts.",
            "unconfirmed",
            "'count': count a qualifying cytopenia whose cause was not recorded (the C-finding "
            "is defined as marrow dysfunction caused by mast cell infiltration, so the default "
            "asks for that attribution).",
            "bloodres2023;who2016"),
        Parameter(
            "icc_bmm_variant_strict", False, (True, False),
            "ICC only: also require 0 B-findings and tryptase < 125 ng/mL for the 'BMM "
            "variant' qualifier of ISM (no such limits were found for ICC).",
            "unconfirmed",
            "True: apply the WHO BMM limits to the ICC variant.",
            "li2023;zanotti2022_bmm"),
    )
}

SCHEME_DEFAULTS = {
    "who2022": {"hat_adjust": True, "tk_fusion_excludes": True,
                "tk_fusion_untested": "absent", "mcl_requires_immature": False},
    "icc2022": {"hat_adjust": False, "tk_fusion_excludes": True,
                "tk_fusion_untested": "undecided", "mcl_requires_immature": True},
}


class UnknownRulesetError(KeyError, ValueError):
    """Unknown rule-set id (a ``ValueError`` and a ``KeyError``; the message lists valid ids)."""

    def __str__(self):
        return str(self.args[0])


# ----------------------------------------------------------------------------- thresholds


def threshold_rows() -> dict[str, dict]:
    """``data/thresholds.csv`` as ``{threshold_id: row}`` (validated, a fresh copy)."""

    return {row["threshold_id"]: row for row in load_records("thresholds")}


# ------------------------------------------------------------------------------- rule set


@dataclass(frozen=True, eq=False)
class Ruleset:
    """A classification's criteria and assignment rules, built from the shared data.

    Attributes
    ----------
    id, label, source_id : str
        ``"who2022"`` / ``"icc2022"``, a label for people and the classification's citation.
    params : Mapping
        Parameter values in force (see :data:`PARAMETERS`).
    criteria : tuple of Criterion
        Major, minor, exclusion, B- and C-criteria, in evaluation order.
    sm_rule : Criterion
        How the major/minor criteria combine into "SM criteria met".
    category_rules, subtype_rules, qualifier_rules : tuple of Criterion
        Ordered assignment rules: the first category rule that is met assigns the category;
        within it the first subtype rule that is met assigns the subtype; every qualifier
        rule that is met and applies adds its text.
    """

    id: str
    label: str
    source_id: str
    params: Mapping
    criteria: tuple
    sm_rule: Criterion
    category_rules: tuple
    subtype_rules: tuple
    qualifier_rules: tuple
    thresholds: Mapping = field(repr=False)
    used_thresholds: frozenset = field(repr=False, default=frozenset())

    def by_role(self, *roles) -> tuple:
        """Criteria (and rules) with the given roles, in order."""
        return tuple(c for c in self.all_rules() if c.role in roles)

    def criterion(self, cid: str) -> Criterion:
        """Look up a criterion or rule by id (unknown ids raise ValueError listing them)."""
        for c in self.all_rules():
            if c.id == cid:
                return c
        raise ValueError(
            f"{self.id}: no criterion {cid!r}; ids: {[c.id for c in self.all_rules()]}")

    def all_rules(self) -> tuple:
        return self.criteria + (self.sm_rule,) + self.category_rules + self.subtype_rules \
            + self.qualifier_rules

    def with_params(self, **params) -> Ruleset:
        """A new rule set with some parameters changed (unknown names raise ValueError)."""
        merged = dict(self.params)
        merged.update(check_params(params))
        return _cached_build(self.id, self.thresholds, merged)

    def with_thresholds(self, **changes) -> Ruleset:
        """A new rule set with some thresholds changed, for what-if exercises.

        Each value is a number (new cut-off) or an ``(operator, number)`` pair, e.g.
        ``with_thresholds(b1_infiltration_who=(">", 30))`` reads WHO B1 the 2016 way.
        """
        rows = {k: dict(v) for k, v in self.thresholds.items()}
        for tid, change in changes.items():
            if tid not in rows:
                raise ValueError(f"unknown threshold {tid!r}; valid ids: {sorted(rows)}")
            op, value = change if isinstance(change, tuple) and len(change) == 2 else (
                rows[tid]["operator"], change)
            row = rows[tid]
            unit = f" {row['unit']}" if row["unit"] else ""
            allowed = (f"a finite number >= 0{unit}, or an (operator, number) pair with "
                       f"operator >, >=, < or <=")
            label = f"{row['label']} ({row['unit']})" if row['unit'] else row['label']
            if not isinstance(op, str) or op not in (">", ">=", "<", "<=") or isinstance(
                    value, bool) or not isinstance(value, numbers.Real):
                raise InputError(tid, label, change, allowed)
            try:
                number = float(value)
            except (OverflowError, ValueError, TypeError):
                raise InputError(tid, label, change, allowed, "too large") from None
            if not math.isfinite(number) or number < 0:
                raise InputError(tid, label, change, allowed, "not a finite number >= 0")
            rows[tid].update(operator=op, value=number)
        return _cached_build(self.id, rows, dict(self.params))

    def parameters(self) -> tuple[Parameter, ...]:
        """The documented parameters (defaults for this scheme)."""
        return tuple(_scheme_parameter(p, self.id) for p in PARAMETERS.values())

    def to_frame(self):
        """All criteria and rules as a DataFrame (id, role, rule text, sources)."""
        import pandas as pd

        return pd.DataFrame([c.as_dict() for c in self.all_rules()])

    def __repr__(self):
        changed = {k: v for k, v in self.params.items()
                   if v != _default_params(self.id)[k]}
        extra = f", params={changed}" if changed else ""
        return f"Ruleset({self.id!r}, {len(self.criteria)} criteria{extra})"


def _default_params(scheme: str) -> dict:
    out = {pid: p.default for pid, p in PARAMETERS.items()}
    out.update(SCHEME_DEFAULTS[scheme])
    return out


def _scheme_parameter(p: Parameter, scheme: str) -> Parameter:
    return Parameter(p.id, _default_params(scheme)[p.id], p.allowed, p.description,
                     p.confidence, p.alternative, p.source_id)


def check_params(params) -> dict:
    """Validate parameter overrides; unknown names raise ValueError listing the valid ones."""
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise ValueError(f"params must be a dict, not {type(params).__name__}")
    unknown = [k for k in params if k not in PARAMETERS]
    if unknown:
        raise ValueError(f"unknown parameter(s) {unknown}; valid parameters: {list(PARAMETERS)}")
    return {k: PARAMETERS[k].check(v) for k, v in params.items()}


_BUILD_CACHE: dict = {}


def _cached_build(scheme: str, rows: Mapping, params: Mapping) -> Ruleset:
    """Rule sets are values: identical inputs give the same (immutable) rule set, built once."""
    key = (scheme, tuple(sorted((tid, tuple(sorted(row.items(), key=lambda kv: kv[0])))
                                for tid, row in rows.items())),
           tuple(sorted(params.items())))
    if key not in _BUILD_CACHE:
        if len(_BUILD_CACHE) > 128:
            _BUILD_CACHE.clear()
        _BUILD_CACHE[key] = build_ruleset(scheme, rows, params)
    return _BUILD_CACHE[key]


def build_ruleset(scheme: str, rows: Mapping | None = None, params: Mapping | None = None
                  ) -> Ruleset:
    """Build the rule set ``scheme`` from threshold rows and parameter values."""
    if scheme not in SCHEME_LABELS:
        raise UnknownRulesetError(
            f"unknown scheme {scheme!r}; valid ids: {list(SCHEME_LABELS)}")
    rows = threshold_rows() if rows is None else rows
    p = _default_params(scheme)
    p.update(check_params(params))
    t = _Thresholds(rows, scheme)
    who = scheme == "who2022"
    criteria, sm_rule = _criteria(t, who, p)
    categories = _category_rules(t, who, bool(p["tk_fusion_excludes"]))
    subtypes = _subtype_rules(t, who, p)
    qualifiers = _qualifier_rules(t, who, p)
    return Ruleset(scheme, SCHEME_LABELS[scheme], SCHEME_SOURCES[scheme],
                   MappingProxyType(dict(p)), criteria, sm_rule, categories, subtypes,
                   qualifiers, MappingProxyType({k: dict(v) for k, v in rows.items()}),
                   frozenset(t.used))


# ------------------------------------------------------------------------------- registry


class _Registry(Mapping):
    """Read-only mapping ``id -> Ruleset`` with default parameters (built on first use)."""

    def __init__(self):
        self._cache: dict = {}

    def __getitem__(self, key):
        if key not in SCHEME_LABELS:
            raise UnknownRulesetError(
                f"unknown scheme {key!r}; valid ids: {list(SCHEME_LABELS)}")

        cache_key = (key, str(data_dir()))
        if cache_key not in self._cache:
            self._cache[cache_key] = build_ruleset(key)
        return self._cache[cache_key]

    def __iter__(self):
        return iter(SCHEME_LABELS)

    def __len__(self):
        return len(SCHEME_LABELS)

    def __repr__(self):
        return f"RULESETS({list(SCHEME_LABELS)})"


RULESETS = _Registry()


def get_ruleset(scheme="who2022", params=None) -> Ruleset:
    """Return a registered rule set, optionally with parameters changed.

    Parameters
    ----------
    scheme : str or Ruleset
        ``"who2022"`` or ``"icc2022"`` (or a rule set, returned as is).
    params : dict, optional
        Parameter overrides, see :data:`PARAMETERS` / ``Ruleset.parameters()``.

    Raises
    ------
    ValueError
        for an unknown scheme (listing the valid ids) or parameter.

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.get_ruleset("icc2022").params["tk_fusion_excludes"]
    True
    """
    ruleset = scheme if isinstance(scheme, Ruleset) else RULESETS[scheme]
    return ruleset.with_params(**params) if params else ruleset
