"""mastolib: the helper package behind the mastocytosis teaching notebooks.

For education only, not for clinical decisions.

The public API is flat (``import mastolib as ml``); the implementation lives in private modules
inside six layer sub-packages. A layer imports only the layers below it
(``tests/test_layers.py`` checks this):

=============  ==========================================================================
``tables/``    data loading, table schemas, the one field table (``_data``, ``_schemas``,
               ``_fields``). Imports nothing else from mastolib.
``engine/``    the clinical engine: three-valued logic, criteria, ``Findings``, rule sets
               from ``thresholds.csv``, ``diagnose``, scores, tryptase maths. Imports tables.
``course/``    course plumbing without widgets: quiz model, progress store, glossary model,
               notebook helpers, static export, links, notebook hygiene. Imports tables.
``models/``    pure chapter models (one module per chapter: ``_biology``, ``_kit``,
               ``_classification``, ``_checker``, ``_pathway``, ``_tryptase_lab``, ``_care``,
               ``_prognosis``, ``_practice``, ``_cohort``) and the palette. Plain Python.
``figures/``   plotly: the theme and one figure module per chapter. Imports models.
``apps/``      ipywidgets: the App base, FigureView, the static snapshot, and one app module
               per chapter (plus the quiz and glossary widgets). May import every layer.
=============  ==========================================================================

Where a new module goes: a pure model of a chapter -> ``models/``; a plotly builder ->
``figures/``; anything with ipywidgets -> ``apps/``; a command or course tool without widgets ->
``course/``. Export public names below (``_LAZY`` for anything that needs plotly or ipywidgets).

``import mastolib`` stays light: the clinical engine and data loaders are plain Python, while
figure builders and widget apps (plotly, ipywidgets) are imported on first use through
``__getattr__`` below.
"""

from __future__ import annotations

import importlib
import os

