"""Reusable helpers for the real-browser tests (Playwright + the system Chromium).

Nothing here is a test. The pieces:

* :func:`browser_missing_reason` - why the browser tests cannot run here (or ``None``);
* :func:`isolated_env` / :func:`make_root` - a throw-away Jupyter environment and a temp copy
  of ``notebooks/`` to serve, so a test never writes into the repository or ``$HOME``;
* :func:`start_server` / :class:`Server` - start a server in its own process group, poll it
  until it answers, stop it (SIGTERM to the group, SIGKILL after 10 s);
* :func:`make_command` - ``make lab`` / ``make app`` aimed at a temp root (see its docstring);
* :func:`launch_browser` / :func:`watch_page` - one headless Chromium that can reach only
  127.0.0.1, and the console / page errors of one page;
* notebook helpers shared by JupyterLab and Notebook 7 (open, Run All, wait, check outputs)
  and :func:`output_problems`, which Voila uses too.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO / "notebooks"
MAKEFILE = REPO / "Makefile"
VENV = Path(sys.prefix)
VENV_BIN = VENV / "bin"
CHROMIUM = Path(os.environ.get("MASTOLIB_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LOGS = ARTIFACTS / "logs"
REQUIRE_ENV = "MASTOLIB_REQUIRE_BROWSER"
LAYOUT_FIXTURE = Path(__file__).resolve().parent / "data" / "broken_layout.ipynb"
LAYOUT_FIXTURE_NAME = "zz_broken_layout_fixture.ipynb"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}

SERVER_START_TIMEOUT = 60.0
RUN_ALL_TIMEOUT = 120.0
STOP_TIMEOUT = 10.0

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STDERR_MIME = "application/vnd.jupyter.stderr"

# Wall times (seconds) measured by the fixtures and tests; conftest prints and saves them.
TIMINGS: dict[str, float] = {}


def notebook_paths() -> list[Path]:
    """Every course notebook, sorted: the tests are parametrised over this list."""
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def code_cells_with_source(notebook: Path) -> int:
    """How many code cells of ``notebook`` must show ``[n]:`` after Run All: non-blank source,
    and the input not collapsed (``jupyter.source_hidden`` cells show no prompt number)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    count = 0
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        hidden = (cell.get("metadata", {}).get("jupyter") or {}).get("source_hidden", False)
        if cell.get("cell_type") == "code" and source.strip() and not hidden:
            count += 1
    return count


# --------------------------------------------------------------------------------------------
# Can we run at all?
# --------------------------------------------------------------------------------------------


