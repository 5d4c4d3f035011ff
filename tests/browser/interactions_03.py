"""03_classification in a real browser: what a learner does with the criteria checker.

``interact_03_classification(page, root)`` follows the contract of ``interactions.py``
(``root`` is ``.jp-Notebook`` in JupyterLab / Notebook 7 and ``body`` in Voila); register it
with ``INTERACTIONS["03_classification"] = interact_03_classification``.

Expected texts are computed with the same pure model the app uses (``ml.compare_schemes`` on
``ml.case_findings``), so the test checks that the browser shows what the model says.

Run it alone (JupyterLab on a temp copy of the notebooks, screenshots in
``test-artifacts/screenshots/``)::

    .venv/bin/python -m tests.browser.interactions_03
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .interactions import TIMEOUT_MS, TRACEBACK, wait_for

CASE_A, CASE_B = "c18", "c13"  # major criterion only (WHO none, ICC SM); then an SSM


def _verdict_line(comparison) -> str:
    """The verdict line exactly as the app renders it (mastolib.models._checker.render_verdict)."""
    from mastolib.models._checker import _full_verdict

    agree = "agree" if comparison.agree else "disagree"
    return (f"WHO 2022: {_full_verdict(comparison.who)} | ICC 2022: "
            f"{_full_verdict(comparison.icc)} - the schemes {agree}")


def _verdict(checker: Locator) -> str:
    return (checker.locator(".mastolib-checker-verdict").text_content() or "").strip()


def _expect_verdict(checker: Locator, expected: str, what: str) -> None:
    wait_for(lambda: expected in _verdict(checker), f"the verdict to read {expected!r} ({what})")


def _choose_case(select: Locator, case_id: str) -> None:
    """Pick a case by its id (option texts use non-breaking spaces; values do not)."""
    value = select.locator(f"option[value^='{case_id} ']").first.get_attribute("value")
    assert value, f"no option for case {case_id} in 'Load a case'"
    select.select_option(value=value)


def _open_tab(checker: Locator, title: str) -> None:
    tab = checker.locator(".mastolib-checker-tabs .lm-TabBar-tab", has_text=title).first
    tab.click()
    expect(tab).to_have_class(re.compile(r"lm-mod-current"), timeout=TIMEOUT_MS)


def interact_03_classification(page: Page, root: Locator) -> None:
    """Load a case, change a yes/no finding and a number, type a non-number, fix it."""
    import mastolib as ml

    checker = root.locator(".mastolib-checker").first
    expect(checker).to_be_visible(timeout=TIMEOUT_MS)
    checker.scroll_into_view_if_needed()
    before = _verdict(checker)
    assert before.startswith("WHO 2022:"), f"no verdict shown: {before!r}"

    # 1. Load a case from the drop-down: every control is set and the verdict follows.
    select = checker.locator(".mastolib-case-select select")
    _choose_case(select, CASE_A)
    findings = ml.case_findings(CASE_A)
    expected = _verdict_line(ml.compare_schemes(findings))
    _expect_verdict(checker, expected, f"after loading {CASE_A}")
    assert expected != before, "loading the case should change the verdict"
    expect(checker.locator(".mastolib-case-info")).to_contain_text(CASE_A)
    who_panel = checker.locator(".mastolib-panel[data-scheme='who2022']")

    def who_cell(cid: str) -> Locator:
        return checker.locator(f".mastolib-criteria td[data-scheme='who2022'][data-id='{cid}']")

    expect(who_cell("major")).to_have_attribute("data-status", "met")

    # 2. A yes/no finding with three states: CD25 -> "yes" makes the immunophenotype minor met.
    _open_tab(checker, "Immunophenotype")
    checker.locator(".mastolib-field-cd25 select").select_option("yes")
    findings = findings.replace(cd25=True)
    comparison = ml.compare_schemes(findings)
    _expect_verdict(checker, _verdict_line(comparison), "after CD25 = yes")
    cell = who_cell("minor_immunophenotype")
    expect(cell).to_have_attribute("data-status", "met", timeout=TIMEOUT_MS)
    expect(cell).to_contain_text("● met")  # symbol and word, not colour alone

    # 3. A number: raise the basal tryptase in the Tryptase tab (Enter commits the box).
    _open_tab(checker, "Tryptase")
    box = checker.locator(".mastolib-field-bst_ng_ml input")
    box.fill("")
    box.press_sequentially("250", delay=30)
    box.press("Enter")
    findings = findings.replace(bst_ng_ml=250.0)
    comparison = ml.compare_schemes(findings)
    _expect_verdict(checker, _verdict_line(comparison), "after tryptase = 250")
    status = comparison.who.criterion("minor_tryptase").status
    expect(who_cell("minor_tryptase")).to_have_attribute("data-status", status,
                                                         timeout=TIMEOUT_MS)

    # 4. Not a number: a message in words, no traceback, last result kept but marked stale.
    box.fill("")
    box.press_sequentially("abc", delay=30)
    box.press("Enter")
    message = checker.locator(".mastolib-message [role='alert']")
    expect(message).to_contain_text("not a number", timeout=TIMEOUT_MS)
    expect(message).to_contain_text("Basal serum tryptase")
    expect(checker.locator(".mastolib-checker-verdict")).to_contain_text("Stale")
    expect(who_panel).to_have_attribute("data-stale", "true")
    text = checker.inner_text()
    assert not TRACEBACK.search(text), "the checker shows a traceback or an error name"

    # 5. Fix the box: the message goes away and the result is live again.
    box.fill("")
    box.press_sequentially("250", delay=30)
    box.press("Enter")
    expect(checker.locator(".mastolib-message [role='alert']")).to_have_count(
        0, timeout=TIMEOUT_MS)
    _expect_verdict(checker, _verdict_line(comparison), "after fixing the tryptase box")

    # 6. Keyboard: Tab from the case drop-down stays inside the checker (layout order).
    select.focus()
    page.keyboard.press("Tab")
    inside = page.evaluate("""() => !!document.activeElement &&
        !!document.activeElement.closest('.mastolib-checker')""")
    assert inside, "Tab from 'Load a case' should move to the next checker control"

    # 7. Another case: the subtype decision path highlights the chosen rule.
    _choose_case(select, CASE_B)
    _expect_verdict(checker, _verdict_line(ml.compare_schemes(ml.case_findings(CASE_B))),
                    f"after loading {CASE_B}")
    expect(checker.locator(".mastolib-panel[data-scheme='who2022'] "
                           "li[data-chosen='true']")).to_contain_text("◀ chosen")

    # The family tree switch: ICC shows SM-AMN, not SM-AHN.
    tree = root.locator(".mastolib-family-tree").first
    tree.scroll_into_view_if_needed()
    tree.locator("button", has_text="ICC 2022").click()
    wait_for(lambda: "ICC 2022" in (tree.locator(".mastolib-tree-summary").text_content() or ""),
             "the family-tree summary to switch to ICC 2022")
    expect(tree.locator(".mastolib-tree-summary")).to_contain_text("SM-AMN")


# JupyterLab's plotly renderer leaves data-mime-type off its output element, so the harness's
# report counts a plain (non-widget) plotly figure as an "empty widget output"; discount those.
_PLOTLY_OUTPUTS_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
    .filter(el => !el.getAttribute('data-mime-type') && el.matches('.js-plotly-plot')
                  && !el.querySelector('.jupyter-widgets')).length"""


