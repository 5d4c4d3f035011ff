"""A class of N learners on one Voilà server, driven at the protocol level (plus a few browsers).

A browser on a learner's own computer talks to Voilà with an HTTP GET of the page (Voilà runs the
notebook in a new kernel before the last byte is sent) and the kernel websocket
(`/api/kernels/<id>/channels`): the widget manager asks for every model's state over the
`jupyter.widget.control` comm (`request_states`), and a slider move is one `comm_msg`
`{"method": "update", "state": {"value": ...}}` to the slider's model. This script sends exactly
those messages from asyncio clients, so the two cores measure the server (Voilà + kernels), not
twenty headless Chromiums. A few real browsers (Playwright + /usr/bin/chromium) can run in the
same class to check the end-to-end view.

Per learner: page GET (time to first byte, to last byte = first render), websocket open,
`request_states` (bytes), then `--changes` slider steps. A step's round trip runs from sending
the update to the kernel's `status: idle` for it (every output message of the callback - the
figure's comm update - comes before that idle on the same socket); the time to the first figure
message is reported too, with the bytes received per step. Before the class, one warm-up learner
finds the slider whose move updates a figure (a non-slider model or an output), untimed.

Also recorded: load average before/after, CPU seconds used by the Voilà server process and by
its kernels during the class (where the time goes), kernel RSS, failures.

Run: .venv/bin/python -m benchmarks.bench_class_protocol [--learners 5 20 40] [--changes 20]
     [--think-ms 0] [--browsers 2] [--notebook 05_tryptase_lab.ipynb] [--first-render 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import struct
import subprocess
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import OUT, ROOT, learner_bytecode, percentile, save

ETC_JUPYTER = ROOT / "etc" / "jupyter"
SLIDERS = {"IntSliderModel", "FloatSliderModel", "FloatLogSliderModel"}
TIMEOUT_S = 30.0          # one slider step
PAGE_TIMEOUT_S = 180.0    # one page (N kernels start and execute at once on 2 cores); as hubsim
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# --- the Jupyter kernel websocket protocol (legacy JSON framing, what jupyter_server speaks
# when the client asks for no subprotocol) -------------------------------------------------------

def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "username": "learner", "session": session,
                       "msg_type": msg_type, "version": "5.3",
                       "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())},
            "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": "shell",
            "buffers": []}


def _decode(frame) -> dict:
    """A websocket frame as a message; binary frames carry buffers after the JSON part."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = struct.unpack("!I", frame[:4])[0]
    offsets = list(struct.unpack(f"!{count}I", frame[4:4 + 4 * count])) + [len(frame)]
    msg = json.loads(frame[offsets[0]:offsets[1]].decode())
    msg["buffers"] = [frame[offsets[i]:offsets[i + 1]] for i in range(1, count)]
    return msg


class KernelSocket:
    """One learner's kernel websocket: send a message, read messages with their size in bytes."""

    def __init__(self, ws, session: str):
        self.ws, self.session = ws, session
        self.bytes_in = 0

    async def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg = _message(msg_type, content, self.session, metadata)
        await self.ws.send(json.dumps(msg))
        return msg["header"]["msg_id"]

    async def recv(self, deadline: float) -> tuple[dict, int]:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError("no answer in time")
        frame = await asyncio.wait_for(self.ws.recv(), left)
        size = len(frame.encode() if isinstance(frame, str) else frame)
        self.bytes_in += size
        return _decode(frame), size


async def request_states(sock: KernelSocket) -> tuple[dict, int]:
    """All widget models' states, as the browser's widget manager loads them."""
    comm_id = uuid.uuid4().hex
    await sock.send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control",
                                  "data": {}}, {"version": "1.0.0"})  # widget control protocol
    await sock.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
    deadline = time.perf_counter() + PAGE_TIMEOUT_S
    total = 0
    while True:
        msg, size = await sock.recv(deadline)
        total += size
        data = msg.get("content", {}).get("data", {})
        if (msg.get("msg_type") == "comm_msg" and msg["content"].get("comm_id") == comm_id
                and data.get("method") == "update_states"):
            return data["states"], total


