"""Every course notebook, run in JupyterLab (served by `make lab`) in a real Chromium."""

from __future__ import annotations

import pytest

from . import harness as h

pytestmark = pytest.mark.browser

NOTEBOOKS = h.notebook_paths()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lab_run_all(notebook, lab, page, page_log):
    """Run All in JupyterLab: no errors, every widget and figure rendered, widgets usable."""
    url = lab.url(f"lab/tree/notebooks/{notebook.name}", reset="")
    h.check_notebook_ui(page, page_log, url, notebook, "lab")


def test_interactions_match_notebooks():
    """Every registered interaction belongs to an existing notebook (catches a typo'd stem)."""
    pytest.importorskip("playwright")
    from .interactions import INTERACTIONS

    stems = {p.stem for p in NOTEBOOKS}
    unknown = sorted(set(INTERACTIONS) - stems)
    assert not unknown, f"interactions for notebooks that do not exist: {unknown}; known: {sorted(stems)}"