def browser_missing_reason() -> str | None:
    """Why the real-browser tests cannot run on this machine, or ``None`` if they can."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return (f"{CHROMIUM} not found or not executable (Debian: `apt-get install chromium`; "
                "never `playwright install`)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"the Python package playwright is not importable ({exc}); run `make install`"
    return None


def browser_required() -> bool:
    """True when the environment asks for the browser tests to fail instead of skipping."""
    return os.environ.get(REQUIRE_ENV, "").strip() == "1"


# --------------------------------------------------------------------------------------------
# Isolated environment and a temp copy of the course
# --------------------------------------------------------------------------------------------

LAB_SETTINGS = {
    # Never write back into the served notebooks while the test runs.
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # No news / update checks (they would try to reach the internet).
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False, "fetchNews": "false"},
    # Every cell stays in the DOM, so the layout check (layout.py) can measure every output.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def isolated_env(base: Path) -> dict[str, str]:
    """Environment for one server: config, runtime, IPython, XDG, Lab settings and progress
    all under ``base``. ``JUPYTER_DATA_DIR`` is left alone (the kernelspec lives in the venv;
    :func:`check_kernelspec` makes sure no user kernelspec shadows it)."""
    env = os.environ.copy()
    dirs = {
        "JUPYTER_CONFIG_DIR": "jupyter-config",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
        "IPYTHONDIR": "ipython",
        "XDG_CONFIG_HOME": "xdg-config",
        "XDG_CACHE_HOME": "xdg-cache",
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
    }
    for var, sub in dirs.items():
        path = base / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    os.chmod(base / "jupyter-runtime", 0o700)
    for rel, value in LAB_SETTINGS.items():
        target = base / "lab-settings" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value, indent=2), encoding="utf-8")
    env["MASTOLIB_PROGRESS"] = str(base / "progress.json")
    env["MASTOLIB_DIARY"] = str(base / "diary.json")  # the symptom diary of notebook 10
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JUPYTER_TOKEN", None)
    return env


def check_kernelspec(env: dict[str, str]) -> str | None:
    """Problem with the ``python3`` kernelspec the servers will use, or ``None``.

    ``JUPYTER_DATA_DIR`` is not redirected, so a ``python3`` kernelspec in the user's data dir
    would shadow the venv's one and run the notebooks with another Python."""
    proc = subprocess.run([str(VENV_BIN / "jupyter"), "kernelspec", "list", "--json"],
                          env=env, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        return f"`jupyter kernelspec list` failed: {proc.stderr[-2000:]}"
    specs = json.loads(proc.stdout).get("kernelspecs", {})
    if "python3" not in specs:
        return f"no python3 kernelspec found (have: {sorted(specs)})"
    resource_dir = Path(specs["python3"]["resource_dir"]).resolve()
    if not resource_dir.is_relative_to(VENV.resolve()):
        return (f"the python3 kernelspec comes from {resource_dir}, not from the venv {VENV}: "
                "a user kernelspec shadows it (remove it or set JUPYTER_DATA_DIR)")
    argv = specs["python3"]["spec"]["argv"]
    if argv[0] not in ("python", "python3") and not Path(argv[0]).resolve().is_relative_to(
            VENV.resolve()):
        return f"the python3 kernelspec runs {argv[0]}, not the venv's Python"
    return None


def make_root(base: Path) -> Path:
    """A temp course root holding a copy of ``notebooks/`` (Run All never writes to the repo)."""
    root = base / "course"
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(NOTEBOOKS_DIR, root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # The deliberately broken notebook of test_layout.py, served next to the course's own
    # (notebook_paths() lists the repository's notebooks/, so no course test runs it).
    shutil.copy(LAYOUT_FIXTURE, root / "notebooks" / LAYOUT_FIXTURE_NAME)
    return root


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (bind to port 0 and let the OS choose)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def new_token() -> str:
    return secrets.token_hex(16)


# --------------------------------------------------------------------------------------------
# make lab / make app aimed at a temp root
# --------------------------------------------------------------------------------------------


def make_stamps(root: Path) -> list[str]:
    """The install stamps the Makefile computes when run from ``root`` (for ``--assume-old``):
    the learners' one (``make lab``/``make app``) and the test stack's one."""
    proc = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(root), "-f", str(MAKEFILE),
         f"VENV={VENV}", "--eval", "mastolib-print-stamp: ; @echo $(LAB_STAMP) $(STAMP)",
         "mastolib-print-stamp"],
        capture_output=True, text=True, timeout=30, check=True)
    return proc.stdout.strip().splitlines()[-1].split()


def repo_install_is_current() -> bool:
    """``make -q install`` in the repository: is the venv's install stamp up to date?"""
    proc = subprocess.run(["make", "-q", "-C", str(REPO), "install"], capture_output=True,
                          timeout=30)
    return proc.returncode == 0


def make_command(target: str, root: Path, args_var: str, args: list[str]) -> list[str]:
    """``make <target>`` of the repository's Makefile, run with ``root`` as working directory.

    Why not ``make -C REPO lab LAB_ARGS=--ServerApp.root_dir=TMP``: the Makefile already passes
    ``--ServerApp.root_dir="$(CURDIR)"`` and traitlets rejects a second value ("root_dir only
    accepts one value"); and ``make app`` serves ``notebooks/`` relative to the working
    directory. So the repository's Makefile is run *from the temp root* (``-C root -f
    REPO/Makefile``): ``$(CURDIR)`` and ``notebooks/`` then mean the temp copy, exactly as for a
    learner running ``make lab`` in their checkout. ``VENV`` points at the repository's venv
    and ``--assume-old=<stamp>`` stops make from (re)installing from the temp root.
    """
    return ["make", "--no-print-directory", "-C", str(root), "-f", str(MAKEFILE),
            *[f"--assume-old={stamp}" for stamp in make_stamps(root)], target, f"VENV={VENV}",
            f"{args_var}={' '.join(args)}"]


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------


