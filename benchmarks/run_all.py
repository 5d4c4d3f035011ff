"""Run every benchmark and write benchmarks/RESULTS.md (`make bench`).

Options: --quick (fewer repeats, for a smoke run).
"""

from __future__ import annotations

import argparse
import importlib

from benchmarks import report

# (module, full args, quick args); modules that need a browser skip themselves with a note.
SUITE = [
    ("benchmarks.bench_import", ["--repeat", "15"], ["--repeat", "3"]),
    ("benchmarks.bench_startup", ["--repeat", "5"], ["--repeat", "2"]),
    ("benchmarks.bench_notebooks", ["--repeat", "3"], ["--repeat", "1"]),
    ("benchmarks.bench_widgets", ["--changes", "200"], ["--changes", "40"]),
    ("benchmarks.bench_engine", ["--cases", "100000"], ["--cases", "10000"]),
    ("benchmarks.bench_site", ["--jobs", "2"], ["--jobs", "2"]),
    ("benchmarks.bench_browser", ["--changes", "50", "--learners", "5", "10", "20"],
     ["--changes", "10", "--learners", "2", "--concurrency-changes", "3"]),
    ("benchmarks.bench_hub_class", ["--students", "20", "40"], ["--students", "5"]),
    ("benchmarks.bench_class_protocol", ["--learners", "5", "20", "40", "--browsers", "2"],
     ["--learners", "5", "--browsers", "1", "--changes", "5", "--first-render", "1"]),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    for module, full, quick in SUITE:
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            print(f"skipping {module}: {exc}")
            continue
        print(f"== {module}")
        mod.main(quick if args.quick else full)
    report.main()


if __name__ == "__main__":
    main()
