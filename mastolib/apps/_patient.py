"""Widgets of the patient track: controls + one observer calling the pure tool function.

Each app is ``TakeHomeApp(tool)``: a few labelled controls, one observer that calls
:func:`mastolib.course._patient.take_home` with their values, and two outputs - a message line
(``role="alert"``; a bad value is explained there, never shown as a traceback) and the
preview of the printable page with its download link. The diary adds an *Add entry* button
and keeps entries in :class:`mastolib.course._patient.DiaryStore` (a file in the home folder).

Attributes for tests: ``app.widget``, ``app.controls`` (name -> widget), ``app.result`` (the
last :class:`~mastolib.course._patient.PatientDocument`, or ``None``), ``app.message``.
"""

from __future__ import annotations

import datetime as dt
import html

from ..course import _patient as P

_WIDE = {"description_width": "initial"}


def _controls(tool: str, defaults: dict) -> dict:
    import ipywidgets as w

    def text(label, key, placeholder=""):
        return w.Text(value=str(defaults.get(key, "")), description=label,
                      placeholder=placeholder, continuous_update=False, style=_WIDE,
                      layout=w.Layout(width="30em"))

    if tool == "triggers":
        return {
            "triggers": w.SelectMultiple(
                options=P.trigger_choices(), value=tuple(defaults.get("triggers", ())),
                description="My triggers (Ctrl/Cmd-click for several):", rows=9,
                style=_WIDE, layout=w.Layout(width="40em")),
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
                                           style=_WIDE),
        }
    if tool == "questions":
        return {
            "question_ids": w.SelectMultiple(
                options=P.question_choices(), value=tuple(defaults.get("question_ids", ())),
                description="Questions (Ctrl/Cmd-click for several):", rows=8, style=_WIDE,
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
                description="Symptoms (Ctrl/Cmd-click for several):", rows=8, style=_WIDE,
                layout=w.Layout(width="40em")),
            "severity": w.Dropdown(options=list(P.SEVERITIES), value="mild",
                                   description="How bad:", style=_WIDE),
            "duration_min": text("How long (minutes):", "duration_min", "e.g. 20"),
            "trigger": w.Dropdown(options=[("not noted", ""), ("not sure", "not sure"),
                                           *P.trigger_choices(), ("other", "other")],
                                  value="", description="Possible trigger:", style=_WIDE),
            "adrenaline_used": w.Checkbox(value=False, description="I used adrenaline",
                                          indent=False),
            "notes": text("Notes:", "notes", "optional"),
        }
    raise ValueError(f"Tool: {tool!r} is not one of {list(P.TOOLS)}")


class TakeHomeApp:
    """One take-home tool as a widget (see the module docstring)."""

    def __init__(self, tool: str, store: P.DiaryStore | None = None, **defaults):
        import ipywidgets as w

        P._choice(tool, "Tool", P.TOOLS)
        self.tool = tool
        self.controls = _controls(tool, defaults)
        self.result: P.PatientDocument | None = None
        self.message = ""
        self._message = w.HTML()
        self._message.add_class("mastolib-patient-message")
        self._preview = w.HTML()
        self._preview.add_class("mastolib-patient-preview")
        children = list(self.controls.values())
        if tool == "diary":
            self.store = store if store is not None else P.DiaryStore()
            self._add = w.Button(description="Add entry", button_style="primary",
                                 tooltip="Save this episode in your diary")
            self._add.on_click(self._add_entry)
            children.append(self._add)
        else:
            for control in self.controls.values():
                control.observe(self._update, names="value")
        self.widget = w.VBox([*children, self._message, self._preview])
        self.widget.add_class("mastolib-patient-app")
        self.widget.add_class(f"mastolib-patient-{tool}")
        if tool == "diary":
            self._show_diary(self.store.message)
        else:
            self._update()

    def _values(self) -> dict:
        values = {}
        for key, control in self.controls.items():
            value = control.value
            values[key] = list(value) if isinstance(value, tuple) else value
        return values

    def _say(self, text: str, problem: bool) -> None:
        self.message = text
        if not text:
            self._message.value = ""
            return
        colour = "#D55E00" if problem else "#009E73"
        self._message.value = (f"<div role='alert' style='border-left:6px solid {colour};"
                               f"padding:4px 8px'>{html.escape(text)}</div>")

    def _show(self, doc: P.PatientDocument) -> None:
        self.result = doc
        self._preview.value = doc._repr_html_()

    def _update(self, _change=None) -> None:
        try:
            doc = P.take_home(self.tool, **self._values())
        except ValueError as exc:
            self._say(str(exc), problem=True)
            return
        self._say("", problem=False)
        self._show(doc)

    def _show_diary(self, note: str = "") -> None:
        self._show(P.diary_summary(self.store.entries))
        self._say(note, problem=bool(note))

    def _add_entry(self, _button=None) -> None:
        values = self._values()
        if not values["date"].strip():
            values["date"] = dt.date.today().isoformat()
        try:
            entry = P.diary_entry(**values)
        except ValueError as exc:
            self._say(str(exc), problem=True)
            return
        saved = self.store.add(entry)
        self._show(P.diary_summary(self.store.entries))
        if saved:
            self._say(f"Saved: entry {len(self.store.entries)} on {entry['date']} "
                      f"(file {self.store.path}).", problem=False)
        else:
            self._say(self.store.message, problem=True)

    def _repr_mimebundle_(self, **kwargs):
        from ._static import app_mimebundle

        return app_mimebundle(self.widget, **kwargs)


def take_home_app(tool: str, **defaults) -> TakeHomeApp:
    """A take-home tool as a widget: ``"triggers"``, ``"emergency"``, ``"anaesthesia"``,
    ``"bracelet"``, ``"diary"`` or ``"questions"``; ``defaults`` pre-fill the controls."""
    return TakeHomeApp(tool, **defaults)