class ServerError(RuntimeError):
    """A server did not start (the message holds the tail of its log)."""


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    port: int
    token: str
    root: Path
    log_path: Path
    start_seconds: float = 0.0
    _log_file: object = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, **params) -> str:
        query = {"token": self.token, **params}
        parts = [f"{k}={v}" if v != "" else k for k, v in query.items()]
        return f"{self.base}/{path.lstrip('/')}?{'&'.join(parts)}"

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def api(self, method: str, path: str):
        url = f"{self.base}/{path.lstrip('/')}?{urlencode({'token': self.token})}"
        req = urllib.request.Request(url, method=method)
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every kernel of a Jupyter server (keeps a 2-core machine free)."""
        try:
            for kernel in self.api("GET", "api/kernels") or []:
                self.api("DELETE", f"api/kernels/{kernel['id']}")
        except (OSError, urllib.error.URLError, ValueError):
            pass

    def stop(self) -> None:
        stop_process_group(self.proc, STOP_TIMEOUT)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_process_group(proc: subprocess.Popen, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM to the process group started with ``start_new_session=True``; wait until the
    whole group is gone; SIGKILL it after ``timeout`` seconds."""
    pgid = proc.pid
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        proc.wait()
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc.poll()
        if not _group_alive(pgid):
            break
        time.sleep(0.1)
    else:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_server(name: str, cmd: list[str], *, cwd: Path, env: dict[str, str], port: int,
                 token: str, root: Path, ready_path: str,
                 timeout: float = SERVER_START_TIMEOUT) -> Server:
    """Start ``cmd`` in its own session, logging to ``test-artifacts/logs/<name>.log``, and
    poll ``ready_path`` (``?token=``) until it answers 200. Raises :class:`ServerError` (with
    the log tail) if the process exits or ``timeout`` passes; the process is stopped then."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / f"{name}.log"
    log_file = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed by Server.stop
    log_file.write(f"$ (cd {cwd} && {' '.join(cmd)})\n")
    log_file.flush()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
                            stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name, proc, port, token, root, log_path, _log_file=log_file)
    ready_url = f"{server.base}/{ready_path.lstrip('/')}?{urlencode({'token': token})}"
    deadline = t0 + timeout
    while True:
        if proc.poll() is not None:
            server.stop()
            raise ServerError(f"{name} exited with code {proc.returncode} before answering "
                              f"{ready_path}; log {log_path}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(ready_url, timeout=2) as resp:
                if resp.status == 200:
                    break
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise ServerError(f"{name} did not answer {ready_path} within {timeout:.0f} s; "
                              f"log {log_path}:\n{server.log_tail()}")
        time.sleep(0.2)
    server.start_seconds = time.monotonic() - t0
    TIMINGS[f"{name} server start"] = server.start_seconds
    return server


# --------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------


@dataclass
class NetLog:
    """Requests the browser was not allowed to make (anything not to 127.0.0.1)."""

    blocked: list = field(default_factory=list)


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1"


def launch_browser(playwright, profile_dir: Path, netlog: NetLog):
    """One persistent headless Chromium context that can only reach 127.0.0.1."""
    context = playwright.chromium.launch_persistent_context(
        str(profile_dir), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        viewport=VIEWPORT)

    def abort(route):
        netlog.blocked.append(route.request.url)
        route.abort()

    context.route(_is_external, abort)
    context.route("**/cdn.jsdelivr.net/**", abort)  # Voila's Font Awesome; offline anyway
    context.set_default_timeout(30_000)
    return context


@dataclass
class PageLog:
    """Console errors and uncaught page errors of one page."""

    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)

    def relevant_console_errors(self) -> list[str]:
        """Console errors other than the ones our own network block causes."""
        return [m for m in self.console_errors if "net::ERR_FAILED" not in m
                and "net::ERR_BLOCKED" not in m]

    def summary(self) -> str:
        lines = [f"page error: {e}" for e in self.page_errors]
        lines += [f"console error: {e}" for e in self.console_errors]
        return "\n".join(lines) or "(none)"


def watch_page(page) -> PageLog:
    log = PageLog()

    def on_console(msg):
        if msg.type == "error":
            where = (msg.location or {}).get("url", "")
            log.console_errors.append(f"{msg.text} [{where}]")

    page.on("console", on_console)
    def on_pageerror(exc):
        stack = (getattr(exc, "stack", "") or "").splitlines()[1:4]
        log.page_errors.append(" | ".join([str(exc), *[s.strip() for s in stack]]))

    page.on("pageerror", on_pageerror)
    return log


# --------------------------------------------------------------------------------------------
# Notebook UI (JupyterLab 4 and Notebook 7 share the same notebook widgets and menus)
# --------------------------------------------------------------------------------------------

KERNEL_DIALOG_ACCEPT = ".jp-Dialog .jp-Dialog-button.jp-mod-accept"
EXEC_INDICATOR = ".jp-Notebook-ExecutionIndicator"


def open_notebook(page, url: str, timeout: float = 60.0) -> None:
    """Open a notebook, accept the "Select Kernel" dialog if it shows, wait for an idle kernel."""
    page.goto(url, wait_until="domcontentloaded")
    page.locator(".jp-Notebook").first.wait_for(state="visible", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        dialog = page.locator(KERNEL_DIALOG_ACCEPT)
        if dialog.count() and dialog.first.is_visible():
            dialog.first.click()
        state = page.evaluate(_KERNEL_STATE_JS, [EXEC_INDICATOR, KERNEL_DIALOG_ACCEPT])
        if state["status"] == "idle" and state["kernel"] not in ("", "No Kernel") \
                and not state["dialog"]:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"no idle kernel {timeout:.0f} s after opening {url} ({state})")


# The toolbar's kernel name ("No Kernel" until one is chosen) and the execution indicator
# (which also reads "idle" while there is no kernel at all).
_KERNEL_STATE_JS = """([indicator, dialog]) => {
    const ind = document.querySelector(indicator);
    const name = document.querySelector('.jp-NotebookPanel-toolbar .jp-KernelName, .jp-KernelName');
    return {status: ind ? ind.getAttribute('data-status') : null,
            kernel: name ? name.textContent.trim() : '',
            dialog: !!document.querySelector(dialog)};
}"""


def run_all_cells(page) -> None:
    """Run > Run All Cells from the main menu bar."""
    page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click()
    page.locator(".lm-Menu .lm-Menu-itemLabel:text-is('Run All Cells')").click()


_PROMPTS_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(c => {
    const p = c.querySelector('.jp-InputPrompt');
    return p ? p.textContent.trim() : '';
})"""