def _slider_value(state: dict, step: int) -> float:
    """The slider's next value one step right (even steps) or left, inside its range."""
    value, lo, hi = state["value"], state["min"], state["max"]
    inc = state.get("step") or 1
    new = value + inc if step % 2 == 0 else value - inc
    if not lo <= new <= hi:
        new = value - inc if step % 2 == 0 else value + inc
    if isinstance(value, int) and isinstance(inc, int):
        return int(new)
    return round(new, 10)


async def slider_step(sock: KernelSocket, comm_id: str, state: dict, step: int) -> dict:
    """Move a slider one step; time the figure's first message and the kernel's idle."""
    value = _slider_value(state, step)
    t0 = time.perf_counter()
    msg_id = await sock.send("comm_msg", {"comm_id": comm_id, "data": {
        "method": "update", "state": {"value": value}, "buffer_paths": []}})
    deadline = t0 + TIMEOUT_S
    first_update, size, updated_comms, outputs = None, 0, set(), 0
    while True:
        msg, n = await sock.recv(deadline)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        size += n
        kind = msg.get("msg_type")
        target = msg.get("content", {}).get("comm_id")
        if (kind == "comm_msg" and target != comm_id) or kind in (
                "display_data", "update_display_data", "clear_output", "stream"):
            if first_update is None:
                first_update = time.perf_counter() - t0
            if kind == "comm_msg":
                updated_comms.add(target)
            else:
                outputs += 1
        if kind == "status" and msg["content"].get("execution_state") == "idle":
            state["value"] = value
            return {"idle_s": time.perf_counter() - t0, "first_update_s": first_update,
                    "bytes": size, "updated_comms": updated_comms, "outputs": outputs}


# --- one learner ---------------------------------------------------------------------------------

@dataclass
class Learner:
    kind: str = "protocol"
    ttfb_s: float | None = None
    page_s: float | None = None
    page_bytes: int = 0
    states_s: float | None = None
    states_bytes: int = 0
    models: int = 0
    steps: list = field(default_factory=list)   # (idle_s, first_update_s, bytes)
    failures: int = 0
    error: str | None = None
    kernel_id: str | None = None


async def fetch_page(url: str) -> tuple[str, float, float]:
    """GET the Voilà page; time to first byte and to the last byte."""
    import httpx

    t0 = time.perf_counter()
    ttfb, chunks = None, []
    async with httpx.AsyncClient(timeout=PAGE_TIMEOUT_S) as client, \
            client.stream("GET", url) as resp:
        resp.raise_for_status()
        async for chunk in resp.aiter_bytes():
            if ttfb is None:
                ttfb = time.perf_counter() - t0
            chunks.append(chunk)
    return b"".join(chunks).decode(), ttfb or 0.0, time.perf_counter() - t0


async def shutdown_kernels(base: str, token: str, kernel_ids) -> None:
    """What a browser does on `beforeunload`: Voilà shuts the page's kernel down."""
    import httpx

    async with httpx.AsyncClient(timeout=120) as client:
        await asyncio.gather(*[client.post(f"{base}/voila/api/shutdown/{kid}?token={token}")
                               for kid in kernel_ids if kid])


async def execute_page(base: str, token: str, html: str) -> float:
    """Run the page's notebook as its script does when Voila renders progressively
    (etc/jupyter): the GET only starts the kernel, the page then asks over
    ``voila/execution/<kernel>`` and the cells' outputs come back one by one. Returns the
    seconds until the last cell's result (0 when Voila ran the notebook while serving it)."""
    import websockets

    if not re.search(r'"progressiveRendering":\s*"?true', html):
        return 0.0
    kid = kernel_id(html)
    url = base.replace("http://", "ws://") + f"/voila/execution/{kid}?token={token}"
    t0 = time.perf_counter()
    async with websockets.connect(url, max_size=None, open_timeout=60, ping_interval=None) as ws:
        await ws.send(json.dumps({"action": "execute", "payload": {"kernel_id": kid}}))
        while True:
            msg = json.loads(await asyncio.wait_for(ws.recv(), PAGE_TIMEOUT_S))
            if msg.get("action") == "execution_error":
                raise RuntimeError(f"Voila could not run the page: {msg.get('payload')}")
            payload = msg.get("payload") or {}
            if (msg.get("action") == "execution_result"
                    and payload["cell_index"] + 1 == payload["total_cell"]):
                return time.perf_counter() - t0


