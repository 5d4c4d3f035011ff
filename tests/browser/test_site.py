"""The book edition (`make site`) in a real browser, served from 127.0.0.1 and nothing else:
three pages, the search, a self-check, a figure, the launch buttons - and no request that
leaves the site."""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

import mastolib as ml
from mastolib.course._quiz import load_quiz

from . import harness as h

pytestmark = pytest.mark.browser

SITE_LIMIT_BYTES = 25_000_000
PAGE_TIMEOUT_MS = 90_000
QUIZ_MATHJAX_FALLBACK = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-svg.js"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="session")
def book(browser_available, tmp_path_factory):
    """The whole course built once with `make site` into a temp folder, served on 127.0.0.1.

    Executed notebooks are reused from build/book-cache when nothing they depend on changed.
    """
    out = tmp_path_factory.mktemp("book") / "site"
    work = out.parent / "src"
    t0 = time.monotonic()
    proc = subprocess.run(
        ["make", "--no-print-directory", "-C", str(h.REPO), *[f"--assume-old={s}" for s in h.make_stamps(h.REPO)],
         "site", f"VENV={h.VENV}", f"SITE_DIR={out}", f"SITE_ARGS=--workdir {work}"],
        capture_output=True, text=True, timeout=900)
    h.TIMINGS["make site"] = time.monotonic() - t0
    assert proc.returncode == 0, f"make site failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"dir": out, "url": f"http://127.0.0.1:{server.server_address[1]}",
           "log": proc.stdout}
    server.shutdown()
    server.server_close()


def _open(page, url: str) -> None:
    """Open a book page; generous timeout: each page parses the 4.8 MB plotly.js (slow on a
    loaded 2-core runner)."""
    page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_MS)


