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
from ._logic import (
    All,
    Any,
    AtLeast,
    Compare,
    Const,
    Flag,
    IsIn,
    Not,
    Present,
    Ref,
    Tryptase,
    fmt_number,
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

# Specimen site (issue 17, rule 5): findings from lesional skin do not count towards the SM
# criteria, which ask for marrow, blood or another extracutaneous organ (fact sheet 3.1-3.2).
_NOT_SKIN_AGGREGATES = Not(IsIn("aggregates_site", ("skin",), missing=False))
_NOT_SKIN_KIT = Not(IsIn("kit_site", ("skin",), missing=False))


class UnknownRulesetError(KeyError, ValueError):
    """Unknown rule-set id (a ``ValueError`` and a ``KeyError``; the message lists valid ids)."""

    def __str__(self):
        return str(self.args[0])


# ----------------------------------------------------------------------------- thresholds


def threshold_rows() -> dict[str, dict]:
    """``data/thresholds.csv`` as ``{threshold_id: row}`` (validated, a fresh copy)."""

    return {row["threshold_id"]: row for row in load_records("thresholds")}


class _Thresholds:
    """Turns threshold rows into expressions for one scheme (checks the scheme matches)."""

    def __init__(self, rows: Mapping, scheme: str):
        self.rows = rows
        self.scheme = scheme
        self.used: set = set()

    def row(self, tid: str, borrow: bool = False) -> dict:
        try:
            row = self.rows[tid]
        except KeyError:
            raise ValueError(f"threshold {tid!r} is missing from data/thresholds.csv") from None
        if not borrow and row["scheme"] not in (self.scheme, "both"):
            raise ValueError(f"threshold {tid!r} belongs to {row['scheme']}, not {self.scheme}")
        self.used.add(tid)
        return row

    def cmp(self, tid: str, missing=None) -> Compare:
        row = self.row(tid)
        return Compare(row["field"], row["operator"], row["value"], row["unit"] or "", tid,
                       missing)

    def count(self, tid: str, children: tuple, label: str) -> AtLeast:
        row = self.row(tid)
        return AtLeast(int(row["value"]), children, label, tid)

    def flag(self, tid: str) -> Flag:
        row = self.row(tid)
        return Flag(row["field"], threshold_id=tid)

    def tryptase(self, tid: str, adjust: bool, borrow: bool = False) -> Tryptase:
        """``borrow`` lets one scheme use another's cut-off (an opt-in parameter)."""
        row = self.row(tid, borrow)
        if row["field"] != "bst_ng_ml":
            raise ValueError(f"threshold {tid!r} is not a tryptase threshold")
        return Tryptase(row["operator"], row["value"], adjust, tid)

    def source(self, tid: str) -> str:
        return self.row(tid)["source_id"]


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


# --------------------------------------------------------------------- criteria per scheme

_SRC_MAJOR = {True: ("khoury2022", "WHO 2022 SM criteria, major (fact sheet 3.1)"),
              False: ("leguit2023;icc_summary2022", "ICC 2022 SM criteria, major (fact sheet 3.2)")}
_SRC_MINOR = {True: ("khoury2022", "WHO 2022 SM criteria, minor {n} (fact sheet 3.1)"),
              False: ("leguit2023", "ICC 2022 SM criteria, minor {n} (fact sheet 3.2)")}


def _criteria(t: _Thresholds, who: bool, p: dict):
    scheme = "WHO" if who else "ICC"
    msrc, mloc = _SRC_MAJOR[who]
    major = Criterion(
        "major", "Multifocal dense mast cell aggregates in marrow or another extracutaneous "
        "organ" + ("" if who else " (tryptase/CD117-confirmed)"), "major",
        All(t.flag("major_aggregate_mc"), _NOT_SKIN_AGGREGATES), msrc, mloc,
        ("" if who else "ICC requires the aggregates to be confirmed by tryptase and/or "
         "CD117 immunohistochemistry. ") + "Aggregates in a skin biopsy do not count.")
    src, loc = _SRC_MINOR[who]
    minors = (
        Criterion("minor_atypical", "Atypical or spindle-shaped mast cells" if who else
                  "Atypical immature or spindle-shaped mast cells in biopsy sections", "minor",
                  t.cmp("minor_atypical_mc"), src, loc.format(n=1),
                  "" if who else "ICC wording: atypical immature morphology or spindling in "
                  "biopsy sections (WHO: type I/II cells on smears or spindle cells in "
                  "sections); whether ICC excludes smears is unconfirmed (fact sheet 3.2, "
                  "12.7), so the same input is used."),
        Criterion("minor_kit", "KIT D816V or another activating KIT mutation", "minor",
                  All(Any(Flag("kit_d816v"), Flag("kit_other_activating")), _NOT_SKIN_KIT),
                  src, loc.format(n=2), "A KIT variant found only in lesional skin does not "
                  "count (WHO/ICC: marrow, blood or another extracutaneous organ)."),
        Criterion("minor_immunophenotype", "Mast cells express CD2 and/or CD25 and/or CD30",
                  "minor", Any(Flag("cd2"), Flag("cd25"), Flag("cd30")), src,
                  loc.format(n=3)),
        Criterion("minor_tryptase",
                  "Raised basal serum tryptase" + (" (HαT-adjusted)" if p["hat_adjust"]
                                                   else ""),
                  "minor",
                  All(t.tryptase("minor_tryptase", p["hat_adjust"]),
                      Not(IsIn("associated_neoplasm_lineage", ("myeloid",), missing=False))),
                  src, loc.format(n=4),
                  "Not counted when an associated myeloid neoplasm is present (fact sheet "
                  "3.1-3.2).", value_key="bst_ng_ml"),
    )
    exclusions = ()
    refs = tuple(Ref(c.id) for c in minors)
    alone = t.count("sm_minor_alone", refs, "minor")
    if who:
        with_major = t.count("sm_minor_with_major", refs, "minor")
        sm_parts = (Any(All(Ref("major", "major criterion"), with_major), alone),)
        sm_label = f"Major + ≥ {with_major.k} minor, or ≥ {alone.k} minor"
    else:
        sm_parts = (Any(Ref("major", "major criterion"), alone),)
        sm_label = f"Major alone, or ≥ {alone.k} minor"
    if p["tk_fusion_excludes"]:
        undecided = p["tk_fusion_untested"] == "undecided"
        exclusions = (Criterion(
            "tk_fusion_exclusion", "Tyrosine-kinase gene fusion (M/LN-eo-TK) excludes SM",
            "exclusion", Flag("tk_fusion"), "icc_summary2022" if not who else
            "icc_summary2022;khoury2022",
            "ICC 2022 exclusion (fact sheet 3.2)" if not who else
            "TK-fusion neoplasm takes precedence (fact sheet 3.6; WHO statement unconfirmed, "
            "12.8)",
            ("A fusion that was not tested leaves SM undecided when no KIT mutation is found "
             "(ICC asks for the test, especially with eosinophilia)." if undecided else
             "A fusion that was not tested is treated as absent (parameter "
             "tk_fusion_untested='absent').")),)
        if undecided:
            sm_parts += (Any(Not(Flag("tk_fusion")),
                             All(Ref("minor_kit", "KIT mutation found"),
                                 Not(Flag("tk_fusion", missing=False)))),)
        else:
            sm_parts += (Not(Flag("tk_fusion", missing=False)),)
    sm_rule = Criterion(
        "sm_criteria",
        sm_label + (" (no TK fusion)" if p["tk_fusion_excludes"] else ""),
        "rule", sm_parts[0] if len(sm_parts) == 1 else All(*sm_parts),
        "khoury2022" if who else "leguit2023;valent2024_harmonization",
        f"{scheme} 2022 SM criteria rule (fact sheet 3.1, 3.2, 3.6)")

    b_src = "bloodres2023" + (";khoury2022" if who else ";leguit2023")
    b_loc = "Blood Res 2023 Table 5: B-findings (fact sheet 3.3)"
    adj = p["hat_adjust"]
    if who:
        b1 = Criterion("B1", "High mast cell burden: marrow infiltration, tryptase or KIT "
                       "D816V allele fraction (any one)", "B",
                       Any(t.cmp("b1_infiltration_who"), t.tryptase("b1_tryptase_who", adj),
                           # A KIT D816V test that was negative means no allele fraction to
                           # count: the VAF arm is then not met rather than not assessed.
                           All(Not(Flag("kit_d816v", False, missing=False)), _NOT_SKIN_KIT,
                               t.cmp("b1_vaf_who"))), b_src, b_loc,
                       "WHO 2016 required infiltration and tryptase together (who2016).")
        b2 = Criterion("B2", "Myeloproliferation and/or dysplasia in non-mast-cell lineages "
                       "(AHN criteria not met)", "B", Flag("myeloproliferation_or_dysplasia"),
                       b_src, b_loc)
    else:
        b1 = Criterion("B1", "High mast cell burden: marrow aggregates and tryptase (both)",
                       "B",
                       All(t.cmp("b1_infiltration_icc"), t.tryptase("b1_tryptase_icc", adj)),
                       b_src, b_loc)
        b2 = Criterion("B2", "Cytopenia not reaching C-finding levels, or a '-cytosis' "
                       "(reactive causes excluded)", "B", Flag("mild_cytopenia_or_cytosis"),
                       b_src, b_loc)
    node = t.cmp("b3_lymph_node_who" if who else "b3_lymph_node_icc")
    b3 = Criterion(
        "B3", "Organomegaly without organ dysfunction (liver, spleen or lymph nodes > 2 cm)"
        if who else "Hepatomegaly without liver dysfunction, palpable splenomegaly without "
        "hypersplenism, or lymph nodes > 1 cm on palpation or imaging", "B",
        Any(All(Flag("hepatomegaly"), Flag("liver_dysfunction", False)),
            All(Flag("splenomegaly"), Flag("hypersplenism", False)), node), b_src, b_loc)

    c_src, c_loc = "bloodres2023;who2016", "Blood Res 2023 Table 5: C-findings (fact sheet 3.4)"
    attribution = Flag("cytopenia_attributed_to_mc",
                       missing=True if p["c1_unknown_attribution"] == "count" else None)
    cs = (
        Criterion("C1", "Cytopenia (neutrophils, haemoglobin or platelets) from marrow "
                  "infiltration", "C",
                  All(Any(t.cmp("c1_anc"), t.cmp("c1_hb"), t.cmp("c1_plt")), attribution),
                  c_src, c_loc),
        Criterion("C2", "Hepatomegaly with impaired liver function", "C",
                  All(Flag("hepatomegaly"), Flag("liver_dysfunction")), c_src, c_loc),
        Criterion("C3", "Splenomegaly with hypersplenism", "C",
                  All(Flag("splenomegaly"), Flag("hypersplenism")), "bloodres2023", c_loc),
        Criterion("C4", "Large osteolysis with pathological fracture", "C",
                  All(t.cmp("c4_osteolysis"), Flag("pathologic_fracture")), "bloodres2023",
                  c_loc),
        Criterion("C5", "Malabsorption with weight loss from gut mast cell infiltration", "C",
                  Flag("malabsorption_weight_loss"), "bloodres2023", c_loc),
    )
    return (major,) + minors + exclusions + (b1, b2, b3) + cs, sm_rule


_SKIN = IsIn("skin_lesion_type", ("MPCM", "DCM", "mastocytoma"))
_MARROW_STUDIED = Flag("bm_examined", missing=False)
_B_IDS, _C_IDS = ("B1", "B2", "B3"), ("C1", "C2", "C3", "C4", "C5")
# Demonstrated marrow involvement (issue 17, rule 1): a studied marrow, and the aggregates
# found there - or, when they came from another organ, a marrow infiltrate above 0 %.
_MARROW_INVOLVED = All(Flag("bm_examined"),
                       Any(Not(IsIn("aggregates_site", ("other_organ", "skin"), missing=False)),
                           Compare("bm_mc_infiltration_pct", ">", 0)))


def _category_rules(t: _Thresholds, who: bool, tk_precedence: bool = True):
    child = t.cmp("child_age", missing=False)
    # Working rule "CM unless red flags" (fact sheet 11): an enlarged liver or spleen in a child
    # without a marrow study leaves SM open (MIS: the marrow study decides).
    no_red_flags = Not(Any(Flag("hepatomegaly", missing=False),
                           Flag("splenomegaly", missing=False)))
    skin_src = t.source("child_age")
    return (
        Criterion("category_mcs", "Localised destructive tumour of atypical mast cells",
                  "category", Flag("destructive_mc_tumor"), "monnier2016;li2023",
                  "Mast cell sarcoma (fact sheet 3.5)", outcome="MCS"),
        Criterion("category_mln_tk", "Documented tyrosine-kinase gene fusion (M/LN-eo-TK)",
                  "category", All(Const(tk_precedence), Flag("tk_fusion", missing=False)),
                  "icc_summary2022" + ("" if not who else ";khoury2022"),
                  "TK fusion takes precedence over SM (fact sheet 3.2, 3.6)",
                  "WHO: the precedence is a flagged parameter (tk_fusion_excludes; WHO exclusion "
                  "statement not located, fact sheet 12.8)." if who else
                  "ICC: such a fusion excludes SM.", outcome="MLN-TK"),
        Criterion("category_sm", "SM criteria met", "category", Ref("sm_criteria", "SM criteria met"),
                  "khoury2022" if who else "leguit2023", "SM criteria (fact sheet 3.1-3.2)",
                  outcome="SM"),
        Criterion("category_cm_child", "Child with typical skin lesions, marrow not examined",
                  "category", All(_SKIN, Not(_MARROW_STUDIED), child, no_red_flags), skin_src,
                  "Cutaneous rules, working rule for children (fact sheet 5 and 11)",
                  "Working rule (unconfirmed): children with typical lesions and no marrow "
                  "study are CM unless red flags (here: enlarged liver or spleen).",
                  outcome="CM"),
        Criterion("category_cm", "Skin lesions, marrow examined, SM criteria not met",
                  "category", All(_SKIN, _MARROW_STUDIED, Not(Ref("sm_criteria", "SM criteria met"))),
                  "mcas_consensus;hartmann2016", "Definitive CM (fact sheet 5)", outcome="CM"),
        Criterion("category_mis", "Skin lesions, SM neither established nor excluded",
                  "category", _SKIN, "hartmann2016;valent2021",
                  "Mastocytosis in the skin, provisional label (fact sheet 5)", outcome="MIS"),
        Criterion("category_none", "No mastocytosis category established", "category",
                  Const(True), "khoury2022" if who else "leguit2023",
                  "SM and skin criteria (fact sheet 3 and 5)", outcome="none"),
    )


def _subtype_rules(t: _Thresholds, who: bool, p: dict):
    mcl = t.cmp("mcl_smear_mc")
    if p["mcl_requires_immature"]:
        mcl = All(mcl, Flag("smear_mc_immature"))
    mcl_src = "zanelli2023" + ("" if who else ";mayo2025_icc_who")
    if who:
        assoc = Criterion("subtype_associated", "Associated haematological neoplasm (myeloid "
                          "or lymphoid)", "subtype", Present("associated_neoplasm"),
                          "icc_summary2022;mayo2025_icc_who", "SM-AHN (fact sheet 3.5)",
                          outcome="SM-AHN", applies_to=("SM",))
    else:
        assoc = Criterion("subtype_associated", "Associated myeloid neoplasm", "subtype",
                          IsIn("associated_neoplasm_lineage", ("myeloid",), missing=False),
                          "icc_summary2022;mayo2025_icc_who", "SM-AMN (fact sheet 3.5)",
                          "ICC: a lymphoid neoplasm is not part of the SM entity.",
                          outcome="SM-AMN", applies_to=("SM",))
    sm = [
        Criterion("subtype_mcl", "Mast cell leukaemia: many mast cells on the marrow smear"
                  + ("" if not p["mcl_requires_immature"] else " (immature/atypical)"),
                  "subtype", mcl, mcl_src, "MCL (fact sheet 3.5)", outcome="MCL",
                  applies_to=("SM",)),
        assoc,
        Criterion("subtype_asm", "Aggressive SM: at least one C-finding", "subtype",
                  t.count("asm_c_count", tuple(Ref(c) for c in _C_IDS), "C-finding(s)"),
                  t.source("asm_c_count"), "ASM (fact sheet 3.5)",
                  outcome="ASM", applies_to=("SM",)),
        Criterion("subtype_ssm", "Smoldering SM: at least two B-findings", "subtype",
                  t.count("ssm_b_count", tuple(Ref(b) for b in _B_IDS), "B-findings"),
                  t.source("ssm_b_count"), "SSM (fact sheet 3.5)",
                  outcome="SSM", applies_to=("SM",)),
    ]
    if who:
        sm.append(Criterion(
            "subtype_bmm", "Bone marrow mastocytosis: marrow involvement shown, no skin "
            "lesions, every B-finding assessed and absent, tryptase below the BMM limit",
            "subtype",
            All(_MARROW_INVOLVED, IsIn("skin_lesion_type", ("none",)),
                *(Not(Ref(b)) for b in _B_IDS),
                t.tryptase("bmm_tryptase", p["hat_adjust_bmm"])),
            t.source("bmm_tryptase"), "BMM (fact sheet 3.5)",
            "BMM is SM with demonstrated marrow involvement: a marrow that was not examined, "
            "or a B-finding not assessed, leaves BMM vs ISM open (issue 17, rule 1).",
            outcome="BMM", applies_to=("SM",)))
    sm.append(Criterion("subtype_ism", "Indolent SM: none of the above", "subtype", Const(True),
                        "khoury2022;who2016" if who else "leguit2023;li2023",
                        "ISM (fact sheet 3.5)", outcome="ISM", applies_to=("SM",)))
    skin_src, skin_loc = "hartmann2016;lugowska2023", "Cutaneous mastocytosis (fact sheet 5)"
    cm = [Criterion(
        "subtype_cm_many_mastocytomas", "Four or more mastocytoma-like lesions count as MPCM",
        "subtype",
        All(IsIn("skin_lesion_type", ("mastocytoma",)), t.cmp("mastocytoma_to_mpcm")),
        t.source("mastocytoma_to_mpcm"), "Cutaneous mastocytoma (fact sheet 5, 11)",
        "Consensus: a mastocytoma is a solitary lesion or up to 3; 4 or more is MPCM in both "
        "schemes.", outcome="MPCM", applies_to=("CM",))]
    cm += [
        Criterion(f"subtype_cm_{kind.lower()}", f"Skin lesions of type {kind}", "subtype",
                  IsIn("skin_lesion_type", (kind,)), skin_src, skin_loc, outcome=kind,
                  applies_to=("CM",))
        for kind in ("MPCM", "DCM", "mastocytoma")
    ]
    clonal = Any(Flag("kit_d816v"), Flag("kit_other_activating"), Flag("cd25"), Flag("cd2"),
                 Flag("cd30"))
    none = [
        Criterion("subtype_mmas", "Clonal mast cell markers with MCAS episodes, SM criteria "
                  "not met", "subtype",
                  All(clonal, Flag("mcas_episodes"), Not(Ref("sm_criteria", "SM criteria met"))),
                  "mcas_consensus",
                  "MMAS (fact sheet 4.3)", outcome="MMAS", applies_to=("none",)),
        Criterion("subtype_none", "No subtype", "subtype", Const(True), "mcas_consensus",
                  "MCAS variants (fact sheet 4.3)", outcome=None, applies_to=("none",)),
    ]
    return tuple(sm + cm + none)


def _qualifier_rules(t: _Thresholds, who: bool, p: dict):
    acute = t.cmp("asm_c_count")
    leuk = t.cmp("mcl_leukaemic_pb")
    mcl_src, mcl_loc = "zanelli2023", "MCL sub-classification (fact sheet 3.5)"
    # The MCL qualifiers are read in WHO-oriented sources (fact sheet 3.5); no ICC source for
    # them was located, so under ICC they are an explicit assumption (issue 17).
    assumed = "" if who else ("ICC: assumption - this WHO sub-classification is applied to ICC "
                              "MCL; no ICC source for it was located.")
    rules = [
        Criterion("qualifier_mcl_acute", "MCL with C-findings", "qualifier", acute, mcl_src,
                  mcl_loc, assumed, outcome="acute", applies_to=("SM/MCL",)),
        Criterion("qualifier_mcl_chronic", "MCL without C-findings", "qualifier", Not(acute),
                  mcl_src, mcl_loc, assumed, outcome="chronic", applies_to=("SM/MCL",)),
        Criterion("qualifier_mcl_leukaemic", "Leukaemic: many mast cells among blood leukocytes",
                  "qualifier", leuk, t.source("mcl_leukaemic_pb"), mcl_loc, assumed,
                  outcome="leukaemic", applies_to=("SM/MCL",)),
        Criterion("qualifier_mcl_aleukaemic", "Aleukaemic: few mast cells among blood leukocytes",
                  "qualifier", Not(leuk), t.source("mcl_leukaemic_pb"), mcl_loc, assumed,
                  outcome="aleukaemic", applies_to=("SM/MCL",)),
    ]
    # The SM component of SM-AHN / SM-AMN (e.g. ISM-AHN vs ASM-AHN): the ASM/SSM/ISM rules of
    # fact sheet 3.5 applied to the SM part (inferred: no source gives a separate rule).
    assoc = "SM/SM-AHN" if who else "SM/SM-AMN"
    c_any = t.count("asm_c_count", tuple(Ref(c) for c in _C_IDS), "C-finding(s)")
    b_two = t.count("ssm_b_count", tuple(Ref(b) for b in _B_IDS), "B-findings")
    comp_loc = "SM component of an SM with associated neoplasm (fact sheet 3.5)"
    comp_note = ("Inferred: the ASM/SSM/ISM rules applied to the SM part; no source gives a "
                 "separate rule for the component.")
    rules += [
        Criterion("qualifier_component_asm", "SM component aggressive (C-finding present)",
                  "qualifier", c_any, "who2016;bloodres2023", comp_loc, comp_note,
                  outcome="ASM component", applies_to=(assoc,)),
        Criterion("qualifier_component_ssm", "SM component smoldering (2 or more B-findings, "
                  "no C-finding)", "qualifier", All(Not(c_any), b_two),
                  "who2016;bloodres2023", comp_loc, comp_note,
                  outcome="SSM component", applies_to=(assoc,)),
        Criterion("qualifier_component_ism", "SM component indolent (no C-finding, fewer than "
                  "2 B-findings)", "qualifier", All(Not(c_any), Not(b_two)),
                  "who2016;bloodres2023", comp_loc, comp_note,
                  outcome="ISM component", applies_to=(assoc,)),
    ]
    if who:
        rules += [
            Criterion("qualifier_mcl_associated", "MCL with an associated haematological "
                      "neoplasm", "qualifier", Present("associated_neoplasm"),
                      "zanelli2023;icc_summary2022", mcl_loc, outcome="with AHN",
                      applies_to=("SM/MCL",)),
            Criterion("qualifier_mastocytoma_isolated", "Mastocytoma: a single lesion",
                      "qualifier", t.cmp("mastocytoma_isolated_who"),
                      t.source("mastocytoma_isolated_who"),
                      "Cutaneous mastocytoma (fact sheet 5, 11)",
                      outcome="isolated", applies_to=("CM/mastocytoma",)),
            Criterion("qualifier_mastocytoma_multilocalized", "Mastocytoma with 2-3 lesions",
                      "qualifier", t.cmp("mastocytoma_multilocalized_who"),
                      t.source("mastocytoma_multilocalized_who"),
                      "Cutaneous mastocytoma (fact sheet 5, 11)",
                      "WHO gives no lesion number; 2-3 follows from the consensus limit of 3 "
                      "lesions per mastocytoma (4 or more is MPCM).",
                      outcome="multilocalized", applies_to=("CM/mastocytoma",)),
        ]
    else:
        bmm_variant = All(IsIn("skin_lesion_type", ("none",)), _MARROW_INVOLVED)
        if p["icc_bmm_variant_strict"]:
            bmm_variant = All(bmm_variant, Compare("n_b", "==", 0),
                              t.tryptase("bmm_tryptase", p["hat_adjust_bmm"], borrow=True))
        rules += [
            Criterion("qualifier_mcl_associated", "MCL with an associated myeloid neoplasm",
                      "qualifier", IsIn("associated_neoplasm_lineage", ("myeloid",),
                                        missing=False),
                      "mayo2025_icc_who;valent2024_harmonization", mcl_loc,
                      outcome="with AMN", applies_to=("SM/MCL",)),
            Criterion("qualifier_lymphoid_neoplasm", "Concurrent lymphoid neoplasm",
                      "qualifier", IsIn("associated_neoplasm_lineage", ("lymphoid",),
                                        missing=False),
                      "icc_summary2022;mayo2025_icc_who", "SM-AMN (fact sheet 3.5, 3.6)",
                      "ICC: lymphoid neoplasms are not part of the SM-AMN entity.",
                      outcome="concurrent lymphoid neoplasm (outside the SM-AMN entity)",
                      applies_to=("SM",)),
            Criterion("qualifier_bmm_variant", "ISM without skin lesions", "qualifier",
                      bmm_variant, "li2023", "ICC BMM variant of ISM (fact sheet 3.5, 11)",
                      outcome="BMM variant", applies_to=("SM/ISM",)),
        ]
    return tuple(rules)


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


def parameters_frame():
    """Every rule-set parameter with its WHO and ICC default, confidence and alternative."""
    import pandas as pd

    rows = []
    for pid, p in PARAMETERS.items():
        row = p.as_dict()
        row.pop("default")
        row["who2022_default"] = _default_params("who2022")[pid]
        row["icc2022_default"] = _default_params("icc2022")[pid]
        rows.append(row)
    return pd.DataFrame(rows)


def _comparison_items(ruleset: Ruleset):
    items = {}
    for c in ruleset.criteria + (ruleset.sm_rule,) + ruleset.category_rules \
            + ruleset.subtype_rules + ruleset.qualifier_rules:
        items[c.id] = c
    return items


_NEGATE_OP = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}


