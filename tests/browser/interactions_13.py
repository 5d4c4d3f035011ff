"""Notebook 13 (final case exam): a learner answers engine-graded case questions and the
class quiz, in JupyterLab and Voila."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from .interactions import TIMEOUT_MS, check_feedback


def _question(quiz: Locator, number: int) -> Locator:
    quiz.scroll_into_view_if_needed()
    box = quiz.locator(".widget-vbox").filter(
        has=quiz.page.locator(".mastolib-feedback")).filter(has_text=f"Q{number}.")
    expect(box).to_have_count(1)
    return box


def interact_13_final_case_exam(page: Page, root: Locator) -> None:
    """Class quiz (pre): a typed number; exam: the vignette, a right and a wrong answer."""
    pre = root.locator(".mastolib-quiz").filter(has_text="Class quiz").first
    expect(pre).to_be_visible(timeout=TIMEOUT_MS)
    q3 = _question(pre, 3)
    box = q3.locator("input[type=text]")
    box.click()
    box.press_sequentially("22", delay=40)
    check_feedback(q3, "Correct: 22 ng/mL.")

    exam = root.locator(".mastolib-quiz").filter(has_text="Case c01:").first
    expect(exam).to_contain_text("A two-year-old girl", timeout=TIMEOUT_MS)
    q1 = _question(exam, 1)
    q1.locator("label", has_text="Cutaneous mastocytosis, maculopapular (MPCM)").click()
    check_feedback(q1, "Correct.")
    q2 = _question(exam, 2)
    q2.locator("label", has_text="A bone marrow biopsy to exclude SM").click()
    check_feedback(q2, "Not quite. In children the marrow is kept for red flags")
