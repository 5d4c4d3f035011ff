"""Widget app(s): the family tree of mastocytosis under WHO 2022 and ICC 2022, from ``data/entities.csv``.

Model: :mod:`mastolib.models._classification`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..figures._classification import family_tree_figure
from ..models._classification import (
    SCHEMES,
    _check_scheme,
    entity_table,
    family_tree_summary,
)
from ._base import STYLE, App


class FamilyTreeApp(App):
    """The family tree with a WHO/ICC switch (one figure, redrawn on change).

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``{"scheme": ToggleButtons}``
    figure : FigureView
    result : pandas.DataFrame  the entities shown (``result.attrs["scheme"]`` is the scheme id)
    summary : str  the one-line text summary shown under the figure
    """

    css_class = "mastolib-family-tree"

    def __init__(self, scheme: str = "who2022"):
        _check_scheme(scheme)
        self._initial = scheme
        # both views are computed once; switching only picks the prepared one
        self._figures = {key: family_tree_figure(key) for key in SCHEMES}
        self._texts = {key: (entity_table(key), family_tree_summary(key)) for key in SCHEMES}
        super().__init__()

    def _make_controls(self):
        return {"scheme": w.ToggleButtons(
            options=[(label, key) for key, label in SCHEMES.items()], value=self._initial,
            description="Classification:", style=STYLE,
            tooltips=["WHO 5th edition (2022)", "International Consensus Classification 2022"])}

    def compute(self, values):
        scheme = _check_scheme(values["scheme"])
        table = self._texts[scheme][0].copy()
        table.attrs["scheme"] = scheme
        return table

    def figure_for(self, result):
        return self._figures[result.attrs["scheme"]]

    def _view(self):
        self._summary = w.HTML()
        self._summary.add_class("mastolib-tree-summary")
        return [*super()._view(), self._summary]

    def render(self, result):
        super().render(result)
        self.summary = self._texts[result.attrs["scheme"]][1]
        self._summary.value = f"<p><b>Summary.</b> {html.escape(self.summary)}</p>"


def family_tree_app(scheme: str = "who2022") -> FamilyTreeApp:
    """Build the family-tree explorer (``app.widget`` is the view)."""
    return FamilyTreeApp(scheme)

