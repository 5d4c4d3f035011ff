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

import base64
import datetime as dt
import html
import json
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..tables._data import load_records
from ._printables import printable_html

TOOLS = ("triggers", "emergency", "anaesthesia", "bracelet", "diary", "questions")
TOOL_TITLES = {
    "triggers": "My triggers: personal avoidance plan",
    "emergency": "My emergency plan",
    "anaesthesia": "Anaesthesia and procedures card",
    "bracelet": "Medical alert bracelet wording",
    "diary": "Symptom and episode diary: summary for my next appointment",
    "questions": "Questions for my next appointment",
}
SEVERITIES = ("mild", "moderate", "severe")
MAX_NAME = 60
MAX_TEXT = 200
MAX_PHONE = 25
# Engraving layout, not a clinical number: a typical tag fits about this many characters a line.
BRACELET_LINE_CHARS = 20
MAX_DURATION_MIN = 7 * 24 * 60
_PHONE = re.compile(r"^[0-9+()\-\s]*$")


@dataclass(frozen=True)
class PatientDocument:
    """A computed take-home document.

    Attributes
    ----------
    tool : str
        Tool id (one of ``TOOLS`` or ``"handout"``).
    title : str
    sections : tuple of (heading, html body)
    summary : str
        Plain-text version (screen readers, static pages, tests).
    html : str
        The standalone printable page (A4).
    filename : str
        Suggested file name for the download.
    """

    tool: str
    title: str
    sections: tuple
    summary: str
    html: str
    filename: str
    data: dict = field(default_factory=dict)

    def download_link(self, label: str = "Download the printable page") -> str:
        """An ``<a download>`` link holding the page as a data URI (works offline)."""
        payload = base64.b64encode(self.html.encode("utf-8")).decode("ascii")
        return (f"<a class='mastolib-printable-download' download='{self.filename}' "
                f"href='data:text/html;base64,{payload}'>{html.escape(label)}</a> "
                "<small>(open the file and use your browser's Print)</small>")

    def preview_html(self) -> str:
        """The document's sections as an inline preview (no page-wide styles)."""
        parts = [f"<h3 style='margin:4px 0'>{html.escape(self.title)}</h3>"]
        for heading, body in self.sections:
            head = f"<b>{html.escape(heading)}</b>" if heading else ""
            parts.append("<div style='margin:6px 0;padding:4px 8px;border-left:4px solid "
                         f"#0072B2'>{head}{body}</div>")
        return "<div class='mastolib-printable-preview'>" + "".join(parts) + "</div>"

    def _repr_html_(self) -> str:
        return self.preview_html() + f"<p>{self.download_link()}</p>"


# ------------------------------------------------------------------------------------------
# Input checks: every message names the field by its label
# ------------------------------------------------------------------------------------------