def kernel_id(html: str) -> str:
    match = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', html)
    if not match:
        raise RuntimeError("no kernelId in the Voilà page (did the notebook fail?)")
    return match.group(1)


async def connect(base: str, token: str, kid: str):
    import websockets

    session = uuid.uuid4().hex
    url = (base.replace("http://", "ws://") +
           f"/api/kernels/{kid}/channels?session_id={session}&token={token}")
    ws = await websockets.connect(url, max_size=None, open_timeout=60, ping_interval=None)
    return ws, KernelSocket(ws, session)


def _sliders(states: dict) -> list[tuple[str, dict]]:
    return [(mid, s["state"]) for mid, s in states.items()
            if s.get("model_name") in SLIDERS and not s["state"].get("disabled")]


async def find_slider(base: str, token: str, page: str) -> tuple[str, dict]:
    """Warm-up (untimed): which slider's move updates a figure; its description and index."""
    html, _, _ = await fetch_page(f"{base}/voila/render/{page}?token={token}")
    await execute_page(base, token, html)
    kid = kernel_id(html)
    ws, sock = await connect(base, token, kid)
    try:
        states, _ = await request_states(sock)
        for index, (mid, state) in enumerate(_sliders(states)):
            step = await slider_step(sock, mid, dict(state), 0)
            figures = {c for c in step["updated_comms"]
                       if states.get(c, {}).get("model_name") not in SLIDERS}
            if figures or step["outputs"]:
                return state.get("description", ""), {"index": index, "model_id": mid}
    finally:
        await ws.close()
        await shutdown_kernels(base, token, [kid])
    raise RuntimeError(f"no slider in {page} updates a figure")


async def protocol_learner(base: str, token: str, page: str, description: str, changes: int,
                           think_s: float, start: asyncio.Event) -> Learner:
    res = Learner()
    await start.wait()
    ws = None
    try:
        html, res.ttfb_s, res.page_s = await fetch_page(f"{base}/voila/render/{page}?token={token}")
        res.page_s += await execute_page(base, token, html)  # until the last cell has run
        res.page_bytes = len(html.encode())
        t0 = time.perf_counter()
        res.kernel_id = kernel_id(html)
        ws, sock = await connect(base, token, res.kernel_id)
        states, res.states_bytes = await request_states(sock)
        res.states_s = time.perf_counter() - t0
        res.models = len(states)
        matches = [(m, s) for m, s in _sliders(states) if s.get("description", "") == description]
        if not matches:
            raise RuntimeError(f"slider {description!r} not found")
        mid, state = matches[0]
        for step in range(changes):
            if think_s:
                await asyncio.sleep(random.uniform(0.5, 1.5) * think_s)
            try:
                r = await slider_step(sock, mid, state, step)
                res.steps.append((r["idle_s"], r["first_update_s"], r["bytes"]))
            except TimeoutError:
                res.failures += 1
    except Exception as exc:  # noqa: BLE001 - a learner whose page never came up counts as failed
        res.error = f"{type(exc).__name__}: {exc}"[:300]
        res.failures += changes - len(res.steps)
    finally:
        if ws is not None:
            await ws.close()
    return res


