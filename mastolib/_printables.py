"""Printable pages: one standalone HTML document with an A4 print stylesheet.

Everything the course prints (criteria card, case cards, take-home plans) goes through
:func:`printable_html`, so all printouts share one layout and always carry the education-only
notice. Open the HTML in a browser and print it (or save it as PDF); the browser tests
(``tests/browser/test_classpack_print.py``) render it with Chromium and count the pages.

A section whose heading starts with ``"\\f"`` begins on a new printed page; a ``<div
class="sheet">`` is one printed page (it never breaks inside and is followed by a page break).
"""

from __future__ import annotations

import html

A4_MARGIN_MM = 12

_CSS = f"""
@page {{ size: A4; margin: {A4_MARGIN_MM}mm; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 9.5pt;
       line-height: 1.3; color: #111; margin: 0 auto; max-width: 186mm; padding: 4mm 0; }}
h1 {{ font-size: 15pt; margin: 0 0 1mm; }}
.subtitle {{ margin: 0 0 2mm; color: #333; }}
h2 {{ font-size: 11pt; margin: 3mm 0 1mm; color: #0b4f80; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
th, td {{ border: 0.3mm solid #888; padding: 0.6mm 1.2mm; vertical-align: top;
          overflow-wrap: anywhere; text-align: left; }}
th {{ background: #e8eef4; }}
tr, li, .card {{ break-inside: avoid; }}
.differs td {{ background: #fff4e0; }}
.sheet {{ break-after: page; break-inside: avoid; }}
.sheet:last-of-type {{ break-after: auto; }}
.newpage {{ break-before: page; }}
footer {{ margin-top: 2mm; padding-top: 1mm; border-top: 0.3mm solid #888; font-size: 7.5pt;
          color: #333; }}
@media screen {{ body {{ padding: 8mm; }} .sheet {{ border-bottom: 1px dashed #aaa;
  margin-bottom: 6mm; }} }}
@media print {{ body {{ max-width: none; padding: 0; }} }}
"""


def printable_html(title: str, sections: list[tuple[str, str]], *, subtitle: str = "",
                   footer: str = "") -> str:
    """A standalone, printable HTML page (A4) with the education-only notice in its footer.

    Parameters
    ----------
    title : str
        Page title (plain text; escaped).
    sections : list of (heading, body_html)
        Each section's heading is plain text (escaped; an empty heading prints none, a
        leading ``"\\f"`` starts the section on a new page); ``body_html`` is trusted HTML
        built by the course.
    subtitle : str, optional
        One line under the title (plain text).
    footer : str, optional
        Extra footer text (plain text), printed before the education-only notice.

    Returns
    -------
    str
        A complete HTML document; no external resources, so it prints offline.

    Examples
    --------
    >>> page = printable_html("Card", [("Criteria", "<p>...</p>")])
    >>> "@page" in page and "not for clinical decisions" in page
    True
    """
    from . import EDUCATION_NOTICE

    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"title {title!r} must be a non-empty text")
    parts = []
    for number, section in enumerate(sections, start=1):
        if not (isinstance(section, tuple) and len(section) == 2):
            raise ValueError(f"section {number} must be a (heading, body_html) pair, "
                             f"got {section!r}")
        heading, body = section
        newpage = heading.startswith("\f")
        heading = heading.lstrip("\f")
        head = f"<h2>{html.escape(heading)}</h2>" if heading else ""
        css = ' class="newpage"' if newpage else ""
        parts.append(f"<section{css}>{head}{body}</section>")
    sub = f'<p class="subtitle">{html.escape(subtitle)}</p>' if subtitle else ""
    foot = f"{html.escape(footer)} " if footer else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{html.escape(title)}</h1>{sub}</header>{''.join(parts)}"
        f"<footer>{foot}{html.escape(EDUCATION_NOTICE)}</footer></body></html>\n"
    )
