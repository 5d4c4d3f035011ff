"""Take-home tools of the patient and family track (notebooks 10 and 11): pure functions.

Each tool is ``compute(values) -> PatientDocument``: it checks the values (a bad one raises
``ValueError`` naming the field by its label, the value and what is allowed), reads its facts
from the cited tables (``triggers_care``, ``patient_advice``, ``diary_symptoms``,
``doctor_questions``, ``seed_facts``, ``glossary``) and returns a document that carries a
printable page (``.html``, built by :func:`mastolib.course._printables.printable_html`), a text
``.summary`` and a rich ``_repr_html_`` preview. The widgets in :mod:`mastolib.apps._patient`
only collect the values.

The symptom and episode diary keeps its entries in a JSON file in the learner's home folder
(:class:`DiaryStore`), written atomically like the quiz progress file, so no entry is lost.

For education only, not for clinical decisions: every plan says to agree it with the care
team, and the course gives no doses.
"""

from __future__ import annotations

import re

from ..tables._data import load_records
from ._diary import diary_summary, symptom_choices
from ._patient_doc import (
    BRACELET_LINE_CHARS,
    MAX_NAME,
    TOOLS,
    PatientDocument,
    _advice,
    _blank,
    _choice,
    _cites,
    _document,
    _esc,
    _phone,
    _text,
    _ul,
    field_error,
    trigger_choices,
)


def avoidance_plan(triggers=(), other: str = "", name: str = "") -> PatientDocument:
    """'My triggers' checklist -> a personal avoidance plan.

    Parameters
    ----------
    triggers : iterable of str
        Trigger ids from ``triggers_care.csv`` (see :func:`trigger_choices`).
    other : str
        The person's own triggers not in the list (free text).
    name : str
        Whose plan (optional).
    """
    name = _text(name, "Your name", MAX_NAME, field="name")
    other = _text(other, "Other triggers", field="other")
    rows = {r["item_id"]: r for r in load_records("triggers_care")}
    allowed = [tid for _label, tid in trigger_choices()]
    chosen = []
    for tid in triggers or ():
        _choice(tid, "My triggers", allowed, "triggers")
        if tid not in chosen:
            chosen.append(tid)
    if not chosen and not other:
        raise field_error("My triggers: tick at least one trigger or type your own in "
                          "'Other triggers'", "triggers")
    items, plans = [], []
    for tid in chosen:
        row = rows[tid]
        items.append(f"<b>{_esc(row['label'])}</b>: {_esc(row['what_to_do'])}")
        for pid in (row["plan_ids"] or "").split(";"):
            if pid and pid not in plans:
                plans.append(pid)
    if other:
        items.append(f"<b>My own triggers</b>: {_esc(other)}. Note when they set off symptoms "
                     "and talk them over with your care team.")
    plan_items = [f"<b>{_esc(rows[p]['label'])}</b>: {_esc(rows[p]['what_to_do'])}"
                  for p in plans if p in rows]
    used = [rows[t] for t in chosen] + [rows[p] for p in plans if p in rows]
    sections = [
        ("", f"<p>Plan for: {_blank(name)}</p><p>Triggers differ from person to person. This "
             "is my own list; I agree it with my doctor.</p>"),
        ("My triggers and what I do about them", _ul(items)),
    ]
    if plan_items:
        sections.append(("Plans these triggers call for", _ul(plan_items)))
    sections.append(("Where these facts come from", f"<p><small>{_cites(used)}</small></p>"))
    return _document("triggers", sections, subtitle="Keep a copy at home and with you.",
                     data={"triggers": chosen, "plans": plans})


