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
    ipsm_fields,
    ipsm_from_controls,
    ipsm_panel,
    mars_panel,
    survival_summary,
    survival_title,
)
from ._base import STYLE, App


class MarsApp(App):
    """MARS calculator with the survival illustration (one figure, redrawn on change).

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``age_years``, ``hb_g_dl``, ``plt_1e9_l`` (FloatText) and
        ``SRSF2``, ``ASXL1``, ``RUNX1`` (Checkbox)
    figure : FigureView
    result : MarsResult or None (None while the input is invalid)
    message : str  empty, or what is wrong with the input, in words
    """

    css_class = "mastolib-mars"

    def __init__(self, age_years=65.0, hb_g_dl=9.5, plt_1e9_l=120.0, hmr_mutations=()):
        self._initial = (age_years, hb_g_dl, plt_1e9_l, set(hmr_mutations))
        super().__init__()

    def _make_controls(self):
        age_years, hb_g_dl, plt_1e9_l, hmr = self._initial
        layout = w.Layout(width="260px")
        return {
            "age_years": w.FloatText(value=age_years, description="Age (years):",
                                     style=STYLE, layout=layout),
            "hb_g_dl": w.FloatText(value=hb_g_dl, description="Haemoglobin (g/dL):",
                                   style=STYLE, layout=layout),
            "plt_1e9_l": w.FloatText(value=plt_1e9_l, description="Platelets (×10⁹/L):",
                                     style=STYLE, layout=layout),
            **{g: w.Checkbox(value=g in hmr, description=f"{g} mutated",
                             indent=False, style=STYLE) for g in HMR_GENES},
        }

    def _control_box(self):
        numbers = w.VBox([self.controls[k] for k in ("age_years", "hb_g_dl", "plt_1e9_l")])
        genes = w.VBox([w.HTML("<b>High-molecular-risk genes:</b>"),
                        *[self.controls[g] for g in HMR_GENES]])
        self._scope = w.HTML(f"<p style='margin:2px 0'><b>Scope:</b> "
                             f"{html.escape(MARS_SCOPE)}</p>")
        return w.VBox([self._scope, w.HBox([numbers, genes])])

    def hmr_mutations(self) -> list[str]:
        return [g for g in HMR_GENES if self.controls[g].value]

    def compute(self, values):
        return mars(values["age_years"], values["hb_g_dl"], values["plt_1e9_l"],
                    [g for g in HMR_GENES if values[g]])

    def figure_for(self, result):
        fig = survival_figure(result.group if result is not None else None)
        fig.layout.title.text = survival_title(result)
        return fig

    def _view(self):
        self._panel = w.HTML()
        self._panel.add_class("mastolib-mars-result")
        self._summary = w.HTML()
        self._summary.add_class("mastolib-mars-summary")
        return [self._panel, *super()._view(), self._summary]

    def render(self, result):
        super().render(result)
        self._panel.value = mars_panel(result) if result is not None else (
            "<p><i>No score until the input is valid.</i></p>")
        self._summary.value = f"<p><b>Summary.</b> {html.escape(survival_summary(result))}</p>"

    def _invalid(self, exc):
        self.result = None
        if self.figure is not None:
            self.render(None)


def mars_app(age_years=65.0, hb_g_dl=9.5, plt_1e9_l=120.0, hmr_mutations=()) -> MarsApp:
    """Build the MARS calculator (``app.widget`` is the view).

    Examples
    --------
    >>> app = mars_app(72, 8.5, 60, ["SRSF2", "ASXL1"])   # fact sheet 6.5, M4
    >>> app.result.points, app.result.group
    (5, 'high')
    """
    return MarsApp(age_years, hb_g_dl, plt_1e9_l, hmr_mutations)


class IpsmApp(App):
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

    css_class = "mastolib-ipsm"

    def __init__(self, population="advanced", age_operator=">=", **values):
        self._initial = (population, age_operator, values)
        super().__init__()

    def _make_controls(self):
        population, age_operator, values = self._initial
        controls = {
            "population": w.ToggleButtons(
                options=[(label, key) for key, label in POPULATION_LABELS.items()],
                value=population, description="Population:", style=STYLE),
            "age_operator": w.ToggleButtons(
                options=[(label, key) for key, label in AGE_READINGS.items()],
                value=age_operator, description="Age boundary:", style=STYLE),
        }
        for field, (label, unit) in IPSM_NUMBERS.items():
            value = values.get(field)
            controls[field] = w.Text(
                value="" if value is None else f"{value:g}", description=f"{label} ({unit}):",
                placeholder="empty = not assessed", continuous_update=False, style=STYLE,
                layout=w.Layout(width="330px"))
        skin = values.get("skin_involvement")
        controls["skin_involvement"] = w.Dropdown(
            options=list(SKIN_CHOICES),
            value=next(k for k, v in SKIN_CHOICES.items() if v is skin),
            description="Skin involvement:", style=STYLE)
        return controls

    def _control_box(self):
        inputs = [self.controls[k] for k in (*IPSM_NUMBERS, "skin_involvement")]
        return w.VBox([self.controls["population"], self.controls["age_operator"],
                       w.GridBox(inputs, layout=w.Layout(grid_template_columns="repeat(2, 340px)"))])

    def compute(self, values):
        return ipsm_from_controls(values)

    def _view(self):
        self._panel = w.HTML()
        self._panel.add_class("mastolib-ipsm-result")
        self._enable_fields()
        return [self._panel]

    def _enable_fields(self):
        population = self.controls["population"].value
        fields = ipsm_fields(population) if population is not None else ()
        for key in (*IPSM_NUMBERS, "skin_involvement"):
            self.controls[key].disabled = key not in fields

    def update(self):
        self._enable_fields()
        super().update()

    def render(self, result):
        self._panel.value = ipsm_panel(result)

    def _invalid(self, exc):
        self.result = None
        if hasattr(self, "_panel"):
            self._panel.value = "<p><i>No factor count until the input is valid.</i></p>"


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