def _guard(page, site_url: str) -> list[str]:
    """Abort and record every request of ``page`` that is not to the book's own server."""
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(site_url + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    return outside


@pytest.fixture
def site_page(book, page):
    """``page`` that may only talk to the book's server; the test fails if it tried more."""
    outside = _guard(page, book["url"])
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield page
    assert outside == [], f"the book requested resources outside the site: {outside[:5]}"


def test_the_guard_sees_requests_outside_the_site(book, page):
    outside = _guard(page, book["url"])
    _open(page, f"{book['url']}/index.html")
    page.evaluate("""async () => {
        for (const url of ['http://192.0.2.1/x.js', 'http://127.0.0.1:9/y.js']) {
            try { await fetch(url); } catch (e) {}
        }
    }""")
    assert outside == ["http://192.0.2.1/x.js", "http://127.0.0.1:9/y.js"]


def test_book_is_small_and_loads_plotly_once(book):
    files = [f for f in book["dir"].rglob("*") if f.is_file()]
    size = sum(f.stat().st_size for f in files)
    assert size < SITE_LIMIT_BYTES, f"site is {size / 1e6:.1f} MB"
    assert [f.name for f in files if f.name.startswith("plotly")] == ["plotly.min.js"]
    pages = [f for f in files if f.suffix == ".html"]
    notebooks = sorted(p.stem for p in h.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert sorted(p.stem for p in (book["dir"] / "notebooks").glob("*.html")) == notebooks
    for html_page in pages:
        # jupyterquiz's MathJax fallback only runs on a page that has MathJax; ours have none
        # (and the browser tests below fail on any request outside the site).
        text = html_page.read_text(encoding="utf-8").replace(QUIZ_MATHJAX_FALLBACK, "")
        assert "* plotly.js v" not in text, f"{html_page.name} embeds plotly.js"
        assert "cdn.jsdelivr" not in text and "cdn.plot.ly" not in text, html_page.name


def test_book_three_pages_with_launch_buttons(book, site_page):
    page = site_page
    _open(page, f"{book['url']}/index.html")
    assert "not for clinical decisions" in page.locator("article").inner_text()
    page.locator("article a", has_text="The tryptase lab").first.click()
    page.wait_for_url("**/notebooks/05_tryptase_lab.html")
    assert page.locator("h1").first.inner_text().startswith("The tryptase lab")
    assert "Static snapshot of an interactive app" in page.locator("article").inner_text()
    launch = {a.get_attribute("title") or a.inner_text(): a.get_attribute("href")
              for a in page.locator(".dropdown-launch-buttons a").all()}
    binder = next(url for label, url in launch.items() if "Binder" in label)
    assert binder == ml.binder_url("lab/tree/notebooks/05_tryptase_lab.ipynb")
    hub = next(url for label, url in launch.items() if "JupyterHub" in label)
    expected = ml.nbgitpuller_url("https://hub.example.edu",
                                  notebook="notebooks/05_tryptase_lab.ipynb")
    assert hub.split("?")[0] == expected.split("?")[0]
    assert parse_qs(urlsplit(hub).query) == parse_qs(urlsplit(expected).query)
    # A glossary term in the text links to the generated glossary page.
    page.locator("article a[href*='glossary.html#term-']").first.click()
    page.wait_for_url("**/glossary.html#term-*")
    assert "Why it matters" in page.locator("article").inner_text()
    page.locator("nav a", has_text="References").first.click()
    page.wait_for_url("**/bibliography.html")
    assert "Khoury JD" in page.locator("article").inner_text()


def test_book_search_finds_a_glossary_term(book, site_page):
    page = site_page
    _open(page, f"{book['url']}/index.html")
    page.keyboard.press("Control+k")
    box = page.locator("input[name='q']:visible").first
    box.fill("Darier")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=Darier*")
    # Sphinx adds the results one by one (every 5 ms) and then writes its summary line; read the
    # list only once the summary says the search has finished.
    summary = page.locator("#search-results p.search-summary")
    page.wait_for_function(
        "() => (document.querySelector('#search-results p.search-summary') || {}).innerText"
        "?.startsWith('Search finished')", timeout=30_000)
    results = page.locator("#search-results ul.search li a")
    assert results.count() > 0, summary.inner_text()
    hrefs = [a.get_attribute("href") for a in results.all()]
    assert any("glossary.html" in href for href in hrefs), hrefs


def test_book_self_check_answers_offline(book, site_page):
    page = site_page
    _open(page, f"{book['url']}/notebooks/05_tryptase_lab.html")
    first = page.locator("#jq_05_tryptase_lab_basal .Quiz").first
    first.wait_for(timeout=PAGE_TIMEOUT_MS)
    first.scroll_into_view_if_needed()
    first.locator("label.MCButton", has_text="0 to 5 ng/mL").click()
    assert "Far too narrow" in first.locator(".Feedback").inner_text()
    first.locator("label.MCButton", has_text="1 to 15 ng/mL").click()
    assert "upper limit of 15 ng/mL" in first.locator(".Feedback").inner_text()
    assert "correctButton" in first.locator("label.MCButton", has_text="1 to 15").get_attribute(
        "class")
    # A numeric question graded with the data's answer and tolerance (the first numeric item of
    # the HaT section in data/quiz/05_tryptase_lab.json).
    _title, questions = load_quiz("05_tryptase_lab", "hat")
    item = next(q for q in questions if q.kind == "numeric")
    numeric = page.locator("#jq_05_tryptase_lab_hat .Quiz").first
    field = numeric.locator("input.Input-text")
    field.fill(f"{item.answer * 2 + 10:g}")
    field.press("Enter")
    assert "Too high" in numeric.locator(".Feedback").inner_text()
    field.fill(f"{item.answer:g}")
    field.press("Enter")
    assert "Correct" in numeric.locator(".Feedback").inner_text()


def test_book_figure_renders_from_the_site_plotly(book, site_page):
    page = site_page
    _open(page, f"{book['url']}/notebooks/05_tryptase_lab.html")
    scripts = page.evaluate(
        "() => [...document.scripts].filter(s => /plotly/.test(s.src)).map(s => s.src)")
    assert [s.split("?")[0] for s in scripts] == [f"{book['url']}/_static/plotly.min.js"], scripts
    figure = page.locator(".js-plotly-plot").first
    figure.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
    traces = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(el => (el.data || []).length)")
    assert traces and all(n > 0 for n in traces), f"blank figures: {traces}"
    box = figure.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200, box
    assert "Traceback" not in page.locator("article").inner_text()
    h.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(h.SCREENSHOTS / "site-05_tryptase_lab.png"))


@pytest.mark.parametrize("path", ["index.html", "notebooks/05_tryptase_lab.html"])
def test_book_pages_have_no_serious_axe_violations(book, site_page, path):
    """A page with self-checks (choice and numeric), app snapshots, tables and figures."""
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import _serious

    _open(site_page, f"{book['url']}/{path}")
    site_page.wait_for_load_state("load")
    problems = _serious(Axe().run(site_page).response["violations"])
    assert not problems, f"axe-core, book {path}:\n" + "\n".join(problems)
