"""Start-up cost of the notebook stack in fresh processes: `import jsonschema` (pulled in by
nbformat, nbval, nbconvert, Jupyter and plotly's renderers) and the first plotly FigureWidget.

`make lab`/`make test` uninstall rfc3987-syntax (see the Makefile). To see its cost, run this
twice: once as installed, once after `.venv/bin/pip install rfc3987-syntax` (then uninstall it
again). Each run records whether the package was present.

Run: .venv/bin/python -m benchmarks.bench_startup [--repeat 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

from benchmarks.common import load, save

PROBES = {
    "import_jsonschema_s": "import time; t=time.perf_counter(); import jsonschema; "
                           "print(time.perf_counter()-t)",
    "first_figurewidget_s": "import time; t=time.perf_counter(); import plotly.graph_objects as go;"
                            " f=go.FigureWidget(go.Scatter(x=[1], y=[2])); f._repr_mimebundle_();"
                            " print(time.perf_counter()-t)",
}


def run(repeat: int) -> dict:
    result = {"rfc3987_syntax_installed": importlib.util.find_spec("rfc3987_syntax") is not None,
              "repeat": repeat, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "load_average_1min": round(os.getloadavg()[0], 2)}
    for name, code in PROBES.items():
        samples = [float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                        text=True, check=True).stdout) for _ in range(repeat)]
        result[name] = {"median": round(statistics.median(samples), 3),
                        "runs": [round(s, 3) for s in samples]}
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    result = run(args.repeat)
    print(json.dumps(result, indent=1))
    previous = load("startup") or {}
    key = "with_rfc3987_syntax" if result["rfc3987_syntax_installed"] else "without_rfc3987_syntax"
    runs = {k: v for k, v in previous.items() if k.endswith("rfc3987_syntax")}
    runs[key] = result
    save("startup", runs)


if __name__ == "__main__":
    main()
