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
    sunburst_trace_data,
)
from ._figview import FigureView


class FamilyTreeApp:
    """The family tree with a WHO/ICC switch (one FigureWidget, updated in place).

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``{"scheme": ToggleButtons}``
    figure : plotly FigureWidget
    result : pandas.DataFrame  the entities shown
    summary : str  the one-line text summary shown under the figure
    """

    def __init__(self, scheme: str = "who2022"):

        _check_scheme(scheme)
        # both views are computed once; switching only assigns prepared data to the figure
        self._views = {key: (sunburst_trace_data(key), entity_table(key),
                             family_tree_summary(key)) for key in SCHEMES}
        self.controls = {"scheme": w.ToggleButtons(
            options=[(label, key) for key, label in SCHEMES.items()], value=scheme,
            description="Classification:", style={"description_width": "initial"},
            tooltips=["WHO 5th edition (2022)", "International Consensus Classification 2022"])}
        self.figure = FigureView(family_tree_figure(scheme))
        self._summary = w.HTML()
        self._summary.add_class("mastolib-tree-summary")
        self.controls["scheme"].observe(self._update, names="value")
        self.widget = w.VBox([self.controls["scheme"], self.figure.widget, self._summary])
        self.widget.add_class("mastolib-family-tree")
        # The figure already shows the initial scheme: only the text is set here, because a
        # figure update queued before the front end draws the plot can leave it blank.
        self._show_text(scheme)

    def _show_text(self, scheme: str) -> None:
        _data, table, summary = self._views[scheme]
        self.result = table.copy()
        self.summary = summary
        self._summary.value = f"<p><b>Summary.</b> {html.escape(self.summary)}</p>"

    def _update(self, _change=None):
        scheme = self.controls["scheme"].value
        data = self._views[scheme][0]
        with self.figure.batch_update():
            trace = self.figure.data[0]
            trace.ids, trace.parents, trace.labels = data["ids"], data["parents"], data["labels"]
            trace.values = data["values"]
            trace.customdata = data["customdata"]
            trace.marker = data["marker"]
            trace.name = SCHEMES[scheme]
            self.figure.layout.title.text = f"The family tree of mastocytosis - {SCHEMES[scheme]}"
        self._show_text(scheme)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def family_tree_app(scheme: str = "who2022") -> FamilyTreeApp:
    """Build the family-tree explorer (``app.widget`` is the view)."""
    return FamilyTreeApp(scheme)