def _text(value, label: str, max_len: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{label}: expected text, got {value!r}")
    value = " ".join(value.split())
    if len(value) > max_len:
        raise ValueError(f"{label}: at most {max_len} characters, got {len(value)}")
    return value


def _phone(value, label: str) -> str:
    value = _text(value, label, MAX_PHONE)
    if not _PHONE.match(value):
        raise ValueError(f"{label}: {value!r} is not a phone number (use digits, spaces, "
                         "+, - and brackets only)")
    return value


def _choice(value, label: str, allowed) -> str:
    if value not in allowed:
        raise ValueError(f"{label}: {value!r} is not one of {list(allowed)}")
    return value


def _esc(text: str) -> str:
    return html.escape(text)


def _blank(value: str, width_mm: int = 60) -> str:
    if value:
        return f"<b>{_esc(value)}</b>"
    return f"<span class='line' style='display:inline-block;width:{width_mm}mm'></span>"


def _cites(rows) -> str:
    ids = []
    for row in rows:
        for sid in (row.get("source_id") or "").split(";"):
            if sid and sid not in ids:
                ids.append(sid)
    return "Sources: " + ", ".join(ids) + "."


def _advice(tool: str) -> list[dict]:
    rows = [r for r in load_records("patient_advice") if r["tool"] == tool]
    return sorted(rows, key=lambda r: r["order"])


def _ul(items, ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>"


def _summary(title: str, sections) -> str:
    lines = [title]
    for heading, body in sections:
        text = re.sub(r"<li>", "\n- ", body)
        text = re.sub(r"<[^>]+>", " ", text)
        text = html.unescape(re.sub(r"[ \t]+", " ", text)).strip()
        lines.append(f"{heading}: {text}" if heading else text)
    return "\n".join(lines)


def _document(tool: str, sections: list, *, subtitle: str = "", footer: str = "",
              title: str | None = None, data: dict | None = None) -> PatientDocument:
    title = title or TOOL_TITLES[tool]
    page = printable_html(title, sections, subtitle=subtitle, footer=footer)
    return PatientDocument(tool=tool, title=title, sections=tuple(sections),
                           summary=_summary(title, sections), html=page,
                           filename=f"mastocytosis-{tool}.html", data=data or {})


# ------------------------------------------------------------------------------------------
# The tools
# ------------------------------------------------------------------------------------------


def trigger_choices() -> list[tuple[str, str]]:
    """``(label, trigger_id)`` of the triggers the sources describe, in table order."""
    rows = [r for r in load_records("triggers_care")
            if r["kind"] == "trigger" and r["status"] == "described"]
    return [(r["label"], r["item_id"]) for r in sorted(rows, key=lambda r: r["order"])]


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
    name = _text(name, "Your name", MAX_NAME)
    other = _text(other, "Other triggers")
    rows = {r["item_id"]: r for r in load_records("triggers_care")}
    allowed = [tid for _label, tid in trigger_choices()]
    chosen = []
    for tid in triggers or ():
        _choice(tid, "My triggers", allowed)
        if tid not in chosen:
            chosen.append(tid)
    if not chosen and not other:
        raise ValueError("My triggers: tick at least one trigger or type your own in "
                         "'Other triggers'")
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
    name = _text(name, "Your name", MAX_NAME)
    number = _phone(emergency_number, "Emergency phone number")
    contact_name = _text(contact_name, "Emergency contact", MAX_NAME)
    contact_phone = _phone(contact_phone, "Contact's phone")
    condition = _text(condition, "Type of mastocytosis", MAX_NAME)
    avoid = _text(medicines_to_avoid, "Medicines to avoid")
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
    name = _text(name, "Your name", MAX_NAME)
    condition = _text(condition, "Type of mastocytosis", MAX_NAME)
    reactions = _text(past_reactions, "Past reactions")
    team = _text(care_team, "Care team (doctor or clinic)", MAX_NAME)
    phone = _phone(care_team_phone, "Care team phone")
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


def _wrap(text: str, width: int, label: str) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if len(word) > width:
            raise ValueError(f"{label}: the word {word!r} has {len(word)} characters; a "
                             f"bracelet line holds at most {width}")
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
        raise ValueError(f"Characters per line: {line_chars!r} is not a whole number from 10 "
                         "to 40")
    avoid = _text(medicines_to_avoid, "Medicines to avoid", 80)
    phone = _phone(contact_phone, "Emergency phone")
    lines = ["MASTOCYTOSIS", "Risk of anaphylaxis"]
    if carries_adrenaline:
        lines.append("Carries adrenaline")
    if avoid:
        lines += _wrap(f"Avoid: {avoid}", line_chars, "Medicines to avoid")
    if phone:
        lines += _wrap(f"ICE {phone}", line_chars, "Emergency phone")
    for line in lines:
        if len(line) > line_chars:
            raise ValueError(f"Characters per line: {line_chars} is too few for {line!r}")
    if len(lines) > max_lines:
        raise ValueError(f"Medicines to avoid: the wording needs {len(lines)} lines, a "
                         f"bracelet holds at most {max_lines}; shorten the list")
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
    own = _text(own_questions, "My own questions", 400)
    rows = {r["question_id"]: r for r in load_records("doctor_questions")}
    chosen = []
    for qid in question_ids or ():
        _choice(qid, "Questions", list(rows))
        if qid not in chosen:
            chosen.append(qid)
    if for_child:
        chosen += [q for q in rows if rows[q]["topic"] == "children" and q not in chosen]
    if not chosen and not own:
        raise ValueError("Questions: tick at least one question or type your own")
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
# Symptom and episode diary
# ------------------------------------------------------------------------------------------


def symptom_choices() -> list[tuple[str, str]]:
    """``(label, symptom_id)`` of the diary's symptom list."""
    rows = sorted(load_records("diary_symptoms"), key=lambda r: r["order"])
    return [(r["label"], r["symptom_id"]) for r in rows]


def diary_entry(date: str, time_of_day: str = "", symptoms=(), severity: str = "mild",
                duration_min=None, trigger: str = "", adrenaline_used: bool = False,
                notes: str = "") -> dict:
    """One checked diary entry (a plain dict, ready to store).

    Raises
    ------
    ValueError
        naming the field: a date that is not YYYY-MM-DD, a time that is not HH:MM, an
        unknown symptom or severity, a duration that is not a number of minutes from 0 to
        one week.
    """
    try:
        day = dt.date.fromisoformat(str(date).strip())
    except ValueError:
        raise ValueError(f"Date: {date!r} is not a date; write it as YYYY-MM-DD, "
                         "for example 2026-03-14") from None
    if not 1900 <= day.year <= 2100:
        raise ValueError(f"Date: {date!r} is outside the years 1900 to 2100")
    clock = (time_of_day or "").strip()
    if clock:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", clock)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValueError(f"Time: {time_of_day!r} is not a time; write it as HH:MM (24-hour "
                             "clock), for example 14:30")
        clock = f"{int(match.group(1)):02d}:{match.group(2)}"
    allowed = [sid for _l, sid in symptom_choices()]
    chosen = []
    for sid in symptoms or ():
        _choice(sid, "Symptoms", allowed)
        if sid not in chosen:
            chosen.append(sid)
    if not chosen:
        raise ValueError("Symptoms: tick at least one symptom")
    _choice(severity, "How bad", SEVERITIES)
    minutes = None
    if duration_min not in (None, ""):
        try:
            minutes = float(str(duration_min).strip().replace(",", "."))
        except ValueError:
            raise ValueError(f"How long (minutes): {duration_min!r} is not a number") from None
        if not 0 <= minutes <= MAX_DURATION_MIN:
            raise ValueError(f"How long (minutes): {duration_min!r} is outside 0 to "
                             f"{MAX_DURATION_MIN} minutes (one week)")
    trig_allowed = ["", "not sure", "other"] + [tid for _l, tid in trigger_choices()]
    _choice(trigger or "", "Possible trigger", trig_allowed)
    return {"date": day.isoformat(), "time": clock, "symptoms": chosen, "severity": severity,
            "duration_min": minutes, "trigger": trigger or "",
            "adrenaline_used": bool(adrenaline_used),
            "notes": _text(notes, "Notes")}


def default_diary_path() -> Path:
    """``$MASTOLIB_DIARY`` if set, else ``~/.mastolib/diary.json``."""
    override = os.environ.get("MASTOLIB_DIARY")
    if override:
        return Path(override)
    return Path.home() / ".mastolib" / "diary.json"


class DiaryStore:
    """The diary's entries in a JSON file, written atomically; entries are only ever added.

    A file that cannot be read is moved aside (never deleted) and :attr:`message` says where;
    if the home folder is read-only, entries are kept for the session and :attr:`message`
    says so.
    """

    def __init__(self, path=None):
        self.path = Path(path) if path is not None else default_diary_path()
        self.message = ""
        self.entries: list[dict] = self._read()

    def _read(self) -> list[dict]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            self.message = f"Could not read your diary file {self.path} ({exc.strerror})."
            return []
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
                raise ValueError("unexpected structure")
            return data["entries"]
        except (ValueError, UnicodeDecodeError):
            aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                os.replace(self.path, aside)
                self.message = (f"Your diary file could not be read; it was moved to {aside} "
                                "and a new diary was started.")
            except OSError:
                self.message = (f"Your diary file {self.path} could not be read; entries are "
                                "kept for this session only.")
            return []

    def add(self, entry: dict) -> bool:
        """Add one entry (from :func:`diary_entry`) and save; True if the file was written.

        Entries already in the file (another notebook, another tab) are kept: the new entry is
        appended to what is on disk now."""
        self.entries.append(entry)
        try:
            on_disk = json.loads(self.path.read_text(encoding="utf-8"))
            current = on_disk["entries"] if isinstance(on_disk, dict) else None
            if not isinstance(current, list):
                current = None
        except (OSError, ValueError, UnicodeDecodeError, KeyError):
            current = None
        if current is not None and current != self.entries[:-1]:
            self.entries = [*current, entry]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".diary-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump({"version": 1, "entries": self.entries}, handle, indent=1)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            self.message = (f"The diary could not be saved to {self.path} ({exc.strerror or exc});"
                            " your entries are kept for this session only.")
            return False
        return True


def _minutes(value) -> str:
    return "" if value is None else f"{value:g}"


def diary_summary(entries, name: str = "", max_rows: int = 15) -> PatientDocument:
    """Printable summary of diary entries for the next appointment."""
    name = _text(name, "Your name", MAX_NAME)
    entries = [e for e in entries if isinstance(e, dict) and "date" in e]
    labels = dict((sid, label) for label, sid in symptom_choices())
    trig_labels = dict((tid, label) for label, tid in trigger_choices())
    trig_labels.update({"": "not noted", "not sure": "not sure", "other": "other"})
    if not entries:
        sections = [("", "<p>No episodes recorded yet. Add an entry after each episode; the "
                         "summary fills in by itself.</p>")]
        return _document("diary", sections, data={"episodes": 0})
    entries = sorted(entries, key=lambda e: (e["date"], e.get("time") or ""))
    n = len(entries)
    symptoms = Counter(s for e in entries for s in e.get("symptoms", []))
    triggers = Counter(e.get("trigger") or "" for e in entries)
    severe = sum(1 for e in entries if e.get("severity") == "severe")
    adrenaline = sum(1 for e in entries if e.get("adrenaline_used"))
    overview = _ul([
        f"<b>{n}</b> episode{'s' if n != 1 else ''} from {entries[0]['date']} to "
        f"{entries[-1]['date']}",
        f"<b>{severe}</b> severe; adrenaline used <b>{adrenaline}</b> time"
        f"{'s' if adrenaline != 1 else ''}",
        "Most frequent symptoms: " + ", ".join(
            f"{_esc(labels.get(s, s))} ({c})" for s, c in symptoms.most_common(5)),
        "Possible triggers: " + ", ".join(
            f"{_esc(trig_labels.get(t, t))} ({c})" for t, c in triggers.most_common(5)),
    ])
    shown = entries[-max_rows:]
    rows = "".join(
        f"<tr><td>{_esc(e['date'])} {_esc(e.get('time') or '')}</td>"
        f"<td>{_esc(', '.join(labels.get(s, s) for s in e.get('symptoms', [])))}</td>"
        f"<td>{_esc(e.get('severity', ''))}</td>"
        f"<td>{_minutes(e.get('duration_min'))}</td>"
        f"<td>{_esc(trig_labels.get(e.get('trigger') or '', e.get('trigger') or ''))}</td>"
        f"<td>{'yes' if e.get('adrenaline_used') else ''}</td>"
        f"<td>{_esc(e.get('notes') or '')}</td></tr>" for e in shown)
    earlier = (f"<p><small>{n - len(shown)} earlier episodes are counted above but not "
               "listed.</small></p>" if n > len(shown) else "")
    table = ("<table><colgroup><col style='width:16%'><col style='width:24%'>"
             "<col style='width:10%'><col style='width:9%'><col style='width:14%'>"
             "<col style='width:9%'><col style='width:18%'></colgroup><tr><th>When</th>"
             "<th>Symptoms</th><th>How bad</th><th>Minutes</th><th>Trigger</th>"
             "<th>Adrenaline</th><th>Notes</th></tr>" + rows + "</table>" + earlier)
    sections = [
        ("", f"<p>Diary of: {_blank(name)}</p>"),
        ("Overview", overview),
        ("Episodes", table),
    ]
    return _document("diary", sections, data={"episodes": n, "severe": severe,
                                              "adrenaline": adrenaline})


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
    _choice(tool, "Tool", TOOLS)
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
