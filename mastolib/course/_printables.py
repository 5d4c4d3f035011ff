"""Printable documents: one standalone HTML page with an A4 print stylesheet.

Every take-home tool of the patient track (avoidance plan, emergency plan, anaesthesia card,
bracelet wording, diary summary, questions for the doctor), the patient handout and the
student criteria card are built through :func:`printable_html`, so they share one look and
the same education-only footer, and print cleanly from any browser (File > Print, or Save as
PDF). ``tests/browser/test_printables.py`` prints each one with Chromium and checks the page
count and that nothing runs off the printable area.
"""

from __future__ import annotations

import html

from ._notebook import EDUCATION_NOTICE

_CSS = """
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
       line-height: 1.35; color: #111; }
body { margin: 0 auto; max-width: 182mm; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 1mm 0; }
.subtitle { font-size: 10.5pt; color: #333; margin: 0 0 3mm 0; }
section { margin: 0 0 3mm 0; padding: 2mm 3mm; border-left: 2.5mm solid #0072B2;
          background: #F2F7FB; break-inside: avoid; page-break-inside: avoid; }
section h2 { font-size: 12pt; margin: 0 0 1.5mm 0; }
section p, section ul, section ol { margin: 1mm 0; }
section ul, section ol { padding-left: 6mm; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 8.5pt; }
section.long { break-inside: auto; page-break-inside: auto; }
section.newpage { break-before: page; page-break-before: always; }
th, td { border: 0.3mm solid #888; padding: 1mm 1.5mm; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #E0ECF5; }
.box { display: inline-block; width: 3.5mm; height: 3.5mm; border: 0.3mm solid #111;
       margin-right: 1.5mm; vertical-align: -0.5mm; }
.line { border-bottom: 0.3mm solid #555; min-height: 6mm; margin: 1mm 0; }
.card { border: 0.6mm dashed #555; padding: 3mm; }
.big { font-size: 13pt; font-weight: bold; }
footer { margin-top: 3mm; padding-top: 1.5mm; border-top: 0.3mm solid #888; font-size: 8.5pt;
         color: #333; break-inside: avoid; }
@media print {
  body { padding: 0; max-width: none; }
  section { background: none; }
  a { color: inherit; text-decoration: none; }
}
"""


def printable_html(title: str, sections: list[tuple[str, str]], *, subtitle: str = "",
                   footer: str = "") -> str:
    """A full standalone HTML document for printing on A4.

    Parameters
    ----------
    title : str
        Page title (plain text; escaped).
    sections : list of (heading, html body)
        Headings are plain text (escaped; an empty heading prints none, a leading ``"\\f"``
        starts the section on a new printed page); bodies are trusted HTML built by mastolib.
    subtitle : str, optional
        A line under the title (plain text; escaped).
    footer : str, optional
        Extra footer text (plain text; escaped) shown before the education-only notice.

    Returns
    -------
    str
        ``<!DOCTYPE html>`` document with an A4 ``@page`` rule and ``@media print``
        stylesheet, ending with the education-only footer.

    Raises
    ------
    ValueError
        if ``title`` is empty or a section is not a (heading, body) pair.
    """
    if not isinstance(title, str) or not title.strip():
        raise ValueError("title: a printable needs a non-empty title")
    parts = []
    for index, item in enumerate(sections):
        if not (isinstance(item, tuple) and len(item) == 2
                and all(isinstance(x, str) for x in item)):
            raise ValueError(f"sections: item {index + 1} must be a (heading, html body) pair "
                             f"of strings, got {item!r}")
        heading, body = item
        newpage = heading.startswith("\f")
        heading = heading.lstrip("\f")
        head = f"<h2>{html.escape(heading)}</h2>" if heading else ""
        # a section holding a table may run over a page break; short ones stay whole
        classes = " ".join(c for c, on in (("long", "<table" in body), ("newpage", newpage)) if on)
        kind = f' class="{classes}"' if classes else ""
        parts.append(f"<section{kind}>{head}{body}</section>")
    sub = f"<p class='subtitle'>{html.escape(subtitle)}</p>" if subtitle else ""
    extra = f"{html.escape(footer)} " if footer else ""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{sub}{''.join(parts)}"
        f"<footer>{extra}<b>{html.escape(EDUCATION_NOTICE)}</b> Made with the open course "
        "<i>Mastocytosis, interactively</i>; agree every plan with your own care team."
        "</footer></body></html>")
