"""Learner interactions for notebooks 06 (symptoms, triggers, care) and 07 (prognosis).

Contract of ``tests/browser/interactions.py``: ``fn(page, root)`` with ``root`` a locator
around the rendered notebook (``.jp-Notebook`` in JupyterLab / Notebook 7, ``body`` in Voila).
Widgets are found by the CSS classes the mastolib apps add (``mastolib-triggers``,
``mastolib-treatments``, ``mastolib-mars``, ``mastolib-ipsm``); figures are read from the live
plotly element (``.js-plotly-plot`` -> ``.data``). ``interactions.py`` discovers the two
``interact_*`` functions below by name.

Expected numbers come from the same engine the apps use (``ml.mars``, the treatment model), so
the test checks that the browser shows what the model says.

Run one notebook alone (JupyterLab on a temp copy, screenshots in
``test-artifacts/screenshots/``)::

    .venv/bin/python -m tests.browser.interactions_0607 07_prognosis
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import Locator, Page, expect

from .interactions import TIMEOUT_MS, TRACEBACK, wait_for


def _plot_json(plot: Locator, expression: str):
    """Evaluate ``expression`` (a JS expression over ``el.data``) on a live plotly element."""
    return json.loads(plot.evaluate(f"el => JSON.stringify({expression})"))


def _no_traceback(box: Locator, where: str) -> None:
    text = box.inner_text()
    assert not TRACEBACK.search(text), f"{where} shows an error instead of a message: {text!r}"


def _number_box(app: Locator, label: str) -> Locator:
    """The input of the ipywidgets text/number box whose description starts with ``label``."""
    return app.locator(".widget-inline-hbox", has_text=label).locator("input").first


def _type(box: Locator, text: str) -> None:
    """Replace a box's text and commit it (Enter: the apps use continuous_update=False)."""
    box.click()
    box.fill("")
    box.press_sequentially(text, delay=30)
    box.press("Enter")


def _text(locator: Locator) -> str:
    return locator.text_content() or ""


# --------------------------------------------------------------------------------------------
# 06 - symptoms, triggers and care
# --------------------------------------------------------------------------------------------


def interact_06_symptoms_triggers_care(page: Page, root: Locator) -> None:
    """Heat map data, choose a trigger (card text), then filter the treatment map by subtype
    and D816V (timeline opacity in the live figure, list and summary text)."""
    from mastolib.models._care import TreatmentModel, TriggerModel

    # The heat map is a plain figure: its cells carry the level as text, grey '?' included.
    # Pick the heat map by its trace type (the page also holds other plots).
    plots = root.locator(".js-plotly-plot")
    expect(plots.first).to_be_attached(timeout=TIMEOUT_MS)
    index = plots.evaluate_all(
        "els => els.findIndex(el => el.data && el.data[0] && el.data[0].type === 'heatmap')")
    assert index >= 0, "no heat map figure found on the page"
    heat = plots.nth(index)
    expect(heat).to_be_visible(timeout=TIMEOUT_MS)
    cells = _plot_json(heat, "el.data[0].text")
    assert any("? not described" in c for row in cells for c in row), cells

    # Trigger explorer: pick "Anaesthesia" in the drop-down; the card follows.
    app = root.locator(".mastolib-triggers").first
    app.scroll_into_view_if_needed()
    expect(app).to_be_visible(timeout=TIMEOUT_MS)
    card = app.locator(".mastolib-trigger-card")
    expect(card).to_contain_text("Trigger: Insect stings", timeout=TIMEOUT_MS)
    app.locator("select").first.select_option(label="Trigger: Anaesthesia")
    expect(card).to_contain_text("Trigger: Anaesthesia", timeout=TIMEOUT_MS)
    model = TriggerModel.load()
    plans = [model.item(p)["label"] for p in model.item("anaesthesia")["plan_ids"].split(";")]
    for label in plans:
        expect(card).to_contain_text(label)
    _no_traceback(app, "the trigger explorer")

    # Infections became a described trigger (issue 17: febrile infections, castells2011_peds_cm);
    # no trigger row is "not described" any more, so the card shows its described text.
    app.locator("select").first.select_option(label="Trigger: Infections and fever")
    expect(card).to_contain_text("Trigger: Infections and fever", timeout=TIMEOUT_MS)
    expect(card).not_to_contain_text("Not described in our sources")

    # Treatment map: subtype ISM fades the advanced-SM events; D816V only narrows the list.
    tm = root.locator(".mastolib-treatments").first
    tm.scroll_into_view_if_needed()
    timeline = tm.locator(".js-plotly-plot").first
    expect(timeline).to_be_visible(timeout=TIMEOUT_MS)
    assert set(_plot_json(timeline, "el.data[0].marker.opacity")) == {1}
    treatments = TreatmentModel.load()
    tm.locator(".widget-dropdown", has_text="Subtype:").locator("select").select_option(
        label="ISM")
    shown = {r["row_id"] for r in treatments.filter("ISM")}
    expected_opacity = [1 if r["row_id"] in shown else 0.15 for r in treatments.dated()]
    wait_for(lambda: _plot_json(timeline, "el.data[0].marker.opacity") == expected_opacity,
             "the timeline to fade events that do not apply to ISM")
    tm.locator(".widget-checkbox", has_text="Only agents acting on KIT D816V").locator(
        "input").check()
    listing = tm.locator(".mastolib-treatment-list")
    wait_for(lambda: "Midostaurin" not in _text(listing) and "Elenestinib" in _text(listing)
             and "H1 and H2" not in _text(listing),
             "the list to keep only D816V-directed agents for ISM")
    expect(tm.locator(".mastolib-treatment-summary")).to_contain_text("Avapritinib")
    _no_traceback(tm, "the treatment map")