def _negated_thresholds(expr, negated=False) -> set:
    """Threshold ids that sit under an odd number of ``Not`` (shown with the negated
    operator, so ``qualifier_mcl_chronic`` reads ``n_c < 1``)."""
    out = set()
    if isinstance(expr, Not):
        return _negated_thresholds(expr.child, not negated)
    own = getattr(expr, "threshold_id", None)
    if own and negated:
        out.add(own)
    for child in getattr(expr, "children", ()) or ():
        out |= _negated_thresholds(child, negated)
    return out


def scheme_comparison():
    """WHO 2022 vs ICC 2022, item by item, generated from the rule objects.

    Returns
    -------
    pandas.DataFrame
        One row per criterion, B-/C-finding, category, subtype and qualifier rule with each
        scheme's label, rule text (operators and cut-offs), outcome, threshold ids, the
        cut-offs as ``field operator value unit`` (flagged when not confirmed) and sources,
        and a ``differs`` column that is True where the rule text or outcome differ or the
        item exists in one scheme only.

    Examples
    --------
    >>> import mastolib as ml
    >>> table = ml.scheme_comparison()
    >>> bool(table.set_index("item_id").loc["B1", "differs"])
    True
    """
    import pandas as pd

    rulesets = {"who2022": RULESETS["who2022"], "icc2022": RULESETS["icc2022"]}
    who, icc = (_comparison_items(rs) for rs in rulesets.values())
    order = list(who) + [k for k in icc if k not in who]
    rows = []
    for item in order:
        w, i = who.get(item), icc.get(item)
        row = {"item_id": item, "role": (w or i).role}
        for name, c in (("who2022", w), ("icc2022", i)):
            ids = c.predicate.threshold_ids() if c else ()
            table = rulesets[name].thresholds
            row[f"{name}_label"] = c.label if c else None
            row[f"{name}_rule"] = c.threshold if c else None
            row[f"{name}_outcome"] = c.outcome if c else None
            row[f"{name}_thresholds"] = ";".join(ids) if c else None
            negated = _negated_thresholds(c.predicate) if c else set()
            row[f"{name}_cutoffs"] = "; ".join(
                f"{table[t]['field']} "
                f"{_NEGATE_OP[table[t]['operator']] if t in negated else table[t]['operator']}"
                f" {fmt_number(table[t]['value'])}"
                + (f" {table[t]['unit']}" if table[t]["unit"] else "")
                + ("" if table[t]["confidence"] == "confirmed"
                   else f" ({table[t]['confidence']})") for t in ids) if c else None
            row[f"{name}_source"] = c.source_id if c else None
            row[f"{name}_locator"] = c.locator if c else None
        # wording counts too: ICC minor 1 (biopsy sections, immature morphology), the
        # IHC-confirmed major criterion and the ICC B3 wording differ although the input
        # expression is shared (issue 17)
        row["differs"] = (w is None or i is None or w.threshold != i.threshold
                          or w.outcome != i.outcome or w.label != i.label)
        row["note"] = " ".join(n for n in {(w.note if w else ""), (i.note if i else "")} if n)
        rows.append(row)
    return pd.DataFrame(rows)
