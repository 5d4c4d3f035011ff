"""The symptom and episode diary of the patient track (notebook 11): entries and summary.

:func:`diary_entry` checks one entry, :class:`DiaryStore` keeps the entries in a JSON file in the
learner's home folder (written atomically like the quiz progress file, so no entry is lost) and
:func:`diary_summary` builds the printable summary for the next appointment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from collections import Counter
from pathlib import Path

from ..tables._data import load_records
from ._files import write_json_atomic
from ._patient_doc import (
    MAX_DURATION_MIN,
    MAX_NAME,
    SEVERITIES,
    PatientDocument,
    _blank,
    _choice,
    _document,
    _esc,
    _text,
    _ul,
    field_error,
    trigger_choices,
)

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
        raise field_error(f"Date: {date!r} is not a date; write it as YYYY-MM-DD, "
                          "for example 2026-03-14", "date") from None
    if not 1900 <= day.year <= 2100:
        raise field_error(f"Date: {date!r} is outside the years 1900 to 2100", "date")
    clock = (time_of_day or "").strip()
    if clock:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", clock)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise field_error(f"Time: {time_of_day!r} is not a time; write it as HH:MM "
                              "(24-hour clock), for example 14:30", "time_of_day")
        clock = f"{int(match.group(1)):02d}:{match.group(2)}"
    allowed = [sid for _l, sid in symptom_choices()]
    chosen = []
    for sid in symptoms or ():
        _choice(sid, "Symptoms", allowed, "symptoms")
        if sid not in chosen:
            chosen.append(sid)
    if not chosen:
        raise field_error("Symptoms: tick at least one symptom", "symptoms")
    _choice(severity, "How bad", SEVERITIES, "severity")
    minutes = None
    if duration_min not in (None, ""):
        try:
            minutes = float(str(duration_min).strip().replace(",", "."))
        except ValueError:
            raise field_error(f"How long (minutes): {duration_min!r} is not a number",
                              "duration_min") from None
        if not 0 <= minutes <= MAX_DURATION_MIN:
            raise field_error(f"How long (minutes): {duration_min!r} is outside 0 to "
                              f"{MAX_DURATION_MIN} minutes (one week)", "duration_min")
    trig_allowed = ["", "not sure", "other"] + [tid for _l, tid in trigger_choices()]
    _choice(trigger or "", "Possible trigger", trig_allowed, "trigger")
    return {"date": day.isoformat(), "time": clock, "symptoms": chosen, "severity": severity,
            "duration_min": minutes, "trigger": trigger or "",
            "adrenaline_used": bool(adrenaline_used),
            "notes": _text(notes, "Notes", field="notes")}


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
            write_json_atomic(self.path, {"version": 1, "entries": self.entries}, ".diary-")
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
