"""Widget latency in the kernel: every app's callback, p50/p95 over random control changes.

Apps are discovered from mastolib's public names ending in ``_app`` (each a factory that needs
no arguments and returns an object with ``.controls``). Each sample sets one random control to
a random valid value and times the synchronous observer chain (the app's one callback).
Target (issue 7): p95 <= 50 ms.

Run: .venv/bin/python -m benchmarks.bench_widgets [--changes 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time

from benchmarks.common import save, summary_ms

os.environ.setdefault("MASTOLIB_PROGRESS", os.path.join(tempfile.mkdtemp(), "progress.json"))

WORDS = ["tryptase", "KIT", "darier", "", "mast", "zzz", "20", "-5", "abc", "1e9", "CD25"]


def _leaf_controls(controls: dict) -> list:
    return [(name, c) for name, c in controls.items() if hasattr(c, "value")]


def random_value(control, rng: random.Random):
    """A random value the control itself accepts (options, range, toggle or text)."""
    import ipywidgets as w

    if isinstance(control, (w.Dropdown, w.RadioButtons, w.Select, w.ToggleButtons,
                            w.SelectionSlider)):
        options = list(control.options)
        if not options:  # e.g. a select emptied by a filter: nothing to choose
            return None
        choice = rng.choice(options)
        return choice[1] if isinstance(choice, tuple) else choice
    if isinstance(control, (w.SelectMultiple,)):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        if not options:
            return None
        return tuple(rng.sample(options, rng.randint(0, len(options))))
    if isinstance(control, (w.Checkbox, w.ToggleButton)):
        return not control.value
    if isinstance(control, (w.IntSlider, w.BoundedIntText, w.IntRangeSlider)):
        if isinstance(control.value, tuple):
            a, b = sorted(rng.randint(control.min, control.max) for _ in range(2))
            return (a, b)
        return rng.randint(control.min, control.max)
    if isinstance(control, (w.FloatSlider, w.BoundedFloatText, w.FloatLogSlider)):
        return rng.uniform(control.min, control.max)
    if isinstance(control, (w.IntText,)):
        return rng.randint(-10, 500)
    if isinstance(control, (w.FloatText,)):
        return rng.uniform(-10, 500)
    if isinstance(control, (w.Text, w.Textarea)):
        return rng.choice(WORDS)
    return None


# Apps whose factory needs an argument: one entry per choice (name -> (factory name, args)).
WITH_ARGS = {f"take_home_app({tool!r})": ("take_home_app", (tool,))
             for tool in ("triggers", "emergency", "anaesthesia", "bracelet", "diary",
                          "questions")}


def app_factories() -> dict:
    import functools
    import inspect

    import mastolib as ml

    factories = {}
    for name in sorted(ml.__all__):
        if not name.endswith("_app"):
            continue
        required = [p for p in inspect.signature(getattr(ml, name)).parameters.values()
                    if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY,
                                                           p.POSITIONAL_OR_KEYWORD)]
        if not required:
            factories[name] = getattr(ml, name)
    for label, (name, args) in WITH_ARGS.items():
        if hasattr(ml, name):
            factories[label] = functools.partial(getattr(ml, name), *args)
    return factories


def bench_app(factory, changes: int, rng: random.Random) -> dict:
    start = time.perf_counter()
    app = factory()
    build_s = time.perf_counter() - start
    controls = _leaf_controls(app.controls)
    samples, cpu, skipped = [], [], 0
    for _ in range(changes):
        name, control = rng.choice(controls)
        value = random_value(control, rng)
        if value is None or value == control.value:
            skipped += 1
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        control.value = value
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    # CPU time (this process only) beside wall time: on a shared machine the wall time also
    # counts the time other processes held the cores.
    return {"build_ms": round(build_s * 1000, 1), "controls": len(controls),
            "skipped_no_change": skipped, **summary_ms(samples),
            "cpu_p95_ms": summary_ms(cpu)["p95_ms"],
            "passes": summary_ms(samples)["p95_ms"] <= 50,
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def run(changes: int, seed: int) -> dict:
    rng = random.Random(seed)
    apps = {name: bench_app(factory, changes, rng) for name, factory in app_factories().items()}
    return {"changes_per_app": changes, "seed": seed, "apps": apps}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = run(args.changes, args.seed)
    print(json.dumps(result, indent=1))
    save("widgets", result)


if __name__ == "__main__":
    main()
