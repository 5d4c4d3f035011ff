"""A simulated class on a real JupyterHub (deploy/jupyterhub/jupyterhub_config.py via `make hub`).

Nothing here is a test; tests/browser/test_hub_class.py (N = 5, in CI) and
benchmarks/bench_hub_class.py (N = 20, 40) use it. The pieces:

* :func:`start_hub` - `make hub` with its state, the students' homes and a bare clone of the
  course in a temp folder; students are real Unix accounts (needs root), as on TLJH;
* :func:`signup`, :func:`login`, :func:`approve` - the NativeAuthenticator forms over HTTP
  (the teacher's side, and each student's sign-up);
* :func:`run_students` - each student, in their own browser context of one headless Chromium,
  logs in, follows the nbgitpuller link to a notebook in Voila (or Lab), answers one quiz
  question, moves a slider N times (round trip timed in the page), and tries another
  student's server and files;
* :func:`memory_mb_by_user`, :func:`delete_users`.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from . import harness as h

COURSE_DIR = "mastocytosis-course"     # nbgitpuller's targetpath in the hub config
COURSE_REF = "course"
APP_NOTEBOOK = "05_tryptase_lab.ipynb"  # a quiz and a slider app (tryptase timing)
HUB_START_TIMEOUT = 90.0
HUB_VENV = h.REPO / ".venv-hub"      # `make hub-deps`
STUDENT_TIMEOUT_MS = 180_000

# One slider step (alternately right and left, so a slider never runs into its end), timed in the
# page until any plotly figure shows new data.
SLIDER_STEP_JS = """async ([handle, key]) => {
    const plots = () => document.querySelectorAll('.js-plotly-plot');
    const snapshot = () => [...plots()].map(p => JSON.stringify(p.data)).join('|');
    const before = snapshot();
    const t0 = performance.now();
    handle.focus();
    handle.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true}));
    while (performance.now() - t0 < 10000) {
        if (snapshot() !== before) return performance.now() - t0;
        await new Promise(r => setTimeout(r, 5));
    }
    return -1;
}"""


class HubError(RuntimeError):
    """The hub or a student's server did not come up (the message holds the log tail)."""


def cannot_run_reason() -> str | None:
    """Why the simulated class cannot run here, or None."""
    reason = h.browser_missing_reason()
    if reason:
        return reason
    if os.geteuid() != 0:
        return "the simulated class creates one Unix account per student and needs root"
    for tool in ("useradd", "userdel", "runuser", "git", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} not found"
    chp = h.REPO / "deploy/jupyterhub/node_modules/.bin/configurable-http-proxy"
    if not chp.exists():
        return f"{chp} missing: run `make hub-deps` (make test does)"
    if not (HUB_VENV / "bin" / "jupyterhub").exists():
        return f"{HUB_VENV} missing: run `make hub-deps` (make test does)"
    probe = subprocess.run(["runuser", "-u", "nobody", "--", str(HUB_VENV / "bin" / "python"),
                            "-c", "import jupyterhub, mastolib, voila, nbgitpuller"],
                           capture_output=True, text=True)
    if probe.returncode:
        return ("a student account cannot run the hub's Python (every folder above "
                f"{HUB_VENV} must be readable by all): {probe.stderr.strip()[-300:]}")
    return None


def _free_ports(n: int = 3) -> int:
    """A port p with p .. p+n-1 free (the hub uses p+1 and p+2 for its own APIs)."""
    import socket
    for _ in range(50):
        base = h.free_port()
        try:
            for k in range(n):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", base + k))
            return base
        except OSError:
            continue
    raise HubError("no three consecutive free ports")