_DONE_JS = """([expected, indicator]) => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim());
    if (prompts.some(p => p.includes('*'))) return false;
    if (prompts.filter(p => /^\\[\\d+\\]:$/.test(p)).length < expected) return false;
    const ind = document.querySelector(indicator);
    return !!ind && ind.getAttribute('data-status') === 'idle';
}"""


def wait_until_executed(page, expected_cells: int, timeout: float = RUN_ALL_TIMEOUT) -> None:
    """Wait until ``expected_cells`` code cells show ``[n]:``, none shows ``[*]:`` and the
    kernel indicator reads idle."""
    try:
        page.wait_for_function(_DONE_JS, arg=[expected_cells, EXEC_INDICATOR],
                               timeout=timeout * 1000, polling=250)
    except Exception as exc:  # playwright TimeoutError; report what the page shows
        prompts = page.evaluate(_PROMPTS_JS)
        raise AssertionError(
            f"Run All did not finish within {timeout:.0f} s: expected {expected_cells} code "
            f"cells with [n]:, prompts are {prompts}") from exc


_PROBLEMS_JS = """([root, widgetMime, stderrMime]) => {
    const scope = document.querySelector(root) || document.body;
    // textContent, not innerText: JupyterLab skips rendering off-screen cells
    // (content-visibility), and innerText of skipped content is empty.
    const text = el => (el.textContent || '').trim();
    const stderr = [...scope.querySelectorAll(`.jp-OutputArea-output[data-mime-type="${stderrMime}"]`)]
        .map(text);
    const errorOutputs = [...scope.querySelectorAll('.jp-OutputArea-output')]
        .filter(el => /Traceback|\\b\\w*Error\\b/.test(text(el)) &&
                      (el.getAttribute('data-mime-type') === stderrMime ||
                       el.querySelector('.ansi-red-fg, .ansi-red-intense-fg')))
        .map(text);
    // JupyterLab 4.6, Notebook 7 and Voila set no data-mime-type on outputs rendered by the
    // widget manager or the plotly renderer: such an output must hold a widget view or a
    // figure, anything else (an empty box) means it failed to render.
    const rendered = el => el.matches('.js-plotly-plot') ||
        el.querySelector('.jupyter-widgets, .js-plotly-plot');
    const outputs = [...scope.querySelectorAll('.jp-OutputArea-output')];
    const widgetOutputs = outputs.filter(el => el.querySelector('.jupyter-widgets'));
    const emptyOutputs = outputs
        .filter(el => !el.getAttribute('data-mime-type') && !rendered(el))
        .map(el => `${el.className}: ${(el.innerHTML || '(empty)').slice(0, 300)}`);
    const all = text(scope);
    const badText = ['Loading widget...', 'Error displaying widget', 'Error rendering output']
        .filter(t => all.includes(t));
    const reprs = all.match(/\\b(VBox|HBox|Box|GridBox|Tab|Accordion|FigureWidget)\\((children|data)=/g) || [];
    const plots = [...scope.querySelectorAll('.js-plotly-plot')].map((el, i) => {
        const r = el.getBoundingClientRect();
        return {index: i, traces: Array.isArray(el.data) ? el.data.length : 0,
                width: Math.round(r.width), height: Math.round(r.height)};
    });
    return {stderr, errorOutputs, widgetOutputs: widgetOutputs.length, emptyOutputs,
            emptyWidgetOutputs: 0,  // deprecated, kept for callers of the first version
            badText, reprs, plots,
            widgets: scope.querySelectorAll('.jupyter-widgets').length};
}"""


