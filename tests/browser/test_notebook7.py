"""The start notebook in Notebook 7 (`jupyter notebook`) in a real Chromium."""

from __future__ import annotations

import pytest

from . import harness as h

pytestmark = pytest.mark.browser

NOTEBOOK = h.NOTEBOOKS_DIR / "00_start_here.ipynb"


def test_notebook7_start_here(notebook7, page, page_log):
    """Run All in Notebook 7: same checks and the same interaction as in JupyterLab."""
    url = notebook7.url(f"notebooks/{NOTEBOOK.name}")
    h.check_notebook_ui(page, page_log, url, NOTEBOOK, "notebook7")
