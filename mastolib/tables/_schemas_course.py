"""Table schemas of notebooks 04-11: pathway, tryptase lab, care, prognosis, practice, cohort
and the patient track (see ``_schemas.py``; the cohort reuses the case columns from there)."""

from __future__ import annotations

from ._schemas import _BIO_CONFIDENCE, _CASE_FINDINGS, SCHEMAS, TableSchema, register

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