def output_problems(page, root_selector: str) -> dict:
    """Inspect the rendered outputs under ``root_selector``; see :func:`assert_outputs_ok`."""
    return page.evaluate(_PROBLEMS_JS, [root_selector, WIDGET_MIME, STDERR_MIME])


_PLOTS_FILLED_JS = """sel => [...document.querySelectorAll(`${sel} .js-plotly-plot`)]
    .every(el => Array.isArray(el.data) && el.data.length > 0)"""


def scroll_plots_into_view(page, root_selector: str, timeout_ms: int = 20_000) -> None:
    """Scroll every plotly figure into view once (off-screen cells may render lazily), then
    give figures up to ``timeout_ms`` to receive their traces (a FigureWidget draws empty
    axes first and its data a moment later). A figure still empty after that is reported
    by :func:`assert_outputs_ok` as blank."""
    plots = page.locator(f"{root_selector} .js-plotly-plot")
    for i in range(plots.count()):
        plots.nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(100)
    try:
        page.wait_for_function(_PLOTS_FILLED_JS, arg=root_selector, timeout=timeout_ms,
                               polling=250)
    except Exception:  # playwright TimeoutError: reported as blank figures later
        pass


def assert_outputs_ok(report: dict, where: str, log: PageLog | None = None) -> None:
    """Fail with the offending text: tracebacks, error outputs, unrendered widgets, blank plots
    (plus the page's uncaught errors, with hints, when ``log`` is given: they often explain)."""
    problems = []
    for text in report["errorOutputs"]:
        problems.append(f"error output:\n{text[:3000]}")
    for text in report["stderr"]:
        if re.search(r"Traceback|Error", text) and text not in report["errorOutputs"]:
            problems.append(f"stderr output with an error:\n{text[:3000]}")
    if report["badText"]:
        problems.append(f"widget not rendered: page shows {report['badText']}")
    if report["reprs"]:
        problems.append(f"widget shown as its text repr (widget manager missing?): "
                        f"{report['reprs'][:5]}")
    for html in report["emptyOutputs"]:
        problems.append(f"output without a rendered widget view or figure (blank box): {html}")
    for plot in report["plots"]:
        if plot["traces"] < 1 or plot["width"] <= 0 or plot["height"] <= 0:
            problems.append(f"blank plotly figure #{plot['index']}: {plot['traces']} traces, "
                            f"{plot['width']}x{plot['height']} px")
    assert not problems, _with_page_errors(f"{where}:\n" + "\n\n".join(problems), log)


