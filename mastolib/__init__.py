"""mastolib: the helper package behind the mastocytosis teaching notebooks.

For education only, not for clinical decisions.

The public API is flat (``import mastolib as ml``); implementation lives in private modules.
``import mastolib`` stays light: the clinical engine and data loaders are plain Python, while
figure builders and widget apps (plotly, ipywidgets) are imported on first use through
``__getattr__`` below.
"""

from __future__ import annotations

import importlib
import os

from ._data import (
    DataError,
    cite,
    data_dir,
    load_json,
    load_records,
    load_table,
    references,
    source,
    source_ids,
    table_names,
)
from ._links import binder_url, nbgitpuller_url

# --- clinical engine (plain Python; see _findings.py, _rules.py, _diagnose.py, ...) ---
# ENGINE-IMPORTS-BEGIN
# isort: split
from ._criteria import Criterion, CriterionResult, Parameter
from ._diagnose import (
    Diagnosis,
    SchemeComparison,
    SchemeDifference,
    compare_schemes,
    diagnose,
    diagnose_frame,
)
from ._fields import FieldSpec
from ._findings import Findings
from ._rules import RULESETS, Ruleset, get_ruleset, parameters_frame, scheme_comparison
from ._scores import (
    IpsmFactors,
    MarsResult,
    MedianOS,
    RemaResult,
    ipsm_factors,
    mars,
    mars_frame,
    rema,
    rema_frame,
)
from ._tryptase import (
    HatReference,
    TryptaseRise,
    hat_adjusted_tryptase,
    hat_reference_range,
    tryptase_rise,
    tryptase_rise_frame,
)

# ENGINE-IMPORTS-END

__version__ = "0.1.0"

EDUCATION_NOTICE = (
    "For education only - not for clinical decisions. The rules here are simplified teaching "
    "versions of published criteria; always use the primary sources and clinical judgement."
)

