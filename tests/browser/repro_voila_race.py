"""Load one notebook as a Voila app N times and count the pages that show "model not found".

Not a test (pytest does not collect it): a reproduction of issue #13's last part, kept so the
rate can be measured again. It serves the course exactly as the browser tests do (`make app`
from a temp copy of ``notebooks/``, the project's ``etc/jupyter`` config) and loads the page in
the same headless Chromium, one load at a time, closing each page (Voila then shuts its
kernel down) before the next. Per load it records: the widgets that show "Error displaying
widget" (cell index and the text just before them), every console message of type error or
warning, the uncaught page errors, the widget-protocol messages seen on the kernel websocket
(``request_states`` / ``update_states`` / ``comm_info`` / ``request_state``, with times and
sizes) and the Voila log lines of that load.

    .venv/bin/python -m tests.browser.repro_voila_race 09_cohort_explorer -n 10
    .venv/bin/python -m tests.browser.repro_voila_race 09_cohort_explorer -n 10 --json out.json

Exit status 1 when any load showed the error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from . import harness as h

ERROR_TEXT = "model not found"

# Which outputs show a widget error, located by their cell and the text shown before them.
_ERRORS_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
    .filter(el => (el.textContent || '').includes('Error displaying widget'))
    .filter(el => ![...el.querySelectorAll('.jp-OutputArea-output')]
        .some(inner => (inner.textContent || '').includes('Error displaying widget')))
    .map(el => {
        const cell = el.closest('[cell-index]');
        let before = '';
        let node = cell;
        while (node && before.length < 80) {
            node = node.previousElementSibling;
            if (node) before = (node.innerText || '').trim().slice(-80) + before;
        }
        return {cell: cell ? cell.getAttribute('cell-index') : null,
                text: (el.textContent || '').trim().slice(0, 120),
                before: before.replace(/\\s+/g, ' ').slice(-80)};
    })"""

_RENDERED_JS = """() => {
    const loading = document.querySelector('#loading');
    if (loading && loading.checkVisibility()) return false;
    // Voila replaces each output's <script> by its rendered output once the app has started
    if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]'))
        return false;
    // progressive rendering: a cell shows a skeleton until its outputs arrive
    if (document.querySelector('.voila-skeleton-container')) return false;
    if (!document.querySelector('.jupyter-widgets')) return false;  // the apps of the page
    const outs = [...document.querySelectorAll('.jp-OutputArea-output')];
    return !outs.some(el => (el.textContent || '').includes('Loading widget...'));
}"""

# Before the app starts: the widget model ids each cell's outputs refer to.
_PAGE_MODELS_INIT = """document.addEventListener('DOMContentLoaded', () => {
    window.__pageModels = [...document.querySelectorAll(
            'script[type="application/vnd.voila.cell-output+json"]')]
        .map(s => {
            const cell = s.closest('[cell-index]');
            let id = null;
            try { id = (JSON.parse(s.textContent).data || {})[
                'application/vnd.jupyter.widget-view+json'].model_id; } catch (e) {}
            return id ? [cell ? cell.getAttribute('cell-index') : null, id] : null;
        }).filter(x => x);
});"""

# --trace: jupyterlab-manager's code, served with log calls added (widget manager events with
# times: restore start/end, each model registered, each renderer's get_model and its outcome).
_TRACE_INIT = """self.__wlog = (...a) => (self.__wl = self.__wl || []).push(
    [Math.round(performance.now()), ...a]);
new PerformanceObserver(list => list.getEntries().forEach(e => self.__wlog(
    'long task', Math.round(e.startTime), Math.round(e.duration))))
    .observe({type: 'longtask', buffered: true});"""
