"""Every printable of the patient track prints to one or two clean A4 pages (real Chromium).

Each document is rendered with the print stylesheet, printed with ``page.pdf()`` (A4, the
page size of its ``@page`` rule) and checked: 1-2 pages, and no element reaching outside the
printable width or clipping its own content. Filled with the longest values the tools accept,
so a real plan cannot be longer. Screenshots: ``test-artifacts/screenshots/printable-*.png``.
"""

from __future__ import annotations

import re

import pytest

from . import harness as h

pytestmark = pytest.mark.browser

# A4 width minus the 14 mm side margins of the @page rule, in CSS px (96 px per inch).
PRINTABLE_WIDTH_PX = (210 - 2 * 14) / 25.4 * 96


def _documents():
    import mastolib as ml
    from mastolib.course import _patient as P

    long_name = "Alexandra Konstantinopoulou-Smith"  # long, but within the 60-character limit
    entries = [P.diary_entry(date=f"2026-0{1 + d // 28}-{1 + d % 28:02d}", time_of_day="23:59",
                             symptoms=[s for _l, s in P.symptom_choices()][d % 5:d % 5 + 4],
                             severity=P.SEVERITIES[d % 3], duration_min=d * 7,
                             trigger=[t for _l, t in P.trigger_choices()][d % 8],
                             adrenaline_used=d % 4 == 0,
                             notes="after dinner out; better after resting for an hour")
               for d in range(30)]
    return {
        "triggers": ml.take_home("triggers", triggers=[t for _l, t in P.trigger_choices()],
                                 other="hot showers, tight clothes and a long list " * 4,
                                 name=long_name),
        "emergency": ml.take_home("emergency", name=long_name, emergency_number="+44 999",
                                  contact_name=long_name, contact_phone="+44 (0)20 7946 0000",
                                  condition="indolent systemic mastocytosis",
                                  medicines_to_avoid="x" * 10 + " some anaesthetics " * 9),
        "emergency_blank": ml.take_home("emergency"),
        "anaesthesia": ml.take_home("anaesthesia", name=long_name,
                                    condition="indolent systemic mastocytosis",
                                    past_reactions="flushing and low blood pressure " * 6,
                                    care_team="Mastocytosis clinic, city hospital",
                                    care_team_phone="+44 (0)20 7946 0000"),
        "bracelet": ml.take_home("bracelet", medicines_to_avoid="some anaesthetics",
                                 contact_phone="+44 20 7946 0000"),
        "diary": ml.take_home("diary", entries=entries, name=long_name),
        "questions": ml.take_home("questions", question_ids=[q for _t, q in
                                                             P.question_choices()],
                                  own_questions="; ".join(["Can I travel by plane?"] * 10),
                                  for_child=True),
        "handout": ml.patient_handout(),
    }


DOCS = _documents() if h.browser_missing_reason() is None else {}

_OVERFLOW_JS = """limit => {
    const bad = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        const name = el.tagName + (el.className ? '.' + el.className : '');
        if (r.left < -0.5 || r.right > limit + 0.5)
            bad.push(`${name} spans ${r.left.toFixed(1)}-${r.right.toFixed(1)} px`);
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
            bad.push(`${name} clips its content (${el.scrollWidth} > ${el.clientWidth} px)`);
    }
    return bad;
}"""


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("name", sorted(DOCS) or ["(browser missing)"])
def test_printable_prints_to_one_or_two_clean_pages(page, name):
    doc = DOCS[name]
    page.set_viewport_size({"width": round(PRINTABLE_WIDTH_PX), "height": 1100})
    page.emulate_media(media="print")
    page.set_content(doc.html, wait_until="load")
    bad = page.evaluate(_OVERFLOW_JS, PRINTABLE_WIDTH_PX)
    h.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(h.SCREENSHOTS / f"printable-{name}.png"), full_page=True)
    assert not bad, f"{name}: content outside the printable area:\n" + "\n".join(bad[:20])
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    pages = _pages(pdf)
    assert 1 <= pages <= 2, f"{name}: prints to {pages} pages (allowed 1-2)"
    if name == "handout":
        assert pages == 2, f"the patient handout should fill two pages, prints to {pages}"
