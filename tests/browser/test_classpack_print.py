"""Printables of the class pack in a real Chromium: exact page counts, nothing cut off.

Each page is loaded, printed with ``page.pdf()`` (A4, the page's own @page rules) and the
PDF's pages are counted; in print media, no element may stick out sideways and every
``.sheet`` (one intended printed page) must fit the printable height of A4.
"""

from __future__ import annotations

import re

import pytest

import mastolib as ml
from mastolib.course._printables import printable_html

from . import harness as h

pytestmark = pytest.mark.browser

MM_PX = 96 / 25.4


def printable_box_px(html: str) -> tuple[float, float]:
    """Width and height (CSS px) inside the page margins the document's ``@page`` rule sets
    (``margin: Nmm``; none found: the whole A4 sheet)."""
    match = re.search(r"@page\s*{[^}]*margin:\s*([\d.]+)mm", html)
    margin = float(match.group(1)) if match else 0.0
    return (210 - 2 * margin) * MM_PX, (297 - 2 * margin) * MM_PX

_OVERFLOW_JS = """() => {
    const bad = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) bad.push('page is wider than the paper');
    for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.width && (r.right > root.clientWidth + 1 || r.left < -1))
            bad.push(`${el.tagName}.${el.className} sticks out: ${Math.round(r.left)}-${Math.round(r.right)}`);
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'hidden')
            bad.push(`${el.tagName}.${el.className} clips its text`);
    }
    return bad.slice(0, 10);
}"""


def pdf_pages(pdf: bytes) -> int:
    """Number of pages of a PDF written by Chromium (one ``/Type /Page`` object per page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def render(page, html: str, name: str):
    """Load ``html`` as printed on A4; return (pdf bytes, problems, sheet heights, body height)
    in CSS px."""
    width, height = printable_box_px(html)
    page.set_viewport_size({"width": round(width), "height": round(height)})
    page.set_content(html, wait_until="load")
    page.emulate_media(media="print")
    problems = page.evaluate(_OVERFLOW_JS)
    heights = page.evaluate("() => [...document.querySelectorAll('.sheet')]"
                            ".map(s => s.getBoundingClientRect().height)")
    body = page.evaluate("() => document.body.getBoundingClientRect().height")
    h.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(h.SCREENSHOTS / f"print-{name}.png"), full_page=True)
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (h.SCREENSHOTS / f"print-{name}.pdf").write_bytes(pdf)
    return pdf, problems, heights, body


def test_pdf_page_counter_counts_pages(page):
    """The counter itself: a page forced onto three sheets counts three."""
    html = printable_html("Three", [("One", "x"), ("\fTwo", "y"), ("\fThree", "z")])
    pdf, _problems, _heights, _body = render(page, html, "counter")
    assert pdf_pages(pdf) == 3


def test_criteria_card_prints_on_exactly_one_page(page, page_log):
    html = ml.criteria_card_html()
    pdf, problems, _heights, body = render(page, html, "criteria-card")
    assert not problems, problems
    limit = printable_box_px(html)[1]
    assert body <= limit, f"content is {body:.0f}px, one A4 page holds {limit:.0f}px"
    assert pdf_pages(pdf) == 1
    h.assert_no_page_errors(page_log, "criteria card", "print")


def test_case_cards_print_one_sheet_per_page(page, page_log):
    html = ml.case_cards_html()
    pdf, problems, heights, _body = render(page, html, "case-cards")
    assert not problems, problems
    limit = printable_box_px(html)[1]
    too_tall = [(i, round(x)) for i, x in enumerate(heights) if x > limit]
    assert not too_tall, f"sheets taller than one A4 page (px): {too_tall}"
    assert heights and pdf_pages(pdf) == len(heights), "one printed page per sheet"
    h.assert_no_page_errors(page_log, "case cards", "print")