def emergency_plan(name: str = "", emergency_number: str = "", contact_name: str = "",
                   contact_phone: str = "", condition: str = "",
                   medicines_to_avoid: str = "") -> PatientDocument:
    """Emergency plan: when and how to use the adrenaline auto-injector, what to tell the crew.

    Empty fields print as blank lines to fill in by hand.
    """
    name = _text(name, "Your name", MAX_NAME, field="name")
    number = _phone(emergency_number, "Emergency phone number", field="emergency_number")
    contact_name = _text(contact_name, "Emergency contact", MAX_NAME, field="contact_name")
    contact_phone = _phone(contact_phone, "Contact's phone", field="contact_phone")
    condition = _text(condition, "Type of mastocytosis", MAX_NAME, field="condition")
    avoid = _text(medicines_to_avoid, "Medicines to avoid", field="medicines_to_avoid")
    signs = _advice("emergency_signs")
    steps = _advice("emergency_steps")
    crew = _advice("tell_crew")
    step_items = []
    for row in steps:
        text = _esc(row["text"])
        if row["advice_id"] == "step_call":
            text += f" Number: {_blank(number, 40)}"
        step_items.append(text)
    crew_items = [_esc(r["text"]) for r in crew]
    crew_items.append(f"Medicines I must avoid: {_blank(avoid)}")
    crew_items.append("Time I used adrenaline: "
                      "<span class='line' style='display:inline-block;width:30mm'></span>")
    sections = [
        ("", f"<p>Name: {_blank(name)} &nbsp; Mastocytosis type: {_blank(condition, 45)}</p>"
             f"<p>Emergency contact: {_blank(contact_name, 50)} &nbsp; Phone: "
             f"{_blank(contact_phone, 40)}</p>"),
        ("When: signs of anaphylaxis (a severe allergic reaction)",
         _ul([_esc(r["text"]) for r in signs])),
        ("What to do", _ul(step_items, ordered=True)),
        ("What to tell the ambulance crew", _ul(crew_items)),
        ("Where these facts come from",
         f"<p><small>{_cites(signs + steps + crew)} Agree this plan with your care team; "
         "the course gives no doses.</small></p>"),
    ]
    return _document("emergency", sections,
                     subtitle="Keep it with your adrenaline auto-injector.")


def anaesthesia_card(name: str = "", condition: str = "", past_reactions: str = "",
                     care_team: str = "", care_team_phone: str = "") -> PatientDocument:
    """A card to show before anaesthesia, surgery, dental treatment and other procedures."""
    name = _text(name, "Your name", MAX_NAME, field="name")
    condition = _text(condition, "Type of mastocytosis", MAX_NAME, field="condition")
    reactions = _text(past_reactions, "Past reactions", field="past_reactions")
    team = _text(care_team, "Care team (doctor or clinic)", MAX_NAME, field="care_team")
    phone = _phone(care_team_phone, "Care team phone", field="care_team_phone")
    rows = _advice("anaesthesia")
    sections = [
        ("", f"<div class='card'><p class='big'>I have mastocytosis</p><p>Name: {_blank(name)}"
             f"</p><p>Type: {_blank(condition, 50)}</p>"
             + _ul([_esc(r["text"]) for r in rows])
             + f"<p>Past reactions: {_blank(reactions, 100)}</p>"
             f"<p>My care team: {_blank(team, 60)} &nbsp; Phone: {_blank(phone, 40)}</p>"
             "</div>"),
        ("Where these facts come from", f"<p><small>{_cites(rows)}</small></p>"),
    ]
    return _document("anaesthesia", sections,
                     subtitle="Show this card before any anaesthesia or procedure.")


