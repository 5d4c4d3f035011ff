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
               notebook helpers, static export, links, notebook hygiene, printable documents
               (take-home plans, criteria card), readability. Imports tables and engine.
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
from .course._notebook import EDUCATION_NOTICE, course_map, notice, show_references
from .course._version import __version__ as __version__  # written once: pyproject.toml
from .engine._cases import case_ids, virtual_patient
from .engine._diagnose import Diagnosis, compare_schemes, diagnose, diagnose_frame
from .engine._findings import Findings
from .engine._rules import Ruleset, get_ruleset, parameters_frame, scheme_comparison
from .engine._scores import ipsm_factors, mars, rema
from .engine._tryptase import hat_adjusted_tryptase, hat_reference_range, tryptase_rise
from .tables._data import (
    DataError,
    cite,
    load_records,
    load_table,
    references,
    source_ids,
    table_names,
)
from .tables._fields import InputError
from .tables._registry import get

# Names loaded lazily: name -> private module. Heavy dependencies (plotly, ipywidgets) and the
# chapter models are only imported when one of these is first used.
_LAZY = {
    "clonal_app": "apps._bio",
    "degranulation_app": "apps._bio",
    "kinetics_app": "apps._bio",
    "kit_map_app": "apps._bio",
    "life_cycle_app": "apps._bio",
    "signalling_app": "apps._bio",
    "treatment_map_app": "apps._care",
    "trigger_explorer_app": "apps._care",
    "criteria_checker_app": "apps._checker",
    "family_tree_app": "apps._classification",
    "cohort_explorer_app": "apps._cohort",
    "glossary_app": "apps._glossary",
    "pathway_app": "apps._pathway",
    "case_practice_app": "apps._practice",
    "ipsm_app": "apps._prognosis",
    "mars_app": "apps._prognosis",
    "quiz": "apps._quiz",
    "hat_explorer_app": "apps._tryptase_lab",
    "tryptase_rise_app": "apps._tryptase_lab",
    "tryptase_timing_app": "apps._tryptase_lab",
    "ProgressStore": "course._progress",
    "body_map_figure": "figures._biology",
    "symptom_heatmap": "figures._care",
    "trigger_grid_figure": "figures._care",
    "bc_findings_figure": "figures._classification",
    "family_tree_figure": "figures._classification",
    "age_pyramid_figure": "figures._cohort",
    "cohort_tryptase_figure": "figures._cohort",
    "reclassification_figure": "figures._cohort",
    "hat_prevalence_figure": "figures._kit",
    "inheritance_figure": "figures._kit",
    "kit_frequency_figure": "figures._kit",
    "pathway_figure": "figures._pathway",
    "prognosis_factors_figure": "figures._prognosis",
    "apply_theme": "figures._theme",
    "tryptase_ruler_figure": "figures._tryptase_lab",
    "body_map_sites": "models._biology",
    "kinetics_checks_table": "models._biology",
    "roles_table": "models._biology",
    "evidence_basis": "models._care",
    "show_complications": "models._care",
    "show_outlook": "models._care",
    "symptom_summary": "models._care",
    "symptom_table": "models._care",
    "trigger_grid_summary": "models._care",
    "case_findings": "models._checker",
    "bc_findings_summary": "models._classification",
    "entity_table": "models._classification",
    "text_table": "models._classification",
    "cohort_parameters": "models._cohort",
    "load_cohort": "models._cohort",
    "synthetic_cohort": "models._cohort",
    "age_pyramid_summary": "models._cohort_views",
    "classify_cohort": "models._cohort_views",
    "cohort_tryptase_summary": "models._cohort_views",
    "reclassification_summary": "models._cohort_views",
    "hat_facts": "models._kit",
    "kit_frequency": "models._kit",
    "Presentation": "models._pathway",
    "case_path": "models._pathway_path",
    "pathway_summary": "models._pathway_path",
    "patient_path": "models._pathway_path",
    "prognosis_factors_summary": "models._prognosis",
    "survival_summary": "models._prognosis",
    "hat_assessment": "models._tryptase_lab",
    "hat_examples_frame": "models._tryptase_lab",
    "hat_reference_frame": "models._tryptase_lab",
    "rise_comparison": "models._tryptase_lab",
    "rise_examples_frame": "models._tryptase_lab",
    "tryptase_conditions_frame": "models._tryptase_lab",
    "tryptase_ruler_summary": "models._tryptase_lab",
    # printables, the teacher's class pack and the patient and family track (notebooks 10-13)
    "criteria_card_html": "course._criteria_card",
    "patient_handout": "course._patient",
    "take_home": "course._patient",
    "take_home_app": "apps._patient",
    "case_cards_html": "apps._classpack",
    "class_results": "apps._classpack",
    "synthetic_class_progress": "apps._classpack",
}

# The public API: every name is documented in docs/api.md (scripts/make_api_docs.py).
__all__ = [
    "binder_url",
    "case_ids",
    "cite",
    "compare_schemes",
    "course_map",
    "DataError",
    "diagnose",
    "diagnose_frame",
    "Diagnosis",
    "EDUCATION_NOTICE",
    "Findings",
    "get",
    "InputError",
    "get_ruleset",
    "hat_adjusted_tryptase",
    "hat_reference_range",
    "ipsm_factors",
    "load_records",
    "load_table",
    "mars",
    "nbgitpuller_url",
    "notice",
    "parameters_frame",
    "references",
    "rema",
    "Ruleset",
    "scheme_comparison",
    "show_references",
    "source_ids",
    "table_names",
    "tryptase_rise",
    "virtual_patient",
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
