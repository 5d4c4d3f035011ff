"""The family tree of mastocytosis under WHO 2022 and ICC 2022, from ``data/entities.csv``.

The tree is data: one row per entity (id, parent, which scheme shows it, definition, typical
age, share of cases, prognosis), every cell with its ``source_id`` and empty where the course
fact sheet gives no cited figure. This module reads it (:func:`entity_table`), builds a
sunburst from it (:func:`family_tree_figure`, a pure builder) and wraps that in a small app
with a keyboard-usable scheme switch (:func:`family_tree_app`).

Abbreviations: CM = cutaneous mastocytosis, MPCM = maculopapular CM, DCM = diffuse CM,
MIS = mastocytosis in the skin, SM = systemic mastocytosis, BMM = bone marrow mastocytosis,
ISM/SSM/ASM = indolent/smoldering/aggressive SM, SM-AHN/SM-AMN = SM with an associated
haematological/myeloid neoplasm, MCL = mast cell leukaemia, MCS = mast cell sarcoma.

References: khoury2022, arber2022, leguit2023, li2023 (types per scheme); cohen2014, lim2009,
blueprint_module (shares and survival, fact sheet section 7).
"""

from __future__ import annotations

import html
import textwrap

from ..engine._cases import SCHEMES  # the one table of scheme names
from ..engine._diagnose import diagnose
from ..tables._data import _split_ids, load_records, source
from ..tables._registry import check_id
from ._checker import case_findings

# Okabe-Ito colours per branch; a dotted pattern and a "≠" mark carry the WHO-vs-ICC
# difference so colour is never the only cue.
BRANCH_COLOURS = {
    "root": "#FFFFFF",
    "cutaneous": "#56B4E9",  # sky blue
    "provisional": "#F0E442",  # yellow
    "nonadvanced": "#009E73",  # bluish green
    "advanced": "#E69F00",  # orange
    "systemic": "#CCCCCC",
    "sarcoma": "#CC79A7",  # reddish purple
}
_ADVANCED_ROOTS = {"advanced_sm": "advanced", "nonadvanced_sm": "nonadvanced"}
DIFFERS_MARK = "≠"


def _check_scheme(scheme: str) -> str:
    return check_id("scheme", scheme, list(SCHEMES))


def entity_rows(scheme: str) -> list[dict]:
    """Rows of ``data/entities.csv`` shown under ``scheme`` (``"who2022"`` or ``"icc2022"``).

    Raises
    ------
    ValueError
        for an unknown scheme, or when the rows do not form one tree (a parent missing in
        that scheme, two roots, or a cycle).
    """
    _check_scheme(scheme)
    rows = [r for r in load_records("entities") if r["scheme"] in ("both", scheme)]
    ids = {r["entity_id"] for r in rows}
    roots = [r["entity_id"] for r in rows if not r["parent_id"]]
    if len(roots) != 1:
        raise ValueError(f"entities.csv ({scheme}): expected one root, found {roots}")
    parent = {r["entity_id"]: r["parent_id"] for r in rows}
    for r in rows:
        if r["parent_id"] and r["parent_id"] not in ids:
            raise ValueError(f"entities.csv ({scheme}): {r['entity_id']!r} has parent "
                             f"{r['parent_id']!r}, which is not shown under {scheme}")
        seen, node = set(), r["entity_id"]
        while node:
            if node in seen:
                raise ValueError(f"entities.csv ({scheme}): cycle through {node!r}")
            seen.add(node)
            node = parent.get(node)
    return rows


def entity_table(scheme: str = "who2022"):
    """The entities of one scheme as a DataFrame (with a ``depth`` column, root = 0).

    Examples
    --------
    >>> import mastolib as ml
    >>> "SM-AMN" in set(ml.entity_table("icc2022")["abbreviation"])
    True
    """
    import pandas as pd

    rows = entity_rows(scheme)
    parent = {r["entity_id"]: r["parent_id"] for r in rows}
    out = []
    for r in rows:
        depth, node = 0, r["parent_id"]
        while node:
            depth, node = depth + 1, parent[node]
        out.append({**r, "depth": depth})
    return pd.DataFrame(out)


def _evidence_mark(source_ids: str) -> str:
    """' (SECONDARY)' when any cited source was only read via a secondary source."""
    ids = _split_ids(source_ids)
    return " (SECONDARY)" if any(source(s)["evidence"] == "secondary" for s in ids) else ""


def _wrap(text: str, width: int = 64) -> str:
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width))


