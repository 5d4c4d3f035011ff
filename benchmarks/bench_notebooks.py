"""Floor vs course: each notebook run top to bottom vs the floor, and the kernel's memory (RSS)
after each notebook.

The floor (issue 15's definition): kernel start + the stack's imports + a first figure shown
(`FLOOR_CODE`). The imports-only floor of issue 7 (`IMPORTS_CODE`) is measured in the same run and
reported beside it. Kernels import mastolib from cached bytecode as a learner's install does
(`benchmarks.common.learner_bytecode`).

Targets (issues 7 and 15): each notebook <= 1.5 x the floor; kernel RSS <= 250 MB after a notebook.
Every notebook in notebooks/ is measured (new ones are picked up automatically).

Run: .venv/bin/python -m benchmarks.bench_notebooks [--repeat 3] [--only 00_start_here]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient

from benchmarks.common import ROOT, isolated_env, save

IMPORTS_CODE = "import pandas, plotly, plotly.graph_objects, ipywidgets"
FLOOR_CODE = (IMPORTS_CODE + "\nfrom IPython.display import display\n"
              "display(plotly.graph_objects.Figure(plotly.graph_objects.Scatter(x=[0, 1], "
              "y=[0, 1])))")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc): steady when the machine is shared."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def floor_once(env: dict, code: str = FLOOR_CODE) -> tuple[float, float]:
    start = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env=env, cwd=str(ROOT / "notebooks"))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive(code, timeout=120, output_hook=lambda _m: None)
        assert reply["content"]["status"] == "ok", reply["content"]
        elapsed = time.perf_counter() - start
        rss = _rss_mb(km.provisioner.process.pid)
        cpu = _cpu_s(km.provisioner.process.pid)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return elapsed, rss, cpu


def notebook_once(path: Path, env: dict) -> tuple[float, float, int, float]:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(nb, kernel_name="python3", timeout=180,
                            resources={"metadata": {"path": str(path.parent)}})
    errors = 0
    with client.setup_kernel(env=env, cwd=str(path.parent)):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            errors += sum(1 for o in cell.get("outputs", []) if o.get("output_type") == "error")
        elapsed = time.perf_counter() - start
        rss = _rss_mb(client.km.provisioner.process.pid)
        cpu = _cpu_s(client.km.provisioner.process.pid)
    return elapsed, rss, errors, cpu


def run(repeat: int, only: list[str] | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="mastolib-bench-"))
    env = isolated_env(tmp)
    floor = [floor_once(env) for _ in range(repeat)]
    floor_s = statistics.median(f[0] for f in floor)
    floor_cpu = statistics.median(f[2] for f in floor)
    imports = [floor_once(env, IMPORTS_CODE)[0] for _ in range(repeat)]
    imports_s = statistics.median(imports)
    notebooks = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if only and path.stem not in only:
            continue
        runs = [notebook_once(path, env) for _ in range(repeat)]
        median_s = statistics.median(r[0] for r in runs)
        notebooks[path.stem] = {
            "median_s": round(median_s, 2),
            "runs_s": [round(r[0], 2) for r in runs],
            "ratio_to_floor": round(median_s / floor_s, 2),
            "ratio_to_imports_floor": round(median_s / imports_s, 2),
            "kernel_cpu_s": round(statistics.median(r[3] for r in runs), 2),
            "cpu_ratio_to_floor": round(statistics.median(r[3] for r in runs) / floor_cpu, 2),
            "kernel_rss_mb_max": round(max(r[1] for r in runs), 1),
            "error_outputs": max(r[2] for r in runs),
            "passes_time": median_s / floor_s <= 1.5,
            "passes_memory": max(r[1] for r in runs) <= 250,
        }
    return {
        "repeat": repeat,
        "floor_code": FLOOR_CODE,
        "floor_s_median": round(floor_s, 2),
        "floor_runs_s": [round(f[0], 2) for f in floor],
        "imports_floor_code": IMPORTS_CODE,
        "imports_floor_s_median": round(imports_s, 2),
        "imports_floor_runs_s": [round(t, 2) for t in imports],
        "floor_kernel_rss_mb": round(statistics.median(f[1] for f in floor), 1),
        "floor_kernel_cpu_s": round(floor_cpu, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "rfc3987_syntax_installed": importlib.util.find_spec("rfc3987_syntax") is not None,
        "notebooks": notebooks,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args(argv)
    result = run(args.repeat, args.only)
    print(json.dumps(result, indent=1))
    save("notebooks", result)


if __name__ == "__main__":
    main()
