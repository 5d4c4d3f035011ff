"""The one-page criteria card for students: WHO 2022 and ICC 2022 side by side.

Every line is generated from the rule sets the engine runs (``ml.scheme_comparison()``, itself
built from ``data/thresholds.csv``) and from ``data/entities.csv``, so the card can never drift
from the rules: change a threshold row and the card changes with it.

Abbreviations: WHO = World Health Organization classification, 5th edition (2022); ICC =
International Consensus Classification (2022); SM = systemic mastocytosis; HαT = hereditary
alpha-tryptasemia. For education only, not for clinical decisions.
"""

from __future__ import annotations

import html

import pandas as pd

# Card rows, in print order: (heading, item ids of the scheme comparison).
CARD_GROUPS = (
    ("SM criteria", ("major", "minor_atypical", "minor_kit", "minor_immunophenotype",
                     "minor_tryptase", "sm_criteria", "tk_fusion_exclusion")),
    ("B-findings (burden of disease)", ("B1", "B2", "B3")),
    ("C-findings (organ damage from mast cells)", ("C1", "C2", "C3", "C4", "C5")),
    ("SM subtypes, checked in this order",
     ("subtype_mcl", "subtype_associated", "subtype_asm", "subtype_ssm", "subtype_bmm",
      "subtype_ism")),
)
_SHORT = {"major": "Major", "minor_atypical": "Minor 1", "minor_kit": "Minor 2",
          "minor_immunophenotype": "Minor 3", "minor_tryptase": "Minor 4",
          "sm_criteria": "SM if", "tk_fusion_exclusion": "Exclusion",
          **{f"{g}{n}": f"{g}{n}" for g in "BC" for n in range(1, 6)}}
# The card's own compact table style, so it fits one A4 page whichever page template is used.
_CARD_CSS = ("<style>.cc{font-size:7pt;line-height:1.12}.cc td,.cc th{padding:0.2mm 0.8mm}"
             ".cc td:first-child{font-size:6.8pt}.ccnote{font-size:7pt;margin:0.6mm 0}"
             "h2{margin:0 0 0.6mm;font-size:9.5pt}h1{font-size:13pt}.subtitle{margin:0 0 1mm}"
             "section{padding:0.6mm 1.5mm;margin:0 0 1mm}body{padding:0}"
             "footer{font-size:7pt;margin-top:1mm;padding-top:0.5mm}</style>")


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _cell(rule: str, outcome: str) -> str:
    if not rule:
        return "<i>not part of this scheme</i>"
    shown = html.escape(rule)
    if outcome:
        shown = f"<b>{html.escape(outcome)}</b>: {shown}"
    return shown


def card_rows() -> pd.DataFrame:
    """The card's rows: group, item, WHO 2022 rule, ICC 2022 rule, differs, sources."""
    from ..engine._rules import scheme_comparison

    table = scheme_comparison().set_index("item_id")
    rows = []
    for group, items in CARD_GROUPS:
        for item in items:
            r = table.loc[item]
            label = _text(r["who2022_label"]) or _text(r["icc2022_label"])
            sources = sorted({s.strip() for col in ("who2022_source", "icc2022_source")
                              for s in _text(r[col]).split(";") if s.strip()})
            rows.append({"group": group, "item_id": item,
                         "item": f"{_SHORT[item]}: {label}" if item in _SHORT else label,
                         "who2022": _cell(_text(r["who2022_rule"]), _text(r["who2022_outcome"])),
                         "icc2022": _cell(_text(r["icc2022_rule"]), _text(r["icc2022_outcome"])),
                         "differs": bool(r["differs"]), "sources": "; ".join(sources)})
    return pd.DataFrame(rows)


def _bmm_note() -> str:
    from ..tables._data import load_records

    row = next(r for r in load_records("entities") if r["entity_id"] == "bmm")
    return f"BMM: {row['scheme_note']}"


def criteria_card_html() -> str:
    """The student criteria card (WHO 2022 vs ICC 2022) as one printable A4 page.

    Returns
    -------
    str
        Standalone HTML (see :func:`mastolib.printable_html`); rows where the schemes differ
        are shaded and marked ≠.

    Examples
    --------
    >>> import mastolib as ml
    >>> page = ml.criteria_card_html()
    >>> "ICC 2022" in page and "&gt; 20 ng/mL" in page
    True
    """
    from ._printables import printable_html

    rows = card_rows()
    sections = []
    for group, part in rows.groupby("group", sort=False):
        body = ["" if sections else _CARD_CSS,
                "<table class='cc'><colgroup><col style='width:24%'><col style='width:38%'>"
                "<col style='width:38%'></colgroup>"
                "<tr><th>Item</th><th>WHO 2022</th><th>ICC 2022</th></tr>"]
        for r in part.itertuples():
            mark = " ≠" if r.differs else ""
            css = ' class="differs"' if r.differs else ""
            body.append(f"<tr{css}><td>{html.escape(r.item)}{mark}</td><td>{r.who2022}</td>"
                        f"<td>{r.icc2022}</td></tr>")
        body.append("</table>")
        sections.append((group, "".join(body)))
    sources = sorted({s for cell in rows["sources"] for s in cell.split("; ") if s})
    sections.append(("", f"<p class='ccnote'><b>≠</b> shaded rows: the two schemes differ. {html.escape(_bmm_note())} "
                         "A criterion that was not assessed is unknown, never 'not met'.</p>"
                         f"<p class='ccnote'>Sources (data/sources.csv): {html.escape(', '.join(sources))}."
                         "</p>"))
    return printable_html(
        "Mastocytosis criteria card: WHO 2022 and ICC 2022", sections,
        subtitle="Systemic mastocytosis (SM): criteria, B- and C-findings and subtypes, "
                 "generated from the course's rule tables.",
        footer="Mastocytosis course, criteria card.")
