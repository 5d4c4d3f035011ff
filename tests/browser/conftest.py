"""Fixtures for the real-browser tests: one server per front end, one Chromium per session,
a fresh page per test. See tests/browser/README.md."""

from __future__ import annotations

import json
import time
import warnings

import pytest

from . import harness as h


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Skip the browser tests when Chromium or Playwright is missing - or fail instead when
    ``MASTOLIB_REQUIRE_BROWSER=1`` (CI sets it, so a broken runner never passes silently)."""
    reason = h.browser_missing_reason()
    if reason is None:
        return
    if h.browser_required():
        pytest.fail(f"{h.REQUIRE_ENV}=1 but the browser tests cannot run: {reason}",
                    pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set {h.REQUIRE_ENV}=1 to make this an error)")


@pytest.fixture(scope="session")
def install_current(browser_available) -> None:
    """`make lab`/`make app` are run with --assume-old on the install stamp (never reinstall
    during a test); warn when the venv is older than pyproject.toml."""
    if not h.repo_install_is_current():
        warnings.warn("the .venv install stamp is out of date (pyproject.toml or "
                      "etc/jupyterlab-overrides.json changed): run `make install`; the browser "
                      "tests use the venv as it is", stacklevel=1)


def _isolated(tmp_path_factory, name: str) -> tuple[dict, object]:
    base = tmp_path_factory.mktemp(name)
    env = h.isolated_env(base / "env")
    problem = h.check_kernelspec(env)
    if problem:
        pytest.fail(problem, pytrace=False)
    return env, h.make_root(base)


def _start(name, cmd, *, cwd, env, port, token, root, ready_path):
    try:
        return h.start_server(name, cmd, cwd=cwd, env=env, port=port, token=token, root=root,
                              ready_path=ready_path)
    except h.ServerError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def lab_server(browser_available, install_current, tmp_path_factory):
    """JupyterLab started through `make lab`, serving a temp copy of notebooks/."""
    env, root = _isolated(tmp_path_factory, "lab")
    port, token = h.free_port(), h.new_token()
    workspaces = root.parent / "env" / "lab-workspaces"
    cmd = h.make_command("lab", root, "LAB_ARGS", [
        "--no-browser", "--ip", "127.0.0.1", "--port", str(port),
        f"--ServerApp.token={token}", "--allow-root", f"--LabApp.workspaces_dir={workspaces}",
        "--LabApp.extension_manager=readonly",
    ])
    server = _start("lab", cmd, cwd=root, env=env, port=port, token=token, root=root,
                    ready_path="api/status")
    yield server
    server.shutdown_kernels()
    server.stop()


@pytest.fixture(scope="session")
def notebook7_server(browser_available, install_current, tmp_path_factory):
    """Notebook 7 (`jupyter notebook`), serving a temp copy of notebooks/."""
    env, root = _isolated(tmp_path_factory, "nb7")
    port, token = h.free_port(), h.new_token()
    cmd = [str(h.VENV_BIN / "jupyter"), "notebook", "--no-browser", "--ip", "127.0.0.1",
           "--port", str(port), f"--ServerApp.token={token}", "--allow-root",
           f"--ServerApp.root_dir={root / 'notebooks'}", "--JupyterNotebookApp.extension_manager=readonly"]
    server = _start("notebook7", cmd, cwd=root, env=env, port=port, token=token, root=root,
                    ready_path="api/status")
    yield server
    server.shutdown_kernels()
    server.stop()


@pytest.fixture(scope="session")
def voila_server(browser_available, install_current, tmp_path_factory):
    """Voila started through `make app` (run from a temp root, so it serves the copy)."""
    env, root = _isolated(tmp_path_factory, "voila")
    port, token = h.free_port(), h.new_token()
    cmd = h.make_command("app", root, "APP_ARGS", [
        "--no-browser", "--port", str(port), f"--Voila.token={token}",
        "--show_tracebacks=True",
    ])
    server = _start("voila", cmd, cwd=root, env=env, port=port, token=token, root=root,
                    ready_path="voila/static/voila.js")
    yield server
    server.stop()


@pytest.fixture
def lab(lab_server):
    """The session's Lab server; its kernels are shut down after each test (after the
    failure screenshot of ``page``: request ``lab`` before ``page``)."""
    yield lab_server
    lab_server.shutdown_kernels()


@pytest.fixture
def notebook7(notebook7_server):
    """Like :func:`lab`, for Notebook 7."""
    yield notebook7_server
    notebook7_server.shutdown_kernels()


@pytest.fixture(scope="session")
def netlog():
    return h.NetLog()


@pytest.fixture(scope="session")
def browser(browser_available, tmp_path_factory, netlog):
    """One headless Chromium for the whole session (persistent profile in a temp dir)."""
    from playwright.sync_api import sync_playwright

    t0 = time.monotonic()
    with sync_playwright() as pw:
        try:
            context = h.launch_browser(pw, tmp_path_factory.mktemp("chromium-profile"), netlog)
        except Exception as exc:
            pytest.fail(f"Chromium did not start: {exc}", pytrace=False)
        h.TIMINGS["chromium start"] = time.monotonic() - t0
        yield context
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    if report.when == "call" and "browser" in item.keywords:
        h.TIMINGS[f"test {item.name}"] = report.duration
    return report


@pytest.fixture
def page(browser, request):
    """A fresh page; on failure its screenshot goes to test-artifacts/screenshots/FAILED-*.png
    and its console / page errors are printed."""
    pg = browser.new_page()
    pg.set_default_timeout(30_000)
    request.node.page_log = h.watch_page(pg)
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
        try:
            h.screenshot_full(pg, h.SCREENSHOTS / f"FAILED-{name}.png", h.guess_scroller(pg))
        except Exception as exc:  # the page may be gone
            print(f"could not save the failure screenshot: {exc}")
        print(f"browser log of {request.node.name}:\n{request.node.page_log.summary()}")
    pg.close()


@pytest.fixture
def page_log(page, request) -> h.PageLog:
    """Console and uncaught errors of ``page``."""
    return request.node.page_log


def pytest_terminal_summary(terminalreporter):
    from . import layout

    layout.write_results(h.ARTIFACTS / "layout-counts.json")
    if not h.TIMINGS:
        return
    h.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (h.ARTIFACTS / "browser-timings.json").write_text(
        json.dumps({k: round(v, 2) for k, v in h.TIMINGS.items()}, indent=2), encoding="utf-8")
    terminalreporter.section("browser test timings (s)")
    for key, value in h.TIMINGS.items():
        terminalreporter.write_line(f"{value:7.1f}  {key}")
