"""Every widget app runs on the one App base: an emptied control is a message, never a traceback.

Regression for issue 17 ("inputs that escape"): case/subtype/category pickers and toggles in the
criteria checker, pathway, cohort, glossary, family tree, IPSM and tryptase rise apps raised
inside their callback when set to ``None``, and ``tryptase_timing_app`` raised for hours = NaN.
"""

from __future__ import annotations

import math

import pytest
from traitlets import TraitError

import mastolib as ml
from mastolib.apps._base import App

APPS = sorted(n for n in ml.__all__ if n.endswith("_app") and n != "take_home_app")


def test_every_public_app_runs_on_the_app_base():
    assert len(APPS) >= 19
    for name in APPS:
        assert isinstance(getattr(ml, name)(), App), name


@pytest.mark.parametrize("name", APPS)
def test_emptying_any_control_is_a_message_not_a_traceback(name):
    app = getattr(ml, name)()
    emptied = 0
    for key in list(app.controls):
        control = app.controls[key]
        if not hasattr(control, "value"):
            continue  # buttons: nothing to empty
        for empty in (None, math.nan):
            try:
                control.value = empty  # an exception from the app's callback would escape here
            except TraitError:
                continue  # the widget itself refuses this value: nothing reaches the app
            emptied += 1
            assert "Traceback" not in app._message.value
            if app.message:
                # the message names the control by its label, never by its id
                assert key not in app.message or key in app.label(key), (key, app.message)
            app = getattr(ml, name)()  # a fresh app for the next control
            control = app.controls[key]
    if name in {"criteria_checker_app", "pathway_app", "cohort_explorer_app", "glossary_app",
                "family_tree_app", "ipsm_app", "tryptase_rise_app", "tryptase_timing_app"}:
        assert emptied, f"{name}: no control accepted an empty value (the regression's setting)"


def test_an_app_builds_its_first_figure_once_and_redraws_after_each_change(monkeypatch):
    from mastolib.apps import _bio

    built = []
    original = _bio.ClonalApp.figure_for
    monkeypatch.setattr(_bio.ClonalApp, "figure_for",
                        lambda self, result: built.append(result) or original(self, result))
    app = ml.clonal_app()
    assert len(built) == 1 and app.figure.renders == 1
    app.controls["year"].value = 3
    assert len(built) == 2 and app.figure.renders == 2
    assert app.figure.data[-1].x == (3,)