# How far the last cell reaches below the scroller's visible area (ignores the empty
# "scroll past the end" space JupyterLab adds under the last cell).
_OVERFLOW_JS = """sel => {
    const el = document.querySelector(sel);
    if (!el) return 0;
    el.scrollTop = 0;
    const cells = el.querySelectorAll('.jp-Cell');
    const last = cells[cells.length - 1];
    const bottom = last ? last.getBoundingClientRect().bottom - el.getBoundingClientRect().top
                        : el.scrollHeight;
    return Math.ceil(bottom - el.clientHeight);
}"""


def screenshot_full(page, path: Path, scroller: str | None = None) -> Path:
    """Save a screenshot of the whole document.

    JupyterLab and Notebook 7 scroll inside ``scroller`` (the notebook's windowed panel), so a
    plain full-page screenshot would show one screen only: the viewport is made as tall as
    the scrolled content for the shot, then restored."""
    path.parent.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or VIEWPORT
    if scroller:
        # Two passes: off-screen cells only get their real height once the viewport shows them.
        for _ in range(2):
            overflow = page.evaluate(_OVERFLOW_JS, scroller)
            if overflow <= 0:
                break
            current = page.viewport_size or original
            height = min(current["height"] + overflow + 40, 16_000)
            page.set_viewport_size({"width": original["width"], "height": height})
            page.wait_for_timeout(500)
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if scroller:
            page.set_viewport_size(original)
    return path


# --------------------------------------------------------------------------------------------
# The whole check of one notebook in JupyterLab / Notebook 7, and the interaction step
# --------------------------------------------------------------------------------------------

NOTEBOOK_ROOT = ".jp-Notebook"
NOTEBOOK_SCROLLER = ".jp-WindowedPanel-outer"
VOILA_SCROLLER = "#rendered_cells"


def guess_scroller(page) -> str | None:
    """The element that scrolls the document in Lab / Notebook 7 / Voila (None: the page)."""
    for selector in (NOTEBOOK_SCROLLER, VOILA_SCROLLER):
        if page.locator(selector).count():
            return selector
    return None


def _with_page_errors(message: str, log: PageLog | None) -> str:
    if log is None or not log.page_errors:
        return message
    hints = [f"\nHint: {hint}" for rx, hint in PAGE_ERROR_HINTS
             if any(re.search(rx, e) for e in log.page_errors)]
    return (f"{message}\nuncaught errors in the page:\n" + "\n".join(log.page_errors)
            + "".join(hints))


def run_interaction(page, root_locator, stem: str, report: dict, where: str,
                    log: PageLog | None = None) -> bool:
    """Run ``INTERACTIONS[stem]``; fail if the notebook shows widgets but has none registered.
    Returns True when an interaction ran. A failing interaction's message gets the page's
    uncaught errors (and hints) appended when ``log`` is given."""
    from .interactions import INTERACTIONS

    interaction = INTERACTIONS.get(stem)
    if interaction is None:
        assert not report["widgets"], (
            f"{where}: {stem}.ipynb shows {report['widgets']} widget elements but "
            f"tests/browser/interactions.py has no INTERACTIONS[{stem!r}]; add a function that "
            "uses its widgets like a learner (see the docstring of interactions.py)")
        return False
    try:
        interaction(page, root_locator)
    except AssertionError as exc:
        if log is None or not log.page_errors:
            raise
        raise AssertionError(_with_page_errors(f"{where}: {exc}", log)) from exc
    return True


