"""`make site` (the book edition): build time without and with the executed-notebook cache,
and the size of the output (target: the whole site under 25 MB, plotly.js once).

Run: .venv/bin/python -m benchmarks.bench_site [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, save

TARGET_BYTES = 25_000_000


def _build(out: Path, work: Path, cache: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mastolib.course._export", "site", str(out), "--workdir",
                    str(work), "--cache", str(cache), "--jobs", str(jobs)],
                   cwd=ROOT, check=True, capture_output=True, text=True)
    return round(time.perf_counter() - start, 1)


def run(jobs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        load_before = os.getloadavg()[0]
        cold = _build(tmp / "site", tmp / "src", tmp / "cache", jobs)
        warm = _build(tmp / "site", tmp / "src", tmp / "cache", jobs)
        files = [f for f in (tmp / "site").rglob("*") if f.is_file()]
        size = sum(f.stat().st_size for f in files)
        plotly_copies = sum(1 for f in files if f.name.startswith("plotly"))
        biggest = max((f for f in files if f.suffix == ".html"), key=lambda f: f.stat().st_size)
        result = {
            "jobs": jobs, "notebooks": len(list((ROOT / "notebooks").glob("*.ipynb"))),
            "cold_s": cold, "cached_s": warm, "bytes": size, "files": len(files),
            "plotly_js_copies": plotly_copies,
            "largest_page": biggest.name, "largest_page_bytes": biggest.stat().st_size,
            "target_bytes": TARGET_BYTES, "passes": size < TARGET_BYTES and plotly_copies == 1,
            "load_average_1min": round(load_before, 2),
        }
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    result = run(args.jobs)
    print(json.dumps(result, indent=1))
    save("site", result)


if __name__ == "__main__":
    main()
