"""Every course notebook rendered as an app by Voila (served by `make app`) in a real Chromium."""

from __future__ import annotations

import time

import pytest

from . import harness as h
from . import layout

pytestmark = pytest.mark.browser

NOTEBOOKS = h.notebook_paths()
ROOT = "body"

# The page is complete: Voila renders progressively (etc/jupyter: progressive_rendering), so
# every cell shows a skeleton until the kernel has run it and its outputs have arrived; no
# output is still a <script> waiting for the app (non-progressive Voila), no "Executing n of m"
# overlay, and no widget says "Loading widget..." any more. (What then failed to render is
# reported by harness.output_problems.)
_RENDERED_JS = """() => {
    const loading = document.querySelector('#loading');
    if (loading && loading.checkVisibility()) return false;
    if (document.querySelector('.voila-skeleton-container')) return false;
    if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]'))
        return false;
    const outs = [...document.querySelectorAll('.jp-OutputArea-output')];
    return !outs.some(el => (el.textContent || '').includes('Loading widget...'));
}"""


def wait_rendered(page, timeout_ms: int = 60_000) -> None:
    """Wait for :data:`_RENDERED_JS`, then until the number of outputs stops changing."""
    count = -1
    for _ in range(20):
        page.wait_for_function(_RENDERED_JS, timeout=timeout_ms, polling=100)
        now = page.locator(".jp-OutputArea-output").count()
        if now == count:
            return
        count = now
        page.wait_for_timeout(300)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_voila_render(notebook, voila_server, page, page_log):
    """Voila app: code hidden, no error output, widgets rendered and usable."""
    _check_voila_page(notebook, voila_server, page, page_log)


def _check_voila_page(notebook, voila_server, page, page_log):
    stem = notebook.stem
    where = f"voila, {notebook.name}"
    t0 = time.monotonic()
    # Loaded at the layout check's first width (Voila's figures keep their first width).
    page.set_viewport_size({"width": layout.WIDTHS[0], "height": layout.HEIGHT})
    url = voila_server.url(f"voila/render/{notebook.name}")

    def load():
        # The kernel runs the notebook once the page has connected; wait_rendered waits for
        # the last cell's outputs.
        page.goto(url, wait_until="load", timeout=h.RUN_ALL_TIMEOUT * 1000)
        wait_rendered(page, timeout_ms=int(h.RUN_ALL_TIMEOUT * 1000))

    load()
    h.TIMINGS[f"voila render {stem}"] = time.monotonic() - t0

    h.scroll_plots_into_view(page, ROOT)
    report = h.output_problems(page, ROOT)
    h.screenshot_full(page, h.SCREENSHOTS / f"voila-{stem}.png", h.VOILA_SCROLLER)

    body = page.locator("body").inner_text()
    assert "There was an error when executing cell" not in body, f"{where}:\n{body[-3000:]}"
    code = page.locator(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .cm-editor, .CodeMirror, "
                        ".jp-CodeCell .jp-Cell-inputWrapper")
    visible_code = [code.nth(i).inner_text()[:200] for i in range(code.count())
                    if code.nth(i).is_visible()]
    assert not visible_code, f"{where}: code cells are shown: {visible_code}"
    assert "import mastolib" not in body, f"{where}: source code is visible"
    h.assert_outputs_ok(report, where, page_log)
    t_layout = time.monotonic()
    found = layout.run_layout_check(page, ROOT, notebook, "voila", h.VOILA_SCROLLER,
                                    h.SCREENSHOTS, reload=load)
    h.TIMINGS[f"voila layout {stem}"] = time.monotonic() - t_layout

    t1 = time.monotonic()
    if h.run_interaction(page, page.locator(ROOT), stem, report, where, page_log):
        h.TIMINGS[f"voila interaction {stem}"] = time.monotonic() - t1
        h.screenshot_full(page, h.SCREENSHOTS / f"voila-{stem}-after.png", h.VOILA_SCROLLER)
        h.assert_outputs_ok(h.output_problems(page, ROOT), f"{where}, after interaction",
                            page_log)
    h.assert_no_page_errors(page_log, where, "voila")
    layout.assert_layout_ok(found, "voila", stem)
