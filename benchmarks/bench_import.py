"""Import overhead of `import mastolib` beyond its dependencies (target <= 0.15 s).

Each sample is a fresh interpreter that first imports the notebook stack (pandas, plotly,
ipywidgets), then times `import mastolib` alone, then times a first use of the engine.

Run: .venv/bin/python -m benchmarks.bench_import [--repeat 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

from benchmarks.common import save

PROBE = r"""
import json, time
import pandas, plotly, plotly.graph_objects, ipywidgets
t0 = time.perf_counter()
import mastolib as ml
t1 = time.perf_counter()
try:
    ml.diagnose(ml.Findings(mc_aggregates_ge15=True, cd25=True), "who2022")
    engine = True
except AttributeError:
    engine = False
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_diagnose_s": t2 - t1, "engine": engine}))
"""

BARE = r"""
import json, time, sys
t0 = time.perf_counter()
import mastolib
t1 = time.perf_counter()
heavy = [m for m in ("pandas", "numpy", "plotly", "ipywidgets") if m in sys.modules]
print(json.dumps({"bare_import_s": t1 - t0, "heavy": heavy}))
"""


def run(repeat: int) -> dict:
    samples, bare = [], []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                             check=True)
        samples.append(json.loads(out.stdout))
        out = subprocess.run([sys.executable, "-c", BARE], capture_output=True, text=True,
                             check=True)
        bare.append(json.loads(out.stdout))
    result = {
        "repeat": repeat,
        "import_after_deps_s_median": round(statistics.median(s["import_s"] for s in samples), 4),
        "import_after_deps_s_max": round(max(s["import_s"] for s in samples), 4),
        "first_diagnose_s_median": round(statistics.median(s["first_diagnose_s"] for s in samples), 4),
        "bare_import_s_median": round(statistics.median(b["bare_import_s"] for b in bare), 4),
        "heavy_modules_on_bare_import": bare[0]["heavy"],
        "engine_present": samples[0]["engine"],
        "target_s": 0.15,
    }
    result["passes"] = result["import_after_deps_s_median"] <= 0.15
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    result = run(args.repeat)
    print(json.dumps(result, indent=1))
    save("import", result)


if __name__ == "__main__":
    main()
