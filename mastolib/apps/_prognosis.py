"""Widget app(s): prognosis (notebook 07): the MARS calculator, a survival illustration, IPSM factors and.

Model: :mod:`mastolib.models._prognosis`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..engine._scores import HMR_GENES, mars
from ..figures._prognosis import survival_figure
from ..models._prognosis import (
    AGE_READINGS,
    IPSM_NUMBERS,
    MARS_SCOPE,
    POPULATION_LABELS,
    SKIN_CHOICES,
    apply_survival_highlight,
    ipsm_fields,
    ipsm_from_controls,
    ipsm_panel,
    mars_panel,
    survival_summary,
    survival_title,
)
from ._care import _message_html
from ._figview import FigureView
from ._static import app_mimebundle


class MarsApp:
    """MARS calculator with the survival illustration (one FigureWidget, updated in place).

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``age_years``, ``hb_g_dl``, ``plt_1e9_l`` (FloatText) and
        ``SRSF2``, ``ASXL1``, ``RUNX1`` (Checkbox)
    figure : plotly FigureWidget
    result : MarsResult or None (None while the input is invalid)
    message : str  empty, or what is wrong with the input, in words
    """

    def __init__(self, age_years=65.0, hb_g_dl=9.5, plt_1e9_l=120.0, hmr_mutations=()):

        style = {"description_width": "initial"}
        layout = w.Layout(width="260px")
        self.controls = {
            "age_years": w.FloatText(value=age_years, description="Age (years):",
                                     style=style, layout=layout),
            "hb_g_dl": w.FloatText(value=hb_g_dl, description="Haemoglobin (g/dL):",
                                   style=style, layout=layout),
            "plt_1e9_l": w.FloatText(value=plt_1e9_l, description="Platelets (×10⁹/L):",
                                     style=style, layout=layout),
            **{g: w.Checkbox(value=g in set(hmr_mutations), description=f"{g} mutated",
                             indent=False, style=style) for g in HMR_GENES},
        }
        # The figure starts in its final state: changes made to a FigureWidget before any view
        # exists are lost in Voila, which connects only after the notebook has run.
        self.result, self.message = self._compute()
        start = survival_figure(self.result.group if self.result else None)
        start.layout.title.text = survival_title(self.result)
        self.figure = FigureView(start)
        self._scope = w.HTML(f"<p style='margin:2px 0'><b>Scope:</b> {html.escape(MARS_SCOPE)}</p>")
        self._message = w.HTML()
        self._message.add_class("mastolib-mars-message")
        self._panel = w.HTML()
        self._panel.add_class("mastolib-mars-result")
        self._summary = w.HTML()
        self._summary.add_class("mastolib-mars-summary")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        numbers = w.VBox([self.controls[k] for k in ("age_years", "hb_g_dl", "plt_1e9_l")])
        genes = w.VBox([w.HTML("<b>High-molecular-risk genes:</b>"),
                        *[self.controls[g] for g in HMR_GENES]])
        self.widget = w.VBox([self._scope, w.HBox([numbers, genes]), self._message,
                              self._panel, self.figure.widget, self._summary])
        self.widget.add_class("mastolib-mars")
        self._update()

    def hmr_mutations(self) -> list[str]:
        return [g for g in HMR_GENES if self.controls[g].value]

    def _compute(self):
        """``(result, message)`` for the current controls (pure with respect to the view)."""
        c = self.controls
        try:
            return mars(c["age_years"].value, c["hb_g_dl"].value, c["plt_1e9_l"].value,
                        self.hmr_mutations()), ""
        except ValueError as exc:
            return None, str(exc)

    def _update(self, _change=None):
        self.result, self.message = self._compute()
        group = self.result.group if self.result else None
        self._message.value = _message_html(self.message)
        self._panel.value = mars_panel(self.result) if self.result else (
            "<p><i>No score until the input is valid.</i></p>")
        self._summary.value = f"<p><b>Summary.</b> {html.escape(survival_summary(self.result))}</p>"
        with self.figure.batch_update():
            apply_survival_highlight(self.figure, group)
            self.figure.layout.title.text = survival_title(self.result)

    def _repr_mimebundle_(self, **kwargs):

        return app_mimebundle(self.widget, **kwargs)


def mars_app(age_years=65.0, hb_g_dl=9.5, plt_1e9_l=120.0, hmr_mutations=()) -> MarsApp:
    """Build the MARS calculator (``app.widget`` is the view).

    Examples
    --------
    >>> app = mars_app(72, 8.5, 60, ["SRSF2", "ASXL1"])   # fact sheet 6.5, M4
    >>> app.result.points, app.result.group
    (5, 'high')
    """
    return MarsApp(age_years, hb_g_dl, plt_1e9_l, hmr_mutations)


class IpsmApp:
    """IPSM adverse-factor counter with the age-boundary switch (no figure: a checklist).

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``population``, ``age_operator`` (ToggleButtons), one Text box per number
        (empty = not assessed) and ``skin_involvement`` (Dropdown)
    figure : None  (the result is a checklist; see the module docstring)
    result : IpsmFactors or None (None while the input is invalid)
    message : str  empty, or what is wrong with the input, in words
    """

    def __init__(self, population="advanced", age_operator=">=", **values):

        style = {"description_width": "initial"}
        self.controls = {
            "population": w.ToggleButtons(
                options=[(label, key) for key, label in POPULATION_LABELS.items()],
                value=population, description="Population:", style=style),
            "age_operator": w.ToggleButtons(
                options=[(label, key) for key, label in AGE_READINGS.items()],
                value=age_operator, description="Age boundary:", style=style),
        }
        for field, (label, unit) in IPSM_NUMBERS.items():
            value = values.get(field)
            self.controls[field] = w.Text(
                value="" if value is None else f"{value:g}", description=f"{label} ({unit}):",
                placeholder="empty = not assessed", continuous_update=False, style=style,
                layout=w.Layout(width="330px"))
        skin = values.get("skin_involvement")
        self.controls["skin_involvement"] = w.Dropdown(
            options=list(SKIN_CHOICES),
            value=next(k for k, v in SKIN_CHOICES.items() if v is skin),
            description="Skin involvement:", style=style)
        self.figure = None
        self._message = w.HTML()
        self._message.add_class("mastolib-ipsm-message")
        self._panel = w.HTML()
        self._panel.add_class("mastolib-ipsm-result")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        inputs = [self.controls[k] for k in (*IPSM_NUMBERS, "skin_involvement")]
        self.widget = w.VBox([self.controls["population"], self.controls["age_operator"],
                              w.GridBox(inputs, layout=w.Layout(
                                  grid_template_columns="repeat(2, 340px)")),
                              self._message, self._panel])
        self.widget.add_class("mastolib-ipsm")
        self.result = None
        self.message = ""
        self._update()

    def values(self) -> dict:
        return {k: c.value for k, c in self.controls.items()}

    def _update(self, _change=None):
        fields = ipsm_fields(self.controls["population"].value)
        for key in (*IPSM_NUMBERS, "skin_involvement"):
            self.controls[key].disabled = key not in fields
        try:
            self.result = ipsm_from_controls(self.values())
            self.message = ""
        except ValueError as exc:
            self.result, self.message = None, str(exc)
        self._message.value = _message_html(self.message)
        self._panel.value = ipsm_panel(self.result) if self.result else (
            "<p><i>No factor count until the input is valid.</i></p>")

    def _repr_mimebundle_(self, **kwargs):

        return app_mimebundle(self.widget, **kwargs)


def ipsm_app(population="advanced", age_operator=">=", **values) -> IpsmApp:
    """Build the IPSM factor counter; ``values`` pre-fill the boxes (e.g. ``age_years=67``).

    Examples
    --------
    >>> app = ipsm_app("non-advanced", age_years=60, alp_u_l=130)   # fact sheet 6.5, I4
    >>> app.result.count
    2
    >>> app.controls["age_operator"].value = ">"
    >>> app.result.count
    1
    """
    return IpsmApp(population, age_operator, **values)

