"""Learner interactions for the patient and family track: notebooks 10 and 11.

Contract of ``tests/browser/interactions.py``: ``fn(page, root)``, ``root`` a locator around
the rendered notebook. The take-home apps carry ``mastolib-patient-<tool>``; the message line
``mastolib-patient-message``; the preview ``mastolib-patient-preview`` with its download link
``mastolib-printable-download``. Glossary links point at the headings of the notebook's "Words used
on this page" cell (``mastolib.course._patient.glossary_anchor``).
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from .interactions import TIMEOUT_MS, TRACEBACK, check_feedback, quiz_question


def _app(root: Locator, tool: str) -> Locator:
    app = root.locator(f".mastolib-patient-{tool}").first
    expect(app).to_be_visible(timeout=TIMEOUT_MS)
    app.scroll_into_view_if_needed()
    return app


def _box(app: Locator, label: str) -> Locator:
    return app.locator(".widget-inline-hbox", has_text=label).locator("input").first


def _type(box: Locator, text: str) -> None:
    box.click()
    box.fill("")
    box.press_sequentially(text, delay=20)
    box.press("Enter")


def _message(app: Locator) -> Locator:
    return app.locator(".mastolib-patient-message")


def _preview(app: Locator) -> Locator:
    return app.locator(".mastolib-patient-preview")


def _check_download(app: Locator) -> None:
    link = app.locator(".mastolib-printable-download").first
    expect(link).to_be_visible(timeout=TIMEOUT_MS)
    href = link.get_attribute("href") or ""
    assert href.startswith("data:text/html;base64,"), href[:40]


def _check_glossary_link(page: Page, root: Locator, term_id: str) -> None:
    """Click the first link to a glossary word; its definition must come into view."""
    from mastolib.course._patient import glossary_anchor

    target = glossary_anchor(term_id)
    # the prose link, not the hidden pilcrow link of the heading itself
    link = root.locator(f'a[href="#{target}"]:not(.anchor-link):not(.jp-InternalAnchorLink)').first
    link.scroll_into_view_if_needed()
    link.click()
    # JupyterLab marks a heading with data-jupyter-id (and scrolls to it itself); Voila and
    # nbconvert give it an id.
    anchor = root.locator(f'[data-jupyter-id="{target}"], h4[id="{target}"]').first
    expect(anchor).to_be_attached(timeout=TIMEOUT_MS)
    expect(anchor).to_be_in_viewport(timeout=TIMEOUT_MS)


def interact_10_living_with_mastocytosis(page: Page, root: Locator) -> None:
    """Triggers list -> plan; a bad phone number -> message, then a good one; a diary entry
    is saved; a glossary link jumps to its definition; one quiz answer."""
    app = _app(root, "triggers")
    expect(_preview(app)).to_contain_text("Insect stings", timeout=TIMEOUT_MS)
    app.locator("select").first.select_option(label="Spicy food")
    expect(_preview(app)).to_contain_text("Spicy food", timeout=TIMEOUT_MS)
    expect(_preview(app)).not_to_contain_text("Insect stings", timeout=TIMEOUT_MS)
    _check_download(app)

    app = _app(root, "emergency")
    _type(_box(app, "Contact's phone"), "call me")
    expect(_message(app)).to_contain_text("Contact's phone", timeout=TIMEOUT_MS)
    text = _message(app).inner_text()
    assert not TRACEBACK.search(text), text
    _type(_box(app, "Contact's phone"), "0123 456")
    expect(_preview(app)).to_contain_text("0123 456", timeout=TIMEOUT_MS)
    expect(_message(app)).to_have_text("", timeout=TIMEOUT_MS)

    app = _app(root, "diary")
    _type(_box(app, "Date"), "2026-03-14")
    app.locator("select[multiple]").first.select_option(label="Itch")
    _type(_box(app, "How long"), "ten")
    app.get_by_role("button", name="Add entry").click()
    expect(_message(app)).to_contain_text("How long (minutes)", timeout=TIMEOUT_MS)
    _type(_box(app, "How long"), "10")
    app.get_by_role("button", name="Add entry").click()
    expect(_message(app)).to_contain_text("Saved", timeout=TIMEOUT_MS)
    expect(_preview(app)).to_contain_text("2026-03-14", timeout=TIMEOUT_MS)

    q1 = quiz_question(root, 1)
    q1.locator("label", has_text="it is not contagious").click()
    check_feedback(q1, "Right")

    _check_glossary_link(page, root, "anaphylaxis")


def interact_11_children_and_parents(page: Page, root: Locator) -> None:
    """The child's emergency plan is pre-filled; the questions list adds the children's
    questions; a glossary link jumps to its definition."""
    app = _app(root, "emergency")
    expect(_preview(app)).to_contain_text("skin mastocytosis (child)", timeout=TIMEOUT_MS)
    app = _app(root, "questions")
    expect(_preview(app)).to_contain_text("school or nursery", timeout=TIMEOUT_MS)
    app.get_by_text("The appointment is for my child").click()
    expect(_preview(app)).not_to_contain_text("school or nursery", timeout=TIMEOUT_MS)
    _check_download(app)
    _check_glossary_link(page, root, "anaphylaxis")