async def browser_learner(browser, url: str, changes: int, think_s: float,
                          start: asyncio.Event) -> Learner:
    from tests.browser.hubsim import SLIDER_STEP_JS  # the simulated class's timed slider step

    res = Learner(kind="browser")
    await start.wait()
    page = await browser.new_page()
    await page.route("**/cdn.jsdelivr.net/**", lambda r: r.abort())
    try:
        t0 = time.perf_counter()
        await page.goto(url, timeout=PAGE_TIMEOUT_S * 1000)
        handle = page.locator(".widget-slider .noUi-handle").first
        await handle.wait_for(timeout=PAGE_TIMEOUT_S * 1000)
        await page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.data "
            "&& p.data.length > 0)", timeout=PAGE_TIMEOUT_S * 1000)
        res.page_s = time.perf_counter() - t0   # until the app is usable in the page
        res.kernel_id = await page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
            ".kernelId")
        await handle.scroll_into_view_if_needed()
        element = await handle.element_handle()
        for step in range(changes):
            if think_s:
                await asyncio.sleep(random.uniform(0.5, 1.5) * think_s)
            ms = await page.evaluate(SLIDER_STEP_JS,
                                     [element, "ArrowRight" if step % 2 == 0 else "ArrowLeft"])
            if ms < 0:
                res.failures += 1
            else:
                res.steps.append((ms / 1000, ms / 1000, 0))
    except Exception as exc:  # noqa: BLE001
        res.error = f"{type(exc).__name__}: {exc}"[:300]
        res.failures += changes - len(res.steps)
    finally:
        await page.close()
    return res


# --- the server and the class --------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Voila:
    """`make app`'s Voilà (etc/jupyter config, a token) on a temp copy of the notebooks."""

    def __init__(self, extra_args: list[str]):
        self.tmp = Path(tempfile.mkdtemp(prefix="mastolib-bench-class-"))
        self.port, self.token = _free_port(), uuid.uuid4().hex
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, MASTOLIB_PROGRESS=str(self.tmp / "progress.json"),
                   JUPYTER_CONFIG_DIR=str(self.tmp / "config"),
                   JUPYTER_RUNTIME_DIR=str(self.tmp / "rt"), IPYTHONDIR=str(self.tmp / "ipy"),
                   JUPYTER_CONFIG_PATH=str(ETC_JUPYTER), JUPYTER_PATH=str(ETC_JUPYTER))
        env = learner_bytecode(env, self.tmp)
        self.log = open(self.tmp / "voila.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "voila"), str(ROOT / "notebooks"), "--no-browser",
             f"--port={self.port}", "--Voila.ip=127.0.0.1", f"--token={self.token}",
             *extra_args], stdout=self.log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True, cwd=self.tmp)
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{self.base}/voila/static/voila.js", timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("Voilà did not start")

    def cpu_and_rss(self) -> dict:
        """CPU seconds of the server process and of its kernels; kernels' RSS (MB)."""
        import psutil

        server = psutil.Process(self.proc.pid)
        kernels = server.children(recursive=True)
        kcpu, rss = 0.0, []
        for k in kernels:
            try:
                t = k.cpu_times()
                kcpu += t.user + t.system
                rss.append(k.memory_info().rss / 2**20)
            except psutil.Error:
                pass
        t = server.cpu_times()
        return {"server_cpu_s": t.user + t.system, "kernels_cpu_s": kcpu,
                "kernel_rss_mb": rss, "server_rss_mb": server.memory_info().rss / 2**20}

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()


def _ms(values) -> dict:
    ms = [v * 1000 for v in values if v is not None]
    if not ms:
        return {"n": 0, "p50": None, "p95": None, "max": None}
    return {"n": len(ms), "p50": round(statistics.median(ms)), "p95": round(percentile(ms, 95)),
            "max": round(max(ms))}


def _s(values) -> dict:
    s = [v for v in values if v is not None]
    if not s:
        return {"p50": None, "max": None}
    return {"p50": round(statistics.median(s), 2), "max": round(max(s), 2)}


