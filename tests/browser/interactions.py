"""What a learner does with each notebook's widgets, driven through a real browser.

``INTERACTIONS`` maps a notebook stem (``"00_start_here"`` for
``notebooks/00_start_here.ipynb``) to a function ``fn(page, root)``:

* ``page`` - the Playwright ``Page`` (use it for the keyboard: ``page.keyboard``);
* ``root`` - a ``Locator`` around the rendered notebook (``.jp-Notebook`` in JupyterLab and
  Notebook 7, ``body`` in Voila). Find everything through ``root`` so one function works in
  all three front ends.

The same function runs after Run All in JupyterLab (test_lab.py), in Notebook 7 for
00_start_here (test_notebook7.py) and after Voila's render (test_voila.py). Every notebook
that shows a widget must have an entry; the Lab and Voila tests fail otherwise.

Adding one for a new notebook
-----------------------------
1. Write ``def interact_<stem>(page, root) -> None`` below. Find widgets by the CSS class
   your mastolib app adds (``widget.add_class("mastolib-...")``), never by position in the
   notebook.
2. Act like a learner: ``locator.press_sequentially(text)`` types key by key,
   ``select_option`` picks from a drop-down, ``click`` presses buttons and radio labels.
3. After each action, wait for the visible result with ``expect(...)`` or :func:`wait_for`
   (the kernel answers asynchronously; never ``sleep``), then assert on what a learner sees.
4. Register it: either name it exactly ``interact_<notebook stem>`` (e.g.
   ``interact_03_classification``) in a new module ``tests/browser/interactions_<nn>.py`` -
   :func:`_discover` picks it up, nothing to edit here - or add
   ``INTERACTIONS["<stem>"] = ...`` below. Import shared helpers with
   ``from .interactions import TIMEOUT_MS, wait_for``.
5. Run ``.venv/bin/python -m pytest tests/browser -m browser -k <stem>`` and look at
   ``test-artifacts/screenshots/*-<stem>*.png``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

TIMEOUT_MS = 15_000
TRACEBACK = re.compile(r"Traceback|Error\b")


def wait_for(predicate: Callable[[], object], what: str, timeout: float = 15.0):
    """Poll ``predicate`` until it returns something truthy; fail saying ``what`` we waited for."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


# --------------------------------------------------------------------------------------------
# Shared pieces: the glossary explorer and the quiz (mastolib.course._glossary, mastolib.course._quiz)
# --------------------------------------------------------------------------------------------


def glossary_count(glossary: Locator) -> tuple[int, int]:
    """``(shown, total)`` from the count line "<b>N</b> of M terms"."""
    text = glossary.locator(".mastolib-glossary-count").text_content() or ""
    match = re.search(r"(\d+)\s+of\s+(\d+)\s+terms", text)
    assert match, f"glossary count line not understood: {text!r}"
    return int(match.group(1)), int(match.group(2))


def exercise_glossary(page: Page, root: Locator, query: str = "tryptase",
                      category: str = "skin") -> None:
    """Type ``query`` key by key in Search, check the filtered list, then pick ``category``."""
    glossary = root.locator(".mastolib-glossary").first
    expect(glossary).to_be_visible(timeout=TIMEOUT_MS)
    # Scroll to it like a learner (JupyterLab skips rendering cells far off screen).
    glossary.scroll_into_view_if_needed()
    shown, total = glossary_count(glossary)
    assert shown == total > 0, f"glossary should start with all terms shown, shows {shown}/{total}"

    search = glossary.locator("input[type=text]").first
    search.click()
    search.press_sequentially(query, delay=40)
    expect(search).to_have_value(query)

    def filtered():
        n, _ = glossary_count(glossary)
        if n == shown:
            return None
        terms = glossary.locator(".mastolib-term").all_text_contents()
        if len(terms) != n or not all(query in t.lower() for t in terms):
            return None  # still catching up with the keystrokes
        return n, terms

    n, terms = wait_for(filtered, f"the glossary to show only terms matching {query!r}")
    assert 0 < n < total, f"search {query!r} shows {n} of {total} terms"
    assert all(query in t.lower() for t in terms), terms

    dropdown = glossary.locator("select").first
    dropdown.select_option(label=category)
    wait_for(lambda: glossary_count(glossary)[0] != n,
             f"the count to change after choosing category {category!r}")
    after, _ = glossary_count(glossary)
    terms = glossary.locator(".mastolib-term").all_text_contents()
    assert len(terms) == after, f"count says {after} but {len(terms)} terms are listed"
    assert all(f"({category})" in t for t in terms), terms
    if after == 0:
        expect(glossary.locator(".mastolib-glossary-results")).to_contain_text("No term matches")


def quiz_question(root: Locator, number: int) -> Locator:
    """The box of question ``number`` (1-based) of the first quiz under ``root``."""
    quiz = root.locator(".mastolib-quiz").first
    expect(quiz).to_be_visible(timeout=TIMEOUT_MS)
    quiz.scroll_into_view_if_needed()
    box = quiz.locator(".widget-vbox").filter(
        has=root.page.locator(".mastolib-feedback")).filter(has_text=f"Q{number}.")
    expect(box).to_have_count(1)
    return box


def check_feedback(question: Locator, expected: str | re.Pattern) -> str:
    question.get_by_role("button", name="Check").click()
    feedback = question.locator(".mastolib-feedback")
    expect(feedback).to_contain_text(expected, timeout=TIMEOUT_MS)
    text = feedback.text_content() or ""
    assert not TRACEBACK.search(text), f"feedback shows an error instead of a message: {text!r}"
    return text


# --------------------------------------------------------------------------------------------
# One function per notebook
# --------------------------------------------------------------------------------------------


def interact_00(page: Page, root: Locator) -> None:
    """00_start_here: glossary search + category, quiz radio answer and a non-number."""
    exercise_glossary(page, root, "tryptase", "skin")

    q1 = quiz_question(root, 1)
    q1.locator("label", has_text="Their extra mast cells release chemical messengers").click()
    expect(q1.locator("input[type=radio]:checked")).to_have_count(1)
    check_feedback(q1, "Correct")

    q2 = quiz_question(root, 2)
    box = q2.locator("input[type=text]")
    box.click()
    box.press_sequentially("abc", delay=40)
    check_feedback(q2, "is not a number")


INTERACTIONS: dict[str, Callable[[Page, Locator], None]] = {
    "00_start_here": interact_00,
}


def _discover() -> None:
    """Register ``interact_<stem>`` functions defined in ``tests/browser/interactions_*.py``.

    So an engineer adding a notebook writes ``interactions_<nn>.py`` with
    ``def interact_<notebook stem>(page, root)`` and does not need to edit this file. An
    explicit entry in ``INTERACTIONS`` above wins over a discovered one."""
    import importlib
    import pkgutil
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("interactions_"):
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        for name, fn in sorted(vars(module).items()):
            if (name.startswith("interact_") and callable(fn)
                    and getattr(fn, "__module__", None) == module.__name__):
                INTERACTIONS.setdefault(name[len("interact_"):], fn)


_discover()
