"""Engine throughput: ml.diagnose_frame on N synthetic cases (cases/s) vs a row-by-row loop
of ml.diagnose, as a ratio. Cases are the shipped SYNTHETIC cohort (data/cohort.csv) repeated
to N rows; the row loop is timed on a sample and reported per case.

Run: .venv/bin/python -m benchmarks.bench_engine [--cases 100000] [--loop-sample 2000]
"""

from __future__ import annotations

import argparse
import json
import time

from benchmarks.common import save


def run(cases: int, loop_sample: int) -> dict:
    import pandas as pd

    import mastolib as ml

    cohort = ml.load_cohort()
    fields = [f for f in ml.Findings.field_names() if f in cohort.columns]
    base = cohort[fields]
    frame = pd.concat([base] * (cases // len(base) + 1), ignore_index=True).iloc[:cases]
    results = {}
    for scheme in ("who2022", "icc2022"):
        ml.diagnose_frame(frame.iloc[:100], scheme)  # warm-up
        t0 = time.perf_counter()
        out = ml.diagnose_frame(frame, scheme)
        vec_s = time.perf_counter() - t0
        sample = frame.iloc[:loop_sample]
        records = sample.to_dict("records")
        t0 = time.perf_counter()
        row = [ml.diagnose(ml.Findings.from_mapping(r), scheme) for r in records]
        loop_s = time.perf_counter() - t0
        agree = all(a.category == b for a, b in zip(row, out["category"].iloc[:loop_sample],
                                                    strict=True))
        results[f"{scheme}: diagnose_frame on {cases:,} cases (s)"] = round(vec_s, 3)
        results[f"{scheme}: diagnose_frame cases/s"] = f"{cases / vec_s:,.0f}"
        results[f"{scheme}: row loop cases/s (sample {loop_sample:,})"] = \
            f"{loop_sample / loop_s:,.0f}"
        results[f"{scheme}: speed-up, vectorised / row loop"] = \
            f"{(cases / vec_s) / (loop_sample / loop_s):,.0f}x"
        results[f"{scheme}: vectorised == row loop on the sample"] = agree
    return {"cases": cases, "results": results}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--loop-sample", type=int, default=2000)
    args = parser.parse_args(argv)
    result = run(args.cases, args.loop_sample)
    print(json.dumps(result, indent=1))
    save("engine", result)


if __name__ == "__main__":
    main()