from .course._links import binder_url, nbgitpuller_url
from .course._notebook import EDUCATION_NOTICE
from .tables._data import (
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
from .tables._registry import get

# --- clinical engine (plain Python; see _findings.py, _rules.py, _diagnose.py, ...) ---
# ENGINE-IMPORTS-BEGIN
# isort: split
from .engine._criteria import Criterion, CriterionResult, Parameter
from .engine._diagnose import (
    Diagnosis,
    SchemeComparison,
    SchemeDifference,
    compare_schemes,
    diagnose,
    diagnose_frame,
)
from .engine._findings import Findings
from .engine._rules import RULESETS, Ruleset, get_ruleset, parameters_frame, scheme_comparison
from .engine._scores import (
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
from .engine._tryptase import (
    HatReference,
    TryptaseRise,
    hat_adjusted_tryptase,
    hat_reference_range,
    tryptase_rise,
    tryptase_rise_frame,
)
from .tables._fields import FieldSpec

# ENGINE-IMPORTS-END

__version__ = "0.1.0"


# Names loaded lazily: name -> private module. Heavy dependencies (plotly, ipywidgets) are
# only imported when one of these is first used.
_LAZY = {
    # theme and palette (plotly)
    "OKABE_ITO": "figures._theme",
    "apply_theme": "figures._theme",
    "template": "figures._theme",
    # shared widgets
    "Quiz": "apps._quiz",
    "quiz": "apps._quiz",
    "load_quiz": "course._quiz",
    "ProgressStore": "course._progress",
    "glossary_app": "apps._glossary",
    "GlossaryModel": "course._glossary",
    "notice": "course._notebook",
    "show_references": "course._notebook",
    "course_map": "course._notebook",
    "GlossaryApp": "apps._glossary",
    "grade": "course._quiz",
    # classification (notebook 03): family tree and criteria checker
    "entity_table": "models._classification",
    "family_tree_figure": "figures._classification",
    "family_tree_summary": "models._classification",
    "family_tree_app": "apps._classification",
    "FamilyTreeApp": "apps._classification",
    "bc_findings_figure": "figures._classification",
    "bc_findings_summary": "models._classification",
    "text_table": "models._classification",
    "criteria_checker_app": "apps._checker",
    "CriteriaCheckerApp": "apps._checker",
    "findings_from_controls": "models._checker",
    "control_values": "models._checker",
    "case_findings": "models._checker",
    "case_ids": "engine._cases",
    # diagnostic pathway (notebook 04)
    "patient_path": "models._pathway_path",
    "case_path": "models._pathway_path",
    "Presentation": "models._pathway",
    "PatientPath": "models._pathway",
    "red_flags": "models._pathway",
    "pathway_figure": "figures._pathway",
    "pathway_summary": "models._pathway_path",
    "pathway_app": "apps._pathway",
    "PathwayApp": "apps._pathway",
    # tryptase lab (notebook 05)
    "parse_tryptase": "models._tryptase_lab",
    "hat_assessment": "models._tryptase_lab",
    "HatAssessment": "models._tryptase_lab",
    "hat_examples_frame": "models._tryptase_lab",
    "hat_reference_frame": "models._tryptase_lab",
    "hat_figure": "figures._tryptase_lab",
    "hat_summary": "models._tryptase_lab",
    "hat_explorer_app": "apps._tryptase_lab",
    "HatExplorerApp": "apps._tryptase_lab",
    "rise_comparison": "models._tryptase_lab",
    "RiseComparison": "models._tryptase_lab",
    "rise_examples_frame": "models._tryptase_lab",
    "rise_figure": "figures._tryptase_lab",
    "rise_summary": "models._tryptase_lab",
    "tryptase_rise_app": "apps._tryptase_lab",
    "TryptaseRiseApp": "apps._tryptase_lab",
    "tryptase_conditions_frame": "models._tryptase_lab",
    "tryptase_ruler_figure": "figures._tryptase_lab",
    "tryptase_ruler_summary": "models._tryptase_lab",
    "timing_sample": "models._tryptase_lab",
    "timing_figure": "figures._tryptase_lab",
    "tryptase_timing_app": "apps._tryptase_lab",
    "TryptaseTimingApp": "apps._tryptase_lab",
    # biology and KIT (notebooks 01-02)
    "life_cycle_stages": "models._biology",
    "life_cycle_step": "models._biology",
    "body_map_sites": "models._biology",
    "mast_cell_roles": "models._biology",
    "roles_table": "models._biology",
    "degranulation_triggers": "models._biology",
    "degranulation": "models._biology",
    "DegranulationResult": "models._biology",
    "KineticsModel": "models._biology",
    "kinetics_model": "models._biology",
    "kinetics_checks": "models._biology",
    "kinetics_checks_table": "models._biology",
    "sample_at": "models._biology",
    "sampling_rules": "models._biology",
    "life_cycle_figure": "figures._biology",
    "body_map_figure": "figures._biology",
    "body_map_summary": "figures._biology",
    "degranulation_figure": "figures._biology",
    "kinetics_figure": "figures._biology",
    "kit_map_figure": "figures._kit",
    "signalling_figure": "figures._kit",
    "clonal_figure": "figures._kit",
    "kit_frequency_figure": "figures._kit",
    "kit_frequency_summary": "figures._kit",
    "hat_prevalence_figure": "figures._kit",
    "hat_prevalence_summary": "figures._kit",
    "inheritance_figure": "figures._kit",
    "INHERITANCE_SUMMARY": "figures._kit",
    "kit_domains": "models._kit",
    "kit_variants": "models._kit",
    "kit_map": "models._kit",
    "kit_signalling": "models._kit",
    "ClonalParams": "models._kit",
    "clonal_state": "models._kit",
    "clonal_trajectory": "models._kit",
    "kit_frequency": "models._kit",
    "hat_facts": "models._kit",
    "tryptase_anchors": "models._kit",
    "life_cycle_app": "apps._bio",
    "degranulation_app": "apps._bio",
    "kinetics_app": "apps._bio",
    "kit_map_app": "apps._bio",
    "signalling_app": "apps._bio",
    "clonal_app": "apps._bio",
    # symptoms, triggers and care (notebook 06)
    "symptom_table": "models._care",
    "symptom_heatmap": "figures._care",
    "symptom_summary": "models._care",
    "evidence_basis": "models._care",
    "TriggerModel": "models._care",
    "TriggerExplorerApp": "apps._care",
    "trigger_explorer_app": "apps._care",
    "trigger_grid_figure": "figures._care",
    "trigger_grid_summary": "models._care",
    "TreatmentModel": "models._care",
    "TreatmentMapApp": "apps._care",
    "treatment_map_app": "apps._care",
    "treatment_table": "models._care",
    "treatment_timeline_figure": "figures._care",
    "treatment_summary": "models._care",
    "complications_table": "models._care",
    "outlook_table": "models._care",
    "show_complications": "models._care",
    "show_outlook": "models._care",
    # virtual patients and the synthetic cohort (notebooks 08, 09)
    "case_practice_app": "apps._practice",
    "CasePracticeApp": "apps._practice",
    "virtual_patient": "engine._cases",
    "synthetic_cohort": "models._cohort",
    "load_cohort": "models._cohort",
    "cohort_parameters": "models._cohort",
    "classify_cohort": "models._cohort_views",
    "cohort_tryptase_figure": "figures._cohort",
    "cohort_tryptase_summary": "models._cohort_views",
    "reclassification_figure": "figures._cohort",
    "reclassification_summary": "models._cohort_views",
    "age_pyramid_figure": "figures._cohort",
    "age_pyramid_summary": "models._cohort_views",
    "cohort_explorer_app": "apps._cohort",
    "CohortExplorerApp": "apps._cohort",
    # prognosis (notebook 07)
    "mars_app": "apps._prognosis",
    "MarsApp": "apps._prognosis",
    "mars_groups": "models._prognosis",
    "survival_curves": "models._prognosis",
    "survival_figure": "figures._prognosis",
    "survival_summary": "models._prognosis",
    "ipsm_app": "apps._prognosis",
    "IpsmApp": "apps._prognosis",
    "prognosis_factors_table": "models._prognosis",
    "prognosis_factors_figure": "figures._prognosis",
    "prognosis_factors_summary": "models._prognosis",
    # LAZY-NAMES-END
}

__all__ = [
    "DataError",
    "get",
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
    # Handouts and the static site: widgets render as snapshots (see mastolib/apps/_static.py).
    from .apps._static import enable as _enable_static

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
