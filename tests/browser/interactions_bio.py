"""Learner interactions for notebooks 01 (mast cell biology) and 02 (KIT and clonality).

``interactions._discover()`` registers both functions by name (``interact_<notebook stem>``);
nothing needs editing in ``interactions.py``.

Each app is found by the CSS class its mastolib app adds (``mastolib-life-cycle``, ...), never
by position. One real interaction per app - pick a trigger in a drop-down, press ArrowRight on a
focused slider handle, tick a check box - then wait until the app's plotly figure holds new
data, read through ``document.querySelectorAll('.js-plotly-plot')[i].data`` in the page, and
check the app's live text summary (what a screen reader announces).
"""

from __future__ import annotations

import json

from playwright.sync_api import Locator, Page, expect

TIMEOUT_MS = 20_000

# Index of the app's figure among all plotly plots of the page, and a JSON snapshot of its
# traces (x, y, text, name per trace). Typed arrays serialise too, so any change shows.
_PLOT_JS = """appClass => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    const el = document.querySelector(`.${appClass} .js-plotly-plot`);
    const i = plots.indexOf(el);
    if (i < 0 || !Array.isArray(plots[i].data)) return null;
    const data = plots[i].data.map(t => ({name: t.name ?? null, x: t.x ?? null, y: t.y ?? null,
                                          text: t.text ?? null}));
    return {index: i, traces: data.length, snapshot: JSON.stringify(data)};
}"""

_CHANGED_JS = """([appClass, before]) => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    const el = document.querySelector(`.${appClass} .js-plotly-plot`);
    const i = plots.indexOf(el);
    if (i < 0 || !Array.isArray(plots[i].data)) return false;
    const data = plots[i].data.map(t => ({name: t.name ?? null, x: t.x ?? null, y: t.y ?? null,
                                          text: t.text ?? null}));
    return JSON.stringify(data) !== before;
}"""


def _app(root: Locator, app_class: str) -> Locator:
    app = root.locator(f".{app_class}").first
    app.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
    expect(app.locator(".js-plotly-plot").first).to_be_visible(timeout=TIMEOUT_MS)
    return app


def _plot(page: Page, app_class: str) -> dict:
    plot = page.evaluate(_PLOT_JS, app_class)
    assert plot is not None, f"no plotly figure with data inside .{app_class}"
    assert plot["traces"] > 0, f"the figure of .{app_class} has no traces"
    return plot


def _wait_for_new_data(page: Page, app_class: str, before: dict, what: str) -> dict:
    try:
        page.wait_for_function(_CHANGED_JS, arg=[app_class, before["snapshot"]],
                               timeout=TIMEOUT_MS, polling=100)
    except Exception as exc:  # playwright TimeoutError: say what did not happen
        raise AssertionError(f"the figure of .{app_class} did not change after {what}") from exc
    after = _plot(page, app_class)
    assert after["traces"] == before["traces"], (
        f".{app_class}: the app should update its traces in place, not add or drop them")
    return after


def _trace(plot: dict, name: str) -> dict:
    for trace in json.loads(plot["snapshot"]):
        if trace["name"] == name:
            return trace
    raise AssertionError(f"no trace named {name!r}; traces: "
                         f"{[t['name'] for t in json.loads(plot['snapshot'])]}")


def _press_right(page: Page, app: Locator, slider_index: int = 0) -> None:
    handle = app.locator(".widget-slider .noUi-handle").nth(slider_index)
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press("ArrowRight")


def _summary(app: Locator) -> Locator:
    return app.locator(".mastolib-summary")


# --------------------------------------------------------------------------------------------
# 01 - mast cell biology
# --------------------------------------------------------------------------------------------


def interact_01_mast_cell_biology(page: Page, root: Locator) -> None:
    """Life cycle: step the stage slider; degranulation: choose Friction; kinetics: move the
    sampling-time slider one step."""
    # Life cycle: stage 1 -> 2 moves the star to the second node.
    app = _app(root, "mastolib-life-cycle")
    expect(_summary(app)).to_contain_text("Stage 1 of 5")
    before = _plot(page, "mastolib-life-cycle")
    _press_right(page, app)
    after = _wait_for_new_data(page, "mastolib-life-cycle", before, "ArrowRight on Stage")
    expect(_summary(app)).to_contain_text("Stage 2 of 5", timeout=TIMEOUT_MS)
    assert after["snapshot"] != before["snapshot"]

    # Degranulation: a local trigger reaches only the skin.
    app = _app(root, "mastolib-degranulation")
    before = _plot(page, "mastolib-degranulation")
    app.locator("select").first.select_option(
        label="Friction or rubbing of a skin lesion (Darier's sign)")
    after = _wait_for_new_data(page, "mastolib-degranulation", before,
                               "choosing the Friction trigger")
    expect(_summary(app)).to_contain_text("local reaction", timeout=TIMEOUT_MS)
    preformed = _trace(after, "Preformed (granule)")
    assert "Gut" not in json.dumps(preformed["x"]), preformed

    # Kinetics: 30 min -> 45 min moves the sample line.
    app = _app(root, "mastolib-kinetics")
    expect(_summary(app)).to_contain_text("Sample at 30 min")
    before = _plot(page, "mastolib-kinetics")
    _press_right(page, app)
    _wait_for_new_data(page, "mastolib-kinetics", before, "ArrowRight on the sampling time")
    expect(_summary(app)).to_contain_text("Sample at 45 min", timeout=TIMEOUT_MS)


# --------------------------------------------------------------------------------------------
# 02 - KIT and clonality
# --------------------------------------------------------------------------------------------


def interact_02_kit_and_clonality(page: Page, root: Locator) -> None:
    """KIT map: show children's variants; KIT switch: add SCF; clonal model: one more year."""
    app = _app(root, "mastolib-kit-map")
    before = _plot(page, "mastolib-kit-map")
    app.locator("select").first.select_option(label="Reported in children")
    after = _wait_for_new_data(page, "mastolib-kit-map", before, "choosing children")
    adults = _trace(after, "Reported in adults")
    assert "V560G" not in json.dumps(adults["text"]), adults
    expect(_summary(app)).not_to_contain_text("V560G", timeout=TIMEOUT_MS)

    app = _app(root, "mastolib-kit-signalling")
    before = _plot(page, "mastolib-kit-signalling")
    app.locator("label", has_text="SCF present").click()
    _wait_for_new_data(page, "mastolib-kit-signalling", before, "ticking SCF present")
    expect(_summary(app)).to_contain_text("dimerisation", timeout=TIMEOUT_MS)

    app = _app(root, "mastolib-clonal")
    expect(_summary(app)).to_contain_text("year 20")
    before = _plot(page, "mastolib-clonal")
    _press_right(page, app, slider_index=2)  # third slider: years since the mutation
    _wait_for_new_data(page, "mastolib-clonal", before, "ArrowRight on the years slider")
    expect(_summary(app)).to_contain_text("year 21", timeout=TIMEOUT_MS)
