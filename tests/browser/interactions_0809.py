"""Learner interactions for notebooks 08 (virtual patients) and 09 (cohort explorer).

Contract of ``tests/browser/interactions.py``: ``fn(page, root)`` with ``root`` a locator
around the rendered notebook. Widgets are found by the CSS classes the mastolib apps add
(``mastolib-practice*``, ``mastolib-cohort*``); what the view should show is computed here
with the same pure model the app uses (``mastolib.models._practice``, ``mastolib.models._cohort``), so the
assertion is "the view changed as the model says". Discovered automatically (the functions
are named ``interact_<notebook stem>``).
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .interactions import TIMEOUT_MS, wait_for

TRACEBACK = re.compile(r"Traceback|Error\b")


def _dropdown(app: Locator, label: str) -> Locator:
    """The <select> of the ipywidgets Dropdown whose description is exactly ``label``."""
    box = app.locator(".widget-dropdown").filter(
        has=app.page.locator(".widget-label", has_text=re.compile(rf"^{re.escape(label)}$")))
    expect(box).to_have_count(1, timeout=TIMEOUT_MS)
    return box.locator("select")


def _choose(app: Locator, label: str, option: str) -> None:
    select = _dropdown(app, label)
    expect(select.locator("option", has_text=option).first).to_be_attached(timeout=TIMEOUT_MS)
    select.select_option(label=option)


# --------------------------------------------------------------------------------------------
# 08 - virtual patients
# --------------------------------------------------------------------------------------------


def interact_08_virtual_patients(page: Page, root: Locator) -> None:
    """Open case c09, order the tryptase test, answer under both schemes and check."""
    from mastolib.engine import _cases as CS
    from mastolib.models import _practice as P

    app = root.locator(".mastolib-practice").first  # the learner app (the second is the teacher's)
    expect(app).to_be_visible(timeout=TIMEOUT_MS)
    case = CS.get_case("c09")
    _choose(app, "Case:", case.label)
    expect(app.locator(".mastolib-practice-vignette")).to_contain_text(case.title,
                                                                        timeout=TIMEOUT_MS)
    results = app.locator(".mastolib-practice-results")
    expect(results).to_contain_text("No tests ordered yet", timeout=TIMEOUT_MS)

    test = next(t for t in P.lab_tests() if t.id == "tryptase")
    app.get_by_role("button", name=test.label).click()
    for label, value, _done in P.reveal_results(case, "tryptase"):
        expect(results).to_contain_text(label, timeout=TIMEOUT_MS)
        expect(results).to_contain_text(value, timeout=TIMEOUT_MS)

    for scheme, name in P.SCHEMES.items():
        category, subtype, _ = P.engine_answer(case.case_id, scheme)
        _choose(app, f"{name} category:", P.CATEGORY_LABELS[category])
        _choose(app, f"{name} subtype:", subtype)
    app.get_by_role("button", name="Check my answer").click()

    feedback = app.locator(".mastolib-practice-feedback")
    for scheme in P.SCHEMES:
        verdict = feedback.locator(f".mastolib-practice-verdict[data-scheme='{scheme}']")
        expect(verdict).to_have_attribute("data-correct", "true", timeout=TIMEOUT_MS)
    who, icc, comparison = P.case_diagnoses(case.case_id)
    expect(feedback).to_contain_text(f"Correct: WHO 2022 gives {who.label}.")
    expect(feedback).to_contain_text(f"Correct: ICC 2022 gives {icc.label}.")
    expect(feedback).to_contain_text("Why WHO 2022 and ICC 2022 differ")
    expect(feedback).to_contain_text(case.teaching_point[:60])
    expect(app.locator(".mastolib-practice-score")).to_contain_text(
        re.compile(r"Score: \d+ correct of \d+ answers"))
    text = feedback.inner_text() + app.locator(".mastolib-message").inner_text()
    assert not TRACEBACK.search(text), f"the practice app shows an error: {text[:500]!r}"


# --------------------------------------------------------------------------------------------
# 09 - cohort explorer
# --------------------------------------------------------------------------------------------

# Sum of the Sankey link values and of the men's bars, read from the live plotly element.
_COUNTS_JS = """el => {
    const traces = el._fullData || el.data || [];
    const values = v => {
        if (!v) return [];
        if (v.bdata !== undefined) return [];  // not decoded yet
        return Array.from(v);
    };
    const sankey = traces.find(t => t.type === 'sankey');
    const men = traces.find(t => (t.name || '').startsWith('Men'));
    const sum = a => a.reduce((s, x) => s + Number(x), 0);
    return {sankey: sankey ? sum(values(sankey.link.value)) : null,
            men: men ? sum(values(men.x)) : null};
}"""


def interact_09_cohort_explorer(page: Page, root: Locator) -> None:
    """Filter the SYNTHETIC cohort to women: the Sankey, pyramid and summary follow."""
    import mastolib as ml

    cohort = ml.load_cohort()
    total, women = len(cohort), int((cohort["sex"] == "F").sum())

    app = root.locator(".mastolib-cohort").first
    expect(app).to_be_visible(timeout=TIMEOUT_MS)
    plot = app.locator(".js-plotly-plot").first
    expect(plot).to_be_visible(timeout=TIMEOUT_MS)
    summary = app.locator(".mastolib-cohort-summary")
    expect(summary).to_contain_text(f"{total:,} of {total:,} patients selected",
                                    timeout=TIMEOUT_MS)
    before = wait_for(lambda: (lambda c: c if c["sankey"] else None)(plot.evaluate(_COUNTS_JS)),
                      "the Sankey diagram to hold the whole cohort")
    assert before["sankey"] == total, f"Sankey should count {total} patients, shows {before}"
    assert before["men"] == total - women

    app.get_by_role("button", name="Women", exact=True).click()
    expect(summary).to_contain_text(f"{women:,} of {total:,} patients selected",
                                    timeout=TIMEOUT_MS)
    after = wait_for(lambda: (lambda c: c if c["sankey"] == women else None)(
        plot.evaluate(_COUNTS_JS)), f"the Sankey diagram to count the {women} women")
    assert after["men"] == 0, f"the men's bars should be empty after choosing Women: {after}"
    expect(app.locator(".mastolib-message")).to_have_text("")
    assert not TRACEBACK.search(summary.inner_text())