def _report(page, h) -> dict:
    report = h.output_problems(page, h.NOTEBOOK_ROOT)
    plots = page.evaluate(_PLOTLY_OUTPUTS_JS)
    report["emptyWidgetOutputs"] -= plots
    report["widgetOutputs"] -= plots
    return report


def main() -> int:
    """Serve a temp copy of the notebooks with JupyterLab, Run All 03, interact, screenshot."""
    import sys
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from . import harness as h

    reason = h.browser_missing_reason()
    if reason:
        print(f"cannot run: {reason}")
        return 1
    notebook = h.NOTEBOOKS_DIR / "03_classification.ipynb"
    base = Path(tempfile.mkdtemp(prefix="mastolib-03-"))
    env = h.isolated_env(base / "env")
    root_dir = h.make_root(base)
    port, token = h.free_port(), h.new_token()
    cmd = [str(h.VENV_BIN / "jupyter"), "lab", "--no-browser", "--ip", "127.0.0.1", "--port",
           str(port), f"--ServerApp.token={token}", "--allow-root",
           f"--ServerApp.root_dir={root_dir}",
           f"--LabApp.workspaces_dir={base / 'env' / 'lab-workspaces'}"]
    server = h.start_server("lab-03", cmd, cwd=root_dir, env=env, port=port, token=token,
                            root=root_dir, ready_path="api/status")
    try:
        with sync_playwright() as pw:
            context = h.launch_browser(pw, base / "chromium", h.NetLog())
            page = context.new_page()
            log = h.watch_page(page)
            url = server.url(f"lab/tree/notebooks/{notebook.name}", reset="")
            h.open_notebook(page, url)
            h.run_all_cells(page)
            h.wait_until_executed(page, h.code_cells_with_source(notebook))
            page.wait_for_function(
                "() => !document.body.innerText.includes('Loading widget...')", timeout=30_000)
            h.scroll_plots_into_view(page, h.NOTEBOOK_ROOT)
            h.screenshot_full(page, h.SCREENSHOTS / "lab-03_classification.png",
                              h.NOTEBOOK_SCROLLER)
            h.assert_outputs_ok(_report(page, h), "lab, 03_classification.ipynb")
            interact_03_classification(page, page.locator(h.NOTEBOOK_ROOT).first)
            h.screenshot_full(page, h.SCREENSHOTS / "lab-03_classification-after.png",
                              h.NOTEBOOK_SCROLLER)
            h.assert_outputs_ok(_report(page, h), "after interaction")
            h.assert_no_page_errors(log, "lab, 03_classification.ipynb", "lab")
            context.close()
    finally:
        server.shutdown_kernels()
        server.stop()
    print("03_classification: Run All + interaction passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