# Uncaught page errors that come from the front end itself, not from the course. Each entry:
# (front-end label, regex on the error message, why it is tolerated). Keep this list short and
# re-check it when jupyterlab / notebook / voila are upgraded.
KNOWN_PAGE_ERRORS = [
    ("notebook7", r"^Cannot read properties of undefined \(reading 'schema'\)",
     "Notebook 7.6.5 keyboard-shortcuts settings handler (notebook_core.js), thrown on opening "
     "any notebook, also with every third-party lab extension disabled and no settings"),
]

# Uncaught errors that are real failures but need a word of explanation in the message.
PAGE_ERROR_HINTS = [
    (r"\[anywidget\] Failed to initialize model",
     "anywidget (0.11) gives up on a widget whose model takes more than 2 s to initialise; "
     "a plotly FigureWidget (built on anywidget, ~5 MB of JavaScript) then stays blank (empty "
     "axes) or stops following its controls. It happens when the browser machine is slow or "
     "busy - as a learner's laptop or Binder can be: fewer FigureWidgets per page (go.Figure "
     "for static figures) make it less likely."),
]


def unexpected_page_errors(log: PageLog, label: str) -> list[str]:
    known = [re.compile(rx) for lab, rx, _why in KNOWN_PAGE_ERRORS if lab in (label, "*")]
    return [e for e in log.page_errors if not any(rx.search(e) for rx in known)]


def assert_no_page_errors(log: PageLog, where: str, label: str) -> None:
    """No uncaught JavaScript error in the page, apart from :data:`KNOWN_PAGE_ERRORS`."""
    unexpected = unexpected_page_errors(log, label)
    hints = [hint for rx, hint in PAGE_ERROR_HINTS if any(re.search(rx, e) for e in unexpected)]
    assert not unexpected, (f"{where}: uncaught errors in the page:\n" + "\n".join(unexpected)
                            + "".join(f"\nHint: {hint}" for hint in hints))


def check_notebook_ui(page, log: PageLog, url: str, notebook: Path, label: str) -> dict:
    """Open ``url``, Run All, wait, check outputs, screenshot, interact. ``label`` is ``lab``
    or ``notebook7``; screenshots go to ``test-artifacts/screenshots/<label>-<stem>.png``
    (after Run All) and ``<label>-<stem>-after.png`` (after the interaction)."""
    stem = notebook.stem
    where = f"{label}, {notebook.name}"
    t0 = time.monotonic()
    open_notebook(page, url)
    t_open = time.monotonic()
    run_all_cells(page)
    wait_until_executed(page, code_cells_with_source(notebook))
    t_run = time.monotonic()
    TIMINGS[f"{label} open {stem}"] = t_open - t0
    TIMINGS[f"{label} run all {stem}"] = t_run - t_open
    # Let widget views and figures attach, then look at everything like a learner scrolling.
    page.wait_for_function(
        """() => !document.body.textContent.includes('Loading widget...')""", timeout=30_000)
    scroll_plots_into_view(page, NOTEBOOK_ROOT)
    report = output_problems(page, NOTEBOOK_ROOT)
    screenshot_full(page, SCREENSHOTS / f"{label}-{stem}.png", NOTEBOOK_SCROLLER)
    assert_outputs_ok(report, where, log)
    found = None
    if label == "lab":
        from . import layout
        t_layout = time.monotonic()
        found = layout.run_layout_check(page, NOTEBOOK_ROOT, notebook, label, NOTEBOOK_SCROLLER,
                                        SCREENSHOTS)
        TIMINGS[f"{label} layout {stem}"] = time.monotonic() - t_layout
    if run_interaction(page, page.locator(NOTEBOOK_ROOT).first, stem, report, where, log):
        TIMINGS[f"{label} interaction {stem}"] = time.monotonic() - t_run
        screenshot_full(page, SCREENSHOTS / f"{label}-{stem}-after.png", NOTEBOOK_SCROLLER)
        assert_outputs_ok(output_problems(page, NOTEBOOK_ROOT), f"{where}, after interaction",
                          log)
    assert_no_page_errors(log, where, label)
    if found is not None:
        layout.assert_layout_ok(found, label, stem)
    return report
