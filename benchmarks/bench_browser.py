"""Browser round trip and concurrency in app mode (Voila + Playwright + Debian Chromium).

Round trip: a slider step (ArrowRight on the focused handle) until the plotly figure in the page
shows new data, timed in the browser. Concurrency: N learners open the same app at once (Voila
starts one kernel per page) and each drives the slider; the script reports p95 latency and
failures per N, and the first N whose p95 passes 1 s. Traffic stays on 127.0.0.1; counts and
time are bounded.

Run: .venv/bin/python -m benchmarks.bench_browser [--changes 50] [--learners 1 5 10 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

from benchmarks.common import ROOT, learner_bytecode, save, summary_ms

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
APP_CELL = "app = ml.tryptase_timing_app()\napp"

_CHANGE_JS = """async (handle) => {
    const before = JSON.stringify(document.querySelectorAll('.js-plotly-plot')[
        document.querySelectorAll('.js-plotly-plot').length - 1].data);
    const t0 = performance.now();
    handle.focus();
    handle.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
    while (performance.now() - t0 < 10000) {
        const plots = document.querySelectorAll('.js-plotly-plot');
        const now = JSON.stringify(plots[plots.length - 1].data);
        if (now !== before) return performance.now() - t0;
        await new Promise(r => setTimeout(r, 5));
    }
    return -1;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import mastolib as ml\nml.notice()"),
                nbformat.v4.new_code_cell(APP_CELL)]
    path = folder / "bench_app.ipynb"
    nbformat.write(nb, path)
    return path


async def _learner(browser, url: str, changes: int) -> tuple[list[float], int]:
    page = await browser.new_page()
    await page.route("**/cdn.jsdelivr.net/**", lambda r: r.abort())
    latencies, failures = [], 0
    try:
        await page.goto(url, timeout=180_000)
        handle = page.locator(".widget-slider .noUi-handle").first
        await handle.wait_for(timeout=180_000)
        await page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.data && "
            "p.data.length > 1)", timeout=180_000)
        element = await handle.element_handle()
        for _ in range(changes):
            ms = await page.evaluate(_CHANGE_JS, element)
            if ms < 0:
                failures += 1
            else:
                latencies.append(ms / 1000)
    except Exception:  # a learner whose page never came up counts as failed changes
        failures += changes - len(latencies)
    finally:
        await page.close()
    return latencies, failures


async def _round(url: str, learners: int, changes: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium",
                                          args=CHROMIUM_ARGS)
        t0 = time.perf_counter()
        results = await asyncio.gather(*[_learner(browser, url, changes)
                                         for _ in range(learners)])
        wall = time.perf_counter() - t0
        await browser.close()
    latencies = [x for lat, _ in results for x in lat]
    failures = sum(f for _, f in results)
    row = summary_ms(latencies) if latencies else {"n": 0, "p50_ms": None, "p95_ms": None,
                                                   "max_ms": None}
    row.update(learners=learners, changes=learners * changes, failures=failures,
               wall_s=round(wall, 1))
    return row


def run(changes: int, learners: list[int], concurrency_changes: int) -> tuple[dict, dict]:
    tmp = Path(tempfile.mkdtemp(prefix="mastolib-bench-browser-"))
    path = _notebook(tmp)
    port = _free_port()
    env = dict(os.environ, MASTOLIB_PROGRESS=str(tmp / "progress.json"),
               JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "rt"))
    env = learner_bytecode(env, tmp)
    log = open(tmp / "voila.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "voila"), str(tmp), "--no-browser", f"--port={port}",
         "--Voila.ip=127.0.0.1", "--ServerApp.token="], stdout=log, stderr=subprocess.STDOUT,
        env=env, start_new_session=True)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/voila.js",
                                       timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        url = f"http://127.0.0.1:{port}/voila/render/{path.name}"
        single = asyncio.run(_round(url, 1, changes))
        single.update(frontend="Voila", app="tryptase_timing_app (slider)")
        rows = [asyncio.run(_round(url, n, concurrency_changes)) for n in learners]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    over = [r["learners"] for r in rows if r["p95_ms"] is None or r["p95_ms"] > 1000]
    return {"rows": [single]}, {"rows": rows, "first_n_with_p95_over_1s": over[0] if over
                                else None}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--learners", type=int, nargs="*", default=[5, 10, 20])
    parser.add_argument("--concurrency-changes", type=int, default=10)
    args = parser.parse_args(argv)
    browser, concurrency = run(args.changes, args.learners, args.concurrency_changes)
    print(json.dumps({"browser": browser, "concurrency": concurrency}, indent=1))
    save("browser", browser)
    save("concurrency", concurrency)


if __name__ == "__main__":
    main()