# Names loaded lazily: name -> private module. Heavy dependencies (plotly, ipywidgets) are
# only imported when one of these is first used.
_LAZY = {
    # theme and palette (plotly)
    "OKABE_ITO": "_theme",
    "apply_theme": "_theme",
    "template": "_theme",
    # shared widgets
    "Quiz": "_quiz",
    "quiz": "_quiz",
    "load_quiz": "_quiz",
    "ProgressStore": "_progress",
    "glossary_app": "_glossary",
    "GlossaryModel": "_glossary",
    "notice": "_notebook",
    "show_references": "_notebook",
    "course_map": "_notebook",
    # presentation: one table renderer, teaching text, hidden solutions, app-mode wording
    "show_text": "_present",
    "solution": "_present",
    "wording": "_present",
    "GlossaryApp": "_glossary",
    "grade": "_quiz",
    # classification (notebook 03): family tree and criteria checker
    "entity_table": "_classification",
    "family_tree_figure": "_classification",
    "family_tree_summary": "_classification",
    "family_tree_app": "_classification",
    "FamilyTreeApp": "_classification",
    "bc_findings_figure": "_classification",
    "bc_findings_summary": "_classification",
    "text_table": "_present",
    "criteria_checker_app": "_checker",
    "CriteriaCheckerApp": "_checker",
    "findings_from_controls": "_checker",
    "control_values": "_checker",
    "case_findings": "_checker",
    "case_ids": "_checker",
    # diagnostic pathway (notebook 04)
    "patient_path": "_pathway",
    "case_path": "_pathway",
    "Presentation": "_pathway",
    "PatientPath": "_pathway",
    "red_flags": "_pathway",
    "pathway_figure": "_pathway",
    "pathway_summary": "_pathway",
    "pathway_app": "_pathway",
    "PathwayApp": "_pathway",
    # tryptase lab (notebook 05)
    "parse_tryptase": "_tryptase_lab",
    "hat_assessment": "_tryptase_lab",
    "HatAssessment": "_tryptase_lab",
    "hat_examples_frame": "_tryptase_lab",
    "hat_reference_frame": "_tryptase_lab",
    "hat_figure": "_tryptase_lab",
    "hat_summary": "_tryptase_lab",
    "hat_explorer_app": "_tryptase_lab",
    "HatExplorerApp": "_tryptase_lab",
    "rise_comparison": "_tryptase_lab",
    "RiseComparison": "_tryptase_lab",
    "rise_examples_frame": "_tryptase_lab",
    "rise_figure": "_tryptase_lab",
    "rise_summary": "_tryptase_lab",
    "tryptase_rise_app": "_tryptase_lab",
    "TryptaseRiseApp": "_tryptase_lab",
    "tryptase_conditions_frame": "_tryptase_lab",
    "tryptase_ruler_figure": "_tryptase_lab",
    "tryptase_ruler_summary": "_tryptase_lab",
    "timing_sample": "_tryptase_lab",
    "timing_figure": "_tryptase_lab",
    "tryptase_timing_app": "_tryptase_lab",
    "TryptaseTimingApp": "_tryptase_lab",
    # biology and KIT (notebooks 01-02)
    "life_cycle_stages": "_biology",
    "life_cycle_step": "_biology",
    "body_map_sites": "_biology",
    "mast_cell_roles": "_biology",
    "roles_table": "_biology",
    "degranulation_triggers": "_biology",
    "degranulation": "_biology",
    "DegranulationResult": "_biology",
    "KineticsModel": "_biology",
    "kinetics_model": "_biology",
    "kinetics_checks": "_biology",
    "kinetics_checks_table": "_biology",
    "sample_at": "_biology",
    "sampling_rules": "_biology",
    "life_cycle_figure": "_figures_bio",
    "body_map_figure": "_figures_bio",
    "body_map_summary": "_figures_bio",
    "degranulation_figure": "_figures_bio",
    "kinetics_figure": "_figures_bio",
    "kit_map_figure": "_figures_bio",
    "signalling_figure": "_figures_bio",
    "clonal_figure": "_figures_bio",
    "kit_frequency_figure": "_figures_bio",
    "kit_frequency_summary": "_figures_bio",
    "hat_prevalence_figure": "_figures_bio",
    "hat_prevalence_summary": "_figures_bio",
    "inheritance_figure": "_figures_bio",
    "INHERITANCE_SUMMARY": "_figures_bio",
    "kit_domains": "_kit",
    "kit_variants": "_kit",
    "kit_map": "_kit",
    "kit_signalling": "_kit",
    "ClonalParams": "_kit",
    "clonal_state": "_kit",
    "clonal_trajectory": "_kit",
    "kit_frequency": "_kit",
    "hat_facts": "_kit",
    "tryptase_anchors": "_kit",
    "life_cycle_app": "_apps_bio",
    "degranulation_app": "_apps_bio",
    "kinetics_app": "_apps_bio",
    "kit_map_app": "_apps_bio",
    "signalling_app": "_apps_bio",
    "clonal_app": "_apps_bio",
    # symptoms, triggers and care (notebook 06)
    "symptom_table": "_care",
    "symptom_heatmap": "_care",
    "symptom_summary": "_care",
    "evidence_basis": "_care",
    "TriggerModel": "_care",
    "TriggerExplorerApp": "_care",
    "trigger_explorer_app": "_care",
    "trigger_grid_figure": "_care",
    "trigger_grid_summary": "_care",
    "TreatmentModel": "_care",
    "TreatmentMapApp": "_care",
    "treatment_map_app": "_care",
    "treatment_table": "_care",
    "treatment_timeline_figure": "_care",
    "treatment_summary": "_care",
    "complications_table": "_care",
    "outlook_table": "_care",
    "show_complications": "_care",
    "show_outlook": "_care",
    # virtual patients and the synthetic cohort (notebooks 08, 09)
    "case_practice_app": "_practice",
    "CasePracticeApp": "_practice",
    "virtual_patient": "_practice",
    "synthetic_cohort": "_cohort",
    "load_cohort": "_cohort",
    "cohort_parameters": "_cohort",
    "classify_cohort": "_cohort",
    "cohort_tryptase_figure": "_cohort",
    "cohort_tryptase_summary": "_cohort",
    "reclassification_figure": "_cohort",
    "reclassification_summary": "_cohort",
    "age_pyramid_figure": "_cohort",
    "age_pyramid_summary": "_cohort",
    "cohort_explorer_app": "_cohort",
    "CohortExplorerApp": "_cohort",
    # prognosis (notebook 07)
    "mars_app": "_prognosis",
    "MarsApp": "_prognosis",
    "mars_groups": "_prognosis",
    "survival_curves": "_prognosis",
    "survival_figure": "_prognosis",
    "survival_summary": "_prognosis",
    "ipsm_app": "_prognosis",
    "IpsmApp": "_prognosis",
    "prognosis_factors_table": "_prognosis",
    "prognosis_factors_figure": "_prognosis",
    "prognosis_factors_summary": "_prognosis",
    # LAZY-NAMES-END
}

__all__ = [
    "DataError",
    "binder_url",
    "nbgitpuller_url",
    "EDUCATION_NOTICE",
    "cite",
    "data_dir",
    "load_json",
    "load_records",
    "load_table",
    "references",
    "source",
    "source_ids",
    "table_names",
    "Criterion",
    "CriterionResult",
    "Diagnosis",
    "FieldSpec",
    "Findings",
    "HatReference",
    "IpsmFactors",
    "MarsResult",
    "MedianOS",
    "Parameter",
    "RULESETS",
    "RemaResult",
    "Ruleset",
    "SchemeComparison",
    "SchemeDifference",
    "TryptaseRise",
    "compare_schemes",
    "diagnose",
    "diagnose_frame",
    "get_ruleset",
    "hat_adjusted_tryptase",
    "hat_reference_range",
    "ipsm_factors",
    "mars",
    "mars_frame",
    "parameters_frame",
    "rema",
    "rema_frame",
    "scheme_comparison",
    "tryptase_rise",
    "tryptase_rise_frame",
    # ENGINE-ALL-END
    *_LAZY,
]


if os.environ.get("MASTOLIB_STATIC"):
    # Handouts and the static site: widgets render as snapshots (see mastolib/_static.py).
    from ._static import enable as _enable_static

    _enable_static()


def __getattr__(name: str):
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'mastolib' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
