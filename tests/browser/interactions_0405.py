"""Learner interactions for notebooks 04 (diagnostic pathway) and 05 (tryptase lab).

Each function follows the contract of ``tests/browser/interactions.py``: ``fn(page, root)``
with ``root`` a locator around the rendered notebook; widgets are found by the CSS classes the
mastolib apps add (``mastolib-pathway``, ``mastolib-rise``, ``mastolib-hat-explorer``), figures
are read from the live plotly element (``.js-plotly-plot`` → ``.data``). Register with::

    from .interactions_0405 import interact_04_diagnostic_pathway, interact_05_tryptase_lab
    INTERACTIONS["04_diagnostic_pathway"] = interact_04_diagnostic_pathway
    INTERACTIONS["05_tryptase_lab"] = interact_05_tryptase_lab
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .interactions import TIMEOUT_MS, wait_for

TRACEBACK = re.compile(r"Traceback|Error\b")

# JavaScript run on one .js-plotly-plot element: a field of the first trace with that name.
_TRACE_FIELD = """(el, [name, field]) => {
    const trace = (el.data || []).find(t => t.name === name);
    if (!trace || !trace[field]) return null;
    return Array.from(trace[field]);
}"""


def trace_field(plot: Locator, name: str, field: str):
    """``plot.data[<trace named name>][field]`` as a list (None if missing)."""
    return plot.evaluate(_TRACE_FIELD, [name, field])


def _no_traceback(box: Locator, where: str) -> None:
    text = box.inner_text()
    assert not TRACEBACK.search(text), f"{where} shows an error instead of a message: {text!r}"


def _type(box: Locator, text: str) -> None:
    """Replace the text of an ipywidgets Text box and send it (Enter: continuous_update off)."""
    box.click()
    box.fill("")
    box.press_sequentially(text, delay=30)
    box.press("Enter")


# --------------------------------------------------------------------------------------------
# 04 - diagnostic pathway
# --------------------------------------------------------------------------------------------


def interact_04_diagnostic_pathway(page: Page, root: Locator) -> None:
    """Step the pathway app forward and back, hit the first-step message, switch patient."""
    app = root.locator(".mastolib-pathway").first
    expect(app).to_be_visible(timeout=TIMEOUT_MS)
    plot = app.locator(".js-plotly-plot").first
    expect(plot).to_be_visible(timeout=TIMEOUT_MS)

    def current():
        value = trace_field(plot, "Current step", "customdata")
        return value[0] if value else None

    start = wait_for(current, "the pathway figure to mark a current step")
    assert start == "suspicion", f"the path should start at the suspicion step, not {start!r}"

    app.get_by_role("button", name="Next step").click()
    after = wait_for(lambda: current() if current() != start else None,
                     "the highlighted node to move after 'Next step'")
    assert after == "skin_exam", f"step 2 of case c08 is the skin exam, not {after!r}"
    badges = trace_field(plot, "Step numbers", "text")
    assert badges == ["1", "2"], f"two numbered steps expected after one click, got {badges}"
    expect(app.locator(".mastolib-pathway-panel")).to_contain_text("Skin exam")

    app.get_by_role("button", name="Previous step").click()
    wait_for(lambda: current() == "suspicion", "the highlight to move back to 'suspicion'")
    app.get_by_role("button", name="Previous step").click()
    expect(app.locator(".mastolib-message")).to_contain_text("first step",
                                                                       timeout=TIMEOUT_MS)
    _no_traceback(app, "the pathway app")

    # A child with skin lesions: a 5-step path ending without a marrow study.
    app.locator("select").first.select_option(index=_option_index(app, "c01"))
    expect(app.locator(".mastolib-pathway-panel")).to_contain_text("Step 1 of 5",
                                                                     timeout=TIMEOUT_MS)
    for _ in range(4):
        app.get_by_role("button", name="Next step").click()
    wait_for(lambda: current() == "cm_follow_up",
             "the child's path to reach 'CM: follow-up without marrow'")
    _no_traceback(app, "the pathway app")


def _option_index(app: Locator, case_id: str) -> int:
    """Index of a patient in the drop-down (ipywidgets renders spaces as no-break spaces)."""
    labels = app.locator("select").first.locator("option").all_inner_texts()
    for index, label in enumerate(labels):
        if label.replace("\xa0", " ").startswith(f"{case_id} "):
            return index
    raise AssertionError(f"no patient {case_id} in the drop-down: {labels[:3]}...")


# --------------------------------------------------------------------------------------------
# 05 - tryptase lab
# --------------------------------------------------------------------------------------------


def interact_05_tryptase_lab(page: Page, root: Locator) -> None:
    """Change baseline/acute in the rise app (verdict and marker follow), type invalid input
    in the rise app and the HαT explorer (a message, never a traceback)."""
    rise = root.locator(".mastolib-rise").first
    expect(rise).to_be_visible(timeout=TIMEOUT_MS)
    verdict = rise.locator(".mastolib-rise-verdict")
    expect(verdict).to_contain_text("Both rules positive", timeout=TIMEOUT_MS)
    plot = rise.locator(".js-plotly-plot").first
    boxes = rise.locator("input[type=text]")
    baseline, acute = boxes.nth(0), boxes.nth(1)

    _type(baseline, "40")
    _type(acute, "52")
    expect(verdict).to_contain_text("Only 20 % + 2 positive", timeout=TIMEOUT_MS)
    expect(verdict).to_contain_text("disagree")
    wait_for(lambda: trace_field(plot, "This patient", "x") == [40],
             "the patient marker to move to baseline 40")
    assert trace_field(plot, "This patient", "y") == [52]

    _type(baseline, "abc")
    message = rise.locator(".mastolib-message")
    expect(message).to_contain_text("not a number", timeout=TIMEOUT_MS)
    expect(verdict).to_contain_text("No verdict")
    _type(baseline, "0")
    expect(message).to_contain_text("must be above 0", timeout=TIMEOUT_MS)
    _no_traceback(rise, "the 20 % + 2 app")
    _type(baseline, "5")
    _type(acute, "9")
    expect(verdict).to_contain_text("Both rules positive", timeout=TIMEOUT_MS)

    hat = root.locator(".mastolib-hat-explorer").first
    expect(hat).to_be_visible(timeout=TIMEOUT_MS)
    bst = hat.locator("input[type=text]").first
    _type(bst, "-5")
    expect(hat.locator(".mastolib-message")).to_contain_text("negative", timeout=TIMEOUT_MS)
    _type(bst, "45")
    expect(hat.locator(".mastolib-hat-summary")).to_contain_text("adjusted 45 / 2 = 22.5",
                                                                 timeout=TIMEOUT_MS)
    _no_traceback(hat, "the HαT explorer")