def _wrap(text: str, width: int, label: str, field: str) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if len(word) > width:
            raise field_error(f"{label}: the word {word!r} has {len(word)} characters; a "
                              f"bracelet line holds at most {width}", field)
        candidate = f"{current} {word}".strip()
        if len(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def bracelet_wording(carries_adrenaline: bool = True, medicines_to_avoid: str = "",
                     contact_phone: str = "", line_chars: int = BRACELET_LINE_CHARS,
                     max_lines: int = 6) -> PatientDocument:
    """Short wording for a medical alert bracelet, wrapped to ``line_chars`` a line."""
    if not isinstance(line_chars, int) or not 10 <= line_chars <= 40:
        raise field_error(f"Characters per line: {line_chars!r} is not a whole number from 10 "
                          "to 40", "line_chars")
    avoid = _text(medicines_to_avoid, "Medicines to avoid", 80, field="medicines_to_avoid")
    phone = _phone(contact_phone, "Emergency phone", field="contact_phone")
    lines = ["MASTOCYTOSIS", "Risk of anaphylaxis"]
    if carries_adrenaline:
        lines.append("Carries adrenaline")
    if avoid:
        lines += _wrap(f"Avoid: {avoid}", line_chars, "Medicines to avoid",
                       "medicines_to_avoid")
    if phone:
        lines += _wrap(f"ICE {phone}", line_chars, "Emergency phone", "contact_phone")
    for line in lines:
        if len(line) > line_chars:
            raise field_error(f"Characters per line: {line_chars} is too few for {line!r}",
                              "line_chars")
    if len(lines) > max_lines:
        raise field_error(f"Medicines to avoid: the wording needs {len(lines)} lines, a "
                          f"bracelet holds at most {max_lines}; shorten the list",
                          "medicines_to_avoid")
    rows = [r for r in load_records("triggers_care") if r["item_id"] == "alert_bracelet"]
    engraving = "<br>".join(_esc(line) for line in lines)
    sections = [
        ("Wording (one line per row)",
         f"<div class='card' style='font-family:monospace;font-size:13pt'>{engraving}</div>"),
        ("Why", f"<p>{_esc(rows[0]['what_to_do'])} ICE means 'in case of emergency'.</p>"
                f"<p><small>{_cites(rows)} The line length of {line_chars} characters is a "
                "layout choice; ask the maker how many fit on yours.</small></p>"),
    ]
    return _document("bracelet", sections, data={"lines": lines})


def question_choices() -> list[tuple[str, str]]:
    """``(question, question_id)`` in table order."""
    rows = sorted(load_records("doctor_questions"), key=lambda r: r["order"])
    return [(r["question"], r["question_id"]) for r in rows]


def appointment_questions(question_ids=(), own_questions: str = "",
                          for_child: bool = False) -> PatientDocument:
    """Questions to ask the doctor, with what to bring and what you may be asked."""
    own = _text(own_questions, "My own questions", 400, field="own_questions")
    rows = {r["question_id"]: r for r in load_records("doctor_questions")}
    chosen = []
    for qid in question_ids or ():
        _choice(qid, "Questions", list(rows), "question_ids")
        if qid not in chosen:
            chosen.append(qid)
    if for_child:
        chosen += [q for q in rows if rows[q]["topic"] == "children" and q not in chosen]
    if not chosen and not own:
        raise field_error("Questions: tick at least one question or type your own",
                          "question_ids")
    items = [_esc(rows[q]["question"]) for q in chosen]
    items += [_esc(part.strip()) for part in re.split(r"[;\n]", own) if part.strip()]
    bring = _advice("appointment_bring")
    asked = _advice("appointment_asked")
    sections = [
        ("Before the appointment, make a list of", _ul([_esc(r["text"]) for r in bring])),
        ("My questions", _ul(items + ["<span class='line' style='display:inline-block;"
                                      "width:150mm'></span>"], ordered=True)),
        ("The doctor may ask me", _ul([_esc(r["text"]) for r in asked])),
        ("Where these facts come from",
         f"<p><small>{_cites([rows[q] for q in chosen] + bring + asked)}</small></p>"),
    ]
    return _document("questions", sections, data={"questions": chosen})


# ------------------------------------------------------------------------------------------
# One entry point for the notebooks, and the two-page handout
# ------------------------------------------------------------------------------------------

_BUILDERS = {
    "triggers": avoidance_plan,
    "emergency": emergency_plan,
    "anaesthesia": anaesthesia_card,
    "bracelet": bracelet_wording,
    "questions": appointment_questions,
}


def take_home(tool: str, **values) -> PatientDocument:
    """Build one take-home document of the patient track.

    Parameters
    ----------
    tool : str
        ``"triggers"``, ``"emergency"``, ``"anaesthesia"``, ``"bracelet"``, ``"diary"`` or
        ``"questions"``.
    **values
        The tool's fields (see :func:`avoidance_plan`, :func:`emergency_plan`,
        :func:`anaesthesia_card`, :func:`bracelet_wording`, :func:`diary_summary` with
        ``entries=``, :func:`appointment_questions`).

    Raises
    ------
    ValueError
        for an unknown tool or a bad value (the message names the field).

    Examples
    --------
    >>> doc = take_home("triggers", triggers=["insect_sting"])
    >>> "Insect stings" in doc.summary
    True
    """
    _choice(tool, "Tool", TOOLS, "tool")
    if tool == "diary":
        return diary_summary(**values)
    return _BUILDERS[tool](**values)


def _facts(ids) -> list[dict]:
    rows = {r["fact_id"]: r for r in load_records("seed_facts")}
    return [rows[i] for i in ids]


HANDOUT_FACTS = {
    "What is mastocytosis?": ("nhs_excess_mast_cells", "nhs_two_types", "cc_not_contagious",
                              "mayo_kit_random", "cc_cannot_prevent", "nhs_no_cure",
                              "mayo_lifelong"),
    "Who gets it?": ("cc_before_two", "cc_sex_equal", "cc_prevalence", "mayo_child_skin_stays",
                     "nhs_many_no_problems"),
    "Getting checked": ("nhs_gp_dermatologist", "mayo_see_doctor_flushing",
                        "mayo_specialists", "mayo_home_kit"),
    "Treatment": ("nhs_steroid_cream", "nhs_antihistamines", "cc_acid_bone_medicines",
                  "cc_everyone_epinephrine"),
}


def patient_handout() -> PatientDocument:
    """The two-page patient handout, generated from the cited tables.

    Facts come from ``seed_facts.csv`` (our words, per source page), symptoms from
    ``diary_symptoms.csv``, triggers from ``triggers_care.csv`` and the emergency lines from
    ``patient_advice.csv``, so the handout cannot drift from the notebooks and tools.
    """
    sections = []
    used = []
    for heading, ids in HANDOUT_FACTS.items():
        rows = _facts(ids)
        used += rows
        sections.append((heading, _ul([_esc(r["fact"]) for r in rows])))
    symptoms = ", ".join(label.lower() if i else label
                         for i, (label, _s) in enumerate(symptom_choices()))
    sections.insert(2, ("Symptoms people notice",
                        f"<p>{_esc(symptoms)}.</p>"))
    trig = ", ".join(label for label, _t in trigger_choices())
    sections.insert(3, ("Common triggers (they differ from person to person)",
                        f"<p>{_esc(trig)}.</p>"))
    signs = _advice("emergency_signs")
    steps = _advice("emergency_steps")
    sections.append(("In an emergency (anaphylaxis)",
                     "<p>Signs: " + "; ".join(_esc(r["text"]) for r in signs) + ".</p>"
                     + _ul([_esc(r["text"]) for r in steps], ordered=True)))
    anaes = _facts(["cc_anaesthesia", "cc_bracelet"])
    sections.append(("Before anaesthesia or a procedure", _ul([_esc(r["fact"]) for r in anaes])))
    trig_rows = [r for r in load_records("triggers_care") if r["kind"] == "trigger"]
    ids = []
    for row in used + signs + steps + anaes + trig_rows:
        for sid in (row.get("source_id") or "").split(";"):
            if sid and sid not in ids:
                ids.append(sid)
    sections.append(("Sources", f"<p><small>{_esc(', '.join(ids))}. Full references: "
                                "notebook 10 of the course.</small></p>"))
    return _document("handout", sections, title="Mastocytosis: a guide for patients and "
                     "families", subtitle="Two pages in plain language, from the open course "
                     "Mastocytosis, interactively (notebooks 10 and 11).")


# ------------------------------------------------------------------------------------------
# Glossary links of the plain-language notebooks
# ------------------------------------------------------------------------------------------

def glossary_anchor(term_id: str) -> str:
    """The link target of a glossary word on a plain-language page: the id of its heading in
    the page's "Words used on this page" cell. JupyterLab, Voila and nbconvert all give a
    markdown heading the id "its text with spaces as hyphens", and JupyterLab scrolls to a
    heading even when the notebook has not drawn that cell yet (a plain ``<a id>`` anchor in
    an undrawn cell is not found), so headings are the target that works in all three."""
    rows = {r["term_id"]: r for r in load_records("glossary")}
    return _main_term(rows[term_id]["term"]).replace(" ", "-")


def _main_term(term: str) -> str:
    return re.sub(r"\s*\(.*\)\s*", " ", term).strip()


def glossary_terms() -> dict[str, list[str]]:
    """``term_id -> the words that name it`` (the term without its bracket, and the bracket's
    content), read from ``glossary.csv``."""
    out = {}
    for row in load_records("glossary"):
        term = row["term"]
        names = [_main_term(term)]
        names += [part.strip() for part in re.findall(r"\(([^)]*)\)", term)]
        out[row["term_id"]] = [n for n in names if n]
    return out


def term_pattern(name: str) -> re.Pattern:
    """Regex finding one glossary name in prose: whole words, plural allowed; names in
    capitals (KIT, SM) match only in capitals, so 'home kit' is not the KIT gene."""
    flags = 0 if (name.upper() == name and any(c.isalpha() for c in name)) else re.I
    words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", name))
    return re.compile(rf"(?<![\w-]){words}(?:s|es)?(?![\w-])", flags)


def glossary_markdown(term_ids) -> str:
    """The 'Words used on this page' cell: one small heading per term, in the order given."""
    rows = {r["term_id"]: r for r in load_records("glossary")}
    lines = ["## Words used on this page", "",
             "Each medical word on this page links here the first time it is used. The words "
             "come from the course glossary (`data/glossary.csv`).", ""]
    for tid in term_ids:
        row = rows[tid]
        heading = _main_term(row["term"])
        extra = row["term"][len(heading):].strip()  # the bracket, e.g. "(epinephrine pen)"
        lines.append(f"#### {heading}")
        lines.append("")
        lines.append((f"{extra}: " if extra else "") + f"{row['definition']} "
                     f"*(Source: {row['source_id'].replace(';', ', ')})*")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
