"""Schemas of the course's data tables (the machine-readable half of data/README.md).

Each table in ``data/`` is described once here; :func:`mastolib.load_table` checks every
file against its schema when it is loaded, so a corrupted or hand-edited table fails with
one clear message naming the file and the problem, instead of misbehaving later in a widget.

Column kinds: ``"str"`` (text, may be empty unless listed in ``required``), ``"float"``,
``"int"``, ``"bool"`` (true/false/yes/no/1/0, empty = not assessed) and ``"source"`` (a
``source_id`` that must exist in ``data/sources.csv``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ._fields import FIELDS


@dataclass(frozen=True)
class TableSchema:
    """Description of one CSV table in ``data/``.

    Parameters
    ----------
    name : str
        Id used with :func:`mastolib.load_table`.
    filename : str
        File name relative to ``data/``.
    columns : dict
        Column name -> kind (see module docstring). Extra columns are an error.
    required : tuple of str
        Columns that may not be empty.
    key : str or None
        Column whose values must be unique.
    ranges : dict
        Column -> (low, high) inclusive bounds for numeric columns.
    choices : dict
        Column -> allowed values for categorical text columns.
    description : str
        One line for people (shown in errors and in the data dictionary).
    """

    name: str
    filename: str
    columns: dict
    required: tuple = ()
    key: str | None = None
    ranges: dict = field(default_factory=dict)
    choices: dict = field(default_factory=dict)
    description: str = ""


SCHEMAS: dict[str, TableSchema] = {}


def register(schema: TableSchema) -> TableSchema:
    """Add a schema to the registry (ids are unique)."""
    if schema.name in SCHEMAS:
        raise ValueError(f"table schema {schema.name!r} is registered twice")
    SCHEMAS[schema.name] = schema
    return schema


register(TableSchema(
    name="sources",
    filename="sources.csv",
    columns={"source_id": "str", "factsheet_ref": "str", "citation": "str", "year": "int",
             "evidence": "str", "identifier": "str"},
    required=("source_id", "citation", "evidence"),
    key="source_id",
    ranges={"year": (1950, 2100)},
    choices={"evidence": ("primary", "secondary")},
    description="Bibliography: every rule, threshold and data row cites one of these ids.",
))

register(TableSchema(
    name="glossary",
    filename="glossary.csv",
    columns={"term_id": "str", "term": "str", "category": "str", "definition": "str",
             "why_it_matters": "str", "source_id": "source"},
    required=("term_id", "term", "category", "definition", "source_id"),
    key="term_id",
    choices={"category": ("cell biology", "mediators", "genetics", "classification",
                          "laboratory", "skin", "scores", "treatment", "living with it")},
    description="Glossary of terms used in the course, in our own words, each with a source.",
))

register(TableSchema(
    name="course_map",
    filename="course_map.csv",
    columns={"notebook": "str", "title": "str", "minutes": "int", "level": "str",
             "summary": "str", "status": "str", "source_id": "source"},
    required=("notebook", "title", "minutes", "level", "summary", "status", "source_id"),
    key="notebook",
    ranges={"minutes": (5, 240)},
    choices={"level": ("all", "beginner", "intermediate", "advanced"),
             "status": ("available", "planned")},
    description="The learning path: one row per notebook, with estimated time and main sources.",
))

# --- clinical engine tables (owned by the engine: _rules.py, _tryptase.py, _scores.py) ---

register(TableSchema(
    name="thresholds",
    filename="thresholds.csv",
    columns={"threshold_id": "str", "scheme": "str", "field": "str", "operator": "str",
             "value": "float", "unit": "str", "label": "str", "source_id": "source",
             "locator": "str", "confidence": "str", "alternative": "str"},
    required=("threshold_id", "scheme", "field", "operator", "value", "label", "source_id",
              "locator", "confidence"),
    key="threshold_id",
    choices={"scheme": ("who2022", "icc2022", "both", "consensus", "nih"),
             "operator": (">", ">=", "<", "<="),
             "confidence": ("confirmed", "secondary", "unconfirmed")},
    description="Every numeric cut-off of the WHO 2022 / ICC 2022 rules and tryptase rules, "
                "with operator, unit, source and confidence.",
))

register(TableSchema(
    name="field_limits",
    filename="field_limits.csv",
    columns={"field": "str", "high": "float", "unit": "str", "basis": "str",
             "source_id": "source", "note": "str"},
    required=("field", "high", "unit", "basis", "note"),
    key="field",
    choices={"basis": ("cited", "check the units")},
    description="Plausibility upper bounds for open-ended lab values and counts; 'check the "
                "units' rows are error guards, not clinical cut-offs (a cited row needs a "
                "source_id).",
))

register(TableSchema(
    name="score_items",
    filename="score_items.csv",
    columns={"score_id": "str", "item_id": "str", "population": "str", "label": "str",
             "field": "str", "operator": "str", "value": "float", "value_high": "float",
             "match": "str", "points": "float", "source_id": "source", "locator": "str",
             "confidence": "str", "alternative": "str"},
    required=("score_id", "item_id", "label", "field", "operator", "source_id", "locator",
              "confidence"),
    choices={"score_id": ("rema", "mars", "ipsm"),
             "population": ("non-advanced", "advanced"),
             "operator": ("eq", "range", ">", ">=", "<", "<="),
             "confidence": ("confirmed", "secondary", "unconfirmed")},
    description="Items and points of the REMA, MARS and IPSM scores (IPSM: factors only, "
                "weights withheld as unconfirmed).",
))

register(TableSchema(
    name="score_groups",
    filename="score_groups.csv",
    columns={"score_id": "str", "group_id": "str", "label": "str", "points_low": "float",
             "points_high": "float", "median_os_training": "str",
             "median_os_validation": "str", "source_id": "source", "locator": "str",
             "confidence": "str"},
    required=("score_id", "group_id", "label", "source_id", "locator", "confidence"),
    choices={"score_id": ("rema", "mars"),
             "confidence": ("confirmed", "secondary", "unconfirmed")},
    description="Point bands of the REMA cut-off and the MARS risk groups (with median "
                "overall survival in years, or 'not reached').",
))

register(TableSchema(
    name="hat_reference_ranges",
    filename="hat_reference_ranges.csv",
    columns={"extra_alpha_copies": "int", "median_ng_ml": "float", "low_ng_ml": "float",
             "high_ng_ml": "float", "source_id": "source", "locator": "str"},
    required=("extra_alpha_copies", "median_ng_ml", "low_ng_ml", "high_ng_ml", "source_id",
              "locator"),
    key="extra_alpha_copies",
    ranges={"extra_alpha_copies": (0, 10)},
    description="Basal serum tryptase median (range) by number of extra alpha-tryptase "
                "copies (hereditary alpha-tryptasemia).",
))

# Virtual patients: the findings columns, their kinds, ranges and categories come from the one
# field table (mastolib.tables._fields), so the case library can never drift from ml.Findings (empty
# cell = not assessed). The expected labels were reasoned by hand from the fact sheet and are
# checked against diagnose() by tests/test_cases.py.
_KIND_TO_COLUMN = {"float": "float", "int": "int", "bool": "bool", "choice": "str", "text": "str"}
_CASE_FINDINGS = tuple(spec.name for spec in FIELDS)
_CASE_COLUMNS = {spec.name: _KIND_TO_COLUMN[spec.kind] for spec in FIELDS}
_CASE_RANGES = {
    spec.name: (spec.low if spec.low is not None else -math.inf,
                spec.high if spec.high is not None else math.inf)
    for spec in FIELDS if spec.kind in ("float", "int") and (spec.low, spec.high) != (None, None)
}
_CASE_CHOICES = {spec.name: tuple(spec.choices) for spec in FIELDS if spec.kind == "choice"}

register(TableSchema(
    name="cases",
    filename="cases.csv",
    columns={
        "case_id": "str", "title": "str", "difficulty": "str", "topics": "str",
        "vignette": "str",
        **_CASE_COLUMNS,
        "expected_who_category": "str", "expected_who_subtype": "str",
        "expected_icc_category": "str", "expected_icc_subtype": "str",
        "expected_qualifiers_who": "str", "expected_qualifiers_icc": "str",
        "teaching_point": "str", "source_id": "source",
    },
    required=("case_id", "title", "difficulty", "topics", "vignette", "expected_who_category",
              "expected_icc_category", "teaching_point", "source_id"),
    key="case_id",
    ranges=_CASE_RANGES,
    choices={
        "difficulty": ("easy", "medium", "hard"),
        **_CASE_CHOICES,
        "expected_who_category": ("SM", "CM", "MIS", "MCS", "MLN-TK", "undecided", "none"),
        "expected_icc_category": ("SM", "CM", "MIS", "MCS", "MLN-TK", "undecided", "none"),
        "expected_who_subtype": ("BMM", "ISM", "SSM", "ASM", "SM-AHN", "MCL", "MPCM", "DCM",
                                 "mastocytoma", "MMAS", "undecided"),
        "expected_icc_subtype": ("ISM", "SSM", "ASM", "SM-AMN", "MCL", "MPCM", "DCM",
                                 "mastocytoma", "MMAS", "undecided"),
    },
    description="Virtual patients: vignette, findings (empty = not assessed) and the WHO 2022 "
                "and ICC 2022 labels reasoned by hand, each with a teaching point and sources.",
))

# --- classification tables (owned by notebook 03: mastolib/models/_classification.py) ---

register(TableSchema(
    name="entities",
    filename="entities.csv",
    columns={"entity_id": "str", "parent_id": "str", "scheme": "str", "branch": "str",
             "label": "str", "abbreviation": "str", "definition": "str",
             "definition_source": "source", "typical_age": "str", "age_source": "source",
             "share": "str", "share_source": "source", "prognosis": "str",
             "prognosis_source": "source", "scheme_note": "str",
             "scheme_note_source": "source"},
    required=("entity_id", "scheme", "branch", "label", "definition", "definition_source"),
    key="entity_id",
    choices={"scheme": ("both", "who2022", "icc2022"),
             "branch": ("root", "cutaneous", "systemic", "sarcoma", "provisional")},
    description="The family tree of mastocytosis under WHO 2022 and ICC 2022: one row per "
                "entity with its parent, definition, typical age, share of cases and "
                "prognosis, each with its source (empty = no cited figure).",
))

# --- biology and KIT tables (owned by notebooks 01-02: mastolib/models/_biology.py, mastolib/models/_kit.py) ---
# confidence: "confirmed" = stated in the course fact sheet; "secondary" = the fact sheet read it
# in a secondary source; "inferred" = follows from a stated fact but is not itself stated;
# "unconfirmed" = flagged UNCONFIRMED in the fact sheet, or not in it at all (the note says which).
_BIO_CONFIDENCE = ("confirmed", "secondary", "inferred", "unconfirmed")

register(TableSchema(
    name="life_cycle",
    filename="life_cycle.csv",
    columns={"stage_id": "str", "order": "int", "label": "str", "where": "str",
             "what_happens": "str", "in_mastocytosis": "str", "confidence": "str",
             "note": "str", "locator": "str", "source_id": "source"},
    required=("stage_id", "order", "label", "where", "what_happens", "in_mastocytosis",
              "confidence", "locator", "source_id"),
    key="stage_id",
    ranges={"order": (1, 20)},
    choices={"confidence": _BIO_CONFIDENCE},
    description="Life cycle of a mast cell, marrow progenitor to degranulation, with what "
                "changes in mastocytosis at each stage.",
))

register(TableSchema(
    name="tissues",
    filename="tissues.csv",
    columns={"tissue_id": "str", "label": "str", "site_kind": "str", "normal_role": "str",
             "in_systemic_disease": "str", "confidence": "str", "note": "str", "locator": "str",
             "source_id": "source"},
    required=("tissue_id", "label", "site_kind", "normal_role", "in_systemic_disease",
              "confidence", "locator", "source_id"),
    key="tissue_id",
    choices={"site_kind": ("interface", "systemic", "both"), "confidence": _BIO_CONFIDENCE},
    description="Body map: tissues at the body's borders and organs involved in systemic "
                "mastocytosis (hover text of the body map).",
))

register(TableSchema(
    name="mc_roles",
    filename="mc_roles.csv",
    columns={"role_id": "str", "label": "str", "what_mast_cells_do": "str", "mediators": "str",
             "confidence": "str", "note": "str", "locator": "str", "source_id": "source"},
    required=("role_id", "label", "what_mast_cells_do", "confidence", "locator", "source_id"),
    key="role_id",
    choices={"confidence": _BIO_CONFIDENCE},
    description="Roles of mast cells beyond allergy (defence, repair, vessels, bone, storage).",
))

register(TableSchema(
    name="mediators",
    filename="mediators.csv",
    columns={"mediator_id": "str", "order": "int", "label": "str", "short_label": "str",
             "mediator_class": "str",
             "timing": "str", "storage": "str", "main_actions": "str", "lab_marker": "str",
             "confidence": "str", "locator": "str", "source_id": "source"},
    required=("mediator_id", "order", "label", "short_label", "mediator_class", "timing",
              "main_actions",
              "confidence", "locator", "source_id"),
    key="mediator_id",
    ranges={"order": (1, 50)},
    choices={"timing": ("preformed", "newly_made", "both"), "confidence": _BIO_CONFIDENCE},
    description="Mast cell mediators: preformed (granule) or newly made, actions, lab marker.",
))

register(TableSchema(
    name="mediator_effects",
    filename="mediator_effects.csv",
    columns={"effect_id": "str", "mediator_id": "str", "organ_id": "str", "effect": "str",
             "symptom": "str", "confidence": "str", "locator": "str", "source_id": "source"},
    required=("effect_id", "mediator_id", "organ_id", "effect", "symptom", "confidence",
              "locator", "source_id"),
    key="effect_id",
    choices={"organ_id": ("skin", "airways", "heart_vessels", "gut", "nerves", "blood",
                          "tissue", "immune"),
             "confidence": _BIO_CONFIDENCE},
    description="What each mediator does to each organ system, and the symptom it causes.",
))

register(TableSchema(
    name="triggers",
    filename="triggers.csv",
    columns={"trigger_id": "str", "order": "int", "label": "str", "mechanism": "str",
             "reach": "str", "organs": "str", "explanation": "str", "confidence": "str",
             "note": "str", "locator": "str", "source_id": "source"},
    required=("trigger_id", "order", "label", "mechanism", "reach", "organs", "explanation",
              "confidence", "locator", "source_id"),
    key="trigger_id",
    ranges={"order": (1, 50)},
    choices={"reach": ("local", "systemic"), "confidence": _BIO_CONFIDENCE},
    description="Triggers of mast cell degranulation, how they act and which organ systems "
                "they reach (';'-separated organ ids).",
))

register(TableSchema(
    name="kinetics",
    filename="kinetics.csv",
    columns={"kinetic_id": "str", "mediator_id": "str", "quantity": "str", "low": "float",
             "high": "float", "unit": "str", "role": "str", "statement": "str",
             "confidence": "str", "locator": "str", "source_id": "source"},
    required=("kinetic_id", "mediator_id", "quantity", "low", "unit", "role", "statement",
              "confidence", "locator", "source_id"),
    key="kinetic_id",
    ranges={"low": (0, 1000), "high": (0, 1000)},
    choices={"unit": ("min", "h"),
             "role": ("model_input", "alternative", "check", "sampling_rule", "note"),
             "confidence": _BIO_CONFIDENCE},
    description="Documented time course of plasma histamine and serum tryptase (the inputs "
                "and checks of the kinetics teaching model).",
))

register(TableSchema(
    name="kit_domains",
    filename="kit_domains.csv",
    columns={"domain_id": "str", "order": "int", "label": "str", "location": "str",
             "function": "str", "exons": "str", "exon_confidence": "str", "note": "str",
             "locator": "str", "source_id": "source"},
    required=("domain_id", "order", "label", "location", "function", "exon_confidence",
              "locator", "source_id"),
    key="domain_id",
    ranges={"order": (1, 20)},
    choices={"location": ("extracellular", "membrane", "intracellular"),
             "exon_confidence": _BIO_CONFIDENCE},
    description="KIT receptor domains from N- to C-terminus with their exons (exon mappings "
                "the fact sheet flags are 'unconfirmed').",
))

register(TableSchema(
    name="kit_variants",
    filename="kit_variants.csv",
    columns={"variant_id": "str", "label": "str", "codon": "int", "exon": "str",
             "domain_id": "str", "population": "str", "context": "str", "confidence": "str",
             "note": "str", "locator": "str", "source_id": "source"},
    required=("variant_id", "label", "codon", "domain_id", "population", "context",
              "confidence", "locator", "source_id"),
    key="variant_id",
    ranges={"codon": (1, 976)},
    choices={"population": ("adults", "children", "both"), "confidence": _BIO_CONFIDENCE},
    description="KIT variants that matter in mastocytosis, with domain, exon and the age "
                "group in which the sources report them.",
))

register(TableSchema(
    name="kit_frequency",
    filename="kit_frequency.csv",
    columns={"frequency_id": "str", "order": "int", "group": "str", "population": "str",
             "finding": "str", "percent": "float", "qualifier": "str", "count": "int",
             "n": "int", "confidence": "str", "note": "str", "locator": "str",
             "source_id": "source"},
    required=("frequency_id", "order", "group", "population", "finding", "percent",
              "qualifier", "confidence", "locator", "source_id"),
    key="frequency_id",
    ranges={"percent": (0, 100), "order": (1, 50)},
    choices={"group": ("adults", "children"), "qualifier": ("=", ">", "<"),
             "confidence": _BIO_CONFIDENCE},
    description="How often KIT mutations are found, by population (adults vs children).",
))

register(TableSchema(
    name="hat_facts",
    filename="hat_facts.csv",
    columns={"fact_id": "str", "order": "int", "label": "str", "low": "float", "high": "float",
             "unit": "str", "confidence": "str", "note": "str", "locator": "str",
             "source_id": "source"},
    required=("fact_id", "order", "label", "low", "high", "unit", "confidence", "locator",
              "source_id"),
    key="fact_id",
    ranges={"order": (1, 50)},
    choices={"unit": ("%", "ng/mL"), "confidence": _BIO_CONFIDENCE},
    description="Hereditary alpha-tryptasemia: prevalence and effect on basal tryptase.",
))

# --- diagnostic pathway and tryptase lab (notebooks 04 and 05: _pathway.py, _tryptase_lab.py) ---

register(TableSchema(
    name="pathway_steps",
    filename="pathway_steps.csv",
    columns={"step_id": "str", "kind": "str", "col": "int", "row": "int", "label": "str",
             "why": "str", "what_it_shows": "str", "cost_to_patient": "str",
             "next_steps": "str", "source_id": "source"},
    required=("step_id", "kind", "col", "row", "label", "why", "what_it_shows",
              "cost_to_patient", "source_id"),
    key="step_id",
    ranges={"col": (0, 2), "row": (0, 20)},
    choices={"kind": ("start", "step", "decision", "end")},
    description="Steps of the diagnostic pathway (flowchart nodes): why each test is done, "
                "what it can show, what it costs the patient, and the possible next steps.",
))

register(TableSchema(
    name="pathway_rules",
    filename="pathway_rules.csv",
    columns={"rule_id": "str", "group": "str", "label": "str", "field": "str",
             "operator": "str", "value": "float", "unit": "str", "source_id": "source",
             "confidence": "str", "alternative": "str"},
    required=("rule_id", "group", "label", "field", "operator", "source_id", "confidence"),
    key="rule_id",
    choices={"group": ("genotyping", "marrow_indication", "red_flag", "child_flag"),
             "operator": (">", ">=", "<", "<=", "true", "present"),
             "confidence": ("confirmed", "secondary", "unconfirmed")},
    description="Decision rules of the teaching pathway: when to genotype tryptase, red flags "
                "that call for a marrow study, and marrow indications without skin lesions.",
))

register(TableSchema(
    name="suspicion_triggers",
    filename="suspicion_triggers.csv",
    columns={"trigger_id": "str", "label": "str", "why_suspicious": "str",
             "source_id": "source"},
    required=("trigger_id", "label", "why_suspicious", "source_id"),
    key="trigger_id",
    description="Clinical pictures that should make one think of mastocytosis.",
))

register(TableSchema(
    name="case_presentations",
    filename="case_presentations.csv",
    columns={"case_id": "str", "triggers": "str", "urticaria_pruritus_angioedema": "bool",
             "presyncope_syncope": "bool", "source_id": "source"},
    required=("case_id", "triggers", "source_id"),
    key="case_id",
    description="How each virtual patient of cases.csv presented (suspicion triggers) and the "
                "episode symptoms the REMA score needs (empty = not stated in the vignette).",
))

register(TableSchema(
    name="tryptase_conditions",
    filename="tryptase_conditions.csv",
    columns={"condition_id": "str", "label": "str", "low_ng_ml": "float",
             "typical_ng_ml": "float", "high_ng_ml": "float", "summary": "str",
             "source_id": "source"},
    required=("condition_id", "label", "summary", "source_id"),
    key="condition_id",
    ranges={"low_ng_ml": (0, 5000), "typical_ng_ml": (0, 5000), "high_ng_ml": (0, 5000)},
    description="Basal serum tryptase: the normal range and the conditions that raise it.",
))

register(TableSchema(
    name="rise_examples",
    filename="rise_examples.csv",
    columns={"example_id": "str", "baseline_ng_ml": "float", "acute_ng_ml": "float",
             "expected_20plus2_strict": "bool", "expected_20plus2_inclusive": "bool",
             "expected_nih": "bool", "note": "str", "source_id": "source"},
    required=("example_id", "baseline_ng_ml", "acute_ng_ml", "expected_20plus2_strict",
              "expected_20plus2_inclusive", "expected_nih", "source_id"),
    key="example_id",
    ranges={"baseline_ng_ml": (0, 5000), "acute_ng_ml": (0, 5000)},
    description="Worked examples T1-T6: the 20 % + 2 rule (strict and inclusive) versus the "
                "NIH acute/baseline ratio.",
))

register(TableSchema(
    name="hat_examples",
    filename="hat_examples.csv",
    columns={"example_id": "str", "bst_ng_ml": "float", "extra_alpha_copies": "int",
             "expected_adjusted_ng_ml": "float", "expected_who_minor": "bool", "note": "str",
             "source_id": "source"},
    required=("example_id", "bst_ng_ml", "extra_alpha_copies", "expected_adjusted_ng_ml",
              "expected_who_minor", "source_id"),
    key="example_id",
    ranges={"bst_ng_ml": (0, 5000), "extra_alpha_copies": (0, 10)},
    description="Worked examples H1-H6: HαT-adjusted tryptase and the WHO tryptase minor "
                "criterion.",
))

register(TableSchema(
    name="tryptase_anchors",
    filename="tryptase_anchors.csv",
    columns={"anchor_id": "str", "label": "str", "value": "float", "unit": "str",
             "operator": "str", "role": "str", "confidence": "str", "locator": "str",
             "source_id": "source"},
    required=("anchor_id", "label", "value", "unit", "operator", "role", "confidence",
              "locator", "source_id"),
    key="anchor_id",
    ranges={"value": (0, 10000)},
    choices={"unit": ("ng/mL",), "operator": ("=", ">", ">=", "<", "<="),
             "role": ("model_input", "reference_line"), "confidence": _BIO_CONFIDENCE},
    description="Cited tryptase values used by the clonal-expansion teaching model: the healthy "
                "level it starts from and the reference lines it draws.",
))

# --- care and prognosis tables (owned by notebooks 06 and 07: _care.py, _prognosis.py) ---

_CARE_SUBTYPES = ("cm", "ism", "bmm", "ssm", "advsm")

register(TableSchema(
    name="symptoms",
    filename="symptoms.csv",
    columns={"cell_id": "str", "organ_id": "str", "subtype_id": "str", "level": "str",
             "features": "str", "explanation": "str", "source_id": "source"},
    required=("cell_id", "organ_id", "subtype_id", "level"),
    key="cell_id",
    choices={"organ_id": ("skin", "gut", "cardiovascular", "bone", "neuro", "constitutional"),
             "subtype_id": _CARE_SUBTYPES,
             "level": ("typical", "common", "possible", "not typical", "not described")},
    description="Symptoms by organ system and subtype as qualitative levels (no percentages); "
                "'not described' cells have no source on purpose.",
))

register(TableSchema(
    name="triggers_care",
    filename="triggers_care.csv",
    columns={"item_id": "str", "kind": "str", "order": "int", "label": "str", "status": "str",
             "mechanism": "str", "what_to_do": "str", "plan_ids": "str", "note": "str",
             "source_id": "source"},
    required=("item_id", "kind", "order", "label", "status"),
    key="item_id",
    choices={"kind": ("trigger", "plan"), "status": ("described", "not described")},
    description="Triggers of mast cell symptoms (mechanism, what to do, linked plans) and the "
                "planning measures patients use.",
))

register(TableSchema(
    name="treatments",
    filename="treatments.csv",
    columns={"row_id": "str", "agent": "str", "agent_class": "str", "goal": "str",
             "subtypes": "str", "acts_on_d816v": "str", "status_category": "str",
             "status": "str", "jurisdiction": "str", "event": "str", "event_date": "str",
             "date_precision": "str", "confidence": "str", "note": "str",
             "source_id": "source"},
    required=("row_id", "agent", "agent_class", "goal", "subtypes", "acts_on_d816v",
              "status_category", "status", "confidence", "source_id"),
    key="row_id",
    choices={"goal": ("mediator symptoms", "emergency", "skin lesions", "bone",
                      "cytoreduction / KIT inhibition"),
             "acts_on_d816v": ("yes", "no", "not KIT-directed"),
             "status_category": ("standard care", "labelled", "approved", "off-label",
                                 "submitted", "investigational", "not covered"),
             "date_precision": ("day", "month", "year"),
             "confidence": ("confirmed", "secondary", "unconfirmed", "not covered")},
    description="Treatment map: agent x indication with goal, subtypes, action on KIT D816V "
                "and regulatory status as of the newest source (30 June 2026). No doses.",
))

register(TableSchema(
    name="complications",
    filename="complications.csv",
    columns={"complication_id": "str", "order": "int", "label": "str", "age_group": "str",
             "subtypes": "str", "what": "str", "source_id": "source"},
    required=("complication_id", "order", "label", "age_group", "subtypes", "what",
              "source_id"),
    key="complication_id",
    choices={"age_group": ("children", "adults", "children and adults")},
    description="Complications and course of mastocytosis in children and adults.",
))

register(TableSchema(
    name="prognostic_factors",
    filename="prognostic_factors.csv",
    columns={"system_id": "str", "factor_id": "str", "cell_text": "str", "confidence": "str",
             "note": "str", "source_id": "source"},
    required=("system_id", "factor_id", "cell_text", "confidence", "source_id"),
    choices={"system_id": ("maps", "ism_progression"),
             "confidence": ("confirmed", "secondary", "unconfirmed")},
    description="Prognostic factors of systems without a score in score_items.csv (MAPS, ISM "
                "progression risks); IPSM and MARS factors come from score_items.csv.",
))

# --- practice and cohort tables (owned by notebooks 08/09: _practice.py, _cohort.py) ---

register(TableSchema(
    name="cohort_parameters",
    filename="cohort_parameters.csv",
    columns={"parameter_id": "str", "scope": "str", "stratum": "str", "quantity": "str",
             "value": "float", "unit": "str", "kind": "str", "source_id": "source",
             "note": "str"},
    required=("parameter_id", "scope", "stratum", "quantity", "value", "kind", "source_id",
              "note"),
    key="parameter_id",
    choices={"scope": ("all", "denmark1997", "denmark2022", "mayo_referral"),
             "stratum": ("all", "SM", "advanced", "non-advanced", "ISM", "SM-unknown",
                         "SM-AHN", "ASM", "MCL", "MPCM-no-marrow"),
             "kind": ("from source", "teaching assumption")},
    description="Every distribution parameter of the SYNTHETIC cohort generator, each marked "
                "'from source' or 'teaching assumption', with its source.",
))

register(TableSchema(
    name="cohort",
    filename="cohort.csv",
    columns={"patient_id": "str", "true_label": "str",
             **{c: k for c, k in SCHEMAS["cases"].columns.items() if c in _CASE_FINDINGS}},
    required=("patient_id", "true_label", "age_years", "sex", "bst_ng_ml"),
    key="patient_id",
    ranges={c: r for c, r in SCHEMAS["cases"].ranges.items() if c in _CASE_FINDINGS},
    choices={"true_label": ("ISM", "SM-unknown", "SM-AHN", "ASM", "MCL", "MPCM-no-marrow"),
             **{c: v for c, v in SCHEMAS["cases"].choices.items() if c in _CASE_FINDINGS}},
    description="SYNTHETIC cohort (not real patients) generated by mastolib.synthetic_cohort from "
                "cohort_parameters.csv; regenerate with `python scripts/make_cohort.py "
                "data/cohort.csv` (seed and size in cohort.json).",
))

# --- patient and family track (notebooks 10-11; mastolib/course/_patient.py) ---

register(TableSchema(
    name="patient_advice",
    filename="patient_advice.csv",
    columns={"advice_id": "str", "tool": "str", "order": "int", "text": "str", "note": "str",
             "source_id": "source"},
    required=("advice_id", "tool", "order", "text", "source_id"),
    key="advice_id",
    choices={"tool": ("emergency_signs", "emergency_steps", "tell_crew", "anaesthesia",
                      "appointment_bring", "appointment_asked")},
    description="Plain-language lines of the take-home plans (emergency plan, what to tell the "
                "ambulance crew, anaesthesia card, appointment preparation).",
))

register(TableSchema(
    name="diary_symptoms",
    filename="diary_symptoms.csv",
    columns={"symptom_id": "str", "order": "int", "label": "str", "source_id": "source"},
    required=("symptom_id", "order", "label", "source_id"),
    key="symptom_id",
    description="Symptoms a person can tick in the symptom and episode diary.",
))

register(TableSchema(
    name="doctor_questions",
    filename="doctor_questions.csv",
    columns={"question_id": "str", "order": "int", "topic": "str", "question": "str",
             "source_id": "source"},
    required=("question_id", "order", "topic", "question", "source_id"),
    key="question_id",
    choices={"topic": ("diagnosis", "daily life", "emergency", "treatment", "children")},
    description="Questions to ask the doctor, each tied to the source of the fact behind it.",
))

register(TableSchema(
    name="seed_facts",
    filename="seed_facts.csv",
    columns={"fact_id": "str", "source_id": "source", "page": "str", "fact": "str",
             "pattern": "str", "notebook": "str"},
    required=("fact_id", "source_id", "page", "fact", "pattern", "notebook"),
    key="fact_id",
    choices={"page": ("nhs", "clevelandclinic", "osmosis", "mayoclinic_2025",
                      "mayoclinic_2024")},
    description="Key facts of each patient-information page the course grew from, with a "
                "regular expression that finds each one taught in a notebook.",
))
