"""Table schemas of notebooks 01-03: classification, biology and KIT (see ``_schemas.py``)."""

from __future__ import annotations

from ._schemas import TableSchema, register

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