@dataclass
class Hub:
    proc: subprocess.Popen
    port: int
    folder: Path
    log_path: Path
    teacher: str = "teacher"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def homes(self) -> Path:
        return self.folder / "homes"

    @property
    def course_repo(self) -> Path:
        return self.folder / "course.git"

    def pull_link(self, notebook: str, app: str = "voila") -> str:
        """The nbgitpuller link a teacher hands out (relative to the hub)."""
        target = (f"voila/render/{COURSE_DIR}/notebooks/{notebook}" if app == "voila"
                  else f"lab/tree/{COURSE_DIR}/notebooks/{notebook}")
        query = urlencode({"repo": str(self.course_repo), "branch": COURSE_REF,
                           "targetpath": COURSE_DIR, "urlpath": target})
        return f"/hub/user-redirect/git-pull?{query}"

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def start_hub(tag: str) -> Hub:
    """`make hub` with a fresh state folder, homes and course clone (0755, for the students)."""
    import requests

    folder = Path(tempfile.mkdtemp(prefix=f"mastolib-hub-{tag}-"))
    folder.chmod(0o755)
    (folder / "homes").mkdir(mode=0o755)
    bare = folder / "course.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    subprocess.run(["git", "-C", str(h.REPO), "push", "--quiet", str(bare),
                    f"HEAD:refs/heads/{COURSE_REF}"], check=True)
    subprocess.run(["chmod", "-R", "a+rX", str(bare)], check=True)
    port = _free_ports()
    env = dict(os.environ, MASTOLIB_HUB_DIR=str(folder / "state"), MASTOLIB_HUB_PORT=str(port),
               MASTOLIB_HUB_HOMES=str(folder / "homes"), MASTOLIB_HUB_SPAWNER="system",
               MASTOLIB_COURSE_REPO=str(bare), MASTOLIB_COURSE_REF=COURSE_REF,
               MASTOLIB_HUB_SPAWN_LIMIT="50", MASTOLIB_HUB_TEACHER=f"mc{tag}teacher")
    h.LOGS.mkdir(parents=True, exist_ok=True)
    log_path = h.LOGS / f"hub-{tag}.log"
    log = open(log_path, "w")  # noqa: SIM115 - the hub writes into it until it stops
    # Never (re)install during a test: the stamps are taken as up to date.
    stamps = [f"--assume-old={p}" for p in HUB_VENV.glob(".installed-*")]
    stamps.append("--assume-old=deploy/jupyterhub/node_modules/.bin/configurable-http-proxy")
    cmd = ["make", "--no-print-directory", "-C", str(h.REPO), *stamps, "hub",
           f"HUB_VENV={HUB_VENV}"]
    proc = subprocess.Popen(cmd, cwd=h.REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    hub = Hub(proc, port, folder, log_path, teacher=f"mc{tag}teacher")
    deadline = time.monotonic() + HUB_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise HubError(f"the hub exited ({proc.returncode}):\n{hub.log_tail()}")
        try:
            if requests.get(f"{hub.base}/hub/login", timeout=2).status_code == 200:
                return hub
        except requests.RequestException:
            pass
        time.sleep(0.5)
    hub.stop()
    raise HubError(f"the hub did not answer in {HUB_START_TIMEOUT:.0f} s:\n{hub.log_tail()}")


def _xsrf(session, url: str) -> str:
    session.get(url, timeout=30)
    return session.cookies.get("_xsrf", "")


def signup(hub: Hub, name: str, password: str) -> str:
    """Sign up through /hub/signup; returns the page's text (the hub's answer)."""
    import requests

    with requests.Session() as s:
        token = _xsrf(s, f"{hub.base}/hub/signup")
        r = s.post(f"{hub.base}/hub/signup", timeout=30, data={
            "_xsrf": token, "username": name, "signup_password": password,
            "signup_password_confirmation": password, "email": ""})
        return r.text


def login(hub: Hub, name: str, password: str):
    """A requests.Session logged in as ``name`` (or not, if the hub refused)."""
    import requests

    s = requests.Session()
    token = _xsrf(s, f"{hub.base}/hub/login")
    s.post(f"{hub.base}/hub/login", data={"_xsrf": token, "username": name,
                                          "password": password}, timeout=30)
    return s


def is_logged_in(session, hub: Hub) -> bool:
    r = session.get(f"{hub.base}/hub/home", timeout=30, allow_redirects=False)
    return r.status_code == 200


def approve(teacher, hub: Hub, name: str) -> None:
    """The teacher approves a sign-up (NativeAuthenticator's /hub/authorize/NAME toggle)."""
    page = teacher.get(f"{hub.base}/hub/authorize", timeout=30).text
    if f"/authorize/{name}" not in page:
        raise HubError(f"{name} is not on the teacher's authorization page")
    r = teacher.get(f"{hub.base}/hub/authorize/{name}", timeout=30)
    r.raise_for_status()


def new_password() -> str:
    return secrets.token_urlsafe(12)


@dataclass
class StudentResult:
    name: str
    app: str
    choice: int
    login_to_ready_s: float | None = None
    round_trips_ms: list = field(default_factory=list)
    slider_failures: int = 0
    quiz_feedback: str = ""
    other_status: dict = field(default_factory=dict)
    icons_font: bool | None = None
    peak_memory_mb: float = 0.0
    error: str = ""


async def _student(browser, hub: Hub, name: str, password: str, app: str, choice: int,
                   other: str, changes: int, screenshot: Path | None) -> StudentResult:
    res = StudentResult(name, app, choice)
    context = await browser.new_context(viewport=h.VIEWPORT)
    await context.route(lambda url: not url.startswith("http://127.0.0.1"),
                        lambda route: route.abort())
    page = await context.new_page()
    page.set_default_timeout(STUDENT_TIMEOUT_MS)
    try:
        link = hub.pull_link(APP_NOTEBOOK, app)
        await page.goto(f"{hub.base}/hub/login?next={quote(link, safe='')}")
        await page.fill("#username_input", name)
        await page.fill("#password_input", password)
        t0 = time.monotonic()
        await page.click("#login_submit")
        # Spawn page -> nbgitpuller's progress page -> the notebook.
        if app == "lab":
            await page.wait_for_url(f"**/user/{name}/lab/**", timeout=STUDENT_TIMEOUT_MS)
            await page.locator(".jp-Notebook").first.wait_for()
            res.login_to_ready_s = time.monotonic() - t0
        else:
            await page.wait_for_url(f"**/user/{name}/voila/render/**",
                                    timeout=STUDENT_TIMEOUT_MS)
            handle = page.locator(".widget-slider .noUi-handle").first
            await handle.wait_for()
            await page.wait_for_function(
                "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.data "
                "&& p.data.length > 0)")
            res.login_to_ready_s = time.monotonic() - t0
            quiz = page.locator(".mastolib-quiz").first
            await quiz.scroll_into_view_if_needed()
            await quiz.locator("input[type=radio]").nth(choice).check()
            await quiz.locator("button", has_text="Check").first.click()
            feedback = quiz.locator(".mastolib-feedback").first
            await page.wait_for_function("(el) => el.textContent.trim().length > 0",
                                         arg=await feedback.element_handle())
            res.quiz_feedback = (await feedback.inner_text()).strip()
            # Font Awesome (the quiz's check icon) comes from Voila itself, not a CDN.
            res.icons_font = await page.evaluate(
                "() => document.fonts.check('900 16px \"Font Awesome 5 Free\"') && "
                "[...document.fonts].some(f => f.family.includes('Font Awesome') && "
                "f.status === 'loaded')")
            element = await handle.element_handle()
            await handle.scroll_into_view_if_needed()
            for step in range(changes):
                key = "ArrowRight" if step % 2 == 0 else "ArrowLeft"
                ms = await page.evaluate(SLIDER_STEP_JS, [element, key])
                if ms < 0:
                    res.slider_failures += 1
                else:
                    res.round_trips_ms.append(ms)
            if screenshot is not None:
                await page.screenshot(path=str(screenshot), full_page=False)
        # Another student's server, file and contents API, with this student's cookies.
        for what, path in {"server": f"/user/{other}/lab",
                           "file": f"/user/{other}/files/.mastolib/progress.json",
                           "api": f"/user/{other}/api/contents/.mastolib"}.items():
            response = await page.goto(f"{hub.base}{path}")
            res.other_status[what] = response.status if response else None
    except Exception as exc:  # one student's failure is a result, not the end of the class
        res.error = f"{type(exc).__name__}: {str(exc)[:500]}"
        if screenshot is not None:
            try:
                await page.screenshot(path=str(screenshot.with_name("FAILED-" + screenshot.name)))
            except Exception:
                pass
    finally:
        await context.close()
    return res


async def _class(hub, accounts, apps, changes, screenshots):
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(h.CHROMIUM), headless=True,
                                           args=h.CHROMIUM_ARGS)
        names = [n for n, _ in accounts]
        jobs = []
        for k, (name, password) in enumerate(accounts):
            shot = (screenshots / f"hub-class-{apps[k]}-{k}.png") if screenshots else None
            jobs.append(_student(browser, hub, name, password, apps[k], k % 2,
                                 names[(k + 1) % len(names)], changes, shot))
        peak = dict.fromkeys(names, 0.0)
        done = asyncio.Event()

        async def sample():
            while not done.is_set():
                now = await asyncio.to_thread(memory_mb_by_user, names)
                for name, mb in now.items():
                    peak[name] = max(peak[name], mb)
                try:
                    await asyncio.wait_for(done.wait(), timeout=2.0)
                except TimeoutError:
                    pass

        sampler = asyncio.create_task(sample())
        results = await asyncio.gather(*jobs)
        done.set()
        await sampler
        await browser.close()
    for r in results:
        r.peak_memory_mb = peak[r.name]
    return results


