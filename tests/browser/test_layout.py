"""The layout check (layout.py) can fail: a deliberately broken notebook is reported.

The check itself runs on every course notebook inside the existing JupyterLab and Voila runs
(test_lab.py / test_voila.py call :func:`layout.run_layout_check` after Run All, at 1366 and
1024 px), so the notebooks are executed once, not twice. Its findings must be 0 in every
category apart from the entries of :data:`layout.EXCEPTIONS` (each with its reason). Counts
per notebook, front end and width: ``test-artifacts/layout-counts.json``; screenshots:
``test-artifacts/screenshots/layout-<front end>-<stem>-<width>.png``.
"""

from __future__ import annotations

import pytest

from . import harness as h
from . import layout

pytestmark = pytest.mark.browser

# What data/broken_layout.ipynb breaks, per front end (Voila hides no output but renders no
# ``jp-Cell`` per notebook cell in the same order, so the tagged-solution cell is found by
# its text there as well: see below).
EXPECTED = {
    "lab": set(layout.CATEGORIES),
    "voila": set(layout.CATEGORIES),
}


def _scroller_and_root(front_end):
    return (h.NOTEBOOK_SCROLLER, h.NOTEBOOK_ROOT) if front_end == "lab" else (h.VOILA_SCROLLER,
                                                                            "body")


@pytest.mark.parametrize("front_end", ["lab", "voila"])
def test_layout_check_reports_a_broken_notebook(front_end, request, page):
    """Every category the fixture breaks is counted (> 0) at 1024 px."""
    fixture = h.LAYOUT_FIXTURE
    scroller, root = _scroller_and_root(front_end)
    if front_end == "lab":
        server = request.getfixturevalue("lab")
        h.open_notebook(page, server.url(f"lab/tree/notebooks/{h.LAYOUT_FIXTURE_NAME}", reset=""))
        h.run_all_cells(page)
        h.wait_until_executed(page, h.code_cells_with_source(fixture))
    else:
        from .test_voila import wait_rendered

        server = request.getfixturevalue("voila_server")
        page.goto(server.url(f"voila/render/{h.LAYOUT_FIXTURE_NAME}"), wait_until="load",
                  timeout=h.RUN_ALL_TIMEOUT * 1000)
        wait_rendered(page)
    page.set_viewport_size({"width": 1024, "height": layout.HEIGHT})
    layout.scroll_everything(page, root)
    found = layout.measure(page, root, fixture)
    h.screenshot_full(page, h.SCREENSHOTS / f"layout-fixture-{front_end}-1024.png", scroller)
    missing = sorted(c for c in EXPECTED[front_end] if not found[c])
    assert not missing, (f"{front_end}: the layout check found nothing in {missing} on the "
                         f"broken fixture; all findings: {found}")
    # An exception list can excuse a finding, and only the one it names.
    assert layout.unexcused({1024: found}, front_end, "x", exceptions=[])
    excuse_all = [("*", "*", c, ".", "test") for c in layout.CATEGORIES]
    assert not layout.unexcused({1024: found}, front_end, "x", exceptions=excuse_all)
