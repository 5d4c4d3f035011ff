"""Widgets of the patient track (notebooks 10 and 11): one take-home tool per app, on the App base.

``TakeHomeApp(tool)`` is an :class:`~mastolib.apps._base.App`: a few labelled controls,
``compute(values)`` calls the pure :func:`mastolib.course._patient.take_home` (the diary:
:func:`mastolib.course._diary.diary_summary` of the saved entries), ``render`` shows the preview
of the printable page with its download link. The base owns the one message line
(``role="alert"``; a bad value is explained there and its control marked through the error's
``field``, never shown as a traceback), the busy guard and the static snapshot. A rejected value
keeps the last good page (the message says what to fix). The diary adds an *Add entry* button
and keeps entries in :class:`mastolib.course._diary.DiaryStore` (a file in the home folder):
an entry is checked before it is saved, and a saved entry is never lost.

Attributes for tests: ``app.widget``, ``app.controls`` (name -> widget), ``app.result`` (the
last :class:`~mastolib.course._patient_doc.PatientDocument`, or ``None``), ``app.message``.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from ..course import _diary as D
from ..course import _patient as P
from ._base import STYLE, App


def _controls(tool: str, defaults: dict) -> dict:
    def text(label, key, placeholder=""):
        return w.Text(value=str(defaults.get(key, "")), description=label,
                      placeholder=placeholder, continuous_update=False, style=STYLE,
                      layout=w.Layout(width="30em"))

    if tool == "triggers":
        return {
            "triggers": w.SelectMultiple(
                options=P.trigger_choices(), value=tuple(defaults.get("triggers", ())),
                description="My triggers (Ctrl/Cmd-click for several):", rows=9,
                style=STYLE, layout=w.Layout(width="40em")),
            "other": text("Other triggers:", "other", "e.g. hot baths"),
            "name": text("Your name:", "name", "optional"),
        }
    if tool == "emergency":
        return {
            "name": text("Your name:", "name", "optional"),
            "condition": text("Type of mastocytosis:", "condition", "e.g. systemic (indolent)"),
            "emergency_number": text("Emergency phone number:", "emergency_number",
                                     "e.g. 112, 999 or 911"),
            "contact_name": text("Emergency contact:", "contact_name", "name"),
            "contact_phone": text("Contact's phone:", "contact_phone", "digits"),
            "medicines_to_avoid": text("Medicines to avoid:", "medicines_to_avoid",
                                       "as told by your doctor"),
        }
    if tool == "anaesthesia":
        return {
            "name": text("Your name:", "name", "optional"),
            "condition": text("Type of mastocytosis:", "condition", "e.g. skin (cutaneous)"),
            "past_reactions": text("Past reactions:", "past_reactions", "what happened, when"),
            "care_team": text("Care team (doctor or clinic):", "care_team", "name"),
            "care_team_phone": text("Care team phone:", "care_team_phone", "digits"),
        }
    if tool == "bracelet":
        return {
            "carries_adrenaline": w.Checkbox(value=defaults.get("carries_adrenaline", True),
                                             description="I carry adrenaline", indent=False),
            "medicines_to_avoid": text("Medicines to avoid:", "medicines_to_avoid",
                                       "short names"),
            "contact_phone": text("Emergency phone:", "contact_phone", "digits"),
            "line_chars": w.BoundedIntText(value=defaults.get("line_chars",
                                                              P.BRACELET_LINE_CHARS),
                                           min=10, max=40, description="Characters per line:",
                                           style=STYLE),
        }
    if tool == "questions":
        return {
            "question_ids": w.SelectMultiple(
                options=P.question_choices(), value=tuple(defaults.get("question_ids", ())),
                description="Questions (Ctrl/Cmd-click for several):", rows=8, style=STYLE,
                layout=w.Layout(width="48em")),
            "own_questions": text("My own questions:", "own_questions", "separate with ;"),
            "for_child": w.Checkbox(value=defaults.get("for_child", False),
                                    description="The appointment is for my child",
                                    indent=False),
        }
    if tool == "diary":
        today = dt.date.today().isoformat()
        return {
            "date": text("Date (YYYY-MM-DD):", "date", today),
            "time_of_day": text("Time (HH:MM):", "time_of_day", "14:30"),
            "symptoms": w.SelectMultiple(
                options=P.symptom_choices(), value=tuple(defaults.get("symptoms", ())),
                description="Symptoms (Ctrl/Cmd-click for several):", rows=8, style=STYLE,
                layout=w.Layout(width="40em")),
            "severity": w.Dropdown(options=list(D.SEVERITIES), value="mild",
                                   description="How bad:", style=STYLE),
            "duration_min": text("How long (minutes):", "duration_min", "e.g. 20"),
            "trigger": w.Dropdown(options=[("not noted", ""), ("not sure", "not sure"),
                                           *P.trigger_choices(), ("other", "other")],
                                  value="", description="Possible trigger:", style=STYLE),
            "adrenaline_used": w.Checkbox(value=False, description="I used adrenaline",
                                          indent=False),
            "notes": text("Notes:", "notes", "optional"),
        }
    raise ValueError(f"Tool: {tool!r} is not one of {list(P.TOOLS)}")


class TakeHomeApp(App):
    """One take-home tool as a widget (see the module docstring)."""

    css_class = "mastolib-patient-app"

    def __init__(self, tool: str, store: D.DiaryStore | None = None, **defaults):
        P._choice(tool, "Tool", P.TOOLS, "tool")
        self.tool = tool
        self._defaults = defaults
        self.store = None
        if tool == "diary":
            self.store = store if store is not None else D.DiaryStore()
        super().__init__()
        self._message.add_class("mastolib-patient-message")
        self.widget.add_class(f"mastolib-patient-{tool}")
        if self.store is not None and self.store.message:
            self.show_message(self.store.message)

    def _make_controls(self) -> dict:
        return _controls(self.tool, self._defaults)

    def _control_box(self):
        box = list(self.controls.values())
        if self.tool == "diary":
            self._add = w.Button(description="Add entry", button_style="primary",
                                 tooltip="Save this episode in your diary")
            self._add.on_click(self._add_entry)
            box.append(self._add)
        return box

    def _observed(self):
        # the diary saves on "Add entry" only; every other tool updates on each change
        return [] if self.tool == "diary" else super()._observed()

    def values(self) -> dict:
        out = {key: list(value) if isinstance(value, tuple) else value
               for key, value in super().values().items()}
        if self.store is not None:
            out["entries"] = self.store.entries
        return out

    def compute(self, values: dict) -> P.PatientDocument:
        if self.tool == "diary":
            return D.diary_summary(values["entries"])
        return P.take_home(self.tool, **values)

    def _invalid(self, exc: Exception) -> None:
        """Keep the last good page; the message line says what to fix."""

    def _view(self) -> list:
        self._preview = w.HTML()
        self._preview.add_class("mastolib-patient-preview")
        return [self._preview]

    def render(self, result: P.PatientDocument) -> None:
        self._preview.value = result._repr_html_()

    def _add_entry(self, _button=None) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            values = self.values()
            values.pop("entries")
            if not values["date"].strip():
                values["date"] = dt.date.today().isoformat()
            try:
                entry = D.diary_entry(**values)
            except ValueError as exc:
                self.show_message(str(exc), getattr(exc, "field", None))
                return
            saved = self.store.add(entry)
            self.update()
            if saved:
                self.show_message(f"Saved: entry {len(self.store.entries)} on {entry['date']} "
                                  f"(file {self.store.path}).", done=True)
            else:
                self.show_message(self.store.message)
        finally:
            self._busy = False


def take_home_app(tool: str, **defaults) -> TakeHomeApp:
    """A take-home tool as a widget: ``"triggers"``, ``"emergency"``, ``"anaesthesia"``,
    ``"bracelet"``, ``"diary"`` or ``"questions"``; ``defaults`` pre-fill the controls."""
    return TakeHomeApp(tool, **defaults)
