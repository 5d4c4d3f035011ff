"""A simulated class of 5 on the course's JupyterHub (deploy/jupyterhub/, started by `make hub`).

Students sign up, the teacher approves them, each logs in in a real headless Chromium, follows
the nbgitpuller link, opens the tryptase notebook as a Voila app (one of them in Lab), answers
a quiz question and moves a slider. Then: every progress file holds exactly its owner's answer,
nobody (teacher included) gets into another student's server or files, and an unapproved
sign-up cannot log in. The larger classes (20, 40) are benchmarks/bench_hub_class.py.
"""

from __future__ import annotations

import json
import secrets

import pytest

from mastolib.course._quiz import display_order, load_quiz

from . import harness as h
from . import hubsim

pytestmark = pytest.mark.browser

N_STUDENTS = 5
N_CHANGES = 5


@pytest.fixture(scope="module")
def hub_class():
    reason = hubsim.cannot_run_reason()
    if reason:
        if h.browser_required():
            pytest.fail(f"{h.REQUIRE_ENV}=1 but the simulated class cannot run: {reason}",
                        pytrace=False)
        pytest.skip(f"simulated class skipped: {reason}")
    tag = secrets.token_hex(2)
    try:
        hub = hubsim.start_hub(tag)
    except hubsim.HubError as exc:
        pytest.fail(str(exc), pytrace=False)
    names = [f"mc{tag}s{k}" for k in range(N_STUDENTS)]
    late = f"mc{tag}late"
    try:
        yield hub, names, late
    finally:
        hub.stop()
        hubsim.delete_users([*names, late, hub.teacher])
        hubsim.remove_hub_files(hub)


def test_simulated_class(hub_class):
    hub, names, late = hub_class
    teacher_pw = hubsim.new_password()
    # The teacher's name is pre-approved in the config: sign up, then log in at once.
    assert "went wrong" not in hubsim.signup(hub, hub.teacher, teacher_pw)
    teacher = hubsim.login(hub, hub.teacher, teacher_pw)
    assert hubsim.is_logged_in(teacher, hub), hub.log_tail()

    accounts = [(name, hubsim.new_password()) for name in names]
    for name, password in [*accounts, (late, "late-password-1")]:
        page = hubsim.signup(hub, name, password)
        assert "sent to the admin" in page, page[-2000:]
    # Before the teacher approves, the password alone does not open the hub.
    assert not hubsim.is_logged_in(hubsim.login(hub, late, "late-password-1"), hub)
    for name, _ in accounts:
        hubsim.approve(teacher, hub, name)
    assert not hubsim.is_logged_in(hubsim.login(hub, late, "late-password-1"), hub)

    apps = ["lab"] + ["voila"] * (N_STUDENTS - 1)
    results = hubsim.run_students(hub, accounts, apps, N_CHANGES, h.SCREENSHOTS)

    failures = {r.name: r.error for r in results if r.error}
    assert not failures, f"{failures}\n{hub.log_tail()}"
    for r in results:
        assert r.other_status == {"server": 403, "file": 403, "api": 403}, (r.name,
                                                                              r.other_status)
    voila = [r for r in results if r.app == "voila"]
    round_trips = [ms for r in voila for ms in r.round_trips_ms]
    assert sum(r.slider_failures for r in voila) == 0
    assert len(round_trips) == len(voila) * N_CHANGES
    assert all(r.icons_font for r in voila), "Font Awesome did not load without the CDN"
    assert all(r.quiz_feedback.startswith(("Correct", "Not quite")) for r in voila), [
        r.quiz_feedback for r in voila]

    # Each Voila student answered option `choice` of the first question: the file holds that
    # answer and nothing else; the Lab student answered nothing (and may have no file).
    for r in results:
        saved = hubsim.progress_of(hub, r.name)
        if r.app == "lab":
            assert saved is None or not any(saved["quizzes"].values()), saved
            continue
        assert saved is not None, f"{r.name}: no progress file"
        answers = [(key, q, a) for key, quiz in saved["quizzes"].items() for q, a in quiz.items()]
        assert len(answers) == 1, (r.name, saved)
        # options are shown in a fixed shuffled order: radio `choice` is option order[choice]
        key, question_id, answer = answers[0]
        _title, questions = load_quiz(*key.split(":"))
        order = display_order(next(q for q in questions if q.id == question_id))
        assert answer["response"] == order[r.choice], (r.name, saved)
    # Files, not just URLs: one student's account cannot read another's progress file.
    first, second = voila[0].name, voila[1].name
    assert not hubsim.can_read_as(first, hub.homes / second / ".mastolib" / "progress.json")
    # Admin access to students' servers is off: the teacher gets 403 as well.
    r = teacher.get(f"{hub.base}/user/{first}/lab", timeout=60)
    assert r.status_code == 403, (r.status_code, r.url)

    summary = {
        "students": N_STUDENTS,
        "login_to_ready_s": {r.name: round(r.login_to_ready_s, 1) for r in results},
        "round_trip_p50_ms": round(hubsim.percentile(round_trips, 0.50)),
        "round_trip_p95_ms": round(hubsim.percentile(round_trips, 0.95)),
        "peak_memory_mb_per_student": {r.name: round(r.peak_memory_mb) for r in results},
    }
    h.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (h.ARTIFACTS / "hub-class.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
