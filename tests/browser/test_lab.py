"""Every course notebook, run in JupyterLab (served by `make lab`) in a real Chromium."""

from __future__ import annotations

import pytest

from . import harness as h

pytestmark = pytest.mark.browser

NOTEBOOKS = h.notebook_paths()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lab_run_all(notebook, lab_server, page, page_log):
    """Run All in JupyterLab: no errors, every widget and figure rendered, widgets usable."""
    url = lab_server.url(f"lab/tree/notebooks/{notebook.name}", reset="")
    try:
        h.check_notebook_ui(page, page_log, url, notebook, "lab")
    finally:
        lab_server.shutdown_kernels()