async def run_class(server: Voila, page: str, description: str, learners: int, browsers: int,
                    changes: int, think_s: float) -> dict:
    start = asyncio.Event()
    load_before = os.getloadavg()
    before = server.cpu_and_rss()
    tasks = [asyncio.create_task(protocol_learner(server.base, server.token, page, description,
                                                  changes, think_s, start))
             for _ in range(learners - browsers)]
    pw = browser = None
    if browsers:
        from playwright.async_api import async_playwright

        pw = await async_playwright().start()
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium",
                                           args=CHROMIUM_ARGS)
        url = f"{server.base}/voila/render/{page}?token={server.token}"
        tasks += [asyncio.create_task(browser_learner(browser, url, changes, think_s, start))
                  for _ in range(browsers)]
    t0 = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0
    after = server.cpu_and_rss()   # before the kernels are shut down
    await shutdown_kernels(server.base, server.token, [r.kernel_id for r in results])
    if browser is not None:
        await browser.close()
        await pw.stop()
    proto = [r for r in results if r.kind == "protocol"]
    real = [r for r in results if r.kind == "browser"]
    row = {
        "learners": learners, "protocol_clients": len(proto), "browsers": len(real),
        "changes_each": changes, "think_ms": round(think_s * 1000), "wall_s": round(wall, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "failed_learners": sum(1 for r in results if r.error),
        "failed_steps": sum(r.failures for r in results),
        "protocol": {
            "round_trip_ms": _ms([s[0] for r in proto for s in r.steps]),
            "first_figure_message_ms": _ms([s[1] for r in proto for s in r.steps]),
            "bytes_per_step_p50": (statistics.median([s[2] for r in proto for s in r.steps])
                                   if any(r.steps for r in proto) else None),
            "page_ttfb_s": _s([r.ttfb_s for r in proto]),
            "page_render_s": _s([r.page_s for r in proto]),
            "page_bytes": max((r.page_bytes for r in proto), default=0),
            "widget_states_s": _s([r.states_s for r in proto]),
            "widget_states_bytes": max((r.states_bytes for r in proto), default=0),
            "widget_models": max((r.models for r in proto), default=0),
        },
        "browser": {"round_trip_ms": _ms([s[0] for r in real for s in r.steps]),
                    "app_ready_s": _s([r.page_s for r in real])} if real else None,
        "server_cpu_s": round(after["server_cpu_s"] - before["server_cpu_s"], 1),
        "kernels_cpu_s": round(after["kernels_cpu_s"] - before["kernels_cpu_s"], 1),
        "kernel_rss_mb": _s(after["kernel_rss_mb"]),
        "kernels_alive": len(after["kernel_rss_mb"]),
        "server_rss_mb": round(after["server_rss_mb"]),
        "errors": sorted({r.error for r in results if r.error}),
    }
    return row


async def first_render(server: Voila, page: str, repeat: int) -> dict:
    """One learner alone: page GET to last byte, plus (progressive rendering) until the last
    cell's outputs have arrived."""
    times, ttfb = [], []
    for _ in range(repeat):
        html, t_first, t_last = await fetch_page(f"{server.base}/voila/render/{page}?token="
                                                 f"{server.token}")
        t_last += await execute_page(server.base, server.token, html)
        await shutdown_kernels(server.base, server.token, [kernel_id(html)])
        times.append(t_last)
        ttfb.append(t_first)
        await asyncio.sleep(1)
    return {"repeat": repeat, "render_s": [round(t, 2) for t in times],
            "median_s": round(statistics.median(times), 2),
            "ttfb_s_median": round(statistics.median(ttfb), 2),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


async def profile(server: Voila, page: str, description: str, steps: int, learners: int) -> dict:
    """py-spy on the Voilà server and on one kernel while `learners` clients move the slider.

    Writes collapsed stacks (benchmarks/out/profile_*.txt) and returns the functions with the
    largest share of samples (inclusive), per process.
    """
    import psutil

    start = asyncio.Event()
    before = {p.pid for p in psutil.Process(server.proc.pid).children(recursive=True)}
    pages = [await fetch_page(f"{server.base}/voila/render/{page}?token={server.token}")
             for _ in range(learners)]
    for html, _, _ in pages:
        await execute_page(server.base, server.token, html)
    kernels = [p for p in psutil.Process(server.proc.pid).children(recursive=True)
               if p.pid not in before]
    pyspy = str(ROOT / ".venv" / "bin" / "py-spy")
    OUT.mkdir(parents=True, exist_ok=True)
    files = {"server": OUT / "profile_server.txt", "kernel": OUT / "profile_kernel.txt"}
    spies = [subprocess.Popen([pyspy, "record", "--format", "raw", "--rate", "200",
                               "-o", str(files[name]), "-p", str(pid)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for name, pid in (("server", server.proc.pid), ("kernel", kernels[0].pid))]
    await asyncio.sleep(1)

    async def drive(html):
        ws, sock = await connect(server.base, server.token, kernel_id(html))
        states, _ = await request_states(sock)
        mid, state = next((m, s) for m, s in _sliders(states)
                          if s.get("description", "") == description)
        await start.wait()
        out = [await slider_step(sock, mid, state, k) for k in range(steps)]
        await ws.close()
        return [r["idle_s"] for r in out]

    tasks = [asyncio.create_task(drive(html)) for html, _, _ in pages]
    await asyncio.sleep(2)
    start.set()
    trips = [t for r in await asyncio.gather(*tasks) for t in r]
    for spy in spies:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)
    await shutdown_kernels(server.base, server.token, [kernel_id(h) for h, _, _ in pages])
    return {"learners": learners, "steps_each": steps, "round_trip_ms": _ms(trips),
            **{name: top_functions(path) for name, path in files.items()}}


def top_functions(path: Path, count: int = 60) -> dict:
    """Inclusive share of samples per function (file:function) in py-spy's collapsed stacks."""
    total, inclusive = 0, {}
    if not path.is_file():
        return {"samples": 0, "top": []}
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        n = int(n)
        total += n
        seen = set()
        for frame in stack.split(";"):
            match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
            name = f"{match[1]} ({match[2]})" if match else frame
            name = re.sub(r"/[^ ]*site-packages/", "", name.replace(str(ROOT) + "/", ""))
            if name not in seen:
                seen.add(name)
                inclusive[name] = inclusive.get(name, 0) + n
    top = sorted(inclusive.items(), key=lambda kv: -kv[1])[:count]
    return {"samples": total, "top": [(name, round(100 * n / total, 1)) for name, n in top]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="*", default=[5, 20, 40])
    parser.add_argument("--browsers", type=int, default=2,
                        help="how many of each class's learners are real headless browsers")
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="mean pause between a learner's slider steps (0: back to back)")
    parser.add_argument("--notebook", default="05_tryptase_lab.ipynb")
    parser.add_argument("--first-render", type=int, default=3, help="repeats, 0 to skip")
    parser.add_argument("--voila-arg", action="append", default=[],
                        help="extra Voilà option, e.g. --voila-arg=--preheat_kernel=True")
    parser.add_argument("--label", default="", help="suffix of the output file")
    parser.add_argument("--profile", type=int, default=0, metavar="STEPS",
                        help="only profile (py-spy, needs `pip install py-spy`): STEPS slider "
                             "steps per learner, learners = the first --learners value")
    args = parser.parse_args(argv)
    if args.browsers and not Path("/usr/bin/chromium").exists():
        print("no /usr/bin/chromium: protocol clients only")
        args.browsers = 0
    server = Voila(args.voila_arg)
    try:
        description, slider = asyncio.run(find_slider(server.base, server.token, args.notebook))
        if args.profile:
            result = asyncio.run(profile(server, args.notebook, description, args.profile,
                                         args.learners[0]))
            print(json.dumps(result, indent=1))
            save("class_profile" + (f"_{args.label}" if args.label else ""), result)
            return
        first = asyncio.run(first_render(server, args.notebook, args.first_render)) \
            if args.first_render else None
        rows = []
        for n in args.learners:
            rows.append(asyncio.run(run_class(server, args.notebook, description, n,
                                              min(args.browsers, n), args.changes,
                                              args.think_ms / 1000)))
            print(json.dumps(rows[-1], indent=1), flush=True)
            time.sleep(5)
    finally:
        server.stop()
    payload = {"notebook": args.notebook, "slider": {"description": description, **slider},
               "voila_args": args.voila_arg, "first_render": first, "rows": rows}
    print(json.dumps({"first_render": first}, indent=1))
    save("class_protocol" + (f"_{args.label}" if args.label else ""), payload)


if __name__ == "__main__":
    main()