def run_students(hub: Hub, accounts, apps, changes: int, screenshots: Path | None = None):
    """Every student at once (one browser context each); returns a StudentResult per student
    (with ``peak_memory_mb``: their processes' resident memory, sampled every 2 s)."""
    # In a thread of its own: the suite's sync Playwright (tests/browser/conftest.py) keeps an
    # event loop marked running in this thread, and asyncio.run() refuses to start under it.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _class(hub, accounts, apps, changes, screenshots)).result()


def progress_of(hub: Hub, name: str) -> dict | None:
    path = hub.homes / name / ".mastolib" / "progress.json"
    return json.loads(path.read_text()) if path.exists() else None


def memory_mb_by_user(names) -> dict:
    """Resident memory (MB) of every process each student owns (server + kernels)."""
    import psutil

    uids = {}
    for name in names:
        try:
            uids[pwd.getpwnam(name).pw_uid] = name
        except KeyError:  # the account is made at the first spawn
            continue
    totals = dict.fromkeys(names, 0.0)
    for proc in psutil.process_iter(["uids", "memory_info"]):
        try:
            uid = proc.info["uids"].real
            if uid in uids and proc.info["memory_info"] is not None:
                totals[uids[uid]] += proc.info["memory_info"].rss / 2**20
        except (psutil.Error, AttributeError):
            continue
    return totals


def can_read_as(user: str, path: Path) -> bool:
    """Can the Unix account ``user`` read ``path``? (the isolation between students' homes)"""
    return subprocess.run(["runuser", "-u", user, "--", "cat", str(path)],
                          capture_output=True).returncode == 0


def remove_hub_files(hub: Hub) -> None:
    """The hub's temp folder and the git config file it wrote for the local course clone."""
    import hashlib

    digest = hashlib.sha256(str(hub.course_repo).encode()).hexdigest()[:12]
    shutil.rmtree(Path(tempfile.gettempdir()) / f"mastolib-hub-git-{digest}", ignore_errors=True)
    shutil.rmtree(hub.folder, ignore_errors=True)


def delete_users(names) -> None:
    """Remove the students' Unix accounts (their homes live in the hub's temp folder)."""
    import psutil

    uids = set()
    for name in names:
        try:
            uids.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            continue
    # The hub stops the servers it spawned; anything left of those accounts, by PID.
    for proc in psutil.process_iter(["uids"]):
        try:
            if proc.info["uids"].real in uids:
                proc.kill()
        except (psutil.Error, AttributeError):
            continue
    for name in names:
        subprocess.run(["userdel", name], capture_output=True)


def percentile(values, q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
