"""The one App base every widget app of the course derives from.

An app is *pure compute + one observer*:

* ``_make_controls()`` builds the controls once (a dict: control id -> widget);
* ``compute(values)`` turns the control values (a dict: control id -> value) into a result. It
  is pure (it never reads or writes a widget), so it is unit-testable without a front end. Bad
  input raises ``ValueError`` or ``TypeError``; an exception with a ``field`` attribute names the
  control that caused it (its id);
* ``figure_for(result)`` (optional) is the pure plotly builder of the app's figure;
* ``_view()`` lists the widgets below the controls and the message line, built once;
* ``render(result)`` updates that view (the base redraws the figure first).

The base owns the rest: observing every control, the busy guard (a change made while an update
runs is not re-entered), ONE message line (``role="alert"``, one style) naming the control by its
human label and unit, marking the bad control, None/NaN control values reported as a message
instead of a traceback, the static snapshot and ``_repr_mimebundle_``, and the one way a figure
is updated (:meth:`mastolib.apps._figview.FigureView.redraw`).

Every app object has ``.widget`` (the view), ``.controls``, ``.figure`` (a ``FigureView`` or
None), ``.result`` (the latest good result; ``None`` when the inputs are invalid, unless the app
keeps the last result and marks it stale) and ``.message`` (the text shown, "" when none).
"""

from __future__ import annotations

import html
import math

import ipywidgets as w

from ._figview import FigureView
from ._static import app_mimebundle

STYLE = {"description_width": "initial"}
INVALID_CLASS = "mastolib-invalid"
# One look for every app's message line (warning colour of the Okabe-Ito palette, text not colour
# alone: the ⚠ sign and the words carry the meaning).
_ALERT = ("<div role='alert' class='mastolib-alert' style='border-left:6px solid #D55E00;"
          "padding:4px 8px;color:#7A2E00'><b>⚠</b> {}</div>")
# The same line confirming an action that succeeded (e.g. a saved diary entry): ✓ and green.
_DONE = ("<div role='alert' class='mastolib-alert mastolib-done' style='border-left:6px solid "
         "#009E73;padding:4px 8px;color:#00563F'><b>✓</b> {}</div>")
CSS = f".{INVALID_CLASS} input, .{INVALID_CLASS} select{{outline:3px solid #D55E00}}"


def alert_html(text: str, done: bool = False) -> str:
    """The app message line for ``text`` ("" for no message); ``done``: a confirmation."""
    return (_DONE if done else _ALERT).format(html.escape(text)) if text else ""


def field_error(message: str, field: str) -> ValueError:
    """A ValueError that names the control ``field`` (an id) it is about."""
    exc = ValueError(message)
    exc.field = field
    return exc


def is_missing(value) -> bool:
    """A control value that means "nothing chosen": None or a float NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


_NOTHING = object()  # App._drawn when no figure awaits its first render


class App:
    """Base of the course's widget apps (see the module docstring)."""

    css_class = "mastolib-app"
    #: control ids that may be empty (None means "not assessed" / "any")
    optional: frozenset = frozenset()
    #: control id -> unit shown in messages (e.g. {"bst": "ng/mL"})
    units: dict = {}

    def __init__(self):
        self.controls: dict = self._make_controls()
        self.result = None
        self.message = ""
        self.figure = None
        self._busy = False
        self._message = w.HTML("")
        self._message.add_class("mastolib-message")
        first = self._try_compute()
        self.result = first
        figure = self.figure_for(first) if first is not None else None
        if figure is not None:
            self.figure = FigureView(figure)
        # The first render finds the figure already drawn for this result (skip a second build).
        self._drawn = first if figure is not None else _NOTHING
        box = self._control_box()  # one widget, or a list of widgets placed in order
        box = box if isinstance(box, list) else [box]
        self.widget = w.VBox([w.HTML(f"<style>{CSS}</style>"), *box, self._message,
                              *self._view()])
        self.widget.add_class("mastolib-app")
        if self.css_class != "mastolib-app":
            self.widget.add_class(self.css_class)
        if first is not None:
            self.render(first)
        for control in self._observed():
            control.observe(self._on_change, names="value")

    # -- hooks ---------------------------------------------------------------------------------
    def _make_controls(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def compute(self, values: dict):  # pragma: no cover - abstract
        """The result for the control values (pure; raise ValueError/TypeError on bad input)."""
        raise NotImplementedError

    def figure_for(self, result):
        """The app's figure for ``result`` (a ``go.Figure``), or None for an app without one."""
        return None

    def _view(self) -> list:
        """Widgets below the controls and the message line (built once)."""
        return [self.figure.widget] if self.figure is not None else []

    def render(self, result) -> None:
        """Show ``result`` in the view built by :meth:`_view`."""
        drawn, self._drawn = self._drawn, _NOTHING
        if self.figure is not None and result is not drawn:
            self.figure.redraw(self.figure_for(result))

    def _control_box(self):
        return w.HBox(list(self.controls.values()), layout=w.Layout(flex_flow="row wrap"))

    def _observed(self):
        return [control for control in self.controls.values() if hasattr(control, "value")]

    def _invalid(self, exc: Exception) -> None:
        """Called after a rejected input (default: forget the result)."""
        self.result = None

    # -- values and messages ---------------------------------------------------------------------
    def values(self) -> dict:
        """The current control values (control id -> value)."""
        return {key: control.value for key, control in self.controls.items()
                if hasattr(control, "value")}

    def label(self, key: str) -> str:
        """Human label of a control: its description (without the colon), plus its unit."""
        control = self.controls.get(key)
        text = (getattr(control, "description", "") or key.replace("_", " ")).rstrip(": ")
        unit = self.units.get(key)
        return f"{text} ({unit})" if unit and unit not in text else text

    def _check_missing(self, values: dict) -> None:
        """None/NaN in a control that must hold a value -> a message naming it."""
        for key, value in values.items():
            if key not in self.optional and is_missing(value):
                raise field_error(f"{self.label(key)}: choose a value (it is empty).", key)

    def _try_compute(self):
        values = self.values()
        try:
            self._check_missing(values)
            result = self.compute(values)
        except (ValueError, TypeError) as exc:
            self.show_message(str(exc), getattr(exc, "fields", None) or getattr(exc, "field", None))
            self._invalid(exc)
            return None
        self.show_message("")
        return result

    def show_message(self, text: str, field=None, done: bool = False) -> None:
        """Show ``text`` in the one message line and mark the control(s) ``field`` (id or ids);
        ``done=True`` shows it as the confirmation of a finished action instead of a warning."""
        self.message = text
        self._message.value = alert_html(text, done)
        bad = {field} if isinstance(field, str) else set(field or ())
        for key, control in self.controls.items():
            classes = getattr(control, "_dom_classes", ())
            if key in bad and INVALID_CLASS not in classes:
                control.add_class(INVALID_CLASS)
            elif key not in bad and INVALID_CLASS in classes:
                control.remove_class(INVALID_CLASS)

    # -- the one observer ------------------------------------------------------------------------
    def _on_change(self, _change=None) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            self.update()
        finally:
            self._busy = False

    def update(self) -> None:
        """Recompute from the controls and render (what every control change calls)."""
        result = self._try_compute()
        if result is None:
            return
        self.result = result
        self.render(result)

    def _repr_mimebundle_(self, **kwargs):
        return app_mimebundle(self.widget, **kwargs)
