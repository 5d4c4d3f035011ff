"""A simulated class of N students on the course's JupyterHub (`make hub`), N = 20 and 40.

The CI test (tests/browser/test_hub_class.py) runs 5 students; this script runs larger classes
with the same pieces (tests/browser/hubsim.py): sign-up, teacher approval, log-in, nbgitpuller,
the tryptase notebook as a Voila app (one student in Lab), one quiz answer, slider steps timed
in the page, a look at another student's server. It reports log-in -> app ready, round trip
p50/p95, peak memory per student and failures.

Every student here is a real browser context in one headless Chromium on the same machine as
the hub, so on 2 cores the numbers measure the browsers as much as the server (students'
browsers run on their own computers); read them as an upper bound.

Needs root (one Unix account per student) and `make hub-deps`.
Run: .venv/bin/python -m benchmarks.bench_hub_class [--students 20 40] [--changes 5]
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import time

from benchmarks.common import save


def run_class(students: int, changes: int) -> dict:
    from tests.browser import hubsim

    tag = secrets.token_hex(2)
    hub = hubsim.start_hub(tag)
    names = [f"mb{tag}s{k}" for k in range(students)]
    try:
        teacher_pw = hubsim.new_password()
        hubsim.signup(hub, hub.teacher, teacher_pw)
        teacher = hubsim.login(hub, hub.teacher, teacher_pw)
        accounts = [(name, hubsim.new_password()) for name in names]
        for name, password in accounts:
            hubsim.signup(hub, name, password)
            hubsim.approve(teacher, hub, name)
        apps = ["lab"] + ["voila"] * (students - 1)
        t0 = time.monotonic()
        results = hubsim.run_students(hub, accounts, apps, changes)
        wall = time.monotonic() - t0
    finally:
        hub.stop()
        hubsim.delete_users([*names, hub.teacher])
        hubsim.remove_hub_files(hub)
    ready = [r.login_to_ready_s for r in results if r.login_to_ready_s is not None]
    trips = [ms for r in results for ms in r.round_trips_ms]
    memory = [r.peak_memory_mb for r in results if r.peak_memory_mb]
    leaks = [r.name for r in results if r.other_status and set(r.other_status.values()) != {403}]
    return {
        "students": students, "changes_each": changes, "wall_s": round(wall, 1),
        "failed_students": sum(1 for r in results if r.error),
        "slider_failures": sum(r.slider_failures for r in results),
        "login_to_ready_s": {"p50": round(statistics.median(ready), 1) if ready else None,
                             "max": round(max(ready), 1) if ready else None},
        "round_trip_ms": {"n": len(trips),
                          "p50": round(hubsim.percentile(trips, 0.50)) if trips else None,
                          "p95": round(hubsim.percentile(trips, 0.95)) if trips else None},
        "peak_memory_mb_per_student": {"median": round(statistics.median(memory)) if memory
                                       else None, "max": round(max(memory)) if memory else None},
        "students_reaching_another_server": leaks,
        "errors": sorted({r.error[:200] for r in results if r.error}),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="*", default=[20, 40])
    parser.add_argument("--changes", type=int, default=5)
    args = parser.parse_args(argv)
    from tests.browser import hubsim

    reason = hubsim.cannot_run_reason()
    if reason:
        print(f"skipping the simulated class: {reason}")
        return
    rows = [run_class(n, args.changes) for n in args.students]
    print(json.dumps(rows, indent=1))
    save("hub_class", {"rows": rows})


if __name__ == "__main__":
    main()