# --------------------------------------------------------------------------------------------
# 07 - prognosis
# --------------------------------------------------------------------------------------------


def _mars_widths(plot: Locator) -> dict:
    data = _plot_json(plot, "el.data.map(t => [t.name, t.line.width])")
    return {name.split(",")[0].lower(): width for name, width in data}


def interact_07_prognosis(page: Page, root: Locator) -> None:
    """MARS: type numbers and untick a gene until the group changes; a negative age gives a
    message; IPSM: switch the age boundary, then type a word in a box."""
    import mastolib as ml

    app = root.locator(".mastolib-mars").first
    expect(app).to_be_visible(timeout=TIMEOUT_MS)
    app.scroll_into_view_if_needed()
    plot = app.locator(".js-plotly-plot").first
    expect(plot).to_be_visible(timeout=TIMEOUT_MS)
    panel = app.locator(".mastolib-mars-result")
    start = ml.mars(72, 8.5, 60, ["SRSF2", "ASXL1"])  # the notebook's starting values (M4)
    expect(panel).to_contain_text(f"MARS {start.points} points", timeout=TIMEOUT_MS)
    assert _mars_widths(plot)["high"] == 4.5

    _type(_number_box(app, "Haemoglobin"), "12")
    expect(panel).to_contain_text(
        f"MARS {ml.mars(72, 12, 60, ['SRSF2', 'ASXL1']).points} points", timeout=TIMEOUT_MS)
    _type(_number_box(app, "Platelets"), "150")
    app.locator(".widget-checkbox", has_text="ASXL1 mutated").locator("input").uncheck()
    result = ml.mars(72, 12, 150, ["SRSF2"])
    expect(panel).to_contain_text(f"MARS {result.points} points → {result.group} risk",
                                  timeout=TIMEOUT_MS)
    wait_for(lambda: _mars_widths(plot).get(result.group) == 4.5
             and _mars_widths(plot).get("high") == 2,
             f"the survival illustration to highlight the {result.group} group")
    assert result.group != start.group
    title = _plot_json(plot, "el.layout.title.text")
    assert "not patient-level data" in title, title

    # Invalid input: a message in words, no score, no traceback; fixing it brings it back.
    age = _number_box(app, "Age")
    _type(age, "-5")
    message = app.locator(".mastolib-message")
    expect(message).to_contain_text("not allowed", timeout=TIMEOUT_MS)
    expect(panel).to_contain_text("No score until the input is valid")
    _no_traceback(app, "the MARS app")
    _type(age, "72")
    expect(panel).to_contain_text(f"MARS {result.points} points", timeout=TIMEOUT_MS)
    expect(message).to_have_text("", timeout=TIMEOUT_MS)

    # IPSM: the notebook starts at age exactly 60 with ALP 130 (fact sheet I4).
    ipsm = root.locator(".mastolib-ipsm").first
    ipsm.scroll_into_view_if_needed()
    verdict = ipsm.locator(".mastolib-ipsm-result")
    expect(verdict).to_contain_text("present: 2 of 2", timeout=TIMEOUT_MS)
    ipsm.locator("button", has_text="> 60 years").click()
    expect(verdict).to_contain_text("present: 1 of 2", timeout=TIMEOUT_MS)
    _type(_number_box(ipsm, "Alkaline phosphatase"), "abc")
    expect(ipsm.locator(".mastolib-message")).to_contain_text("is not a number",
                                                                  timeout=TIMEOUT_MS)
    expect(verdict).to_contain_text("No factor count until the input is valid")
    _no_traceback(ipsm, "the IPSM app")
    assert re.search(r"Alkaline phosphatase", _text(ipsm.locator(".mastolib-message")))


def main(argv=None) -> int:
    """Serve a temp copy of the notebooks with JupyterLab, Run All one notebook and run its
    interaction (found by ``interactions.py`` like in the browser test suite)."""
    import sys
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from . import harness as h

    stem = (argv or sys.argv[1:] or ["07_prognosis"])[0]
    if stem not in ("06_symptoms_triggers_care", "07_prognosis"):
        print(f"unknown notebook {stem!r}; use 06_symptoms_triggers_care or 07_prognosis")
        return 2
    reason = h.browser_missing_reason()
    if reason:
        print(f"cannot run: {reason}")
        return 1
    notebook = h.NOTEBOOKS_DIR / f"{stem}.ipynb"
    base = Path(tempfile.mkdtemp(prefix=f"mastolib-{stem[:2]}-"))
    env = h.isolated_env(base / "env")
    root_dir = h.make_root(base)
    port, token = h.free_port(), h.new_token()
    cmd = [str(h.VENV_BIN / "jupyter"), "lab", "--no-browser", "--ip", "127.0.0.1", "--port",
           str(port), f"--ServerApp.token={token}", "--allow-root",
           f"--ServerApp.root_dir={root_dir}",
           f"--LabApp.workspaces_dir={base / 'env' / 'lab-workspaces'}"]
    server = h.start_server(f"lab-{stem[:2]}", cmd, cwd=root_dir, env=env, port=port,
                            token=token, root=root_dir, ready_path="api/status")
    try:
        with sync_playwright() as pw:
            context = h.launch_browser(pw, base / "chromium", h.NetLog())
            page = context.new_page()
            log = h.watch_page(page)
            url = server.url(f"lab/tree/notebooks/{notebook.name}", reset="")
            h.check_notebook_ui(page, log, url, notebook, "lab")
            print(f"{stem}: Run All + interaction passed", file=sys.stderr)
            context.close()
    finally:
        server.shutdown_kernels()
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