_TRACE_PATCHES = {
    "160.": [
        ("this._restoredStatus=!0,this._restored.emit()",
         "this._restoredStatus=!0,self.__wlog('restored',Object.keys(this._models).length),"
         "this._restored.emit()"),
        ("async restoreWidgets(){try{",
         "async restoreWidgets(){self.__wlog('restore start');try{"),
        ("try{t=await o.get_model(r.model_id)}",
         "try{self.__wlog('get_model',r.model_id.slice(0,6),o.restoredStatus,"
         "o.has_model(r.model_id));t=await o.get_model(r.model_id)}"),
        ("if(o.restoredStatus){",
         "if(self.__wlog('not found',r.model_id.slice(0,6),o.restoredStatus),o.restoredStatus){"),
        ("_rerender(){", "_rerender(){self.__wlog('rerender',!!this._rerenderMimeModel);"),
        ('this.node.textContent="",this.addWidget(i)',
         'this.node.textContent="",self.__wlog("view",r.model_id.slice(0,6)),this.addWidget(i)'),
        ("_handleKernelConnectionStatusChange(e){",
         "_handleKernelConnectionStatusChange(e){self.__wlog('connection',e);"),
    ],
    "32.": [
        ("register_model(e,t){this._models[e]=t",
         "register_model(e,t){self.__wlog('register',e.slice(0,6));this._models[e]=t"),
    ],
}


def _trace_route(route):
    response = route.fetch()
    body = response.text()
    name = route.request.url.split("?")[0].rsplit("/", 1)[-1]
    for prefix, patches in _TRACE_PATCHES.items():
        if name.startswith(prefix):
            for old, new in patches:
                body = body.replace(old, new)
    route.fulfill(response=response, body=body)


_PROTOCOL = ("request_states", "update_states", "comm_info_request", "comm_info_reply",
             "request_state", "comm_open", "comm_close")


def _frame_kind(payload) -> str | None:
    text = payload if isinstance(payload, str) else bytes(payload[:4000]).decode("latin-1")
    for word in _PROTOCOL:
        if f'"{word}"' in text:
            return word
    return None