def hover_text(row: dict) -> str:
    """The hover card of one entity: definition, typical age, share, prognosis, sources.

    Empty cells say so ("no cited figure") instead of being filled in.
    """
    name = row["label"] + (f" ({row['abbreviation']})" if row["abbreviation"] else "")
    parts = [f"<b>{html.escape(name)}</b>"]
    for title, key in (("Definition", "definition"), ("Typical age", "typical_age"),
                       ("Share of cases", "share"), ("Prognosis", "prognosis"),
                       ("WHO vs ICC", "scheme_note")):
        source_key = "definition_source" if key == "definition" else (
            "age_source" if key == "typical_age" else f"{key}_source")
        text, sources = row.get(key), row.get(source_key)
        if not text:
            if key != "scheme_note":
                parts.append(f"<i>{title}:</i> no cited figure")
            continue
        cited = f"{text} [{sources}]{_evidence_mark(sources)}"
        parts.append(f"<i>{title}:</i> " + _wrap(cited))
    return "<br>".join(parts)


def _branch(row: dict, parent: dict) -> str:
    node = row["entity_id"]
    while node:
        if node in _ADVANCED_ROOTS:
            return _ADVANCED_ROOTS[node]
        node = parent.get(node)
    return row["branch"]


def _short_label(row: dict) -> str:
    text = row["abbreviation"] or row["label"].replace(" (provisional)", "<br>(provisional)")
    if len(text) > 14 and "<br>" not in text:
        text = "<br>".join(textwrap.wrap(text, 14))
    return (f"{DIFFERS_MARK} " if row["scheme_note"] else "") + text


def sunburst_trace_data(scheme: str) -> dict:
    """Plain lists for a plotly sunburst trace (used by the builder and the app update)."""
    rows = entity_rows(scheme)
    parent = {r["entity_id"]: r["parent_id"] for r in rows}
    branches = [_branch(r, parent) for r in rows]
    # equal weight per leaf; a parent is the sum of its children (branchvalues="total")
    weights = {r["entity_id"]: 0 for r in rows}
    for r in rows:
        if not any(c["parent_id"] == r["entity_id"] for c in rows):
            node = r["entity_id"]
            while node:
                weights[node] += 1
                node = parent[node]
    return {
        "ids": [r["entity_id"] for r in rows],
        "parents": [r["parent_id"] or "" for r in rows],
        "labels": [_short_label(r) for r in rows],
        "values": [weights[r["entity_id"]] for r in rows],
        "customdata": [[hover_text(r)] for r in rows],
        "marker": {
            "colors": [BRANCH_COLOURS[b] for b in branches],
            "line": {"color": "#333333", "width": 1},
            "pattern": {"shape": ["." if r["scheme_note"] else "" for r in rows],
                        "fgcolor": "#333333", "size": 5, "solidity": 0.12,
                        "fillmode": "overlay"},
        },
    }


def family_tree_summary(scheme: str) -> str:
    """One-line text summary of the tree (for screen readers and static pages)."""
    rows = entity_rows(scheme)
    root = next(r["entity_id"] for r in rows if not r["parent_id"])

    def children(eid):
        return [r["abbreviation"] or r["label"] for r in rows if r["parent_id"] == eid]

    differ = [r["abbreviation"] or r["label"] for r in rows if r["scheme_note"]]
    return (f"{SCHEMES[scheme]}: mastocytosis splits into "
            f"{', '.join(children(root))}. Cutaneous forms: "
            f"{', '.join(children('cm'))}; non-advanced SM: "
            f"{', '.join(children('nonadvanced_sm'))}; advanced SM: "
            f"{', '.join(children('advanced_sm'))}. Marked {DIFFERS_MARK} (dotted) where WHO "
            f"and ICC differ: {', '.join(differ)}.")


def _bc_diagnoses(case_ids, scheme):

    _check_scheme(scheme)
    if not case_ids:
        raise ValueError("give at least one case id, e.g. ('c13', 'c24')")
    return [(cid, diagnose(case_findings(cid), scheme)) for cid in case_ids]


def bc_findings_summary(case_ids=("c13", "c24"), scheme: str = "who2022") -> str:
    """One-line text summary of :func:`bc_findings_figure` (same inputs)."""
    parts = []
    for cid, dx in _bc_diagnoses(case_ids, scheme):
        met_b = [r.id for r in dx.b_findings if r.met is True]
        met_c = [r.id for r in dx.c_findings if r.met is True]
        verdict = dx.category if dx.subtype is None else dx.subtype
        parts.append(f"{cid} ({verdict}): {len(met_b)} B-finding(s) met"
                     f"{' (' + ', '.join(met_b) + ')' if met_b else ''} and {len(met_c)} "
                     f"C-finding(s) met{' (' + ', '.join(met_c) + ')' if met_c else ''}")
    return f"{SCHEMES[scheme]}: " + "; ".join(parts) + "."
