"""Symptoms, triggers and care (notebook 06): cited tables, figure builders and two apps.

* Symptoms by organ system and subtype (``data/symptoms.csv``) as qualitative levels - never
  percentages. A cell our sources say nothing about is *not described*, drawn grey with a "?",
  and carries no source on purpose.
* Triggers and the plans patients make around them (``data/triggers_care.csv``):
  :class:`TriggerModel` (pure) and :func:`trigger_explorer_app`.
* The treatment map (``data/treatments.csv``): goal, subtypes, action on KIT D816V and the
  regulatory status **as of the newest source found (30 June 2026)** - no doses, ever.
  :class:`TreatmentModel` (pure) and :func:`treatment_map_app`.
* Complications (``data/complications.csv``) and outlook by subtype (read from
  ``data/entities.csv``, the family-tree table of notebook 03).

Every row cites ``source_id`` values from ``data/sources.csv``. Rows resting only on
patient-information pages (sources outside the course fact sheet) are marked as such.

Abbreviations: CM = cutaneous mastocytosis, SM = systemic mastocytosis, ISM / SSM / ASM =
indolent / smoldering / aggressive SM, BMM = bone marrow mastocytosis, SM-AHN = SM with an
associated haematological neoplasm, MCL = mast cell leukaemia, AdvSM = advanced SM,
HSCT = haematopoietic stem cell transplant, FDA = US Food and Drug Administration,
EU = European Union, CHMP = the EU medicines committee, NDA = new drug application.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..tables._data import _split_ids, load_records, source
from ..tables._registry import check_id

#: Date of the newest source found for the course (a news item on 30 June 2026).
NEWEST_SOURCE_DATE = "2026-06-30"
STATUS_AS_OF = "as of the newest source found (30 June 2026)"

ORGANS = {
    "skin": "Skin",
    "gut": "Gut",
    "cardiovascular": "Circulation / anaphylaxis",
    "bone": "Bone",
    "neuro": "Nerves and mind",
    "constitutional": "Whole body",
}
SUBTYPES = {
    "cm": "CM (mostly children)",
    "ism": "Indolent SM",
    "bmm": "BMM (WHO)",
    "ssm": "Smoldering SM",
    "advsm": "Advanced SM",
}
SHORT = {"cm": "CM", "ism": "ISM", "bmm": "BMM", "ssm": "SSM", "advsm": "advanced SM"}
# Ordinal levels, strongest first. Each has a colour AND a text mark, so colour is never the
# only cue; "not described" is grey with a question mark.
LEVELS = {
    "typical": {"z": 4, "mark": "+++", "colour": "#0072B2",
                "meaning": "part of the definition, or described as usual for this subtype"},
    "common": {"z": 3, "mark": "++", "colour": "#56B4E9",
               "meaning": "described as frequent or a classic presentation (no percentage)"},
    "possible": {"z": 2, "mark": "+", "colour": "#B9DDF1",
                 "meaning": "described as something that can occur (no frequency given)"},
    "not typical": {"z": 1, "mark": "-", "colour": "#E69F00",
                    "meaning": "absent by definition or described as uncommon"},
    "not described": {"z": 0, "mark": "?", "colour": "#E5E5E5",
                      "meaning": "not described in our sources - left open, not guessed"},
}
NOT_DESCRIBED = "not described in our sources"


# --------------------------------------------------------------------------- evidence marks


def evidence_basis(source_ids) -> str:
    """How a row is supported: ``"fact sheet"``, ``"fact sheet (secondary)"``,
    ``"fact sheet + patient information"`` or ``"patient information only"``.

    Patient-information pages are the sources without a fact-sheet reference
    (``factsheet_ref`` empty in ``data/sources.csv``). An empty cell gives ``"none"``.
    """
    ids = _split_ids(source_ids)
    if not ids:
        return "none"
    rows = [source(s) for s in ids]
    outside = [r for r in rows if not r["factsheet_ref"]]
    inside = [r for r in rows if r["factsheet_ref"]]
    if not inside:
        return "patient information only"
    if outside:
        return "fact sheet + patient information"
    if any(r["evidence"] == "secondary" for r in inside):
        return "fact sheet (secondary)"
    return "fact sheet"


def _sources_html(source_ids) -> str:
    ids = _split_ids(source_ids)
    if not ids:
        return f"<i>{NOT_DESCRIBED}</i>"
    codes = ", ".join(f"<code>{html.escape(s)}</code>" for s in ids)
    return f"{codes} <i>({html.escape(evidence_basis(source_ids))})</i>"


# --------------------------------------------------------------------------- symptoms


def symptom_table():
    """The organ x subtype symptom table with readable labels and an evidence column.

    Returns
    -------
    pandas.DataFrame
        One row per cell (``organ``, ``subtype``, ``level``, ``features``, ``explanation``,
        ``source_id``, ``basis``), organs and subtypes in teaching order.

    References
    ----------
    hartmann2016, khoury2022, bloodres2023, cromolyn_label and patient-information pages
    (see the ``source_id`` column).
    """
    import pandas as pd

    rows = load_records("symptoms")
    order = {(o, s): i for i, (o, s) in enumerate((o, s) for o in ORGANS for s in SUBTYPES)}
    rows.sort(key=lambda r: order[(r["organ_id"], r["subtype_id"])])
    return pd.DataFrame([{
        "organ_id": r["organ_id"], "subtype_id": r["subtype_id"],
        "organ": ORGANS[r["organ_id"]], "subtype": SUBTYPES[r["subtype_id"]],
        "level": r["level"], "features": r["features"] or "",
        "explanation": r["explanation"] or "", "source_id": r["source_id"] or "",
        "basis": evidence_basis(r["source_id"]),
    } for r in rows])


def symptom_summary() -> str:
    """One-line text summary of the heat map (for screen readers and static pages)."""
    table = symptom_table()
    counts = table["level"].value_counts()
    parts = [f"{int(counts.get(level, 0))} {level}" for level in LEVELS]
    parts[-1] += " in our sources"
    strong = table[table["level"].isin(["typical", "common"])]
    named = "; ".join(f"{r.organ.lower()} in {SHORT[r.subtype_id]} ({r.level})"
                      for r in strong.itertuples(index=False))
    return f"Of {len(table)} organ-by-subtype cells: {', '.join(parts)}. Strongest links: {named}."


# --------------------------------------------------------------------------- triggers


@dataclass(frozen=True)
class TriggerModel:
    """Triggers and planning measures from ``data/triggers_care.csv`` (pure, no widgets)."""

    rows: tuple

    @classmethod
    def load(cls) -> TriggerModel:
        return cls(tuple(sorted(load_records("triggers_care"), key=lambda r: r["order"])))

    @property
    def triggers(self) -> list[dict]:
        return [r for r in self.rows if r["kind"] == "trigger"]

    @property
    def plans(self) -> list[dict]:
        return [r for r in self.rows if r["kind"] == "plan"]

    def item(self, item_id: str) -> dict:
        """One trigger or plan by id; ``ValueError`` lists the valid ids."""
        rows = {row["item_id"]: row for row in self.rows}
        return rows[check_id("trigger or plan", item_id, list(rows), field="item")]

    def links(self) -> list[tuple[str, str]]:
        """``(trigger_id, plan_id)`` pairs: which plan addresses which trigger."""
        return [(t["item_id"], p) for t in self.triggers for p in _split_ids(t["plan_ids"])]

    def explain(self, item_id: str) -> dict:
        """Everything the explorer shows for one item (pure).

        Returns
        -------
        dict
            ``item`` (the row), ``linked`` (plans of a trigger, or triggers a plan serves),
            ``basis`` (see :func:`evidence_basis`) and ``described`` (False when our sources
            say nothing).
        """
        row = self.item(item_id)
        if row["kind"] == "trigger":
            linked = [self.item(p) for p in _split_ids(row["plan_ids"])]
        else:
            linked = [self.item(t) for t, p in self.links() if p == item_id]
        return {"item": row, "linked": linked, "basis": evidence_basis(row["source_id"]),
                "described": row["status"] == "described"}


def trigger_card(explained: dict) -> str:
    """HTML card for :meth:`TriggerModel.explain` output (pure)."""
    row = explained["item"]
    kind = "Trigger" if row["kind"] == "trigger" else "Plan"
    parts = [f"<h4 style='margin:4px 0'>{kind}: {html.escape(row['label'])}</h4>"]
    if not explained["described"]:
        parts.append(f"<p><b>? {NOT_DESCRIBED.capitalize()}.</b> {html.escape(row['note'] or '')}"
                     "</p>")
        return "".join(parts)
    if row["kind"] == "trigger":
        parts.append(f"<p><b>What happens:</b> {html.escape(row['mechanism'])}</p>")
        parts.append(f"<p><b>What patients do:</b> {html.escape(row['what_to_do'])}</p>")
        title = "Plans that help"
    else:
        parts.append(f"<p><b>What it is:</b> {html.escape(row['what_to_do'])}</p>")
        title = "Triggers it helps with"
    names = ", ".join(html.escape(r["label"]) for r in explained["linked"]) or "not tied to one trigger"
    parts.append(f"<p><b>{title}:</b> {names}</p>")
    if row["note"]:
        parts.append(f"<p><i>Note:</i> {html.escape(row['note'])}</p>")
    parts.append(f"<p><small>Sources: {_sources_html(row['source_id'])}</small></p>")
    return "".join(parts)


def trigger_grid_summary(model: TriggerModel | None = None) -> str:
    """One-line text summary of the trigger x plan grid."""
    model = model or TriggerModel.load()
    described = [t for t in model.triggers if t["status"] == "described"]
    missing = [t["label"].lower() for t in model.triggers if t["status"] != "described"]
    counts = {p["label"]: sum(1 for _, q in model.links() if q == p["item_id"])
              for p in model.plans}
    busiest = max(counts, key=counts.get)
    text = (f"{len(described)} triggers are described in our sources; '{busiest}' applies to "
            f"{counts[busiest]} of them")
    if missing:
        text += f"; not described in our sources: {', '.join(missing)}"
    return text + "."


# --------------------------------------------------------------------------- treatments

ALL_SUBTYPES = "All subtypes"
ALL_GOALS = "All goals"
TREATMENT_SUBTYPES = ("CM", "ISM", "SSM", "ASM", "SM-AHN", "MCL")
D816V_TEXT = {"yes": "yes - acts on KIT D816V", "no": "no - not effective against D816V",
              "not KIT-directed": "not KIT-directed"}


@dataclass(frozen=True)
class TreatmentModel:
    """Rows of ``data/treatments.csv`` and a pure filter over them."""

    rows: tuple

    @classmethod
    def load(cls) -> TreatmentModel:
        return cls(tuple(load_records("treatments")))

    @property
    def goals(self) -> list[str]:
        seen: list[str] = []
        for r in self.rows:
            if r["goal"] not in seen:
                seen.append(r["goal"])
        return seen

    def filter(self, subtype: str = ALL_SUBTYPES, goal: str = ALL_GOALS,
               d816v_only: bool = False) -> list[dict]:
        """Rows for a subtype (``"any"`` rows always match) and goal.

        Raises
        ------
        ValueError
            for an unknown subtype or goal (the message lists the valid ones).
        """
        if subtype != ALL_SUBTYPES and subtype not in TREATMENT_SUBTYPES:
            raise ValueError(f"subtype {subtype!r} is not one of "
                             f"{[ALL_SUBTYPES, *TREATMENT_SUBTYPES]}")
        if goal != ALL_GOALS and goal not in self.goals:
            raise ValueError(f"goal {goal!r} is not one of {[ALL_GOALS, *self.goals]}")
        out = []
        for r in self.rows:
            subs = _split_ids(r["subtypes"])
            if subtype != ALL_SUBTYPES and "any" not in subs and subtype not in subs:
                continue
            if goal != ALL_GOALS and r["goal"] != goal:
                continue
            if d816v_only and r["acts_on_d816v"] != "yes":
                continue
            out.append(r)
        return out

    def dated(self) -> list[dict]:
        """Rows with an event date, oldest first (the approval timeline)."""
        return sorted((r for r in self.rows if r["event_date"]), key=lambda r: r["event_date"])


def treatment_table(subtype: str = ALL_SUBTYPES, goal: str = ALL_GOALS, d816v_only=False):
    """The filtered treatment map as a DataFrame (no doses; status as of 30 June 2026)."""
    import pandas as pd

    rows = TreatmentModel.load().filter(subtype, goal, d816v_only)
    return pd.DataFrame([{**r, "basis": evidence_basis(r["source_id"])} for r in rows])


def _date_label(row) -> str:
    date, precision = row["event_date"], row["date_precision"]
    if not date:
        return "date not in our sources"
    return date if precision == "day" else f"{date} ({precision} only)"


def treatment_list_html(rows: list[dict]) -> str:
    """HTML table of treatment rows (pure); screen-reader friendly, no doses."""
    if not rows:
        return ("<p><b>No treatment in our table matches these filters.</b> Try 'All goals' "
                "or untick 'acts on KIT D816V'.</p>")
    head = ("<tr><th>Agent</th><th>Goal</th><th>Subtypes</th><th>Acts on KIT D816V?</th>"
            "<th>Status (as of 30 June 2026, the newest source found)</th><th>Where / date</th>"
            "<th>Sources</th></tr>")
    body = []
    for r in rows:
        flag = " ⚠ UNCONFIRMED" if r["confidence"] == "unconfirmed" else (
            " ⚠ NOT COVERED" if r["confidence"] == "not covered" else "")
        note = f"<br><i>{html.escape(r['note'])}</i>" if r["note"] else ""
        subs = "any" if r["subtypes"] == "any" else ", ".join(_split_ids(r["subtypes"]))
        body.append(
            f"<tr><td><b>{html.escape(r['agent'])}</b><br><small>{html.escape(r['agent_class'])}"
            f"</small></td><td>{html.escape(r['goal'])}</td><td>{html.escape(subs)}</td>"
            f"<td>{html.escape(D816V_TEXT[r['acts_on_d816v']])}</td>"
            f"<td><b>{html.escape(r['status_category'])}</b>{flag}: {html.escape(r['status'])}"
            f"{note}</td><td>{html.escape(r['jurisdiction'] or '-')}<br>"
            f"{html.escape(_date_label(r))}</td><td><small>{_sources_html(r['source_id'])}"
            "</small></td></tr>")
    return (_TABLE_STYLE + "<table class='mastolib-treatment-table'>" + head + "".join(body)
            + "</table>")


_TABLE_STYLE = ("<style>.mastolib-treatment-table{border-collapse:collapse;font-size:90%;"
                "line-height:1.35}.mastolib-treatment-table th,.mastolib-treatment-table td{"
                "padding:4px 6px;vertical-align:top;text-align:left;border-bottom:1px solid "
                "#ddd}</style>")


def timeline_opacity(rows, selected_ids) -> list[float]:
    """Per-event opacity: 1 for selected rows (or all when ``selected_ids`` is None)."""
    if selected_ids is None:
        return [1.0] * len(rows)
    chosen = set(selected_ids)
    return [1.0 if r["row_id"] in chosen else 0.15 for r in rows]


def treatment_summary(rows: list[dict]) -> str:
    """One-line text summary of the treatment selection and the timeline."""
    agents = sorted({r["agent"] for r in rows})
    d816v = sorted({r["agent"] for r in rows if r["acts_on_d816v"] == "yes"})
    dated = [r for r in rows if r["event_date"]]
    text = (f"{len(agents)} agents shown ({len(rows)} rows); acting on KIT D816V: "
            f"{', '.join(d816v) if d816v else 'none in this selection'}")
    if dated:
        first = min(dated, key=lambda r: r["event_date"])
        last = max(dated, key=lambda r: r["event_date"])
        text += (f"; dated events run from {first['agent']} ({first['event_date']}) to "
                 f"{last['agent']} ({last['event_date']})")
    return text + f"; statuses are {STATUS_AS_OF}."


# --------------------------------------------------------------------------- complications


def complications_table():
    """Complications and their course, children vs adults, with the evidence basis."""
    import pandas as pd

    rows = sorted(load_records("complications"), key=lambda r: r["order"])
    return pd.DataFrame([{**r, "basis": evidence_basis(r["source_id"])} for r in rows])


def outlook_table():
    """Outlook by subtype, read from the family-tree table (``data/entities.csv``).

    Only entities with a cited prognosis are listed; the text and sources are those of
    notebook 03's table, so the two notebooks cannot drift apart.
    """
    import pandas as pd

    rows = [r for r in load_records("entities") if r["prognosis"]]
    return pd.DataFrame([{
        "entity_id": r["entity_id"], "label": r["label"],
        "typical_age": r["typical_age"] or "", "prognosis": r["prognosis"],
        "source_id": _join_ids(r["prognosis_source"], r["age_source"] if r["typical_age"] else ""),
        "basis": evidence_basis(_join_ids(r["prognosis_source"],
                                          r["age_source"] if r["typical_age"] else "")),
    } for r in rows])


def _join_ids(*cells) -> str:
    seen: list[str] = []
    for cell in cells:
        seen += [s for s in _split_ids(cell) if s not in seen]
    return ";".join(seen)


def _markdown_cell(text: str) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def show_complications():
    """Complications as a Markdown table (renders in Lab, Voilà and static pages)."""
    from IPython.display import Markdown

    lines = ["| Complication | Who | Subtypes | What our sources say | Sources (basis) |",
             "|---|---|---|---|---|"]
    for r in complications_table().itertuples(index=False):
        lines.append(f"| **{_markdown_cell(r.label)}** | {r.age_group} | {r.subtypes} | "
                     f"{_markdown_cell(r.what)} | `{r.source_id}` ({r.basis}) |")
    return Markdown("\n".join(lines))


def show_outlook():
    """Outlook by subtype (from ``data/entities.csv``) as a Markdown table."""
    from IPython.display import Markdown

    lines = ["| Form | Typical age | Outlook | Sources (basis) |", "|---|---|---|---|"]
    for r in outlook_table().itertuples(index=False):
        lines.append(f"| **{_markdown_cell(r.label)}** | {_markdown_cell(r.typical_age) or '-'} | "
                     f"{_markdown_cell(r.prognosis)} | `{r.source_id}` ({r.basis}) |")
    return Markdown("\n".join(lines))