def _profile_summary(profile: dict, start_ms: float, end_ms: float, top: int = 25) -> list:
    """Self time per (function, script) of a CDP CPU profile, between two page times."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    t = profile["startTime"]  # microseconds, same origin as the samples
    self_us: dict = {}
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        t += delta
        frame = nodes[node_id]["callFrame"]
        key = (frame["functionName"] or "(anonymous)", frame["url"].rsplit("/", 1)[-1][:40])
        self_us[key] = self_us.get(key, 0) + delta
    ranked = sorted(self_us.items(), key=lambda kv: -kv[1])[:top]
    return [(name, url, round(us / 1000)) for (name, url), us in ranked]


def load_once(context, url: str, timeout_s: float, trace: bool = False,
              profile: bool = False) -> dict:
    page = context.new_page()
    cdp = None
    if profile:
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 1000})
        cdp.send("Profiler.start")
    if trace:
        page.add_init_script(_TRACE_INIT)
        page.route("**/jupyterlab-manager/static/**", _trace_route)
    console: list[str] = []
    page_errors: list[str] = []
    frames: list[tuple[float, str, str, int]] = []
    t0 = time.monotonic()

    def on_console(msg):
        if msg.type in ("error", "warning"):
            console.append(f"{msg.type}: {msg.text[:300]}")

    states: set[str] = set()

    def on_ws(ws):
        def record(direction):
            def handler(payload):
                kind = _frame_kind(payload)
                if kind == "update_states":
                    raw = payload if isinstance(payload, str) else bytes(payload).decode(
                        "latin-1")
                    states.update(re.findall(r'"([0-9a-f]{32})": ?\{"model_name"', raw))
                if kind:
                    text = payload if isinstance(payload, str) else bytes(payload).decode(
                        "latin-1")
                    frames.append((round(time.monotonic() - t0, 2), direction, kind,
                                   len(payload), text[:600] if kind != "update_states" else ""))
            return handler
        ws.on("framesent", record("sent"))
        ws.on("framereceived", record("recv"))

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page_errors.append(str(exc)[:300]))
    page.on("websocket", on_ws)
    page.add_init_script(_PAGE_MODELS_INIT)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(url, wait_until="load", timeout=timeout_s * 1000)
    t_load = time.monotonic() - t0
    try:
        page.wait_for_function(_RENDERED_JS, timeout=60_000, polling=100)
    except Exception as exc:  # noqa: BLE001 - recorded, the load counts as failed
        page_errors.append(f"not rendered in 60 s: {exc}")
    page.wait_for_timeout(1500)  # late re-renders (the manager's "restored" signal)
    errors = page.evaluate(_ERRORS_JS)
    n_widgets = page.locator(".jupyter-widgets.widget-container, .jupyter-widgets").count()
    body = page.locator("body").inner_text()
    trace_log = page.evaluate("() => self.__wl || []") if trace else []
    hot = []
    if cdp is not None:
        hot = _profile_summary(cdp.send("Profiler.stop")["profile"], 0, 0)
    page_models = page.evaluate("() => window.__pageModels || []")
    manager = page.evaluate("""ids => {
        const m = window.jupyterapp && window.jupyterapp.widgetManager;
        if (!m) return null;
        return {registered: Object.keys(m._models).length, restored: m.restoredStatus,
                has: ids.map(id => m.has_model(id))};
    }""", [m[1] for m in page_models])
    page.close()
    return {"seconds_to_load": round(t_load, 1), "seconds_total": round(time.monotonic() - t0, 1),
            "model_not_found": ERROR_TEXT in body, "widget_errors": errors,
            "dom_widgets": n_widgets, "console": console, "page_errors": page_errors,
            "protocol_frames": frames, "trace": trace_log, "profile_top": hot, "page_models": page_models, "manager": manager,
            "models_in_update_states": len(states),
            "page_models_missing_from_states": [m for m in page_models if m[1] not in states]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", help="stem or file name in notebooks/")
    parser.add_argument("-n", type=int, default=10, help="page loads (default 10)")
    parser.add_argument("--json", type=Path, help="write every load's record here")
    parser.add_argument("--trace", action="store_true",
                        help="log the widget manager's events (patched jupyterlab-manager)")
    parser.add_argument("--profile", action="store_true",
                        help="record a CPU profile of each load; keep the top self times")
    parser.add_argument("--verbose", action="store_true", help="print every load's record")
    args = parser.parse_args(argv)
    name = args.notebook if args.notebook.endswith(".ipynb") else f"{args.notebook}.ipynb"
    if not (h.NOTEBOOKS_DIR / name).exists():
        parser.error(f"no notebooks/{name}")
    reason = h.browser_missing_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    records = []
    with tempfile.TemporaryDirectory(prefix="voila-race-") as tmp:
        base = Path(tmp)
        env = h.isolated_env(base / "env")
        root = h.make_root(base)
        port, token = h.free_port(), h.new_token()
        cmd = h.make_command("app", root, "APP_ARGS", [
            "--no-browser", "--port", str(port), f"--Voila.token={token}",
            "--show_tracebacks=True"])
        server = h.start_server("voila-race", cmd, cwd=root, env=env, port=port, token=token,
                                root=root, ready_path="voila/static/voila.js")
        try:
            with sync_playwright() as p:
                context = h.launch_browser(p, base / "profile", h.NetLog())
                url = server.url(f"voila/render/{name}")
                for i in range(args.n):
                    log_start = server.log_path.stat().st_size
                    rec = load_once(context, url, h.RUN_ALL_TIMEOUT, args.trace, args.profile)
                    time.sleep(1.0)  # let Voila log the kernel shutdown of this load
                    with open(server.log_path, encoding="utf-8", errors="replace") as fh:
                        fh.seek(log_start)
                        rec["voila_log"] = [ln for ln in fh.read().splitlines()
                                            if ln.strip() and "Ok, voila is still" not in ln]
                    rec["load"] = i + 1
                    records.append(rec)
                    where = "; ".join(f"cell {e['cell']} after '{e['before'][-40:]}'"
                                      for e in rec["widget_errors"])
                    print(f"load {i + 1:2d}: {'MODEL NOT FOUND' if rec['model_not_found'] else 'ok':15s}"
                          f" load {rec['seconds_to_load']:5.1f} s, widgets {rec['dom_widgets']:4d},"
                          f" page errors {len(rec['page_errors'])}"
                          f"{', ' + where if where else ''}", flush=True)
                    if args.verbose:
                        print(json.dumps(rec, indent=1)[:6000])
                context.close()
        finally:
            server.stop()
    bad = sum(r["model_not_found"] for r in records)
    print(f"\n{name}: {bad} of {len(records)} page loads show '{ERROR_TEXT}'")
    if args.json:
        args.json.write_text(json.dumps(records, indent=1), encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
