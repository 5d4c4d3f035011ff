"""Write the SYNTHETIC cohort CSV (and its .json sidecar) reproducibly.

    python scripts/make_cohort.py data/cohort.csv            # rewrites the shipped file
    python scripts/make_cohort.py /tmp/c.csv --n 500 --seed 7

The generator is :func:`mastolib.synthetic_cohort`; the same seed, size and mix give the same
bytes (checked by tests/test_cohort.py).
"""

from __future__ import annotations

import argparse
import sys

from mastolib.models._cohort import DEFAULT_MIX, DEFAULT_N, DEFAULT_SEED, MIXES, write_cohort


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="output CSV, e.g. data/cohort.csv")
    parser.add_argument("--n", type=int, default=DEFAULT_N)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--mix", choices=list(MIXES), default=DEFAULT_MIX)
    args = parser.parse_args(argv)
    path = write_cohort(args.path, args.n, args.seed, args.mix)
    print(f"wrote {path} ({path.stat().st_size:,} bytes) and {path.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
