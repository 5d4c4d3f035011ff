"""The static site (`make site`) opened in a real browser: the index and a notebook page,
with figures drawn from the page's own plotly.js (offline) and apps shown as snapshots."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from mastolib.course import _export

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory, browser_available):
    out = tmp_path_factory.mktemp("site")
    stats = _export.build("site", out, [ROOT / "notebooks" / "00_start_here.ipynb",
                                        ROOT / "notebooks" / "05_tryptase_lab.ipynb"])
    assert all(s["errors"] == 0 and s["empty_widgets"] == 0 for s in stats), stats
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_site_index_links_to_the_pages(site, page):
    page.goto(f"{site}/index.html")
    assert "not for clinical decisions" in page.locator("body").inner_text()
    links = page.locator("a[href$='.html']")
    assert links.count() == 2
    links.filter(has_text="Tryptase").first.click()
    page.wait_for_url("**/05_tryptase_lab.html")


def test_site_notebook_page_draws_figures_and_app_snapshots(site, page):
    page.goto(f"{site}/05_tryptase_lab.html")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0",
                           timeout=30_000)
    traces = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(el => (el.data || []).length)")
    assert traces and all(n > 0 for n in traces), f"blank static figures: {traces}"
    text = page.locator("body").inner_text()
    assert "Static snapshot of an interactive app" in text
    assert "Launch this notebook on Binder" in text
    assert "Traceback" not in text
