"""Shared helpers for the benchmark scripts: timing, machine info, result records."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def machine_info() -> dict:
    """What the numbers were measured on."""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown"
    try:
        mem_kb = int(next(line.split()[1] for line in open("/proc/meminfo")
                          if line.startswith("MemTotal")))
    except (OSError, StopIteration):
        mem_kb = 0
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 2**20, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def percentile(values, q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(seconds) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2),
            "p95_ms": round(percentile(ms, 95), 2), "max_ms": round(max(ms), 2)}


def save(name: str, payload: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps({"machine": machine_info(), **payload}, indent=1))
    return path


def load(name: str) -> dict | None:
    path = OUT / f"{name}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def isolated_env(tmp: Path) -> dict:
    """Environment that keeps Jupyter and the progress file out of $HOME (see `learner_bytecode`)."""
    env = dict(os.environ)
    env["MASTOLIB_PROGRESS"] = str(tmp / "progress.json")
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[var] = str(tmp / var.lower())
    return learner_bytecode(env, tmp)


def learner_bytecode(env: dict, tmp: Path) -> dict:
    """Give the kernels the compiled mastolib a learner's install has.

    A learner's kernel imports mastolib from cached bytecode (`pip install -e .` writes it on the
    first import; `make lab` compiles it up front). CI and this sandbox export
    PYTHONDONTWRITEBYTECODE=1, which made every measured kernel recompile the package from source:
    `import mastolib` 165 ms instead of 27 ms (`python -X importtime`, 2026-12-03). Here the
    bytecode goes to a temporary PYTHONPYCACHEPREFIX (the working tree stays clean) and is compiled
    once before anything is timed.
    """
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "compileall", "-q",
                    str(ROOT / "mastolib")], env=env, check=True)
    return env
